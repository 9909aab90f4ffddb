"""The title: a chain of title readers, one per way lists mark a title; the first that finds
one wins (a citation, an authors line then a bold title, a bold span or title link, a quoted
title, else the plain text up to a break)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.parse import mentions
from pipeline.parse.entry import Markup, Reading
from pipeline.parse.inline import BREAK, Inline, Span, SpanKind
from pipeline.parse.readers.links import PAPER_HOST
from pipeline.parse.words import SHORTCODE, YEAR4, clean_title, looks_like_names, split_authors
from pipeline.venues import VenueTable

_LEADING_WORD = re.compile(r"\s*[a-z]{2,8}:?\s*")  # 'code [Title OSDI'22](url)'
_NICKNAME_COLON = re.compile(r"\s*[:：]\s*(?=\w)")
# 'Author, A., et al. "Title." Venue (2019).': names, then the quoted title, then the rest;
# 'A. Author, “Title,” Venue, vol. 1, 2019.' (IEEE style) closes the title with a comma.
_CITED = re.compile(
    r"^(?P<people>[^\"“”\n]{3,400}?)(?P<gap>[\s.,]*)[\"“](?P<title>[^\"“”\n]{4,300}?)"
    r"(?P<close>[.,])?\s*[\"”]\.?"
)
_CITED_YEAR = re.compile(r",?\s*\(?((?:19|20)\d\d)\)?\.?\s*$")
_NAME_COLON = re.compile(r"\s*[:：]\s*\w")  # '**FlexGen**: ...'
_CLOSE_QUOTE = re.compile(r"[\"”]")
_ENDS_ET_AL = re.compile(r"\bet\.? al\.?,?$")  # 'Donald Widget et. al. [Title](url)'
_NAMES_ET_AL = re.compile(r"(?P<people>.{3,200}?\bet al\.)\s+(?P<title>\S.*)")
# 'A. Widget and B. Gizmo. 1992. ' (ACM reference format), 'Widget, A., & Gizmo, B. (1984). '
_NAMES_YEAR = re.compile(rf"(?P<people>.+?)(?:[.,][ \t]*|[ \t]+)\(?(?P<year>{YEAR4})\)?[.,]?[ \t]*")
MIN_NAMES_YEAR = len("A B. 1999. ")
MIN_NAME_COMMA = len("Ng, ")
_NAME_GROUPS = re.compile(r",|;|&|\band\b")
_SURNAME_END = re.compile(r"(?:[A-Z][\w'’-]*|[A-Z]\.)\s*$")
_SURNAME = re.compile(r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*")  # 'Nielsen', "O'Hara"; not 'OSDI'
_YEAR = re.compile(YEAR4)
_PLAIN_CUT = re.compile(r"\n|\s\|\s?|\|\s")
_DASH_CUT = re.compile(r"\s[-–—]\s(?=[A-Z][\w.'-]*\s[A-Z])")  # 'Title - A. Author, B. Author'


@dataclass(frozen=True)
class EntryText:
    """The entry's assembled text as the title readers see it."""

    text: str
    start: int  # where the title may begin, past prefix tags
    spans: list[Span]
    title_link: int | None
    inline: Inline
    venues: VenueTable

    @property
    def body(self) -> str:
        return self.text[self.start :]


TitleReader = Callable[[EntryText, Reading], tuple[str, str] | None]


def _title_in_markup(entry: EntryText, reading: Reading) -> tuple[str, str] | None:
    """A bold span or title link at the start (`**Title**`, `[Title](url)`, `code [Title](url)`)."""
    mark = _first_mark(entry)
    text = entry.text
    if mark is None or _is_tag(entry.venues, text[mark.start : mark.end]):
        return None
    if mark.kind is SpanKind.STRONG and _NAME_COLON.match(text[mark.end :]):
        return None  # '**FlexGen**: High-Throughput ...': the bold is only the system's name
    if mark.kind is SpanKind.LINK:
        reading.paper_url = entry.inline.links[mark.link] or reading.paper_url
        reading.title_markup = Markup.LINK
    else:
        reading.title_markup = Markup.STRONG
        if entry.title_link is not None and any(
            r.link == entry.title_link and r.strong for r in entry.inline.runs
        ):
            reading.paper_url = entry.inline.links[entry.title_link] or reading.paper_url
    return _nickname(entry, mark) or (text[mark.start : mark.end], text[mark.end :])


