"""Read an author-date citation, as a writer typed it, into its parts.

:func:`parse_citation` takes the text of one citation (``Cameron & Lart 2003``,
``Johnson et al (2003)``, ``the National Audit Office's (2001)``, ``see Smith,
2003a, p. 12``) and returns a frozen :class:`Citation`. It reads, from the end:
a locator (``p. 12``, ``: 36``, ``, 36``, ``, viii:166``), the year (``2003``,
``2003a``, ``n.d.``, ``in press``; of ``1989 [1987]``, ``1992/1993`` and APA's
``February 19, 1962`` the first year, which styles sort by), then the authors:
a possessive and ``et al`` are taken off, a corporate author (``National Audit
Office``, ``HMIe``, ``21st Century Social Work``, ``Gruppe I``) is kept whole
unless it lists several (after a legal form, ``COWI A/S and NIRAS A/S``, or
with a serial comma), and a list of people is split on ``&``, ``and`` and
commas: ``Marks & Spencer`` reads as two people, ``Marks & Spencer plc`` as a
company. Initials before a surname (``W. J. Freeman``) are dropped; particles
(``van Eyk``, ``Van der Linden``) and diacritics are kept as written, since
the resolver compares folded names.

Text that is no citation raises :class:`~evidence.errors.CitationError`, and
nothing else, whatever the input.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .errors import CitationError
from .settings import DEFAULT_PARTICLES

__all__ = ["MAX_LENGTH", "Citation", "parse_citation"]

#: Longest text read as one citation, in characters.
MAX_LENGTH = 300

_FULL_YEAR = r"(?:1\d{3}|20\d{2}|21\d{2})"
_YEAR = rf"(?<!\d)(?P<year>{_FULL_YEAR})(?P<suffix>[a-z]{{1,2}})?"
_NO_DATE = (
    r"(?P<nodate>n\.\s?d\.?|n\.?d\.|no\s+date|undated|in\s+press|forthcoming"
    r"|in\s+preparation|submitted)(?:\s?-\s?|\s)?(?P<ndsuffix>(?<=[.\s-])[a-z]{1,3})?"
)
#: The months as dates print them in full (APA's ``February 19, 1962``), a regex alternation.
MONTH_NAMES = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
_MONTH = rf"(?:{MONTH_NAMES}|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.)"
#: What may follow the year a style uses: another year (``1992/1993``) and an
#: original date in brackets (``1989 [1987]``; pandoc's Markdown escapes them).
_YEAR_EXTRAS = re.compile(
    rf"(?<!\d)(?P<year>{_FULL_YEAR}[a-z]{{0,2}})"
    rf"(?:/(?:\d{{4}}|\d{{2}})(?!\d)|\s*\\?\[{_FULL_YEAR}[a-z]?\\?\])+"
)
#: APA's dates of letters and newspapers: ``February 19, 1962`` and ``1962, February 19``.
_DATE_BEFORE_YEAR = re.compile(
    rf"[\s,]*(?<![^\s,(]){_MONTH}\s+\d{{1,2}},?\s+(?={_FULL_YEAR}(?!\d))"
)
_DATE_AFTER_YEAR = re.compile(
    rf"(?<!\d)(?P<year>{_FULL_YEAR}[a-z]{{0,2}}),\s*{_MONTH}(?:\s+\d{{1,2}})?(?=\)?$)"
)
_DATE_AT_END = re.compile(rf"(?:^|[\s,(]+|(?<=[^\W\d_]))(?:{_YEAR}|{_NO_DATE})\)?$", re.IGNORECASE)
#: How far from the end a date (``in preparation-abc)``) and the separators before it reach.
_DATE_REACH = 40
_LOCATOR_AT_END = re.compile(
    r"(?:[\s,:]+(?P<labelled>(?:pp?|pages?|paras?|chap|ch|sect?|§)\.?\s*[0-9ivxlc]+"
    r"(?:\s*[-–—]\s*[0-9ivxlc]+)?)|\s*[,:]\s*(?P<bare>(?:(?:\d{1,3}|[ivxlc]{1,6})\s?:\s?\d{1,4}"
    r"|\d{1,3})(?:\s*[-–—]\s*\d{1,4})?))\)?$",  # "p. 12", ", 36", ", viii:166" (volume:page)
    re.IGNORECASE,
)
_ANY_YEAR = re.compile(rf"(?<!\d){_FULL_YEAR}(?!\d)")
_PREFIX = re.compile(r"^(?:(?:see\s+also|see|e\.\s?g\.|cf\.?|compare|also)[\s,:]+)+", re.I)
_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$")
_ET_AL = re.compile(
    r"[\s,]*(?:\bet\.?\s*al\b\.?|(?:\band\b|&)\s*(?:others|colleagues)\b)$", re.IGNORECASE
)
_THE = re.compile(r"^the\s+(?=\w)", re.IGNORECASE)
_SEPARATOR = re.compile(r"(\s*(?:,\s*)?(?:&|\band\b)\s*|\s*,\s*)")
_HYPHENS = r"\-\u2010"  # for regex character classes
_NAME_PUNCTUATION = frozenset("'’.-\u2010")
_PLAIN_WORD = re.compile(rf"^['’]?[^\W\d_]+(?:['’.{_HYPHENS}][^\W\d_]+)*\.?$")
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060\ufeff]")  # soft hyphen, zero widths
_INITIAL_PARTS = re.compile(rf"[.{_HYPHENS}]")
_MONTH_ANYWHERE = re.compile(_MONTH)

#: The commonest forms, ASCII surnames of one word each: ``Smith 2003``,
#: ``Smith and Jones, 2003a``, ``Smith et al. (2003)``; in parentheses too.
#: :func:`_parse_simple` reads them as the general rules would, only faster.
_SIMPLE = re.compile(
    r"(?P<names>[A-Z][a-z]+(?:(?:,? and |,? & |, )[A-Z][a-z]+)*)(?P<et_al> et al\.?)?"
    rf"(?:,? |(?P<narrative> \())(?P<year>{_FULL_YEAR})(?P<suffix>[a-z]{{1,2}})?(?(narrative)\))"
)
_SIMPLE_SEPARATOR = re.compile(r",? and |,? & |, ")

_PARTICLE_WORDS = frozenset(word for p in DEFAULT_PARTICLES for word in p.split())
#: Lowercase words allowed inside corporate names.
_FUNCTION_WORDS = frozenset(
    [
        "of",
        "for",
        "the",
        "on",
        "in",
        "to",
        "at",
        "and",
        "und",
        "für",
        "fur",
        "de",
        "du",
        "des",
        "la",
        "le",
        "et",
        "y",
        "e",
        "og",
        "och",
    ]
)
#: Words that make a name of two or more words corporate (``Office``, ``Network``, ...).
CORPORATE_WORDS = frozenset(
    """office network council department dept inspectorate executive commission committee group
    review institute institution ministry agency association organisation organization trust
    society centre center government foundation board authority bureau service services unit
    federation alliance union partnership programme program forum coalition consortium
    corporation company press university college parliament assembly panel secretariat
    collaboration initiative project team inc ltd administration academy bank fund laboratory
    library museum observatory force nations statistics gruppe kommune kommuner""".split()  # noqa: SIM905
)
#: Legal forms that end a company's name (``COWI A/S``): a list of authors may
#: be split after them. Forms that read as initials (``AB``, ``AS``) are left out.
_LEGAL_FORMS = frozenset(
    "A/S ApS GmbH Ltd Ltd. Inc Inc. PLC plc LLC LLP B.V. N.V. S.A. Oy Oyj S.p.A.".split()  # noqa: SIM905
)
#: Words the general rules read otherwise where they stand first (``See``, ``The``),
#: after "and" (``Smith and Colleagues``) or anywhere (``Oy``, a company): left to them.
_NOT_SIMPLE = (
    frozenset({"See", "Also", "Compare", "Cf", "The", "Others", "Colleagues"}) | _LEGAL_FORMS
)


@dataclass(frozen=True)
class Citation:
    """One author-date citation, split into its parts.

    Attributes
    ----------
    surnames : tuple of str
        The surnames as written (particles and diacritics kept, initials
        dropped), in order; one whole name for a corporate author.
    et_al : bool
        Whether the citation ends its author list with ``et al``.
    year : int or None
        The year, or None when none is given (also for ``n.d.``).
    year_suffix : str
        The letter after the year (``a`` in ``2004a``), or ``""``.
    locator : str or None
        A page or other locator as written (``p. 12``, ``36``).
    corporate : bool
        Whether the author is an organisation rather than people.
    raw : str
        The text as given.
    no_date : str or None
        ``n.d.``, ``in press``, ``forthcoming`` ... when the text says so.
    """

    surnames: tuple[str, ...]
    et_al: bool
    year: int | None
    year_suffix: str
    locator: str | None
    corporate: bool
    raw: str
    no_date: str | None = None

    @property
    def authors(self) -> str:
        """The authors as a reader would say them: ``Cameron & Lart``, ``Johnson et al.``.

        Examples
        --------
        >>> parse_citation("Coles, Britton and Hicks 2004").authors
        'Coles, Britton & Hicks'
        """
        names = list(self.surnames)
        if self.et_al:
            return f"{', '.join(names)} et al."
        if len(names) <= 2:
            return " & ".join(names)
        return f"{', '.join(names[:-1])} & {names[-1]}"

    @property
    def date(self) -> str:
        """The date as cited: ``2004a``, ``n.d.``, or ``""`` when there is none.

        Examples
        --------
        >>> parse_citation("Smith (in press)").date
        'in press'
        """
        if self.year is not None:
            return f"{self.year}{self.year_suffix}"
        if self.no_date:
            return f"{self.no_date}-{self.year_suffix}" if self.year_suffix else self.no_date
        return ""


def _fail(raw: str, why: str) -> CitationError:
    shown = raw if len(raw) <= 80 else raw[:77] + "..."
    return CitationError(
        f"cannot read {shown!r} as a citation: {why}",
        value=raw,
        expected="an author-date citation such as 'Smith & Jones 2003'",
    )


def _is_initial(word: str) -> bool:
    """``W.``, ``W.J.``, ``A.-M.``, ``Ch.``, a lone capital ``J``, or a lower-case ``d.``.

    Some bibliographies write a second initial in lower case, and pandoc
    prints it so (``B. d. McCullough``).
    """
    parts = [part for part in _INITIAL_PARTS.split(word) if part]
    if not parts or len(parts) > 3:
        return False
    if "." not in word:
        return len(parts) == 1 and len(parts[0]) == 1 and parts[0].isupper()
    if len(word) == 2 and word[0].islower() and word[0].isalpha():
        return True
    return all(
        part[0].isupper() and (len(part) == 1 or (len(part) == 2 and part[1].islower()))
        for part in parts
    )


def _is_capitalised(word: str) -> bool:
    """Whether a word's first letter is uppercase or has no case (CJK), or a digit starts it."""
    for char in word:
        if char.isalpha():
            return char.isupper() or not char.islower()
        if char.isdigit():
            return True
    return False


