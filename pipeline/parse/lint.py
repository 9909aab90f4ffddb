"""Findings about the list as a whole: duplicates, a venue spelt two ways, unbold titles, and
why a list has no papers."""

from __future__ import annotations

import re
from collections import Counter

from pipeline.models import LintFinding, ListedPaper, Severity
from pipeline.parse.entry import Entry, Markup
from pipeline.parse.state import Walk, finding
from pipeline.parse.words import clip, item_text
from pipeline.text import normalize_title

_EXAMPLES_SHOWN = 10


def order(item: LintFinding) -> tuple[int, str, str]:
    return (item.line, item.code, item.message)


def style_findings(entries: list[Entry]) -> list[LintFinding]:
    """Numbered entries whose title is not bold when the list's numbered entries are."""
    numbered = [e for e in entries if e.numbered]
    bold = {
        id(e) for e in numbered if e.reading.title_markup is Markup.STRONG or e.reading.unbalanced
    }
    if len(bold) * 2 <= len(numbered):
        return []
    return [
        finding(
            e.line,
            "malformed-entry",
            Severity.ERROR,
            f"entry title is not bold: {clip(item_text(e.source_text))}",
        )
        for e in numbered
        if id(e) not in bold
    ]


def explain_empty(walk: Walk) -> list[LintFinding]:
    """Why nothing was found: what the lines looked like and what was expected."""
    seen = (
        f"{walk.seen_items} list items and {walk.seen_rows} table rows"
        if walk.seen_items or walk.seen_rows
        else "no list items or paper tables"
    )
    if walk.seen_paragraphs:
        seen += f", {walk.seen_paragraphs} paragraphs"
    findings = [
        finding(
            0,
            "empty-list",
            Severity.ERROR,
            f"no paper entries found in the list ({seen}). Expected list items or table "
            "rows with a paper title and some evidence: a paper link "
            "('- [Title](https://arxiv.org/abs/...)'), a venue tag ('[OSDI'22] Title', "
            "'Title (ICLR 2024)'), a year, authors, or a venue heading above them; or a "
            "table with Title and Venue/Year columns; or a paragraph per paper ('**Title**', "
            "then its authors and 'NeurIPS 2024 [[Paper]](url)')",
        )
    ]
    for rejected in walk.rejected[:_EXAMPLES_SHOWN]:
        message = f"not a paper: {clip(rejected.source)} ({rejected.why})"
        findings.append(finding(rejected.line, "not-a-paper", Severity.INFO, message))
    return findings


def lint_duplicates(papers: list[ListedPaper]) -> list[LintFinding]:
    """A title listed twice: the later line names the first."""
    first_seen: dict[str, ListedPaper] = {}
    findings = []
    for paper in papers:
        key = normalize_title(paper.title)
        first = first_seen.setdefault(key, paper)
        if first is not paper:
            findings.append(
                finding(
                    paper.line,
                    "duplicate-title",
                    Severity.WARNING,
                    f"'{clip(paper.title)}' is listed again (first at line {first.line},"
                    f" {first.section})",
                )
            )
    return findings


_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")


def lint_venue_spellings(papers: list[ListedPaper]) -> list[LintFinding]:
    """A venue the table does not know, written two ways ('KDD Workshop' and 'KDD workshop',
    'BigData' and 'Big Data'): the outputs take venues as written, so the report, the page's
    filter and the catalog would count two venues. One finding per other spelling, at its
    first line, naming the spelling most entries use (the earlier one on a tie)."""
    spellings: dict[str, Counter[str]] = {}
    first_line: dict[str, int] = {}
    for paper in papers:
        if paper.venue is None:
            continue
        same = _NOT_LETTER_OR_DIGIT.sub("", paper.venue.casefold())
        spellings.setdefault(same, Counter())[paper.venue] += 1
        first_line.setdefault(paper.venue, paper.line)
    findings = []
    for counted in spellings.values():
        if len(counted) < 2:
            continue
        usual = min(counted, key=lambda v: (-counted[v], first_line[v]))
        for other in counted:
            if other != usual:
                message = (
                    f"venue written '{other}' ({_entries(counted[other])}) and '{usual}' "
                    f"({_entries(counted[usual])}, first at line {first_line[usual]}): the "
                    "outputs count two venues"
                )
                findings.append(
                    finding(first_line[other], "venue-spellings", Severity.WARNING, message)
                )
    return findings


def _entries(count: int) -> str:
    return f"{count} entry" if count == 1 else f"{count} entries"
