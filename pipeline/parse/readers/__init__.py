"""One entry read from its inline markdown: title, venue, year, authors, links.

An entry is read in steps: its links (materials apart from the title link), badges, the tags
before the title (a chain of prefix readers), the title (a chain of title readers, the first
that finds one wins), then what follows it. The forms: `**Title** OSDI 2016`,
`[OSDI'22] [Title](url)`, `"Title", NeurIPS, 2023.`, `Title <br> ICLR 2024 [[Paper]](url)`,
`[Title](url) - A. Author, B. Author. PLDI 2019.`, ...
"""

from __future__ import annotations

from pipeline.parse import mentions
from pipeline.parse.entry import Markup, Reading
from pipeline.parse.inline import Inline, assemble
from pipeline.parse.readers.links import (
    classify_links,
    read_badges,
    read_materials,
    read_venue_links,
)
from pipeline.parse.readers.prefix import past_bold_name, strip_prefix_tags
from pipeline.parse.readers.rest import read_rest
from pipeline.parse.readers.title import EntryText, read_title
from pipeline.venues import VenueTable

__all__ = ["read_entry", "read_materials", "read_rest"]


def read_entry(inline: Inline, venues: VenueTable) -> Reading | None:
    """The entry's reading, or None when there is no text at all."""
    materials, title_link = classify_links(inline)
    text, spans = assemble(inline, materials)
    if not text.strip():
        return None
    reading = Reading(title="", title_markup=Markup.PLAIN)
    read_badges(inline, reading, venues)
    reading.link_labels = {inline.label(index).strip(" []") for index in range(len(inline.links))}
    read_materials(inline, reading, materials)
    read_venue_links(inline, reading, venues)
    start = past_bold_name(text, strip_prefix_tags(text, reading, venues), spans)
    read_title(EntryText(text, start, spans, title_link, inline, venues), reading)
    read_rest(reading.rest, reading, venues)
    if reading.venue is None:
        _read_code_venue(inline, reading, venues)
    return reading


def _read_code_venue(inline: Inline, reading: Reading, venues: VenueTable) -> None:
    """`**[Title](url)** (*2025*) `ICML``: agent lists write the venue as a code span after
    the year; only a span that is a known venue and nothing else (never a keyword tag
    `` `PTQ` ``), and never against a year the entry states."""
    for run in inline.runs:
        if not run.code or run.strong:
            continue
        venue, year = mentions.whole(venues, run.text) or (None, None)
        if venue is None or None not in (year, reading.year) and year != reading.year:
            continue
        reading.venue, reading.year = venue, reading.year or year
        return
