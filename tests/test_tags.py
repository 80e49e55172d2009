import codecs

import pandas as pd
import pytest

from evidence.errors import ValidationError
from evidence.tags import Tags

HEADER = "study,theme,stance,key,quote,page,source,coder,note"


def write(tmp_path, text, name="tags.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def codes(tags):
    return [(p.code, p.line) for p in tags.problems]


def test_reads_rows_with_lines_and_keeps_unknown_columns(tmp_path):
    path = write(
        tmp_path,
        "study,theme,stance,confidence\n"
        "Rushmer & Pallis 2002,role_clarity,supports,high\n"
        'Cameron & Lart 2003,co_terminosity,Inconclusive,"two\nlines"\n',
    )
    tags = Tags.from_file(path)
    frame = tags.frame
    assert frame.columns[:10].tolist() == [
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
    assert frame["confidence"].tolist() == ["high", "two\nlines"]
    assert frame["line"].tolist() == [2, 3]
    assert frame["stance"].tolist() == ["supports", "inconclusive"]
    assert tags.problems == ()


def test_every_bad_row_is_reported_with_line_column_value(tmp_path):
    path = write(
        tmp_path,
        f"{HEADER}\n"
        "A 2001,t,suports,,,,,,\n"
        ",t,supports,,,,,,\n"
        "B 2002,,supports,,,,,,\n"
        "C 2003,t,,,,,,,\n"
        "D 2004,t,supports,,,,,,\n",
    )
    tags = Tags.from_file(path)
    assert codes(tags) == [
        ("tags.bad_stance", 2),
        ("tags.missing_study", 3),
        ("tags.missing_theme", 4),
        ("tags.bad_stance", 5),
    ]
    bad = tags.problems[0]
    assert bad.column == "stance" and bad.value == "suports"
    assert 'did you mean "supports"' in bad.message
    assert tags.frame["study"].tolist() == ["D 2004"]


def test_strict_raises_with_every_problem(tmp_path):
    path = write(tmp_path, f"{HEADER}\nA 2001,t,suports,,,,,,\nB 2002,t,nope,,,,,,\n")
    with pytest.raises(ValidationError) as info:
        Tags.from_file(path, strict=True)
    assert len(info.value.problems) == 2
    assert str(info.value).startswith(f"{path}:2:")


def test_missing_column_is_named_with_a_suggestion(tmp_path):
    path = write(tmp_path, "study,theme,stanse\nA 2001,t,supports\n")
    tags = Tags.from_file(path)
    assert codes(tags) == [("tags.missing_column", 1)]
    assert 'did you mean "stanse"' in tags.problems[0].message
    assert len(tags) == 0


def test_empty_file_and_blank_lines(tmp_path):
    assert codes(Tags.from_file(write(tmp_path, ""))) == [("tags.empty", None)]
    tags = Tags.from_file(write(tmp_path, f"{HEADER}\n\nA 2001,t,supports\n\n", name="b.csv"))
    assert tags.frame["line"].tolist() == [3]


def test_duplicate_rows_are_reported(tmp_path):
    path = write(tmp_path, f"{HEADER}\nA 2001,t,supports\nB,t,mixed\nA 2001,t,supports\n")
    tags = Tags.from_file(path)
    assert codes(tags) == [("tags.duplicate_row", 4)]
    assert "line 2" in tags.problems[0].message


def test_extra_cells_from_an_unquoted_delimiter(tmp_path):
    tags = Tags.from_file(write(tmp_path, "study,theme,stance\nSmith, Jones 2003,t,supports\n"))
    assert codes(tags) == [("tags.extra_cells", 2)]


def test_semicolon_excel_export_with_bom(tmp_path):
    data = codecs.BOM_UTF8 + "study;theme;stance\r\nMüller 2003;t;supports\r\n".encode()
    tags = Tags.from_file(write(tmp_path, data))
    assert tags.frame["study"].tolist() == ["Müller 2003"]
    assert [p.code for p in tags.problems] == ["tags.encoding"]


@pytest.mark.parametrize(
    "data",
    [
        b'study,theme,stance,zz\r\nA 2001,t,supports,x\r\n\r\n"Q, R 2002",t,mixed,"a\r\nb"\r\n',
        codecs.BOM_UTF8 + b"study;theme;stance\nA;t;supports\n",
        "study,theme,stance\nM\u00fcller 2003,t,supports".encode("latin-1"),
        "study,theme,stance\r\nA,t,supports\r\n".encode("utf-16"),
        b"study,theme,stance\nA,t,nonsense\n\n\n",
    ],
)
def test_round_trip_is_byte_identical(tmp_path, data):
    source = write(tmp_path, data)
    target = tmp_path / "copy.csv"
    Tags.from_file(source).to_file(target)
    assert target.read_bytes() == data


def test_rewriting_the_same_file_is_safe(tmp_path):
    data = b"study,theme,stance\nA,t,supports\n"
    source = write(tmp_path, data)
    Tags.from_file(source).to_file(source)
    assert source.read_bytes() == data


def test_append_adds_only_new_rows_and_keeps_curated_bytes(tmp_path):
    curated = (
        "study;theme;stance;quote;extra\r\n"
        'Cameron & Lart 2003;co_terminosity;inconclusive;"The evidence is inconclusive.";kept\r\n'
    ).encode("utf-8-sig")
    path = write(tmp_path, curated)
    tags = Tags.from_file(path)
    proposals = pd.DataFrame(
        [
            # the same study, theme and quote (other case and spacing): not added
            {
                "study": "cameron & lart 2003",
                "theme": "co_terminosity",
                "stance": "supports",
                "quote": "The evidence  is inconclusive.",
            },
            {
                "study": "Park & Turnbull",
                "theme": "co_terminosity",
                "stance": "supports",
                "quote": "It helps; said so.",
                "source": "004",
            },
            {
                "study": "Park & Turnbull",
                "theme": "co_terminosity",
                "stance": "supports",
                "quote": "It helps; said so.",
            },
        ]
    )
    appended, added = tags.append(proposals)
    assert added == 1
    appended.to_file(path)
    header, curated_rows = curated.split(b"\r\n", 1)
    data = path.read_bytes()
    # the header gains the column the new row needs; curated rows keep every byte
    assert data.startswith(header + b";source\r\n" + curated_rows)
    assert data.endswith(b'Park & Turnbull;co_terminosity;supports;"It helps; said so.";;004\r\n')
    _, added = Tags.from_file(path).append(proposals)
    assert added == 0


def test_append_to_a_table_built_from_rows(tmp_path):
    rows = pd.DataFrame([{"study": "A 2001", "theme": "t", "stance": "supports"}])
    tags, added = Tags(pd.DataFrame()).append(rows)
    target = tmp_path / "new.csv"
    tags.to_file(target)
    assert added == 1
    assert (
        target.read_text().splitlines()[0] == "study,theme,stance,key,quote,page,source,coder,note"
    )
    assert Tags.from_file(target).frame["study"].tolist() == ["A 2001"]
