"""Semantic Scholar decisions, on a thread of their own as DBLP settles papers: by identifier in
`POST /paper/batch` calls, else a title match judged like a DBLP candidate."""

from __future__ import annotations

import logging
import queue
import threading

from pipeline.errors import NotFound, SourceError
from pipeline.http import SourceClient
from pipeline.models import (
    SAME_TITLE_NOTE,
    Candidate,
    DblpResolution,
    FetchStatus,
    ListedPaper,
    Method,
    S2Paper,
    S2Resolution,
)
from pipeline.overrides import Override
from pipeline.progress import Bar
from pipeline.resolve.dblp_matches import Age
from pipeline.resolve.matching import (
    decide,
    judge_s2,
)
from pipeline.sources import s2
from pipeline.text import arxiv_id_of
from pipeline.venues import Venue, VenueTable

log = logging.getLogger(__name__)


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


def _by_id(paper: ListedPaper, record: S2Paper, d: DblpResolution, age: Age) -> S2Resolution:
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
