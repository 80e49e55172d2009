"""The controlled vocabularies of the data files, in one place.

These are the values a user may write in the ``evidence_type``, ``quality``
and ``stance`` fields and in a theme's ``category``; loaders check against them
and suggest the nearest allowed value when one is misspelt.
"""

from __future__ import annotations

from typing import Literal, get_args

__all__ = ["CATEGORIES", "EVIDENCE_TYPES", "QUALITY_LEVELS", "STANCES", "Stance"]

Stance = Literal["supports", "contradicts", "mixed", "inconclusive"]

#: What a study's finding says about a theme: it supports the theme's claim
#: (the barrier hinders, the factor helps), contradicts it, finds both
#: (``mixed``), or cannot tell (``inconclusive``).
STANCES: tuple[str, ...] = get_args(Stance)

#: Study designs, strongest first. ``systematic_review``: a review with an
#: explicit, reproducible search and appraisal; ``review``: a narrative or
#: scoping literature review; ``empirical_qualitative`` / ``empirical_quantitative``
#: / ``mixed_methods``: primary research by its data; ``evaluation``: an
#: evaluation of a programme or service; ``guidance``: guidance or standards from
#: an official or professional body; ``policy``: a policy document or
#: government report; ``commentary``: opinion, practitioner reflection, blog or
#: editorial.
EVIDENCE_TYPES: tuple[str, ...] = (
    "systematic_review",
    "review",
    "empirical_qualitative",
    "empirical_quantitative",
    "mixed_methods",
    "evaluation",
    "guidance",
    "policy",
    "commentary",
)

#: Optional appraisal of a study's quality, as in the EPPI-Centre's
#: weight-of-evidence judgements.
QUALITY_LEVELS: tuple[str, ...] = ("high", "moderate", "low")

#: The two kinds of theme in a framework.
CATEGORIES: tuple[str, ...] = ("barrier", "success_factor")
