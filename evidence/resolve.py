"""Tie author-date citations to bibliography entries, and say how sure that is.

:func:`resolve` reads each citation with :func:`~evidence.citation.parse_citation`
and compares it with the entries of a :class:`~evidence.bib.Bibliography`.

*Keys.* Surnames are compared by their *core*
(:func:`~evidence.index.surname_key`): folded by :func:`~evidence.names.fold`
(case, accents, punctuation), without leading particles
(:attr:`ResolverSettings.particles`) or trailing initials, spaces removed:
``van Eyk``/``Eyk``, ``Müller``/``Muller``, ``Cunningham-Burley``/``Cunningham
Burley`` agree. An index (:class:`~evidence.index.Index`), built once per
bibliography and kept while it lives, maps the first author's core and the
year to the entries.

*Passes.* Most citations are settled by the exact pass over that index. For
the rest, the first surname is compared with every distinct first-author core
sharing its first or its last letter (a one-letter typo keeps one of them), by
rapidfuzz's vectorised :func:`~rapidfuzz.process.cdist` over all those
citations at once.

*Scores and fits.* A candidate scores the mean :func:`similarity` of the
compared surnames (0-100), less 10 points per year of difference (and 10 for
a list of three or more names that stops short of the entry's). It *fits* when
every surname reaches :attr:`~ResolverSettings.fuzzy_min`, the year is within
:attr:`~ResolverSettings.year_tolerance`, a misspelling with a shifted year
still scores ``fuzzy_min``, and the author count agrees: one or two names
match entries with exactly that many authors, ``et al`` three or more (or a
list ending ``and others``), a longer list those authors, in order.

Statuses, from best to worst (:data:`STATUSES`):

``exact``
    names and year agree; a suffix (``2004b``) picks the entry as CSL
    author-date styles assign suffixes among entries with the same authors and
    year, by date, then title, when every such style agrees on the order
    (Chicago counts the month and APA does not; processors differ on a leading
    "A", "An" or "The"; where they disagree the citation is ``ambiguous``); a
    suffix in the entry's own ``year`` wins. Names written with the same
    particles win over names that agree only without them.
``no_year``
    no year is cited and the authors pick out one entry.
``year_mismatch``
    the authors have one work in the bibliography, and its year differs. When
    they have several and none from the cited year, the citation may as well
    be of a work missing from the bibliography: ``unresolved``.
``fuzzy``
    a surname is misspelt, an acronym reads as a corporate author's initials
    (``HMIe``), or a long author list stops short; one entry is clearly best.
``ambiguous``
    several entries fit equally (same authors and year without a suffix,
    suffixes whose order is unknown, scores within
    :attr:`~ResolverSettings.ambiguity_margin`); no key, all listed.
``unresolved``
    nothing fits; the nearest entries are listed.

An exact fit always wins over inexact ones; a pinned key (``keys=``) over all.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import os
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Literal, NamedTuple, get_args

import pandas as pd
from rapidfuzz.distance import OSA, Levenshtein
from tqdm.auto import tqdm

from . import schema
from .bib import Bibliography
from .citation import CORPORATE_WORDS, Citation, parse_citation
from .errors import CitationError
from .index import (
    WIDE,
    Index,
    index_for,
    name_words,
    page_range,
    surname_key,
    without_lower_particles,
)
from .names import fold, parse_name
from .settings import ResolverSettings
from .suffixes import letter_rank

__all__ = ["COLUMNS", "STATUSES", "Status", "resolve", "similarity"]

Status = Literal["exact", "no_year", "year_mismatch", "fuzzy", "ambiguous", "unresolved"]
#: The statuses from best to worst.
STATUSES: tuple[Status, ...] = get_args(Status)
#: Columns of the frame :func:`resolve` returns, with their dtypes.
COLUMNS = schema.COLUMNS["resolutions"]

_YEAR_COST = 10.0  # score points per year of difference
_YEARS_COUNTED = 5  # years of difference beyond this cost no more (near misses stay ranked)
_NO_MATCH = 99  # the "year gap" between n.d. and a year: never within tolerance
_COUNT_COST = 25.0  # score points when the author count disagrees (such entries never fit)
_PARTIAL_COST = 10.0  # score points for a list of three or more names that stops short
_ACRONYM_SIMILARITY = 90.0  # similarity given to an acronym read as a corporate author
_NEAR_MISS = 15.0  # near misses listed down to fuzzy_min minus this
_PROGRESS_MIN = 5000  # citations above which a terminal gets a progress bar


def similarity(a: str, b: str) -> float:
    """Similarity of two surname keys, 0-100: one edit per four letters scores 75.

    ``100 * (1 - edits / length of the longer)``, where an edit inserts,
    deletes or replaces a letter or swaps two neighbours (optimal string
    alignment, :class:`rapidfuzz.distance.OSA`), rounded to one decimal.

    Examples
    --------
    >>> similarity("hemmelgard", "hemmelgarn"), similarity("rushmore", "rushmer")
    (90.0, 75.0)
    >>> similarity("hainmueller", "mueller")  # another name, not a typo
    63.6
    """
    return round(100 * OSA.normalized_similarity(a, b), 1)


@functools.lru_cache(maxsize=1 << 16)
def _person_like(name: str) -> bool:
    """Whether a name read as an organisation's could be a person's given names and surname."""
    words = name.split()
    return (
        2 <= len(words) <= 4
        and all(word[:1].isupper() and word.replace("-", "").isalpha() for word in words)
        and not any(word.casefold() in CORPORATE_WORDS for word in words)
    )


def _given_like(names: str) -> bool:
    """Whether words could be given names: initials, or words with a vowel (not ``Mc``, ``St``)."""
    return bool(names) and all(
        len(word.rstrip(".")) == 1 or any(char in "aeiouy" for char in fold(word))
        for word in names.split()
    )


class _Query(NamedTuple):
    """A parsed citation with its matching keys: per surname, its core(s)."""

    citation: Citation
    variants: tuple[tuple[str, ...], ...]  # full core, then the core without given names
    known: tuple[bool, ...]  # per surname: some entry has an author of that name
    acronym: str  # folded single-word corporate name ("hmie"), else ""


class _Fit(NamedTuple):
    entry: int
    score: float
    fits: bool
    exact: bool  # every compared surname agrees as written
    sims: tuple[float, ...]
    gap: int | None  # |year difference|; None when the citation gives no year
    count_ok: bool
    how: str  # how the first surname matched: exact, given, fuzzy, acronym


class _Found:
    """The scored candidates of one citation signature (see :meth:`_Matcher.candidates`).

    ``ranked`` holds them all, best first; ``fitting`` those that fit, in the
    same order. :meth:`taking` says which take a suffix letter.
    """

    __slots__ = ("_letters", "_taking", "fitting", "ranked")

    def __init__(self, ranked: tuple[_Fit, ...], letters: Callable[[int], tuple[str, ...]]):
        self.ranked = ranked
        self.fitting = tuple(f for f in ranked if f.fits)
        self._letters = letters
        self._taking: dict[str, set[int]] | None = None

    def taking(self, letter: str) -> set[int]:
        """The entries of the cited year that fit and may take the suffix ``letter``.

        Worked out for every letter at once, the first time: an author with
        hundreds of undated works is cited with hundreds of suffixes.
        """
        if self._taking is None:
            self._taking = defaultdict(set)
            for f in self.fitting:
                if f.gap == 0:
                    for each in self._letters(f.entry):
                        self._taking[each].add(f.entry)
        return self._taking.get(letter, set())


class _Result(NamedTuple):
    key: str | None
    status: Status
    score: float
    candidates: tuple[tuple[str, float], ...]
    reason: str
    final: bool = True  # False: an inexact outcome that the fuzzy pass may change


class _Matcher:
    """Resolve parsed citations against one index with one set of settings."""

    def __init__(self, index: Index, settings: ResolverSettings) -> None:
        self.index = index
        self.settings = settings
        #: Fuzzy neighbours of the first-author cores of this run's inexact citations.
        self.near: dict[str, dict[str, float]] = {}
        # scored candidates per what scoring reads of a citation (see candidates)
        self._found: dict[tuple, _Found] = {}

    def query(self, citation: Citation) -> _Query:
        particles = self.index.particles
        variants = []
        for name in citation.surnames:
            full = surname_key(name, particles)
            # a person's given names before the surname ("Donald Ervin Knuth", as CSL prints
            # them to tell authors apart) may have been read as an organisation's name; but
            # a name of two words that some author of the bibliography has ("Barnebeck
            # Andersen") is that author's, not "Andersen" with a given name
            given = ""
            if " " in name and full not in self.index.surnames:
                person = parse_name(name)
                if _given_like(person.first) and (not citation.corporate or _person_like(name)):
                    given = surname_key(person.surname, particles)
            variants.append((full, given) if given and given != full else (full,))
        single = citation.corporate and len(citation.surnames[0].split()) == 1
        surnames = self.index.surnames
        known = tuple(not surnames.isdisjoint(names) for names in variants)
        acronym = fold(citation.surnames[0]) if single else ""
        return _Query(citation, tuple(variants), known, acronym)

    def candidates(self, q: _Query, span: int | None, *, fuzzy: bool = False) -> _Found:
        """Score every entry whose first author could be the citation's, best first.

        ``span`` is the year window (see :meth:`Index.entries_of`); ``fuzzy``
        adds the entries of similar first authors (:attr:`near`). Ordered by
        score, then key. Citations that differ only in what scoring does not
        read (a suffix, a locator, their wording) share one result: a review
        cites a work many times, and an author may have hundreds of works.
        """
        c = q.citation
        undated = c.no_date == "n.d."
        signature = (q.variants, q.known, q.acronym, c.et_al, c.year, undated, span, fuzzy)
        found = self._found.get(signature)
        if found is None:
            keys = self.index.keys
            ranked = sorted(self._score(q, span, fuzzy), key=lambda f: (-f.score, keys[f.entry]))
            found = self._found[signature] = _Found(tuple(ranked), self.index.letters)
        return found

    def _score(self, q: _Query, span: int | None, fuzzy: bool) -> list[_Fit]:
        """Score the candidates of :meth:`candidates`, in no particular order."""
        year, undated = q.citation.year, q.citation.no_date == "n.d."
        entries_of = functools.partial(self.index.entries_of, undated=undated)
        first: dict[int, tuple[float, str]] = {}
        for j, variant in enumerate(q.variants[0]):
            for e in entries_of(variant, year, span):
                first.setdefault(e, (100.0, "given" if j else "exact"))
        for e in self.index.by_acronym.get(q.acronym, ()) if q.acronym else ():
            first.setdefault(e, (_ACRONYM_SIMILARITY, "acronym"))
        for variant in q.variants[0] if fuzzy else ():
            for core, sim in self.near.get(variant, {}).items():
                for e in entries_of(core, year, span):
                    first.setdefault(e, (sim, "fuzzy"))
        return [self.fit(q, e, sim, how) for e, (sim, how) in first.items()]

    def fit(self, q: _Query, e: int, first_sim: float, how: str) -> _Fit:
        """Compare one citation with one entry."""
        c, index = q.citation, self.index
        n, k, open_ = index.n[e], len(c.surnames), index.open[e]
        partial = not c.et_al and not open_ and 3 <= k < n  # three names of four or more
        if c.et_al:  # "et al" stands for at least one more author, and as many as the style
            count_ok = open_ or n >= max(self.settings.et_al_min, k + 1)
        elif open_:  # the entry lists n authors "and others"
            count_ok = n < k
        else:
            count_ok = n == k or partial
        sims = [first_sim]
        cores = index.cores[e]
        for i in range(1, min(k, n)):
            variants = q.variants[i]
            sims.append(
                100.0 if cores[i] in variants else max(similarity(v, cores[i]) for v in variants)
            )
        lowest = min(sims)
        exact = how == "exact" and lowest == 100 and not partial
        entry_year = index.years[e]
        if c.year is None:  # "n.d." says there is no year; "in press" may have one since
            gap = None if c.no_date != "n.d." else 0 if entry_year is None else _NO_MATCH
        else:
            gap = 1 if entry_year is None else abs(c.year - entry_year)
        cost = _YEAR_COST * min(gap or 0, _YEARS_COUNTED) + (
            _PARTIAL_COST if partial else 0 if count_ok else _COUNT_COST
        )
        score = round(max(0.0, sum(sims) / len(sims) - cost), 1)
        fits = (
            count_ok
            and lowest >= self.settings.fuzzy_min
            and (lowest == 100 or not _another_author(q, sims))
            and (gap is None or gap <= self.settings.year_tolerance)
            and (exact or score >= self.settings.fuzzy_min)  # a typo and a year slip at once
        )
        return _Fit(e, score, fits, exact, tuple(sims), gap, count_ok, how)

    def decide(self, q: _Query, found: _Found) -> _Result:
        """Choose a key, or none, from the scored candidates, and say why."""
        c = q.citation
        fits, wrong_suffix = list(found.fitting), []
        if c.year_suffix:  # a suffix names one of the works of the cited year
            taking = found.taking(c.year_suffix)
            wrong_suffix = [f for f in fits if f.gap == 0 and f.entry not in taking]
            fits = [f for f in fits if f.gap != 0 or f.entry in taking]
        dated = c.year is not None or c.no_date is not None
        tier = [f for f in fits if f.exact and (f.gap == 0 or not dated)]
        if tier and c.year_suffix:  # the suffix decides: styles drop particles ("Bavel")
            return self._exact(q, tier, found)
        if len(tier) > 1:  # names as written (particles too) beat names read without them
            ranks = [self._literal(q, f, shown_only=not dated) for f in tier]
            top = max(ranks)
            return self._exact(q, [f for f, r in zip(tier, ranks, strict=True) if r == top], found)
        if tier:
            return self._exact(q, tier, found)
        if any(f.exact for f in wrong_suffix):
            bad = next(f for f in wrong_suffix if f.exact)
            return self._result(q, None, "unresolved", found, self._suffix_reason(q, bad))
        if not fits:
            return self._result(
                q, None, "unresolved", found, self._miss_reason(q, found), final=False
            )
        best = fits[0]
        close = [f for f in fits if best.score - f.score < self.settings.ambiguity_margin]
        close, told = self._by_given_name(q, close)
        best = close[0]
        if len(close) > 1:
            listed = _some(f"{self.index.keys[f.entry]} ({f.score})" for f in close)
            why = f"{len(close)} entries fit {c.authors} {c.date}".rstrip() + (
                f" about equally (scores within {self.settings.ambiguity_margin}): {listed}"
            )
            return self._result(q, None, "ambiguous", found, why, tied=close, final=False)
        works = self.index.works[best.entry]
        if best.gap and works > 1:  # a slip, or a work missing from the bibliography?
            year = self.index.years[best.entry] or "n.d."
            why = (
                f"{c.authors} {_verb(c, 'have', 'has')} {works} works in the bibliography, none "
                f"from {c.date}: the nearest, {self.index.keys[best.entry]} ({year}), may be a "
                "year slip, or the cited work may be missing"
            )
            return self._result(q, None, "unresolved", found, why, tied=[best], final=False)
        status: Status = "year_mismatch" if best.exact else "fuzzy"
        why = self._inexact_reason(q, best) + told
        return self._result(q, best, status, found, why, final=False)

    def _literal(self, q: _Query, f: _Fit, *, shown_only: bool = False) -> int:
        """Rank how literally the names agree: 2 as written, 1 as styles print them, else 0.

        Works of one year that a style prints alike get suffixes, so a dated
        citation without one names the work printed exactly so: ``Bavel 1987``
        is Bavel's (2) before van Bavel's (1: styles drop a particle in lower
        case), and ``Elm et al. 2007`` is von Elm's (1) before Von Elm's (0: a
        capital is never dropped). Works of different years do not get
        suffixes, so for a citation without a year (``Thorp``, which pandoc
        prints for ``on Thorp`` too) only the particles the citation shows
        count (``shown_only``).
        """
        particles = self.index.particles
        rank = 2
        for cited, written in zip(self._as_written(q), self.index.authors[f.entry], strict=False):
            mine = "".join(name_words(cited))  # hyphens and spaces aside: "Bao-ya" is "Baoya"
            if shown_only and mine == surname_key(cited, particles):
                continue  # no particle shown
            if mine == "".join(name_words(written)):
                continue
            if mine != "".join(name_words(without_lower_particles(written))):
                return 0
            rank = 1
        return rank

    def _as_written(self, q: _Query) -> tuple[str, ...]:
        """The cited surnames, with the ``The`` the parser took off an organisation's name."""
        c = q.citation
        first = c.surnames[0]
        if _THE_BEFORE.search(c.raw[: max(c.raw.find(first), 0)]):
            return (f"The {first}", *c.surnames[1:])
        return c.surnames

    def _by_given_name(self, q: _Query, fits: list[_Fit]) -> tuple[list[_Fit], str]:
        """Keep, of several fits, those whose first author has the given names cited.

        Author-date styles print given names or initials to tell apart authors
        of the same surname (``Daniël Lakens`` and ``Daniel Lakens``, ``S.
        Vallgårda`` and ``Signild Vallgårda``): the same given names as
        written beat the same but for accents and case, which beat the same
        initials, which beat neither. Returns the fits kept and, when that
        leaves one of several, a note saying so for the reason.
        """
        cited = self._cited_given(q) if len(fits) > 1 else ""
        if not cited:
            return fits, ""
        ranks = [_given_agreement(cited, self.index.given(f.entry)) for f in fits]
        best = max(ranks)
        kept = [f for f, r in zip(fits, ranks, strict=True) if r == best] if best else fits
        if len(kept) != 1:
            return kept, ""
        others = _some(self.index.keys[f.entry] for f in fits if f is not kept[0])
        return kept, f"; the given name {cited} tells it from {others}"

    def _cited_given(self, q: _Query) -> str:
        """The given names or initials printed before the first surname, if any."""
        c = q.citation
        first = c.surnames[0]
        if len(q.variants[0]) > 1:  # read as "Daniël Lakens": given names and surname
            return parse_name(first).first
        before = c.raw[: max(c.raw.find(first), 0)]
        found = _INITIALS_AT_END.search(before)
        return found.group(1).strip() if found else ""

    def _exact(self, q: _Query, tier: list[_Fit], found: _Found) -> _Result:
        c, keys = q.citation, self.index.keys
        tier.sort(key=lambda f: keys[f.entry])
        tier, told = self._by_given_name(q, tier)
        dated = c.year is not None or c.no_date is not None
        if len(tier) == 1:
            f = tier[0]
            if not dated:
                year = self.index.years[f.entry]
                why = (
                    f"no year given; {c.authors} {_verb(c)} only {keys[f.entry]} ({year or 'n.d.'})"
                )
                return self._result(q, f, "no_year", found, why)
            return self._result(q, f, "exact", found, self._exact_reason(q, f) + told)
        listed = _some(keys[f.entry] for f in tier)
        if not dated:
            years = _some(f"{keys[f.entry]} ({self.index.years[f.entry]})" for f in tier)
            why = f"no year given, and {c.authors} {_verb(c)} {len(tier)} entries: {years}"
        elif c.year_suffix:
            why = (
                f"{c.authors} {c.date} could be any of {listed}: author-date styles order "
                "these works differently (by month or not, with or without a leading article), "
                "or they share date and title"
            )
        else:
            why = (
                f"{len(tier)} entries are {c.authors} {c.date} with no suffix "
                f"(a, b, ...) to tell them apart: {listed}"
            )
        return self._result(q, None, "ambiguous", found, why, tied=tier)

    def _result(
        self,
        q: _Query,
        chosen: _Fit | None,
        status: Status,
        found: _Found,
        reason: str,
        *,
        tied: Sequence[_Fit] = (),
        final: bool = True,
    ) -> _Result:
        keys = self.index.keys
        tied = tied[:WIDE]
        skip = {f.entry for f in tied} | ({chosen.entry} if chosen else set())
        wanted = max(self.settings.max_candidates, len(tied)) - len(tied)
        rest = list(itertools.islice((f for f in found.ranked if f.entry not in skip), wanted))
        listed = tuple((keys[f.entry], f.score) for f in [*tied, *rest])
        if chosen is None:
            return _Result(None, status, listed[0][1] if listed else 0.0, listed, reason, final)
        return _Result(keys[chosen.entry], status, chosen.score, listed, reason, final)

    def _exact_reason(self, q: _Query, f: _Fit) -> str:
        c, index = q.citation, self.index
        key = index.keys[f.entry]
        why = f"{c.authors} {c.date} matches {key}"
        written = tuple(index.authors[f.entry][: len(c.surnames)])
        if written != c.surnames[: len(written)]:
            why += f" ({index.labels[f.entry]}; case, accents and particles aside)"
        if c.year_suffix and index.group_size[f.entry] > 1:
            why += (
                f", suffix {c.year_suffix} among the {index.group_size[f.entry]} {c.authors} "
                f"{c.year or 'n.d.'} entries sorted by date, then title"
            )
        return why

    def _inexact_reason(self, q: _Query, f: _Fit) -> str:
        c, index = q.citation, self.index
        key, entry_year = index.keys[f.entry], index.years[f.entry]
        year_text = "undated" if entry_year is None else str(entry_year)
        if f.exact:
            return f"{c.authors} {_verb(c)} {key}, whose year is {year_text}, not {c.date}"
        names = index.authors[f.entry]
        if f.how == "acronym":
            readings = [f'"{c.surnames[0]}" is read as the initials of "{names[0]}"']
        elif f.how == "given":
            readings = [f'"{c.surnames[0]}" is read as a given name and the surname {names[0]}']
        elif len(c.surnames) < len(names) and not c.et_al:
            readings = [
                f"the citation names {len(c.surnames)} of the {len(names)} authors "
                f"(not {', '.join(names[len(c.surnames) :])})"
            ]
        else:
            readings = [_spelling(c.surnames[i], names[i]) for i, s in enumerate(f.sims) if s < 100]
        why = " and ".join(readings)
        if f.gap is None:
            return f"{why}; no year given, and {key} ({year_text}) is the only close match"
        if f.gap:
            return f"{why}, and the year differs: {key} is {year_text}, not {c.date}"
        return f"{why}; so read, authors and year {c.date} match {key}"

    def _suffix_reason(self, q: _Query, f: _Fit) -> str:
        c, index = q.citation, self.index
        key, size = index.keys[f.entry], index.group_size[f.entry]
        year = c.year or "n.d."
        if size == 1:
            return (
                f"cited as {c.date}, but {key} is the only {c.authors} {year} entry and takes "
                "no suffix: the cited work may be missing from the bibliography"
            )
        return (
            f"cited as {c.date}, but none of the {size} {c.authors} {year} entries takes the "
            f"suffix {c.year_suffix}: the cited work may be missing from the bibliography"
        )

    def _miss_reason(self, q: _Query, found: _Found) -> str:
        c, index = q.citation, self.index
        if not found.ranked:
            return f"no bibliography entry has a first author like {c.surnames[0]}"
        best = found.ranked[0]
        key, n = index.keys[best.entry], index.n[best.entry]
        if not best.count_ok:
            cited = f"{len(c.surnames)} author{'s' if len(c.surnames) > 1 else ''}"
            cited += " and et al." if c.et_al else ""
            listed = (
                f"{n} author{'s' if n > 1 else ''}{' and others' if index.open[best.entry] else ''}"
            )
            return f"the nearest entry, {key}, lists {listed}, but the citation gives {cited}"
        if _another_author(q, best.sims):
            i = next(i for i, s in enumerate(best.sims) if s < 100 and q.known[i])
            return (
                f'the nearest entry is {key}, but "{c.surnames[i]}" is not read as a '
                f'misspelling of "{index.authors[best.entry][i]}": the bibliography has '
                f"works by {c.surnames[i]}, and this may be one missing from it"
            )
        if min(best.sims) < self.settings.fuzzy_min:
            i = best.sims.index(min(best.sims))
            return (
                f'the nearest entry is {key}, but "{c.surnames[i]}" is too far from '
                f'"{index.authors[best.entry][i]}" (similarity {min(best.sims):.0f}, '
                f"below {self.settings.fuzzy_min})"
            )
        tolerance = self.settings.year_tolerance
        return f"the nearest entry by {c.authors} is {key} ({index.years[best.entry]}), " + (
            f"not {c.date}, and no year slip is read (year_tolerance 0)"
            if tolerance == 0
            else f"more than {tolerance} year{'s' if tolerance > 1 else ''} from {c.date}"
        )


