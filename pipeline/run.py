"""Stage runners: each reads the previous stage's file, calls the pure stage, writes its own.

These are the only functions that touch stage files; the CLI calls them and nothing else.
"""

from __future__ import annotations

import datetime
import logging
import shutil
import time
from pathlib import Path

from pipeline import parse as parse_stage
from pipeline.config import Settings
from pipeline.emit import render_bib, render_catalog, render_schema
from pipeline.errors import InputError
from pipeline.http import ResponseCache, SourceClient
from pipeline.merge import merge
from pipeline.models import (
    Catalog,
    ListedPaper,
    ParsedList,
    ResolveResult,
    ResolveSummary,
    Severity,
    Snapshot,
)
from pipeline.overrides import load_overrides
from pipeline.progress import ProgressLike
from pipeline.report import format_finding, render_report
from pipeline.resolve import Clients, resolve, to_result
from pipeline.storage import load_model, publish, write_model
from pipeline.text import venue_key
from pipeline.venues import VenueTable, load_venues

log = logging.getLogger("pipeline")


def parsed_path(settings: Settings) -> Path:
    return settings.work_dir / "parse.json"


def resolved_path(settings: Settings) -> Path:
    return settings.work_dir / "resolve.json"


def run_parse(settings: Settings) -> ParsedList:
    """The list file -> WORK/parse.json; findings echoed to the log, compiler-style."""
    if not settings.list_path.is_file():
        raise InputError(f"{settings.list_path}: no such file (give the list with --list PATH)")
    parsed = parse_stage.parse_list_file(settings.list_path, venues=load_settings_venues(settings))
    if not parsed.papers:
        raise InputError(
            "\n".join(
                format_finding(parsed.source, f.line, f.severity.value, f.code, f.message)
                for f in parsed.findings
            )
        )
    for finding in parsed.findings:
        level = logging.INFO if finding.severity is Severity.INFO else logging.WARNING
        log.log(
            level,
            format_finding(
                parsed.source, finding.line, finding.severity.value, finding.code, finding.message
            ),
        )
    write_model(parsed_path(settings), parsed)
    log.info("parse: %d papers -> %s", len(parsed.papers), parsed_path(settings))
    return parsed


def load_settings_venues(settings: Settings) -> VenueTable:
    """The shipped venue table with the project's file (settings' venues_path) on top."""
    return load_venues(settings.venues_path, required=settings.venues_required)


def select_only(
    papers: list[ListedPaper], only: str | None, venues: VenueTable
) -> list[ListedPaper]:
    """`--only VENUE[:YEAR]`: the papers of one venue, or of one venue-year. Venue labels
    compare as the venue table does, so `--only "USENIX ATC"` selects papers listed as ATC."""
    if not only:
        return papers
    label, _, year = only.partition(":")
    if year and not year.isdigit():
        raise InputError(f"--only {only!r}: the year must be a number (e.g. OSDI:2020)")
    wanted = venues.find(label)

    def same_venue(paper: ListedPaper) -> bool:
        if wanted is not None:
            return venues.find(paper.venue) is wanted
        return venue_key(paper.venue or "") == venue_key(label)

    chosen = [p for p in papers if same_venue(p) and (not year or p.year == int(year))]
    if not chosen:
        raise InputError(f"--only {only!r} selects no listed paper")
    return chosen


def open_clients(settings: Settings) -> tuple[Clients, ResponseCache]:
    """One cache and one client (session, pacing, breaker) per source for this run."""
    cache = ResponseCache(settings.cache_dir)
    clients = Clients(
        dblp=SourceClient(source=settings.dblp, settings=settings, cache=cache),
        s2=SourceClient(source=settings.s2, settings=settings, cache=cache),
    )
    return clients, cache


