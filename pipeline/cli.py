"""Thin command line over the stages: flags -> Settings, errors -> messages and exit codes."""

from __future__ import annotations

import argparse
import contextlib
import datetime
import errno
import gc
import hashlib
import logging
import sys
from collections.abc import Callable, Collection, Iterator, Sequence
from pathlib import Path
from typing import Any

from pipeline import collector
from pipeline.config import Settings, check_paths, settings_from_env
from pipeline.errors import InputError, PipelineError, stopped
from pipeline.messages import shorten_requests
from pipeline.sources import ABSTRACT_ONLY

# The stages are imported by the command that runs them: `--help`, `lint` or `validate` never
# load pydantic's models, requests or Jinja2 (a command line that answers at once).

log = logging.getLogger("pipeline")

EXIT_OK, EXIT_INCOMPLETE, EXIT_BAD_INPUT = 0, 1, 2
# Published, but arXiv or Crossref (abstracts only) failed: those abstracts are last run's.
EXIT_ABSTRACT_GAP = 3
PROG = "mlsys-bib"  # the installed command; `python -m pipeline` is the same program

STAGES_HELP = """\
stages (each reads the previous stage's file in --work and writes its own):
  parse    read the markdown list into typed records        -> WORK/parse.json
  resolve  find each paper in DBLP and Semantic Scholar    -> WORK/resolve.json
  merge    one record per paper, provenance, conflicts      -> WORK/merge.json
  emit     the outputs (no network)   -> OUT/papers.bib, papers.csl.json, catalog.json,
                                         catalog.schema.json, index.html, report.md
  validate check OUT: the .bib reads back whole, the catalog and CSL-JSON fit their schemas,
           the page shows the catalog's papers, all hold the same keys
  lint     report problems in the list itself (exit 1 if any warning or error)
  fix      the list's problems its sources settle, as a patch  -> OUT/list-fixes.patch, .md
  review   a pull request's check: the papers it adds, resolved -> OUT/pr-comment.md
  enrich   parse, resolve, merge and emit in one go

environment:
  DBLP_API_BASE   DBLP server (default https://dblp.org)
  S2_API_BASE     Semantic Scholar Graph API (default https://api.semanticscholar.org/graph/v1)
  S2_API_KEY      Semantic Scholar API key, sent as x-api-key (never logged)
  CONTACT_EMAIL   contact address sent in the User-Agent

exit status: 0 complete, 1 finished but incomplete, 2 bad input or configuration,
  3 complete but arXiv or Crossref failed (abstracts kept from the previous run, published),
  130 interrupted (Ctrl-C; outputs left as they were), 143 terminated (SIGTERM; likewise)
"""


def cmd_parse(settings: Settings) -> int:
    from pipeline.parse.listfile import INVALID_UTF8
    from pipeline.run import run_parse

    parsed = run_parse(settings)
    # A line that could not be read costs its entry: the records are incomplete.
    return EXIT_INCOMPLETE if any(f.code == INVALID_UTF8 for f in parsed.findings) else EXIT_OK


def cmd_resolve(settings: Settings) -> int:
    from pipeline.emit.report import render_summary
    from pipeline.models import ResolveSummary
    from pipeline.progress import Progress
    from pipeline.run import run_resolve

    result = run_resolve(settings, Progress())
    print(render_summary(ResolveSummary.of(result), None, [], settings.out_dir))
    failed = {name for name, c in result.counters.items() if c.failures}
    return _status(failed - set(ABSTRACT_ONLY), failed & set(ABSTRACT_ONLY))


def _status(problems: Collection[object], gaps: Collection[object]) -> int:
    """1 when anything but abstracts is missing, 3 when only arXiv's or Crossref's are."""
    return EXIT_INCOMPLETE if problems else EXIT_ABSTRACT_GAP if gaps else EXIT_OK


def cmd_validate(settings: Settings) -> int:
    from pipeline.validate import validate_outputs

    problems = validate_outputs(settings.out_dir)
    for problem in problems:
        print(f"invalid: {problem}", file=sys.stderr)
    if not problems:
        print(f"{settings.out_dir}/: papers.bib and catalog.json are valid and agree")
    return EXIT_INCOMPLETE if problems else EXIT_OK


