"""parse_citation: every form a review writes, and a clear error for what is no citation."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evidence.citation import MAX_LENGTH, Citation, _parse_general, _parse_simple, parse_citation
from evidence.errors import CitationError
from evidence.names import author_date_label

# text -> (surnames, et_al, year, year_suffix, locator, corporate, no_date)
CASES = {
    # separators between authors
    "Smith & Jones 2003": (("Smith", "Jones"), False, 2003, "", None, False, None),
    "Smith and Jones 2003": (("Smith", "Jones"), False, 2003, "", None, False, None),
    "Smith, Jones, 2003": (("Smith", "Jones"), False, 2003, "", None, False, None),
    "Coles, Britton & Hicks 2004": (
        ("Coles", "Britton", "Hicks"),
        False,
        2004,
        "",
        None,
        False,
        None,
    ),
    "Wasoff, MacIver, McGuckin, Morton, Cunningham-Burley, Hinds and Given 2004": (
        ("Wasoff", "MacIver", "McGuckin", "Morton", "Cunningham-Burley", "Hinds", "Given"),
        False,
        2004,
        "",
        None,
        False,
        None,
    ),
    "Smith, Jones, and Lee 2003": (("Smith", "Jones", "Lee"), False, 2003, "", None, False, None),
    # et al, possessives
    "Johnson et al 2003": (("Johnson",), True, 2003, "", None, False, None),
    "Johnson et al. 2003": (("Johnson",), True, 2003, "", None, False, None),
    "McCulloch et al's (2004)": (("McCulloch",), True, 2004, "", None, False, None),
    "Smith et al.'s (2003a)": (("Smith",), True, 2003, "a", None, False, None),
    "Tisdall, Wallace, McGregor, Atkinson et al 2001": (
        ("Tisdall", "Wallace", "McGregor", "Atkinson"),
        True,
        2001,
        "",
        None,
        False,
        None,
    ),
    "Webb & Vuillamy's (2001)": (("Webb", "Vuillamy"), False, 2001, "", None, False, None),
    "Cameron & Lart's (2003)": (("Cameron", "Lart"), False, 2003, "", None, False, None),
    "Jones' (1999)": (("Jones",), False, 1999, "", None, False, None),
    # particles, initials, given names, diacritics
    "van Eyk & Baum 2002": (("van Eyk", "Baum"), False, 2002, "", None, False, None),
    "de Vries 2000": (("de Vries",), False, 2000, "", None, False, None),
    "Van der Linden 2010": (("Van der Linden",), False, 2010, "", None, False, None),
    "van 't Veer & Giner-Sorolla 2016": (
        ("van 't Veer", "Giner-Sorolla"),
        False,
        2016,
        "",
        None,
        False,
        None,
    ),
    "W. J. Freeman 2006": (("Freeman",), False, 2006, "", None, False, None),
    "B. d. McCullough, McGeary, and Harrison 2008": (
        ("McCullough", "McGeary", "Harrison"),
        False,
        2008,
        "",
        None,
        False,
        None,
    ),
    "Freeman, W. J. 2006": (("Freeman",), False, 2006, "", None, False, None),
    "Smith, J. & Jones, K. 2003": (("Smith", "Jones"), False, 2003, "", None, False, None),
    "Rosemary Rushmer 2003": (("Rosemary Rushmer",), False, 2003, "", None, False, None),
    "Müller 2003": (("Müller",), False, 2003, "", None, False, None),
    "O'Brien 1999": (("O'Brien",), False, 1999, "", None, False, None),
    "d'Alembert 1751": (("d'Alembert",), False, 1751, "", None, False, None),
    "Percy-Smith 2005": (("Percy-Smith",), False, 2005, "", None, False, None),
    "Agüera y Arcas 2015": (("Agüera y Arcas",), False, 2015, "", None, False, None),
    # corporate authors
    "National Audit Office 2001": (("National Audit Office",), False, 2001, "", None, True, None),
    "the National Audit Office's (2001)": (
        ("National Audit Office",),
        False,
        2001,
        "",
        None,
        True,
        None,
    ),
    "HMIe 2004": (("HMIe",), False, 2004, "", None, True, None),
    "HMIe": (("HMIe",), False, None, "", None, True, None),
    "21st Century Social Work 2005": (
        ("21st Century Social Work",),
        False,
        2005,
        "",
        None,
        True,
        None,
    ),
    "21 st Century Social Work 2005": (
        ("21 st Century Social Work",),
        False,
        2005,
        "",
        None,
        True,
        None,
    ),
    "Integrated Care Network 2004": (
        ("Integrated Care Network",),
        False,
        2004,
        "",
        None,
        True,
        None,
    ),
    "Department of Health and Social Care 2019": (
        ("Department of Health and Social Care",),
        False,
        2019,
        "",
        None,
        True,
        None,
    ),
    "Food and Drug Administration 1998": (
        ("Food and Drug Administration",),
        False,
        1998,
        "",
        None,
        True,
        None,
    ),
    "Press, Teukolsky, Vetterling & Flannery 1992": (
        ("Press", "Teukolsky", "Vetterling", "Flannery"),
        False,
        1992,
        "",
        None,
        False,
        None,
    ),
    # dates: suffix, no date, comma, narrative parentheses, missing year
    "Sloper 2004a": (("Sloper",), False, 2004, "a", None, False, None),
    "Smith n.d.": (("Smith",), False, None, "", None, False, "n.d."),
    "Smith, n.d.-b": (("Smith",), False, None, "b", None, False, "n.d."),
    "Smith (in press)": (("Smith",), False, None, "", None, False, "in press"),
    "Smith forthcoming": (("Smith",), False, None, "", None, False, "forthcoming"),
    "Smith & Jones, 2003": (("Smith", "Jones"), False, 2003, "", None, False, None),
    "Johnson et al (2003)": (("Johnson",), True, 2003, "", None, False, None),
    "(Smith, 2003)": (("Smith",), False, 2003, "", None, False, None),
    "Park & Turnbull": (("Park", "Turnbull"), False, None, "", None, False, None),
    # locators
    "Smith 2003, p. 12": (("Smith",), False, 2003, "", "p. 12", False, None),
    "Smith 2003: 36": (("Smith",), False, 2003, "", "36", False, None),
    "Smith 2003, 36": (("Smith",), False, 2003, "", "36", False, None),
    "Smith (2003, pp. 12-15)": (("Smith",), False, 2003, "", "pp. 12-15", False, None),
    # dates as styles print them (found by benchmarks/bench_extract.py): the first year counts
    "Callon 1989 [1987]": (("Callon",), False, 1989, "", None, False, None),
    "Callon (1989 [1987])": (("Callon",), False, 1989, "", None, False, None),
    "Floto 1996 \\[1985\\]": (("Floto",), False, 1996, "", None, False, None),
    "Rogers (1992/1993)": (("Rogers",), False, 1992, "", None, False, None),
    "Rogers 1992/93b": (("Rogers",), False, 1992, "b", None, False, None),
    "E. Siesby (February 19, 1962)": (("Siesby",), False, 1962, "", None, False, None),
    "(Siesby, February 19, 1962)": (("Siesby",), False, 1962, "", None, False, None),
    "(Siesby, 1962, February 19)": (("Siesby",), False, 1962, "", None, False, None),
    "Smith & May 2003": (("Smith", "May"), False, 2003, "", None, False, None),
    "Luce (no date b)": (("Luce",), False, None, "b", None, False, "n.d."),
    # volume:page locators
    "Fisher (1956, viii:166)": (("Fisher",), False, 1956, "", "viii:166", False, None),
    "Fisher 1956, 2:14": (("Fisher",), False, 1956, "", "2:14", False, None),
    # an initial after a surname, also the article "A"
    "Chan A et al. 2004": (("Chan",), True, 2004, "", None, False, None),
    "van ’t Veer 2016": (("van ’t Veer",), False, 2016, "", None, False, None),
    # organisations: commas, lower-case words, legal forms, Roman numerals
    "Miljø- og Teknikudvalget, Fredensborg Kommune 2006": (
        ("Miljø- og Teknikudvalget, Fredensborg Kommune",),
        False,
        2006,
        "",
        None,
        True,
        None,
    ),
    "COWI A/S and NIRAS A/S 2014a": (("COWI A/S", "NIRAS A/S"), False, 2014, "a", None, True, None),
    "NIRAS Konsulenterne, Naturstyrelsen, and Lokale og Anlægsfonden 2012": (
        ("NIRAS Konsulenterne", "Naturstyrelsen", "Lokale og Anlægsfonden"),
        False,
        2012,
        "",
        None,
        True,
        None,
    ),
    "ISO/IEC 2011": (("ISO/IEC",), False, 2011, "", None, True, None),
    "Gruppe I 1974": (("Gruppe I",), False, 1974, "", None, True, None),
    "Gruppe IV 1974": (("Gruppe IV",), False, 1974, "", None, True, None),
    # "&" between two names: two people, unless the words say company
    "Marks & Spencer 2010": (("Marks", "Spencer"), False, 2010, "", None, False, None),
    "Marks & Spencer plc 2010": (("Marks & Spencer plc",), False, 2010, "", None, True, None),
    "Marks and Spencer Group 2010": (
        ("Marks and Spencer Group",),
        False,
        2010,
        "",
        None,
        True,
        None,
    ),
    # leading words
    "see Smith 2003": (("Smith",), False, 2003, "", None, False, None),
    "see also Smith 2003": (("Smith",), False, 2003, "", None, False, None),
    "e.g. Smith 2003": (("Smith",), False, 2003, "", None, False, None),
    "cf. Smith 2003": (("Smith",), False, 2003, "", None, False, None),
}


@pytest.mark.parametrize("text", CASES)
def test_parse(text):
    surnames, et_al, year, suffix, locator, corporate, no_date = CASES[text]
    citation = parse_citation(text)
    assert citation == Citation(surnames, et_al, year, suffix, locator, corporate, text, no_date)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("2003", "no author"),
        ("(2003a)", "no author"),
        ("!!! ...", "no author"),
        ("and", "no author"),
        ("the results show 2003", "lowercase"),
        ("we found that smith 2003", "lowercase"),
        ("Smith 2003; Jones 2004", "one work at a time"),
        ("Smith 2003 and Jones", "one work at a time"),
        ("W. J. 2006", "initials"),
        ("Smith" * 100, "longer than"),
    ],
)
def test_unparseable_text_raises_a_clear_error(text, words):
    with pytest.raises(CitationError, match=words) as caught:
        parse_citation(text)
    assert caught.value.value == text  # the error carries the text
    if len(text) < 60:
        assert repr(text) in str(caught.value)


def test_non_text_raises_citation_error():
    with pytest.raises(CitationError, match="not text"):
        parse_citation(None)  # type: ignore[arg-type]


def test_date_and_authors_properties():
    assert parse_citation("Coles, Britton and Hicks 2004").authors == "Coles, Britton & Hicks"
    assert parse_citation("Johnson et al (2003b)").authors == "Johnson et al."
    assert parse_citation("Johnson et al (2003b)").date == "2003b"
    assert parse_citation("Smith n.d.-a").date == "n.d.-a"
    assert parse_citation("Park & Turnbull").date == ""


@given(st.text(max_size=MAX_LENGTH + 20))
def test_arbitrary_text_gives_a_citation_or_a_citation_error(text):
    try:
        citation = parse_citation(text)
    except CitationError:
        return
    assert citation.raw == text
    assert citation.surnames
    assert all(name.strip() for name in citation.surnames)


_NAME = st.from_regex(r"[A-Z][a-z]{2,9}(-[A-Z][a-z]{2,8})?", fullmatch=True)


@given(
    st.lists(_NAME, min_size=1, max_size=5),
    st.integers(1500, 2099),
    st.sampled_from(["", "a", "b"]),
)
def test_labels_read_back(surnames, year, suffix):
    label = author_date_label(surnames, year, suffix)
    citation = parse_citation(label)
    shown = surnames[:1] if len(surnames) > 2 else surnames
    assert citation.surnames == tuple(shown)
    assert citation.et_al == (len(surnames) > 2)
    assert (citation.year, citation.year_suffix) == (year, suffix)


_MONTHS = st.sampled_from(["January", "May", "September", "December"])
_DATE_FORMS = {
    "original": lambda y, s, m, d: f"{y}{s} [{y - 2}]",
    "escaped original": lambda y, s, m, d: f"{y}{s} \\[{y - 30}\\]",
    "alternate": lambda y, s, m, d: f"{y}/{y + 1}{s}",
    "short alternate": lambda y, s, m, d: f"{y}/{(y + 1) % 100:02d}{s}",
    "month first": lambda y, s, m, d: f"{m} {d}, {y}{s}",
    "year first": lambda y, s, m, d: f"{y}{s}, {m} {d}",
}


@given(
    _NAME,
    st.integers(1600, 2098),
    st.sampled_from(["", "a"]),
    _MONTHS,
    st.integers(1, 31),
    st.sampled_from(sorted(_DATE_FORMS)),
    st.sampled_from(["{name} {date}", "{name} ({date})", "({name}, {date})"]),
)
def test_a_printed_date_gives_its_first_year(name, year, suffix, month, day, form, shape):
    date = _DATE_FORMS[form](year, suffix, month, day)
    citation = parse_citation(shape.format(name=name, date=date))
    assert citation.surnames == (name,)
    assert (citation.year, citation.year_suffix) == (year, suffix)


@given(_NAME, st.integers(1600, 2099), st.integers(1, 999), st.sampled_from(["2", "xii", "IV"]))
def test_volume_and_page_read_as_one_locator(name, year, page, volume):
    citation = parse_citation(f"{name} ({year}, {volume}:{page})")
    assert (citation.surnames, citation.year, citation.locator) == (
        (name,),
        year,
        f"{volume}:{page}",
    )


# words the general rules read specially, among ordinary surnames and near-misses
_SPECIAL_WORDS = "See Also Compare Cf The Others Colleagues Oy Ltd And Et Al Van Of J Jo Mc E"
_WORD = st.one_of(  # two ordinary surnames in three
    st.from_regex(r"[A-Z][a-z]{1,6}", fullmatch=True),
    st.from_regex(r"[A-Z][a-z]{1,6}", fullmatch=True),
    st.sampled_from(_SPECIAL_WORDS.split()),
)
_WELL_FORMED = {
    "join": [" and ", ", and ", " & ", ", & ", ", "],
    "et_al": ["", " et al.", " et al"],
    "date": [" {}", ", {}", " ({})", "({}"],  # the last: a parenthesis opened around it all
    "suffix": ["", "a", "ab"],
}
_NOISY = {
    "join": [",", " ", " AND ", "  and ", " and"],
    "et_al": [" et al.,", " Et al.", " and others", " et. al."],
    "date": ["{}", " (({})", ",  {}", " {})", "({}))", "see {}", "{}."],
    "suffix": ["abc", "A"],
}


@settings(max_examples=1000)  # about one in eight texts takes the fast reading
@given(
    st.booleans(),
    st.lists(_WORD, min_size=1, max_size=5),
    st.data(),
    st.integers(990, 2210),
)
def test_the_fast_reading_of_common_forms_agrees_with_the_general_rules(noisy, words, data, year):
    def pick(part):
        choices = _WELL_FORMED[part] + (_NOISY[part] if noisy else [])
        return data.draw(st.sampled_from(choices), label=part)

    names = words[0] + "".join(pick("join") + word for word in words[1:])
    date = pick("date")
    text = names + pick("et_al") + date.format(f"{year}{pick('suffix')}")
    if date.startswith("("):
        text = "(" + text.replace("(", "", 1) + ")"
    fast = _parse_simple(text)
    if fast is not None:
        assert fast == _parse_general(text)


@pytest.mark.parametrize(
    "text",
    ["Smith 2003", "Smith and Jones, 2003a", "(Smith et al., 2003)", "Smith & Jones (2003)"],
)
def test_the_common_forms_take_the_fast_reading(text):
    assert _parse_simple(text) == _parse_general(text) == parse_citation(text)
    assert _parse_simple(text) is not None
