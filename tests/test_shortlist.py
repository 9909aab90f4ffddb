"""The shortlist of table-of-contents rows each listed title gets judged against."""

from __future__ import annotations

import random

import pytest

from pipeline.resolve.shortlist import SHORTLIST, TitleIndex

WORDS = [
    "adaptive", "scalable", "efficient", "distributed", "learning", "inference", "serving",
    "memory", "cache", "graph", "training", "systems", "kernels", "compiler", "scheduling",
    "clusters", "accelerators", "networks", "storage", "queries", "transactions", "replication",
    "consensus", "streaming", "sparse", "tensor", "models", "language", "large", "federated",
    "private", "secure", "fast", "elastic",
]  # fmt: skip
TARGET = "Widgetron: Fast and Elastic Serving of Large Language Models on Shared Clusters"


def table(size: int = 3000) -> list[str]:
    """A venue-year of invented titles, the target among them (seeded: deterministic)."""
    rng = random.Random(11)
    titles = [
        f"{rng.choice(WORDS).title()}: " + " ".join(rng.choice(WORDS) for _ in range(8))
        for _ in range(size)
    ]
    titles[1234 % size] = TARGET
    return titles


@pytest.mark.parametrize(
    "listed",
    [
        TARGET,
        TARGET.upper(),
        "Widgetron - Fast and Elastic Serving of Large Language Models on Shared Clusters.",
        "Fast and Elastic Serving of Large Language Models on Shared Clusters",  # name dropped
        "Widgetron",  # the system's name alone
        "Widgetron: Fast and Elastic Serving of Large Languag Models on Shared Clusters",  # typo
        "Serving Large Language Models on Shared Clusters, Fast and Elastic",  # reordered
        "LLM-Serve: Fast and Elastic Serving of Large Language Models on Shared Clusters",
    ],
)
def test_the_true_row_is_on_the_shortlist_whatever_the_list_wrote(listed: str) -> None:
    [picked] = TitleIndex(table()).shortlists([listed])
    assert 1234 in picked and len(picked) <= 2 * SHORTLIST


def test_an_identical_title_without_a_close_rival_is_judged_alone() -> None:
    assert TitleIndex(table()).shortlists([TARGET]) == [[1234]]


def test_same_title_twins_are_both_judged() -> None:
    titles = table()
    titles[99] = TARGET  # a workshop version under the same title
    [picked] = TitleIndex(titles).shortlists([TARGET])
    assert {99, 1234} <= set(picked)


def test_many_titles_at_once_match_one_at_a_time() -> None:
    titles = table(500)
    listed = [titles[i].replace(":", " -") for i in range(0, 500, 7)] + ["Nothing Like It"]
    index = TitleIndex(titles)
    assert index.shortlists(listed) == [index.shortlists([t])[0] for t in listed]


def test_an_empty_table_shortlists_nothing() -> None:
    assert TitleIndex([]).shortlists(["Anything"]) == [[]]
