"""A reading judged and placed under its headings: is it a paper, and which venue and year."""

from __future__ import annotations

import re

from pipeline.models import Severity, StatedIn
from pipeline.parse import mentions
from pipeline.parse.entry import Entry, Markup, NotAPaper, Reading
from pipeline.parse.inline import BREAK
from pipeline.parse.state import Walk
from pipeline.parse.words import clip, item_text, looks_like_names, split_authors

_YEARS = re.compile(r"\b(?:19|20)\d\d\b")
_YEAR_INDEX_CHARS = re.compile(r"[\d\s,;()\[\]]")
_LISTED_NAMES = re.compile(r"\bet al\b|,|\band\b|&")
_DETAIL_LABEL = re.compile(r"^(?:code|paper|pdf|authors?|venue|published|slides|video)\s*:", re.I)
# '+ Search Algorithm: MCTS' under a paper: a note with its label, never the paper's authors
# ('Authors: A. Widget, B. Gizmo' is)
_NOTE_LABEL = re.compile(r"^(?!authors?\b)[^:：,]{1,30}[:：]", re.I)


def not_a_paper(walk: Walk, reading: Reading, number: int | None) -> NotAPaper | None:
    """Why a reading is not a paper, or None when it is one."""
    if walk.context.in_noise():
        return NotAPaper.NOISE
    if reading.anchor_only:
        return NotAPaper.CONTENTS
    if not reading.title and not reading.unbalanced:
        return NotAPaper.NO_TITLE
    if reading.title and walk.venues.find(reading.title) and not reading.authors:
        return NotAPaper.VENUE_NAME
    if not _has_evidence(walk, reading, number):
        return NotAPaper.NO_EVIDENCE
    if len(_YEARS.findall(reading.rest)) >= 2 and not _YEAR_INDEX_CHARS.sub("", reading.rest):
        return NotAPaper.YEAR_INDEX
    heading_venue = walk.context.venue is not None
    weak = not (reading.year or reading.paper_link or reading.authors or reading.bad_year)
    plain = reading.title_markup is Markup.PLAIN
    if weak and plain and not heading_venue and walk.context.year is None:
        return NotAPaper.VENUE_ALONE
    one_word = len(reading.title.split()) == 1
    if (
        one_word
        and reading.title_markup is Markup.LINK
        and not (reading.paper_link or heading_venue)
    ):
        return NotAPaper.ONE_WORD_LINK
    if plain and len(reading.title.split()) < 2 and not (reading.venue or heading_venue):
        return NotAPaper.TOO_SHORT
    return None


def _has_evidence(walk: Walk, reading: Reading, number: int | None) -> bool:
    """A paper link, venue, year or authors; or a venue heading over a marked-up, numbered
    or long enough title."""
    if reading.paper_link or reading.states_venue_or_year() or reading.authors:
        return True
    if walk.context.venue is None:
        return False
    marked = reading.title_markup is not Markup.PLAIN or number is not None
    return marked or len(reading.title.split()) >= 3 and reading.title[0].isupper()


def make_entry(walk: Walk, line: int, number: int | None, reading: Reading) -> Entry:
    """The entry for a paper: its venue and year decided, what is odd about it reported."""
    if not reading.title:
        walk.report(line, "empty-title", Severity.ERROR, "entry has an empty title")
        reading.title = f"(untitled entry at line {line})"
    source = walk.source(line)
    if reading.unbalanced:
        walk.report(
            line,
            "malformed-entry",
            Severity.ERROR,
            f"unbalanced '**' in entry: {clip(item_text(source))}",
        )
    venue_heading, year_heading = walk.context.venue, walk.context.year
    entry = Entry(
        line=line,
        number=number,
        reading=reading,
        heading_venue=venue_heading.venue if venue_heading else None,
        heading_year=year_heading.year if year_heading else None,
        section=walk.context.section(),
        heading_note=year_heading.note if year_heading else None,
        source_text=source,
        authors=list(reading.authors),
    )
    _check_suffix(walk, entry)
    _decide_venue(walk, entry)
    _decide_year(walk, entry)
    title = clip(reading.title)
    if entry.year is None:
        walk.report(line, "no-year", Severity.INFO, f"the list gives no year for '{title}'")
    if entry.venue is None:
        walk.report(line, "no-venue", Severity.INFO, f"the list gives no venue for '{title}'")
    return entry