def _is_acronym(word: str) -> bool:
    """``HMIe``, ``WHO``, ``DfES``: at least two capitals and no fewer capitals than lowercase."""
    upper = sum(char.isupper() for char in word)
    return word.isalpha() and upper >= 2 and upper >= sum(char.islower() for char in word)


def _is_corporate(text: str, segments: list[str]) -> bool:
    """Decide whether the author part names an organisation rather than people."""
    words = text.split()
    if any(map(str.isdigit, text)) or not _LEGAL_FORMS.isdisjoint(words):
        return True
    if "/" in text or ("&" in text and any("&" in word.strip("&") for word in words)):
        return True  # "ISO/IEC", "AT&T": no person's name
    if len(words) == 1:
        return _is_acronym(words[0])
    keyword = any(word.strip(".,").casefold() in CORPORATE_WORDS for word in words)
    if len(segments) == 1:
        if any(word in _FUNCTION_WORDS - _PARTICLE_WORDS for word in words):
            return True  # "Bench of Magistrates"
        capitalised = [
            w
            for w in words
            if _is_capitalised(w) and not _is_initial(w) and w.casefold() not in _PARTICLE_WORDS
        ]
        return keyword or len(capitalised) >= 3
    lower = {word for word in words if not _is_capitalised(word)}
    return bool(lower & (_FUNCTION_WORDS - _PARTICLE_WORDS - {"and"})) or any(
        len(segment.split()) >= 2 and any(w.casefold() in CORPORATE_WORDS for w in segment.split())
        for segment in segments
    )


