r"""Turn the LaTeX in BibTeX field values into the plain Unicode text a reader sees.

:func:`decode_latex` is a small regular-expression tokenizer, written for speed: it
runs on every field of every entry, so a value without any LaTeX markup costs one
regex search and a whitespace collapse, and a value with markup one pass of
:func:`re.sub` with a callback per markup token.

What it understands:

* accents in every brace form (``{\"u}``, ``\"{u}``, ``\"u``, ``\c c``,
  ``\'{\i}``), composed to single code points (the result is NFC);
* special letters (``\o``, ``\ss``, ``\ae``, ``\l``, ``\i`` ...), escaped
  specials (``\&``, ``\%``, ``\_`` ...), dashes, TeX quotes, ``~`` and thin spaces;
* text-style commands (``\emph{x}``, ``\textbf{x}``, ``{\it x}`` ...), whose text is
  kept, and text symbols (``\textendash``, ``\dots``, ``\textregistered`` ...);
* math between ``$...$`` or ``\(...\)``: Greek letters and common symbols are
  decoded, everything else is kept as written.

An unknown command is kept verbatim, backslash, argument and all, so that no text
is ever silently dropped. Two export bugs seen in real files are repaired: doubled
backslashes before a command or accent (``Sch{\\"u}pbach``, ``C\:\\Users``), and
the ADS form ``{\\textasciitilde n}`` for ñ. In text, ``\:`` and ``\;`` give ``:``
and ``;``, as Zotero, Mendeley and JabRef use them to escape punctuation.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["decode_latex"]

# Accent command -> combining character; NFC later composes base + mark.
_COMBINING = {
    '"': "\u0308",
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    ":": "\u0308",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "r": "\u030a",
    "d": "\u0323",
    "b": "\u0331",
    "t": "\u0361",
}

# What an accent with an empty argument (``\^{}``) prints.
_SPACING = {
    '"': "¨",
    "'": "\N{ACUTE ACCENT}",
    "`": "`",
    "^": "^",
    "~": "~",
    "=": "¯",
    ".": "˙",
    ":": "¨",
    "u": "˘",
    "v": "ˇ",
    "H": "˝",
    "c": "\N{CEDILLA}",
    "k": "\N{OGONEK}",
    "r": "˚",
}

_GREEK = {
    name: chr(code)
    for name, code in (
        ("alpha", 0x3B1),
        ("beta", 0x3B2),
        ("gamma", 0x3B3),
        ("delta", 0x3B4),
        ("epsilon", 0x3B5),
        ("varepsilon", 0x3B5),
        ("zeta", 0x3B6),
        ("eta", 0x3B7),
        ("theta", 0x3B8),
        ("vartheta", 0x3D1),
        ("iota", 0x3B9),
        ("kappa", 0x3BA),
        ("lambda", 0x3BB),
        ("mu", 0x3BC),
        ("nu", 0x3BD),
        ("xi", 0x3BE),
        ("pi", 0x3C0),
        ("varpi", 0x3D6),
        ("rho", 0x3C1),
        ("varrho", 0x3F1),
        ("sigma", 0x3C3),
        ("varsigma", 0x3C2),
        ("tau", 0x3C4),
        ("upsilon", 0x3C5),
        ("phi", 0x3C6),
        ("varphi", 0x3C6),
        ("chi", 0x3C7),
        ("psi", 0x3C8),
        ("omega", 0x3C9),
        ("Gamma", 0x393),
        ("Delta", 0x394),
        ("Theta", 0x398),
        ("Lambda", 0x39B),
        ("Xi", 0x39E),
        ("Pi", 0x3A0),
        ("Sigma", 0x3A3),
        ("Upsilon", 0x3A5),
        ("Phi", 0x3A6),
        ("Psi", 0x3A8),
        ("Omega", 0x3A9),
    )
}

# Command name -> text printed before its (optional, decoded) brace argument.
# Style commands map to "" so ``\textit{x}`` gives ``x`` and ``{\it x}`` gives ``x``.
_COMMANDS: dict[str, str] = {
    # special letters
    "o": "ø",
    "O": "Ø",
    "ss": "ß",
    "SS": "SS",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "aa": "å",
    "AA": "Å",
    "l": "ł",
    "L": "Ł",
    "i": "\N{LATIN SMALL LETTER DOTLESS I}",
    "j": "ȷ",
    "dh": "ð",
    "DH": "Ð",
    "dj": "đ",
    "DJ": "Đ",
    "th": "þ",
    "TH": "Þ",
    "ng": "ŋ",
    "NG": "Ŋ",
    # text symbols
    "textendash": "\N{EN DASH}",
    "textemdash": "—",
    "textquoteright": "\N{RIGHT SINGLE QUOTATION MARK}",
    "textquoteleft": "\N{LEFT SINGLE QUOTATION MARK}",
    "textquotedblleft": "“",
    "textquotedblright": "”",
    "textquotedbl": '"',
    "quotedblbase": "„",
    "quotesinglbase": "\N{SINGLE LOW-9 QUOTATION MARK}",
    "guillemotleft": "«",
    "guillemotright": "»",
    "guilsinglleft": "\N{SINGLE LEFT-POINTING ANGLE QUOTATION MARK}",
    "guilsinglright": "\N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK}",
    "textregistered": "®",
    "texttrademark": "™",
    "textcopyright": "©",
    "copyright": "©",
    "dots": "…",
    "ldots": "…",
    "textellipsis": "…",
    "textperiodcentered": "·",
    "textbullet": "•",
    "textdagger": "†",
    "dag": "†",
    "textdaggerdbl": "‡",
    "ddag": "‡",
    "S": "§",
    "textsection": "§",
    "P": "¶",
    "textparagraph": "¶",
    "textless": "<",
    "textgreater": ">",
    "textbackslash": "\\",
    "textbar": "|",
    "textbraceleft": "{",
    "textbraceright": "}",
    "textunderscore": "_",
    "textasciitilde": "~",
    "textasciicircum": "^",
    "textdollar": "$",
    "textquestiondown": "¿",
    "textexclamdown": "¡",
    "textdegree": "°",
    "textmu": "µ",
    "texttimes": "\N{MULTIPLICATION SIGN}",
    "textdiv": "÷",
    "textpm": "±",
    "pounds": "£",
    "textsterling": "£",
    "texteuro": "€",
    "euro": "€",
    "textyen": "¥",
    "textordfeminine": "ª",
    "textordmasculine": "º",
    "slash": "/",
    "nobreakspace": " ",
    "space": " ",
    "quad": " ",
    "qquad": " ",
    "enspace": " ",
    "thinspace": " ",
    "newline": " ",
    "linebreak": " ",
    "par": " ",
    "TeX": "TeX",
    "LaTeX": "LaTeX",
    "LaTeXe": "LaTeX2e",
    "BibTeX": "BibTeX",
    # math symbols (also accepted outside math, where exporters often leave them)
    "backslash": "\\",
    "pm": "±",
    "mp": "∓",
    "times": "\N{MULTIPLICATION SIGN}",
    "div": "÷",
    "cdot": "·",
    "ast": "\N{ASTERISK OPERATOR}",
    "star": "⋆",
    "circ": "∘",
    "bullet": "•",
    "le": "≤",
    "leq": "≤",
    "ge": "≥",
    "geq": "≥",
    "ne": "≠",
    "neq": "≠",
    "lesssim": "≲",
    "gtrsim": "≳",
    "ll": "≪",
    "gg": "≫",
    "approx": "≈",
    "sim": "~",
    "simeq": "≃",
    "equiv": "≡",
    "propto": "∝",
    "infty": "∞",
    "partial": "∂",
    "nabla": "∇",
    "ell": "\N{SCRIPT SMALL L}",
    "prime": "\N{PRIME}",
    "odot": "⊙",
    "oplus": "⊕",
    "otimes": "⊗",
    "to": "→",
    "rightarrow": "→",
    "leftarrow": "←",
    "leftrightarrow": "↔",
    "Rightarrow": "⇒",
    "uparrow": "↑",
    "downarrow": "↓",
    "langle": "⟨",
    "rangle": "⟩",
    "sum": "∑",
    "prod": "∏",
    "int": "∫",
    "sqrt": "√",
    "in": "∈",
    "cap": "∩",
    "cup": "\N{UNION}",
    "forall": "∀",
    "exists": "∃",
    "neg": "¬",
    "wedge": "∧",
    "vee": "\N{LOGICAL OR}",
    "blacksquare": "■",
    "square": "□",
    "log": "log",
    "ln": "ln",
    "exp": "exp",
    "sin": "sin",
    "cos": "cos",
    "max": "max",
    "min": "min",
    **_GREEK,
    # commands whose argument is the text (prefix "")
    **dict.fromkeys(
        (
            "textit",
            "emph",
            "textbf",
            "textsc",
            "textrm",
            "texttt",
            "textsf",
            "textsl",
            "textup",
            "textmd",
            "textnormal",
            "textsuperscript",
            "textsubscript",
            "mbox",
            "hbox",
            "text",
            "mathrm",
            "mathit",
            "mathbf",
            "mathsf",
            "mathtt",
            "mathcal",
            "mathbb",
            "operatorname",
            "ensuremath",
            "nocase",
            "it",
            "bf",
            "em",
            "sc",
            "rm",
            "sf",
            "tt",
            "sl",
            "up",
            "md",
            "itshape",
            "bfseries",
            "scshape",
            "upshape",
            "slshape",
            "mdseries",
            "normalfont",
            "rmfamily",
            "sffamily",
            "ttfamily",
            "relax",
            "protect",
            "noindent",
        ),
        "",
    ),
}

# Commands whose argument is taken as written (URLs keep their ``--`` and ``~``).
_VERBATIM_ARG = frozenset({"url", "path", "nolinkurl"})
# Commands that put their argument in double quotes.
_QUOTE_ARG = frozenset({"mkbibquote", "enquote"})

# Control symbols: ``\&`` and friends. Absent ones (``\?``, ``\2``) stay verbatim.
_SYMBOLS = {
    "&": "&",
    "%": "%",
    "$": "$",
    "#": "#",
    "_": "_",
    "{": "{",
    "}": "}",
    ",": " ",
    " ": " ",
    "\t": " ",
    "\n": " ",
    "\r": " ",
    "\\": " ",
    ":": ":",
    ";": ";",
    "-": "",
    "/": "",
    "@": "",
    "!": "",
}
_MATH_SYMBOLS = {**_SYMBOLS, ":": " ", ";": " "}

_FIXED = {
    "{": "",
    "}": "",
    "~": " ",
    "---": "—",
    "--": "\N{EN DASH}",
    "``": "“",
    "''": "”",
    "$": "$",
    "\\": "",  # the first of a doubled backslash before a command or accent
    "^": "°",  # ``^\circ`` in math
}

# Characters and sequences that send a value down the slow path.
_MARKUP = re.compile(r"\\|\{|\}|~|\$|--|``|''")  # single-character branches: fast search

# A brace argument nested at most three deep; deeper braces are simply dropped later.
_ARG = r"\{(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*\}"

# Every top-level branch starts with a literal character, so that the regex engine
# skips plain text quickly; tokens are told apart by the last group they matched.
_TOKEN = re.compile(
    r"""
    \\(?:
        \\textasciitilde\s+(?P<tilde_n>[A-Za-z])(?=\})
      | (?=\\[A-Za-z"'`^~=.:;&%$\#_])
      | (?:(?P<sym>["'`^~=.])|(?P<let>[uvHckrdbt])(?![A-Za-z])|(?P<colon>:)(?=\s*\{))
        \s*(?:\{(?P<arg>\s*\\[ij]\s*|\s*\{\\[ij]\}\s*|[^{}\\]*)\}
              |(?P<char>\\[ij](?![A-Za-z])|[^\\{}\s]))
      | (?P<name>[A-Za-z]+)(?P<star>\*?)(?P<space>\s*)(?P<warg>"""
    + _ARG
    + r""")?
      | \((?P<pbody>.*?)\\\)
      | (?P<csym>.?)
    )
    | \$(?P<mbody>[^$]*)\$
    | ---|--|``|''|\{|\}|~|\$
    """,
    re.VERBOSE | re.DOTALL,
)

_MATH_TOKEN = re.compile(
    r"""
    \^\s*(?:\\circ(?![A-Za-z])|\{\s*\\circ\s*\})
    | \\(?:(?P<name>[A-Za-z]+)(?:\s*\{(?P<warg>[^{}]*)\})?|(?P<csym>.?))
    | \{|\}|~
    """,
    re.VERBOSE | re.DOTALL,
)


def _accent(m: re.Match[str]) -> str:
    """Apply an accent command to its base letter."""
    accent = m.group("sym") or m.group("let") or m.group("colon")
    base = m.group("char")
    if base is None:
        base = m.group("arg").strip()
        if not base:
            return _SPACING.get(accent, _COMBINING[accent])
    if base[0] == "\\" or base[0] == "{":  # dotless \i or \j takes the accent as i or j
        base = base.strip("{}\\")
    return base[0] + _COMBINING[accent] + base[1:]


def _command(m: re.Match[str]) -> str:
    """Decode a control word with its optional brace argument (text mode)."""
    name = m.group("name")
    arg = m.group("warg")
    prefix = _COMMANDS.get(name)
    if prefix is not None:
        return prefix + _decode_text(arg[1:-1]) if arg else prefix
    if arg is not None:
        if name in _VERBATIM_ARG:
            return arg[1:-1]
        if name in _QUOTE_ARG:
            return "“" + _decode_text(arg[1:-1]) + "”"
        if name == "unicode" and arg[1:-1].strip().isdigit():
            code = int(arg[1:-1])
            if code < 0x110000:
                return chr(code)
    return "\\" + name + m.group("star") + m.group("space") + (arg or "")


def _control(m: re.Match[str]) -> str:
    r"""Decode a control symbol such as ``\&``; unknown ones stay as written."""
    sym = m.group("csym")
    return _SYMBOLS.get(sym, "\\" + sym)


def _math(m: re.Match[str]) -> str:
    r"""Decode the body of ``$...$`` or ``\(...\)``."""
    body = m.group("mbody")
    return _MATH_TOKEN.sub(_replace_math, m.group("pbody") if body is None else body)


def _tilde_n(m: re.Match[str]) -> str:
    r"""Decode the ADS export ``{\\textasciitilde n}`` as ñ."""
    return m.group("tilde_n") + _COMBINING["~"]


# Last group matched -> handler; tokens matching no group are looked up in _FIXED.
_HANDLERS = {
    "char": _accent,
    "arg": _accent,
    "space": _command,
    "warg": _command,
    "csym": _control,
    "mbody": _math,
    "pbody": _math,
    "tilde_n": _tilde_n,
}


def _replace(m: re.Match[str]) -> str:
    """Replace one text-mode markup token."""
    kind = m.lastgroup
    return _FIXED[m.group()] if kind is None else _HANDLERS[kind](m)


def _replace_math(m: re.Match[str]) -> str:
    """Replace one math-mode token; unknown commands stay as written."""
    kind = m.lastgroup
    if kind is None:
        return _FIXED[m.group()[0]]
    if kind == "csym":
        sym = m.group("csym")
        return _MATH_SYMBOLS.get(sym, "\\" + sym)
    prefix = _COMMANDS.get(m.group("name"))
    if prefix is None:
        return m.group()
    arg = m.group("warg")
    return prefix + _MATH_TOKEN.sub(_replace_math, arg) if arg else prefix


def _decode_text(text: str) -> str:
    """Decode markup without collapsing whitespace or normalising."""
    return _TOKEN.sub(_replace, text)


def decode_latex(value: str) -> str:
    r"""Decode a BibTeX field value into plain Unicode text.

    Parameters
    ----------
    value : str
        A field value with its outer ``{}`` or ``""`` delimiters already removed.

    Returns
    -------
    str
        The text as a reader sees it: accents composed (NFC), grouping braces
        removed, whitespace collapsed to single spaces and stripped. Unknown
        commands are kept as written. Never raises.

    Examples
    --------
    >>> decode_latex(r'M{\"u}ller and Sch\"{o}n')
    'Müller and Schön'
    >>> decode_latex(r"{\'E}mile Zola --- {DNA} \& {RNA}, pp.~12")
    'Émile Zola — DNA & RNA, pp. 12'
    >>> decode_latex(r"\emph{Gro\ss e}   Fl\o{}de $\beta$-sheet \foo{bar}")
    'Große Fløde β-sheet \\foo{bar}'
    """
    if _MARKUP.search(value) is not None:
        value = _TOKEN.sub(_replace, value)
    # Only ASCII spaces are printable whitespace, so most values need no collapsing.
    if not value.isprintable() or "  " in value or value.startswith(" ") or value.endswith(" "):
        value = " ".join(value.split())
    if value.isascii():
        return value
    return unicodedata.normalize("NFC", value)