def cmd_lint(settings: Settings, annotations: bool | None = None) -> int:
    """Each finding once, compiler-style (none with -q), then the corrected count table;
    as GitHub workflow commands too with --annotations (or inside GitHub Actions)."""
    from pipeline.emit.report import finding_line, lint_summary
    from pipeline.fix.annotations import finding_command, repo_path, wanted
    from pipeline.models import Severity
    from pipeline.parse import render_count_table
    from pipeline.run import read_list

    parsed = read_list(settings)
    if wanted(annotations):
        path = repo_path(settings.list_path)
        for finding in parsed.findings:
            print(finding_command(path, finding))
    elif log.isEnabledFor(logging.INFO):
        for finding in parsed.findings:
            print(finding_line(parsed.source, finding))
    if any(f.code == "count-table" for f in parsed.findings):
        print("\nThe count table, corrected from the list itself:\n")
        print(render_count_table(parsed))
    print(lint_summary(parsed))
    serious = [f for f in parsed.findings if f.severity is not Severity.INFO]
    return EXIT_INCOMPLETE if serious else EXIT_OK


def cmd_merge(settings: Settings) -> int:
    from pipeline.run import run_merge

    catalog = run_merge(settings)
    print(f"merge: {len(catalog.papers)} papers -> {settings.work_dir / 'merge.json'}")
    return EXIT_OK


def cmd_emit(settings: Settings) -> int:
    from pipeline.run import run_emit

    catalog, problems, gaps = run_emit(settings)
    for problem in [*problems, *gaps]:
        print(f"warning: {problem}", file=sys.stderr)
    print(f"emit: {len(catalog.papers)} entries -> {settings.out_dir}/")
    return _status(problems, gaps)


def cmd_enrich(settings: Settings) -> int:
    """Every stage in one process (the collector paused: pipeline/collector.py)."""
    from pipeline import stamp as stamps

    # --refresh asks the sources again and --only mixes runs: neither is the last run again.
    inputs = "" if settings.refresh or settings.only else stamps.input_digest(settings)
    if inputs and (last := stamps.unchanged_run(settings, inputs)) is not None:
        for warning in last.warnings:
            log.warning("%s", warning)
        print(
            NOTHING_CHANGED.format(
                finished=last.finished,
                answers=len(last.answers),
                out=settings.out_dir,
                stamp=stamps.stamp_path(settings),
            )
        )
        print(last.summary)
        return EXIT_OK
    stamps.forget_stamp(settings)
    catalog_before = _digest(settings.out_dir / "catalog.json")
    used: dict[str, float | None] = {}
    with _warnings_kept() as warnings:  # said again by a run that keeps this one's outputs
        status, summary = _recompute(settings, used)
    settled = catalog_before is not None and catalog_before == _digest(
        settings.out_dir / "catalog.json"
    )
    answers = stamps.answers_drawn_on(used, settings.cache_dir) if inputs and settled else {}
    if status == EXIT_OK and answers and summary is not None:
        finished = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
        stamp = stamps.RunStamp(
            inputs, stamps.files_left(settings), answers, summary, warnings, finished
        )
        stamps.write_stamp(settings, stamp)
    return status


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


@contextlib.contextmanager
def _warnings_kept() -> Iterator[list[str]]:
    """The warnings the run logs (the list's problems, overrides that no longer apply, ...)."""
    kept: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            kept.append(record.getMessage())

    handler = Keep(logging.WARNING)
    log.addHandler(handler)
    try:
        yield kept
    finally:
        log.removeHandler(handler)


def _recompute(settings: Settings, used: dict[str, float | None]) -> tuple[int, str | None]:
    """Every stage; the exit status and the closing summary (None when nothing was
    published)."""
    from pipeline.emit.report import render_summary
    from pipeline.http import cached_answers
    from pipeline.merge.previous import needs_matches
    from pipeline.models import ResolveSummary, Snapshot
    from pipeline.progress import Progress
    from pipeline.run import (
        catalog_path,
        load_previous_catalog,
        run_emit,
        run_merge,
        run_parse,
        run_resolve,
    )

    parsed = run_parse(settings)
    gc.collect()  # what parsing left, once; the rest lives to the end (pipeline/collector.py)
    gc.freeze()
    result = run_resolve(settings, Progress(), parsed=parsed, answers_used=used)
    # The sources asked this run: arXiv and Crossref are not when DBLP and S2 gave nothing.
    asked = [c for c in result.counters.values() if c.requests or c.cache_hits]
    unreachable = [c for c in asked if c.unreachable and c.cache_hits == 0]
    if unreachable and len(unreachable) == len(asked):
        message = NO_NETWORK.format(out=settings.out_dir)
        if cached_answers(settings.cache_dir):  # --offline rebuilds only from what is cached
            message += OFFLINE_HINT
        print(message + NETWORK_HINTS, file=sys.stderr)
        return EXIT_INCOMPLETE, None
    baseline = load_previous_catalog(
        catalog_path(settings), keep_copy=True, matches=needs_matches(result.papers)
    )
    merged = run_merge(settings, resolved=result, baseline=baseline)
    summary = ResolveSummary.of(result)
    previous = (Snapshot.of(baseline[0]) if baseline[0] else None, baseline[1])
    del result, baseline  # the records are in `merged` now; free them before emitting
    catalog, problems, gaps = run_emit(settings, merged, parsed, summary, previous)
    text = render_summary(summary, catalog, problems, settings.out_dir, gaps)
    print(text)
    return _status(problems, gaps), text


