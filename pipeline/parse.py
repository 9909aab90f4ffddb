"""Parse stage: an awesome-list README -> typed paper records plus lint findings about the list.

The list is parsed as CommonMark (markdown-it-py, with tables); entries come from its syntax
tree: a paper is a list item or table row with a title and some evidence (a paper link, a venue,
a year, authors). Venue and year come from the entry first, then from the nearest heading or
`<details><summary>` naming them. The parser never raises: what it cannot read becomes a finding
with its line, and an empty result says what the lines looked like and what was expected.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from pipeline.listentry import (
    BREAK,
    MAX_YEAR,
    MIN_YEAR,
    EntryReader,
    Reading,
    Run,
    clean_title,
    flatten,
    looks_like_names,
    split_authors,
    valid_year,
)
from pipeline.models import CountTable, LintFinding, ListedPaper, ParsedList, Severity
from pipeline.text import normalize_title, slugify, venue_key
from pipeline.venues import VenueTable, shipped_venues

_YEAR_TEXT = re.compile(
    r"^(?P<year>\d{4})\b[ \t]*(?:\((?P<note>[^)]*)\)|[-:\u2013\u2014][ \t]*(?P<note2>.*))?[ \t]*$"
)
_CODE_LINE = re.compile(r"^[ \t]*(?:code|github|repo|source)[ \t]*:[ \t]*(?P<rest>.*)$", re.I)
_AUTHOR_LINE = re.compile(r"^[ \t]*(?P<mark>\*|_)(?P<names>[^*_\s].*?)(?P=mark)[ \t]*$")
_LINK = re.compile(r"\[(?P<text>(?:[^\[\]]|\[[^\[\]]*\])*)\]\((?P<url>[^)\s]*)\)")
_BARE_URL = re.compile(r"https?://[^\s)>\]]+")
_DETAILS = re.compile(
    r"<(?P<close>/?)details\b[^>]*>|<summary>(?P<text>.*?)</summary>", re.I | re.S
)
_TAGS = re.compile(r"<[^>]*>")
# Sections whose items are not papers: tools, courses, talks, tables of contents, ...
_NOISE_SECTION = re.compile(
    r"\b(?:contents|toc|contribut\w*|acknowledg\w*|citation|cite|licen[sc]e|star history|"
    r"tools?|software|frameworks?|librar(?:y|ies)|courses?|tutorials?|talks?|blogs?|videos?|"
    r"books?|news|update log|changelog|related|awesome lists?|resources|people|"
    r"conferences|journals|workshops|special (?:issues|tracks)|datasets?|benchmarks?)\b",
    re.I,
)
_DETAIL_LABEL = re.compile(r"^(?:code|paper|pdf|authors?|venue|published|slides|video)\s*:", re.I)
_YEARS = re.compile(r"\b(?:19|20)\d\d\b")
_CONTENTS = re.compile(r"\b(?:contents|toc)\b", re.I)
_PAPERS_SECTION = re.compile(r"\b(?:papers?|publications?|reading list)\b", re.I)
_TITLE_HEADER = re.compile(r"^(?:paper )?(?:title|name)s?\b|^papers?$", re.I)  # 'Title & Authors'
_VENUE_HEADER = re.compile(
    r"^(?:venue|conf(?:erence)?|journal|publication|published in|pub)s?$", re.I
)
_YEAR_HEADER = re.compile(r"^(?:year|date|time|published)$", re.I)
_AUTHOR_HEADER = re.compile(r"^authors?$", re.I)
_MARKDOWN = MarkdownIt("commonmark").enable("table")
# URLs as the list writes them: percent-encoding every link (mdurl) is a third of the parse
# time, and the old line parser kept them raw too.
_MARKDOWN.normalizeLink = lambda url: url  # type: ignore[method-assign]


def load_list(path: Path) -> tuple[list[str], list[LintFinding]]:
    """Read the list as lines; undecodable bytes are replaced and reported, never fatal."""
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    lines: list[str] = []
    findings: list[LintFinding] = []
    for number, raw_line in enumerate(raw.splitlines(), start=1):
        try:
            lines.append(raw_line.decode("utf-8"))
        except UnicodeDecodeError as exc:
            lines.append(raw_line.decode("utf-8", errors="replace"))
            findings.append(
                _finding(number, "invalid-utf8", Severity.ERROR, f"invalid UTF-8 ({exc.reason})")
            )
    return lines, findings


def parse_list_file(path: Path, venues: VenueTable | None = None) -> ParsedList:
    """Parse the list at `path` (I/O at the edge; `parse_list` does the work)."""
    lines, findings = load_list(path)
    parsed = parse_list(lines, source=str(path), venues=venues)
    return parsed.model_copy(update={"findings": sorted([*findings, *parsed.findings], key=_order)})


def parse_list(
    lines: list[str], source: str = "<list>", venues: VenueTable | None = None
) -> ParsedList:
    """Parse the lines of an awesome list; never raises on any text."""
    lines = [line.replace("\u00a0", " ") for line in lines]
    walker = _Walker(lines, EntryReader(venues or shipped_venues()))
    walker.walk(SyntaxTreeNode(_MARKDOWN.parse("\n".join(lines))))
    findings = [*walker.findings, *walker.style_findings()]
    papers = _to_papers(walker.entries)
    if not papers:
        findings.extend(walker.explain_empty())
    findings.extend(_lint_duplicates(papers))
    actual = count_papers(papers)
    if walker.table is not None:
        findings.extend(lint_count_table(walker.table, actual))
    return ParsedList(
        source=source,
        papers=papers,
        findings=sorted(findings, key=_order),
        count_table=walker.table,
        actual_counts=actual,
    )


@dataclass
class _Heading:
    """One level of context: a heading or a `<summary>`, and the venue/year it names."""

    level: float
    text: str
    venue: str | None = None
    year: int | None = None
    note: str | None = None
    noise: str | None = None  # 'contents' (only its own items) or 'section' (everything below)


@dataclass
class _Entry:
    """A paper being assembled from its list item or table row and what follows it."""

    line: int
    number: int | None
    reading: Reading
    venue: str | None
    year: int | None
    venue_source: str
    year_source: str
    heading_venue: str | None
    heading_year: int | None
    section: str
    heading_note: str | None
    numbered: bool
    source_text: str
    authors: list[str] = field(default_factory=list)


class _Walker:
    """Walks the document tree once: one small method per node kind, headings as context."""

    def __init__(self, lines: list[str], reader: EntryReader) -> None:
        self.lines = lines
        self.reader = reader
        self.venues = reader.venues
        self.findings: list[LintFinding] = []
        self.entries: list[_Entry] = []
        self.context: list[_Heading] = []
        self.current: _Entry | None = None
        self.table: CountTable | None = None
        self.rejected: list[tuple[int, str]] = []  # (line, why) for items that are not papers
        self.seen_items = 0
        self.seen_rows = 0
        self.handlers: dict[str, Callable[[SyntaxTreeNode], None]] = {
            "heading": self._heading,
            "bullet_list": self._list,
            "ordered_list": self._list,
            "paragraph": self._paragraph,
            "code_block": self._paragraph,
            "table": self._table,
            "html_block": self._html_block,
            "blockquote": self.walk,
        }

    def walk(self, node: SyntaxTreeNode) -> None:
        for child in node.children:
            handler = self.handlers.get(child.type)
            if handler is not None:
                handler(child)

    # -- context -------------------------------------------------------------------------
    @property
    def venue(self) -> _Heading | None:
        return next((h for h in reversed(self.context) if h.venue), None)

    @property
    def year(self) -> _Heading | None:
        return next((h for h in reversed(self.context) if h.year), None)

    def _heading(self, node: SyntaxTreeNode) -> None:
        self.current = None
        line = _line(node)
        level = int(node.tag[1:])
        text = _plain(node)
        popped = [h for h in self.context if h.level >= level]
        self.context = [h for h in self.context if h.level < level]
        heading = self._classify(text, level)
        same_level_venue = next((h for h in popped if h.level == level and h.venue), None)
        if heading.year and not heading.venue and same_level_venue and not same_level_venue.year:
            self.context.append(same_level_venue)  # '### 2019' under '### ASPLOS': keep ASPLOS
            self._finding(
                line,
                "year-heading-level",
                Severity.WARNING,
                f"year heading '{'#' * level} {text}' should be '{'#' * (level + 1)} {text}'"
                f" (under {same_level_venue.text})",
            )
            heading.level = level + 0.5
        if heading.year is not None and not MIN_YEAR <= heading.year <= MAX_YEAR:
            self._finding(line, "bad-year", Severity.WARNING, f"'{text}' is not a year")
            heading.year = None
        self.context.append(heading)

    def _classify(self, text: str, level: float) -> _Heading:
        """What a heading (or summary) names: a year, a venue (and year), or a topic."""
        heading = _Heading(level=level, text=text)
        clean = clean_title(text)
        if re.fullmatch(r"[\[(（][^\])）]*[\])）]", clean):
            clean = clean[1:-1].strip()  # '## [OSDI 2022]'
        clean = re.sub(r"\.\d{1,2}$", "", clean)  # '2023.11'

        year = _YEAR_TEXT.match(clean)
        if year:
            heading.year = int(year["year"])
            heading.note = (year["note"] or year["note2"] or "").strip() or None
            return heading
        label = re.sub(r"\s*[(（][^)）]*[)）]\s*$", "", clean).strip()
        named = self.reader.whole(label) or _unknown_venue_year(label)
        if named is not None and named[0]:
            heading.venue, heading.year = named
            heading.text = self._label_as_written(label)
            return heading
        under_year = self.context and self.context[-1].year and not self.context[-1].venue
        if under_year and 0 < len(label) <= 40 and len(label.split()) <= 5:
            heading.venue = self.venues.canonical(label)  # '#### Mach Learn' under '### 2023'
            heading.text = label
            return heading
        if len(text.split()) <= 6 and _NOISE_SECTION.search(text):
            heading.noise = "contents" if _CONTENTS.search(text) else "section"
        return heading

    def _label_as_written(self, label: str) -> str:
        year = re.search(r"\s*[-'’,]?\s*['’]?\s*\d{2,4}\s*$", label)
        return label[: year.start()].strip() if year else label

    def _html_block(self, node: SyntaxTreeNode) -> None:
        """`<details><summary>2024</summary>` opens a year (or venue) block; `</details>` ends
        it. Comments and other HTML are skipped: commented-out entries are not papers."""
        for match in _DETAILS.finditer(_strip_comments(node.content)):
            if match["text"] is not None:
                text = " ".join(_TAGS.sub(" ", match["text"]).split())
                depth = sum(1 for h in self.context if h.level >= 7)
                self.context.append(self._classify(text, 7 + depth))
            elif match["close"]:
                for index in range(len(self.context) - 1, -1, -1):
                    if self.context[index].level >= 7:
                        del self.context[index:]
                        break
            self.current = None

    def _section(self) -> str:
        venue, year = self.venue, self.year
        if venue is None and year is None:
            topics = [h.text for h in self.context if h.level >= 2 or len(self.context) == 1]
            return " / ".join(topics)
        deepest = max((h.level for h in (venue, year) if h is not None), default=0)
        sub = next((h.text for h in reversed(self.context) if h.level > deepest), None)
        parts = [venue.text if venue else None, year.year if year else None, sub]
        return " / ".join(str(p) for p in parts if p is not None)

    def _in_noise(self) -> bool:
        """Under a tools/courses/contents heading, unless a deeper heading says 'Papers'."""
        for depth, heading in enumerate(reversed(self.context)):
            if _PAPERS_SECTION.search(heading.text):
                return False
            if heading.noise == "section" or (heading.noise == "contents" and depth == 0):
                return True
        return False

    # -- list items ----------------------------------------------------------------------
    def _list(self, node: SyntaxTreeNode, parent: _Entry | None = None) -> None:
        ordered = node.type == "ordered_list"
        number = int(str(node.attrs.get("start", 1))) if ordered else None
        for item in node.children:
            self._item(item, number, parent)
            if number is not None:
                number += 1

    def _item(self, item: SyntaxTreeNode, number: int | None, parent: _Entry | None) -> None:
        self.seen_items += 1
        children = list(item.children)
        head = children[0] if children and children[0].type == "paragraph" else None
        entry = None
        paragraphs = [c for c in children if c.type == "paragraph"]
        used = 1 if head is not None else 0
        if head is not None:
            entry = self._entry_from_paragraph([head], number, parent, reject=False)
        details = paragraphs + self._detail_items(children)
        if entry is None and len(details) > 1 and head is not None:
            # 'Title' then 'Arxiv 2025 [[Paper]](url)' as a second paragraph of the item, or a
            # sub-bullet '  - Author et al. (*OSDI 2018*)'
            entry = self._entry_from_paragraph(details, number, parent, reject=True)
            used = len(children) if entry is not None else used
        elif head is not None and entry is None:
            self._reject_last(head)
        if entry is not None:
            self.entries.append(entry)
            self.current = entry
        owner = entry or parent
        for child in children[used:]:
            if used > 1 and child.type == "paragraph":
                continue
            if child.type in ("bullet_list", "ordered_list"):
                self._list(child, owner)
            elif child.type in ("paragraph", "code_block") and owner is not None:
                self._continuation(owner, child)
        if entry is not None:
            self.current = entry

    def _detail_items(self, children: list[SyntaxTreeNode]) -> list[SyntaxTreeNode]:
        """First paragraphs of sub-items that are all details of the item (authors, a venue,
        labelled links), never papers of their own under a topic bullet."""
        found = []
        for child in children:
            if child.type not in ("bullet_list", "ordered_list"):
                continue
            for item in child.children:
                head = item.children[0] if item.children else None
                if head is None or head.type != "paragraph":
                    return []
                reading = self.reader.read(flatten(head.children[0], _line(head)))
                if reading is None or not self._is_detail(reading):
                    return []
                found.append(head)
        return found

    def _is_detail(self, reading: Reading) -> bool:
        """'Wencong Xiao et al. (*OSDI 2018*)', 'NSDI 2019', 'Code: [github](url)'."""
        title = reading.title
        return reading.title_markup == "plain" and (
            not title
            or (looks_like_names(title) and bool(re.search(r"\bet al\b|,|\band\b|&", title)))
            or self.reader.whole(title) is not None
            or bool(_DETAIL_LABEL.match(title))
        )

    def _reject_last(self, head: SyntaxTreeNode) -> None:
        """Record why the item at `head` is not a paper (for an empty list's explanation)."""
        inline = flatten(head.children[0], _line(head))
        reading = self.reader.read(inline)
        if reading is None:
            return
        line = _line(head)
        source = self.lines[line - 1] if line - 1 < len(self.lines) else ""
        why = self._not_a_paper(reading, None) or "not a paper on its own"
        self.rejected.append((line, f"{_clip(source)} ({why})"))

    def _entry_from_paragraph(
        self,
        paragraphs: list[SyntaxTreeNode],
        number: int | None,
        parent: _Entry | None,
        reject: bool,
    ) -> _Entry | None:
        line = _line(paragraphs[0])
        inline = flatten(paragraphs[0].children[0], line)
        for more in paragraphs[1:]:
            extra = flatten(more.children[0], _line(more))
            offset = len(inline.links)
            inline.runs.append(Run(BREAK, _line(more)))
            inline.runs.extend(
                replace(r, link=None if r.link is None else r.link + offset) for r in extra.runs
            )
            inline.links.extend(extra.links)
            inline.images.extend(extra.images)
        reading = self.reader.read(inline)
        source = self.lines[line - 1] if line - 1 < len(self.lines) else ""
        if reading is None:
            return None
        if parent is not None and reading.title_markup == "plain":
            self._detail(parent, reading)  # '  - Author et al. (*OSDI 2018*)' under a paper
            return None
        why = self._not_a_paper(reading, number)
        if why:
            if reject:
                self.rejected.append((line, f"{_clip(source)} ({why})"))
            return None
        return self._entry(line, number, reading, source)

    def _not_a_paper(self, reading: Reading, number: int | None) -> str | None:
        """Why an item is not a paper, or None when it is one."""
        if self._in_noise():
            return "in a section of tools, courses, talks or contents"
        if reading.anchor_only:
            return "a link inside the page: a table of contents"
        if not reading.title and not reading.unbalanced:
            return "no title"
        if reading.title and self.venues.find(reading.title) and not reading.authors:
            return "a venue name, not a paper title"
        heading_venue = self.venue is not None
        evidence = (
            reading.paper_link
            or reading.venue is not None
            or reading.year is not None
            or reading.bad_year is not None
            or bool(reading.authors)
            or (heading_venue and (reading.title_markup != "plain" or number is not None))
            or (heading_venue and len(reading.title.split()) >= 3 and reading.title[0].isupper())
        )
        if not evidence:
            return "no paper link, venue, year or authors"
        if len(_YEARS.findall(reading.rest)) >= 2 and not re.sub(
            r"[\d\s,;()\[\]]", "", reading.rest
        ):
            return "a title followed by a list of years: an index, not a paper"
        weak = not (reading.year or reading.paper_link or reading.authors or reading.bad_year)
        if weak and reading.title_markup == "plain" and self.venue is None and self.year is None:
            return "a venue name alone, without year, paper link or venue heading"
        if (
            len(reading.title.split()) == 1
            and reading.title_markup == "link"
            and not reading.paper_link
            and not heading_venue
        ):
            return "a one-word link, not a paper title"
        if (
            reading.title_markup == "plain"
            and len(reading.title.split()) < 2
            and not (reading.venue or heading_venue)
        ):
            return "too short for a paper title"
        return None

    def _entry(self, line: int, number: int | None, reading: Reading, source: str) -> _Entry:
        if not reading.title:
            self._finding(line, "empty-title", Severity.ERROR, "entry has an empty title")
            reading.title = f"(untitled entry at line {line})"
        if reading.unbalanced:
            self._finding(
                line,
                "malformed-entry",
                Severity.ERROR,
                f"unbalanced '**' in entry: {_clip(_item_text(source))}",
            )
        venue_heading, year_heading = self.venue, self.year
        entry = _Entry(
            line=line,
            number=number,
            reading=reading,
            venue=None,
            year=None,
            venue_source="heading",
            year_source="heading",
            heading_venue=venue_heading.venue if venue_heading else None,
            heading_year=year_heading.year if year_heading else None,
            section=self._section(),
            heading_note=year_heading.note if year_heading else None,
            numbered=number is not None,
            source_text=source,
            authors=list(reading.authors),
        )
        self._venue_year(entry)
        return entry

    def _venue_year(self, entry: _Entry) -> None:
        """Venue and year from the entry, else the headings, reporting disagreements."""
        reading, line, title = entry.reading, entry.line, entry.reading.title
        own_format = entry.numbered and reading.title_markup == "strong"
        if own_format and not reading.venue and not reading.year and not reading.bad_year:
            rest = " ".join(reading.rest.replace(BREAK, " ").split()).strip(" \t[]()|,;-:")
            if rest:
                self._finding(
                    line,
                    "unreadable-suffix",
                    Severity.WARNING,
                    f"cannot read venue and year from '{_clip(rest)}' after '{_clip(title)}'",
                )
            else:
                where = " ".join(str(p) for p in (entry.heading_venue, entry.heading_year) if p)
                self._finding(
                    line,
                    "missing-suffix",
                    Severity.WARNING,
                    f"entry '{_clip(title)}' has no venue/year suffix"
                    + (f"; using the headings ({where})" if where else ""),
                )
        entry.venue, entry.venue_source = entry.heading_venue, "heading"
        if reading.venue is not None:
            entry.venue, entry.venue_source = reading.venue, "entry"
            heading = self.venue
            if heading is not None and not _same_venue(reading.venue, heading, self.venues):
                self._finding(
                    line,
                    "venue-mismatch",
                    Severity.WARNING,
                    f"entry says venue {reading.venue} but sits under the {heading.text} heading",
                )
        entry.year, entry.year_source = entry.heading_year, "heading"
        if reading.bad_year is not None:
            self._finding(
                line,
                "bad-year",
                Severity.WARNING,
                f"'{reading.bad_year}' has no valid year"
                + (f"; using the heading year {entry.heading_year}" if entry.heading_year else ""),
            )
        elif reading.year is not None:
            entry.year, entry.year_source = reading.year, "entry"
            if entry.heading_year is not None and reading.year != entry.heading_year:
                self._finding(
                    line,
                    "year-mismatch",
                    Severity.WARNING,
                    f"entry says {reading.year} but sits under the {entry.heading_year} heading",
                )
        if entry.year is None:
            self._finding(
                line, "no-year", Severity.INFO, f"the list gives no year for '{_clip(title)}'"
            )
        if entry.venue is None:
            self._finding(
                line, "no-venue", Severity.INFO, f"the list gives no venue for '{_clip(title)}'"
            )

    def _detail(self, entry: _Entry, reading: Reading) -> None:
        """A sub-bullet or later line of a paper: its venue, year, authors or links."""
        if entry.venue_source == "heading" and reading.venue is None:
            venue, year, leftover = self.reader.venue_year(reading.title + " " + reading.rest)
            reading.venue, reading.year = venue, reading.year or year
            if not reading.authors:
                reading.authors = split_authors(leftover, checked=False)
        if reading.venue and entry.venue_source == "heading":
            entry.venue, entry.venue_source = reading.venue, "entry"
        if reading.year and entry.year_source == "heading":
            entry.year, entry.year_source = reading.year, "entry"
        if reading.authors and not entry.authors:
            entry.authors = reading.authors
        entry.reading.code_url = entry.reading.code_url or reading.code_url
        entry.reading.paper_url = entry.reading.paper_url or reading.paper_url

    # -- paragraphs after an entry -------------------------------------------------------
    def _paragraph(self, node: SyntaxTreeNode) -> None:
        if self.current is not None and _indented(self.lines, node):
            self._continuation(self.current, node)

    def _continuation(self, entry: _Entry, node: SyntaxTreeNode) -> None:
        """Lines under an entry: authors in italics, `Code: url`, a paper link, a venue."""
        first, end = node.map or (0, 0)
        for number in range(first + 1, end + 1):
            line = self.lines[number - 1] if number - 1 < len(self.lines) else ""
            if line.strip():
                self._continuation_line(entry, number, _strip_comments(line))

    def _continuation_line(self, entry: _Entry, number: int, line: str) -> None:
        code = _CODE_LINE.match(line)
        if code:
            url = _first_url(code["rest"])
            if url:
                entry.reading.code_url = entry.reading.code_url or url
            else:
                self._finding(number, "bad-code-line", Severity.WARNING, "code line without a URL")
            return
        authors = _AUTHOR_LINE.match(line)
        if authors:
            entry.authors.extend(split_authors(authors["names"], checked=False))
            return
        url = _first_url(line)
        if url and entry.reading.paper_url is None and re.search(r"paper|pdf|arxiv", line, re.I):
            entry.reading.paper_url = url
            return
        venue, year, _ = self.reader.venue_year(line)
        if venue and entry.venue_source == "heading" and entry.reading.venue is None:
            entry.venue, entry.venue_source = venue, "entry"
            if year and entry.year_source == "heading":
                entry.year, entry.year_source = year, "entry"
            return
        if line.strip():
            self._finding(
                number, "unknown-line", Severity.INFO, f"unrecognised line: {_clip(line)}"
            )

    # -- tables --------------------------------------------------------------------------
    def _table(self, node: SyntaxTreeNode) -> None:
        self.current = None
        rows = [tr for part in node.children for tr in part.children if tr.type == "tr"]
        if not rows:
            return
        header = [" ".join(_plain(cell).split()) for cell in rows[0].children]
        first, end = node.map or (0, 0)
        if self.table is None and _is_count_table(header):
            numbered = list(enumerate(self.lines[first:end], start=first + 1))
            self.table = _read_count_table(numbered, self.findings)
            return
        roles = _column_roles(header)
        if "title" not in roles or not ({"venue", "year"} & set(roles) or _has_links(roles)):
            return  # a table of tools or people, not of papers
        for row in rows[1:]:
            self.seen_rows += 1
            self._row(row, roles)

    def _row(self, row: SyntaxTreeNode, roles: dict[str, int]) -> None:
        cells = list(row.children)
        line = _line(row)
        if roles["title"] >= len(cells):
            return
        title_cell = cells[roles["title"]]
        reading = (
            self.reader.read(flatten(title_cell.children[0], line)) if title_cell.children else None
        )
        source = self.lines[line - 1] if line - 1 < len(self.lines) else ""
        if reading is None or not reading.title:
            self.rejected.append((line, f"{_clip(source)} (no title in the title column)"))
            return
        for role, index in roles.items():
            if index >= len(cells) or role == "title":
                continue
            text = clean_title(_plain(cells[index]), keep_period=True)
            if role == "venue" and text:
                venue, year, _ = self.reader.venue_year(text)
                reading.venue = venue or self.venues.canonical(re.sub(r"\s*\(.*\)$", "", text))
                reading.year = reading.year or year
            elif role == "year":
                _, year, _ = self.reader.venue_year(text)
                reading.year = year or reading.year
            elif role == "authors" and text:
                reading.authors = split_authors(text, checked=False)
            elif role.startswith("links") and cells[index].children:
                self.reader.read_materials(flatten(cells[index].children[0], line), reading)
        if self._in_noise():
            self.rejected.append((line, f"{_clip(source)} (in a section of tools or contents)"))
            return
        self.entries.append(self._entry(line, None, reading, source))

    # -- list-wide lint ------------------------------------------------------------------
    def style_findings(self) -> list[LintFinding]:
        """Numbered entries whose title is not bold when the list's numbered entries are."""
        numbered = [e for e in self.entries if e.numbered]
        bold = {
            id(e) for e in numbered if e.reading.title_markup == "strong" or e.reading.unbalanced
        }
        if len(bold) * 2 <= len(numbered):
            return []
        return [
            _finding(
                e.line,
                "malformed-entry",
                Severity.ERROR,
                f"entry title is not bold: {_clip(_item_text(e.source_text))}",
            )
            for e in numbered
            if id(e) not in bold
        ]

    def explain_empty(self) -> list[LintFinding]:
        """Why nothing was found: what the lines looked like and what was expected."""
        seen = (
            f"{self.seen_items} list items and {self.seen_rows} table rows"
            if self.seen_items or self.seen_rows
            else "no list items or paper tables"
        )
        findings = [
            _finding(
                0,
                "empty-list",
                Severity.ERROR,
                f"no paper entries found in the list ({seen}). Expected list items or table "
                "rows with a paper title and some evidence: a paper link "
                "('- [Title](https://arxiv.org/abs/...)'), a venue tag ('[OSDI'22] Title', "
                "'Title (ICLR 2024)'), a year, authors, or a venue heading above them; or a "
                "table with Title and Venue/Year columns",
            )
        ]
        for line, why in self.rejected[:10]:
            findings.append(_finding(line, "not-a-paper", Severity.INFO, f"not a paper: {why}"))
        return findings

    def _finding(self, line: int, code: str, severity: Severity, message: str) -> None:
        self.findings.append(_finding(line, code, severity, message))


def _column_roles(header: list[str]) -> dict[str, int]:
    """Which column holds the title, venue, year, authors and links of a paper table."""
    roles: dict[str, int] = {}
    for index, name in enumerate(header):
        plain = name.strip().strip("*_ ")
        if _TITLE_HEADER.match(plain) and ("title" not in roles or "title" in plain.casefold()):
            if "title" in roles:
                roles[f"links {roles['title']}"] = roles["title"]
            roles["title"] = index
        elif _VENUE_HEADER.match(plain):
            roles.setdefault("venue", index)
        elif _YEAR_HEADER.match(plain):
            roles.setdefault("year", index)
        elif _AUTHOR_HEADER.match(plain):
            roles.setdefault("authors", index)
        elif re.match(r"^(?:materials?|links?|resources|code|paper links?|papers?)$", plain, re.I):
            roles[f"links {index}"] = index  # every link column: Paper, Code, Materials
    return roles


def _unknown_venue_year(label: str) -> tuple[str, int] | None:
    """'FooConf 2023', 'Some Workshop '21': a short label and a year, not in the vocabulary."""
    match = re.fullmatch(
        r"(?P<venue>[A-Z][\w&+./@-]*(?: [\w&+./@-]+){0,3}?)\s*['’]?\s*(?P<y>\d{4})", label
    )
    year = valid_year(match["y"]) if match else None
    return (match["venue"], year) if match and year else None


def _has_links(roles: dict[str, int]) -> bool:
    return any(role.startswith("links") for role in roles)


def _is_count_table(header: list[str]) -> bool:
    return len(header) > 1 and all(valid_year(c.strip()) is not None for c in header[1:])


def _plain(node: SyntaxTreeNode) -> str:
    """The text of a heading or cell: link texts kept, images and tags dropped."""
    if not node.children:
        return ""
    runs = flatten(node.children[0], 0).runs
    return " ".join("".join(r.text for r in runs).replace(BREAK, " ").split())


def _line(node: SyntaxTreeNode) -> int:
    return (node.map or (0, 0))[0] + 1


def _indented(lines: list[str], node: SyntaxTreeNode) -> bool:
    """A paragraph that the list item lost (indented less than the item's content)."""
    first = (node.map or (0, 0))[0]
    return first < len(lines) and lines[first][:1] in (" ", "\t")


def _strip_comments(text: str) -> str:
    return re.sub(r"<!--.*?(?:-->|$)", "", text, flags=re.S)


def _item_text(source: str) -> str:
    """A list item's source line without its marker: '1. **T** X 2019' -> '**T** X 2019'."""
    return re.sub(r"^[ \t]*(?:\d{1,9}[.)]|[-*+])[ \t]+", "", source).strip()


def _same_venue(entry_venue: str, heading: _Heading, venues: VenueTable) -> bool:
    """'MLSys' matches a 'SysML/MLSys' heading; aliases, case and punctuation do not matter."""
    known = venues.find(entry_venue)
    if known is not None and known is venues.find(heading.venue or heading.text):
        return True
    labels = [heading.text, *(heading.venue or "").split("/"), *heading.text.split("/")]
    wanted = venue_key(entry_venue)
    return any(wanted == venue_key(label) for label in labels if label)


def _read_count_table(
    rows: list[tuple[int, str]], findings: list[LintFinding]
) -> CountTable | None:
    """The first table whose header cells (after the first) are years is the count table."""
    cells = [(n, [c.strip() for c in line.strip().strip("|").split("|")]) for n, line in rows]
    header_line, header = cells[0]
    years = [valid_year(c) for c in header[1:]]
    if not years or any(y is None for y in years):
        return None
    table_years = [y for y in years if y is not None]
    counts: dict[str, dict[int, int]] = {}
    row_lines: dict[str, int] = {}
    for number, row in cells[1:]:
        if all(set(c) <= set(":- ") for c in row):
            continue  # the |---|---| rule
        label = _strip_links(row[0]).strip()
        values: dict[int, int] = {}
        for year, cell in zip(table_years, row[1:], strict=False):
            if cell in ("", "-", "–", "—"):
                continue
            if cell.isdigit():
                values[year] = int(cell)
            else:
                findings.append(
                    _finding(number, "count-table", Severity.WARNING, f"bad count cell '{cell}'")
                )
        counts[label] = values
        row_lines[label] = number
    return CountTable(line=header_line, years=table_years, rows=counts, row_lines=row_lines)


def count_papers(papers: list[ListedPaper]) -> dict[str, dict[int, int]]:
    """Papers per venue label (as the headings spell it) and year."""
    counts: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for paper in papers:
        venue = paper.heading_venue or paper.venue or "?"
        year = paper.heading_year or paper.year
        if year is not None:
            counts[venue][year] += 1
    return {venue: dict(sorted(years.items())) for venue, years in counts.items()}


def lint_count_table(table: CountTable, actual: dict[str, dict[int, int]]) -> list[LintFinding]:
    """Compare the stated counts with the real ones, one finding per disagreeing cell."""
    findings: list[LintFinding] = []
    by_key = {venue_key(label): label for label in table.rows}
    for venue, years in actual.items():
        label = by_key.get(venue_key(venue))
        if label is None:
            findings.append(
                _finding(
                    table.line,
                    "count-table",
                    Severity.WARNING,
                    f"venue {venue} ({sum(years.values())} papers) is missing from the count table",
                )
            )
            continue
        stated = table.rows[label]
        for year in sorted(set(years) | set(stated)):
            real, claimed = years.get(year, 0), stated.get(year, 0)
            if real != claimed:
                findings.append(
                    _finding(
                        table.row_lines.get(label, table.line),
                        "count-table",
                        Severity.WARNING,
                        f"count table says {label} {year}: {claimed}, the list has {real}",
                    )
                )
    actual_keys = {venue_key(v) for v in actual}
    for label, stated in table.rows.items():
        if venue_key(label) not in actual_keys and any(stated.values()):
            findings.append(
                _finding(
                    table.row_lines.get(label, table.line),
                    "count-table",
                    Severity.WARNING,
                    f"count table lists {label} but the list has no {label} papers",
                )
            )
    return findings


def render_count_table(parsed: ParsedList) -> str:
    """The corrected count table as markdown, in the stated table's row order."""
    years = sorted(
        set(parsed.count_table.years if parsed.count_table else [])
        | {y for counts in parsed.actual_counts.values() for y in counts}
    )
    labels = list(parsed.count_table.rows) if parsed.count_table else []
    known = {venue_key(label) for label in labels}
    labels += [v for v in parsed.actual_counts if venue_key(v) not in known]
    actual = {venue_key(v): c for v, c in parsed.actual_counts.items()}
    lines = [
        "| Conferences | " + " | ".join(str(y) for y in years) + " |",
        "|" + "---|" * (len(years) + 1),
    ]
    for label in labels:
        counts = actual.get(venue_key(label), {})
        cells = [str(counts[y]) if counts.get(y) else "-" for y in years]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _lint_duplicates(papers: list[ListedPaper]) -> list[LintFinding]:
    first_seen: dict[str, ListedPaper] = {}
    findings = []
    for paper in papers:
        key = normalize_title(paper.title)
        if key in first_seen:
            first = first_seen[key]
            findings.append(
                _finding(
                    paper.line,
                    "duplicate-title",
                    Severity.WARNING,
                    f"'{_clip(paper.title)}' is listed again (first at line {first.line},"
                    f" {first.section})",
                )
            )
        else:
            first_seen[key] = paper
    return findings


def _to_papers(entries: list[_Entry]) -> list[ListedPaper]:
    """Freeze the entries, giving each a stable id unique within the list."""
    used: dict[str, int] = {}
    papers = []
    for entry in entries:
        base = "-".join(
            part
            for part in (
                slugify(entry.venue or "unknown", 20) + (str(entry.year) if entry.year else ""),
                slugify(entry.reading.title, 60),
            )
            if part
        )
        used[base] = used.get(base, 0) + 1
        paper_id = base if used[base] == 1 else f"{base}-{used[base]}"
        papers.append(
            ListedPaper(
                id=paper_id,
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


def _first_url(text: str) -> str | None:
    link = _LINK.search(text)
    if link and link["url"].startswith(("http://", "https://")):
        return link["url"]
    bare = _BARE_URL.search(text)
    return bare.group(0) if bare else None


def _clip(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _finding(line: int, code: str, severity: Severity, message: str) -> LintFinding:
    return LintFinding(line=line, code=code, severity=severity, message=message)


def _order(finding: LintFinding) -> tuple[int, str, str]:
    return (finding.line, finding.code, finding.message)


def _strip_links(text: str) -> str:
    return _LINK.sub(lambda m: m["text"], text)
