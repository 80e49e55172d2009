"""Read a review's text: its sections, its author-date citations, and proposed tags.

The extractor works on plain text and Markdown as reviews, PDF conversions
and pandoc write them. It finds

- **sections**: Markdown headings, underlined headings, and the short
  title-like lines plain texts use (``Financial Uncertainty`` alone on its
  line, ``5. What Works?``);
- **citations**, in parentheses (``(Cameron & Lart 2002, Park & Turnbull
  2003)``, ``(Smith & Jones, 2003)``, ``(Sloper 2004a, 2004b)``, ``(Smith
  2003, p. 12)``, ``(Park & Turnbull, Integrated Care Network 2004)``) and in
  the narrative (``Johnson et al (2003) reported``, ``Webb & Vuillamy's (2001)
  evaluation``, ``the National Audit Office's (2001) guidance``);
- the **sentence** each stands in.

It never guesses what a garbled citation meant: it reports what is written
(``citation``, with its offsets) and the normalised form the resolver is
given (``cited_as``); the resolver then says what it can and cannot match.
"""

from __future__ import annotations

import bisect
import dataclasses
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from . import schema
from .bib import Bibliography
from .io import decode_bytes, read_bytes
from .resolve import resolve
from .settings import DEFAULT_PARTICLES, ResolverSettings
from .themes import Themes

__all__ = [
    "Occurrence",
    "extract",
    "find_citations",
    "find_sections",
    "find_sentences",
]

_RESOLVED = ("key", "status", "reason")

_YEAR = r"(?:1[6-9]\d\d|20\d\d)[a-z]?"
_NO_DATE = r"n\.\s?d\.|in press|forthcoming"
_YEARISH = rf"(?:{_YEAR}|{_NO_DATE})"
_LOCATOR = r"(?:pp?\.\s*)?\d+(?:\s*[-–]\s*\d+)?"
_BARE_YEAR = re.compile(rf"^\s*({_YEARISH})\s*$")
_ENDS_WITH_YEAR = re.compile(
    rf"^(?P<authors>.*?)[\s,]*(?<![^\s,(])(?P<year>{_YEARISH})\s*$", re.S
)  # the year stands apart: "NCU01900" is no citation
_LOCATOR_CHUNK = re.compile(
    rf"^\s*(?:{_LOCATOR}|(?:p|pp|page|chapter|chap|ch|sec|para)\.?\s*\d+.*)\s*$"
)
_PARENS = re.compile(r"\(([^()]{1,400})\)")
_NARRATIVE_YEAR = re.compile(rf"\(\s*({_YEARISH})(?:\s*[,:]\s*({_LOCATOR}))?\s*\)")
_LEAD_IN = re.compile(
    r"^(?:[\[{]\s*)?(?:(?:for (?:a )?reviews?,? )?see(?: also)?,?(?: e\.g\.,?)?|reviewed in|as in"
    r"|e\.g\.,?|eg,?|cf\.?|for example,?|i\.e\.,?)\s+|^[\[{]\s*",
    re.I,
)  # and an opening bracket, as in eLife's "([Calton et al., 2003; ...])"
_POSSESSIVE = re.compile(r"(?:'s|’s|s'|s’)$")

