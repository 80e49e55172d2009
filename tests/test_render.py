"""The converters that make the extraction benchmark's evaluation sets (benchmarks/render.py).

The JATS converter is tested on small hand-written articles and on the real
eLife files of the shared corpus (read in place); the pandoc renderer on a tiny
hand-written bibliography and on a real one. Tests that need pandoc skip when
it is absent.
"""

from __future__ import annotations

import doctest
import importlib.util
import random
import sys
import xml.etree.ElementTree as ET

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from evidence.bib import Bibliography
from evidence.names import fold
from evidence.resolve import resolve

from conftest import CORPUS_BIB, ROOT

_SPEC = importlib.util.spec_from_file_location("render", ROOT / "benchmarks" / "render.py")
render = importlib.util.module_from_spec(_SPEC)
sys.modules.setdefault("render", render)
_SPEC.loader.exec_module(render)

JATS = CORPUS_BIB.parent / "jats" / "elife"
STATS_BIB = CORPUS_BIB / "zotero_bbt_statistical_inferences_metascience.bib"

needs_pandoc = pytest.mark.skipif(
    render.pandoc_version() is None,
    reason="pandoc 2.11 or later (with --citeproc) is not installed: apt-get install pandoc",
)

ARTICLE = """<?xml version="1.0" encoding="UTF-8"?>
<article xmlns:xlink="http://www.w3.org/1999/xlink"><front><article-meta/></front>
<body>
<sec id="s1"><title>Introduction</title>
<p>Cells   differ (<xref ref-type="bibr" rid="bib1">Balaban et al., 2004</xref>;
<xref ref-type="bibr" rid="bib2">Shibata and Ueda, 2008a</xref>,
<xref ref-type="bibr" rid="bib3">2008b</xref>) in growth
<inline-formula><mml:math xmlns:mml="http://www.w3.org/1998/Math/MathML"><mml:mi>x</mml:mi>
</mml:math></inline-formula> and size (<xref ref-type="fig" rid="fig1">Figure 1</xref>).</p>
<fig id="fig1"><label>Figure 1.</label><caption><title>A caption title</title>
<p>Caption text that cites <xref ref-type="bibr" rid="bib1">Balaban et al., 2004</xref>.</p>
</caption></fig>
<sec id="s1-1"><title>Persistence in populations</title>
<p>As <xref ref-type="bibr" rid="bib4">The PLOS Medicine Editors (2006)</xref> noted:</p>
<table-wrap id="t1"><label>Table 1.</label><table><tr><td>cell 2004</td></tr></table></table-wrap>
<p>A list follows.<list><list-item><p>First item.</p></list-item></list> After it.</p>
</sec></sec>
</body>
<back><ref-list><title>References</title>
<ref id="bib1"><element-citation publication-type="journal">
<person-group person-group-type="author">
<name><surname>Balaban</surname><given-names>NQ</given-names></name>
<name><surname>Merrin</surname><given-names>J</given-names></name>
<name><surname>Chait</surname><given-names>R</given-names></name></person-group>
<year iso-8601-date="2004">2004</year><article-title>Bacterial persistence as a
<italic>phenotypic</italic> switch</article-title><source>Science</source>
<pub-id pub-id-type="doi">10.1126/science.1099390</pub-id></element-citation></ref>
<ref id="bib2"><element-citation publication-type="journal">
<person-group person-group-type="author">
<name><surname>Shibata</surname><given-names>T</given-names></name>
<name><surname>Ueda</surname><given-names>M</given-names></name></person-group>
<year>2008a</year><article-title>Noise {and} signal</article-title><source>Biosystems</source>
</element-citation></ref>
<ref id="bib3"><element-citation publication-type="book"><person-group person-group-type="author">
<name><surname>Shibata</surname><given-names>T</given-names></name>
<name><surname>Ueda I</surname></name></person-group>
<year>2008b</year><source>Noise and signal, again</source></element-citation></ref>
<ref id="bib4"><element-citation publication-type="journal">
<person-group person-group-type="author">
<collab>The PLOS Medicine Editors</collab></person-group><year>2006</year>
<article-title>The impact factor game</article-title><source>PLOS Medicine</source>
</element-citation></ref>
</ref-list></back></article>
"""


