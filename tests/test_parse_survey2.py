"""Forms seen in a second survey of real lists (best-paper tables, database and HCI reading
lists), each written here with invented titles."""

from __future__ import annotations

import pytest

from pipeline.models import ParsedList
from pipeline.parse import parse_list


def parse(text: str) -> ParsedList:
    return parse_list(text.splitlines(), source="survey2.md")


def read(text: str) -> list[tuple[str, str | None, int | None]]:
    return [(p.title, p.venue, p.year) for p in parse(text).papers]


# -- a spaced dash in a plain title -------------------------------------------------------
@pytest.mark.parametrize(
    ("line", "title"),
    [
        (
            "* WIDGET — Self-Tuning Adaptive Gizmo Tree (ICDEW 2020)",
            "WIDGET — Self-Tuning Adaptive Gizmo Tree",
        ),
        (
            "* Gizmo - Decentralized Widget Learning for Sprocket Networks (ICDEW 2020)",
            "Gizmo - Decentralized Widget Learning for Sprocket Networks",
        ),
    ],
)
def test_a_dash_with_more_title_after_it_stays_in_the_title(line: str, title: str) -> None:
    """Database lists write `START — Self-Tuning Adaptive Radix Tree (ICDEW 2020)`."""
    assert read(f"# Papers\n\n{line}\n") == [(title, "ICDEW", 2020)]


@pytest.mark.parametrize(
    ("line", "authors"),
    [
        ("* Widget Gizmos - Ada Widget, Bo Gizmo. PLDI 2019.", ["Ada Widget", "Bo Gizmo"]),
        ("* Widget Gizmos - Ada Widget (PLDI 2019)", ["Ada Widget"]),
        ("* Widget Gizmos – A. Widget and B. Gizmo, PLDI 2019", ["A. Widget", "B. Gizmo"]),
    ],
)
def test_a_dash_with_names_after_it_ends_the_title(line: str, authors: list[str]) -> None:
    papers = parse(f"# Papers\n\n{line}\n").papers
    assert [(p.title, p.venue, p.year, p.authors) for p in papers] == [
        ("Widget Gizmos", "PLDI", 2019, authors)
    ]


# -- a journal citation with volume, issue and a dated bracket ----------------------------
@pytest.mark.parametrize(
    ("line", "venue", "year"),
    [
        (
            "- Ada Widget and Bo Gizmo. 1993. **Knowledge-based widgets**. Commun. ACM 36, 7"
            " (July 1993), 53-62. DOI= http://dx.doi.org/10.1145/1",
            "Commun. ACM",
            1993,
        ),
        (
            "- Ada Widget. 2000. **Widgets at hand**. ACM Trans. Comput.-Hum. Interact. 7, 1"
            " (March 2000), 29-58.",
            "ACM Trans. Comput.-Hum. Interact.",
            2000,
        ),
        ("- **Widgets at hand**. ACM Computing Surveys 36, 7 (July 2004), 1-30.", "CSUR", 2004),
        ("- **Widgets at hand**. J. Widget Res. 12, 3 (1986), 1-9", "J. Widget Res.", 1986),
    ],
)
def test_a_journal_with_volume_and_issue_is_named_whole(line: str, venue: str, year: int) -> None:
    """HCI reading lists cite in the ACM reference format: 'Commun. ACM 36, 7 (July 1993)' is
    the journal 'Commun. ACM' (never 'ACM'), and its volume 36 is no year."""
    assert [(p.venue, p.year) for p in parse(f"# Papers\n\n{line}\n").papers] == [(venue, year)]


def test_names_before_a_journal_stay_out_of_its_name() -> None:
    line = "- [Widgets at hand](https://example.org/w.pdf) - Ada Widget, Bo Gizmo. J. Widget Res. 12, 3 (1986), 1-9"
    papers = parse(f"# Papers\n\n{line}\n").papers
    assert [(p.title, p.venue, p.year, p.authors) for p in papers] == [
        ("Widgets at hand", "J. Widget Res.", 1986, ["Ada Widget", "Bo Gizmo"])
    ]


