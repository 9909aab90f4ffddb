"""Real titles of the recorded tables of contents (tests/fixtures/dblp/toc/, CC0), listed the
ways an accuracy audit listed them: a title one word away from a paper of the listed
venue-year is not that paper, unless the authors vouch for it; the ways lists really word a
title still find it."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from adversarial import FORMS, Verdict, adversarial_entries, list_lines, load_tables, score
from builders import listed, s2_paper
from conftest import ROOT, settings_for
from fakeapi import FakeApi
from pipeline.models import DblpRecord
from pipeline.parse import parse_list
from pipeline.resolve import resolve
from pipeline.resolve.dblp_matches import toc_decision
from pipeline.resolve.matching import Decision, decide, judge_s2
from pipeline.resolve.shortlist import TitleIndex
from pipeline.run import open_clients
from pipeline.sources.dblp import decode_search
from pipeline.venues import shipped_venues

VENUES = shipped_venues()
TOCS = ROOT / "tests" / "fixtures" / "dblp" / "toc"
TOC_FILE = {"OSDI": "osdi__osdi", "SOSP": "sosp__sosp", "NSDI": "nsdi__nsdi",
            "SIGMOD": "sigmod__sigmod", "ATC": "usenix__usenix"}  # fmt: skip


@cache
def table(venue: str, year: int) -> tuple[list[DblpRecord], TitleIndex]:
    payload = json.loads((TOCS / f"conf__{TOC_FILE[venue]}{year}.json").read_text("utf-8"))
    records = [r for r in decode_search(payload).records if r.type != "Editorship"]
    return records, TitleIndex([r.title for r in records])


def decision(title: str, venue: str, year: int, **extra: Any) -> Decision:
    """What resolve decides for a listed paper inside its venue-year's table of contents."""
    records, index = table(venue, year)
    found = VENUES.find(venue)
    assert found is not None
    picked = index.shortlists([title])[0]
    paper = listed(title, venue=venue, year=year, **extra)
    return toc_decision(paper, [records[i] for i in picked], found.streams)


def accepted(d: Decision) -> str | None:
    return d.best.id if d.accepted and d.best is not None else None


@pytest.mark.parametrize(
    ("title", "venue", "year", "near"),
    [
        # the meaning turned around
        ("Verifying Reachability in Networks without Mutable Datapaths", "NSDI", 2017,
         "conf/nsdi/PandaLASS17"),
        ("An Inefficient MapReduce Cube Algorithm for Varied DataDistributions", "SIGMOD",
         2016, "conf/sigmod/MiloA16"),
        ("Secured Routines: Language-based Construction of Untrusted Execution Environments",
         "ATC", 2019, "conf/usenix/GhosnLB19"),
        ("Multicore Locks: The Case Is Closed Yet", "ATC", 2016, None),
        # a word replaced: a long title's similarity hides it (95-99)
        ("Hyperscan: A Slow Multi-pattern Regex Matcher for Modern CPUs", "NSDI", 2019,
         "conf/nsdi/WangHCPLHZ19"),
        ("Telekine: Secure Computing with Cloud CPUs", "NSDI", 2020, "conf/nsdi/HuntJMSHRW20"),
        ("Mitigating Asymmetric Write and Write Costs in Cuckoo Hashing for Storage Systems",
         "ATC", 2019, "conf/usenix/Sun0CG19"),
        ("When Hierarchy Meets 3-Hop-Labeling: Efficient Shortest Distance Queries on Road "
         "Networks", "SIGMOD", 2018, "conf/sigmod/OuyangQCLZZ18"),
        # another system's name before a paper's subtitle (NICA is another paper of ATC 2019)
        ("Sable: Optimizing Queries with Crowd-Based Selections and Joins", "SIGMOD", 2017,
         "conf/sigmod/LiCFWLZLYZY17"),
        ("NICA: Exploiting Cloud Services for Cost-Effective, SLO-Aware Machine Learning "
         "Inference Serving", "ATC", 2019, "conf/usenix/ZhangYWY19"),
        # a word added
        ("Cliffhanger: Scaling Temporal Performance Cliffs in Web Memory Caches", "NSDI", 2016,
         "conf/nsdi/CidonEAK16"),
        ("Zanzibar: Google's Verifiable Consistent, Global Authorization System", "ATC", 2019,
         "conf/usenix/PangCBCDGGGKKKP19"),
    ],
)  # fmt: skip
def test_a_title_one_word_away_from_a_paper_is_not_that_paper(
    title: str, venue: str, year: int, near: str | None
) -> None:
    d = decision(title, venue, year)
    assert accepted(d) is None
    if near is not None:  # the paper is left for a maintainer to pin: the report names it
        assert near in [c.id for c in d.candidates]


