"""evidence: keep an evidence base in plain files and say what it shows.

Load a bibliography (BibTeX), a tag table (which study speaks to which theme,
with what stance) and a theme framework; join them; ask which studies support
which barrier or success factor.

>>> import evidence
>>> base = evidence.load_example()
>>> base.theme("co-terminosity").theme.category
'success_factor'
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .base import EvidenceBase, ThemeView, load, load_example
from .bib import Bibliography
from .citation import Citation, parse_citation
from .errors import (
    CitationError,
    EvidenceError,
    EvidenceWarning,
    InputError,
    Problem,
    RenderError,
    SettingsError,
    UnknownThemeError,
    ValidationError,
)
from .extract import extract
from .propose import propose_tags
from .resolve import resolve
from .settings import ResolverSettings, Rubric
from .tags import Tags
from .themes import Theme, Themes

try:
    __version__ = version("evidence")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

__all__ = [
    "Bibliography",
    "Citation",
    "CitationError",
    "EvidenceBase",
    "EvidenceError",
    "EvidenceWarning",
    "InputError",
    "Problem",
    "RenderError",
    "ResolverSettings",
    "Rubric",
    "SettingsError",
    "Tags",
    "Theme",
    "ThemeView",
    "Themes",
    "UnknownThemeError",
    "ValidationError",
    "__version__",
    "extract",
    "load",
    "load_example",
    "parse_citation",
    "propose_tags",
    "resolve",
]