def _another_author(q: _Query, sims: Sequence[float]) -> bool:
    """Whether a surname read as misspelt is the name of another author of the bibliography.

    ``Zhuang 2017`` against ``Zhang 2017`` is one letter off, but when some entry
    has an author Zhuang the citation more likely names a work of Zhuang's that
    is missing than misspells Zhang.
    """
    return any(s < 100 and k for s, k in zip(sims, q.known, strict=False))


def _some(items: Iterable[str], limit: int = 5) -> str:
    """Join items as ``a, b, c``, or past ``limit`` items as ``a, b, c, d, e and 7 more``."""
    listed = list(items)
    more = f" and {len(listed) - limit} more" if len(listed) > limit else ""
    return ", ".join(listed[:limit]) + more


def _verb(citation: Citation, plural: str = "match", singular: str = "matches") -> str:
    """``match`` after several authors, ``matches`` after one."""
    return plural if citation.et_al or len(citation.surnames) > 1 else singular


def _spelling(cited: str, found: str) -> str:
    """``"Hemmelgard" is read as "Hemmelgarn" (1 letter differs)``."""
    a, b = fold(cited).replace(" ", ""), fold(found).replace(" ", "")
    if sorted(a) == sorted(b):
        what = "the same letters in another order"
    else:
        edits = Levenshtein.distance(a, b)
        what = "1 letter differs" if edits == 1 else f"{edits} letters differ"
    return f'"{cited}" is read as "{found}" ({what})'


