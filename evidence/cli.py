"""The ``evidence`` command: a thin front end over the public API.

Each command calls one public function or method; options map one to one to
its keyword arguments. This module only parses arguments, finds the default
files, formats output and sets the exit code: 0 on success, 1 when ``check``
finds errors (or warnings, with ``--strict``), 2 with a one-line message for
usage errors and for every :class:`~evidence.errors.EvidenceError`
(``--debug`` shows the traceback instead).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import math
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any, NoReturn, cast

import pandas as pd

from . import __version__
from .base import EvidenceBase, default_paths, example_dir, load
from .bib import Bibliography
from .errors import EvidenceError, Problem
from .extract import extract
from .io import atomic_write, decode_bytes, read_bytes
from .propose import propose_tags
from .rate import DIMENSIONS
from .report import Format
from .resolve import resolve
from .settings import PROCESSORS, STYLES, ResolverSettings
from .tags import Tags
from .themes import Themes
from .vocab import EVIDENCE_TYPES, STANCES

__all__ = ["main"]

_CELL_WIDTH = 48
#: The columns ``evidence resolve`` prints, in this order (a stable contract).
_RESOLVE_COLUMNS = ("citation", "key", "status", "score", "reason", "candidates")
DEFAULT_THEMES = "data/themes.csv"
_SUMMARY_TABLE = (
    "theme",
    "category",
    "studies",
    "supports",
    "contradicts",
    "mixed",
    "inconclusive",
    "rating",
    "reason",
)


class _UsageError(Exception):
    """argparse's complaint, carried out of the parser instead of exiting."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{self.prog}: {message}")


def _text(value: Any) -> str:
    """A cell as text: missing values empty, tuples joined with ``; ``."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, (tuple, list)):
        return "; ".join(
            f"{v[0]} ({v[1]:g})" if isinstance(v, tuple) and len(v) == 2 else str(v) for v in value
        )
    return str(value)


def _plain(value: Any) -> Any:
    """A cell as a JSON value: missing values null, tuples lists, numpy scalars Python."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if hasattr(value, "item"):
        return value.item()
    return value


def format_table(frame: pd.DataFrame) -> str:
    """Render a frame as an aligned text table for people (long cells cut with …)."""
    if frame.empty:
        return "(no rows)\n"
    columns = list(frame.columns)
    cells = [[_text(v).replace("\n", " ") for v in row] for row in frame.itertuples(index=False)]
    cells = [[c if len(c) <= _CELL_WIDTH else c[: _CELL_WIDTH - 1] + "…" for c in r] for r in cells]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) for c in columns]

    def line(values: Sequence[str]) -> str:
        parts = [
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ]
        return "  ".join(parts).rstrip()

    out = [line(columns), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in cells]
    return "\n".join(out) + "\n"


def format_frame(frame: pd.DataFrame, fmt: str) -> str:
    """Render a frame as ``table``, ``csv`` or ``json`` text (deterministic)."""
    if fmt == "csv":
        text_frame = frame.copy()
        for column in text_frame.columns:
            text_frame[column] = [_text(v) for v in text_frame[column]]
        return text_frame.to_csv(index=False, lineterminator="\n")
    if fmt == "json":
        records = [
            {column: _plain(value) for column, value in zip(frame.columns, row, strict=True)}
            for row in frame.itertuples(index=False)
        ]
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    return format_table(frame)


