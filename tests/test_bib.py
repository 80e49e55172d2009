import collections

import bibtexparser
import pandas as pd
import pytest
from bibtexparser import model

from evidence import bib as bib_module
from evidence.bib import Bibliography
from evidence.errors import ValidationError
from evidence.io import decode_bytes

from conftest import corpus_files


def entry(bib, key):
    rows = bib.entries[bib.entries["key"] == key]
    assert len(rows) == 1, f"{key} not loaded"
    return rows.iloc[0]


# --- the whole real corpus -------------------------------------------------------------------


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_corpus_file_loads_and_agrees_with_bibtexparser(path):
    bib = Bibliography.from_file(path)  # never raises
    library = bibtexparser.parse_string(decode_bytes(path.read_bytes()).text)
    kinds = collections.Counter(type(b) for b in library.failed_blocks)
    codes = collections.Counter(p.code for p in bib.problems)
    # Entries bibtexparser drops for a repeated field are kept (first value wins) and reported.
    assert len(bib) == len(library.entries) + kinds[model.DuplicateFieldKeyBlock]
    assert codes["bib.syntax"] == kinds[model.ParsingFailedBlock]
    assert codes["bib.duplicate_key"] == kinds[model.DuplicateBlockKeyBlock]
    assert codes["bib.duplicate_field"] >= kinds[model.DuplicateFieldKeyBlock]
    assert bib.entries["key"].is_unique
    assert bib.entries["line"].between(1, path.read_bytes().count(b"\n") + 1).all()
    for problem in bib.problems:
        assert problem.file == str(path)
        assert problem.line is None or problem.line >= 1


def test_corpus_is_present(corpus_bib):
    assert len(corpus_files()) >= 20


# --- decoded names and fields on hand-picked real entries -------------------------------------


@pytest.mark.parametrize(
    ("file", "key", "authors", "label"),
    [
        (
            "zotero_bbt_statistical_inferences_metascience.bib",
            "bakker_questionable_2021",
            ("Bakker", "Kokil", "Dörr", "Fasching", "Lelkes"),
            "Bakker et al. 2021",
        ),
        (
            "scoping_review_msm_syndemic_public_health.bib",
            "achterbergh2021",
            ("Achterbergh", "van Rooijen", "van den Brink", "Boyd", "e Vries"),
            "Achterbergh et al. 2021",
        ),
        (
            "scoping_review_msm_syndemic_public_health.bib",
            "Wim2014a",
            ("Van den Berghe", "Nöstlinger", "Laga"),
            "Van den Berghe et al. 2014",
        ),
        (
            "zotero_bbt_biblatex_housing_social_science.bib",
            "FredensborgKommuneUSSERODA",
            ("Fredensborg Kommune", "NIRAS A/S"),
            "Fredensborg Kommune & NIRAS A/S n.d.",
        ),
        (
            "biblatex_examples_reference.bib",
            "nietzsche:ksa",
            ("Nietzsche",),
            "Nietzsche 1988",
        ),
    ],
)
def test_hand_picked_names(corpus_bib, file, key, authors, label):
    row = entry(Bibliography.from_file(corpus_bib / file), key)
    assert row["authors"] == authors
    assert row["first_author"] == authors[0]
    assert row["n_authors"] == len(authors)
    assert row["label"] == label


def test_macros_concatenation_and_date(corpus_bib):
    bib = Bibliography.from_file(corpus_bib / "biblatex_examples_reference.bib")
    row = entry(bib, "nietzsche:ksa")
    assert row["container"] == "Deutscher Taschenbuch-Verlag and Walter de Gruyter"
    assert row["title"] == "Sämtliche Werke"
    assert row["year"] == 1988  # from biblatex `date`, there is no `year`
    assert row["location"] == 'M{\\"u}nchen and Berlin and New York'  # other fields as written


def test_capitalised_fields_and_string_macros(corpus_bib):
    bib = Bibliography.from_file(corpus_bib / "bibdesk_memlab_psychology_with_errors.bib")
    row = entry(bib, "Unde70")
    assert row["container"] == "Journal of Verbal Learning and Verbal Behavior"
    assert row["authors"] == ("Underwood",)
    assert row["month"] == "october"  # BibDesk's `Month = Oct`, macro expanded


