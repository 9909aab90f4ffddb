"""The parse stage: format variations inline, the whole real list, and a no-crash property."""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from clirun import run_cli
from pipeline.errors import InputError
from pipeline.models import ParsedList, Severity
from pipeline.parse import parse_list, parse_list_file, render_count_table
from pipeline.venues import load_venues, shipped_venues

ROOT = Path(__file__).resolve().parent.parent
SEED_LIST = ROOT / "catalog" / "papers.md"


def parse(text: str) -> ParsedList:
    return parse_list(text.splitlines(), source="snippet.md")


def codes(parsed: ParsedList) -> list[tuple[int, str]]:
    return [(f.line, f.code) for f in parsed.findings]


# -- format variations -------------------------------------------------------------------


def test_entry_with_authors_and_code_line() -> None:
    parsed = parse(
        "### OSDI\n\n#### 2016\n\n"
        "1. **TensorFlow: A System for Large-Scale Machine Learning** OSDI 2016\n\n"
        "   *Martín Abadi, Paul Barham, Jianmin Chen*\n   \n"
        "   Code: [https://github.com/tensorflow/tensorflow](https://github.com/tensorflow/tensorflow)\n"
    )
    [paper] = parsed.papers
    assert paper.title == "TensorFlow: A System for Large-Scale Machine Learning"
    assert paper.authors == ["Martín Abadi", "Paul Barham", "Jianmin Chen"]
    assert (paper.venue, paper.year, paper.line, paper.number) == ("OSDI", 2016, 5, 1)
    assert paper.code_url == "https://github.com/tensorflow/tensorflow"
    assert paper.section == "OSDI / 2016"
    assert paper.id == "osdi2016-tensorflow-a-system-for-large-scale-machine-learning"
    assert parsed.findings == []


def test_tabs_and_trailing_spaces() -> None:
    parsed = parse("### MICRO \n\n#### 2018\n\n1.\t**PermDNN: Efficient Things** MICRO 2018 \n")
    [paper] = parsed.papers
    assert (paper.title, paper.venue, paper.year) == ("PermDNN: Efficient Things", "MICRO", 2018)
    assert parsed.findings == []


def test_missing_suffix_takes_heading_values_and_is_reported() -> None:
    parsed = parse("### OSDI\n#### 2020\n11. **KungFu: Making Training Adaptive**\n")
    [paper] = parsed.papers
    assert (paper.venue, paper.year) == ("OSDI", 2020)
    assert (paper.venue_source, paper.year_source) == ("heading", "heading")
    assert codes(parsed) == [(3, "missing-suffix")]


def test_year_typo_in_entry_falls_back_to_heading() -> None:
    parsed = parse("### ASPLOS\n#### 2019\n3. **Bit-Tactical: Sparsity** ASPLOS 20189\n")
    [paper] = parsed.papers
    assert paper.year == 2019 and paper.year_source == "heading"
    assert codes(parsed) == [(3, "bad-year")]
    assert "20189" in parsed.findings[0].message


def test_a_volume_number_is_not_a_year_typo() -> None:
    parsed = parse("- [A Nature Paper Title](https://www.nature.com/articles/x) Nature 616\n")
    [paper] = parsed.papers
    assert (paper.title, paper.year) == ("A Nature Paper Title", None)
    assert "bad-year" not in {f.code for f in parsed.findings}


def test_year_heading_at_wrong_level_keeps_the_venue() -> None:
    parsed = parse("### ATC\n\n### 2018\n\n1. **Litz: Elastic Framework** ATC 2018\n")
    [paper] = parsed.papers
    assert (paper.venue, paper.year, paper.heading_venue) == ("ATC", 2018, "ATC")
    assert codes(parsed) == [(3, "year-heading-level")]


def test_venue_and_year_disagreeing_with_headings() -> None:
    parsed = parse("### OSDI\n#### 2020\n1. **Some Paper** SOSP 2019\n")
    [paper] = parsed.papers
    assert (paper.venue, paper.year) == ("SOSP", 2019)  # the entry's own words win
    assert codes(parsed) == [(3, "venue-mismatch"), (3, "year-mismatch")]


def test_category_badges_and_session_only_heading() -> None:
    parsed = parse(
        "### MLSys\n#### 2018 (Session only)\n"
        "1. **Paper A** MLSys 2018 ![](https://img.shields.io/badge/Training-red) "
        "![](https://img.shields.io/badge/Graph_Neural--Networks-blue)\n"
    )
    [paper] = parsed.papers
    assert paper.categories == ["Training", "Graph Neural-Networks"]
    assert (paper.venue, paper.year, paper.heading_note) == ("MLSys", 2018, "Session only")
    assert parsed.findings == []


def test_venue_alias_heading() -> None:
    parsed = parse("### SysML/MLSys\n#### 2020\n1. **Paper** MLSys 2020\n")
    assert parsed.findings == []


def test_linked_title_and_two_digit_year() -> None:
    parsed = parse("### NSDI\n#### 2019\n1. **[Tiresias](https://example.org/t.pdf)** NSDI '19\n")
    [paper] = parsed.papers
    assert (paper.title, paper.paper_url, paper.year) == (
        "Tiresias",
        "https://example.org/t.pdf",
        2019,
    )


def test_damaged_entries_are_kept_and_reported() -> None:
    parsed = parse(
        "### SC\n#### 2019\n"
        "1. **Unclosed bold title SC 2019\n"
        "2. Plain title without bold SC 2019\n"
        "3. **** SC 2019\n"
    )
    assert [p.title for p in parsed.papers] == [
        "Unclosed bold title",
        "Plain title without bold",
        "(untitled entry at line 5)",
    ]
    assert all((p.venue, p.year) == ("SC", 2019) for p in parsed.papers)
    assert (3, "malformed-entry") in codes(parsed)
    assert (4, "malformed-entry") in codes(parsed)
    assert any(line == 5 for line, _ in codes(parsed))


def test_unreadable_suffix_is_reported() -> None:
    parsed = parse("### ISCA\n#### 2017\n1. **Paper** (to appear)\n")
    [paper] = parsed.papers
    assert (paper.venue, paper.year) == ("ISCA", 2017)
    assert codes(parsed) == [(3, "unreadable-suffix")]


def test_duplicate_titles_name_both_lines() -> None:
    parsed = parse(
        "### SC\n#### 2018\n1. **TriCore: Parallel Triangle Counting** SC 2018\n"
        "### ISCA\n#### 2018\n1. **Tricore - parallel triangle counting.** ISCA 2018\n"
    )
    assert codes(parsed) == [(6, "duplicate-title")]
    assert "line 3" in parsed.findings[0].message
    assert len({p.id for p in parsed.papers}) == 2


