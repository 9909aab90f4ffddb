"""Text -> BibTeX field values that cannot end a field early or run a LaTeX command.

API text is untrusted: every character LaTeX or BibTeX treats specially is escaped, HTML is
stripped, and characters pdfLaTeX cannot typeset become inert placeholders. Non-ASCII letters
stay UTF-8 by default; `ascii=True` writes accent macros (via pylatexenc) for legacy BibTeX.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

from pylatexenc.latexencode import UnicodeToLatexEncoder

from pipeline.text import clean_text, http_url, is_doi, is_group, plain, split_name, strip_tags

# BibTeX counts braces without looking at backslashes, so a literal brace must not be a
# brace character at all, not even an escaped one: \{ would still end the field early.
_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_ASCII_TABLE = str.maketrans(_SPECIALS)


def _unknown(char: str) -> str:
    return "{\\texttt{U+" + f"{ord(char):04X}" + "}}"


logging.getLogger("pylatexenc").setLevel(logging.ERROR)  # we handle unknown characters
_ENCODER = UnicodeToLatexEncoder(
    non_ascii_only=True,
    replacement_latex_protection="braces-all",
    unknown_char_policy=_unknown,
)


# Latin Extended-A letters LaTeX's utf8 input has no definition for (utf8enc.dfu, T1): the
# Maltese H-bar, kra, middle-dot L, n-apostrophe, T-stroke, long s. Written raw, they stop
# pdfLaTeX ("Unicode character ... not set up for use with LaTeX").
_NOT_IN_UTF8ENC = frozenset("\u0126\u0127\u0138\u013f\u0140\u0149\u0166\u0167\u017f")


def _utf8_safe(char: str) -> bool:
    """Characters pdfLaTeX's default UTF-8 input handles: Latin-1, Latin Extended-A."""
    return 0xA0 <= ord(char) <= 0x17F and char not in _NOT_IN_UTF8ENC


# pylatexenc writes some characters with macros of packages a document may not load: Cyrillic
# (\CYRA: T2A fonts), IPA (tipa), amssymb's and amsmath's symbols and math alphabets, and its
# own placeholder \nument. One of them stops pdfLaTeX for the whole document, so such a
# character gets our placeholder instead. tests/test_clients_latex.py typesets every character
# pylatexenc knows: a name missing here fails it.
_NEEDS_PACKAGE_NAMES = """
    Bumpeq Cap Cup DownArrowUpArrow Subset Supset VDash Vdash Vvdash allequal approxeq
    approxnotequal backepsilon backprime backsim backsimeq because beth between blacklozenge
    blacksquare boldsymbol boxdot boxminus boxplus boxtimes bumpeq circeq circledast
    circledcirc circleddash clockoint clwintegral complement curlyeqprec curlyeqsucc curlyvee
    curlywedge daleth divideontimes doteqdot dotplus eqcirc eqslantgtr eqslantless estimates
    fallingdotseq forcesextra geqq geqslant gimel gnapprox gneq gneqq gnsim gtrapprox gtrdot
    gtreqless gtreqqless gtrless gtrsim hermitconjmatrix homothetic iiint iint image intercal
    joinrel lazysinv leadsto leftthreetimes leqq leqslant lessapprox lessdot lesseqgtr
    lesseqqgtr lessgtr lesssim lnapprox lneq lneqq lnsim ltimes mathbb mathfrak mathscr
    measuredangle multimap nLeftrightarrow nRightarrow nVDash nVdash nexists ngeq ngtr
    nleftarrow nleftrightarrow nleq nless nmid nobreakdash notgreaterless notlessgreater
    nparallel nprec nrightarrow nsubseteq nsucc nsupseteq ntriangleleft ntrianglelefteq
    ntriangleright ntrianglerighteq nument nvDash nvdash original pitchfork precapprox
    precedesnotsimilar precnapprox precneqq precsim rightangle rightanglearc rightarrowtail
    rightthreetimes risingdotseq rtimes sharp smallsetminus sphericalangle sqrint sqsubset
    sqsupset starequal subseteqq subsetneq subsetneqq succapprox succnapprox succneqq succnsim
    succsim supseteqq supsetneq supsetneqq surfintegral textfrac textglotstop texthvlig
    textnrleg textphi textschwa textturnk therefore tildetrpl trianglelefteq triangleq
    trianglerighteq truestate twoheadrightarrow udots varkappa varnothing vartriangleleft
    vartriangleright veebar verymuchgreater verymuchless volintegral
"""
_NEEDS_PACKAGE = frozenset(_NEEDS_PACKAGE_NAMES.split())
_MACRO = re.compile(r"\\([A-Za-z]+)")
# Cyrillic letters, and Greek that pylatexenc writes as math outside math mode ("Missing $").
_UNTYPESETTABLE = re.compile(r"\\(?:CYR|cyr)|^\{\\(?:varepsilon|acute|Upsilon)\b")