#: Lower-case words that may stand inside an author text: particles of
#: surnames, the connectors of author lists, and the small words of
#: corporate names ("Scottish Centre for Social Research").
_PARTICLES = frozenset(DEFAULT_PARTICLES)
_CONNECTORS = frozenset(("&", "and", "et", "al", "al.", "al's", "al.'s", "al’s"))
_SMALL_WORDS = frozenset(["of", "for", "the", "on", "in", "and", "at"])
_ORDINALS = frozenset(["st", "nd", "rd", "th"])
#: Capitalised words that start sentences but never name an author.
_NOT_NAMES = frozenset(
    [
        "The",
        "This",
        "These",
        "That",
        "Those",
        "In",
        "For",
        "As",
        "However",
        "Similarly",
        "Thus",
        "Also",
        "And",
        "But",
        "While",
        "Whereas",
        "According",
        "See",
        "Both",
        "Recent",
        "A",
        "An",
        "On",
        "At",
        "By",
        "From",
        "With",
        "Although",
        "Moreover",
        "Furthermore",
        "Indeed",
        "Here",
        "There",
        "It",
        "We",
        "They",
        "Our",
        "Their",
        "Such",
        "Further",
        "Finally",
        "First",
        "Second",
        "Third",
        "Other",
        "Some",
        "Many",
        "Most",
        "When",
        "Where",
        "If",
        "Since",
        "Because",
        "Despite",
    ]
)
_HEADING_MAX_WORDS = 20  # eLife titles run to 16 words
_ABBREVIATIONS = frozenset(
    [
        "al",
        "e.g",
        "i.e",
        "cf",
        "p",
        "pp",
        "dr",
        "mr",
        "mrs",
        "ms",
        "prof",
        "st",
        "vs",
        "no",
        "vol",
        "ed",
        "eds",
        "fig",
        "ch",
        "approx",
    ]
)


@dataclasses.dataclass(frozen=True)
class Occurrence:
    """One citation as it stands in the text.

    Attributes
    ----------
    text : str
        Exactly what the text says (``Webb & Vuillamy's (2001)``, ``2004b``).
    start, end : int
        Character offsets of ``text`` in the document.
    cited_as : str
        The citation in author-date form, as the resolver reads it
        (``Webb & Vuillamy 2001``, ``Sloper 2004b``).
    """

    text: str
    start: int
    end: int
    cited_as: str


def _word_ok(word: str, *, first: bool) -> bool:
    """Whether one word may stand in an author text (Markdown emphasis ignored)."""
    word = word.strip("*_")
    bare = _POSSESSIVE.sub("", word.strip(".,"))
    low = word.lower()
    if low in _CONNECTORS or low.rstrip(".") in _PARTICLES:
        return not first or low.rstrip(".") in _PARTICLES
    if low in _SMALL_WORDS:
        return not first
    if not bare:
        return False
    if bare[0].isdigit():  # "21st Century Social Work"
        return bool(re.match(r"^\d+(?:st|nd|rd|th)?$", bare)) and first
    if low in _ORDINALS:  # "21 st Century", as PDF conversions split it
        return not first
    return bare[0].isupper()


def _is_author_text(text: str, *, parenthetical: bool = False) -> bool:
    """Whether ``text`` reads as the author part of a citation.

    In parentheses a leading "The" may open a corporate author (``The Lancet
    2010``); in the narrative it starts a sentence.
    """
    words = [w for w in text.replace(",", " ").replace("*", " ").split() if w.strip("_")]
    if not words or len(words) > 16:
        return False
    if parenthetical and words[0] == "The":
        words = words[1:]
    if not words or words[0] in _NOT_NAMES:
        return False
    if not all(_word_ok(w, first=(i == 0)) for i, w in enumerate(words)):
        return False
    # at least one name that is more than an initial ("Weber, M. (1978)" in a reference list)
    return any(w[0].isupper() and len(w.strip(".,")) > 1 and "." not in w[:-1] for w in words)


def _closed(authors: str) -> bool:
    """Whether an author text is complete: it joins names with & or and, or says et al."""
    words = authors.replace(",", " ").split()
    return any(w.lower() in _CONNECTORS for w in words)


def _normalise(authors: str, year: str = "", locator: str = "") -> str:
    """``authors year, locator`` with possessives, emphasis and doubled spaces removed."""
    authors = authors.replace("*", "")
    words = [
        _POSSESSIVE.sub("", w) if i == len(authors.split()) - 1 else w
        for i, w in enumerate(authors.split())
    ]
    text = " ".join(words).strip(" ,")
    text = re.sub(r"\s+,", ",", text)
    out = f"{text} {year}".strip()
    return f"{out}, {locator}" if locator else out