def test_latin1_file_loads_with_an_encoding_warning(corpus_bib):
    bib = Bibliography.from_file(corpus_bib / "gaia_livelink_latin1_custom_type.bib")
    assert "bib.encoding" in {p.code for p in bib.problems}
    assert len(bib) > 4000


# --- hand-made cases ------------------------------------------------------------------------

GOOD = """@article{first, author = {Sloper, Patricia}, title = {Facilitators and barriers},
  journal = {Child: Care, Health and Development}, year = {2004}}
"""
AFTER = """@book{after, author = {{National Audit Office}}, title = {Joining up to improve
  public services}, year = 2001}
"""
FAULTS = {
    "unbalanced": "@article{broken, author = {Webb, Rosemary, title = {Oops}, year = 2001}\n",
    "missing_comma": "@article{broken author = {Webb}, year = 2001}\n",
    "cut_off": "@article{broken, author = {Webb, R.}, title = {Half\n",
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
@pytest.mark.parametrize("follows", [True, False])
def test_broken_entry_does_not_lose_its_neighbours(fault, follows):
    text = GOOD + FAULTS[fault] + (AFTER if follows else "")
    bib = Bibliography.from_string(text, file="broken.bib")
    expected = ["first", "after"] if follows else ["first"]
    assert bib.keys == expected
    syntax = [p for p in bib.problems if p.code == "bib.syntax"]
    assert len(syntax) == 1
    assert syntax[0].line == 3
    assert syntax[0].file == "broken.bib"


def test_broken_entry_in_the_middle_of_a_real_file(corpus_bib):
    path = corpus_bib / "jabref_scoping_review_open_collaboration.bib"
    text = decode_bytes(path.read_bytes()).text
    intact = Bibliography.from_string(text)
    middle = intact.entries.iloc[len(intact) // 2]
    lines = text.split("\n")
    line = middle["line"] - 1
    lines[line] = lines[line].replace(",", "", 1)  # drop the comma after the key
    broken = Bibliography.from_string("\n".join(lines))
    assert broken.keys == [k for k in intact.keys if k != middle["key"]]
    assert [(p.code, p.line) for p in broken.problems if p.severity == "error"] == [
        ("bib.syntax", middle["line"])
    ]


def test_latex_decoding_in_interpreted_fields():
    bib = Bibliography.from_string(
        r"""@article{k, author = {M{\"u}ller, J{\"o}rg and {\O}stergaard, Nils and Stra{\ss}e, A.},
        title = {Health {\&} Social Care --- a {\'e}tude}, year = {2003a},
        journal = {Journal of {I}ntegrated {C}are}}"""
    )
    row = entry(bib, "k")
    assert row["authors"] == ("Müller", "Østergaard", "Straße")
    assert row["title"] == "Health & Social Care — a étude"
    assert row["container"] == "Journal of Integrated Care"
    assert (row["year"], row["year_suffix"], row["label"]) == (2003, "a", "Müller et al. 2003a")


def test_particles_in_both_name_orders_give_one_surname():
    bib = Bibliography.from_string(
        "@article{a, author = {van Eyk, Helen and Baum, Fran}, year = 2002}\n"
        "@article{b, author = {Helen van Eyk and Fran Baum}, year = 2002}\n"
    )
    assert bib.entries["authors"].tolist() == [("van Eyk", "Baum")] * 2
    assert bib.entries["label"].tolist() == ["van Eyk & Baum 2002"] * 2


def test_string_concatenation_and_undefined_macro():
    bib = Bibliography.from_string(
        '@string{jic = "Journal of " # {Integrated Care}}\n'
        "@article{a, author = {Cameron, Ailsa and Lart, Rachel}, journal = jic, year = 2003,"
        " publisher = nosuchmacro}\n"
    )
    row = entry(bib, "a")
    assert row["container"] == "Journal of Integrated Care"
    assert row["publisher"] == "nosuchmacro"  # kept as written, and reported
    assert [p.code for p in bib.problems] == ["bib.undefined_macro"]


def test_and_others_is_et_al():
    bib = Bibliography.from_string("@article{a, author = {Johnson, P. and others}, year=2003}")
    assert entry(bib, "a")["label"] == "Johnson et al. 2003"


def test_study_attributes_and_vocabulary():
    bib = Bibliography.from_string(
        "@article{a, author = {A, B}, year = 2003, evidence_type = {Systematic Review},"
        " country = {Scotland}, sector = {education; health}, quality = {high}}\n"
        "@article{b, author = {C, D}, year = 2003, evidence_type = {opinion piece}}\n"
    )
    a = entry(bib, "a")
    assert (a["evidence_type"], a["country"], a["sector"], a["quality"]) == (
        "systematic_review",
        "Scotland",
        "education; health",
        "high",
    )
    problem = next(p for p in bib.problems if p.code == "bib.unknown_evidence_type")
    assert (problem.key, problem.line, problem.value) == ("b", 2, "opinion piece")
    assert "commentary" in problem.expected


def test_missing_year_author_duplicate_key_and_field():
    bib = Bibliography.from_string(
        "@misc{a, title = {No author}, year = {n.d.}}\n"
        "@misc{b, author = {X, Y}, title = {One}, Title = {Two}}\n"
        "@misc{a, author = {Z, Z}, year = 2000}\n"
    )
    assert [(p.code, p.line, p.key) for p in bib.problems] == [
        ("bib.missing_author", 1, "a"),
        ("bib.missing_year", 1, "a"),
        ("bib.duplicate_field", 2, "b"),
        ("bib.missing_year", 2, "b"),
        ("bib.duplicate_key", 3, "a"),
    ]
    assert entry(bib, "b")["title"] == "One"
    assert entry(bib, "a")["title"] == "No author"


def test_strict_raises_an_evidence_error():
    with pytest.raises(ValidationError) as info:
        Bibliography.from_string(GOOD + FAULTS["unbalanced"], strict=True, file="x.bib")
    assert str(info.value).startswith("x.bib:3:")
    assert [p.code for p in info.value.problems] == ["bib.syntax"]


@pytest.mark.parametrize("text", ["", "   \n", "This is not BibTeX at all.\n"])
def test_empty_or_non_bibtex_gives_no_entries_and_a_problem(text):
    bib = Bibliography.from_string(text)
    assert len(bib) == 0
    assert [p.code for p in bib.problems] == ["bib.empty"]
    assert bib.entries.columns[0] == "key"


def test_reload_is_served_from_cache_and_entries_are_copies():
    first = Bibliography.from_string(GOOD, file="c.bib")
    frame = first.entries
    frame.loc[0, "title"] = "changed"
    second = Bibliography.from_string(GOOD, file="c.bib")
    assert second.entries.loc[0, "title"] == "Facilitators and barriers"
    changed = Bibliography.from_string(GOOD.replace("2004", "2005"), file="c.bib")
    assert changed.entries.loc[0, "year"] == 2005


def test_column_order_and_dtypes():
    bib = Bibliography.from_string(GOOD + AFTER)
    frame = bib.entries
    assert frame.columns[:18].tolist() == [
        "key",
        "entry_type",
        "authors",
        "first_author",
        "n_authors",
        "year",
        "year_suffix",
        "title",
        "container",
        "doi",
        "url",
        "label",
        "evidence_type",
        "country",
        "sector",
        "quality",
        "file",
        "line",
    ]
    assert str(frame["year"].dtype) == "Int64"
    assert frame["author"].tolist() == ["Sloper, Patricia", "{National Audit Office}"]


@pytest.mark.parametrize(
    "name",
    ["bibdesk_memlab_psychology_with_errors.bib", "legacy_parenthesis_entries_ai_classics.bib"],
)
def test_reading_in_chunks_gives_what_one_pass_gives(corpus_bib, monkeypatch, name):
    path = corpus_bib / name
    whole = Bibliography.from_string(decode_bytes(path.read_bytes()).text, file="x.bib")
    monkeypatch.setattr(bib_module, "_CHUNK_CHARS", 2000)  # hundreds of chunks
    bib_module._CACHE.clear()
    chunked = Bibliography.from_string(decode_bytes(path.read_bytes()).text, file="x.bib")
    pd.testing.assert_frame_equal(whole.entries, chunked.entries)
    assert whole.problems == chunked.problems
