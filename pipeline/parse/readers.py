"""One entry read from its inline markdown: title, venue, year, authors, links.

An entry is read in steps: its links (materials apart from the title link), badges, the tags
before the title (a chain of prefix readers), the title (a chain of title readers, the first
that finds one wins), then what follows it. The forms: `**Title** OSDI 2016`,
`[OSDI'22] [Title](url)`, `"Title", NeurIPS, 2023.`, `Title <br> ICLR 2024 [[Paper]](url)`,
`[Title](url) - A. Author, B. Author. PLDI 2019.`, ...
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.parse import mentions
from pipeline.parse.entry import Markup, Reading
from pipeline.parse.inline import BREAK, Inline, Span, SpanKind, assemble
from pipeline.parse.words import (
    ORG_TAIL,
    VENUE_WORDS,
    badge_category,
    badge_text,
    clean_title,
    looks_like_names,
    skip_decoration,
    split_authors,
)
from pipeline.venues import VenueTable

_MATERIAL = re.compile(
    r"^\W*(?:paper|pdf|pub|arxiv|doi|acm|ieee|openreview|link|proceedings|abs|html|"
    r"code|github|gitlab|repo|official code|project(?: page)?|page|website|homepage|web|site|"
    r"blog|slides?|video|poster|talk|demo|dataset|data|model|models|tutorial|news|zhihu|"
    r"supp(?:lementary)?|appendix|bib(?:tex)?|citation|hf|huggingface|知乎|解读|新闻|.{0,3}code.{0,30})"
    r"\W*$",
    re.I,
)
_CODE_LABEL = re.compile(r"code|github|gitlab|repo", re.I)
_PAPER_LABEL = re.compile(r"paper|pdf|pub|arxiv|doi|acm|ieee|openreview|proceedings|abs", re.I)
PAPER_HOST = re.compile(
    r"arxiv\.org|doi\.org|dl\.acm\.org|ieeexplore|openreview\.net|usenix\.org|proceedings\.|"
    r"papers\.nips\.cc|neurips\.cc|mlr\.press|aclanthology|thecvf\.com|ecva\.net|springer|"
    r"sciencedirect|nature\.com|science\.org|ijcai\.org|aaai\.org|vldb\.org|semanticscholar|"
    r"researchgate|\.pdf\b|mlsys\.org|sigops|pnas\.org|biorxiv|medrxiv|ssrn",
    re.I,
)
_BRACKET_TAG = re.compile(
    r"^[\[【(（]\s*(?P<tag>[^\]】)）]{1,80}?)\s*[\]】)）](?:\s+|(?=[\[*_(【（]))"
)  # '[DistServe] ', '(SOSP'19) ', '[OSDI'22][Title](url)'; never '(FL)$^2$' or '(De/Re)-X'
_YEAR_VENUE = re.compile(r"^(?P<y2>\d{2})-(?P<venue>[A-Za-z][\w&+]*)-\s*")
_LABEL = re.compile(r"^(?:paper|title|pdf|link)\s*[:：]\s*", re.I)
_NAME_BEFORE_QUOTE = re.compile(
    r"^[^\s\"“:：]{1,40}(?: [^\s\"“:：]{1,40}){0,2}\s*[:：]\s*(?=[\"“])"
)
_LEADING_WORD = re.compile(r"\s*[a-z]{2,8}:?\s*")  # 'code [Title OSDI'22](url)'
_NICKNAME_COLON = re.compile(r"\s*[:：]\s*(?=\w)")
# 'Author, A., et al. "Title." Venue (2019).': names, then the quoted title, then the rest.
_CITED = re.compile(
    r"^(?P<people>[^\"“”\n]{3,400}?)[\s.,]*[\"“](?P<title>[^\"“”\n]{4,300}?)[.,]?\s*[\"”]\.?"
)
_CITED_YEAR = re.compile(r",?\s*\(?((?:19|20)\d\d)\)?\.?\s*$")
_PLAIN_CUT = re.compile(r"\n|\s\|\s?|\|\s|\s[-–—]\s(?=[A-Z][\w.'-]*\s[A-Z])")


def read_entry(inline: Inline, venues: VenueTable) -> Reading | None:
    """The entry's reading, or None when there is no text at all."""
    materials, title_link = _classify_links(inline)
    text, spans = assemble(inline, materials)
    if not text.strip():
        return None
    reading = Reading(title="", title_markup=Markup.PLAIN)
    _read_badges(inline, reading, venues)
    reading.link_labels = {inline.label(index).strip(" []") for index in range(len(inline.links))}
    read_materials(inline, reading, materials)
    _read_venue_links(inline, reading, venues)
    start = _strip_prefix_tags(text, reading, venues)
    _read_title(EntryText(text, start, spans, title_link, inline, venues), reading)
    read_rest(reading.rest, reading, venues)
    return reading


