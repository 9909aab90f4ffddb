"""One pass over the document tree: a table of small handlers, one per block node type (as
mdformat's DEFAULT_RENDERERS); the walker only looks up and calls."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from pipeline.parse.document import Node
from pipeline.parse.inline import line_of, plain
from pipeline.parse.items import walk_list
from pipeline.parse.paragraphs import read_heading_entry, walk_paragraph
from pipeline.parse.state import Walk
from pipeline.parse.tables import walk_table

_DETAILS = re.compile(
    r"<(?P<close>/?)details\b[^>]*>|<summary>(?P<text>.*?)</summary>", re.I | re.S
)
_TAGS = re.compile(r"<[^>]*>")

Handler = Callable[[Walk, Node], None]


def walk_children(walk: Walk, node: Node) -> None:
    """Hand each child block to its handler; node types without one, and blocks already read
    into an entry above them, are skipped."""
    for child in node.children:
        handler = HANDLERS.get(child.type)
        if handler is not None and id(child) not in walk.consumed:
            handler(walk, child)


def _heading(walk: Walk, node: Node) -> None:
    walk.current = None
    line = line_of(node)
    for problem in walk.context.enter(plain(node), int(node.tag[1:])):
        walk.report(line, problem.code, problem.severity, problem.message)
    entry = read_heading_entry(walk, node)  # a heading that is a paper's title
    if entry is not None:
        walk.entries.append(entry)
        walk.current = entry


def _html_block(walk: Walk, node: Node) -> None:
    """`<details><summary>2024</summary>` opens a year (or venue) block; `</details>` ends
    it. Comments and other HTML are skipped: commented-out entries are not papers."""
    content = re.sub(r"<!--.*?(?:-->|$)", "", node.content, flags=re.S)
    for match in _DETAILS.finditer(content):
        if match["text"] is not None:
            walk.context.open_details(" ".join(_TAGS.sub(" ", match["text"]).split()))
        elif match["close"]:
            walk.context.close_details()
        walk.current = None


HANDLERS: Mapping[str, Handler] = {
    "heading": _heading,
    "bullet_list": walk_list,
    "ordered_list": walk_list,
    "paragraph": walk_paragraph,
    "code_block": walk_paragraph,
    "table": walk_table,
    "html_block": _html_block,
    "blockquote": walk_children,
}
