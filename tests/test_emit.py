"""The emit stage: a .bib that BibTeX, biber and bibtexparser take cleanly; a valid catalog."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import bibtexparser
import jsonschema
import pybtex.database
import pybtex.errors
import pytest

from builders import dblp_record, listed, resolved, s2_paper
from pipeline.emit.bib import bib_fields, render_bib
from pipeline.emit.catalog import catalog_schema, render_catalog
from pipeline.emit.csl import csl_item, render_csl
from pipeline.emit.latex import escape, latex_char, name_field, title_field
from pipeline.emit.report import _render_unresolved
from pipeline.merge import merge
from pipeline.models import (
    SAME_TITLE_NOTE,
    Candidate,
    Catalog,
    CatalogPaper,
    S2Author,
    Status,
)
from pipeline.storage import to_json
from pipeline.text import clean_text, split_name
from pipeline.venues import shipped_venues

TODAY = "2026-11-27"
HOSTILE = (
    "}\\input{/etc/passwd} 100% #1 a_b ~x^y $z$ {unbalanced <b>bold</b> "
    "<script>alert(1)</script> \U0001f600 \u6c49\u5b57 \u03b1 caf\u00e9 \\\\end"
)


VENUES = shipped_venues()


def catalog_of(*items: object) -> Catalog:
    papers = merge(list(items), None, TODAY, VENUES)  # type: ignore[arg-type]
    return Catalog(source="catalog/papers.md", papers=papers)


def sample_catalog() -> Catalog:
    good = resolved(
        listed("TensorFlow: A System for Large-Scale ML", categories=["Training"]),
        dblp_record(
            "TensorFlow - A System for Large-Scale ML.", doi="10.0000/fake.tf", pages="265-283"
        ),
        s2_paper(
            "TensorFlow: A System for Large-Scale ML",
            externalIds={"ArXiv": "1605.08695", "DBLP": "conf/osdi/FAKE16"},
        ),
    )
    hostile = resolved(
        listed("A Hostile Paper", id="osdi2016-hostile", year=2016),
        dblp_record(
            HOSTILE,
            key="conf/osdi/FAKE-Hostile16",
            authors=["Robert'); DROP TABLE}", "Tom and Jerry", "Zoë Ünïcode"],
            doi="10.0000/fake}\\evil",
            ee=["javascript:alert(1)"],
        ),
        s2_paper(
            HOSTILE,
            paper_id="fixture-hostile",
            abstract=HOSTILE,
            externalIds={"ArXiv": "not}an id"},
        ),
    )
    journal = resolved(
        listed("A Journal Paper", id="vldb2021-journal", venue="VLDB", year=2021),
        dblp_record(
            "A Journal Paper.",
            key="journals/pvldb/FAKE21",
            type="Journal Articles",
            venue="Proc. VLDB Endow.",
            volume="14",
            number="9",
            year=2021,
        ),
        with_proceedings=False,
    )
    preprint = resolved(
        listed("A Preprint", id="x2020-preprint", year=2020),
        dblp_record(
            "A Preprint.",
            key="journals/corr/abs-2001-00001",
            type="Informal and Other Publications",
            venue="CoRR",
            year=2020,
            ee=["https://arxiv.org/abs/2001.00001"],
        ),
        with_proceedings=False,
    )
    lonely = resolved(
        listed("An Unresolved Paper Without Authors", id="isca2019-lonely", venue="ISCA", year=2019)
    )
    s2_alone = resolved(
        listed("A Paper DBLP Lacks", id="osdi2016-lacks"),
        None,
        s2_paper(
            "A Paper DBLP Lacks",
            paper_id="fixture-lacks",
            venue="USENIX Symposium on Operating Systems Design and Implementation",
            authors=[S2Author(name="Guido van Rossum"), S2Author(name="Martin Luther King Jr.")],
            externalIds={"ArXiv": "2001.00002"},
        ),
    )
    return catalog_of(good, hostile, journal, preprint, lonely, s2_alone)


def test_entry_types_and_fields() -> None:
    catalog = sample_catalog()
    entries = {p.key: dict(bib_fields(p)) for p in catalog.papers}
    tf = entries["lovelace2016tensorflow"]
    assert tf["title"] == "{TensorFlow}: A System for Large-Scale {ML}"
    assert tf["pages"] == "265--283" and tf["doi"] == "10.0000/fake.tf"
    assert tf["eprint"] == "1605.08695" and tf["eprinttype"] == "arxiv"
    assert "archiveprefix" not in tf  # not in biblatex's data model: biber would warn
    assert tf["keywords"] == "OSDI, 2016, Training"
    assert "citation" not in " ".join(tf)  # nightly-changing counts stay out of the .bib
    kinds = {p.key: p.entry_type for p in catalog.papers}
    assert list(kinds.values()) == [
        "inproceedings", "inproceedings", "article", "misc", "misc", "inproceedings"
    ]  # fmt: skip
    article = entries["lovelace2021journal"]
    assert (article["journal"], article["volume"], article["number"]) == (
        "Proc. VLDB Endow.",
        "14",
        "9",
    )
    preprint = next(p for p in catalog.papers if p.id == "x2020-preprint")
    assert preprint.arxiv_id == "2001.00001" and preprint.provenance["arxiv_id"] == "dblp"
    fields = dict(bib_fields(preprint))
    assert (fields["eprint"], fields["howpublished"]) == ("2001.00001", "CoRR")
    lonely = next(p for p in catalog.papers if p.id == "isca2019-lonely")
    fields = dict(bib_fields(lonely))
    assert "unresolved" in fields["keywords"] and "note" not in fields  # styles print `note`
    assert (
        fields["howpublished"] == "ISCA 2019"
        and fields["key"] == "An Unresolved Paper Without Authors"
    )


def test_a_paper_s2_alone_knows_is_a_conference_paper_not_in_dblp() -> None:
    lacks = next(p for p in sample_catalog().papers if p.id == "osdi2016-lacks")
    fields = dict(bib_fields(lacks))
    assert lacks.entry_type == "inproceedings" and lacks.dblp_key is None
    # Its venue-year's proceedings title, as DBLP gave it for the other OSDI 2016 papers.
    assert fields["booktitle"] == "Fake Symposium 2016, Somewhere, USA"
    assert fields["keywords"] == "OSDI, 2016, not in DBLP"
    assert fields["author"] == "Guido van Rossum and King, Jr., Martin Luther"
    assert (fields["eprint"], fields["eprinttype"]) == ("2001.00002", "arxiv")
    assert "note" not in fields and "howpublished" not in fields


def test_hostile_text_is_inert() -> None:
    catalog = sample_catalog()
    hostile = next(p for p in catalog.papers if p.id == "osdi2016-hostile")
    fields = dict(bib_fields(hostile))
    for name, value in fields.items():
        assert _balanced(value), (name, value)
        assert not re.search(r"\\(input|end|write|def|include)\b", value), (name, value)
        assert "<script" not in value and "<b>" not in value
    assert "\\textbackslash{}input\\textbraceleft{}/etc/passwd\\textbraceright{}" in fields["title"]
    assert "{Tom and Jerry}" in fields["author"]  # a name with 'and' cannot split the list
    assert "url" not in fields  # javascript: is not a URL we keep
    assert fields["doi"] == "10.0000/fake%7D%5Cevil"
    assert "eprint" not in fields


def test_ascii_mode_writes_accent_macros() -> None:
    bib = render_bib(sample_catalog(), ascii=True)
    assert bib.isascii()
    assert 'Zo{\\"e}' in bib and "caf{\\'e}" in bib


def test_acronyms_are_braced_and_ordinary_words_are_not() -> None:
    assert title_field("DNN-Based Video Analysis on GPUs") == "{DNN}-Based Video Analysis on {GPUs}"
    assert (
        title_field("Large Scale Graph Mining with G-Miner")
        == "Large Scale Graph Mining with {G-Miner}"
    )
    assert title_field("eCNN and M3: the PS2 Way") == "{eCNN} and {M3}: the {PS2} Way"
    assert escape("50% of $5 & #1_x") == "50\\% of \\$5 \\& \\#1\\_x"


def test_bibtexparser_reads_everything_back() -> None:
    catalog = sample_catalog()
    library = bibtexparser.parse_string(render_bib(catalog))
    assert library.failed_blocks == []
    assert [e.key for e in library.entries] == [p.key for p in catalog.papers]
    assert len({e.key for e in library.entries}) == len(catalog.papers)


def test_output_is_deterministic_and_catalog_validates() -> None:
    first, second = sample_catalog(), sample_catalog()
    assert render_bib(first) == render_bib(second)
    assert render_catalog(first) == render_catalog(second)
    data = json.loads(render_catalog(first))
    jsonschema.validate(data, catalog_schema())
    paper = data["papers"][0]
    for name in ("key", "dblp_key", "doi", "s2_paper_id", "arxiv_id", "title", "authors", "year",
                 "venue", "pages", "citation_count", "influential_citation_count", "abstract", "status"):  # fmt: skip
        assert name in paper, name
    assert {"title", "venue", "year"} <= set(paper["list"])
    assert catalog_schema()["version"] == data["schema_version"]


# -- real bibliography clients -----------------------------------------------------------

PLAIN_DOC = r"""\documentclass{article}
\usepackage[T1]{fontenc}
\usepackage[utf8]{inputenc}
\begin{document}
\nocite{*}
\bibliographystyle{plain}
\bibliography{papers}
\end{document}
"""
BIBLATEX_DOC = r"""\documentclass{article}
\usepackage[T1]{fontenc}
\usepackage[utf8]{inputenc}
\usepackage[backend=biber,style=numeric]{biblatex}
\addbibresource{papers.bib}
\begin{document}
\nocite{*}
\printbibliography
\end{document}
"""


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(
            f"{name} not found: run .ci/ensure-tex (make test does) to install TeX Live and biber"
        )
    return path


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, capture_output=True, text=True, timeout=120, errors="replace"
    )


def compile_document(bib: str, tmp_path: Path, document: str, processor: str) -> tuple[str, str]:
    """pdflatex, then bibtex or biber, then pdflatex twice; returns the .blg and the .bbl."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "papers.bib").write_text(bib, encoding="utf-8")
    (tmp_path / "doc.tex").write_text(document, encoding="utf-8")
    latex = [_tool("pdflatex"), "-interaction=nonstopmode", "-halt-on-error", "doc.tex"]
    first = _run(latex, tmp_path)
    assert first.returncode == 0, first.stdout[-3000:]
    processed = _run([_tool(processor), "doc"], tmp_path)
    assert processed.returncode in (0, 1), processed.stdout[-3000:]  # 1: warnings, read below
    for _ in range(2):
        final = _run(latex, tmp_path)
        assert final.returncode == 0, final.stdout[-3000:]
    read = (
        (tmp_path / "doc.blg").read_text(errors="replace"),
        (tmp_path / "doc.bbl").read_text(errors="replace"),
    )
    return read


