"""The parser on the forms of 2024-2026 lists (arXiv-first agent and RAG lists, HCI tables,
robotics and software-engineering lists): an invented list in those forms
(tests/fixtures/lists/forms/later-lists.md), and each form alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.models import ParsedList
from pipeline.parse import parse_list, parse_list_file

LATER = Path(__file__).resolve().parent / "fixtures" / "lists" / "forms" / "later-lists.md"


def parse(text: str) -> ParsedList:
    return parse_list(text.splitlines(), source="snippet.md")


def test_every_paper_of_the_later_list_with_the_venue_and_year_it_states() -> None:
    papers = [(p.line, p.venue, p.year) for p in parse_list_file(LATER).papers]
    assert papers == [
        (14, "NeurIPS", 2024),  # [NeurIPS'24] before the title
        (15, "ICLR", 2025),  # (ICLR 2025) after it
        (16, "NeurIPS", 2024),  # a shields badge
        (17, "arXiv", 2025),  # 'arXiv 2501.01234': the year from the heading
        (18, "ACL", 2025),  # a badge after a stars badge and an emoji
        (19, "EMNLP", 2025),
        (20, None, 2025),  # [2025/03]: no venue, and '### Planning' is none
        (21, "ICML", 2025),
        (22, "COLM", 2025),
        (23, "AAAI", 2026),
        (29, "UIST", 2025),  # UIST25
        (30, "IMWUT", 2025),  # Ubicomp25 (IMWUT Vol 9 Issue 3)
        (31, "CHI", 2025),  # CHI25
        (32, "arXiv", 2025),
        (36, "RSS", 2024),
        (37, "CoRL", 2023),  # CORL
        (38, "RA-L", 2024),
        (42, "ACL", 2024),
        (43, "arXiv", 2024),  # [2024-arXiv]
        (44, "ISSTA", 2024),  # [2024-ISSTA]
        (45, "ASE", 2024),  # 'Title[2024-ASE]'
        (46, "IEEE TETCI", 2023),  # a venue the table does not know
    ]


@pytest.mark.parametrize(
    ("line", "venue", "year"),
    [
        ("1. Widget Benchmarks Under Distribution Shift [2024-ISSTA]", "ISSTA", 2024),
        ("1. Widget Retrieval for Question Answering [2023-arXiv]", "arXiv", 2023),
        ("1. Widget Requirements Reviews with Large Models [2024-XP]", "XP", 2024),
        (
            "- [Widget Serving at Scale](https://arxiv.org/abs/2401.00001) [2025-MLSys]",
            "MLSys",
            2025,
        ),
    ],
)
def test_a_year_dash_venue_tag_after_the_title(line: str, venue: str, year: int) -> None:
    [paper] = parse(line).papers
    assert (paper.venue, paper.year) == (venue, year)
    assert "20" not in paper.title  # the tag left the title


def test_a_year_dash_anything_else_is_no_venue() -> None:
    """Only a venue the table knows is reordered from 'YEAR-VENUE': an affiliation or a kind
    of paper after a year and a dash stays what it was."""
    papers = parse(
        "## Papers\n"
        "- **A Study of Widget Caches** 2023 - Widget University\n"
        "- [Scaling Widget Inference](https://example.org/x) 2023 - Survey\n"
    ).papers
    assert [(p.venue, p.year) for p in papers] == [(None, 2023), (None, 2023)]


def test_a_known_venue_with_a_glued_two_digit_year_in_a_table() -> None:
    parsed = parse(
        "| Venue | Paper |\n| --- | --- |\n"
        "| CHI25 | [Widgets on My Shoulder](https://doi.org/10.1145/1) |\n"
        "| UIST24 | [A Sketch Interface for Widgets](https://doi.org/10.1145/2) |\n"
        "| OSDI'22 | [Widget Scheduling at Scale](https://doi.org/10.1145/3) |\n"
    )
    assert [(p.venue, p.year) for p in parsed.papers] == [
        ("CHI", 2025),
        ("UIST", 2024),
        ("OSDI", 2022),
    ]


def test_a_topic_heading_under_a_year_heading_is_not_a_venue() -> None:
    """'## 2025' > '### Planning' is a topic, and so are '### RAG' and '### LLM Serving';
    '### 2023' > '#### Mach Learn' stays a venue the table does not know (Awesome-FL's form),
    as do acronyms, venue words and a known venue's track."""
    parsed = parse(
        "## 2025\n\n### Planning\n\n- [Tree Search for Widget Agents](https://arxiv.org/abs/1)\n\n"
        "### Retrieval-Augmented Generation\n\n- [Widget Retrieval at Scale](https://arxiv.org/abs/2)\n\n"
        "## 2023\n\n#### Mach Learn\n\n- [Federated Widget Learning](https://doi.org/10.1/3)\n\n"
        "#### SVM@ICSE\n\n- [Secure Widget Models](https://doi.org/10.1/4)\n\n"
        "#### IEEE Trans. Widgets\n\n- [Widget Transactions](https://doi.org/10.1/5)\n\n"
        "## 2024\n\n### RAG\n\n- [Widget Retrieval Heads](https://arxiv.org/abs/6)\n\n"
        "### LLM Serving\n\n- [Paged Widget Attention](https://arxiv.org/abs/7)\n\n"
        "### NeurIPS Datasets and Benchmarks\n\n- [A Widget Benchmark](https://arxiv.org/abs/8)\n\n"
        "### Code\n\n- [Widget Code Models](https://arxiv.org/abs/9)\n\n"
        "### Edge AI\n\n- [Widgets on the Edge](https://arxiv.org/abs/10)\n\n"
        "### RLHF\n\n- [Widget Preference Tuning](https://arxiv.org/abs/11)\n\n"
        "### SEAMS\n\n- [Self-Adaptive Widgets](https://doi.org/10.1/12)\n"
    )
    assert [(p.venue, p.year) for p in parsed.papers] == [
        (None, 2025),
        (None, 2025),
        ("Mach Learn", 2023),
        ("SVM@ICSE", 2023),
        ("IEEE Trans. Widgets", 2023),
        (None, 2024),
        (None, 2024),
        ("NeurIPS Datasets and Benchmarks", 2024),
        (None, 2024),
        (None, 2024),
        (None, 2024),
        ("SEAMS", 2024),
    ]


@pytest.mark.parametrize(
    "stated", ["arXiv 2501.01234", "arXiv:2501.01234v2", "arXiv preprint arXiv:2501.01234"]
)
def test_an_arxiv_id_after_the_title_names_arxiv_without_a_year(stated: str) -> None:
    [paper] = parse(f"- [Retrieval Heads in Widget Models](https://example.org/p), {stated}").papers
    assert (paper.venue, paper.year) == ("arXiv", None)


def test_a_plain_title_then_year_then_venue_after_commas() -> None:
    """'Title, 2023, MICRO' (architecture lists): the year and a known venue close the
    title; an unknown word after the year stays part of the title."""
    papers = parse(
        "## Branch\n\n"
        "- Widget Target Buffer Organizations, 2023, MICRO\n"
        "- Adaptive Widget Buffers, Revisited, 2024, ISCA\n"
        "- Widgets, Gadgets, and Gizmos\n"
    ).papers
    assert [(p.title, p.venue, p.year) for p in papers[:2]] == [
        ("Widget Target Buffer Organizations", "MICRO", 2023),
        ("Adaptive Widget Buffers, Revisited", "ISCA", 2024),
    ]


def test_two_digit_years_of_the_last_century_and_edition_numbers() -> None:
    """'SOSP97' and "OSDI '99" are of the last century; 'ISCA50' is the 50th ISCA, no year;
    'RAID 10' in a title is a RAID level, not a venue and a year."""
    papers = parse(
        "## Papers\n"
        "- **Classic Widget Paper** SOSP97\n"
        "- **Older Widget Paper** OSDI '99\n"
        "- **Widget Sinks in Streaming** (ISCA50)\n"
        "- **Parity Logging Overheads for Widget Arrays in RAID 10** 2010\n"
    ).papers
    assert [(p.venue, p.year) for p in papers] == [
        ("SOSP", 1997),
        ("OSDI", 1999),
        ("ISCA", None),
        (None, 2010),
    ]
    assert papers[-1].title.endswith("in RAID 10")