# -- links and badges ------------------------------------------------------------------------
def _classify_links(inline: Inline) -> tuple[set[int], int | None]:
    """Material links ([Paper], [[Code]], [PDF]) apart from the first title-like link."""
    materials: set[int] = set()
    title_link: int | None = None
    for index in range(len(inline.links)):
        label = inline.label(index).strip()
        if _MATERIAL.match(label) or not label or label.strip("[]").isdigit():
            materials.add(index)
        elif title_link is None:
            title_link = index
    return materials, title_link


def _read_badges(inline: Inline, reading: Reading, venues: VenueTable) -> None:
    """A badge names a venue (.../badge/NeurIPS-2022-blue) or a category (Training-red)."""
    for url in inline.images:
        named = mentions.whole(venues, badge_text(url))
        if named is not None and named[0] is not None:
            reading.venue, reading.year = named
        elif category := badge_category(url):
            reading.categories.append(category)


def read_materials(inline: Inline, reading: Reading, materials: set[int] | None = None) -> None:
    """Paper and code links from `[[Paper]](url)`, `[PDF](url)`, `[[Code]](url)`."""
    if materials is None:
        materials = set(range(len(inline.links)))
    for index in sorted(materials):
        url = inline.links[index]
        label = inline.label(index)
        if _CODE_LABEL.search(label) or "github.com" in url and not _PAPER_LABEL.search(label):
            reading.code_url = reading.code_url or url
        elif _PAPER_LABEL.search(label) or PAPER_HOST.search(url):
            reading.paper_url = reading.paper_url or url
            reading.paper_link = True


def _read_venue_links(inline: Inline, reading: Reading, venues: VenueTable) -> None:
    """`([NSDI'17](url))`: a link whose label is a venue tag points at the paper."""
    for index, url in enumerate(inline.links):
        label = inline.label(index)
        if not url or not any(ch.isdigit() for ch in label):
            continue  # a venue tag here has a year
        named = mentions.whole(venues, label.strip("[]() "))
        if named is not None and named[1] is not None:
            reading.paper_url = reading.paper_url or url
            reading.paper_link = True


# -- before the title: a chain of prefix readers -----------------------------------------
PrefixReader = Callable[[str, Reading, VenueTable], int | None]


def _bracket_tag(rest: str, reading: Reading, venues: VenueTable) -> int | None:
    """`[OSDI'22]`, `(SOSP'19)`, `[DistServe]`: venue and year kept, a nickname dropped;
    None when the bracket is (most of) the title."""
    tag = _BRACKET_TAG.match(rest)
    if not tag:
        return None
    venue, year = mentions.tag_venue(venues, tag["tag"])
    after = rest[tag.end() :].strip(" *_")
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
    name = _NAME_BEFORE_QUOTE.match(rest)
    return name.end() if name else None


PREFIX_READERS: tuple[PrefixReader, ...] = (
    _bracket_tag,
    _year_venue_prefix,
    _label_prefix,
    _name_before_quote,
)


def _strip_prefix_tags(text: str, reading: Reading, venues: VenueTable) -> int:
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


# -- the title: a chain of title readers --------------------------------------------------
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
    if mark.kind is SpanKind.STRONG and re.match(r"\s*[:：]\s*\w", text[mark.end :]):
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
    if label[-1] in ":：":
        label, after = label[:-1].rstrip(), mark.end
    elif colon:
        after = colon.end()
    else:
        return None
    cut = _PLAIN_CUT.search(text, after)
    end = cut.start() if cut else len(text)
    if not text[after:end].strip():
        return None
    return f"{label}: {text[after:end].strip()}", text[end:]


