"""papers.bib against the TeX clients with hostile API text: every character we write must
typeset, names must split and abbreviate as BibTeX and biber read them, nothing may run."""

from __future__ import annotations

import re
from pathlib import Path

import bibtexparser
import pytest
from pylatexenc.latex2text import LatexNodes2Text

from builders import dblp_record, listed, resolved, s2_paper, write_outputs
from pipeline.emit.bib import render_bib
from pipeline.emit.csl import csl_name
from pipeline.emit.latex import doi_field, name_field, url_field
from pipeline.models import Catalog
from pipeline.text import clean_text, split_name
from pipeline.validate import validate_outputs
from pipeline.validate.bibtex import read_bib
from test_emit import (
    BIBLATEX_DOC,
    _run,
    _tool,
    assert_quiet_biber,
    assert_quiet_bibtex,
    biber_datamodel_warnings,
    catalog_of,
    compile_document,
    compile_with_biber,
    pybtex_strict_parse,
)

# -- names, as BibTeX and biber split them ---------------------------------------------------

# Prints every author's parts, one per line: key|first|von|last|jr|abbreviated first.
NAMES_BST = r"""ENTRY { author } {} {}
INTEGERS { n i }
FUNCTION {misc}
{ author num.names$ 'n :=
  #1 'i :=
  { n i < #0 = }
  { cite$ "|" * author i "{ff}|{vv}|{ll}|{jj}|{f.}" format.name$ * write$ newline$
    i #1 + 'i := }
  while$
}
READ
ITERATE {call.type$}
"""
NAMES = [
    "Guido van Rossum", "Juan de la Cruz", "Ludwig van der Waals", "Martin Luther King Jr.",
    "John Smith III", "Smith, John", "Rossum, Guido van", "Plato", "Jean-Pierre Serre",
    "D. E. Knuth", "Étienne Ørsted", "Marie-Élise Abé", "Çağlar Gülçehre", "Łukasz Żuk",
    "Ömer Şahin Jr.", "Ó Briain, Dara", "Zoë Ünïcode", "Mathias Lécuyer",
    "Al\u200bice Bob\u00e9", "Anne-Marie Kermarrec",
]  # fmt: skip


def names_catalog(names: list[str]) -> str:
    """One entry per name, so each line of the outputs says whose it is."""
    return "\n".join(
        f"@misc{{n{i},\n  author = {{{name_field([name])}}},\n  title = {{T}},\n  year = {{2020}}\n}}\n"
        for i, name in enumerate(names)
    )


def _text(latex: str) -> str:
    """LaTeX as the reader sees it, ties as spaces."""
    return " ".join(LatexNodes2Text().latex_to_text(latex).replace("\xa0", " ").split())


def expected_parts(name: str) -> tuple[str, str, str]:
    given, family, suffix = split_name(clean_text(name))
    return given, family, suffix


def bibtex_parts(bib: str, tmp_path: Path) -> dict[int, tuple[str, str, str, str]]:
    """BibTeX's own reading of each name: given, particle and family, suffix, initials."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "papers.bib").write_text(bib, encoding="utf-8")
    (tmp_path / "names.bst").write_text(NAMES_BST, encoding="utf-8")
    (tmp_path / "doc.aux").write_text("\\citation{*}\n\\bibdata{papers}\n\\bibstyle{names}\n")
    done = _run([_tool("bibtex"), "doc"], tmp_path)
    assert done.returncode == 0, done.stdout[-3000:]
    out = (tmp_path / "doc.bbl").read_bytes().decode("utf-8")  # cut UTF-8 fails here
    parts = {}
    for line in out.splitlines():
        key, first, von, last, jr, initials = (_text(p) for p in line.split("|"))
        parts[int(key[1:])] = (first, f"{von} {last}".strip(), jr, initials)
    return parts


@pytest.mark.latex
def test_bibtex_splits_names_into_the_catalog_s_given_and_family_parts(tmp_path: Path) -> None:
    """A given name starting with a UTF-8 letter ('Étienne') was a 'von' particle to BibTeX,
    which reads bytes: natbib cited 'Étienne Ørsted (2020)', abbrvnat wrote half a letter."""
    parts = bibtex_parts(names_catalog(NAMES), tmp_path)
    for i, name in enumerate(NAMES):
        given, family, suffix = expected_parts(name)
        initials = " ".join("-".join(f"{p[0]}." for p in w.split("-")) for w in given.split())
        assert parts[i] == (given, family, suffix, initials), name


def biber_parts(bib: str, tmp_path: Path) -> dict[int, tuple[str, str, str]]:
    """biber's reading of each name, from the .bbl: given, prefix and family, suffix."""
    log, bbl = compile_with_biber(bib, tmp_path)
    assert_quiet_biber(log)
    parts = {}
    for key, body in re.findall(r"\\entry\{n(\d+)\}(.*?)\\endentry", bbl, re.S):
        found = dict(re.findall(r"\b(family|given|prefix|suffix)=\{(.*?)\},?\n", body))
        name = {k: _text(re.sub(r"\\bibnamedelim[a-z]", " ", v)) for k, v in found.items()}
        family = f"{name.get('prefix', '')} {name.get('family', '')}".strip()
        parts[int(key)] = (name.get("given", ""), family, name.get("suffix", ""))
    return parts


