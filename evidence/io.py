"""Bytes to text, and text back to files safely.

Everything the library reads passes through :func:`read_text`, which turns
the bytes that Excel, reference managers and old editors write (BOMs, UTF-16,
Latin-1, NUL bytes, CRLF) into text and says what it had to do; everything it
writes passes through :func:`atomic_write`, so that a crash or ``^C`` midway
leaves the old file intact.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import dataclasses
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Literal

from .errors import InputError

__all__ = [
    "CsvRecord",
    "CsvTable",
    "DecodedText",
    "atomic_write",
    "decode_bytes",
    "read_bytes",
    "read_csv",
]

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclasses.dataclass(frozen=True)
class DecodedText:
    r"""Text decoded from a file's bytes, with notes on what decoding involved.

    Attributes
    ----------
    text : str
        The decoded text, line ends as in the file.
    encoding : str
        The codec that decoded it (``utf-8``, ``utf-8-sig``, ``utf-16``, ``cp1252``).
    notes : tuple of str
        One sentence per repair made (a fallback codec, NUL bytes removed);
        callers turn them into problems of their stage.
    newline : str
        The line end the file uses most: ``"\n"``, ``"\r\n"`` or ``"\r"``.
    """

    text: str
    encoding: str
    notes: tuple[str, ...] = ()
    newline: str = "\n"


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """Read a whole file, turning OS errors into :class:`InputError`.

    Raises
    ------
    InputError
        When the file is missing, is a directory, or cannot be read.
    """
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", file=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a directory, expected a file", file=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", file=str(path)) from exc


def _looks_utf16(data: bytes) -> Literal["utf-16-le", "utf-16-be"] | None:
    """Guess BOM-less UTF-16 from the NUL bytes every other byte of ASCII text has."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _dominant_newline(text: str) -> str:
    crlf = text.count("\r\n")
    lf = text.count("\n") - crlf
    cr = text.count("\r") - crlf
    if crlf >= lf and crlf >= cr and crlf:
        return "\r\n"
    if cr > lf:
        return "\r"
    return "\n"


def decode_bytes(data: bytes) -> DecodedText:
    r"""Decode a file's bytes to text, repairing what can be repaired.

    UTF-8 (with or without BOM) and UTF-16 (with a BOM, or detected from its
    NUL pattern) are decoded as they are; bytes that are not UTF-8 fall back
    to Windows-1252 (a superset of Latin-1 for printable text), and NUL bytes
    are removed; each repair is noted.

    Parameters
    ----------
    data : bytes
        The whole file.

    Returns
    -------
    DecodedText

    Examples
    --------
    >>> decode_bytes("Müller".encode("latin-1")).text
    'Müller'
    >>> decode_bytes(b"\xef\xbb\xbfa,b\r\n").newline
    '\r\n'
    """
    notes: list[str] = []
    encoding = next((name for bom, name in _BOMS if data.startswith(bom)), None)
    if encoding is None:
        encoding = _looks_utf16(data)
        if encoding:
            notes.append(f"decoded as {encoding} (no byte-order mark)")
    if encoding is None:
        try:
            text = data.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError as exc:
            try:
                encoding, text = "cp1252", data.decode("cp1252")
            except UnicodeDecodeError:  # bytes cp1252 leaves undefined; latin-1 maps all
                encoding, text = "latin-1", data.decode("latin-1")
            notes.append(
                f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                "decoded as Windows-1252/Latin-1: save the file as UTF-8 to be sure"
            )
    else:
        text = data.decode(encoding, errors="replace")
        if "\ufffd" in text and encoding.startswith("utf-16"):
            notes.append("some bytes are not valid UTF-16 and were replaced by U+FFFD")
    if "\x00" in text:
        notes.append(f"{text.count(chr(0))} NUL byte(s) removed")
        text = text.replace("\x00", "")
    return DecodedText(text, encoding, tuple(notes), _dominant_newline(text))


@contextlib.contextmanager
def atomic_write(
    path: str | os.PathLike[str], *, binary: bool = False, encoding: str = "utf-8"
) -> Iterator[IO]:
    r"""Open a temporary file beside ``path``; on success, replace ``path`` with it.

    The data is flushed and fsynced before ``os.replace``, so readers see the
    old file or the new one, never half of one. If the block raises
    (including ``KeyboardInterrupt``), the temporary file is deleted and the
    old file is left as it was. The new file keeps the old file's permission
    bits. Text mode writes line ends exactly as given (``newline=""``).

    Parameters
    ----------
    path : path-like
        The file to (re)write.
    binary : bool
        Yield a binary file object instead of a text one.
    encoding : str
        The text encoding (text mode only).

    Raises
    ------
    InputError
        When the directory cannot be written to.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_write(target) as handle:
    ...     _ = handle.write("a\r\n")
    >>> target.read_bytes()
    b'a\r\n'
    """
    target = Path(path)
    try:
        fd, tmp_name = tempfile.mkstemp(
            dir=target.parent or ".", prefix=f".{target.name}.", suffix=".tmp"
        )
    except OSError as exc:
        raise InputError(f"cannot write here: {exc.strerror or exc}", file=str(path)) from exc
    tmp = Path(tmp_name)
    try:
        if binary:
            handle: IO = os.fdopen(fd, "wb")
        else:
            handle = os.fdopen(fd, "w", encoding=encoding, newline="")
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            os.chmod(tmp, target.stat().st_mode & 0o7777 if target.exists() else 0o644)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_DELIMITERS = (",", ";", "\t")


