from __future__ import annotations

import logging
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evidence.latex import decode_latex

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "bib"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # umlaut in every brace form
        (r"M{\"u}ller", "Müller"),
        (r"M\"{u}ller", "Müller"),
        (r"M\"uller", "Müller"),
        (r"M{\"{u}}ller", "Müller"),
        (r"M\" uller", "Müller"),
        # acute, grave, circumflex, tilde, macron, dot
        (r"\'{e}t\'e", "été"),
        (r"{\'e}", "é"),
        (r"\`{a} la", "à la"),
        (r"{\`a}", "à"),
        (r"h\^otel", "hôtel"),
        (r"Espa\~na", "España"),
        (r"Go\~{n}i", "Goñi"),
        (r"\=a", "ā"),
        (r"\.z", "ż"),
        (r"Ro{\.z}ek", "Rożek"),
        # letter accents
        (r"\u{a}", "ă"),
        (r"U{\u{g}}urbil", "Uğurbil"),
        (r"\v{s}", "š"),
        (r"Barto{\v s}", "Bartoš"),
        (r"Erd\H{o}s", "Erdős"),
        (r"Sz{\H u}cs", "Szűcs"),
        (r"Fran\c{c}ois", "François"),
        (r"Fran\c cois", "François"),
        (r"P{\k e}kala", "Pękala"),
        (r"\k{a}", "ą"),
        (r"\r{a}", "å"),
        (r"{\r{A}}", "Å"),
        (r"\d{a}", "ạ"),
        (r"\b{a}", "a̱"),
        (r"\t{oo}", "o͡o"),
        # accents on dotless i and j
        (r"\'{\i}", "í"),
        (r"{\'\i}", "í"),
        (r"Ram{\'\i}rez", "Ramírez"),
        (r"\'{{\i}}", "í"),
        (r"\"\i", "ï"),
        (r"Mar{\'i}n", "Marín"),
        (r"\^{\j}", "ĵ"),
        # accent with an empty argument prints the accent itself
        (r"x\^{}2", "x^2"),
        (r"\~{}user", "~user"),
        # special letters, with and without braces, space or {} consumed
        (r"{\o}", "ø"),
        (r"Fl\o{}de", "Fløde"),
        (r"Bj\o rn", "Bjørn"),
        (r"\O", "Ø"),
        (r"Gro\ss e", "Große"),
        (r"{\ss}", "ß"),
        (r"{\ae}", "æ"),
        (r"\AE{}", "Æ"),
        (r"\oe", "œ"),
        (r"\OE", "Œ"),
        (r"{\aa}", "å"),
        (r"\AA{}rhus", "Århus"),
        (r"{\l}\'od\'z", "łódź"),
        (r"\L", "Ł"),
        (r"{\i}", "\N{LATIN SMALL LETTER DOTLESS I}"),
        (r"\j", "ȷ"),
        (r"\dh \DH \th \TH \ng \NG", "ðÐþÞŋŊ"),
        # escaped specials
        (r"Time \& Society", "Time & Society"),
        (r"50\% of \$5, \#1, a\_b, \{x\}", "50% of $5, #1, a_b, {x}"),
        # dashes, quotes, spaces
        ("pp. 1--9", "pp. 1\N{EN DASH}9"),
        ("yes---no", "yes—no"),
        ("``quoted''", "“quoted”"),
        ("O'Brien's", "O'Brien's"),
        ("pp.~12", "pp. 12"),
        (r"a\,b", "a b"),
        (r"a\ b", "a b"),
        (r"Food{\ }and{\ }Drug", "Food and Drug"),
        # text-style commands keep their argument
        (r"\textit{x}", "x"),
        (r"\emph{Homo sapiens} L.", "Homo sapiens L."),
        (r"\textbf{bold}", "bold"),
        (r"\textsc{Caps}", "Caps"),
        (r"\textrm{r}", "r"),
        (r"\texttt{t}", "t"),
        (r"\mbox{m}", "m"),
        (r"\url{http://x.org/a--b~c}", "http://x.org/a--b~c"),
        (r"m\textsuperscript{2}", "m2"),
        (r"H\textsubscript{2}O", "H2O"),
        (r"\textsf{R} package", "R package"),
        (r"{\it Artificial Intelligence\/}, 1995", "Artificial Intelligence, 1995"),
        (r"{\bf bold} {\em em}", "bold em"),
        (r"{\sc Strips}", "Strips"),
        (r"\mkbibquote{{\"U}ber die}", "“Über die”"),
        (r"\enquote*{C}", "“C”"),
        # text symbols
        (r"1990\textendash 2000", "1990\N{EN DASH}2000"),
        (r"a\textemdash b", "a—b"),
        (r"don\textquoteright t", "don\N{RIGHT SINGLE QUOTATION MARK}t"),
        (
            r"\textquoteleft x\textquoteright",
            "\N{LEFT SINGLE QUOTATION MARK}x\N{RIGHT SINGLE QUOTATION MARK}",
        ),
        (r"\textquotedblleft x\textquotedblright", "“x”"),
        (r"Zotero\textregistered{} \texttrademark{} \textcopyright{} 2020", "Zotero® ™ © 2020"),
        (r"wait\dots{} and \ldots", "wait… and …"),
        (r"{\textperiodcentered} item", "· item"),
        (r"{\S} 3", "§ 3"),
        (r"a {\textless} b", "a < b"),
        (r"{\unicode{8239}}x", "x"),
        # grouping braces, whitespace
        ("The {DNA} of {{RNA}}", "The DNA of RNA"),
        ("  two\n  lines\tand\u00a0more  ", "two lines and more"),
        ("", ""),
        ("   ", ""),
        # math
        (r"$\alpha$-helix", "\N{GREEK SMALL LETTER ALPHA}-helix"),
        (
            r"$\beta$- and $\alpha$1-adrenoceptors",
            "β- and \N{GREEK SMALL LETTER ALPHA}1-adrenoceptors",
        ),
        (r"$p < .05$", "p < .05"),
        (r"$\chi^2$ test", "χ^2 test"),
        (r"$10 \times 5$", "10 \N{MULTIPLICATION SIGN} 5"),
        (r"20$^\circ$C", "20°C"),
        (r"$\mathrm{H}_0$", "H_0"),
        (r"$\backslash$r0304", r"\r0304"),
        (r"$\sqrt{x}$ and $\foo{y}$", r"√x and \foo{y}"),
        (r"Intracellular \(\theta\) rhythm", "Intracellular θ rhythm"),
        ("costs $5", "costs $5"),
        # unknown commands are kept verbatim
        (r"\foo{bar}", r"\foo{bar}"),
        (r"\aj", r"\aj"),
        (r"\apj and \mnras", r"\apj and \mnras"),
        (r"Reprinted in \cite{NONMON}.", r"Reprinted in \cite{NONMON}."),
        (r"Lao\2: Desc", r"Lao\2: Desc"),
        (r"Review of Nobel, \?? <x>", r"Review of Nobel, \?? <x>"),
        # broken input never raises and loses no text
        ("trailing \\", "trailing \\"),
        ("{unbalanced", "unbalanced"),
        ("unbalanced}}", "unbalanced"),
        (r"\"", r"\""),
        # export bugs repaired: doubled backslashes, ADS tilde, escaped punctuation
        (r'Sch{\\"u}pbach', "Schüpbach"),
        (r"{Ca{\\textasciitilde n}as-Herrera}", "Cañas-Herrera"),
        (r"C\:\\Users\\me\\x.pdf", r"C:\Users\me\x.pdf"),
        (r"doi\\:10.1/x", "doi:10.1/x"),
        (r"a\;b", "a;b"),
        (r"Str\:{o}sslin", "Strösslin"),
        ("Line one\\\\\nline two", "Line one line two"),
        (r"one\newline two\par three", "one two three"),
    ],
)
def test_decode_latex(raw: str, expected: str) -> None:
    assert decode_latex(raw) == expected


