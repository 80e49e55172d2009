"""The theme framework: barriers and success factors, found by any of their names."""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Iterable, Iterator

import pandas as pd

from . import schema
from .errors import Collector, Problem, UnknownThemeError
from .io import CsvTable, read_bytes, read_csv
from .names import fold
from .suggest import did_you_mean, nearest
from .vocab import CATEGORIES

__all__ = ["Theme", "Themes"]

_REQUIRED = ("id", "label", "category")
_KNOWN = (*_REQUIRED, "parent", "description", "synonyms")
_ID = re.compile(r"^[a-z0-9][a-z0-9_]*$")


@dataclasses.dataclass(frozen=True)
class Theme:
    """One theme of the framework.

    Attributes
    ----------
    id : str
        Short, stable identifier (``financial_uncertainty``).
    label : str
        The name shown to readers.
    category : str
        ``barrier`` or ``success_factor``.
    parent : str or None
        The id of the broader theme, if any.
    description : str
        One sentence saying what the theme covers.
    synonyms : tuple of str
        Other names a reader might search for.
    """

    id: str
    label: str
    category: str
    parent: str | None = None
    description: str = ""
    synonyms: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the theme answers to: id, label and synonyms."""
        return (self.id, self.label, *self.synonyms)


def slug(name: str) -> str:
    """Turn a theme name into an id: folded, words joined by ``_``.

    Examples
    --------
    >>> slug("Co-terminosity")
    'co_terminosity'
    """
    return fold(name).replace(" ", "_")


class Themes:
    """A theme framework, in the order it was written.

    Look a theme up by id, label or synonym, ignoring case, accents and
    punctuation: ``themes["Co-terminosity"]``, ``themes["coterminosity"]``
    (a synonym) and ``themes["co_terminosity"]`` give the same :class:`Theme`.

    Attributes
    ----------
    file : str or None
        The file it was read from.
    problems : tuple of Problem
        Rows that could not be used and names claimed by two themes.

    Examples
    --------
    >>> themes = Themes([Theme("trust", "Trust", "success_factor", synonyms=("mutual trust",))])
    >>> themes["Mutual Trust"].id
    'trust'
    """

    def __init__(
        self,
        themes: Iterable[Theme],
        *,
        problems: tuple[Problem, ...] = (),
        file: str | None = None,
    ) -> None:
        self._themes = {theme.id: theme for theme in themes}
        self.problems = problems
        self.file = file
        self._by_name: dict[str, str] = {}
        for theme in self._themes.values():
            for name in theme.names:
                self._by_name.setdefault(fold(name), theme.id)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str], *, strict: bool = False) -> Themes:
        """Read a theme framework CSV.

        The columns are ``id``, ``label``, ``category`` (required), ``parent``,
        ``description`` and ``synonyms`` (``;``-separated); others are ignored.

        Raises
        ------
        InputError
            The file is missing or unreadable.
        ValidationError
            ``strict=True`` and some row is unusable.
        """
        file = str(path)
        table = read_csv(read_bytes(path), file=file)
        collector = Collector(strict=strict, file=file)
        for note in table.notes:
            collector.add("themes.encoding", note, "warning")
        themes = list(_read_rows(table, collector))
        claimed: dict[str, str] = {}
        for theme in themes:
            for name in theme.names:
                owner = claimed.setdefault(fold(name), theme.id)
                if owner != theme.id:
                    collector.add(
                        "themes.ambiguous_name",
                        f"the name {name!r} of theme {theme.id!r} already names {owner!r}; "
                        f"lookups of it give {owner!r}",
                        "warning",
                        key=theme.id,
                        value=name,
                    )
        return cls(themes, problems=collector.finish("themes"), file=file)

    @classmethod
    def infer(cls, names: Iterable[str]) -> Themes:
        """Build a flat framework from the theme names a tag table uses.

        Used when no framework file is given: each distinct name becomes a
        theme whose id is its :func:`slug` and whose category is unknown.
        """
        seen: dict[str, Theme] = {}
        for name in names:
            if name and slug(name) not in seen:
                seen[slug(name)] = Theme(slug(name), name, "")
        return cls(seen.values())

    def get(self, name: str) -> Theme:
        """Return the theme with this id, label or synonym.

        Raises
        ------
        UnknownThemeError
            When no theme answers to ``name``; its message and
            ``.suggestions`` give the nearest themes.
        """
        theme_id = self._by_name.get(fold(str(name)))
        if theme_id is not None:
            return self._themes[theme_id]
        suggestions = self.suggest(str(name))
        hint = f"; did you mean {', '.join(repr(s) for s in suggestions)}?" if suggestions else ""
        raise UnknownThemeError(
            f"unknown theme {name!r}{hint}",
            suggestions,
            file=self.file,
            value=name,
            expected="a theme id, label or synonym",
        )

    def match(self, name: str, *, cutoff: float = 90) -> Theme | None:
        """The theme ``name`` names exactly, or else by a close spelling, or None.

        Used to read section headings as themes: ``Financial Uncertainty`` and
        ``Financial uncertainties`` both give ``financial_uncertainty``.
        """
        if name in self:
            return self.get(name)
        found = nearest(fold(name), list(self._by_name), limit=1, cutoff=cutoff)
        return self._themes[self._by_name[found[0]]] if found else None

    def suggest(self, name: str, limit: int = 3) -> list[str]:
        """The ids of the themes whose names are nearest to ``name``."""
        found = nearest(fold(name), list(self._by_name), limit=limit * 3, cutoff=60)
        return list(dict.fromkeys(self._by_name[f] for f in found))[:limit]

    __getitem__ = get

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and fold(name) in self._by_name

    def __iter__(self) -> Iterator[Theme]:
        return iter(self._themes.values())

    def __len__(self) -> int:
        return len(self._themes)

    @property
    def ids(self) -> list[str]:
        """Theme ids in framework order."""
        return list(self._themes)

    @property
    def frame(self) -> pd.DataFrame:
        """One row per theme, in framework order."""
        rows = [dataclasses.asdict(theme) for theme in self._themes.values()]
        return schema.conform(
            pd.DataFrame(rows, columns=[f.name for f in dataclasses.fields(Theme)]), "themes"
        )

    def __repr__(self) -> str:
        return f"<Themes: {len(self)} themes>"


def _read_rows(table: CsvTable, collector: Collector) -> Iterator[Theme]:
    """Validate the rows of a framework CSV, yielding the usable themes."""
    if table.header is None:
        collector.add("themes.empty", "the theme file is empty", line=None)
        return
    header = [cell.strip().lower() for cell in table.header.values]
    missing = [c for c in _REQUIRED if c not in header]
    if missing:
        collector.add(
            "themes.missing_column",
            f"missing column(s) {', '.join(missing)}; the header has {', '.join(header)}"
            f"{did_you_mean(missing[0], header)}",
            line=table.header.line,
            expected=", ".join(_KNOWN),
        )
        return
    ids = set()
    rows = []
    for record in table.records:
        cells = dict(zip(header, (v.strip() for v in record.values), strict=False))
        rows.append((record.line, cells))
        ids.add(cells.get("id", ""))
    yielded: set[str] = set()
    for line, cells in rows:
        theme_id = cells.get("id", "")
        if theme_id in yielded:
            collector.add(
                "themes.duplicate_id",
                f"theme id {theme_id!r} is defined twice; this row is ignored",
                line=line,
                column="id",
                value=theme_id,
            )
            continue
        if not _ID.match(theme_id):
            collector.add(
                "themes.bad_id",
                f"theme id {theme_id!r} is not a lower-case identifier",
                line=line,
                column="id",
                value=theme_id,
                expected=f"letters, digits and _ (e.g. {slug(theme_id or 'trust')!r})",
            )
            continue
        category = cells.get("category", "").lower()
        if category not in CATEGORIES:
            collector.add(
                "themes.bad_category",
                f"theme {theme_id!r} has category {cells.get('category')!r}"
                f"{did_you_mean(category, CATEGORIES)}",
                line=line,
                column="category",
                value=cells.get("category"),
                expected=" or ".join(CATEGORIES),
            )
        parent = cells.get("parent") or None
        if parent and parent not in ids:
            collector.add(
                "themes.unknown_parent",
                f"theme {theme_id!r} has parent {parent!r}, which is no theme id"
                f"{did_you_mean(parent, ids)}",
                line=line,
                column="parent",
                value=parent,
            )
            parent = None
        yielded.add(theme_id)
        synonyms = tuple(s.strip() for s in cells.get("synonyms", "").split(";") if s.strip())
        yield Theme(
            theme_id,
            cells.get("label") or theme_id,
            category,
            parent,
            cells.get("description", ""),
            synonyms,
        )
