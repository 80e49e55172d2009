"""What the resolver needs of one bibliography: its names as keys, indexed once.

:func:`surname_key` and :func:`name_words` turn a surname into the key the resolver
compares (case, accents, punctuation, particles, a leading "The" and initials
around the name aside). :class:`Index` holds, for one bibliography and one set
of :class:`~evidence.settings.ResolverSettings`, the entries by first author's
core and year, the groups of works that share suffixes (``2004a``, ``2004b``)
and the letters each may take, and finds the first authors similar to a
misspelt one. :func:`index_for` builds each index once per bibliography and
settings, and keeps it while the bibliography lives.
"""

from __future__ import annotations

import functools
import itertools
import re
import weakref
from collections import defaultdict
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd
from rapidfuzz import process
from rapidfuzz.distance import OSA

from .bib import Bibliography
from .citation import CORPORATE_WORDS
from .names import fold, parse_name, split_names
from .settings import ResolverSettings
from .suffixes import month_day, order_keys, suffix_letters

__all__ = [
    "WIDE",
    "Index",
    "index_for",
    "name_words",
    "page_range",
    "surname_key",
    "without_lower_particles",
]

_NEIGHBOURS = 10  # most similar first-author cores kept per fuzzy query
#: Most entries of one author examined for near misses; most tied entries listed.
WIDE = 50
_CHUNK = 4096  # queries per cdist call
_ROMAN = re.compile(r"I{1,3}|IV|VI{0,3}|IX|X{1,3}")


@functools.lru_cache(maxsize=1 << 16)
def name_words(name: str) -> tuple[str, ...]:
    """Folded words of a name without initials around it (``Begg C``, as Vancouver writes)."""
    words = name.split()
    numbered = any(word.casefold() in CORPORATE_WORDS for word in words)  # "Gruppe IV"
    while (
        len(words) > 1
        and len(words[-1].rstrip(".")) <= 2
        and words[-1].isupper()
        and not (numbered and _ROMAN.fullmatch(words[-1]))
    ):
        words.pop()
    while len(words) > 1 and len(words[0].rstrip(".")) == 1 and words[0].isupper():
        words.pop(0)  # "A Castro": an initial kept in the surname
    return tuple(fold(" ".join(words)).split())


_PAGE_RANGE = re.compile(r"(\d{1,6})(?:\s*[-\u2010-\u2015]+\s*(\d{1,6}))?")


def page_range(text: str) -> tuple[int, int] | None:
    """First and last page of ``3--30``, ``21–26``, ``1234-56`` (``1256``) or ``12``, else None.

    A range that ends before it starts (``30-12``) is a typo, and None too.

    Examples
    --------
    >>> page_range("3--30"), page_range("1234-56"), page_range("e1002"), page_range("viii")
    ((3, 30), (1234, 1256), None, None)
    """
    found = _PAGE_RANGE.fullmatch(text.strip())
    if not found:
        return None
    first, last = found.group(1), found.group(2) or found.group(1)
    if len(last) < len(first):  # "1234-56": the last page written short
        last = first[: len(first) - len(last)] + last
    return (int(first), int(last)) if int(last) >= int(first) else None  # "30-12": a typo


def without_lower_particles(name: str) -> str:
    """A name without the words in lower case before its last, as BibTeX reads particles.

    ``ndum Wøller`` is ``Wøller`` and ``von Elm`` is ``Elm``, as pandoc prints
    them; ``Von Elm`` stays.
    """
    words = name.split()
    while len(words) > 1 and words[0][:1].islower() and words[-1][:1].isupper():
        words = words[1:]
    return " ".join(words)


@functools.lru_cache(maxsize=1 << 16)
def surname_key(name: str, particles: frozenset[str]) -> str:
    """Folded name without a leading ``the``, particles or trailing initials, spaces removed.

    Particles are the known ones and any words in lower case before the last
    one (:func:`without_lower_particles`).
    """
    words = name_words(without_lower_particles(name))
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and words[0] in particles:
        words = words[1:]
    return "".join(words)


