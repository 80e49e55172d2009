import pytest
from hypothesis import given
from hypothesis import strategies as st

from evidence.errors import EvidenceError
from evidence.extract import extract, find_citations, find_sections

WHAT_WORKS = "5. What Works?"
FINANCE = "Financial Uncertainty"
CULTURE = "Professional Culture"
ROLES = "Clarity of roles and responsibilities"
SHARED = "Lack of shared understanding"
SUCCESS = "Key Success Factors"

#: Every citation occurrence of the seed review, by hand, in order, with its section.
SEED_004 = [
    (WHAT_WORKS, "Cameron & Lart 2002"),
    (WHAT_WORKS, "Integrated Care Network 2004"),
    (WHAT_WORKS, "Park & Turnbull 2003"),
    (WHAT_WORKS, "Johnson et al 2003"),
    (FINANCE, "Sammons et al 2003"),
    (FINANCE, "Cameron & Lart 2003"),
    (FINANCE, "Wilkin et al 2003"),
    (FINANCE, "van Eyk & Baum 2002"),
    (FINANCE, "Johnson et al 2003"),
    (FINANCE, "Tisdall, Wallace, McGregor, Atkinson et al 2001"),
    (FINANCE, "Johnson et al (2003)"),
    (CULTURE, "Cameron & Lart 2003"),
    (CULTURE, "Harbin 1996"),
    (CULTURE, "Wilkin, White & Kinder 2003"),
    (CULTURE, "Wasoff, MacIver, McGuckin, Morton, Cunningham-Burley, Hinds and Given 2004"),
    (CULTURE, "van Eyk & Baum 2002"),
    (CULTURE, "Johnson et al 2003"),
    (CULTURE, "Coxon 2005"),
    (CULTURE, "Crouch & Johnson (2003)"),
    (CULTURE, "Craig, Huber & Lownsbrough 2004"),
    (ROLES, "Cameron & Lart's (2003)"),
    (ROLES, "McCulloch et al's (2004)"),
    (ROLES, "Rushmer & Pallis (2002)"),
    (ROLES, "Wasoff et al 2004"),
    (ROLES, "Rushmer & Pallis 2002"),
    (ROLES, "Rushmer & Pallis 2002"),
    (ROLES, "Wasoff et al 2004"),
    (ROLES, "21 st Century Social Work 2005"),
    (SHARED, "Stewart et al 2003"),
    (SHARED, "Percy-Smith 2005"),
    (SHARED, "Webb & Vuillamy's (2001)"),
    (SHARED, "National Audit Office's (2001)"),
    (SHARED, "Percy-Smith 2005"),
    (SUCCESS, "Sloper 2004"),
    (SUCCESS, "Integrated Care Network 2003"),
    (SUCCESS, "Coles, Britton & Hicks 2004"),
    (SUCCESS, "Sammons et al 2003"),
    (SUCCESS, "HMIe 2004"),
    (SUCCESS, "Cameron & Lart 2003"),
    (SUCCESS, "Rushmer & Pallis 2002"),
    (SUCCESS, "Dolan 1996"),
    (SUCCESS, "Harbin 1996"),
    (SUCCESS, "Stewart et al 2003"),
    (SUCCESS, "Atkinson et al 2001"),
    (SUCCESS, "Sloper 2004"),
    (SUCCESS, "Percy-Smith 2005"),
    (SUCCESS, "Craig et al 2004"),
    (SUCCESS, "Johnson et al (2003)"),
    (SUCCESS, "Gardner (2003)"),
    (SUCCESS, "Glisson & Hemmelgard (1998)"),
    (SUCCESS, "Gardner 2003"),
    (SUCCESS, "Gardner 2003"),
    (SUCCESS, "Atkinson et al 2002"),
    (SUCCESS, "Rushmore & Pallis 2002"),
    (SUCCESS, "Sammons et al 2003"),
    (SUCCESS, "HMIe 2004"),
    (SUCCESS, "Park & Turnbull"),
    (SUCCESS, "Integrated Care Network 2004"),
    (SUCCESS, "Cameron & Lart (2003)"),
    (SUCCESS, "Wasoff et al 2004"),
]


@pytest.fixture
def review(seeds):
    return next(seeds.glob("004_*.txt"))


def test_every_citation_of_the_seed_review_and_nothing_else(review):
    frame = extract(review)
    assert list(zip(frame["section"], frame["citation"], strict=True)) == SEED_004
    text = review.read_text()
    for row in frame.itertuples():
        assert text[row.start : row.end] == row.citation
        assert row.citation.split()[0].strip("(") in row.sentence
    assert set(frame["document"]) == {review.name}


def test_sections_of_the_seed_review(review):
    headings = [h for _, h in find_sections(review.read_text())]
    assert headings == [
        "Exploring the evidence base for Integrated Children's Services",
        WHAT_WORKS,
        FINANCE,
        CULTURE,
        ROLES,
        SHARED,
        SUCCESS,
    ]


