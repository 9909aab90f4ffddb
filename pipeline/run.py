"""Stage runners: each reads the previous stage's file, calls the pure stage, writes its own.

These are the only functions that touch stage files; the CLI calls them and nothing else.
"""

from __future__ import annotations

import datetime
import logging
import shutil
import time
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import parse as parse_stage
from pipeline import stamp
from pipeline.config import Settings
from pipeline.emit.bib import render_bib, render_entry
from pipeline.emit.catalog import render_catalog, render_schema
from pipeline.emit.csl import render_csl
from pipeline.emit.report import finding_line, lint_summary, render_report
from pipeline.errors import InputError
from pipeline.merge import merge
from pipeline.merge.previous import PreviousCatalog, needs_matches, previous_model
from pipeline.models import (
    Catalog,
    ListedPaper,
    ParsedList,
    ResolveBasisOnly,
    ResolvedPaper,
    ResolveOutcomes,
    ResolveResult,
    ResolveSummary,
    Severity,
    Snapshot,
)
from pipeline.overrides import load_overrides
from pipeline.parse.listfile import INVALID_UTF8
from pipeline.progress import ProgressLike
from pipeline.sources import SOURCES
from pipeline.storage import load_model, publish, write_model
from pipeline.text import venue_key
from pipeline.venues import VenueTable, load_venues

if TYPE_CHECKING:  # the HTTP client, the matchers and the page's templates load when used
    from pipeline.http import ResponseCache
    from pipeline.resolve import Clients
    from pipeline.resolve.earlier import Decisions

log = logging.getLogger("pipeline")


def parsed_path(settings: Settings) -> Path:
    return settings.work_dir / "parse.json"


def resolved_path(settings: Settings) -> Path:
    return settings.work_dir / "resolve.json"


def read_list(settings: Settings) -> ParsedList:
    """The list file -> typed records and lint findings (nothing written)."""
    if not settings.list_path.is_file():
        raise InputError(f"{settings.list_path}: no such file (give the list with --list PATH)")
    parsed = parse_stage.parse_list_file(settings.list_path, venues=load_settings_venues(settings))
    if not parsed.papers:  # the CLI says 'error: ' once, before the why
        raise InputError(
            "\n".join(
                f"{parsed.source}: {f.message}"
                if f.code == "empty-list"
                else finding_line(parsed.source, f)
                for f in parsed.findings
            )
        )
    return parsed


def run_parse(settings: Settings) -> ParsedList:
    """The list file -> WORK/parse.json; findings echoed once each, compiler-style (they are
    details: -q silences them and keeps the one-line summary)."""
    parsed = read_list(settings)
    for finding in parsed.findings:
        log.info(finding_line(parsed.source, finding))
    if any(f.severity is not Severity.INFO for f in parsed.findings):
        log.warning("%s (details: mlsys-bib lint)", lint_summary(parsed))
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
    from pipeline.http import ResponseCache, SourceClient
    from pipeline.resolve import Clients

    cache = ResponseCache(settings.cache_dir)
    clients = Clients(
        **{
            source.name: SourceClient(
                source=getattr(settings, source.name), settings=settings, cache=cache
            )
            for source in SOURCES
        }
    )
    return clients, cache


def stopped_because(clients: Clients, label: str) -> str | None:
    """Why the source shown as `label` stopped answering this run; None when it did not."""
    source = next((s for s in SOURCES if s.label == label), None)
    client = getattr(clients, source.name, None) if source else None
    if client is None:
        return None
    stats = client.stats
    if stats.wall_outlasted:
        return "its bot wall outlasted the budget"
    if stats.unreachable:
        return "cannot be reached"
    if stats.circuit_open:
        return "stopped answering"
    return None


