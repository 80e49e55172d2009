import csv
import io
import json
import os
import subprocess
import sys

import pytest

from evidence.cli import build_parser, main

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
    assert out.splitlines()[0].split()[:4] == ["theme", "label", "category", "studies"]
    assert "financial_uncertainty" in out
    assert "bundled example" in err


def test_summary_csv_and_json_are_machine_readable(project):
    code, out, _ = run("summary", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    assert list(rows[0]) == [
        "theme",
        "label",
        "category",
        "studies",
        "supports",
        "contradicts",
        "mixed",
        "inconclusive",
    ]
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
    assert (rows[0]["severity"], rows[0]["kind"], rows[0]["line"]) == ("error", "unresolved", "2")
    assert rows[0]["citation"] == "Rushmer & Pallis 2003"


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
    code, out, err = run("theme", "role clarity")
    assert code == 0 and "r2003" in out and "Role clarity" in err


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["summary", "--bib", "missing.bib"], "missing.bib: file not found"),
        (["theme", "nonsense"], "unknown theme 'nonsense'"),
        (["summary", "--format", "xml"], "invalid choice"),
        (["nosuchcommand"], "invalid choice"),
        (["summary", "--tags", "data"], "is a directory"),
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