def problems_frame(problems: Sequence[Problem]) -> pd.DataFrame:
    """One row per problem with the columns ``evidence check`` prints."""
    rows = [
        {
            "severity": p.severity,
            "kind": p.kind,
            "file": p.file,
            "line": p.line,
            "citation": p.value if p.column == "study" else None,
            "key": p.key,
            "message": p.message,
        }
        for p in problems
    ]
    columns = ["severity", "kind", "file", "line", "citation", "key", "message"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["line"] = frame["line"].astype("Int64")
    return frame


def _data_options(parser: argparse.ArgumentParser) -> argparse._ArgumentGroup:
    group = parser.add_argument_group("data (default: ./data/, else the bundled example)")
    group.add_argument("--bib", metavar="FILE", help="bibliography (.bib)")
    group.add_argument("--tags", metavar="FILE", help="tag table (.csv)")
    group.add_argument("--themes", metavar="FILE", help="theme framework (.csv)")
    _output_options(parser)
    parser.add_argument("--strict", action="store_true", help="treat problems in the data as fatal")
    defaults = ResolverSettings()
    resolving = parser.add_argument_group("resolving citations (evidence.ResolverSettings)")
    resolving.add_argument(
        "--year-tolerance",
        type=int,
        metavar="YEARS",
        help=f"largest year difference read as a slip, 0-10 (default {defaults.year_tolerance}; "
        "0: a citation whose year differs gets no key)",
    )
    resolving.add_argument(
        "--fuzzy-min",
        type=float,
        metavar="SCORE",
        help="lowest surname similarity read as a misspelling, 50-100 "
        f"(default {defaults.fuzzy_min:g})",
    )
    return resolving


def _thresholds(args: argparse.Namespace) -> dict[str, Any]:
    """The resolver's thresholds the user set (``--year-tolerance``, ``--fuzzy-min``)."""
    named = {"year_tolerance": args.year_tolerance, "fuzzy_min": args.fuzzy_min}
    return {name: value for name, value in named.items() if value is not None}


def _output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        help="table for people; csv and json are stable machine-readable contracts",
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")


def _printable(message: str) -> str:
    """The message with control characters from a bad file escaped, its lines kept."""
    return "".join(c if c.isprintable() or c == "\n" else repr(c)[1:-1] for c in message)


def _base(args: argparse.Namespace, stderr: IO[str], *, strict: bool | None = None) -> EvidenceBase:
    base = load(
        args.bib,
        args.tags,
        args.themes,
        strict=args.strict if strict is None else strict,
        resolver=ResolverSettings(**_thresholds(args)),
    )
    if base.sources.get("bib") and Path(str(base.sources["bib"])).parent == example_dir():
        print("evidence: no ./data/refs.bib here; using the bundled example data", file=stderr)
    return base


def _cmd_summary(args: argparse.Namespace, stderr: IO[str]) -> tuple[pd.DataFrame, int]:
    summary = _base(args, stderr).summary()
    if args.format == "table":  # the per-type counts are for machines; people get the gist
        summary = summary[[*_SUMMARY_TABLE]]
    return summary, 0


def _cmd_studies(args: argparse.Namespace, stderr: IO[str]) -> tuple[pd.DataFrame, int]:
    base = _base(args, stderr)
    return base.studies(theme=args.theme, stance=args.stance, evidence_type=args.evidence_type), 0


def _cmd_theme(args: argparse.Namespace, stderr: IO[str]) -> tuple[pd.DataFrame, int]:
    view = _base(args, stderr).theme(args.name)
    tags = view.tags
    frame = pd.DataFrame(
        {
            "theme": view.theme.id,
            "rating": view.rating,
            "key": tags["key"],
            "label": tags["label"],
            "year": tags["year"],
            "evidence_type": tags["evidence_type"],
            "stance": tags["stance"],
            "citation": tags["study"],
            "quote": tags["quote"],
            "source": tags["source"],
        }
    )
    if args.format == "table":
        args.preface = (
            f"{view.theme.label} [{view.theme.id}, {view.theme.category}]\n"
            f"rating: {view.rating}: {view.reason}\n\n"
        )
        frame = frame.drop(columns=["theme", "rating"])
    return frame, 0


def _cmd_gaps(args: argparse.Namespace, stderr: IO[str]) -> tuple[pd.DataFrame, int]:
    return _base(args, stderr).gaps(), 0


def _cmd_check(args: argparse.Namespace, stderr: IO[str]) -> tuple[pd.DataFrame, int]:
    base = _base(args, stderr, strict=False)
    frame = problems_frame(base.problems)
    failing = {"error", "warning"} if args.strict else {"error"}
    status = 1 if frame["severity"].isin(failing).any() else 0
    if args.format == "table":
        errors = int((frame["severity"] == "error").sum())
        print(f"evidence: {errors} errors, {len(frame) - errors} warnings", file=stderr)
    return frame, status


def _cmd_resolve(args: argparse.Namespace, stderr: IO[str]) -> tuple[pd.DataFrame, int]:
    citations = list(args.citations)
    if args.file:
        text = sys.stdin.read() if args.file == "-" else decode_bytes(read_bytes(args.file)).text
        citations += [line.strip() for line in text.splitlines() if line.strip()]
    if not citations:
        raise _UsageError("evidence resolve: give citations, or --file FILE (- for stdin)")
    # With no file given, default_paths always finds a bibliography (./data/ or the example).
    bib_path = args.bib or cast(Path, default_paths()["bib"])
    bib = Bibliography.from_file(bib_path, strict=args.strict)
    found = resolve(citations, bib, settings=_settings(args))
    return found[list(_RESOLVE_COLUMNS)], 0


def _settings(args: argparse.Namespace) -> ResolverSettings:
    """The resolver's settings for the style, processor and thresholds the user named."""
    if args.style is None:
        if args.processor != "any":
            raise _UsageError("evidence: --processor needs --style (apa, chicago or harvard)")
        return ResolverSettings(**_thresholds(args))
    return ResolverSettings.for_style(args.style, args.processor, **_thresholds(args))


def _style_options(group: argparse._ArgumentGroup) -> None:
    """``--style`` and ``--processor``: what the resolver may know of how the text was printed."""
    group.add_argument(
        "--style",
        choices=sorted(STYLES),
        help="the review's author-date style: its order of 2004a/2004b and its 'et al.' rule",
    )
    group.add_argument(
        "--processor",
        choices=sorted(PROCESSORS),
        default="any",
        help="the program that printed the citations (pandoc: its order of titles)",
    )


def _cmd_extract(args: argparse.Namespace, stderr: IO[str]) -> tuple[pd.DataFrame, int]:
    bib = Bibliography.from_file(args.bib, strict=args.strict) if args.bib else None
    themes_path = args.themes or (DEFAULT_THEMES if Path(DEFAULT_THEMES).is_file() else None)
    themes = Themes.from_file(themes_path, strict=args.strict) if themes_path else None
    settings = _settings(args)
    frames = []
    for source in args.files:
        if source == "-":
            frames.append(extract(sys.stdin.read(), bib, themes, document="-", settings=settings))
        else:
            frames.append(extract(Path(source), bib, themes, settings=settings))
    found = pd.concat(frames, ignore_index=True) if frames else extract("", bib, themes)
    if not (args.propose_tags or args.append):
        return found, 0
    proposals = propose_tags(found)
    if args.append:
        target = Path(args.append)
        table = Tags.from_file(target) if target.is_file() else Tags(pd.DataFrame())
        appended, added = table.append(proposals)
        appended.to_file(target)
        print(f"evidence: {added} new tag rows appended to {target}", file=stderr)
    return proposals, 0


#: Briefing formats by file extension.
_REPORT_FORMATS: dict[str, Format] = {
    ".html": "html",
    ".htm": "html",
    ".md": "md",
    ".markdown": "md",
    ".qmd": "md",
}


def _iso_date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _cmd_report(args: argparse.Namespace, stderr: IO[str]) -> tuple[pd.DataFrame, int]:
    target = Path(args.output or "briefing.html")
    args.output = None  # -o names the briefing; stdout gets the row saying what was written
    fmt = _REPORT_FORMATS.get(target.suffix.lower())
    if fmt is None:
        raise _UsageError(f"evidence report: {target.name} must end in .html or .md")
    written = _base(args, stderr).report(
        target,
        format=fmt,
        date=args.date,
        template_dir=args.template,
        gap_rows=args.gap_rows,
        gap_cols=args.gap_cols,
        title=args.title,
    )
    print(f"evidence: wrote the {fmt} briefing to {written}", file=stderr)
    return pd.DataFrame({"file": [str(written)], "format": [fmt]}), 0


def _cmd_export(args: argparse.Namespace, stderr: IO[str]) -> tuple[pd.DataFrame, int]:
    target = args.output or "evidence.xlsx"
    args.output = None  # -o names the spreadsheet; stdout gets the files written
    written = _base(args, stderr).export(target)
    print(f"evidence: wrote {', '.join(map(str, written))}", file=stderr)
    return pd.DataFrame({"file": [str(path) for path in written]}), 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``evidence`` command."""
    parser = _Parser(
        prog="evidence",
        description="Load, check and summarise an evidence base kept in plain files.",
    )
    parser.add_argument("--version", action="version", version=f"evidence {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    summary = commands.add_parser(
        "summary", help="strength of evidence per theme: counts, rating and the reason for it"
    )
    _data_options(summary)
    summary.set_defaults(run=_cmd_summary)

    studies = commands.add_parser("studies", help="which studies speak to which theme")
    _data_options(studies)
    studies.add_argument("--theme", help="a theme id, label or synonym")
    studies.add_argument("--stance", choices=STANCES)
    studies.add_argument("--evidence-type", choices=EVIDENCE_TYPES)
    studies.set_defaults(run=_cmd_studies)

    gaps = commands.add_parser("gaps", help="themes with no or only limited evidence")
    _data_options(gaps)
    gaps.set_defaults(run=_cmd_gaps)

    theme = commands.add_parser(
        "theme", help="one theme: its rating and reason, its studies, stances and quotes"
    )
    theme.add_argument("name", help="a theme id, label or synonym")
    _data_options(theme)
    theme.set_defaults(run=_cmd_theme)

    check = commands.add_parser(
        "check",
        help="list every problem in the data; exit 1 on errors (with --strict, on warnings)",
    )
    _data_options(check)
    check.set_defaults(run=_cmd_check)

    resolver = commands.add_parser(
        "resolve", help="match citations as written to bibliography entries, and say why"
    )
    resolver.add_argument("citations", nargs="*", metavar="CITATION", help='e.g. "Smith 2003"')
    resolver.add_argument("--file", metavar="FILE", help="one citation per line; - for stdin")
    _style_options(_data_options(resolver))
    resolver.set_defaults(run=_cmd_resolve)

    extractor = commands.add_parser(
        "extract", help="find the citations of a review's text, by section; propose tags"
    )
    extractor.add_argument("files", nargs="+", metavar="FILE", help=".txt or .md; - for stdin")
    _style_options(_data_options(extractor))
    extractor.add_argument(
        "--propose-tags", action="store_true", help="print tag rows in the tag table's format"
    )
    extractor.add_argument(
        "--append", metavar="TAGS", help="append proposed tags to this tag table (never duplicates)"
    )
    extractor.set_defaults(run=_cmd_extract)

    reporter = commands.add_parser(
        "report",
        help="write a briefing: self-contained HTML that prints on A4, or Markdown for pandoc",
        description="Write a briefing to -o FILE (default briefing.html); .html or .md (for "
        "pandoc or Quarto) decides the format. Prints the file written.",
    )
    _data_options(reporter)
    reporter.add_argument("--date", type=_iso_date, help="the date printed, YYYY-MM-DD (today)")
    reporter.add_argument("--template", metavar="DIR", help="templates here replace ours by name")
    reporter.add_argument("--gap-rows", choices=DIMENSIONS, default="theme", help="gap map rows")
    reporter.add_argument(
        "--gap-cols", choices=DIMENSIONS, default="evidence_type", help="gap map columns"
    )
    reporter.add_argument("--title", default="Evidence briefing", help="the briefing's title")
    reporter.set_defaults(run=_cmd_report)

    exporter = commands.add_parser(
        "export",
        help="joined tags and summary for spreadsheets: .xlsx (two sheets) or .csv (two files)",
        description="Write -o FILE (default evidence.xlsx): .xlsx gets the sheets tags and "
        "summary; NAME.csv gets the tags and NAME.summary.csv the summary. Cells a spreadsheet "
        "would run as formulas are prefixed with '. Prints the files written.",
    )
    _data_options(exporter)
    exporter.set_defaults(run=_cmd_export)
    return parser


def _write(text: str, output: str | None, stdout: IO[str]) -> None:
    if output:
        with atomic_write(output) as handle:
            handle.write(text)
    else:
        stdout.write(text)


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
) -> int:
    """Run the ``evidence`` command; return its exit code.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments (default ``sys.argv[1:]``).
    stdout, stderr : text streams, optional
        Where to write (default the process's streams); tests pass buffers.
    """
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    args_list = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args_list
    run: Callable[[argparse.Namespace, IO[str]], tuple[pd.DataFrame, int]]
    try:
        with contextlib.redirect_stdout(stdout):  # --help and --version print
            args = build_parser().parse_args(args_list)
        run = args.run
        frame, status = run(args, stderr)
        _write(getattr(args, "preface", "") + format_frame(frame, args.format), args.output, stdout)
        return status
    except _UsageError as exc:
        print(str(exc), file=stderr)
        return 2
    except EvidenceError as exc:
        if debug:
            traceback.print_exc(file=stderr)
        print(f"evidence: {_printable(str(exc))}", file=stderr)
        return 2
    except KeyboardInterrupt:
        print("evidence: interrupted", file=stderr)
        return 130
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0)


def main_exit() -> None:
    """Entry point of the console script: run :func:`main` and exit with its code."""
    sys.exit(main())
