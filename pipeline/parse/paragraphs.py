"""Entries written as paragraphs instead of list items.

`**Fast Widget Serving**`, `*A. Author, B. Author*`, `NeurIPS 2024 [[Paper](url)]`: a title
line, then authors and venue after hard breaks or in the next short paragraphs; and a
paper that is only a link in its own paragraph under a topic heading. A paragraph is a paper
only with stronger evidence than a list item (a marked-up title and a paper link, venue, year
or authors): prose between entries must stay out.
"""

from __future__ import annotations

import re

from pipeline.parse import mentions
from pipeline.parse.document import Node, inline_nodes
from pipeline.parse.entry import Entry, Markup, NotAPaper, Reading
from pipeline.parse.inline import Inline, flatten, flatten_block, line_of, plain
from pipeline.parse.items import continuation, first_url
from pipeline.parse.place import is_detail, make_entry, not_a_paper
from pipeline.parse.readers import read_entry
from pipeline.parse.readers.links import PAPER_HOST
from pipeline.parse.state import Walk
from pipeline.parse.words import item_text, split_authors

# '[*] ', '[x] ', '[ ] ', '• ' at the start of a line: a list marker markdown does not know
_MARKED_LINE = re.compile(r"[ ]{0,3}(?:\[[*xX+ ]\]|[•▪‣])[ \t]+(?=\S)")
MAX_LINES = 6  # a paragraph entry is a few lines; longer paragraphs are prose
MAX_DETAIL_PARAGRAPHS = 2  # authors, then venue and links
# '论文：https://arxiv.org/abs/2401.01234', '- 代码（即将开源）：https://github.com/x',
# 'Paper: [arXiv](url)': a material's label, a colon, then its link, or a note that there is none
# yet ('论文：暂无')
_MATERIAL_LINE = re.compile(r"(?P<label>[^:：]{1,24}?)[ \t]*[:：][ \t]*\S")
_MATERIAL_LABEL = re.compile(
    r"paper|pdf|arxiv|code|github|project|home ?page|website|demo|video|slides|blog|dataset|"
    r"论文|代码|主页|项目|解读|数据集|视频",
    re.I,
)
_PAPER_LABEL = re.compile(r"paper|pdf|arxiv|论文", re.I)
_CODE_LABEL = re.compile(r"code|github|代码", re.I)
MAX_MATERIAL_LINES = 8
MAX_NOTE_WORDS = 3  # '- CVPR 2020 Oral', '- Oral' among a paper's links
_NOT_A_PAPER_HOST = re.compile(
    r"github\.com|gitlab\.com|youtube\.com|youtu\.be|twitter\.com|//x\.com|medium\.com|"
    r"zhihu\.com|bilibili\.com|discord|slack\.com|huggingface\.co/spaces",
    re.I,
)


def walk_paragraph(walk: Walk, node: Node) -> None:
    """An indented paragraph continues the entry above it; any other may be an entry itself,
    or a list written with markers markdown does not know (`[*] Title, 2023, MICRO`)."""
    first = (node.map or (0, 0))[0]
    indented = first < len(walk.lines) and walk.lines[first][:1] in (" ", "\t")
    if walk.current is not None and indented:
        continuation(walk, walk.current, node)
        return
    if (
        node.type == "paragraph"
        and first < len(walk.lines)
        and _MARKED_LINE.match(walk.lines[first])
    ):
        walk_marked_lines(walk, node)
        return
    walk.seen_paragraphs += 1
    entry = read_paragraph_entry(walk, node)
    if entry is not None:
        walk.entries.append(entry)
        walk.current = entry


def walk_marked_lines(walk: Walk, node: Node) -> None:
    """`[*] Title, 2023, MICRO` on consecutive lines: a list whose markers markdown does not
    know, so it reads one paragraph. Each marked line is an entry, read as a list item would
    be; an unmarked line under one (`    - Must-read paper`) is a note, not an entry."""
    first, end = node.map or (0, 0)
    for index in range(first, min(end, len(walk.lines))):
        marker = _MARKED_LINE.match(walk.lines[index])
        if marker is None:
            continue
        walk.seen_items += 1
        line = index + 1
        root = Node("inline")
        root.children = inline_nodes(walk.lines[index][marker.end() :].strip(), {})
        reading = read_entry(flatten(root, line), walk.venues)
        if reading is not None and reading.year is None and reading.title_markup is Markup.PLAIN:
            _year_after_comma(walk, reading)
        why = NotAPaper.NO_TITLE if reading is None else not_a_paper(walk, reading, None)
        if reading is None or why is not None:
            walk.reject(line, why or NotAPaper.NO_TITLE)
            continue
        entry = make_entry(walk, line, None, reading)
        walk.entries.append(entry)
        walk.current = entry