def test_identical_entries_get_distinct_stable_ids() -> None:
    parsed = parse("### SC\n#### 2018\n1. **Same** SC 2018\n2. **Same** SC 2018\n")
    assert [p.id for p in parsed.papers] == ["sc2018-same", "sc2018-same-2"]


def test_contributors_and_bullets_are_not_papers() -> None:
    parsed = parse(
        "## Conference\n- [SysML](#sysml)\n1. a numbered note, not a paper\n"
        "## Papers\n### SC\n#### 2016\n1. **P** SC 2016\n"
        "## Contributors\nContributed by [Someone](https://github.com/someone).\n"
    )
    assert [p.title for p in parsed.papers] == ["P"]
    assert parsed.findings == []


def test_count_table_mismatch_prints_corrected_table() -> None:
    parsed = parse(
        "| Conferences | 2016 | 2017 |\n|---|---|---|\n"
        "| [OSDI](#osdi) | 2 | - |\n| [SOSP](#sosp) | - | 1 |\n\n"
        "### OSDI\n#### 2016\n1. **A** OSDI 2016\n#### 2017\n1. **B** OSDI 2017\n"
        "### NSDI\n#### 2017\n1. **C** NSDI 2017\n"
    )
    messages = [f.message for f in parsed.findings if f.code == "count-table"]
    assert "count table says OSDI 2016: 2, the list has 1" in messages
    assert "count table says OSDI 2017: 0, the list has 1" in messages
    assert "count table lists SOSP but the list has no SOSP papers" in messages
    assert any("NSDI" in m and "missing from the count table" in m for m in messages)
    table = render_count_table(parsed)
    assert "| OSDI | 1 | 1 |" in table
    assert "| NSDI | - | 1 |" in table


def test_invalid_utf8_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "list.md"
    path.write_bytes(
        b"### SC\n#### 2016\n- **Caf\xe9 Paper** SC 2016\n- **Good Paper** SC 2016\n"
        b"- **Other Paper** SC 2016\n"
    )
    parsed = parse_list_file(path)  # the same reading as the CLI's: the bad entry is skipped
    assert [p.title for p in parsed.papers] == ["Good Paper", "Other Paper"]
    assert (3, "invalid-utf8") in codes(parsed)


def test_empty_list_is_a_finding_not_a_crash() -> None:
    parsed = parse("# Nothing here\n\nJust prose.\n")
    assert parsed.papers == []
    assert codes(parsed) == [(0, "empty-list")]


# -- the real seed list ------------------------------------------------------------------

EXPECTED_COUNTS = {
    ("OSDI", 2016): 3, ("OSDI", 2018): 4, ("OSDI", 2020): 11, ("OSDI", 2021): 8,
    ("SOSP", 2017): 1, ("SOSP", 2019): 10,
    ("SIGMOD", 2016): 2, ("SIGMOD", 2017): 4, ("SIGMOD", 2018): 3, ("SIGMOD", 2019): 4,
    ("SIGMOD", 2020): 8, ("SIGMOD", 2021): 16,
    ("ASPLOS", 2017): 3, ("ASPLOS", 2018): 3, ("ASPLOS", 2019): 9, ("ASPLOS", 2020): 4,
    ("ATC", 2017): 2, ("ATC", 2018): 3, ("ATC", 2019): 5,
    ("PPoPP", 2017): 3, ("PPoPP", 2018): 5, ("PPoPP", 2019): 2,
    ("HPCA", 2017): 3, ("HPCA", 2018): 4, ("HPCA", 2019): 4, ("HPCA", 2020): 1,
    ("MICRO", 2017): 4, ("MICRO", 2018): 6, ("MICRO", 2019): 9,
    ("SC", 2016): 5, ("SC", 2018): 9, ("SC", 2019): 6,
    ("NSDI", 2017): 3, ("NSDI", 2019): 3,
    ("ISCA", 2017): 6, ("ISCA", 2018): 11, ("ISCA", 2019): 7,
}  # fmt: skip


def test_seed_list_parses_to_194_papers_with_pinned_counts() -> None:
    parsed = parse_list_file(SEED_LIST)
    assert len(parsed.papers) == 194
    assert Counter((p.venue, p.year) for p in parsed.papers) == EXPECTED_COUNTS
    assert len({p.id for p in parsed.papers}) == 194
    assert all(p.title and p.line > 0 for p in parsed.papers)


def test_seed_list_known_oddities() -> None:
    parsed = parse_list_file(SEED_LIST)
    found = {(f.code, f.line) for f in parsed.findings}
    by_title = {p.title: p for p in parsed.papers}
    kungfu = by_title["KungFu: Making Training in Distributed Machine Learning Adaptive"]
    assert ("missing-suffix", kungfu.line) in found
    bit_tactical = next(p for p in parsed.papers if p.title.startswith("Bit-Tactical"))
    assert ("bad-year", bit_tactical.line) in found and bit_tactical.year == 2019
    assert sum(code == "year-heading-level" for code, _ in found) == 4
    assert not any(code == "count-table" for code, _ in found)  # the seed table is right
    assert by_title["TensorFlow: A System for Large-Scale Machine Learning"].code_url == (
        "https://github.com/tensorflow/tensorflow"
    )
    assert by_title["VF^2Boost: Very Fast Vertical Federated Gradient Boosting for "
                    "Cross-Enterprise Learning"].year == 2021  # fmt: skip
    assert len(by_title["Privacy Budget Scheduling"].authors) == 6


# -- robustness --------------------------------------------------------------------------

MARKDOWN_BITS = st.sampled_from(
    ["### OSDI 2019\n1. **A Paper** ", "\n2. **B", "### OSDI 2019\n", "1. **A Paper** ", "\n\n",
     "### ", "#### ", "## ", "1. ", "**", "*", "_", "[", "](", ")", "![](", "|", "---", "\t",
     " ", "\n", "OSDI", "2019", "20189", "Code: ", "https://x.org/badge/A-b", "(", "'19", "é",
     "\ufffd", "<!--", "-->", "\u00a0"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(MARKDOWN_BITS, st.text(max_size=5)), max_size=40))