def run_resolve(
    settings: Settings,
    progress: ProgressLike | None = None,
    parsed: ParsedList | None = None,
    answers_used: dict[str, float | None] | None = None,
) -> ResolveResult:
    """WORK/parse.json -> WORK/resolve.json, keeping other papers' results under --only.

    `parsed` skips re-reading the stage file when the caller has it in memory (enrich);
    `answers_used` receives the cached answers the run drew on (ResponseCache.used).
    """
    from pipeline.resolve import resolve, to_result
    from pipeline.resolve.abstracts import AbstractClients, fetch_abstracts
    from pipeline.resolve.earlier import next_basis, results_as_before, same_papers
    from pipeline.sources.crossref import mailto_of

    parsed = parsed or load_model(parsed_path(settings), ParsedList)
    venues = load_settings_venues(settings)
    pins, warnings = load_overrides(settings.overrides_file).bind(parsed.papers)
    for warning in warnings:
        log.warning("%s: %s", settings.overrides_file, warning)
    papers = select_only(parsed.papers, settings.only, venues)
    if not settings.s2.api_key and not settings.offline:
        log.warning(
            "S2_API_KEY is not set: Semantic Scholar's shared pool answers 429 often, so its "
            "part of the run will be slower (ask for a free key: "
            "https://www.semanticscholar.org/product/api#api-key)"
        )
    inputs = stamp.resolve_digest(settings, pins=repr(sorted(pins.items())))
    clients, cache = open_clients(settings)
    # A cache just set aside as unreadable holds none of the answers the last run drew on.
    previous, kept = (None, {}) if cache.warnings else _decisions_kept(settings, papers, inputs)
    if progress is not None:
        progress.outcome = partial(stopped_because, clients)
    unchanged = previous is not None and same_papers(previous, papers, kept)
    try:
        if previous is not None and unchanged:
            resolved = results_as_before(previous, papers)  # the abstracts too: nothing to ask
            for source in SOURCES:
                if (client := getattr(clients, source.name)) is not None:
                    client.stats.reused = len(papers)
        else:
            resolved = resolve(papers, venues, pins, clients, progress, kept)
        if not unchanged and clients.arxiv is not None and clients.crossref is not None:
            abstract_clients = AbstractClients(arxiv=clients.arxiv, crossref=clients.crossref)
            resolved = fetch_abstracts(
                resolved, abstract_clients, settings.abstract_sources, mailto_of(settings.contact)
            )
    finally:
        if answers_used is not None:
            answers_used.update(cache.used)
            if kept and previous is not None and previous.basis is not None:
                for key, (_stored_at, fresh_until) in previous.basis.answers.items():
                    answers_used.setdefault(key, fresh_until)  # the kept decisions rest on them
        cache.close()
    basis = None
    if settings.only:
        resolved = _with_the_others(settings, parsed.papers, resolved)
    elif not cache.unsettled:
        answers = stamp.answers_resting(cache.used, cache.stored_until, settings.cache_dir)
        basis = next_basis(inputs, answers, previous, len(kept))
    result = to_result(resolved, clients, cache.warnings, basis)
    write_model(resolved_path(settings), result)
    return result


def _decisions_kept(
    settings: Settings, papers: list[ListedPaper], inputs: str
) -> tuple[ResolveResult | None, dict[str, Decisions]]:
    """The last run's results, and those of their decisions that still hold for `papers`
    (resolve/earlier.py); none under --only or --refresh, which ask again by design."""
    from pipeline.resolve.earlier import kept_decisions

    path = resolved_path(settings)
    if settings.only or settings.refresh or not path.is_file():
        return None, {}
    try:  # the basis alone first: the records are read only when it holds
        basis = load_model(path, ResolveBasisOnly).basis
        if basis is None or basis.inputs != inputs:
            return None, {}
        if not stamp.still_fresh(basis.answers, settings.cache_dir):
            return None, {}
        previous = load_model(path, ResolveResult)
    except InputError as exc:
        log.warning("%s: %s; every paper is resolved again", path, exc)
        return None, {}
    return previous, kept_decisions(previous, papers, inputs, answers_hold=True)


def _with_the_others(
    settings: Settings, listed: list[ListedPaper], fresh: list[ResolvedPaper]
) -> list[ResolvedPaper]:
    """Under --only, the papers outside the selection keep their earlier results; those that
    have none are carried as 'not asked' (merge keeps their previous catalog record, or
    builds them from the list), so that no paper vanishes from the outputs."""
    from pipeline.resolve import not_asked_result

    earlier: dict[str, ResolvedPaper] = {}
    if resolved_path(settings).exists():
        earlier = {r.paper.id: r for r in load_model(resolved_path(settings), ResolveResult).papers}
    by_id = {r.paper.id: r for r in fresh}
    not_asked = [p for p in listed if p.id not in by_id and p.id not in earlier]
    if not_asked:
        log.warning(
            "--only %s: %d other papers have no earlier results in %s; they keep their "
            "previous catalog entries, or are written from the list as unresolved",
            settings.only,
            len(not_asked),
            resolved_path(settings),
        )
    return [by_id.get(p.id) or earlier.get(p.id) or not_asked_result(p) for p in listed]


def merged_path(settings: Settings) -> Path:
    return settings.work_dir / "merge.json"


def catalog_path(settings: Settings) -> Path:
    return settings.out_dir / "catalog.json"