def _progress(total: int, progress: bool | None) -> tqdm:
    """Make a tqdm bar, shown when asked, or on long runs in a terminal outside CI."""
    if progress is None:
        stream = sys.stderr
        progress = (
            total > _PROGRESS_MIN
            and stream is not None
            and stream.isatty()
            and not os.environ.get("CI")
        )
    return tqdm(total=total, disable=not progress, desc="resolving", unit="citation")


def _run(matcher: _Matcher, citations: Iterable[Citation], progress: bool | None) -> dict:
    """Resolve distinct citations: exact pass, then one vectorised fuzzy pass."""
    todo = list(citations)
    results: dict[Citation, _Result] = {}
    misses: list[_Query] = []
    with _progress(len(todo), progress) as bar:
        for citation in todo:
            q = matcher.query(citation)
            result = matcher.decide(q, matcher.candidates(q, 0))  # the cited year only
            if result.final:
                results[citation] = result
                bar.update()
            else:
                misses.append(q)
        cutoff = max(0.0, matcher.settings.fuzzy_min - _NEAR_MISS)
        matcher.near = matcher.index.neighbours((v for q in misses for v in q.variants[0]), cutoff)
        tolerance = matcher.settings.year_tolerance
        for q in misses:
            found = matcher.candidates(q, tolerance, fuzzy=True)
            if not found.fitting:  # list the near misses of any year
                found = matcher.candidates(q, None, fuzzy=True)
            results[q.citation] = matcher.decide(q, found)
            bar.update()
    for citation, result in results.items():
        if result.key is None:
            results[citation] = _as_two_authors(matcher, citation) or result
    _distrust_missing_letters(matcher, results)
    _check_pages(matcher, results)
    return results


