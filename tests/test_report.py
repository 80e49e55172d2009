"""Briefings: structure and escaping (the HTML parsed, never grepped), determinism, templates."""

import io
import json
import re
from html.parser import HTMLParser

import pytest

import evidence
from evidence.cli import main
from evidence.errors import RenderError, SettingsError
from evidence.rate import RATINGS
from evidence.references import format_reference
from evidence.report import md_escape

HOSTILE = "<script>alert(1)</script> {{ 7*7 }} & \"q\" 'a' *_[x]# | @k $x$"
DATE = "2024-05-01"


class Page(HTMLParser):
    """The parts of an HTML document the tests look at."""

    VOID = ("meta", "br", "img", "link", "circle", "input", "hr")

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.tags, self.ids, self.stack, self.texts = [], set(), [], []
        self.element_text = {}  # id -> the text inside that element
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        parents = tuple(t for t, _ in self.stack)
        parent_ids = frozenset(i for _, i in self.stack if i)
        self.tags.append((tag, attrs, parents, parent_ids))
        if "id" in attrs:
            assert attrs["id"] not in self.ids, f"duplicate id {attrs['id']}"
            self.ids.add(attrs["id"])
        if tag not in self.VOID:
            self.stack.append((tag, attrs.get("id")))
            if attrs.get("id"):
                self.element_text[attrs["id"]] = []

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in self.VOID or tag not in [t for t, _ in self.stack]:
            return
        while self.stack:
            open_tag, _ = self.stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        self.texts.append(data)
        for _, ident in self.stack:
            if ident:
                self.element_text[ident].append(data)

    @property
    def text(self):
        return "".join(self.texts)

    def text_of(self, ident):
        return " ".join("".join(self.element_text[ident]).split())

    def find(self, tag, **attrs):
        return [
            a
            for t, a, _, _ in self.tags
            if t == tag and all(a.get(k) == v for k, v in attrs.items())
        ]

    def inside(self, tag, parent):
        return [a for t, a, parents, _ in self.tags if t == tag and parent in parents]


@pytest.fixture(scope="module")
def example():
    return evidence.load_example()


@pytest.fixture(scope="module")
def example_html(example):
    return example.report(date=DATE)


@pytest.fixture
def hostile(tmp_path):
    (tmp_path / "refs.bib").write_text(
        "@article{evil2020,\n"
        "  author = {Evil, Eve},\n"
        '  title = {<script>alert(1)</script> \\& "quoted" *_[x]# | @k},\n'
        '  journal = {=HYPERLINK("http://evil")},\n'
        "  year = {2020},\n"
        "  url = {javascript:alert(1)},\n"
        "  evidence_type = {commentary}\n}\n"
    )
    label = HOSTILE.replace('"', '""')
    (tmp_path / "themes.csv").write_text(
        f'id,label,category,description\nevil,"{label}",barrier,"<b>bold</b> {{{{ x }}}}"\n'
        "empty,Nothing here,success_factor,\n"
    )
    (tmp_path / "barriers.csv").write_text(
        "study,theme,stance,key,quote,page,source\n"
        f'Evil 2020,evil,supports,evil2020,"{label}","<i>7</i>","=1+1"\n'
        f'"{label} 1999",evil,contradicts,,"-2+3",,@SUM(A1)\n'
    )
    return evidence.load(tmp_path / "refs.bib", tmp_path / "barriers.csv", tmp_path / "themes.csv")


# ---------------------------------------------------------------------------------------------
# HTML from the bundled data


def test_html_has_every_section_and_nothing_external(example_html):
    page = Page(example_html)
    for section in (
        "glance",
        "summary",
        "gap-map",
        "themes",
        "discrepancies",
        "method",
        "references",
    ):
        assert section in page.ids
    assert not [t for t, *_ in page.tags if t in ("script", "link", "img", "iframe", "object")]
    for tag, attrs, _, parent_ids in page.tags:
        for name in ("src", "href", "action", "srcset", "xlink:href"):
            value = attrs.get(name)
            if value is None or value.startswith("#"):
                continue
            # the only way out of the page: links to a reference's DOI or web page
            assert tag == "a" and name == "href" and re.match(r"https?://", value), (tag, attrs)
            assert "references" in parent_ids
    csp = page.find("meta", **{"http-equiv": "Content-Security-Policy"})
    assert "default-src 'none'" in csp[0]["content"]