@pytest.mark.slow
@pytest.mark.latex
def test_biber_splits_names_into_the_catalog_s_given_and_family_parts(tmp_path: Path) -> None:
    parts = biber_parts(names_catalog(NAMES), tmp_path)
    assert parts == {i: expected_parts(name) for i, name in enumerate(NAMES)}


# -- URLs and DOIs -----------------------------------------------------------------------------


def test_a_url_keeps_its_meaning_and_becomes_ascii() -> None:
    """'%20' was written '%2520' (another URL), and an IRI's non-ASCII characters stayed raw,
    which pdfLaTeX cannot typeset in \\url (natbib and biblatex stopped)."""
    assert url_field("https://example.org/a_b%20c?x=1&y=2#frag") == (
        "https://example.org/a_b%20c?x=1&y=2#frag"
    )
    assert url_field("https://例え.jp/パス?q=ü") == (
        "https://xn--r8jz45g.jp/%E3%83%91%E3%82%B9?q=%C3%BC"
    )
    assert url_field("https://ex.org/a\u00a0b") == "https://ex.org/a%C2%A0b"  # UTF-8, not %A0
    assert url_field("http://ex.org/{x}\\y 100%") == "http://ex.org/%7Bx%7D%5Cy%20100%25"
    assert url_field("https://" + "ü" * 70 + ".org/") is None  # a label IDNA refuses
    assert doi_field("10.1000/a}b%é") == "10.1000/a%7Db%25%C3%A9"


def test_an_old_sici_doi_is_written_as_it_is() -> None:
    """'<' and '>' were percent-encoded, so Zotero imported '...49:8%3C693...', no DOI."""
    sici = "10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-O"
    assert doi_field(sici) == sici


# -- a whole hostile catalog through every TeX client -----------------------------------------


@pytest.mark.latex
def test_a_group_author_is_one_family_name_to_bibtex_and_csl(tmp_path: Path) -> None:
    """'Gemini Team' signs many of today's LLM papers: it has no given name 'Gemini' and no
    family name 'Team' (natbib cited 'Team (2024)', Zotero made a person of it)."""
    groups = ["The Fake Systems Team", "Fake Collaboration", "Fake Labs"]
    parts = bibtex_parts(names_catalog(groups), tmp_path)
    assert [parts[i] for i in range(len(groups))] == [("", g, "", "") for g in groups]
    assert [csl_name(g) for g in groups] == [{"literal": g} for g in groups]
    assert csl_name("Fake Person") == {"given": "Fake", "family": "Person"}


HOSTILE_TITLES = [
    r"\input{/etc/passwd} \write18{touch pwned} \def\x{y} \catcode`\{=12 \csname end\endcsname",
    r"See \url{http://x.org/a_b%20c#d} and \href{javascript:alert(1)}{x} @comment{ @string{x=y}",
    "Unbalanced {{{ braces and }}} more } here { and a lone \\ backslash \\",
    '100% #1 & ~x ^y a_b $z$ @ = " , %comment',
    "Long " + "words " * 400,
    "Combining e\u0301 a\u0308 \u0301 \ufb01; CJK 深度学习 Глубокое Βαθιά التعلم 🚀 ℝ^n ≲ Non\u2011IID",
    "Zero\u200bwidth\u200d \ufeff control \x01\x07\x1b[31m NUL\x00 CR\r\nLF \u202eRTL\u202c",
]
HOSTILE_AUTHORS = [
    "Guido van Rossum", "Juan de la Cruz", "The XYZ Team", "Martin Luther King Jr.", "Smith, John",
    "Tom and Jerry", "Plato", "Jean-Pierre Serre", "Étienne Ørsted", "Çağlar Gülçehre",
    "毛泽东", "Ivan Петров", "Γιώργος Παπαδόπουλος", "محمد علي", "Ħasan Ħal", "Back\\slash {Brace}%",
    "Emoji 🚀 Person", "Al\u200bice\x00 Bob",
]  # fmt: skip
HOSTILE_URLS = [
    "https://example.org/a_b%20c?x=1&y=2#frag", "https://例え.jp/パス", "javascript:alert(1)",
    "http://ex.org/{brace}\\back 100%", "https://ex.org/\"q\"<>",
]  # fmt: skip


