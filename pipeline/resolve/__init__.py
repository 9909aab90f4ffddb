"""Resolve stage: find each listed paper in DBLP and Semantic Scholar, with few requests.

DBLP: one `toc:` query per venue-year fetches the whole table of contents and listed papers are
matched locally; only papers not found there cost a title search. Semantic Scholar: papers with
a DOI or arXiv id go in `POST /paper/batch` calls of 500; the rest use one title match each.
A failing source never stops the run: the paper records what could not be fetched and why.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.http import SourceClient, counters_of
from pipeline.models import (
    DblpResolution,
    FetchStatus,
    ListedPaper,
    ResolveBasis,
    ResolvedPaper,
    ResolveResult,
    S2Resolution,
)
from pipeline.overrides import Override
from pipeline.progress import NullProgress, ProgressLike
from pipeline.resolve.earlier import Decisions
from pipeline.sources import SOURCES
from pipeline.venues import VenueTable


@dataclass
class Clients:
    dblp: SourceClient
    s2: SourceClient
    arxiv: SourceClient | None = None  # abstracts, asked after S2 (resolve/abstracts.py)
    crossref: SourceClient | None = None


def resolve(
    papers: list[ListedPaper],
    venues: VenueTable,
    pins: dict[str, Override],
    clients: Clients,
    progress: ProgressLike | None = None,
    kept: dict[str, Decisions] | None = None,
) -> list[ResolvedPaper]:
    """Resolve every paper in DBLP and Semantic Scholar; never raises on source trouble.

    The two sources are asked at the same time: each paper goes to the S2 worker as soon as
    its DBLP decision is final, so S2's rate limit runs alongside DBLP's instead of after it.
    Papers in `kept` are not asked: their decisions from the last run still hold (earlier.py).
    """
    kept = kept or {}
    asked = [paper for paper in papers if paper.id not in kept]
    clients.dblp.stats.reused = clients.s2.stats.reused = len(papers) - len(asked)
    decided = _decide(asked, venues, pins, clients, progress or NullProgress()) if asked else {}
    resolved = []
    for paper in papers:
        d, s = kept.get(paper.id) or decided[paper.id]
        pin = pins.get(paper.id)
        resolved.append(
            ResolvedPaper(
                paper=paper,
                dblp=d,
                s2=s,
                pinned_doi=pin.doi if pin else None,
                warnings=cross_check(d, s),
            )
        )
    return resolved


def _decide(
    papers: list[ListedPaper],
    venues: VenueTable,
    pins: dict[str, Override],
    clients: Clients,
    progress: ProgressLike,
) -> dict[str, Decisions]:
    """Each paper's DBLP and S2 decisions, by paper id. The matchers (rapidfuzz, numpy) load
    here: a run that keeps every decision never needs them."""
    from pipeline.resolve.dblp_matches import resolve_dblp
    from pipeline.resolve.s2_matches import S2Worker

    dblp_bar = progress.bar("DBLP", len(papers))
    s2_bar = progress.bar("Semantic Scholar", len(papers))
    clients.dblp.on_wait, clients.s2.on_wait = dblp_bar.status, s2_bar.status
    s2_worker = S2Worker(clients.s2, pins, s2_bar, venues)
    s2_worker.start()
    try:
        dblp_results = resolve_dblp(papers, venues, pins, clients.dblp, dblp_bar, s2_worker.submit)
    finally:
        s2_results = s2_worker.finish()
        progress.close()
    return {paper.id: (dblp_results[paper.id], s2_results[paper.id]) for paper in papers}


def cross_check(d: DblpResolution, s: S2Resolution) -> list[str]:
    """Disagreements between the two sources worth a maintainer's look."""
    warnings = []
    if d.record is not None and s.record is not None:
        s2_dblp = s.record.external_id("DBLP")
        if s2_dblp and s2_dblp != d.record.key:
            warnings.append(f"S2 links DBLP record {s2_dblp}, we matched {d.record.key}")
        s2_doi = s.record.external_id("DOI")
        if s2_doi and d.record.doi and s2_doi.casefold() != d.record.doi.casefold():
            warnings.append(f"DOI differs: DBLP {d.record.doi}, S2 {s2_doi}")
    return warnings


def not_asked_result(paper: ListedPaper) -> ResolvedPaper:
    """A paper this run did not look up (outside --only), with no earlier result."""
    evidence = ["not asked this run (outside --only)"]
    return ResolvedPaper(
        paper=paper,
        dblp=DblpResolution(status=FetchStatus.NOT_ASKED, evidence=evidence),
        s2=S2Resolution(status=FetchStatus.NOT_ASKED, evidence=evidence),
    )


def to_result(
    resolved: list[ResolvedPaper],
    clients: Clients,
    cache_warnings: list[str],
    basis: ResolveBasis | None = None,
) -> ResolveResult:
    return ResolveResult(
        basis=basis,
        papers=resolved,
        counters={
            source.name: counters_of(client)
            for source in SOURCES
            if (client := getattr(clients, source.name)) is not None
        },
        cache_warnings=cache_warnings,
    )
