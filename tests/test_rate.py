"""The rating rules, the CERQual-style assessment, the crosstab and coder agreement."""

from __future__ import annotations

import dataclasses
import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import evidence
from evidence import rate
from evidence.bib import Bibliography
from evidence.errors import EvidenceError, SettingsError
from evidence.rate import RATINGS, Rubric
from evidence.tags import Tags
from evidence.themes import Theme, Themes
from evidence.vocab import EVIDENCE_TYPES, STANCES

THEMES = Themes(
    [
        Theme("trust", "Trust", "success_factor"),
        Theme("co_location", "Co-location", "success_factor"),
        Theme("funding_silos", "Funding silos", "barrier"),
    ]
)


def entry(key, kind=None, *, quality=None, country=None, sector=None, year=2003):
    fields = {"evidence_type": kind, "quality": quality, "country": country, "sector": sector}
    extra = "".join(f", {name} = {{{value}}}" for name, value in fields.items() if value)
    return f"@article{{{key}, author = {{Author, Ann}}, title = {{T}}, year = {year}{extra}}}\n"


def tag_table(rows):
    """Tags from rows ``(study, theme, stance[, quote[, coder]])``, as if read from a file."""
    columns = ["study", "theme", "stance", "quote", "coder"]
    frame = pd.DataFrame([dict(zip(columns, row, strict=False)) for row in rows], dtype=object)
    return Tags(frame.assign(line=range(2, len(frame) + 2)))


def base_of(tags, *entries, themes=THEMES):
    return evidence.load(Bibliography.from_string("".join(entries)), tag_table(tags), themes)


def rated(base, rubric=None):
    return rate.summarise(base.tags, base.themes, rubric).set_index("theme")


def rating(tags, *entries, rubric=None, theme="trust"):
    row = rated(base_of(tags, *entries), rubric).loc[theme]
    return row["rating"], row["reason"]


# --- one hand-made evidence base per rule -------------------------------------------


def test_summary_columns_are_exactly_the_contract():
    table = rate.summarise(base_of([("a", "trust", "supports")], entry("a")).tags, THEMES)
    assert table.columns.tolist() == [
        "theme",
        "label",
        "category",
        "studies",
        *STANCES,
        *(f"type_{kind}" for kind in EVIDENCE_TYPES),
        "type_unknown",
        "agreement",
        "oldest",
        "newest",
        "rating",
        "reason",
    ]
    assert table["theme"].tolist() == ["trust", "co_location", "funding_silos"]
    assert str(table["oldest"].dtype) == "Int64" and str(table["studies"].dtype) == "Int64"


def test_two_agreeing_high_quality_studies_are_strong():
    got, reason = rating(
        [("a", "trust", "supports"), ("b", "trust", "supports"), ("c", "trust", "supports")],
        entry("a", "systematic_review"),
        entry("b", "evaluation"),
        entry("c", "commentary"),
    )
    assert got == "strong"
    assert reason == (
        "3 studies: 2 high quality (systematic_review, evaluation), 1 weak (commentary); "
        "100% agree (supports); meets 'strong': 2 high-quality studies agree "
        "(at least 2 needed)."
    )


def test_one_strong_study_alone_is_moderate():
    got, reason = rating([("a", "trust", "supports")], entry("a", "systematic_review"))
    assert got == "moderate"
    assert reason.startswith("1 study: 1 high quality (systematic_review); 100% agree")


@pytest.mark.parametrize(
    ("kinds", "expected"), [(["review"], "limited"), (["review"] * 2, "moderate")]
)
def test_low_quality_studies_one_is_limited_two_are_moderate(kinds, expected):
    keys = [f"s{i}" for i in range(len(kinds))]
    got, _ = rating(
        [(k, "trust", "supports") for k in keys],
        *(entry(k, kind) for k, kind in zip(keys, kinds, strict=True)),
    )
    assert got == expected


