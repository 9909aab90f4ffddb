"""Nothing lost, whatever fails: faults from a fake API on 127.0.0.1, kills, concurrent runs.

Every run here is the real CLI against tests/fakeapi.py, in this process (tests/clirun.py)
except where a process is killed or two race; timeouts and back-off are shortened through the
environment so that each scenario ends in seconds.
"""

from __future__ import annotations

import datetime
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from clirun import run_cli
from conftest import ROOT
from fakeapi import FakeApi, Reply
from pipeline.validate import OUTPUT_FILES, validate_outputs

SMALL_LIST = ROOT / "tests" / "fixtures" / "small-list.md"
KEPT_FIELDS = ("key", "dblp_key", "doi", "title", "authors", "year", "booktitle", "pages",
               "s2_paper_id", "citation_count", "abstract", "status")  # fmt: skip
TRUNCATED = '{"result": {"hits": {"@total": "48", "@sent": "48", "hit": [{"info": {"key": "conf/os'
HTML_200 = "<!DOCTYPE html><html><body>Maintenance: back soon</body></html>"


def env_for(api: FakeApi, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        **api.env(),
        "DBLP_MIN_INTERVAL": "0",
        "S2_MIN_INTERVAL": "0",
        "ARXIV_MIN_INTERVAL": "0",
        "CROSSREF_MIN_INTERVAL": "0",
        "HTTP_TIMEOUT": "1",
        "HTTP_MAX_ATTEMPTS": "3",
        "HTTP_MAX_WAIT": "10",
        "HTTP_BACKOFF": "0.2",
        "HTTP_BREAKER_THRESHOLD": "3",
        **extra,
    }


def command(place: Path, *extra: str) -> list[str]:
    return [
        sys.executable, "-m", "pipeline", "enrich", "-q", "--list", str(SMALL_LIST),
        "--out", str(place / "output"), "--work", str(place / "build"), "--cache", str(place / "cache"),
        *extra,
    ]  # fmt: skip


