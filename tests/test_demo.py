"""End to end: `make demo`'s run against the fake API, then the outputs through real clients."""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from pathlib import Path

import bibtexparser
import jsonschema
import pytest

from clirun import run_cli
from conftest import ROOT
from demo import run_demo  # noqa: I001
from pipeline.emit.csl import csl_problems
from pipeline.validate import validate_outputs
from test_csl import (
    assert_csl_matches_catalog,
    bibliography_by_citeproc_py,
    pandoc_cites_everything,
)
from test_emit import (
    assert_quiet_biber,
    assert_quiet_bibtex,
    biber_datamodel_warnings,
    compile_with_biber,
    compile_with_bibtex,
    pybtex_strict_parse,
)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("demo")
    assert run_demo(target) == 0
    return target


@pytest.mark.slow
def test_demo_outputs_are_complete_and_valid(demo_dir: Path) -> None:
    out = demo_dir / "output"
    catalog = json.loads((out / "catalog.json").read_text(encoding="utf-8"))
    jsonschema.validate(
        catalog, json.loads((out / "catalog.schema.json").read_text(encoding="utf-8"))
    )
    assert len(catalog["papers"]) == 194
    assert sum(p["status"] == "resolved" for p in catalog["papers"]) == 71
    library = bibtexparser.parse_string((out / "papers.bib").read_text(encoding="utf-8"))
    assert library.failed_blocks == [] and len(library.entries) == 194
    assert len({e.key for e in library.entries}) == 194
    # Semantic Scholar, arXiv and Crossref data in the demo is fixture data and says so.
    s2_papers = [p for p in catalog["papers"] if p["s2_paper_id"]]
    assert all(p["s2_paper_id"].startswith("fixture-") for p in s2_papers)
    with_abstract = [p for p in catalog["papers"] if p["abstract"]]
    assert all("[FIXTURE]" in p["abstract"] for p in with_abstract)
    # S2 withholds a third of them; arXiv and Crossref fill most of the gap.
    sources = Counter(p["abstract_source"] for p in with_abstract)
    # arXiv's 9 include TVM's, whose preprint has another title and the same authors
    assert sources == {"semantic scholar": 36, "arxiv": 9, "crossref": 13}
    assert all(p["provenance"]["abstract"] in ("s2", "arxiv", "crossref") for p in with_abstract)
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "71 resolved in both sources" in report and "## List lint" in report
    assert "58 with an abstract (from arxiv 9, crossref 13, semantic scholar 36)" in report
    assert "| arxiv | 1 |" in report and "| crossref | 1 |" in report  # one batch each


# Zotero's BibTeX import (translators/BibTeX.js, bibtex2zoteroTypeMap): @inproceedings ->
# conferencePaper, @article -> journalArticle, anything else (@misc) -> a generic item.
ZOTERO_TYPES = {"inproceedings": "conferencePaper", "article": "journalArticle"}


def test_every_resolved_paper_is_a_conference_paper_or_journal_article(demo_dir: Path) -> None:
    out = demo_dir / "output"
    library = bibtexparser.parse_string((out / "papers.bib").read_text(encoding="utf-8"))
    catalog = json.loads((out / "catalog.json").read_text(encoding="utf-8"))
    kinds = {entry.key: entry.entry_type for entry in library.entries}
    published = [p for p in catalog["papers"] if p["status"] != "unresolved"]
    preprints = [p for p in published if (p["dblp_key"] or "").startswith("journals/corr/")]
    assert len(published) == 71 and preprints == []
    assert {p["key"]: ZOTERO_TYPES.get(kinds[p["key"]]) for p in published} == {
        p["key"]: "conferencePaper" if p["entry_type"] == "inproceedings" else "journalArticle"
        for p in published
    }
    unresolved = [p for p in catalog["papers"] if p["status"] == "unresolved"]
    assert {kinds[p["key"]] for p in unresolved} == {"misc"}
    # The catalog's venue: the venue table's label and a full name, for every paper.
    assert all(p["venue_label"] and p["venue_name"] for p in catalog["papers"])
    labels = {p["venue_label"] for p in catalog["papers"]}
    assert {"OSDI", "SIGMOD", "ATC"} <= labels and "SIGMOD Conference" not in labels