def _first_mark(entry: EntryText) -> Span | None:
    """The first bold span or title link, with nothing before it but decoration or one word."""
    text, start = entry.text, entry.start
    for span in entry.spans:
        if span.start < start or span.end <= span.start:
            continue
        before = text[start : span.start]
        if not before.strip(' \t*_[("“') or _LEADING_WORD.fullmatch(before):
            return span
        return None
    return None


def _nickname(entry: EntryText, mark: Span) -> tuple[str, str] | None:
    """`[Widget](url): Fast Serving of Widgets` -> 'Widget: Fast Serving of Widgets'; also
    `[Widget:](url) Fast Serving`: a system's name linked, the title going on after it."""
    text = entry.text
    label = text[mark.start : mark.end].strip()
    if mark.kind is not SpanKind.LINK or not label or len(label.split()) > 3:
        return None
    colon = _NICKNAME_COLON.match(text, mark.end)
    if colon and SHORTCODE.match(text[mark.end :].lstrip()):
        return None  # '[Long Short-Term Memory](url) :bulb:': an emoji, no more title
    if label[-1] in ":：":
        label, after = label[:-1].rstrip(), mark.end
    elif colon:
        after = colon.end()
    else:
        return None
    end = _plain_end(text, after, entry.venues)
    if not text[after:end].strip():
        return None
    return f"{label}: {text[after:end].strip()}", text[end:]


def _plain_end(text: str, start: int, venues: VenueTable) -> int:
    """Where a plain title from `start` ends: a break, a `|`, or a spaced dash that names
    follow (`Title - A. Author, B. Author. PLDI 2019`); a dash with more title after it
    (`START — Self-Tuning Adaptive Radix Tree (ICDEW 2020)`) stays in the title."""
    cut = _PLAIN_CUT.search(text, start)
    end = cut.start() if cut else len(text)
    for dash in _DASH_CUT.finditer(text, start, end):
        if _names_follow(text[dash.end() : end], venues):
            return dash.start()
    return end


def _names_follow(after: str, venues: VenueTable) -> bool:
    """'A. Author, B. Author. PLDI 2019', 'Ada Widget (OSDI 2020)': names, then perhaps the
    venue and year."""
    trailing = mentions.trailing_venue_year(venues, after)
    people = after[: trailing.start()] if trailing else after
    venue, year, before = mentions.venue_year(venues, people)
    if venue or year:
        people = before
    return looks_like_names(people.strip(" \t.,;:"))


def _quoted_title(entry: EntryText, reading: Reading) -> tuple[str, str] | None:
    """`"Title", NeurIPS, 2023.`"""
    body = entry.body
    if body[:1] not in '"“':
        return None
    close = _CLOSE_QUOTE.search(body[1:])
    end = close.start() + 1 if close else len(body)
    if body[end + 1 : end + 2] == ":":
        return None  # '"Zen 4": The AMD Core': the quote opens the title, it is not all of it
    reading.title_markup = Markup.QUOTED
    return body[1:end], body[end + 1 :]


def _plain_title(entry: EntryText, reading: Reading) -> tuple[str, str] | None:
    """The text up to the first break, `|`, ` - Author` or trailing venue and year;
    `Dean, J., et al. Title. NIPS 2012.` gives its authors."""
    body = entry.body
    end = _plain_end(body, 0, entry.venues)
    title, rest = body[:end], body[end:]
    trailing = mentions.trailing_venue_year(entry.venues, title)
    if trailing:
        title, rest = title[: trailing.start()], title[trailing.start() :] + rest
    elif (comma := mentions.trailing_comma_tail(entry.venues, title)) is not None:
        start, venue, year = comma  # 'Title, 2023, MICRO': a known venue only, in plain text
        if venue is not None and entry.venues.find(venue) is not None:
            title = title[:start]
            reading.venue, reading.year = reading.venue or venue, reading.year or year
    elif dated := mentions.trailing_date(title.rstrip()):  # 'Title, 2023.11': a date, no wording
        title, reading.year = title[: dated.start()], reading.year or int(dated["year"])
    cited = _NAMES_ET_AL.match(title)
    if cited and looks_like_names(cited["people"]):
        reading.authors = split_authors(cited["people"])
        title = cited["title"]
    return title, rest


