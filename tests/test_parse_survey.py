"""Forms seen in a survey of real lists of 2023-2026 and of fields beyond ML systems (LLM
surveys, databases, compilers, HCI, security, robotics), each written here with invented
titles."""

from __future__ import annotations

import pytest

from pipeline.models import ParsedList
from pipeline.parse import parse_list


def parse(text: str) -> ParsedList:
    return parse_list(text.splitlines(), source="survey.md")


def read(text: str) -> list[tuple[str, str | None, int | None]]:
    return [(p.title, p.venue, p.year) for p in parse(text).papers]


# -- dates ------------------------------------------------------------------------------------
def test_a_year_and_month_after_the_last_comma_is_the_date_not_the_title() -> None:
    """Lists of surveys write `Title, 2023.11 [[paper]](url)`: the date closes the title."""
    text = """\
# Widget Surveys

- A Survey of Widget Models, 2023.11 [[paper]](https://arxiv.org/abs/2303.00001)[[project]](https://github.com/x/y)
- Gizmo Alignment: A Comprehensive Survey, 2024.2.12 [[paper]](https://arxiv.org/abs/2402.00002)
- Widgets, Gizmos, and Sprockets: A Review, 2023.09  [[paper]](https://arxiv.org/abs/2309.00003)
"""
    assert read(text) == [
        ("A Survey of Widget Models", None, 2023),
        ("Gizmo Alignment: A Comprehensive Survey", None, 2024),
        ("Widgets, Gizmos, and Sprockets: A Review", None, 2023),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "- **Widget Heuristics for Gizmo Design**. (Jan 1995)",
        "- Widget Heuristics for Gizmo Design (Sept. 1995) [[pdf]](https://example.org/w.pdf)",
        "- [Widget Heuristics for Gizmo Design](https://example.org/w.pdf) (July 1995)",
    ],
)
def test_a_month_and_year_in_brackets_is_a_date_not_a_venue(line: str) -> None:
    assert read(f"# Papers\n\n{line}\n") == [("Widget Heuristics for Gizmo Design", None, 1995)]


def test_a_month_and_year_heading_gives_the_year() -> None:
    text = (
        "# Papers\n\n## Jan 2024\n\n- [Widget Folding at Scale](https://arxiv.org/abs/2401.00001)\n"
    )
    assert read(text) == [("Widget Folding at Scale", None, 2024)]


# -- authors and links after the title ---------------------------------------------------
def test_authors_after_by_lose_the_word() -> None:
    """Compiler lists write `[Title](url) by A. Author et al., VENUE YEAR`."""
    text = """\
# Widget Compilers

- [Gizmo: A Compiler for Widget Programs](https://arxiv.org/abs/2101.00001) by Ada Widget et al., ASPLOS 2023
- [Sprocket IR for Widgets](https://dl.acm.org/doi/10.1145/1) by Bo Gizmo, Cy Sprocket et al., PLDI 2022
"""
    papers = parse(text).papers
    assert [(p.title, p.venue, p.year, p.authors) for p in papers] == [
        ("Gizmo: A Compiler for Widget Programs", "ASPLOS", 2023, ["Ada Widget"]),
        ("Sprocket IR for Widgets", "PLDI", 2022, ["Bo Gizmo", "Cy Sprocket"]),
    ]


@pytest.mark.parametrize("label", ["Source Code", "Source code", "GitHub Link", "PyTorch Code"])
def test_a_code_link_after_the_venue_is_a_material(label: str) -> None:
    """Database lists write `Title (VENUE YEAR) [Source Code](url)`: the link is no title."""
    line = f"* Learned Widget Indexes (SIGMOD 2020) [{label}](https://github.com/x/widget)"
    papers = parse(f"# Papers\n\n{line}\n").papers
    assert [(p.title, p.venue, p.year, p.code_url) for p in papers] == [
        ("Learned Widget Indexes", "SIGMOD", 2020, "https://github.com/x/widget")
    ]


# -- a system's name before the title ------------------------------------------------------
def test_a_bold_name_before_a_quoted_title_is_not_the_title() -> None:
    """Robotics lists write `**Name** "Title", *arXiv, Mar 2023*`, with or without a colon
    and with names of several words."""
    text = """\
# Widget Robotics

* **WidgetBench** "Where are we in the search for a widget cortex?" *arXiv, Mar 2023*. [[Paper](https://arxiv.org/abs/2303.00001)]
* **Don't Fold the Gizmo**: "Don't Fold the Gizmo: Data Challenges in Widget Dialogue", *EMNLP, 2022*. [[Paper](https://arxiv.org/abs/2210.00002)]
* **Gizmo**: "Gizmo: Widget Planning with Language", *ICRA, 2024*. [[Paper](https://arxiv.org/abs/2401.00003)]
"""
    assert read(text) == [
        ("Where are we in the search for a widget cortex?", "arXiv", 2023),
        ("Don't Fold the Gizmo: Data Challenges in Widget Dialogue", "EMNLP", 2022),
        ("Gizmo: Widget Planning with Language", "ICRA", 2024),
    ]