_AND = re.compile(r"\s+(?:and|&)\s+")


def _as_two_authors(matcher: _Matcher, citation: Citation) -> _Result | None:
    """Read an organisation's name with "and" in it as two authors, if that finds a key.

    ``Hausenberg and Fredensborg Kommune 2012`` reads as one organisation
    (``Kommune``), but no entry has it as its author; ``Hausenberg`` and
    ``Fredensborg Kommune`` may be.
    """
    parts = _AND.split(citation.surnames[0]) if citation.corporate else []
    if len(citation.surnames) != 1 or len(parts) != 2:
        return None
    two = dataclasses.replace(citation, surnames=tuple(parts), corporate=False)
    q = matcher.query(two)
    found = matcher.decide(q, matcher.candidates(q, matcher.settings.year_tolerance))
    if found.key is None:
        return None
    read = f'read as two authors, "{parts[0]}" and "{parts[1]}": '
    return found._replace(reason=read + found.reason)


_THE_BEFORE = re.compile(r"(?:^|\W)the\s+$", re.IGNORECASE)
_INITIALS_AT_END = re.compile(r"(?:^|[\s(\[])((?:[^\W\d_]\.[\s-]*)+)$")


def _given_agreement(cited: str, given: str) -> int:
    """3: the same given names as written; 2: accents and case aside; 1: initials; 0: no."""
    cited_words, given_words = fold(cited).split(), fold(given).split()
    if not cited_words or not given_words:
        return 0
    if cited.split() == given.split():
        return 3
    if cited_words == given_words:
        return 2
    initials = [word[0] for word in given_words]
    if all(len(word) == 1 for word in cited_words):
        return int([word[0] for word in cited_words] == initials[: len(cited_words)])
    return 0


