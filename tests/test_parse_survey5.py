"""Forms seen in a fifth survey of real lists (a Korean reading list, LLM-agent lists of 2025 in
tables, bold-title bullets and code-span venues), each written here with invented titles."""

from __future__ import annotations

from pipeline.models import ParsedList
from pipeline.parse import parse_list


def parse(text: str) -> ParsedList:
    return parse_list(text.splitlines(), source="survey5.md")


def read(text: str) -> list[tuple[str, str | None, int | None]]:
    return [(p.title, p.venue, p.year) for p in parse(text).papers]


# -- a heading that is the paper, its details in a list below -------------------------------
HEADED = """\
# AI 추천 논문 목록
- **중요도**: ●○○ (참고), ●●● (필수)

## 📷 이미지 분야

### 1. [Deep Widget Learning for Gizmo Recognition](https://arxiv.org/abs/2401.01234) (WidgetNet)
- **저자**: A. Widget, B. Gizmo, C. Sprocket
- **학회/저널**: CVPR 2016
- **중요도**: ●●● | **난이도**: ●●○
- **요약**: 위젯 인식을 위한 깊은 신경망.

### 2. [Fast Gizmo Synthesis with Latent Widgets](https://arxiv.org/abs/2401.01235) (Gizmo Diffusion)
- **저자**: D. Cog, E. Lever
- **학회/저널**: arXiv 2017
- **요약**: 잠재 공간의 위젯.

## 📝 자연어 처리 분야

### 1. [Widgets are All You Need](https://arxiv.org/abs/2401.01236) (Widgetformer)
- **Authors:** F. Spring et al.
- **Venue:** NeurIPS 2017
"""


def test_a_linked_heading_over_labelled_details_is_one_paper() -> None:
    """A Korean reading list titles each paper in a numbered heading that links it, then lists
    `**저자**` (authors) and `**학회/저널**` (venue/journal) as bold labels: every label was
    taken for a paper title ('학회/저널:', 11 of 11 entries wrong, 10 duplicate warnings)."""
    parsed = parse(HEADED)
    assert [(p.title, p.venue, p.year) for p in parsed.papers] == [
        ("Deep Widget Learning for Gizmo Recognition", "CVPR", 2016),
        ("Fast Gizmo Synthesis with Latent Widgets", "arXiv", 2017),
        ("Widgets are All You Need", "NeurIPS", 2017),
    ]
    first = parsed.papers[0]
    assert first.authors == ["A. Widget", "B. Gizmo", "C. Sprocket"]
    assert first.paper_url == "https://arxiv.org/abs/2401.01234"
    assert first.section == "📷 이미지 분야"
    assert parsed.papers[1].authors == ["D. Cog", "E. Lever"]  # not '(Gizmo Diffusion)'
    assert not [f for f in parsed.findings if f.code == "duplicate-title"]


def test_a_heading_over_a_list_of_papers_is_still_a_topic() -> None:
    """A linked heading over a list of papers (no labelled details) stays a section."""
    text = """\
# Widget Papers

## [Widget Serving](https://example.org/widgets)
- **Fast Widget Serving at Scale**, OSDI 2022
- **Gizmo Batching for Widgets**, NSDI 2021
"""
    parsed = parse(text)
    assert [(p.title, p.venue, p.year) for p in parsed.papers] == [
        ("Fast Widget Serving at Scale", "OSDI", 2022),
        ("Gizmo Batching for Widgets", "NSDI", 2021),
    ]
    assert parsed.papers[0].section == "Widget Serving"


# -- a venue in a code span ---------------------------------------------------------------------
def test_a_known_venue_in_a_code_span_after_the_year_is_the_venue() -> None:
    """LLM-agent lists of 2025 write `**[Title](url)** (*2025*) `ICML``: the venue in a code
    span after the italic year was dropped (26 of 37 entries of such a list); a keyword tag
    (`` `PTQ` ``) or a family (`` `*ACL` ``) stays no venue."""
    text = """\
# Widget Agent Papers

## Agent Collaboration
- **[WidgetBench: Evaluating Gizmo Agents](https://arxiv.org/abs/2501.01234)** (*2025*) `Arxiv`
  > Introduces WidgetBench.
- **[Debating Widgets Leads to Truthful Gizmos](https://arxiv.org/abs/2402.01234)** (*2024*) `ICML`
- **[Round-Table Widgets Improve Gizmo Reasoning](https://arxiv.org/abs/2309.01234)** (*2024*) `*ACL`
- [Widget Compression for Gizmo Networks](https://arxiv.org/abs/2309.01236) `PTQ` `CNN`
"""
    assert read(text) == [
        ("WidgetBench: Evaluating Gizmo Agents", "arXiv", 2025),
        ("Debating Widgets Leads to Truthful Gizmos", "ICML", 2024),
        ("Round-Table Widgets Improve Gizmo Reasoning", None, 2024),
        ("Widget Compression for Gizmo Networks", None, None),
    ]


