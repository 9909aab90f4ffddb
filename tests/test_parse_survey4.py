"""Forms seen in a fourth survey of real lists (quantum computing, bioinformatics, graphics, HPC,
theory, Chinese conference collections, badge-heavy ML lists), each written here with invented
titles."""

from __future__ import annotations

import pytest

from pipeline.models import ParsedList
from pipeline.parse import parse_list


def parse(text: str) -> ParsedList:
    return parse_list(text.splitlines(), source="survey4.md")


def read(text: str) -> list[tuple[str, str | None, int | None]]:
    return [(p.title, p.venue, p.year) for p in parse(text).papers]


# -- keyword tags -----------------------------------------------------------------------------
def test_keyword_tags_in_one_bracket_are_no_title_wording() -> None:
    """Quantization survey lists put a paper's keyword tags in one bold bracket
    (`[**`PTQ`, `Quant`, `CNN`**]`): the title kept the ' [' before them, and a Title Case
    title was taken for names before the tags (the entry had no title at all)."""
    text = """\
# Widget Papers

## Quantization
- **[ICCV 2023]** Widget Compression without Fine-Tuning [**`PTQ`, `Quant`, `CNN`**] <br>
    [![arXiv](https://img.shields.io/badge/arXiv-2401.01234-b31b1b.svg)](https://arxiv.org/abs/2401.01234)
- **[ICCV 2019]** Widget Equalization and Gizmo Correction [**`PTQ`, `Quant`, `CNN`**] <br>
    [![arXiv](https://img.shields.io/badge/arXiv-2401.01235-b31b1b.svg)](https://arxiv.org/abs/2401.01235)
"""
    assert read(text) == [
        ("Widget Compression without Fine-Tuning", "ICCV", 2023),
        ("Widget Equalization and Gizmo Correction", "ICCV", 2019),
    ]


# -- badges and emoji -------------------------------------------------------------------------
def test_a_badge_with_the_year_before_the_venue_names_both() -> None:
    """AI-generated-content detection lists badge each paper `![](.../badge/23-CVPR-blue)`:
    the year first, two digits; venue and year were both dropped."""
    text = """\
# Widget Detection

## Papers
- ![](https://img.shields.io/badge/23-CVPR-blue) Towards Universal Widget Detectors [[Paper](https://example.org/w.pdf)]
- ![](https://img.shields.io/badge/24-arxiv-purple) Gizmo Traces in Generated Widgets [[Paper](https://arxiv.org/pdf/2401.01234)]
- ![](https://img.shields.io/badge/Training-red) A Widget Category Badge Is No Venue [[Paper](https://arxiv.org/pdf/2401.01235)]
"""
    assert read(text) == [
        ("Towards Universal Widget Detectors", "CVPR", 2023),
        ("Gizmo Traces in Generated Widgets", "arXiv", 2024),
        ("A Widget Category Badge Is No Venue", None, None),
    ]


def test_a_year_spelled_in_keycap_emoji_heads_the_papers_below_it() -> None:
    """`<summary>2️⃣0️⃣2️⃣3️⃣</summary>` (each digit a keycap emoji) over papers whose badges
    name a venue the table does not know: the papers had no year."""
    text = """\
# Widget Detection

## Papers

<details open>
  <summary>2️⃣0️⃣2️⃣3️⃣</summary>

  - ![](https://img.shields.io/badge/23-WDGT-red) Widgetbuster: Towards Detection of Generated Widgets [[Paper](https://example.org/w.pdf)]
</details>
"""
    assert read(text) == [("Widgetbuster: Towards Detection of Generated Widgets", None, 2023)]


