"""Every tunable number, in frozen, keyword-only, validated dataclasses.

:class:`ResolverSettings` holds the citation resolver's thresholds and
:class:`Rubric` the rules that rate the strength of evidence. Pass one
settings object to the function that uses it, change it with
:func:`dataclasses.replace`, and print :meth:`ResolverSettings.as_dict` in a
report so that the result can be reproduced. Nothing here reads globals or the
environment.
"""

from __future__ import annotations

import dataclasses
import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from .errors import SettingsError
from .suggest import did_you_mean
from .vocab import EVIDENCE_TYPES, QUALITY_LEVELS

__all__ = ["ResolverSettings", "Rubric"]

#: The values of :attr:`ResolverSettings.suffix_order`.
SUFFIX_ORDERS = ("any", "date-title", "year-title", "apa")
#: The values of :attr:`ResolverSettings.leading_articles`.
LEADING_ARTICLES = ("either", "skipped", "sorted")
#: The values of :attr:`ResolverSettings.title_collation`.
TITLE_COLLATIONS = ("any", "pandoc")
#: What :meth:`ResolverSettings.for_style` knows of each author-date style, from its
#: CSL file: how it orders works that take suffixes, and from how many authors it
#: writes "et al.".
STYLES: dict[str, dict[str, Any]] = {
    "apa": {"suffix_order": "apa", "et_al_min": 3},
    "chicago": {"suffix_order": "date-title", "et_al_min": 4},
    "harvard": {"suffix_order": "year-title", "et_al_min": 4},
}
#: What :meth:`ResolverSettings.for_style` knows of the programs that print citations.
PROCESSORS: dict[str, dict[str, Any]] = {
    "any": {},
    "pandoc": {"leading_articles": "sorted", "title_collation": "pandoc"},
}

#: Name particles that may precede a surname (folded, lowercase). A multi-word
#: particle such as ``van der`` is matched word by word.
DEFAULT_PARTICLES: tuple[str, ...] = (
    "van",
    "von",
    "de",
    "der",
    "den",
    "da",
    "di",
    "du",
    "la",
    "le",
    "del",
    "della",
    "des",
    "dos",
    "das",
    "ten",
    "ter",
    "zu",
    "vom",
    "af",
    "av",
    "y",
    "e",
    "op",
    "van der",
    "van den",
    "van het",
    "op de",
    "op den",
    "von der",
    "de la",
)


def _check_range(name: str, value: Any, low: int, high: int, *, integer: bool) -> None:
    """Raise :class:`SettingsError` unless ``value`` is a number from ``low`` to ``high``."""
    kinds: tuple[type[int] | type[float], ...] = (int,) if integer else (int, float)
    if isinstance(value, bool) or not isinstance(value, kinds) or not low <= value <= high:
        expected = f"{'an integer' if integer else 'a number'} from {low} to {high}"
        raise SettingsError(
            f"ResolverSettings.{name} = {value!r} is out of range: expected {expected}",
            value=value,
            expected=expected,
        )


