"""Propose tag rows from an extraction: the theme of the section, a stance from the sentence.

A proposal is a starting point for a person to curate, never a finding: the
stance defaults to ``supports`` (a review cites a study for a theme because
the study speaks for it) and is proposed as ``inconclusive``, ``mixed`` or
``contradicts`` only where the sentence says so in words, and the words that
triggered it are put in ``note`` so that a curator can check them.
"""

from __future__ import annotations

import re
from typing import cast

import pandas as pd

from . import schema

__all__ = ["propose_tags", "stance_of"]

#: Phrases that move a proposal away from ``supports``, checked in this order.
STANCE_PHRASES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "inconclusive",
        re.compile(
            r"\binconclusive\b|\bno (?:clear|consistent|conclusive) evidence\b"
            r"|\bevidence (?:is|was|remains) (?:unclear|equivocal|lacking)\b"
            r"|\binsufficient evidence\b",
            re.I,
        ),
    ),
    (
        "mixed",
        re.compile(
            r"\bpros and cons\b|\bin some (?:instances|cases|areas)\b.*\bin other"
            r" (?:instances|cases|areas)\b|\bmixed (?:results|findings|evidence)\b"
            r"|\bboth positive and negative\b|\bstrengths and weaknesses\b",
            re.I,
        ),
    ),
    (
        "contradicts",
        re.compile(
            r"\b(?:did|does|do) not (?:find|support|show)\b|\bno evidence (?:that|of)\b"
            r"|\bfound no\b|\bcontrary to\b",
            re.I,
        ),
    ),
)


def stance_of(sentence: str) -> tuple[str, str]:
    """Propose a stance for a sentence, and the phrase that decided it.

    Examples
    --------
    >>> stance_of("Cameron & Lart (2003) conclude that the evidence is inconclusive.")
    ('inconclusive', 'inconclusive')
    >>> stance_of("The pros and cons of co-located working were recognised.")
    ('mixed', 'pros and cons')
    >>> stance_of("Joint training helps.")
    ('supports', '')
    """
    for stance, pattern in STANCE_PHRASES:
        found = pattern.search(sentence)
        if found:
            return stance, found.group(0)
    return "supports", ""


def propose_tags(extraction: pd.DataFrame) -> pd.DataFrame:
    """Turn an extraction (see :func:`evidence.extract`) into tag rows.

    Parameters
    ----------
    extraction : pandas.DataFrame
        The frame :func:`evidence.extract` returns.

    Returns
    -------
    pandas.DataFrame
        Columns ``study`` (the citation in author-date form), ``theme`` (the
        section's theme id, or its heading as written when no theme matched),
        ``stance``, ``key`` (left empty: the resolver finds it at load time,
        and ``evidence check`` reports what it cannot), ``quote`` (the
        sentence), ``page``, ``source`` (document and section), ``coder``,
        ``note`` (why the stance or theme needs a look). One row per
        (study, theme, sentence).
    """
    rows = []
    for row in extraction.itertuples(index=False):
        stance, phrase = stance_of(cast(str, row.sentence))
        notes = []
        if phrase:
            notes.append(f'stance proposed from "{phrase}"')
        theme = row.theme if isinstance(row.theme, str) else row.section
        if not isinstance(row.theme, str):
            notes.append("section not matched to a theme")
        rows.append(
            {
                "study": row.cited_as,
                "theme": theme,
                "stance": stance,
                "quote": row.sentence,
                "source": ", ".join(cast(str, p) for p in (row.document, row.section) if p),
                "coder": "evidence extract",
                "note": "; ".join(notes) or None,
            }
        )
    frame = pd.DataFrame(rows, columns=[c for c in schema.COLUMNS["tags"] if c != "line"])
    frame = frame.drop_duplicates(subset=["study", "theme", "quote"], ignore_index=True)
    return schema.conform(frame, "tags").drop(columns="line")