# -- venue and year in a link label -----------------------------------------------------------
def test_a_venue_and_a_two_digit_year_with_its_month_in_a_link_label() -> None:
    """`*Title* [[arxiv, 14.12]](url)`, `[[ICML, 17.07]](url)`: a deep-learning reading list
    dates each paper by venue, year and month; such entries were dropped (no title evidence
    read), 28 of 30. An arXiv id after a venue stays no year."""
    text = """\
# Widget Papers

## Widgets
- *Striving for Simplicity: The All-Widget Net* [[arxiv, 14.12]](http://arxiv.org/abs/1412.01234)
- *Learning to Split Widgets* [[ICML, 17.07]](http://proceedings.mlr.press/w70/widget.pdf)
- *Gizmo Networks* [[arxiv. 16.06]](https://arxiv.org/abs/1606.01234)
- [Widget Serving at Scale](https://example.org/widget.pdf) (arXiv 2001.01234)
"""
    assert read(text) == [
        ("Striving for Simplicity: The All-Widget Net", "arXiv", 2014),
        ("Learning to Split Widgets", "ICML", 2017),
        ("Gizmo Networks", "arXiv", 2016),
        ("Widget Serving at Scale", "arXiv", None),
    ]


def test_a_link_named_by_its_framework_is_the_code_link() -> None:
    """`[[**PyTorch**]](./WRN/pytorch)`, `[[tf]](url)` after a paper: its code, named by the
    framework; the label stayed in the title and hid the venue before it."""
    text = """\
# Widget Papers

## Widgets
- Wide Widget Networks [[arxiv, 16.05]](https://arxiv.org/abs/1605.01234) [[**PyTorch**]](./CNN/WWN/pytorch)
- *Gizmo Adversarial Networks* [[arxiv, 17.01]](http://arxiv.org/abs/1701.01234) [[**TensorFlow**]](https://github.com/example/gizmo-gan)
"""
    papers = parse(text).papers
    assert [(p.title, p.venue, p.year, p.code_url) for p in papers] == [
        ("Wide Widget Networks", "arXiv", 2016, "./CNN/WWN/pytorch"),
        ("Gizmo Adversarial Networks", "arXiv", 2017, "https://github.com/example/gizmo-gan"),
    ]


# -- a bold title, then its labelled links ----------------------------------------------------
def test_a_bold_title_then_its_labelled_links_is_a_paper() -> None:
    """Chinese conference collections ('CVPR 2020 论文开源项目合集') write each paper as a bold
    title paragraph, then its links, labelled, in a list or in paragraphs (`- 论文：url`,
    `- 代码：url`, `- 主页：url`), perhaps with a note (`- Oral`). The bare URLs are no links
    to markdown, so every such entry was dropped (all 46 of such a list), and a note became
    a paper of its own once the title named the conference."""
    text = """\
# Widget Papers

## Detection

**Widget Detection in Crowded Scenes**

- 论文：https://arxiv.org/abs/2401.01234
- 代码：https://github.com/example/widget-det

**Gizmo Pyramid Convolution for Widget Detection**

论文：https://arxiv.org/abs/2401.01235

代码：https://github.com/example/gizmo

**A Sprocket Tracker for Widgets**

- Oral

- 论文：https://arxiv.org/abs/2401.01236

- 主页：https://example.org/sprocket
"""
    papers = parse(text).papers
    assert [(p.title, p.paper_url, p.code_url) for p in papers] == [
        (
            "Widget Detection in Crowded Scenes",
            "https://arxiv.org/abs/2401.01234",
            "https://github.com/example/widget-det",
        ),
        (
            "Gizmo Pyramid Convolution for Widget Detection",
            "https://arxiv.org/abs/2401.01235",
            "https://github.com/example/gizmo",
        ),
        ("A Sprocket Tracker for Widgets", "https://arxiv.org/abs/2401.01236", None),
    ]


def test_a_bold_paragraph_before_a_list_of_papers_keeps_the_list() -> None:
    """Only a list of labelled links (or notes) belongs to the bold paragraph above it; a list
    of papers under a bold lead-in stays a list of papers."""
    text = """\
# Widget Papers

## Serving

**Widget serving, the classics:**

- [Widget Serving at Scale](https://arxiv.org/abs/2401.01234) (OSDI 2022)
- Code: https://github.com/example/widget
"""
    assert read(text) == [("Widget Serving at Scale", "OSDI", 2022)]


