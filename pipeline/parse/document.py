"""The list's markdown as a tree of small nodes, parsed one section at a time.

markdown-it-py's token list and `SyntaxTreeNode` tree for a 10,000-entry list are ~100 MB of
cyclic objects alive at once, and building the tree costs a third of the parse. Here the text
is cut before each top-level ATX heading that follows a blank line: there CommonMark has closed
every block (a heading interrupts any paragraph, table or list, and a blank line ends an HTML
block of kinds 6 and 7), except a fenced code block or an HTML block of kinds 1-5 (`<!--`,
`<pre>`, ...), so no cut is made between a line that may open one and the line that would
close it. Each section is parsed alone, with the heading after it so that its last block ends
as in the whole document, turned into `Node`s and handed to the walker, then freed. Link
reference definitions are the one document-wide thing: sections holding one are read first,
and every section is parsed knowing them all.

Most sections hold only headings, paragraphs and lists of paragraphs; `simple_blocks` reads
those without markdown-it's block rules, and `inline_nodes` reads plain text and one bold or
italic span without its inline rules (the rest goes to markdown-it, as before).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import isWhiteSpace, mdTrim
from markdown_it.rules_core import StateCore, text_join
from markdown_it.token import Token

# Inline content is parsed here, when the tokens become nodes: most of it is plain text or one
# bold or italic span, which markdown-it's rules would take a hundred calls to say.
_MARKDOWN = MarkdownIt("commonmark").enable("table").disable(["inline", "text_join"])
# URLs as the list writes them: percent-encoding every link (mdurl) is a third of the parse
# time, and the old line parser kept them raw too.
_MARKDOWN.normalizeLink = lambda url: url  # type: ignore[method-assign]

# markdown-it's `normalize` rule, done once for the whole text so that lines number alike
_NEWLINES = re.compile(r"\r\n?")
# where one of markdown-it's inline rules (commonmark preset) may start: escape, backticks,
# emphasis, link, image, autolink, html, entity, newline; text without them is one text token
_SPECIAL = re.compile(r"[\\`*_\[\]!<&\n]")
# '**Title** rest' or '*Names*': one emphasis run, closed before a space or the end
_MARKED = re.compile(r"(\*\*?)([^\\`*_\[\]!<&\n]+)\1(?= |$)")
_HEADING = re.compile(r"#{1,6}(?:[ \t]|$)")
# The blocks `simple_blocks` reads itself, at column 0: an ATX heading, a list item (one to
# four spaces after the marker, then text); any other line that might start a block is left
# to markdown-it, and so is a section with a tab, a possible link reference definition, a
# thematic break or a setext underline / table delimiter row anywhere.
_HEADING_LINE = re.compile(r"(?P<level>#{1,6}) +(?P<text>.*[^# ]) *")
_ITEM = re.compile(
    r"(?:(?P<number>[0-9]{1,9})(?P<delimiter>[.)])|(?P<bullet>[-+*]))(?P<gap> {1,4})(?=\S)"
)
_BLOCK_START = re.compile(
    r"#|>|```|~~~|<|[-+*](?: |$)|[0-9]{1,9}[.)](?: |$)|(?P<rule>[-*_])(?: *(?P=rule)){2,} *$"
)
_NOT_SIMPLE = re.compile(r"\t|\]:|^ *([-*_])(?: *\1){2,} *$|^[ |:=-]*[|=-][ |:=-]*$", re.M)
_FENCE = re.compile(r"[ \t]*(?P<run>`{3,}|~{3,})")
# HTML blocks of kinds 1-5 (CommonMark 4.6) run past blank lines until their end marker; any
# line starting like one (at any indent) is taken for one, which only means fewer cuts.
_HTML_OPEN = re.compile(
    r"[ \t]*<(?:(?P<raw>script|pre|style|textarea)|(?P<comment>!--)|"
    r"(?P<pi>\?)|(?P<cdata>!\[CDATA\[)|(?P<decl>!))",
    re.I,
)
_HTML_END = {
    "raw": re.compile(r"</(?:script|pre|style|textarea)>", re.I),
    "comment": re.compile(r"-->"),
    "pi": re.compile(r"\?>"),
    "cdata": re.compile(r"\]\]>"),
    "decl": re.compile(r">"),
}


class Node:
    """One block or inline element, as markdown-it-py's `SyntaxTreeNode` would give it."""

    __slots__ = ("attrs", "children", "content", "map", "next_sibling", "tag", "type")

    def __init__(
        self,
        type: str,
        map: tuple[int, int] | None = None,
        attrs: dict[str, Any] | None = None,
        content: str = "",
        tag: str = "",
    ) -> None:
        self.type = type
        self.map = map
        self.attrs: dict[str, Any] = attrs if attrs is not None else {}
        self.content = content
        self.tag = tag
        self.children: list[Node] = []
        self.next_sibling: Node | None = None

    def __repr__(self) -> str:
        return f"Node({self.type})"