@pytest.mark.parametrize("kind", ["commentary", "guidance", "policy"])
def test_weak_sources_alone_are_never_more_than_limited(kind):
    keys = [f"s{i}" for i in range(6)]
    got, reason = rating(
        [(k, "trust", "supports") for k in keys],
        *(entry(k, kind, quality="high") for k in keys),
    )
    assert got == "limited"
    assert "only weak or unknown-type sources agree (6)" in reason


def test_unknown_evidence_type_and_unresolved_citations_are_never_high_quality():
    tags = [
        ("a", "trust", "supports"),
        ("b", "trust", "supports"),
        ("Nobody 1999", "trust", "supports"),
    ]
    got, reason = rating(tags, entry("a", quality="high"), entry("b"))
    assert got == "limited"
    assert reason.startswith("3 studies: 3 of unknown type;")


def test_quality_field_overrides_the_evidence_type():
    low = [
        entry("a", "empirical_qualitative", quality="low"),
        entry("b", "evaluation", quality="moderate"),
    ]
    tags = [("a", "trust", "supports"), ("b", "trust", "supports")]
    assert rating(tags, *low)[0] == "moderate"  # two low-quality studies
    high = [entry("a", "review", quality="high"), entry("b", "review", quality="high")]
    assert rating(tags, *high)[0] == "strong"


def test_a_split_theme_is_inconclusive():
    keys = "abcd"
    stances = ["supports", "supports", "contradicts", "contradicts"]
    got, reason = rating(
        [(k, "trust", s) for k, s in zip(keys, stances, strict=True)],
        *(entry(k, "empirical_quantitative") for k in keys),
    )
    assert got == "inconclusive"
    assert "50% agree (supports and contradicts tie)" in reason
    assert "below the 75% needed" in reason


def test_consistency_is_the_share_on_the_majority_side_and_mixed_counts_against():
    entries = [entry(k, "evaluation") for k in "abcd"]
    three_to_one = [("a", "trust", "supports"), ("b", "trust", "supports")]
    three_to_one += [("c", "trust", "supports"), ("d", "trust", "contradicts")]
    assert rating(three_to_one, *entries)[0] == "strong"  # 75% agree
    assert rating(three_to_one, *entries, rubric=Rubric(consistency=0.8))[0] == "inconclusive"
    with_mixed = [*three_to_one[:2], ("c", "trust", "mixed")]
    got, reason = rating(with_mixed, *entries)
    assert (got, "67% agree (supports)" in reason) == ("inconclusive", True)


def test_a_review_calling_the_evidence_inconclusive_makes_the_theme_inconclusive():
    tags = [(k, "trust", "supports") for k in "abcd"] + [("r", "trust", "inconclusive")]
    entries = [entry(k, "evaluation") for k in "abcd"] + [entry("r", "review")]
    got, reason = rating(tags, *entries)
    assert got == "inconclusive"
    assert "80% agree (supports)" in reason
    assert "Author 2003 (review) calls the evidence inconclusive" in reason


def test_an_inconclusive_primary_study_only_counts_against_consistency():
    tags = [(k, "trust", "supports") for k in "abcd"] + [("e", "trust", "inconclusive")]
    entries = [entry(k, "evaluation") for k in "abcde"]
    assert rating(tags, *entries)[0] == "strong"  # 4 of 5 agree: 80%


def test_duplicate_tags_count_once():
    tags = [("a", "trust", "supports", "one"), ("a", "trust", "supports", "two")] * 2
    base = base_of(tags, entry("a", "evaluation"))
    row = rated(base).loc["trust"]
    assert (row["studies"], row["supports"], row["rating"]) == (1, 1, "moderate")


def test_a_study_tagged_with_two_stances_counts_under_both_and_as_mixed():
    tags = [("a", "trust", "supports"), ("a", "trust", "contradicts")]
    row = rated(base_of(tags, entry("a", "evaluation"))).loc["trust"]
    assert (row["studies"], row["supports"], row["contradicts"], row["mixed"]) == (1, 1, 1, 0)
    assert (row["agreement"], row["rating"]) == (0.0, "inconclusive")


