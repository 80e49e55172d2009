"""Load a BibTeX or BibLaTeX file into one decoded, validated frame.

bibtexparser v2 splits the file into blocks (its splitter is robust: a
broken block becomes a ``ParsingFailedBlock`` and parsing resumes at the next
``@``). We run it with an empty middleware stack and do the rest in one pass of
our own: ``@string`` macros and ``#`` concatenation are expanded (also inside
``@string`` values, which bibtexparser leaves raw), LaTeX is decoded only in
the fields we interpret, and names are split with the BibTeX rules. That pass
is several times faster than bibtexparser's own decoding and name
middlewares, and it reports each oddity as a :class:`~evidence.errors.Problem`
instead of losing it.

A parsed file is cached in memory, keyed by the SHA-256 of its bytes, so that
reloading an unchanged file costs a hash and a copy.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import re
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import bibtexparser
import pandas as pd
from bibtexparser import model

from . import schema
from .errors import Collector, Problem, Severity
from .io import decode_bytes, read_bytes
from .latex import decode_latex
from .names import author_date_label, closing_brace, is_others, parse_name, split_names
from .suggest import did_you_mean
from .vocab import EVIDENCE_TYPES, QUALITY_LEVELS

__all__ = ["Bibliography"]

#: BibTeX's predefined month macros.
_MONTHS = {
    m[:3]: m
    for m in [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
}

#: Fields tried in turn for ``container``: where the work appeared.
_CONTAINER_FIELDS = (
    "journal",
    "journaltitle",
    "booktitle",
    "publisher",
    "institution",
    "school",
    "organization",
    "howpublished",
)

#: Fields whose values become declared columns (decoded, checked); every other
#: field is kept as written, in a column of its own name (``bib_<name>`` where
#: that name is taken by a declared column, as with JabRef's ``file``).
_INTERPRETED = frozenset(
    ("title", "year", "doi", "url", "evidence_type", "country", "sector", "quality")
)
_RENAMED = {
    name: f"bib_{name}" for name in schema.COLUMNS["bibliography"] if name not in _INTERPRETED
}

_YEAR = re.compile(r"(?<!\d)(\d{4})([a-z]?)(?![\d])")
_NO_YEAR = re.compile(
    r"^\s*[\[(]?\s*(n\.?\s*d\.?|no date|s\.?\s*[df]\.?|s/f|undated|in press|in preparation|"
    r"forthcoming|submitted|to appear|accepted|unpublished)\s*[\])]?\s*$",
    re.IGNORECASE,
)
_KEY_IN_RAW = re.compile(r"@\s*\w+\s*[{(]\s*([^,\s{}()]+)\s*,")
_CACHE_SIZE = 8
_CHUNK_CHARS = 1 << 20
_CACHE: OrderedDict[tuple[str, str], tuple[pd.DataFrame, tuple[Problem, ...]]] = OrderedDict()


def _closing_quote(text: str, start: int) -> int:
    """Index just past the ``"`` closing the one at ``start``, skipping braced parts."""
    depth = 0
    for index in range(start + 1, len(text)):
        char = text[index]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth <= 0:
            return index + 1
    return len(text)


def _pieces(raw: str) -> Iterator[str]:
    """Split a raw field value on the ``#`` operators outside delimiters."""
    index, size = 0, len(raw)
    while index < size:
        char = raw[index]
        if char.isspace() or char == "#":
            index += 1
        elif char == "{":
            end = min(closing_brace(raw, index) + 1, len(raw))
            yield raw[index:end]
            index = end
        elif char == '"':
            end = _closing_quote(raw, index)
            yield raw[index:end]
            index = end
        else:
            end = index
            while end < size and not raw[end].isspace() and raw[end] != "#":
                end += 1
            yield raw[index:end]
            index = end


def _expand(raw: str, macros: dict[str, str], undefined: list[str]) -> str:
    """Evaluate a raw value: strip delimiters, expand macros, concatenate ``#``.

    Names of undefined macros are appended to ``undefined`` and kept in the
    value as written, so that nothing the user wrote disappears.
    """
    if "#" not in raw:
        if (raw[:1] == "{" and raw[-1:] == "}") or (raw[:1] == '"' and raw[-1:] == '"'):
            return raw[1:-1]
        if raw.isdigit():
            return raw
        pieces: Iterator[str] | list[str] = [raw]
    else:
        pieces = _pieces(raw)
    out = []
    for piece in pieces:
        if piece[:1] in '{"':
            out.append(piece[1:-1] if len(piece) > 1 else "")
        elif piece.isdigit():
            out.append(piece)
        else:
            value = macros.get(piece.lower())
            if value is None:
                undefined.append(piece)
                value = piece
            out.append(value)
    return "".join(out)