def test_no_input_makes_the_parser_crash(pieces: list[str]) -> None:
    text = "".join(pieces)
    parsed = parse_list(text.splitlines())
    lines = len(text.splitlines())
    assert all(0 <= f.line <= lines for f in parsed.findings)
    assert all(1 <= p.line <= lines for p in parsed.papers)
    # Nothing silently dropped: every numbered list item (as CommonMark reads the text) under a
    # venue and year heading that starts with a bold title is a paper. A line that CommonMark
    # does not read as a list item (a lazy paragraph continuation, code) is not an entry.
    lines_text = "\n".join(text.splitlines())  # what parse_list reads (splitlines splits \x85)
    tree = SyntaxTreeNode(MarkdownIt("commonmark").enable("table").parse(lines_text))
    under_venue = False
    for node in tree.children:  # the document's top-level blocks, in order
        if node.type == "heading":
            under_venue = _plain_heading(node) == "OSDI 2019"
        elif under_venue and node.type == "ordered_list":
            for item in node.children:
                first = item.children[0] if item.children else None
                if first is not None and first.type == "paragraph":
                    bold = first.children[0].children[:2]
                    if any(c.type == "strong" and c.children for c in bold):
                        assert any(p.line == (item.map or (0, 0))[0] + 1 for p in parsed.papers)


def _plain_heading(node: SyntaxTreeNode) -> str:
    return "".join(c.content for c in node.children[0].children if c.type == "text").strip()


def test_a_huge_list_parses_in_one_pass() -> None:
    """2,000 entries (README: parse under a second for 2,000; bench/run.py measures it)."""
    lines = []
    for venue in range(10):
        lines += [f"### V{venue}", ""]
        for year in range(2000, 2020):
            lines += [f"#### {year}", ""]
            lines += [
                f"{n}. **Paper {venue}-{year}-{n}: A Study** V{venue} {year}" for n in range(1, 11)
            ]
    parsed = parse_list(lines)
    assert len(parsed.papers) == 10 * 20 * 10
    assert len({p.id for p in parsed.papers}) == len(parsed.papers)
    assert parsed.findings == []


def test_bullet_entries_under_a_venue_heading() -> None:
    parsed = parse(
        "- **Star** this repository to follow it\n"
        "### OSDI\n#### 2022\n"
        "- **Orca: A Distributed Serving System** OSDI 2022 [[Paper]](https://example.org/orca.pdf)\n"
        "* **Another One** OSDI '22\n"
        "- a plain bullet note\n"
    )
    assert [(p.title, p.year, p.number) for p in parsed.papers] == [
        ("Orca: A Distributed Serving System", 2022, None),
        ("Another One", 2022, None),
    ]
    assert parsed.papers[0].paper_url == "https://example.org/orca.pdf"


# -- other lists' formats (the patterns of issue 14; examples made up, patterns real) ---------

FORMATS = [
    # prefix tags
    ("- [OSDI'22] [Orca: A Distributed Serving System](https://www.usenix.org/orca)\n",
     "Orca: A Distributed Serving System", "OSDI", 2022),
    ("- **[MLSys 2023]** FlexGen: High-Throughput Generative Inference\n",
     "FlexGen: High-Throughput Generative Inference", "MLSys", 2023),
    ("- 22-NSDI-Check-N-Run: a Checkpointing System for Training\n",
     "Check-N-Run: a Checkpointing System for Training", "NSDI", 2022),
    ("* (SOSP'19) PipeDream: Generalized Pipeline Parallelism\n",
     "PipeDream: Generalized Pipeline Parallelism", "SOSP", 2019),
    ("- [IEEE TKDE 2021] A Survey on Federated Learning Systems\n",
     "A Survey on Federated Learning Systems", "IEEE TKDE", 2021),
    # suffixes in many spellings
    ("- Llumnix: Dynamic Scheduling for LLM Serving | SOSP' 24\n",
     "Llumnix: Dynamic Scheduling for LLM Serving", "SOSP", 2024),
    ("- Sparse Tensor Algebra Compilation (VLDB 2021)\n",
     "Sparse Tensor Algebra Compilation", "VLDB", 2021),
    ("- [TensorFlow: A System for Large-Scale ML](https://x.org/tf.pdf)（2016）\n",
     "TensorFlow: A System for Large-Scale ML", None, 2016),
    ("- QLoRA: Efficient Finetuning <br> NeurIPS 2023 [[Paper]](https://arxiv.org/abs/2305.14314)\n",
     "QLoRA: Efficient Finetuning", "NeurIPS", 2023),
    ('- "Q-BERT: Hessian Based Quantization of BERT", AAAI, 2020. [[paper](https://x.org/q)]\n',
     "Q-BERT: Hessian Based Quantization of BERT", "AAAI", 2020),
    ("- [Some Title Here](https://x.org/p) ECCV-24\n",
     "Some Title Here", "ECCV", 2024),
    # the venue inside the link text, on the next line, in a sub-bullet
    ("- [Tabi: An Efficient Inference System EuroSys'23](https://dl.acm.org/doi/10.1145/1)\n",
     "Tabi: An Efficient Inference System", "EuroSys", 2023),
    ("- [Orca: Serving](https://x.org/o)\n  *Gyeong-In Yu, Joo Seong Jeong*\n  OSDI 22 - Jul 2022\n",
     "Orca: Serving", "OSDI", 2022),
    ("- [Gandiva: Introspective Cluster Scheduling](https://x.org/g)\n  - Wencong Xiao et al. (*OSDI 2018*)\n",
     "Gandiva: Introspective Cluster Scheduling", "OSDI", 2018),
    ("- SDMPrune: Self-Distillation MLP Pruning\n\n  Arxiv 2025  [[Paper]](https://arxiv.org/abs/2506.11120)\n",
     "SDMPrune: Self-Distillation MLP Pruning", "arXiv", 2025),
    # aliases to canonical labels
    ("- [Attention Is All You Need](https://arxiv.org/abs/1706.03762) NIPS 2017\n",
     "Attention Is All You Need", "NeurIPS", 2017),
    ("- [A Learned Index Paper](https://x.org/v.pdf) Proc. VLDB Endow. 2019\n",
     "A Learned Index Paper", "VLDB", 2019),
    ("- [Some Preprint Paper](https://x.org/p) CoRR 2021\n", "Some Preprint Paper", "arXiv", 2021),
    ("- [Pollux: Co-adaptive Cluster Scheduling](https://x.org/p) USENIX OSDI 2021\n",
     "Pollux: Co-adaptive Cluster Scheduling", "OSDI", 2021),
    ("- [Unknown Venue Paper Title](https://x.org/u) FooConf 2023\n",
     "Unknown Venue Paper Title", "FooConf", 2023),
    # nicknames, emoji, org tails
    ("- :fire: 🔥 [vAttention: Dynamic Memory Management](https://arxiv.org/abs/2405.04437) arXiv 2024\n",
     "vAttention: Dynamic Memory Management", "arXiv", 2024),
    ("- [DistServe] DistServe: Disaggregating Prefill and Decoding (@PKU) OSDI 2024\n",
     "DistServe: Disaggregating Prefill and Decoding", "OSDI", 2024),
    ("- [Mooncake: A KVCache-centric Architecture](https://arxiv.org/abs/2407.00079) | Moonshot AI\n",
     "Mooncake: A KVCache-centric Architecture", None, None),
    ("- Federated Learning with Fair Averaging. :fire:. [[PUB](https://www.ijcai.org/p/1)]\n",
     "Federated Learning with Fair Averaging", None, None),
    # a bold system name before the rest of the title; a venue link; a bold venue suffix
    ("- **FlexGen**: High-Throughput Inference with a Single GPU. ICML 2023. [paper](https://arxiv.org/abs/2303.06865)\n",
     "FlexGen: High-Throughput Inference with a Single GPU", "ICML", 2023),
    ("- Clipper: A Low-Latency Serving System ([NSDI'17](https://www.usenix.org/c.pdf))\n",
     "Clipper: A Low-Latency Serving System", "NSDI", 2017),
    ("* Orca: A Distributed Serving System, **OSDI 2022**, [paper](https://www.usenix.org/o)\n",
     "Orca: A Distributed Serving System", "OSDI", 2022),
    ("1. [PipeDream: Pipeline Parallelism](https://dl.acm.org/doi/1). Deepak Narayanan, Aaron Harlap. *SOSP 2019*.\n",
     "PipeDream: Pipeline Parallelism", "SOSP", 2019),
    # a month before the year; an arXiv id is no year (but names arXiv); authors first
    ("- [Mixtral of Experts](https://arxiv.org/abs/2401.04088) (arXiv, Jan 2024)\n",
     "Mixtral of Experts", "arXiv", 2024),
    ("- [Scaling Laws for Neural Language Models](https://arxiv.org/abs/2001.08361) - arXiv 2001.08361\n",
     "Scaling Laws for Neural Language Models", "arXiv", None),
    ("1. Dean, J., et al. Large Scale Distributed Deep Networks. NIPS 2012.\n",
     "Large Scale Distributed Deep Networks", "NeurIPS", 2012),
    # tags as code spans, badges and dates
    ("- `SC'20` [ZeRO-Offload: Democratizing Model Training](https://arxiv.org/abs/2101.06840)\n",
     "ZeRO-Offload: Democratizing Model Training", "SC", 2020),
    ("- ![](https://img.shields.io/badge/NeurIPS-2022-blue) [FlashAttention: Exact Attention](https://arxiv.org/abs/2205.14135)\n",
     "FlashAttention: Exact Attention", "NeurIPS", 2022),
    ("- [2023/10] [Efficient Streaming Language Models](https://arxiv.org/abs/2309.17453)\n",
     "Efficient Streaming Language Models", None, 2023),
    ("- *Learning Transferable Visual Models*, ICML 2021\n",
     "Learning Transferable Visual Models", "ICML", 2021),
]  # fmt: skip


