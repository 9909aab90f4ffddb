"""Values this run could not refresh: a source that failed keeps the last catalog's values,
and an expired answer served after a failure is published; both are marked stale with dates."""

from __future__ import annotations

import datetime

from pipeline.merge.abstracts import abstract_failure
from pipeline.merge.book import FieldBook, Origin, Provenance
from pipeline.merge.previous import Before
from pipeline.models import (
    NOT_IN_DBLP,
    AbstractFinding,
    DblpResolution,
    FetchStatus,
    ResolvedPaper,
    S2Resolution,
    StaleMark,
)
from pipeline.sources import label_of

# Fields each source owns; when that source failed this run they keep their previous value.
DBLP_FIELDS = (
    "dblp_key", "title", "authors", "year", "venue", "booktitle", "journal", "publisher",
    "pages", "volume", "number", "doi", "url", "dblp_url", "entry_type",
)  # fmt: skip
PROCEEDINGS_FIELDS = ("booktitle", "publisher")
S2_FIELDS = (
    "s2_paper_id", "citation_count", "influential_citation_count", "reference_count",
    "abstract", "abstract_source", "tldr", "open_access_pdf", "s2_url", "publication_date",
    "arxiv_id",
)  # fmt: skip


def mark_expired(item: ResolvedPaper, book: FieldBook, before: Before | None, today: str) -> None:
    """Fields whose value came from an expired answer, served because the source could not be
    asked again (stale-if-error): published, and marked with the date the answer was fetched.
    A field already marked so keeps its first 'since'."""
    if not (item.dblp.expired or item.s2.expired or any(f.expired for f in item.abstracts)):
        return  # nearly every paper: no answer to look up per field
    answers: dict[Origin, DblpResolution | S2Resolution | AbstractFinding] = {
        Origin.DBLP: item.dblp,
        Origin.DBLP_PROCEEDINGS: item.dblp,
        Origin.S2: item.s2,
    }
    for finding in item.abstracts:
        if finding.status is FetchStatus.FOUND:
            answers.setdefault(Origin(finding.source), finding)
    for name, provenance in book.provenance.items():
        answer = answers.get(provenance.origin)
        if answer is None or not answer.expired or answer.fetched_at is None:
            continue
        fetched = datetime.datetime.fromtimestamp(answer.fetched_at, datetime.UTC)
        source = "dblp" if provenance.origin is Origin.DBLP_PROCEEDINGS else provenance.origin
        reason = f"{label_of(source)} could not be asked again; its expired answer was used"
        earlier = before.stale.get(name) if before is not None else None
        since = earlier.since if earlier is not None and earlier.reason == reason else today
        book.stale[name] = StaleMark(since=since, as_of=fetched.date().isoformat(), reason=reason)


def keep_what_failed(
    item: ResolvedPaper, book: FieldBook, before: Before, today: str, order: tuple[str, ...]
) -> None:
    """The field groups this run could not refresh keep the previous catalog's values."""
    for names, reason in failures(item, book, before, order):
        book.keep_previous(names, before, StaleMark(since=today, reason=reason))


def failures(
    item: ResolvedPaper, book: FieldBook, before: Before, order: tuple[str, ...]
) -> list[tuple[tuple[str, ...], str]]:
    """The field groups this run could not refresh for a paper, with the reason.

    Without DBLP's DOI the S2 lookup falls back to a title match, so an S2 "not found" after
    a DBLP failure is a consequence of that failure, not an answer.
    """
    failed: list[tuple[tuple[str, ...], str]] = []
    if item.dblp.status is FetchStatus.FAILED:
        failed.append((DBLP_FIELDS, f"DBLP failed ({item.dblp.error or 'no answer'})"))
        if item.s2.status is FetchStatus.NOT_FOUND:
            failed.append((S2_FIELDS, "S2 looked up without DBLP, which failed"))
    elif item.dblp.toc_error:  # found by search: the proceedings record is missing this run
        reason = f"the table of contents failed ({item.dblp.toc_error})"
        failed.append((PROCEEDINGS_FIELDS, reason))
    s2_failed = f"S2 failed ({item.s2.error or 'no answer'})"
    if item.s2.status is FetchStatus.FAILED:
        failed.append((S2_FIELDS, s2_failed))
    chosen = book.provenance.get("abstract")
    lost = abstract_failure(item, order, chosen.origin if chosen else None)
    if lost:
        failed.append((("abstract", "abstract_source"), lost))
    dblp_lacks_it = item.dblp.status is not FetchStatus.FAILED and item.dblp.record is None
    if item.s2.status is FetchStatus.FAILED and dblp_lacks_it:
        failed.append((_from_s2_alone(before), s2_failed))
    return failed


def _from_s2_alone(before: Before) -> tuple[str, ...]:
    """The bibliographic fields a paper DBLP lacks had from Semantic Scholar last time: when S2
    fails, they stay, so a conference paper does not fall back to the list's @misc."""
    origins = {name: Provenance.read(text) for name, text in before.provenance.items()}
    names = [n for n in DBLP_FIELDS if n in origins and origins[n].origin is Origin.S2]
    typed = origins.get("entry_type")
    if typed is not None and typed.note is not None and typed.note.startswith(NOT_IN_DBLP):
        names += ["booktitle", "journal"]
    return tuple(names)