def _block_key(block: model.Block) -> str | None:
    """The entry key a (possibly broken) block was meant to have."""
    match = _KEY_IN_RAW.match((block.raw or "").lstrip())
    return match.group(1) if match else None


def _first_line(text: str) -> str:
    return str(text).strip().splitlines()[0] if str(text).strip() else "unknown error"


class _Reader:
    """One pass over a parsed library: entries to rows, oddities to problems."""

    def __init__(self, file: str | None, collector: Collector) -> None:
        self.file = file
        self.collector = collector
        self.macros: dict[str, str] = dict(_MONTHS)
        self.rows: list[dict[str, Any]] = []
        self.extras: list[dict[str, str]] = []
        self.seen: dict[str, int] = {}
        self.offset = 0  # lines before the chunk being read

    def line_of(self, start_line: int | None) -> int:
        """The 1-based file line of a 0-based line of the current chunk."""
        return (start_line or 0) + 1 + self.offset

    def add(self, code: str, message: str, severity: Severity = "error", **where: Any) -> None:
        self.collector.add(code, message, severity, **where)

    def read_library(self, library: bibtexparser.Library, offset: int = 0) -> None:
        """Read the blocks of one chunk that starts after ``offset`` lines of the file."""
        self.offset = offset
        for block in library.blocks:
            if isinstance(block, model.String):
                self.read_string(block)
            elif isinstance(block, model.Entry):
                self.read_entry(block)
            elif isinstance(block, model.DuplicateFieldKeyBlock):
                # typed Block | None for every failed block; for this one it is the entry
                self.read_entry(cast(model.Entry, block.ignore_error_block))
            elif isinstance(block, model.DuplicateBlockKeyBlock):
                self.duplicate_key(block.key, block.start_line)
            elif isinstance(block, model.ParsingFailedBlock):
                self.failed(block)

    def read_string(self, block: model.String) -> None:
        undefined: list[str] = []
        self.macros[block.key.lower()] = _expand(block.value, self.macros, undefined)
        line = self.line_of(block.start_line)
        for name in undefined:
            self.add(
                "bib.undefined_macro",
                f"@string {block.key} uses {name!r}, which is not defined before it",
                "warning",
                line=line,
                key=block.key,
                value=name,
            )

    def duplicate_key(self, key: str, start_line: int | None) -> None:
        line = self.line_of(start_line)
        first = self.seen.get(key)
        self.add(
            "bib.duplicate_key",
            f"duplicate key {key!r}: this entry is ignored, the first one (line {first}) is kept"
            if first
            else f"duplicate key {key!r}: this entry is ignored",
            line=line,
            key=key,
        )

    def failed(self, block: model.ParsingFailedBlock) -> None:
        key = _block_key(block)
        self.add(
            "bib.syntax",
            f"entry {key + ' ' if key else ''}could not be parsed and is left out: "
            f"{_first_line(str(block.error))}",
            line=self.line_of(block.start_line),
            key=key,
        )

    def read_entry(self, entry: model.Entry) -> None:
        key = entry.key
        line = self.line_of(entry.start_line)
        if key in self.seen:  # a duplicate-field block whose key was also taken
            self.duplicate_key(key, entry.start_line)
            return
        self.seen[key] = line
        fields: dict[str, str] = {}
        undefined: list[str] = []
        for field in entry.fields:
            name = field.key.lower()
            if name in fields:
                self.add(
                    "bib.duplicate_field",
                    f"field {field.key!r} appears twice in {key}; the first value is kept",
                    "warning",
                    line=self.line_of(field.start_line),
                    key=key,
                    column=name,
                )
                continue
            fields[name] = _expand(str(field.value), self.macros, undefined)
        for name in undefined:
            self.add(
                "bib.undefined_macro",
                f"{key} uses the macro {name!r}, which no @string defines; kept as written",
                "warning",
                line=line,
                key=key,
                value=name,
            )
        self.rows.append(self.interpret(entry.entry_type.lower(), key, line, fields))
        self.extras.append(
            {_RENAMED.get(k, k): v for k, v in fields.items() if k not in _INTERPRETED}
        )

    def interpret(self, entry_type: str, key: str, line: int, fields: dict[str, str]) -> dict:
        """Derive the frame's declared columns from an entry's expanded fields."""
        names_raw = fields.get("author") or fields.get("editor") or ""
        raw_names = split_names(names_raw)
        et_al = bool(raw_names) and is_others(raw_names[-1])
        if et_al:
            raw_names = raw_names[:-1]
        surnames = tuple(parse_name(n).surname for n in raw_names)
        surnames = tuple(s for s in surnames if s)
        if not surnames:
            self.add(
                "bib.missing_author",
                f"{key} has no author or editor",
                "warning",
                line=line,
                key=key,
            )
        year, suffix = self.year(key, line, fields)
        evidence_type = self.vocabulary(key, line, fields, "evidence_type", EVIDENCE_TYPES)
        quality = self.vocabulary(key, line, fields, "quality", QUALITY_LEVELS)
        container = next((fields[f] for f in _CONTAINER_FIELDS if fields.get(f)), None)
        return {
            "key": key,
            "entry_type": entry_type,
            "authors": surnames,
            "first_author": surnames[0] if surnames else None,
            "n_authors": len(surnames),
            "year": year,
            "year_suffix": suffix or None,
            "title": _decoded(fields.get("title")),
            "container": _decoded(container),
            "doi": _stripped(fields.get("doi")),
            "url": _stripped(fields.get("url")),
            "label": author_date_label(surnames, year, suffix, et_al=et_al) or None,
            "evidence_type": evidence_type,
            "country": _decoded(fields.get("country")),
            "sector": _decoded(fields.get("sector")),
            "quality": quality,
            "file": self.file,
            "line": line,
        }

    def year(self, key: str, line: int, fields: dict[str, str]) -> tuple[int | None, str]:
        """Year and suffix from ``year``, or from biblatex ``date`` when absent.

        ``n.d.``, ``in press``, ``forthcoming`` and the like mean "no year yet":
        reported as a missing year. Any other text without a four-digit year
        is reported as a bad year.
        """
        for name in ("year", "date"):
            text = fields.get(name, "").strip()
            if not text:
                continue
            decoded = decode_latex(text)
            match = _YEAR.search(decoded)
            if match:
                return int(match.group(1)), match.group(2) if name == "year" else ""
            if _NO_YEAR.match(decoded):
                self.add(
                    "bib.missing_year",
                    f"{key} has {name} {decoded!r}: no year to cite it by",
                    "warning",
                    line=line,
                    key=key,
                    column=name,
                    value=decoded,
                )
            else:
                self.add(
                    "bib.bad_year",
                    f"{key} has {name} {text!r}, which holds no four-digit year",
                    "warning",
                    line=line,
                    key=key,
                    column=name,
                    value=text,
                    expected="a year such as 2003 or 2003a",
                )
            return None, ""
        self.add("bib.missing_year", f"{key} has no year or date", "warning", line=line, key=key)
        return None, ""

    def vocabulary(
        self, key: str, line: int, fields: dict[str, str], name: str, allowed: tuple[str, ...]
    ) -> str | None:
        """A controlled-vocabulary field, checked; unknown values are kept and reported."""
        value = _decoded(fields.get(name))
        if value is None:
            return None
        normal = value.strip().lower().replace("-", "_").replace(" ", "_")
        if normal in allowed:
            return normal
        self.add(
            f"bib.unknown_{name}",
            f"{key} has {name} {value!r}, not one of {', '.join(allowed)}"
            f"{did_you_mean(value, allowed)}",
            line=line,
            key=key,
            column=name,
            value=value,
            expected=" | ".join(allowed),
        )
        return value

    def frame(self) -> pd.DataFrame:
        """The rows read so far as the bibliography frame (the row lists are released)."""
        declared = pd.DataFrame(self.rows, columns=list(schema.COLUMNS["bibliography"]))
        self.rows = []
        if any(self.extras):
            others = pd.DataFrame(self.extras, index=declared.index)
            self.extras = []
            declared = pd.concat([declared, others], axis=1)
        return schema.conform(declared, "bibliography")