def run_resolve(
    settings: Settings, progress: ProgressLike | None = None, parsed: ParsedList | None = None
) -> ResolveResult:
    """WORK/parse.json -> WORK/resolve.json, keeping other papers' results under --only.

    `parsed` skips re-reading the stage file when the caller has it in memory (enrich).
    """
    parsed = parsed or load_model(parsed_path(settings), ParsedList)
    venues = load_settings_venues(settings)
    pins, warnings = load_overrides(settings.overrides_path).bind(parsed.papers)
    for warning in warnings:
        log.warning("%s: %s", settings.overrides_path, warning)
    papers = select_only(parsed.papers, settings.only, venues)
    clients, cache = open_clients(settings)
    try:
        resolved = resolve(papers, venues, pins, clients, progress)
    finally:
        cache.close()
    if settings.only and resolved_path(settings).exists():
        previous = {
            r.paper.id: r for r in load_model(resolved_path(settings), ResolveResult).papers
        }
        fresh = {r.paper.id: r for r in resolved}
        resolved = [
            fresh.get(p.id) or previous[p.id]
            for p in parsed.papers
            if p.id in fresh or p.id in previous
        ]
    result = to_result(resolved, clients, cache.warnings)
    write_model(resolved_path(settings), result)
    return result


def merged_path(settings: Settings) -> Path:
    return settings.work_dir / "merge.json"


def catalog_path(settings: Settings) -> Path:
    return settings.out_dir / "catalog.json"


def load_previous_catalog(path: Path, keep_copy: bool = False) -> tuple[Catalog | None, list[str]]:
    """The last published catalog, the baseline of keys and values. A damaged one is reported
    and, with `keep_copy`, copied aside first so that publishing never overwrites it unseen."""
    if not path.exists():
        return None, []
    try:
        return load_model(path, Catalog), []
    except InputError as exc:
        message = f"the previous catalog is unreadable ({exc})"
        if keep_copy:
            aside = path.with_name(f"{path.name}.corrupt-{int(time.time())}")
            shutil.copy2(path, aside)
            message += f"; a copy is kept as {aside}"
        log.warning(message)
        return None, [message]


Baseline = tuple[Catalog | None, list[str]]  # the previous catalog, and why it is missing


def run_merge(
    settings: Settings, resolved: ResolveResult | None = None, baseline: Baseline | None = None
) -> Catalog:
    """WORK/resolve.json + the previous OUT/catalog.json -> WORK/merge.json."""
    resolved = resolved or load_model(resolved_path(settings), ResolveResult)
    previous, _ = baseline or load_previous_catalog(catalog_path(settings))
    today = settings.today or datetime.date.today().isoformat()
    catalog = Catalog(
        source=str(settings.list_path), papers=merge(resolved.papers, previous, today)
    )
    write_model(merged_path(settings), catalog)
    return catalog


def run_emit(
    settings: Settings,
    catalog: Catalog | None = None,
    parsed: ParsedList | None = None,
    summary: ResolveSummary | None = None,
    previous: tuple[Snapshot | None, list[str]] | None = None,
) -> tuple[Catalog, list[str]]:
    """WORK/merge.json -> OUT/papers.bib, catalog.json, catalog.schema.json, report.md.

    Returns the catalog and the problems that make this run incomplete (stale fields,
    coverage lower than the previous catalog's), which the CLI turns into exit status 1.
    Inputs already in memory (enrich) are passed in instead of re-read.
    """
    catalog = catalog or load_model(merged_path(settings), Catalog)
    parsed = parsed or load_model(parsed_path(settings), ParsedList)
    summary = summary or ResolveSummary.of(load_model(resolved_path(settings), ResolveResult))
    if previous is None:
        old, notes = load_previous_catalog(catalog_path(settings), keep_copy=True)
        previous = (Snapshot.of(old) if old else None, notes)
    snapshot, notes = previous
    problems = list(notes)
    for source, label in (("dblp", "DBLP"), ("s2", "Semantic Scholar")):
        if summary.failed.get(source):
            problems.append(f"{summary.failed[source]} papers could not be fetched from {label}")
    stale = sum(bool(p.stale) for p in catalog.papers)
    if stale:
        problems.append(f"{stale} papers keep previous values that could not be refreshed")
    if snapshot is not None:
        now = Snapshot.of(catalog).coverage
        for name, count in now.items():
            if count < snapshot.coverage[name]:
                problems.append(f"coverage dropped: {name} {snapshot.coverage[name]} -> {count}")
    report = render_report(catalog, snapshot, parsed, summary.counters, problems)
    publish(
        settings.out_dir,
        {
            "papers.bib": render_bib(catalog, ascii=settings.ascii),
            "catalog.json": render_catalog(catalog),
            "catalog.schema.json": render_schema(),
            "report.md": report,
        },
    )
    return catalog, problems
