"""Judging a table of contents' shortlisted records: only those that may matter are judged."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import dblp_record, listed
from pipeline.models import Candidate, DblpRecord, ListedPaper
from pipeline.resolve.dblp_matches import NEAR_MISS, toc_decision
from pipeline.resolve.matching import (
    Decision,
    decide,
    judge_dblp,
    title_similarity,
    toc_confidence_bound,
)

TITLE = "Widgetron: Fast and Elastic Serving of Large Language Models on Shared Clusters"
OTHER_WORDS = ["Compilers", "Graphs", "Slow", "Tiny", "Sparse", "Private", "Kernels"]
PEOPLE = ["Ada Lovelace", "Alan Turing", "Grace Hopper", "Edsger Dijkstra", "Barbara Liskov"]
ARXIV = "https://arxiv.org/abs/2101.00001"
STREAMS = ["conf/osdi"]


@st.composite
def a_title(draw: Any) -> str:
    words = TITLE.split()
    for _ in range(draw(st.sampled_from([0, 0, 1, 2, 3, 6, 10]))):
        at = draw(st.integers(0, len(words) - 1))
        change = draw(st.sampled_from(["replace", "drop", "keep"]))
        if change == "replace":
            words[at] = draw(st.sampled_from(OTHER_WORDS))
        elif change == "drop" and len(words) > 3:
            del words[at]
    return " ".join(words)


@st.composite
def a_record(draw: Any, number: int) -> DblpRecord:
    preprint = draw(st.booleans())
    key = f"journals/corr/abs-2101-0000{number}" if preprint else f"conf/osdi/FAKE{number}"
    return dblp_record(
        draw(a_title()),
        key=key,
        authors=draw(st.lists(st.sampled_from(PEOPLE), max_size=4, unique=True)),
        type="Informal and Other Publications" if preprint else "Conference and Workshop Papers",
        ee=[ARXIV] if preprint and draw(st.booleans()) else ["https://www.usenix.org/x"],
    )


@st.composite
def a_case(draw: Any) -> tuple[ListedPaper, list[DblpRecord]]:
    paper = listed(
        draw(a_title()),
        authors=draw(st.lists(st.sampled_from(PEOPLE), max_size=3, unique=True)),
        paper_url=draw(st.sampled_from([None, ARXIV, "https://www.usenix.org/x"])),
    )
    count = draw(st.integers(1, 8))
    records = [draw(a_record(n)) for n in range(count)]
    if draw(st.booleans()):  # the same record twice, as two tables of one venue-year may have
        records.append(records[0])
    return paper, records


def near_misses(decision: Decision) -> list[Candidate]:
    best = decision.best
    assert best is not None
    return [
        c
        for c in decision.candidates
        if c.id != best.id and c.confidence >= best.confidence - NEAR_MISS
    ]


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(case=a_case())
def test_skipped_records_could_not_have_changed_the_resolution(
    case: tuple[ListedPaper, list[DblpRecord]],
) -> None:
    paper, records = case
    every = [judge_dblp(paper, r, in_toc=True, streams=STREAMS) for r in records]
    for record, judged in zip(records, every, strict=True):
        assert judged.confidence <= toc_confidence_bound(
            title_similarity(paper.title, record.title)[0]
        )
    full, fast = decide(every), toc_decision(paper, records, STREAMS)
    if full.accepted:
        assert fast.accepted and fast.best == full.best
        assert near_misses(fast) == near_misses(full)  # what the resolution keeps of the rest
    else:
        assert fast == full


def test_a_clear_match_spares_the_hopeless_records_their_judgement() -> None:
    paper = listed(TITLE, authors=["Ada Lovelace"])
    records = [
        dblp_record(TITLE, key="conf/osdi/Match16"),
        dblp_record("Widgetron: Fast Compilers for Large Language Models", key="conf/osdi/Far16"),
    ]
    every = decide([judge_dblp(paper, r, in_toc=True, streams=STREAMS) for r in records])
    assert [c.id for c in every.candidates] == ["conf/osdi/Match16", "conf/osdi/Far16"]
    decision = toc_decision(paper, records, STREAMS)
    assert decision.accepted and decision.best == every.best
    assert [c.id for c in decision.candidates] == ["conf/osdi/Match16"]  # Far16 never judged
