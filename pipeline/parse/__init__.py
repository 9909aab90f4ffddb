"""Parse stage: an awesome-list README -> typed paper records plus lint findings about the list.

The list is parsed as CommonMark (markdown-it-py, with tables) one section at a time, simple
sections and plain inline text without markdown-it's rules (`document`), and walked once
(`walker`): a table of handlers, one per block type. Blocks become candidate entries in
`items` (list items), `tables` (rows) and `paragraphs` (paragraph entries); their text is read
by the chains of small readers in `readers/` (prefix tags, title forms, what follows the
title). A paper is a block
with a title and some evidence (a paper link, a venue, a year, authors); `place` judges it and
takes venue and year from the entry first, then from the nearest heading or `<details>` naming
them (`headings`). The parser never raises: what it cannot read becomes a finding with its line
(`lint`), and an empty result says what the lines looked like and what was expected.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.models import ListedPaper, ParsedList
from pipeline.parse.counts import count_papers, lint_count_table, render_count_table
from pipeline.parse.document import sections
from pipeline.parse.entry import Entry
from pipeline.parse.headings import Context
from pipeline.parse.lint import (
    explain_empty,
    lint_duplicates,
    lint_venue_spellings,
    order,
    style_findings,
)
from pipeline.parse.listfile import load_list_lines
from pipeline.parse.state import Walk
from pipeline.parse.walker import walk_children
from pipeline.text import slugify
from pipeline.venues import VenueTable, shipped_venues

__all__ = ["count_papers", "parse_list", "parse_list_file", "render_count_table"]

# '[Title]({{ site.baseurl }}/papers/x.pdf)': GitHub Pages lists put a Liquid tag in the link,
# whose spaces make it no link at all for CommonMark; the path after it is the link.
_LIQUID_URL = re.compile(r"\]\(\{\{\s*[\w.]+\s*\}\}")
# '           | <center>**Intro**</center>' under '**Date** | **Papers**': a row with an empty
# first cell, indented as far as the first column is wide (a course's Jekyll syllabus, which
# kramdown reads as a row); CommonMark makes it a code block, which ends the table
_INDENTED_ROW = re.compile(r"^ {4,}(?=\|)")
_TABLE_LINE = re.compile(r"^ {0,3}[^\s|].*\|")  # 'Apr 1 | [Title](url)', ':---|:---'


def parse_list_file(path: Path, venues: VenueTable | None = None) -> ParsedList:
    """Parse the list at `path` (I/O at the edge; `parse_list` does the work)."""
    lines, findings = load_list_lines(path)  # the same reading as the CLI's
    parsed = parse_list(lines, source=str(path), venues=venues)
    return parsed.model_copy(update={"findings": sorted([*findings, *parsed.findings], key=order)})


def parse_list(
    lines: list[str], source: str = "<list>", venues: VenueTable | None = None
) -> ParsedList:
    """Parse the lines of an awesome list; never raises on any text."""
    lines = [_LIQUID_URL.sub("](", line.replace("\u00a0", " ")) for line in lines]
    _unindent_table_rows(lines)
    table = venues or shipped_venues()
    walk = Walk(lines=lines, venues=table, context=Context(table))
    for section in sections(lines):
        walk_children(walk, section)
        walk.consumed.clear()  # ids of this section's nodes, which are freed now
    findings = [*walk.findings, *style_findings(walk.entries)]
    papers = _to_papers(walk.entries)
    if not papers:
        findings.extend(explain_empty(walk))
    findings.extend(lint_duplicates(papers))
    findings.extend(lint_venue_spellings(papers))
    actual = count_papers(papers)
    if walk.table is not None:
        findings.extend(lint_count_table(walk.table, actual))
    return ParsedList(
        source=source,
        papers=papers,
        findings=sorted(findings, key=order),
        count_table=walk.table,
        actual_counts=actual,
    )


def _unindent_table_rows(lines: list[str]) -> None:
    """Rows of a table indented 4 spaces or more (`_INDENTED_ROW`) lose the indent, so that
    they stay rows of the table above them."""
    for index in range(1, len(lines)):
        line = lines[index]
        if line[:4] == "    " and _INDENTED_ROW.match(line) and _TABLE_LINE.match(lines[index - 1]):
            lines[index] = line.lstrip(" ")


def _to_papers(entries: list[Entry]) -> list[ListedPaper]:
    """Freeze the entries, giving each a stable id unique within the list."""
    used: dict[str, int] = {}
    venue_slugs: dict[str, str] = {}  # a list names a few dozen venues
    papers = []
    for entry in entries:
        venue = entry.venue or "unknown"
        if venue not in venue_slugs:
            venue_slugs[venue] = slugify(venue, 20)
        venue_year = venue_slugs[venue] + (str(entry.year) if entry.year else "")
        base = "-".join(part for part in (venue_year, slugify(entry.reading.title, 60)) if part)
        used[base] = used.get(base, 0) + 1
        papers.append(
            ListedPaper(
                id=base if used[base] == 1 else f"{base}-{used[base]}",
                title=entry.reading.title,
                authors=entry.authors,
                venue=entry.venue,
                year=entry.year,
                venue_source=entry.venue_source,
                year_source=entry.year_source,
                heading_venue=entry.heading_venue,
                heading_year=entry.heading_year,
                code_url=entry.reading.code_url,
                paper_url=entry.reading.paper_url,
                categories=entry.reading.categories,
                section=entry.section,
                heading_note=entry.heading_note,
                line=entry.line,
                number=entry.number,
            )
        )
    return papers
