"""Before the title: a chain of prefix readers, each taking one tag, label or name."""

from __future__ import annotations

import re
from collections.abc import Callable

from pipeline.parse import mentions
from pipeline.parse.entry import Reading
from pipeline.parse.inline import Span, SpanKind
from pipeline.parse.words import skip_decoration, valid_year
from pipeline.venues import VenueTable

_BRACKET_TAG = re.compile(
    r"^[\[【(（]\s*(?P<tag>[^\]】)）]{1,80}?)\s*[\]】)）](?:\s+|(?=[\[*_(【（]))"
)  # '[DistServe] ', '(SOSP'19) ', '[OSDI'22][Title](url)'; never '(FL)$^2$' or '(De/Re)-X'
# '[Huffman1954]', '[Bar-Hillel1961]': a citation key, the first author's surname and the year
# (theory reading lists); a key only when the citation after it opens with that surname
_CITATION_KEY = re.compile(
    r"(?P<surname>[A-Z][A-Za-z]+(?:-[A-Z][A-Za-z]+)*)(?P<year>(?:19|20)\d\d)[a-z]?"
)
_YEAR_VENUE = re.compile(r"^(?P<y2>\d{2})-(?P<venue>[A-Za-z][\w&+]*)-\s*")
_LABEL = re.compile(r"^(?:paper|title|pdf|link)\s*[:：]\s*", re.I)
_QUOTE_AFTER_NAME = re.compile(r"[ \t]*[:：]?[ \t]*[\"“]")
MAX_NAME_WORDS = 6
_NAME_BEFORE_QUOTE = re.compile(
    r"^[^\s\"“:：]{1,40}(?: [^\s\"“:：]{1,40}){0,2}\s*[:：]\s*(?=[\"“])"
)


PrefixReader = Callable[[str, Reading, VenueTable], int | None]


def _bracket_tag(rest: str, reading: Reading, venues: VenueTable) -> int | None:
    """`[OSDI'22]`, `(SOSP'19)`, `[DistServe]`: venue and year kept, a nickname dropped;
    `[Huffman1954] Huffman, D. A. ...`: a citation key, dropped; None when the bracket is (most
    of) the title."""
    tag = _BRACKET_TAG.match(rest)
    if not tag:
        return None
    after = rest[tag.end() :].strip(" *_")
    key = _CITATION_KEY.fullmatch(tag["tag"])
    if key is not None and after.startswith(key["surname"]):
        reading.year = reading.year or valid_year(key["year"])  # the citation's year
        return skip_decoration(rest, tag.end())
    venue, year = mentions.tag_venue(venues, tag["tag"])
    if not after or len(after.split()) < 2 and not (venue or year):
        return None
    if venue or year:
        reading.venue = reading.venue or venue
        reading.year = reading.year or year
    return skip_decoration(rest, tag.end())


def _year_venue_prefix(rest: str, reading: Reading, venues: VenueTable) -> int | None:
    """`22-NSDI-Title`."""
    prefix = _YEAR_VENUE.match(rest)
    if not prefix or not venues.find(prefix["venue"]):
        return None
    reading.venue = venues.canonical(prefix["venue"])
    reading.year = 2000 + int(prefix["y2"])
    return prefix.end()


def _label_prefix(rest: str, reading: Reading, venues: VenueTable) -> int | None:
    """`paper: Title (NSDI 2023)`: a label word and a colon before the title."""
    label = _LABEL.match(rest)
    return label.end() if label and rest[label.end() :].strip() else None


def _name_before_quote(rest: str, reading: Reading, venues: VenueTable) -> int | None:
    """`**LOST**: "Localizing Objects with ..."`: a system's name before the quoted title."""
    if '"' not in rest and "“" not in rest:
        return None  # no quoted title
    name = _NAME_BEFORE_QUOTE.match(rest)
    return name.end() if name else None


PREFIX_READERS: tuple[PrefixReader, ...] = (
    _bracket_tag,
    _year_venue_prefix,
    _label_prefix,
    _name_before_quote,
)


def strip_prefix_tags(text: str, reading: Reading, venues: VenueTable) -> int:
    """Where the title starts: past decoration, then past every tag a prefix reader takes."""
    pos = skip_decoration(text, 0)
    while True:
        for reader in PREFIX_READERS:
            taken = reader(text[pos:], reading, venues)
            if taken is not None:
                pos += taken
                break
        else:
            return pos


def past_bold_name(text: str, start: int, spans: list[Span]) -> int:
    """`**CortexBench** "Where are we ...?"`, `**Don't Copy the Teacher**: "Don't Copy ..."`:
    a bold name of a few words right before a quoted title; the title starts at the quote."""
    if '"' not in text and "“" not in text:
        return start  # no quoted title: most entries
    span = next((s for s in spans if s.kind is SpanKind.STRONG and s.start >= start), None)
    if span is None or text[start : span.start].strip(" \t*_"):
        return start
    name = text[span.start : span.end].strip()
    if not name or name[0] in '"“[' or not 1 <= len(name.split()) <= MAX_NAME_WORDS:
        return start
    quote = _QUOTE_AFTER_NAME.match(text, span.end)
    return quote.end() - 1 if quote else start
