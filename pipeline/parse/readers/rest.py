"""After the title: venue, year and authors from the segments that follow it."""

from __future__ import annotations

import re

from pipeline.parse import mentions
from pipeline.parse.entry import Reading
from pipeline.parse.words import ORG_TAIL, VENUE_WORDS, split_authors
from pipeline.venues import VenueTable

_SEPARATOR = re.compile(r"(\n|\|)")
_LABEL_END = re.compile(r"\s*[\])（(]")
# 'Cell Systems', 'Graphics Gems IV', 'Pixar TR': capitalised words before a year, which would
# be a person's name but for the authors read already (no comma: never a list of names)
_NAME_LIKE_VENUE = re.compile(r"[A-Z][^,;]{1,59}")


def read_rest(rest: str, reading: Reading, venues: VenueTable) -> None:
    """Venue, year and authors from the segments after the title (split at breaks, `|`)."""
    pieces = _SEPARATOR.split("\n" + ORG_TAIL.sub("", rest))
    for index in range(1, len(pieces) - 1, 2):
        raw = pieces[index + 1].strip(" \t")
        segment = raw.strip(" \t[]()（）|,;-–—:.*_")
        tagged = raw[:1] in "[(（" and raw.rstrip(" .,;")[-1:] in "])）"  # '[2024-XP]'
        if segment:
            _read_segment(segment, pieces[index], reading, venues, tagged)


def _read_segment(
    segment: str, separator: str, reading: Reading, venues: VenueTable, tagged: bool
) -> None:
    venue, year, leftover = mentions.venue_year(venues, segment, tagged)
    label = _LABEL_END.split(segment)[0]  # '[ACM Transactions on Computer Systems] (x)'
    if venue is None and year is None and VENUE_WORDS.search(label) and len(label) <= 80:
        venue, year = mentions.tag_venue(venues, label)
    strict = mentions.STRICT_VENUE_YEAR.match(segment)
    if strict and not year and mentions.typo_year(strict, venues):
        reading.bad_year = segment
        venue = venue or venues.canonical(strict["venue"].strip())
    if (venue or year) and reading.venue is None and reading.year is None:
        if venue is None and reading.authors and _NAME_LIKE_VENUE.fullmatch(leftover.strip()):
            venue = leftover.strip(" ,")  # 'Graphics Gems IV, 1994' after the authors
        reading.venue, reading.year = venue, year
        names = split_authors(leftover)
        if names and not reading.authors:
            reading.authors = names
    elif venue and reading.venue is None and reading.year in (year, None):
        reading.venue = venue
        reading.year = reading.year or year
    elif year and reading.year is None and reading.venue is not None and not venue:
        reading.year = year
    elif (
        not (venue or year)
        and not reading.authors
        and separator != "|"  # never a '| Org' tail
        and not any(label and label in segment for label in reading.link_labels)
    ):
        reading.authors = split_authors(segment)