def _year_after_comma(walk: Walk, reading: Reading) -> None:
    """`[*] The Widget Machine, 1988`: in these lines a year after the last comma is the
    paper's (a plain list item's title may end in one: there only a venue with it counts)."""
    tail = mentions.trailing_comma_tail(walk.venues, reading.title)
    if tail is not None:
        start, venue, year = tail
        reading.title, reading.year = reading.title[:start], year
        reading.venue = reading.venue or venue


def read_paragraph_entry(walk: Walk, node: Node) -> Entry | None:
    """The paper a paragraph (and the detail paragraphs after it) states, if it is one."""
    first, end = node.map or (0, 0)
    if node.type != "paragraph" or end - first > MAX_LINES or walk.context.in_noise():
        return None
    details = _detail_paragraphs(walk, node)
    inline = flatten_block(node)
    for more in details:
        inline.extend(flatten_block(more), line_of(more))
    reading = read_entry(inline, walk.venues)
    if reading is None or reading.title_markup is Markup.PLAIN or len(reading.title.split()) < 2:
        return None
    materials = _material_blocks(walk, node) if not (details or reading.paper_url) else []
    if materials:
        _read_material_lines(walk, materials, reading)
    why = not_a_paper(walk, reading, None)
    if why is NotAPaper.NO_EVIDENCE and _lone_link(reading, inline):
        why = None  # a link alone in its paragraph, to a paper page, under a topic heading
    elif why is None and not (materials or _strong_evidence(reading, inline)):
        why = NotAPaper.NO_EVIDENCE
    if why is not None:
        walk.reject(line_of(node), why)
        return None
    walk.consumed.update(id(more) for more in [*details, *materials])
    return make_entry(walk, line_of(node), None, reading)


def _detail_paragraphs(walk: Walk, node: Node) -> list[Node]:
    """The short paragraphs right after a title paragraph that only add to it: `*A. Author*`,
    `NeurIPS 2024 [[Paper](url)]`."""
    found: list[Node] = []
    sibling = node.next_sibling
    while (
        sibling is not None and sibling.type == "paragraph" and len(found) < MAX_DETAIL_PARAGRAPHS
    ):
        inline = flatten_block(sibling)
        first = next((r for r in inline.runs if r.text.strip()), None)
        if first is not None and first.strong:
            break  # '**Next Title**': the next entry, not a detail (and not worth reading twice)
        reading = read_entry(inline, walk.venues)
        italic = all(r.em for r in inline.runs if r.text.strip())  # '*C. Author*'
        if reading is None and not inline.links:
            break
        if reading is not None and not (italic or is_detail(walk, reading)):
            break
        found.append(sibling)
        sibling = sibling.next_sibling
    return found


def _material_blocks(walk: Walk, node: Node) -> list[Node]:
    """The list or paragraphs right after a title paragraph that give only its links, each
    labelled (`- 论文：https://arxiv.org/abs/...`, `- 代码：https://github.com/...`, `Paper: url`;
    Chinese conference collections); a list item may be a short note instead (`- Oral`)."""
    sibling = node.next_sibling
    blocks: list[Node] = []
    if sibling is not None and sibling.type == "bullet_list":
        lines = _block_lines(walk, [sibling])
        if len(lines) <= MAX_MATERIAL_LINES and all(
            _material_line(line) or len(line.split()) <= MAX_NOTE_WORDS for line in lines
        ):
            blocks = [sibling]
    while sibling is not None and sibling.type == "paragraph" and len(blocks) < MAX_MATERIAL_LINES:
        if not all(_material_line(line) for line in _block_lines(walk, [sibling])):
            break
        blocks.append(sibling)
        sibling = sibling.next_sibling
    linked = any(_material_line(line) and first_url(line) for line in _block_lines(walk, blocks))
    return blocks if linked else []


def _block_lines(walk: Walk, blocks: list[Node]) -> list[str]:
    """The source lines of some blocks, list markers removed, blank lines skipped."""
    lines: list[str] = []
    for block in blocks:
        first, end = block.map or (0, 0)
        lines.extend(item_text(walk.source(number)) for number in range(first + 1, end + 1))
    return [line for line in lines if line]