# -- a list's title naming its conference -----------------------------------------------------
def test_a_title_naming_a_conference_gives_every_entry_its_venue_and_year() -> None:
    """`# ICML-2025-Papers` (a family of per-conference repositories, one file per session)
    and `# CVPR2020-Code` (whose topics are top-level headings too): the title names the
    conference of every paper in the list; they had no venue or year. An entry's own venue
    still wins."""
    text = """\
# CVPR2020-Code

CVPR 2020 论文开源项目合集

# Detection

**Widget Detection in Crowded Scenes**

- 论文：https://arxiv.org/abs/2401.01234

# Tracking

- [Gizmo Tracking at Scale](https://arxiv.org/abs/2401.01235)
- [A Sprocket Tracker](https://arxiv.org/abs/2401.01236) (ECCV 2020)
"""
    papers = parse(text).papers
    assert [(p.title, p.venue, p.year, p.section) for p in papers] == [
        ("Widget Detection in Crowded Scenes", "CVPR", 2020, "CVPR / 2020 / Detection"),
        ("Gizmo Tracking at Scale", "CVPR", 2020, "CVPR / 2020 / Tracking"),
        ("A Sprocket Tracker", "ECCV", 2020, "CVPR / 2020 / Tracking"),
    ]


def test_a_title_naming_a_conference_in_a_table_list() -> None:
    text = """\
# ICML-2025-Papers

## Learning Theory

| **Title** | **Repo** | **Paper** |
|-----------|:--------:|:---------:|
| [Hardness of Widget Classification](https://icml.cc/virtual/2025/poster/1) | :heavy_minus_sign: | [![arXiv](https://img.shields.io/badge/arXiv-2401.01234-b31b1b.svg)](http://arxiv.org/abs/2401.01234) |
"""
    assert read(text) == [("Hardness of Widget Classification", "ICML", 2025)]


def test_a_bare_venue_title_and_a_topic_title_keep_their_meaning() -> None:
    """A bare `# OSDI 2022` is a venue heading like any other (a later top-level heading ends
    it), and a title that opens with no venue names none (`# Awesome-LLM-2024`)."""
    text = """\
# OSDI 2022

- [Widget Serving at Scale](https://arxiv.org/abs/2401.01234)

# Misc

- [Gizmo Scheduling](https://arxiv.org/abs/2401.01235)
"""
    assert read(text) == [
        ("Widget Serving at Scale", "OSDI", 2022),
        ("Gizmo Scheduling", None, None),
    ]
    text = "# Awesome-LLM-2024 Papers\n\n- [Widget Serving](https://arxiv.org/abs/2401.01234)\n"
    assert read(text) == [("Widget Serving", None, None)]


@pytest.mark.parametrize(
    "title", ["MLSys 2024 Reading List", "NeurIPS 2023 Workshop on Widgets", "ICML 2025 Tutorials"]
)
def test_a_title_naming_a_course_or_workshop_gives_no_conference(title: str) -> None:
    """A course's reading list or a workshop's papers are not the conference's."""
    text = f"# {title}\n\n- [Widget Serving](https://arxiv.org/abs/2401.01234)\n"
    assert read(text) == [("Widget Serving", None, None)]


# -- IEEE-style citations ---------------------------------------------------------------------
IEEE_LIST = """\
# Reading list

##### 1980 - 2000

###### > 500 citations

1. A. Widget, “A Survey of Parallel Widgets in Numerical Gizmo
   Algebra,” Widget Rev., vol. 20, no. 4, pp. 740–777, 1978.

1. D. F. Gizmo, S. L. Sprocket, and O. J. Widget, “Compiler
   transformations for high-performance widgets,” ACM Comput. Surv.,
   vol. 26, no. 4, pp. 345–420, 1994.

1. W.-M. W. Widget and C.-K. Gizmo, **“The superwidget: An
   effective technique for VLIW compilation,”** in 2006 IEEE International
   Conference on Widget Computing, 2006, pp. 15–24.

1. A. Widget and B. Gizmo, “Widget Parallelization,” vol. 9, no. 4, pp. 491–542, 1991.
"""