# -- several papers in one table cell -------------------------------------------------------
def test_each_bold_title_in_a_cell_is_a_paper_of_the_row() -> None:
    """Best-paper tables put a year's papers in one cell: title, authors, title, authors."""
    text = """\
## Widget Conference (WIDGETCONF)

| Year | Paper |
| :-:  |  :-   |
| 2024 | [**Widget One: Fast Gizmos**](https://example.org/one.pdf)<br>Ada Widget, Bo Gizmo<br> [**Widget Two: Slow Sprockets**](https://example.org/two.pdf)<br>Cy Sprocket<br>|
| 2022 | **Widget Three for Everyone**<br>Di Widget, Ed Gizmo<br> **Widget Four for No One**<br>Fay Sprocket, Gus Widget |
| 2020 | **Widget Five Alone**<br>Hal Gizmo, Ida Sprocket |
"""
    papers = parse(text).papers
    assert [(p.line, p.title, p.year, p.authors) for p in papers] == [
        (5, "Widget One: Fast Gizmos", 2024, ["Ada Widget", "Bo Gizmo"]),
        (5, "Widget Two: Slow Sprockets", 2024, ["Cy Sprocket"]),
        (6, "Widget Three for Everyone", 2022, ["Di Widget", "Ed Gizmo"]),
        (6, "Widget Four for No One", 2022, ["Fay Sprocket", "Gus Widget"]),
        (7, "Widget Five Alone", 2020, ["Hal Gizmo", "Ida Sprocket"]),
    ]
    assert [p.paper_url for p in papers[:2]] == [
        "https://example.org/one.pdf",
        "https://example.org/two.pdf",
    ]


def test_numbered_titles_in_a_cell_lose_their_numbers() -> None:
    text = """\
## WIDGETCONF

| Year | Paper |
|:-:|:-|
| 2018 | 1. **Widget Heuristics for Gizmo Prediction**<br>Ada Widget; Bo Gizmo<br>2. **Sprocket Learning at Scale**<br>Cy Sprocket<br>3. **From Widgets to Gizmos**<br>Di Widget |
| 2013 | 1. **A Lone Numbered Widget Paper**<br>Ed Gizmo; Fay Sprocket |
"""
    assert [(p.title, p.year, p.authors) for p in parse(text).papers] == [
        ("Widget Heuristics for Gizmo Prediction", 2018, ["Ada Widget", "Bo Gizmo"]),
        ("Sprocket Learning at Scale", 2018, ["Cy Sprocket"]),
        ("From Widgets to Gizmos", 2018, ["Di Widget"]),
        ("A Lone Numbered Widget Paper", 2013, ["Ed Gizmo", "Fay Sprocket"]),
    ]


@pytest.mark.parametrize(
    "cell",
    [
        "**Widget Serving at Scale**<br>**Ada Widget**, Bo Gizmo",  # bold names
        "**Widget Serving at Scale**<br>Ada Widget<br>**WIDGETCONF 2021**",  # a bold venue
        "**Widget Serving at Scale**<br>Ada Widget<br>**NeurIPS 2021 Workshop**",
        "**Widget Serving at Scale**<br>Ada Widget<br>**[Source Code](https://github.com/x/w)**",
    ],
)
def test_bold_text_that_is_no_title_starts_no_paper(cell: str) -> None:
    text = f"## WIDGETCONF\n\n| Year | Paper |\n|-|-|\n| 2021 | {cell} |\n"
    assert [p.title for p in parse(text).papers] == ["Widget Serving at Scale"]


# -- authors with their affiliations ----------------------------------------------------------
def test_authors_with_affiliations_are_read_without_them() -> None:
    text = """\
## WIDGETCONF

| Year | Paper |
|:-:|:-|
| 2019 | **Widgets Under Pressure**<br>Ada Widget (Widget University), Bo Gizmo (Gizmo Labs, Sprocket City) |
| 2018 | **Gizmos Under Pressure**<br>Cy Sprocket (WU); Di Widget (INRIA); Ed Gizmo (Gizmo Institute of Technology) |
| 2017 | **Sprockets Under Pressure**<br>Fay Sprocket, Gus Widget, and Hal Gizmo (Widget University) |
"""
    assert [p.authors for p in parse(text).papers] == [
        ["Ada Widget", "Bo Gizmo"],
        ["Cy Sprocket", "Di Widget", "Ed Gizmo"],
        ["Fay Sprocket", "Gus Widget", "Hal Gizmo"],
    ]


def test_a_bracket_after_one_capitalised_pair_is_no_affiliation() -> None:
    """'Fast Widgets (FW)' is a name for a thing; only a list of people loses brackets."""
    text = "## WIDGETCONF\n\n| Year | Paper |\n|-|-|\n| 2021 | **Widget Serving**<br>Fast Widgets (FW) |\n"
    assert [p.authors for p in parse(text).papers] == [[]]