def hostile_catalog() -> Catalog:
    """Every hostile title, author and URL above, in published and preprint entries."""
    items = []
    for i, title in enumerate(HOSTILE_TITLES):
        items.append(
            resolved(
                listed(f"Listed {i}", id=f"osdi2016-hostile{i}"),
                dblp_record(
                    title,
                    key=f"conf/osdi/FAKE{i}",
                    authors=HOSTILE_AUTHORS,
                    doi="10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-O"
                    if i % 2
                    else "10.1000/a}b{c\\d%e#f\u00e9",
                    pages=["12--34", "e1-e5", "iv\u2013x", "a}b"][i % 4],
                    ee=[HOSTILE_URLS[i % len(HOSTILE_URLS)]],
                    venue="Proc. \\def\\x{} 100% & #1",
                ),
                s2_paper(title, paper_id=f"fx-{i}", abstract=title + " " + HOSTILE_TITLES[i - 1]),
            )
        )
    items.append(
        resolved(
            listed("Preprint", id="x2020-preprint", year=2020),
            dblp_record(
                HOSTILE_TITLES[5],
                key="journals/corr/abs-2001-00009",
                type="Informal and Other Publications",
                venue="CoRR",
                authors=HOSTILE_AUTHORS[::-1],
                ee=["https://arxiv.org/abs/2001.00009"],
            ),
            with_proceedings=False,
        )
    )
    items.append(resolved(listed(HOSTILE_TITLES[0], id="isca2019-unresolved", venue="ISCA")))
    return catalog_of(*items)


def bibtex_document(style: str, packages: str) -> str:
    return (
        "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage[utf8]{inputenc}\n"
        f"{packages}\n\\begin{{document}}\n\\nocite{{*}}\n\\bibliographystyle{{{style}}}\n"
        "\\bibliography{papers}\n\\end{document}\n"
    )


@pytest.mark.latex
@pytest.mark.parametrize("ascii", [False, True])
@pytest.mark.parametrize(
    ("style", "packages"),
    [("plain", ""), ("plainnat", "\\usepackage{natbib}\\usepackage{url}"),
     ("abbrvnat", "\\usepackage{natbib}\\usepackage{hyperref}"), ("alpha", "\\usepackage{url}")],
)  # fmt: skip
def test_hostile_text_compiles_with_bibtex_and_runs_nothing(
    tmp_path: Path, ascii: bool, style: str, packages: str
) -> None:
    bib = render_bib(hostile_catalog(), ascii=ascii)
    log, bbl = compile_document(bib, tmp_path, bibtex_document(style, packages), "bibtex")
    assert_quiet_bibtex(log)
    assert not (tmp_path / "pwned").exists()
    assert "\\textbackslash{}input\\textbraceleft{}/etc/passwd" in bbl
    entries = bbl[bbl.index("\\bibitem") :]  # the style's own preamble may define things
    assert (
        re.search(r"(?<!\\textbackslash\{\})\\(input|write18|def|catcode|csname)\b", entries)
        is None
    )


@pytest.mark.slow
@pytest.mark.latex
@pytest.mark.parametrize("style", ["numeric", "authoryear"])
def test_hostile_text_compiles_with_biber_and_fits_its_data_model(
    tmp_path: Path, style: str
) -> None:
    bib = render_bib(hostile_catalog())
    document = BIBLATEX_DOC.replace("style=numeric", f"style={style}")
    log, bbl = compile_document(bib, tmp_path, document, "biber")
    assert_quiet_biber(log)
    assert not (tmp_path / "pwned").exists()
    assert biber_datamodel_warnings(bib, tmp_path / "model") == []
    assert "\\verb 10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-O" in bbl


@pytest.mark.parametrize("ascii", [False, True])
def test_hostile_text_reads_back_whole_in_python_readers(ascii: bool, tmp_path: Path) -> None:
    """pybtex strict, bibtexparser and our own validator agree the .bib is whole."""
    catalog = hostile_catalog()
    bib = render_bib(catalog, ascii=ascii)
    keys = [p.key for p in catalog.papers]
    assert list(pybtex_strict_parse(bib).entries) == keys
    library = bibtexparser.parse_string(bib)
    assert library.failed_blocks == [] and [e.key for e in library.entries] == keys
    read = read_bib(bib)
    assert read.problems == [] and [e.key for e in read.entries] == keys
    write_outputs(tmp_path, catalog)
    assert validate_outputs(tmp_path) == []
