"""The tag table: which study speaks to which theme, with what stance.

One row per (study, theme), as researchers keep it in a spreadsheet. Reading
validates every row at once and reports each bad one with its line, column,
value and what was expected; writing back an unchanged table gives the same
bytes (column order, quoting, unknown columns, blank lines, line ends and
encoding are all kept), because each record keeps its exact text.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator, Sequence

import pandas as pd

from . import schema
from .errors import Collector, Problem
from .io import CsvRecord, CsvTable, atomic_write, read_bytes, read_csv
from .names import fold
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
        self._added: tuple[dict, ...] = ()

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
        table = read_csv(read_bytes(path), file=file)
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

    def append(self, rows: pd.DataFrame) -> tuple[Tags, int]:
        """Return a table with ``rows`` added at the end, skipping rows it already has.

        A row is already there when a row with the same study (ignoring case,
        accents and punctuation), theme and quote (ignoring spacing) exists:
        curated rows are never duplicated, changed or reordered.

        Parameters
        ----------
        rows : pandas.DataFrame
            New rows with tag columns (``study``, ``theme``, ``stance``, ...).

        Returns
        -------
        (Tags, int)
            The new table and the number of rows added.
        """
        seen = {_identity(r) for r in self._frame.to_dict("records")}
        added = []
        for record in rows.to_dict("records"):
            identity = _identity(record)
            if identity not in seen:
                seen.add(identity)
                added.append({k: v for k, v in record.items() if isinstance(v, str) and v})
        frame = pd.concat([self._frame, pd.DataFrame(added)], ignore_index=True)
        appended = Tags(frame, problems=self.problems, file=self.file, table=self._table)
        appended._added = self._added + tuple(added)
        return appended, len(added)

    def to_file(self, path: str | os.PathLike[str]) -> None:
        r"""Write the table, atomically, keeping every byte of the rows it was read with.

        Rows read from a file are written with their original text, so an
        unchanged table round-trips to identical bytes; rows added with
        :meth:`append` follow, in the file's own delimiter, line end and
        encoding, under its header (values of columns the header lacks are
        left out). A table not read from a file is written as UTF-8 CSV with
        ``\n`` line ends.
        """
        table = self._table
        if table is None or (table.header is None and self._added):
            columns = [c for c in self._frame.columns if c != "line"]
            rows = [
                {c: v for c, v in r.items() if isinstance(v, str)}
                for r in self._frame[columns].to_dict("records")
            ]
            text = _format_rows(columns, [dict(zip(columns, columns, strict=True)), *rows])
            with atomic_write(path) as handle:
                handle.write(text)
            return
        header = table.header
        columns = _header_columns(header.values) if header else []
        missing = [c for c in _KNOWN if c not in columns and any(r.get(c) for r in self._added)]
        header_raw = header.raw if header else ""
        if missing:  # extend the header; the rows already there keep their bytes
            body = header_raw.rstrip("\r\n")
            ending = header_raw[len(body) :] or table.newline
            header_raw = body + table.delimiter + table.delimiter.join(missing) + ending
            columns += missing
        parts = [header.lead if header else "", header_raw]
        parts.extend(record.lead + record.raw for record in table.records)
        parts.append(table.trailer)
        if self._added:
            if not parts[-1] and not parts[-2].endswith(("\n", "\r")):
                parts.append(table.newline)
            parts.append(_format_rows(columns, self._added, table.delimiter, table.newline))
        with atomic_write(path, binary=True) as handle:
            handle.write("".join(parts).encode(table.encoding))


def _header_columns(cells: Sequence[str]) -> list[str]:
    """Column names of a header: known names lower-cased, others as written."""
    return [c.strip().lower() if c.strip().lower() in _KNOWN else c.strip() for c in cells]


def _identity(row: dict) -> tuple[str, str, str]:
    """What makes two tag rows the same proposal: study, theme and quote."""

    def text(name: str) -> str:
        value = row.get(name)
        return value if isinstance(value, str) else ""

    return fold(text("study")), text("theme").strip(), " ".join(text("quote").split())


def _format_rows(
    columns: list[str], rows: Sequence[dict], delimiter: str = ",", newline: str = "\n"
) -> str:
    """CSV text of ``rows`` under ``columns`` (minimal quoting)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return buffer.getvalue()


def _validated_rows(table: CsvTable, collector: Collector) -> Iterator[dict[str, object]]:
    """Check header and rows; yield a dict per usable row."""
    if table.header is None:
        collector.add("tags.empty", "the tag file is empty", "warning", line=None)
        return
    written = [cell.strip() for cell in table.header.values]
    names = _header_columns(written)
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