def test_accents_are_single_code_points() -> None:
    assert decode_latex(r"\"u") == "\u00fc"
    assert decode_latex(r"\c{c}") == "\u00e7"
    assert decode_latex("u\u0308ber") == "\u00fcber"  # decomposed input is composed too


def test_plain_text_is_returned_unchanged() -> None:
    text = "Final particles in Thai: a study (1972), 184-6"
    assert decode_latex(text) is text


LATEX_ALPHABET = st.text(alphabet="\\{}\"'^~ac -$`.=uvHtij\n", max_size=40)


@given(st.text())
def test_never_raises_on_any_text(value: str) -> None:
    result = decode_latex(value)
    assert result == result.strip()
    assert "  " not in result
    assert unicodedata.is_normalized("NFC", result)


@given(LATEX_ALPHABET)
def test_never_raises_on_latex_like_text(value: str) -> None:
    result = decode_latex(value)
    assert "  " not in result
    assert "\n" not in result
    assert unicodedata.is_normalized("NFC", result)


@given(st.text(alphabet=st.characters(blacklist_characters="\\{}~$`'-")))
def test_idempotent_on_text_without_markup(value: str) -> None:
    once = decode_latex(value)
    assert decode_latex(once) == once


@given(LATEX_ALPHABET)
def test_output_is_a_fixed_point_when_it_has_no_markup(value: str) -> None:
    once = decode_latex(value)
    if not any(mark in once for mark in ("\\", "{", "}", "~", "$", "--", "``", "''")):
        assert decode_latex(once) == once


def test_decode_cost_on_real_bibliography(capsys: pytest.CaptureFixture[str]) -> None:
    bibtexparser = pytest.importorskip("bibtexparser")
    path = CORPUS / "glottolog_sala_linguistics_part2.bib"
    if not path.is_file():
        pytest.skip(f"corpus file {path} is absent")
    logging.disable(logging.WARNING)
    try:
        start = time.perf_counter()
        library = bibtexparser.parse_file(str(path))
        parsed = time.perf_counter()
    finally:
        logging.disable(logging.NOTSET)
    values = [f.value for e in library.entries for f in e.fields if isinstance(f.value, str)]
    start_decode = time.perf_counter()
    decoded = [decode_latex(value) for value in values]
    done = time.perf_counter()
    assert len(decoded) == len(values)
    with capsys.disabled():
        print(
            f"\n{path.name}: {len(library.entries)} entries parsed in {parsed - start:.3f} s; "
            f"{len(values)} field values decoded in {done - start_decode:.3f} s"
        )
