"""Thin command line over the stages: flags -> Settings, errors -> messages and exit codes."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from pipeline.config import Settings, settings_from_env
from pipeline.emit import validate_outputs
from pipeline.errors import InputError, PipelineError
from pipeline.models import ResolveSummary, Severity, Snapshot
from pipeline.progress import Progress
from pipeline.report import render_lint, render_summary
from pipeline.run import (
    catalog_path,
    load_previous_catalog,
    run_emit,
    run_merge,
    run_parse,
    run_resolve,
)
from pipeline.storage import RunLock

log = logging.getLogger("pipeline")

EXIT_OK, EXIT_INCOMPLETE, EXIT_BAD_INPUT = 0, 1, 2

STAGES_HELP = """\
stages (each reads the previous stage's file in --work and writes its own):
  parse    read the markdown list into typed records        -> WORK/parse.json
  resolve  find each paper in DBLP and Semantic Scholar    -> WORK/resolve.json
  merge    one record per paper, provenance, conflicts      -> WORK/merge.json
  emit     the outputs        -> OUT/papers.bib, catalog.json, catalog.schema.json, report.md
  validate check OUT: the .bib reads back whole, the catalog fits its schema
  lint     report problems in the list itself (exit 1 if any warning or error)
  enrich   parse, resolve, merge and emit in one go

environment:
  DBLP_API_BASE   DBLP server (default https://dblp.org)
  S2_API_BASE     Semantic Scholar Graph API (default https://api.semanticscholar.org/graph/v1)
  S2_API_KEY      Semantic Scholar API key, sent as x-api-key (never logged)
  CONTACT_EMAIL   contact address sent in the User-Agent

exit status: 0 complete, 1 finished but incomplete, 2 bad input or configuration
"""


def cmd_parse(settings: Settings) -> int:
    run_parse(settings)
    return EXIT_OK


def cmd_resolve(settings: Settings) -> int:
    result = run_resolve(settings, Progress())
    print(render_summary(ResolveSummary.of(result), None, [], settings.out_dir))
    return EXIT_INCOMPLETE if any(c.failures for c in result.counters.values()) else EXIT_OK


def cmd_validate(settings: Settings) -> int:
    problems = validate_outputs(settings.out_dir)
    for problem in problems:
        print(f"invalid: {problem}", file=sys.stderr)
    if not problems:
        print(f"{settings.out_dir}/: papers.bib and catalog.json are valid and agree")
    return EXIT_INCOMPLETE if problems else EXIT_OK


def cmd_lint(settings: Settings) -> int:
    parsed = run_parse(settings)
    print(render_lint(parsed), end="")
    serious = [f for f in parsed.findings if f.severity is not Severity.INFO]
    return EXIT_INCOMPLETE if serious else EXIT_OK


def cmd_merge(settings: Settings) -> int:
    catalog = run_merge(settings)
    print(f"merge: {len(catalog.papers)} papers -> {settings.work_dir / 'merge.json'}")
    return EXIT_OK


def cmd_emit(settings: Settings) -> int:
    catalog, problems = run_emit(settings)
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
    print(f"emit: {len(catalog.papers)} entries -> {settings.out_dir}/")
    return EXIT_INCOMPLETE if problems else EXIT_OK


def cmd_enrich(settings: Settings) -> int:
    parsed = run_parse(settings)
    result = run_resolve(settings, Progress(), parsed=parsed)
    unreachable = [
        name for name, c in result.counters.items() if c.unreachable and c.cache_hits == 0
    ]
    if unreachable and len(unreachable) == len(result.counters):
        print(NO_NETWORK.format(out=settings.out_dir), file=sys.stderr)
        return EXIT_INCOMPLETE
    baseline = load_previous_catalog(catalog_path(settings), keep_copy=True)
    merged = run_merge(settings, resolved=result, baseline=baseline)
    summary = ResolveSummary.of(result)
    previous = (Snapshot.of(baseline[0]) if baseline[0] else None, baseline[1])
    del result, baseline  # the records are in `merged` now; free them before emitting
    catalog, problems = run_emit(settings, merged, parsed, summary, previous)
    print(render_summary(summary, catalog, problems, settings.out_dir))
    return EXIT_INCOMPLETE if problems else EXIT_OK


NO_NETWORK = """\
error: neither DBLP nor Semantic Scholar can be reached from this machine (no network?).
The existing outputs in {out}/ are kept as they were.
  - To see the whole pipeline work without network: make demo (a local fake API).
  - To rebuild the outputs from what is already cached: python -m pipeline enrich --offline
  - Behind a proxy or using a mirror: set DBLP_API_BASE / S2_API_BASE (see the README)."""


COMMANDS: dict[str, tuple[Callable[[Settings], int], str]] = {
    "parse": (cmd_parse, "read the list into typed records"),
    "resolve": (cmd_resolve, "find each paper in DBLP and Semantic Scholar"),
    "merge": (cmd_merge, "one record per paper, with provenance and conflicts"),
    "emit": (cmd_emit, "write papers.bib, catalog.json, its schema and report.md"),
    "validate": (cmd_validate, "check the outputs: .bib reads back, catalog fits its schema"),
    "lint": (cmd_lint, "report problems in the list itself"),
    "enrich": (cmd_enrich, "run every stage"),
}


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--list", dest="list_path", type=Path, help="the awesome list (default: catalog/papers.md)"
    )
    common.add_argument(
        "--venues",
        dest="venues_path",
        type=Path,
        help="venue labels and DBLP tables of contents added to the shipped table"
        " (default: catalog/venues.toml when it exists)",
    )
    common.add_argument("--out", dest="out_dir", type=Path, help="outputs (default: output/)")
    common.add_argument("--work", dest="work_dir", type=Path, help="stage files (default: build/)")
    common.add_argument("--cache", dest="cache_dir", type=Path, help="HTTP cache (default: cache/)")
    common.add_argument(
        "--offline",
        action="store_true",
        default=None,
        help="use the cache only; a miss is reported, never fetched",
    )
    common.add_argument(
        "--refresh",
        action="store_true",
        default=None,
        help="re-fetch despite fresh cache entries (old entry kept on failure)",
    )
    common.add_argument(
        "--only", metavar="VENUE[:YEAR]", help="restrict to one venue or venue-year"
    )
    common.add_argument(
        "--ascii",
        action="store_true",
        default=None,
        help="write LaTeX accent macros instead of UTF-8 in the .bib",
    )
    common.add_argument("-v", "--verbose", action="count", default=0, help="more detail")
    common.add_argument("-q", "--quiet", action="count", default=0, help="less detail")
    parser = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Turn an awesome list of ML-systems papers into a trusted bibliography.",
        epilog=STAGES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common],
    )
    sub = parser.add_subparsers(dest="command", metavar="STAGE", required=True)
    for name, (_, help_text) in COMMANDS.items():
        sub.add_parser(name, help=help_text, parents=[common])
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    verbosity = args.verbose - args.quiet
    logging.basicConfig(
        level=logging.DEBUG
        if verbosity > 0
        else logging.WARNING
        if verbosity < 0
        else logging.INFO,
        format="%(message)s",
        stream=sys.stderr,
    )
    try:
        settings = settings_from_env(
            list_path=args.list_path,
            venues_path=args.venues_path,
            venues_required=args.venues_path is not None or None,
            out_dir=args.out_dir,
            work_dir=args.work_dir,
            cache_dir=args.cache_dir,
            offline=args.offline,
            refresh=args.refresh,
            only=args.only,
            ascii=args.ascii,
        )
        if args.command in ("lint", "validate"):
            return COMMANDS[args.command][0](settings)
        with RunLock(settings.out_dir):
            return COMMANDS[args.command][0](settings)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except PipelineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INCOMPLETE
    except KeyboardInterrupt:
        print("interrupted; outputs left as they were", file=sys.stderr)
        return 130
