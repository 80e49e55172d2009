"""Bad input never crashes: every broken file loads with its problems, or raises EvidenceError."""

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evidence.bib import Bibliography
from evidence.errors import EvidenceError
from evidence.tags import Tags

from conftest import DATA

BOTH = ["cameron2003factors", "nao2001joining"]

EXPECTED = {
    "unbalanced_braces.bib": (BOTH, {"bib.syntax"}),
    "cut_off_at_end.bib": (BOTH, {"bib.syntax"}),
    "duplicate_keys.bib": (BOTH, {"bib.duplicate_key"}),
    "string_used_before_definition.bib": (["a", "nao2001joining"], {"bib.undefined_macro"}),
    "huge_field_1mb.bib": (BOTH, set()),
    "nul_bytes.bib": (BOTH, {"bib.encoding"}),
    "crlf_line_ends.bib": (BOTH, set()),
    "utf16_with_bom.bib": (BOTH, set()),
    "utf8_bom.bib": (BOTH, set()),
    "latin1_bytes.bib": (BOTH, {"bib.encoding"}),
    "empty.bib": ([], {"bib.empty"}),
    "not_bibtex.bib": ([], {"bib.empty"}),
    "binary.bib": (None, None),  # whatever it makes of it: no exception but ours
}


def test_every_broken_file_has_an_expectation():
    assert {p.name for p in DATA.glob("*.bib")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_bibliography_loads_with_problems(name):
    path = DATA / name
    keys, codes = EXPECTED[name]
    try:
        bib = Bibliography.from_file(path)
    except EvidenceError as exc:  # allowed, if it names the file
        assert str(path) in str(exc)
        return
    if keys is not None:
        assert bib.keys == keys
        assert {p.code for p in bib.problems if p.code != "bib.missing_year"} == codes
    for problem in bib.problems:
        assert problem.file == str(path)


def test_latin1_and_utf16_names_are_decoded():
    latin = Bibliography.from_file(DATA / "latin1_bytes.bib").entries
    assert latin.loc[0, "author"] == "Cameron, Aïlsa and Lart, Rachel"
    utf16 = Bibliography.from_file(DATA / "utf16_with_bom.bib").entries
    assert utf16.loc[1, "label"] == "National Audit Office 2001"


def test_crlf_lines_are_counted_like_lf():
    crlf = Bibliography.from_file(DATA / "crlf_line_ends.bib").entries
    assert crlf["line"].tolist() == [1, 7]


@given(st.text(max_size=400))
def test_any_text_loads_without_raising(text):
    bib = Bibliography.from_string(text)
    assert len(bib) == len(bib.entries)


BIB_ALPHABET = st.sampled_from(
    [
        "@article{",
        "@string{",
        "@comment{",
        "k,",
        "author = ",
        "{",
        "}",
        '"',
        "#",
        " and ",
        "\\'",
        "\n",
        ",",
        "=",
        "year = 2003",
        "title",
        "x",
        '{\\"u}',
        "@",
        "(",
        ")",
    ]
)


@given(st.lists(BIB_ALPHABET, max_size=60).map("".join))
def test_bibtex_shaped_noise_loads_without_raising(text):
    Bibliography.from_string(text)


@given(st.binary(max_size=400))
def test_any_bytes_as_a_tag_table_never_raise_but_ours(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("tags") / "tags.csv"
    path.write_bytes(data)
    with contextlib.suppress(EvidenceError):
        Tags.from_file(path)


CSV_ALPHABET = st.sampled_from(
    [
        "study",
        "theme",
        "stance",
        ",",
        ";",
        '"',
        "\n",
        "\r\n",
        "supports",
        "mixed",
        "x",
        " ",
        "\ufeff",
        "key",
        "=cmd()",
    ]
)


@given(st.lists(CSV_ALPHABET, max_size=60).map("".join))
def test_csv_shaped_noise_round_trips(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("tags")
    source, target = folder / "in.csv", folder / "out.csv"
    source.write_bytes(text.encode())
    Tags.from_file(source).to_file(target)
    assert target.read_bytes() == source.read_bytes()
