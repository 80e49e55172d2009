"""Loading speed and memory: ``Bibliography`` against bare ``bibtexparser.parse_file``.

Both load the same real bibliographies, side by side in one run: the bare
parser with its default middleware (macro expansion, delimiters removed, no
LaTeX decoding, no name splitting), and ``evidence.Bibliography`` with
everything decoded (LaTeX, names, labels, years, vocabulary checks, problems).
A third column reloads the unchanged file, served from the content-hash cache.

Run: ``python benchmarks/bench_bib.py`` (``--quick``: one small file, one repeat).
"""

from __future__ import annotations

import argparse
import logging
import sys

import bibtexparser

from evidence import bib as bib_module
from evidence.bib import Bibliography

from _common import CORPUS_BIB, best_time, peak_memory, platform_line, print_table, write_results

LARGEST = [
    "glottolog_ozbib_australian_languages_part3.bib",
    "glottolog_sala_linguistics_part2.bib",
    "glottolog_zurich_linguistics_part1.bib",
    "bibdesk_memlab_psychology_with_errors.bib",
    "dblp_ir_anthology_information_retrieval.bib",
    "zotero_bbt_papers3_hci_unbalanced_braces.bib",
]
QUICK = ["jabref_scoping_review_open_collaboration.bib"]


def measure(name: str, repeat: int) -> dict:
    path = CORPUS_BIB / name

    def ours() -> Bibliography:
        bib_module._CACHE.clear()
        return Bibliography.from_file(path)

    def bare() -> bibtexparser.Library:
        return bibtexparser.parse_file(str(path))

    def cached() -> Bibliography:
        return Bibliography.from_file(path)

    entries = len(ours())
    t_bare = best_time(bare, repeat)
    t_ours = best_time(ours, repeat)
    ours()  # fill the cache
    t_cached = best_time(cached, max(repeat, 5))
    return {
        "file": name,
        "entries": entries,
        "bare_s": round(t_bare, 3),
        "evidence_s": round(t_ours, 3),
        "ratio": round(t_ours / t_bare, 2),
        "cached_s": round(t_cached, 4),
        "cached_ratio": round(t_cached / t_bare, 3),
        "bare_peak_mib": round(peak_memory(bare), 1),
        "evidence_peak_mib": round(peak_memory(ours), 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one small file, one repeat")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    logging.getLogger("bibtexparser").setLevel(logging.ERROR)  # one warning per broken block
    if not CORPUS_BIB.is_dir():
        print(f"the shared corpus is not at {CORPUS_BIB}", file=sys.stderr)
        return 1
    files, repeat = (QUICK, 1) if args.quick else (LARGEST, args.repeat)
    rows = [measure(name, repeat) for name in files]
    print(platform_line())
    print_table(rows)
    if not args.quick:
        print(f"results: {write_results('bib', rows)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