def test_internal_links_point_at_existing_ids(example_html):
    page = Page(example_html)
    targets = {a["href"][1:] for a in page.find("a") if a.get("href", "").startswith("#")}
    assert targets and targets <= page.ids


def test_summary_table_has_a_row_per_theme_by_category(example, example_html):
    page = Page(example_html)
    summary = example.summary()
    rows = page.inside("th", "tbody")
    assert len([a for a in rows if a.get("scope") == "row"]) >= len(summary)
    groups = [a for a in rows if a.get("scope") == "rowgroup"]
    assert len(groups) == summary["category"].nunique()
    text = page.text_of("summary")
    for row in summary.itertuples():
        assert row.label in text
        assert " ".join(row.reason.split()) in text


def test_ratings_are_written_in_words_beside_their_colour(example_html):
    page = Page(example_html)
    badges = [a for a in page.find("span") if a.get("class") == "rating"]
    assert badges
    for attrs in badges:
        assert "background:#" in attrs["style"]
    words = re.findall(r'class="rating"[^>]*>([^<]*)<', example_html)
    assert set(words) <= set(RATINGS) and {"strong", "inconclusive"} <= set(words)


def test_gap_map_is_a_table_with_headers_and_one_row_per_theme(example, example_html):
    page = Page(example_html)
    matrix = example.crosstab(rows="theme", cols="evidence_type")
    fragment = Page(example.gap_map().to_html())
    assert len([a for a in fragment.find("th") if a.get("scope") == "row"]) == len(matrix)
    assert (
        len([a for a in fragment.find("th") if a.get("scope") == "col"]) == len(matrix.columns) + 2
    )
    assert len(fragment.find("circle")) == int((matrix.to_numpy() > 0).sum())
    assert "gap-map" in page.ids


def test_co_terminosity_section_shows_rating_reason_and_grouped_quotes(example, example_html):
    page = Page(example_html)
    view = example.theme("co-terminosity")
    anchor = next(
        a["id"]
        for a in page.find("section")
        if a.get("class") == "theme" and view.theme.label in page.text_of(a["id"])[:40]
    )
    text = page.text_of(anchor)
    assert "inconclusive" in text and " ".join(view.reason.split()) in text
    assert "Mixed or inconclusive (1 study)" in text and "Supports (2 studies)" in text
    assert "conclude that the evidence in the literature is inconclusive" in text


def test_discrepancies_list_every_problem_with_citation_and_entry(example, example_html):
    page = Page(example_html)
    text = page.text_of("discrepancies")
    for problem in example.problems:
        assert " ".join(problem.message.split()) in text
    assert "Rushmore & Pallis 2002" in text  # as written
    assert "Rushmer & Pallis 2003" in text  # what it resolved to


def test_reference_list_has_each_cited_entry_once_in_apa(example, example_html):
    page = Page(example_html)
    items = page.inside("li", "ul")
    refs = [a for a in items if a.get("id", "").startswith("ref-")]
    cited = set(example.tags["key"].dropna())
    assert len(refs) == len(cited)
    text = page.text_of("references")
    assert "Cameron, A., & Lart, R. (2003). Factors Promoting" in text
    assert "van Eyk, H., & Baum, F. (2002)." in text
    assert "https://doi.org/10.1046/j.1365-2524.2002.00369.x" in text


def test_print_css_sets_a4_and_keeps_rows_whole(example_html):
    style = example_html[example_html.index("<style>") : example_html.index("</style>")]
    assert "@page { size: A4" in style
    assert "thead { display: table-header-group; }" in style
    assert "break-inside: avoid" in style


# ---------------------------------------------------------------------------------------------
# Escaping


def test_hostile_strings_are_text_in_html(hostile):
    html = hostile.report(date=DATE, title=HOSTILE)
    page = Page(html)
    assert page.text_of("glance")  # the document parsed through to the sections
    assert HOSTILE in [t.strip() for t in page.texts]  # <title> and <h1>, as text
    assert not page.find("script") and not page.find("img") and not page.find("b")
    text = page.text
    assert HOSTILE in text  # theme label and quote, exactly, as text
    assert "{{ x }}" in text and "49" not in text
    assert "<i>7</i>" in text  # the page, as written
    links = [a["href"] for a in page.find("a") if not a["href"].startswith("#")]
    assert links == []  # javascript: URLs are never links
    assert "javascript:alert(1)" not in html


