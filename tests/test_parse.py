"""The parse stage: format variations inline, the whole real list, and a no-crash property."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.models import ParsedList
from pipeline.parse import parse_list, parse_list_file, render_count_table

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
    path.write_bytes(b"### SC\n#### 2016\n1. **Caf\xe9 Paper** SC 2016\n")
    parsed = parse_list_file(path)
    [paper] = parsed.papers
    assert paper.title == "Caf\ufffd Paper"
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
    ["### ", "#### ", "## ", "1. ", "**", "*", "_", "[", "](", ")", "![](", "|", "---", "\t",
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
    # Every numbered bold entry becomes a paper: nothing silently dropped.
    assert len(parsed.papers) >= sum(
        1
        for line in text.splitlines()
        if line.lstrip()[:1].isdigit()
        and ". **" in line
        and line.lstrip().split(".", 1)[0].isdigit()
        and len(line.lstrip().split(".", 1)[0]) <= 6
    )


def test_a_huge_list_parses_in_one_pass() -> None:
    lines = []
    for venue in range(50):
        lines += [f"### V{venue}", ""]
        for year in range(2000, 2020):
            lines += [f"#### {year}", ""]
            lines += [
                f"{n}. **Paper {venue}-{year}-{n}: A Study** V{venue} {year}" for n in range(1, 21)
            ]
    parsed = parse_list(lines)
    assert len(parsed.papers) == 50 * 20 * 20
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