@dataclass(frozen=True, kw_only=True)
class ResolverSettings:
    """Thresholds of the citation resolver (:func:`evidence.resolve.resolve`).

    Surname similarity (:func:`evidence.resolve.similarity`) compares the
    folded surnames (case, accents, punctuation and particles removed):
    ``100 * (1 - edits / length of the longer name)``, where an edit inserts,
    deletes or replaces a letter, or swaps two neighbours. ``Rushmore`` and
    ``Rushmer`` are 2 edits apart over 8 letters: 75.

    Parameters
    ----------
    fuzzy_min : float
        Lowest surname similarity (0-100) read as a misspelling of a surname
        in the bibliography rather than another name. The default 75 allows
        one edit per four letters: one typo in names of 4 to 7 letters (``Pork``
        for ``Park``), two from 8 letters (``Rushmore`` for ``Rushmer``, the
        seed review's worst typo), while names that only share a part
        (``Hainmueller`` and ``Mueller``: 63.6) stay below.
    ambiguity_margin : float
        Score gap (0-100 points) under which the two best inexact candidates
        count as "about equal", so that the citation is ``ambiguous`` and no
        key is chosen. A year off by one costs 10 points and one typo in an
        8-letter name 12.5, so the default 10 makes those two competing
        explanations ambiguous rather than picking one.
    year_tolerance : int
        Largest difference in years (0-10) still read as a year slip
        (``year_mismatch``) rather than another work. The default 2 covers
        the usual slips (preprint or online-first year against print year,
        a digit mistyped in the last place).
    et_al_min : int
        The fewest authors (2-20) the review's style shortens to the first
        name and "et al." (APA 7: 3; Chicago author-date and Harvard Cite Them
        Right: 4). ``Smith et al. 2003`` then fits only entries with at least
        that many authors, and works with fewer authors print every name, so
        they take suffixes only among works with the same names. The default
        3 is the fewest any common style shortens: safe when the style is not
        known, since more entries fit.
    max_candidates : int
        How many runners-up (1-50) a resolution lists, best first. The default
        5 is enough to choose from by eye.
    suffix_order : {"any", "date-title", "year-title", "apa"}
        How the review's style ordered works of the same authors and year
        when it gave them suffixes (``2004a``, ``2004b``). ``"date-title"``:
        by full date, month included, then title (Chicago author-date);
        ``"year-title"``: by title within the year (Harvard Cite Them Right);
        ``"apa"``: as APA 7 sorts "by issue date as printed", by year for
        articles, books, chapters, reports and theses and by full date for
        ``@misc`` and ``@online`` works, both for other types. The default
        ``"any"`` tries both orders: a suffix names an entry only where they
        agree, and is ``ambiguous`` otherwise. Say the style when you know it.
    leading_articles : {"either", "skipped", "sorted"}
        How the program that printed the review sorted a title beginning
        with "A", "An" or "The" when it ordered suffixes: ``"skipped"`` sorts
        by the next word, ``"sorted"`` by the article itself (as pandoc's
        citeproc does). CSL processors differ, so the default ``"either"``
        tries both readings, and a suffix they give to different works is
        ``ambiguous``.
    title_collation : {"any", "pandoc"}
        How that program compared titles, punctuation and all. ``"pandoc"``:
        as pandoc's citeproc does (words split at spaces, commas and
        apostrophes, compared by letters and digits, then by punctuation:
        ``Gaia Erratum.`` before ``Gaia.``). The default ``"any"`` also tries
        punctuation read as a space, dropped, or ranked before letters, and a
        suffix these readings give to different works is ``ambiguous``.
    particles : tuple of str
        Name particles ignored when surnames are compared, lowercase (``van``,
        ``de la``): ``van Eyk`` matches ``Eyk``. A multi-word particle is
        matched word by word. The default holds the common Dutch, German,
        French, Italian, Spanish, Portuguese and Scandinavian ones.

    Raises
    ------
    SettingsError
        A value out of its range, naming the field, the value and the range.

    Examples
    --------
    >>> settings = ResolverSettings(fuzzy_min=80)
    >>> settings.fuzzy_min, settings.year_tolerance
    (80, 2)
    >>> ResolverSettings(year_tolerance=-1)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    evidence.errors.SettingsError: ResolverSettings.year_tolerance = -1 is out of range: ...
    """

    fuzzy_min: float = 75
    ambiguity_margin: float = 10
    year_tolerance: int = 2
    et_al_min: int = 3
    max_candidates: int = 5
    suffix_order: Literal["any", "date-title", "year-title", "apa"] = "any"
    leading_articles: Literal["either", "skipped", "sorted"] = "either"
    title_collation: Literal["any", "pandoc"] = "any"
    particles: tuple[str, ...] = DEFAULT_PARTICLES

    def __post_init__(self) -> None:
        """Check every field, and store ``particles`` as a tuple."""
        _check_range("fuzzy_min", self.fuzzy_min, 50, 100, integer=False)
        _check_range("ambiguity_margin", self.ambiguity_margin, 0, 50, integer=False)
        _check_range("year_tolerance", self.year_tolerance, 0, 10, integer=True)
        _check_range("et_al_min", self.et_al_min, 2, 20, integer=True)
        _check_range("max_candidates", self.max_candidates, 1, 50, integer=True)
        for name, allowed in (
            ("suffix_order", SUFFIX_ORDERS),
            ("leading_articles", LEADING_ARTICLES),
            ("title_collation", TITLE_COLLATIONS),
        ):
            value = getattr(self, name)
            if value not in allowed:
                raise SettingsError(
                    f"ResolverSettings.{name} = {value!r} is not one of {', '.join(allowed)}",
                    value=value,
                    expected=" | ".join(allowed),
                )
        particles = self.particles
        if isinstance(particles, str) or not isinstance(particles, (tuple, list)):
            raise SettingsError(
                f"ResolverSettings.particles = {particles!r} is not a tuple of words",
                value=particles,
                expected="a tuple of lowercase words such as ('van', 'de la')",
            )
        for particle in particles:
            if (
                not isinstance(particle, str)
                or not particle.strip()
                or particle != particle.lower()
                or particle != " ".join(particle.split())
                or not all(word.isalpha() for word in particle.split())
            ):
                raise SettingsError(
                    f"ResolverSettings.particles holds {particle!r}: "
                    "expected lowercase words of letters separated by single spaces",
                    value=particle,
                    expected="lowercase words such as 'van' or 'de la'",
                )
        object.__setattr__(self, "particles", tuple(particles))

    @classmethod
    def for_style(cls, style: str, processor: str = "any", **changes: Any) -> ResolverSettings:
        """Settings for a review printed in a known style, by a known program.

        Parameters
        ----------
        style : {"apa", "chicago", "harvard"}
            The author-date style (APA 7, Chicago author-date, Harvard Cite Them
            Right): sets :attr:`suffix_order` and :attr:`et_al_min` as the
            style's CSL file does.
        processor : {"any", "pandoc"}
            The program that printed the citations: ``"pandoc"`` sets
            :attr:`leading_articles` and :attr:`title_collation` as pandoc's
            citeproc sorts; ``"any"`` leaves both to try every reading.
        **changes
            Any other setting.

        Raises
        ------
        SettingsError
            An unknown style or processor, with the known ones.

        Examples
        --------
        >>> apa = ResolverSettings.for_style("apa", processor="pandoc")
        >>> apa.suffix_order, apa.et_al_min, apa.title_collation
        ('apa', 3, 'pandoc')
        """
        for name, value, known in (("style", style, STYLES), ("processor", processor, PROCESSORS)):
            if value not in known:
                raise SettingsError(
                    f"ResolverSettings.for_style: {name} {value!r} is not one of "
                    f"{', '.join(known)}{did_you_mean(value, known)}",
                    value=value,
                    expected=" | ".join(known),
                )
        return cls(**{**STYLES[style], **PROCESSORS[processor], **changes})

    def as_dict(self) -> dict[str, Any]:
        """Every setting by name, for reports and reproducibility.

        Returns
        -------
        dict
            Field name to value, in declaration order.

        Examples
        --------
        >>> ResolverSettings().as_dict()["ambiguity_margin"]
        10
        """
        return {field.name: getattr(self, field.name) for field in dataclasses.fields(self)}