def load_previous_catalog(
    path: Path, *, matches: bool, keep_copy: bool = False
) -> tuple[PreviousCatalog | None, list[str]]:
    """The last published catalog, the baseline of keys and values. A damaged one is reported
    and, with `keep_copy`, copied aside first so that publishing never overwrites it unseen.
    `matches`: with each paper's match decisions too (merge needs them for papers not asked
    this run: `needs_matches`); without, a lighter read."""
    if not path.exists():
        return None, []
    try:
        return load_model(path, previous_model(matches)), []
    except InputError as exc:
        message = f"the previous catalog is unreadable ({exc})"
        if keep_copy:
            aside = path.with_name(f"{path.name}.corrupt-{int(time.time())}")
            shutil.copy2(path, aside)
            message += f"; a copy is kept as {aside}"
        log.warning(message)
        return None, [message]


Baseline = tuple[PreviousCatalog | None, list[str]]  # the previous catalog, and why it is missing


def run_merge(
    settings: Settings, resolved: ResolveResult | None = None, baseline: Baseline | None = None
) -> Catalog:
    """WORK/resolve.json + the previous OUT/catalog.json -> WORK/merge.json."""
    resolved = resolved or load_model(resolved_path(settings), ResolveResult)
    previous, _ = baseline or load_previous_catalog(
        catalog_path(settings), matches=needs_matches(resolved.papers)
    )
    today = settings.today or datetime.date.today().isoformat()
    venues = load_settings_venues(settings)
    catalog = Catalog(
        source=str(settings.list_path),
        papers=merge(
            resolved.papers, previous, today, venues, abstract_sources=settings.abstract_sources
        ),
    )
    write_model(merged_path(settings), catalog)
    return catalog


# What arXiv and Crossref give (they only add abstracts): when they alone fail, the previous
# values are kept and the run is published all the same, the gap said in the report.
ABSTRACT_FIELDS = frozenset(("abstract", "abstract_source", "arxiv_id", "open_access_pdf"))


def run_emit(
    settings: Settings,
    catalog: Catalog | None = None,
    parsed: ParsedList | None = None,
    summary: ResolveSummary | None = None,
    previous: tuple[Snapshot | None, list[str]] | None = None,
) -> tuple[Catalog, list[str], list[str]]:
    """WORK/merge.json -> OUT/papers.bib, catalog.json, catalog.schema.json, papers.csl.json,
    report.md.

    Returns the catalog, the problems that make this run incomplete (stale fields, coverage
    lower than the previous catalog's), which the CLI turns into exit status 1, and the gaps
    that only cost fresh abstracts (arXiv or Crossref failed; status 3: still published).
    Inputs already in memory (enrich) are passed in instead of re-read.
    """
    from pipeline.emit.page import render_page

    catalog = catalog or load_model(merged_path(settings), Catalog)
    parsed = parsed or load_model(parsed_path(settings), ParsedList)
    summary = summary or ResolveSummary.of(load_model(resolved_path(settings), ResolveOutcomes))
    if previous is None:
        old, notes = load_previous_catalog(catalog_path(settings), matches=False, keep_copy=True)
        previous = (Snapshot.of(old) if old else None, notes)
    snapshot, notes = previous
    problems = list(notes)
    gaps: list[str] = []
    for source in SOURCES:
        count = summary.failed.get(source.name)
        if count:
            failed = f"{count} papers could not be fetched from {source.label}"
            if source.abstracts_only:
                gaps.append(f"{failed}: their abstracts are kept from the previous run")
            else:
                problems.append(failed)
    unreadable = sum(f.code == INVALID_UTF8 for f in parsed.findings)
    if unreadable:
        problems.append(
            f"{unreadable} lines of the list are not valid UTF-8: their entries are skipped"
        )
    stale = sum(bool(p.stale) for p in catalog.papers)
    only_abstracts = all(set(p.stale) <= ABSTRACT_FIELDS for p in catalog.papers)
    if stale and only_abstracts and gaps and not problems:
        gaps.append(f"{stale} papers keep their previous abstract, which could not be refreshed")
    elif stale:
        problems.append(f"{stale} papers keep previous values that could not be refreshed")
    if snapshot is not None:
        problems += [
            f"coverage dropped: {d}" for d in snapshot.coverage_drops(Snapshot.of(catalog))
        ]
    report = render_report(catalog, snapshot, parsed, summary.counters, [*problems, *gaps])
    entries = [render_entry(paper, settings.ascii) for paper in catalog.papers]  # once: .bib, page
    publish(
        settings.out_dir,
        {
            "papers.bib": render_bib(
                catalog, settings.ascii, verified_only=settings.verified_only, entries=entries
            ),
            "catalog.json": render_catalog(catalog),
            "catalog.schema.json": render_schema(),
            "papers.csl.json": render_csl(catalog, verified_only=settings.verified_only),
            "report.md": report,
            "index.html": render_page(catalog, ascii=settings.ascii, entries=entries),
        },
    )
    return catalog, problems, gaps
