"""Each fault of the fake API, one scenario each: nothing lost, and the exit status says what
happened (apart from tests/test_reliability.py, so that the test workers share the scenarios)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from fakeapi import FakeApi, Reply
from pipeline.validate import validate_outputs
from test_reliability import (
    HTML_200,
    TRUNCATED,
    api,
    api_429_html,
    baseline,
    enrich,
    from_baseline,
    papers,
)

__all__ = ["api", "baseline"]  # fixtures, shared with tests/test_reliability.py

FAULTS = {
    "dblp down": (lambda api: api.down.add("dblp"), 1),
    "s2 down": (lambda api: api.down.add("s2"), 1),
    "s2 429 storm without Retry-After": (lambda api: api.script("s2", *[Reply(429, '{"message":"Too Many Requests"}')] * 40), 1),
    "dblp 429 burst with Retry-After": (lambda api: api.script("dblp", *[Reply(429, api_429_html(), {"Retry-After": "1"})] * 2), 0),
    "dblp 5xx burst": (lambda api: api.script("dblp", Reply(503, "<html>503</html>"), Reply(502, "")), 0),
    "hung connections": (lambda api: api.script("dblp", Reply(200, "{}", delay=2.5), Reply(200, "{}", delay=2.5)), 0),
    # Not retried (only 429, 5xx, timeouts and connection errors are): the run is incomplete.
    "truncated JSON": (lambda api: api.script("dblp", Reply(200, TRUNCATED)), 1),
    "HTML with status 200": (lambda api: api.script("s2", Reply(200, HTML_200)), 1),
    # TensorFlow's abstract comes from arXiv (S2 withholds it): it is kept, marked stale, and
    # the run is published with that gap (status 3: arXiv and Crossref only add abstracts).
    "arxiv down": (lambda api: api.down.add("arxiv"), 3),
    "arxiv 429 storm without Retry-After": (lambda api: api.script("arxiv", *[Reply(429, "Rate exceeded.", {"Content-Type": "text/plain"})] * 40), 3),
    "arxiv HTML with status 200": (lambda api: api.script("arxiv", Reply(200, HTML_200)), 3),
    "arxiv truncated feed": (lambda api: api.script("arxiv", Reply(200, '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/1605.08695v2</id><summ', {"Content-Type": "application/atom+xml"})), 3),
}  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("fault", list(FAULTS))
def test_faults_lose_nothing_and_the_exit_status_tells_the_truth(
    fault: str, baseline: Path, tmp_path: Path, api: FakeApi
) -> None:
    place = from_baseline(baseline, tmp_path)
    inject, expected_status = FAULTS[fault]
    inject(api)
    started = time.monotonic()
    done = enrich(api, place)
    elapsed = time.monotonic() - started
    assert elapsed < 60, f"{fault}: took {elapsed:.0f} s"
    assert "Traceback" not in done.stderr
    assert done.returncode == expected_status, (fault, done.stdout, done.stderr)
    assert papers(place) == papers(baseline)  # refreshed to the same values, or kept
    assert validate_outputs(place / "output") == []
    report = (place / "output" / "report.md").read_text(encoding="utf-8")
    catalog = json.loads((place / "output" / "catalog.json").read_text(encoding="utf-8"))
    stale = [p for p in catalog["papers"] if p["stale"]]
    if expected_status == 1:
        assert "## Attention" in report and stale
        assert "INCOMPLETE" in done.stdout
    elif expected_status == 3:
        assert "## Attention" in report and stale
        assert all(set(p["stale"]) <= {"abstract", "abstract_source"} for p in stale)
        assert "PUBLISHED WITH A GAP" in done.stdout and "INCOMPLETE" not in done.stdout
    else:
        assert not stale and "## Attention" not in report
