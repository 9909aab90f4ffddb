"""Abstracts from every source that has one: arXiv and Crossref, asked after Semantic Scholar.

Semantic Scholar withholds many abstracts (publisher licensing). After it, each further source
in the configured order (default: s2, arxiv, crossref) is asked, in batches, only for the papers
still without an abstract: arXiv for papers with an arXiv id (S2's externalIds, DBLP's CoRR
record or link, the list's arxiv.org link), one call per 100 ids; then Crossref for papers with
a DOI, one filter query per 50 DOIs. An arXiv record whose title is not the paper's is not
used (wrong arXiv ids happen in S2 and DBLP), unless its authors are the paper's: papers are
often renamed between preprint and proceedings. Pure functions, and one fetcher:
fetch_abstracts.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from pipeline.errors import BadResponse, NotFound, SourceError
from pipeline.http import Fetched, SourceClient
from pipeline.models import AbstractFinding, FetchStatus, Refusal, ResolvedPaper
from pipeline.resolve.matching import MIN_TITLE_SCORE, author_overlap, title_similarity
from pipeline.sources import ABSTRACT_ONLY, arxiv, crossref
from pipeline.text import (
    arxiv_id_of,
    clean_abstract,
    corr_arxiv_id,
    normalize_arxiv_id,
    normalize_title,
    split_subtitle,
    surname,
)

log = logging.getLogger(__name__)

# -- what to ask for (pure) --------------------------------------------------------------


def arxiv_id_for(item: ResolvedPaper) -> str | None:
    """The paper's arXiv id as given (not yet validated): S2's externalIds.ArXiv, else DBLP's
    (an arxiv.org link, a CoRR record, a close CoRR candidate), else the list's link."""
    s2 = item.s2.record.external_id("ArXiv") if item.s2.record else None
    if s2:
        return s2
    record = item.dblp.record
    found = arxiv_id_of(record.ee if record else [], None, record)
    if found:
        return found
    for candidate in item.dblp.candidates:  # DBLP's CoRR twin of the published paper
        twin = corr_arxiv_id(candidate.id)
        if twin and candidate.title_score >= MIN_TITLE_SCORE:
            return twin
    return arxiv_id_of([], item.paper.paper_url, None)


def doi_for(item: ResolvedPaper) -> str | None:
    """The DOI the catalog will publish: pinned, else DBLP's, else S2's when DBLP has none."""
    if item.pinned_doi:
        return item.pinned_doi
    if item.dblp.record is not None:
        return item.dblp.record.doi
    return item.s2.record.external_id("DOI") if item.s2.record else None


def still_missing(item: ResolvedPaper, source: str, order: tuple[str, ...]) -> bool:
    """Whether `source` is worth asking: no source before it in the order gave an abstract."""
    if source not in order:
        return False
    before = set(order[: order.index(source)])
    return not any(name in before for name in item.abstracts_found())


def titles_of(item: ResolvedPaper) -> list[str]:
    """What the paper is called: DBLP's title and the list's (never S2's, whose arXiv id is
    the one being checked)."""
    record = item.dblp.record
    return [t for t in (record.title if record else None, item.paper.title) if t]


def same_title(item: ResolvedPaper, other: str | None) -> tuple[bool, float]:
    """Whether a source's record is this paper, by title; and the best similarity."""
    if not other:
        return False, 0.0
    score = max((title_similarity(t, other)[0] for t in titles_of(item)), default=0.0)
    return score >= MIN_TITLE_SCORE, score


def authors_of(item: ResolvedPaper) -> list[str]:
    """Who wrote the paper: DBLP's authors, else S2's, else the list's."""
    if item.dblp.record is not None and item.dblp.record.authors:
        return item.dblp.record.authors
    s2 = item.s2.record
    if s2 is not None and s2.authors:
        return [a.name for a in s2.authors if a.name]
    return item.paper.authors


# A renamed preprint is accepted when more than half of the shorter author list is shared and
# the first author is the same: a preprint gains or loses an author, rarely its first one.
MIN_SHARED_AUTHORS = 0.5


def same_authors(ours: list[str], theirs: list[str]) -> tuple[bool, str]:
    """Whether two author lists are one paper's, and the evidence in words."""
    overlap = author_overlap(ours, theirs)
    if overlap is None:
        return False, "no authors to compare"
    first = surname(ours[0]) == surname(theirs[0])
    shared = len({surname(a) for a in ours} & {surname(a) for a in theirs})
    agree = first and overlap > MIN_SHARED_AUTHORS
    what = "same first author" if first else f"first author {theirs[0]}, not {ours[0]}"
    return agree, f"{what}, {shared} of {min(len(ours), len(theirs))} surnames in common"


# -- arXiv -------------------------------------------------------------------------------