@pytest.fixture(scope="module")
def article():
    root = ET.fromstring(ARTICLE)
    return render.jats_body(root), render.jats_bibtex(root)


def test_jats_body_keeps_titles_on_their_own_lines_and_drops_figures_tables_formulas(article):
    (text, _), _ = article
    blocks = text.strip().split("\n\n")
    assert blocks[0] == "Introduction"
    assert "Persistence in populations" in blocks
    assert "Caption text" not in text and "A caption title" not in text
    assert "cell 2004" not in text and "Table 1" not in text
    assert "Figure 1." not in text  # the figure's label; the callout "(Figure 1)" stays
    assert "(Figure 1)" in text
    assert "Cells differ (" in text  # whitespace collapsed
    assert "in growth and size" in text  # the formula left out
    assert "A list follows." in blocks and "First item." in blocks and "After it." in blocks


def test_jats_callouts_are_spans_of_their_xref_text_with_rid_and_section(article):
    (text, callouts), _ = article
    found = [(text[s:e], rid, section) for s, e, rid, section in callouts]
    assert found == [
        ("Balaban et al., 2004", "bib1", "Introduction"),
        ("Shibata and Ueda, 2008a", "bib2", "Introduction"),
        ("2008b", "bib3", "Introduction"),
        ("The PLOS Medicine Editors (2006)", "bib4", "Persistence in populations"),
    ]


def test_jats_references_become_bibtex_that_evidence_reads(article):
    _, bibtex = article
    bib = Bibliography.from_string(bibtex)
    entries = bib.entries.set_index("key")
    assert list(entries.index) == ["bib1", "bib2", "bib3", "bib4"]
    assert entries.loc["bib1", "authors"] == ("Balaban", "Merrin", "Chait")
    assert entries.loc["bib1", "title"] == "Bacterial persistence as a phenotypic switch"
    assert entries.loc["bib1", "doi"] == "10.1126/science.1099390"
    assert entries.loc["bib2", "year"] == 2008 and entries.loc["bib2", "year_suffix"] == "a"
    assert entries.loc["bib3", "authors"] == ("Shibata", "Ueda")  # "Ueda I": surname, initial
    assert entries.loc["bib4", "authors"] == ("The PLOS Medicine Editors",)
    assert not [p for p in bib.problems if p.severity == "error"]


@pytest.mark.parametrize("path", sorted(JATS.glob("*.xml")), ids=lambda p: p.stem)
def test_real_elife_articles_convert_with_every_callout_tied_to_a_reference(path):
    doc = render.jats_document(path)
    root = ET.parse(path).getroot()
    body = root.find(".//body")
    outside = {  # callouts in figures, tables, captions ... are left out with them
        id(x)
        for element in body.iter()
        if render._local(element.tag) in render._SKIPPED
        for x in element.iter()
    }
    xrefs = [
        "".join(x.itertext())
        for x in body.iter("xref")
        if x.get("ref-type") == "bibr" and id(x) not in outside
    ]
    assert [" ".join(doc.text[s.start : s.end].split()) for s in doc.spans] == [
        " ".join(x.split()) for x in xrefs
    ]
    assert all(span.key is not None for span in doc.spans)
    entries = doc.bibliography().entries
    assert len(entries) == len(root.findall(".//ref-list/ref"))
    assert entries["year"].notna().all()
    assert not any(caption in doc.text for caption in _caption_texts(body))


def _caption_texts(body):
    for caption in body.iter("caption"):
        text = " ".join("".join(caption.itertext()).split())
        if len(text) > 80:  # a caption, whole: its opening words may recur in the prose
            yield text


