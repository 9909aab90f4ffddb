"""`make bench`: requests, time and memory of the pipeline against a naive script, and scaling.

`make bench-scale` (`--scale-only`) runs only the scaling rows (the realistic world of
bench/world.py, with accuracy against its ground truth), the matching row, the accuracy on real
titles (bench/realtitles.py) and the page rows, and prints them without touching
docs/benchmarks.md.

Everything runs against tests/fakeapi.py on 127.0.0.1 with realistic rate limits (DBLP about
1 request/s with 429 + Retry-After beyond it; Semantic Scholar 1 request/s, 429 without
Retry-After; arXiv one request per 3 s and Crossref 1 request/s, 429 without Retry-After). Each measured command is a fresh process; peak memory is its own max RSS.
Writes the table to docs/benchmarks.md and prints it.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from fakeapi import FakeApi  # noqa: E402
from matchtime import matching_rows  # noqa: E402
from pipeline.models import Method, ResolveResult  # noqa: E402
from pipeline.parse import parse_list  # noqa: E402
from pipeline.stamp import STAMP_NAME  # noqa: E402
from pipeline.storage import load_model  # noqa: E402
from realtitles import realtitles_section  # noqa: E402
from scaleapi import IndexedApi  # noqa: E402
from webpage import page_section  # noqa: E402
from world import (  # noqa: E402
    PERTURBATIONS,
    Accuracy,
    World,
    accuracy,
    arxiv_world,
    realistic_world,
    seed_world,
)


@dataclass
class Measure:
    name: str
    seconds: float
    rss_mb: float
    dblp: int
    s2: int
    arxiv: int
    crossref: int
    rejected: int  # 429s the server sent
    papers: int
    status: int
    cpu: float = 0.0  # user + system seconds of the measured process alone
    dblp_accuracy: Accuracy | None = None
    s2_accuracy: Accuracy | None = None

    @property
    def per_paper(self) -> float:
        total = self.dblp + self.s2 + self.arxiv + self.crossref
        return total / self.papers if self.papers else 0.0


_LAUNCHER: subprocess.Popen[str] | None = None


def measured(command: list[str], env: dict[str, str]) -> tuple[float, float, int, float]:
    """Wall seconds (interpreter start included), peak RSS in MB, exit status, CPU seconds,
    of the command run by bench/launch.py (so that its peak memory is its own)."""
    global _LAUNCHER
    if _LAUNCHER is None:
        _LAUNCHER = subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "launch.py")],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
    assert _LAUNCHER.stdin is not None and _LAUNCHER.stdout is not None
    _LAUNCHER.stdin.write(json.dumps({"command": command, "cwd": str(ROOT), "env": env}) + "\n")
    _LAUNCHER.stdin.flush()
    seconds, rss, status, cpu = json.loads(_LAUNCHER.stdout.readline())
    return seconds, rss, status, cpu


def run(api: FakeApi, name: str, command: list[str], papers: int, **env: str) -> Measure:
    sources = ("dblp", "s2", "arxiv", "crossref")
    before = {s: len(api.requests(s)) for s in sources}
    rejected = sum(api.rate_limited.values())
    full_env = {**os.environ, **api.env(), **env}
    seconds, rss, status, cpu = measured(command, full_env)
    dblp, s2, arxiv, crossref = (len(api.requests(s)) - before[s] for s in sources)
    return Measure(
        name, seconds, rss, dblp, s2, arxiv, crossref,
        sum(api.rate_limited.values()) - rejected, papers, status, cpu,
    )  # fmt: skip


def pipeline(place: Path, list_path: Path) -> list[str]:
    return [
        sys.executable, "-m", "pipeline", "enrich", "-q", "--list", str(list_path),
        "--out", str(place / "output"), "--work", str(place / "build"), "--cache", str(place / "cache"),
    ]  # fmt: skip


def naive(list_path: Path) -> list[str]:
    return [sys.executable, str(ROOT / "bench" / "naive.py"), str(list_path)]


def budget(place: Path) -> tuple[int, int, int, int]:
    """The issue's request bounds for this run: DBLP venue-years + papers not in their TOC;
    S2 ceil(papers with an id / 500) + papers without one; arXiv ceil(ids asked / 100);
    Crossref ceil(DOIs asked / 50)."""
    result = load_model(place / "build" / "resolve.json", ResolveResult)
    venue_years = {(r.paper.venue, r.paper.year) for r in result.papers}
    not_in_toc = sum(
        r.dblp.method not in (Method.TOC_EXACT, Method.TOC_FUZZY) for r in result.papers
    )
    with_id = sum(r.s2.method is Method.S2_ID for r in result.papers)
    asked = {
        name: len({f.asked for r in result.papers for f in r.abstracts if f.source == name})
        for name in ("arxiv", "crossref")
    }
    return (
        len(venue_years) + not_in_toc,
        math.ceil(with_id / 500) + len(result.papers) - with_id,
        math.ceil(asked["arxiv"] / 100),
        math.ceil(asked["crossref"] / 50),
    )


def same_matches(clean: Path, walled: Path) -> str:
    """How the walled run's DBLP and S2 matches compare with the clean cold run's."""
    runs = [load_model(p / "build" / "resolve.json", ResolveResult).papers for p in (clean, walled)]
    keys = [{r.paper.id: (r.dblp.record.key if r.dblp.record else None) for r in rs} for rs in runs]
    s2 = [{r.paper.id: (r.s2.record.paperId if r.s2.record else None) for r in rs} for rs in runs]
    found = sum(v is not None for v in keys[1].values())
    return (
        f"{found} DBLP matches ({sum(v is not None for v in keys[0].values())} without the wall), "
        f"{sum(keys[0][k] != keys[1].get(k) for k in keys[0])} DBLP and "
        f"{sum(s2[0][k] != s2[1].get(k) for k in s2[0])} S2 decisions differ"
    )


def realistic(api: FakeApi) -> FakeApi:
    api.min_interval = {"dblp": 1.0, "s2": 1.0, "arxiv": 3.0, "crossref": 1.0}
    api.retry_after = {"dblp": "1", "s2": None, "arxiv": None, "crossref": None}
    return api


def table(rows: list[Measure]) -> list[str]:
    out = ["| Run | Papers | DBLP req. | S2 req. | arXiv req. | Crossref req. | Req./paper | 429s "
           "| Wall (s) | Peak RSS (MB) | Exit |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    for m in rows:
        out.append(
            f"| {m.name} | {m.papers} | {m.dblp} | {m.s2} | {m.arxiv} | {m.crossref} | "
            f"{m.per_paper:.2f} | {m.rejected} | {m.seconds:.1f} | {m.rss_mb:.0f} | {m.status} |"
        )
    return out


# One entry in each of the styles real lists use (tests/fixtures/lists/, issue 14).
STYLES = [
    "- [OSDI'22] [Paper {n}: A Serving System](https://arxiv.org/abs/2201.{n:05d})",
    "- Paper {n}: Efficient Finetuning <br> NeurIPS 2023 [[Paper]](https://arxiv.org/abs/2305.{n:05d}) [[Code]](https://github.com/a/b)",
    '- "Paper {n}: Hessian Based Quantization", AAAI, 2020. [[paper](https://x.org/{n})] [**`PTQ`**]',
    "- [Paper {n}: Learning to Optimize](https://x.org/{n}.pdf) - Andrew Adams, Karima Ma. PLDI 2019.",
    "{n}. **Paper {n}: A System for Learning** OSDI 2016",
]


def parse_rows(entries: int = 2000) -> list[str]:
    """In-process parse time of a 2,000-entry list in mixed styles and of the largest real list."""
    lines = ["# A list", "## Papers", "### 2023", "#### MLSys", ""]
    lines += [STYLES[n % len(STYLES)].format(n=n) for n in range(entries)]
    federated = ROOT / "tests" / "fixtures" / "lists" / "youngfish42+Awesome-FL.md"
    out = ["| List | Lines | Papers | Parse (s, best of 3) |", "|---|---:|---:|---:|"]
    for name, text in (
        (f"synthetic, {entries} entries in 5 styles", lines),
        ("youngfish42/Awesome-FL (real)", federated.read_text("utf-8").splitlines()),
    ):
        times = []
        for _ in range(3):
            start = time.perf_counter()
            parsed = parse_list(text)
            times.append(time.perf_counter() - start)
        out.append(f"| {name} | {len(text)} | {len(parsed.papers)} | {min(times):.2f} |")
    return out  # fmt: skip


def machine() -> list[str]:
    return [
        f"Measured by `make bench` on {datetime.date.today().isoformat()}: {platform.node()}, "
        f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}."
    ]


def scale_table(rows: list[Measure]) -> list[str]:
    out = ["| Run | Papers | DBLP req. | S2 req. | arXiv req. | Crossref req. | Wall (s) | CPU (s) "
           "| Peak RSS (MB) | DBLP wrong / missed | S2 wrong / missed | Exit |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    for m in rows:
        out.append(
            f"| {m.name} | {m.papers} | {m.dblp} | {m.s2} | {m.arxiv} | {m.crossref} | "
            f"{m.seconds:.1f} | {m.cpu:.1f} | {m.rss_mb:.0f} | {m.dblp_accuracy} | "
            f"{m.s2_accuracy} | {m.status} |"
        )
    return out


def scored(measure: Measure, world: World, place: Path) -> Measure:
    """The run's decisions against the world's ground truth."""
    catalog = place / "output" / "catalog.json"
    if not catalog.is_file():
        return measure
    measure.dblp_accuracy = accuracy(world, catalog, "dblp")
    measure.s2_accuracy = accuracy(world, catalog, "s2")
    return measure


STAGES = ("parse", "resolve", "merge", "emit")


def stage_rows(api: FakeApi, place: Path, list_path: Path, papers: int, **env: str) -> list[str]:
    """Each stage alone over a warm cache (a fresh process each, reading the previous stage's
    file): which part of the time and memory each stage takes, and its file's size."""
    options = {
        "parse": ["--list", str(list_path)],
        "resolve": ["--list", str(list_path), "--cache", str(place / "cache")],
        "merge": ["--list", str(list_path), "--out", str(place / "output")],
        "emit": ["--list", str(list_path), "--out", str(place / "output")],
    }
    out = ["| Stage (alone, warm) | Wall (s) | CPU (s) | Peak RSS (MB) | Writes (MB) | Exit |",
           "|---|---:|---:|---:|---:|---:|"]  # fmt: skip
    for stage in STAGES:
        command = [sys.executable, "-m", "pipeline", stage, "-q", "--work", str(place / "build"),
                   *options[stage]]  # fmt: skip
        m = run(api, stage, command, papers, **env)
        written = place / "build" / f"{stage}.json" if stage != "emit" else place / "output"
        size = (
            written.stat().st_size
            if written.is_file()
            else sum(f.stat().st_size for f in written.iterdir() if f.is_file())
        )
        out.append(
            f"| {stage} | {m.seconds:.1f} | {m.cpu:.1f} | {m.rss_mb:.0f} | {size / 1e6:.1f} "
            f"| {m.status} |"
        )
    return out


