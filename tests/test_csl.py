"""papers.csl.json: valid CSL-JSON, the catalog's papers and keys, read by real CSL processors."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON

from builders import listed, resolved, s2_paper
from pipeline.emit.csl import csl_name, csl_problems, render_csl
from pipeline.models import Catalog, S2Author
from pipeline.text import split_name
from test_emit import catalog_of, sample_catalog


def items_of(catalog: Catalog) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = json.loads(render_csl(catalog))
    return items


def assert_csl_matches_catalog(items: list[dict[str, Any]], catalog: dict[str, Any]) -> None:
    """Same papers in the same order, same keys, DOIs and abstracts as catalog.json."""
    papers = catalog["papers"]
    assert [i["id"] for i in items] == [p["key"] for p in papers]
    assert [i["citation-key"] for i in items] == [p["key"] for p in papers]
    assert [i.get("DOI") for i in items] == [p["doi"] for p in papers]
    assert [i.get("abstract") for i in items] == [p["abstract"] for p in papers]
    assert [i.get("issued", {}).get("date-parts", [[None]])[0][0] for i in items] == [
        p["year"] for p in papers
    ]


def test_items_validate_and_match_the_catalog() -> None:
    catalog = sample_catalog()
    items = items_of(catalog)
    assert csl_problems(items) == []
    assert_csl_matches_catalog(items, json.loads(catalog.model_dump_json(by_alias=True)))


def test_schema_rejects_what_is_not_csl() -> None:
    items = items_of(sample_catalog())
    items[0]["type"] = "inproceedings"
    items[1]["booktitle"] = "not a CSL variable"
    del items[2]["id"]
    problems = csl_problems(items)
    assert len(problems) == 3
    assert problems[0].startswith("item 1 (lovelace2016tensorflow): 'inproceedings' is not one of")
    assert "'booktitle' was unexpected" in problems[1] and "'id' is a required" in problems[2]


def test_types_and_fields_follow_the_bib() -> None:
    items = {i["id"]: i for i in items_of(sample_catalog())}
    tf = items["lovelace2016tensorflow"]
    assert tf["type"] == "paper-conference"
    assert tf["container-title"] == "Fake Symposium 2016, Somewhere, USA"
    assert tf["container-title-short"] == "OSDI"
    assert (tf["page"], tf["DOI"], tf["issued"]) == (
        "265-283",
        "10.0000/fake.tf",
        {"date-parts": [[2016]]},
    )
    assert tf["note"] == "arXiv: 1605.08695"  # Zotero keeps 'arXiv: ...' in Extra
    assert tf["author"][0] == {"family": "Lovelace", "given": "Ada"}
    journal = items["lovelace2021journal"]
    assert journal["type"] == "article-journal"
    assert (journal["container-title"], journal["volume"], journal["issue"]) == (
        "Proc. VLDB Endow.",
        "14",
        "9",
    )
    preprint = items["lovelace2020preprint"]
    assert preprint["type"] == "article" and "container-title" not in preprint
    assert (preprint["number"], preprint["publisher"]) == ("arXiv:2001.00001", "arXiv")
    lonely = items["isca2019unresolved"]
    assert lonely["type"] == "article" and "author" not in lonely
    assert lonely["note"].startswith("Not verified") and "unresolved" in lonely["keyword"]
    hostile = next(i for i in items.values() if i["title"].startswith("}"))
    assert "<script" not in hostile["title"] and "\\input{/etc/passwd}" in hostile["title"]
    assert {"literal": "Tom and Jerry"} in hostile["author"]
    assert "URL" not in hostile  # javascript: is no URL


def test_s2_alone_is_a_conference_paper_with_its_fields() -> None:
    s2 = s2_paper(
        "Checkpointing Without DBLP",
        venue="USENIX Symposium on Operating Systems Design and Implementation",
        authors=[S2Author(name="Guido van Rossum"), S2Author(name="Martin Luther King Jr.")],
        externalIds={"DOI": "10.5555/fake.1", "ArXiv": "2001.00002"},
    )
    catalog = catalog_of(resolved(listed("Checkpointing Without DBLP"), None, s2))
    [item] = items_of(catalog)
    assert item["type"] == "paper-conference" and item["DOI"] == "10.5555/fake.1"
    assert item["container-title"] == (
        "USENIX Symposium on Operating Systems Design and Implementation (OSDI 2016)"
    )
    assert item["author"] == [
        {"given": "Guido", "family": "van Rossum"},
        {"given": "Martin Luther", "family": "King", "suffix": "Jr."},
    ]
    assert "not in DBLP" in item["keyword"]


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("Martín Abadi", ("Martín", "Abadi", "")),
        ("Derek G. Murray", ("Derek G.", "Murray", "")),
        ("Guido van Rossum", ("Guido", "van Rossum", "")),
        ("Juan de la Cruz", ("Juan", "de la Cruz", "")),
        ("Van Jacobson", ("Van", "Jacobson", "")),  # a capitalised given name, not a particle
        ("Martin Luther King Jr.", ("Martin Luther", "King", "Jr.")),
        ("Martin Luther King, Jr.", ("Martin Luther", "King", "Jr.")),
        ("King, Jr., Martin Luther", ("Martin Luther", "King", "Jr.")),
        ("Rossum, Guido van", ("Guido", "van Rossum", "")),
        ("Paul Barham 0001", ("Paul", "Barham", "")),
        ("Yuan Yu", ("Yuan", "Yu", "")),
        ("Plato", ("", "Plato", "")),
    ],
)
def test_names_split_into_given_family_and_suffix(name: str, parts: tuple[str, str, str]) -> None:
    assert split_name(name) == parts


def test_one_word_names_are_literal() -> None:
    assert csl_name("Plato") == {"literal": "Plato"}
    assert csl_name("Ada <b>Lovelace</b>") == {"given": "Ada", "family": "Lovelace"}


def test_output_is_deterministic() -> None:
    first, second = render_csl(sample_catalog()), render_csl(sample_catalog())
    assert first == second and first.endswith("\n")
    keys = list(json.loads(first)[0])
    assert keys == sorted(keys)


# -- real CSL processors -------------------------------------------------------------------


def bibliography_by_citeproc_py(items: list[dict[str, Any]]) -> list[str]:
    """Every item cited and formatted by citeproc-py with the style it ships."""
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    # citeproc-py implements CSL 1.0.1, which lacks 1.0.2's citation-key (the same as `id`
    # here); any other variable it did not know would warn, and warnings fail the tests.
    source = CiteProcJSON([{k: v for k, v in i.items() if k != "citation-key"} for i in items])
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    return [str(entry) for entry in bibliography.bibliography()]


def test_citeproc_py_reads_and_formats_every_item() -> None:
    items = items_of(sample_catalog())
    rendered = bibliography_by_citeproc_py(items)
    assert len(rendered) == len(items)
    tf = next(r for r in rendered if "TensorFlow" in r)
    assert "Lovelace, A." in tf and "2016" in tf and "Fake Symposium 2016" in tf
    assert any("Proc. VLDB Endow." in r for r in rendered)


def pandoc_cites_everything(csl: str, tmp_path: Path) -> str:
    """`pandoc --citeproc` on a document citing every key; any warning fails."""
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        pytest.fail("pandoc not found: run .ci/ensure-pandoc (make test does) to install it")
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "papers.csl.json").write_text(csl, encoding="utf-8")
    keys = [item["id"] for item in json.loads(csl)]
    (tmp_path / "doc.md").write_text(
        "Everything: [" + "; ".join(f"@{key}" for key in keys) + "].\n", encoding="utf-8"
    )
    done = subprocess.run(
        [pandoc, "--citeproc", "--bibliography", "papers.csl.json", "--fail-if-warnings",
         "-t", "plain", "--wrap=none", "doc.md"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0 and done.stderr == "", done.stderr[-3000:]
    return done.stdout


@pytest.mark.pandoc
def test_pandoc_cites_every_key_without_warnings(tmp_path: Path) -> None:
    catalog = sample_catalog()
    text = pandoc_cites_everything(render_csl(catalog), tmp_path)
    assert "TensorFlow: A System for Large-Scale ML" in text
    assert "???" not in text  # pandoc's mark for a citation it could not resolve