def _check_suffix(walk: Walk, entry: Entry) -> None:
    """A numbered bold entry (our own format) must end in a readable venue and year."""
    reading = entry.reading
    if not (entry.numbered and reading.title_markup is Markup.STRONG):
        return
    if reading.venue or reading.year or reading.bad_year:
        return
    title = clip(reading.title)
    rest = " ".join(reading.rest.replace(BREAK, " ").split()).strip(" \t[]()|,;-:")
    if rest:
        message = f"cannot read venue and year from '{clip(rest)}' after '{title}'"
        walk.report(entry.line, "unreadable-suffix", Severity.WARNING, message)
        return
    where = " ".join(str(p) for p in (entry.heading_venue, entry.heading_year) if p)
    message = f"entry '{title}' has no venue/year suffix" + (
        f"; using the headings ({where})" if where else ""
    )
    walk.report(entry.line, "missing-suffix", Severity.WARNING, message)


def _decide_venue(walk: Walk, entry: Entry) -> None:
    """The entry's own venue over the heading's, reporting a disagreement."""
    entry.venue, entry.venue_source = entry.heading_venue, StatedIn.HEADING
    stated = entry.reading.venue
    if stated is None:
        return
    entry.venue, entry.venue_source = stated, StatedIn.ENTRY
    heading = walk.context.venue
    if heading is not None and not walk.context.venue_agrees(stated):
        walk.report(
            entry.line,
            "venue-mismatch",
            Severity.WARNING,
            f"entry says venue {stated} but sits under the {heading.text} heading",
        )


def _decide_year(walk: Walk, entry: Entry) -> None:
    """The entry's own year over the heading's; an unreadable one falls back to the heading."""
    entry.year, entry.year_source = entry.heading_year, StatedIn.HEADING
    reading = entry.reading
    if reading.bad_year is not None:
        using = f"; using the heading year {entry.heading_year}" if entry.heading_year else ""
        message = f"'{reading.bad_year}' has no valid year{using}"
        walk.report(entry.line, "bad-year", Severity.WARNING, message)
    elif reading.year is not None:
        entry.year, entry.year_source = reading.year, StatedIn.ENTRY
        if entry.heading_year is not None and reading.year != entry.heading_year:
            walk.report(
                entry.line,
                "year-mismatch",
                Severity.WARNING,
                f"entry says {reading.year} but sits under the {entry.heading_year} heading",
            )


def add_detail(walk: Walk, entry: Entry, reading: Reading) -> None:
    """A sub-bullet or later line of a paper: its venue, year, authors or links."""
    if entry.venue_source is StatedIn.HEADING and reading.venue is None:
        venue, year, leftover = mentions.venue_year(walk.venues, reading.title + " " + reading.rest)
        reading.venue, reading.year = venue, reading.year or year
        if not reading.authors and not _NOTE_LABEL.match(leftover):
            reading.authors = split_authors(leftover, checked=False)
    if reading.venue and entry.venue_source is StatedIn.HEADING:
        entry.venue, entry.venue_source = reading.venue, StatedIn.ENTRY
    if reading.year and entry.year_source is StatedIn.HEADING:
        entry.year, entry.year_source = reading.year, StatedIn.ENTRY
    if reading.authors and not entry.authors:
        entry.authors = reading.authors
    entry.reading.code_url = entry.reading.code_url or reading.code_url
    entry.reading.paper_url = entry.reading.paper_url or reading.paper_url


def is_detail(walk: Walk, reading: Reading) -> bool:
    """A line that only adds to a paper: 'Wencong Xiao et al. (*OSDI 2018*)', 'NSDI 2019',
    'Code: [github](url)', 'Cho. EMNLP. 2014.' (a name or two and a venue)."""
    title = reading.title
    if reading.title_markup is not Markup.PLAIN:
        return False
    short_dated = reading.states_venue_or_year() and len(title.split()) <= 2
    return (
        not title
        or (looks_like_names(title) and bool(_LISTED_NAMES.search(title)))
        or mentions.whole(walk.venues, title) is not None
        or bool(_DETAIL_LABEL.match(title))
        or short_dated
    )
