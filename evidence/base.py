"""The evidence base: tags joined to the bibliography and the theme framework."""

from __future__ import annotations

import dataclasses
import functools
import os
from importlib import resources
from pathlib import Path
from typing import Union

import pandas as pd

from . import schema
from .bib import Bibliography
from .errors import Collector, Problem, UnknownThemeError
from .names import fold
from .suggest import did_you_mean
from .tags import Tags
from .themes import Theme, Themes
from .vocab import STANCES

__all__ = ["EvidenceBase", "ThemeView", "default_paths", "load", "load_example"]

PathLike = Union[str, "os.PathLike[str]"]

#: File names looked for in ``./data/`` and shipped as the bundled example.
DEFAULT_FILES = {"bib": "refs.bib", "tags": "barriers.csv", "themes": "themes.csv"}

#: Columns of the bibliography carried into the joined tags.
_STUDY_COLUMNS = ("label", "year", "title", "evidence_type", "country", "sector", "quality")


def example_dir() -> Path:
    """The folder of the bundled example data (shipped inside the package)."""
    return Path(str(resources.files("evidence") / "_example"))


def default_paths(
    bib: PathLike | None = None,
    tags: PathLike | None = None,
    themes: PathLike | None = None,
    *,
    data_dir: PathLike = "data",
) -> dict[str, Path | None]:
    """Decide which files to load when some or all are not given.

    With none given, the files of ``./data/`` are used when it has a
    bibliography and a tag table, and otherwise the bundled example. A file
    not given beside others that are is taken from ``./data/`` when it is
    there, and left out otherwise (never mixed with the example).

    Returns
    -------
    dict
        ``{"bib": path, "tags": path, "themes": path}``; a value is None for a
        file left out.
    """
    given = {"bib": bib, "tags": tags, "themes": themes}
    local = {name: Path(data_dir) / file for name, file in DEFAULT_FILES.items()}
    if all(value is None for value in given.values()):
        if local["bib"].is_file() and local["tags"].is_file():
            return {name: path if path.is_file() else None for name, path in local.items()}
        return {name: example_dir() / file for name, file in DEFAULT_FILES.items()}
    return {
        name: Path(value) if value is not None else (local[name] if local[name].is_file() else None)
        for name, value in given.items()
    }


def _label_key(text: str) -> str:
    """Fold a citation for exact matching: case, accents, punctuation, "and"/"&"."""
    return " ".join(word for word in fold(text).split() if word != "and")


@dataclasses.dataclass(frozen=True)
class ThemeView:
    """One theme with the studies that speak to it.

    Attributes
    ----------
    theme : Theme
        The theme itself.
    studies : pandas.DataFrame
        One row per study, with its stance(s), the citations as written and
        the quotes (see :meth:`EvidenceBase.studies`).
    tags : pandas.DataFrame
        The joined tag rows of this theme.
    """

    theme: Theme
    studies: pd.DataFrame
    tags: pd.DataFrame

    @property
    def counts(self) -> dict[str, int]:
        """Number of distinct studies per stance."""
        return {stance: int((self.studies["stance"] == stance).sum()) for stance in STANCES}

    def __repr__(self) -> str:
        counts = ", ".join(f"{n} {stance}" for stance, n in self.counts.items() if n)
        lines = [
            f"{self.theme.label} ({self.theme.category or 'uncategorised'}): "
            f"{len(self.studies)} studies" + (f" ({counts})" if counts else "")
        ]
        lines += [f"  {row.label}: {row.stance}" for row in self.studies.itertuples()]
        return "\n".join(lines)