def test_a_theme_without_studies_is_none():
    row = rated(base_of([("a", "trust", "supports")], entry("a"))).loc["funding_silos"]
    assert (row["studies"], row["rating"]) == (0, "none")
    assert math.isnan(row["agreement"]) and row["oldest"] is pd.NA
    assert row["reason"] == "No studies are tagged with this theme."


def test_consistent_contradicting_evidence_is_rated_for_its_direction():
    got, reason = rating(
        [(k, "trust", "contradicts") for k in "ab"], *(entry(k, "evaluation") for k in "ab")
    )
    assert got == "strong" and "100% agree (contradicts)" in reason


def test_counts_by_type_and_years():
    tags = [("a", "trust", "supports"), ("b", "trust", "mixed"), ("x 2001", "trust", "supports")]
    row = rated(
        base_of(tags, entry("a", "review", year=1999), entry("b", "review", year=2010))
    ).loc["trust"]
    assert (row["type_review"], row["type_unknown"], row["oldest"], row["newest"]) == (
        2,
        1,
        1999,
        2010,
    )
    assert row["agreement"] == 0.67


def test_gaps_and_inconclusive_queries():
    tags = [("a", "trust", "supports"), ("b", "co_location", "mixed")]
    summary = rate.summarise(base_of(tags, entry("a", "review"), entry("b")).tags, THEMES)
    assert rate.gaps(summary)["theme"].tolist() == ["trust", "funding_silos"]
    assert rate.inconclusive(summary)["theme"].tolist() == ["co_location"]


# --- the rubric -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("consistency", 0.5),
        ("consistency", 1.2),
        ("consistency", "0.8"),
        ("strong_min_high", 0),
        ("strong_min_high", True),
        ("moderate_min_high", 3),
        ("moderate_min_low", 1.5),
        ("high_quality_types", ("rct",)),
        ("high_quality_types", "systematic_review"),
        ("weak_types", ("commentary", "evaluation")),
        ("high_quality_levels", ("excellent",)),
        ("inconclusive_verdict_types", ("meta",)),
        ("concern_shares", (0.5, 0.75, 0.25)),
        ("adequacy_studies", (5, 3)),
        ("adequacy_studies", (5, 3, 0)),
        ("adequacy_quote_share", -0.1),
        ("context_countries", ("",)),
    ],
)
def test_rubric_rejects_values_out_of_range(field, value):
    with pytest.raises(SettingsError) as caught:
        Rubric(**{field: value})
    assert f"Rubric.{field} = {value!r}" in str(caught.value)
    assert caught.value.key == field and "allowed:" in str(caught.value)


def test_rubric_is_frozen_keyword_only_and_normalises_lists():
    rubric = Rubric(weak_types=["commentary"], context_sectors=["health"])
    assert rubric.weak_types == ("commentary",) and hash(rubric)
    with pytest.raises(dataclasses.FrozenInstanceError):
        rubric.consistency = 0.9  # type: ignore[misc]
    with pytest.raises(TypeError):
        Rubric(0.9)  # type: ignore[misc]
    assert dataclasses.replace(rubric, consistency=1.0).consistency == 1.0


# --- properties -------------------------------------------------------------------------

KINDS = [*EVIDENCE_TYPES, None]
QUALITIES = [None, "high", "moderate", "low"]
POOL = [
    (f"p{i}", kind, quality)
    for i, (kind, quality) in enumerate(itertools.product(KINDS, QUALITIES))
]
POOL_BIB = Bibliography.from_string("".join(entry(k, kind, quality=q) for k, kind, q in POOL))