def test_commentaries_have_no_false_citations(seeds):
    lee = next(seeds.glob("000_*.txt")).read_text()
    assert [o.cited_as for o in find_citations(lee)] == ["Glasby et al. 2015"]
    for name in ("001_*.txt", "002_*.txt", "003_*.txt"):
        assert find_citations(next(seeds.glob(name)).read_text()) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(Smith & Jones, 2003)", ["Smith & Jones 2003"]),
        ("(Smith and Jones 2003)", ["Smith and Jones 2003"]),
        ("(Smith, Jones, and Lee 2003)", ["Smith, Jones, and Lee 2003"]),
        ("as Johnson et al (2003) reported", ["Johnson et al 2003"]),
        ("Webb & Vuillamy's (2001) evaluation", ["Webb & Vuillamy 2001"]),
        ("the National Audit Office's (2001) guidance", ["National Audit Office 2001"]),
        ("(Sloper 2004a, 2004b)", ["Sloper 2004a", "Sloper 2004b"]),
        ("(Gardner 2003, 2005)", ["Gardner 2003", "Gardner 2005"]),
        ("(Smith 2003, p. 12)", ["Smith 2003, p. 12"]),
        ("(Smith 2003, 36)", ["Smith 2003, 36"]),
        ("(see also Smith 2003; Jones 2004)", ["Smith 2003", "Jones 2004"]),
        ("(e.g. W. J. Freeman 2006)", ["W. J. Freeman 2006"]),
        (
            "(Park & Turnbull, Integrated Care Network 2004)",
            ["Park & Turnbull", "Integrated Care Network 2004"],
        ),
        ("(de Vries n.d.)", ["de Vries n.d."]),
        ("(Smith in press)", ["Smith in press"]),
        ("Freeman (2006, p. 4) says", ["Freeman 2006, p. 4"]),
        ("(Müller & Ørsted 2010)", ["Müller & Ørsted 2010"]),
        # found by the pandoc-rendered evaluation (benchmarks/bench_extract.py)
        ("(Morey *et al.*, 2016)", ["Morey et al. 2016"]),
        ("(Laitin 2013a; 2013b, chap. 3)", ["Laitin 2013a", "Laitin 2013b, chap. 3"]),
        ("(The Lancet 2010; Stanley 2005)", ["The Lancet 2010", "Stanley 2005"]),
        (
            "([Calton et al., 2003; Navratilova et al., 2012])",
            ["Calton et al. 2003", "Navratilova et al. 2012"],
        ),
        ("(for review see Schimanski and Alperin, 2018)", ["Schimanski and Alperin 2018"]),
        ("(as in Korjoukov et al., 2012)", ["Korjoukov et al. 2012"]),
        (
            "(University of Illinois at Urbana Champaign Library, 2018)",
            ["University of Illinois at Urbana Champaign Library 2018"],
        ),
    ],
)
def test_citation_forms(text, expected):
    assert [o.cited_as for o in find_citations(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "On 17th November 2016 we met.",
        "in 2001 I remember feeling",
        "a 3-year project (2001 to 2004)",
        "recent policy (particularly The Care Act 2014) is hard",
        "(Bournemouth University, 9th November)",
        "(ie realistic, honest and human)",
        "Weber, M. (1978). Economy and society.",
        "Similarly, in 2003 (see below) nothing happened.",
        "Park & Turnbull said so (no year given).",
        "the gene (NCU01900) is expressed",
    ],
)
def test_not_citations(text):
    assert find_citations(text) == []


def test_markdown_and_underlined_headings():
    text = (
        "# Review\n\n## Trust\n\nTrust helps (Smith 2003).\n\nRoles\n=====\n\nIt does (Lee 2004).\n"
    )
    frame = extract(text, document="review.md")
    assert frame["section"].tolist() == ["Trust", "Roles"]
    assert frame["document"].tolist() == ["review.md", "review.md"]


def test_missing_file_is_an_evidence_error(tmp_path):
    with pytest.raises(EvidenceError, match="not found"):
        extract(tmp_path / "missing.txt")


@given(st.text(max_size=300))
def test_any_text_extracts_without_raising(text):
    frame = extract(text)
    for row in frame.itertuples():
        assert text[row.start : row.end] == row.citation


CITATION_ALPHABET = st.sampled_from(
    [
        "(",
        ")",
        "Smith",
        "Jones",
        " & ",
        " and ",
        "et al",
        " 2003",
        "2004a",
        ", ",
        "; ",
        "'s",
        "p. 12",
        "\n\n",
        "Heading\n\n",
        ". ",
        "van ",
        "n.d.",
        "see also ",
    ]
)


@given(st.lists(CITATION_ALPHABET, max_size=40).map("".join))
def test_citation_shaped_noise_extracts_without_raising(text):
    for occurrence in find_citations(text):
        assert text[occurrence.start : occurrence.end] == occurrence.text
