"""Matching one listed paper against a venue-year's whole table of contents, in process.

Times what resolve does per paper inside a table of contents: the shortlist (TitleIndex, asked
for this one title alone: the worst case, since resolve asks for a venue-year's titles at once),
then `toc_decision` (judge_dblp for the shortlisted records that may still matter, and decide).
The table is the world's largest (NeurIPS 2024, 4,500 papers); the papers are the ones the
world's list cites from it, worded as lists word them. Indexing the table (once per venue-year)
and the batched shortlists (as resolve asks for them) are timed apart.

Run alone: `python bench/matchtime.py`.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from pipeline.parse import parse_list_file  # noqa: E402
from pipeline.resolve.dblp_matches import toc_decision  # noqa: E402
from pipeline.resolve.shortlist import TitleIndex  # noqa: E402
from pipeline.sources.dblp import decode_search  # noqa: E402
from pipeline.venues import shipped_venues  # noqa: E402
from world import World, realistic_world  # noqa: E402


def matching_rows(world: World, venue_name: str = "NeurIPS", year: int = 2024) -> list[str]:
    """The markdown lines of the matching row for one venue-year of `world`."""
    venue = shipped_venues().find(venue_name)
    assert venue is not None
    toc = venue.tocs(year)[0].removeprefix("db/").removesuffix(".bht").replace("/", "__")
    payload = json.loads((world.toc_dir / f"{toc}.json").read_text(encoding="utf-8"))
    records = [r for r in decode_search(payload).records if r.type != "Editorship"]
    started = time.perf_counter()
    index = TitleIndex([r.title for r in records])
    normalize_ms = (time.perf_counter() - started) * 1000
    truth = world.truth()
    papers = [
        p
        for p in parse_list_file(world.list_path).papers
        if p.venue == venue_name and p.year == year
    ]
    started = time.perf_counter()
    index.shortlists([p.title for p in papers])
    batched_ms = (time.perf_counter() - started) * 1000 / max(len(papers), 1)
    times: list[float] = []
    reworded: list[float] = []  # papers the list words otherwise than the table
    right = wrong = missed = 0
    for paper in papers:
        started = time.perf_counter()
        picked = index.shortlists([paper.title])[0]
        decision = toc_decision(paper, [records[i] for i in picked], venue.streams)
        times.append((time.perf_counter() - started) * 1000)
        if truth[paper.line].kind not in ("exact", "twins"):
            reworded.append(times[-1])
        got = decision.best.id if decision.accepted and decision.best else None
        wanted = truth[paper.line].dblp_key
        if got == wanted:
            right += 1
        elif got is None:
            missed += 1  # resolve would search DBLP for it (a request, and maybe a match)
        else:
            wrong += 1
    times.sort()
    return [
        "| Table | Titles | Papers matched | Median (ms) | Median, titles worded otherwise (ms) "
        "| p90 (ms) | Max (ms) | Index the table (ms, once) | Shortlists batched (ms per title) "
        "| Wrong / missed in the table |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {venue_name} {year} | {len(records)} | {len(papers)} | {statistics.median(times):.1f} "
        f"| {statistics.median(reworded):.1f} | {times[int(0.9 * (len(times) - 1))]:.1f} "
        f"| {times[-1]:.1f} | {normalize_ms:.0f} | {batched_ms:.2f} | {wrong} / {missed} |",
    ]


if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="mlsys-match-") as tmp:
        print("\n".join(matching_rows(realistic_world(Path(tmp) / "world", 1000))))