class EvidenceBase:
    """Tags joined to their bibliography entries and themes.

    Build one with :func:`load` or :func:`load_example`. Nothing in it changes
    after loading; every frame it returns is a copy.

    Attributes
    ----------
    bibliography : Bibliography
    themes : Themes
    sources : dict
        The files loaded (``{"bib": path, "tags": path, "themes": path}``).
    """

    def __init__(
        self,
        bibliography: Bibliography,
        tags: Tags,
        themes: Themes,
        *,
        sources: dict[str, Path | None] | None = None,
        strict: bool = False,
    ) -> None:
        self.bibliography = bibliography
        self.themes = themes
        self.raw_tags = tags
        self.sources = dict(sources or {})
        collector = Collector(strict=strict, file=tags.file)
        self._joined = _join(tags, bibliography, themes, collector)
        self._join_problems = collector.finish("join")

    @property
    def tags(self) -> pd.DataFrame:
        """The tag rows joined to theme and bibliography columns (a copy)."""
        return self._joined.copy()

    @functools.cached_property
    def problems(self) -> tuple[Problem, ...]:
        """Every problem found by every stage, sorted by file, line and code."""
        found = (
            *self.bibliography.problems,
            *self.themes.problems,
            *self.raw_tags.problems,
            *self._join_problems,
        )
        return tuple(sorted(found, key=Problem.sort_key))

    def studies(
        self,
        theme: str | None = None,
        stance: str | None = None,
        evidence_type: str | None = None,
    ) -> pd.DataFrame:
        """One row per (theme, study), filtered.

        Parameters
        ----------
        theme : str, optional
            A theme id, label or synonym.
        stance : {"supports", "contradicts", "mixed", "inconclusive"}, optional
            Keep studies with at least one tag of this stance on the theme.
        evidence_type : str, optional
            Keep studies of this evidence type.

        Returns
        -------
        pandas.DataFrame
            Columns ``theme, key, label, year, evidence_type, stance`` (the
            study's stances on the theme, ``;``-joined when it has several),
            ``citations`` (as the sources wrote them), ``tags`` and ``title``,
            in framework order, then by year and label.

        Raises
        ------
        UnknownThemeError
            ``theme`` names no theme.
        """
        joined = self._joined[self._joined["key"].notna() & self._joined["theme_id"].notna()]
        if theme is not None:
            joined = joined[joined["theme_id"] == self.themes.get(theme).id]
        if evidence_type is not None:
            joined = joined[joined["evidence_type"] == evidence_type]
        if stance is not None:
            if stance not in STANCES:
                raise ValueError(f"stance {stance!r} is not one of {', '.join(STANCES)}")
            wanted = joined.loc[joined["stance"] == stance, ["theme_id", "key"]]
            joined = joined.merge(wanted.drop_duplicates(), on=["theme_id", "key"])
        return _studies(joined, self.themes.ids)

    def theme(self, name: str) -> ThemeView:
        """The studies and stances of one theme, found by id, label or synonym.

        Raises
        ------
        UnknownThemeError
            With the nearest themes as suggestions.
        """
        found = self.themes.get(name)
        tags = self._joined[self._joined["theme_id"] == found.id].reset_index(drop=True)
        return ThemeView(found, self.studies(theme=found.id), tags)

    def summary(self) -> pd.DataFrame:
        """Counts of distinct studies per theme and stance, in framework order.

        A study tagged twice for a theme counts once in ``studies``, and once
        under each stance it was tagged with. A citation that matches no
        bibliography entry still counts, as the study its text names (it is
        also reported in :attr:`problems`), so that nothing the sources cite
        is silently dropped.
        """
        joined = self._joined[self._joined["theme_id"].notna()]
        study = joined["key"].fillna("?" + joined["study"].fillna(""))
        pairs = pd.DataFrame(
            {"theme": joined["theme_id"], "study": study, "stance": joined["stance"]}
        ).drop_duplicates()
        by_stance = pairs.groupby(["theme", "stance"]).size().unstack(fill_value=0)
        totals = pairs.drop_duplicates(["theme", "study"]).groupby("theme").size()
        rows = []
        for item in self.themes:
            row = {
                "theme": item.id,
                "label": item.label,
                "category": item.category,
                "studies": int(totals.get(item.id, 0)),
            }
            for stance in STANCES:
                has = item.id in by_stance.index and stance in by_stance.columns
                row[stance] = int(by_stance.loc[item.id, stance]) if has else 0
            rows.append(row)
        return schema.conform(
            pd.DataFrame(rows, columns=list(schema.COLUMNS["summary"])), "summary"
        )

    def __repr__(self) -> str:
        errors = sum(p.severity == "error" for p in self.problems)
        return (
            f"<EvidenceBase: {len(self._joined)} tags, {len(self.bibliography)} entries, "
            f"{len(self.themes)} themes, {errors} errors, {len(self.problems) - errors} warnings>"
        )


