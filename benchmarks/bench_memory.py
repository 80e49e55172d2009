"""Peak memory (RSS) of loading a 100 MB bibliography: ``Bibliography`` against bare bibtexparser.

The file is made for the run in a temporary folder by concatenating every
real bibliography of ``../shared/corpus/bib/`` (keys renamed per copy so that
they stay unique) until it reaches the size asked for; nothing is kept. Each
loader runs in a fresh Python process, which reports its own peak resident
set size (``VmHWM``) and its peak just before loading (interpreter and
imports), so the numbers are for the load alone.

Run: ``python benchmarks/bench_memory.py`` (``--quick``: a 5 MB file).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from evidence.io import decode_bytes

from _common import CORPUS_BIB, platform_line, print_table, write_results

_KEY = re.compile(r"(@\s*[A-Za-z]+\s*[{(]\s*)([^,\s]+)(\s*,)")

_CHILD = """
import json, logging, sys, time
logging.disable(logging.WARNING)


def high_water_kib():
    # VmHWM starts afresh at exec, unlike ru_maxrss, which Linux carries over from the parent
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))


which, path = sys.argv[1], sys.argv[2]
if which == "bibtexparser":
    import bibtexparser
    load = lambda: len(bibtexparser.parse_file(path).entries)
else:
    from evidence import Bibliography
    load = lambda: len(Bibliography.from_file(path))
before = high_water_kib()
start = time.perf_counter()
entries = load()
seconds = time.perf_counter() - start
peak = high_water_kib()
print(json.dumps({"entries": entries, "seconds": seconds, "before_kib": before, "peak_kib": peak}))
"""


def make_file(path: Path, megabytes: float) -> float:
    """Concatenate the corpus (as UTF-8) into ``path`` until it holds ``megabytes``; return MiB."""
    sources = sorted(CORPUS_BIB.glob("*.bib"))
    texts = [decode_bytes(p.read_bytes()).text for p in sources]
    size, copy = 0, 0
    with path.open("w", encoding="utf-8") as out:
        while size < megabytes * 2**20:
            for text in texts:
                renamed = _KEY.sub(rf"\g<1>\g<2>_{copy}\g<3>", text)
                out.write(renamed + "\n")
                size += len(renamed.encode()) + 1
                if size >= megabytes * 2**20:
                    break
            copy += 1
    return size / 2**20


def measure(which: str, path: Path, size_mib: float) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, which, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(result.stdout)
    load_mib = (found["peak_kib"] - found["before_kib"]) / 1024
    return {
        "loader": which,
        "file_mib": round(size_mib, 1),
        "entries": found["entries"],
        "seconds": round(found["seconds"], 1),
        "peak_rss_mib": round(found["peak_kib"] / 1024),
        "load_mib": round(load_mib),
        "x_file_size": round(load_mib / size_mib, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a 5 MB file")
    parser.add_argument("--megabytes", type=float, default=100)
    args = parser.parse_args(argv)
    if not CORPUS_BIB.is_dir():
        print(f"the shared corpus is not at {CORPUS_BIB}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.bib"
        size = make_file(path, 5 if args.quick else args.megabytes)
        rows = [measure(which, path, size) for which in ("bibtexparser", "evidence")]
    print(platform_line())
    print_table(rows)
    if not args.quick:
        print(f"results: {write_results('memory', rows)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
