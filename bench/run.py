"""`make bench`: requests, time and memory of the pipeline against a naive script, and scaling.

Everything runs against tests/fakeapi.py on 127.0.0.1 with realistic rate limits (DBLP about
1 request/s with 429 + Retry-After beyond it; Semantic Scholar 1 request/s, 429 without
Retry-After; arXiv one request per 3 s and Crossref 1 request/s, 429 without Retry-After). Each measured command is a fresh process; peak memory is its own max RSS.
Writes the table to docs/benchmarks.md and prints it.
"""

from __future__ import annotations

import argparse
import datetime
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
from pipeline.models import Method, ResolveResult  # noqa: E402
from pipeline.parse import parse_list  # noqa: E402
from pipeline.storage import load_model  # noqa: E402
from webpage import page_section  # noqa: E402
from world import arxiv_world, seed_world, synthetic_world  # noqa: E402


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

    @property
    def per_paper(self) -> float:
        total = self.dblp + self.s2 + self.arxiv + self.crossref
        return total / self.papers if self.papers else 0.0


def measured(command: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds (interpreter start included), peak RSS in MB, exit status."""
    started = time.monotonic()
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return time.monotonic() - started, usage.ru_maxrss / 1024, process.returncode


def run(api: FakeApi, name: str, command: list[str], papers: int, **env: str) -> Measure:
    sources = ("dblp", "s2", "arxiv", "crossref")
    before = {s: len(api.requests(s)) for s in sources}
    rejected = sum(api.rate_limited.values())
    full_env = {**os.environ, **api.env(), **env}
    seconds, rss, status = measured(command, full_env)
    sent = [len(api.requests(s)) - before[s] for s in sources]
    return Measure(
        name, seconds, rss, *sent, sum(api.rate_limited.values()) - rejected, papers, status
    )


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
    parser.add_argument("--sizes", default="1000,10000", help="synthetic list sizes")
    parser.add_argument("--skip-naive", action="store_true", help="skip the slow naive baseline")
    parser.add_argument("--page-sizes", default="573,10000", help="papers in the web page bench")
    parser.add_argument("--arxiv-size", type=int, default=300, help="arXiv-first list size")
    args = parser.parse_args()
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
            warm = min(
                (run(api, "warm (all cached)", pipeline(place, seed), papers) for _ in range(3)),
                key=lambda m: m.seconds,
            )
            print("nightly refresh (S2 expired) ...", flush=True)
            nightly = run(
                api,
                "nightly (DBLP, arXiv, Crossref fresh; S2 expired)",
                pipeline(place, seed),
                papers,
                S2_TTL_DAYS="0",
                S2_NOT_FOUND_TTL_DAYS="0",
            )
            rows = [cold, warm, nightly]
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

        scale_rows = []
        for size in [int(s) for s in args.sizes.split(",") if s]:
            print(f"synthetic list of {size} papers ...", flush=True)
            list_path, toc_dir = synthetic_world(base / f"syn{size}", size)
            api = FakeApi(toc_dir=toc_dir).start()  # no rate limit: requests are what count here
            try:
                place = base / f"syn{size}-run"
                fast = {"DBLP_MIN_INTERVAL": "0", "S2_MIN_INTERVAL": "0",
                        "ARXIV_MIN_INTERVAL": "0", "CROSSREF_MIN_INTERVAL": "0"}  # fmt: skip
                scale_rows.append(
                    run(api, f"{size} papers, cold", pipeline(place, list_path), size, **fast)
                )
                scale_rows.append(
                    min(
                        (
                            run(
                                api,
                                f"{size} papers, warm",
                                pipeline(place, list_path),
                                size,
                                **fast,
                            )
                            for _ in range(2)
                        ),
                        key=lambda m: m.seconds,
                    )
                )
            finally:
                api.stop()
        if scale_rows:
            lines += ["## Scaling (synthetic lists, no rate limit)", "", *table(scale_rows), ""]
        lines += arxiv_first(base / "arxiv-first", args.arxiv_size)

    lines += page_section([int(s) for s in args.page_sizes.split(",") if s])  # index.html

    header = [
        "# Benchmarks",
        "",
        f"Measured by `make bench` on {datetime.date.today().isoformat()}: {platform.node()}, "
        f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}.",
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
