"""Nearest-name suggestions for "did you mean" messages."""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz, process, utils

__all__ = ["did_you_mean", "nearest"]


def nearest(value: str, choices: Iterable[str], *, limit: int = 3, cutoff: float = 60) -> list[str]:
    """Return up to ``limit`` choices closest to ``value``, best first.

    Comparison ignores case and punctuation (rapidfuzz's ``default_process``)
    and uses ``WRatio``, which copes with both typos and partial names; ties
    keep the order of ``choices``.

    Examples
    --------
    >>> nearest("suports", ["supports", "contradicts", "mixed"])
    ['supports']
    """
    options = list(dict.fromkeys(choices))
    found = process.extract(
        value,
        options,
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        limit=limit,
        score_cutoff=cutoff,
    )
    return [choice for choice, _score, _index in found]


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """Return ``' (did you mean "x"?)'`` for the nearest choice, or ``""``.

    Examples
    --------
    >>> did_you_mean("barier", ["barrier", "success_factor"])
    ' (did you mean "barrier"?)'
    """
    best = nearest(value, choices, limit=1, cutoff=70)
    return f' (did you mean "{best[0]}"?)' if best else ""