def _quoted_title(entry: EntryText, reading: Reading) -> tuple[str, str] | None:
    """`"Title", NeurIPS, 2023.`"""
    body = entry.body
    if body[:1] not in '"“':
        return None
    close = re.search(r"[\"”]", body[1:])
    end = close.start() + 1 if close else len(body)
    reading.title_markup = Markup.QUOTED
    return body[1:end], body[end + 1 :]


def _plain_title(entry: EntryText, reading: Reading) -> tuple[str, str] | None:
    """The text up to the first break, `|`, ` - Author` or trailing venue and year;
    `Dean, J., et al. Title. NIPS 2012.` gives its authors."""
    body = entry.body
    cut = _PLAIN_CUT.search(body)
    title, rest = (body[: cut.start()], body[cut.start() :]) if cut else (body, "")
    trailing = mentions.trailing_venue_year(entry.venues, title)
    if trailing:
        title, rest = title[: trailing.start()], title[trailing.start() :] + rest
    cited = re.match(r"(?P<people>.{3,200}?\bet al\.)\s+(?P<title>\S.*)", title)
    if cited and looks_like_names(cited["people"]):
        reading.authors = split_authors(cited["people"])
        title = cited["title"]
    return title, rest


def _cited_title(entry: EntryText, reading: Reading) -> tuple[str, str] | None:
    """`Author, Given, et al. "Widget serving at scale." Proceedings of X (2019).`: names, a
    quoted title (perhaps bold or linked), then venue and year."""
    cited = _CITED.match(entry.body)
    if not cited:
        return None
    people, year = cited["people"].strip(), ""
    dated = _CITED_YEAR.search(people)  # 'Walker, D.W. and Dongarra, J.J., 1996.'
    if dated:
        people, year = people[: dated.start()], dated[1]
    listed = "," in people or "et al" in people or people.rstrip().endswith(".")
    if not listed or not looks_like_names(people.strip(" .,")):
        return None  # 'Cardinality Counting in "Alcatraz": ...' is a title with a quote
    reading.authors = _inverted_first_author(split_authors(people))
    reading.title_markup = Markup.QUOTED
    start = entry.start + cited.start("title")
    for span in entry.spans:
        if span.kind is SpanKind.LINK and span.start <= start < span.end:
            reading.paper_url = entry.inline.links[span.link] or reading.paper_url
    rest = entry.body[cited.end() :]
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


TITLE_READERS: tuple[TitleReader, ...] = (
    _cited_title,
    _title_after_authors,
    _title_in_markup,
    _quoted_title,
    _plain_title,
)


def _read_title(entry: EntryText, reading: Reading) -> None:
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


# -- after the title ---------------------------------------------------------------------
def read_rest(rest: str, reading: Reading, venues: VenueTable) -> None:
    """Venue, year and authors from the segments after the title (split at breaks, `|`)."""
    pieces = re.split(r"(\n|\|)", "\n" + ORG_TAIL.sub("", rest))
    for index in range(1, len(pieces) - 1, 2):
        separator, segment = pieces[index], pieces[index + 1].strip(" \t[]()（）|,;-–—:.*_")
        if segment:
            _read_segment(segment, separator, reading, venues)


def _read_segment(segment: str, separator: str, reading: Reading, venues: VenueTable) -> None:
    venue, year, leftover = mentions.venue_year(venues, segment)
    label = re.split(r"\s*[\])（(]", segment)[0]  # '[ACM Transactions on Computer Systems] (x)'
    if venue is None and year is None and VENUE_WORDS.search(label) and len(label) <= 80:
        venue, year = mentions.tag_venue(venues, label)
    strict = mentions.STRICT_VENUE_YEAR.match(segment)
    if strict and not year and mentions.typo_year(strict, venues):
        reading.bad_year = segment
        venue = venue or venues.canonical(strict["venue"].strip())
    if (venue or year) and reading.venue is None and reading.year is None:
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