# pylatexenc accents a dotless i ({\'\i}): biber decodes that to 'ı' and a combining accent,
# which stop pdfLaTeX; {\'i} is the same letter to LaTeX, BibTeX and biber.
_ACCENTED_DOTLESS_I = re.compile(r"(\\[`'^\"~=.])\\i\b")


# pylatexenc approximates these with an accent ({\={H}} for the H-bar, {\c{E}}): biber
# decodes that to a letter and a combining mark, or to a letter LaTeX's utf8 input lacks, and
# the .bbl then stops pdfLaTeX.
_NO_BIBER_ROUND_TRIP = frozenset("\u0126\u0127\u013f\u0140\u0166\u0167\u0228\u0229")


@lru_cache(maxsize=1 << 12)
def latex_char(char: str) -> str:
    """One non-ASCII character as LaTeX pdfLaTeX typesets, or an inert placeholder."""
    if char == "\u2011":  # a non-breaking hyphen, frequent in publishers' titles
        return "-"
    if char in _NO_BIBER_ROUND_TRIP:
        return _unknown(char)
    latex = _ENCODER.unicode_to_latex(char)
    if _UNTYPESETTABLE.search(latex) or not _NEEDS_PACKAGE.isdisjoint(_MACRO.findall(latex)):
        return _unknown(char)
    return _ACCENTED_DOTLESS_I.sub(r"\1i", latex)


@lru_cache(maxsize=1 << 16)  # venues, publishers, keywords: the same few thousand values
def escape(text: str, ascii: bool = False) -> str:
    """Escape for a braced BibTeX field; the result has balanced braces and no live command."""
    return _escape_clean(unicodedata.normalize("NFC", clean_text(text)), ascii)


def escape_plain(text: str, ascii: bool = False) -> str:
    """`escape` for text whose entities were decoded once already (the catalog's abstract):
    markup is still removed, but entities are not decoded again, so '&lt;b&gt;' or '&amp;' in
    the text reach the .bib as the catalog reads them instead of becoming a tag or an '&'."""
    return _escape_clean(unicodedata.normalize("NFC", plain(strip_tags(text))), ascii)


def _escape_clean(text: str, ascii: bool) -> str:
    """`escape` for text that went through clean_text already."""
    if text.isascii():
        return text.translate(_ASCII_TABLE)
    out = []
    for char in text:
        if char in _SPECIALS:
            out.append(_SPECIALS[char])
        elif ord(char) < 128 or not ascii and _utf8_safe(char):
            out.append(char)
        elif unicodedata.category(char) in ("So", "Sk", "Mn"):
            continue  # emoji and stray combining marks carry no bibliographic meaning
        else:
            out.append(latex_char(char))
    return "".join(out)


def _needs_protection(part: str) -> bool:
    """'TensorFlow', 'DNN', 'eCNN', 'M3', 'PS2' keep their case; 'System' or 'Large' need not."""
    letters = [c for c in part if c.isalpha()]
    if not letters:
        return False
    if any(c.isupper() for c in part[1:]):
        return True
    return any(c.isdigit() for c in part)


_CORE = re.compile(r"^(?P<lead>[^\w]*)(?P<core>.*?)(?P<trail>[^\w]*)$", re.S)


def title_field(title: str, ascii: bool = False) -> str:
    """Escape a title and brace the words whose case styles must not change."""
    words = unicodedata.normalize("NFC", clean_text(title)).split(" ")
    return " ".join(_title_word(word, ascii) for word in words)


@lru_cache(maxsize=1 << 16)  # titles share most of their words: each is rendered once
def _title_word(token: str, ascii: bool) -> str:
    match = _CORE.match(token)
    if match is None or not match["core"]:
        return _escape_clean(token, ascii)
    core = match["core"]
    parts = core.split("-")
    if len(parts) > 1 and any(len(p) == 1 and p.isupper() for p in parts):
        rendered = "{" + _escape_clean(core, ascii) + "}"  # 'G-Miner', 'E-RNN': one name
    else:
        rendered = "-".join(
            "{" + _escape_clean(part, ascii) + "}"
            if _needs_protection(part)
            else _escape_clean(part, ascii)
            for part in parts
        )
    return _escape_clean(match["lead"], ascii) + rendered + _escape_clean(match["trail"], ascii)


def name_field(names: list[str], ascii: bool = False) -> str:
    """Authors joined with ' and '; a name that itself contains 'and' is braced whole."""
    return " and ".join(_name(name, ascii) for name in names)


_AND = re.compile(r"\band\b", re.I)
# Every name split_name gives a suffix has a comma or one of these words (most have neither).
_MAY_HAVE_SUFFIX = re.compile(r",|\b(?:jr|sr|ii|iii|iv)\b", re.I)