class Index:
    """What the resolver needs of one bibliography, built once per settings.

    What does not depend on the settings (names, years, blocks of surnames)
    is built once per bibliography and particles and shared (``like``).
    """

    #: Attributes an index for other settings shares with ``like``.
    _SHARED = (
        "keys",
        "authors",
        "labels",
        "years",
        "n",
        "open",
        "cores",
        "surnames",
        "position",
        "by_core",
        "by_core_year",
        "by_acronym",
        "_own",
        "_fields",
        "_blocks",
    )

    def __init__(
        self,
        entries: pd.DataFrame,
        particles: frozenset[str],
        settings: ResolverSettings,
        like: Index | None = None,
    ) -> None:
        self.particles = particles
        self.settings = settings
        if like is not None:
            for name in self._SHARED:
                setattr(self, name, getattr(like, name))
        else:
            self._build_names(entries, particles)
        groups: dict[tuple, list[int]] = defaultdict(list)
        forms: dict[tuple, list[int]] = defaultdict(list)
        et_al_min = settings.et_al_min
        for e, (cores, n, open_, year) in enumerate(
            zip(self.cores, self.n, self.open, self.years, strict=True)
        ):
            if not cores or not cores[0]:
                continue
            many = n >= et_al_min or open_  # as _many(e), inline: this loop is hot
            forms[cores[0], "+" if many else cores[1:]].append(e)
            # suffixes tell apart works whose labels print alike (pandoc drops "van")
            groups[(cores[0], "+", year) if many else (*cores, "", year)].append(e)
        # how many works the same cited authors have in all (any year)
        self.works = [1] * len(self.keys)
        for members in forms.values():
            for e in members:
                self.works[e] = len(members)
        # suffix letters are worked out per group when a citation first asks
        self.group_size: list[int] = [1] * len(self.keys)
        self._group_of: dict[int, list[int]] = {}
        for members in groups.values():
            if len(members) > 1:
                for e in members:
                    self.group_size[e] = len(members)
                    self._group_of[e] = members
        self._letters: dict[int, tuple[str, ...]] = {}

    def _build_names(self, entries: pd.DataFrame, particles: frozenset[str]) -> None:
        """Build what every setting shares: names, years and the lookups by first author."""
        self.keys: list[str] = entries["key"].tolist()
        self.authors: list[tuple[str, ...]] = entries["authors"].tolist()
        self.labels: list[str] = entries["label"].fillna("").tolist()
        self.years: list[int | None] = [
            None if pd.isna(year) else int(year) for year in entries["year"].tolist()
        ]
        self.n: list[int] = [len(names) for names in self.authors]
        # bib.py writes "et al." in the label of an entry whose list ends "and others"
        self.open = [
            n < 3 and " et al. " in f"{lab} " for n, lab in zip(self.n, self.labels, strict=True)
        ]
        self.cores = [tuple(surname_key(a, particles) for a in names) for names in self.authors]
        self.surnames = {core for cores in self.cores for core in cores}
        self.position = {key: i for i, key in enumerate(self.keys)}
        self.by_core: dict[str, list[int]] = defaultdict(list)
        self.by_core_year: dict[tuple[str, int | None], list[int]] = defaultdict(list)
        self.by_acronym: dict[str, list[int]] = defaultdict(list)
        for e, cores in enumerate(self.cores):
            if not cores or not cores[0]:
                continue
            self.by_core[cores[0]].append(e)
            self.by_core_year[cores[0], self.years[e]].append(e)
            first = self.authors[e][0]
            if len(first.split()) > 1:
                acronym = "".join(char for char in first if char.isupper()).lower()
                if len(acronym) > 1:
                    self.by_acronym[acronym].append(e)
        self._own = [s if isinstance(s, str) else "" for s in entries["year_suffix"].tolist()]
        self._fields = {
            name: entries[name].tolist() if name in entries.columns else [None] * len(entries)
            for name in ("month", "date", "day", "title", "author", "pages", "entry_type")
        }
        self._blocks: dict[str, dict[str, list[str]]] = {}  # shared: filled when first needed

    def given(self, e: int) -> str:
        """The given names of entry ``e``'s first author, as written (``Daniël``, ``S.``)."""
        author = self._fields["author"][e]
        names = split_names(author) if isinstance(author, str) else []
        return parse_name(names[0]).first if names else ""

    def _sort_names(self, e: int) -> tuple[tuple[str, str, str], ...]:
        """Entry ``e``'s authors as CSL sorts names: family name, given names, then particle."""
        author = self._fields["author"][e]
        names = split_names(author) if isinstance(author, str) else []
        return tuple((fold(n.last), fold(n.first), fold(n.von)) for n in map(parse_name, names))

    def pages(self, e: int) -> tuple[int, int] | None:
        """Entry ``e``'s first and last page (``3--30``, ``1234-56``), or None if not numbers."""
        value = self._fields["pages"][e]
        return page_range(value) if isinstance(value, str) else None

    def letters(self, e: int) -> tuple[str, ...]:
        """The suffix letters (``a``, ``b`` ...) entry ``e`` may take, shortest first.

        An entry whose ``year`` field carries its suffix (``2004a``) takes that
        one; any other takes each letter some reading of its group gives it
        (:meth:`_assign_letters`), worked out the first time it is asked.
        """
        if self._own[e]:
            return (self._own[e],)
        if e not in self._group_of:
            return ()
        if e not in self._letters:
            members = self._group_of[e]
            possible: dict[int, set[str]] = defaultdict(set)
            orders = {m: self._orders(m) for m in members if not self._own[m]}
            self._assign_letters(members, orders, possible)
            # the group may be narrower: styles that print particles ("van Eyk") tell
            # "van Eyk" from "Eyk", styles that add names to tell "et al." works apart
            # (APA, Chicago) give suffixes only among works whose whole author lists
            # agree, and a program tells "DeLancey" from "Delancey" (or "G Cowan" from
            # "Cowan") where a reader does not
            for narrower in (
                lambda m: tuple("".join(name_words(a)) for a in self.authors[m][: self._shown(m)]),
                lambda m: (tuple("".join(name_words(a)) for a in self.authors[m]), self.open[m]),
                lambda m: self.authors[m][: self._shown(m)],
            ):
                subgroups: dict[tuple, list[int]] = defaultdict(list)
                for member in members:
                    subgroups[narrower(member)].append(member)
                for subgroup in subgroups.values():
                    if 1 < len(subgroup) < len(members):
                        self._assign_letters(subgroup, orders, possible)
            for member in members:
                self._letters[member] = tuple(
                    sorted(possible[member], key=lambda letter: (len(letter), letter))
                )
        return self._letters[e]

    def _many(self, e: int) -> bool:
        """Whether the review's style prints entry ``e``'s authors as "First et al."."""
        return self.n[e] >= self.settings.et_al_min or self.open[e]

    def _shown(self, e: int) -> int | None:
        """How many of entry ``e``'s names its citation prints (None: all of them)."""
        return 1 if self._many(e) else None

    def _assign_letters(
        self,
        members: list[int],
        orders: dict[int, tuple[tuple, ...]],
        possible: dict[int, set[str]],
    ) -> None:
        """Add to ``possible`` the suffix letters each entry of a group may have.

        CSL author-date styles order works printed alike as their reference
        list does: by the authors' names (which may differ as written: "van
        Bavel" and "Bavel" print alike), then date, then title, but they
        differ: Chicago uses the month and APA does not
        (:attr:`ResolverSettings.suffix_order` says which, when it is known);
        CSL processors differ on whether a leading "A", "An" or "The" counts
        (:attr:`ResolverSettings.leading_articles`), and on punctuation
        (:data:`evidence.suffixes.TITLE_READINGS`: pandoc's citeproc sorts ``GAIA Erratum``
        before ``GAIA.``, ``notesjottings`` before ``N.Pa-O``). The letters an
        entry gets under each of these orders are all kept, so a suffix that
        the orders give to different entries matches both, and resolves as
        ``ambiguous`` instead of a guess.
        """
        taken = {self._own[e] for e in members if self._own[e]}
        orders = {e: orders[e] for e in members if e in orders}  # those without a suffix
        # works whose names differ as written ("van Bavel" and "Bavel") are ordered
        # by their names first, with or without the particles, as CSL sorts names
        # (a particle after the given names: "e Fabricius" after "Fabricius"), or not at all
        authors: tuple[Callable[[int], tuple], ...] = (lambda e: (),)
        if len({self.authors[e] for e in orders}) > 1:
            authors += (
                lambda e: tuple(map(fold, self.authors[e])),
                lambda e: self.cores[e],
                self._sort_names,
            )
        for reading, author in itertools.product(
            range(len(next(iter(orders.values()), ()))), authors
        ):
            free = (letter for letter in suffix_letters() if letter not in taken)
            rest = sorted(((author(e), keys[reading]), e) for e, keys in orders.items())
            for _, run in itertools.groupby(rest, key=lambda pair: pair[0]):
                tied = [e for _, e in run]
                letters = [next(free) for _ in tied]
                for e in tied:
                    possible[e].update(letters)

    def _orders(self, e: int) -> tuple[tuple, ...]:
        """Entry ``e``'s sort key under each order the settings allow."""
        fields = self._fields
        title = value if isinstance(value := fields["title"][e], str) else ""
        date = (  # a month without a year is no date: CSL sorts such works by title
            month_day(fields["month"][e], fields["date"][e], fields["day"][e])
            if self.years[e] is not None
            else (0, 0)
        )
        kind = value if isinstance(value := fields["entry_type"][e], str) else ""
        return order_keys(title, date, self.settings, kind)

    def entries_of(
        self, core: str, year: int | None, span: int | None, *, undated: bool = False
    ) -> list[int]:
        """Entries whose first author has ``core``, ``span`` years around ``year``.

        ``undated`` (for ``n.d.``) looks among the entries without a year; an
        entry without a year is a year from any year, so ``span=0`` leaves it
        out. ``span=None`` gives every entry of that author, the nearest years
        first and at most a few dozen when a year is given (for listing near
        misses).
        """
        if span is not None and (year is not None or undated):
            found = list(self.by_core_year.get((core, None), [])) if span or undated else []
            for y in range(year - span, year + span + 1) if year is not None else ():
                found += self.by_core_year.get((core, y), [])
            return found
        found = self.by_core.get(core, [])
        if year is not None and len(found) > WIDE:
            found = sorted(found, key=lambda e: abs((self.years[e] or 0) - year))[:WIDE]
        return found

    def neighbours(self, queries: Iterable[str], cutoff: float) -> dict[str, dict[str, float]]:
        """Find the distinct first-author cores similar to each query (itself excluded)."""
        if not self._blocks:  # first-author cores by first and by last letter, built once
            first: dict[str, list[str]] = defaultdict(list)
            last: dict[str, list[str]] = defaultdict(list)
            for core in sorted(self.by_core):
                first[core[0]].append(core)
                last[core[-1]].append(core)
            self._blocks.update(first=first, last=last)
        found: dict[str, dict[str, float]] = {q: {} for q in sorted(set(queries)) if q}
        for end, block in ((0, self._blocks["first"]), (-1, self._blocks["last"])):
            groups: dict[str, list[str]] = defaultdict(list)
            for query in found:
                groups[query[end]].append(query)
            for char, queries_here in groups.items():
                choices = block.get(char)
                if not choices:
                    continue
                for start in range(0, len(queries_here), _CHUNK):
                    chunk = queries_here[start : start + _CHUNK]
                    scores = process.cdist(
                        chunk,
                        choices,
                        scorer=OSA.normalized_similarity,
                        score_cutoff=cutoff / 100,
                        workers=-1,
                    )
                    for row, col in zip(*np.nonzero(scores), strict=True):
                        query, core = chunk[row], choices[col]
                        if core != query:
                            found[query][core] = round(100 * float(scores[row, col]), 1)
        return {
            query: dict(sorted(near.items(), key=lambda kv: (-kv[1], kv[0]))[:_NEIGHBOURS])
            for query, near in found.items()
        }


_INDEXES: weakref.WeakKeyDictionary[
    Bibliography, dict[tuple[frozenset[str], str, str, str, int], Index]
] = weakref.WeakKeyDictionary()


def index_for(bibliography: Bibliography, settings: ResolverSettings) -> Index:
    """Return the bibliography's index for these particles and suffix orders, built once."""
    words = frozenset(word for particle in settings.particles for word in particle.split())
    per_bib = _INDEXES.setdefault(bibliography, {})
    wanted = (
        words,
        settings.suffix_order,
        settings.leading_articles,
        settings.title_collation,
        settings.et_al_min,
    )
    if wanted not in per_bib:
        like = next((index for key, index in per_bib.items() if key[0] == words), None)
        per_bib[wanted] = Index(bibliography.entries, words, settings, like)
    return per_bib[wanted]