def enrich(api: FakeApi, place: Path, *extra: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The run in this process (tests/clirun.py): kills and races use `start` instead."""
    return run_cli(*command(place, *extra)[3:], env=env_for(api, **env), cwd=ROOT)


def start(
    api: FakeApi, place: Path, env: dict[str, str], capture: bool = False
) -> subprocess.Popen[str]:
    """enrich in the background (for kills and races); `capture` keeps its output."""
    stream = subprocess.PIPE if capture else subprocess.DEVNULL
    return subprocess.Popen(
        command(place), cwd=ROOT, env=env_for(api, **env), stdout=stream, stderr=stream, text=True
    )


def papers(place: Path) -> list[dict[str, Any]]:
    data = json.loads((place / "output" / "catalog.json").read_text(encoding="utf-8"))
    return [{name: p[name] for name in KEPT_FIELDS} for p in data["papers"]]


@pytest.fixture
def api() -> Iterator[FakeApi]:
    server = FakeApi().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A complete, healthy run: the previous catalog every fault scenario starts from."""
    place = tmp_path_factory.mktemp("baseline")
    server = FakeApi().start()
    try:
        done = enrich(server, place)
    finally:
        server.stop()
    assert done.returncode == 0, done.stderr
    resolved = [p for p in papers(place) if p["status"] == "resolved"]
    assert len(resolved) == 6  # all but the ISCA paper, whose table of contents is not recorded
    return place


def from_baseline(baseline: Path, tmp_path: Path) -> Path:
    """The baseline's outputs, with an empty cache: this run must fetch everything again."""
    shutil.copytree(baseline / "output", tmp_path / "output")
    return tmp_path


def api_429_html() -> str:
    return (ROOT / "tests" / "fixtures" / "dblp" / "429.html").read_text(encoding="utf-8")


def test_crossref_down_costs_only_crossref(baseline: Path, tmp_path: Path, api: FakeApi) -> None:
    """Crossref gave the baseline no abstract: nothing goes stale; the run is published with
    the gap in the report and exit status 3, on which the nightly job still publishes."""
    place = from_baseline(baseline, tmp_path)
    api.down.add("crossref")
    done = enrich(api, place)
    assert done.returncode == 3 and "Traceback" not in done.stderr
    assert papers(place) == papers(baseline)
    report = (place / "output" / "report.md").read_text(encoding="utf-8")
    assert "could not be fetched from Crossref" in report
    assert len(api.requests("crossref")) <= 3  # one DOI: one request, HTTP_MAX_ATTEMPTS=3


def test_a_retry_after_burst_is_counted_in_the_report(
    baseline: Path, tmp_path: Path, api: FakeApi
) -> None:
    place = from_baseline(baseline, tmp_path)
    api.script("dblp", *[Reply(429, api_429_html(), {"Retry-After": "1"})] * 2)
    assert enrich(api, place).returncode == 0
    report = (place / "output" / "report.md").read_text(encoding="utf-8")
    dblp_row = next(line for line in report.splitlines() if line.startswith("| dblp"))
    assert dblp_row.split("|")[5].strip() == "2"  # the 429s column


def test_corrupt_previous_catalog_is_kept_aside_and_reported(
    baseline: Path, tmp_path: Path, api: FakeApi
) -> None:
    place = from_baseline(baseline, tmp_path)
    (place / "output" / "catalog.json").write_text('{"papers": [', encoding="utf-8")
    done = enrich(api, place)
    assert done.returncode == 1
    assert "previous catalog is unreadable" in done.stdout
    kept = list((place / "output").glob("catalog.json.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == '{"papers": ['
    assert validate_outputs(place / "output") == []


def test_corrupt_cache_is_set_aside_and_rebuilt(
    baseline: Path, tmp_path: Path, api: FakeApi
) -> None:
    place = from_baseline(baseline, tmp_path)
    (place / "cache").mkdir()
    (place / "cache" / "cache.db").write_bytes(b"\x00garbage" * 500)
    done = enrich(api, place)
    assert done.returncode == 0, done.stderr
    assert "unreadable" in done.stderr and list(place.glob("cache.corrupt-*"))
    assert papers(place) == papers(baseline)


@pytest.mark.slow
def test_sigkill_at_random_moments_then_rerun(tmp_path: Path, api: FakeApi) -> None:
    reference = tmp_path / "reference"
    assert enrich(api, reference).returncode == 0
    place = tmp_path / "killed"
    rng = random.Random(20261127)
    slow = {"DBLP_MIN_INTERVAL": "0.08", "S2_MIN_INTERVAL": "0.08"}
    for _ in range(5):
        process = start(api, place, slow)
        time.sleep(rng.uniform(0.2, 2.5))
        process.send_signal(signal.SIGKILL)
        process.wait()
        out = place / "output"
        if out.exists():  # a complete set or nothing, never a mix
            assert validate_outputs(out) == []
    done = enrich(api, place)
    assert done.returncode == 0, done.stderr
    assert not [p for p in place.iterdir() if ".staging-" in p.name]
    for name in ("papers.bib", "catalog.json", "catalog.schema.json", "papers.csl.json"):
        assert (place / "output" / name).read_bytes() == (
            reference / "output" / name
        ).read_bytes(), name


@pytest.mark.slow
def test_two_runs_at_once(tmp_path: Path, api: FakeApi) -> None:
    slow = {"DBLP_MIN_INTERVAL": "0.4", "S2_MIN_INTERVAL": "0.4"}
    first = start(api, tmp_path, slow, capture=True)
    lock = tmp_path / ".output.lock"
    deadline = time.monotonic() + 20
    while not (lock.exists() and "pid" in lock.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)  # the first run holds the lock from its start
    second = enrich(api, tmp_path, **slow)  # in this process: the lock is another process's
    out, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    assert second.returncode == 1
    assert "already writing" in second.stderr and "nothing was written" in second.stderr
    assert validate_outputs(tmp_path / "output") == []


def test_hostile_titles_never_reach_file_names(tmp_path: Path, api: FakeApi) -> None:
    hostile = tmp_path / "hostile.md"
    hostile.write_text(
        "### ../../etc\n#### 2020\n1. **../../../tmp/evil; rm -rf ~** ../.. 2020\n",
        encoding="utf-8",
    )
    done = enrich(api, tmp_path, "--list", str(hostile))
    assert done.returncode == 0, done.stderr
    written = {
        p.relative_to(tmp_path).as_posix()
        for p in tmp_path.rglob("*")
        if p.is_file() and "cache" not in p.parts
    }
    assert written <= {"hostile.md", "build/parse.json", "build/resolve.json", "build/merge.json",
                       *(f"output/{name}" for name in OUTPUT_FILES)} | {w for w in written if w.startswith(".")}  # fmt: skip
    assert not (tmp_path.parent / "tmp").exists()


# -- bot walls: a pause, not a failure ---------------------------------------------------

WALL_ENV = {"HTTP_WALL_FIRST_WAIT": "0.4", "HTTP_WALL_INTERVAL": "0.05"}


def test_a_bot_wall_early_in_a_cold_run_costs_no_match(
    baseline: Path, tmp_path: Path, api: FakeApi
) -> None:
    api.wall("dblp", 1.0)  # from the first request on; the real one lasted 45 s
    done = enrich(api, tmp_path, **WALL_ENV)
    assert done.returncode == 0, (done.stdout, done.stderr)
    assert api.walls_sent["dblp"] >= 1
    assert papers(tmp_path) == papers(baseline)  # the same matches as without the wall
    report = (tmp_path / "output" / "report.md").read_text(encoding="utf-8")
    assert "DBLP showed a bot wall from" in report and "it lifted" in report
    assert "bot wall" in done.stdout and "INCOMPLETE" not in done.stdout


def test_a_wall_beyond_its_budget_keeps_what_the_catalog_had(
    baseline: Path, tmp_path: Path, api: FakeApi
) -> None:
    place = from_baseline(baseline, tmp_path)
    api.wall("dblp", 600)
    done = enrich(api, place, HTTP_WALL_BUDGET="1", **WALL_ENV)
    assert done.returncode == 1
    assert "bot wall outlasted the wall budget" in done.stdout
    assert papers(place) == papers(baseline)  # nothing lost: the previous values are kept
    report = (place / "output" / "report.md").read_text(encoding="utf-8")
    assert "it outlasted the wall budget" in report and "(stopped: bot wall)" in report
    assert len(api.requests("dblp")) <= 4  # not asked again once the budget was spent


def test_a_refused_s2_key_stops_the_run_with_exit_2(tmp_path: Path, api: FakeApi) -> None:
    api.script("s2", *[Reply(403, '{"message":"Forbidden"}')] * 3)
    done = enrich(api, tmp_path, S2_API_KEY="sk-refused-0000")
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "API key was refused (HTTP 403)" in done.stderr and "sk-refused" not in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "output" / "catalog.json").exists()  # nothing half-done published


def test_no_s2_key_is_said_once_at_the_start(tmp_path: Path, api: FakeApi) -> None:
    done = enrich(api, tmp_path, S2_API_KEY="")  # "" counts as not set
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("S2_API_KEY is not set") == 1


def test_only_without_earlier_results_keeps_every_paper(
    baseline: Path, tmp_path: Path, api: FakeApi
) -> None:
    fresh = enrich(api, tmp_path / "fresh", "--only", "OSDI")
    assert fresh.returncode == 0, fresh.stderr
    assert "other papers have no earlier results" in fresh.stderr
    listed = papers(baseline)
    got = papers(tmp_path / "fresh")
    assert [p["key"] for p in got if p["status"] != "unresolved"] and len(got) == len(listed)
    assert {p["status"] for p in got if not p["dblp_key"]} <= {"unresolved"}
    # A clean clone: the published catalog but no stage files; the others are kept as they were.
    place = from_baseline(baseline, tmp_path / "clone")
    assert enrich(api, place, "--only", "OSDI").returncode == 0
    assert papers(place) == listed


def test_run_from_another_directory_uses_the_shipped_venue_table(
    tmp_path: Path, api: FakeApi
) -> None:
    """Not from the repository root: the venue table still gives one TOC query per venue-year
    (a search per paper would mean the table was not found)."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = run_cli(*command(tmp_path)[3:], env=env_for(api), cwd=elsewhere)
    assert done.returncode == 0, done.stderr
    searches = [path for _, _, path in api.requests("dblp") if "toc%3A" not in path]
    tocs = [path for _, _, path in api.requests("dblp") if "toc%3A" in path]
    assert len(tocs) == 5 and len(searches) <= 2  # ISCA 2019 has no recorded TOC: searched


def test_expired_answers_served_after_a_failure_are_published_as_stale(
    baseline: Path, tmp_path: Path, api: FakeApi
) -> None:
    """A nightly `--refresh` (answers expired) while Semantic Scholar is down: the client
    serves S2's old answers, and everything built from them says so, with their date."""
    place = tmp_path / "run"
    shutil.copytree(baseline, place)
    api.down.add("s2")
    done = enrich(api, place, "--refresh")
    assert done.returncode == 1, done.stderr  # published, and said so: like any stale data
    catalog = json.loads((place / "output" / "catalog.json").read_text(encoding="utf-8"))
    today = datetime.datetime.now(datetime.UTC).date().isoformat()  # the baseline's run
    counted = 0
    for paper in catalog["papers"]:
        if paper["s2_paper_id"] is None:
            continue
        mark = paper["stale"]["citation_count"]
        assert mark["as_of"] == today and mark["since"] == today
        assert "Semantic Scholar" in mark["reason"]
        assert paper["stale"]["s2_paper_id"] == mark and "doi" not in paper["stale"]
        counted += 1
    assert counted >= 6
    report = (place / "output" / "report.md").read_text(encoding="utf-8")
    stale_section = report.split("## Stale", 1)[1].split("\n## ", 1)[0]
    assert "citation_count" in stale_section and f"value as of {mark['as_of']}" in stale_section
    assert "Every field was refreshed" not in report
    assert f"papers with stale fields: {counted}" in done.stdout + done.stderr
    page = (place / "output" / "index.html").read_text(encoding="utf-8")
    assert page.count("citation count, influential citation count, ") == counted
    assert f"as of {today}" in page
