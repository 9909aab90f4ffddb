"""Resolve stage: find each listed paper in DBLP and Semantic Scholar, with few requests.

DBLP: one `toc:` query per venue-year fetches the whole table of contents and listed papers are
matched locally; only papers not found there cost a title search. Semantic Scholar: papers with
a DOI or arXiv id go in `POST /paper/batch` calls of 500; the rest use one title match each.
A failing source never stops the run: the paper records what could not be fetched and why.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from pipeline.errors import NotFound, SourceError
from pipeline.http import SourceClient, counters_of
from pipeline.models import (
    Candidate,
    DblpRecord,
    DblpResolution,
    FetchStatus,
    ListedPaper,
    Method,
    ResolvedPaper,
    ResolveResult,
    S2Paper,
    S2Resolution,
)
from pipeline.progress import Bar, NullProgress, ProgressLike
from pipeline.resolve.matching import (
    SAME_TITLE_NOTE,
    Decision,
    choose_version,
    decide,
    is_lone_preprint,
    is_published_twin,
    judge_dblp,
    judge_s2,
    prefer_published,
)
from pipeline.resolve.overrides import Override
from pipeline.resolve.shortlist import TitleIndex
from pipeline.sources import SOURCES, dblp, s2
from pipeline.text import arxiv_id_of
from pipeline.venues import Venue, VenueTable

log = logging.getLogger(__name__)


@dataclass
class Clients:
    dblp: SourceClient
    s2: SourceClient
    arxiv: SourceClient | None = None  # abstracts, asked after S2 (pipeline/abstracts.py)
    crossref: SourceClient | None = None


# When the answer behind a record was produced, and whether it was an expired cache entry.
_Age = tuple[float | None, bool]


@dataclass
class _VenueYear:
    """The fetched tables of contents of one venue-year."""

    records: list[DblpRecord] = field(default_factory=list)
    proceedings_of: dict[str, DblpRecord] = field(default_factory=dict)  # paper key -> Editorship
    index: TitleIndex = field(default_factory=lambda: TitleIndex([]))  # for the shortlists
    fetched_at: float | None = None
    expired: bool = False  # some table was an expired answer, served because asking failed
    error: str | None = None


def resolve(
    papers: list[ListedPaper],
    venues: VenueTable,
    pins: dict[str, Override],
    clients: Clients,
    progress: ProgressLike | None = None,
) -> list[ResolvedPaper]:
    """Resolve every paper in DBLP and Semantic Scholar; never raises on source trouble.

    The two sources are asked at the same time: each paper goes to the S2 worker as soon as
    its DBLP decision is final, so S2's rate limit runs alongside DBLP's instead of after it.
    """
    progress = progress or NullProgress()
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
    resolved = []
    for paper in papers:
        d, s = dblp_results[paper.id], s2_results[paper.id]
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


# -- DBLP --------------------------------------------------------------------------------


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
            candidates = [
                judge_dblp(paper, fetched.records[i], in_toc=True, streams=venue.streams)
                for i in picked
            ]
            decision = decide(candidates)
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
    age: _Age
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
    best = decision.best
    if decision.accepted and best is not None:
        found = next((r for r in records if r.key == best.id), None)
        if found is not None:
            resolution = _found(found, decision, Method.SEARCH, None, age)
            preprint = corr_twin(found, records)
            return resolution.model_copy(update={"toc_error": toc_error, "preprint": preprint})
    return DblpResolution(
        status=FetchStatus.NOT_FOUND,
        candidates=decision.candidates,
        evidence=[decision.note] if decision.note else [],
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
    age: _Age,
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
            if best is not None and c.id != best.id and c.confidence >= best.confidence - 0.1
        ],
        fetched_at=age[0],
        expired=age[1],
    )


def _pinned(
    record: DblpRecord, fetched: _VenueYear | None, age: _Age = (None, False)
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


# -- Semantic Scholar --------------------------------------------------------------------


def s2_lookup_id(paper: ListedPaper, d: DblpResolution, pin: Override | None) -> str | None:
    """The id we ask S2 for: a pinned paper id, else a DOI, else an arXiv id (first, for a
    CoRR record: its DOI is arXiv's DataCite one)."""
    if pin is not None and pin.s2_paper_id:
        return pin.s2_paper_id
    arxiv = arxiv_id_of(d.record.ee if d.record else [], paper.paper_url, d.record)
    if arxiv and d.record is not None and d.record.is_preprint and not (pin and pin.doi):
        return s2.arxiv_id(arxiv)
    doi = (pin.doi if pin else None) or (d.record.doi if d.record else None)
    if doi:
        return s2.doi_id(doi)
    return s2.arxiv_id(arxiv) if arxiv else None


class S2Worker:
    """Resolves papers in Semantic Scholar on a thread of its own, as DBLP settles them.

    Papers with a DOI or arXiv id wait for a batch (sent when 500 are pending, and at the
    end); the others get a title match at once. Unknown ids fall back to a title match.
    """

    def __init__(
        self,
        client: SourceClient,
        pins: dict[str, Override],
        bar: Bar,
        venues: VenueTable | None = None,
    ) -> None:
        self.client, self.pins, self.bar = client, pins, bar
        self.venues = venues or VenueTable()
        self.results: dict[str, S2Resolution] = {}
        self._queue: queue.Queue[tuple[ListedPaper, DblpResolution] | None] = queue.Queue()
        self._dblp: dict[str, DblpResolution] = {}
        self._pending: list[tuple[ListedPaper, str]] = []
        self._thread = threading.Thread(target=self._run, name="s2-resolver", daemon=True)
        self._error: BaseException | None = None

    def start(self) -> None:
        self._thread.start()

    def submit(self, paper: ListedPaper, resolution: DblpResolution) -> None:
        """Queue a paper; a fatal S2 error (a refused key) stops the caller here, at once."""
        if self._error is not None:
            raise self._error
        self._queue.put((paper, resolution))

    def finish(self) -> dict[str, S2Resolution]:
        """Send what is pending, wait for the thread, and return every paper's result."""
        self._queue.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self.results

    def _run(self) -> None:
        try:
            while (item := self._queue.get()) is not None:
                self._one(*item)
            self._send_batch()
        except BaseException as exc:  # re-raised in the caller's thread by finish()
            self._error = exc

    def _one(self, paper: ListedPaper, d: DblpResolution) -> None:
        self._dblp[paper.id] = d
        pin = self.pins.get(paper.id)
        if pin is not None and pin.not_in_s2:
            skipped = ["pinned: not in S2"]
            self._settle(
                paper,
                S2Resolution(status=FetchStatus.SKIPPED, method=Method.OVERRIDE, evidence=skipped),
            )
            return
        lookup = s2_lookup_id(paper, d, pin)
        if lookup is None:
            self.bar.status(f"title match '{paper.title[:40]}'")
            self._settle(paper, _match(self.client, paper, d, self.venues.find(paper.venue)))
            return
        self._pending.append((paper, lookup))
        if len(self._pending) >= s2.BATCH_LIMIT:
            self._send_batch()

    def _send_batch(self) -> None:
        chunk, self._pending = self._pending, []
        if not chunk:
            return
        self.bar.status(f"batch of {len(chunk)} ids")
        answer = s2.fetch_batch(self.client, [lookup for _, lookup in chunk])
        for paper, lookup in chunk:
            d = self._dblp[paper.id]
            if lookup not in answer.papers:
                error = str(answer.error or "s2: no answer for this id")
                self._settle(paper, S2Resolution(status=FetchStatus.FAILED, error=error))
            elif (record := answer.papers[lookup]) is None:
                log.info("S2 does not know %s; trying a title match for '%s'", lookup, paper.title)
                venue = self.venues.find(paper.venue)
                self._settle(paper, _match(self.client, paper, d, venue))
            else:
                age = (answer.fetched_at[lookup], lookup in answer.stale)
                self._settle(paper, _by_id(paper, record, d, age))

    def _settle(self, paper: ListedPaper, resolution: S2Resolution) -> None:
        self.results[paper.id] = resolution
        self.bar.advance()


def _by_id(paper: ListedPaper, record: S2Paper, d: DblpResolution, age: _Age) -> S2Resolution:
    year = d.record.year if d.record else paper.year
    judged = judge_s2(paper, record, year=year, dblp_key=d.record.key if d.record else None)
    return S2Resolution(
        status=FetchStatus.FOUND,
        record=record,
        method=Method.S2_ID,
        confidence=1.0,
        title_score=judged.title_score,
        evidence=["looked up by identifier", *judged.evidence],
        fetched_at=age[0],
        expired=age[1],
    )


def _match(
    client: SourceClient, paper: ListedPaper, d: DblpResolution, venue: Venue | None = None
) -> S2Resolution:
    """S2's single title match, judged like a DBLP candidate; when it is not convincing, or
    S2 has no close title, the relevance search's candidates (year-filtered) are judged too
    before giving up."""
    if any(e.startswith(SAME_TITLE_NOTE) for e in d.evidence):
        # DBLP has several records under this title and the list does not say which: S2's
        # title match could only pick one of them blindly.
        why = "not matched by title: DBLP has several records under it (see DBLP's candidates)"
        return S2Resolution(status=FetchStatus.NOT_FOUND, evidence=[why])
    title = d.record.title if d.record else paper.title
    year = d.record.year if d.record else paper.year
    dblp_key = d.record.key if d.record else None

    def judged(records: list[S2Paper]) -> list[tuple[S2Paper, Candidate]]:
        return [(r, judge_s2(paper, r, year=year, dblp_key=dblp_key, venue=venue)) for r in records]

    try:
        fetched = s2.fetch_match(client, title)
        considered = judged([fetched.data] if fetched.data is not None else [])
        fetched_at, expired = fetched.fetched_at, fetched.stale
        evidence = []
    except NotFound:
        considered, fetched_at, expired = [], None, False
        evidence = ["S2: title match not found"]
    except SourceError as exc:
        return S2Resolution(status=FetchStatus.FAILED, error=str(exc))
    strict = d.record is None and paper.venue is None  # nothing but title, year, authors
    decision = decide([c for _, c in considered], strict)
    # The match disagrees, or found nothing close (a title the list words differently): the
    # relevance search's candidates, within a year of the listed one, are judged too.
    if not decision.accepted:
        try:
            searched = s2.fetch_search(client, title, year)
        except SourceError as exc:
            log.info(
                "S2 search for '%s' failed (%s); keeping the title match's verdict", title, exc
            )
        else:
            seen = {r.paperId for r, _ in considered}
            considered += judged([r for r in searched.data if r.paperId not in seen])
            fetched_at = max(fetched_at or 0.0, searched.fetched_at)
            expired = expired or searched.stale
            decision = decide([c for _, c in considered], strict)
            evidence.append(f"S2 search: {len(searched.data)} candidates judged")
    best = decision.best
    if not decision.accepted or best is None:
        return S2Resolution(
            status=FetchStatus.NOT_FOUND,
            candidates=decision.candidates,
            evidence=evidence + ([decision.note] if decision.note else []),
            fetched_at=fetched_at,
            expired=expired,
        )
    record = next(r for r, c in considered if c.id == best.id)
    return S2Resolution(
        status=FetchStatus.FOUND,
        record=record,
        method=Method.S2_TITLE,
        confidence=best.confidence,
        title_score=best.title_score,
        evidence=best.evidence + evidence,
        fetched_at=fetched_at,
        expired=expired,
    )


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
    resolved: list[ResolvedPaper], clients: Clients, cache_warnings: list[str]
) -> ResolveResult:
    return ResolveResult(
        papers=resolved,
        counters={
            source.name: counters_of(client)
            for source in SOURCES
            if (client := getattr(clients, source.name)) is not None
        },
        cache_warnings=cache_warnings,
    )
