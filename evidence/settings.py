"""Every tunable number, in frozen, keyword-only, validated dataclasses.

Pass one settings object to the function that uses it, change it with
:func:`dataclasses.replace`, and print :meth:`ResolverSettings.as_dict` in a
report so that the result can be reproduced. Nothing here reads globals or the
environment.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Literal

from .errors import SettingsError

__all__ = ["ResolverSettings"]

#: The values of :attr:`ResolverSettings.suffix_order`.
SUFFIX_ORDERS = ("any", "date-title", "year-title")

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
    "van der",
    "van den",
    "von der",
    "de la",
)


def _check_range(name: str, value: Any, low: int, high: int, *, integer: bool) -> None:
    """Raise :class:`SettingsError` unless ``value`` is a number from ``low`` to ``high``."""
    kinds: tuple[type, ...] = (int,) if integer else (int, float)
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
    max_candidates : int
        How many runners-up (1-50) a resolution lists, best first. The default
        5 is enough to choose from by eye.
    suffix_order : {"any", "date-title", "year-title"}
        How the review's style ordered works of the same authors and year
        when it gave them suffixes (``2004a``, ``2004b``). ``"date-title"``:
        by full date, month included, then title (Chicago author-date);
        ``"year-title"``: by title within the year (APA, Harvard, as pandoc's
        citeproc renders them). CSL processors also differ on a leading "A",
        "An" or "The", so both readings of the title are always tried. The
        default ``"any"`` tries both orders: a suffix names an entry only where
        they agree, and is ``ambiguous`` otherwise. Say the style when you
        know it.
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
    max_candidates: int = 5
    suffix_order: Literal["any", "date-title", "year-title"] = "any"
    particles: tuple[str, ...] = DEFAULT_PARTICLES

    def __post_init__(self) -> None:
        """Check every field, and store ``particles`` as a tuple."""
        _check_range("fuzzy_min", self.fuzzy_min, 50, 100, integer=False)
        _check_range("ambiguity_margin", self.ambiguity_margin, 0, 50, integer=False)
        _check_range("year_tolerance", self.year_tolerance, 0, 10, integer=True)
        _check_range("max_candidates", self.max_candidates, 1, 50, integer=True)
        if self.suffix_order not in SUFFIX_ORDERS:
            raise SettingsError(
                f"ResolverSettings.suffix_order = {self.suffix_order!r} is not one of "
                f"{', '.join(SUFFIX_ORDERS)}",
                value=self.suffix_order,
                expected=" | ".join(SUFFIX_ORDERS),
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
