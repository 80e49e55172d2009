import csv
import io
import json
import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidence.cli import build_parser, main

from conftest import DATA

THEMES = "id,label,category\nrole_clarity,Role clarity,barrier\n"
BIB = "@article{r2003, author = {Rushmer, R. and Pallis, G.}, year = 2003, title = {T}}\n"


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def project(tmp_path, monkeypatch):
    data = tmp_path / "data"
    data.mkdir()
    (data / "refs.bib").write_text(BIB)
    (data / "themes.csv").write_text(THEMES)
    (data / "barriers.csv").write_text(
        "study,theme,stance\nRushmer & Pallis 2003,role_clarity,supports\n"
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_summary_table_from_bundled_example(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run("summary")
    assert code == 0
    assert out.splitlines()[0].split()[:3] == ["theme", "category", "studies"]
    assert out.splitlines()[0].split()[-2:] == ["rating", "reason"]
    assert "financial_uncertainty" in out
    assert "bundled example" in err


def test_summary_csv_and_json_are_machine_readable(project):
    code, out, _ = run("summary", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    columns = list(rows[0])
    assert columns[:8] == [
        "theme",
        "label",
        "category",
        "studies",
        "supports",
        "contradicts",
        "mixed",
        "inconclusive",
    ]
    assert columns[-5:] == ["agreement", "oldest", "newest", "rating", "reason"]
    assert next(c for c in columns if c.startswith("type_")) == "type_systematic_review"
    assert rows[0]["studies"] == "1"
    code, out, _ = run("summary", "--format", "json")
    assert json.loads(out)[0]["supports"] == 1


def test_data_options_after_the_subcommand(project, tmp_path):
    other = tmp_path / "other.bib"
    other.write_text(BIB.replace("2003", "1999"))
    code, out, _ = run("check", "--bib", str(other), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 1
    assert list(rows[0]) == ["severity", "kind", "file", "line", "citation", "key", "message"]
    found = [(r["severity"], r["kind"], r["line"], r["citation"]) for r in rows]
    # 1999 is beyond the resolver's year tolerance: the other bibliography was read
    assert ("error", "unresolved", "2", "Rushmer & Pallis 2003") in found
    assert ("warning", "uncited", "1", "") in found


def test_check_exit_codes(project):
    assert run("check")[0] == 0
    (project / "data" / "refs.bib").write_text(BIB.replace("year = 2003,", ""))
    (project / "data" / "barriers.csv").write_text(
        "study,theme,stance\nr2003,role_clarity,supports\n"
    )
    code, out, _ = run("check")
    assert code == 0 and "missing_year" in out  # warnings alone pass
    assert run("check", "--strict")[0] == 1


def test_studies_filters_and_theme(project):
    code, out, _ = run("studies", "--theme", "Role clarity", "--format", "json")
    assert code == 0 and json.loads(out)[0]["key"] == "r2003"
    code, out, _ = run("theme", "role clarity")
    assert code == 0 and "r2003" in out
    assert out.startswith("Role clarity [role_clarity, barrier]\nrating: limited: 1 study")
    code, out, _ = run("theme", "role clarity", "--format", "json")
    assert json.loads(out)[0]["rating"] == "limited"
    code, out, _ = run("gaps", "--format", "csv")
    assert code == 0 and out.splitlines()[1].startswith("role_clarity,")


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["summary", "--bib", "missing.bib"], "missing.bib: file not found"),
        (["theme", "nonsense"], "unknown theme 'nonsense'"),
        (["summary", "--format", "xml"], "invalid choice"),
        (["nosuchcommand"], "invalid choice"),
        (["summary", "--tags", "data"], "is a directory"),
        (["resolve", "--file", "missing.txt"], "missing.txt: file not found"),
        (["export", "-o", "/nonexistent/x.xlsx"], "cannot write here"),
        (["report", "-o", "/nonexistent/x.html"], "cannot write here"),
        (["extract", "missing.md"], "missing.md: file not found"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(project, argv, needle):
    code, _, err = run(*argv)
    assert code == 2
    assert needle in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_strict_load_errors_exit_2(project):
    (project / "data" / "barriers.csv").write_text("study,theme,stance\nX,role_clarity,sure\n")
    code, _, err = run("summary", "--strict")
    assert code == 2 and "barriers.csv:2" in err


def test_debug_shows_the_traceback(project):
    code, _, err = run("summary", "--bib", "missing.bib", "--debug")
    assert code == 2 and "Traceback" in err


def test_output_file(project):
    code, out, _ = run("summary", "--format", "csv", "-o", "summary.csv")
    assert code == 0 and out == ""
    assert (project / "summary.csv").read_text().startswith("theme,label")


def test_version_and_help():
    code, out, _ = run("--version")
    assert code == 0 and out.startswith("evidence ")
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    for name, sub in commands.items():
        assert sub.format_help(), name
        assert sub.description or name in parser.format_help()


def test_console_script_runs_in_a_subprocess(tmp_path):
    env = {**os.environ, "PYTHONWARNINGS": "error"}
    result = subprocess.run(
        [sys.executable, "-m", "evidence", "summary", "--format", "csv"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("theme,label,category,studies")


def test_resolve_prints_one_row_per_citation_in_order(project):
    code, out, _ = run(
        "resolve",
        "Rushmer & Pallis 2003",
        "Nobody 1999",
        "Rushmore & Pallis 2003",
        "--format",
        "csv",
    )
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    assert list(rows[0]) == ["citation", "key", "status", "score", "reason", "candidates"]
    assert [(r["citation"], r["key"], r["status"]) for r in rows] == [
        ("Rushmer & Pallis 2003", "r2003", "exact"),
        ("Nobody 1999", "", "unresolved"),
        ("Rushmore & Pallis 2003", "r2003", "fuzzy"),
    ]


def test_resolve_reads_a_file_or_stdin(project, monkeypatch):
    (project / "cites.txt").write_text("Rushmer & Pallis 2003\n\nPallis 2003\n")
    code, out, _ = run("resolve", "--file", "cites.txt", "--format", "json")
    assert code == 0
    assert [r["citation"] for r in json.loads(out)] == ["Rushmer & Pallis 2003", "Pallis 2003"]
    monkeypatch.setattr("sys.stdin", io.StringIO("Rushmer & Pallis 2003\n"))
    code, out, _ = run("resolve", "--file", "-", "--format", "json")
    assert json.loads(out)[0]["key"] == "r2003"
    assert run("resolve")[0] == 2


@pytest.mark.parametrize(
    ("citation", "options", "key", "status"),
    [
        ("Rushmer & Pallis 2002", (), "r2003", "year_mismatch"),  # a slip, read by default
        ("Rushmer & Pallis 2002", ("--year-tolerance", "0"), "", "unresolved"),  # no slip read
        ("Rushmore & Pallis 2003", (), "r2003", "fuzzy"),  # "Rushmore": 75, a typo by default
        ("Rushmore & Pallis 2003", ("--fuzzy-min", "80"), "", "unresolved"),
    ],
)
def test_resolve_takes_the_resolver_s_thresholds(project, citation, options, key, status):
    code, out, _ = run("resolve", citation, *options, "--format", "csv")
    row = next(csv.DictReader(io.StringIO(out)))
    assert code == 0
    assert (row["key"], row["status"]) == (key, status)


def test_a_threshold_sets_how_the_data_commands_resolve_tags(project):
    (project / "data" / "barriers.csv").write_text(
        "study,theme,stance\nRushmer & Pallis 2002,role_clarity,supports\n"
    )
    assert run("check")[0] == 0  # a warning: a year slip, the key given
    code, out, _ = run("check", "--year-tolerance", "0", "--format", "csv")
    assert code == 1
    assert "error,unresolved" in out and "year_tolerance 0" in out


@pytest.mark.parametrize(
    ("option", "value", "field"),
    [("--year-tolerance", "11", "year_tolerance"), ("--fuzzy-min", "40", "fuzzy_min")],
)
def test_a_threshold_out_of_range_is_one_line_naming_it(project, option, value, field):
    code, out, err = run("resolve", "Rushmer & Pallis 2003", option, value)
    assert code == 2 and not out
    assert err.count("\n") == 1 and f"ResolverSettings.{field}" in err and "out of range" in err


REVIEW = (
    "Role clarity\n\n"
    "Blurred boundaries hurt (Rushmore & Pallis 2003). "
    "The evidence on this is inconclusive (Nobody 1999).\n"
)


def test_extract_with_bibliography(project):
    (project / "review.txt").write_text(REVIEW)
    code, out, _ = run("extract", "review.txt", "--bib", "data/refs.bib", "--format", "json")
    rows = json.loads(out)
    assert code == 0
    assert [(r["section"], r["theme"], r["citation"], r["status"]) for r in rows] == [
        ("Role clarity", "role_clarity", "Rushmore & Pallis 2003", "fuzzy"),
        ("Role clarity", "role_clarity", "Nobody 1999", "unresolved"),
    ]
    assert rows[0]["document"] == "review.txt"


def test_extract_propose_and_append_never_duplicates(project):
    (project / "review.txt").write_text(REVIEW)
    code, out, _ = run("extract", "review.txt", "--propose-tags", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    assert [(r["study"], r["theme"], r["stance"]) for r in rows] == [
        ("Rushmore & Pallis 2003", "role_clarity", "supports"),
        ("Nobody 1999", "role_clarity", "inconclusive"),
    ]
    assert 'proposed from "inconclusive"' in rows[1]["note"]
    tags = project / "data" / "barriers.csv"
    curated_rows = tags.read_bytes().split(b"\n", 1)[1]
    code, _, err = run("extract", "review.txt", "--append", str(tags))
    assert code == 0 and "2 new tag rows" in err
    header, rest = tags.read_bytes().split(b"\n", 1)
    assert header == b"study,theme,stance,quote,source,coder,note"
    assert rest.startswith(curated_rows)
    code, _, err = run("extract", "review.txt", "--append", str(tags))
    assert "0 new tag rows" in err


def test_extract_from_stdin(project, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(REVIEW))
    code, out, _ = run("extract", "-", "--format", "json")
    assert code == 0 and json.loads(out)[0]["document"] == "-"


BAD_FILES = [str(p) for p in sorted(DATA.glob("*.bib"))] + ["missing.csv", "data", "/dev/null"]
ARGUMENTS = st.lists(
    st.one_of(
        st.sampled_from(["--bib", "--tags", "--themes"]).flatmap(
            lambda flag: st.sampled_from(BAD_FILES).map(lambda path: [flag, path])
        ),
        st.sampled_from([["--strict"], ["--format", "json"], ["--format", "csv"]]),
    ),
    max_size=3,
).map(lambda groups: [arg for group in groups for arg in group])


@given(st.sampled_from(["summary", "studies", "check", "gaps"]), ARGUMENTS)
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_bad_files_never_give_a_traceback(project, command, arguments):
    code, _, err = run(command, *arguments)
    assert code in (0, 1, 2)
    assert "Traceback" not in err
    if code == 2:
        assert len(err.strip().splitlines()) <= 2  # the message, and maybe the example note


def test_control_characters_of_a_bad_file_are_escaped_in_the_message(project):
    # found by hypothesis: a binary file's header held \x1d and \x0b, which split lines
    themes = project / "bad.csv"
    themes.write_bytes(b"id\x1dlabel\x0bcat\n1,a,barrier\n")
    code, _, err = run("summary", "--strict", "--themes", str(themes))
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert "\\x1d" in err and "\\x0b" in err


def test_resolve_reads_citations_as_the_named_style_prints_them(project):
    (project / "tang.bib").write_text(
        "@article{tang4, author = {Tang, A. and Li, B. and Wu, C. and Xu, D.}, year = 2016}\n"
        "@article{tang3, author = {Tang, A. and Li, B. and Wu, C.}, year = 2016}\n"
    )
    args = ["resolve", "Tang et al. 2016", "--bib", "tang.bib", "--format", "csv"]
    _, unknown, _ = run(*args)
    assert ",ambiguous," in unknown  # "et al." from three authors (APA) or from four?
    code, chicago, _ = run(*args, "--style", "chicago")  # from four
    assert code == 0 and "tang4,exact" in chicago


def test_a_processor_without_a_style_is_a_usage_error(project):
    code, _, err = run("resolve", "Smith 2003", "--processor", "pandoc")
    assert code == 2 and "--processor needs --style" in err
