r"""Split BibTeX name lists, parse personal names, and build matching keys and labels.

Name splitting follows BibTeX (as described in *Tame the BeaST*): a list is split
on ``and`` at brace depth 0; a name has the forms ``First von Last``,
``von Last, First`` or ``von Last, Jr, First``; a word is *von* when its first
letter is lowercase, where a special character such as ``{\"u}`` counts by its
letter and an ordinary brace group such as ``{van den Brink}`` is protected and
so belongs to the last name. A name that is a single brace group
(``{World Health Organization}``) is a corporate author.

Three deliberate departures from BibTeX make surnames agree between the comma
and the no-comma forms:

* a capitalised particle (``Van``, ``De``, ``La`` ...) between the first names and
  the last name joins the last name, so ``Wim Van der Linden`` and
  ``Van der Linden, Wim`` both have the surname ``Van der Linden``;
* a trailing ``Jr.``, ``Sr.``, ``II``, ``III`` or ``IV`` is taken as the Jr part
  (``John Smith Jr.``, ``Smith, John Jr.``);
* ``Smith, John, Jr.`` is read as ``Smith, Jr., John``.

LaTeX is decoded (with :func:`evidence.latex.decode_latex`) in each part after
splitting, because braces decide how a name splits.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from .latex import decode_latex

__all__ = [
    "Name",
    "author_date_label",
    "fold",
    "is_others",
    "parse_name",
    "split_names",
    "strip_accents",
]

_AND = re.compile(r"\s+and(?=\s)", re.IGNORECASE)
_AND_OR_BRACE = re.compile(r"[{}]|\s+and(?=\s)", re.IGNORECASE)
_LETTERS = re.compile(r"[A-Za-z]+")

# Special characters whose case BibTeX takes from the command name itself.
_SPECIAL_LETTERS = frozenset(
    {"i", "j", "o", "O", "l", "L", "ss", "ae", "AE", "oe", "OE", "aa", "AA"}
    | {"dh", "DH", "th", "TH", "ng", "NG", "dj", "DJ"}
)
# Capitalised particles that join the last name when they precede it.
_PARTICLES = frozenset(
    {"Van", "Von", "Vander", "Vanden", "Der", "Den", "De", "Del", "Della", "Di", "Da"}
    | {"Das", "Dos", "Du", "Des", "La", "Le", "Ten", "Ter"}
)
_JR = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
_OTHERS = frozenset({"others", "et al", "et al.", "et. al."})


@dataclass(frozen=True, slots=True)
class Name:
    """A personal or corporate name, split into its BibTeX parts.

    All parts are decoded Unicode text; a part that is absent is ``""``.

    Parameters
    ----------
    first : str
        Given names and initials (``Helen``, ``R. J.``).
    von : str
        Lowercase particles before the last name (``van``, ``de la``).
    last : str
        The last name; the whole name for a corporate author.
    jr : str
        The Jr part (``Jr.``, ``III``).
    corporate : bool
        Whether the name is a corporate author written as one brace group.
    """

    first: str
    von: str
    last: str
    jr: str
    corporate: bool

    @property
    def surname(self) -> str:
        """The von part and the last name, as cited: ``van Eyk``.

        Returns
        -------
        str
            ``von + " " + last``, stripped.

        Examples
        --------
        >>> parse_name("Helen van Eyk").surname
        'van Eyk'
        """
        return f"{self.von} {self.last}".strip()


def split_names(value: str) -> list[str]:
    r"""Split a raw BibTeX name list on ``and`` at brace depth 0.

    Parameters
    ----------
    value : str
        An author or editor field value, outer delimiters removed, LaTeX not
        yet decoded.

    Returns
    -------
    list[str]
        The raw names, stripped; empty names are dropped.

    Examples
    --------
    >>> split_names("Cameron, Ailsa and\nLart, Rachel AND {Barnes and Noble}")
    ['Cameron, Ailsa', 'Lart, Rachel', '{Barnes and Noble}']
    """
    if "{" not in value and "}" not in value:
        parts = _AND.split(value)
    else:
        parts = []
        start = depth = 0
        for m in _AND_OR_BRACE.finditer(value):
            token = m.group()
            if token == "{":
                depth += 1
            elif token == "}":
                depth = max(depth - 1, 0)
            elif depth == 0:
                parts.append(value[start : m.start()])
                start = m.end()
        parts.append(value[start:])
    return [name for name in (part.strip() for part in parts) if name]


def is_others(raw: str) -> bool:
    """Tell whether a raw name stands for further, unnamed authors.

    Parameters
    ----------
    raw : str
        One name as returned by :func:`split_names`.

    Returns
    -------
    bool
        True for ``others`` (BibTeX's marker) and for ``et al.``.

    Examples
    --------
    >>> [is_others(name) for name in split_names("Smith, J. and others")]
    [False, True]
    """
    return raw.strip().lower() in _OTHERS


def closing_brace(text: str, start: int) -> int:
    """Return the index of the brace closing the one at ``start``, or ``len(text)``."""
    depth = 0
    for i in range(start, len(text)):
        c = text[i]
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i
    return len(text)


def _is_group(text: str) -> bool:
    """Tell whether ``text`` is one brace group that is not a special character."""
    return text.startswith("{") and text[1:2] != "\\" and closing_brace(text, 0) == len(text) - 1


def _is_lower(word: str) -> bool:
    """Tell whether a word's first letter, by BibTeX's rules, is lowercase."""
    i, n = 0, len(word)
    while i < n:
        c = word[i]
        if c.isalpha():
            return c.islower()
        if c == "{":
            end = closing_brace(word, i)
            if word[i + 1 : i + 2] != "\\":  # protected group: look past it
                i = end + 1
                continue
            m = _LETTERS.match(word, i + 2)
            if m is not None and m.group() in _SPECIAL_LETTERS:
                return m.group()[0].islower()
            rest = word[m.end() if m is not None else i + 3 : end]
            return next((ch.islower() for ch in rest if ch.isalpha()), False)
        if c == "\\":
            m = _LETTERS.match(word, i + 1)
            if m is None:
                i += 2
                continue
            if m.group() in _SPECIAL_LETTERS:
                return m.group()[0].islower()
            i = m.end() + (word[m.end() : m.end() + 1] == "{")
            continue
        i += 1
    return False


def _words(raw: str) -> list[list[str]]:
    """Split a name into comma-separated parts of words, all at brace depth 0."""
    if "{" not in raw and "}" not in raw and "\\" not in raw:
        return [part.replace("~", " ").split() for part in raw.split(",")]
    parts: list[list[str]] = [[]]
    word: list[str] = []
    depth = 0
    escaped = False
    for c in raw:
        if escaped:
            word.append(c)
            escaped = False
        elif c == "\\":
            word.append(c)
            escaped = True
        elif c == "{":
            depth += 1
            word.append(c)
        elif c == "}":
            depth = max(depth - 1, 0)
            word.append(c)
        elif depth == 0 and (c.isspace() or c in "~,"):
            if word:
                parts[-1].append("".join(word))
                word = []
            if c == ",":
                parts.append([])
        else:
            word.append(c)
    if word:
        parts[-1].append("".join(word))
    return parts


def _von_last(words: list[str]) -> tuple[list[str], list[str]]:
    """Split the ``von Last`` part before the first comma."""
    if len(words) > 1 and _is_lower(words[0]):
        end = max(i for i in range(len(words) - 1) if _is_lower(words[i])) + 1
        return words[:end], words[end:]
    return [], words


def _first_von_last(words: list[str]) -> tuple[list[str], list[str], list[str]]:
    """Split a name written without commas into first, von and last words."""
    last_index = len(words) - 1
    lower = [i for i in range(last_index) if _is_lower(words[i])]
    start, end = (lower[0], lower[-1] + 1) if lower else (last_index, last_index)
    particle = start
    while particle > 1 and words[particle - 1] in _PARTICLES:
        particle -= 1
    if particle < start:
        return words[:particle], [], words[particle:]
    return words[:start], words[start:end], words[end:]


def _is_jr(words: list[str]) -> bool:
    return len(words) == 1 and words[0].lower() in _JR


def _text(words: list[str]) -> str:
    return decode_latex(" ".join(words)) if words else ""


@lru_cache(maxsize=1 << 16)
def parse_name(raw: str) -> Name:
    r"""Parse one raw BibTeX name into its parts.

    Parameters
    ----------
    raw : str
        One name as returned by :func:`split_names`, LaTeX not yet decoded.

    Returns
    -------
    Name
        The decoded parts. The last name is empty only when ``raw`` has no
        words at all. Never raises.

    Examples
    --------
    >>> parse_name(r"van Eyk, Helen")
    Name(first='Helen', von='van', last='Eyk', jr='', corporate=False)
    >>> parse_name(r"Ludwig van Beethoven").surname
    'van Beethoven'
    >>> parse_name(r"M{\"u}ller, R. J.")
    Name(first='R. J.', von='', last='Müller', jr='', corporate=False)
    >>> parse_name(r"{National Audit Office}").last
    'National Audit Office'
    """
    text = raw.strip()
    if _is_group(text):
        return Name("", "", decode_latex(text), "", True)
    parts = _words(text)
    while len(parts) > 1 and not parts[-1]:
        parts.pop()
    if not parts[0]:  # nothing before the first comma: read the words without commas
        parts = [[word for part in parts for word in part]]
    if len(parts) == 1:
        words = parts[0]
        jr: list[str] = []
        if len(words) > 1 and _is_jr(words[-1:]):
            words, jr = words[:-1], words[-1:]
        first, von, last = _first_von_last(words) if words else ([], [], [])
    else:
        von, last = _von_last(parts[0])
        if len(parts) == 2:
            jr, first = [], parts[1]
            if len(first) > 1 and _is_jr(first[-1:]):
                first, jr = first[:-1], first[-1:]
        else:
            jr, first = parts[1], [word for part in parts[2:] for word in part]
            if _is_jr(first) and not _is_jr(jr):
                jr, first = first, jr
    return Name(_text(first), _text(von), _text(last), _text(jr), False)


# Letters that neither decompose nor are named "LATIN ... LETTER x WITH ...".
_FOLD_LETTERS = {
    "ß": "ss",
    "ẞ": "SS",
    "æ": "ae",
    "Æ": "AE",
    "œ": "oe",
    "Œ": "OE",
    "ð": "d",
    "Ð": "D",
    "þ": "th",
    "Þ": "TH",
    "\N{LATIN SMALL LETTER DOTLESS I}": "i",
    "ȷ": "j",
    "ĸ": "k",
    "ŋ": "ng",
    "Ŋ": "NG",
    "\N{MODIFIER LETTER APOSTROPHE}": "'",
    "\N{MODIFIER LETTER TURNED COMMA}": "'",
}
_NON_ALNUM = re.compile(r"[\W_]+")


@cache
def _fold_char(c: str) -> str:
    """Fold one non-ASCII character of NFKD text: ø is o, ł is l, marks vanish."""
    if unicodedata.combining(c):
        return ""
    folded = _FOLD_LETTERS.get(c)
    if folded is not None:
        return folded
    name = unicodedata.name(c, "")
    if name.startswith("LATIN ") and " WITH " in name:
        letter = name.partition(" LETTER ")[2].partition(" WITH ")[0]
        if len(letter) == 1:
            return letter.lower() if " SMALL " in name else letter
    return c


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Reduce decoded text to a key for matching names and titles.

    Parameters
    ----------
    text : str
        Decoded Unicode text.

    Returns
    -------
    str
        The text without accents (``ß`` becomes ``ss``, ``ø`` becomes ``o``,
        ``ł`` becomes ``l`` ...), casefolded, with every run of characters other
        than letters and digits replaced by one space, and stripped.

    Examples
    --------
    >>> fold("Müller"), fold("Cunningham-Burley"), fold("  O'Brien, Łukasz  ")
    ('muller', 'cunningham burley', 'o brien lukasz')
    """
    return _NON_ALNUM.sub(" ", strip_accents(text).casefold()).strip()


def strip_accents(text: str) -> str:
    """Letters without their accents, case and punctuation kept: ``Ærø`` is ``Aero``.

    Examples
    --------
    >>> strip_accents("Ærø, Łódź!")
    'AEro, Lodz!'
    """
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text)
    return "".join([c if c < "\x80" else _fold_char(c) for c in text])


