"""The evidence base: tags joined to the bibliography and the theme framework."""

from __future__ import annotations

import dataclasses
import datetime
import functools
import os
from importlib import resources
from pathlib import Path
from typing import Any, SupportsInt, Union, cast

import pandas as pd

from . import export as exporting
from . import rate, schema
from . import report as reporting
from .bib import Bibliography
from .duplicates import likely_duplicates
from .errors import Collector, Problem, Severity, UnknownThemeError
from .resolve import resolve
from .settings import ResolverSettings, Rubric
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
    rating: str = "none"
    reason: str = ""

    @property
    def counts(self) -> dict[str, int]:
        """Number of distinct studies per stance."""
        return {stance: int((self.studies["stance"] == stance).sum()) for stance in STANCES}

    def __repr__(self) -> str:
        counts = ", ".join(f"{n} {stance}" for stance, n in self.counts.items() if n)
        lines = [
            f"{self.theme.label} ({self.theme.category or 'uncategorised'}): "
            f"{len(self.studies)} studies" + (f" ({counts})" if counts else ""),
            f"  rating: {self.rating}: {self.reason}",
        ]
        lines += [f"  {row.label}: {row.stance}" for row in self.studies.itertuples()]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return reporting.theme_html(self)


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
        resolver: ResolverSettings | None = None,
        rubric: Rubric | None = None,
    ) -> None:
        self.bibliography = bibliography
        self.themes = themes
        self.raw_tags = tags
        self.sources = dict(sources or {})
        collector = Collector(strict=strict, file=tags.file)
        self.resolver = resolver or ResolverSettings()
        self.rubric = rubric or Rubric()
        self._joined = _join(tags, bibliography, themes, collector, self.resolver)
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
        rated = self._summary.set_index("theme").loc[found.id]
        rating, reason = cast(str, rated["rating"]), cast(str, rated["reason"])
        return ThemeView(found, self.studies(theme=found.id), tags, rating, reason)

    def summary(self, rubric: Rubric | None = None, *, confidence: bool = False) -> pd.DataFrame:
        """Strength of evidence per theme, in framework order, each rating with its reason.

        Parameters
        ----------
        rubric : Rubric, optional
            The rating rules (default: the base's rubric, see :class:`Rubric`).
        confidence : bool
            Add the GRADE-CERQual-style ``confidence`` and ``confidence_reason``.

        Returns
        -------
        pandas.DataFrame
            ``theme, label, category, studies, supports, contradicts, mixed,
            inconclusive, type_<evidence type>..., agreement, oldest, newest,
            rating, reason``. A study tagged twice for a theme counts once; a
            citation that matches no entry still counts, by its text, as a
            study of unknown type (it is also in :attr:`problems`).
        """
        rubric = rubric or self.rubric
        if rubric == self.rubric:
            summary = self._summary
        else:
            summary = rate.summarise(self._joined, self.themes, rubric)
        if confidence:
            assessed = rate.assess_confidence(self._joined, self.themes, rubric)
            summary = summary.merge(
                assessed[["theme", "confidence", "confidence_reason"]], on="theme", how="left"
            )
        return summary.copy()

    @functools.cached_property
    def _summary(self) -> pd.DataFrame:
        return rate.summarise(self._joined, self.themes, self.rubric)

    def confidence(self, rubric: Rubric | None = None) -> pd.DataFrame:
        """GRADE-CERQual-style confidence per theme, each component explained."""
        return rate.assess_confidence(self._joined, self.themes, rubric or self.rubric)

    def gaps(self) -> pd.DataFrame:
        """Themes whose evidence is missing or only limited (summary rows)."""
        return rate.gaps(self._summary)

    def inconclusive(self) -> pd.DataFrame:
        """Themes whose evidence is inconclusive (summary rows)."""
        return rate.inconclusive(self._summary)

    def crosstab(self, rows: str = "theme", cols: str = "sector") -> pd.DataFrame:
        """Distinct studies by two dimensions: the matrix of an evidence gap map.

        ``rows`` and ``cols`` are ``theme``, ``category``, ``evidence_type``,
        ``country``, ``sector`` or ``year``.
        """
        return rate.crosstab(self._joined, self.themes, rows=rows, cols=cols)

    def compare_coders(self) -> pd.DataFrame:
        """Agreement and Cohen's kappa between coders (tags need a ``coder`` column)."""
        return rate.compare_coders(self._joined, self.themes)

    def with_rubric(self, rubric: Rubric) -> EvidenceBase:
        """A new base rated by ``rubric``; this one is unchanged."""
        return EvidenceBase(
            self.bibliography,
            self.raw_tags,
            self.themes,
            sources=self.sources,
            resolver=self.resolver,
            rubric=rubric,
        )

    def gap_map(self, rows: str = "theme", cols: str = "evidence_type") -> reporting.GapMap:
        """The evidence gap map: :meth:`crosstab` as a figure, coloured by rating.

        In a notebook it displays as a table of bubbles whose area grows with
        the number of studies (see :class:`evidence.report.GapMap`).

        Examples
        --------
        >>> load_example().gap_map(cols="sector").matrix.columns.name
        'sector'
        """
        return reporting.gap_map(self, rows, cols)

    def report(
        self,
        path: PathLike | None = None,
        *,
        format: reporting.Format | None = None,
        date: datetime.date | str | None = None,
        template_dir: PathLike | None = None,
        gap_rows: str = "theme",
        gap_cols: str = "evidence_type",
        title: str = "Evidence briefing",
    ) -> str | Path:
        """Write a briefing: what the evidence shows, theme by theme, with its sources.

        The HTML briefing is one self-contained file (inline CSS and SVG, no
        requests) that prints on A4: the ratings at a glance, a summary table
        by category, the evidence gap map, a section per theme with its
        studies grouped by stance and their quotes, the discrepancies found in
        the sources, the settings behind the ratings, and an APA reference
        list. The Markdown briefing has the same sections for pandoc or
        Quarto, citing ``[@key]``.

        Parameters
        ----------
        path : path-like, optional
            Where to write (atomically); without it the text is returned.
        format : {"html", "md"}, optional
            Default: ``md`` for a path ending in ``.md``, ``.markdown`` or
            ``.qmd``, else ``html``.
        date : datetime.date or str, optional
            The date printed (``YYYY-MM-DD``; default today). Pin it to get
            the same bytes on every run.
        template_dir : path-like, optional
            A folder whose templates replace the bundled ones of the same
            name (``briefing.html.j2``, ``theme.html.j2``, ``style.css.j2`` ...).
        gap_rows, gap_cols : str
            The axes of the gap map (see :meth:`crosstab`).
        title : str
            The briefing's title.

        Returns
        -------
        str or Path
            The text, or the path written.

        Raises
        ------
        RenderError
            A template is missing or broken.
        SettingsError
            A bad ``format``, ``date`` or gap-map axis.

        Examples
        --------
        >>> html = load_example().report(date="2024-05-01")
        >>> html.startswith("<!DOCTYPE html>"), "Co-terminosity" in html
        (True, True)
        """
        return reporting.briefing(
            self,
            path,
            format=format,
            date=date,
            template_dir=template_dir,
            gap_rows=gap_rows,
            gap_cols=gap_cols,
            title=title,
        )

    def export(self, path: PathLike) -> tuple[Path, ...]:
        """Write the joined tags and the summary to ``.xlsx`` (two sheets) or ``.csv`` (two files).

        Cells that a spreadsheet would run as formulas are neutralised; see
        :func:`evidence.export.export`.

        Returns
        -------
        tuple of Path
            The files written.
        """
        return exporting.export(self._joined, self.summary(), path)

    def _repr_html_(self) -> str:
        return reporting.base_html(self)

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