def test_hostile_strings_in_notebook_views(hostile):
    for fragment in (
        hostile._repr_html_(),
        hostile.theme("evil")._repr_html_(),
        hostile.gap_map()._repr_html_(),
    ):
        page = Page(fragment)
        assert not page.find("script") and not page.find("img")
        assert "<script>alert(1)</script>" in page.text


def test_markdown_escapes_metacharacters(hostile):
    text = hostile.report(format="md", date=DATE)
    escaped = md_escape(HOSTILE)
    assert HOSTILE not in text and escaped in text
    assert escaped == (
        r'\<script\>alert(1)\</script\> \{\{ 7\*7 \}\} \& "q" '
        + "'a' "
        + r"\*\_\[x\]\# \| \@k \$x\$"
    )
    front = text.split("---\n")[1]
    assert json.loads(front.splitlines()[0].removeprefix("title: ")) == "Evidence briefing"
    assert "[@evil2020]" in text
    assert f"- {md_escape(HOSTILE + ' 1999')} (unknown)\n" in text  # escaped once
    # a | in the data cannot add a table cell
    cells = re.compile(r"(?<!\\)\|")
    header = next(line for line in text.splitlines() if line.startswith("| Theme | Category"))
    row = next(line for line in text.splitlines() if line.startswith("| " + escaped))
    assert len(cells.findall(row)) == len(cells.findall(header))


def test_markdown_title_is_escaped_in_yaml(example):
    text = example.report(format="md", date=DATE, title='A "title" with <b>*stars*</b>')
    line = text.splitlines()[1]
    assert json.loads(line.removeprefix("title: ")) == md_escape('A "title" with <b>*stars*</b>')


def test_markdown_from_bundled_data_cites_keys_and_leaves_references_to_pandoc(example, tmp_path):
    path = example.report(tmp_path / "briefing.md", date=DATE)
    text = path.read_text()
    assert "[@cameron2003factors]" in text
    assert "::: {#refs}" in text
    bib = json.loads(re.search(r"^bibliography: (.*)$", text, re.M).group(1))
    assert (tmp_path / bib).resolve() == example.sources["bib"].resolve()
    for heading in ("At a glance", "Summary of the evidence", "Evidence gap map", "Discrepancies"):
        assert f"## {heading}" in text
    assert "### Co-terminosity\n\n**Rating: inconclusive.**" in text


# ---------------------------------------------------------------------------------------------
# Determinism, writing, options, templates


def test_rendering_twice_gives_identical_bytes(example, tmp_path):
    for fmt in ("html", "md"):
        first = example.report(tmp_path / f"a.{fmt}", date=DATE).read_bytes()
        second = example.report(tmp_path / f"b.{fmt}", date=DATE).read_bytes()
        assert first == second
        assert example.report(format=fmt, date=DATE) == example.report(format=fmt, date=DATE)
    assert b"\r\n" not in first


def test_date_defaults_to_today_and_is_validated(example):
    import datetime

    assert datetime.date.today().isoformat() in example.report()
    assert "2024-05-01" in example.report(date=datetime.date(2024, 5, 1))
    with pytest.raises(SettingsError):
        example.report(date="May 2024")
    with pytest.raises(SettingsError):
        example.report(format="pdf")
    with pytest.raises(SettingsError):
        example.report(gap_cols="colour")


def test_gap_map_axes_are_configurable(example):
    html = example.report(date=DATE, gap_rows="category", gap_cols="sector")
    assert "success factor" in Page(html).text_of("gap-map")
    fragment = example.gap_map(rows="category", cols="sector")
    assert fragment.ratings is None and fragment.rated_axis is None
    flipped = example.gap_map(rows="sector", cols="theme")
    assert flipped.rated_axis == "cols" and len(flipped.ratings) == len(example.themes)
    assert "(inconclusive)" in Page(flipped.to_html()).text


def test_template_dir_overrides_by_name(example, tmp_path):
    (tmp_path / "style.css.j2").write_text("body { color: rebeccapurple; }\n")
    html = example.report(date=DATE, template_dir=tmp_path)
    assert "rebeccapurple" in html and "Co-terminosity" in html


def test_broken_or_missing_templates_are_render_errors(example, tmp_path):
    (tmp_path / "theme.html.j2").write_text("<h3>{{ theme.label }</h3>\n")
    with pytest.raises(RenderError) as caught:
        example.report(template_dir=tmp_path)
    assert caught.value.line == 1
    (tmp_path / "theme.html.j2").write_text('{% include "nope.html.j2" %}\n')
    with pytest.raises(RenderError, match=r"nope\.html\.j2"):
        example.report(template_dir=tmp_path)
    with pytest.raises(RenderError, match="does not exist"):
        example.report(template_dir=tmp_path / "missing")