rubrics = st.builds(
    lambda consistency, strong, moderate, low: Rubric(
        consistency=consistency,
        strong_min_high=strong,
        moderate_min_high=min(moderate, strong),
        moderate_min_low=low,
    ),
    st.floats(0.51, 1.0),
    st.integers(1, 3),
    st.integers(1, 3),
    st.integers(1, 4),
)


# Every pool study tagged once with every stance, joined once; an example picks its rows.
POOL_JOINED = evidence.load(
    POOL_BIB, tag_table([(k, "trust", s) for k, _, _ in POOL for s in STANCES]), THEMES
).tags
POOL_ROW = {(row.study, row.stance): i for i, row in enumerate(POOL_JOINED.itertuples())}


def pool_rating(tags, rubric):
    joined = POOL_JOINED.iloc[[POOL_ROW[POOL[i][0], stance] for i, stance in tags]]
    return rated(joined_base(joined), rubric).loc["trust"]


def joined_base(joined):
    """Stand-in for an EvidenceBase: what ``rated`` reads."""
    return type("Base", (), {"tags": joined.reset_index(drop=True), "themes": THEMES})


@st.composite
def consistent_themes(draw):
    """A theme whose studies consistently support it, and a fresh study to add."""
    picks = draw(st.lists(st.integers(0, len(POOL) - 1), min_size=2, max_size=9, unique=True))
    fresh, *studies = picks
    stances = draw(st.lists(st.sampled_from(STANCES), min_size=len(studies), max_size=len(studies)))
    return list(zip(studies, stances, strict=True)), fresh


@given(consistent_themes(), rubrics)
def test_adding_a_supporting_study_never_lowers_a_consistent_rating(theme, rubric):
    tags, fresh = theme
    before = pool_rating(tags, rubric)
    assume(before["rating"] not in ("none", "inconclusive"))
    assume(before["supports"] > before["contradicts"])
    after = pool_rating([*tags, (fresh, "supports")], rubric)
    assert RATINGS.index(after["rating"]) >= RATINGS.index(before["rating"])


@given(consistent_themes(), rubrics, st.sampled_from(["contradicts", "mixed", "inconclusive"]))
def test_adding_a_dissenting_study_never_raises_a_consistent_rating(theme, rubric, stance):
    tags, fresh = theme
    before = pool_rating(tags, rubric)
    assume(before["rating"] not in ("none", "inconclusive"))
    assume(before["supports"] > before["contradicts"])
    after = pool_rating([*tags, (fresh, stance)], rubric)
    assert RATINGS.index(after["rating"]) <= RATINGS.index(before["rating"])


@given(
    st.lists(
        st.sampled_from(
            [
                i
                for i, (_, kind, _) in enumerate(POOL)
                if kind in (None, "commentary", "guidance", "policy")
            ]
        ),
        min_size=1,
        unique=True,
    ),
    rubrics,
)
def test_weak_and_unknown_sources_alone_never_rate_above_limited(picks, rubric):
    assert pool_rating([(i, "supports") for i in picks], rubric)["rating"] == "limited"


# --- the bundled example ----------------------------------------------------------------


def test_bundled_example_ratings():
    base = evidence.load_example()
    table = rate.summarise(base.tags, base.themes)
    for row in table.itertuples():  # the report: pytest tests/test_rate.py -k bundled -s
        print(f"{row.theme}: {row.rating}. {row.reason}")
    ratings = table.set_index("theme")["rating"]
    assert ratings["co_terminosity"] == "inconclusive"
    assert set(ratings) <= set(RATINGS)
    assert table["reason"].str.endswith(".").all()
    assert (table["studies"] == table[list(STANCES)].sum(axis=1)).all()  # one stance each here


def test_bundled_example_confidence_and_crosstab():
    base = evidence.load_example()
    confidence = rate.assess_confidence(base.tags, base.themes).set_index("theme")
    assert confidence.loc["co_terminosity", "coherence"] == "serious concerns"
    assert (confidence["relevance"] == "cannot be judged from the data").all()
    gap_map = rate.crosstab(base.tags, base.themes, cols="sector")
    assert gap_map.index.tolist() == base.themes.ids
    assert gap_map.loc["co_location", "children"] == 1


