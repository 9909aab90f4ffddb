"""Tables of papers: which column holds what, and one entry per row."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from enum import Enum

from pipeline.parse import mentions
from pipeline.parse.counts import is_count_table, read_count_table
from pipeline.parse.document import Node
from pipeline.parse.entry import NotAPaper, Reading
from pipeline.parse.inline import BREAK, Inline, Run, flatten, line_of, plain
from pipeline.parse.place import make_entry
from pipeline.parse.readers import read_entry, read_materials
from pipeline.parse.readers.links import PAPER_HOST, classify_links
from pipeline.parse.state import Walk
from pipeline.parse.words import clean_title, looks_like_names, split_authors
from pipeline.venues import VenueTable

_TITLE_HEADER = re.compile(r"^(?:paper )?(?:title|name)s?\b|^papers?$", re.I)  # 'Title & Authors'
# 'Venue', 'Conf.', 'Journal or Conference', 'Pub. & Date', 'Published', 'Where'
_VENUE_WORD = (
    r"(?:venue|conf(?:erence)?\.?|journal|publication|published(?: in| at)?|pub\.?|where)s?"
)
_VENUE_HEADER = re.compile(
    rf"^{_VENUE_WORD}(?:\s*(?:&|and|/|or)\s*(?:{_VENUE_WORD}|date|year|time))?$", re.I
)
_YEAR_HEADER = re.compile(r"^(?:year|date|time)$", re.I)
_NO_VALUE = {"", "-", "–", "—", "n/a", "na", "?", "none", "tbd"}
MIN_VENUE_CELLS = 0.5  # a column whose cells are mostly 'SOSP'25', 'OSDI 2024' holds venues
_NUMBER_MARK = re.compile(r"\s*(?:\d{1,3}[.)]\s*)?")  # '1. ' before a title in a cell
MAX_VENUE_LABEL = 40  # '[NeurIPS 2024 Datasets and Benchmarks](url)'
_AUTHOR_HEADER = re.compile(r"^authors?$", re.I)
_LINKS_HEADER = re.compile(
    r"^(?:materials?|links?|resources|code|paper links?|papers?|urls?|pdf)$", re.I
)


class Role(Enum):
    VENUE = "venue"
    YEAR = "year"
    AUTHORS = "authors"
    LINKS = "links"  # Paper, Code, Materials: every such column


@dataclass
class Columns:
    """The title column and the other columns a paper table has, in the order they are read."""

    title: int | None = None
    others: list[tuple[Role, int]] = field(default_factory=list)
    linked_titles: bool = False  # the titles link to papers: '| [Title](https://arxiv.org/...) |'

    def has(self, role: Role) -> bool:
        return any(r is role for r, _ in self.others)

    def is_paper_table(self) -> bool:
        """A title and a venue, year or links column, or titles linked to papers; else a table
        of tools or people."""
        return self.title is not None and (
            self.linked_titles or any(self.has(r) for r in Role if r is not Role.AUTHORS)
        )


def column_roles(header: list[str]) -> Columns:
    """Which column holds the title, venue, year, authors and links of a paper table, by the
    header's names (`_venue_column_by_content` finds a venue column no header names)."""
    columns = Columns()
    for index, name in enumerate(header):
        label = name.strip().strip("*_ ")
        if _TITLE_HEADER.match(label) and (columns.title is None or "title" in label.casefold()):
            if columns.title is not None:  # 'Paper | Title': the first one holds links
                columns.others.append((Role.LINKS, columns.title))
            columns.title = index
            continue
        role = _role_of(label)
        if role is Role.LINKS or role is not None and not columns.has(role):
            columns.others.append((role, index))
    return columns


def _venue_column_by_content(
    columns: Columns, rows: list[list[str]], venues: VenueTable
) -> int | None:
    """The unnamed column whose filled cells are mostly a venue with a year."""
    named = {columns.title, *(index for _, index in columns.others)}
    width = max((len(row) for row in rows), default=0)
    for index in range(width):
        if index in named:
            continue
        cells = [row[index] for row in rows if index < len(row)]
        filled = [c for c in cells if c.strip().casefold() not in _NO_VALUE]
        dated = [c for c in filled if _venue_with_year(c, venues)]
        if len(dated) >= 2 and len(dated) >= MIN_VENUE_CELLS * len(filled):
            return index
    return None


