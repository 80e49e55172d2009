"""Rate the strength of evidence per theme, assess confidence, and compare coders.

Every function here is pure: it takes the joined tags (``EvidenceBase.tags``)
and the theme framework and returns a new frame. The counting is vectorised
(integer codes, sorting and :func:`numpy.bincount`), so a summary of a million
tags takes well under a second; only the one-sentence reasons are written
theme by theme.

A *study* is a bibliography key, or for a citation that matched no entry, the
citation text itself (so nothing the sources cite is dropped; such a study has
no known evidence type). A study tagged several times for a theme counts once.
Its *position* on the theme is its stance, or ``mixed`` when its tags give
different stances. The rules of the rating are :class:`evidence.settings.Rubric`'s.

References
----------
.. [1] Lewin S, Booth A, Glenton C, et al. (2018). Applying GRADE-CERQual to
   qualitative evidence synthesis findings: introduction to the series.
   *Implementation Science* 13(Suppl 1):2. doi:10.1186/s13012-017-0688-3
.. [2] Cohen J (1960). A coefficient of agreement for nominal scales.
   *Educational and Psychological Measurement* 20(1):37-46.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence

import numpy as np
import pandas as pd

from . import schema
from .errors import EvidenceError, SettingsError
from .settings import Rubric
from .themes import Themes
from .vocab import EVIDENCE_TYPES, STANCES

__all__ = [
    "CONFIDENCE",
    "DIMENSIONS",
    "RATINGS",
    "assess_confidence",
    "compare_coders",
    "crosstab",
    "gaps",
    "inconclusive",
    "summarise",
]


RATINGS: tuple[str, ...] = ("none", "inconclusive", "limited", "moderate", "strong")
#: CERQual levels of confidence, from most to least confident.
CONFIDENCE: tuple[str, ...] = ("high", "moderate", "low", "very low")
#: What :func:`crosstab` can count by.
DIMENSIONS: tuple[str, ...] = ("theme", "category", "evidence_type", "country", "sector", "year")

_CONCERNS = ("no or very minor concerns", "minor concerns", "moderate concerns", "serious concerns")
_NOT_JUDGED = "cannot be judged from the data"
_TIERS = ("high quality", "low quality", "weak", "of unknown type")
_HIGH, _LOW, _WEAK, _UNKNOWN = range(4)
_SUPPORTS, _CONTRADICTS, _MIXED, _INCONCLUSIVE = (STANCES.index(s) for s in STANCES)
_TYPES = (*EVIDENCE_TYPES, "unknown")
_TEXT_COLUMNS = ("theme", "label", "category", "rating", "reason")


@dataclasses.dataclass(frozen=True)
class _Coded:
    """Joined tags as codes: rows, (theme, study, stance) pairs, (theme, study) units."""

    ids: list[str]
    rows: np.ndarray  # positions in the joined frame of the rows kept
    row_theme: np.ndarray
    row_study: np.ndarray
    row_stance: np.ndarray
    pair_theme: np.ndarray
    pair_study: np.ndarray
    pair_stance: np.ndarray
    unit_theme: np.ndarray
    unit_study: np.ndarray
    unit_position: np.ndarray
    studies: pd.DataFrame  # one row per study code: the first tag row naming it

    def table(self, values: np.ndarray, size: int, mask: np.ndarray | None = None) -> np.ndarray:
        """Units per theme and value (0..size-1) where ``mask`` holds: (themes, size)."""
        themes = self.unit_theme
        if mask is not None:
            themes, values = themes[mask], values[mask]
        flat = np.bincount(themes * size + values, minlength=len(self.ids) * size)
        return flat.reshape(len(self.ids), size)


def _distinct(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values (a sort and a diff: faster here than ``np.unique``)."""
    values = np.sort(values)
    return values[np.r_[True, values[1:] != values[:-1]][: len(values)]]