def cmd_fix(settings: Settings, annotations: bool | None = None, write: bool = False) -> int:
    from pipeline.fix.cli import cmd_fix as fix

    return fix(settings, annotations, write)


def cmd_review(settings: Settings, **flags: Any) -> int:
    from pipeline.fix.cli import cmd_review as review

    return review(settings, **flags)


NOTHING_CHANGED = """\
enrich: nothing changed since the last run ({finished}): the list, the settings, the code and
the outputs are as it left them, and the {answers} cached answers it drew on are still fresh.
The outputs in {out}/ are kept as they are (to recompute anyway: delete {stamp}).
"""
NO_NETWORK = """\
error: neither DBLP nor Semantic Scholar can be reached from this machine (no network?).
The existing outputs in {out}/ are kept as they were.
  - To see the whole pipeline work without network: make demo (a local fake API)."""
OFFLINE_HINT = """
  - To rebuild the outputs from what is already cached: mlsys-bib enrich --offline"""
NETWORK_HINTS = """
  - Behind a proxy or using a mirror: set DBLP_API_BASE / S2_API_BASE (see the README)."""


COMMANDS: dict[str, tuple[Callable[..., int], str]] = {
    "parse": (cmd_parse, "read the list into typed records"),
    "resolve": (cmd_resolve, "find each paper in DBLP and Semantic Scholar"),
    "merge": (cmd_merge, "one record per paper, with provenance and conflicts"),
    "emit": (cmd_emit, "write the outputs: .bib, CSL-JSON, catalog, page, report"),
    "validate": (cmd_validate, "check the outputs: .bib, CSL-JSON, catalog, page agree"),
    "lint": (cmd_lint, "report problems in the list itself"),
    "fix": (cmd_fix, "the list's problems its sources settle, as a patch (--write: applied)"),
    "review": (cmd_review, "a pull request's check: the papers it adds, found or not, BibTeX"),
    "enrich": (cmd_enrich, "run every stage"),
}


