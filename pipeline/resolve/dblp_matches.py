"""DBLP decisions: one `toc:` query per venue-year, listed papers matched locally against its
whole table of contents (shortlist.py, matching.py); a title search only for what is not there,
or for papers with no venue-year; same-title versions settled or left to a person."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from pipeline.errors import NotFound, SourceError
from pipeline.http import SourceClient
from pipeline.models import (
    Candidate,
    DblpRecord,
    DblpResolution,
    FetchStatus,
    ListedPaper,
    Method,
)
from pipeline.overrides import Override
from pipeline.progress import Bar
from pipeline.resolve.matching import (
    Decision,
    choose_version,
    decide,
    is_lone_preprint,
    is_published_twin,
    judge_dblp,
    prefer_published,
    refuse_main_title_over_exact,
    title_similarity,
    toc_confidence_bound,
)
from pipeline.resolve.shortlist import TitleIndex
from pipeline.sources import dblp
from pipeline.venues import Venue, VenueTable

log = logging.getLogger(__name__)

# When the answer behind a record was produced, and whether it was an expired cache entry.
Age = tuple[float | None, bool]

NEAR_MISS = 0.1  # runners-up this close to an accepted match are kept: the report shows them


@dataclass
class _VenueYear:
    """The fetched tables of contents of one venue-year."""

    records: list[DblpRecord] = field(default_factory=list)
    proceedings_of: dict[str, DblpRecord] = field(default_factory=dict)  # paper key -> Editorship
    index: TitleIndex = field(default_factory=lambda: TitleIndex([]))  # for the shortlists
    fetched_at: float | None = None
    expired: bool = False  # some table was an expired answer, served because asking failed
    error: str | None = None


def resolve_dblp(
    papers: list[ListedPaper],
    venues: VenueTable,
    pins: dict[str, Override],
    client: SourceClient,
    bar: Bar,
    on_result: Callable[[ListedPaper, DblpResolution], None] = lambda _p, _r: None,
) -> dict[str, DblpResolution]:
    """DBLP decisions by paper id; `on_result` hears each one as soon as it is final."""
    results: dict[str, DblpResolution] = {}

    def settle(paper: ListedPaper, resolution: DblpResolution) -> None:
        results[paper.id] = resolution
        on_result(paper, resolution)
        bar.advance()

    groups: dict[tuple[str, int], tuple[Venue, list[ListedPaper]]] = {}
    needs_search: list[ListedPaper] = []
    for paper in papers:
        pin = pins.get(paper.id)
        if pin is not None and pin.not_in_dblp:
            settle(
                paper,
                DblpResolution(
                    status=FetchStatus.SKIPPED,
                    method=Method.OVERRIDE,
                    evidence=["pinned: not in DBLP"],
                ),
            )
            continue
        venue = venues.find(paper.venue)
        if venue is None or paper.year is None:
            needs_search.append(paper)
        else:
            groups.setdefault((venue.name, paper.year), (venue, []))[1].append(paper)

    toc_candidates: dict[str, list[Candidate]] = {}
    tocs: dict[tuple[str, int], _VenueYear] = {}
    for (venue_name, year), (venue, members) in groups.items():
        bar.status(f"table of contents {venue_name} {year}")
        fetched = tocs[(venue_name, year)] = _fetch_venue_year(client, venue.tocs(year))
        by_key = {r.key: r for r in reversed(fetched.records)}  # the first of a key wins
        shortlists = fetched.index.shortlists([paper.title for paper in members])
        for paper, picked in zip(members, shortlists, strict=True):
            pin = pins.get(paper.id)
            if pin is not None and pin.dblp_key:
                record = by_key.get(pin.dblp_key)
                if record is not None:
                    settle(paper, _pinned(record, fetched))
                else:
                    needs_search.append(paper)
                continue
            decision = toc_decision(paper, [fetched.records[i] for i in picked], venue.streams)
            if decision.accepted and decision.best is not None:
                record = by_key[decision.best.id]
                exact = decision.best.title_score >= 100
                method = Method.TOC_EXACT if exact else Method.TOC_FUZZY
                proceedings = fetched.proceedings_of.get(record.key)
                age = (fetched.fetched_at, fetched.expired)
                settle(paper, _found(record, decision, method, proceedings, age))
            else:
                toc_candidates[paper.id] = decision.candidates
                needs_search.append(paper)

    for paper in needs_search:
        bar.status(f"searching '{paper.title[:40]}'")
        venue = venues.find(paper.venue)
        streams = venue.streams if venue else []
        toc_error = tocs[(venue.name, paper.year)].error if venue and paper.year else None
        pin, earlier = pins.get(paper.id), toc_candidates.get(paper.id, [])
        # A list that names a workshop does not mean the main-track version of its paper.
        workshop = venues.is_workshop_record if not (venue and venue.workshop) else _never
        settle(paper, _search(client, paper, streams, pin, earlier, toc_error, workshop))
    return results


def _never(_record: DblpRecord) -> bool:
    return False


def toc_decision(paper: ListedPaper, records: list[DblpRecord], streams: list[str]) -> Decision:
    """The decision among a paper's shortlisted records of its table of contents.

    Records are judged best title first; a record whose title cannot lift it within
    NEAR_MISS of the best confidence so far can neither win, be a rival, nor be reported
    beside an accepted match (`_found`), so it is not judged. Only an accepted decision may
    rest on fewer records: any other reports its best candidates, so then all are judged.
    """
    bounds = [toc_confidence_bound(title_similarity(paper.title, r.title)[0]) for r in records]
    judged: dict[int, Candidate] = {}
    best = 0.0
    for i in sorted(range(len(records)), key=lambda i: -bounds[i]):
        if bounds[i] < best - NEAR_MISS:
            break
        judged[i] = judge_dblp(paper, records[i], in_toc=True, streams=streams)
        best = max(best, judged[i].confidence)
    decision = decide([judged[i] for i in sorted(judged)])
    if decision.accepted or len(judged) == len(records):
        return decision
    return decide(
        [
            judged[i] if i in judged else judge_dblp(paper, r, in_toc=True, streams=streams)
            for i, r in enumerate(records)
        ]
    )


def _fetch_venue_year(client: SourceClient, toc_names: list[str]) -> _VenueYear:
    fetched = _VenueYear()
    errors = []
    for name in toc_names:
        try:
            toc = dblp.fetch_toc(client, name)
        except NotFound:
            log.debug("DBLP has no table of contents %s; its papers will be searched", name)
            continue
        except SourceError as exc:
            errors.append(str(exc))
            continue
        fetched.records.extend(toc.papers)
        if toc.proceedings:
            for record in toc.papers:
                fetched.proceedings_of[record.key] = toc.proceedings[0]
        fetched.fetched_at = max(fetched.fetched_at or 0.0, toc.fetched_at)
        fetched.expired = fetched.expired or toc.stale
    fetched.error = "; ".join(errors) or None
    fetched.index = TitleIndex([r.title for r in fetched.records])
    return fetched


def _search(
    client: SourceClient,
    paper: ListedPaper,
    streams: list[str],
    pin: Override | None,
    earlier: list[Candidate],
    toc_error: str | None,
    is_workshop: Callable[[DblpRecord], bool] = _never,
) -> DblpResolution:
    if pin is not None and pin.dblp_key:
        return _fetch_pinned(client, pin.dblp_key)
    age: Age
    try:
        searched = dblp.fetch_search(client, paper.title)
        records, age = searched.data, (searched.fetched_at, searched.stale)
    except NotFound:  # a cached or fresh 'no hits'
        records, age = [], (None, False)
    except SourceError as exc:
        error = f"{toc_error}; {exc}" if toc_error else str(exc)
        return DblpResolution(status=FetchStatus.FAILED, candidates=earlier, error=error)
    candidates = [
        judge_dblp(
            paper,
            r,
            in_toc=False,
            streams=streams,
            lone_preprint=is_lone_preprint(paper, r, records),
        )
        for r in records
    ]
    strict = paper.venue is None
    decision = prefer_published(decide(candidates + earlier, strict=strict), records, strict)
    decision = choose_version(
        paper,
        decision,
        candidates,
        records,
        streams=streams,
        is_workshop=is_workshop,
        strict=strict,
    )
    decision = refuse_main_title_over_exact(paper, decision, records)
    best = decision.best
    if decision.accepted and best is not None:
        found = next((r for r in records if r.key == best.id), None)
        if found is not None:
            resolution = _found(found, decision, Method.SEARCH, None, age)
            preprint = corr_twin(found, records)
            return resolution.model_copy(update={"toc_error": toc_error, "preprint": preprint})
    # When the table of contents that should hold the paper could not be read, a title search
    # sees less (other wordings, DBLP's search index): "not in DBLP" is not known. Failed, so
    # that the merge keeps what an earlier run found.
    return DblpResolution(
        status=FetchStatus.FAILED if toc_error else FetchStatus.NOT_FOUND,
        candidates=decision.candidates,
        evidence=[decision.note] if decision.note else [],
        error=f"{toc_error}; the title search did not settle it" if toc_error else None,
        fetched_at=age[0],
        expired=age[1],
    )


def corr_twin(record: DblpRecord, records: list[DblpRecord]) -> DblpRecord | None:
    """The CoRR version of a published record among DBLP's answers (same title, authors)."""
    if record.is_preprint:
        return None
    return next((r for r in records if r.is_preprint and is_published_twin(r, record)), None)


