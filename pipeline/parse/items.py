"""List items: an item's first paragraph (or it with its detail paragraphs and sub-bullets) read
as an entry, sub-lists as papers or details, and the lines that continue an entry."""

from __future__ import annotations

import re

from pipeline.models import Severity, StatedIn
from pipeline.parse import mentions
from pipeline.parse.document import Node
from pipeline.parse.entry import Entry, Markup, NotAPaper
from pipeline.parse.inline import Inline, flatten_block, line_of
from pipeline.parse.place import add_detail, is_detail, make_entry, not_a_paper
from pipeline.parse.readers import read_entry
from pipeline.parse.state import Walk
from pipeline.parse.words import clip, split_authors

_LISTS = ("bullet_list", "ordered_list")
_CODE_LINE = re.compile(r"^[ \t]*(?:code|github|repo|source)[ \t]*:[ \t]*(?P<rest>.*)$", re.I)
_AUTHOR_LINE = re.compile(r"^[ \t]*(?P<mark>\*|_)(?P<names>[^*_\s].*?)(?P=mark)[ \t]*$")
_LINK = re.compile(r"\[(?P<text>(?:[^\[\]]|\[[^\[\]]*\])*)\]\((?P<url>[^)\s]*)\)")
_BARE_URL = re.compile(r"https?://[^\s)>\]]+")
_COMMENT = re.compile(r"<!--.*?(?:-->|$)")
_PAPER_WORD = re.compile(r"paper|pdf|arxiv", re.I)


def walk_list(walk: Walk, node: Node, parent: Entry | None = None) -> None:
    """Each item of a bullet or ordered list, numbered as the list numbers them."""
    number = int(str(node.attrs.get("start", 1))) if node.type == "ordered_list" else None
    for item in node.children:
        _item(walk, item, number, parent)
        if number is not None:
            number += 1


def _item(walk: Walk, item: Node, number: int | None, parent: Entry | None) -> None:
    walk.seen_items += 1
    children = list(item.children)
    head = children[0] if children and children[0].type == "paragraph" else None
    entry, used = None, 0
    if head is not None:
        used = 1
        entry = read_paragraphs(walk, [head], number, parent)
        if entry is None:
            details = [c for c in children if c.type == "paragraph"] + _detail_items(walk, children)
            if len(details) > 1:
                # 'Title' then 'Arxiv 2025 [[Paper]](url)' as a second paragraph of the item, or
                # a sub-bullet '  - Author et al. (*OSDI 2018*)'
                entry = read_paragraphs(walk, details, number, parent, reject=True)
                used = len(children) if entry is not None else used
            else:
                _reject(walk, head)
    if entry is not None:
        walk.entries.append(entry)
        walk.current = entry
    owner = entry or parent
    for child in children[used:]:
        if child.type in _LISTS:
            walk_list(walk, child, owner)
        elif child.type in ("paragraph", "code_block") and owner is not None:
            continuation(walk, owner, child)
    if entry is not None:
        walk.current = entry


def read_paragraphs(
    walk: Walk,
    paragraphs: list[Node],
    number: int | None,
    parent: Entry | None,
    reject: bool = False,
) -> Entry | None:
    """The entry that these paragraphs (read as one, broken between them) state, if a paper;
    under a paper, a plain reading is one of its details instead."""
    line = line_of(paragraphs[0])
    inline = _joined(paragraphs)
    reading = read_entry(inline, walk.venues)
    if reading is None:
        return None
    if parent is not None and reading.title_markup is Markup.PLAIN:
        add_detail(walk, parent, reading)  # '  - Author et al. (*OSDI 2018*)' under a paper
        return None
    why = not_a_paper(walk, reading, number)
    if why:
        if reject:
            walk.reject(line, why)
        return None
    return make_entry(walk, line, number, reading)


def _joined(paragraphs: list[Node]) -> Inline:
    inline = flatten_block(paragraphs[0])
    for more in paragraphs[1:]:
        inline.extend(flatten_block(more), line_of(more))
    return inline


def _detail_items(walk: Walk, children: list[Node]) -> list[Node]:
    """First paragraphs of sub-items that are all details of the item (authors, a venue,
    labelled links), never papers of their own under a topic bullet."""
    found = []
    for child in children:
        if child.type not in _LISTS:
            continue
        for item in child.children:
            head = item.children[0] if item.children else None
            if head is None or head.type != "paragraph":
                return []
            inline = flatten_block(head)
            reading = read_entry(inline, walk.venues)
            if reading is None and not inline.links:
                return []
            if reading is not None and not is_detail(walk, reading):
                return []
            found.append(head)  # '[Paper](url) | [PDF](url)' has no text but links: a detail
    return found


def _reject(walk: Walk, head: Node) -> None:
    """Record why the item at `head` is not a paper (for an empty list's explanation)."""
    reading = read_entry(flatten_block(head), walk.venues)
    if reading is not None:
        walk.reject(line_of(head), not_a_paper(walk, reading, None) or NotAPaper.ALONE)


# -- lines that continue an entry ----------------------------------------------------------
def continuation(walk: Walk, entry: Entry, node: Node) -> None:
    """Lines under an entry: authors in italics, `Code: url`, a paper link, a venue."""
    first, end = node.map or (0, 0)
    for number in range(first + 1, end + 1):
        line = walk.source(number)
        if line.strip():
            _continuation_line(walk, entry, number, _COMMENT.sub("", line))


def _continuation_line(walk: Walk, entry: Entry, number: int, line: str) -> None:
    code = _CODE_LINE.match(line)
    if code:
        url = first_url(code["rest"])
        if url:
            entry.reading.code_url = entry.reading.code_url or url
        else:
            walk.report(number, "bad-code-line", Severity.WARNING, "code line without a URL")
        return
    authors = _AUTHOR_LINE.match(line)
    if authors:
        entry.authors.extend(split_authors(authors["names"], checked=False))
        return
    url = first_url(line)
    if url and entry.reading.paper_url is None and _PAPER_WORD.search(line):
        entry.reading.paper_url = url
        return
    venue, year, _ = mentions.venue_year(walk.venues, line)
    if venue and entry.venue_source is StatedIn.HEADING and entry.reading.venue is None:
        entry.venue, entry.venue_source = venue, StatedIn.ENTRY
        if year and entry.year_source is StatedIn.HEADING:
            entry.year, entry.year_source = year, StatedIn.ENTRY
        return
    if line.strip():
        walk.report(number, "unknown-line", Severity.INFO, f"unrecognised line: {clip(line)}")


def first_url(text: str) -> str | None:
    """The first web link in a line: a markdown link's target or a bare URL."""
    link = _LINK.search(text)
    if link and link["url"].startswith(("http://", "https://")):
        return link["url"]
    bare = _BARE_URL.search(text)
    return bare.group(0) if bare else None