def test_a_failed_render_leaves_the_old_file(example, tmp_path):
    target = tmp_path / "briefing.html"
    target.write_text("old")
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "briefing.html.j2").write_text("{{ nope.nothing }}")
    with pytest.raises(RenderError):
        example.report(target, template_dir=tmp_path / "t")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["briefing.html", "t"]


def test_plain_reprs_stay_text(example):
    assert repr(example).startswith("<EvidenceBase:")
    assert "Co-terminosity" in repr(example.theme("co-terminosity"))
    text = repr(example.gap_map())
    assert text.startswith("<GapMap: theme x evidence_type>") and "<" not in text[30:]


def test_notebook_view_of_the_base_lists_themes_with_badges(example):
    page = Page(example._repr_html_())
    assert len([a for a in page.find("span") if a.get("class") == "rating"]) == len(example.themes)


# ---------------------------------------------------------------------------------------------
# References


def _ref(**fields):
    return format_reference({"key": "k", **fields}).text


def test_reference_types_follow_apa():
    assert _ref(
        entry_type="book", year=1978, title="Economy and Society", author="Weber, Max",
        editor="Roth, G. and Wittich, C.", publisher="University of California Press",
    ) == (
        "Weber, M. (1978). Economy and Society (G. Roth & C. Wittich, Eds.). "
        "University of California Press."
    )  # fmt: skip
    assert _ref(
        entry_type="incollection", year=2003, title="Managing", author="Charlesworth, Julie",
        editor="Seden, J. and Reynolds, J.", booktitle="Care", pages="1--20", publisher="Routledge",
    ) == (
        "Charlesworth, J. (2003). Managing. In J. Seden & J. Reynolds (Eds.), Care (pp. 1–20). "
        "Routledge."
    )  # fmt: skip
    assert _ref(
        entry_type="techreport", year=2001, title="Joining Up", author="{National Audit Office}",
        institution="National Audit Office", number="383",
    ) == "National Audit Office. (2001). Joining Up (Report No. 383)."  # fmt: skip
    assert (
        _ref(entry_type="phdthesis", title="Trust", author="Doe, Jane", school="Uni")
        == "Doe, J. (n.d.). Trust [Doctoral dissertation, Uni]."
    )
    assert _ref(entry_type="misc", title="Why?", year=2012, url="https://x.org/a") == (
        "Why? (2012). https://x.org/a"
    )
    assert _ref(entry_type="article", author="Smith, J. and others", year=2003, title="T") == (
        "Smith, J., et al. (2003). T."
    )


def test_reference_author_lists():
    many = " and ".join(f"Author{i}, A." for i in range(25))
    text = _ref(entry_type="article", author=many, year=2000, title="T")
    assert text.startswith("Author0, A., Author1, A.,") and ", . . . Author24, A. (2000)" in text
    assert _ref(entry_type="misc", author="Crouch and Johnson", year=2003) == (
        "Crouch & Johnson. (2003)."
    )
    assert _ref(entry_type="misc", author="Jean-Paul Sartre and John Smith Jr.", year=1) == (
        "Sartre, J.-P., & Smith, J., Jr. (1)."
    )


# ---------------------------------------------------------------------------------------------
# Command line


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_cli_report_without_arguments_writes_briefing_html(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run("report", "--date", DATE)
    assert code == 0
    assert (tmp_path / "briefing.html").read_text() == evidence.load_example().report(date=DATE)
    assert "wrote the html briefing to briefing.html" in err and "bundled example" in err
    assert "briefing.html" in out


def test_cli_report_format_follows_the_extension(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, _ = run("report", "-o", "b.md", "--date", DATE, "--title", "T", "--gap-cols", "sector")
    text = (tmp_path / "b.md").read_text()
    assert (
        code == 0 and text.startswith('---\ntitle: "T"') and "| Theme | Rating | children" in text
    )


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (("report", "-o", "b.pdf"), "must end in .html or .md"),
        (("report", "--date", "2024-13-01"), "not a date"),
        (("report", "--template", "missing"), "template folder does not exist"),
    ],
)
def test_cli_report_errors_are_one_line_and_exit_2(tmp_path, monkeypatch, argv, needle):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(*argv)
    assert code == 2 and needle in err.splitlines()[-1]
    assert not (tmp_path / "briefing.html").exists()