def warm_rows(
    api: FakeApi, place: Path, list_path: Path, papers: int, runs: int, **env: str
) -> list[Measure]:
    """Three warm rows, each the best of `runs`: every stage and every decision recomputed
    (the stamp and resolve.json removed first); an edit to the list (the stamp removed, as any
    edit would: each unchanged entry keeps its decisions, pipeline/resolve/earlier.py); then a
    run with nothing changed, which keeps the outputs on the stamp's word (pipeline/stamp.py)."""
    command = pipeline(place, list_path)
    label = f"{papers} papers, warm" if papers != 194 else "warm (all cached)"

    def measured(name: str, *removed: str) -> Measure:
        def once() -> Measure:
            for stage_file in removed:
                (place / "build" / stage_file).unlink(missing_ok=True)
            return run(api, f"{label}, {name}", command, papers, **env)

        return min((once() for _ in range(runs)), key=lambda m: m.seconds)

    return [
        measured("every stage and decision recomputed", STAMP_NAME, "resolve.json"),
        measured("stamp removed as by an edit, decisions kept", STAMP_NAME),
        run(api, f"{label}, nothing changed", command, papers, **env),
    ]


def scale_section(base: Path, sizes: list[int], warm_runs: int = 2) -> list[str]:
    """Cold and warm runs over the realistic world at each size, and the matching row."""
    rows: list[Measure] = []
    match_lines: list[str] = []
    stages: list[str] = []
    fast = {"DBLP_MIN_INTERVAL": "0", "S2_MIN_INTERVAL": "0",
            "ARXIV_MIN_INTERVAL": "0", "CROSSREF_MIN_INTERVAL": "0"}  # fmt: skip
    for size in sizes:
        print(f"realistic world, {size} listed papers ...", flush=True)
        world = realistic_world(base / f"world{size}", size)
        if not match_lines:
            match_lines = matching_rows(world)
        api = IndexedApi(toc_dir=world.toc_dir).start()  # no rate limit: requests are what count
        try:
            place = base / f"world{size}-run"
            command = pipeline(place, world.list_path)
            rows.append(
                scored(run(api, f"{size} papers, cold", command, size, **fast), world, place)
            )
            warm = warm_rows(api, place, world.list_path, size, warm_runs, **fast)
            rows += [scored(m, world, place) for m in warm]
            if size == max(sizes):
                stages = stage_rows(api, place, world.list_path, size, **fast)
        finally:
            api.stop()
    shares = ", ".join(f"{kind} {share:.0%}" for kind, share in PERTURBATIONS.items())
    kinds = [
        f"{m.name}: {m.dblp_accuracy.kinds() or 'none'}."
        for m in rows
        if m.dblp_accuracy is not None and "warm" in m.name
    ]
    return [
        "## Scaling (the realistic world, no rate limit)",
        "",
        "bench/world.py `realistic_world`: venue-years of real size (NeurIPS 2024 4,500 papers, "
        "and from 10,000 listed papers on NeurIPS 2023 3,600 and ICML 2024 3,000; the rest 50-600), "
        f"the list citing 6% of the big tables and 15-50% of the small ones. Listed titles: {shares} "
        "(absent: in no table of contents nor anywhere in DBLP; twins: DBLP also holds a same-title "
        "CoRR preprint and journal version). Seed 21, deterministic. Wrong: matched another record "
        "(or one for an absent paper); missed: not matched though the right record exists. "
        "CPU: user + system seconds of the pipeline process alone (the fake server excluded).",
        "",
        *scale_table(rows),
        "",
        "DBLP wrong / missed by how the list words the title: " + " ".join(kinds),
        "",
        f"### Each stage alone, {max(sizes, default=0)} papers, warm",
        "",
        *stages,
        "",
        "### Matching one paper against a venue-year's table (in process)",
        "",
        *match_lines,
        "",
        "Per listed paper: `shortlist` over the table's normalised titles, `judge_dblp` for each "
        "shortlisted record, `decide` (pipeline.resolve.matching, as resolve calls them). Missed here: left "
        "for DBLP's search.",
        "",
    ]