def _organisations(pieces: list[str]) -> list[str]:
    """Split an organisation's author text into names where it lists several.

    A serial comma (``NIRAS Konsulenterne, Naturstyrelsen, and Lokale og
    Anlægsfonden``) lists names; otherwise a name ends only at a legal form
    (``COWI A/S and NIRAS A/S``), so that ``Department of Health and Social
    Care`` and ``Miljø- og Teknikudvalget, Fredensborg Kommune`` stay one name.
    ``pieces`` alternate names and separators, as :data:`_SEPARATOR` splits them.
    """
    serial = any(re.match(r"\s*,\s*(?:&|and\b)", piece) for piece in pieces[1::2])
    names: list[str] = []
    current = ""
    for index, piece in enumerate(pieces):
        if index % 2 and not current:
            continue  # the separator after a name that ended
        current += piece
        words = piece.split()
        if not index % 2 and (serial or (words and words[-1] in _LEGAL_FORMS)):
            names.append(current.strip())
            current = ""
    if current.strip():
        names.append(current.strip())
    return names


def _check_corporate(raw: str, name: str) -> str:
    """Check an organisation's name: it starts with a capital (or a digit), no sentence."""
    words = name.split()
    if not _is_capitalised(words[0]):
        raise _fail(raw, f"{words[0]!r} is lowercase, which a name does not start with")
    for word in words:
        if word != "&" and not any(char.isalnum() for char in word):
            raise _fail(raw, f"{word!r} is not part of a name")
    return name


