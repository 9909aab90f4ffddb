"""A run with nothing new does nothing: the stamp of the last complete run (pipeline/stamp.py).

A skipped run must be exactly one that would have written the same bytes: anything it reads
that changed (the list, an output, a cached answer, its freshness, the stamp itself) makes it
recompute.
"""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import diskcache
import pytest

from conftest import ROOT
from fakeapi import FakeApi
from pipeline.config import Settings
from pipeline.stamp import (
    STAMP_NAME,
    RunStamp,
    answers_drawn_on,
    files_left,
    input_digest,
    unchanged_run,
    write_stamp,
)
from test_reliability import SMALL_LIST, command, enrich, env_for

SKIPPED = "nothing changed since the last run"


@pytest.fixture
def api() -> Iterator[FakeApi]:
    server = FakeApi().start()
    yield server
    server.stop()


def outputs(place: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((place / "output").iterdir()) if p.is_file()}


HEAVY = ("pydantic", "requests", "jinja2", "markdown_it", "numpy", "rapidfuzz", "pipeline.run")


def modules_loaded_by(api: FakeApi, place: Path, listed: Path) -> list[str]:
    """The heavy modules an enrich over `place` loads, run as its own interpreter."""
    code = (
        "import sys; from pipeline.cli import main; status = main(sys.argv[1:]); "
        f"print(sorted(m for m in sys.modules if m in {HEAVY!r})); sys.exit(status)"
    )
    arguments = command(place, "--list", str(listed))[3:]
    done = subprocess.run(
        [sys.executable, "-c", code, *arguments],
        cwd=ROOT, env=env_for(api), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0 and SKIPPED in done.stdout, done.stderr
    return list(ast.literal_eval(done.stdout.strip().splitlines()[-1]))


def written(place: Path) -> dict[Path, int]:
    """Each output and stage file with its modification time."""
    files = [*(place / "output").iterdir(), *(place / "build").iterdir()]
    return {p: p.stat().st_mtime_ns for p in files}


def test_a_second_warm_run_keeps_everything_and_an_edit_recomputes(
    tmp_path: Path, api: FakeApi
) -> None:
    listed = tmp_path / "list.md"
    shutil.copy(SMALL_LIST, listed)
    cold = enrich(api, tmp_path, "--list", str(listed))
    assert cold.returncode == 0, cold.stderr
    assert not (tmp_path / "build" / STAMP_NAME).exists()  # no previous catalog: not settled
    warm = enrich(api, tmp_path, "--list", str(listed))
    assert warm.returncode == 0 and SKIPPED not in warm.stdout
    assert (tmp_path / "build" / STAMP_NAME).is_file()
    before, mtimes = outputs(tmp_path), written(tmp_path)
    requests = len(api.requests("dblp")) + len(api.requests("s2"))

    again = enrich(api, tmp_path, "--list", str(listed))
    assert again.returncode == 0, again.stderr
    assert SKIPPED in again.stdout and "cache hits" in again.stdout  # the last summary
    assert warm.stderr and again.stderr == warm.stderr  # its warnings said again
    assert outputs(tmp_path) == before
    assert written(tmp_path) == mtimes  # nothing written
    assert len(api.requests("dblp")) + len(api.requests("s2")) == requests
    assert modules_loaded_by(api, tmp_path, listed) == []  # stdlib and the stamp alone

    listed.write_text(listed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    edited = enrich(api, tmp_path, "--list", str(listed))
    assert edited.returncode == 0 and SKIPPED not in edited.stdout
    assert outputs(tmp_path) == before  # a blank line changes no output

    (tmp_path / "output" / "report.md").unlink()
    restored = enrich(api, tmp_path, "--list", str(listed))
    assert SKIPPED not in restored.stdout
    assert outputs(tmp_path) == before

    refreshed = enrich(api, tmp_path, "--list", str(listed), "--refresh")
    assert refreshed.returncode == 0 and SKIPPED not in refreshed.stdout


def test_a_run_that_asked_a_source_leaves_no_stamp(tmp_path: Path, api: FakeApi) -> None:
    """Its report counts requests where the next run would count cache hits."""
    for _ in range(2):
        assert enrich(api, tmp_path).returncode == 0
    assert (tmp_path / "build" / STAMP_NAME).is_file()
    shutil.rmtree(tmp_path / "cache")  # the same answers fetched again: the catalog settles
    assert enrich(api, tmp_path).returncode == 0
    assert not (tmp_path / "build" / STAMP_NAME).exists()
    after = enrich(api, tmp_path)
    assert SKIPPED not in after.stdout and "| dblp | 0 |" in report(tmp_path)


def report(place: Path) -> str:
    return (place / "output" / "report.md").read_text(encoding="utf-8")


def test_a_run_that_drew_on_a_stale_answer_leaves_no_stamp(tmp_path: Path, api: FakeApi) -> None:
    for _ in range(2):
        assert enrich(api, tmp_path).returncode == 0
    assert (tmp_path / "build" / STAMP_NAME).is_file()
    api.down.add("s2")
    failed = enrich(api, tmp_path, "--refresh")
    assert failed.returncode == 1  # S2's answers served stale
    assert not (tmp_path / "build" / STAMP_NAME).exists()
    api.down.discard("s2")
    assert SKIPPED not in enrich(api, tmp_path).stdout


# The stamp's own rules, without a run: a small cache, outputs and a stamp written by hand.


@pytest.fixture
def place(tmp_path: Path) -> tuple[Settings, dict[str, float | None]]:
    settings = Settings(
        list_path=tmp_path / "list.md",
        out_dir=tmp_path / "output",
        work_dir=tmp_path / "build",
        cache_dir=tmp_path / "cache",
    )
    settings.list_path.write_text("- **A Paper** OSDI 2020\n", encoding="utf-8")
    settings.out_dir.mkdir()
    (settings.out_dir / "papers.bib").write_text("@misc{a}\n", encoding="utf-8")
    with diskcache.Cache(str(settings.cache_dir)) as cache:
        cache.set("toc", {"body": "." * 100_000})  # large: diskcache keeps it in its own file
        cache.set("search", {"body": "..."})
    used: dict[str, float | None] = {"toc": 2000.0, "search": 3000.0}
    return settings, used


def stamped(settings: Settings, used: dict[str, float | None]) -> RunStamp:
    answers = answers_drawn_on(used, settings.cache_dir)
    stamp = RunStamp(input_digest(settings), files_left(settings), answers, "summary", [], "now")
    write_stamp(settings, stamp)
    return stamp


def test_the_stamp_holds_while_nothing_changes_and_answers_are_fresh(
    place: tuple[Settings, dict[str, float | None]],
) -> None:
    settings, used = place
    stamp = stamped(settings, used)
    assert set(stamp.answers) == {"toc", "search"}
    assert unchanged_run(settings, input_digest(settings), now=1999.0) == stamp
    assert unchanged_run(settings, input_digest(settings), now=2000.0) is None  # toc expired


@pytest.mark.parametrize(
    "change",
    [
        "list edited",
        "overrides added",
        "output edited",
        "output removed",
        "answer stored again",
        "answer dropped",
        "answer's file removed",
        "stamp damaged",
        "stamp's warnings damaged",
        "other settings",
    ],
)
def test_any_change_to_what_the_run_read_or_wrote_recomputes(
    place: tuple[Settings, dict[str, float | None]], change: str
) -> None:
    settings, used = place
    stamped(settings, used)
    if change == "list edited":
        settings.list_path.write_text("- **A Paper** OSDI 2021\n", encoding="utf-8")
    elif change == "overrides added":
        settings.overrides_file.write_text("[[override]]\n", encoding="utf-8")
    elif change == "output edited":
        (settings.out_dir / "papers.bib").write_text("@misc{b}\n", encoding="utf-8")
    elif change == "output removed":
        (settings.out_dir / "papers.bib").unlink()
    elif change in ("answer stored again", "answer dropped"):
        with diskcache.Cache(str(settings.cache_dir)) as cache:
            if change == "answer dropped":
                cache.delete("toc")
            else:
                cache.set("toc", {"body": "new"})
    elif change == "answer's file removed":
        files = [p for p in settings.cache_dir.rglob("*.val")]
        assert len(files) == 1
        files[0].unlink()
    elif change == "stamp's warnings damaged":
        path = settings.work_dir / STAMP_NAME
        path.write_text(path.read_text("utf-8").replace('"warnings": []', '"warnings": 5'), "utf-8")
    elif change == "stamp damaged":
        (settings.work_dir / STAMP_NAME).write_text('{"format": 1, "answers": [', "utf-8")
    elif change == "other settings":
        settings = Settings(**{**settings.__dict__, "ascii": True})
    assert unchanged_run(settings, input_digest(settings), now=1000.0) is None


def test_a_run_that_fetched_or_served_stale_cannot_be_stamped(
    place: tuple[Settings, dict[str, float | None]],
) -> None:
    settings, used = place
    assert answers_drawn_on({**used, "s2": None}, settings.cache_dir) == {}
    assert answers_drawn_on({**used, "gone": 5000.0}, settings.cache_dir) == {}
    stamp = json.loads(json.dumps(stamped(settings, used).__dict__))
    assert all(len(pair) == 2 for pair in stamp["answers"].values())
