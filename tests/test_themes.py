import pytest

from evidence.errors import UnknownThemeError, ValidationError
from evidence.themes import Themes, slug

FRAMEWORK = (
    "id,label,category,parent,description,synonyms\n"
    "financial_uncertainty,Financial uncertainty,barrier,,Money worries.,funding; budgets\n"
    "co_terminosity,Co-terminosity,success_factor,,Shared boundaries.,coterminosity;"
    "shared boundaries\n"
    "funding_silos,Funding silos,barrier,financial_uncertainty,Split pots.,silos\n"
)


@pytest.fixture
def themes(tmp_path):
    path = tmp_path / "themes.csv"
    path.write_text(FRAMEWORK)
    return Themes.from_file(path)


@pytest.mark.parametrize(
    "name",
    ["co_terminosity", "Co-terminosity", "CO TERMINOSITY", "coterminosity", "Shared boundaries."],
)
def test_lookup_by_id_label_or_synonym(themes, name):
    assert themes[name].id == "co_terminosity"


def test_frame_in_framework_order(themes):
    frame = themes.frame
    assert frame["id"].tolist() == ["financial_uncertainty", "co_terminosity", "funding_silos"]
    assert frame.loc[2, "parent"] == "financial_uncertainty"
    assert frame.loc[0, "synonyms"] == ("funding", "budgets")
    assert themes.problems == ()


def test_unknown_theme_suggests_the_nearest(themes):
    with pytest.raises(UnknownThemeError) as info:
        themes.get("finacial uncertanty")
    assert info.value.suggestions[0] == "financial_uncertainty"
    assert "did you mean 'financial_uncertainty'" in str(info.value)
    assert not str(info.value).startswith("'")  # not KeyError's quoting
    assert isinstance(info.value, KeyError)


def test_bad_rows_are_reported(tmp_path):
    path = tmp_path / "themes.csv"
    path.write_text(
        "id,label,category,parent\n"
        "Bad Id,x,barrier,\n"
        "a,A,barier,\n"
        "b,B,barrier,nope\n"
        "b,B again,barrier,\n"
    )
    themes = Themes.from_file(path)
    assert [(p.code, p.line) for p in themes.problems] == [
        ("themes.bad_id", 2),
        ("themes.bad_category", 3),
        ("themes.unknown_parent", 4),
        ("themes.duplicate_id", 5),
    ]
    assert 'did you mean "barrier"' in themes.problems[1].message
    with pytest.raises(ValidationError):
        Themes.from_file(path, strict=True)


def test_a_name_claimed_twice_is_a_warning(tmp_path):
    path = tmp_path / "themes.csv"
    path.write_text("id,label,category,synonyms\na,Trust,barrier,\nb,B,barrier,trust\n")
    themes = Themes.from_file(path)
    assert [p.code for p in themes.problems] == ["themes.ambiguous_name"]
    assert themes["trust"].id == "a"


def test_missing_required_column(tmp_path):
    path = tmp_path / "themes.csv"
    path.write_text("id,name,category\na,A,barrier\n")
    assert [p.code for p in Themes.from_file(path).problems] == ["themes.missing_column"]


def test_slug_and_infer():
    assert slug("Lack of shared understanding") == "lack_of_shared_understanding"
    inferred = Themes.infer(["Trust", "trust", "Role clarity"])
    assert inferred.ids == ["trust", "role_clarity"]