#: Resolution statuses that are reported, and how severely.
_STATUS_SEVERITY: dict[str, Severity] = {
    "fuzzy": "warning",
    "year_mismatch": "warning",
    "no_year": "warning",
    "ambiguous": "error",
    "unresolved": "error",
}


def _join(
    tags: Tags,
    bib: Bibliography,
    themes: Themes,
    collector: Collector,
    settings: ResolverSettings | None,
) -> pd.DataFrame:
    """Attach theme ids and bibliography entries to each tag row.

    Each row's citation is resolved (:func:`evidence.resolve`); a pinned
    ``key`` wins. What is not an exact, unpinned match is reported: fuzzy
    spellings, year mismatches and missing years as warnings, ambiguous and
    unresolved citations as errors. Then the bibliography is checked against
    the tags: entries no tag cites and likely duplicate entries are warnings.
    """
    frame = tags.frame
    theme_ids: list[str | None] = []
    categories: list[str | None] = []
    for row in frame.itertuples(index=False):
        try:
            theme = themes.get(cast(str, row.theme))
        except UnknownThemeError as exc:
            collector.add(
                "tags.unknown_theme",
                exc.message,
                line=row.line,
                column="theme",
                value=row.theme,
                expected="a theme id, label or synonym from the framework",
            )
            theme_ids.append(None)
            categories.append(None)
        else:
            theme_ids.append(theme.id)
            categories.append(theme.category)
    # A study written as a bibliography key is as good as a pinned key.
    keys = [
        key if isinstance(key, str) else (study if study in bib else None)
        for key, study in zip(frame["key"], frame["study"], strict=True)
    ]
    resolved = resolve(frame["study"].fillna(""), bib, keys=keys, settings=settings)
    for line, row in zip(frame["line"], resolved.itertuples(index=False), strict=True):
        _report_resolution(collector, None if pd.isna(line) else int(line), row)
    frame["theme_id"] = theme_ids
    frame["category"] = categories
    for column in ("key", "status", "reason"):
        frame[column] = resolved[column].to_numpy()
    joined = frame.join(bib.entries.set_index("key").loc[:, list(_STUDY_COLUMNS)], on="key")
    _report_bibliography(collector, bib, set(joined["key"].dropna()))
    return schema.conform(joined, "joined")


