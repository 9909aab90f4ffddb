"""Decisions kept from the last resolve run, so that an edit to a long list costs its changes.

A paper's DBLP and S2 decisions are a function of its entry, its pin, the venue table, the
settings, this code and the cached answers they were drawn from. When the last run's basis
(stamp.resolve_digest and every answer it drew on, models.ResolveBasis) still holds and the
paper's entry is unchanged but for its place in the list, deciding again would give the same
decisions: they are kept. A decision that failed or rests on an expired answer is not: the
next run asks again. Abstracts are asked again for every paper (arXiv and Crossref answer in
batches across papers, so one paper's answers cannot be kept alone), unless every paper kept
its decisions: then the abstracts' questions are the last run's, and so are their answers.
"""

from __future__ import annotations

from pipeline.models import (
    DblpResolution,
    FetchStatus,
    ListedPaper,
    ResolveBasis,
    ResolvedPaper,
    ResolveResult,
    S2Resolution,
)

Decisions = tuple[DblpResolution, S2Resolution]

_PLACE = frozenset(("line", "number"))  # where the entry sits, not what it says


def kept_decisions(
    previous: ResolveResult | None, papers: list[ListedPaper], inputs: str, answers_hold: bool
) -> dict[str, Decisions]:
    """By paper id, the decisions of `previous` that still hold for `papers`.

    `inputs` is this run's stamp.resolve_digest; `answers_hold` whether every answer of the
    previous basis is still in the cache as it was, and fresh (stamp.still_fresh)."""
    basis = previous.basis if previous is not None else None
    if previous is None or basis is None or basis.inputs != inputs or not answers_hold:
        return {}
    before = {item.paper.id: item for item in previous.papers}
    kept = {}
    for paper in papers:
        item = before.get(paper.id)
        if item is not None and same_entry(item.paper, paper) and settled(item):
            kept[paper.id] = (item.dblp, item.s2)
    return kept


def same_papers(
    previous: ResolveResult, papers: list[ListedPaper], kept: dict[str, Decisions]
) -> bool:
    """The last run's papers, each keeping its decisions: then the abstracts asked after them
    are the same questions (arXiv and Crossref batches are cut from the whole list's sorted
    ids, so a paper removed changes them too)."""
    ids = {paper.id for paper in papers}
    return len(kept) == len(papers) and ids == {item.paper.id for item in previous.papers}


def results_as_before(previous: ResolveResult, papers: list[ListedPaper]) -> list[ResolvedPaper]:
    """When the same papers keep their decisions (same_papers), the abstracts asked after
    them are the same questions to unchanged answers: each paper's whole result is kept, at
    its new place."""
    before = {item.paper.id: item for item in previous.papers}
    return [before[paper.id].model_copy(update={"paper": paper}) for paper in papers]


def same_entry(before: ListedPaper, now: ListedPaper) -> bool:
    """The same entry, wherever it now sits in the list (a line added above moves it)."""
    return all(
        getattr(before, name) == getattr(now, name)
        for name in ListedPaper.model_fields
        if name not in _PLACE
    )


def settled(item: ResolvedPaper) -> bool:
    """Decided from answers the run had fresh: not a failure, not from an expired answer,
    not a search standing in for a table of contents that failed, not a paper left unasked."""
    unsettled = (FetchStatus.FAILED, FetchStatus.NOT_ASKED)
    return not (
        item.dblp.status in unsettled
        or item.s2.status in unsettled
        or item.dblp.expired
        or item.s2.expired
        or item.dblp.toc_error
    )


def next_basis(
    inputs: str,
    answers: dict[str, tuple[float, float]] | None,
    previous: ResolveResult | None,
    kept: int,
) -> ResolveBasis | None:
    """The basis this run leaves: its answers, and the previous basis's when it kept decisions
    resting on them (they were checked unchanged); None when an answer is missing."""
    if answers is None:
        return None
    if kept and previous is not None and previous.basis is not None:
        carried = previous.basis.answers
        if any(answers[key][0] != carried[key][0] for key in answers.keys() & carried.keys()):
            return None  # stored again during the run: the kept decisions rest on the old one
        answers = {**carried, **answers}
    return ResolveBasis(inputs=inputs, answers=dict(sorted(answers.items())))
