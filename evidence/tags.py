"""The tag table: which study speaks to which theme, with what stance.

One row per (study, theme), as researchers keep it in a spreadsheet. Reading
validates every row at once and reports each bad one with its line, column,
value and what was expected; writing back an unchanged table gives the same
bytes (column order, quoting, unknown columns, blank lines, line ends and
encoding are all kept), because each record keeps its exact text.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator

import pandas as pd

from . import schema
from .errors import Collector, Problem
from .io import CsvRecord, CsvTable, atomic_write, read_bytes, read_csv
from .suggest import did_you_mean
from .vocab import STANCES

__all__ = ["Tags"]

_REQUIRED = ("study", "theme", "stance")
_KNOWN = tuple(c for c in schema.COLUMNS["tags"] if c != "line")
_IDENTITY = ("study", "theme", "stance", "key", "quote", "page", "source", "coder")


class Tags:
    r"""A validated tag table.

    Attributes
    ----------
    file : str or None
        The file it was read from.
    problems : tuple of Problem
        Every bad row and header found (``tags.bad_stance``,
        ``tags.missing_column``, ``tags.duplicate_row``, ...).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "tags.csv"
    >>> _ = path.write_text("study,theme,stance,extra\nSloper 2004,joint_training,Supports,x\n")
    >>> tags = Tags.from_file(path)
    >>> tags.frame[["line", "study", "stance", "extra"]].to_dict("records")
    [{'line': 2, 'study': 'Sloper 2004', 'stance': 'supports', 'extra': 'x'}]
    """

    def __init__(
        self,
        frame: pd.DataFrame,
        *,
        problems: tuple[Problem, ...] = (),
        file: str | None = None,
        table: CsvTable | None = None,
    ) -> None:
        self._frame = schema.conform(frame, "tags")
        self.problems = problems
        self.file = file
        self._table = table

    @classmethod
    def from_file(cls, path: str | os.PathLike[str], *, strict: bool = False) -> Tags:
        """Read and validate a tag CSV (comma, semicolon or tab separated).

        Parameters
        ----------
        path : path-like
            The CSV file.
        strict : bool
            Raise instead of collecting problems.

        Returns
        -------
        Tags
            Rows with errors are reported and left out of :attr:`frame`;
            they stay in the file and in :meth:`to_file`'s output.

        Raises
        ------
        InputError
            The file is missing or unreadable.
        ValidationError
            ``strict=True`` and some row or the header is bad.
        """
        file = str(path)
        table = read_csv(read_bytes(path))
        collector = Collector(strict=strict, file=file)
        for note in table.notes:
            collector.add("tags.encoding", note, "warning")
        frame = pd.DataFrame(list(_validated_rows(table, collector)))
        return cls(frame, problems=collector.finish("tags"), file=file, table=table)

    @property
    def frame(self) -> pd.DataFrame:
        """The usable rows, with their file line numbers (a copy)."""
        return self._frame.copy()

    def __len__(self) -> int:
        return len(self._frame)

    def __repr__(self) -> str:
        return f"<Tags: {len(self)} rows, {len(self.problems)} problems>"

    def to_file(self, path: str | os.PathLike[str]) -> None:
        r"""Write the table back, atomically, exactly as it was read.

        A table read from a file writes every record with its original text,
        so an unchanged table round-trips to identical bytes. A table built
        from a frame is written as UTF-8 CSV with ``\n`` line ends.
        """
        table = self._table
        if table is None:
            with atomic_write(path) as handle:
                columns = [c for c in self._frame.columns if c != "line"]
                writer = csv.writer(handle, lineterminator="\n")
                writer.writerow(columns)
                for row in self._frame[columns].itertuples(index=False):
                    writer.writerow(["" if pd.isna(v) else v for v in row])
            return
        with atomic_write(path, binary=True) as handle:
            parts = [table.header.lead + table.header.raw] if table.header else []
            parts.extend(record.lead + record.raw for record in table.records)
            parts.append(table.trailer)
            handle.write("".join(parts).encode(table.encoding))


def _validated_rows(table: CsvTable, collector: Collector) -> Iterator[dict[str, object]]:
    """Check header and rows; yield a dict per usable row."""
    if table.header is None:
        collector.add("tags.empty", "the tag file is empty", "warning", line=None)
        return
    written = [cell.strip() for cell in table.header.values]
    names = [cell.lower() if cell.lower() in _KNOWN else cell for cell in written]
    line = table.header.line
    problems_before = len(collector.problems)
    for required in _REQUIRED:
        if required not in names:
            collector.add(
                "tags.missing_column",
                f"the header has no {required!r} column{did_you_mean(required, written)}",
                line=line,
                column=required,
                expected=", ".join(_REQUIRED) + " (required), then " + ", ".join(_KNOWN[3:]),
            )
    for index, name in enumerate(names):
        if not name or name in names[:index]:
            collector.add(
                "tags.bad_header",
                f"column {index + 1} of the header is {'empty' if not name else 'a repeat'}",
                line=line,
                column=name or None,
                value=name,
            )
    if len(collector.problems) > problems_before:
        return
    seen: dict[tuple[str, ...], int] = {}
    for record in table.records:
        row = _row(record, names, collector)
        if row is None:
            continue
        identity = tuple(str(row.get(c) or "") for c in _IDENTITY)
        if identity in seen:
            collector.add(
                "tags.duplicate_row",
                f"this row repeats line {seen[identity]}",
                "warning",
                line=record.line,
                value=row["study"],
            )
        else:
            seen[identity] = record.line
        yield row


def _row(record: CsvRecord, names: list[str], collector: Collector) -> dict[str, object] | None:
    """One row's cells by column, or None (with problems added) if unusable."""
    values = [v.strip() for v in record.values]
    line = record.line
    if len(values) > len(names) and any(values[len(names) :]):
        collector.add(
            "tags.extra_cells",
            f"row has {len(values)} cells but the header has {len(names)} columns "
            "(an unquoted delimiter in a cell?)",
            line=line,
            value=record.values[len(names)],
            expected=f"{len(names)} cells",
        )
        return None
    cells = dict(zip(names, values + [""] * (len(names) - len(values)), strict=False))
    ok = True
    if not cells["study"] and not cells.get("key"):
        collector.add(
            "tags.missing_study",
            "row has neither a study nor a key",
            line=line,
            column="study",
            expected="a citation such as 'Smith & Jones 2003' or a bibliography key",
        )
        ok = False
    if not cells["theme"]:
        collector.add("tags.missing_theme", "row has no theme", line=line, column="theme")
        ok = False
    stance = cells["stance"].lower()
    if stance not in STANCES:
        collector.add(
            "tags.bad_stance",
            f"stance {cells['stance']!r} is not one of {', '.join(STANCES)}"
            f"{did_you_mean(stance, STANCES) if stance else ''}",
            line=line,
            column="stance",
            value=cells["stance"],
            expected=" | ".join(STANCES),
        )
        ok = False
    if not ok:
        return None
    cells["stance"] = stance
    row: dict[str, object] = {"line": line}
    row.update({name: (value or None) for name, value in cells.items()})
    return row