def _chunks(content: str, offset: int) -> Iterator[tuple[str, int, int]]:
    """Split a citation list on ``,``, yielding (text, start, end), stripped."""
    for match in re.finditer(r"[^,]+", content):
        raw = match.group(0)
        stripped = raw.strip()
        if stripped:
            start = offset + match.start() + (len(raw) - len(raw.lstrip()))
            yield stripped, start, start + len(stripped)


def _citation_list(
    text: str, part: str, offset: int, last_authors: str = ""
) -> tuple[list[Occurrence], str]:
    """The citations of one ``;``-separated part of a parenthetical.

    Chunks between commas are read left to right. A chunk ending in a year
    completes a citation; single names without a year accumulate into one
    author list (``Coles, Britton & Hicks 2004``); a bare year completes the
    pending author list (APA's ``Smith & Jones, 2003``) or repeats the last
    authors (``Sloper 2004a, 2004b``); a page or number extends the last
    citation (``Smith 2003, p. 12``). A complete author list without a year
    (``Park & Turnbull``) counts only when a dated citation follows it.
    """
    found: list[Occurrence] = []
    pending: tuple[str, int, int] | None = None  # author text without a year: text, start, end
    held: Occurrence | None = None  # a closed year-less citation waiting for a dated one
    for chunk, start, end in _chunks(part, offset):
        lead = _LEAD_IN.match(chunk)
        if lead:
            chunk, start = chunk[lead.end() :], start + lead.end()
        closing = len(chunk) - len(chunk.rstrip("]} "))
        if closing and chunk.rstrip("]} "):
            chunk, end = chunk[:-closing], end - closing
        if _BARE_YEAR.match(chunk):
            if pending:
                authors, begin, _ = pending
                found.append(Occurrence(text[begin:end], begin, end, _normalise(authors, chunk)))
                last_authors, pending, held = _normalise(authors), None, None
            elif last_authors:
                found.append(Occurrence(chunk, start, end, f"{last_authors} {chunk}"))
            continue
        if found and not pending and _LOCATOR_CHUNK.match(chunk):
            previous = found[-1]
            found[-1] = Occurrence(
                text[previous.start : end], previous.start, end, f"{previous.cited_as}, {chunk}"
            )
            continue
        dated = _ENDS_WITH_YEAR.match(chunk)
        authors = dated.group("authors") if dated else chunk
        if pending and not _closed(pending[0]):
            authors, start = f"{pending[0]}, {authors}", pending[1]
        elif pending:
            held = Occurrence(text[pending[1] : pending[2]], pending[1], pending[2], pending[0])
        pending = None
        if not _is_author_text(authors, parenthetical=True):
            held, last_authors = None, ""
            continue
        if not dated:
            pending = (authors, start, end)
            continue
        if held:
            found.append(held)
            held = None
        found.append(
            Occurrence(text[start:end], start, end, _normalise(authors, dated.group("year")))
        )
        last_authors = _normalise(authors)
    return found, last_authors


def _parenthetical(text: str) -> Iterator[Occurrence]:
    """Citations inside parentheses anywhere in ``text``."""
    for match in _PARENS.finditer(text):
        offset = match.start(1)
        last_authors = ""  # "(Laitin 2013a; 2013b, chap. 3)": a year repeats the authors
        for part in re.finditer(r"[^;]+", match.group(1)):
            found, last_authors = _citation_list(
                text, part.group(0), offset + part.start(), last_authors
            )
            yield from found


_TOKEN = re.compile(r"\S+")