def test_authors_after_the_year_and_surname_first() -> None:
    parsed = parse(
        "- **Distilling the knowledge in a neural network** (2015), G. Hinton et al. "
        "[[pdf]](http://arxiv.org/pdf/1503.02531)\n"
        "- Li, M., et al. Scaling Distributed Machine Learning with the Parameter Server. OSDI 2014.\n"
    )
    assert [(p.title, p.year, p.authors) for p in parsed.papers] == [
        ("Distilling the knowledge in a neural network", 2015, ["G. Hinton"]),
        ("Scaling Distributed Machine Learning with the Parameter Server", 2014, ["Li, M."]),
    ]


@pytest.mark.parametrize(("text", "title", "venue", "year"), FORMATS)
def test_entry_formats(text: str, title: str, venue: str | None, year: int | None) -> None:
    [paper] = parse(text).papers
    assert (paper.title, paper.venue, paper.year) == (title, venue, year)
    assert paper.venue_source == ("entry" if venue else "heading")


def test_citation_style_gives_authors_and_links() -> None:
    parsed = parse(
        "- [Learning to Optimize Halide](https://x.org/p.pdf) - Andrew Adams, Karima Ma, "
        "Luke Anderson. SIGGRAPH 2019.\n"
        "- [**Efficient Memory Management for LLM Serving.**](https://arxiv.org/abs/2309.06180) "
        "_Woosuk Kwon, Zhuohan Li._ SOSP 2023. [[Code]](https://github.com/vllm-project/vllm)\n"
    )
    halide, vllm = parsed.papers
    assert (halide.authors, halide.venue, halide.year) == (
        ["Andrew Adams", "Karima Ma", "Luke Anderson"],
        "SIGGRAPH",
        2019,
    )
    assert halide.paper_url == "https://x.org/p.pdf"
    assert vllm.title == "Efficient Memory Management for LLM Serving"
    assert vllm.authors == ["Woosuk Kwon", "Zhuohan Li"]
    assert (vllm.paper_url, vllm.code_url) == (
        "https://arxiv.org/abs/2309.06180",
        "https://github.com/vllm-project/vllm",
    )


def test_tables_with_title_venue_year_or_date_columns() -> None:
    parsed = parse(
        "| Title | Venue | Year | Materials |\n|---|---|---|---|\n"
        "| [DistServe] DistServe: Disaggregating Prefill 🚀 | OSDI | 2024 |"
        " [[PUB](https://www.usenix.org/d)] [[CODE](https://github.com/d/d)] |\n"
        "| Swarm Learning for Decentralized Clinical ML :star: | Nature :mortar_board: | 2021 | |\n"
        "\n| Date | Title | Paper | Code |\n|---|---|---|---|\n"
        "| 2023.11 | Splitwise: Efficient Generative LLM Inference (@Microsoft) |"
        " [[arXiv]](https://arxiv.org/abs/2311.18677) | [code](https://github.com/s/s) |\n"
    )
    assert [(p.title, p.venue, p.year, p.line) for p in parsed.papers] == [
        ("DistServe: Disaggregating Prefill", "OSDI", 2024, 3),
        ("Swarm Learning for Decentralized Clinical ML", "Nature", 2021, 4),
        ("Splitwise: Efficient Generative LLM Inference", None, 2023, 8),
    ]
    distserve, _, splitwise = parsed.papers
    assert (distserve.paper_url, distserve.code_url) == (
        "https://www.usenix.org/d",
        "https://github.com/d/d",
    )
    assert splitwise.paper_url == "https://arxiv.org/abs/2311.18677"


