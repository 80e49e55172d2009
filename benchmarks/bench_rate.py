"""Rating speed: ``rate.summarise`` and ``rate.crosstab`` against a naive per-theme loop.

A seeded synthetic evidence base (the joined tags frame, as ``EvidenceBase.tags``
gives it: 2% unresolved citations, a ``;``-separated sector list per study,
evidence types, quality, countries and years) is rated with the vectorised
functions, and, side by side at a size where it finishes, with the obvious
alternative: a Python loop over themes that filters the frame and counts each
theme's studies, stances and sectors in dictionaries.

Run: ``python benchmarks/bench_rate.py`` (``--quick``: a tiny base, one repeat).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter

import numpy as np
import pandas as pd

from evidence import rate, schema
from evidence.themes import Theme, Themes
from evidence.vocab import EVIDENCE_TYPES, QUALITY_LEVELS, STANCES

from _common import best_time, peak_memory, platform_line, print_table, write_results

#: (tags, studies, themes, run the naive loop too)
FULL = [(100_000, 10_000, 500, True), (1_000_000, 100_000, 500, False)]
QUICK = [(2_000, 500, 20, True)]
SECTORS = ["children", "cross_sector", "education", "health", "housing", "justice", "social_care"]
COUNTRIES = ["Australia", "England", "Scotland", "United States", "Wales", None]


def synthetic(n_tags: int, n_studies: int, n_themes: int, seed: int = 2003):
    """A joined tags frame and its framework, the same for the same arguments."""
    rng = np.random.default_rng(seed)
    ids = np.array([f"theme_{i:04d}" for i in range(n_themes)], dtype=object)
    themes = Themes(
        Theme(t, t.replace("_", " "), ("barrier", "success_factor")[i % 2])
        for i, t in enumerate(ids)
    )
    keys = np.array([f"study{i:06d}" for i in range(n_studies)], dtype=object)
    kinds = np.array([*EVIDENCE_TYPES, None], dtype=object)[rng.integers(0, 10, n_studies)]
    quality = np.array([None, None, *QUALITY_LEVELS], dtype=object)[rng.integers(0, 5, n_studies)]
    countries = np.array(COUNTRIES, dtype=object)[rng.integers(0, len(COUNTRIES), n_studies)]
    sectors = np.array(
        [
            ";".join(rng.choice(SECTORS, rng.integers(1, 4), replace=False))
            for _ in range(n_studies)
        ],
        dtype=object,
    )
    years = rng.integers(1990, 2025, n_studies)
    study = rng.integers(0, n_studies, n_tags)
    theme = ids[rng.integers(0, n_themes, n_tags)]
    unresolved = rng.random(n_tags) < 0.02

    def of_study(values: np.ndarray) -> np.ndarray:
        picked = values[study].astype(object)
        picked[unresolved] = None
        return picked

    frame = pd.DataFrame(
        {
            "line": np.arange(2, n_tags + 2),
            "study": np.where(unresolved, "Unmatched " + of_study(keys).astype(str), keys[study]),
            "theme": theme,
            "stance": np.array(STANCES, dtype=object)[
                rng.choice(4, n_tags, p=[0.7, 0.1, 0.1, 0.1])
            ],
            "key": of_study(keys),
            "quote": np.where(rng.random(n_tags) < 0.6, "a quote", None),
            "theme_id": theme,
            "label": of_study(keys),
            "year": pd.array(of_study(years), dtype="Int64"),
            "evidence_type": of_study(kinds),
            "quality": of_study(quality),
            "country": of_study(countries),
            "sector": of_study(sectors),
        }
    )
    return schema.conform(frame, "joined"), themes


def naive_summary(joined: pd.DataFrame, themes: Themes) -> pd.DataFrame:
    """The obvious alternative: filter per theme, count in Python."""
    rows = []
    for theme in themes:
        sub = joined[joined["theme_id"] == theme.id]
        stances: dict[str, set[str]] = {}
        kinds: dict[str, str] = {}
        for key, text, stance, kind in zip(
            sub["key"], sub["study"], sub["stance"], sub["evidence_type"], strict=True
        ):
            ident = f"?{text}" if key is pd.NA else key
            stances.setdefault(ident, set()).add(stance)
            kinds[ident] = "unknown" if kind is pd.NA else kind
        positions = Counter(next(iter(s)) if len(s) == 1 else "mixed" for s in stances.values())
        agree = max(positions["supports"], positions["contradicts"])
        row = {"theme": theme.id, "studies": len(stances)}
        row |= {s: sum(s in found for found in stances.values()) for s in STANCES}
        row |= {f"type_{k}": n for k, n in Counter(kinds.values()).items()}
        row["agreement"] = np.round(agree / len(stances), 2) if stances else float("nan")
        rows.append(row)
    return pd.DataFrame(rows)


def naive_crosstab(joined: pd.DataFrame, themes: Themes) -> pd.DataFrame:
    """The obvious alternative: per theme, split each study's sectors in Python."""
    counts = {}
    for theme in themes:
        sub = joined[joined["theme_id"] == theme.id]
        seen: dict[str, set[str]] = {}
        for key, text, sector in zip(sub["key"], sub["study"], sub["sector"], strict=True):
            ident = f"?{text}" if key is pd.NA else key
            names = ["unknown"] if sector is pd.NA else [s.strip() for s in sector.split(";")]
            for name in names:
                seen.setdefault(name, set()).add(ident)
        counts[theme.id] = {name: len(studies) for name, studies in seen.items()}
    return pd.DataFrame.from_dict(counts, orient="index").fillna(0).astype(int)


