"""The document tree the walker reads (pipeline/parse/document.py): parsed a section at a time,
simple sections without markdown-it's block rules, plain inline text without its inline rules;
always the tree one markdown-it parse of the whole text gives."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from pipeline.parse import parse_list
from pipeline.parse.document import Node, inline_nodes, section_starts, sections

FIXTURES = Path(__file__).resolve().parent / "fixtures"
LISTS = sorted((FIXTURES / "lists").rglob("*.md")) + [FIXTURES / "small-list.md"]

_WHOLE = MarkdownIt("commonmark").enable("table")
_WHOLE.normalizeLink = lambda url: url  # type: ignore[method-assign]  # as the parser does


def expected(text: str) -> list[Any]:
    """The tree of one markdown-it parse of the whole text."""
    return [_shape(node) for node in SyntaxTreeNode(_WHOLE.parse(text)).children]


def _shape(node: SyntaxTreeNode) -> Any:
    token = node.token or (node.nester_tokens.opening if node.nester_tokens else None)
    assert token is not None
    where = tuple(token.map) if token.map else None
    return (node.type, where, dict(token.attrs), token.content, token.tag,
            [_shape(child) for child in node.children])  # fmt: skip


def shape(node: Node) -> Any:
    return (node.type, node.map, dict(node.attrs), node.content, node.tag,
            [shape(child) for child in node.children])  # fmt: skip


def read(lines: list[str]) -> list[Any]:
    return [shape(node) for section in sections(lines) for node in section.children]


@pytest.mark.parametrize("path", LISTS, ids=lambda p: p.name)
def test_every_fixture_list_reads_as_one_markdown_it_parse(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert read(text.split("\n")) == expected(text)


def test_a_list_is_cut_before_its_headings_but_never_inside_a_fence_or_comment() -> None:
    doc = ["# List", "", "## A", "- x", "", "```", "", "## not a heading", "```", "",
           "<!--", "", "## commented", "-->", "", "## B", "1. **T** OSDI 2019"]  # fmt: skip
    assert section_starts(doc) == [0, 2]  # the closing fence may open one: no cut after it
    assert read(doc) == expected("\n".join(doc))


def test_reference_definitions_apply_across_sections() -> None:
    doc = ["## A", "- [Widget Serving][ws] OSDI 2019", "", "## B", "", "[ws]: https://x.org/ws"]
    assert read(doc) == expected("\n".join(doc))
    assert "https://x.org/ws" in str(read(doc))


def test_strong_title_nodes_are_those_markdown_it_gives() -> None:
    for text in ["**Title** OSDI 2019", "**Title**", "*A. Author, B. Author*", "*x* y", "plain",
                 "**#1:** x", "** x**", "**x **y", "**x** *y*", "a *b* c", "**Ti_tle** V"]:  # fmt: skip
        inline = _WHOLE.parseInline(text)[0]
        assert [shape(n) for n in inline_nodes(text, {})] == [
            _shape(n) for n in SyntaxTreeNode(inline.children or []).children
        ], text


# -- random documents: lists, headings, paragraphs and what the simple reader leaves alone ----

_TEXT = st.sampled_from(
    ["**Title** OSDI 2019", "*A, B*", "Title", "[T](https://x.org)", "x <br> y", "`c` d", "a & b",
     "***", "---", "* * *", "===", "|---|", "a | b", "> q", "```", "<b>x", "[x]: /u", "#", "C#",
     "Title #", "x  ", "\u2003x", "1.x", "_x_", "[ ] t", "é", "2019", "a\tb", "**x**y", "-x"]
)  # fmt: skip
_MARKER = st.sampled_from(
    ["", "- ", "* ", "+ ", "1. ", "2. ", "1) ", "10. ", "100. ", "-    ", "-     ", "0. "]
)
_LINE = st.one_of(
    st.sampled_from(["", " ", "  ", " \t"]),  # blank lines, the last one too
    st.sampled_from(["# H", "## 2020", "### Venue ###", "####### x", "#", "#  spaced  "]),
    st.builds(
        lambda indent, marker, text: " " * indent + marker + text,
        st.sampled_from([0, 0, 0, 1, 2, 3, 4, 5, 8]),
        _MARKER,
        _TEXT,
    ),  # fmt: skip
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_LINE, max_size=24), st.lists(st.integers(0, 23), max_size=4))
def test_random_documents_read_as_one_markdown_it_parse(lines: list[str], cuts: list[int]) -> None:
    for at in sorted(set(cuts), reverse=True):
        lines[at:at] = ["", "### Next"]  # sections
    text = "\n".join(lines)
    assert read(text.split("\n")) == expected(text)


def test_parsing_makes_no_reference_cycles() -> None:
    """Commands run with the cyclic collector paused (pipeline/collector.py): free only while
    the parse makes no cycles."""
    text = (FIXTURES / "lists" / "youngfish42+Awesome-FL.md").read_text(encoding="utf-8")
    parse_list(["# warm-up", "", "- **A Paper** OSDI 2019"])
    gc.collect()
    was_on = gc.isenabled()
    gc.disable()
    try:
        parse_list(text.splitlines())
        assert gc.collect() == 0
    finally:
        if was_on:
            gc.enable()
    assert gc.isenabled() == was_on