def test_a_table_of_frameworks_is_not_papers() -> None:
    parsed = parse(
        "| Platform | Papers | Affiliations |\n|---|---|---|\n"
        "| [PySyft](https://github.com/OpenMined/PySyft) | [A generic framework](https://arxiv.org/abs/1) | OpenMined |\n"
    )
    assert parsed.papers == []


def test_topic_headings_year_headings_and_venue_headings() -> None:
    parsed = parse(
        "# My List\n## Training\n### Serving\n"
        "- [Paper Under Topics Only](https://arxiv.org/abs/1)\n"
        "## Papers by year\n### 2022\n#### OSDI\n- [Unity: Accelerating DNN Training](https://x.org/u)\n"
        "#### Mach Learn\n- [A Journal Paper Title](https://x.org/j)\n"
        "## [OSDI 2021]\n- [Pollux: Co-adaptive Scheduling](https://x.org/p)\n"
    )
    assert [(p.title, p.venue, p.year, p.section) for p in parsed.papers] == [
        ("Paper Under Topics Only", None, None, "Training / Serving"),
        ("Unity: Accelerating DNN Training", "OSDI", 2022, "OSDI / 2022"),
        ("A Journal Paper Title", "Mach Learn", 2022, "Mach Learn / 2022"),
        ("Pollux: Co-adaptive Scheduling", "OSDI", 2021, "OSDI / 2021"),
    ]
    assert parsed.papers[1].venue_source == "heading"


def test_details_summary_year_blocks() -> None:
    parsed = parse(
        "## Serving\n<details><summary>2024</summary>\n\n"
        "- [Llumnix: Dynamic Scheduling](https://arxiv.org/abs/2406.03243) OSDI\n\n"
        "</details>\n\n- [Later Paper: Outside The Block](https://arxiv.org/abs/1) ICML\n"
    )
    assert [(p.title, p.venue, p.year, p.line) for p in parsed.papers] == [
        ("Llumnix: Dynamic Scheduling", "OSDI", 2024, 4),
        ("Later Paper: Outside The Block", "ICML", None, 8),
    ]


def test_noise_is_not_papers() -> None:
    parsed = parse(
        "# A List [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)\n"
        "## Contents\n- [Papers](#papers)\n  - [Serving](#serving)\n"
        "## Frameworks\n- [vLLM](https://github.com/vllm-project/vllm) - A fast engine (OSDI 2023)\n"
        "## Courses\n- [CS294: ML Systems, Fall 2023](https://x.org) by Someone, 2023\n"
        "## Talks\n- [Scaling Serving Systems to Many GPUs](https://youtu.be/x) - Keynote 2024\n"
        "## Papers\n<!--\n- [Commented Out: A Paper](https://arxiv.org/abs/1) OSDI 2020\n-->\n"
        "- [Kept: A Paper](https://arxiv.org/abs/2) OSDI 2020 <!-- inline note --> "
        "![](https://img.shields.io/badge/Serving-blue)\n"
        "- [MLSys](https://mlsys.org) 2024, 2023\n"
        "- Database (SIGMOD, ICDE, VLDB)\n"
    )
    assert [(p.title, p.venue, p.year, p.categories) for p in parsed.papers] == [
        ("Kept: A Paper", "OSDI", 2020, ["Serving"]),
    ]


def test_zero_entries_explain_what_the_lines_looked_like() -> None:
    parsed = parse("# Links\n\n- [Papers](#papers)\n- Some plain note\n")
    assert parsed.papers == []
    empty, *rest = parsed.findings
    assert empty.code == "empty-list" and empty.line == 0
    assert "2 list items and 0 table rows" in empty.message
    assert "Expected list items or table rows with a paper title" in empty.message
    assert [(f.line, f.code) for f in rest] == [(3, "not-a-paper"), (4, "not-a-paper")]
    assert "table of contents" in rest[0].message


def test_a_project_venue_file_adds_aliases(tmp_path: Path) -> None:
    venues_file = tmp_path / "venues.toml"
    venues_file.write_text(
        "[OSDI]\naliases = ['Operating Systems Design']\n[MyConf]\naliases = ['MYC']\n",
        encoding="utf-8",
    )
    table = load_venues(venues_file)
    assert table.canonical("Operating Systems Design") == "OSDI"
    assert table.canonical("USENIX OSDI") == "OSDI"  # the shipped aliases stay
    assert table.find("OSDI") is not None and table.find("OSDI").tocs(2020) == [  # type: ignore[union-attr]
        "db/conf/osdi/osdi2020.bht"
    ]
    parsed = parse_list(["- [A Paper Title](https://arxiv.org/abs/1) MYC 2024"], venues=table)
    assert parsed.papers[0].venue == "MyConf"
    assert load_venues(tmp_path / "absent.toml").find("NIPS") is not None  # shipped table
    with pytest.raises(InputError, match="absent.toml: no such venue file"):
        load_venues(tmp_path / "absent.toml", required=True)
    assert shipped_venues().find("CoRR").preprint  # type: ignore[union-attr]


def test_sub_bullets_are_papers_under_a_topic_bullet_and_details_under_a_paper() -> None:
    parsed = parse(
        "## Papers\n- Training\n  - Paper One Title (OSDI 2020)\n  - Paper Two Title (SOSP 2019)\n"
        "- [Tiresias: A GPU Cluster Manager](https://x.org/t)\n"
        "  - Code: [github](https://github.com/x/y)\n  - Juncheng Gu, Mosharaf Chowdhury\n"
        "  - NSDI 2019\n"
    )
    assert [(p.title, p.venue, p.year, p.authors) for p in parsed.papers] == [
        ("Paper One Title", "OSDI", 2020, []),
        ("Paper Two Title", "SOSP", 2019, []),
        ("Tiresias: A GPU Cluster Manager", "NSDI", 2019, ["Juncheng Gu", "Mosharaf Chowdhury"]),
    ]
    assert parsed.papers[2].code_url == "https://github.com/x/y"