def _fetch_pinned(client: SourceClient, key: str) -> DblpResolution:
    """A pinned record outside the listed venue-year's table of contents, asked for by key."""
    try:
        fetched = dblp.fetch_record(client, key)
    except NotFound:
        return DblpResolution(
            status=FetchStatus.NOT_FOUND,
            error=f"pinned DBLP key {key} no longer resolves (DBLP has no such record)",
        )
    except SourceError as exc:
        return DblpResolution(status=FetchStatus.FAILED, error=str(exc))
    return _pinned(fetched.data, None, (fetched.fetched_at, fetched.stale))


def _found(
    record: DblpRecord,
    decision: Decision,
    method: Method,
    proceedings: DblpRecord | None,
    age: Age,
) -> DblpResolution:
    best = decision.best
    return DblpResolution(
        status=FetchStatus.FOUND,
        record=record,
        proceedings=proceedings,
        method=method,
        confidence=best.confidence if best else None,
        title_score=best.title_score if best else None,
        evidence=best.evidence if best else [],
        # Runners-up only when they came close: the report shows them as near misses.
        candidates=[
            c
            for c in decision.candidates
            if best is not None and c.id != best.id and c.confidence >= best.confidence - NEAR_MISS
        ],
        fetched_at=age[0],
        expired=age[1],
    )


def _pinned(
    record: DblpRecord, fetched: _VenueYear | None, age: Age = (None, False)
) -> DblpResolution:
    return DblpResolution(
        status=FetchStatus.FOUND,
        record=record,
        proceedings=fetched.proceedings_of.get(record.key) if fetched else None,
        method=Method.OVERRIDE,
        confidence=1.0,
        evidence=["pinned in the overrides"],
        fetched_at=fetched.fetched_at if fetched else age[0],
        expired=fetched.expired if fetched else age[1],
    )