def _studies(joined: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """Collapse joined tags to one row per (theme, key)."""
    if joined.empty:
        return schema.conform(pd.DataFrame(columns=list(schema.COLUMNS["studies"])), "studies")
    grouped = joined.groupby(["theme_id", "key"], sort=False)
    frame = grouped.agg(
        label=("label", "first"),
        year=("year", "first"),
        evidence_type=("evidence_type", "first"),
        stance=("stance", lambda s: ";".join(st for st in STANCES if st in set(s))),
        citations=("study", lambda s: "; ".join(dict.fromkeys(s.dropna()))),
        tags=("line", "size"),
        title=("title", "first"),
    ).reset_index()
    frame = frame.rename(columns={"theme_id": "theme"})
    frame["_order"] = frame["theme"].map({theme: i for i, theme in enumerate(order)})
    frame = frame.sort_values(["_order", "year", "label", "key"], kind="stable", na_position="last")
    return schema.conform(frame.drop(columns="_order"), "studies")


def _join(tags: Tags, bib: Bibliography, themes: Themes, collector: Collector) -> pd.DataFrame:
    """Attach theme ids and bibliography entries to each tag row.

    A row's entry is its pinned ``key`` if it has one, otherwise the entry
    whose key or author-date label equals its ``study`` text (ignoring case,
    accents, punctuation and "and" versus "&").
    """
    frame = tags.frame
    entries = bib.entries.set_index("key", drop=False)
    by_label: dict[str, list[str]] = {}
    for key, label in zip(entries["key"], entries["label"], strict=True):
        if isinstance(label, str):
            by_label.setdefault(_label_key(label), []).append(key)
    labels = entries["label"].dropna().tolist()
    theme_ids, categories, keys, statuses, reasons = [], [], [], [], []
    for row in frame.itertuples(index=False):
        line = row.line
        try:
            theme = themes.get(row.theme)
            theme_ids.append(theme.id)
            categories.append(theme.category)
        except UnknownThemeError as exc:
            collector.add(
                "tags.unknown_theme",
                str(exc.message),
                line=line,
                column="theme",
                value=row.theme,
                expected="a theme id, label or synonym from the framework",
            )
            theme_ids.append(None)
            categories.append(None)
        key, status, reason = _match(row, entries, by_label)
        if status == "unresolved":
            collector.add(
                "join.unresolved",
                f"{reason}{did_you_mean(str(row.study), labels)}",
                line=line,
                column="key" if isinstance(row.key, str) else "study",
                value=row.key if isinstance(row.key, str) else row.study,
            )
        keys.append(key)
        statuses.append(status)
        reasons.append(reason)
    frame["theme_id"] = theme_ids
    frame["category"] = categories
    frame["key"] = keys
    frame["status"] = statuses
    frame["reason"] = reasons
    studies = entries.loc[:, list(_STUDY_COLUMNS)]
    joined = frame.join(studies, on="key")
    return schema.conform(joined, "joined")


def _match(
    row: tuple, entries: pd.DataFrame, by_label: dict[str, list[str]]
) -> tuple[str | None, str, str]:
    """The key, status and reason for one tag row (exact matching only)."""
    pinned = row.key if isinstance(row.key, str) else None
    if pinned:
        if pinned in entries.index:
            return pinned, "exact", f"key {pinned} is pinned in the tag table"
        return None, "unresolved", f"pinned key {pinned!r} is not in the bibliography"
    study = str(row.study)
    if study in entries.index:
        return study, "exact", f"{study} is a bibliography key"
    found = by_label.get(_label_key(study), [])
    if len(found) == 1:
        return found[0], "exact", f"{study!r} is the label of {found[0]}"
    if found:
        return None, "unresolved", f"{study!r} is the label of {len(found)} entries"
    return None, "unresolved", f"no bibliography entry has the label or key {study!r}"


def load(
    bib: PathLike | Bibliography | None = None,
    tags: PathLike | Tags | None = None,
    themes: PathLike | Themes | None = None,
    *,
    strict: bool = False,
) -> EvidenceBase:
    """Load an evidence base from its files (or already-loaded parts).

    Parameters
    ----------
    bib, tags, themes : path-like or loaded object, optional
        The bibliography (``.bib``), the tag table (CSV) and the theme
        framework (CSV). When none is given, ``./data/refs.bib``,
        ``./data/barriers.csv`` and ``./data/themes.csv`` are used if present,
        and otherwise the bundled example (see :func:`default_paths`). Without
        a framework, one is inferred from the tag table's theme names.
    strict : bool
        Raise :class:`~evidence.errors.ValidationError` at the first stage
        with errors instead of collecting problems.

    Returns
    -------
    EvidenceBase

    Examples
    --------
    >>> base = load_example()
    >>> base.summary().columns[:4].tolist()
    ['theme', 'label', 'category', 'studies']
    """
    given = {"bib": bib, "tags": tags, "themes": themes}
    # An already-loaded part counts as given, so the others are never taken
    # from the bundled example behind the caller's back.
    sources = default_paths(
        *(v if v is None or isinstance(v, (str, os.PathLike)) else "" for v in given.values())
    )
    loaders = {"bib": Bibliography.from_file, "tags": Tags.from_file, "themes": Themes.from_file}
    parts: dict[str, object] = {}
    for name, loader in loaders.items():
        value = given[name]
        if value is not None and not isinstance(value, (str, os.PathLike)):
            parts[name], sources[name] = value, None
        elif sources[name] is not None:
            parts[name] = loader(sources[name], strict=strict)
        else:
            parts[name] = None
    bibliography = parts["bib"] or Bibliography.from_string("", file="(no bibliography)")
    tag_table = parts["tags"] or Tags(pd.DataFrame())
    framework = parts["themes"] or Themes.infer(tag_table.frame["theme"].dropna())
    return EvidenceBase(bibliography, tag_table, framework, sources=sources, strict=strict)


def load_example(*, strict: bool = False) -> EvidenceBase:
    """Load the bundled example evidence base (the seed review and commentaries)."""
    folder = example_dir()
    return load(
        folder / DEFAULT_FILES["bib"],
        folder / DEFAULT_FILES["tags"],
        folder / DEFAULT_FILES["themes"],
        strict=strict,
    )
