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
    ("tag", "venue", "year"), [("[WSPW'15]", "WSPW", 2015), ("[GIZMOS 17]", "GIZMOS", 2017)]
)
def test_a_tag_before_the_title_names_an_unknown_venue_with_a_two_digit_year(
    tag: str, venue: str, year: int
) -> None:
    """Compiler reading lists tag workshops the table does not know: `[SPW'15] [Title](url)`."""
    line = f"{tag} [The Correctness-Widget Gap in Gizmo Optimization](https://example.org/w.pdf)"
    assert read(f"# Papers\n\n{line}\n") == [
        ("The Correctness-Widget Gap in Gizmo Optimization", venue, year)
    ]


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


# -- tables that link their papers and state no venue or year --------------------------------
def test_a_column_of_arxiv_links_makes_a_table_of_titles_a_paper_table() -> None:
    """`| arXiv ID | Paper Title | Abbr. |`: the arXiv column is the paper's link. An arXiv id is
    no year (the parse stage reads none from ids), so the year stays empty."""
    text = """\
# Widget Embeddings

| arXiv ID | Paper Title | Abbr. | Affiliations |
|---|---|---|---|
| [2103.00001](https://arxiv.org/abs/2103.00001) | Learning Transferable Widgets From Gizmo Supervision | **WIDGET** | Widget Labs |
| [2012.00002](https://arxiv.org/abs/2012.00002) | Gizmo: A Large-scale Widget Benchmark | **Gizmo** | - |
"""
    papers = parse(text).papers
    assert [(p.line, p.title, p.venue, p.year, p.paper_url) for p in papers] == [
        (
            5,
            "Learning Transferable Widgets From Gizmo Supervision",
            None,
            None,
            "https://arxiv.org/abs/2103.00001",
        ),
        (
            6,
            "Gizmo: A Large-scale Widget Benchmark",
            None,
            None,
            "https://arxiv.org/abs/2012.00002",
        ),
    ]


def test_dates_before_the_title_still_leave_it_opening_the_row() -> None:
    """Trackers of new arXiv papers: `| Num | Update Date | Title | Paper ID |`."""
    text = """\
# Widget Tracker

| Num | Update Date | Title | Paper ID |
|-----|-------------|-------|----------|
|**1**|**2024-02-15**|**Widget Layout Prompting for Gizmos**|**[2402.00001v1](http://arxiv.org/abs/2402.00001)**|
"""
    assert [(p.title, p.year, p.paper_url) for p in parse(text).papers] == [
        ("Widget Layout Prompting for Gizmos", None, "http://arxiv.org/abs/2402.00001")
    ]


def test_titles_linked_to_papers_make_a_paper_table() -> None:
    """Agent lists open with a starter kit: `| # | Paper | Area | Why start here |`, each title
    linked to its arXiv page and no venue or year column."""
    text = """\
# Widget Agent Papers

## Starter Kit

| # | Paper | Area | Why start here |
|---|-------|------|----------------|
| 1 | [Widget: Synergizing Gizmos and Sprockets](https://arxiv.org/abs/2210.00001) | Planning | The template. |
| 2 | [Gizmo: Verbal Widget Learning](https://arxiv.org/abs/2303.00002) | Planning | Self-reflection. |
"""
    papers = parse(text).papers
    assert [(p.title, p.venue, p.year, p.paper_url) for p in papers] == [
        (
            "Widget: Synergizing Gizmos and Sprockets",
            None,
            None,
            "https://arxiv.org/abs/2210.00001",
        ),
        ("Gizmo: Verbal Widget Learning", None, None, "https://arxiv.org/abs/2303.00002"),
    ]


@pytest.mark.parametrize(
    "rows",
    [
        "| [widgetlib](https://github.com/x/widgetlib) | A library |\n"
        "| [Gizmo Hub](https://gizmo.example.org) | A hub of gizmos |\n",
        "| [Widget Docs](https://widget.example.org) | [a talk](https://youtu.be/x) |\n"
        "| [Gizmo Hub](https://gizmo.example.org) | [its paper](https://arxiv.org/abs/2301.00001) |\n"
        "| [Sprocket Kit](https://sprocket.example.org) | - |\n",
    ],
)
def test_a_table_that_mostly_links_no_papers_is_not_a_paper_table(rows: str) -> None:
    """Tools link their repositories and sites; one paper link among them makes no paper table."""
    text = f"# Widget Papers\n\n## Serving\n\n| Name | Description |\n|---|---|\n{rows}"
    assert parse(text).papers == []