def _narrative(text: str, sentences: list[tuple[int, int]]) -> Iterator[Occurrence]:
    """``Name (2003)`` citations: the author text is read back from the year."""
    starts = [start for start, _ in sentences]
    for match in _NARRATIVE_YEAR.finditer(text):
        index = bisect.bisect_right(starts, match.start()) - 1
        floor = sentences[index][0] if index >= 0 else 0
        before = list(_TOKEN.finditer(text, floor, match.start()))
        taken: list[re.Match[str]] = []
        for token in reversed(before):
            word = token.group(0)
            if word.endswith(",") and not (taken and _closed(" ".join(t.group(0) for t in taken))):
                break
            if word.rstrip(",") in _NOT_NAMES or not _word_ok(word.rstrip(","), first=False):
                break
            taken.insert(0, token)
        while taken and (
            taken[0].group(0).lower().rstrip(",") in _SMALL_WORDS | _CONNECTORS
            or not _word_ok(taken[0].group(0).rstrip(","), first=True)
        ):
            taken.pop(0)
        if not taken:
            continue
        authors = text[taken[0].start() : taken[-1].end()]
        if not _is_author_text(authors):
            continue
        year, locator = match.group(1), match.group(2) or ""
        start, end = taken[0].start(), match.end()
        yield Occurrence(text[start:end], start, end, _normalise(authors, year, locator))