def _paper_links_by_content(columns: Columns, rows: list[Node]) -> None:
    """A table with a title column and nothing else a paper table has may still link its
    papers: a column no header names whose cells mostly link to a paper (`| [2401.01234](
    https://arxiv.org/abs/2401.01234) | Title |`) is its links column, or the titles
    themselves mostly link to papers (`| 1 | [Title](https://arxiv.org/abs/...) | Area |`).
    Only when the title opens the row: `| [PySyft](url) | [A generic framework](arxiv) |` is
    a row about a platform, which names its paper."""
    if columns.title is None:
        return
    named = {columns.title, *(index for _, index in columns.others)}
    width = max((len(row.children) for row in rows), default=0)
    unnamed = (index for index in range(width) if index not in named)
    links = next((index for index in unnamed if _mostly_paper_links(rows, index)), None)
    if not _title_opens_row(rows, columns.title, links):
        return
    if links is not None:
        columns.others.append((Role.LINKS, links))
    else:
        columns.linked_titles = _mostly_paper_links(rows, columns.title)


def _title_opens_row(rows: list[Node], title: int, links: int | None) -> bool:
    """Whether the columns before the title hold no words (numbers, dates) or the links."""
    before = [index for index in range(title) if index != links]
    return not any(
        any(ch.isalpha() for ch in plain(row.children[index]))
        for row in rows
        for index in before
        if index < len(row.children)
    )


def _mostly_paper_links(rows: list[Node], index: int) -> bool:
    """Whether most filled cells of a column link to a paper host."""
    filled = linked = 0
    for row in rows:
        cells = row.children
        if index >= len(cells) or plain(cells[index]).strip().casefold() in _NO_VALUE:
            continue
        filled += 1
        inline = flatten(cells[index].children[0], line_of(row)) if cells[index].children else None
        if inline is not None and any(PAPER_HOST.search(url) for url in inline.links):
            linked += 1
    return 2 * linked > filled


def _venue_with_year(cell: str, venues: VenueTable) -> bool:
    named = mentions.whole(venues, cell) or mentions.unknown_venue_year(cell.strip())
    return named is not None and named[0] is not None and named[1] is not None


def _role_of(label: str) -> Role | None:
    if _VENUE_HEADER.match(label):
        return Role.VENUE
    if _YEAR_HEADER.match(label):
        return Role.YEAR
    if _AUTHOR_HEADER.match(label):
        return Role.AUTHORS
    if _LINKS_HEADER.match(label):
        return Role.LINKS
    return None


def walk_table(walk: Walk, node: Node) -> None:
    """The first table with years across its header is the count table; a paper table gives
    one entry per row."""
    walk.current = None
    rows = [tr for part in node.children for tr in part.children if tr.type == "tr"]
    if not rows:
        return
    header = [" ".join(plain(cell).split()) for cell in rows[0].children]
    first, end = node.map or (0, 0)
    if walk.table is None and is_count_table(header):
        numbered = list(enumerate(walk.lines[first:end], start=first + 1))
        walk.table = read_count_table(numbered, walk.findings)
        return
    columns = column_roles(header)
    if columns.title is not None and not columns.has(Role.VENUE):
        texts = [[plain(cell) for cell in row.children] for row in rows[1:]]
        by_content = _venue_column_by_content(columns, texts, walk.venues)
        if by_content is not None:
            columns.others.append((Role.VENUE, by_content))
    if not columns.is_paper_table():
        _paper_links_by_content(columns, rows[1:])
    if not columns.is_paper_table():
        return
    for row in rows[1:]:
        walk.seen_rows += 1
        _row(walk, row, columns)


def _row(walk: Walk, row: Node, columns: Columns) -> None:
    cells = list(row.children)
    line = line_of(row)
    if columns.title is None or columns.title >= len(cells):
        return
    title_cell = cells[columns.title]
    inline = flatten(title_cell.children[0], line) if title_cell.children else Inline()
    parts = papers_in_cell(inline, walk.venues) if inline.runs else []
    readings = [r for r in (read_entry(part, walk.venues) for part in parts) if r and r.title]
    if not readings:
        walk.reject(line, NotAPaper.NO_TITLE_CELL)
        return
    for reading in readings:
        venue_year: list[int] = []
        for role, index in columns.others:
            if index < len(cells):
                _read_cell(walk, cells[index], role, line, reading, venue_year)
        if venue_year:
            reading.year = venue_year[0]  # 'NAACL 2019' beats a 'Date' column's arXiv month
    if len(readings) == 1 and _group_label(inline, readings[0]):
        walk.reject(line, NotAPaper.GROUP_ROW)
        return
    if walk.context.in_noise():
        walk.reject(line, NotAPaper.NOISE_ROW)
        return
    walk.entries.extend(make_entry(walk, line, None, reading) for reading in readings)