def test_the_csl_json_matches_the_catalog_and_validates(demo_dir: Path) -> None:
    out = demo_dir / "output"
    items = json.loads((out / "papers.csl.json").read_text(encoding="utf-8"))
    catalog = json.loads((out / "catalog.json").read_text(encoding="utf-8"))
    assert csl_problems(items) == []
    assert_csl_matches_catalog(items, catalog)
    assert validate_outputs(out) == []
    assert len(bibliography_by_citeproc_py(items)) == 194


def test_validate_finds_a_broken_csl_file(demo_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "output"
    shutil.copytree(demo_dir / "output", out)
    csl = out / "papers.csl.json"
    items = json.loads(csl.read_text(encoding="utf-8"))
    csl.write_text(json.dumps(items[1:]), encoding="utf-8")
    assert validate_outputs(out) == [
        "papers.csl.json and catalog.json do not hold the same keys in order"
    ]
    items[3]["type"] = "inproceedings"
    csl.write_text(json.dumps(items), encoding="utf-8")
    [problem] = validate_outputs(out)
    assert problem.startswith(f"{csl}: item 4 ({items[3]['id']}): 'inproceedings' is not one of")


@pytest.mark.pandoc
def test_pandoc_cites_every_seed_paper(demo_dir: Path, tmp_path: Path) -> None:
    csl = (demo_dir / "output" / "papers.csl.json").read_text(encoding="utf-8")
    text = pandoc_cites_everything(csl, tmp_path)
    assert "TensorFlow: A System for Large-Scale Machine Learning" in text


@pytest.mark.slow
@pytest.mark.latex
def test_the_seed_bibliography_compiles_cleanly(demo_dir: Path, tmp_path: Path) -> None:
    bib = (demo_dir / "output" / "papers.bib").read_text(encoding="utf-8")
    log, bbl = compile_with_bibtex(bib, tmp_path / "bibtex")
    assert_quiet_bibtex(log)
    assert "{TensorFlow}" in bbl
    log, bbl = compile_with_biber(bib, tmp_path / "biber")
    assert_quiet_biber(log)
    assert "{TensorFlow}" in bbl
    assert biber_datamodel_warnings(bib, tmp_path / "datamodel") == []
    assert len(pybtex_strict_parse(bib).entries) == 194


def test_a_warm_rerun_is_byte_identical_and_a_stage_reruns_alone(demo_dir: Path) -> None:
    out = demo_dir / "output"
    before = {
        name: (out / name).read_bytes()
        for name in ("papers.bib", "catalog.json", "papers.csl.json", "report.md")
    }
    closed = "http://127.0.0.1:9"
    env = {
        **os.environ,
        **{f"{name}_API_BASE": closed for name in ("DBLP", "S2", "ARXIV", "CROSSREF")},
    }
    args = [
        "--out",
        str(out),
        "--work",
        str(demo_dir / "build"),
        "--cache",
        str(demo_dir / "cache"),
    ]
    # Offline, from the cache alone: the same outputs, byte for byte (the report's request
    # counters aside, which say where the data came from).
    done = run_cli("enrich", "--offline", "-q", *args, env=env, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert (out / "papers.bib").read_bytes() == before["papers.bib"]
    assert (out / "catalog.json").read_bytes() == before["catalog.json"]
    assert (out / "papers.csl.json").read_bytes() == before["papers.csl.json"]
    # Re-emit alone with --ascii: no network, no other stage.
    done = run_cli("emit", "--ascii", *args[:4], env=env, cwd=ROOT)  # emit takes no --cache
    assert done.returncode == 0, done.stderr
    assert (out / "papers.bib").read_bytes().isascii()
    assert b"Mart{\\'i}n Abadi" in (out / "papers.bib").read_bytes()