def _distrust_missing_letters(matcher: _Matcher, results: dict[Citation, _Result]) -> None:
    """Take back suffixed keys of works some of which the bibliography lacks.

    When the citations name ``2008c`` but the bibliography has only two works
    of those authors and year, one work the text cites is missing, and the
    letters the style gave (``a`` may be the missing one) cannot be matched to
    the works that remain: each such citation becomes ``unresolved``, the
    entry it matched listed first.
    """
    particles = matcher.index.particles

    def authors_and_year(c: Citation) -> tuple:
        return (tuple(surname_key(s, particles) for s in c.surnames), c.et_al, c.year, c.no_date)

    cited: dict[tuple, set[str]] = defaultdict(set)
    for c in results:
        if c.year_suffix:
            cited[authors_and_year(c)].add(c.year_suffix)
    furthest = {group: max(letters, key=letter_rank) for group, letters in cited.items()}
    for c, result in list(results.items()):
        if not (c.year_suffix and result.key and result.status == "exact"):
            continue
        size = matcher.index.group_size[matcher.index.position[result.key]]
        beyond = furthest[authors_and_year(c)]
        if letter_rank(beyond) < size:
            continue
        year = c.date.removesuffix(c.year_suffix).rstrip("-")
        results[c] = result._replace(
            key=None,
            status="unresolved",
            candidates=((result.key, result.score), *result.candidates),
            reason=(
                f"{c.authors} {c.date} would be {result.key}, but the citations also name "
                f"{c.authors} {year}{beyond} and the bibliography has {size} such works: a work "
                "the text cites is missing, so its letters cannot be matched to the works left"
            ),
        )


