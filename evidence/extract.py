"""Read a review's text: its sections, its author-date citations, and proposed tags.

The extractor works on plain text and Markdown as reviews, PDF conversions
and pandoc write them. It finds

- **sections**: Markdown headings, underlined headings, and the short
  title-like lines plain texts use (``Financial Uncertainty`` alone on its
  line, ``5. What Works?``);
- **citations**, in parentheses (``(Cameron & Lart 2002, Park & Turnbull
  2003)``, ``(Smith & Jones, 2003)``, ``(Sloper 2004a, 2004b)``, ``(Smith
  2003, p. 12)``, ``(Park & Turnbull, Integrated Care Network 2004)``) or
  square brackets (eLife's ``[Calton et al., 2003]``), in the narrative
  (``Johnson et al (2003) reported``, ``Webb & Vuillamy's (2001) evaluation``,
  ``the National Audit Office's (2001) guidance``), and typed without
  parentheses (``made by Gothard et al., 1996a on a linear track``); dates as
  styles print them (``Callon (1989 [1987])``, ``Rogers (1992/1993)``, APA's
  ``(Siesby, February 19, 1962)``) are read for the year a style sorts by;
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
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd

from . import schema
from .bib import Bibliography
from .citation import CORPORATE_WORDS, MAX_LENGTH, MONTH_NAMES
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

_YEAR_DIGITS = r"(?:1[6-9]\d\d|20\d\d)"
_YEAR = rf"{_YEAR_DIGITS}[a-z]?"
_NO_DATE = r"n\.\s?d\.|in press|forthcoming"
#: A date as styles print it: the year that sorts and its suffix (``printed``),
#: perhaps with another year (``1992/1993``) or the original date (``1989
#: [1987]``, escaped ``\[1987\]`` in pandoc's Markdown).
_DATE = (
    rf"(?P<printed>(?P<year>{_YEAR_DIGITS})(?:/(?:{_YEAR_DIGITS}|\d\d)(?!\d))?(?P<suffix>[a-z]?)"
    rf"|{_NO_DATE})(?:\s*\\?\[{_YEAR_DIGITS}[a-z]?\\?\])?"
)
_MONTH = rf"(?:{MONTH_NAMES})"
_LOCATOR = r"(?:pp?\.\s*)?(?:(?:\d{1,4}|[ivxlcIVXLC]{1,8}):\s?)?\d+(?:\s*[-–]\s*\d+)?"
_BARE_YEAR = re.compile(rf"^\s*{_DATE}\s*$")
_ENDS_WITH_YEAR = re.compile(
    rf"^(?P<authors>.*?)[\s,]*(?<![^\s,(]){_DATE}\s*$", re.S
)  # the year stands apart: "NCU01900" is no citation
_PROSE_AFTER_YEAR = re.compile(rf"(?<![^\s,(]){_DATE}(?P<prose>\s+[a-z][a-z\s]*)$")
_MONTH_DAY = re.compile(rf"^{_MONTH}(?P<day>\s+\d{{1,2}})?$")  # APA's dates of letters
_LOCATOR_CHUNK = re.compile(
    rf"^\s*(?:{_LOCATOR}|(?:p|pp|page|chapter|chap|ch|sec|para)\.?\s*\d+.*)\s*$"
)
_PARENS = re.compile(r"\(([^()]{1,400})\)")
_BRACKETS = re.compile(r"\[([^\[\]()]{1,400})\]")  # eLife's "[Calton et al., 2003]"
_NARRATIVE_YEAR = re.compile(
    rf"\(\s*(?:{_MONTH}\s+\d{{1,2}},\s*)?{_DATE}(?:,\s*{_MONTH}(?:\s+\d{{1,2}})?)?"
    rf"(?:\s*[,:]\s*(?P<locator>{_LOCATOR}))?\s*\)"
)
#: A callout without parentheses, as eLife's authors type some: ``made by
#: Gothard et al., 1996a on a linear track``, ``proposed by Altman and Bland, 2003``.
_COMMA_YEAR = re.compile(rf",\s+(?P<year>{_YEAR})(?!\w)")
_CALLOUT_NAMES = re.compile(r"(?:\bet al\.?|\s(?P<joined>and|&)\s+[A-Z][^\s,()]*)$")
_COMMA_BEFORE_YEAR = re.compile(rf"[^\W\d_]\.?,\s+{_YEAR}")
_LEAD_IN = re.compile(
    r"^(?:[\[{]\s*)?(?:(?:for (?:a )?reviews?,? )?see(?: also)?,?(?: e\.g\.,?)?|reviewed in|as in"
    r"|e\.g\.,?|eg,?|cf\.?|for example,?|i\.e\.,?|according to"
    r"|(?:as )?(?:described|reviewed|discussed|proposed|argued|shown|reported|summari[sz]ed"
    r"|adapted|modified|translated|taken|derived|reproduced) (?:in|by|from))\s+|^[\[{]\s*",
    re.I,
)  # and an opening bracket, as in eLife's "([Calton et al., 2003; ...])"
_POSSESSIVE = re.compile(r"(?:'s|’s|s'|s’)$")

#: Lower-case words that may stand inside an author text: particles of
#: surnames, the connectors of author lists, and the small words of
#: corporate names ("Scottish Centre for Social Research").
_PARTICLES = frozenset(DEFAULT_PARTICLES)
_CONNECTORS = frozenset(("&", "and", "et", "al", "al.", "al's", "al.'s", "al’s"))
_SMALL_WORDS = frozenset(["of", "for", "the", "on", "in", "and", "at", "og", "och", "und", "aka"])
_CONTRACTED_ARTICLE = re.compile(r"^['’][a-z]$")  # Dutch 't, 's: "van 't Veer"
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


def _year_of(date: re.Match[str]) -> str:
    """The date a style sorts by, as the resolver reads it: ``1992b`` of ``1992/1993b``."""
    if date.group("year"):
        return date.group("year") + date.group("suffix")
    return date.group("printed")


_LOWER_INITIAL = re.compile(r"[a-z]\.")


def _word_ok(word: str, *, first: bool) -> bool:
    """Whether one word may stand in an author text (Markdown emphasis ignored)."""
    word = word.strip("*_")
    bare = _POSSESSIVE.sub("", word.strip(".,"))
    low = word.lower()
    if _CONTRACTED_ARTICLE.match(word):
        return not first
    if low in _CONNECTORS or low.rstrip(".") in _PARTICLES:
        return not first or low.rstrip(".") in _PARTICLES
    if low in _SMALL_WORDS:
        return not first
    if _LOWER_INITIAL.fullmatch(word):  # "B. d. McCullough", as some bibliographies write it
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
    return any(w.strip("*_").lower() in _CONNECTORS for w in words)


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


def _trimmed(chunk: str, start: int, end: int) -> tuple[str, int, int]:
    """A chunk without its lead-in (``see``), unmatched closing brackets and prose after the year.

    ``(see Karlsson and Frank, 2008 for details)`` gives ``Karlsson and Frank``
    and ``2008``; the brackets of an original date (``1989 [1987]``) stay.
    """
    lead = _LEAD_IN.match(chunk)
    if lead:
        chunk, start = chunk[lead.end() :], start + lead.end()
    if chunk.endswith(("]", "}")):
        excess = chunk.count("]") + chunk.count("}") - chunk.count("[") - chunk.count("{")
        while excess > 0 and chunk.rstrip("]} ") and chunk[-1] in "]} ":
            excess -= chunk[-1] != " "
            chunk, end = chunk[:-1], end - 1
        end -= len(chunk) - len(chunk.rstrip())
        chunk = chunk.rstrip()
    prose = _PROSE_AFTER_YEAR.search(chunk) if chunk[-1:].islower() else None
    if prose:
        end -= len(chunk) - prose.start("prose")
        chunk = chunk[: prose.start("prose")]
    return chunk, start, end


def _citation_list(
    text: str, part: str, offset: int, last_authors: str = ""
) -> tuple[list[Occurrence], str]:
    """The citations of one ``;``-separated part of a parenthetical.

    Chunks between commas are read left to right. A chunk ending in a year
    completes a citation; single names without a year accumulate into one
    author list (``Coles, Britton & Hicks 2004``); a bare year completes the
    pending author list (APA's ``Smith & Jones, 2003``) or repeats the last
    authors (``Sloper 2004a, 2004b``); a page or number extends the last
    citation (``Smith 2003, p. 12``), and so does the month and day of APA's
    ``Siesby, 1962, February 19``, which may also stand before the year
    (``Siesby, February 19, 1962``). A complete author list without a year
    (``Park & Turnbull``) counts only when a dated citation follows it.
    """
    found: list[Occurrence] = []
    pending: tuple[str, int, int] | None = None  # author text without a year: text, start, end
    held: Occurrence | None = None  # a closed year-less citation waiting for a dated one
    for raw, raw_start, raw_end in _chunks(part, offset):
        chunk, start, end = _trimmed(raw, raw_start, raw_end)
        bare = _BARE_YEAR.match(chunk)
        if bare:
            year = _year_of(bare)
            if pending:
                authors, begin, _ = pending
                found.append(Occurrence(text[begin:end], begin, end, _normalise(authors, year)))
                last_authors, pending, held = _normalise(authors), None, None
            elif last_authors:
                found.append(Occurrence(chunk, start, end, f"{last_authors} {year}"))
            continue
        month_day = _MONTH_DAY.match(chunk)
        if month_day and pending and month_day.group("day"):
            continue  # the year follows
        if found and not pending and (month_day or _LOCATOR_CHUNK.match(chunk)):
            previous = found[-1]
            cited_as = previous.cited_as if month_day else f"{previous.cited_as}, {chunk}"
            found[-1] = Occurrence(text[previous.start : end], previous.start, end, cited_as)
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
        found.append(Occurrence(text[start:end], start, end, _normalise(authors, _year_of(dated))))
        last_authors = _normalise(authors)
    return found, last_authors


def _parenthetical(text: str) -> Iterator[Occurrence]:
    """Citations inside parentheses, or square brackets, anywhere in ``text``."""
    for container in (_PARENS, _BRACKETS):
        for match in container.finditer(text):
            offset = match.start(1)
            last_authors = ""  # "(Laitin 2013a; 2013b, chap. 3)": a year repeats the authors
            for part in re.finditer(r"[^;]+", match.group(1)):
                found, last_authors = _citation_list(
                    text, part.group(0), offset + part.start(), last_authors
                )
                yield from found


_TOKEN = re.compile(r"\S+")
_SPACE = re.compile(r"\s")
_SEGMENT_MAX_WORDS = 16  # as many words as an author text may have


def _initial_after_name(
    tokens: list[re.Match[str]], index: int, taken: list[re.Match[str]]
) -> bool:
    """Whether a capital that reads as a word (``A``) is an initial after a surname.

    Vancouver-like ``Chan A et al. (2004)``: the capital follows a name and
    an author list follows it; ``A study (2004)`` and ``A Smith (2004)`` are prose.
    """
    word = tokens[index].group(0)
    if len(word) != 1 or not word.isupper() or index == 0 or not taken:
        return False
    name = tokens[index - 1].group(0)
    follows = " ".join(t.group(0) for t in taken)
    return name not in _NOT_NAMES and _word_ok(name, first=True) and _closed(follows)


def _organisation_before(
    tokens: list[re.Match[str]], index: int, taken: list[re.Match[str]]
) -> bool:
    """Whether the words ending at ``tokens[index]`` (with its comma) begin an organisation's name.

    ``Miljø- og Teknikudvalget, Fredensborg Kommune (2006)``: the part before
    the comma shows it names a body (a small word inside it, a suspended
    compound ``Miljø-``, or a word such as ``Council``), and at least two
    words follow the comma; ``In Denmark, Smith (2006)`` is prose.
    """
    if len(taken) < 2 or _closed(" ".join(t.group(0) for t in taken)):
        return False
    segment: list[str] = []
    for token in reversed(tokens[max(0, index - _SEGMENT_MAX_WORDS) : index + 1]):
        word = token.group(0).rstrip(",")
        if (segment and token.group(0).endswith(",")) or word in _NOT_NAMES:
            break
        if not _word_ok(word, first=False):
            break
        segment.insert(0, word)
    while segment and not _word_ok(segment[0], first=True):
        segment.pop(0)
    return any(
        (i and word.lower() in _SMALL_WORDS)
        or word.endswith("-")
        or word.lower() in CORPORATE_WORDS
        for i, word in enumerate(segment)
    )


def _read_back(text: str, floor: int, stop: int) -> tuple[int, str] | None:
    """The author text that ends at ``stop``, read back word by word to ``floor``.

    Returns its start and text, or None when no author text ends there.
    """
    if stop - floor > MAX_LENGTH:  # a long sentence: no citation is longer than this
        space = _SPACE.search(text, stop - MAX_LENGTH, stop)
        floor = space.end() if space else stop
    tokens = list(_TOKEN.finditer(text, floor, stop))
    taken: list[re.Match[str]] = []
    for index in range(len(tokens) - 1, -1, -1):
        word = tokens[index].group(0)
        if (
            word.endswith(",")
            and not (taken and _closed(" ".join(t.group(0) for t in taken)))
            and not _organisation_before(tokens, index, taken)
        ):
            break
        if word.rstrip(",") in _NOT_NAMES and not _initial_after_name(tokens, index, taken):
            break
        if not _word_ok(word.rstrip(","), first=False):
            break
        taken.insert(0, tokens[index])
    while taken and (
        taken[0].group(0).lower().rstrip(",") in _SMALL_WORDS | _CONNECTORS
        or not _word_ok(taken[0].group(0).rstrip(","), first=True)
    ):
        taken.pop(0)
    if not taken:
        return None
    authors = text[taken[0].start() : taken[-1].end()]
    return (taken[0].start(), authors) if _is_author_text(authors) else None


def _narrative(text: str, sentences: list[tuple[int, int]]) -> Iterator[Occurrence]:
    """``Name (2003)`` citations: the author text is read back from the year."""
    starts = [start for start, _ in sentences]
    for match in _NARRATIVE_YEAR.finditer(text):
        index = bisect.bisect_right(starts, match.start()) - 1
        floor = sentences[index][0] if index >= 0 else 0
        author_text = _read_back(text, floor, match.start())
        if author_text:
            start, authors = author_text
            cited_as = _normalise(authors, _year_of(match), match.group("locator") or "")
            yield Occurrence(text[start : match.end()], start, match.end(), cited_as)


def _bare_callouts(
    text: str, sentences: list[tuple[int, int]], enclosed: list[Occurrence]
) -> Iterator[Occurrence]:
    """Callouts typed without parentheses: ``Gothard et al., 1996a on a linear track``.

    ``et al.,`` before the year is always a citation; ``and Frank, 2008`` only
    where the citations in parentheses (``enclosed``) put a comma before the
    year, as the text's bare callouts then do: in prose ``Britain and France,
    1968`` reads as a list and a date. Years inside ``enclosed`` are skipped.
    """
    comma_style = any(_COMMA_BEFORE_YEAR.search(o.text) for o in enclosed)
    spans = sorted((o.start, o.end) for o in enclosed)
    starts = [start for start, _ in sentences]
    for match in _COMMA_YEAR.finditer(text):
        inside = bisect.bisect_right(spans, (match.start("year"), len(text))) - 1
        if inside >= 0 and spans[inside][1] > match.start("year"):
            continue
        names = _CALLOUT_NAMES.search(text, max(0, match.start() - 80), match.start())
        if not names or (names.group("joined") and not comma_style):
            continue
        index = bisect.bisect_right(starts, match.start()) - 1
        floor = sentences[index][0] if index >= 0 else 0
        author_text = _read_back(text, floor, match.start())
        if author_text and _closed(author_text[1]):
            start, authors = author_text
            cited_as = _normalise(authors, match.group("year"))
            yield Occurrence(text[start : match.end()], start, match.end(), cited_as)


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

    Citations in parentheses or brackets come first; a narrative or bare
    callout that overlaps one of them is left out.

    Examples
    --------
    >>> text = "Costs (Cameron & Lart 2002, Park & Turnbull 2003). Johnson et al (2003) agree."
    >>> [o.cited_as for o in find_citations(text)]
    ['Cameron & Lart 2002', 'Park & Turnbull 2003', 'Johnson et al 2003']
    """
    sentences = find_sentences(text)
    enclosed = list(_parenthetical(text))
    return _without_overlaps(
        enclosed, _narrative(text, sentences), _bare_callouts(text, sentences, enclosed)
    )


def _without_overlaps(*ranked: Iterable[Occurrence]) -> list[Occurrence]:
    """Occurrences in text order, each overlapping none before it in rank.

    ``ranked`` lists the finders' results, best first: a citation in
    parentheses wins over a narrative one read across the same words.
    """
    candidates = sorted(
        ((o.start, rank, -o.end, o) for rank, found in enumerate(ranked) for o in found),
        key=lambda item: item[:3],
    )
    kept: list[tuple[int, Occurrence]] = []
    for _, rank, _, occurrence in candidates:
        if kept and occurrence.start < kept[-1][1].end:
            if rank >= kept[-1][0]:
                continue
            kept.pop()
        kept.append((rank, occurrence))
    return [occurrence for _, occurrence in kept]


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