def sections(lines: list[str]) -> Iterator[Node]:
    """The document in sections, each a root `Node` whose children are its top-level blocks,
    with line numbers of the whole document."""
    text = _NEWLINES.sub("\n", "\n".join(lines)).replace("\0", "\ufffd")
    doc = text.split("\n")
    cuts = section_starts(doc)
    env: dict[str, Any] = {}
    bounds = list(zip(cuts, [*cuts[1:], len(doc)], strict=True))
    for start, end in bounds if "]:" in text else ():
        if any("]:" in line for line in doc[start:end]):  # a link reference definition
            _MARKDOWN.block.parse(_source(doc, start, end), _MARKDOWN, env, [])
    references = env.get("references", {})
    start = 0
    for end in [*cuts[1:], len(doc)]:
        simple = simple_blocks(doc, start, end, {"references": references})
        if simple is not None:
            root = Node("root")
            root.children = simple
            yield root
            start = end
            continue
        tokens = _MARKDOWN.parse(_source(doc, start, end), {"references": references})
        if end < len(doc):
            if not _ends_with_heading(tokens, end - start):
                continue  # never seen (the cuts avoid open blocks): parse it with the next one
            tokens = tokens[:-3]  # the next section's heading, parsed only to end this one
        root = Node("root")
        root.children = to_nodes(tokens, start, {"references": references})
        yield root
        start = end


def _ends_with_heading(tokens: list[Token], line: int) -> bool:
    last = tokens[-3:]
    return [t.type for t in last] == ["heading_open", "inline", "heading_close"] and (
        last[0].map is not None and last[0].map[0] == line
    )


def _source(doc: list[str], start: int, end: int) -> str:
    return "\n".join(doc[start : end + 1])


def section_starts(doc: list[str]) -> list[int]:
    """Line indexes where a section begins: 0, then each top-level ATX heading after a blank
    line, outside anything that may be a fenced code block or an HTML block of kinds 1-5."""
    starts = [0]
    open_until = -1  # the last line of a block that may hold blank lines and headings
    for index, line in enumerate(doc):
        if index > open_until and index > 0 and line[:1] == "#" and _HEADING.match(line):
            if not doc[index - 1].strip(" \t"):
                starts.append(index)
            continue
        # every line is looked at, inside such a block too: what looks like one there may be
        # the start of a real one (a closing fence is taken for an opening one: fewer cuts)
        fence = _FENCE.match(line) if "```" in line or "~~~" in line else None
        if fence:
            open_until = max(open_until, _fence_end(doc, index, fence["run"]))
            continue
        html = _HTML_OPEN.match(line) if "<" in line else None
        if html:
            kind = next(name for name, value in html.groupdict().items() if value is not None)
            ends = (n for n in range(index, len(doc)) if _HTML_END[kind].search(doc[n]))
            open_until = max(open_until, next(ends, len(doc)))
    return starts