@dataclasses.dataclass(frozen=True, kw_only=True)
class Rubric:
    """The rules that turn tagged studies into a rating per theme.

    The levels adapt best-evidence synthesis [1]_ to qualitative and mixed
    evidence, with study quality judged as in the EPPI-Centre's weight of
    evidence [2]_: the evidence type stands for the appropriateness of the
    design (WoE B), an appraised ``quality`` field for methodological quality
    (WoE A), and the review context for topic relevance (WoE C, used by
    :func:`assess_confidence`). Each study falls in one tier:

    - *high quality*: its type is in ``high_quality_types`` and it has no
      ``quality``, or it has a ``quality`` in ``high_quality_levels`` and is
      neither weak nor of unknown type;
    - *weak*: its type is in ``weak_types`` (whatever its quality: opinion is
      not research however well argued);
    - *unknown*: no or an unrecognised evidence type (never high quality);
    - *low quality*: every other study (``review``, or a ``quality`` outside
      ``high_quality_levels``, including an unrecognised one).

    A theme's rating is the first that applies:

    1. ``none``: no studies.
    2. ``inconclusive``: a study of a type in ``inconclusive_verdict_types``
       (a review) is tagged ``inconclusive``: the review's verdict on the
       literature stands, whatever else agrees.
    3. ``inconclusive``: fewer than ``consistency`` of the studies are on the
       majority side, ``supports`` or ``contradicts`` (van Tulder's
       *conflicting evidence*: below 75% consistent). ``mixed`` and
       ``inconclusive`` positions count against consistency.
    4. ``strong``: at least ``strong_min_high`` high-quality studies on the
       majority side (consistent findings in multiple high-quality studies).
    5. ``moderate``: at least ``moderate_min_high`` high-quality studies, or at
       least ``moderate_min_low`` high- or low-quality studies, on the majority
       side (multiple low-quality studies and/or one high-quality study).
    6. ``limited``: otherwise (one low-quality study, or weak and unknown
       sources only: these never make evidence moderate or strong on their
       own).

    The rating grades evidence for the majority finding, which ``reason``
    names: ``strong`` with ``contradicts`` is strong evidence against the
    theme's claim.

    Parameters
    ----------
    high_quality_types : tuple of str
        Evidence types that count as high quality unless appraised otherwise.
    weak_types : tuple of str
        Evidence types that never count towards ``moderate`` or ``strong``:
        guidance, policy and commentary are expert opinion, not research.
    high_quality_levels : tuple of str
        Values of the ``quality`` field that make a study high quality.
    inconclusive_verdict_types : tuple of str
        Evidence types whose ``inconclusive`` stance makes a theme inconclusive.
    consistency : float
        Share of studies on the majority side for findings to be consistent,
        in (0.5, 1]; van Tulder et al. use 0.75.
    strong_min_high, moderate_min_high, moderate_min_low : int
        Agreeing studies needed for ``strong`` and ``moderate``.
    concern_shares : tuple of float
        CERQual: the shares of high-quality (limitations) or matching
        (relevance) studies at or above which a component has no or very
        minor, minor and moderate concerns; below the last, serious concerns.
    adequacy_studies : tuple of int
        CERQual adequacy: the numbers of studies at or above which there are
        no or very minor, minor and moderate concerns; below, serious.
    adequacy_quote_share : float
        CERQual adequacy: when fewer than this share of studies have a quote,
        the data are thin and adequacy has one more level of concern.
    context_countries, context_sectors : tuple of str
        CERQual relevance: the review's context. Empty means relevance cannot
        be judged from the data.

    Raises
    ------
    SettingsError
        A field is out of range; the message names the field, its value and
        what is allowed.

    Examples
    --------
    >>> import dataclasses
    >>> strict = dataclasses.replace(Rubric(), consistency=0.9)
    >>> strict.consistency
    0.9
    >>> Rubric(consistency=0.4)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    evidence.errors.SettingsError: Rubric.consistency = 0.4 is out of range; allowed: a number in...

    References
    ----------
    .. [1] van Tulder M, Furlan A, Bombardier C, Bouter L and the Editorial Board of
       the Cochrane Collaboration Back Review Group (2003). Updated method
       guidelines for systematic reviews in the Cochrane Collaboration Back Review
       Group. *Spine* 28(12):1290-1299. doi:10.1097/01.BRS.0000065484.95996.AF
    .. [2] Gough D (2007). Weight of evidence: a framework for the appraisal of the
       quality and relevance of evidence. *Research Papers in Education*
       22(2):213-228. doi:10.1080/02671520701296189
    """

    high_quality_types: tuple[str, ...] = (
        "systematic_review",
        "empirical_qualitative",
        "empirical_quantitative",
        "mixed_methods",
        "evaluation",
    )
    weak_types: tuple[str, ...] = ("guidance", "policy", "commentary")
    high_quality_levels: tuple[str, ...] = ("high",)
    inconclusive_verdict_types: tuple[str, ...] = ("systematic_review", "review")
    consistency: float = 0.75
    strong_min_high: int = 2
    moderate_min_high: int = 1
    moderate_min_low: int = 2
    concern_shares: tuple[float, float, float] = (0.75, 0.5, 0.25)
    adequacy_studies: tuple[int, int, int] = (5, 3, 2)
    adequacy_quote_share: float = 0.5
    context_countries: tuple[str, ...] = ()
    context_sectors: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if str(field.type).startswith("tuple"):
                if isinstance(value, str) or not isinstance(value, Sequence):
                    self._fail(field.name, "a tuple")
                object.__setattr__(self, field.name, tuple(value))
        kinds, high = set(EVIDENCE_TYPES), set(self.high_quality_types)
        types = f"evidence types from {', '.join(EVIDENCE_TYPES)}"
        shares, counts = [self._number(v) for v in self.concern_shares], self.adequacy_studies
        checks = {  # field: (in range, what is allowed)
            "high_quality_types": (high <= kinds, types),
            "weak_types": (set(self.weak_types) <= kinds - high, f"{types}; none high quality"),
            "inconclusive_verdict_types": (set(self.inconclusive_verdict_types) <= kinds, types),
            "high_quality_levels": (
                set(self.high_quality_levels) <= set(QUALITY_LEVELS),
                f"levels from {', '.join(QUALITY_LEVELS)}",
            ),
            "consistency": (0.5 < self._number(self.consistency) <= 1, "a number in (0.5, 1]"),
            "strong_min_high": (self._count(self.strong_min_high) >= 1, "a whole number >= 1"),
            "moderate_min_high": (
                1 <= self._count(self.moderate_min_high) <= self._count(self.strong_min_high),
                "a whole number from 1 to strong_min_high",
            ),
            "moderate_min_low": (self._count(self.moderate_min_low) >= 1, "a whole number >= 1"),
            "concern_shares": (
                len(shares) == 3 and 1 >= shares[0] > shares[1] > shares[2] > 0,
                "three decreasing numbers in (0, 1]",
            ),
            "adequacy_studies": (
                len(counts) == 3
                and list(map(self._count, counts)) == list(counts)
                and counts[0] > counts[1] > counts[2] >= 1,
                "three decreasing whole numbers >= 1",
            ),
            "adequacy_quote_share": (
                0 <= self._number(self.adequacy_quote_share) <= 1,
                "a share in [0, 1]",
            ),
        }
        for name in ("context_countries", "context_sectors"):
            values = getattr(self, name)
            checks[name] = (all(isinstance(v, str) and v.strip() for v in values), "names")
        for name, (ok, allowed) in checks.items():
            if not ok:
                self._fail(name, allowed)

    @staticmethod
    def _number(value: object) -> float:
        """``value`` as a float for range checks; NaN (never in range) if it is no number."""
        if isinstance(value, numbers.Real) and not isinstance(value, bool):
            return float(value)
        return float("nan")

    @staticmethod
    def _count(value: object) -> int:
        """``value`` if it is a whole number, else -1 (never in range)."""
        return value if isinstance(value, int) and not isinstance(value, bool) else -1

    def _fail(self, name: str, allowed: str) -> None:
        value = getattr(self, name)
        raise SettingsError(
            f"Rubric.{name} = {value!r} is out of range; allowed: {allowed}",
            key=name,
            value=value,
            expected=allowed,
        )


#: Ratings from weakest to strongest. In this order, adding a supporting study to a
#: theme whose studies consistently support it never lowers its rating, and adding a
#: contradicting, mixed or inconclusive one never raises it.