@dataclasses.dataclass(frozen=True)
class CsvRecord:
    """One record of a CSV file, with where it stood and its exact text.

    Attributes
    ----------
    line : int
        1-based line on which the record starts.
    values : tuple of str
        The cells, unquoted.
    raw : str
        The record's text exactly as in the file, line end included.
    lead : str
        Blank lines standing before the record (kept for round trips).
    """

    line: int
    values: tuple[str, ...]
    raw: str
    lead: str = ""


@dataclasses.dataclass(frozen=True)
class CsvTable:
    """A CSV file split into its header and records, keeping every byte.

    Attributes
    ----------
    header : CsvRecord or None
        The first record (None for an empty file).
    records : tuple of CsvRecord
        The other records, in file order.
    trailer : str
        Blank lines after the last record.
    delimiter, newline, encoding : str
        What the file uses, so that a rewrite can use the same.
    notes : tuple of str
        Repairs made while decoding, and the delimiter when it is not a comma.
    """

    header: CsvRecord | None
    records: tuple[CsvRecord, ...]
    trailer: str
    delimiter: str
    newline: str
    encoding: str
    notes: tuple[str, ...]


def _sniff_delimiter(first_line: str) -> str:
    """The delimiter that splits the header into the most cells (ties: comma)."""
    counts = {d: len(next(csv.reader([first_line], delimiter=d), [])) for d in _DELIMITERS}
    return max(_DELIMITERS, key=lambda d: (counts[d], d == ","))


@contextlib.contextmanager
def _field_limit(size: int) -> Iterator[None]:
    """Let the csv module read cells of up to ``size`` characters, for this block only."""
    previous = csv.field_size_limit()
    csv.field_size_limit(max(previous, size))
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def read_csv(data: bytes, *, file: str | None = None) -> CsvTable:
    r"""Split a CSV file's bytes into records, noting line numbers and raw text.

    The delimiter is detected from the header (comma, semicolon as European
    Excel writes, or tab); quoted cells may hold delimiters and newlines.
    Blank lines are skipped but kept in the records' ``lead`` so that writing
    the records back gives the same bytes.

    Parameters
    ----------
    data : bytes
        The whole file.
    file : str, optional
        Its name, for errors.

    Returns
    -------
    CsvTable

    Raises
    ------
    InputError
        The csv module cannot read the file (named, with the line).

    Examples
    --------
    >>> table = read_csv(b'study;theme\r\n"Smith; Jones 2003";x\r\n')
    >>> table.delimiter, table.records[0].values, table.records[0].line
    (';', ('Smith; Jones 2003', 'x'), 2)
    """
    decoded = decode_bytes(data)
    lines = _LINE.findall(decoded.text)
    with _field_limit(len(decoded.text) + 1):  # a cell may be as long as the file
        return _split_records(decoded, lines, file)


def _split_records(decoded: DecodedText, lines: list[str], file: str | None) -> CsvTable:
    first = next((line for line in lines if line.strip()), "")
    delimiter = _sniff_delimiter(first)
    notes = list(decoded.notes)
    if delimiter != ",":
        name = "semicolon" if delimiter == ";" else "tab"
        notes.append(f"{name}-separated file (read as such)")
    reader = csv.reader(iter(lines), delimiter=delimiter, strict=False)
    records: list[CsvRecord] = []
    lead: list[str] = []
    consumed = 0
    for values in _records(reader, file):
        start, consumed = consumed, reader.line_num
        raw = "".join(lines[start:consumed])
        if not any(cell.strip() for cell in values):
            lead.append(raw)
            continue
        records.append(CsvRecord(start + 1, tuple(values), raw, "".join(lead)))
        lead = []
    header = records.pop(0) if records else None
    return CsvTable(
        header,
        tuple(records),
        "".join(lead),
        delimiter,
        decoded.newline,
        decoded.encoding,
        tuple(notes),
    )


def _records(reader: Iterator[list[str]], file: str | None) -> Iterator[list[str]]:
    """The reader's records; a malformed file raises :class:`InputError` naming its line."""
    try:
        yield from reader
    except csv.Error as exc:
        line = getattr(reader, "line_num", None)
        raise InputError(f"not a readable CSV file: {exc}", file=file, line=line) from exc