# -- an arXiv id written DOI-style -------------------------------------------------------------
def test_an_arxiv_id_after_a_dot_is_the_arxiv_venue_and_no_year() -> None:
    """An LLM-agent reading list writes preprints `**Title**, arXiv.2303.01234 [[paper](url)]`
    (the id as in arXiv's DOI): the venue was dropped (13 of 56 entries of the list); the id
    stays no year, as `arXiv:2303.01234` does."""
    text = """\
# Widget Agents

## Planning
- **WidgetTool: Gizmos Can Teach Themselves Widgets**, NeurIPS 2023 [[paper](https://example.org/w)]
- **GEAR: Augmenting Widgets with Gizmo Resolution**, arXiv.2307.01234 [[paper](https://doi.org/10.48550/arXiv.2307.01234)] 💡
- **TALM: Tool Augmented Widget Models**, arXiv:2205.01234 [[paper](https://example.org/t)]
"""
    assert read(text) == [
        ("WidgetTool: Gizmos Can Teach Themselves Widgets", "NeurIPS", 2023),
        ("GEAR: Augmenting Widgets with Gizmo Resolution", "arXiv", None),
        ("TALM: Tool Augmented Widget Models", "arXiv", None),
    ]


# -- a table row indented as far as its empty first cell ------------------------------------
def test_an_indented_row_with_an_empty_first_cell_stays_in_its_table() -> None:
    """A security course's Jekyll syllabus (`**Date** | **Papers**`) heads each topic with a
    row whose first cell is blank, written as spaces as wide as the date column: CommonMark
    took it for a code block, which ended the table (18 of 18 papers of the table lost). An
    indented code block after a paragraph is no table row and stays code."""
    text = """\
**Date**   | <center>**Papers**</center>
:----------|:--------------------------------
           | <center>**Intro**</center>
Apr 1      | [Reflections on Trusting Widgets](papers/widgets.pdf) by K. Gizmo
           | <center>**Memory safety**</center>
Apr 3      | [Capsicum: Practical Capabilities for Widgets](papers/capsicum.pdf) by A. Widget et al.

Some text before code:

    | not a row |
"""
    parsed = parse(text)
    assert [(p.title, p.venue, p.year, p.authors) for p in parsed.papers] == [
        ("Reflections on Trusting Widgets", None, None, ["K. Gizmo"]),
        ("Capsicum: Practical Capabilities for Widgets", None, None, ["A. Widget"]),
    ]
    assert parsed.papers[1].line == 6


# -- no authors from a status or a labelled note ------------------------------------------------
def test_a_status_in_the_place_of_a_venue_is_no_author() -> None:
    """`**Title**, Under Review [[paper](url)]`: the status was taken for a person's name
    (2 of 56 entries of an LLM-agent reading list)."""
    text = """\
# Widget Agents

## Planning
- **Tree Search for Widget Agents**, Under Review [[paper](https://openreview.net/forum?id=widget1)]💡
- **Gizmo Planning with Widgets**, to appear [[paper](https://openreview.net/forum?id=widget2)]
- **Widget Reasoners**, A. Widget and B. Gizmo [[paper](https://openreview.net/forum?id=widget3)]
"""
    assert [p.authors for p in parse(text).papers] == [[], [], ["A. Widget", "B. Gizmo"]]


def test_a_labelled_note_under_a_paper_is_no_author() -> None:
    """`  + Search Algorithm: MCTS` under a paper with no venue: the note became its authors
    (3 of 56 entries of an LLM-agent reading list); a sub-bullet of names still gives them."""
    text = """\
# Widget Agents

## Search Workflows
- **Widget q: Advanced Gizmo Reasoning for Agents**, Preprint [[paper](https://example.org/q)]
    + Search Algorithm: MCTS
- **Tree Search for Widget Agents**, Under Review [[paper](https://openreview.net/forum?id=w1)]
    + Search Algorithm: Best-First Search
- **Gizmo Planning with Widgets**
    + Ada Widget et al. (*NeurIPS 2023*)
"""
    assert [(p.title, p.venue, p.authors) for p in parse(text).papers] == [
        ("Widget q: Advanced Gizmo Reasoning for Agents", None, []),
        ("Tree Search for Widget Agents", None, []),
        ("Gizmo Planning with Widgets", "NeurIPS", ["Ada Widget"]),
    ]
