"""Citation resolution: accuracy and speed of ``evidence.resolve`` against naive ``extractOne``.

Works are drawn from the real bibliographies of the shared corpus (surnames with
their particles and diacritics, years, months and titles as the files give
them). For N citations a bibliography of N entries is built; above the corpus
size, extra entries recombine real surnames, years and titles (seeded). A few
per cent of the entries get a twin with the same authors and year, so that
suffixes (2004a, 2004b) are needed.

Each citation is rendered as author-date text in one of several styles (APA
``Smith & Jones, 2003`` and ``Smith and Jones (2003)``, Chicago ``Smith, Jones,
and Lee 2003``, Harvard ``Smith & Jones 2003``, ``Smith, Jones, 2003``, ``Smith et
al. 2003``) with the suffixes a CSL author-date style would print (by date,
then title without a leading article), and with seeded noise, each case with
its true answer:

- ``clean``: the entry's citation as rendered;
- ``typo``: one letter of one surname replaced, dropped, doubled or swapped
  (never giving another surname of the bibliography);
- ``year``: the year shifted by one or two (never onto another entry's label);
- ``dropped``: a work left out of the bibliography (true answer: no key);
- ``no_year``: the year left out (true answer: the entry when its authors
  have one entry, else no key).

Both matchers resolve the same citations against the same entries, side by
side: ``evidence.resolve`` and ``rapidfuzz.process.extractOne(citation, labels)``
over the bibliography's author-date labels (``WRatio``, ``default_process``, a
score cutoff of 90, below which it answers nothing). Reported: top-1 accuracy
(the key returned is the true answer, "no key" included), confident wrong keys
(a key returned that is not the true one) and time; ``evidence`` also by case.

Run: ``python benchmarks/bench_resolve.py`` (1k, 10k and 100k; the naive
matcher up to 10k); ``--quick``: 300 citations, in seconds.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import logging
import random
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, replace

import pandas as pd
from rapidfuzz import process, utils

from evidence.bib import Bibliography
from evidence.names import fold
from evidence.resolve import resolve
from evidence.settings import DEFAULT_PARTICLES, ResolverSettings

from _common import CORPUS_BIB, platform_line, print_table, write_results

SEED = 20240917
SIZES = (1_000, 10_000, 100_000)
NAIVE_MAX = 10_000
NAIVE_CUTOFF = 90
QUICK_FILES = ["zotero_bbt_statistical_inferences_metascience.bib"]
MIX = {"clean": 0.80, "typo": 0.07, "year": 0.05, "dropped": 0.05, "no_year": 0.03}
TWINS = 0.03
_ARTICLE = re.compile(r"^(?:a|an|the) ")
_PLAIN = re.compile(r"[^\w .,:;?!'-]")  # titles without TeX specials: they read back as written
PARTICLES = {word for particle in DEFAULT_PARTICLES for word in particle.split()}
_NAME = re.compile(r"^(?:[^\W\d_]+[ '’.-]?){0,2}[^\W\d_]*[^\W\d_A-Z][^\W\d_]*$")


@dataclass(frozen=True)
class Work:
    surnames: tuple[str, ...]
    year: int | None
    month: int
    title: str
    key: str = ""

    @property
    def form(self) -> tuple:
        """What an APA-like label prints of the authors: works alike here share suffixes."""
        names = [fold(s).replace(" ", "") for s in self.surnames]
        return (names[0], "+" if len(names) > 2 else names[1] if len(names) == 2 else "")

    @property
    def reading(self) -> tuple:
        """The form as a reader compares it, particles aside: alike means indistinguishable."""
        names = [same(s) for s in self.surnames]
        return (names[0], "+" if len(names) > 2 else names[1] if len(names) == 2 else "")


def same(name: str) -> str:
    """A name as a reader compares it: case, accents, spaces and leading particles aside."""
    words = fold(name).split()
    while len(words) > 1 and words[0] in PARTICLES:
        words = words[1:]
    return "".join(words)


def load_pool(files: list[str]) -> list[Work]:
    """Every entry with authors, from the corpus files, without repeats."""
    seen, pool = set(), []
    for name in files:
        entries = Bibliography.from_file(CORPUS_BIB / name).entries
        months = entries["month"] if "month" in entries.columns else [None] * len(entries)
        for authors, year, title, month in zip(
            entries["authors"], entries["year"], entries["title"], months, strict=True
        ):
            if not authors or not all(_NAME.match(a) for a in authors):
                continue
            work = Work(
                tuple(authors),
                None if pd.isna(year) else int(year),
                _month(month),
                _PLAIN.sub("", title) if isinstance(title, str) else "",
            )
            if (work.surnames, work.year, work.title) not in seen:
                seen.add((work.surnames, work.year, work.title))
                pool.append(work)
    return pool


def _month(value: object) -> int:
    text = str(value).strip().lower()[:3] if isinstance(value, str) else ""
    names = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    return names.index(text) + 1 if text in names else 0


def synthesise(pool: list[Work], count: int, rng: random.Random) -> list[Work]:
    """New works recombining real surnames, author counts, years and titles."""
    names = sorted({s for w in pool for s in w.surnames})
    return [
        Work(
            tuple(rng.choice(names) for _ in range(len(rng.choice(pool).surnames))),
            rng.choice(pool).year,
            rng.choice(pool).month,
            rng.choice(pool).title,
        )
        for _ in range(count)
    ]


def bibtex(works: list[Work]) -> str:
    lines = []
    for w in works:
        author = " and ".join(f"{s}, A." for s in w.surnames)
        title = w.title.replace("{", "").replace("}", "")
        fields = [f"author = {{{author}}}", f"title = {{{title}}}"]
        if w.year is not None:
            fields.append(f"year = {{{w.year}}}")
        if w.month:
            fields.append(f"month = {w.month}")
        lines.append(f"@article{{{w.key},\n  " + ",\n  ".join(fields) + "\n}")
    return "\n".join(lines)


def suffixes(works: list[Work]) -> dict[str, tuple[str, bool]]:
    """Suffix letter per key (CSL order), and whether that order is knowable."""
    groups = defaultdict(list)
    for w in works:
        groups[w.form, w.year].append(w)
    found = {}
    for members in groups.values():
        if len(members) == 1:
            continue

        def order(w: Work) -> tuple:
            return (w.month, _ARTICLE.sub("", fold(w.title)))

        members.sort(key=lambda w: (order(w), w.key))
        counts = Counter(order(w) for w in members)
        for w, letter in zip(members, _letters(), strict=False):
            found[w.key] = (letter, counts[order(w)] == 1)
    return found


def _letters():
    for length in itertools.count(1):
        yield from map("".join, itertools.product("abcdefghijklmnopqrstuvwxyz", repeat=length))


def render(surnames: tuple[str, ...], date: str, rng: random.Random) -> tuple[str, int]:
    """The citation in one of several author-date styles, and how many names it shows.

    Without a date, the names only. ``et al.`` shows one name (the count is 0).
    """
    n, first = len(surnames), surnames[0]
    style = rng.choice(["apa", "apa_narrative", "chicago", "harvard", "commas"])
    shown = n
    if style == "chicago" and n == 3:
        names = f"{surnames[0]}, {surnames[1]}, and {surnames[2]}"
    elif n >= 3:
        names, shown = f"{first} et al.", 0
    else:
        joiner = {"apa": " & ", "harvard": " & ", "commas": ", "}.get(style, " and ")
        names = joiner.join(surnames)
    if not date:
        return names, shown
    if style in ("apa", "commas"):
        return f"{names}, {date}", shown
    if style == "apa_narrative":
        return f"{names} ({date})", shown
    return f"{names} {date}", shown


def typo(name: str, rng: random.Random) -> str:
    start = max(name.rfind(" ") + 1, 0)  # the last word: particles stay as written
    positions = [i for i, c in enumerate(name) if i >= start and c.isascii() and c.isalpha()]
    i = rng.choice(positions[1:] if len(positions) > 1 and rng.random() < 0.9 else positions)
    letter = rng.choice("abcdefghijklmnopqrstuvwxyz")
    op = rng.choice(["replace", "drop", "double", "swap"])
    if op == "replace":
        wrong = name[:i] + (letter if letter != name[i].lower() else "x") + name[i + 1 :]
    elif op == "drop":
        wrong = name[:i] + name[i + 1 :]
    elif op == "double":
        wrong = name[:i] + name[i] + name[i:]
    elif i + 1 < len(name) and name[i + 1] != name[i]:
        wrong = name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    else:
        wrong = name[:i] + letter + name[i + 1 :]
    return wrong[:start] + wrong[start:].capitalize() if name[start].isupper() else wrong


def make_case(size: int, pool: list[Work], rng: random.Random):
    """A bibliography text, and citations with their true keys and kinds."""
    dropped_n = max(1, int(size * MIX["dropped"]))
    need = size + dropped_n
    works = rng.sample(pool, min(need, len(pool)))
    works += synthesise(pool, need - len(works), rng)
    twins = [
        replace(w, title=rng.choice(pool).title, month=rng.choice(pool).month)
        for w in rng.sample(works, int(size * TWINS))
    ]
    works = [replace(w, key=f"e{i}") for i, w in enumerate(works + twins)]
    rng.shuffle(works)
    letter = suffixes(works)  # the author's reference list holds every work
    # a dropped work's label is its own: with the label of a kept entry no one could tell
    groups = Counter((w.reading, w.year) for w in works)
    alone = [w for w in works if groups[w.reading, w.year] == 1]
    dropped = alone[:dropped_n]
    gone = {w.key for w in dropped}
    kept = [w for w in works if w.key not in gone]
    kept_surnames = {same(s) for w in kept for s in w.surnames}
    labels = {(w.reading, w.year) for w in kept}
    by_names = Counter(tuple(same(s) for s in w.surnames) for w in kept)
    by_first = Counter(same(w.surnames[0]) for w in kept if len(w.surnames) >= 3)
    citations, truths, kinds = [], [], []
    kinds_cycle = [
        k for k, share in MIX.items() if k != "dropped" for _ in range(round(100 * share))
    ]
    for i in range(size):
        kind = "dropped" if i < dropped_n else rng.choice(kinds_cycle)
        work = dropped[i] if kind == "dropped" else rng.choice(kept)
        surnames, year = list(work.surnames), work.year
        truth: str | None = work.key
        suffix, knowable = letter.get(work.key, ("", True))
        if kind == "dropped":
            truth = None
        elif not knowable:
            truth = None  # same date and title: no one can tell which is "a"
        if kind == "typo":
            j = 1 if len(surnames) == 2 and rng.random() < 0.3 else 0  # a name shown
            if len(fold(surnames[j])) < 4:
                kind = "clean"
            else:
                for _ in range(10):
                    wrong = typo(surnames[j], rng)
                    if same(wrong) not in kept_surnames:
                        surnames[j] = wrong
                        break
                else:
                    kind = "clean"
        if kind == "year" and year is not None:
            for _ in range(10):
                shifted = year + rng.choice([-2, -1, 1, 2])
                if (work.reading, shifted) not in labels:
                    year, suffix, truth = shifted, "", work.key
                    break
            else:
                kind = "clean"
        elif kind == "year":
            kind = "clean"
        if kind == "no_year":
            date = ""
        elif year is None:
            date = f"n.d.-{suffix}" if suffix else "n.d."
        else:
            date = f"{year}{suffix}"
        text, shown = render(tuple(surnames), date, rng)
        if kind == "no_year":  # the entry, when the names shown pick out one
            names = tuple(same(s) for s in surnames)
            alike = by_first[names[0]] if shown == 0 else by_names[names]
            truth = work.key if alike == 1 else None
        citations.append(text)
        truths.append(truth)
        kinds.append(kind)
    return bibtex(kept), citations, truths, kinds


def score(keys: list, truths: list) -> dict:
    n = len(truths)
    right = sum(k == t for k, t in zip(keys, truths, strict=True))
    wrong = sum(k is not None and k != t for k, t in zip(keys, truths, strict=True))
    return {
        "accuracy": round(right / n, 4),
        "wrong_keys": wrong,
        "wrong_per_1000": round(1000 * wrong / n, 2),
        "no_key": sum(k is None for k in keys),
    }


def naive(citations: list[str], bib: Bibliography) -> list:
    entries = bib.entries
    labels, keys = entries["label"].fillna("").tolist(), entries["key"].tolist()
    found = []
    for text in citations:
        best = process.extractOne(
            text, labels, processor=utils.default_process, score_cutoff=NAIVE_CUTOFF
        )
        found.append(None if best is None else keys[best[2]])
    return found


def timed(task):
    """Run ``task()`` once and return (its result, seconds).

    The harness keeps the whole corpus pool alive; ``gc.freeze()`` stops Python's
    collector from re-scanning it while the matcher runs (the same for both).
    """
    gc.collect()
    gc.freeze()
    try:
        start = time.perf_counter()
        result = task()
        return result, time.perf_counter() - start
    finally:
        gc.unfreeze()


def run(size: int, pool: list[Work], *, with_naive: bool) -> list[dict]:
    rng = random.Random(SEED + size)
    text, citations, truths, kinds = make_case(size, pool, rng)
    bib = Bibliography.from_string(text)
    # the renderer orders suffixes by date, then title: the style is known, as a user would say
    known_style = ResolverSettings(suffix_order="date-title")
    frame, ours_s = timed(lambda: resolve(citations, bib, settings=known_style, progress=False))
    keys = [None if pd.isna(k) else str(k) for k in frame["key"]]
    statuses = frame["status"].tolist()
    base = {"citations": size, "entries": len(bib)}

    def row(method, ks, ts, sts, seconds=""):
        wrong = [st for k, t, st in zip(ks, ts, sts, strict=True) if k is not None and k != t]
        found = {"method": method, **score(ks, ts), "seconds": seconds}
        found["wrong_by_status"] = " ".join(f"{s}:{n}" for s, n in sorted(Counter(wrong).items()))
        return {**base, **found}

    rows = [row("evidence.resolve", keys, truths, statuses, round(ours_s, 2))]
    by_kind = defaultdict(list)
    for i, kind in enumerate(kinds):
        by_kind[kind].append(i)
    for kind, rows_of_kind in sorted(by_kind.items()):
        pick = [keys[i] for i in rows_of_kind], [truths[i] for i in rows_of_kind]
        rows.append(
            row(f"  {kind} ({len(rows_of_kind)})", *pick, [statuses[i] for i in rows_of_kind])
        )
    if with_naive:
        naive_keys, naive_s = timed(lambda: naive(citations, bib))
        rows.append(row("naive extractOne", naive_keys, truths, ["-"] * size, round(naive_s, 2)))
        rows[0]["speedup"] = round(naive_s / ours_s, 1)
    for found in rows:
        found.setdefault("speedup", "")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="300 citations, one small file")
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    args = parser.parse_args(argv)
    logging.getLogger("bibtexparser").setLevel(logging.ERROR)
    if not CORPUS_BIB.is_dir():
        print(f"the shared corpus is not at {CORPUS_BIB}", file=sys.stderr)
        return 1
    files = QUICK_FILES if args.quick else sorted(p.name for p in CORPUS_BIB.glob("*.bib"))
    pool = load_pool(files)
    sizes = [300] if args.quick else args.sizes
    rows = [row for size in sizes for row in run(size, pool, with_naive=size <= NAIVE_MAX)]
    print(platform_line())
    print(f"pool: {len(pool)} works from {len(files)} corpus files; seed {SEED}")
    print_table(rows)
    if not args.quick:
        print(f"results: {write_results('resolve', rows)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