def measure(size: tuple[int, int, int, bool], repeat: int) -> list[dict]:
    n_tags, n_studies, n_themes, naive = size
    joined, themes = synthetic(n_tags, n_studies, n_themes)
    tasks = {
        "summarise": (
            lambda: rate.summarise(joined, themes),
            lambda: naive_summary(joined, themes),
        ),
        "crosstab theme x sector": (
            lambda: rate.crosstab(joined, themes, cols="sector"),
            lambda: naive_crosstab(joined, themes),
        ),
        "crosstab theme x year": (lambda: rate.crosstab(joined, themes, cols="year"), None),
        "assess_confidence": (lambda: rate.assess_confidence(joined, themes), None),
    }
    if naive:  # the baseline counts what we count
        columns = ["studies", *STANCES, "agreement"]
        expected = rate.summarise(joined, themes)[columns]
        pd.testing.assert_frame_equal(
            naive_summary(joined, themes)[columns], expected, check_dtype=False
        )
        gap_map = naive_crosstab(joined, themes)
        pd.testing.assert_frame_equal(
            gap_map.reindex(index=themes.ids, columns=sorted(gap_map.columns), fill_value=0),
            rate.crosstab(joined, themes, cols="sector"),
            check_dtype=False,
            check_names=False,
        )
    rows = []
    for task, (ours, baseline) in tasks.items():
        t_ours = best_time(ours, repeat)
        t_naive = best_time(baseline, 1) if naive and baseline else None
        rows.append(
            {
                "tags": n_tags,
                "studies": n_studies,
                "themes": n_themes,
                "task": task,
                "evidence_s": round(t_ours, 3),
                "naive_s": "" if t_naive is None else round(t_naive, 3),
                "speedup": "" if t_naive is None else round(t_naive / t_ours, 1),
                "evidence_peak_mib": round(peak_memory(ours), 1),
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tiny evidence base, one repeat")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    sizes, repeat = (QUICK, 1) if args.quick else (FULL, args.repeat)
    rows = [row for size in sizes for row in measure(size, repeat)]
    print(platform_line())
    print_table(rows)
    if not args.quick:
        print(f"results: {write_results('rate', rows)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
