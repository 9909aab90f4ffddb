"""Lists written with markers markdown does not know: `[*] Title, 2023, MICRO` lines, one
after the other, which markdown reads as one paragraph (the form of computer-architecture
reading lists). Invented titles in that form."""

from __future__ import annotations

from pipeline.models import ParsedList
from pipeline.parse import parse_list

MARKED = """\
# Widget Architecture Reading List

### 1. Classic Papers

> Read these first.

[*] The Widget Machine Instruction Set, 1964
    - First proposal of a widget ISA
[*] Parallel Operation in the Widget 6600, 1964
[*] The Case for the Reduced Widget Computer, 1980
    - Must-read paper for widget design

#### 2.1. Prediction
[*] Widget Target Buffer Organizations, 2023, MICRO
[x] [Adaptive Multi-level Widget Buffers](https://example.org/widget.pdf), 2024, ISCA
[ ] "Gizmo 4": The 5nm Widget Core, 2023, ISSCC
• Widget Prefetching with Perceptrons, 2022, HPCA

#### 2.2. Notes
[*] marks the papers we discuss in class
"""


def parse(text: str) -> ParsedList:
    return parse_list(text.splitlines(), source="marked.md")


def test_each_marked_line_is_an_entry_with_its_year_and_venue() -> None:
    papers = [(p.line, p.title, p.venue, p.year) for p in parse(MARKED).papers]
    assert papers == [
        (7, "The Widget Machine Instruction Set", None, 1964),
        (9, "Parallel Operation in the Widget 6600", None, 1964),
        (10, "The Case for the Reduced Widget Computer", None, 1980),
        (14, "Widget Target Buffer Organizations", "MICRO", 2023),
        (15, "Adaptive Multi-level Widget Buffers", "ISCA", 2024),  # '[Title](url), 2024, ISCA'
        (16, '"Gizmo 4": The 5nm Widget Core', "ISSCC", 2023),
        (17, "Widget Prefetching with Perceptrons", "HPCA", 2022),
    ]  # the notes under entries and the legend line at the end are no papers


def test_a_marked_entry_keeps_its_link_and_section() -> None:
    linked = next(p for p in parse(MARKED).papers if p.line == 15)
    assert linked.paper_url == "https://example.org/widget.pdf"
    assert linked.section.endswith("2.1. Prediction")
    assert linked.venue_source == linked.year_source == "entry"


def test_a_note_under_an_entry_is_not_its_authors() -> None:
    first = parse(MARKED).papers[0]
    assert first.authors == []


def test_a_year_after_a_comma_counts_only_in_marked_lines() -> None:
    """A plain list item may end its title in a year; only a venue with it makes it a tag
    (without one, such an item is no paper at all: prose lists end lines in years too)."""
    item = parse("# Papers\n\n- Widget Sorting, 2016\n- Widget Sorting, 2016, ISCA\n").papers
    assert [(p.title, p.venue, p.year) for p in item] == [("Widget Sorting", "ISCA", 2016)]
    marked = parse("# Papers\n\n[*] Widget Sorting, 2016\n[*] Widget Hashing, 2017\n").papers
    assert [(p.title, p.year) for p in marked] == [
        ("Widget Sorting", 2016),
        ("Widget Hashing", 2017),
    ]


def test_a_paragraph_of_prose_is_still_read_as_prose() -> None:
    text = "# Papers\n\n[See the course page] for the reading order, 2024 edition.\n"
    assert parse(text).papers == []
