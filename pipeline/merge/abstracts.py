"""Which abstract a paper gets, among those its sources gave (pure: fetching is resolve's)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.models import AbstractFinding, FetchStatus, ResolvedPaper

LABELS = {"s2": "semantic scholar", "arxiv": "arxiv", "crossref": "crossref"}


@dataclass(frozen=True)
class Chosen:
    """The abstract a paper gets, and the source it comes from."""

    text: str
    source: str


def choose_abstract(item: ResolvedPaper, order: Iterable[str]) -> Chosen | None:
    """The first abstract in the configured source order."""
    found = item.abstracts_found()
    for source in order:
        if source in found:
            return Chosen(text=found[source], source=source)
    return None


def wrong_arxiv_ids(item: ResolvedPaper) -> set[str]:
    """arXiv ids arXiv refused or showed to be another paper's: never published for this one."""
    return {f.asked for f in item.abstracts if f.source == "arxiv" and f.refused is not None}


def found_on_arxiv(item: ResolvedPaper) -> AbstractFinding | None:
    """The paper's arXiv record, when arXiv was asked and its title is the paper's."""
    return next((f for f in item.abstracts if f.source == "arxiv" and f.arxiv_id is not None), None)


def abstract_failure(item: ResolvedPaper, order: tuple[str, ...], chosen: str | None) -> str | None:
    """Why the abstract could not be refreshed: a source before the chosen one (or any, when
    none gave one) failed this run. None when nothing better was lost."""
    rank = order.index(chosen) if chosen in order else len(order)
    for finding in item.abstracts:
        if finding.status is FetchStatus.FAILED and finding.source in order[:rank]:
            return f"{finding.source} failed ({finding.error or 'no answer'})"
    return None