def _material_line(line: str) -> bool:
    label = _MATERIAL_LINE.match(line)
    return label is not None and _MATERIAL_LABEL.search(label["label"]) is not None


def _read_material_lines(walk: Walk, blocks: list[Node], reading: Reading) -> None:
    """The paper and code links of labelled lines (`论文：url`, `代码：url`)."""
    for line in _block_lines(walk, blocks):
        label = _MATERIAL_LINE.match(line)
        url = first_url(line) if label is not None else None
        if label is None or url is None:
            continue
        if _CODE_LABEL.search(label["label"]) or "github.com" in url:
            reading.code_url = reading.code_url or url
        elif _PAPER_LABEL.search(label["label"]) or PAPER_HOST.search(url):
            reading.paper_url = reading.paper_url or url
            reading.paper_link = True


def _strong_evidence(reading: Reading, inline: Inline) -> bool:
    """A paper link, venue, year or authors; or a lone link with a title-like text."""
    if reading.paper_link or reading.states_venue_or_year() or reading.authors:
        return True
    return _lone_link(reading, inline)


def _lone_link(reading: Reading, inline: Inline) -> bool:
    """`[Widget: a scheduler for clusters](https://example.org/widget)`: the paragraph is one
    link, to no code host or video, with a title of three words or more."""
    texts = [r.text for r in inline.runs if r.link is None and r.text.strip()]
    url = reading.paper_url or ""
    return (
        len(inline.links) == 1
        and not texts
        and reading.title_markup is Markup.LINK
        and len(reading.title.split()) >= 3
        and url.startswith(("http://", "https://"))
        and not _NOT_A_PAPER_HOST.search(url)
    )


# '- **저자**: K. Widget, B. Gizmo', '- **Venue:** NeurIPS 2017': a bold label, a colon and its
# value, one detail of the paper named by the heading above the list
_LABELLED_DETAIL = re.compile(
    r"\*\*(?P<label>[^*]{1,24}?)[ \t]*(?:\*\*[ \t]*[:：]|[:：][ \t]*\*\*)[ \t]*(?P<value>.*)"
)
_HEADING_NUMBER = re.compile(r"^[ \t]*\d{1,3}[.)][ \t]+")  # '### 1. [Title](url)'
_AUTHORS_LABEL = re.compile(r"authors?|저자|著者|作者", re.I)
MAX_HEADING_DETAILS = 8


def read_heading_entry(walk: Walk, node: Node) -> Entry | None:
    """`### 1. [Title](arxiv-url) (Nick)` over a list of labelled details (`- **저자**: names`,
    `- **학회/저널**: CVPR 2016`; Korean reading lists): the heading names the paper and the
    list gives its venue, year and authors. The list is read here, never as entries of its own
    (each would be titled by its label)."""
    details = node.next_sibling
    if details is None or details.type != "bullet_list" or walk.context.in_noise():
        return None
    inline = flatten_block(node)
    if not inline.links:
        return None  # only a heading that links its paper (cheap test first)
    first = inline.runs[0]
    if first.link is None:
        first.text = _HEADING_NUMBER.sub("", first.text)  # '1. ' before the title's link
    values = _labelled_details(walk, details)
    if not values:
        return None
    reading = read_entry(inline, walk.venues)
    if reading is None or reading.title_markup is not Markup.LINK or not reading.paper_link:
        return None
    for label, value in values:
        stated = mentions.whole(walk.venues, value)
        if stated is not None and reading.venue is None and reading.year is None:
            reading.venue, reading.year = stated
        elif _AUTHORS_LABEL.fullmatch(label):
            reading.authors = split_authors(value, checked=False)  # not '(Stable Diffusion)'
    if not reading.states_venue_or_year() or not_a_paper(walk, reading, None) is not None:
        return None
    walk.consumed.add(id(details))
    entry = make_entry(walk, line_of(node), None, reading)
    # the heading is the paper, not a section of it: the section is the heading's parent
    heading_part = " / " + plain(node)
    if entry.section.endswith(heading_part):
        entry.section = entry.section[: -len(heading_part)]
    return entry


def _labelled_details(walk: Walk, details: Node) -> list[tuple[str, str]]:
    """(label, value) of each item's first line, or [] unless every item is one."""
    if len(details.children) > MAX_HEADING_DETAILS:
        return []
    found = []
    for item in details.children:
        detail = _LABELLED_DETAIL.fullmatch(item_text(walk.source(line_of(item))).rstrip())
        if detail is None:
            return []
        found.append((detail["label"].strip(), detail["value"].strip()))
    return found