def _report_resolution(collector: Collector, line: int | None, row: Any) -> None:
    """One problem for a tag row whose citation did not resolve exactly.

    ``row`` is a row of :func:`~evidence.resolve.resolve`'s frame, from ``itertuples``.
    """
    if row.pinned:
        return  # a pinned key is a curator's decision; only a missing one is reported
    severity = _STATUS_SEVERITY.get(row.status)
    if severity is None:
        return
    collector.add(
        f"resolve.{row.status}",
        row.reason,
        severity,
        line=line,
        column="study",
        key=row.key if isinstance(row.key, str) else None,
        value=row.citation,
    )


def _report_bibliography(collector: Collector, bib: Bibliography, cited: set[str]) -> None:
    """Warn of entries no tag cites and of likely duplicate entries."""
    entries = bib.entries
    for key, line in zip(entries["key"], entries["line"], strict=True):
        if key not in cited:
            collector.add(
                "bib.uncited",
                f"no tag cites {key}",
                "warning",
                file=bib.file,
                line=int(line),
                key=key,
            )
    for pair in likely_duplicates(entries).itertuples(index=False):
        collector.add(
            "bib.likely_duplicate",
            f"{pair.key} looks like a duplicate of {pair.other} "
            f"(same year and first author, titles {pair.score:g}% alike)",
            "warning",
            file=bib.file,
            line=int(cast(SupportsInt, pair.line)),
            key=pair.key,
        )


def load(
    bib: PathLike | Bibliography | None = None,
    tags: PathLike | Tags | None = None,
    themes: PathLike | Themes | None = None,
    *,
    strict: bool = False,
    resolver: ResolverSettings | None = None,
    rubric: Rubric | None = None,
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
    resolver : ResolverSettings, optional
        Thresholds of the citation resolver (defaults when omitted).
    rubric : Rubric, optional
        The rules that rate the strength of evidence (defaults when omitted).

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
    parts: dict[str, Any] = {}  # by name: a Bibliography, Tags or Themes, or None
    for name, loader in loaders.items():
        value = given[name]
        if value is not None and not isinstance(value, (str, os.PathLike)):
            parts[name], sources[name] = value, None
        elif (source := sources[name]) is not None:
            parts[name] = loader(source, strict=strict)
        else:
            parts[name] = None
    bibliography = parts["bib"] or Bibliography.from_string("", file="(no bibliography)")
    tag_table = parts["tags"] or Tags(pd.DataFrame())
    framework = parts["themes"] or Themes.infer(tag_table.frame["theme"].dropna())
    return EvidenceBase(
        bibliography,
        tag_table,
        framework,
        sources=sources,
        strict=strict,
        resolver=resolver,
        rubric=rubric,
    )


def load_example(
    *, strict: bool = False, resolver: ResolverSettings | None = None, rubric: Rubric | None = None
) -> EvidenceBase:
    """Load the bundled example evidence base (the seed review and commentaries)."""
    folder = example_dir()
    return load(
        folder / DEFAULT_FILES["bib"],
        folder / DEFAULT_FILES["tags"],
        folder / DEFAULT_FILES["themes"],
        strict=strict,
        resolver=resolver,
        rubric=rubric,
    )