# Every option, once; each stage takes only those it uses (STAGE_OPTIONS).
OPTIONS: dict[str, tuple[tuple[str, ...], dict[str, Any]]] = {
    "list_path": (("--list",), {"type": Path, "metavar": "PATH",
                  "help": "the awesome list (default: catalog/papers.md)"}),
    "venues_path": (("--venues",), {"type": Path, "metavar": "PATH",
                    "help": "venues added to the shipped venue table"
                            " (default: catalog/venues.toml when it exists)"}),
    "overrides_path": (("--overrides",), {"type": Path, "metavar": "PATH",
                       "help": "pins and exclusions (default: overrides.toml beside the list)"}),
    "out_dir": (("--out",), {"type": Path, "metavar": "DIR", "help": "outputs (default: output/)"}),
    "work_dir": (("--work",), {"type": Path, "metavar": "DIR",
                 "help": "stage files (default: build/)"}),
    "cache_dir": (("--cache",), {"type": Path, "metavar": "DIR",
                  "help": "HTTP cache (default: cache/)"}),
    "offline": (("--offline",), {"action": "store_true",
                "help": "use the cache only; a miss is reported, never fetched"}),
    "refresh": (("--refresh",), {"action": "store_true",
                "help": "re-fetch despite fresh cache entries (old entry kept on failure)"}),
    "only": (("--only",), {"metavar": "VENUE[:YEAR]",
             "help": "restrict to one venue or venue-year (other papers keep their results)"}),
    "ascii": (("--ascii",), {"action": "store_true",
              "help": "write LaTeX accent macros instead of UTF-8 in the .bib"}),
    "verified_only": (("--verified-only",), {"action": "store_true",
                      "help": "leave unresolved papers out of papers.bib and papers.csl.json"
                              " (the catalog and the page keep them)"}),
}  # fmt: skip
RESOLVING = [
    "list_path",
    "venues_path",
    "overrides_path",
    "work_dir",
    "cache_dir",
    "offline",
    "refresh",
    "only",
]
STAGE_OPTIONS: dict[str, list[str]] = {
    "parse": ["list_path", "venues_path", "work_dir"],
    "resolve": RESOLVING,
    "merge": ["list_path", "venues_path", "work_dir", "out_dir"],
    "emit": ["list_path", "work_dir", "out_dir", "ascii", "verified_only"],
    "validate": ["out_dir"],
    "lint": ["list_path", "venues_path"],
    "fix": ["list_path", "venues_path", "work_dir", "out_dir"],
    "review": [*(n for n in RESOLVING if n != "only"), "out_dir"],  # the change picks papers
    "enrich": [*RESOLVING, "out_dir", "ascii", "verified_only"],
}
STAGE_DESCRIPTIONS = {
    "parse": "Read the markdown list into typed records (WORK/parse.json) and lint it.",
    "resolve": "Find each parsed paper in DBLP and Semantic Scholar (WORK/parse.json -> "
    "WORK/resolve.json): one table-of-contents query per venue-year, searches only for what "
    "is not there, S2 in batches.",
    "merge": "One record per paper with the provenance of every field (WORK/resolve.json and "
    "the previous OUT/catalog.json -> WORK/merge.json).",
    "emit": "Write the outputs from WORK/merge.json: OUT/papers.bib, papers.csl.json, "
    "catalog.json, catalog.schema.json, index.html and report.md, as one set. Needs no network.",
    "validate": "Check OUT: papers.bib reads back whole, catalog.json and papers.csl.json fit "
    "their schemas, index.html shows the catalog's papers, and all hold the same keys.",
    "lint": "Report the list's own problems, each once with its line (exit 1 on a warning).",
    "enrich": "Run parse, resolve, merge and emit in one go.",
    "fix": "From the last run (OUT/catalog.json, WORK/resolve.json) and the list: the fixes "
    "the sources settle (unreadable or wrong years, misspelt titles, missing venues, heading "
    "levels, the count table) as OUT/list-fixes.patch and OUT/list-fixes.md; --write applies "
    "them to the list.",
    "review": "For a pull request: compare the list with its version at --since-ref REF (git) "
    "or --base-list FILE, resolve only the papers the change adds (the cache serves the rest), "
    "report the findings on the changed lines and write OUT/pr-comment.md: which papers were "
    "found, with their BibTeX. Its stage files go to WORK/review/, apart from the whole list's.",
}
# Options of one stage that are not settings (how it reports, whether it writes the list).
STAGE_FLAGS: dict[str, dict[str, tuple[tuple[str, ...], dict[str, Any]]]] = {
    "lint": {
        "annotations": (("--annotations",), {"action": argparse.BooleanOptionalAction,
                        "help": "print GitHub workflow commands (default: inside GitHub Actions)"}),
    },
    "fix": {
        "annotations": (("--annotations",), {"action": argparse.BooleanOptionalAction,
                        "help": "print GitHub workflow commands (default: inside GitHub Actions)"}),
        "write": (("--write",), {"action": "store_true", "help": "apply the fixes to the list"}),
    },
    "review": {
        "since_ref": (("--since-ref",), {"metavar": "REF",
                      "help": "the list before the change: its version at this git ref"}),
        "base_list": (("--base-list",), {"type": Path, "metavar": "FILE",
                      "help": "the list before the change, as a file"}),
        "annotations": (("--annotations",), {"action": argparse.BooleanOptionalAction,
                        "help": "print GitHub workflow commands (default: inside GitHub Actions)"}),
    },
}  # fmt: skip


