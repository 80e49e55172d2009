"""Spreadsheet export: both tables, both formats, and no cell a spreadsheet would run."""

import csv
import io

import openpyxl
import pytest

import evidence
from evidence.cli import main
from evidence.errors import SettingsError
from evidence.export import FORMULA_STARTS, neutralise

DANGEROUS = ["=1+1", "+1", "-2+3", "@SUM(A1)", '=HYPERLINK("http://evil")']


@pytest.fixture
def hostile(tmp_path):
    (tmp_path / "refs.bib").write_text(
        "@article{evil2020, author = {Evil, Eve}, year = {2020}, title = {=cmd|' /C calc'!A0},\n"
        "  journal = {+Journal}, evidence_type = {commentary}}\n"
    )
    (tmp_path / "themes.csv").write_text(
        "id,label,category\nevil,@evil theme,barrier\nsafe,Safe,success_factor\n"
    )
    quoted = [q.replace('"', '""') for q in DANGEROUS]
    rows = "".join(f'Evil 2020,evil,supports,evil2020,"{q}",-1\n' for q in quoted)
    (tmp_path / "barriers.csv").write_text("study,theme,stance,key,quote,page\n" + rows)
    return evidence.load(tmp_path / "refs.bib", tmp_path / "barriers.csv", tmp_path / "themes.csv")


def _unsafe(value):
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def test_neutralise_prefixes_only_text_that_starts_a_formula():
    for value in [*DANGEROUS, "\tx", "\r=1"]:  # the tag loader strips tabs: tested here
        assert neutralise(value) == "'" + value
    assert neutralise("a=1") == "a=1" and neutralise(-1) == -1 and neutralise(0.5) == 0.5
    assert neutralise(None) is None


def test_xlsx_has_both_sheets_and_no_formula(hostile, tmp_path):
    (path,) = hostile.export(tmp_path / "evidence.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["tags", "summary"]
    tags, summary = book["tags"], book["summary"]
    header = [c.value for c in tags[1]]
    assert header == list(hostile.tags.columns)
    assert tags.max_row == len(hostile.tags) + 1
    assert [c.value for c in summary[1]] == list(hostile.summary().columns)
    assert summary.max_row == len(hostile.themes) + 1
    for sheet in (tags, summary):
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                assert cell.data_type != "f" and not _unsafe(cell.value), cell.value
    quotes = [row[header.index("quote")] for row in tags.iter_rows(min_row=2, values_only=True)]
    assert quotes == ["'" + q for q in DANGEROUS]
    lines = [row[header.index("line")] for row in tags.iter_rows(min_row=2, values_only=True)]
    assert lines == list(range(2, 2 + len(DANGEROUS)))  # numbers stay numbers


def test_csv_writes_tags_and_summary_beside_them(hostile, tmp_path):
    written = hostile.export(tmp_path / "out.csv")
    assert [p.name for p in written] == ["out.csv", "out.summary.csv"]
    assert written[0].read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 with a BOM
    tags = list(csv.DictReader(io.StringIO(written[0].read_text("utf-8-sig"), newline="")))
    summary = list(csv.DictReader(io.StringIO(written[1].read_text("utf-8-sig"), newline="")))
    assert len(tags) == len(DANGEROUS) and len(summary) == len(hostile.themes)
    assert [row["quote"] for row in tags] == ["'" + q for q in DANGEROUS]
    assert summary[0]["label"] == "'@evil theme"
    for row in tags + summary:
        assert not any(_unsafe(v) for v in row.values())


def test_export_of_the_bundled_example(tmp_path):
    base = evidence.load_example()
    (path,) = base.export(tmp_path / "example.xlsx")
    book = openpyxl.load_workbook(path)
    assert book["summary"].max_row == len(base.summary()) + 1


def test_unknown_extension_is_a_settings_error(hostile, tmp_path):
    with pytest.raises(SettingsError, match=r"xlsx or \.csv"):
        hostile.export(tmp_path / "out.ods")
    assert list(tmp_path.glob("out*")) == []


def test_cli_export(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    assert main(["export"], stdout=out, stderr=err) == 0
    assert (tmp_path / "evidence.xlsx").is_file() and "evidence.xlsx" in out.getvalue()
    assert main(["export", "-o", "e.csv", "--format", "csv"], stdout=out, stderr=err) == 0
    assert (tmp_path / "e.summary.csv").is_file()
    err = io.StringIO()
    assert main(["export", "-o", "e.txt"], stdout=out, stderr=err) == 2
    assert "must end in .xlsx or .csv" in err.getvalue()
