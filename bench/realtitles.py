"""Accuracy on real titles: the adversarial list of tests/adversarial.py through the real
`enrich` against tests/fakeapi.py, each DBLP and Semantic Scholar decision scored per form.

The realistic world (bench/world.py) invents its titles; these are titles the venues published
(the recorded tables of contents), reworded the ways lists word them, beside near-misses that
are no paper. An accuracy audit found 103 wrong acceptances in such a list; a wrong acceptance
is the one failure the project promises never to make silently, so every run counts them.

Run alone: `python bench/realtitles.py`; `make bench` and `make bench-scale` include it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from adversarial import (  # noqa: E402
    FORMS,
    SEED,
    Score,
    Verdict,
    adversarial_entries,
    list_lines,
    load_tables,
    score,
)
from fakeapi import FakeApi  # noqa: E402
from pipeline.models import ResolveResult  # noqa: E402
from pipeline.storage import load_model  # noqa: E402

FAST = {"DBLP_MIN_INTERVAL": "0", "S2_MIN_INTERVAL": "0", "ARXIV_MIN_INTERVAL": "0",
        "CROSSREF_MIN_INTERVAL": "0"}  # fmt: skip
SOURCES = ("dblp", "s2")


def measure(place: Path) -> tuple[Score, int, float, int]:
    """Builds the list in `place`, runs `enrich` over it in a fresh process and scores the
    decisions: (score, entries, wall seconds, exit status)."""
    tables = load_tables()
    lines, by_line = list_lines(adversarial_entries(tables=tables))
    place.mkdir(parents=True, exist_ok=True)
    list_path = place / "list.md"
    list_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    command = [sys.executable, "-m", "pipeline", "enrich", "-q", "--list", str(list_path),
               "--out", str(place / "output"), "--work", str(place / "build"),
               "--cache", str(place / "cache")]  # fmt: skip
    api = FakeApi().start()
    try:
        started = time.perf_counter()
        done = subprocess.run(
            command, env={**os.environ, **api.env(), **FAST}, cwd=ROOT, check=False,
            capture_output=True, text=True,
        )  # fmt: skip
        seconds = time.perf_counter() - started
    finally:
        api.stop()
    resolved = place / "build" / "resolve.json"
    if not resolved.is_file():
        raise RuntimeError(f"enrich wrote no resolve.json (exit {done.returncode}):\n{done.stderr}")
    results = load_model(resolved, ResolveResult).papers
    return score(by_line, results, tables), len(by_line), seconds, done.returncode


def table(result: Score) -> list[str]:
    out = ["| Form | Listed paper | Entries | DBLP right | DBLP wrong | DBLP missed | S2 right "
           "| S2 wrong | S2 missed |",
           "|---|---|---:|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    totals = [0] * 7
    for form in FORMS:
        cells = [result.of(form.name, source, what) for source in SOURCES for what in Verdict]
        entries = cells[0] + cells[1] + cells[2]
        totals = [t + c for t, c in zip(totals, [entries, *cells], strict=True)]
        paper = "none" if form.negative else "recorded"
        out.append(f"| {form.name} | {paper} | {entries} | " + " | ".join(map(str, cells)) + " |")
    out.append("| total | | " + " | ".join(map(str, totals)) + " |")
    return out


def realtitles_section(place: Path) -> list[str]:
    """The markdown section: how the list is made, the table by form, the run's cost."""
    print("adversarial list of real titles ...", flush=True)
    result, entries, seconds, status = measure(place)
    for entry, dblp, s2 in result.wrong:  # what to look at when the row is not 0 wrong
        print(f"wrong: {entry.form} | {entry.title} | {entry.venue} {entry.year} | meant "
              f"{entry.key} | DBLP took {dblp} | S2 took {s2}")  # fmt: skip
    for entry in result.lost:
        print(f"lost by the parser: {entry.form} | {entry.title} | {', '.join(entry.authors)}")
    positives = sum(form.count for form in FORMS if not form.negative)
    return [
        "## Accuracy on real titles (adversarial list)",
        "",
        "bench/realtitles.py (`python bench/realtitles.py` alone; part of `make bench` and "
        f"`make bench-scale`). The list (tests/adversarial.py, seed {SEED}, deterministic) takes "
        "the real titles of the recorded tables of contents (tests/fixtures/dblp/toc/: OSDI, "
        f"SOSP, NSDI, SIGMOD and USENIX ATC years) and words {positives} of them as lists do "
        "(a typo, the subtitle or the system name dropped, words reordered, case and "
        "punctuation, ` - ` for `: `, the year one off, the sibling venue, the system name "
        "alone, a word dropped, a name put before the title, the venue-year of a namesake, no "
        f"venue at all); the other {entries - positives} entries are near-misses that are no "
        "paper (a word flipped to its opposite, a negation dropped, a number changed, a word "
        "added, a paper's system name with an invented or another paper's subtitle, an "
        "invented name before a paper's subtitle, generic titles), none of them a recorded "
        "title after normalisation. Each form draws from its own seeded generator. The real "
        "`enrich` runs over it against tests/fakeapi.py (Semantic Scholar's records derived "
        "from the same tables). Right: the paper meant (or a record of the same title), or "
        "nothing for a near-miss; wrong: another record, or anything for a near-miss; missed: "
        "nothing though the paper is recorded.",
        "",
        *table(result),
        "",
        f"Entries with a wrong acceptance by either source: {len(result.wrong)} of {entries}. "
        f"Entries the parser lost (counted as nothing accepted): {len(result.lost)}. "
        f"`enrich` over the list: {seconds:.1f} s, exit {status}.",
        "",
    ]


if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="mlsys-realtitles-") as tmp:
        print("\n".join(realtitles_section(Path(tmp))))