def arxiv_findings(items: list[ResolvedPaper], client: SourceClient) -> dict[str, AbstractFinding]:
    """Ask arXiv about the papers' ids, BATCH_LIMIT per call (ids sorted: a stable cache key)."""
    findings: dict[str, AbstractFinding] = {}
    asked: dict[str, list[ResolvedPaper]] = {}
    for item in items:
        raw = arxiv_id_for(item)
        if raw is None:
            continue
        arxiv_id = normalize_arxiv_id(raw)
        if arxiv_id is None:
            findings[item.paper.id] = AbstractFinding(
                source="arxiv",
                status=FetchStatus.NOT_FOUND,
                asked=raw,
                evidence=[f"'{raw}' is not a well-formed arXiv id: not asked"],
            )
            continue
        asked.setdefault(arxiv_id, []).append(item)
    ids = sorted(asked)
    for start in range(0, len(ids), arxiv.BATCH_LIMIT):
        chunk = ids[start : start + arxiv.BATCH_LIMIT]
        try:
            answer = arxiv.fetch_entries(client, chunk)
        except SourceError as exc:
            log.warning("%s; %d papers get no arXiv abstract this run", exc, len(chunk))
            for arxiv_id in chunk:
                for item in asked[arxiv_id]:
                    findings[item.paper.id] = AbstractFinding(
                        source="arxiv", status=FetchStatus.FAILED, asked=arxiv_id, error=str(exc)
                    )
            continue
        for arxiv_id in chunk:
            for item in asked[arxiv_id]:
                findings[item.paper.id] = _arxiv_finding(item, arxiv_id, answer)
    return findings


def _arxiv_finding(
    item: ResolvedPaper, arxiv_id: str, answer: arxiv.ArxivAnswer
) -> AbstractFinding:
    def miss(why: str, title: str | None = None, refused: Refusal | None = None) -> AbstractFinding:
        return AbstractFinding(
            source="arxiv",
            status=FetchStatus.NOT_FOUND,
            asked=arxiv_id,
            title=title,
            evidence=[why],
            refused=refused,
            fetched_at=answer.fetched_at,
            expired=answer.stale,
        )

    if arxiv_id in answer.rejected:
        return miss(
            f"arXiv refused the id {arxiv_id} ({Refusal.REFUSED_ID})", refused=Refusal.REFUSED_ID
        )
    entry = answer.entries.get(arxiv_id)
    if entry is None:
        return miss(f"arXiv has no {arxiv_id}")
    title = clean_abstract(entry.title)
    matches, score = same_title(item, title)
    evidence = f"arXiv {arxiv_id}, title similarity {score:.0f}"
    if not matches:
        renamed, authors = same_authors(authors_of(item), list(entry.authors))
        if not renamed:
            return miss(
                f"arXiv {arxiv_id} is titled '{title}' (title similarity {score:.0f}; "
                f"{authors}): " + Refusal.ANOTHER_PAPER,
                title,
                Refusal.ANOTHER_PAPER,
            )
        evidence = (
            f"arXiv {arxiv_id} is titled '{title}' (title similarity {score:.0f}) but has the "
            f"paper's authors ({authors}): renamed between preprint and publication"
        )
    text = clean_abstract(entry.summary)
    return AbstractFinding(
        source="arxiv",
        status=FetchStatus.FOUND if text else FetchStatus.NOT_FOUND,
        asked=arxiv_id,
        text=text,
        title=title,
        arxiv_id=entry.arxiv_id,
        pdf_url=entry.pdf_url,
        evidence=[evidence] + ([] if text else ["the record has no abstract"]),
        fetched_at=answer.fetched_at,
        expired=answer.stale,
    )


# -- Crossref ----------------------------------------------------------------------------


def crossref_findings(
    items: list[ResolvedPaper], client: SourceClient, mailto: str | None
) -> dict[str, AbstractFinding]:
    """Ask Crossref about the papers' DOIs: one filter query per BATCH_LIMIT DOIs (sorted,
    lower-cased: a stable cache key); a DOI alone, or one a filter cannot hold, by itself."""
    asked: dict[str, list[ResolvedPaper]] = {}
    for item in items:
        doi = doi_for(item)
        if doi and crossref.asks_crossref(doi):
            asked.setdefault(crossref.doi_key(doi), []).append(item)
    batched = sorted(d for d in asked if crossref.batchable(d))
    size = crossref.BATCH_LIMIT
    chunks = [batched[i : i + size] for i in range(0, len(batched), size)]
    chunks += [[d] for d in sorted(asked) if not crossref.batchable(d)]
    findings: dict[str, AbstractFinding] = {}
    for chunk in chunks:
        for doi, finding in _crossref_chunk(chunk, client, mailto).items():
            for item in asked[doi]:
                findings[item.paper.id] = _checked(item, finding)
    return findings


