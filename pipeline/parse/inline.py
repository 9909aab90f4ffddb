"""Inline markdown flattened into text runs, and the spans (bold, links) the readers look at."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import IntEnum

from pipeline.parse.document import Node

BREAK = "\n"  # a <br>, a soft line break or a removed link: nothing reads across it
_BR = re.compile(r"<br\b", re.I)
# '[ [Paper](url) ]' once the link is gone; '[**`PTQ`, `CNN`**]' once its keyword tags are gone
# (only the commas between them are left)
_EMPTY_BRACKETS = re.compile(r"\[[\s,;/|]*\n[\s,;/|]*\]")
_TAG_SEPARATORS = " \t,;/|"


@dataclass
class Run:
    """A stretch of inline text with the markup around it."""

    text: str
    line: int
    strong: bool = False
    em: bool = False
    link: int | None = None  # index into Inline.links
    code: bool = False


@dataclass
class Inline:
    """An inline markdown node flattened: text runs, links, badge images, html."""

    runs: list[Run] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)

    def label(self, link: int) -> str:
        """The text of one link."""
        return "".join(r.text for r in self.runs if r.link == link)

    def extend(self, more: Inline, line: int) -> None:
        """Append another paragraph after a BREAK, its link indices shifted past ours."""
        offset = len(self.links)
        self.runs.append(Run(BREAK, line))
        for run in more.runs:
            link = None if run.link is None else run.link + offset
            self.runs.append(Run(run.text, run.line, run.strong, run.em, link, run.code))
        self.links.extend(more.links)
        self.images.extend(more.images)

    def part(self, runs: list[Run]) -> Inline:
        """Some of our runs as an Inline of their own: their links only, renumbered; every
        badge image (images have no place among the runs)."""
        links: dict[int, int] = {}
        out = Inline(images=list(self.images))
        for run in runs:
            link = run.link
            if link is not None:
                if link not in links:
                    links[link] = len(out.links)
                    out.links.append(self.links[link])
                link = links[link]
            out.runs.append(Run(run.text, run.line, run.strong, run.em, link, run.code))
        return out


def flatten(node: Node, first_line: int) -> Inline:
    """Inline tokens -> runs; soft breaks and `<br>` become BREAK, html tags vanish."""
    out = Inline()
    _flatten(out, node, [first_line], False, False, None)
    return out


def _flatten(
    out: Inline, node: Node, line: list[int], strong: bool, em: bool, link: int | None
) -> None:
    """One level of `flatten` (a function of its own: a recursive closure is a reference
    cycle, left for the cyclic collector once per entry)."""
    for child in node.children:
        kind = child.type
        if kind == "text":
            out.runs.append(Run(child.content, line[0], strong, em, link))
        elif kind == "code_inline":
            out.runs.append(Run(child.content, line[0], strong, em, link, code=True))
        elif kind in ("softbreak", "hardbreak"):
            inside = link is not None or strong  # a title wrapped inside its link or bold
            out.runs.append(Run(" " if inside else BREAK, line[0], strong, em, link))
            line[0] += 1
        elif kind == "html_inline":
            if _BR.match(child.content):
                out.runs.append(Run(BREAK, line[0]))
        elif kind == "image":
            out.images.append(str(child.attrs.get("src", "")))
        elif kind == "link":
            out.links.append(str(child.attrs.get("href", "")))
            if not child.children:  # '[](url)': still a link, to read as a material
                out.runs.append(Run("", line[0], strong, em, len(out.links) - 1))
            _flatten(out, child, line, strong, em, len(out.links) - 1)
        else:
            _flatten(out, child, line, strong or kind == "strong", em or kind == "em", link)


def flatten_block(node: Node) -> Inline:
    """A paragraph, heading or cell node's inline content (empty when it has none)."""
    return flatten(node.children[0], line_of(node)) if node.children else Inline()


class SpanKind(IntEnum):
    LINK = 0  # sorts before STRONG where both cover the same text, as the reader expects
    STRONG = 1


@dataclass(frozen=True, order=True)
class Span:
    """Where bold text or a title link sits in the entry's assembled text."""

    start: int
    end: int
    kind: SpanKind
    link: int = -1  # which of Inline.links, for a LINK span


def assemble(inline: Inline, materials: set[int]) -> tuple[str, list[Span]]:
    """The entry's plain text (material links become BREAK) and the spans of its bold text and
    title links."""
    parts: list[str] = []
    spans: list[Span] = []
    pos = 0
    open_strong: int | None = None
    open_link: tuple[int, int] | None = None
    for run in inline.runs:
        tag = run.code and run.strong  # **`PTQ`**, **`kg.`**: keyword tags, not words
        text = BREAK if run.link in materials or tag else run.text
        if run.code and not tag and not "".join(parts).strip():
            text = f"[{text}] "  # a leading `SC'20` reads as the tag [SC'20]
        if run.link in materials and parts and parts[-1] == BREAK:
            text = ""
        if open_strong is not None and not run.strong:
            spans.append(Span(open_strong, pos, SpanKind.STRONG))
            open_strong = None
        if open_link is not None and run.link != open_link[1]:
            spans.append(Span(open_link[0], pos, SpanKind.LINK, open_link[1]))
            open_link = None
        if run.strong and open_strong is None and run.text.strip(_TAG_SEPARATORS) and not tag:
            open_strong = pos  # never at a keyword tag or the ', ' between two
        if run.link is not None and run.link not in materials and open_link is None:
            open_link = (pos, run.link)
        parts.append(text)
        pos += len(text)
    if open_strong is not None:
        spans.append(Span(open_strong, pos, SpanKind.STRONG))
    if open_link is not None:
        spans.append(Span(open_link[0], pos, SpanKind.LINK, open_link[1]))
    text = _EMPTY_BRACKETS.sub(BREAK, "".join(parts))
    return text, sorted(spans)


def plain(node: Node) -> str:
    """The text of a heading or cell: link texts kept, images and tags dropped."""
    if not node.children:
        return ""
    runs = flatten(node.children[0], 0).runs
    return " ".join("".join(r.text for r in runs).replace(BREAK, " ").split())


def line_of(node: Node) -> int:
    """The 1-based line a block node starts on."""
    return (node.map or (0, 0))[0] + 1
