"""Decisions kept from the last resolve run (pipeline/resolve/earlier.py).

A kept decision must be exactly the one deciding again would give: anything it rests on that
changed (the entry, a cached answer, the settings, a failure in the run that made it) makes the
paper be decided again.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import diskcache
import pytest

from fakeapi import FakeApi
from pipeline.models import (
    DblpResolution,
    FetchStatus,
    ListedPaper,
    ResolveBasis,
    ResolvedPaper,
    ResolveResult,
    S2Resolution,
    StatedIn,
)
from pipeline.resolve.earlier import kept_decisions, next_basis, same_entry, settled
from pipeline.stamp import STAMP_NAME, still_fresh
from test_reliability import SMALL_LIST, enrich

NOTHING_CHANGED = "nothing changed since the last run"


@pytest.fixture
def api() -> Iterator[FakeApi]:
    server = FakeApi().start()
    yield server
    server.stop()


def resolved(place: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((place / "build" / "resolve.json").read_text("utf-8"))
    return data


def kept(place: Path) -> int:
    counts = resolved(place)["counters"]
    assert counts["dblp"]["reused"] == counts["s2"]["reused"]
    return int(counts["dblp"]["reused"])


def asked(api: FakeApi) -> int:
    return len(api.requests("dblp")) + len(api.requests("s2"))


def outputs(place: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((place / "output").iterdir()) if p.is_file()}


def listed_copy(place: Path) -> Path:
    place.mkdir(parents=True, exist_ok=True)
    copy = place / "list.md"
    shutil.copy(SMALL_LIST, copy)
    return copy


def test_kept_decisions_publish_what_deciding_again_publishes(tmp_path: Path, api: FakeApi) -> None:
    listed = listed_copy(tmp_path)
    assert enrich(api, tmp_path, "--list", str(listed)).returncode == 0
    papers = len(resolved(tmp_path)["papers"])
    assert resolved(tmp_path)["basis"]["answers"]  # a run that asked leaves its basis too
    before = asked(api)

    again = enrich(api, tmp_path, "--list", str(listed))
    assert again.returncode == 0, again.stderr
    assert kept(tmp_path) == papers and asked(api) == before
    assert "kept from last run" in again.stdout
    report = (tmp_path / "output" / "report.md").read_text("utf-8")
    assert f"{papers} papers kept their DBLP and Semantic Scholar decisions and their" in report
    assert len(api.requests("arxiv")) + len(api.requests("crossref")) > 0  # asked when cold
    with_kept = outputs(tmp_path)

    (tmp_path / "build" / "resolve.json").unlink()  # nothing to keep: every paper decided
    decided = enrich(api, tmp_path, "--list", str(listed))
    assert decided.returncode == 0 and NOTHING_CHANGED not in decided.stdout
    assert kept(tmp_path) == 0 and "kept from last run" not in decided.stdout
    decided_again = outputs(tmp_path)
    for name in ("catalog.json", "papers.bib", "papers.csl.json", "index.html"):
        assert with_kept[name] == decided_again[name], name


def test_an_edited_entry_is_decided_again_and_a_moved_one_kept(
    tmp_path: Path, api: FakeApi
) -> None:
    listed = listed_copy(tmp_path)
    assert enrich(api, tmp_path, "--list", str(listed)).returncode == 0
    papers = len(resolved(tmp_path)["papers"])
    text = listed.read_text("utf-8")
    title = "Tiresias: A GPU Cluster Manager for Distributed Deep Learning"
    edited = text.replace(title, "Tiresias: a GPU cluster manager for distributed deep learning")
    assert edited != text
    listed.write_text("An introduction,\nmoving every entry down.\n\n" + edited, "utf-8")

    done = enrich(api, tmp_path, "--list", str(listed))
    assert done.returncode == 0, done.stderr
    assert kept(tmp_path) == papers - 1  # the same id (the slug ignores case), not the same entry
    catalog = json.loads((tmp_path / "output" / "catalog.json").read_text("utf-8"))
    lines = {p["list"]["title"]: p["list"]["line"] for p in catalog["papers"]}
    original = {p.title: p.line for p in _parsed_small_list()}
    moved = [t for t in lines if t in original]
    assert moved and all(lines[t] == original[t] + 3 for t in moved)  # the new place is published
    assert any(p["list"]["title"].startswith("Tiresias: a GPU") for p in catalog["papers"])
    report = (tmp_path / "output" / "report.md").read_text("utf-8")
    assert f"{papers - 1} papers kept their DBLP and Semantic Scholar decisions from" in report

    with_kept = outputs(tmp_path)  # the abstracts asked again for all: the same as deciding all
    (tmp_path / "build" / "resolve.json").unlink()
    assert enrich(api, tmp_path, "--list", str(listed)).returncode == 0
    assert kept(tmp_path) == 0
    decided = outputs(tmp_path)
    for name in ("catalog.json", "papers.bib", "papers.csl.json", "index.html"):
        assert with_kept[name] == decided[name], name


def _parsed_small_list() -> list[ListedPaper]:
    from pipeline.parse import parse_list_file
    from pipeline.venues import load_venues

    return parse_list_file(SMALL_LIST, venues=load_venues(Path("absent.toml"))).papers


def test_an_answer_stored_again_means_nothing_is_kept(tmp_path: Path, api: FakeApi) -> None:
    """Its bytes may be new: whatever rests on the answers is decided again."""
    assert enrich(api, tmp_path).returncode == 0
    with diskcache.Cache(str(tmp_path / "cache")) as cache:
        key = next(iter(resolved(tmp_path)["basis"]["answers"]))
        cache.set(key, cache.get(key))
    done = enrich(api, tmp_path)
    assert done.returncode == 0, done.stderr
    assert kept(tmp_path) == 0


def test_a_run_an_answer_failed_leaves_no_basis(tmp_path: Path, api: FakeApi) -> None:
    api.down.add("s2")
    enrich(api, tmp_path)
    assert resolved(tmp_path)["basis"] is None
    api.down.clear()
    before = len(api.requests("s2"))
    assert enrich(api, tmp_path).returncode == 0
    assert kept(tmp_path) == 0 and len(api.requests("s2")) > before
    assert resolved(tmp_path)["basis"] is not None  # a healthy run leaves one again


def test_an_offline_run_on_expired_answers_leaves_no_basis(tmp_path: Path, api: FakeApi) -> None:
    """Offline, an expired answer is served all the same: what rests on it is not settled."""
    assert enrich(api, tmp_path).returncode == 0
    enrich(api, tmp_path, "--offline", S2_TTL_DAYS="0")
    assert resolved(tmp_path)["basis"] is None


def test_an_offline_run_on_expired_not_found_answers_leaves_no_basis(
    tmp_path: Path, api: FakeApi
) -> None:
    """A cached 'does not exist' served expired raises before it is served: still unsettled."""
    assert enrich(api, tmp_path).returncode == 0
    enrich(api, tmp_path, "--offline", DBLP_NOT_FOUND_TTL_DAYS="0", S2_NOT_FOUND_TTL_DAYS="0")
    assert resolved(tmp_path)["basis"] is None


def test_a_pin_that_binds_differently_keeps_nothing(tmp_path: Path, api: FakeApi) -> None:
    """A pin by title binds only while one listed paper has that title: a second entry with
    it (elsewhere in the list) unbinds the pin, and the first paper is decided again."""
    listed = listed_copy(tmp_path)
    title = "Gemini: A Computation-Centric Distributed Graph Processing System"
    (tmp_path / "overrides.toml").write_text(
        f'[[override]]\npaper = "{title}"\nnot_in_dblp = true\n', "utf-8"
    )
    assert enrich(api, tmp_path, "--list", str(listed)).returncode == 0
    statuses = {p["paper"]["title"]: p["dblp"]["status"] for p in resolved(tmp_path)["papers"]}
    assert statuses[title] == "skipped"
    text = listed.read_text("utf-8")
    listed.write_text(text + f"\n### ICML\n\n#### 2016\n\n1. **{title}** ICML 2016\n", "utf-8")
    done = enrich(api, tmp_path, "--list", str(listed))
    assert "matches several papers" in done.stderr
    assert kept(tmp_path) == 0
    statuses = {
        (p["paper"]["venue"], p["paper"]["title"]): p["dblp"]["status"]
        for p in resolved(tmp_path)["papers"]
    }
    assert statuses[("OSDI", title)] != "skipped"


def test_a_removed_paper_means_the_abstracts_are_asked_again(tmp_path: Path, api: FakeApi) -> None:
    """arXiv and Crossref batches are cut from the whole list: one paper fewer, other batches."""
    listed = listed_copy(tmp_path)
    assert enrich(api, tmp_path, "--list", str(listed)).returncode == 0
    papers = len(resolved(tmp_path)["papers"])
    lines = listed.read_text("utf-8").splitlines(keepends=True)
    gone = next(i for i, line in enumerate(lines) if "Tiresias" in line)
    listed.write_text("".join(lines[:gone] + lines[gone + 1 :]), "utf-8")
    done = enrich(api, tmp_path, "--list", str(listed))
    assert done.returncode == 0, done.stderr
    assert kept(tmp_path) == papers - 1
    counters = resolved(tmp_path)["counters"]
    assert counters["arxiv"]["reused"] == counters["crossref"]["reused"] == 0
    assert counters["arxiv"]["cache_hits"] + counters["arxiv"]["requests"] > 0


def test_a_changed_overrides_file_or_a_damaged_resolve_file_keeps_nothing(
    tmp_path: Path, api: FakeApi
) -> None:
    listed = listed_copy(tmp_path)
    assert enrich(api, tmp_path, "--list", str(listed)).returncode == 0
    (tmp_path / "overrides.toml").write_text(
        '[[override]]\npaper = "No Such Paper Listed"\nnot_in_s2 = true\n', "utf-8"
    )
    assert enrich(api, tmp_path, "--list", str(listed)).returncode == 0
    assert kept(tmp_path) == 0
    (tmp_path / "build" / STAMP_NAME).unlink(missing_ok=True)  # as an edit elsewhere would
    assert enrich(api, tmp_path, "--list", str(listed)).returncode == 0
    assert kept(tmp_path) > 0  # the same overrides again: kept
    stage_file = tmp_path / "build" / "resolve.json"
    stage_file.write_text(stage_file.read_text("utf-8")[:-200], "utf-8")
    done = enrich(api, tmp_path, "--list", str(listed))
    assert done.returncode == 0 and "resolve.json" in done.stderr
    assert kept(tmp_path) == 0


def test_http_tuning_and_refresh_do_not_unsettle_decisions(tmp_path: Path, api: FakeApi) -> None:
    """Pacing, retries and --refresh shape how sources are asked, not what they answered."""
    assert enrich(api, tmp_path).returncode == 0
    assert enrich(api, tmp_path, "--refresh").returncode == 0
    assert kept(tmp_path) == 0  # --refresh asks again by design
    done = enrich(api, tmp_path, DBLP_MIN_INTERVAL="0.01", HTTP_MAX_ATTEMPTS="4")
    assert done.returncode == 0 and kept(tmp_path) > 0


def test_a_run_under_only_leaves_no_basis(tmp_path: Path, api: FakeApi) -> None:
    assert enrich(api, tmp_path).returncode == 0
    assert enrich(api, tmp_path, "--only", "OSDI:2016").returncode == 0
    assert resolved(tmp_path)["basis"] is None  # the other papers' results are older ones


def test_the_stamp_covers_the_answers_kept_decisions_rest_on(tmp_path: Path, api: FakeApi) -> None:
    """A run that kept every decision read no DBLP or S2 answer itself; its stamp must still
    name them, or an answer changed later would go unseen by 'nothing changed'."""
    for _ in range(2):
        assert enrich(api, tmp_path).returncode == 0
    assert kept(tmp_path) > 0 and (tmp_path / "build" / STAMP_NAME).is_file()
    stamp = json.loads((tmp_path / "build" / STAMP_NAME).read_text("utf-8"))
    assert set(resolved(tmp_path)["basis"]["answers"]) <= set(stamp["answers"])
    assert NOTHING_CHANGED in enrich(api, tmp_path).stdout
    with diskcache.Cache(str(tmp_path / "cache")) as cache:
        key = sorted(set(stamp["answers"]) & set(resolved(tmp_path)["basis"]["answers"]))[0]
        cache.set(key, cache.get(key))
    assert NOTHING_CHANGED not in enrich(api, tmp_path).stdout


# -- the decisions themselves (pure) ------------------------------------------------------


def paper(**changes: Any) -> ListedPaper:
    fields: dict[str, Any] = {
        "id": "osdi2016-fake", "title": "A Fake Paper for Tests", "authors": ["Ada Lovelace"],
        "venue": "OSDI", "year": 2016, "venue_source": StatedIn.ENTRY,
        "year_source": StatedIn.ENTRY, "section": "OSDI / 2016", "line": 10, "number": 1,
    }  # fmt: skip
    return ListedPaper(**{**fields, **changes})


FOUND_DBLP = DblpResolution(status=FetchStatus.FOUND)
FOUND_S2 = S2Resolution(status=FetchStatus.FOUND)


def result(item: ResolvedPaper, inputs: str = "digest") -> ResolveResult:
    basis = ResolveBasis(inputs=inputs, answers={"k": (1.0, 2.0)})
    return ResolveResult(papers=[item], basis=basis)


def test_only_a_settled_unchanged_entry_keeps_its_decisions() -> None:
    item = ResolvedPaper(paper=paper(), dblp=FOUND_DBLP, s2=FOUND_S2)
    previous = result(item)
    assert kept_decisions(previous, [paper(line=99, number=7)], "digest", True) == {
        "osdi2016-fake": (FOUND_DBLP, FOUND_S2)
    }
    assert kept_decisions(previous, [paper()], "other digest", True) == {}
    assert kept_decisions(previous, [paper()], "digest", False) == {}
    assert kept_decisions(ResolveResult(papers=[item]), [paper()], "digest", True) == {}
    for change in ({"title": "A Fake Paper For Tests"}, {"authors": []}, {"year": 2017},
                   {"paper_url": "https://example.org/x"}, {"section": "OSDI / 2017"}):  # fmt: skip
        assert not same_entry(paper(), paper(**change)), change
        assert kept_decisions(previous, [paper(**change)], "digest", True) == {}
    unsettled = [
        item.model_copy(update={"dblp": DblpResolution(status=FetchStatus.FAILED)}),
        item.model_copy(update={"s2": S2Resolution(status=FetchStatus.NOT_ASKED)}),
        item.model_copy(update={"s2": S2Resolution(status=FetchStatus.FOUND, expired=True)}),
        item.model_copy(
            update={"dblp": DblpResolution(status=FetchStatus.FOUND, toc_error="HTTP 500")}
        ),
    ]
    for each in unsettled:
        assert not settled(each)
        assert kept_decisions(result(each), [paper()], "digest", True) == {}


def test_the_next_basis_carries_the_answers_of_kept_decisions() -> None:
    item = ResolvedPaper(paper=paper(), dblp=FOUND_DBLP, s2=FOUND_S2)
    previous = result(item)
    mine = {"m": (3.0, 4.0)}
    assert next_basis("digest", None, previous, kept=1) is None  # an answer went missing
    restored = {"k": (1.5, 9.0)}  # the answer a kept decision rests on, stored again meanwhile
    assert next_basis("digest", restored, previous, kept=1) is None
    assert next_basis("digest", restored, previous, kept=0) is not None  # none rests on it
    assert next_basis("digest", mine, previous, kept=0) == ResolveBasis(
        inputs="digest", answers=mine
    )
    carried = next_basis("digest", mine, previous, kept=1)
    assert carried is not None and carried.answers == {"k": (1.0, 2.0), "m": (3.0, 4.0)}


def test_answers_hold_only_while_stored_as_they_were_and_fresh(tmp_path: Path) -> None:
    with diskcache.Cache(str(tmp_path)) as cache:
        cache.set("key", {"format": 1})
        row = cache._sql("SELECT store_time FROM Cache WHERE key = ?", ("key",)).fetchone()
    stored_at = float(row[0])
    assert still_fresh({"key": (stored_at, stored_at + 10)}, tmp_path, now=stored_at + 5)
    assert not still_fresh({"key": (stored_at, stored_at + 10)}, tmp_path, now=stored_at + 10)
    assert not still_fresh({"key": (stored_at - 1, stored_at + 10)}, tmp_path, now=stored_at)
    assert not still_fresh({"gone": (stored_at, stored_at + 10)}, tmp_path, now=stored_at)
    assert not still_fresh({"key": (stored_at, stored_at + 10)}, tmp_path / "none", stored_at)
