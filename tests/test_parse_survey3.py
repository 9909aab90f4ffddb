"""Forms seen in a third survey of real lists (ML-for-databases, HCI, LLM-survey and agent
lists), each written here with invented titles."""

from __future__ import annotations

import pytest

from pipeline.models import ParsedList
from pipeline.parse import parse_list


def parse(text: str) -> ParsedList:
    return parse_list(text.splitlines(), source="survey3.md")


def read(text: str) -> list[tuple[str, str | None, int | None]]:
    return [(p.title, p.venue, p.year) for p in parse(text).papers]


# -- headings that name tutorials -------------------------------------------------------------
@pytest.mark.parametrize("heading", ["## System and Tutorial", "## Surveys & Tutorials"])
def test_a_heading_joining_a_topic_and_tutorials_heads_papers(heading: str) -> None:
    """ML-for-databases lists open with `## System and Tutorial`: its papers, and those under
    its subheadings, are papers (only a heading about teaching material alone is noise)."""
    text = f"""\
# Widget Papers

{heading}
* Widget DB: A Learned Widget System (CIDR 2019)
### Training Data Collection
* Gizmo Farm: Training Data for Widgets (ICDE 2022)
"""
    assert read(text) == [
        ("Widget DB: A Learned Widget System", "CIDR", 2019),
        ("Gizmo Farm: Training Data for Widgets", "ICDE", 2022),
    ]


@pytest.mark.parametrize(
    "heading",
    [
        "## Tutorials",
        "## Courses and Talks",
        "## 📚 Online Courses (3)",
        "## Talks & Slides",
        "## Tutorials on Widget Serving",
    ],
)
def test_a_heading_of_teaching_material_alone_is_still_noise(heading: str) -> None:
    """Course, talk and tutorial items have names and years too; none is a paper."""
    text = f"""\
# Widget Papers

{heading}
- [CS 999: Widget Systems, Fall 2023](https://example.edu/cs999) - Ada Widget, 2023
- Widget Serving at Scale (OSDI 2022 keynote)
- [Scaling Widgets](https://example.org/talk.pdf) - Bo Gizmo, Cy Sprocket, 2024
- Widgets for Databases (VLDB 2021)

## Serving
- Gizmo Serving for Widgets (OSDI 2022)
"""
    assert read(text) == [("Gizmo Serving for Widgets", "OSDI", 2022)]


# -- venue and year in a bracket closing the title --------------------------------------------
@pytest.mark.parametrize(
    ("line", "venue", "year"),
    [
        ("* WidgetSpline: a single-pass learned widget (wdDM2020)", "wdDM", 2020),
        ("* GONE: cutting tail-latency in learned widgets (GIZMOS 22)", "GIZMOS", 2022),
        ("* Towards Autonomous Widget Services (WIDGET-Companion ’23)", "WIDGET-Companion", 2023),
        ("* The Case for Automatic Widget Tuning ( 2018 ArXiv)", "arXiv", 2018),
    ],
)
def test_a_bracketed_venue_and_year_in_rarer_forms(line: str, venue: str, year: int) -> None:
    """Database lists write a venue the table does not know glued to its year or with a
    two-digit one (`(aiDM2020)`, `(CHEOPS 22)`), and now and then the year first."""
    title = line[2 : line.rindex("(")].strip()
    assert read(f"# Papers\n\n## Index\n{line}\n") == [(title, venue, year)]


@pytest.mark.parametrize(
    "line", ["* Widget Models for Everyone (GPT35)", "* Widget Models for Everyone (COVID-19)"]
)
def test_a_model_name_in_brackets_is_no_venue(line: str) -> None:
    """A two-digit year counts only apart from the acronym: `GPT35` is a model."""
    assert read(f"# Papers\n\n## Index\n{line}\n") == []


# -- dates and names around the title ---------------------------------------------------------
def test_a_year_comma_month_after_the_title_is_its_date() -> None:
    """Lists of surveys write `Title, 2023.11` and, once, `Title, 2023,11`: a date, never title
    wording or a venue."""
    text = """\
# Widget Surveys

- Widget-Language Instruction Tuning: A Review, 2023,11 [[paper]](https://arxiv.org/abs/2311.00001)
"""
    assert read(text) == [("Widget-Language Instruction Tuning: A Review", None, 2023)]


def test_a_surname_and_a_comma_before_a_bold_title_is_the_author() -> None:
    """HCI reading lists write `Nielsen, **Title**. (Jan 1995)`."""
    text = """\
# Widget Reading List

- Widgetsen, **How to Conduct a Widget Evaluation and 10 Gizmo Heuristics**. (Jan 1995)
- Ada Widget, Bo Gizmo, **Widgets at Hand**. CHI 1999
"""
    papers = parse(text).papers
    assert [(p.title, p.venue, p.year, p.authors) for p in papers] == [
        ("How to Conduct a Widget Evaluation and 10 Gizmo Heuristics", None, 1995, ["Widgetsen"]),
        ("Widgets at Hand", "CHI", 1999, ["Ada Widget", "Bo Gizmo"]),
    ]


@pytest.mark.parametrize(
    ("line", "title"),
    [
        ("- Widgets, **Gizmos** and Sprockets (CHI 2020)", "Widgets, Gizmos and Sprockets"),
        ("- Note, **this list is updated weekly**", None),
    ],
)
def test_a_word_and_a_comma_before_bold_text_is_no_author(line: str, title: str | None) -> None:
    """A bold word inside a title, or a lone word with no year after it, names no one."""
    papers = parse(f"# Papers\n\n{line}\n").papers
    assert [(p.title, p.authors) for p in papers] == ([(title, [])] if title else [])
