"""Render what an evidence base shows: HTML and Markdown briefings, the gap map, notebook views.

The briefings are jinja2 templates shipped in ``evidence/templates/``; a
folder given as ``template_dir`` overrides any of them by name. Every value
from the data reaches a template as plain text: the HTML environment
autoescapes it, the Markdown environment backslash-escapes Markdown's
metacharacters in it, and only markup built here from numbers and constants
(the gap map's bubbles, ``[@key]`` citations) is trusted. The environments
are made on first use, not at import.

The reference list is in APA 7 author-date style (:mod:`evidence.references`
says why it is formatted here). The Markdown briefing leaves references to
pandoc or Quarto: it cites ``[@key]`` and places their list at ``::: {#refs}``.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import json
import math
import os
import re
from collections.abc import Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, cast

import pandas as pd
from markupsafe import Markup

from .errors import RenderError, SettingsError
from .io import atomic_write
from .names import fold
from .rate import RATINGS
from .references import REFERENCE_FIELDS, Reference, format_reference
from .references import text_or_none as _text
from .vocab import STANCES

if TYPE_CHECKING:
    import jinja2

    from .base import EvidenceBase, ThemeView

__all__ = [
    "RATING_COLOURS",
    "GapMap",
    "base_html",
    "briefing",
    "gap_map",
    "md_escape",
    "theme_html",
]

Format = Literal["html", "md"]
PathLike = str | os.PathLike[str]

#: Fill and text colour of each rating (a colour-blind-safe purple-green scale);
#: the rating is always written out as well.
RATING_COLOURS: Mapping[str, tuple[str, str]] = {
    "strong": ("#1b7837", "#ffffff"),
    "moderate": ("#7fbf7b", "#000000"),
    "limited": ("#fdb863", "#000000"),
    "inconclusive": ("#b2abd2", "#000000"),
    "none": ("#e0e0e0", "#000000"),
}
_NEUTRAL = "#6b7280"
_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("supports", ("supports",)),
    ("contradicts", ("contradicts",)),
    ("mixed or inconclusive", ("mixed", "inconclusive")),
)
_CATEGORY_NAMES = {"barrier": "Barriers", "success_factor": "Success factors"}


def _pretty(value: str) -> str:
    """A vocabulary value for readers: ``systematic_review`` -> ``systematic review``."""
    return value.replace("_", " ")


def _references(base: EvidenceBase, cited: set[str]) -> list[Reference]:
    """The cited entries, formatted and sorted by author, year, suffix and title."""
    entries = base.bibliography.entries
    entries = entries.loc[entries["key"].isin(cited), entries.columns.isin(REFERENCE_FIELDS)]
    records = cast("list[dict[str, Any]]", entries.to_dict("records"))  # the labels are str
    refs = [format_reference(e) for e in records]
    return sorted(refs, key=lambda r: (fold(r.text), r.key))


# ---------------------------------------------------------------------------------------------
# Markdown


class _Md(str):
    """Markdown built here (a citation), printed as it is by the Markdown templates."""

    __slots__ = ()


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~^$@&!])")


def md_escape(value: Any) -> str:
    r"""Text for Markdown: whitespace runs made one space, metacharacters backslash-escaped.

    Examples
    --------
    >>> print(md_escape("*Note* [1] <b> & @key\nend"))
    \*Note\* \[1\] \<b\> \& \@key end
    """
    return _MD_SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", str(value)))


def _cite(study: _Cited) -> _Md:
    """A pandoc citation: ``[@key]``, ``[@{key}]`` for unusual keys; unresolved: the label."""
    key = study.key
    if key is None:
        return _Md(md_escape(study.label))
    if re.fullmatch(r"\w(?:[\w:.#$%&+?<>~/-]*\w)?", key):
        return _Md(f"[@{key}]")
    return _Md(f"[@{{{key}}}]" if "}" not in key else md_escape(key))


def _finalize_md(value: Any) -> str:
    if isinstance(value, _Md):
        return value
    return "" if _text(value) is None else md_escape(value)


def _yaml(text: str, *, markdown: bool = True) -> _Md:
    """A YAML scalar (JSON's quoting); pandoc reads metadata as Markdown unless it is a path."""
    return _Md(json.dumps(md_escape(text) if markdown else text, ensure_ascii=False))


def _finalize_html(value: Any) -> Any:
    return "" if value is None or value is pd.NA else value


# ---------------------------------------------------------------------------------------------
# Templates


@functools.cache
def _environment(kind: Format, template_dir: str | None = None) -> jinja2.Environment:
    """The jinja2 environment of one output format, made on first use."""
    import jinja2

    loaders: list[jinja2.BaseLoader] = [jinja2.PackageLoader("evidence", "templates")]
    if template_dir is not None:
        if not Path(template_dir).is_dir():
            raise RenderError("template folder does not exist", file=template_dir)
        loaders.insert(0, jinja2.FileSystemLoader(template_dir))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=kind == "html",
        finalize=_finalize_html if kind == "html" else _finalize_md,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["pretty"] = _pretty
    env.filters["yaml"] = _yaml
    env.filters["cite"] = _cite
    env.globals["colours"] = RATING_COLOURS
    return env


def _render(
    kind: Format, name: str, context: Mapping[str, Any], template_dir: str | None = None
) -> str:
    """Render template ``name``; a missing or broken template is a :class:`RenderError`."""
    import jinja2

    try:
        return _environment(kind, template_dir).get_template(name).render(context)
    except jinja2.TemplateNotFound as exc:
        raise RenderError(f"template {exc.name} not found", file=template_dir) from exc
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(
            f"broken template: {exc.message}", file=exc.filename or exc.name, line=exc.lineno
        ) from exc
    except jinja2.TemplateError as exc:
        raise RenderError(f"template {name} failed: {exc}", file=template_dir) from exc


# ---------------------------------------------------------------------------------------------
# Studies per theme


class _Cited(NamedTuple):
    """A study under a passage (attributes, not dict keys: jinja2 reads them faster)."""

    label: str
    anchor: str | None
    key: str | None
    evidence_type: str
    stance: str
    written: str


#: Where a passage is from: its quote, page and source.
_Where = tuple[str | None, str | None, str | None]


class _Passage(NamedTuple):
    quote: str | None
    page: str | None
    source: str | None
    studies: list[_Cited]


@dataclasses.dataclass
class _Unit:
    """One study's tags on one theme: (stance, quote, page, source) each."""

    key: str | None
    label: str
    year: int | None
    evidence_type: str
    stances: dict[str, None] = dataclasses.field(default_factory=dict)
    written: dict[str, None] = dataclasses.field(default_factory=dict)
    tags: list[tuple[str, str | None, str | None, str | None]] = dataclasses.field(
        default_factory=list
    )

    @property
    def position(self) -> str:
        return next(iter(self.stances)) if len(self.stances) == 1 else "mixed"


def _units(tags: pd.DataFrame) -> dict[str, list[_Unit]]:
    """Per theme id, its studies in order of year, label and key."""
    tags = tags[tags["theme_id"].notna() & tags["stance"].isin(STANCES)]
    names = ("theme_id", "key", "study", "stance", "quote", "page", "source", "label", "year")
    columns = [tags[c].tolist() for c in (*names, "evidence_type")]
    found: dict[tuple[str, str], _Unit] = {}
    for theme, key, study, stance, quote, page, source, label, year, kind in zip(
        *columns, strict=True
    ):
        key, study = _text(key), _text(study) or ""
        unit = found.get((theme, key or "?" + study))
        if unit is None:
            year = None if year is pd.NA else int(year)
            unit = _Unit(key, _text(label) or study, year, _text(kind) or "unknown")
            found[(theme, key or "?" + study)] = unit
        unit.stances[stance] = None
        unit.written[study] = None
        unit.tags.append((stance, _text(quote), _text(page), _text(source)))
    by_theme: dict[str, list[_Unit]] = {}
    for (theme, _), unit in found.items():
        by_theme.setdefault(theme, []).append(unit)
    for units in by_theme.values():
        units.sort(key=lambda u: (u.year is None, u.year or 0, u.label, u.key or ""))
    return by_theme


def _theme(
    theme: Any, rating: str, reason: str, units: list[_Unit], anchors: Mapping[str, str]
) -> dict[str, Any]:
    """The template context of one theme: its rating and studies grouped by stance."""
    placed = [(unit, unit.position) for unit in units]
    groups = []
    for name, positions in _GROUPS:
        passages: dict[_Where, list[_Cited]] = {}
        members = [unit for unit, position in placed if position in positions]
        for unit in members:
            anchor = anchors.get(unit.key or "")
            written = "; ".join(w for w in unit.written if w != unit.label)
            first: dict[_Where, str] = {}  # each passage once, first stance
            for stance, quote, page, source in unit.tags:
                first.setdefault((quote, page, source), stance)
            for where, stance in first.items():
                cited = _Cited(unit.label, anchor, unit.key, unit.evidence_type, stance, written)
                passages.setdefault(where, []).append(cited)
        ordered = sorted(passages.items(), key=lambda item: item[0][0] is None)
        groups.append(
            {
                "name": name,
                "studies": len(members),
                "passages": [_Passage(*where, cited) for where, cited in ordered],
            }
        )
    return {
        "id": theme.id,
        "label": theme.label,
        "category": _CATEGORY_NAMES.get(theme.category, theme.category or "Uncategorised"),
        "description": theme.description,
        "rating": rating,
        "reason": reason,
        "studies": len(units),
        "groups": groups,
    }


# ---------------------------------------------------------------------------------------------
# The evidence gap map


def _bubble(count: int, largest: int, colour: str) -> Markup:
    """An SVG disc whose area grows with ``count`` (built from numbers and a palette colour)."""
    if count <= 0:
        return Markup("")
    radius = 3 + 8 * math.sqrt(count / max(largest, 1))
    return Markup(
        '<svg class="bubble" width="24" height="24" viewBox="0 0 24 24" aria-hidden="true" '
        f'focusable="false"><circle cx="12" cy="12" r="{radius:.1f}" fill="{colour}"/></svg>'
    )


@dataclasses.dataclass(frozen=True)
class GapMap:
    """An evidence gap map: distinct studies by two dimensions, coloured by rating.

    As in Campbell and 3ie evidence gap maps, each cell holds a bubble whose
    area grows with its number of studies; with themes on one axis, bubbles
    take the colour of the theme's rating, which is also written beside the
    theme. In a notebook it displays as an HTML table (``_repr_html_``).

    Attributes
    ----------
    matrix : pandas.DataFrame
        The counts (see :meth:`EvidenceBase.crosstab`).
    row_labels, col_labels : tuple of str
        What readers see for each row and column.
    ratings : tuple of str or None
        Each theme's rating, along the axis that holds themes (None when
        neither does).
    """

    matrix: pd.DataFrame
    row_labels: tuple[str, ...]
    col_labels: tuple[str, ...]
    ratings: tuple[str, ...] | None = None

    @property
    def rated_axis(self) -> str | None:
        """``rows`` or ``cols``: the axis that holds themes, if any."""
        if self.matrix.index.name == "theme":
            return "rows"
        return "cols" if self.matrix.columns.name == "theme" else None

    def rows(self) -> list[dict[str, Any]]:
        """Per row its label, rating and cells (count, bubble, rating)."""
        counts = self.matrix.to_numpy()
        largest = int(counts.max()) if counts.size else 0
        axis, out = self.rated_axis, []
        for i, label in enumerate(self.row_labels):
            cells = []
            for j, count in enumerate(counts[i].tolist()):
                rating = self.ratings[i if axis == "rows" else j] if self.ratings else None
                colour = RATING_COLOURS[rating][0] if rating else _NEUTRAL
                cells.append({"count": count, "bubble": _bubble(count, largest, colour)})
            rating = self.ratings[i] if axis == "rows" and self.ratings else None
            out.append({"label": label, "rating": rating, "cells": cells})
        return out

    def to_html(self) -> str:
        """The map as an HTML table with row and column headers (a fragment)."""
        return _render("html", "gap_map.html.j2", {"map": self})

    def _repr_html_(self) -> str:
        return _render("html", "repr_gap_map.html.j2", {"map": self})

    def __repr__(self) -> str:
        table = self.matrix.set_axis(list(self.row_labels), axis=0)
        table = table.set_axis(list(self.col_labels), axis=1)
        if self.rated_axis == "rows" and self.ratings:
            table.insert(0, "rating", list(self.ratings))
        return f"<GapMap: {self.matrix.index.name} x {self.matrix.columns.name}>\n{table}"


def gap_map(base: EvidenceBase, rows: str = "theme", cols: str = "evidence_type") -> GapMap:
    """The evidence gap map of ``base``: see :class:`GapMap` and :meth:`EvidenceBase.crosstab`.

    Examples
    --------
    >>> from evidence import load_example
    >>> found = gap_map(load_example())
    >>> found.row_labels[25], found.ratings[25], int(found.matrix.iloc[25].sum())
    ('Co-terminosity', 'inconclusive', 3)
    """
    matrix = base.crosstab(rows=rows, cols=cols)
    summary = base.summary().set_index("theme")

    def labels(index: pd.Index) -> tuple[str, ...]:
        if index.name == "theme":
            return tuple(str(summary.at[t, "label"]) for t in index)
        return tuple(_pretty(str(v)) for v in index)

    axis = matrix.index if rows == "theme" else matrix.columns if cols == "theme" else None
    ratings = None if axis is None else tuple(str(summary.at[t, "rating"]) for t in axis)
    return GapMap(matrix, labels(matrix.index), labels(matrix.columns), ratings)


# ---------------------------------------------------------------------------------------------
# Briefings


def _date(value: datetime.date | str | None) -> str:
    """The date printed: today, a date, or a ``YYYY-MM-DD`` string checked."""
    if isinstance(value, datetime.date):
        return (value.date() if isinstance(value, datetime.datetime) else value).isoformat()
    try:
        day = datetime.date.fromisoformat(str(value)) if value else datetime.date.today()
        return day.isoformat()
    except ValueError:
        raise SettingsError(
            f"date {value!r} is not a date", key="date", value=value, expected="YYYY-MM-DD"
        ) from None


def _settings(obj: Any) -> list[tuple[str, str]]:
    """A settings object's fields as (name, value) text, for reproducing the ratings."""
    values = [(f.name, getattr(obj, f.name)) for f in dataclasses.fields(obj)]
    return [
        (k, ", ".join(map(str, v)) or "(none)" if isinstance(v, tuple) else str(v))
        for k, v in values
    ]


def _problems(base: EvidenceBase) -> list[dict[str, str | None]]:
    """The discrepancies found in the sources, one row per problem, in problem order."""
    entries = base.bibliography.entries
    labels = dict(zip(entries["key"], entries["label"], strict=True))
    return [
        {
            "where": ":".join(str(x) for x in (Path(p.file).name if p.file else None, p.line) if x),
            "severity": p.severity,
            "kind": _pretty(p.kind),
            "citation": p.value if p.column == "study" else None,
            "entry": (_text(labels.get(p.key)) if p.key else None) or p.key,
            "message": p.message,
        }
        for p in base.problems
    ]


def _context(base: EvidenceBase, *, references: bool, **options: Any) -> dict[str, Any]:
    """Everything the briefing templates show; ``options`` are passed on as they are.

    The reference list is formatted only when ``references`` is true (the
    Markdown briefing leaves it to pandoc).
    """
    summary, tags = base.summary(), base.tags
    units = _units(tags)
    cited = {u.key for us in units.values() for u in us if u.key}
    formatted = _references(base, cited) if references else []
    anchors = {ref.key: f"ref-{i}" for i, ref in enumerate(formatted, 1)}
    themes: list[dict[str, Any]] = []
    categories: dict[str, list[dict[str, Any]]] = {}
    for i, row in enumerate(summary.itertuples(index=False), 1):
        theme_id, rating, reason = cast("tuple[str, str, str]", (row.theme, row.rating, row.reason))
        theme = base.themes.get(theme_id)
        found = _theme(theme, rating, reason, units.get(theme_id, []), anchors)
        found |= {"anchor": f"theme-{i}", "counts": {s: getattr(row, s) for s in STANCES}}
        themes.append(found)
        categories.setdefault(found["category"], []).append(found)
    glance = {rating: [t for t in themes if t["rating"] == rating] for rating in reversed(RATINGS)}
    studies = {u.key or "?" + u.label for us in units.values() for u in us}
    try:
        software = version("evidence")
    except PackageNotFoundError:  # a source tree that is not installed
        software = "unknown"
    return options | {
        "version": software,
        "sources": {k: Path(v).name for k, v in base.sources.items() if v is not None},
        "counts": dict(themes=len(themes), studies=len(studies), tags=len(tags)),
        "glance": glance,
        "categories": categories,
        "themes": themes,
        "gap_map": gap_map(base, options.pop("gap_rows"), options.pop("gap_cols")),
        "problems": _problems(base),
        "rubric": base.rubric,
        "settings": {
            "Rubric": _settings(base.rubric),
            "ResolverSettings": _settings(base.resolver),
        },
        "references": [(anchors[r.key], r) for r in formatted],
    }


def briefing(
    base: EvidenceBase,
    path: PathLike | None = None,
    *,
    format: Format | None = None,
    date: datetime.date | str | None = None,
    template_dir: PathLike | None = None,
    gap_rows: str = "theme",
    gap_cols: str = "evidence_type",
    title: str = "Evidence briefing",
) -> str | Path:
    """Render the briefing of ``base``; see :meth:`EvidenceBase.report`."""
    if format is None:
        suffix = Path(path).suffix.lower() if path is not None else ""
        format = "md" if suffix in (".md", ".markdown", ".qmd") else "html"
    if format not in ("html", "md"):
        raise SettingsError(f"format {format!r} is not html or md", key="format", value=format)
    bib: Path | str | None = base.sources.get("bib")
    if bib is not None:  # for pandoc: the bibliography as seen from the Markdown file
        start = Path(path).resolve().parent if path is not None else Path.cwd()
        bib = Path(os.path.relpath(Path(bib).resolve(), start)).as_posix()
    options = dict(title=title, date=_date(date), gap_rows=gap_rows, gap_cols=gap_cols)
    context = _context(base, references=format == "html", bibliography=bib, **options)
    folder = None if template_dir is None else str(template_dir)
    text = _render(format, f"briefing.{format}.j2", context, folder)
    if path is None:
        return text
    with atomic_write(path) as handle:
        handle.write(text)
    return Path(path)


def base_html(base: EvidenceBase) -> str:
    """The notebook view of an evidence base: its size and the rated summary."""
    summary, rows = base.summary(), 50
    errors = sum(p.severity == "error" for p in base.problems)
    counts = dict(tags=len(base.raw_tags.frame), entries=len(base.bibliography), errors=errors)
    counts |= {"themes": len(summary), "warnings": len(base.problems) - errors}
    more = max(len(summary) - rows, 0)
    context = {"counts": counts, "rows": summary.head(rows).to_dict("records"), "more": more}
    return _render("html", "repr_base.html.j2", context)


def theme_html(view: ThemeView) -> str:
    """The notebook view of one theme: rating, reason and the studies by stance."""
    units = _units(view.tags).get(view.theme.id, [])
    theme = _theme(view.theme, view.rating, view.reason, units, {})
    theme |= {"anchor": None, "counts": view.counts}
    return _render("html", "repr_theme.html.j2", {"theme": theme})