def _crossref_chunk(
    dois: list[str], client: SourceClient, mailto: str | None
) -> dict[str, AbstractFinding]:
    """Findings for one chunk of DOIs: one request, whatever it answers."""
    try:
        answer = _fetch_crossref(client, dois, mailto)
    except NotFound:
        missing = f"Crossref has no {dois[0]}"
        return {
            dois[0]: AbstractFinding(
                source="crossref", status=FetchStatus.NOT_FOUND, asked=dois[0], evidence=[missing]
            )
        }
    except SourceError as exc:
        log.warning("%s; %d papers get no Crossref abstract this run", exc, len(dois))
        return {
            doi: AbstractFinding(
                source="crossref", status=FetchStatus.FAILED, asked=doi, error=str(exc)
            )
            for doi in dois
        }
    age = {"fetched_at": answer.fetched_at, "expired": answer.stale}
    out: dict[str, AbstractFinding] = {}
    for doi in dois:
        work = answer.data.get(doi)
        text = clean_abstract(work.abstract) if work is not None else None
        if work is None or text is None:
            why = f"Crossref has no {doi}" if work is None else "Crossref has no abstract deposited"
            out[doi] = AbstractFinding(
                source="crossref",
                status=FetchStatus.NOT_FOUND,
                asked=doi,
                title=clean_abstract(work.title) if work is not None else None,
                evidence=[why],
                **age,
            )
            continue
        out[doi] = AbstractFinding(
            source="crossref",
            status=FetchStatus.FOUND,
            asked=doi,
            text=text,
            title=clean_abstract(work.title),
            evidence=[f"Crossref {doi}"],
            **age,
        )
    return out


def _fetch_crossref(
    client: SourceClient, dois: list[str], mailto: str | None
) -> Fetched[dict[str, crossref.CrossrefWork]]:
    """A DOI alone is one work lookup (its miss a cached 404); more are one filter query.
    A lookup answered with the work of another DOI (Crossref resolves an alias DOI to its
    primary) is the asked paper's only if its title says so (`_checked`); without a title it
    is no answer at all: a failure, so that what was published stays."""
    if len(dois) == 1:
        one = crossref.fetch_work(client, dois[0], mailto)
        asked = crossref.doi_key(dois[0])
        if one.data.doi not in ("", asked) and not one.data.title:
            raise BadResponse(
                "crossref",
                f"GET /works/{dois[0]} answered the work of {one.data.doi}, untitled: not used",
            )
        return Fetched({asked: one.data}, one.fetched_at, one.from_cache, one.stale)
    return crossref.fetch_works(client, dois, mailto)


def _checked(item: ResolvedPaper, finding: AbstractFinding) -> AbstractFinding:
    """A Crossref work found by DOI whose title is another paper's is not used (a wrong DOI);
    a deposit titled with the paper's system name alone ('DeepXplore') still counts."""
    if finding.status is not FetchStatus.FOUND or not finding.title:
        return finding
    matches, score = same_title(item, finding.title)
    heads = {normalize_title(parts[0]) for t in titles_of(item) if (parts := split_subtitle(t))}
    if matches or normalize_title(finding.title) in heads:
        return finding
    return finding.model_copy(
        update={
            "status": FetchStatus.NOT_FOUND,
            "text": None,
            "evidence": [
                f"Crossref {finding.asked} is titled '{finding.title}' "
                f"(title similarity {score:.0f}): {Refusal.ANOTHER_PAPER}"
            ],
            "refused": Refusal.ANOTHER_PAPER,
        }
    )


# -- the step ----------------------------------------------------------------------------


@dataclass
class AbstractClients:
    arxiv: SourceClient
    crossref: SourceClient


def fetch_abstracts(
    resolved: list[ResolvedPaper],
    clients: AbstractClients,
    order: tuple[str, ...],
    mailto: str | None = None,
) -> list[ResolvedPaper]:
    """The papers with what arXiv and Crossref said, each asked (in `order`) only for the
    papers no earlier source gave an abstract. Never raises on source trouble."""
    findings: dict[str, list[AbstractFinding]] = {item.paper.id: [] for item in resolved}
    current = list(resolved)
    for source in order:
        if source not in ABSTRACT_ONLY:  # S2 is asked by the resolve step itself
            continue
        pending = [item for item in current if still_missing(item, source, order)]
        if source == "arxiv":
            new = arxiv_findings(pending, clients.arxiv)
        else:
            new = crossref_findings(pending, clients.crossref, mailto)
        for paper_id, finding in new.items():
            findings[paper_id].append(finding)
        current = [
            item
            if item.abstracts == findings[item.paper.id]  # most papers: nothing new, no copy
            else item.model_copy(update={"abstracts": findings[item.paper.id]})
            for item in resolved
        ]
        if new:
            found = sum(f.status is FetchStatus.FOUND for f in new.values())
            log.info(
                "%s: %d papers without an abstract, %d abstracts found", source, len(new), found
            )
    return [_with_warnings(item) for item in current]


def _with_warnings(item: ResolvedPaper) -> ResolvedPaper:
    """A source record that turned out to be another paper is worth a maintainer's look."""
    notes = [e for f in item.abstracts if f.refused is Refusal.ANOTHER_PAPER for e in f.evidence]
    if not notes:
        return item
    return item.model_copy(update={"warnings": [*item.warnings, *notes]})
