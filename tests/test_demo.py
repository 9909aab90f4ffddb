"""End to end: `make demo`'s run against the fake API, then the outputs through real clients."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
from conftest import ROOT
from demo import run_demo  # noqa: I001
from test_emit import (
    assert_quiet_biber,
    assert_quiet_bibtex,
    compile_with_biber,
    compile_with_bibtex,
)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("demo")
    assert run_demo(target) == 0
    return target


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
    # Semantic Scholar data in the demo is fixture data and says so.
    s2_papers = [p for p in catalog["papers"] if p["s2_paper_id"]]
    assert all(p["s2_paper_id"].startswith("fixture-") for p in s2_papers)
    assert all(p["abstract"].startswith("[FIXTURE]") for p in s2_papers)
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "71 resolved in both sources" in report and "## List lint" in report


@pytest.mark.latex
def test_the_seed_bibliography_compiles_cleanly(demo_dir: Path, tmp_path: Path) -> None:
    bib = (demo_dir / "output" / "papers.bib").read_text(encoding="utf-8")
    log, bbl = compile_with_bibtex(bib, tmp_path / "bibtex")
    assert_quiet_bibtex(log)
    assert "{TensorFlow}" in bbl
    log, bbl = compile_with_biber(bib, tmp_path / "biber")
    assert_quiet_biber(log)
    assert "{TensorFlow}" in bbl


def test_a_warm_rerun_is_byte_identical_and_a_stage_reruns_alone(demo_dir: Path) -> None:
    out = demo_dir / "output"
    before = {
        name: (out / name).read_bytes() for name in ("papers.bib", "catalog.json", "report.md")
    }
    env = {**os.environ, "DBLP_API_BASE": "http://127.0.0.1:9", "S2_API_BASE": "http://127.0.0.1:9"}
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
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "enrich", "--offline", "-q", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert (out / "papers.bib").read_bytes() == before["papers.bib"]
    assert (out / "catalog.json").read_bytes() == before["catalog.json"]
    # Re-emit alone with --ascii: no network, no other stage.
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "emit", "--ascii", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert (out / "papers.bib").read_bytes().isascii()
    assert b"Mart{\\'\\i}n Abadi" in (out / "papers.bib").read_bytes()
