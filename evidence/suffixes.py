"""How author-date styles order the works that take year suffixes, and the letters.

CSL styles give ``2004a``, ``2004b`` ... to works whose citations print alike,
in the order of the reference list: by the authors' names, then the date
(Chicago with the month, APA and Harvard the year only), then the title. The
programs that print them differ on how they read a title (a leading "The",
punctuation, case and accents), so :func:`order_keys` gives an entry's sort key
under every reading a :class:`~evidence.settings.ResolverSettings` allows, and
the resolver keeps a suffix only where all of them agree.
"""

from __future__ import annotations

import itertools
import re
import string
from collections.abc import Callable, Iterator
from typing import Any

from .names import fold, strip_accents
from .settings import ResolverSettings

__all__ = ["TITLE_READINGS", "letter_rank", "month_day", "order_keys", "suffix_letters"]

_ARTICLE = re.compile(r"^(?:a|an|the)\s+")
_MONTHS = dict(zip("jan feb mar apr may jun jul aug sep oct nov dec".split(), range(1, 13)))  # noqa: B905, SIM905
_ISO_DATE = re.compile(r"\s*\d{4}-(\d{1,2})(?:-(\d{1,2}))?")


_QUOTES = re.compile(r"(?<!\S)[\"'‘’“”]+|[\"'‘’“”]+(?=[\s,.;:!?)]|$)")


def _plain(text: str) -> str:
    """Casefolded text without accents or quotation marks: where every reading below starts.

    Quotation marks around words go (pandoc reads ``'free word order'`` as a
    quotation, not as text); an apostrophe inside a word stays.
    """
    return _QUOTES.sub("", strip_accents(text).casefold())


_NOT_ALNUM = re.compile(r"[\W_]")  # neither a letter nor a digit
#: Punctuation in the order of the Unicode Collation Algorithm's default table;
#: any other mark sorts after these, and all of them before digits and letters.
_PUNCTUATION_ORDER = "_-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$"
_OTHER_MARK = chr(2 + len(_PUNCTUATION_ORDER))
#: Spaces and ASCII punctuation to their ranks (spaces first), for ``str.translate``.
_RANKS = {ord(c): chr(2 + i) for i, c in enumerate(_PUNCTUATION_ORDER)} | {
    ord(c): "\x01" for c in " \t\n\r\f\v"
}
#: The same, with every ASCII letter and digit read as one rank above them all.
_SHAPE = _RANKS | {ord(c): "\x7f" for c in string.ascii_lowercase + string.digits}
_OTHER_NOT_ALNUM = re.compile(r"[^\x00-\x7f\w]|_")  # non-ASCII marks; "_" is ranked


def _ranked(text: str, table: dict[int, str]) -> str:
    """``text`` with its spaces and punctuation replaced by their ranks below letters."""
    ranked = text.translate(table)
    return ranked if ranked.isascii() else _OTHER_NOT_ALNUM.sub(_OTHER_MARK, ranked)


def _punctuation_first(title: str) -> str:
    """A title's sort key with spaces and punctuation kept, ranked before digits and letters.

    So the Unicode Collation Algorithm's default table ranks them:
    ``GAIA Erratum`` sorts before ``GAIA.``.
    """
    return _ranked(_plain(title), _RANKS)


def _punctuation_dropped(title: str) -> str:
    """A title's sort key with punctuation removed and spaces kept: ``N.Pa-O`` is ``npao``."""
    return re.sub(r"[^\w\s]|_", "", _plain(title))


_WORD_BREAKS = re.compile(r"(?:[\s,]|(?<=\S)['’])+")  # "'Mexican'" opens a quote: no break


def _pandoc_words(title: str) -> tuple[tuple[str, str], ...]:
    """A title's sort key as pandoc's citeproc compares titles (2.17, measured).

    Words split at spaces, commas and apostrophes (not at a quotation mark
    that opens a word), compared one by one: first by their letters and
    digits (case and accents aside), then by their other characters, each
    sorting before a letter, in the Unicode default order (``list-`` before
    ``list:``). So ``Gaia Erratum.`` sorts before ``Gaia.``
    (``gaia`` before ``gaia.``), ``notesjottings`` before ``N.Pa-O``
    (``npao``) and ``Ch'iang`` before ``Chart`` (``ch`` before ``chart``). This
    reproduces the order pandoc gave 632 undated works of one author in the
    resolver benchmark; none of the other readings comes close.
    """
    return tuple(
        (_NOT_ALNUM.sub("", word), _ranked(word, _SHAPE))
        for word in _WORD_BREAKS.split(_plain(title).strip())
    )