def test_locate_cuts_a_cluster_into_its_keys():
    printed = {
        "l25a": render._Printed("Lakens 2025a", "Lakens", "2025a"),
        "l25b": render._Printed("Lakens 2025b", "Lakens", "2025b"),
        "al18": render._Printed("Albers and Lakens 2018", "Albers and Lakens", "2018"),
        "la18": render._Printed("Lakens 2018", "Lakens", "2018"),
    }
    text = "(see Lakens 2025b, 2025a; Albers and Lakens 2018; Lakens 2018, 33–35)"
    cluster = render.Cluster(("l25b", "l25a", "al18", "la18"), False, ("", "", "", "p. 33"))
    spans = render._locate(text, cluster, printed)
    assert [text[s:e] for s, e in spans] == [
        "Lakens 2025b",
        "2025a",
        "Albers and Lakens 2018",
        "Lakens 2018, 33–35",
    ]
    # Chicago puts "; " after a collapsed year when a locator follows
    text = "(Lakens 2025a; 2025b, chap. 3)"
    cluster = render.Cluster(("l25a", "l25b"), False, ("", "chap. 3"))
    assert [text[s:e] for s, e in render._locate(text, cluster, printed)] == [
        "Lakens 2025a",
        "2025b, chap. 3",
    ]


def test_locate_refuses_what_the_keys_do_not_explain():
    printed = {"al18": render._Printed("Albers and Lakens 2018", "Albers and Lakens", "2018")}
    with pytest.raises(render.RenderError):
        render._locate("(Albers and Lakens 2018; Smith 2003)", render.Cluster(("al18",)), printed)
    with pytest.raises(render.RenderError):
        render._locate("(Albers 2018)", render.Cluster(("al18",)), printed)


def test_noise_never_lands_on_another_entry():
    source = render.Source("s", {}, {}, frozenset({"smith", "smyth", "jones"}), {})
    rng = random.Random(3)
    for _ in range(200):
        typo = render._noisy_typo("Smith and Jones 2003", source, rng)
        assert typo is None or fold(typo.split()[0]) not in source.surnames
    taken = {("smith", 2002)}
    for _ in range(50):
        assert render._noisy_year("Smith 2003, 12", ("smith", 2003), taken, rng) == (
            "Smith 2004, 12"
        )
    assert render._noisy_year("Smith 2003", ("smith", 2003), taken | {("smith", 2004)}, rng) is None


def test_pair_up_is_one_to_one_largest_overlap_first():
    assert render.pair_up([(0, 5), (10, 15)], [(3, 12)]) == {0: 0}
    assert render.pair_up([(0, 5)], [(0, 2), (1, 5)]) == {0: 1}
    assert render.pair_up([], [(0, 1)]) == {}
    assert doctest.testmod(render).failed == 0


TINY_BIB = """
@article{apple, author = {Smith, John}, title = {Apple}, year = {2003}, journal = {J}}
@article{zebra, author = {Smith, John}, title = {The Zebra}, year = {2003}, journal = {J}}
@article{jones, author = {Jones, Ann and Lee, Bo}, title = {Things}, year = {2010}, journal = {J}}
@article{garcia, author = {Garcia, Ana and Ito, Ken and Kim, Lee and Ode, Max},
  title = {Four}, year = {2015}, journal = {J}}
@techreport{who, author = {{World Health Organization}}, title = {Report}, year = {2019}}
"""


@needs_pandoc
def test_rendered_tiny_review_lines_up_with_what_pandoc_printed(tmp_path):
    path = tmp_path / "tiny.bib"
    path.write_text(TINY_BIB, encoding="utf-8")
    source = render.load_source(path)
    assert sorted(source.raw) == ["apple", "garcia", "jones", "who", "zebra"]
    clusters = [
        render.Cluster(("zebra", "apple"), False, ("", "")),
        render.Cluster(("jones",), True, ("p. 12",)),
        render.Cluster(("garcia", "who"), False, ("", "")),
    ]
    keys = ["zebra", "apple", "jones", "garcia", "who"]
    o, c = render.OPEN, render.CLOSE
    probes = " ".join(
        f"{render.PARENS_PROBE}[@{k}]{c} {render.NARRATIVE_PROBE}@{k}{c}" for k in keys
    )
    markdown = (
        "---\nsuppress-bibliography: true\n---\n\n# Costs\n\n"
        f"Costs rose {o}[@zebra; @apple]{c}. {o}@jones [p. 12]{c} agree.\n\n"
        f"# 2. What Works?\n\nTeams help {o}[@garcia; @who]{c}.\n\n"
        f"{render.PROBES}\n\n{probes}\n"
    )
    plan = render.Plan(
        "tiny", markdown, clusters, ["Costs", "2. What Works?"], keys, frozenset(), 1, "plain"
    )
    doc = render.render_plan(source, plan, "chicago", typo_rate=0, year_rate=0)
    printed = {span.key: doc.text[span.start : span.end] for span in doc.spans}
    # "Apple" sorts before "The Zebra" with or without the article; collapsed after Smith
    assert (printed["zebra"], printed["apple"]) == ("Smith 2003b", "2003a")
    assert printed["jones"].startswith("Jones and Lee (2010") and "12" in printed["jones"]
    assert printed["garcia"].startswith("Garcia") and printed["garcia"].endswith("2015")
    assert printed["who"] == "World Health Organization 2019"
    assert [span.section for span in doc.spans] == ["Costs"] * 3 + ["2. What Works?"] * 2
    assert render.OPEN not in doc.text and render.PROBES not in doc.text
    assert "Teams help (" in doc.text


