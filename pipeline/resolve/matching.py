"""Matching rules: how a listed paper is judged against a candidate record.

A decision weighs title similarity (rapidfuzz on normalised titles), venue and year agreement,
author overlap (when the list names authors) and record type (a CoRR preprint loses to the
published version). Nothing below the acceptance bar is ever used; near misses are kept as
candidates so a maintainer can pin one in catalog/overrides.toml.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipeline.models import (
    NO_COMMON_AUTHOR,
    SAME_TITLE_NOTE,
    Candidate,
    DblpRecord,
    ListedPaper,
    S2Paper,
)
from pipeline.text import arxiv_id_of, normalize_title, venue_key
from pipeline.text.titles import (
    MIN_TITLE_SCORE,
    STOPWORDS,
    author_overlap,
    main_title_only,
    put_in_words,
    reversed_words,
    title_similarity,
)
from pipeline.venues import PREPRINT_LABELS, listed_as_preprint, venue_agrees

if TYPE_CHECKING:
    from pipeline.venues import Venue

__all__ = ["MIN_TITLE_SCORE", "STOPWORDS", "author_overlap", "title_similarity", "venue_agrees"]

ACCEPT_CONFIDENCE = 0.90  # a match below this is never used
# A listed paper with no venue can be checked on title, year and authors only: a stricter bar.
STRICT_CONFIDENCE = 0.95
STRICT_TITLE_SCORE = 92.0
AMBIGUITY_MARGIN = 0.02  # two acceptable candidates closer than this: ask a human
REPORTED_CANDIDATES = 3


@dataclass(frozen=True)
class Decision:
    """The best candidate, whether it clears the bar, and the runners-up for the report."""

    best: Candidate | None
    accepted: bool
    candidates: list[Candidate]
    note: str | None = None


def judge_dblp(
    paper: ListedPaper,
    record: DblpRecord,
    *,
    in_toc: bool,
    streams: list[str],
    lone_preprint: bool = False,
) -> Candidate:
    """Score one DBLP record as the published version of a listed paper. `lone_preprint`:
    the record is the CoRR version of an arXiv-only paper (see `is_lone_preprint`), so its
    record type costs nothing."""
    title, note = title_similarity(paper.title, record.title)
    evidence = [f"title similarity {title:.0f}"] + ([note] if note else [])
    points = title + _word_points(paper.title, record.title, title, evidence)
    venue_agrees = in_toc
    if in_toc:
        points += 3
        evidence.append("in the listed venue-year's table of contents")
    else:
        if streams:
            if any(record.key.startswith(stream + "/") for stream in streams):
                venue_agrees = True
                points += 2
                evidence.append("venue agrees")
            elif listed_as_preprint(paper) and not record.is_preprint:
                # The list cites the arXiv version; this may be its published version.
                evidence.append(
                    f"published version ({record.venue or record.key.rsplit('/', 1)[0]})"
                )
            else:
                points -= 10
                evidence.append(f"other venue ({record.venue or record.key.rsplit('/', 1)[0]})")
        points += _year_points(paper.year, record.year, evidence, off_by_one=_off_by_one(paper))
    if record.is_preprint and lone_preprint:
        evidence.append("arXiv-only: no published version in DBLP")
    elif record.is_preprint and not listed_as_preprint(paper):
        # Without a listed year, the record type is what tells the versions apart.
        points -= 8 if paper.year is not None else 15
        evidence.append("preprint record (CoRR)")
    vouched = _author_points(paper.authors, record.authors, evidence)
    vouched += _link_points(paper.paper_url, record, evidence)
    points += vouched
    if not (venue_agrees or vouched > 0):
        points += _main_title_alone(paper.title, record.title, evidence)
    return Candidate(
        id=record.key,
        title=record.title,
        year=record.year,
        venue=record.venue,
        title_score=round(title, 1),
        confidence=round(max(0.0, min(1.0, points / 100)), 3),
        evidence=evidence,
    )


# The most points judge_dblp gives a table-of-contents record beyond its title similarity: in
# the listed venue-year's table of contents 3, the authors 4, the list's link 5; every other
# rule only takes points away.
TOC_POINTS_BEYOND_TITLE = 12.0


def toc_confidence_bound(title_score: float) -> float:
    """A confidence no record of the listed venue-year's table of contents with this title
    similarity can reach (a hair above the true bound, against float rounding): lets the
    caller judge only the records that may still matter."""
    return min(1.0, max(0.0, (title_score + TOC_POINTS_BEYOND_TITLE) / 100)) + 0.001


def judge_s2(
    paper: ListedPaper,
    record: S2Paper,
    *,
    year: int | None,
    dblp_key: str | None,
    venue: Venue | None = None,
) -> Candidate:
    """Score a Semantic Scholar record as the listed paper; `year` and `dblp_key` come from
    DBLP when known. Without DBLP, S2 is judged as carefully: the listed venue and year, the
    authors, and the record type (a preprint or a journal version loses to the conference
    paper the list names)."""
    title, note = title_similarity(paper.title, record.title or "")
    evidence = [f"title similarity {title:.0f}"] + ([note] if note else [])
    points = title + _word_points(paper.title, record.title or "", title, evidence)
    points += _year_points(year, record.year, evidence, off_by_one=min(-2, _off_by_one(paper)))
    venue_points = _s2_venue_points(paper, record, venue, evidence)
    points += venue_points
    s2_dblp = record.external_id("DBLP")
    if dblp_key and s2_dblp:
        if s2_dblp == dblp_key:
            points += 5
            evidence.append("S2 names the same DBLP record")
        else:
            points -= 30
            evidence.append(f"S2 names another DBLP record ({s2_dblp})")
    names = [a.name for a in record.authors or [] if a.name]
    authors = _author_points(paper.authors, names, evidence)
    points += authors
    same_as_dblp = bool(dblp_key) and s2_dblp == dblp_key
    if not (venue_points > 0 or authors > 0 or same_as_dblp):
        points += _main_title_alone(paper.title, record.title or "", evidence)
    return Candidate(
        id=record.paperId,
        title=record.title or "",
        year=record.year,
        venue=record.venue or None,
        title_score=round(title, 1),
        confidence=round(max(0.0, min(1.0, points / 100)), 3),
        evidence=evidence,
    )


_JOURNAL_WORDS = re.compile(
    r"\b(transactions|journal|letters|magazine|communications of the|computing surveys)\b",
    re.IGNORECASE,
)


def is_published_twin(preprint: DblpRecord, other: DblpRecord) -> bool:
    """Whether `other` is the published version of a CoRR record: not a preprint nor a
    proceedings volume, the same title, and the same authors when both name them."""
    if other.is_preprint or other.is_proceedings or other.key == preprint.key:
        return False
    if title_similarity(preprint.title, other.title)[0] < STRICT_TITLE_SCORE:
        return False
    overlap = author_overlap(preprint.authors, other.authors)
    return overlap is None or overlap >= 0.5


def is_lone_preprint(paper: ListedPaper, record: DblpRecord, records: list[DblpRecord]) -> bool:
    """An arXiv-only paper's CoRR record: the list names no venue (or arXiv/CoRR), the years
    agree when the list gives one, the authors agree where it names them, and no published
    version of the same paper is among DBLP's `records`. Such a record is the paper's record."""
    if not record.is_preprint or not (paper.venue is None or listed_as_preprint(paper)):
        return False
    if paper.year is not None and record.year != paper.year:
        return False
    if paper.authors and (author_overlap(paper.authors, record.authors) or 0.0) < 0.5:
        return False
    return not any(is_published_twin(record, other) for other in records)


def prefer_published(
    decision: Decision, records: list[DblpRecord], strict: bool = False
) -> Decision:
    """An accepted CoRR record gives way to its published version (same title and authors)
    when that one clears the bar too: the paper is cited as published, its arXiv id kept."""
    best = decision.best
    if not decision.accepted or best is None:
        return decision
    by_key = {r.key: r for r in records}
    preprint = by_key.get(best.id)
    if preprint is None or not preprint.is_preprint:
        return decision
    bar, min_title = _bar(strict)
    twins = [
        c
        for c in decision.candidates
        if c.id in by_key
        and is_published_twin(preprint, by_key[c.id])
        and c.confidence >= bar
        and c.title_score >= min_title
    ]
    if not twins:
        return decision
    note = f"published version preferred to the preprint {preprint.key}"
    chosen = twins[0].model_copy(update={"evidence": [*twins[0].evidence, note]})  # ranked
    return Decision(best=chosen, accepted=True, candidates=decision.candidates, note=note)


def refuse_main_title_over_exact(
    paper: ListedPaper, decision: Decision, records: list[DblpRecord]
) -> Decision:
    """An accepted record whose main title alone is the listed title ('Main: Lessons from X')
    loses its claim when DBLP also holds a record titled exactly as listed by other authors:
    that one may well be the paper (a preprint), so the paper is left to a maintainer."""
    best = decision.best
    if not decision.accepted or best is None or not main_title_only(paper.title, best.title):
        return decision
    chosen = next((r for r in records if r.key == best.id), None)
    listed = normalize_title(paper.title)
    for other in records:
        if other.key == best.id or normalize_title(other.title) != listed:
            continue
        overlap = author_overlap(other.authors, chosen.authors) if chosen else None
        if overlap is None or overlap < 0.5:
            note = (
                f"ambiguous: {other.key} has the listed title exactly, "
                f"{best.id} only as its main title"
            )
            return Decision(best=best, accepted=False, candidates=decision.candidates, note=note)
    return decision


def choose_version(
    paper: ListedPaper,
    decision: Decision,
    judged: list[Candidate],
    records: list[DblpRecord],
    *,
    streams: list[str],
    is_workshop: Callable[[DblpRecord], bool],
    strict: bool = False,
) -> Decision:
    """Several records share the accepted one's title (a workshop paper, then the conference
    paper; a paper and its journal version; two arXiv papers): never a silent choice. The listed
    venue decides, else the list's link, else a main-track record over workshop ones, else the
    listed year; what is left must be one record whose year does not contradict the listed one
    (a listed year that is a dropped workshop version's year is a question), or the paper stays
    unresolved, every version a candidate."""
    best = decision.best
    by_key = {r.key: r for r in records}
    if not decision.accepted or best is None or best.id not in by_key:
        return decision
    preprint = by_key[best.id].is_preprint  # two CoRR records: two arXiv papers, one title
    bar, min_title = _bar(strict)
    title = normalize_title(best.title)
    versions = {best.id: best}
    for c in judged:
        record = by_key.get(c.id)
        if record is None or record.is_proceedings or c.id in versions:
            continue
        if record.is_preprint != preprint:
            continue
        if c.confidence >= bar and c.title_score >= min_title and normalize_title(c.title) == title:
            versions[c.id] = c
    if len(versions) == 1:
        return decision
    everyone = list(versions.values())
    left, reasons = everyone, list[str]()
    rules: list[tuple[str, Callable[[Candidate], bool]]] = [
        ("the listed venue", lambda c: any(c.id.startswith(s + "/") for s in streams)),
        ("the list's link", lambda c: link_match(paper.paper_url, by_key[c.id]) == "record"),
        ("the list's link's site", lambda c: link_match(paper.paper_url, by_key[c.id]) == "site"),
        ("main track, not a workshop", lambda c: not is_workshop(by_key[c.id])),
        ("the listed year", lambda c: paper.year is not None and c.year == paper.year),
    ]
    for reason, keep in rules:
        kept = [c for c in left if keep(c)]
        if kept and len(kept) < len(left):
            left, reasons = kept, [*reasons, reason]
        if len(left) == 1:
            break
    listed_year = [c for c in everyone if paper.year is not None and c.year == paper.year]
    trusted = {"the listed venue", "the list's link", "the list's link's site"} & set(reasons)
    if len(left) == 1 and (left[0].year == paper.year or not listed_year or trusted):
        others = ", ".join(c.id for c in everyone if c.id != left[0].id)
        note = f"same title as {others}; {' and '.join(reasons)} decided"
        chosen = left[0].model_copy(update={"evidence": [*left[0].evidence, note]})
        return Decision(best=chosen, accepted=True, candidates=decision.candidates, note=note)
    named = ", ".join(f"{c.id} ({c.venue or '?'} {c.year or '?'})" for c in everyone)
    why = "nothing in the list says which"
    if len(left) == 1:
        why = f"the listed year {paper.year} is that of {listed_year[0].id}"
    return Decision(
        best=best,
        accepted=False,
        candidates=everyone,
        note=f"{SAME_TITLE_NOTE}: {named}; {why}",
    )


_LINK_HOST = re.compile(r"^https?://(?:www\.)?([^/\s]+)", re.IGNORECASE)
_DOI_IN_LINK = re.compile(
    r"(?:doi\.org/|/doi/(?:abs/|pdf/|full/)?)(10\.\d{4,9}/\S+)", re.IGNORECASE
)


def link_match(link: str | None, record: DblpRecord) -> str | None:
    """How the list's paper link points at a record: 'record' (its DOI, or one of its links),
    'site' (the same publisher's site: openreview.net, usenix.org, dl.acm.org, ...), or None.
    arXiv links are `_link_points`' business."""
    if not link:
        return None
    doi = _DOI_IN_LINK.search(link)
    if doi is not None and record.doi:
        return "record" if _bare(doi.group(1)) == _bare(record.doi) else None
    host = _LINK_HOST.match(link)
    if host is None or "arxiv.org" in host.group(1).casefold():
        return None
    if _bare(link) in {_bare(e) for e in record.ee}:
        return "record"
    hosts = {m.group(1).casefold() for e in record.ee if (m := _LINK_HOST.match(e))}
    return "site" if host.group(1).casefold() in hosts else None


def _bare(link: str) -> str:
    """A link or DOI compared loosely: no scheme, no 'www.', no trailing slash, any case."""
    text = re.sub(r"^https?://(?:www\.)?", "", link.strip(), flags=re.IGNORECASE)
    return text.rstrip("/").casefold()


def _link_points(link: str | None, record: DblpRecord, evidence: list[str]) -> float:
    """The list's paper link: an arXiv link names a CoRR record (and so its year), a DOI or
    publisher link a published one."""
    if not link:
        return 0.0
    linked = arxiv_id_of([], link, None)
    if linked is not None:
        own = arxiv_id_of(record.ee, None, record) if record.is_preprint else None
        if own is None:
            return 0.0
        if own == linked:
            evidence.append("the list links its arXiv version")
            return 5.0
        evidence.append(f"the list links another arXiv paper ({linked})")
        return -20.0
    match = link_match(link, record)
    if match == "record":
        evidence.append("the list links this record")
        return 3.0
    if match == "site":
        evidence.append("the list links the same publisher's site")
        return 1.0
    return 0.0


def _bar(strict: bool) -> tuple[float, float]:
    return (
        (STRICT_CONFIDENCE, STRICT_TITLE_SCORE) if strict else (ACCEPT_CONFIDENCE, MIN_TITLE_SCORE)
    )


def _off_by_one(paper: ListedPaper) -> int:
    """Points for a year one off: a preprint's listed year is its arXiv month, and the
    published version often comes out the next year."""
    return 0 if listed_as_preprint(paper) else -4


def _s2_venue_points(
    paper: ListedPaper, record: S2Paper, venue: Venue | None, evidence: list[str]
) -> float:
    listed = paper.venue or ""
    if not listed or venue_key(listed) in PREPRINT_LABELS:
        return 0.0
    if record.is_preprint:
        evidence.append(f"preprint record; the list names {listed}")
        return -15.0
    where = record.venue or record.journal or ""
    if venue is None or not where:
        return 0.0
    if venue_agrees(venue, where):
        evidence.append("venue agrees")
        return 2.0
    if _JOURNAL_WORDS.search(where) and not venue.is_journal(paper.year):
        # A journal where the list names a conference: the paper's journal extension.
        evidence.append(f"journal version ({where}); the list names {listed}")
        return -15.0
    return 0.0


def decide(candidates: list[Candidate], strict: bool = False) -> Decision:
    """Pick the best candidate; accept it only if it clears the bar and is not ambiguous.
    `strict` raises the bar, for a paper the list gives no venue for."""
    ranked = sorted(candidates, key=lambda c: (-c.confidence, -c.title_score, c.id))
    if not ranked:
        return Decision(best=None, accepted=False, candidates=[])
    best = ranked[0]
    reported = [c for c in ranked if c.title_score >= 50][:REPORTED_CANDIDATES]
    bar, min_title = (
        (STRICT_CONFIDENCE, STRICT_TITLE_SCORE) if strict else (ACCEPT_CONFIDENCE, MIN_TITLE_SCORE)
    )
    if best.confidence < bar or best.title_score < min_title:
        return Decision(best=best, accepted=False, candidates=reported, note="below the bar")
    rival = next(
        (
            c
            for c in ranked[1:]
            if c.confidence >= best.confidence - AMBIGUITY_MARGIN
            and normalize_title(c.title) != normalize_title(best.title)
            and c.title_score >= MIN_TITLE_SCORE
        ),
        None,
    )
    if rival is not None and best.title_score < 100:
        return Decision(
            best=best,
            accepted=False,
            candidates=reported,
            note=f"ambiguous: {best.id} and {rival.id} score alike",
        )
    return Decision(best=best, accepted=True, candidates=reported)


# A listed title that is only a record's main title ('Main' for 'Main: Sub') also names any
# other paper under that main title (a survey, an extended version, '...: Lessons from X'):
# without the venue, an author or the list's link agreeing, it stays below the bar.
MAIN_TITLE_ALONE = -10.0


def _main_title_alone(listed: str, published: str, evidence: list[str]) -> float:
    if not main_title_only(listed, published):
        return 0.0
    evidence.append("only the main title agrees, and no venue, author or link vouches for it")
    return MAIN_TITLE_ALONE


# Titles whose words disagree: a content word of the listed title the record's lacks,
# whether it replaced one of the record's ('Slow' for 'Fast', another system's name) or was
# added ('Byzantine Consensus' for 'Consensus'); or one title saying the opposite of the
# other ('with'/'without', 'Efficient'/'Inefficient'), words typo forgiveness takes as one.
# Another paper, however alike the rest: each such disagreement costs WORD_DISAGREES points,
# and more for a long title, which hides one word in its similarity (99 for one word of
# fifteen): the title then counts for no more than MIN_TITLE_SCORE. So the listed venue-year
# and year alone (+3 in its table of contents, +2 +2 elsewhere) leave such a record below the
# bar; the authors (+4) lift a title 93 or more alike back over it, the list's link to the
# record (+3) one 95 or more alike. The list may leave words out (a shorter title costs only
# similarity) and put a name before the title ('Name: Title', see `put_in_words`).
WORD_DISAGREES = 10.0


def _word_points(listed: str, published: str, title_score: float, evidence: list[str]) -> float:
    """What the titles' words say beyond their similarity: the same letters in the same order
    (100) say nothing more."""
    if title_score >= 100:
        return 0.0
    cost = max(WORD_DISAGREES, title_score - MIN_TITLE_SCORE)
    points = 0.0
    reversed_ = reversed_words(listed, published)
    if reversed_ is not None:
        evidence.append(f"opposite meaning: {reversed_}")
        points -= cost
    put_in, theirs = put_in_words(listed, published)
    if put_in:
        if theirs:
            evidence.append(f"different words: {' '.join(put_in)!r} vs {' '.join(theirs)!r}")
        else:
            evidence.append(f"words the record's title lacks: {' '.join(put_in)!r}")
        points -= cost
    return points


def _year_points(
    listed: int | None, found: int | None, evidence: list[str], off_by_one: int = -4
) -> float:
    if listed is None or found is None:
        return 0.0
    gap = abs(listed - found)
    if gap == 0:
        evidence.append("year agrees")
        return 2.0
    if gap == 1:
        evidence.append(f"year off by one ({found})")
        return float(off_by_one)
    evidence.append(f"year differs ({found})")
    return -20.0


def _author_points(listed: list[str], found: list[str], evidence: list[str]) -> float:
    overlap = author_overlap(listed, found)
    if overlap is None:
        return 0.0
    if overlap >= 0.5:
        evidence.append(f"authors agree ({overlap:.0%})")
        return 4.0
    if overlap == 0:
        evidence.append(NO_COMMON_AUTHOR)
        return -20.0
    evidence.append(f"few authors in common ({overlap:.0%})")
    return -5.0