def _fence_end(doc: list[str], start: int, run: str) -> int:
    """The line that would close a fence opened at `start`: no earlier than CommonMark's."""
    for index in range(start + 1, len(doc)):
        line = doc[index]
        body = line.lstrip(" ")
        mark = body.rstrip(" ")
        if len(line) - len(body) <= 3 and mark.startswith(run) and not mark.strip(run[0]):
            return index
    return len(doc)


def to_nodes(tokens: list[Token], offset: int, env: dict[str, Any]) -> list[Node]:
    """Tokens -> nodes (`_open` ... `_close` become one node holding what is between), their
    line maps shifted by `offset`; inline content parsed with the reference definitions in
    `env`."""
    top: list[Node] = []
    stack = [top]
    for token in tokens:
        if token.nesting == -1:
            stack.pop()
            continue
        where = token.map
        node = Node(
            token.type[:-5] if token.nesting == 1 else token.type,
            (where[0] + offset, where[1] + offset) if where else None,
            token.attrs,
            token.content,
            token.tag,
        )
        siblings = stack[-1]
        if siblings:
            siblings[-1].next_sibling = node
        siblings.append(node)
        if token.nesting == 1:
            stack.append(node.children)
        elif token.type == "inline":
            node.children = inline_nodes(token.content, env)
        elif token.children:
            node.children = to_nodes(token.children, offset, env)
    return top


def inline_nodes(content: str, env: dict[str, Any]) -> list[Node]:
    """Inline content -> nodes, as markdown-it's inline rules and `text_join` make them."""
    if not content:
        return []
    if _SPECIAL.search(content) is None:
        return [Node("text", content=content)]
    marked = _MARKED.match(content)
    if (
        marked is not None
        and _SPECIAL.search(content, marked.end()) is None
        and not isWhiteSpace(ord(marked[2][0]))
        and not isWhiteSpace(ord(marked[2][-1]))
    ):
        # left-flanking after the start, right-flanking before a space or the end: a pair;
        # markdown-it-py leaves the emptied delimiter tokens of '**' around a strong span
        kind = "strong" if len(marked[1]) == 2 else "em"
        span = Node(kind, tag=kind)
        span.children = [Node("text", content=marked[2])]
        rest = content[marked.end() :]
        nodes = [Node("text"), span, Node("text", content=rest)] if kind == "strong" else [span]
        if kind == "em" and rest:
            nodes.append(Node("text", content=rest))
        for node, after in zip(nodes, nodes[1:], strict=False):
            node.next_sibling = after
        return nodes
    token = Token("inline", "", 0)
    token.children = []
    _MARKDOWN.inline.parse(content, _MARKDOWN, env, token.children)
    state = StateCore("", _MARKDOWN, env)
    state.tokens = [token]
    text_join(state)
    return to_nodes(token.children, 0, env)


def simple_blocks(
    doc: list[str], start: int, end: int, env: dict[str, Any] | None = None
) -> list[Node] | None:
    """The section's blocks as markdown-it would give them, when it holds only headings,
    paragraphs and lists of paragraphs at column 0 (most lists); None for anything else."""
    # markdown-it-py counts no last line that is empty or only spaces and tabs
    limit = end - 1 if end == len(doc) and not doc[-1].strip(" \t") else end
    if start >= limit or _NOT_SIMPLE.search("\n".join(doc[start:limit])):
        return None
    reader = _SimpleReader(doc, limit, env or {})
    try:
        return reader.blocks(start)
    except _NotSimple:
        return None


class _NotSimple(Exception):
    """The section holds something `_SimpleReader` leaves to markdown-it."""