def test_ieee_citations_give_title_authors_venue_and_year() -> None:
    """`A. Author, “Title,” Venue, vol. 20, no. 4, pp. 740–777, 1978.` (an HPC reading list
    exported from a reference manager, hard-wrapped): the comma inside the closing quote marks
    IEEE style, whose venue ends at the volume, number, pages or date. One author before the
    title, a title wrapped over lines and hyphenated initials ('C.-K. Gizmo') each made the
    entry unreadable: all 19 entries of such a list kept names in the title or were dropped,
    and the 27 of its reading log had venues such as 'Proceedings of the' (43 of 46 read now;
    the rest have a Google Scholar export's lower-case initial, 'D. a. Padua')."""
    papers = parse(IEEE_LIST).papers
    assert [(p.title, p.venue, p.year, p.authors) for p in papers] == [
        (
            "A Survey of Parallel Widgets in Numerical Gizmo Algebra",
            "Widget Rev.",
            1978,
            ["A. Widget"],
        ),
        (
            "Compiler transformations for high-performance widgets",
            "CSUR",
            1994,
            ["D. F. Gizmo", "S. L. Sprocket", "O. J. Widget"],
        ),
        (
            "The superwidget: An effective technique for VLIW compilation",
            "2006 IEEE International Conference on Widget Computing",
            2006,
            ["W.-M. W. Widget", "C.-K. Gizmo"],
        ),
        ("Widget Parallelization", None, 1991, ["A. Widget", "B. Gizmo"]),
    ]


def test_one_name_and_a_period_before_a_quoted_title_is_the_author() -> None:
    """`Ada Widget. "Title" (1978)` (a list of classic papers): one name before the quote
    reads as the author, as several names already did; it stayed in the title."""
    text = """\
# Classics

## Distributed systems
- Ada Widget. "Time, Clocks, and the Ordering of Widgets" (1978)
- Cardinality Counting in "Gizmotraz": Sprockets at Scale (VLDB 2021)
"""
    papers = parse(text).papers
    assert [(p.title, p.year, p.authors) for p in papers] == [
        ("Time, Clocks, and the Ordering of Widgets", 1978, ["Ada Widget"]),
        ('Cardinality Counting in "Gizmotraz": Sprockets at Scale', 2021, []),
    ]


# -- names before a linked title --------------------------------------------------------------
def test_names_and_a_comma_before_a_linked_title_are_its_authors() -> None:
    """`Authors, [Title](pdf),` then `SIGGRAPH 1997.` on the next line (a graphics course's
    readings, pandoc-wrapped): the names stayed in the title (all 62 entries of such a
    list); 'et al.' may end them with no comma. A link after words with no year names no
    one."""
    text = """\
# Readings in Widget Graphics

## Overview

-   Ada Widget, [An Improved Illumination Model for Shaded
    Widgets](http://example.edu/papers/Widget1980.pdf),
    Communications of the ACM, 1980.
-   Bo Gizmo, Cy Sprocket and Di Widget,
    [Practical Ray Tracing of Trimmed
    Gizmos](http://example.edu/papers/Gizmo2000.pdf),
    SIGGRAPH 2000.
-   Ed Widget et. al. [A Framework for Realistic Widget
    Synthesis](http://example.edu/papers/Widget1997.pdf),
    SIGGRAPH 1997.
-   See also, [The Widget Rendering Equation](https://arxiv.org/abs/2401.01234)
"""
    papers = parse(text).papers
    assert [(p.title, p.venue, p.year, p.authors) for p in papers] == [
        (
            "An Improved Illumination Model for Shaded Widgets",
            "Communications of the ACM",
            1980,
            ["Ada Widget"],
        ),
        (
            "Practical Ray Tracing of Trimmed Gizmos",
            "SIGGRAPH",
            2000,
            ["Bo Gizmo", "Cy Sprocket", "Di Widget"],
        ),
        ("A Framework for Realistic Widget Synthesis", "SIGGRAPH", 1997, ["Ed Widget"]),
    ]  # 'See also, [Title](url)' has no year: no citation, and no paper