# --- CERQual-style confidence -----------------------------------------------------------


def test_confidence_starts_high_and_is_lowered_per_concern():
    keys = "abcde"
    tags = [(k, "trust", "supports", f"quote {k}") for k in keys] + [
        ("a", "co_location", "supports")
    ]
    entries = [entry(k, "evaluation", country="Scotland", sector="health;education") for k in keys]
    rubric = Rubric(context_countries=("scotland",), context_sectors=("education",))
    table = rate.assess_confidence(base_of(tags, *entries).tags, THEMES, rubric).set_index("theme")
    trust = table.loc["trust"]
    assert trust["confidence"] == "high"
    assert (
        trust[["limitations", "coherence", "adequacy", "relevance"]].tolist()
        == ["no or very minor concerns"] * 4
    )
    assert trust["relevance_reason"].startswith("5 of 5 studies whose context is recorded match")
    one = table.loc["co_location"]  # one study, no quote: serious concerns about adequacy
    assert (one["adequacy"], one["confidence"]) == ("serious concerns", "low")
    assert one["adequacy_reason"] == "1 study, 0 with a quote"
    assert table.loc["funding_silos", "confidence"] is pd.NA


def test_relevance_is_not_guessed():
    tags = [("a", "trust", "supports", "q")]
    base = base_of(tags, entry("a", "evaluation"))
    no_context = rate.assess_confidence(base.tags, THEMES).set_index("theme").loc["trust"]
    assert no_context["relevance"] == "cannot be judged from the data"
    rubric = Rubric(context_countries=("Wales",))
    unrecorded = rate.assess_confidence(base.tags, THEMES, rubric).set_index("theme").loc["trust"]
    assert (
        unrecorded["relevance_reason"]
        == "cannot be judged from the data: no study records its context"
    )
    assert "relevance cannot be judged from the data" in unrecorded["confidence_reason"]


# --- crosstab -----------------------------------------------------------------------------


def test_crosstab_counts_distinct_studies_and_splits_sectors():
    tags = [
        ("a", "trust", "supports"),
        ("a", "trust", "mixed"),
        ("b", "trust", "supports"),
        ("b", "co_location", "supports"),
        ("Nobody 1999", "trust", "supports"),
    ]
    base = base_of(
        tags, entry("a", sector="health; education", year=2001), entry("b", sector="health")
    )
    table = rate.crosstab(base.tags, THEMES, rows="theme", cols="sector")
    assert table.index.name == "theme" and table.columns.name == "sector"
    assert table.columns.tolist() == ["education", "health", "unknown"]
    assert table.loc["trust"].tolist() == [1, 2, 1]
    assert table.loc["funding_silos"].tolist() == [0, 0, 0]
    by_year = rate.crosstab(base.tags, THEMES, cols="year")
    assert by_year.columns.tolist() == ["2001", "2003", "unknown"]
    by_category = rate.crosstab(base.tags, THEMES, rows="category", cols="sector")
    assert by_category.loc["success_factor"].tolist() == [1, 2, 1]  # b once, not per theme
    types = rate.crosstab(base.tags, THEMES, rows="evidence_type", cols="theme")
    assert types.index.tolist() == [*EVIDENCE_TYPES, "unknown"]
    assert types.loc["unknown", "trust"] == 3


@pytest.mark.parametrize(
    ("rows", "cols"), [("theme", "author"), ("stance", "theme"), ("year", "year")]
)
def test_crosstab_rejects_unknown_dimensions(rows, cols):
    base = base_of([("a", "trust", "supports")], entry("a"))
    with pytest.raises(SettingsError):
        rate.crosstab(base.tags, THEMES, rows=rows, cols=cols)


# --- coder agreement ---------------------------------------------------------------------


