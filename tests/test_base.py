import pytest

import evidence
from evidence.base import default_paths, example_dir
from evidence.errors import UnknownThemeError, ValidationError

from conftest import ROOT

THEMES = (
    "id,label,category,synonyms\nrole_clarity,Role clarity,barrier,blurred boundaries\n"
    "co_terminosity,Co-terminosity,success_factor,coterminosity\n"
)
BIB = """@article{rushmer2003, author = {Rushmer, Rosemary and Pallis, George}, year = 2003,
  title = {Inter-professional working}, evidence_type = {commentary}}
@article{cameron2003, author = {Cameron, Ailsa and Lart, Rachel}, year = 2003,
  title = {Factors promoting and obstacles hindering joint working},
  evidence_type = {systematic_review}}
"""
TAGS = (
    "study,theme,stance,key,quote\n"
    "Rushmer & Pallis 2003,role_clarity,supports,,Blurring boundaries\n"
    "Cameron and Lart 2003,Co-terminosity,inconclusive,,Inconclusive\n"
    "Cameron & Lart 2003,role_clarity,supports,,Clear roles\n"
    "Cameron & Lart 2003,role_clarity,supports,,Clear roles again\n"
    "Anyone,role_clarity,mixed,rushmer2003,pinned\n"
    "Nobody 1999,role_clarity,supports,,x\n"
    "Cameron & Lart 2003,no_such_theme,supports,,x\n"
)


@pytest.fixture
def files(tmp_path):
    (tmp_path / "refs.bib").write_text(BIB)
    (tmp_path / "barriers.csv").write_text(TAGS)
    (tmp_path / "themes.csv").write_text(THEMES)
    return tmp_path


@pytest.fixture
def base(files):
    return evidence.load(files / "refs.bib", files / "barriers.csv", files / "themes.csv")


def test_join_by_label_key_and_pin(base):
    tags = base.tags
    assert [k if isinstance(k, str) else None for k in tags["key"]] == [
        "rushmer2003",
        "cameron2003",
        "cameron2003",
        "cameron2003",
        "rushmer2003",
        None,
        "cameron2003",
    ]
    assert tags["theme_id"].tolist()[:2] == ["role_clarity", "co_terminosity"]
    assert tags.loc[1, "evidence_type"] == "systematic_review"
    assert tags.columns[:10].tolist() == [
        "line",
        "study",
        "theme",
        "stance",
        "key",
        "quote",
        "page",
        "source",
        "coder",
        "note",
    ]


def test_problems_name_the_row(base):
    found = [(p.code, p.line) for p in base.problems if p.file.endswith("barriers.csv")]
    assert found == [("resolve.unresolved", 7), ("tags.unknown_theme", 8)]
    unresolved = next(p for p in base.problems if p.code == "resolve.unresolved")
    assert unresolved.value == "Nobody 1999" and unresolved.column == "study"


def test_strict_load_raises(files):
    with pytest.raises(ValidationError):
        evidence.load(files / "refs.bib", files / "barriers.csv", files / "themes.csv", strict=True)


def test_summary_counts_distinct_studies(base):
    summary = base.summary().set_index("theme")
    role = summary.loc["role_clarity"]
    # cameron2003 tagged twice counts once; rushmer2003 supports and mixed: one study, two
    # stances; the unresolved "Nobody 1999" still counts, by its text
    assert (role["studies"], role["supports"], role["mixed"]) == (3, 3, 1)
    assert summary.loc["co_terminosity", "inconclusive"] == 1
    assert base.summary().columns.tolist()[:8] == [
        "theme",
        "label",
        "category",
        "studies",
        "supports",
        "contradicts",
        "mixed",
        "inconclusive",
    ]
    assert base.summary().columns.tolist()[-2:] == ["rating", "reason"]


def test_studies_filters(base):
    role = base.studies(theme="blurred boundaries")
    assert role["key"].tolist() == ["cameron2003", "rushmer2003"]
    assert role.set_index("key").loc["rushmer2003", "stance"] == "supports;mixed"
    assert base.studies(stance="inconclusive")["key"].tolist() == ["cameron2003"]
    assert base.studies(evidence_type="commentary")["key"].unique().tolist() == ["rushmer2003"]
    with pytest.raises(UnknownThemeError):
        base.studies(theme="nonsense theme")


def test_theme_view(base):
    view = base.theme("coterminosity")
    assert view.theme.id == "co_terminosity"
    assert view.counts == {"supports": 0, "contradicts": 0, "mixed": 0, "inconclusive": 1}
    assert "Cameron & Lart 2003: inconclusive" in repr(view)


def test_frames_are_copies(base):
    tags = base.tags
    tags.loc[0, "key"] = "changed"
    assert base.tags.loc[0, "key"] == "rushmer2003"


def test_default_paths_prefer_local_data_then_example(tmp_path, monkeypatch, files):
    monkeypatch.chdir(tmp_path)
    assert default_paths()["bib"] == example_dir() / "refs.bib"
    (tmp_path / "data").mkdir()
    for name in ("refs.bib", "barriers.csv"):
        (tmp_path / "data" / name).write_bytes((files / name).read_bytes())
    paths = default_paths()
    assert paths["bib"].resolve() == (tmp_path / "data" / "refs.bib").resolve()
    assert paths["themes"] is None
    assert default_paths(bib="mine.bib")["tags"].name == "barriers.csv"


def test_without_a_framework_themes_are_inferred(files):
    base = evidence.load(files / "refs.bib", files / "barriers.csv")
    assert "co_terminosity" in base.themes.ids


def test_loaded_parts_can_be_passed(files):
    bib = evidence.Bibliography.from_file(files / "refs.bib")
    base = evidence.load(bib, files / "barriers.csv", files / "themes.csv")
    assert base.bibliography is bib
    assert base.sources["bib"] is None


def test_example_ships_a_copy_of_the_top_level_data():
    for name in ("refs.bib", "barriers.csv", "themes.csv"):
        assert (example_dir() / name).read_bytes() == (ROOT / "data" / name).read_bytes(), name


def test_example_loads():
    base = evidence.load_example()
    assert len(base.bibliography) >= 30
    assert base.themes["Financial Uncertainty"].category == "barrier"
    assert base.theme("co-terminosity").counts["inconclusive"] >= 1