def _decoded(value: str | None) -> str | None:
    if value is None:
        return None
    text = decode_latex(value)
    return text or None


def _stripped(value: str | None) -> str | None:
    if value is None:
        return None
    return value.strip() or None


def _chunks(text: str, size: int = _CHUNK_CHARS) -> Iterator[tuple[str, int]]:
    """Cut ``text`` into pieces of about ``size`` characters at lines starting with ``@``.

    bibtexparser itself ends a block at a line that starts with ``@`` (a
    broken entry is reported and the next one read), so parsing the pieces
    one by one gives the blocks parsing the whole would, while only one
    piece's blocks are in memory at a time. Yields each piece and the number
    of lines before it.
    """
    start, lines = 0, 0
    while start < len(text):
        cut = text.find("\n@", start + size) if start + size < len(text) else -1
        end = len(text) if cut < 0 else cut + 1
        yield text[start:end], lines
        lines += text.count("\n", start, end)
        start = end


def _parse(data: bytes, file: str | None, collector: Collector) -> pd.DataFrame:
    """Decode, split and read a file's bytes, a chunk at a time.

    Macros, keys seen and line numbers carry over from chunk to chunk, so
    the result is that of one pass over the whole file; only one chunk's
    blocks are held at once, which bounds the peak memory of large files.
    """
    decoded = decode_bytes(data)
    for note in decoded.notes:
        collector.add("bib.encoding", note, "warning")
    empty = not decoded.text.strip()
    reader = _Reader(file, collector)
    logger = logging.getLogger("bibtexparser")
    previous = logger.level
    logger.setLevel(logging.ERROR)  # its per-block warnings repeat our problems
    try:
        for chunk, offset in _chunks(decoded.text):
            reader.read_library(bibtexparser.parse_string(chunk, parse_stack=[]), offset)
    finally:
        logger.setLevel(previous)
    del decoded
    if not reader.rows:
        collector.add(
            "bib.empty",
            "no BibTeX entries found" + (": the file is empty" if empty else ""),
            "warning",
            line=None,
        )
    return reader.frame()