def coded_tags():
    """Hand-made double coding: 20 units of trust, 4 of co_location (one skipped by each)."""
    cells = {("supports", "supports"): 9, ("supports", "contradicts"): 3}
    cells |= {("contradicts", "supports"): 2, ("contradicts", "contradicts"): 6}
    units = [pair for pair, count in cells.items() for _ in range(count)]
    tags = []
    for i, (a, b) in enumerate(units):
        tags += [(f"u{i}", "trust", a, "", "ann"), (f"u{i}", "trust", b, "", "bob")]
    tags += [
        ("v0", "co_location", "supports", "", "ann"),
        ("v0", "co_location", "supports", "", "bob"),
    ]
    tags += [
        ("v1", "co_location", "supports", "", "ann"),
        ("v1", "co_location", "contradicts", "", "bob"),
    ]
    tags += [
        ("v2", "co_location", "contradicts", "", "ann"),
        ("v3", "co_location", "supports", "", "bob"),
    ]
    keys = {row[0] for row in tags}
    return base_of(tags, *(entry(k) for k in sorted(keys)))


def test_cohens_kappa_against_hand_computed_values():
    table = rate.compare_coders(coded_tags().tags, THEMES).set_index("theme")
    trust = table.loc["trust"]
    # po = 15/20; pe = .6 * .55 + .4 * .45 = .51; kappa = .24 / .49
    assert (trust["units"], trust["coded_by_both"], trust["agreement"]) == (20, 20, 0.75)
    assert trust["kappa"] == round(0.24 / 0.49, 3) == 0.49
    co = table.loc["co_location"]
    # units (S,S) (S,C) (C,-) (-,S): po = 1/4; pe = (2*2 + 1*1 + 1*1) / 16; kappa = -0.2
    assert (co["units"], co["coded_by_both"], co["agreement"], co["kappa"]) == (4, 2, 0.25, -0.2)
    assert co["stance_agreement"] == 0.5
    overall = table.loc["(overall)"]
    # po = 16/24; pe = (14*13 + 9*10 + 1*1) / 24**2 = 273/576; kappa = 111/303
    assert (overall["units"], overall["kappa"]) == (24, round(111 / 303, 3))
    assert overall[["coder_a", "coder_b"]].tolist() == ["ann", "bob"]


def test_compare_coders_needs_two_coders():
    one = base_of([("a", "trust", "supports", "", "ann")], entry("a"))
    with pytest.raises(EvidenceError, match="at least two coders") as caught:
        rate.compare_coders(one.tags, THEMES)
    assert caught.value.column == "coder"


def test_perfect_agreement_on_one_category_has_undefined_kappa():
    tags = [("a", "trust", "supports", "", c) for c in ("ann", "bob", "cy")]
    table = rate.compare_coders(base_of(tags, entry("a")).tags, THEMES)
    assert len(table) == 6  # three pairs: trust and overall each
    assert (table["agreement"] == 1.0).all() and table["kappa"].isna().all()
    assert np.isnan(table["kappa"].to_numpy(float)).all()


def test_coherence_and_adequacy_concern_levels():
    tags = [
        ("a", "trust", "supports", "q"),
        ("b", "trust", "supports"),
        ("c", "trust", "contradicts"),
    ]
    base = base_of(tags, *(entry(k, "evaluation") for k in "abc"))
    row = rate.assess_confidence(base.tags, THEMES).set_index("theme").loc["trust"]
    assert row["coherence"] == "moderate concerns"  # 67%: below 75%, at least half
    assert row["coherence_reason"] == "67% agree (supports); 0 mixed, 0 inconclusive"
    assert row["adequacy"] == "moderate concerns"  # 3 studies (minor), 1 of 3 quoted: thin
    assert row["confidence"] == "low"
    assert row["confidence_reason"] == (
        "low: started at high, -1 for moderate concerns about coherence; "
        "-1 for moderate concerns about adequacy; relevance cannot be judged from the data."
    )