@lru_cache(maxsize=1 << 16)  # the same authors write many of a list's papers
def _name(name: str, ascii: bool) -> str:
    text = clean_text(name)
    value = _escape_clean(unicodedata.normalize("NFC", text), ascii)  # escape(name, ascii)
    if _AND.search(value) or is_group(text):  # 'Tom and Jerry', 'Gemini Team': one name
        return "{" + value + "}"
    if not _MAY_HAVE_SUFFIX.search(text):
        return _initials(value)
    if ((parts := split_name(text)).suffix or "," in text) and parts.given:
        # BibTeX reads a suffix only as 'von Last, Jr, First'; 'King Jr.' would be a surname.
        # The same form puts a trailing particle back ('Rossum, Guido van': 'van' is no given name).
        kept = [p for p in (parts.family, parts.suffix, parts.given) if p]
        value = ", ".join(escape(p, ascii) for p in kept)
    return _initials(value)


# BibTeX reads names byte by byte: a word whose first letter is UTF-8 ('Étienne', 'Øyvind',
# 'Łukasz') has no upper-case first letter, so BibTeX takes it for a particle ('von') and
# mis-splits the name, and abbreviating styles cut the letter in half (invalid UTF-8 in the
# .bbl). Written as its macro ({\'E}) it is one upper-case letter to BibTeX; biber and
# Zotero decode it back.
_NON_ASCII_INITIAL = re.compile(r"(?:^|(?<=[\s~,.\-]))[^\x00-\x7f]")


# BibTeX counts a command as one character only in a brace group that starts with a backslash
# ({\'e}, {\%}): elsewhere '\textbackslash{}' is sixteen characters, and the three that
# alpha-style labels keep of a `key` ('\te') are an undefined command. Not in names: biber
# gives a family name that starts with such a group an unbalanced initial ('familyi={}').
_BARE_COMMAND = re.compile(r"\\(?:[A-Za-z]+\{\}|[&%$#_])")


def _one_character_each(value: str) -> str:
    """An escaped value with each bare command braced as BibTeX's one special character."""
    if "\\" not in value:
        return value
    return _BARE_COMMAND.sub(lambda m: "{" + m.group(0).removesuffix("{}") + "}", value)


def key_field(text: str) -> str:
    """BibTeX's `key`, what styles sort and label an entry without authors by: plain ASCII,
    with every command and accent one character to BibTeX, since labels cut it (alpha: three
    characters) and a UTF-8 letter or a command cut in half stops pdfLaTeX."""
    return _one_character_each(escape(text, ascii=True))


def _initials(value: str) -> str:
    """An escaped name with each word's non-ASCII first letter as a LaTeX macro."""
    if value.isascii():
        return value
    return _NON_ASCII_INITIAL.sub(lambda m: latex_char(m.group(0)), value)


# What may not stand raw in a .bib's url or doi field: brace-breaking and TeX-special characters,
# and any non-ASCII one, which pdfLaTeX cannot typeset in \url (an IRI's path, a Unicode space).
# A DOI keeps "<" and ">", which old (SICI) DOIs hold ("...49:8<693::AID-ASI4>3.0.CO;2-O"):
# encoded, the field no longer names the DOI (Zotero and biblatex's "doi:" show it as written).
_DOI_UNSAFE = re.compile(r"[\s{}\\\"^`|%]|[^\x00-\x7f]")
# In a URL, a '%' before two hex digits is already an escape: encoding it again ('%2520')
# would make it another URL.
_URL_UNSAFE = re.compile(r"[\s{}\\\"<>^`|]|%(?![0-9A-Fa-f]{2})|[^\x00-\x7f]")


def _percent(match: re.Match[str]) -> str:
    """A character as the percent-escapes of its UTF-8 bytes (RFC 3986, section 2.1)."""
    return "".join(f"%{byte:02X}" for byte in match.group(0).encode("utf-8"))


@lru_cache(maxsize=1 << 15)  # each paper's URL goes to papers.bib and papers.csl.json
def url_field(url: str | None) -> str | None:
    """A URL kept verbatim, but only http(s), with brace-breaking and non-ASCII characters
    percent-encoded and an international host name in its IDNA form (an IRI as a URI)."""
    url = http_url(url)
    if url is None:
        return None
    if not url.isascii():
        scheme, netloc, path, query, fragment = urlsplit(url)
        user, at, host = netloc.rpartition("@")
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:  # a label IDNA refuses (too long, forbidden characters)
            return None
        url = urlunsplit((scheme, user + at + host, path, query, fragment))
    return _URL_UNSAFE.sub(_percent, url)


def doi_field(doi: str | None) -> str | None:
    """A DOI kept verbatim when it looks like one; anything else is dropped."""
    if not doi:
        return None
    doi = doi.strip()
    if not is_doi(doi):
        return None
    return _DOI_UNSAFE.sub(_percent, doi)