class Bibliography:
    """A bibliography: one decoded row per entry, and the problems found.

    Build one with :meth:`from_file` or :meth:`from_string`; the object does
    not change after loading.

    Attributes
    ----------
    file : str or None
        The file it was read from.
    problems : tuple of Problem
        Everything odd found while loading (``bib.syntax``,
        ``bib.duplicate_key``, ``bib.missing_year``, ...), in file order.

    Examples
    --------
    >>> bib = Bibliography.from_string('''
    ... @article{rushmer2002, author = {Rushmer, Rosemary and Pallis, George},
    ...   title = {Inter-professional working}, year = 2002}
    ... @techreport{nao2001, author = {{National Audit Office}}, year = {2001}}
    ... ''')
    >>> bib.entries["label"].tolist()
    ['Rushmer & Pallis 2002', 'National Audit Office 2001']
    """

    def __init__(
        self, entries: pd.DataFrame, problems: tuple[Problem, ...], file: str | None = None
    ) -> None:
        self._entries = entries
        self.problems = problems
        self.file = file

    @classmethod
    def from_file(cls, path: str | os.PathLike[str], *, strict: bool = False) -> Bibliography:
        """Read a ``.bib`` file (any common encoding).

        Parameters
        ----------
        path : path-like
            The BibTeX or BibLaTeX file.
        strict : bool
            Raise instead of collecting problems.

        Returns
        -------
        Bibliography

        Raises
        ------
        InputError
            The file is missing or unreadable.
        ValidationError
            ``strict=True`` and the file has errors (broken or duplicate entries,
            unknown vocabulary).
        """
        data = read_bytes(path)
        return cls._from_bytes(data, str(path), strict=strict)

    @classmethod
    def from_string(
        cls, text: str, *, strict: bool = False, file: str | None = None
    ) -> Bibliography:
        """Read BibTeX from a string; ``file`` names it in problems."""
        return cls._from_bytes(text.encode("utf-8", "surrogatepass"), file, strict=strict)

    @classmethod
    def _from_bytes(cls, data: bytes, file: str | None, *, strict: bool) -> Bibliography:
        cache_key = (hashlib.sha256(data).hexdigest(), file or "")
        cached = _CACHE.get(cache_key)
        if cached is None:
            collector = Collector(file=file)
            frame = _parse(data, file, collector)
            cached = (frame, collector.problems)
            _CACHE[cache_key] = cached
            while len(_CACHE) > _CACHE_SIZE:
                _CACHE.popitem(last=False)
        else:
            _CACHE.move_to_end(cache_key)
        frame, problems = cached
        final = Collector(strict=strict, file=file)
        final.extend(problems)
        return cls(frame, final.finish(f"bibliography {Path(file).name if file else ''}"), file)

    @property
    def entries(self) -> pd.DataFrame:
        """One row per entry, in file order (a copy: change it freely)."""
        return self._entries.copy()

    @property
    def keys(self) -> list[str]:
        """The entry keys, in file order."""
        return self._entries["key"].tolist()

    def __len__(self) -> int:
        return len(self._entries)

    @functools.cached_property
    def _key_set(self) -> frozenset[str]:
        return frozenset(self._entries["key"])

    def __contains__(self, key: object) -> bool:
        return key in self._key_set

    def __repr__(self) -> str:
        errors = sum(p.severity == "error" for p in self.problems)
        name = f" {Path(self.file).name}" if self.file else ""
        return (
            f"<Bibliography{name}: {len(self)} entries, {errors} errors, "
            f"{len(self.problems) - errors} warnings>"
        )