def author_date_label(
    surnames: Sequence[str], year: int | None, suffix: str = "", *, et_al: bool = False
) -> str:
    """Write the citation an author-date text uses for a work.

    Parameters
    ----------
    surnames : Sequence[str]
        The surnames of the authors, in order.
    year : int or None
        The year of publication; None writes ``n.d.``.
    suffix : str, optional
        A letter telling apart works of the same authors and year (``a``).
    et_al : bool, optional
        Whether more authors exist than are listed (from ``and others``).

    Returns
    -------
    str
        ``Sloper 2004``, ``Cameron & Lart 2003``, ``Johnson et al. 2003``;
        only the year when there are no surnames, and ``""`` when there is
        neither surname nor year.

    Examples
    --------
    >>> author_date_label(["Sloper"], 2004, "a")
    'Sloper 2004a'
    >>> author_date_label(["Cameron", "Lart"], 2003)
    'Cameron & Lart 2003'
    >>> author_date_label(["Johnson", "Smith", "Lee"], 2003)
    'Johnson et al. 2003'
    >>> author_date_label(["Park", "Turnbull"], None)
    'Park & Turnbull n.d.'
    """
    names = [name for name in surnames if name]
    date = f"{year}{suffix}" if year is not None else "n.d." + (f"-{suffix}" if suffix else "")
    if not names:
        return date if year is not None else ""
    authors = f"{names[0]} et al." if et_al or len(names) > 2 else " & ".join(names)
    return f"{authors} {date}"