def compile_with_bibtex(bib: str, tmp_path: Path) -> tuple[str, str]:
    return compile_document(bib, tmp_path, PLAIN_DOC, "bibtex")


def compile_with_biber(bib: str, tmp_path: Path) -> tuple[str, str]:
    return compile_document(bib, tmp_path, BIBLATEX_DOC, "biber")


def assert_quiet_bibtex(log: str) -> None:
    problems = [
        line for line in log.splitlines() if line.startswith("Warning--") or "error message" in line
    ]
    assert problems == [], problems


def assert_quiet_biber(log: str) -> None:
    problems = [line for line in log.splitlines() if "WARN -" in line or "ERROR -" in line]
    assert problems == [], problems


@pytest.mark.latex
@pytest.mark.parametrize("ascii", [False, True])
def test_bibtex_plain_compiles_without_warnings(tmp_path: Path, ascii: bool) -> None:
    log, bbl = compile_with_bibtex(render_bib(sample_catalog(), ascii=ascii), tmp_path)
    assert_quiet_bibtex(log)
    assert "{TensorFlow}" in bbl  # the protected acronym survives the style's case change
    assert "\\textbackslash{}input" in bbl


@pytest.mark.slow
@pytest.mark.latex
def test_biblatex_biber_compiles_without_warnings(tmp_path: Path) -> None:
    log, bbl = compile_with_biber(render_bib(sample_catalog()), tmp_path)
    assert_quiet_biber(log)
    assert "{TensorFlow}" in bbl