def test_tables_as_llm_lists_write_them() -> None:
    parsed = parse(
        "## Contents\n* [Attention](#attention)\n### Attention\n\n"
        "|Date|Title|Paper|Code|Recom|\n|:---:|:---:|:---:|:---:|:---:|\n"
        "|2022.05|🔥[**FlashAttention**] Fast and Memory-Efficient Exact Attention with "
        "IO-Awareness(@Stanford University etc)|[[pdf]](https://arxiv.org/pdf/2205.14135.pdf)|"
        "[[flash-attention]](https://github.com/Dao-AILab/flash-attention)|⭐️⭐️ |\n\n"
        "| Title & Authors | Introduction | Links |\n|:--|:--:|:--:|\n"
        "|[![Star](https://img.shields.io/github/stars/a/b.svg)](https://github.com/a/b)<br>"
        "[SmoothQuant: Accurate Post-Training Quantization](https://arxiv.org/abs/2211.10438)"
        " <br> Guangxuan Xiao, Ji Lin | <img src='x.png'> |[Github](https://github.com/a/b)|\n"
    )
    flash, smooth = parsed.papers
    assert (flash.title, flash.year, flash.paper_url, flash.code_url) == (
        "Fast and Memory-Efficient Exact Attention with IO-Awareness",
        2022,
        "https://arxiv.org/pdf/2205.14135.pdf",
        "https://github.com/Dao-AILab/flash-attention",
    )
    assert (smooth.title, smooth.authors, smooth.code_url) == (
        "SmoothQuant: Accurate Post-Training Quantization",
        ["Guangxuan Xiao", "Ji Lin"],
        "https://github.com/a/b",
    )


# -- forms seen on lists nobody here tuned for (all examples invented) -------------------


def summary(parsed: ParsedList) -> list[tuple[str, str | None, int | None]]:
    return [(p.title, p.venue, p.year) for p in parsed.papers]


def test_paragraph_entry_with_hard_breaks() -> None:
    parsed = parse(
        "## Serving\n\n"
        "**Fast Widget Serving** \\\n*A. Author, B. Author* \\\n"
        "NeurIPS 2024 [[Paper](https://arxiv.org/abs/2401.00001)] [[Code](https://github.com/x/w)]\n"
    )
    [paper] = parsed.papers
    assert (paper.title, paper.venue, paper.year, paper.line) == (
        "Fast Widget Serving",
        "NeurIPS",
        2024,
        3,
    )
    assert paper.authors == ["A. Author", "B. Author"]
    assert (paper.paper_url, paper.code_url) == (
        "https://arxiv.org/abs/2401.00001",
        "https://github.com/x/w",
    )
    assert paper.section == "Serving"


def test_paragraph_entries_separated_by_blank_lines() -> None:
    parsed = parse(
        "## Serving\n\n**Fast Widget Serving**\n\n*A. Author, B. Author*\n\n"
        "NeurIPS 2024 [[Paper](https://arxiv.org/abs/2401.00001)]\n\n"
        "**Slow Gadget Serving**\n\n*C. Author*\n\nOSDI 2023 [[Paper](https://example.org/slow.pdf)]\n"
    )
    assert [(p.title, p.venue, p.year, p.authors, p.line) for p in parsed.papers] == [
        ("Fast Widget Serving", "NeurIPS", 2024, ["A. Author", "B. Author"], 3),
        ("Slow Gadget Serving", "OSDI", 2023, ["C. Author"], 9),
    ]


def test_a_lone_link_in_its_own_paragraph_is_a_paper() -> None:
    parsed = parse(
        "## Scheduling\n\n[Widget: a scheduler for clusters](https://example.org/widget.pdf)\n\n"
        "[Gadget: Placing Jobs Across Racks](https://example.org/gadget)\n\n"
        "[Back to top](#scheduling)\n\n[Widget source code](https://github.com/x/widget)\n"
    )
    assert [(p.title, p.paper_url) for p in parsed.papers] == [
        ("Widget: a scheduler for clusters", "https://example.org/widget.pdf"),
        ("Gadget: Placing Jobs Across Racks", "https://example.org/gadget"),
    ]


def test_prose_badges_and_noise_paragraphs_are_not_papers() -> None:
    parsed = parse(
        "# Awesome Widgets\n\n"
        "This is a curated list of papers about widgets. **Contributions** are welcome.\n\n"
        "[![Awesome](https://awesome.re/badge.svg)](https://awesome.re)\n\n"
        "**Accompanying Blogpost**: [widgets.example.org/post](https://widgets.example.org/post)\n\n"
        "## Tools\n\n[Widget Toolkit for Everyone](https://example.org/toolkit)\n\n"
        "## Talks\n\n**A Talk About Widgets** \\\nWidgetConf 2023 [[Video](https://youtube.com/x)]\n"
    )
    assert parsed.papers == []
    assert codes(parsed)[0] == (0, "empty-list")


def test_nickname_links_make_the_title() -> None:
    parsed = parse(
        "- [Widget](https://arxiv.org/abs/2401.00001): Fast Serving of Widgets | MLSys' 26\n"
        "- [Gadget](https://example.org/g) : Serving Gadgets Cheaply | OSDI'24\n"
        "- [Sprocket:](https://arxiv.org/abs/2401.00002) Caching for Sprockets | Lab X\n"
    )
    assert summary(parsed) == [
        ("Widget: Fast Serving of Widgets", "MLSys", 2026),
        ("Gadget: Serving Gadgets Cheaply", "OSDI", 2024),
        ("Sprocket: Caching for Sprockets", None, None),
    ]
    assert parsed.papers[0].paper_url == "https://arxiv.org/abs/2401.00001"


def test_a_bold_name_before_a_quoted_title() -> None:
    parsed = parse(
        '* **Widget**: "Widget: Serving at Scale", NeurIPS, 2021 (*Lab X*). '
        "[[Paper](https://arxiv.org/abs/2101.00001)]\n"
        '* **?**: "Gadgets Without Names", arXiv, 2022 (*Lab Y*). [[Paper](https://arxiv.org/abs/2201.00001)]\n'
    )
    assert summary(parsed) == [
        ("Widget: Serving at Scale", "NeurIPS", 2021),
        ("Gadgets Without Names", "arXiv", 2022),
    ]