def _positions(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Units of sorted distinct ``unit * 4 + stance`` keys, and each unit's position."""
    k = len(STANCES)
    units = keys // k
    start = np.flatnonzero(np.r_[True, units[1:] != units[:-1]][: len(units)])
    size = np.diff(np.r_[start, len(units)])
    return units[start], np.where(size > 1, _MIXED, keys[start] % k)


def _encode(joined: pd.DataFrame, themes: Themes) -> _Coded:
    """Code the joined tags; rows without a framework theme or a stance are left out."""
    ids, k = themes.ids, len(STANCES)
    theme = pd.Index(ids).get_indexer(pd.Index(joined["theme_id"]))
    stance = pd.Index(STANCES).get_indexer(pd.Index(joined["stance"]))
    rows = np.flatnonzero((theme >= 0) & (stance >= 0))
    ident = joined["key"].iloc[rows].copy()
    missing = ident.isna().to_numpy(bool)
    ident[missing] = "?" + joined["study"].iloc[rows[missing]].fillna("")
    study = pd.factorize(ident)[0].astype(np.int64)  # numbered in order of first appearance
    first = np.flatnonzero(np.r_[True, study[1:] > np.maximum.accumulate(study)[:-1]])
    studies = joined.iloc[rows[first[: len(study)]]].reset_index(drop=True)
    studies = studies.assign(label=studies["label"].fillna(studies["study"]))
    n = max(len(studies), 1)
    theme, stance = theme[rows].astype(np.int64), stance[rows].astype(np.int64)
    pairs = _distinct((theme * n + study) * k + stance)
    units, position = _positions(pairs)
    return _Coded(
        ids, rows, theme, study, stance, pairs // k // n, pairs // k % n, pairs % k,
        units // n, units % n, position, studies,
    )  # fmt: skip


def _tiers(studies: pd.DataFrame, rubric: Rubric) -> tuple[np.ndarray, np.ndarray]:
    """Each study's tier (0 high, 1 low, 2 weak, 3 unknown) and type index in ``_TYPES``."""
    kind = studies["evidence_type"]
    known = kind.isin(EVIDENCE_TYPES).to_numpy(bool)
    weak = kind.isin(rubric.weak_types).to_numpy(bool)
    quality = studies["quality"]
    appraised = quality.notna().to_numpy(bool)
    high = np.where(
        appraised,
        quality.isin(rubric.high_quality_levels).to_numpy(bool),
        kind.isin(rubric.high_quality_types).to_numpy(bool),
    )
    tier = np.select([~known, weak, high], [_UNKNOWN, _WEAK, _HIGH], _LOW)
    types = pd.Index(EVIDENCE_TYPES).get_indexer(pd.Index(kind))
    return tier, np.where(types >= 0, types, len(EVIDENCE_TYPES))


@dataclasses.dataclass(frozen=True)
class _Stats:
    """Per-theme counts behind a rating (arrays indexed by theme code)."""

    studies: np.ndarray
    by_stance: np.ndarray  # (themes, 4) studies with at least one tag of each stance
    by_position: np.ndarray  # (themes, 4) studies by position
    by_tier_type: np.ndarray  # (themes, 4 tiers, types)
    agreeing: np.ndarray  # (themes, 4 tiers) studies on the majority side
    majority: np.ndarray  # stance code of the majority side
    agreement: np.ndarray  # float, NaN without studies
    verdicts: np.ndarray  # studies whose inconclusive stance is a verdict
    verdict_names: list[list[str]]  # the first three of them, as 'label (type)'
    rating: np.ndarray


def _statistics(coded: _Coded, rubric: Rubric) -> _Stats:
    """Count what the rubric needs per theme, and rate every theme."""
    k, size = len(STANCES), len(coded.ids)
    tier, kind = _tiers(coded.studies, rubric)
    unit_tier = tier[coded.unit_study]
    n = np.bincount(coded.unit_theme, minlength=size)
    by_position = coded.table(coded.unit_position, k)
    supports, contradicts = by_position[:, _SUPPORTS], by_position[:, _CONTRADICTS]
    majority = np.where(contradicts > supports, _CONTRADICTS, _SUPPORTS)
    with np.errstate(invalid="ignore", divide="ignore"):
        agreement = np.maximum(supports, contradicts) / n
    agreeing = coded.table(unit_tier, 4, coded.unit_position == majority[coded.unit_theme])
    tier_type = coded.table(unit_tier * len(_TYPES) + kind[coded.unit_study], 4 * len(_TYPES))
    by_stance = np.bincount(coded.pair_theme * k + coded.pair_stance, minlength=size * k)
    is_verdict = coded.studies["evidence_type"].isin(rubric.inconclusive_verdict_types)
    verdict = (coded.pair_stance == _INCONCLUSIVE) & is_verdict.to_numpy(bool)[coded.pair_study]
    named = pd.DataFrame({"theme": coded.pair_theme[verdict], "study": coded.pair_study[verdict]})
    names: list[list[str]] = [[] for _ in coded.ids]
    for theme, study in named.groupby("theme").head(3).itertuples(index=False):
        names[theme].append(f"{coded.studies['label'][study]} ({_TYPES[kind[study]]})")
    verdicts = np.bincount(named["theme"], minlength=size)
    high, low = agreeing[:, _HIGH], agreeing[:, _LOW]
    rating = np.select(
        [
            n == 0,
            verdicts > 0,
            ~(agreement >= rubric.consistency - 1e-9),
            high >= rubric.strong_min_high,
            (high >= rubric.moderate_min_high) | (high + low >= rubric.moderate_min_low),
        ],
        ["none", "inconclusive", "inconclusive", "strong", "moderate"],
        "limited",
    )
    return _Stats(
        n, by_stance.reshape(size, k), by_position, tier_type.reshape(size, 4, len(_TYPES)),
        agreeing, majority, agreement, verdicts, names, rating,
    )  # fmt: skip


def summarise(joined: pd.DataFrame, themes: Themes, rubric: Rubric | None = None) -> pd.DataFrame:
    """Rate the evidence for every theme, in framework order.

    Parameters
    ----------
    joined : pandas.DataFrame
        The joined tags (:attr:`EvidenceBase.tags`).
    themes : Themes
        The framework; every theme gets a row, studied or not.
    rubric : Rubric, optional
        The rules (default: :class:`Rubric`).

    Returns
    -------
    pandas.DataFrame
        One row per theme: ``theme`` (id), ``label``, ``category``,
        ``studies`` (distinct studies), ``supports``, ``contradicts``,
        ``mixed``, ``inconclusive`` (distinct studies with at least one tag of
        that stance: a study tagged with two stances counts under both),
        ``type_<evidence_type>`` for every evidence type and
        ``type_unknown``, ``agreement`` (share of studies on the majority
        side, 2 decimals, NaN without studies), ``oldest``, ``newest``
        (publication years), ``rating`` (see :class:`Rubric`) and ``reason``
        (one sentence with the numbers behind the rating).

    Examples
    --------
    >>> from evidence import load_example
    >>> base = load_example()
    >>> table = summarise(base.tags, base.themes).set_index("theme")
    >>> row = table.loc["co_terminosity"]
    >>> int(row["studies"]), int(row["supports"]), int(row["inconclusive"]), row["rating"]
    (3, 2, 1, 'inconclusive')
    """
    rubric = rubric or Rubric()
    coded = _encode(joined, themes)
    stats = _statistics(coded, rubric)
    by_type = stats.by_tier_type.sum(axis=1)
    years = pd.Series(coded.studies["year"].to_numpy()[coded.unit_study], dtype="Int64")
    by_theme = years.groupby(coded.unit_theme)
    columns = {
        "theme": coded.ids,
        "label": [theme.label for theme in themes],
        "category": [theme.category for theme in themes],
        "studies": stats.studies,
        **{stance: stats.by_stance[:, i] for i, stance in enumerate(STANCES)},
        **{f"type_{kind}": by_type[:, i] for i, kind in enumerate(_TYPES)},
        "agreement": np.round(stats.agreement, 2),
        "oldest": by_theme.min().reindex(range(len(themes))).array,
        "newest": by_theme.max().reindex(range(len(themes))).array,
        "rating": stats.rating,
        "reason": [_reason(stats, i, rubric) for i in range(len(themes))],
    }
    types = {name: "Int64" for name, values in columns.items() if name not in _TEXT_COLUMNS}
    types |= dict.fromkeys(_TEXT_COLUMNS, "string") | {"agreement": "float64"}
    return schema.conform(pd.DataFrame(columns).astype(types), "summary")


def _studies(count: int, kind: str = "") -> str:
    """'1 high-quality study', '2 high-quality studies'."""
    return f"{count} {kind}{'study' if count == 1 else 'studies'}"


def _profile(stats: _Stats, i: int) -> str:
    """'3 studies: 2 high quality (systematic_review, evaluation), 1 weak (commentary)'."""
    parts = []
    for tier, name in enumerate(_TIERS):
        counts = stats.by_tier_type[i, tier]
        if counts.sum():
            kinds = [_TYPES[t] for t in np.flatnonzero(counts)]
            listed = f" ({', '.join(kinds)})" if tier != _UNKNOWN else ""
            parts.append(f"{counts.sum()} {name}{listed}")
    return f"{_studies(int(stats.studies[i]))}: {', '.join(parts)}"


def _agreement(stats: _Stats, i: int) -> str:
    supports, contradicts = stats.by_position[i, _SUPPORTS], stats.by_position[i, _CONTRADICTS]
    if supports == contradicts == 0:
        return "0% agree: none supports or contradicts"
    side = STANCES[stats.majority[i]] if supports != contradicts else "supports and contradicts tie"
    return f"{stats.agreement[i]:.0%} agree ({side})"


def _verdict(stats: _Stats, i: int) -> str:
    """'Cameron & Lart 2003 (systematic_review) calls the evidence inconclusive'."""
    more = stats.verdicts[i] - len(stats.verdict_names[i])
    return (
        "; ".join(stats.verdict_names[i])
        + (f" and {more} more" if more else "")
        + (" call" if stats.verdicts[i] > 1 else " calls")
        + " the evidence inconclusive"
    )


def _reason(stats: _Stats, i: int, rubric: Rubric) -> str:
    """One sentence naming the numbers behind theme ``i``'s rating."""
    rating = stats.rating[i]
    if rating == "none":
        return "No studies are tagged with this theme."
    high, low, weak, unknown = (int(v) for v in stats.agreeing[i])
    if stats.verdicts[i]:
        verdict = f"inconclusive: {_verdict(stats, i)}, which no agreement overrides"
    elif rating == "inconclusive":
        verdict = f"inconclusive: below the {rubric.consistency:.0%} needed for consistent findings"
    elif rating == "strong":
        verdict = (
            f"meets 'strong': {high} high-quality studies agree "
            f"(at least {rubric.strong_min_high} needed)"
        )
    elif rating == "moderate":
        verdict = (
            f"meets 'moderate': {_studies(high, 'high-quality ')} and "
            f"{_studies(low, 'low-quality ')} agree; 'strong' needs "
            f"{rubric.strong_min_high} high-quality"
        )
    elif high + low:
        verdict = (
            f"meets only 'limited': {_studies(high + low, 'high- or low-quality ')} agree; "
            f"'moderate' needs {rubric.moderate_min_high} high-quality or "
            f"{rubric.moderate_min_low} high- or low-quality"
        )
    else:
        verdict = (
            f"meets only 'limited': only weak or unknown-type sources agree ({weak + unknown}), "
            "which never make evidence moderate or strong on their own"
        )
    return f"{_profile(stats, i)}; {_agreement(stats, i)}; {verdict}."


def gaps(summary: pd.DataFrame) -> pd.DataFrame:
    """The themes rated ``none`` or ``limited``: where evidence is missing or thin.

    Examples
    --------
    >>> from evidence import load_example
    >>> base = load_example()
    >>> gaps(summarise(base.tags, base.themes))["rating"].isin(["none", "limited"]).all()
    np.True_
    """
    return summary[summary["rating"].isin(["none", "limited"])].reset_index(drop=True)


def inconclusive(summary: pd.DataFrame) -> pd.DataFrame:
    """The themes rated ``inconclusive``: studies disagree, or a review says so.

    Examples
    --------
    >>> from evidence import load_example
    >>> base = load_example()
    >>> "co_terminosity" in inconclusive(summarise(base.tags, base.themes))["theme"].tolist()
    True
    """
    return summary[summary["rating"] == "inconclusive"].reset_index(drop=True)


def _study_values(studies: pd.DataFrame, name: str) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Labels, and distinct (study, value code) pairs, of a study-level dimension.

    Sectors are split on ``;``, so a study may have several; a study without
    the field, or with a value outside the vocabulary, has the value ``unknown``.
    """
    values = studies[name].astype("string")
    if name == "sector":
        values = values.str.split(";").explode().str.strip().astype("string")
        values = values.mask(values == "")
    pairs = pd.DataFrame({"study": values.index, "value": values.fillna("unknown")})
    pairs = pairs.drop_duplicates(ignore_index=True)
    if name == "evidence_type":
        labels = list(_TYPES)
    else:
        known = pairs.loc[pairs["value"] != "unknown", "value"].unique().tolist()
        labels = sorted(known, key=int if name == "year" else str)
        labels += ["unknown"] if len(known) < pairs["value"].nunique() else []
    codes = pd.Index(labels).get_indexer(pd.Index(pairs["value"]))
    codes = np.where(codes >= 0, codes, len(labels) - 1)  # outside the vocabulary: unknown
    return labels, pairs["study"].to_numpy(np.int64), codes


def _unit_values(
    coded: _Coded, themes: Themes, name: str
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Labels, and (unit, value code) pairs, of any dimension."""
    units = np.arange(len(coded.unit_theme))
    if name == "theme":
        return coded.ids, units, coded.unit_theme
    if name == "category":
        cats = [t.category or "unknown" for t in themes]
        labels = list(dict.fromkeys(cats))
        return labels, units, pd.Index(labels).get_indexer(pd.Index(cats))[coded.unit_theme]
    labels, owner, codes = _study_values(coded.studies, name)
    order = np.argsort(owner, kind="stable")
    owner, codes = owner[order], codes[order]
    start = np.searchsorted(owner, np.arange(len(coded.studies)))
    width = np.bincount(owner, minlength=len(coded.studies))[coded.unit_study]
    unit = np.repeat(units, width)
    offset = np.arange(len(unit)) - np.repeat(np.cumsum(width) - width, width)
    return labels, unit, codes[start[coded.unit_study][unit] + offset]


def crosstab(
    joined: pd.DataFrame, themes: Themes, rows: str = "theme", cols: str = "sector"
) -> pd.DataFrame:
    """Count distinct studies by two dimensions: the evidence-gap-map matrix.

    Parameters
    ----------
    joined : pandas.DataFrame
        The joined tags.
    themes : Themes
        The framework: with ``rows="theme"`` every theme is a row, in
        framework order, with zeros where no study speaks to it.
    rows, cols : {"theme", "category", "evidence_type", "country", "sector", "year"}
        What to count by. A study counts once per cell; a study in several
        sectors (``sector`` is ``;``-separated) counts under each. Values
        missing from the bibliography, and citations that matched no entry,
        count as ``unknown``. Evidence types are all listed, in vocabulary
        order; other values are sorted.

    Returns
    -------
    pandas.DataFrame
        Integer counts; the index is named ``rows`` and the columns ``cols``.

    Raises
    ------
    SettingsError
        ``rows`` or ``cols`` is no dimension, or both are the same.

    Examples
    --------
    >>> from evidence import load_example
    >>> base = load_example()
    >>> table = crosstab(base.tags, base.themes, cols="evidence_type")
    >>> int(table.loc["co_terminosity", "systematic_review"])
    1
    """
    for name, value in (("rows", rows), ("cols", cols)):
        if value not in DIMENSIONS:
            raise SettingsError(
                f"crosstab {name}={value!r} is not one of {', '.join(DIMENSIONS)}",
                key=name,
                value=value,
                expected=" | ".join(DIMENSIONS),
            )
    if rows == cols:
        raise SettingsError(f"crosstab rows and cols are both {rows!r}", key="cols", value=cols)
    coded = _encode(joined, themes)
    row_labels, row_unit, row_code = _unit_values(coded, themes, rows)
    col_labels, col_unit, col_code = _unit_values(coded, themes, cols)
    if len(row_unit) == len(coded.unit_theme):  # one row value per unit
        row_code, unit = row_code[col_unit], col_unit
    else:
        col_code, unit = col_code[row_unit], row_unit
    cell = row_code.astype(np.int64) * len(col_labels) + col_code
    if "theme" not in (rows, cols):  # several units may be the same study in a cell
        n = len(coded.studies)
        cell = _distinct(cell * n + coded.unit_study[unit]) // n
    counts = np.bincount(cell, minlength=len(row_labels) * len(col_labels))
    return pd.DataFrame(
        counts.reshape(len(row_labels), len(col_labels)),
        index=pd.Index(row_labels, name=rows),
        columns=pd.Index(col_labels, name=cols),
    )


def _level(value: np.ndarray, limits: Sequence[float]) -> np.ndarray:
    """Concern level 0-3: 0 at or above ``limits[0]``, ..., 3 below ``limits[2]``."""
    return np.select([value >= limits[0], value >= limits[1], value >= limits[2]], [0, 1, 2], 3)


def _relevance(coded: _Coded, rubric: Rubric) -> tuple[np.ndarray, np.ndarray, str]:
    """Per unit: is the study's context known, and does it match; and the context named."""
    known = np.ones(len(coded.studies), bool)
    match = np.ones(len(coded.studies), bool)
    named = []
    if rubric.context_countries:
        country = coded.studies["country"].str.strip().str.casefold()
        known &= country.notna().to_numpy(bool)
        match &= country.isin([c.strip().casefold() for c in rubric.context_countries]).to_numpy(
            bool
        )
        named.append(", ".join(rubric.context_countries))
    if rubric.context_sectors:
        sector = coded.studies["sector"].str.split(";").explode().str.strip().str.casefold()
        wanted = sector.isin([s.strip().casefold() for s in rubric.context_sectors])
        known &= coded.studies["sector"].notna().to_numpy(bool)
        match &= wanted.groupby(level=0).any().to_numpy(bool)
        named.append("; ".join(rubric.context_sectors))
    return known[coded.unit_study], match[coded.unit_study], " / ".join(named)


def assess_confidence(
    joined: pd.DataFrame, themes: Themes, rubric: Rubric | None = None
) -> pd.DataFrame:
    """Assess confidence in each theme's finding, in the manner of GRADE-CERQual.

    GRADE-CERQual [1]_ starts from high confidence that a review finding
    represents the phenomenon and lowers it for concerns in four components.
    Here each component is judged from what the data hold, and what they
    cannot show is said rather than guessed:

    - ``limitations`` (methodological limitations): the share of studies of
      high quality (see :class:`Rubric`);
    - ``coherence``: the share of studies on the majority side; a review
      calling the evidence inconclusive is a serious concern;
    - ``adequacy``: the number of studies, one level worse when fewer than
      ``adequacy_quote_share`` of them have a quote (thin data);
    - ``relevance``: the share of studies whose country and sectors match
      ``Rubric.context_countries`` / ``context_sectors``, among those whose
      context is recorded; without a context, or with none recorded, it
      cannot be judged from the data and does not lower confidence.

    Concern levels follow ``Rubric.concern_shares`` and ``adequacy_studies``.
    Moderate concerns lower confidence one level and serious concerns two;
    minor concerns in two or more components lower it one level. A theme
    without studies has no finding to assess (confidence missing).

    Returns
    -------
    pandas.DataFrame
        One row per theme in framework order: ``theme``, ``label``,
        ``confidence`` (high, moderate, low, very low), then for each
        component its concern level and ``<component>_reason``, and
        ``confidence_reason``.

    Examples
    --------
    >>> from evidence import load_example
    >>> base = load_example()
    >>> table = assess_confidence(base.tags, base.themes).set_index("theme")
    >>> table.loc["co_terminosity", ["confidence", "coherence"]].tolist()
    ['very low', 'serious concerns']
    >>> table.loc["co_terminosity", "relevance_reason"]
    'cannot be judged from the data: no review context is set (Rubric.context_*)'
    """
    rubric = rubric or Rubric()
    coded = _encode(joined, themes)
    stats = _statistics(coded, rubric)
    n = stats.studies
    quoted = np.zeros(len(coded.unit_theme), bool)
    has_quote = joined["quote"].iloc[coded.rows].str.strip().fillna("").ne("").to_numpy(bool)
    unit_keys = coded.unit_theme * len(coded.studies) + coded.unit_study
    row_keys = coded.row_theme * len(coded.studies) + coded.row_study
    quoted[np.searchsorted(unit_keys, row_keys[has_quote])] = True
    known, match, context = _relevance(coded, rubric)
    n_quoted, n_known, n_match = (coded.table(m, 2)[:, 1] for m in (quoted, known, known & match))
    agreement = np.nan_to_num(stats.agreement)
    with np.errstate(invalid="ignore", divide="ignore"):
        levels = {
            "limitations": _level(stats.by_tier_type[:, _HIGH].sum(1) / n, rubric.concern_shares),
            "coherence": np.where(
                stats.verdicts > 0, 3, _level(agreement, (1.0, rubric.consistency - 1e-9, 0.5))
            ),
            "adequacy": np.minimum(
                3, _level(n, rubric.adequacy_studies) + (n_quoted < rubric.adequacy_quote_share * n)
            ),
            "relevance": _level(n_match / n_known, rubric.concern_shares),
        }
    rows = []
    for i, theme in enumerate(themes):
        row: dict[str, object] = {"theme": theme.id, "label": theme.label}
        if not n[i]:
            rows.append({**row, "confidence_reason": "No studies: there is no finding to assess."})
            continue
        studies = _studies(int(n[i]))
        high, weak = stats.by_tier_type[i, _HIGH].sum(), stats.by_tier_type[i, _WEAK:].sum()
        notes = {
            "limitations": f"{high} of {studies} high quality, {weak} weak or of unknown type",
            "coherence": f"{_agreement(stats, i)}; {stats.by_position[i, _MIXED]} mixed, "
            f"{stats.by_position[i, _INCONCLUSIVE]} inconclusive",
            "adequacy": f"{studies}, {n_quoted[i]} with a quote",
            "relevance": f"{n_match[i]} of {n_known[i]} studies whose context is recorded match "
            f"{context}; {n[i] - n_known[i]} not recorded",
        }
        if stats.verdicts[i]:
            notes["coherence"] += f"; {_verdict(stats, i)}"
        if not context:
            notes["relevance"] = f"{_NOT_JUDGED}: no review context is set (Rubric.context_*)"
        elif not n_known[i]:
            notes["relevance"] = f"{_NOT_JUDGED}: no study records its context"
        downgrades, said, minor = 0, [], 0
        for name, level in levels.items():
            judged = not notes[name].startswith(_NOT_JUDGED)
            row[name] = _CONCERNS[level[i]] if judged else _NOT_JUDGED
            row[f"{name}_reason"] = notes[name]
            if judged and level[i] >= 2:
                downgrades += level[i] - 1
                said.append(f"-{level[i] - 1} for {_CONCERNS[level[i]]} about {name}")
            minor += judged and level[i] == 1
        if minor >= 2:
            downgrades += 1
            said.append(f"-1 for minor concerns in {minor} components")
        row["confidence"] = CONFIDENCE[min(downgrades, 3)]
        unjudged = [name for name in levels if row[name] == _NOT_JUDGED]
        row["confidence_reason"] = (
            f"{row['confidence']}: started at high, "
            + ("; ".join(said) if said else "no component lowers it")
            + (f"; {', '.join(unjudged)} {_NOT_JUDGED}" if unjudged else "")
            + "."
        )
        rows.append(row)
    columns = ["theme", "label", "confidence"]
    columns += [c for name in levels for c in (name, f"{name}_reason")] + ["confidence_reason"]
    return pd.DataFrame(rows, columns=columns).astype("string")


def compare_coders(joined: pd.DataFrame, themes: Themes) -> pd.DataFrame:
    """Agreement between coders on each (study, theme), per theme and overall.

    For each pair of coders, the units are the (study, theme) pairs that at
    least one of the two coded; on each unit a coder's value is the study's
    position (its stance, ``mixed`` when that coder gave it several) or
    ``not coded``. Counting a unit one coder skipped as disagreement is what
    coding-comparison checks in qualitative-analysis software do; units
    neither coded are left out, so they cannot inflate agreement. Tags without
    a coder are left out too.

    Returns
    -------
    pandas.DataFrame
        One row per coder pair and theme with units (framework order), then
        one ``(overall)`` row per pair: ``coder_a``, ``coder_b``, ``theme``,
        ``units``, ``coded_by_both``, ``agreement`` (share of units where
        both gave the same value, ``not coded`` included), ``kappa``
        (Cohen's kappa [2]_ over the same units and five categories; NaN
        where chance agreement is 1, e.g. both always gave one value) and
        ``stance_agreement`` (agreement over the units both coded). Shares
        and kappa are rounded to 3 decimals.

    Raises
    ------
    EvidenceError
        The tags name fewer than two coders in the ``coder`` column.

    Examples
    --------
    >>> from evidence import load_example
    >>> base = load_example()
    >>> compare_coders(base.tags, base.themes)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    evidence.errors.EvidenceError: column 'coder': comparing coders needs at least two coders...
    """
    coder = joined["coder"].str.strip() if "coder" in joined else pd.Series(dtype="string")
    coder = coder.mask(coder == "")
    coders = sorted(coder.dropna().unique())
    if len(coders) < 2:
        raise EvidenceError(
            "comparing coders needs at least two coders in the tags' coder column; "
            f"found {len(coders)}",
            column="coder",
            value=", ".join(coders),
            expected="two or more coder names",
        )
    coded = _encode(joined, themes)
    who = pd.Index(coders).get_indexer(coder.iloc[coded.rows])
    n, k, c = max(len(coded.studies), 1), len(STANCES), len(coders)
    keep = who >= 0
    triples = _distinct(
        ((who[keep] * len(coded.ids) + coded.row_theme[keep]) * n + coded.row_study[keep]) * k
        + coded.row_stance[keep]
    )
    units, position = _positions(triples)
    unit_coder, unit = units // (len(coded.ids) * n), units % (len(coded.ids) * n)
    labels = (*STANCES, "not coded")
    frames = []
    for a, b in itertools.combinations(range(c), 2):
        both = pd.DataFrame({"unit": unit, "coder": unit_coder, "value": position})
        both = both[both["coder"].isin([a, b])].pivot(index="unit", columns="coder", values="value")
        both = both.reindex(columns=[a, b]).fillna(k).astype(np.int64)
        theme = both.index.to_numpy() // n
        cells = np.bincount(
            (theme * len(labels) + both[a].to_numpy()) * len(labels) + both[b].to_numpy(),
            minlength=len(coded.ids) * len(labels) ** 2,
        ).reshape(len(coded.ids), len(labels), len(labels))
        table = np.concatenate([cells, cells.sum(axis=0, keepdims=True)])
        frame = pd.DataFrame(
            {
                "coder_a": coders[a],
                "coder_b": coders[b],
                "theme": [*coded.ids, "(overall)"],
                **_agreement_table(table, k),
            }
        )
        frames.append(frame[frame["units"] > 0])
    result = pd.concat(frames, ignore_index=True)
    return result.astype({"coder_a": "string", "coder_b": "string", "theme": "string"})


def _agreement_table(table: np.ndarray, absent: int) -> dict[str, np.ndarray]:
    """Units, agreement and Cohen's kappa from (groups, categories, categories) counts."""
    units = table.sum(axis=(1, 2))
    same = np.trace(table, axis1=1, axis2=2)
    both = table[:, :absent, :absent]
    with np.errstate(invalid="ignore", divide="ignore"):
        observed = same / units
        chance = (table.sum(axis=2) * table.sum(axis=1)).sum(axis=1) / units**2
        kappa = np.where(np.isclose(chance, 1), np.nan, (observed - chance) / (1 - chance))
        stance = np.trace(both, axis1=1, axis2=2) / both.sum(axis=(1, 2))
    return {
        "units": units,
        "coded_by_both": both.sum(axis=(1, 2)),
        "agreement": np.round(observed, 3),
        "kappa": np.round(kappa, 3),
        "stance_agreement": np.round(stance, 3),
    }