_PAGE_LABEL = re.compile(r"^pp?\.?\s*")


def _check_pages(matcher: _Matcher, results: dict[Citation, _Result]) -> None:
    """Weigh a cited page against the pages of the entry it matched.

    ``Angrist & Pischke 2008, p. 264`` cannot be the 2010 article on pages 3-30:
    a misspelt or off-year citation whose page falls outside its entry's
    pages gets no key (``unresolved``, the entry listed first); an exact one
    keeps its key, and the reason says so. Only plain page numbers are read
    (not ``viii:166`` or ``chap. 3``), and only against numeric page ranges.
    """
    index = matcher.index
    for c, result in list(results.items()):
        key = result.key
        cited = page_range(_PAGE_LABEL.sub("", c.locator)) if c.locator else None
        if key is None or cited is None:
            continue
        pages = index.pages(index.position[key])
        if not pages or pages[0] <= cited[0] <= cited[1] <= pages[1]:
            continue
        outside = f"{c.locator} is outside {key}'s pages {pages[0]}-{pages[1]}"
        if result.status in ("fuzzy", "year_mismatch"):
            results[c] = result._replace(
                key=None,
                status="unresolved",
                candidates=((key, result.score), *result.candidates),
                reason=f"{result.reason}; but {outside}: the cited work may be another, "
                "missing from the bibliography",
            )
        else:
            results[c] = result._replace(reason=f"{result.reason}; but {outside}")