def test_a_name_like_venue_after_the_authors_is_the_venue() -> None:
    """`Graphics Gems IV, 1994.` after `Ada Widget, [Title](pdf),`, and `*Cell Widgets, June
    2021.*` after a bioinformatics list's authors line: capitalised words before a year look
    like a person, but the authors are read already; the venue was dropped (5 of 62 entries of
    a graphics list, 2 of 41 of a protein list)."""
    text = """\
# Widget Readings

## Overview

-   Ada Widget, [A Minimal Widget
    Tracer](http://example.edu/papers/Widget1994.pdf),
    Widget Gems IV, 1994.

### Reviews

**Learning the widget language: Evolution, structure, and function.**  
Bo Gizmo, Cy Sprocket.  
*Cell Widgets, June 2021.*  
[[10.1016/j.widget.2021.05.017](https://doi.org/10.1016/j.widget.2021.05.017)]
"""
    papers = parse(text).papers
    assert [(p.title, p.venue, p.year, p.authors) for p in papers] == [
        ("A Minimal Widget Tracer", "Widget Gems IV", 1994, ["Ada Widget"]),
        (
            "Learning the widget language: Evolution, structure, and function",
            "Cell Widgets",
            2021,
            ["Bo Gizmo", "Cy Sprocket"],
        ),
    ]


# -- classic-paper lists ----------------------------------------------------------------------
def test_a_citation_key_before_a_citation_is_no_venue() -> None:
    """`**[Widget1954]** Widget, Ada B. "Title." Journal 257.3 (1954): 161-190.` (papers a
    theory textbook cites, Google Scholar's MLA): the key, the first author's surname glued to
    the year, was read as an unknown venue 'Widget' (13 of 14 entries of such a list), hiding
    the journal. A tag that the citation does not open with stays a venue."""
    text = """\
# Paper List

1. **[Widget1954]** Widget, Ada B. "The synthesis of sequential widget circuits." Journal of the Gizmo Institute 257.3 (1954): 161-190.
2. **[McGizmo1960]** McGizmo, Robert, and Bo Sprocket. "Regular expressions and state graphs for widgets." IRE Transactions on Widget Computers 1 (1960): 39-47.
3. **[WidgetConf2019]** Serving Widgets at the Edge
"""
    assert read(text) == [
        ("The synthesis of sequential widget circuits", "Journal of the Gizmo Institute", 1954),
        (
            "Regular expressions and state graphs for widgets",
            "IRE Transactions on Widget Computers",
            1960,
        ),
        ("Serving Widgets at the Edge", "WidgetConf", 2019),
    ]


def test_a_topic_label_before_a_citation_is_no_title_wording() -> None:
    """`**Quick sort**: A. R. Widget. "Title" (1961)` (a list of classic papers by topic): the
    label and the names stayed in the title (46 of 50 entries of such a list)."""
    text = """\
# classic papers

### algorithms
- **Quick sort**: A. R. Widget. "Quick Widget Sort" (1961)
- **Lambda calculus**:Ada Gizmo. "The Calculi of Widget-Conversion" (1951)
- **Virtualization**: Bo Sprocket, et al. "Widgets and the art of virtualization" (2003)
"""
    papers = parse(text).papers
    assert [(p.title, p.year, p.authors) for p in papers] == [
        ("Quick Widget Sort", 1961, ["A. R. Widget"]),
        ("The Calculi of Widget-Conversion", 1951, ["Ada Gizmo"]),
        ("Widgets and the art of virtualization", 2003, ["Bo Sprocket"]),
    ]
