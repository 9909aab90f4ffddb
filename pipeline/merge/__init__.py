"""Merge stage: one catalog record per listed paper, every field with its provenance.

Contributors (contributors.py) fill each paper's FieldBook in priority order: DBLP for the
bibliographic fields, Semantic Scholar for metrics, the abstract sources, then the list. What
this run could not refresh keeps the previous catalog's value, marked stale (staleness.py);
the venue's label and full name come from places.py; keys from keys.py. A resolved paper's
BibTeX key never changes; an unresolved paper's key is provisional and, once the paper
resolves, gives way to the proper key and stays citable as an alias.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.config import ABSTRACT_SOURCES
from pipeline.merge.book import FieldBook, Provenance
from pipeline.merge.contributors import merge_fields, published_title
from pipeline.merge.keys import assign_keys, base_key, earlier_key
from pipeline.merge.places import Places
from pipeline.merge.previous import Before, Previous, PreviousIndex
from pipeline.merge.staleness import keep_what_failed, mark_expired
from pipeline.models import CatalogPaper, FetchStatus, ResolvedPaper, SourceDecision, Status
from pipeline.venues import VenueTable

__all__ = ["assign_keys", "base_key", "merge", "published_title"]


@dataclass
class _Draft:
    """A paper on its way: its resolution, its previous record, and its fields."""

    item: ResolvedPaper
    before: Before | None
    book: FieldBook
    status: Status


def merge(
    resolved: list[ResolvedPaper],
    previous: Previous | None,
    today: str,
    venues: VenueTable | None = None,
    *,
    abstract_sources: tuple[str, ...] = ABSTRACT_SOURCES,
) -> list[CatalogPaper]:
    """Build the catalog records, keeping published keys and previous values where needed.

    `today` (YYYY-MM-DD) dates the first run a field could not be refreshed in. `venues`
    names the venues (short label, full name) and says which are journals;
    `abstract_sources` is the order in which an abstract's sources are preferred.
    """
    earlier = PreviousIndex(previous)
    places = Places(venues or VenueTable(), resolved)
    drafts = [
        _draft(item, earlier.find(item), places, today, abstract_sources) for item in resolved
    ]
    keys = assign_keys(
        [(d.item.paper.id, earlier_key(d.before, d.status), d.book.values) for d in drafts],
        reserved=earlier.keys_and_aliases,
    )
    now_used = set(keys.values())
    continued: set[str] = set()  # previous records already continued by a paper of this run
    papers = []
    for draft in drafts:
        item, before, book = draft.item, draft.before, draft.book
        match = {"dblp": item.dblp.decision(), "s2": item.s2.decision()}
        if before is not None and item.dblp.status is FetchStatus.NOT_ASKED:
            match = _decisions(before)
        key = keys[item.paper.id]
        aliases: list[str] = []
        # A paper continues its previous record (and its aliases) when it kept that key, or
        # when nobody holds the key any more (a provisional key that gave way: still citable).
        # A second entry matched to the same record (a duplicate) continues nothing.
        if (
            before is not None
            and before.key not in continued
            and (key == before.key or before.key not in now_used)
        ):
            continued.add(before.key)
            aliases = [*before.key_aliases, before.key]
        papers.append(
            CatalogPaper(
                key=key,
                key_aliases=list(dict.fromkeys(a for a in aliases if a != key)),
                id=item.paper.id,
                listed=item.paper,
                match=match,
                provenance=book.published_provenance(),
                stale=dict(sorted(book.stale.items())),
                warnings=book.warnings,
                status=draft.status,
                **book.values,
            )
        )
    return papers


def _draft(
    item: ResolvedPaper,
    before: Before | None,
    places: Places,
    today: str,
    order: tuple[str, ...],
) -> _Draft:
    if before is not None and item.dblp.status is FetchStatus.NOT_ASKED:
        return _Draft(item, before, _as_before(before), before.status)  # outside --only
    book = merge_fields(item, order)
    places.type_s2_alone(item, book)
    mark_expired(item, book, before, today)
    if before is not None:
        keep_what_failed(item, book, before, today, order)
    status = _status(book)
    places.name_venue(item, book)
    return _Draft(item, before, book, status)


_RECORD_ONLY = {
    "key", "key_aliases", "id", "listed", "match", "provenance", "stale", "warnings", "status",
}  # fmt: skip


def _as_before(before: Before) -> FieldBook:
    """A previous record's fields, provenance, stale marks and warnings, unchanged."""
    return FieldBook(
        values={
            name: getattr(before, name)
            for name in CatalogPaper.model_fields
            if name not in _RECORD_ONLY
        },
        provenance={name: Provenance.read(text) for name, text in before.provenance.items()},
        stale=dict(before.stale),
        warnings=list(before.warnings),
    )


def _decisions(before: Before) -> dict[str, SourceDecision]:
    """A previous record's match decisions, kept by a paper this run did not ask about."""
    match = dict(before.match)
    if not all(isinstance(d, SourceDecision) for d in match.values()):
        raise ValueError(
            "papers were not asked this run, but the previous catalog was read without its "
            "match decisions (read_previous(..., matches=True))"
        )
    return match


def _status(book: FieldBook) -> Status:
    in_dblp, in_s2 = bool(book.get("dblp_key")), bool(book.get("s2_paper_id"))
    if in_dblp and in_s2:
        return Status.RESOLVED
    return Status.PARTIAL if in_dblp or in_s2 else Status.UNRESOLVED