@needs_pandoc
def test_rendered_reviews_of_a_real_bibliography_cite_the_true_entries():
    if not STATS_BIB.is_file():
        pytest.skip(f"the shared corpus is not at {CORPUS_BIB}")
    source = render.load_source(STATS_BIB)
    plan = render.plan_reviews(source, 1, seed=7, n_sections=2, n_keys=12)[0]
    entries = Bibliography.from_file(STATS_BIB).entries.set_index("key")
    for style in render.available_styles()[:2]:
        doc = render.render_plan(source, plan, style, typo_rate=0, year_rate=0)
        assert len(doc.spans) == sum(len(c.keys) for c in plan.clusters)
        given = doc.bibliography()
        for span in doc.spans:
            text = doc.text[span.start : span.end]
            entry = entries.loc[span.cited]
            assert str(entry.year) in text, (style, text, span.cited)
            if not render._YEAR_TEXT.match(text):  # a year after the same authors: no names
                surname = fold(entry.authors[0]).split()[-1]
                assert surname in fold(text), (style, text, span.cited)
            assert (span.key in given) == (span.cited not in plan.dropped)
        starts = [span.start for span in doc.spans]
        assert starts == sorted(starts)
        assert all(a.end <= b.start for a, b in zip(doc.spans, doc.spans[1:], strict=False))


#: Titles that sort differently by case, accents, punctuation, spaces and articles.
TRICKY_TITLES = [
    "Gaia.",
    "Gaia Erratum.",
    "GAIA photometry news, July",
    "Gaia photometry news - November",
    "N.Pa-O lexicon",
    "N. words in Riang",
    "notesjottings",
    "Draft letter, incomplete",
    "Draft letter to Colonel",
    "An orange",
    "The zebra",
    "Lemon",
    "Émile",
    "Emile",
    "x 10",
    "x 2",
]


@needs_pandoc
@hypothesis_settings(max_examples=15, deadline=None)
@given(
    titles=st.lists(st.sampled_from(TRICKY_TITLES), min_size=2, max_size=6, unique=True),
    months=st.lists(st.integers(0, 3), min_size=6, max_size=6),
    style=st.sampled_from([s for s in ("chicago", "apa") if s in render.available_styles()]),
)
def test_pandoc_suffixes_resolve_to_the_true_work_or_to_none(titles, months, style):
    entries = [
        f"@article{{w{i}, author = {{Lindegren, L.}}, title = {{{title}}}, year = 1998"
        + (f", month = {months[i]}" if months[i] else "")
        + "}"
        for i, title in enumerate(titles)
    ]
    bibtex = "\n".join(entries)
    keys = [f"w{i}" for i in range(len(titles))]
    printed = dict(render._probe(keys, bibtex, style))
    settings = render.STYLE_SETTINGS[style]
    found = resolve(list(printed.values()), Bibliography.from_string(bibtex), settings=settings)
    for key, text, given_key in zip(printed, printed.values(), found["key"], strict=True):
        assert given_key is pd.NA or given_key == key, f"{text} is {key}, not {given_key}"