def _add_options(parser: argparse.ArgumentParser, names: list[str], verbosity: str) -> None:
    """Options default to SUPPRESS, so an option given before the stage is never overwritten
    by the stage's own default (and one given twice: the later wins). Every option is known
    everywhere, the stage's own ones shown in its help: one the stage does not use is refused
    by _stage_settings with the same explanation wherever it stands."""
    for name, (flags, kwargs) in OPTIONS.items():
        shown = kwargs if name in names else {**kwargs, "help": argparse.SUPPRESS}
        parser.add_argument(*flags, dest=name, default=argparse.SUPPRESS, **shown)
    parser.add_argument("-v", "--verbose", action="count", dest=f"verbose_{verbosity}",
                        default=0, help="more detail")  # fmt: skip
    parser.add_argument("-q", "--quiet", action="count", dest=f"quiet_{verbosity}", default=0,
                        help="less detail: no per-finding lines")  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Turn an awesome list of ML-systems papers into a trusted bibliography.",
        epilog=STAGES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_options(parser, list(OPTIONS), "top")
    sub = parser.add_subparsers(dest="command", metavar="STAGE", required=True)
    for name, (_, help_text) in COMMANDS.items():
        stage = sub.add_parser(name, help=help_text, description=STAGE_DESCRIPTIONS[name])
        _add_options(stage, STAGE_OPTIONS[name], "stage")
        for flag_name, (flags, kwargs) in STAGE_FLAGS.get(name, {}).items():
            stage.add_argument(*flags, dest=flag_name, **kwargs)
    return parser


def _stage_settings(args: argparse.Namespace) -> Settings:
    """Settings from the options given (anywhere on the line); an option the stage does not
    use is refused rather than silently dropped."""
    given = {name: getattr(args, name) for name in OPTIONS if hasattr(args, name)}
    unused = sorted(set(given) - set(STAGE_OPTIONS[args.command]))
    if unused:
        flags = ", ".join(OPTIONS[name][0][0] for name in unused)
        users = sorted(s for s, names in STAGE_OPTIONS.items() if set(unused) <= set(names))
        hint = f" (it is an option of: {', '.join(users)})" if users else ""
        raise InputError(f"{args.command} does not use {flags}{hint}")
    if "only" in given and not given["only"].strip():
        raise InputError(
            "--only needs a venue or venue-year (e.g. OSDI or OSDI:2020); "
            "leave it out to resolve every paper"
        )
    if given.get("venues_path") is not None:
        given["venues_required"] = True  # a venue file named explicitly must exist
    settings = settings_from_env(**given)
    check_paths(settings, STAGE_OPTIONS[args.command], writes=args.command != "validate")
    named = given.get("overrides_path")
    if named is not None and not named.is_file():
        raise InputError(f"{named}: no such file (named by --overrides)")
    return settings


# The machine's trouble rather than the user's: the run may succeed later as it is.
TRANSIENT_ERRNOS = (errno.ENOSPC, errno.EDQUOT, errno.EIO)


def os_error_message(exc: OSError) -> str:
    """'PATH: Permission denied': the path first, as every other input error."""
    if exc.filename is None:
        return str(exc)
    where = f"{exc.filename}" + (f" -> {exc.filename2}" if exc.filename2 else "")
    return f"{where}: {exc.strerror or exc}"


class ShortFormatter(logging.Formatter):
    """Log lines for people: a failed request named by endpoint and size, not a long URL."""

    def format(self, record: logging.LogRecord) -> str:
        return shorten_requests(super().format(record))


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    verbose, quiet = args.verbose_top + args.verbose_stage, args.quiet_top + args.quiet_stage
    if verbose and quiet:
        parser.error("-q and -v ask for less and more detail at once: give one of them")
    verbosity = verbose - quiet
    handler = logging.StreamHandler(sys.stderr)
    # With -v, requests in full (debugging); otherwise source, endpoint and size.
    handler.setFormatter(logging.Formatter() if verbosity > 0 else ShortFormatter())
    logging.basicConfig(
        level=logging.DEBUG
        if verbosity > 0
        else logging.WARNING
        if verbosity < 0
        else logging.INFO,
        handlers=[handler],
    )
    try:
        settings = _stage_settings(args)
        flags = {name: getattr(args, name) for name in STAGE_FLAGS.get(args.command, {})}
        command = COMMANDS[args.command][0]
        if args.command in ("lint", "validate", "parse"):  # nothing in OUT written
            with collector.paused():
                return command(settings, **flags)
        from pipeline.storage import RunLock

        with RunLock(settings.out_dir), collector.paused():
            return command(settings, **flags)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except PipelineError as exc:
        print(f"error: {shorten_requests(str(exc))}", file=sys.stderr)
        return EXIT_INCOMPLETE
    except OSError as exc:  # a path the checks could not foresee (permissions, a full disk)
        print(f"error: {os_error_message(exc)}", file=sys.stderr)
        return EXIT_INCOMPLETE if exc.errno in TRANSIENT_ERRNOS else EXIT_BAD_INPUT
    except KeyboardInterrupt as exc:
        return stopped(exc)
