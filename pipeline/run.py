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
from pipeline.models import Catalog, FetchStatus, ListedPaper, ParsedList, ResolveResult, Severity
from pipeline.overrides import load_overrides
from pipeline.progress import NullProgress, ProgressLike
from pipeline.report import format_finding, render_report
from pipeline.resolve import Clients, resolve, to_result
from pipeline.storage import load_model, publish, write_model
from pipeline.venues import load_venues

log = logging.getLogger("pipeline")


def parsed_path(settings: Settings) -> Path:
    return settings.work_dir / "parse.json"


def resolved_path(settings: Settings) -> Path:
    return settings.work_dir / "resolve.json"


def run_parse(settings: Settings) -> ParsedList:
    """The list file -> WORK/parse.json; findings echoed to the log, compiler-style."""
    if not settings.list_path.is_file():
        raise InputError(f"{settings.list_path}: no such file (give the list with --list PATH)")
    parsed = parse_stage.parse_list_file(settings.list_path)
    if not parsed.papers:
        raise InputError(f"{settings.list_path}: no paper entries found (is this an awesome list?)")
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


def select_only(papers: list[ListedPaper], only: str | None) -> list[ListedPaper]:
    """`--only VENUE[:YEAR]`: the papers of one venue, or of one venue-year."""
    if not only:
        return papers
    venue, _, year = only.partition(":")
    if year and not year.isdigit():
        raise InputError(f"--only {only!r}: the year must be a number (e.g. OSDI:2020)")
    wanted = venue.strip().casefold()
    chosen = [
        p
        for p in papers
        if (p.venue or "").casefold() == wanted and (not year or p.year == int(year))
    ]
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


def run_resolve(settings: Settings, progress: ProgressLike | None = None) -> ResolveResult:
    """WORK/parse.json -> WORK/resolve.json, keeping other papers' results under --only."""
    parsed = load_model(parsed_path(settings), ParsedList)
    venues = load_venues(settings.venues_path)
    pins, warnings = load_overrides(settings.overrides_path).bind(parsed.papers)
    for warning in warnings:
        log.warning("%s: %s", settings.overrides_path, warning)
    papers = select_only(parsed.papers, settings.only)
    progress = progress or NullProgress()
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


def run_merge(settings: Settings) -> Catalog:
    """WORK/resolve.json + the previous OUT/catalog.json -> WORK/merge.json."""
    resolved = load_model(resolved_path(settings), ResolveResult)
    previous, _ = load_previous_catalog(catalog_path(settings))
    today = settings.today or datetime.date.today().isoformat()
    catalog = Catalog(
        source=str(settings.list_path), papers=merge(resolved.papers, previous, today)
    )
    write_model(merged_path(settings), catalog)
    return catalog


def coverage(catalog: Catalog) -> dict[str, int]:
    papers = catalog.papers
    return {
        "papers": len(papers),
        "resolved in DBLP": sum(p.dblp_key is not None for p in papers),
        "resolved in Semantic Scholar": sum(p.s2_paper_id is not None for p in papers),
        "DOIs": sum(p.doi is not None for p in papers),
        "abstracts": sum(p.abstract is not None for p in papers),
    }


def run_emit(settings: Settings) -> tuple[Catalog, list[str]]:
    """WORK/merge.json -> OUT/papers.bib, catalog.json, catalog.schema.json, report.md.

    Returns the catalog and the problems that make this run incomplete (stale fields,
    coverage lower than the previous catalog's), which the CLI turns into exit status 1.
    """
    catalog = load_model(merged_path(settings), Catalog)
    parsed = load_model(parsed_path(settings), ParsedList)
    resolved = load_model(resolved_path(settings), ResolveResult)
    previous, notes = load_previous_catalog(catalog_path(settings), keep_copy=True)
    problems = list(notes)
    for source, label in (("dblp", "DBLP"), ("s2", "Semantic Scholar")):
        failed = sum(getattr(r, source).status is FetchStatus.FAILED for r in resolved.papers)
        if failed:
            problems.append(f"{failed} papers could not be fetched from {label}")
    stale = sum(bool(p.stale) for p in catalog.papers)
    if stale:
        problems.append(f"{stale} papers keep previous values that could not be refreshed")
    if previous is not None:
        before, now = coverage(previous), coverage(catalog)
        for name, count in now.items():
            if count < before[name]:
                problems.append(f"coverage dropped: {name} {before[name]} -> {count}")
    report = render_report(catalog, previous, parsed, resolved.counters, problems)
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