#: How programs read a title when they sort by it: as pandoc's citeproc does,
#: punctuation read as a space (:func:`evidence.names.fold`), dropped, or kept
#: and ranked first. ``ResolverSettings.title_collation="any"`` tries them all.
TITLE_READINGS: dict[str, tuple[Callable[[str], Any], ...]] = {
    "any": (_pandoc_words, fold, _punctuation_dropped, _punctuation_first),
    "pandoc": (_pandoc_words,),
}


def suffix_letters() -> Iterator[str]:
    """Yield ``a`` ... ``z``, then ``aa``, ``ab`` ... without end, as CSL continues past 26."""
    for length in itertools.count(1):
        for letters in itertools.product("abcdefghijklmnopqrstuvwxyz", repeat=length):
            yield "".join(letters)


def month_day(month: Any, date: Any, day: Any) -> tuple[int, int]:
    """Month and day (0 when unknown) from the ``date``, ``month`` and ``day`` fields."""
    m = d = 0
    if isinstance(date, str) and (found := _ISO_DATE.match(date)):
        m, d = int(found.group(1)), int(found.group(2) or 0)
    if not m and isinstance(month, str):
        text = month.strip().lower()
        m = _MONTHS.get(text[:3], int(text) if text.isdigit() and int(text) <= 12 else 0)
    if not d and isinstance(day, str) and day.strip().isdigit():
        d = int(day)
    return m, d


def letter_rank(letter: str) -> int:
    """Position of a suffix among ``a`` ... ``z``, ``aa`` ...: ``a`` is 0, ``aa`` is 26."""
    value = 0
    for char in letter:
        value = value * 26 + ord(char) - ord("a")
    return sum(26**length for length in range(1, len(letter))) + value


#: Whether APA 7's CSL sorts works of a BibTeX type by full date (True) or year
#: (False) under each of two readings: "by issue date as printed", so by year
#: for the types its ``date-sort`` macro lists (as pandoc maps BibTeX types to
#: CSL's), by full date for ``@misc`` and ``@online`` (pandoc's rendering says
#: so); other types either way. Two readings for every type, so that the keys of
#: a group's works at one position compare under one reading.
_APA_BY_YEAR = (
    "article book inbook incollection bookinbook suppbook mvbook collection mvcollection "
    "techreport report phdthesis mastersthesis thesis unpublished manual dataset patent "
    "periodical"
)
_APA_MONTHS: dict[str, tuple[bool, bool]] = {
    **dict.fromkeys(_APA_BY_YEAR.split(), (False, False)),
    **dict.fromkeys(("misc", "online", "electronic", "www"), (True, True)),
}


def order_keys(
    title: str, date: tuple[int, int], settings: ResolverSettings, entry_type: str = ""
) -> tuple[tuple, ...]:
    """A work's sort keys within its suffix group, one per order the settings allow.

    Parameters
    ----------
    title : str
        The work's title as the bibliography has it.
    date : tuple of int
        Its month and day (0 when unknown), from :func:`month_day`.
    settings : ResolverSettings
        Which orders to allow: :attr:`~ResolverSettings.suffix_order` (by the
        month or not), :attr:`~ResolverSettings.leading_articles` and
        :attr:`~ResolverSettings.title_collation` (the readings of the title).
    entry_type : str, optional
        The BibTeX entry type, which decides the order under ``"apa"``.

    Returns
    -------
    tuple of tuple
        The keys in a fixed order of readings, so that the keys of two works
        at the same position compare under the same reading.

    Examples
    --------
    >>> pandoc = ResolverSettings(
    ...     suffix_order="year-title", leading_articles="sorted", title_collation="pandoc"
    ... )
    >>> order_keys("Gaia Erratum.", (0, 0), pandoc) < order_keys("Gaia.", (0, 0), pandoc)
    True
    """
    months = {
        "any": (True, False),
        "date-title": (True,),
        "year-title": (False,),
        "apa": _APA_MONTHS.get(entry_type.lower(), (True, False)),
    }
    skipped = {"either": (True, False), "skipped": (True,), "sorted": (False,)}
    read = {
        (strip, reading): reading(_ARTICLE.sub("", title.lower()) if strip else title)
        for strip in skipped[settings.leading_articles]
        for reading in TITLE_READINGS[settings.title_collation]
    }
    return tuple(
        (*(date if with_month else (0, 0)), read[strip, reading])
        for with_month in months[settings.suffix_order]
        for strip, reading in read
    )
