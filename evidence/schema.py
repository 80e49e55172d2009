"""Names, order and dtypes of every frame the library hands out.

Each owner builds its frame however is fastest and passes it through
:func:`conform` before it leaves the module, so that column order, dtypes and
the differences between pandas 2 and 3 are settled in one place. Columns not
declared here (a bibliography's other fields, a tag table's extra columns)
follow the declared ones in the order they were first seen.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import pandas as pd

__all__ = ["COLUMNS", "conform"]

#: The dtype names columns are declared with (as :meth:`pandas.Series.astype` takes them).
_Dtype = Literal["string", "Int64", "object", "float64", "bool"]

_TEXT: _Dtype = "string"
_INT: _Dtype = "Int64"
_OBJECT: _Dtype = "object"

_TAGS: dict[str, _Dtype] = {
    "line": _INT,
    "study": _TEXT,
    "theme": _TEXT,
    "stance": _TEXT,
    "key": _TEXT,
    "quote": _TEXT,
    "page": _TEXT,
    "source": _TEXT,
    "coder": _TEXT,
    "note": _TEXT,
}

#: Declared columns per frame, in order, with their dtypes.
COLUMNS: Mapping[str, Mapping[str, _Dtype]] = {
    "bibliography": {
        "key": _TEXT,
        "entry_type": _TEXT,
        "authors": _OBJECT,  # tuple of surnames, in order
        "first_author": _TEXT,
        "n_authors": _INT,
        "year": _INT,
        "year_suffix": _TEXT,
        "title": _TEXT,
        "container": _TEXT,
        "doi": _TEXT,
        "url": _TEXT,
        "label": _TEXT,
        "evidence_type": _TEXT,
        "country": _TEXT,
        "sector": _TEXT,
        "quality": _TEXT,
        "file": _TEXT,
        "line": _INT,
    },
    "tags": _TAGS,
    "themes": {
        "id": _TEXT,
        "label": _TEXT,
        "category": _TEXT,
        "parent": _TEXT,
        "description": _TEXT,
        "synonyms": _OBJECT,  # tuple of str
    },
    "joined": {
        **_TAGS,
        "theme_id": _TEXT,
        "category": _TEXT,
        "status": _TEXT,
        "reason": _TEXT,
        "label": _TEXT,
        "year": _INT,
        "title": _TEXT,
        "evidence_type": _TEXT,
        "country": _TEXT,
        "sector": _TEXT,
        "quality": _TEXT,
    },
    "studies": {
        "theme": _TEXT,
        "key": _TEXT,
        "label": _TEXT,
        "year": _INT,
        "evidence_type": _TEXT,
        "stance": _TEXT,
        "citations": _TEXT,
        "tags": _INT,
        "title": _TEXT,
    },
    "summary": {
        "theme": _TEXT,
        "label": _TEXT,
        "category": _TEXT,
        "studies": _INT,
        "supports": _INT,
        "contradicts": _INT,
        "mixed": _INT,
        "inconclusive": _INT,
    },
    "resolutions": {
        "citation": _TEXT,
        "surnames": _OBJECT,  # tuple of str
        "year": _INT,
        "year_suffix": _TEXT,
        "key": _TEXT,
        "status": _TEXT,
        "score": "float64",
        "candidates": _OBJECT,  # tuple of (key, score), best first
        "reason": _TEXT,
        "pinned": "bool",
    },
    "extraction": {
        "document": _TEXT,
        "section": _TEXT,
        "theme": _TEXT,
        "citation": _TEXT,
        "start": _INT,
        "end": _INT,
        "sentence": _TEXT,
        "cited_as": _TEXT,
        "key": _TEXT,
        "status": _TEXT,
        "reason": _TEXT,
    },
}


def conform(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Return ``frame`` with the declared columns of ``name`` first, typed.

    Missing declared columns are added (all missing values); undeclared
    columns follow in their current order; the index is reset to 0..n-1.

    Parameters
    ----------
    frame : pandas.DataFrame
        The frame as built by its owner.
    name : str
        A key of :data:`COLUMNS`.

    Returns
    -------
    pandas.DataFrame
        A new frame; ``frame`` is not changed.
    """
    declared = COLUMNS[name]
    columns: dict[str, pd.Series] = {}
    for column, dtype in declared.items():
        if column in frame.columns:
            series = frame[column]
        else:
            series = pd.Series([None] * len(frame), index=frame.index, dtype=_OBJECT)
        columns[column] = series.astype(dtype) if str(series.dtype) != dtype else series
    for column in frame.columns:
        if column not in declared:
            columns[column] = frame[column]
    return pd.DataFrame(columns).reset_index(drop=True)