def find_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of ``text``, in order.

    Sentences end at ``.``, ``!`` or ``?`` followed by space and a capital,
    a digit, a quote or a parenthesis, except after abbreviations (``et al.``,
    ``e.g.``, ``p.``, initials); blank lines and headings end them too.

    Examples
    --------
    >>> text = "Johnson et al. (2003) found it. W. J. Freeman agreed. Then?"
    >>> [text[s:e] for s, e in find_sentences(text)]
    ['Johnson et al. (2003) found it.', 'W. J. Freeman agreed.', 'Then?']
    """
    spans = []
    for block in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text):
        start = block.start()
        for boundary in re.finditer(r"[.!?][\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])", block.group(0)):
            stop = block.start() + boundary.start()  # the full stop (or ? or !)
            word = re.search(r"(\S+)$", text[max(start, stop - 40) : stop])
            previous = word.group(1).lower().lstrip('("“') if word else ""
            if previous in _ABBREVIATIONS or re.fullmatch(r"[a-z]", previous):
                continue
            spans.append((start, stop + len(boundary.group(0).rstrip())))
            start = block.start() + boundary.end()
        if text[start : block.end()].strip():
            spans.append((start, block.end()))
    return spans


def find_citations(text: str) -> list[Occurrence]:
    """Every author-date citation in ``text``, in order of position.

    Examples
    --------
    >>> text = "Costs (Cameron & Lart 2002, Park & Turnbull 2003). Johnson et al (2003) agree."
    >>> [o.cited_as for o in find_citations(text)]
    ['Cameron & Lart 2002', 'Park & Turnbull 2003', 'Johnson et al 2003']
    """
    sentences = find_sentences(text)
    found = {o.start: o for o in _parenthetical(text)}
    for occurrence in _narrative(text, sentences):
        found.setdefault(occurrence.start, occurrence)
    return [found[start] for start in sorted(found)]


_MARKDOWN_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")
_UNDERLINE = re.compile(r"^\s*(?:=+|-+)\s*$")
_NUMBERING = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?|[IVXLC]+\.|[A-Z]\.)\s+")


def _title_like(line: str) -> bool:
    """Whether a line standing alone reads as a heading rather than a sentence."""
    words = line.split()
    if not words or len(words) > _HEADING_MAX_WORDS or len(line) > 100:
        return False
    if line.rstrip()[-1] in ".,;:" or _PARENS.search(line):
        return False
    first = _NUMBERING.sub("", line).lstrip("\"'“‘")
    return bool(first) and (first[0].isupper() or first[0].isdigit())


def find_sections(text: str) -> list[tuple[int, str]]:
    r"""Headings of ``text`` as ``(offset, heading as written)``, in order.

    A heading is a Markdown ``#`` line, a line underlined with ``===`` or
    ``---``, or a short title-like line (at most twenty words, no closing
    period or comma) that stands alone between blank lines, as plain texts
    and PDF conversions write them.

    Examples
    --------
    >>> find_sections("5. What Works?\n\nText here.\n\nFinancial Uncertainty\n\nMore text.\n")
    [(0, '5. What Works?'), (28, 'Financial Uncertainty')]
    """
    lines = list(re.finditer(r"[^\n]*\n?", text))
    lines = [m for m in lines if m.group(0)]
    found = []
    for index, match in enumerate(lines):
        line = match.group(0).strip()
        if not line:
            continue
        previous = lines[index - 1].group(0).strip() if index else ""
        following = lines[index + 1].group(0).strip() if index + 1 < len(lines) else ""
        heading = _MARKDOWN_HEADING.match(line)
        if heading:
            found.append((match.start() + match.group(0).index(heading.group(1)), heading.group(1)))
        elif (following and _UNDERLINE.match(following) and not previous) or (
            not previous and not following and _title_like(line) and not _UNDERLINE.match(line)
        ):
            found.append((match.start() + match.group(0).index(line), line))
    return found


def _theme_of(heading: str, themes: Themes | None) -> str | None:
    """The theme a heading names: exactly (id, label, synonym) or by a close spelling."""
    if themes is None or not heading:
        return None
    bare = _NUMBERING.sub("", heading).strip()
    found = themes.match(bare)
    return found.id if found else None


def _read(source: str | os.PathLike[str]) -> tuple[str, str]:
    """The text and the document name of what :func:`extract` was given."""
    looks_like_path = isinstance(source, os.PathLike) or (
        "\n" not in source and len(source) < 4096 and Path(source).suffix in {".txt", ".md"}
    )
    if looks_like_path:
        path = Path(source)
        return decode_bytes(read_bytes(path)).text, path.name
    return str(source), ""


def extract(
    source: str | os.PathLike[str],
    bibliography: Bibliography | None = None,
    themes: Themes | None = None,
    *,
    document: str | None = None,
    settings: ResolverSettings | None = None,
) -> pd.DataFrame:
    r"""Find every author-date citation of a review's text, with its section.

    Parameters
    ----------
    source : str or path-like
        The text itself, or a ``.txt`` / ``.md`` file.
    bibliography : Bibliography, optional
        When given, each citation is resolved (``key``, ``status``, ``reason``).
    themes : Themes, optional
        When given, each section heading is matched to a theme (``theme``).
    document : str, optional
        The name to report in ``document`` (default: the file's name).
    settings : ResolverSettings, optional
        Thresholds of the resolver.

    Returns
    -------
    pandas.DataFrame
        One row per citation occurrence, in text order: ``document, section,
        theme, citation`` (exactly as written), ``start, end`` (character
        offsets), ``sentence``, ``cited_as`` (the author-date form the
        resolver reads), and ``key, status, reason``.

    Raises
    ------
    InputError
        A file that is missing or unreadable.

    Examples
    --------
    >>> frame = extract("Costs\n\nBudgets hurt (Smith & Jones, 2003).\n")
    >>> frame[["section", "citation", "cited_as"]].values.tolist()
    [['Costs', 'Smith & Jones, 2003', 'Smith & Jones 2003']]
    """
    text, name = _read(source)
    sections = find_sections(text)
    section_starts = [offset for offset, _ in sections]
    sentences = find_sentences(text)
    sentence_starts = [start for start, _ in sentences]
    rows = []
    for occurrence in find_citations(text):
        index = bisect.bisect_right(section_starts, occurrence.start) - 1
        heading = sections[index][1] if index >= 0 else ""
        s_index = bisect.bisect_right(sentence_starts, occurrence.start) - 1
        s_start, s_end = sentences[s_index] if s_index >= 0 else (0, len(text))
        rows.append(
            {
                "document": document if document is not None else name,
                "section": heading,
                "theme": _theme_of(heading, themes),
                "citation": occurrence.text,
                "start": occurrence.start,
                "end": occurrence.end,
                "sentence": " ".join(text[s_start:s_end].split()),
                "cited_as": occurrence.cited_as,
            }
        )
    frame = pd.DataFrame(
        rows, columns=[c for c in schema.COLUMNS["extraction"] if c not in _RESOLVED]
    )
    if bibliography is not None and len(frame):
        resolved = resolve(frame["cited_as"].tolist(), bibliography, settings=settings)
        for column in _RESOLVED:
            frame[column] = resolved[column].to_numpy()
    return schema.conform(frame, "extraction")
