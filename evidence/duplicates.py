"""Likely duplicate bibliography entries: same year, near-identical title and authors."""

from __future__ import annotations

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from .names import fold

__all__ = ["likely_duplicates"]


def likely_duplicates(entries: pd.DataFrame, *, min_title: float = 92) -> pd.DataFrame:
    """Pairs of entries that are probably the same work entered twice.

    Two entries are flagged when they share a year and a first author (folded:
    case, accents and punctuation ignored) and their folded titles score at
    least ``min_title`` with rapidfuzz's ``token_sort_ratio``. Comparison is
    blocked by (year, first author), so its cost grows with the size of the
    largest block, not the square of the bibliography.

    Parameters
    ----------
    entries : pandas.DataFrame
        A bibliography frame (``Bibliography.entries``).
    min_title : float
        The title similarity (0-100) from which a pair is flagged.

    Returns
    -------
    pandas.DataFrame
        Columns ``key``, ``other`` (the earlier entry), ``score``, ``line``,
        one row per flagged pair, in file order.

    Examples
    --------
    >>> from evidence import Bibliography
    >>> bib = Bibliography.from_string('''
    ... @article{a, author={Sloper, P.}, year=2004, title={Facilitators and barriers}}
    ... @article{b, author={Sloper, Patricia}, year=2004, title={Facilitators and Barriers.}}
    ... @article{c, author={Sloper, P.}, year=2004, title={Something else}}
    ... ''')
    >>> likely_duplicates(bib.entries)[["key", "other"]].values.tolist()
    [['b', 'a']]
    """
    usable = entries[entries["year"].notna() & entries["title"].notna()]
    blocks = pd.DataFrame(
        {
            "year": usable["year"].astype("int64"),
            "author": [fold(a) if isinstance(a, str) else "" for a in usable["first_author"]],
            "title": [fold(t) for t in usable["title"]],
            "key": usable["key"],
            "line": usable["line"],
        }
    )
    rows = []
    for _, block in blocks.groupby(["year", "author"], sort=False):
        if len(block) < 2:
            continue
        titles = block["title"].tolist()
        scores = process.cdist(titles, titles, scorer=fuzz.token_sort_ratio, workers=1)
        for i, j in zip(*np.nonzero(np.triu(scores >= min_title, k=1)), strict=True):
            rows.append(
                {
                    "key": block["key"].iloc[j],
                    "other": block["key"].iloc[i],
                    "score": round(float(scores[i, j]), 1),
                    "line": block["line"].iloc[j],
                }
            )
    frame = pd.DataFrame(rows, columns=["key", "other", "score", "line"])
    return frame.sort_values(["line", "other"], kind="stable", ignore_index=True)