@pytest.mark.parametrize(
    ("title", "venue", "year", "key"),
    [
        ("TensorFlow - A System for Large-Scale Machine Learning", "OSDI", 2016,
         "conf/osdi/AbadiBCCDDDGIIK16"),
        # a typo in a short word, in a word the title has twice, in a negation
        ("Focus: Querying Large Video Datasets with Lwo Latency and Low Cost", "OSDI", 2018,
         "conf/osdi/HsiehABVBPGM18"),
        ("MigCast: Putting a Price Tag on ata Model Evolution in NoSQL Data Stores", "SIGMOD",
         2019, "conf/sigmod/HillenbrandLSSK19"),
        ("STRADS-AP: Simplifying Distributed Machine Learning Programming wihout Introducing "
         "a New Programming Model", "ATC", 2019, "conf/usenix/KimAGX19"),
        # words swapped near a contraction; a subtitle with a negation dropped
        ("Can't All We Get Along? Redesigning Protection Storage for Modern Workloads", "ATC",
         2018, "conf/usenix/AlluDKPSU18"),
        ("Distributed Lock Management with RDMA", "SIGMOD", 2018, "conf/sigmod/YoonCM18"),
        # another ending of a word; a name put before a title DBLP has whole
        ("TASO: Optimizing Deep Learning Computation with Automated Generation of Graph "
         "Substitutions", "SOSP", 2019, "conf/sosp/JiaPTWZA19"),
        ("Zephyr: Efficient Subgraph Matching by Postponing Cartesian Products", "SIGMOD", 2016,
         "conf/sigmod/BiCLQZ16"),
    ],
)  # fmt: skip
def test_titles_as_lists_word_them_still_match(title: str, venue: str, year: int, key: str) -> None:
    assert accepted(decision(title, venue, year)) == key


@pytest.mark.parametrize(
    ("title", "venue", "year", "key"),
    [
        ("Secured Routines: Language-based Construction of Untrusted Execution Environments",
         "ATC", 2019, "conf/usenix/GhosnLB19"),
        ("Telekine: Secure Computing with Cloud CPUs", "NSDI", 2020, "conf/nsdi/HuntJMSHRW20"),
    ],
)  # fmt: skip
def test_the_authors_vouch_for_a_title_one_word_away(
    title: str, venue: str, year: int, key: str
) -> None:
    """The same venue-year and the same people: the list misspelt its title."""
    records, _ = table(venue, year)
    paper = next(r for r in records if r.key == key)
    assert accepted(decision(title, venue, year)) is None
    assert accepted(decision(title, venue, year, authors=paper.authors)) == key


@pytest.mark.parametrize(
    ("title", "published", "venue", "year", "key", "why"),
    [
        ("Coarsening Massive Influence Networks for Unscalable Diffusion Analysis",
         "Coarsening Massive Influence Networks for Scalable Diffusion Analysis",
         "SIGMOD", 2017, "conf/sigmod/OhsakaSFK17", "opposite meaning"),
        ("FlashShare: Punching Through Server Storage Stack from Kernel to Firmware for "
         "Ultra-Low Throughput SSDs",
         "FlashShare: Punching Through Server Storage Stack from Kernel to Firmware for "
         "Ultra-Low Latency SSDs",
         "OSDI", 2018, "conf/osdi/0048KGKLACKKKJ18", "different words"),
    ],
)  # fmt: skip
def test_semantic_scholar_alone_takes_no_title_one_word_away(
    title: str, published: str, venue: str, year: int, key: str, why: str
) -> None:
    """Listed a year late: no table of contents holds the paper, and DBLP's title search does
    not find a title with a word it lacks. Semantic Scholar's relevance search does, and its
    record is judged with the same rules (one year off, the venue agreeing)."""
    paper = listed(title, venue=venue, year=year + 1)
    record = s2_paper(
        published, year=year, venue=venue, externalIds={"DBLP": key, "CorpusId": 1}, authors=[]
    )
    judged = judge_s2(paper, record, year=year + 1, dblp_key=None, venue=VENUES.find(venue))
    d = decide([judged])
    assert not d.accepted
    assert any(why in e for e in judged.evidence)


# What the first four entries of each form of the adversarial list leave unmatched today, as
# (DBLP, S2): a name alone says too little, a main title alone is often another paper's too,
# and a paper listed at a namesake's venue-year is looked for there first.
MISSED_TODAY = {
    "subtitle dropped": (3, 3),
    "system name alone": (4, 4),
    "at a namesake's venue-year": (2, 2),
}


@pytest.mark.slow
def test_the_adversarial_list_gets_no_wrong_record(fake: FakeApi, tmp_path: Path) -> None:
    """bench/realtitles.py's list, its first four entries of each form, resolved in process
    against the fake API: no near-miss gets a record, no reworded title another paper's, and
    every paper found today is still found."""
    tables = load_tables()
    lines, by_line = list_lines(adversarial_entries(per_form=4, tables=tables))
    clients, cache = open_clients(settings_for(fake, tmp_path))
    try:
        results = resolve(parse_list(lines).papers, VENUES, {}, clients)
    finally:
        cache.close()
    result = score(by_line, results, tables)
    assert [(e.form, e.title, dblp, s2) for e, dblp, s2 in result.wrong] == []
    missed = {
        form.name: tuple(result.of(form.name, source, Verdict.MISSED) for source in ("dblp", "s2"))
        for form in FORMS
    }
    more = {
        form: count
        for form, count in missed.items()
        if any(n > today for n, today in zip(count, MISSED_TODAY.get(form, (0, 0)), strict=True))
    }
    assert more == {}