def _pinned(
    matcher: _Matcher, parsed: Citation | CitationError, result: _Result, pin: str
) -> _Result:
    """Make the row for a pinned key: the pin wins, the status still reports the text."""
    index = matcher.index
    if pin not in index.position:
        reason = f"the pinned key {pin} is not in the bibliography; the text alone: {result.reason}"
        return _Result(None, "unresolved", result.score, result.candidates, reason)
    if result.key == pin:
        return result._replace(reason=f"key pinned, and the text agrees: {result.reason}")
    score = 0.0
    e = index.position[pin]
    if isinstance(parsed, Citation) and index.cores[e]:
        q = matcher.query(parsed)
        first = max(similarity(variant, index.cores[e][0]) for variant in q.variants[0])
        score = matcher.fit(q, e, first, "exact" if first == 100 else "fuzzy").score
    others = tuple(c for c in result.candidates if c[0] != pin)
    reason = f"key {pin} is pinned; the text alone: {result.reason}"
    return _Result(pin, result.status, score, others, reason)


def resolve(
    citations: Iterable[str | Citation] | pd.Series,
    bibliography: Bibliography,
    *,
    keys: Sequence[str | None] | pd.Series | None = None,
    settings: ResolverSettings | None = None,
    progress: bool | None = None,
) -> pd.DataFrame:
    """Tie each citation to a bibliography entry, or say why none is chosen.

    Parameters
    ----------
    citations : iterable of str or Citation, or pandas.Series of str
        Citations as written (``Rushmore & Pallis 2002``), or parsed ones. A
        value that is no citation (empty, missing, only a year) gives an
        ``unresolved`` row; it never raises.
    bibliography : Bibliography
        The entries to match. Its index is built on first use and kept while
        the object lives.
    keys : sequence of str or None, optional
        Pinned keys, one per citation (None or empty where none is pinned).
        A pinned key in the bibliography always wins: the row gets it and
        ``pinned=True``, while ``status`` still says how the text matches. A
        pinned key not in the bibliography gives ``unresolved`` and no key.
    settings : ResolverSettings, optional
        Thresholds; the defaults when omitted.
    progress : bool, optional
        Show a tqdm progress bar. By default one is shown for more than 5,000
        citations when standard error is a terminal and ``CI`` is not set.

    Returns
    -------
    pandas.DataFrame
        One row per citation, in input order, with the columns of
        :data:`COLUMNS`: ``citation`` (the text), ``surnames``, ``year``,
        ``year_suffix``, ``key``, ``status`` (one of :data:`STATUSES`),
        ``score`` (0-100, how well the text matches the key or, without a
        key, the best candidate), ``candidates`` (runners-up as ``(key,
        score)``, best first; for ``ambiguous``, every tied entry first),
        ``reason`` (one sentence) and ``pinned``.

    Raises
    ------
    ValueError
        ``keys`` is not as long as ``citations``.

    Examples
    --------
    >>> bib = Bibliography.from_string('''
    ... @article{rushmer2003, author = {Rushmer, Rosemary and Pallis, G.}, year = 2003}
    ... @article{park2003, author = {Park, Jiyeon and Turnbull, Ann P.}, year = 2003}
    ... ''')
    >>> found = resolve(["Rushmore & Pallis 2002", "Park & Turnbull"], bib)
    >>> found[["key", "status"]].values.tolist()
    [['rushmer2003', 'fuzzy'], ['park2003', 'no_year']]
    >>> print(found.reason[0])  # doctest: +NORMALIZE_WHITESPACE
    "Rushmore" is read as "Rushmer" (2 letters differ), and the year differs:
    rushmer2003 is 2003, not 2002
    """
    settings = ResolverSettings() if settings is None else settings
    items = [citations] if isinstance(citations, str) else list(citations)
    pins = [None] * len(items) if keys is None else list(keys)
    if len(pins) != len(items):
        raise ValueError(f"keys has {len(pins)} values for {len(items)} citations")
    parsed: list[Citation | CitationError] = []
    for item in items:
        if isinstance(item, Citation):
            parsed.append(item)
            continue
        try:
            parsed.append(parse_citation(item if isinstance(item, str) else ""))
        except CitationError as error:
            parsed.append(error)
    matcher = _Matcher(index_for(bibliography, settings), settings)
    results = _run(matcher, dict.fromkeys(c for c in parsed if isinstance(c, Citation)), progress)
    rows = []
    for item, citation, pin in zip(items, parsed, pins, strict=True):
        if isinstance(citation, Citation):
            result = results[citation]
            text, surnames, year = citation.raw, citation.surnames, citation.year
            suffix = citation.year_suffix or None
        else:
            result = _Result(None, "unresolved", 0.0, (), str(citation))
            text, surnames, year, suffix = (item if isinstance(item, str) else ""), (), None, None
        pinned = False
        if isinstance(pin, str) and pin.strip():
            result = _pinned(matcher, citation, result, pin.strip())
            pinned = result.key is not None
        rows.append((text, surnames, year, suffix, *result[:5], pinned))
    return schema.conform(pd.DataFrame(rows, columns=list(COLUMNS)), "resolutions")
