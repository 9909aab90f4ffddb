"""The values the parse stage passes around: a candidate entry, its evidence, a placed entry."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from pipeline.models import StatedIn


class Markup(StrEnum):
    """How the entry marks its title."""

    STRONG = "strong"
    LINK = "link"
    QUOTED = "quoted"
    PLAIN = "plain"


class NotAPaper(StrEnum):
    """Why a block is not a paper; the text goes into the empty list's explanation."""

    NOISE = "in a section of tools, courses, talks or contents"
    NOISE_ROW = "in a section of tools or contents"
    NO_TITLE_CELL = "no title in the title column"
    GROUP_ROW = "an italic label alone in its row: the name of the rows below it"
    CONTENTS = "a link inside the page: a table of contents"
    NO_TITLE = "no title"
    VENUE_NAME = "a venue name, not a paper title"
    NO_EVIDENCE = "no paper link, venue, year or authors"
    YEAR_INDEX = "a title followed by a list of years: an index, not a paper"
    VENUE_ALONE = "a venue name alone, without year, paper link or venue heading"
    ONE_WORD_LINK = "a one-word link, not a paper title"
    TOO_SHORT = "too short for a paper title"
    ALONE = "not a paper on its own"


@dataclass
class Reading:
    """What one entry states (a candidate paper); None where it states nothing."""

    title: str
    title_markup: Markup
    venue: str | None = None
    year: int | None = None
    bad_year: str | None = None  # 'ASPLOS 20189': a venue with an unreadable year
    authors: list[str] = field(default_factory=list)
    paper_url: str | None = None
    code_url: str | None = None
    categories: list[str] = field(default_factory=list)
    rest: str = ""  # what followed the title, links and badges removed
    link_labels: set[str] = field(default_factory=set)  # texts of links: never authors
    unbalanced: bool = False
    anchor_only: bool = False  # the title links inside the page: a table of contents
    paper_link: bool = False  # a link to a paper host or labelled as the paper

    def states_venue_or_year(self) -> bool:
        return self.venue is not None or self.year is not None or self.bad_year is not None


@dataclass
class Entry:
    """A paper being assembled from its block, the headings above it and what follows it."""

    line: int
    number: int | None
    reading: Reading
    heading_venue: str | None
    heading_year: int | None
    section: str
    heading_note: str | None
    source_text: str
    venue: str | None = None
    year: int | None = None
    venue_source: StatedIn = StatedIn.HEADING
    year_source: StatedIn = StatedIn.HEADING
    authors: list[str] = field(default_factory=list)

    @property
    def numbered(self) -> bool:
        return self.number is not None