@pytest.mark.parametrize(
    ("text", "title", "venue", "year"),
    [
        ("- code [Widget Serving OSDI'22](https://github.com/x/widget)", "Widget Serving", "OSDI", 2022),
        ("- [Widget Serving](https://example.org/w) EuroSys'22", "Widget Serving", "EuroSys", 2022),
        ("- paper: Widget Serving (NSDI 2023)", "Widget Serving", "NSDI", 2023),
        ("- [x] [Widget Serving, SIGMOD, 2008](https://example.org/w.pdf)", "Widget Serving", "SIGMOD", 2008),
        ("- [ ] [Widget Serving, 2014, SIGMOD](https://example.org/w.pdf)", "Widget Serving", "SIGMOD", 2014),
        ("- [ ] [How Good Are Widgets, Really?, 2015](https://example.org/w.pdf)", "How Good Are Widgets, Really?", None, 2015),
        ("- [ ] [Widget Cascades, Widget Engineering Bulletin, 1995](https://example.org/w.pdf)", "Widget Cascades", "Widget Engineering Bulletin", 1995),
    ],
)  # fmt: skip
def test_a_leading_word_and_the_venue_inside_or_after_the_link(
    text: str, title: str, venue: str | None, year: int | None
) -> None:
    assert summary(parse(text)) == [(title, venue, year)]


def test_unknown_venues_with_a_year_keep_their_label() -> None:
    parsed = parse(
        "* Widget Tuning for Storage (HotStorage 2020)\n"
        "* Gadget Cleaning for Pipelines (DEEM 2024)\n"
        "* Sprocket Health Records (LifeTech 2020)\n"
        "* Widget Graphs in Soft Computing (Appl. Soft Comput. 2021)\n"
        "* A Widget Accelerator for Graphs (MICRO2020)\n"
    )
    assert summary(parsed) == [
        ("Widget Tuning for Storage", "HotStorage", 2020),
        ("Gadget Cleaning for Pipelines", "DEEM", 2024),
        ("Sprocket Health Records", "LifeTech", 2020),
        ("Widget Graphs in Soft Computing", "Appl. Soft Comput.", 2021),
        ("A Widget Accelerator for Graphs", "MICRO", 2020),
    ]


def test_citation_style_entries() -> None:
    parsed = parse(
        '- Author, Given, et al. "Widget serving at scale." Proceedings of X (2019).\n'
        '- "Gadgets are all you need." arXiv preprint arXiv:1911.02549 (2019).\n'
        '- Doe, Jane, and John Roe. ["Sprockets in the wild."](https://example.org/s.pdf) '
        "Journal of Sprockets 34, no. 2 (2006): 16-28.\n"
        '1. - [x] Roe, John, et al. "**Deep widgets for image recognition**." '
        "CVPR(2017). [[pdf]](https://arxiv.org/abs/1701.00001) (**WidgetNet**)\n"
    )
    assert [(p.title, p.venue, p.year, p.authors) for p in parsed.papers] == [
        ("Widget serving at scale", "Proceedings of X", 2019, ["Author, Given"]),
        ("Gadgets are all you need", "arXiv", 2019, []),
        ("Sprockets in the wild", "Journal of Sprockets", 2006, ["Doe, Jane", "John Roe"]),
        ("Deep widgets for image recognition", "CVPR", 2017, ["Roe, John"]),
    ]
    assert parsed.papers[2].paper_url == "https://example.org/s.pdf"


def test_a_title_with_quotes_inside_is_no_citation() -> None:
    parsed = parse('- Counting Widgets in "Alcatraz": A Private Approach (ICDE 2020)\n')
    assert [(p.title, p.authors) for p in parsed.papers] == [
        ('Counting Widgets in "Alcatraz": A Private Approach', [])
    ]


def test_authors_line_then_bold_title_then_venue_line() -> None:
    parsed = parse(
        "## Storage\n\n- A. Author, B. Author, and C. Author.  \n"
        "  **Widget Stores: A Column-Oriented Design.**  \n"
        "  *Proceedings of the Conference on Innovative Widget Research (CIWR)*, pp. 225–237, 2005.\n\n"
        "- D. Author and E. Author.  \n  **Gadget Joins Revisited.**  \n"
        "  *Proceedings of the ACM SIGMOD International Conference on Management of Data*, "
        "pp. 1–12, 2008.\n"
    )
    assert [(p.title, p.venue, p.year, p.authors) for p in parsed.papers] == [
        ("Widget Stores: A Column-Oriented Design", "CIWR", 2005, ["A. Author", "B. Author", "C. Author"]),
        ("Gadget Joins Revisited", "SIGMOD", 2008, ["D. Author", "E. Author"]),
    ]  # fmt: skip


def test_a_venue_line_under_a_bold_quoted_title() -> None:
    parsed = parse(
        '### 1. Widgets\n* **"Efficient estimation of widgets."**\n  * Author et al. ICLR. 2013.\n'
        '* **"Widget phrase models."**\n  * Roe. EMNLP. 2014.\n'
    )
    assert [(p.title, p.venue, p.year, p.line) for p in parsed.papers] == [
        ("Efficient estimation of widgets", "ICLR", 2013, 2),
        ("Widget phrase models", "EMNLP", 2014, 4),
    ]


def test_tables_with_venue_columns_named_otherwise() -> None:
    parsed = parse(
        "| Title | Pub. & Date | Code |\n|---|---|---|\n"
        "| Widget Serving | OSDI 2024 | [code](https://github.com/x/y) |\n\n"
        "| Paper | Where |\n|---|---|\n| Gadget Caching | SOSP'25 |\n\n"
        "| Paper | Conf. |\n|---|---|\n| Sprocket Tuning | NSDI'23 |\n\n"
        "| Name | Published |\n|---|---|\n| Widget Joins | VLDB 2021 |\n\n"
        "| Number | Paper | Journal or Conference | URL |\n|---|---|---|---|\n"
        "| 1 | Widget Graphs | ICLR 2017 | https://openreview.net/forum?id=x |\n"
    )
    assert summary(parsed) == [
        ("Widget Serving", "OSDI", 2024),
        ("Gadget Caching", "SOSP", 2025),
        ("Sprocket Tuning", "NSDI", 2023),
        ("Widget Joins", "VLDB", 2021),
        ("Widget Graphs", "ICLR", 2017),
    ]
    assert parsed.papers[0].code_url == "https://github.com/x/y"
    assert parsed.papers[4].paper_url == "https://openreview.net/forum?id=x"