def _cited_title(entry: EntryText, reading: Reading) -> tuple[str, str] | None:
    """`Author, Given, et al. "Widget serving at scale." Proceedings of X (2019).`: names, a
    quoted title (perhaps bold or linked), then venue and year."""
    if '"' not in entry.body and "“" not in entry.body:
        return None  # no quoted title (and the pattern's lazy names would try 400 lengths)
    flat = entry.body.replace(BREAK, " ")  # a citation wrapped over lines is one sentence
    cited = _CITED.match(flat)
    if not cited:
        return None
    people, year = cited["people"].strip(), ""
    dated = _CITED_YEAR.search(people)  # 'Walker, D.W. and Dongarra, J.J., 1996.'
    if dated:
        people, year = people[: dated.start()], dated[1]
    topic, colon, names = people.rpartition(":")
    if topic and colon and not looks_like_names(people) and looks_like_names(names.strip(" .,")):
        people = names.strip()  # '**Quick sort**: A. R. Hoare. "Title"': a topic, then names
    # 'D. Heller, “Title,”', 'Leslie Lamport. "Title"': one name, then a comma or a period
    listed = "," in people or "et al" in people or bool(cited["gap"].strip())
    if not listed or not looks_like_names(people.strip(" .,")):
        return None  # 'Cardinality Counting in "Alcatraz": ...' is a title with a quote
    reading.authors = _inverted_first_author(split_authors(people))
    reading.title_markup = Markup.QUOTED
    start = entry.start + cited.start("title")
    for span in entry.spans:
        if span.kind is SpanKind.LINK and span.start <= start < span.end:
            reading.paper_url = entry.inline.links[span.link] or reading.paper_url
    rest = entry.body[cited.end() :]
    if cited["close"] == ",":  # IEEE style: the venue, its numbers and the year follow
        venue, ieee_year = mentions.ieee_venue_year(entry.venues, flat[cited.end() :])
        reading.venue, reading.year = reading.venue or venue, reading.year or ieee_year
    if year:  # the year the names gave goes with the venue: 'Supercomputer, 12, pp.56-68. 1996'
        cut = rest.find(BREAK)
        rest = f"{rest} {year}" if cut < 0 else f"{rest[:cut]} {year}{rest[cut:]}"
    return cited["title"], rest


def _inverted_first_author(names: list[str]) -> list[str]:
    """'Krizhevsky, Alex, et al.' names one person: citations invert the first author's name."""
    if len(names) >= 2 and len(names[0].split()) == 1 and len(names[1].split()) <= 2:
        return [f"{names[0]}, {names[1]}", *names[2:]]
    return names


def _title_after_authors(entry: EntryText, reading: Reading) -> tuple[str, str] | None:
    """`A. Author, B. Author.` then `**Title.**` on the next line (then the venue)."""
    body = entry.body
    cut = body.find(BREAK)
    if cut < 0 or not looks_like_names(body[:cut].strip(" .,")):
        return None
    after = entry.start + cut
    span = next((s for s in entry.spans if s.kind is SpanKind.STRONG and s.start >= after), None)
    if span is None or entry.text[after : span.start].strip(" \n\t*_"):
        return None
    reading.authors = split_authors(body[:cut])
    reading.title_markup = Markup.STRONG
    return entry.text[span.start : span.end], entry.text[span.end :]


def _title_after_names_and_year(entry: EntryText, reading: Reading) -> tuple[str, str] | None:
    """`A. Widget and B. Gizmo. 1992. **Title**. In Proceedings of ...` (ACM reference format),
    `Widget, A., & Gizmo, B. (1984). **Title**. Journal 39(10)` (APA): names and a year, then
    the bold or linked title, then the venue."""
    span = next((s for s in entry.spans if s.start >= entry.start), None)
    if span is None or span.start - entry.start < MIN_NAMES_YEAR or span.end <= span.start:
        return None  # the title opens the entry: most entries
    dated = _NAMES_YEAR.fullmatch(entry.text, entry.start, span.start)
    if dated is None or not _surnames_last(dated["people"].strip(" .,")):
        return None
    reading.authors = split_authors(dated["people"])
    reading.year = reading.year or int(dated["year"])
    return _span_title(entry, reading, span)