def biber_datamodel_warnings(bib: str, tmp_path: Path) -> list[str]:
    """`biber --tool --validate-datamodel`: fields and entry types outside biblatex's model."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "papers.bib").write_text(bib, encoding="utf-8")
    done = _run([_tool("biber"), "--tool", "--validate-datamodel", "papers.bib"], tmp_path)
    assert done.returncode == 0, done.stdout[-3000:]
    assert "Datamodel validation complete" in done.stdout, done.stdout[-3000:]
    return [line for line in done.stdout.splitlines() if "WARN -" in line or "ERROR -" in line]


def pybtex_strict_parse(bib: str) -> pybtex.database.BibliographyData:
    """pybtex in strict mode: anything it would warn about (a bad name, a duplicate field or
    key, an unbalanced brace) raises instead."""
    pybtex.errors.set_strict_mode(True)
    try:
        data = pybtex.database.parse_string(bib, "bibtex")
        for entry in data.entries.values():
            for person in entry.persons.get("author", []):
                assert person.last_names, (entry.key, str(person))
        return data
    finally:
        pybtex.errors.set_strict_mode(False)


@pytest.mark.parametrize("ascii", [False, True])
def test_pybtex_reads_everything_in_strict_mode(ascii: bool) -> None:
    catalog = sample_catalog()
    data = pybtex_strict_parse(render_bib(catalog, ascii=ascii))
    assert list(data.entries) == [p.key for p in catalog.papers]
    tf = data.entries["lovelace2016tensorflow"]
    assert (tf.fields["eprint"], tf.fields["eprinttype"]) == ("1605.08695", "arxiv")


@pytest.mark.latex
def test_biber_validates_the_data_model_without_warnings(tmp_path: Path) -> None:
    assert biber_datamodel_warnings(render_bib(sample_catalog()), tmp_path) == []


def _balanced(value: str) -> bool:
    """Balanced as BibTeX counts: every brace character counts, escaped or not."""
    depth = 0
    for char in value:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _unresolved_with(evidence: str) -> CatalogPaper:
    """An unresolved paper whose DBLP decision left two close candidates (fake keys)."""
    candidates = [
        Candidate(id=f"conf/osdi/FAKE{n}", title=f"Fake Paper {n}", year=2016, title_score=96,
                  confidence=0.93, evidence=["title similarity 96"])
        for n in (1, 2)
    ]  # fmt: skip
    item = resolved(listed("Fake Paper"))
    decision = item.dblp.model_copy(update={"evidence": [evidence], "candidates": candidates})
    [paper] = merge([item.model_copy(update={"dblp": decision})], None, "2026-12-06")
    return paper


def test_a_same_title_tie_names_every_version_and_a_score_tie_pins_the_best() -> None:
    """Only a same-title ambiguity (issue 24) lists every version; two different titles that
    scored alike get the ordinary snippet pinning the best plausible candidate (issue 22)."""
    same = "\n".join(_render_unresolved([_unresolved_with(f"{SAME_TITLE_NOTE}: two")]))
    alike = "\n".join(
        _render_unresolved([_unresolved_with("ambiguous: conf/osdi/FAKE1 and FAKE2 score alike")])
    )
    assert 'dblp_key = "conf/osdi/FAKE1"  # or "conf/osdi/FAKE2"' in same
    assert "the list means this version" in same
    assert "the list means this version" not in alike and 'or "conf/osdi/FAKE2"' not in alike
    assert "conf/osdi/FAKE1" in alike


@pytest.mark.parametrize(
    "name",
    ["Ada Lovelace", "Martin Luther King Jr.", "Martin Luther King, Jr.", "King, Jr., Martin",
     "Rossum, Guido van", "Guy L. Steele JR", "Henry Ford II", "Louis  XIV iv", "Jr Smith",
     "Tom and Jerry", "Ana Jr. 0001", "A. Sr.. Smith", "Gauss ſr", "Paul Barham 0001",
     "Ærø Søren", "José &amp; Ana", "<i>Li</i> Wei, III"],
)  # fmt: skip
def test_a_name_without_a_comma_or_suffix_word_is_escaped_without_being_split(name: str) -> None:
    """name_field skips split_name when no suffix can be found; the result is the same."""
    value = escape(name)
    if re.search(r"\band\b", value, re.I):
        expected = "{" + value + "}"
    else:
        parts, text = split_name(clean_text(name)), clean_text(name)
        if (parts.suffix or "," in text) and parts.given:
            value = ", ".join(escape(p) for p in (parts.family, parts.suffix, parts.given) if p)
        # A word's non-ASCII first letter as its macro: BibTeX reads bytes ('Ærø' -> {\AE}rø).
        expected = re.sub(r"(?:^|(?<=[\s~,.\-]))[^\x00-\x7f]", lambda m: latex_char(m[0]), value)
    assert name_field([name]) == expected


def test_catalog_and_csl_json_written_item_by_item_are_the_whole_dump() -> None:
    items = [
        resolved(listed("Fast Things"), dblp_record("Fast Things."), s2_paper("Fast\nThings")),
        resolved(listed("Sl\u00f6w \u201cThings\u201d\t", id="x-slow", categories=["A", "B"])),
    ]
    for papers in (merge(items, None, "2026-11-27"), []):
        catalog = Catalog(source='x"\n    0\n', papers=papers)
        assert render_catalog(catalog) == to_json(catalog.model_dump(mode="json", by_alias=True))
        verified = [p for p in papers if p.status is not Status.UNRESOLVED]
        for only in (False, True):
            items = [csl_item(p) for p in (verified if only else papers)]
            assert render_csl(catalog, verified_only=only) == to_json(items).decode("utf-8")