# -- author-year citations after the title ----------------------------------------------------
@pytest.mark.parametrize(
    ("line", "authors"),
    [
        ("(T Widget 2011)", ["T Widget"]),
        ("(PG Gizmo et al 1979)", ["PG Gizmo"]),
        ("(A Widget, B Gizmo 2016)", ["A Widget", "B Gizmo"]),
        ("(JM Widget, M Gizmo, J Sprocket 2007)", ["JM Widget", "M Gizmo", "J Sprocket"]),
    ],
)
def test_names_and_a_year_in_brackets_are_the_authors(line: str, authors: list[str]) -> None:
    """Database reading lists cite `[Title](url) (T Neumann 2011)`: a person's initials and
    surname are no venue, and every name before the year is an author."""
    text = (
        f"# Papers\n\n## Queries\n\n- [ ] [Widget Query Plans](https://example.org/w.pdf) {line}\n"
    )
    papers = parse(text).papers
    assert [(p.title, p.venue, p.year, p.authors) for p in papers] == [
        ("Widget Query Plans", None, int(line[-5:-1]), authors)
    ]


@pytest.mark.parametrize(
    ("line", "venue"),
    [
        ("- Widget Query Plans (J. Widget Gizmo Comput. 2011)", "J. Widget Gizmo Comput."),
        ("- Widget Query Plans (AI Magazine 2011)", "AI Magazine"),
        ("- Widget Query Plans (WidgetConf 2011)", "WidgetConf"),
    ],
)
def test_a_journal_abbreviation_is_still_a_venue(line: str, venue: str) -> None:
    """An initial followed by more than one word is a journal's abbreviation."""
    assert read(f"# Papers\n\n{line}\n") == [("Widget Query Plans", venue, 2011)]


def test_links_between_bars_under_a_title_give_no_authors() -> None:
    """Security lists put each paper's links in a sub-bullet: `- [Paper](url) | [PDF](url)`;
    the bars between them were read as an author named '|'."""
    text = """\
# Widget Security Papers

#### 2025

##### USENIX Security

- WidgetFuzz: Exploiting Upstream Gizmos in Open-Source Supply Chains
  - [Paper](https://www.usenix.org/conference/x/presentation/w) | [PDF](https://www.usenix.org/system/files/w.pdf)
- Attributing Open-Source Widgets is Critical but Difficult
  - [Paper](https://example.org/w.pdf) | [DOI](https://doi.org/10.0000/widget) | [Slides](https://example.org/s.pdf)
"""
    papers = parse(text).papers
    assert [(p.venue, p.year, p.authors) for p in papers] == [
        ("USENIX Security", 2025, []),
        ("USENIX Security", 2025, []),
    ]


@pytest.mark.parametrize("marks", [":bulb:", ":bulb: :vhs:"])
def test_an_emoji_shortcode_after_a_short_linked_title_is_no_more_title(marks: str) -> None:
    """NLP reading lists mark must-reads `* (1997) [Long Short-Term Memory](url) :bulb:`; the
    shortcode's colon read as a nickname's, giving 'Long Short-Term Memory: bulb:'."""
    line = f"* (1997) [Long Short-Term Widgets](https://example.org/w.pdf) {marks}"
    assert read(f"# Papers\n\n## Parsing\n{line}\n") == [("Long Short-Term Widgets", None, 1997)]


def test_an_italic_label_alone_in_a_table_row_names_a_group_not_a_paper() -> None:
    """Robotics tables split a topic's rows under `| _NeRF_ |` labels; a roman title alone in
    its row stays a paper, as before."""
    text = """\
# Widget Manipulation

| Title | Venue | Date | Code |
|:--|:-:|:-:|:-:|
| _SDF_|
| [**WidgetGrasp: Implicit Widget Diffusion**](https://openreview.net/pdf?id=widget) | CoRL 2024 | 2024-09-05 | - |
| *3D Gizmo Splatting (3DGS)* | | | |
| Gizmo Grasping at Scale | | | |
"""
    assert read(text) == [
        ("WidgetGrasp: Implicit Widget Diffusion", "CoRL", 2024),
        ("Gizmo Grasping at Scale", None, None),
    ]