def _is_name_word(word: str) -> bool:
    """Letters (with combining accents) and digits, joined by apostrophes, dots or hyphens."""
    if _PLAIN_WORD.match(word):
        return True
    return (
        any(char.isalpha() for char in word)
        and word[-1] not in "'’-\u2010"
        and all(
            char.isalnum() or unicodedata.combining(char) or char in _NAME_PUNCTUATION
            for char in word
        )
    )


def _surname(raw: str, segment: str) -> str:
    """Check one person's part of the list and drop initials around the surname."""
    words = segment.split()
    if all(map(_is_initial, words)):
        raise _fail(raw, f"{segment!r} gives initials but no surname")
    while len(words) > 1 and _is_initial(words[0]):
        words = words[1:]
    while len(words) > 1 and _is_initial(words[-1]):
        words = words[:-1]
    if len(words) > 6:
        raise _fail(raw, f"{segment!r} has too many words for a name")
    for position, word in enumerate(words):
        if not _is_name_word(word):
            raise _fail(raw, f"{word!r} is not part of a name")
        bare = word.lstrip("'’")
        particle = position < len(words) - 1 and (
            bare.casefold() in _PARTICLE_WORDS or (bare.isalpha() and len(bare) <= 3)
        )  # van, 't, na, bin: lowercase words before the surname
        camel = any(char.isupper() for char in word)  # diPaulo, d'Alembert
        if not (_is_capitalised(word) or particle or camel):
            raise _fail(raw, f"{word!r} is lowercase, which a name does not start with")
    return " ".join(words)


def _strip_edges(text: str) -> str:
    """Whitespace, outer brackets, trailing punctuation and leading ``see``/``e.g.``."""
    text = " ".join(_INVISIBLE.sub("", text).split())
    while len(text) > 1 and text[0] + text[-1] in ("()", "[]"):
        text = text[1:-1].strip()
    text = text.rstrip(" .;,")
    without = _PREFIX.sub("", text)
    return without if any(_is_capitalised(w) for w in without.split()) else text


def parse_citation(text: str) -> Citation:
    """Read one author-date citation into a :class:`Citation`.

    Parameters
    ----------
    text : str
        One citation as written: ``Smith & Jones 2003``, ``Smith and Jones
        (2003)``, ``Smith, Jones, 2003``, ``Smith et al.'s (2003a)``,
        ``see W. J. Freeman 2006, p. 12``, ``National Audit Office n.d.``,
        ``Park & Turnbull`` (no year).

    Returns
    -------
    Citation

    Raises
    ------
    CitationError
        The text is empty, longer than :data:`MAX_LENGTH`, has no author (only
        a year or punctuation), has the year in the middle, or reads as words
        rather than names. The message quotes the text.

    Examples
    --------
    >>> parse_citation("Webb & Vuillamy's (2001)")  # doctest: +NORMALIZE_WHITESPACE
    Citation(surnames=('Webb', 'Vuillamy'), et_al=False, year=2001, year_suffix='',
             locator=None, corporate=False, raw="Webb & Vuillamy's (2001)", no_date=None)
    >>> c = parse_citation("see Johnson et al. 2003a, p. 12")
    >>> c.surnames, c.et_al, c.year, c.year_suffix, c.locator
    (('Johnson',), True, 2003, 'a', 'p. 12')
    >>> parse_citation("the National Audit Office's (2001)").surnames
    ('National Audit Office',)
    >>> parse_citation("Park & Turnbull").year is None
    True
    >>> parse_citation("2003")
    Traceback (most recent call last):
    ...
    evidence.errors.CitationError: cannot read '2003' as a citation: no author is given
    """
    if not isinstance(text, str):
        raise _fail(repr(text), "it is not text")
    if not text.strip():
        raise _fail(text, "it is empty")
    if len(text) > MAX_LENGTH:
        raise _fail(text, f"it is longer than {MAX_LENGTH} characters")
    return _parse(text)