class _SimpleReader:
    """CommonMark's block rules, as markdown-it-py applies them, for headings, paragraphs and
    lists of paragraphs; raises `_NotSimple` on anything else."""

    def __init__(self, doc: list[str], limit: int, env: dict[str, Any]) -> None:
        self.doc = doc
        self.limit = limit
        self.env = env  # the document's link reference definitions

    def skip_blank(self, line: int) -> int:
        while line < self.limit and not self.doc[line].strip(" "):
            line += 1
        return line

    def blocks(self, line: int) -> list[Node]:
        nodes: list[Node] = []
        while True:
            line = self.skip_blank(line)
            if line >= self.limit:
                return _linked(nodes)
            text = self.doc[line]
            heading = _HEADING_LINE.fullmatch(text)
            if heading:
                nodes.append(_heading(heading, line, self.env))
                line += 1
                continue
            item = _ITEM.match(text)
            if item:
                node, line = self.list_block(item, line)
                nodes.append(node)
                continue
            body = text.lstrip(" ")
            if len(text) - len(body) >= 4 or _BLOCK_START.match(body):
                raise _NotSimple  # indented code, or a block this reader does not know
            node, line = self.paragraph(line, 0, text)
            nodes.append(node)

    def list_block(self, item: re.Match[str], line: int) -> tuple[Node, int]:
        first = line
        ordered = item["number"] is not None
        attrs = {"start": int(item["number"])} if ordered and int(item["number"]) != 1 else None
        marker = item["delimiter"] or item["bullet"]
        items: list[Node] = []
        while True:
            width = item.end()
            start = line
            children = []
            rest = self.doc[line][width:]
            if _BLOCK_START.match(rest):
                raise _NotSimple  # '1. - [x] Title': a list inside the item
            paragraph, line = self.paragraph(line, width, rest)
            children.append(paragraph)
            while True:
                line = self.skip_blank(line)
                text = self.doc[line] if line < self.limit else ""
                indent = len(text) - len(text.lstrip(" "))
                if line >= self.limit or indent < width:
                    break
                if indent - width >= 4 or _BLOCK_START.match(text[indent:]):
                    raise _NotSimple  # code or a nested block inside the item
                paragraph, line = self.paragraph(line, width, text)
                children.append(paragraph)
            node = Node("list_item", (start, line), tag="li")
            node.children = _linked(children)
            items.append(node)
            if line >= self.limit:
                break
            text = self.doc[line]
            if text[:1] == " " and _BLOCK_START.match(text.lstrip(" ")):
                raise _NotSimple  # an indented item may go on with the list
            next_item = _ITEM.match(text)
            if next_item is None or (next_item["number"] is not None) != ordered:
                break
            if (next_item["delimiter"] or next_item["bullet"]) != marker:
                break
            item = next_item
        kind = "ordered_list" if ordered else "bullet_list"
        node = Node(kind, (first, line), attrs, tag="ol" if ordered else "ul")
        node.children = _linked(items)
        return node, line

    def paragraph(self, line: int, indent: int, first: str) -> tuple[Node, int]:
        """A paragraph from `line` (whose text is `first`), in a block indented `indent`."""
        start = line
        parts = [first]
        line += 1
        while line < self.limit:
            text = self.doc[line]
            body = text.lstrip(" ")
            if not body:
                break
            if len(text) == len(body):
                if _HEADING.match(body):
                    break  # a heading ends the paragraph
                item = _ITEM.match(text)
                if item:
                    if indent == 0 and item["number"] not in (None, "1"):
                        raise _NotSimple  # '2. x' does not interrupt a paragraph
                    break
            if _BLOCK_START.match(body):
                raise _NotSimple
            parts.append(text[min(indent, len(text) - len(body)) :])
            line += 1
        content = mdTrim("\n".join(parts))
        inline = Node("inline", (start, line), content=content)
        inline.children = inline_nodes(content, self.env)
        node = Node("paragraph", (start, line), tag="p")
        node.children = [inline]
        return node, line


def _heading(match: re.Match[str], line: int, env: dict[str, Any]) -> Node:
    tag = f"h{len(match['level'])}"
    inline = Node("inline", (line, line + 1), content=mdTrim(match["text"]))
    inline.children = inline_nodes(inline.content, env)
    node = Node("heading", (line, line + 1), tag=tag)
    node.children = [inline]
    return node


def _linked(nodes: list[Node]) -> list[Node]:
    for node, after in zip(nodes, nodes[1:], strict=False):
        node.next_sibling = after
    return nodes