def _group_label(inline: Inline, reading: Reading) -> bool:
    """`| _NeRF_ |`: an italic label alone in its row, naming the group of rows below it; a
    title with nothing else in its row is a paper only in roman type."""
    if reading.states_venue_or_year() or reading.paper_url or reading.authors:
        return False  # most rows: decided without looking at the runs
    return not inline.links and all(run.em for run in inline.runs if run.text.strip())


def papers_in_cell(inline: Inline, venues: VenueTable) -> list[Inline]:
    """`**Title One**<br>Authors<br>**Title Two**<br>Authors`, perhaps numbered (`1. **Title
    One**<br>...<br>2. **Title Two**`): best-paper tables put a year's papers in one cell, each
    bold title opening a line starts one. A number before a title is dropped."""
    runs = inline.runs
    materials, _ = classify_links(inline)
    starts: list[int] = []
    numbers: list[int] = []  # the runs of '1. ' before a title
    prefix: list[int] | None = []  # the runs since the last break, while blank or a number
    for index, run in enumerate(runs):
        if run.text == BREAK:
            prefix = []
        elif prefix is None:
            continue
        elif run.strong and run.text.strip() and run.link not in materials:
            if not starts or _opens_paper(runs, index, venues):
                starts.append(index)
                numbers += prefix
            prefix = None
        else:
            prefix.append(index)
            if not _NUMBER_MARK.fullmatch("".join(runs[i].text for i in prefix)):
                prefix = None
    if len(starts) < 2 and not any(runs[i].text.strip() for i in numbers):
        return [inline]
    dropped = set(numbers)
    bounds = [0, *starts[1:], len(runs)]
    return [
        inline.part([runs[i] for i in range(begin, end) if i not in dropped])
        for begin, end in itertools.pairwise(bounds)
    ]


def _opens_paper(runs: list[Run], index: int, venues: VenueTable) -> bool:
    """Bold text at a line's start after the first title: another title, not bold names or a
    venue."""
    bold: list[str] = []
    for run in runs[index:]:
        if not run.strong or run.text == BREAK:
            break
        bold.append(run.text)
    text = clean_title("".join(bold))
    if len(text.split()) < 2 or looks_like_names(text):
        return False
    venue, year, before = mentions.venue_year(venues, text)
    return venue is None or year is None or bool(before.strip())  # '**NeurIPS 2021 Workshop**'


def _read_cell(
    walk: Walk,
    cell: Node,
    role: Role,
    line: int,
    reading: Reading,
    venue_year: list[int],
) -> None:
    """What a venue, year, authors or links cell adds to the row's title reading."""
    text = clean_title(plain(cell), keep_period=True)
    if text.casefold() in _NO_VALUE:
        return
    if role is Role.VENUE:
        venue, year, _ = mentions.venue_year(walk.venues, text)
        reading.venue = venue or walk.venues.canonical(re.sub(r"\s*\(.*\)$", "", text))
        reading.year = reading.year or year
        if year is not None:
            venue_year.append(year)
    elif role is Role.YEAR:
        _, year, _ = mentions.venue_year(walk.venues, text)
        reading.year = year or reading.year
    elif role is Role.AUTHORS:
        reading.authors = split_authors(text, checked=False)
    elif role is Role.LINKS and cell.children:
        inline = flatten(cell.children[0], line)
        if not inline.links and text.startswith(("http://", "https://")):
            inline.links.append(text)  # a bare URL in a 'URL' column
        read_materials(inline, reading)
        if reading.venue is None and reading.year is None:
            _venue_of_links(walk, inline, reading)


def _venue_of_links(walk: Walk, inline: Inline, reading: Reading) -> None:
    """`[ICLR 2025](url)`, `[ACL 2024 Findings](url)` in a Link column: the label names the
    venue the link leads to."""
    for index in range(len(inline.links)):
        label = inline.label(index).strip(" []")
        if len(label) > MAX_VENUE_LABEL:
            continue
        venue, year, _ = mentions.venue_year(walk.venues, label)
        if venue is not None and walk.venues.find(venue) is not None:
            reading.venue, reading.year = venue, year
            reading.paper_url = reading.paper_url or inline.links[index] or None
            return