def test_a_table_venue_column_recognised_by_its_content() -> None:
    parsed = parse(
        "| Paper | Note | Link |\n|---|---|---|\n"
        "| Widget Serving | SOSP'25 | [pdf](https://example.org/a.pdf) |\n"
        "| Gadget Serving | OSDI 2024 | [pdf](https://example.org/b.pdf) |\n"
        "| Sprocket Serving | arXiv 2501 | [pdf](https://example.org/c.pdf) |\n"
        "| Cog Serving | - | [pdf](https://example.org/d.pdf) |\n"
    )
    assert summary(parsed) == [
        ("Widget Serving", "SOSP", 2025),
        ("Gadget Serving", "OSDI", 2024),
        ("Sprocket Serving", "arXiv", 2025),
        ("Cog Serving", None, None),
    ]


def test_a_table_note_column_of_words_is_no_venue() -> None:
    parsed = parse(
        "| Paper | Note | Year |\n|---|---|---|\n| Widget Serving | fast | 2021 |\n"
        "| Gadget Serving | OSDI 2024 | 2024 |\n| Cog Serving | cheap | 2020 |\n"
    )
    assert summary(parsed) == [
        ("Widget Serving", None, 2021),
        ("Gadget Serving", None, 2024),
        ("Cog Serving", None, 2020),
    ]


def test_the_venue_year_beats_a_date_column() -> None:
    parsed = parse(
        "| Date | Paper | Publication |\n|---|---|---|\n"
        "| 2018-10 | [Widget Pre-training](https://example.org/w.pdf) | NAACL 2019 |\n"
        "| 2020-01 | [Widget Scaling Laws](https://arxiv.org/abs/2001.00001) | - |\n"
    )
    assert summary(parsed) == [
        ("Widget Pre-training", "NAACL", 2019),
        ("Widget Scaling Laws", None, 2020),
    ]


def test_headings_of_real_lists() -> None:
    parsed = parse(
        "# Awesome-Widget-Software-Security\n\n## Research Papers\n\n### Security Conferences\n\n"
        "#### 2025\n\n##### USENIX Security\n\n- iWidget: Hunting Widgets at Scale\n"
        "  - [Paper](https://www.usenix.org/conference/usenixsecurity25/presentation/x)\n\n"
        "### ACM Conference on Computer and Communications Security (CCS)\n\n"
        "* **Directed Widget Fuzzing** (2017)\n\n"
        "### Optimizer Framework\n\n- [Widget Optimizer](https://example.org/o.pdf) (1987) - Roe, John.\n\n"
        "## Frameworks\n\n- [WidgetLib](https://github.com/x/widgetlib) (2020)\n"
    )
    assert summary(parsed) == [
        ("iWidget: Hunting Widgets at Scale", "USENIX Security", 2025),
        ("Directed Widget Fuzzing", "CCS", 2017),
        ("Widget Optimizer", None, 1987),
    ]


def test_a_liquid_tag_in_a_link_is_still_the_link() -> None:
    parsed = parse(
        "## Big Data\n\n[Widget: Simplified Widget Processing]({{ site.baseurl }}/papers/w.pdf) "
        "[USENIX OSDI 2004]\n\n[The Widget Storage System]({{ site.baseurl }}/papers/s.pdf) "
        "[ACM Transactions on Computer Systems] (*optional*)\n"
    )
    assert [(p.title, p.venue, p.year, p.paper_url) for p in parsed.papers] == [
        ("Widget: Simplified Widget Processing", "OSDI", 2004, "/papers/w.pdf"),
        (
            "The Widget Storage System",
            "ACM Transactions on Computer Systems",
            None,
            "/papers/s.pdf",
        ),
    ]


def parse_cli(tmp_path: Path, text: str) -> subprocess.CompletedProcess[str]:
    """`mlsys-bib parse --list X --work DIR` on `text`, as a maintainer runs it (in this process)."""
    listed = tmp_path / "list.md"
    listed.write_text(text, encoding="utf-8")
    return run_cli("parse", "--list", str(listed), "--work", str(tmp_path / "w"), cwd=ROOT)


def test_cli_finds_every_paragraph_entry(tmp_path: Path) -> None:
    entries = [
        f"**Widget Study Number {n}** \\\n*A. Author, B. Author* \\\n"
        f"OSDI {2000 + n} [[Paper](https://example.org/{n}.pdf)]\n"
        for n in range(1, 8)
    ]
    text = "# Widget Papers\n\nPapers about widgets, one paragraph each.\n\n## Serving\n\n"
    text += "\n".join(entries) + "\n- [Widget Study Number 8](https://arxiv.org/abs/2401.00008)\n"
    done = parse_cli(tmp_path, text)
    assert done.returncode == 0, done.stderr
    written = json.loads((tmp_path / "w" / "parse.json").read_text())
    assert [(p["title"], p["year"]) for p in written["papers"]] == [
        *((f"Widget Study Number {n}", 2000 + n) for n in range(1, 8)),
        ("Widget Study Number 8", None),
    ]


def test_cli_exits_2_and_explains_a_list_with_no_papers(tmp_path: Path) -> None:
    done = parse_cli(
        tmp_path,
        "# Widget Resources\n\nA few things about widgets.\n\n## Tools\n\n"
        "- [WidgetKit](https://github.com/x/widgetkit)\n\n## Contents\n\n- [Tools](#tools)\n",
    )
    assert done.returncode == 2
    said = done.stdout + done.stderr
    assert (
        "no paper entries found in the list (2 list items and 0 table rows, 1 paragraphs)" in said
    )
    assert "in a section of tools, courses, talks or contents" in said
    assert not (tmp_path / "w" / "parse.json").exists()


def test_a_venue_written_two_ways_is_named_once_per_other_spelling() -> None:
    parsed = parse(
        "# Papers\n"
        "- Invented Title About Caches (KDD workshop 2021)\n"
        "- Invented Title About Queues (KDD workshop 2022)\n"
        "- Invented Title About Graphs (KDD Workshop 2023)\n"
        "- Invented Title About Trees (Big Data 2020)\n"
        "- Invented Title About Logs (BigData 2021)\n"
        "- Invented Title About Locks (OSDI 2020)\n"
    )
    findings = [f for f in parsed.findings if f.code == "venue-spellings"]
    assert [(f.line, f.severity) for f in findings] == [
        (4, Severity.WARNING),
        (6, Severity.WARNING),
    ]
    assert "'KDD Workshop' (1 entry) and 'KDD workshop' (2 entries, first at line 2)" in (
        findings[0].message
    )
    assert "'BigData' (1 entry) and 'Big Data' (1 entry, first at line 5)" in findings[1].message
