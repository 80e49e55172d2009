"""Export the joined tags and the summary for spreadsheets (XLSX or CSV).

A spreadsheet program runs a cell that starts with ``=``, ``+``, ``-`` or
``@`` as a formula (and a leading tab or carriage return can hide one), so a
quote or title from the sources could run code on the reader's machine (CSV
injection). Every text cell starting with one of those characters is
neutralised by a leading ``'``, in both formats. Numbers stay numbers.

- ``.xlsx``: one workbook, sheets ``tags`` (the joined tags) and ``summary``.
- ``.csv``: two UTF-8 files (with a byte-order mark, so that Excel reads
  accents), ``NAME.csv`` with the joined tags and ``NAME.summary.csv`` with the
  summary.

Each file is written atomically.
"""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import SettingsError
from .io import atomic_write

__all__ = ["export", "neutralise"]

#: What a cell may not start with: spreadsheet programs read these as formulas.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: The most characters an Excel cell holds.
_XLSX_CELL_LIMIT = 32_767


def neutralise(value: Any) -> Any:
    r"""A cell value that no spreadsheet reads as a formula.

    Text starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a
    leading ``'``; missing values become None; tuples are joined with ``; ``;
    numbers are kept.

    Examples
    --------
    >>> neutralise("=HYPERLINK(\"http://x\")"), neutralise("-1"), neutralise(-1)
    ('\'=HYPERLINK("http://x")', "'-1", -1)
    >>> neutralise(("a", "b")), neutralise(float("nan"))
    ('a; b', None)
    """
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (tuple, list)):
        value = "; ".join(str(v) for v in value)
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        value = value.item()
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _rows(frame: pd.DataFrame) -> Iterator[list[Any]]:
    yield list(frame.columns)
    for row in frame.itertuples(index=False):
        yield [neutralise(v) for v in row]


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    with atomic_write(path, encoding="utf-8-sig") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        for row in _rows(frame):
            writer.writerow(["" if v is None else v for v in row])


def _write_xlsx(sheets: dict[str, pd.DataFrame], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    with atomic_write(path, binary=True) as handle:  # fails early if the folder is not writable
        book = Workbook(write_only=True)
        for name, frame in sheets.items():
            sheet = book.create_sheet(name)
            for row in _rows(frame):
                sheet.append(
                    [
                        ILLEGAL_CHARACTERS_RE.sub("\ufffd", v)[:_XLSX_CELL_LIMIT]
                        if isinstance(v, str)
                        else v
                        for v in row
                    ]
                )
        book.save(handle)


def export(
    tags: pd.DataFrame, summary: pd.DataFrame, path: str | os.PathLike[str]
) -> tuple[Path, ...]:
    """Write the joined tags and the summary to a spreadsheet.

    Parameters
    ----------
    tags, summary : pandas.DataFrame
        :attr:`EvidenceBase.tags` and :meth:`EvidenceBase.summary`.
    path : path-like
        ``.xlsx`` for one workbook with the sheets ``tags`` and ``summary``;
        ``.csv`` for ``NAME.csv`` (tags) and ``NAME.summary.csv`` (summary).
        Text longer than an Excel cell holds (32,767 characters) is cut there
        in XLSX, and characters XLSX cannot hold (control characters) are
        replaced by U+FFFD.

    Returns
    -------
    tuple of Path
        The files written.

    Raises
    ------
    SettingsError
        ``path`` ends neither in ``.xlsx`` nor in ``.csv``.

    Examples
    --------
    >>> import tempfile, pathlib, evidence
    >>> base = evidence.load_example()
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> [p.name for p in export(base.tags, base.summary(), folder / "evidence.csv")]
    ['evidence.csv', 'evidence.summary.csv']
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix == ".xlsx":
        _write_xlsx({"tags": tags, "summary": summary}, target)
        return (target,)
    if suffix == ".csv":
        second = target.with_name(f"{target.stem}.summary.csv")
        _write_csv(tags, target)
        _write_csv(summary, second)
        return (target, second)
    raise SettingsError(
        "cannot export here: the name must end in .xlsx or .csv",
        file=str(target),
        value=target.suffix,
        expected=".xlsx | .csv",
    )