def _plain_date(body: str) -> str:
    """Reduce a full date to the year a style sorts by.

    ``Callon 1989 [1987]`` and ``Rogers 1992/1993`` give their first year, and
    APA's ``Siesby, February 19, 1962`` and ``Siesby, 1962, February 19`` the year.
    """
    month = _MONTH_ANYWHERE.search(body)
    if month:
        body = _DATE_BEFORE_YEAR.sub(" ", body)
    if "/" in body or "[" in body:
        body = _YEAR_EXTRAS.sub(r"\g<year>", body)
    return _DATE_AFTER_YEAR.sub(r"\g<year>", body) if month else body


def _date_at_end(body: str) -> re.Match[str] | None:
    """Find the date that ends ``body`` (as :data:`_DATE_AT_END` would, searching only its end).

    A match that starts where the search did may reach further back (a long
    run of separators), so then the whole text is searched.
    """
    start = max(0, len(body) - _DATE_REACH)
    found = _DATE_AT_END.search(body, start)
    return _DATE_AT_END.search(body) if found and start and found.start() == start else found


@lru_cache(maxsize=1 << 16)
def _parse(text: str) -> Citation:
    """Parse checked text (cached: reviews cite the same works many times)."""
    return _parse_simple(text) or _parse_general(text)


def _parse_simple(text: str) -> Citation | None:
    """Read the commonest forms (:data:`_SIMPLE`) directly, or return None.

    What this returns is what :func:`_parse_general` returns for the same
    text (a property test checks it), at a fifth of the cost.
    """
    inner = text[1:-1] if text[:1] == "(" and text[-1:] == ")" else text
    found = _SIMPLE.fullmatch(inner)
    if found is None:
        return None
    names = tuple(_SIMPLE_SEPARATOR.split(found.group("names")))
    if not _NOT_SIMPLE.isdisjoint(names):
        return None
    year, suffix = int(found.group("year")), found.group("suffix") or ""
    return Citation(names, found.group("et_al") is not None, year, suffix, None, False, text)


def _parse_general(text: str) -> Citation:
    """Parse checked text by the general rules (see the module's docstring)."""
    body = _plain_date(_strip_edges(text))
    locator = None
    found = _LOCATOR_AT_END.search(body)
    if found and _date_at_end(body[: found.start()]):
        locator = found.group("labelled") or found.group("bare")
        body = body[: found.start()]
    year, suffix, no_date = None, "", None
    date = _date_at_end(body)
    if date:
        if date.group("year"):
            year, suffix = int(date.group("year")), (date.group("suffix") or "").lower()
        else:
            no_date = " ".join(date.group("nodate").lower().split())
            no_date = "n.d." if no_date.startswith("n") else no_date
            suffix = (date.group("ndsuffix") or "").lower()
        body = body[: date.start()]
    if _ANY_YEAR.search(body):
        raise _fail(text, "a year stands before the end (cite one work at a time)")
    return _authors(text, body, year, suffix, locator, no_date)


def _authors(
    raw: str, body: str, year: int | None, suffix: str, locator: str | None, no_date: str | None
) -> Citation:
    """Read the author part (everything before the date) and build the citation."""
    body = _POSSESSIVE.sub("", body.strip(" ,;:")).strip(" ,")
    et_al_at = _ET_AL.search(body)
    et_al = et_al_at is not None
    body = _POSSESSIVE.sub("", body[: et_al_at.start()] if et_al_at else body).strip(" ,")
    body = _THE.sub("", body)
    if not any(char.isalpha() for char in body):
        raise _fail(raw, "no author is given")
    pieces = _SEPARATOR.split(body)  # names, each after the separator before it
    segments = [part for part in pieces[::2] if part.strip()]
    if _is_corporate(body, segments):
        names = tuple(_check_corporate(raw, name) for name in _organisations(pieces))
        corporate = True
    else:
        # "Freeman, W. J.": initials after a comma belong to the name before them
        kept = [
            name
            for i, name in enumerate(pieces[::2])
            if name.strip()
            and not (i and "," in pieces[2 * i - 1] and all(map(_is_initial, name.split())))
        ]
        if not kept:
            raise _fail(raw, "no author is given")
        names = tuple(_surname(raw, segment) for segment in kept)
        corporate = False
    return Citation(names, et_al, year, suffix, locator, corporate, raw, no_date)
