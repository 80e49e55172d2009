"""Errors, problems and the collector that decides between them.

Bad input is never a crash by default: each stage reports what it finds as
:class:`Problem` records through one :class:`Collector`. With ``strict=True``
the collector raises :class:`ValidationError` at the end of the stage, listing
every error found, so that a user fixes them all in one pass.

The exception tree::

    EvidenceError          .file .line .column .key .value .expected
    ├── InputError         a file is missing, unreadable or not what was expected
    ├── ValidationError    strict mode: .problems lists all the stage found
    ├── CitationError      (also ValueError) text that is no citation
    ├── UnknownThemeError  (also KeyError) .suggestions holds the nearest themes
    ├── SettingsError      (also ValueError) a setting out of range
    └── RenderError        a missing or broken template

``str(error)`` is always one line a person can act on, starting with
``file:line:`` where those are known.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any, Literal

Severity = Literal["error", "warning"]

__all__ = [
    "CitationError",
    "Collector",
    "EvidenceError",
    "EvidenceWarning",
    "InputError",
    "Problem",
    "RenderError",
    "SettingsError",
    "UnknownThemeError",
    "ValidationError",
]


def _where(file: str | None, line: int | None, column: str | None = None) -> str:
    """Format a ``file:line: column 'x': `` prefix from whatever parts are known."""
    parts = [str(part) for part in (file, line) if part not in (None, "")]
    prefix = f"{':'.join(parts)}: " if parts else ""
    return f"{prefix}column {column!r}: " if column else prefix


class EvidenceError(Exception):
    """Base class of every error the library raises on purpose.

    Parameters
    ----------
    message : str
        What is wrong, in one sentence.
    file, line, column, key, value, expected : optional
        Where the problem is and what was found and expected; any that are
        known are kept as attributes so that callers can act on them.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: str | None = None,
        key: str | None = None,
        value: Any = None,
        expected: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = None if file is None else str(file)
        self.line = line
        self.column = column
        self.key = key
        self.value = value
        self.expected = expected

    def __str__(self) -> str:
        return f"{_where(self.file, self.line, self.column)}{self.message}"


class InputError(EvidenceError):
    """A file is missing, unreadable, or not in the format expected."""


class ValidationError(EvidenceError):
    """Raised in strict mode at the end of a stage that found errors.

    Attributes
    ----------
    problems : tuple of Problem
        Every problem the stage found, errors and warnings alike.
    """

    def __init__(self, message: str, problems: Sequence[Problem], **where: Any) -> None:
        super().__init__(message, **where)
        self.problems = tuple(problems)


class CitationError(EvidenceError, ValueError):
    """A text that cannot be read as an author-date citation."""


class UnknownThemeError(EvidenceError, KeyError):
    """A theme name that matches no id, label or synonym.

    Attributes
    ----------
    suggestions : tuple of str
        The nearest theme ids, best first.
    """

    def __init__(self, message: str, suggestions: Sequence[str] = (), **where: Any) -> None:
        super().__init__(message, **where)
        self.suggestions = tuple(suggestions)

    def __str__(self) -> str:  # KeyError would quote the message
        return EvidenceError.__str__(self)


class SettingsError(EvidenceError, ValueError):
    """A setting with a value outside its documented range."""


class RenderError(EvidenceError):
    """A report template is missing or broken."""


class EvidenceWarning(UserWarning):
    """Warning category for problems found in data when warnings are wanted."""


@dataclasses.dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, found while loading or joining.

    Attributes
    ----------
    code : str
        Stable, dotted identifier such as ``bib.duplicate_key``; tests and
        scripts should branch on this, not on the wording.
    message : str
        One sentence for a person.
    severity : {"error", "warning"}
        Errors fail ``evidence check``; warnings are reported only.
    file, line, column, key, value, expected : optional
        Where it is and what was found and expected.
    """

    code: str
    message: str
    severity: Severity = "error"
    file: str | None = None
    line: int | None = None
    column: str | None = None
    key: str | None = None
    value: str | None = None
    expected: str | None = None

    @property
    def kind(self) -> str:
        """The last part of ``code`` (``duplicate_key`` for ``bib.duplicate_key``)."""
        return self.code.rsplit(".", 1)[-1]

    def __str__(self) -> str:
        return f"{_where(self.file, self.line, self.column)}{self.severity}: {self.message}"

    def sort_key(self) -> tuple[str, int, str, str]:
        """Order problems by file, line, code and key, deterministically."""
        return (self.file or "", self.line or 0, self.code, self.key or "")


class Collector:
    """Gathers the problems of one stage and, in strict mode, raises at its end.

    Stages never branch on strictness themselves: they ``add`` what they find
    and call ``finish`` once, which either returns the problems or raises.

    Parameters
    ----------
    strict : bool
        Raise :class:`ValidationError` from :meth:`finish` when an error was
        added (``"warnings"`` also raises for warnings).
    file : str, optional
        Default file name for the problems added.
    """

    def __init__(self, *, strict: bool | Literal["warnings"] = False, file: str | None = None):
        self.strict = strict
        self.file = file
        self._problems: list[Problem] = []

    def add(self, code: str, message: str, severity: Severity = "error", **where: Any) -> None:
        """Record one problem; ``where`` takes the fields of :class:`Problem`."""
        where.setdefault("file", self.file)
        if where.get("value") is not None:
            where["value"] = str(where["value"])
        self._problems.append(Problem(code, message, severity, **where))

    def extend(self, problems: Iterable[Problem]) -> None:
        """Take over problems found by another stage."""
        self._problems.extend(problems)

    @property
    def problems(self) -> tuple[Problem, ...]:
        """The problems so far, in the order found."""
        return tuple(self._problems)

    def finish(self, stage: str) -> tuple[Problem, ...]:
        """End the stage: return the problems, or raise in strict mode.

        Raises
        ------
        ValidationError
            In strict mode, when an error (or with ``strict="warnings"`` any
            problem) was found; its message counts them and quotes the first.
        """
        failing = [
            p
            for p in self._problems
            if p.severity == "error" or (self.strict == "warnings" and p.severity == "warning")
        ]
        if self.strict and failing:
            first = failing[0]
            more = f" (and {len(failing) - 1} more)" if len(failing) > 1 else ""
            raise ValidationError(
                f"{first.message}{more}" if first.file else f"{stage}: {first.message}{more}",
                self._problems,
                file=first.file,
                line=first.line,
                column=first.column,
                key=first.key,
                value=first.value,
                expected=first.expected,
            )
        return self.problems