def _title_after_names(entry: EntryText, reading: Reading) -> tuple[str, str] | None:
    """`Nielsen, **Title**. (Jan 1995)`, `Ada Widget, Bo Gizmo, **Title**`: names and a comma
    (or 'et al.'), then the bold title (HCI reading lists); `Ada Widget, [Title](url), SIGGRAPH
    1997.`: names, then the linked title (graphics reading lists). A lone surname, or names
    before a link, count only with a year after the title: `Note, **this list is updated
    weekly**` names no one."""
    span = next((s for s in entry.spans if s.start >= entry.start), None)
    if span is None or span.start - entry.start < MIN_NAME_COMMA:
        return None  # the title opens the entry: most entries
    before = entry.text[entry.start : span.start].rstrip(" \t*_" + BREAK)
    listed = before.endswith(",") or _ENDS_ET_AL.search(before) is not None
    if not listed or not before[0].isupper() or span.end <= span.start:
        return None
    after = entry.text[span.end : span.end + 3].lstrip(" \t*_")
    if after and after[0] not in ".,;([|" + BREAK:
        return None  # 'Widgets, **Gizmos** and Sprockets': a bold word inside a title
    people = before.removesuffix(",").strip()
    dated = _YEAR.search(entry.text, span.end) is not None
    if span.kind is SpanKind.LINK and not dated:
        return None  # 'See also, [Widgets](url)': a link after words, no citation
    if _SURNAME.fullmatch(people):
        if entry.venues.find(people) or not dated:
            return None
    elif not looks_like_names(people):
        return None
    reading.authors = split_authors(people, checked=False)
    return _span_title(entry, reading, span)


def _span_title(entry: EntryText, reading: Reading, span: Span) -> tuple[str, str]:
    """The bold or linked span after a citation's names as the title (a link is the paper's),
    and the text after it."""
    if span.kind is SpanKind.LINK:
        reading.paper_url = entry.inline.links[span.link] or reading.paper_url
        reading.title_markup = Markup.LINK
    else:
        reading.title_markup = Markup.STRONG
    return entry.text[span.start : span.end], entry.text[span.end :]


def _surnames_last(people: str) -> bool:
    """Names, each ending in a surname or an initial ('Ada Widget and Bo Gizmo', 'Widget, A.,
    & Gizmo, B.'); 'Read in' is no name."""
    return looks_like_names(people) and all(
        _SURNAME_END.search(group) for group in _NAME_GROUPS.split(people) if group.strip()
    )


TITLE_READERS: tuple[TitleReader, ...] = (
    _cited_title,
    _title_after_authors,
    _title_after_names_and_year,
    _title_after_names,
    _title_in_markup,
    _quoted_title,
    _plain_title,
)


def read_title(entry: EntryText, reading: Reading) -> None:
    """The first title reader that finds a title wins; then the title is cleaned."""
    title, rest = next(
        cut for cut in (reader(entry, reading) for reader in TITLE_READERS) if cut is not None
    )
    if reading.paper_url and reading.paper_url.startswith("#"):
        reading.anchor_only = True
    if reading.paper_url and PAPER_HOST.search(reading.paper_url):
        reading.paper_link = True
    if "**" in entry.text:
        reading.unbalanced = True
        title, rest = title.replace("**", ""), rest.replace("**", "")
    trailing = (
        mentions.trailing_venue_year(entry.venues, title)
        if reading.title_markup is not Markup.PLAIN
        else None
    )
    if trailing:
        title, rest = title[: trailing.start()], title[trailing.start() :] + " " + rest
    elif reading.title_markup in (Markup.LINK, Markup.STRONG):
        comma = mentions.trailing_comma_tail(entry.venues, title)  # '[Title, SIGMOD, 2008](url)'
        if comma is not None:
            title = title[: comma[0]]
            reading.venue, reading.year = reading.venue or comma[1], reading.year or comma[2]
    if mentions.whole(entry.venues, title.strip(" *_[]()")) is not None:
        title, rest = "", title + " " + rest  # '**** SC 2019': no title, only a suffix
    reading.title = clean_title(title)
    reading.rest = rest


def _is_tag(venues: VenueTable, text: str) -> bool:
    return mentions.whole(venues, text.strip("[]()（） ")) is not None
