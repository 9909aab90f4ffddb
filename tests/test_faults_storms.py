"""Fault storms against the real CLI: links that drop, answers that change shape, caches that
break. Each run is `python -m pipeline enrich` in a subprocess against tests/fakeapi.py, from a
healthy run's outputs, with timeouts and back-off shortened through the environment."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from fakeapi import FakeApi, Reply
from test_reliability import api, baseline, enrich, from_baseline, papers

__all__ = ["api", "baseline"]  # fixtures, shared with tests/test_reliability.py


DROPS = {
    "dblp: bodies cut short": ("dblp", [Reply(200, '{"result": {"hits": {}}}', broken="cut")] * 2),
    "dblp: resets on the run's first requests": ("dblp", [Reply(200, "", broken="reset")] * 2),
    "s2: batch answer cut short": ("s2", [Reply(200, "[null, null, null]", broken="cut")]),
    "arxiv: reset": ("arxiv", [Reply(200, "", broken="reset")]),
}


@pytest.mark.parametrize("fault", list(DROPS))
def test_a_dropped_connection_is_retried_and_costs_nothing(
    fault: str, baseline: Path, tmp_path: Path, api: FakeApi
) -> None:
    """The host was reached and the link dropped: retried like a timeout, never taken for a
    source that cannot be reached (which would skip it for the whole run)."""
    source, replies = DROPS[fault]
    api.script(source, *replies)
    place = from_baseline(baseline, tmp_path)
    done = enrich(api, place)
    assert done.returncode == 0, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr and "cannot be reached" not in done.stderr
    assert papers(place) == papers(baseline)


def copy_run(baseline: Path, tmp_path: Path) -> Path:
    """The baseline's outputs and cache."""
    place = tmp_path / "run"
    shutil.copytree(baseline, place)
    return place


SIGMOD_DOIS = ["10.1145/3035918.3035933", "10.1145/3035918.3054782", "10.1145/3448016.3457241"]


def test_a_mixed_up_batch_answer_gives_no_paper_another_papers_record(
    baseline: Path, tmp_path: Path, api: FakeApi
) -> None:
    """S2's batch answers by position: answered in reverse, the first and last SIGMOD papers
    would swap records (abstract, citations). They are refused, said, and the catalog keeps
    what it had."""
    answer = [api.s2_by_id[f"doi:{doi}"] for doi in reversed(SIGMOD_DOIS)]
    api.script("s2", Reply(200, json.dumps(answer), route="/paper/batch"))
    place = from_baseline(baseline, tmp_path)
    done = enrich(api, place)
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "2 papers could not be fetched from Semantic Scholar" in done.stdout
    assert papers(place) == papers(baseline)
    report = (place / "output" / "report.md").read_text(encoding="utf-8")
    assert f"DOI:{SIGMOD_DOIS[0]} answered with the paper of DOI:{SIGMOD_DOIS[2]}" in report


def test_a_table_of_contents_without_its_hits_is_said_and_not_kept(
    baseline: Path, tmp_path: Path, api: FakeApi
) -> None:
    """A page that says it sent 48 hits and carries none is not an empty table of contents:
    the run says so, and the next run asks again instead of reading it from the cache."""
    hitless = {"result": {"hits": {"@total": "48", "@computed": "48", "@sent": "48",
                                   "@first": "0"}}}  # fmt: skip
    api.script("dblp", Reply(200, json.dumps(hitless), route="/search/publ/api"))
    place = from_baseline(baseline, tmp_path)
    done = enrich(api, place)
    assert "Traceback" not in done.stderr
    report = (place / "output" / "report.md").read_text(encoding="utf-8")
    assert "the page says it sent 48 hits but carries none" in report
    assert papers(place) == papers(baseline)
    asked = len(api.requests("dblp"))
    assert enrich(api, place).returncode == 0
    assert "osdi2016" in api.requests("dblp")[asked][2]  # asked again: it was not cached
