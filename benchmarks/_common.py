"""Shared benchmark helpers: timing, peak memory, the platform line, corpus paths."""

from __future__ import annotations

import csv
import gc
import os
import platform
import statistics
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS_BIB = ROOT.parent / "shared" / "corpus" / "bib"
RESULTS = Path(__file__).resolve().parent / "results"


def platform_line() -> str:
    """One line saying where the numbers were measured."""
    import bibtexparser
    import pandas

    return (
        f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores; "
        f"pandas {pandas.__version__}, bibtexparser {bibtexparser.__version__}"
    )


def best_time(run: Callable[[], object], repeat: int) -> float:
    """The best of ``repeat`` wall-clock timings of ``run()``, in seconds."""
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times) if repeat < 5 else statistics.median(times)


def peak_memory(run: Callable[[], object]) -> float:
    """Peak memory allocated while ``run()`` runs (tracemalloc), in MiB."""
    gc.collect()
    tracemalloc.start()
    try:
        run()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 2**20


def write_results(name: str, rows: Sequence[dict]) -> Path:
    """Write rows to ``benchmarks/results/<name>.csv`` and return the path."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.csv"
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def print_table(rows: Sequence[dict]) -> None:
    """Print rows as an aligned text table."""
    columns = list(rows[0])
    widths = [max(len(c), *(len(str(r[c])) for r in rows)) for c in columns]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)))
    for row in rows:
        print("  ".join(str(row[c]).ljust(w) for c, w in zip(columns, widths, strict=True)))