def test_a_bold_title_with_a_quoted_word_after_it_keeps_its_title() -> None:
    text = '# Papers\n\n- **The Widget Problem Revisited at Scale for Gizmos** "WP", NeurIPS 2023\n'
    assert read(text)[0][0] == "The Widget Problem Revisited at Scale for Gizmos"


# -- tables ---------------------------------------------------------------------------------
def test_a_link_column_whose_labels_name_the_venue() -> None:
    """Agent-security lists write `| Title | Link | Description |` with `[ICLR 2025](url)`."""
    text = """\
# Widget Security

| Title | Link | Description | Category |
|-------|------|-------|------|
| WidgetBench: Benchmarking Gizmo Injections | [ACL 2024 Findings](https://aclanthology.org/2024.findings-acl.1/) | 提出 WidgetBench 基准 | Attack |
| Gizmo Guard: Defending Widget Agents | [ICLR 2025](https://arxiv.org/pdf/2410.00001) | A defence | Defense |
| Sprocket Alignment via Widgets | [Link]() |-------| Defense |
"""
    papers = parse(text).papers
    assert [(p.title, p.venue, p.year, p.paper_url) for p in papers] == [
        (
            "WidgetBench: Benchmarking Gizmo Injections",
            "ACL",
            2024,
            "https://aclanthology.org/2024.findings-acl.1/",
        ),
        ("Gizmo Guard: Defending Widget Agents", "ICLR", 2025, "https://arxiv.org/pdf/2410.00001"),
        ("Sprocket Alignment via Widgets", None, None, None),
    ]


# -- full references -----------------------------------------------------------------------
def test_names_and_a_year_then_a_marked_title() -> None:
    """HCI reading lists cite in the ACM reference format (`Names. 1992. **Title**. In
    Proceedings of ...`) or APA (`Names (1984). **Title**. Journal`): the names are the
    authors, the year is the paper's, the bold or linked title is the title."""
    text = """\
# Widget Reading List

- Ada Widget and Bo Gizmo. 1992. **Beyond the widget**. In Proceedings of the SIGCHI Conference on Human Factors in Computing Systems (CHI '92). ACM, 119-125.
- Widget, A., Gizmo, B., & Sprocket, C. (1984). **Social aspects of widget-mediated communication**. American Widgetologist, 39(10), 1123-1134.
- Cy Sprocket & Di Widget (1985) [Direct Gizmo Interfaces](https://example.org/gizmo.pdf), Widget Interaction, 1:4, 311-338
"""
    papers = parse(text).papers
    assert [(p.title, p.year, p.authors) for p in papers] == [
        ("Beyond the widget", 1992, ["Ada Widget", "Bo Gizmo"]),
        (
            "Social aspects of widget-mediated communication",
            1984,
            ["Widget, A.", "Gizmo, B.", "Sprocket, C."],
        ),
        ("Direct Gizmo Interfaces", 1985, ["Cy Sprocket", "Di Widget"]),
    ]
    assert papers[0].venue == "CHI"
    assert papers[2].paper_url == "https://example.org/gizmo.pdf"


def test_words_and_a_year_before_a_bold_title_are_no_authors() -> None:
    text = "# Papers\n\n- Read in 2024. **Widget Folding at Scale** (NeurIPS 2023)\n"
    assert [(p.title, p.year, p.authors) for p in parse(text).papers] == [
        ("Read in 2024. Widget Folding at Scale", 2023, [])
    ]


# -- venues and headings --------------------------------------------------------------------
def test_a_bracketed_unknown_venue_with_a_comma_before_the_year() -> None:
    """`Title (ICDEW, 2008)`: the venue is kept as written, as `(HotStorage 2020)` is."""
    line = "* GADGET: Ranking Widget Tuning Parameters (WidgetW, 2008)"
    assert read(f"# Papers\n\n{line}\n") == [
        ("GADGET: Ranking Widget Tuning Parameters", "WidgetW", 2008)
    ]


@pytest.mark.parametrize("heading", ["Pre-1980", "Before 2020", "Since 2021", "Post-2010s"])
def test_a_heading_of_years_before_or_after_names_no_venue_or_year(heading: str) -> None:
    text = f"# Papers\n\n## {heading}\n\n- Widget Folding at Scale (NeurIPS 2023)\n- **Gizmo Sorting**\n"
    papers = parse(text).papers
    assert [(p.title, p.venue, p.year) for p in papers] == [
        ("Widget Folding at Scale", "NeurIPS", 2023)
    ]
    assert papers[0].section == heading
