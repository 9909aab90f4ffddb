"""`make demo`: the whole pipeline against a local fake DBLP + Semantic Scholar + arXiv +
Crossref, no network.

Starts tests/fakeapi.py on 127.0.0.1 (real recorded DBLP tables of contents; Semantic Scholar,
arXiv and Crossref answers derived from them and marked [FIXTURE]), runs
`python -m pipeline enrich` into demo/,
prints the summary and where to look, and stops the server. The run goes into a sibling
folder that replaces demo/ only once it has finished: a Ctrl-C or a failure keeps the previous
demo whole.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from fakeapi import FakeApi

ROOT = Path(__file__).resolve().parent.parent

BANNER = """\
================================================================================
 DEMO: DBLP answers are the real recorded tables of contents in tests/fixtures/
 (OSDI, SOSP, ATC, NSDI, SIGMOD years); papers of other venue-years are honestly
 reported unresolved. Semantic Scholar, arXiv and Crossref data is FIXTURE data,
 not real: S2 ids start with 'fixture-' and every abstract with '[FIXTURE]'.
================================================================================"""


def run_demo(target: Path, list_path: Path = Path("catalog/papers.md")) -> int:
    """Run the pipeline into a sibling of `target`, which replaces `target` when the run
    finished (exit 0, or 1: complete or incomplete outputs); returns the exit status.

    `list_path` is relative to the project root, as the outputs record it.
    """
    fresh = target.with_name(f".{target.name}.new")
    shutil.rmtree(fresh, ignore_errors=True)
    try:
        status = _run_into(fresh, list_path)
        if status in (0, 1):
            _replace(target, fresh)
        return status
    finally:
        shutil.rmtree(fresh, ignore_errors=True)


def _replace(target: Path, fresh: Path) -> None:
    """`fresh` becomes `target`; the previous `target` is removed only after that."""
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _run_into(target: Path, list_path: Path) -> int:
    api = FakeApi().start()
    try:
        env = {
            **os.environ,
            **api.env(),
            "DBLP_MIN_INTERVAL": "0",
            "S2_MIN_INTERVAL": "0",
            "ARXIV_MIN_INTERVAL": "0",
            "CROSSREF_MIN_INTERVAL": "0",
        }
        # The fake needs no key; a placeholder keeps a real one away from it and the run quiet.
        env["S2_API_KEY"] = "demo-placeholder-not-a-key"
        command = [
            sys.executable, "-m", "pipeline", "enrich", "-q",
            "--list", str(list_path),
            "--out", str(target / "output"),
            "--work", str(target / "build"),
            "--cache", str(target / "cache"),
        ]  # fmt: skip
        return subprocess.run(command, env=env, cwd=ROOT, check=False).returncode
    finally:
        api.stop()


def main() -> int:
    print(BANNER)
    target = ROOT / "demo"
    try:
        status = run_demo(target)
    except KeyboardInterrupt:
        kept = f"; the previous {target} is kept" if target.exists() else ""
        print(f"interrupted{kept}", file=sys.stderr)
        return 130
    print(f"\nLook at: {target / 'output' / 'report.md'} (the report),")
    print(f"         {target / 'output' / 'papers.bib'} and {target / 'output' / 'catalog.json'}.")
    print(f"Pipeline exit status: {status}")
    return status


if __name__ == "__main__":
    sys.exit(main())