def arxiv_first(place: Path, size: int) -> list[str]:
    """Issue 24's cost: a cold run over an arXiv-first list (no venues, so no tables of
    contents: a DBLP title search per paper), no rate limit: requests are what count."""
    if size <= 0:
        return []
    print(f"arXiv-first list of {size} papers ...", flush=True)
    list_path, toc_dir = arxiv_world(place / "world", size)
    api = FakeApi(toc_dir=toc_dir).start()
    try:
        fast = {"DBLP_MIN_INTERVAL": "0", "S2_MIN_INTERVAL": "0",
                "ARXIV_MIN_INTERVAL": "0", "CROSSREF_MIN_INTERVAL": "0"}  # fmt: skip
        row = run(api, f"{size} papers, cold", pipeline(place / "run", list_path), size, **fast)
    finally:
        api.stop()
    result = load_model(place / "run" / "build" / "resolve.json", ResolveResult).papers
    found = sum(r.dblp.record is not None for r in result)
    corr = sum(r.dblp.record is not None and r.dblp.record.is_preprint for r in result)
    return [
        "## arXiv-first list (synthetic, no rate limit)",
        "",
        "A quarter listed as arXiv (with year and authors), the rest without a venue; half "
        "without a year; half with an arxiv.org link, a quarter with an OpenReview one. DBLP "
        "has 60% as CoRR records only, 20% as CoRR and published records, 10% published only, "
        "10% not at all.",
        "",
        *table([row]),
        "",
        f"DBLP placed {found} papers ({corr} by their CoRR record); per paper: "
        f"{row.dblp / size:.2f} DBLP and {row.s2 / size:.2f} S2 requests.",
        "",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="listed papers in the scaling rows")
    parser.add_argument("--skip-naive", action="store_true", help="skip the slow naive baseline")
    parser.add_argument("--page-sizes", default="573,10000", help="papers in the web page bench")
    parser.add_argument("--arxiv-size", type=int, default=300, help="arXiv-first list size")
    parser.add_argument(
        "--scale-only",
        action="store_true",
        help="only the scaling, matching, real-title and page rows; print them, leave "
        "docs/benchmarks.md",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    page_sizes = [int(s) for s in args.page_sizes.split(",") if s]
    if args.scale_only:
        with tempfile.TemporaryDirectory(prefix="mlsys-bench-") as tmp:
            scale = scale_section(Path(tmp), sizes, warm_runs=1)
            real = realtitles_section(Path(tmp) / "realtitles")
        print("\n".join([*machine(), "", *scale, *real, *page_section(page_sizes)]))
        return 0
    seed = ROOT / "catalog" / "papers.md"
    papers = 194
    lines: list[str] = ["## Parse stage (in process)", "", *parse_rows(), ""]
    print("\n".join(lines), flush=True)
    with tempfile.TemporaryDirectory(prefix="mlsys-bench-") as tmp:
        base = Path(tmp)
        api = realistic(FakeApi(toc_dir=seed_world(base / "world"))).start()
        try:
            place = base / "seed"
            print("cold run over the seed list ...", flush=True)
            cold = run(api, "cold (empty cache)", pipeline(place, seed), papers)
            dblp_bound, s2_bound, arxiv_bound, crossref_bound = budget(place)
            print("warm runs ...", flush=True)
            warm = warm_rows(api, place, seed, papers, runs=3)
            print("nightly refresh (S2 expired) ...", flush=True)
            nightly = run(
                api,
                "nightly (DBLP, arXiv, Crossref fresh; S2 expired)",
                pipeline(place, seed),
                papers,
                S2_TTL_DAYS="0",
                S2_NOT_FOUND_TTL_DAYS="0",
            )
            rows = [cold, *warm, nightly]
            print("cold run behind a 45 s DBLP bot wall ...", flush=True)
            walled_place = base / "walled"
            api.wall("dblp", 45.0)
            rows.append(run(api, "cold, 45 s DBLP bot wall", pipeline(walled_place, seed), papers))
            walled_matches = same_matches(place, walled_place)
            if not args.skip_naive:
                print("naive baseline (one DBLP search + one S2 match per paper) ...", flush=True)
                api.log.clear()
                rows.append(run(api, "naive script, same server", naive(seed), papers))
        finally:
            api.stop()
        lines += ["## Seed list (194 papers)", "", *table(rows), ""]
        lines.append(f"Bot wall: {walled_matches} (the wall answers every DBLP request with the "
                     "Anubis page, HTTP 500, for 45 s from the run's first request).")  # fmt: skip
        lines.append(f"Request budget: DBLP <= {dblp_bound} (venue-years + papers not in their TOC), "
                     f"S2 <= {s2_bound} (ceil(papers with an id / 500) + papers without one), "
                     f"arXiv <= {arxiv_bound} (ceil(arXiv ids of papers S2 gave no abstract / 100)), "
                     f"Crossref <= {crossref_bound} (ceil(DOIs of papers still without one / 50)); "
                     f"cold used {cold.dblp}, {cold.s2}, {cold.arxiv} and {cold.crossref}.")  # fmt: skip
        if not args.skip_naive:
            ratio = cold.seconds / rows[-1].seconds
            lines.append(
                f"Cold wall time is {ratio:.2f} of the naive script's (target: at most 0.33)."
            )
        lines.append("")

        lines += scale_section(base, sizes)
        lines += realtitles_section(base / "realtitles")
        lines += arxiv_first(base / "arxiv-first", args.arxiv_size)

    lines += page_section(page_sizes)  # index.html

    header = [
        "# Benchmarks",
        "",
        *machine(),
        "",
        "Against tests/fakeapi.py on 127.0.0.1: DBLP answers from the recorded tables of contents "
        "plus fake ones for the listed venue-years without a recording; rate limits 1 request/s "
        "per source (DBLP: 429 with Retry-After: 1 beyond it; S2: 429 without Retry-After), arXiv "
        "one request per 3 s and Crossref 1/s (429 without Retry-After). S2 withholds a third of "
        "the abstracts (and those of papers with an arXiv id), which arXiv and Crossref are "
        "then asked for. "
        "Wall time includes interpreter start; peak RSS is the measured process's own.",
        "",
    ]
    text = "\n".join(header + lines)
    (ROOT / "docs").mkdir(exist_ok=True)
    (ROOT / "docs" / "benchmarks.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
