"""A list's history replayed nightly over one cache and one output folder.

Real lists grow, lose papers and get entries replaced; the nightly job runs over each version
with the same cache and outputs. Whatever the edit: a resolved paper's key never changes, a
paper that stays loses no field, only what is new costs requests, and a run that is merely
over another version of the list exits 0.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fakeapi import FakeApi
from test_reliability import KEPT_FIELDS, enrich

PAPERS = {
    "osdi16-tf": ("OSDI", 2016, "TensorFlow: A System for Large-Scale Machine Learning"),
    "osdi16-gemini": ("OSDI", 2016, "Gemini: A Computation-Centric Distributed Graph Processing System"),
    "osdi18-ray": ("OSDI", 2018, "Ray: A Distributed Framework for Emerging AI Applications"),
    "osdi18-tvm": ("OSDI", 2018, "TVM: An Automated End-to-End Optimizing Compiler for Deep Learning"),
    "sosp19-pipedream": ("SOSP", 2019, "PipeDream: Generalized Pipeline Parallelism for DNN Training"),
    "sosp19-taso": ("SOSP", 2019, "TASO: Optimizing Deep Learning Computation with Automated Generation of Graph Substitutions"),
    "nsdi19-tiresias": ("NSDI", 2019, "Tiresias: A GPU Cluster Manager for Distributed Deep Learning"),
    "sigmod17-hetero": ("SIGMOD", 2017, "Heterogeneity-aware Distributed Parameter Servers"),
    "isca19-laconic": ("ISCA", 2019, "Laconic Deep Learning Inference Acceleration"),  # no TOC: unresolved
}  # fmt: skip

VERSIONS = [
    ["osdi16-tf", "osdi16-gemini", "sosp19-pipedream", "sigmod17-hetero", "isca19-laconic"],
    # a paper added in a new venue-year, one removed
    ["osdi16-tf", "osdi16-gemini", "osdi18-ray", "sosp19-pipedream", "isca19-laconic"],
    # three replaced
    ["osdi16-tf", "osdi18-tvm", "sosp19-taso", "nsdi19-tiresias", "isca19-laconic"],
    # one comes back
    ["osdi16-tf", "osdi18-tvm", "sosp19-taso", "nsdi19-tiresias", "isca19-laconic", "osdi16-gemini"],
]  # fmt: skip


def write_list(path: Path, names: list[str]) -> None:
    """The list in the seed list's format: venue and year headings, numbered entries."""
    lines = ["# A list that changes", ""]
    for venue in dict.fromkeys(PAPERS[n][0] for n in names):
        lines += [f"### {venue}", ""]
        for year in sorted({PAPERS[n][1] for n in names if PAPERS[n][0] == venue}):
            lines += [f"#### {year}", ""]
            entries = [n for n in names if PAPERS[n][:2] == (venue, year)]
            lines += [f"{i}. **{PAPERS[n][2]}** {venue} {year}" for i, n in enumerate(entries, 1)]
            lines.append("")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def catalog(place: Path) -> dict[str, dict[str, Any]]:
    data = json.loads((place / "output" / "catalog.json").read_text(encoding="utf-8"))
    return {p["list"]["title"]: {f: p[f] for f in KEPT_FIELDS} for p in data["papers"]}


@pytest.fixture
def api() -> Iterator[FakeApi]:
    server = FakeApi().start()
    yield server
    server.stop()


def test_a_nightly_replay_of_the_lists_history(tmp_path: Path, api: FakeApi) -> None:
    list_path = tmp_path / "papers.md"
    seen: dict[str, dict[str, Any]] = {}  # title -> its record when first resolved
    for number, names in enumerate(VERSIONS):
        write_list(list_path, names)
        before = len(api.log)
        done = enrich(api, tmp_path, "--list", str(list_path))
        assert done.returncode == 0, (number, done.stdout, done.stderr)
        now = catalog(tmp_path)
        assert sorted(now) == sorted(PAPERS[n][2] for n in names)
        for title, record in now.items():
            if title in seen:  # a paper seen before: same key, no field lost
                assert record["key"] == seen[title]["key"], (number, title)
                for field, value in seen[title].items():
                    if value not in (None, []):
                        assert record[field] == value, (number, title, field)
            elif record["status"] != "unresolved":
                seen[title] = record
        asked = api.log[before:]
        new_venue_years = {PAPERS[n][:2] for n in names} - {
            PAPERS[n][:2] for version in VERSIONS[:number] for n in version
        }
        new_papers = [n for n in names if all(n not in v for v in VERSIONS[:number])]
        dblp = [entry for entry in asked if entry[0] == "dblp"]
        s2 = [entry for entry in asked if entry[0] == "s2"]
        # Only what is new costs requests: a TOC per new venue-year (ISCA has none recorded:
        # its paper is searched once per TTL), one S2 lookup per new paper at most.
        assert len(dblp) <= len(new_venue_years) + (1 if number == 0 else 0), (number, dblp)
        assert len(s2) <= len(new_papers) + (1 if number == 0 else 0), (number, s2)
        abstracts = [entry for entry in asked if entry[0] in ("arxiv", "crossref")]
        assert len(abstracts) <= 2 * len(new_papers), (number, abstracts)  # at most one each
        report = (tmp_path / "output" / "report.md").read_text(encoding="utf-8")
        if number:
            assert "coverage dropped" not in report and "INCOMPLETE" not in done.stdout
