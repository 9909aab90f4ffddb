"""One entry of an awesome list, read from its inline markdown: title, venue, year, authors, links.

`parse.py` walks the document tree and hands each list item or table row here as `Inline`
runs; this module knows the many ways lists write a paper (`**Title** OSDI 2016`,
`[OSDI'22] [Title](url)`, `"Title", NeurIPS, 2023.`, `Title <br> ICLR 2024 [[Paper]](url)`,
`[Title](url) - A. Author, B. Author. PLDI 2019.`) and returns what the entry states.
"""

from __future__ import annotations

import re
import unicodedata
import urllib.parse
from dataclasses import dataclass, field

from markdown_it.tree import SyntaxTreeNode

from pipeline.venues import VenueTable

BREAK = "\n"  # a <br>, a soft line break or a removed link: nothing reads across it
MIN_YEAR, MAX_YEAR = 1950, 2100

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
_PAPER_HOST = re.compile(
    r"arxiv\.org|doi\.org|dl\.acm\.org|ieeexplore|openreview\.net|usenix\.org|proceedings\.|"
    r"papers\.nips\.cc|neurips\.cc|mlr\.press|aclanthology|thecvf\.com|ecva\.net|springer|"
    r"sciencedirect|nature\.com|science\.org|ijcai\.org|aaai\.org|vldb\.org|semanticscholar|"
    r"researchgate|\.pdf\b|mlsys\.org|sigops|pnas\.org|biorxiv|medrxiv|ssrn",
    re.I,
)
_SHORTCODE = re.compile(r":[a-z0-9_+-]{2,30}:")
_YEAR4 = r"(?:19[5-9]\d|20\d\d)"
# "OSDI 2020", "OSDI '20", "ASPLOS 20189" (a typo, reported); the suffix format of our own list.
STRICT_VENUE_YEAR = re.compile(
    r"^(?P<venue>[A-Za-z][\w&+./\- ]*?)(?:[ \t]+(?P<long>\d{3,})|[ \t]*'(?P<short>\d{2}))"
    r"[ \t]*(?:\((?P<note>[^)]*)\))?$"
)
# A year is never the first half of an arXiv id ('arXiv 2001.08361' is not from 2001).
_NOT_ARXIV = r"(?!\d|\.\d{4,5})"
_YEAR_AFTER_VENUE = rf"\s*[-'’,]?\s*['’]?\s*(?:(?P<y4>{_YEAR4})|(?P<y2>\d{{2}})){_NOT_ARXIV}"
_ANY_YEAR = re.compile(rf"(?<![\w.])(?P<year>{_YEAR4}){_NOT_ARXIV}")
_MONTH = re.compile(
    r"[\s,(]*\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?$", re.I
)
_SPLIT_AUTHORS = re.compile(r"[ \t]*(?:,|;|\band\b|&)[ \t]*")
_NAME = re.compile(r"^(?:[A-Z][\w'’.-]*\.?|[a-z]{1,3}|van|von|de|der|del|da)$")
_NICKNAME = re.compile(
    r"^[\[【(（]\s*(?P<tag>[^\]】)）]{1,80}?)\s*[\]】)）](?:\s+|(?=[\[*_(【（]))"
)  # '[DistServe] ', '(SOSP'19) ', '[OSDI'22][Title](url)'; never '(FL)$^2$' or '(De/Re)-X'

_YEAR_VENUE = re.compile(r"^(?P<y2>\d{2})-(?P<venue>[A-Za-z][\w&+]*)-\s*")
_VENUE_WORDS = re.compile(
    r"\b(?:ACM|IEEE|USENIX|Trans\.|Journal|Conf\.?|Conference|Workshop|Symposium|Proc\.|"
    r"Proceedings|Letters|Magazine|Mag\.)(?!\w)"
)
_ORG_TAIL = re.compile(r"\s*[(（]\s*@[^)）]{1,60}[)）]\s*$")


@dataclass
class Run:
    """A stretch of inline text with the markup around it."""

    text: str
    line: int
    strong: bool = False
    em: bool = False
    link: int | None = None  # index into Inline.links
    code: bool = False


@dataclass
class Inline:
    """An inline markdown node flattened: text runs, links, badge images, html."""

    runs: list[Run] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)

    def label(self, link: int) -> str:
        """The text of one link."""
        return "".join(r.text for r in self.runs if r.link == link)


def flatten(node: SyntaxTreeNode, first_line: int) -> Inline:
    """Inline tokens -> runs; soft breaks and `<br>` become BREAK, html tags vanish."""
    out = Inline()
    line = [first_line]

    def walk(n: SyntaxTreeNode, strong: bool, em: bool, link: int | None) -> None:
        for child in n.children:
            kind = child.type
            if kind == "text":
                out.runs.append(Run(child.content, line[0], strong, em, link))
            elif kind == "code_inline":
                out.runs.append(Run(child.content, line[0], strong, em, link, code=True))
            elif kind in ("softbreak", "hardbreak"):
                inside = link is not None or strong  # a title wrapped inside its link or bold
                out.runs.append(Run(" " if inside else BREAK, line[0], strong, em, link))
                line[0] += 1
            elif kind == "html_inline":
                if re.match(r"<br\b", child.content, re.I):
                    out.runs.append(Run(BREAK, line[0]))
            elif kind == "image":
                out.images.append(str(child.attrs.get("src", "")))
            elif kind == "link":
                out.links.append(str(child.attrs.get("href", "")))
                if not child.children:  # '[](url)': still a link, to read as a material
                    out.runs.append(Run("", line[0], strong, em, len(out.links) - 1))
                walk(child, strong, em, len(out.links) - 1)
            else:
                walk(child, strong or kind == "strong", em or kind == "em", link)

    walk(node, False, False, None)
    return out


@dataclass
class Reading:
    """What one entry states; None where it states nothing."""

    title: str
    title_markup: str  # "strong", "link", "quoted" or "plain"
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


class EntryReader:
    """Reads entries with one venue vocabulary."""

    def __init__(self, venues: VenueTable) -> None:
        self.venues = venues

    # -- the entry as a whole ----------------------------------------------------------
    def read(self, inline: Inline) -> Reading | None:
        """The entry's reading, or None when there is no text at all."""
        materials, title_link = self._classify_links(inline)
        text, spans = _assemble(inline, materials)
        if not text.strip():
            return None
        reading = Reading(title="", title_markup="plain")
        for url in inline.images:
            # a badge names a venue (.../badge/NeurIPS-2022-blue) or a category (Training-red)
            venue_year = self.whole(badge_text(url))
            if venue_year is not None and venue_year[0] is not None:
                reading.venue, reading.year = venue_year
            elif category := badge_category(url):
                reading.categories.append(category)
        reading.link_labels = {
            inline.label(index).strip(" []") for index in range(len(inline.links))
        }
        self.read_materials(inline, reading, materials)
        self._venue_links(inline, reading)
        start = self._strip_prefix_tags(text, reading)
        self._split_title(text, start, spans, title_link, inline, reading)
        self._read_rest(reading.rest, reading)
        return reading

    def read_materials(
        self, inline: Inline, reading: Reading, materials: set[int] | None = None
    ) -> None:
        """Paper and code links from `[[Paper]](url)`, `[PDF](url)`, `[[Code]](url)`."""
        if materials is None:
            materials = set(range(len(inline.links)))
        for index in sorted(materials):
            url = inline.links[index]
            label = inline.label(index)
            if _CODE_LABEL.search(label) or "github.com" in url and not _PAPER_LABEL.search(label):
                reading.code_url = reading.code_url or url
            elif _PAPER_LABEL.search(label) or _PAPER_HOST.search(url):
                reading.paper_url = reading.paper_url or url
                reading.paper_link = True

    def _venue_links(self, inline: Inline, reading: Reading) -> None:
        """`([NSDI'17](url))`: a link whose label is a venue tag points at the paper."""
        for index, url in enumerate(inline.links):
            label = inline.label(index)
            if not url or not any(ch.isdigit() for ch in label):
                continue  # a venue tag here has a year
            named = self.whole(label.strip("[]() "))
            if named is not None and named[1] is not None:
                reading.paper_url = reading.paper_url or url
                reading.paper_link = True

    def _classify_links(self, inline: Inline) -> tuple[set[int], int | None]:
        """Material links ([Paper], [[Code]], [PDF]) apart from the first title-like link."""
        materials: set[int] = set()
        title_link: int | None = None
        for index, _url in enumerate(inline.links):
            label = inline.label(index).strip()
            if _MATERIAL.match(label) or not label or label.strip("[]").isdigit():
                materials.add(index)
            elif title_link is None:
                title_link = index
        return materials, title_link

    def _strip_prefix_tags(self, text: str, reading: Reading) -> int:
        """`[OSDI'22]`, `(SOSP'19)`, `22-NSDI-`, `[DistServe]` before the title: venue and year
        are kept, nicknames dropped. Returns where the title starts."""
        pos = _skip_decoration(text, 0)
        while True:
            rest = text[pos:]
            tag = _NICKNAME.match(rest)
            if tag:
                venue, year = self.tag_venue(tag["tag"])
                after = rest[tag.end() :].strip(" *_")
                if not after or len(after.split()) < 2 and not (venue or year):
                    break  # the bracket is (most of) the title, not a tag
                if venue or year:
                    reading.venue = reading.venue or venue
                    reading.year = reading.year or year
                pos = _skip_decoration(text, pos + tag.end())
                continue
            prefix = _YEAR_VENUE.match(rest)
            if prefix and self.venues.find(prefix["venue"]):
                reading.venue = self.venues.canonical(prefix["venue"])
                reading.year = 2000 + int(prefix["y2"])
                pos += prefix.end()
                continue
            return pos
        return pos

    def _split_title(
        self,
        text: str,
        start: int,
        spans: list[tuple[int, int, str]],
        title_link: int | None,
        inline: Inline,
        reading: Reading,
    ) -> None:
        """The title: a bold span or title link at the start, a quoted string, else the text up
        to the first break, `|`, material link or parenthesised venue."""
        body = text[start:]
        mark = next(
            (
                (s, e, kind)
                for s, e, kind in spans
                if s >= start and not text[start:s].strip(' \t*_[("“') and e > s
            ),
            None,
        )
        if mark is not None and self._is_tag(text[mark[0] : mark[1]]):
            mark = None
        if mark is not None and _bold_is_a_name(text, mark):
            mark = None  # '**FlexGen**: High-Throughput ...': the bold is only the system's name
        if mark is not None:
            s, e, kind = mark
            title, rest = text[s:e], text[e:]
            reading.title_markup = "strong" if kind == "strong" else "link"
            if kind.startswith("link:"):
                reading.paper_url = inline.links[int(kind[5:])] or reading.paper_url
                reading.title_markup = "link"
            if kind == "strong" and title_link is not None:
                link_runs = [r for r in inline.runs if r.link == title_link and r.strong]
                if link_runs:
                    reading.paper_url = inline.links[title_link] or reading.paper_url
        elif body[:1] in '"“':
            close = re.search(r"[\"”]", body[1:])
            end = close.start() + 1 if close else len(body)
            title, rest = body[1:end], body[end + 1 :]
            reading.title_markup = "quoted"
        else:
            cut = re.search(r"\n|\s\|\s?|\|\s|\s[-–—]\s(?=[A-Z][\w.'-]*\s[A-Z])", body)
            title, rest = (body[: cut.start()], body[cut.start() :]) if cut else (body, "")
            trailing = self._trailing_venue_year(title)
            if trailing:
                title, rest = title[: trailing.start()], title[trailing.start() :] + rest
            cited = re.match(r"(?P<people>.{3,200}?\bet al\.)\s+(?P<title>\S.*)", title)
            if cited and looks_like_names(cited["people"]):  # 'Dean, J., et al. Title. NIPS 2012.'
                reading.authors = split_authors(cited["people"])
                title = cited["title"]
        if reading.paper_url and reading.paper_url.startswith("#"):
            reading.anchor_only = True
        if reading.paper_url and _PAPER_HOST.search(reading.paper_url):
            reading.paper_link = True
        if "**" in text:
            reading.unbalanced = True
            title, rest = title.replace("**", ""), rest.replace("**", "")
        trailing = self._trailing_venue_year(title) if reading.title_markup != "plain" else None
        if trailing:
            title, rest = title[: trailing.start()], title[trailing.start() :] + " " + rest
        if self.whole(title.strip(" *_[]()")) is not None:
            title, rest = "", title + " " + rest  # '**** SC 2019': no title, only a suffix
        reading.title = clean_title(title)
        reading.rest = rest

    def _trailing_venue_year(self, title: str) -> re.Match[str] | None:
        """`Title (VLDB 2021)`, `Title EuroSys'23`, `Title （2016）`: a known venue and/or year
        closing the title."""
        end = title.rstrip(" \t.,")[-1:]
        if not (end.isdigit() or end in ")）]"):
            return None  # the common case, decided without trying every word
        for match in re.finditer(r"[\s(（\[]+", title):
            tail = title[match.start() :].strip(" \t.,")
            inner = tail.strip("()（）[] ")
            if not inner or tail[:1] not in "(（[" and not self.venues.mention.match(inner):
                continue
            named = self.whole(inner)
            bracketed = tail[:1] in "(（["
            if named and (named[1] or bracketed) and title[: match.start()].strip():
                return match
        return None

    def tag_venue(self, tag: str) -> tuple[str | None, int | None]:
        """What a bracketed tag before a title names: `[OSDI'22]`, `[IEEE TKDE 2021]`,
        `[ACM Trans. Interact. Intell. Syst.]`; (None, None) for a nickname (`[DistServe]`)."""
        named = self.whole(tag)
        if named is not None:
            return named
        month = re.fullmatch(rf"({_YEAR4})\s*[/.-]\s*\d{{1,2}}", tag.strip())  # '[2023/10]'
        if month:
            return None, int(month[1])
        dated = re.fullmatch(rf"(?P<venue>.*?[A-Za-z].*?)[\s,'’-]*(?P<year>{_YEAR4})", tag.strip())
        if dated and len(dated["venue"]) <= 60:
            return self.venues.canonical(dated["venue"].strip()), int(dated["year"])
        if _VENUE_WORDS.search(tag):
            return self.venues.canonical(tag.strip()), None
        return None, None

    def _is_tag(self, text: str) -> bool:
        return self.whole(text.strip("[]()（） ")) is not None

    def whole(self, text: str) -> tuple[str | None, int | None] | None:
        """Venue and/or year when `text` is nothing else: `OSDI'22`, `MLSys 2023`, `2016`,
        `VLDB`, `Some Workshop 2021`; None for anything else."""
        text = " ".join(text.split()).strip(" .,;:")
        if re.fullmatch(_YEAR4, text):
            return None, int(text)
        mention = self.venues.mention.match(text)
        if mention and self.venues.is_spelling(mention[0]):
            after = text[mention.end() :]
            year = re.fullmatch(_YEAR_AFTER_VENUE, after)
            if year:
                value = int(year["y4"]) if year["y4"] else 2000 + int(year["y2"])
                return self.venues.canonical(mention[0]), value
            if not after.strip():
                return self.venues.canonical(mention[0]), None
        return None

    # -- what follows the title ----------------------------------------------------------
    def _read_rest(self, rest: str, reading: Reading) -> None:
        """Venue, year and authors from the segments after the title (split at breaks, `|`)."""
        rest = _ORG_TAIL.sub("", rest)
        pieces = re.split(r"(\n|\|)", BREAK + rest)
        segments = [(pieces[i], pieces[i + 1]) for i in range(1, len(pieces) - 1, 2)]
        for separator, raw in segments:
            segment = raw.strip(" \t[]()（）|,;-–—:.*_")
            if not segment:
                continue
            venue, year, leftover = self.venue_year(segment)
            strict = STRICT_VENUE_YEAR.match(segment)
            if strict and not year and _typo_year(strict, self.venues):
                reading.bad_year = segment
                venue = venue or self.venues.canonical(strict["venue"].strip())
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

    def venue_year(self, text: str) -> tuple[str | None, int | None, str]:
        """A venue and/or year stated in `text`, and the text before them (often authors).

        `OSDI 2016`, `NSDI '19`, `SOSP' 24`, `NeurIPS, 2023`, `ECCV-24`, `A. B, C. D. PLDI 2019`,
        `Zheng Wang, Proceedings of the IEEE, 2018`, `TACL`, `2023.11`.
        """
        text = " ".join(text.split())
        for match in self.venues.mention.finditer(text):
            if not self.venues.is_spelling(match[0]):
                continue
            after = text[match.end() :]
            year = re.match(_YEAR_AFTER_VENUE, after)
            if year:
                value = int(year["y4"]) if year["y4"] else 2000 + int(year["y2"])
                return self.venues.canonical(match[0]), value, text[: match.start()]
        years = list(_ANY_YEAR.finditer(text))
        if years:
            last = years[-1]
            before = _MONTH.sub("", text[: last.start()].rstrip(" ,.(（-–"))  # 'arXiv, Jan 2024'
            people = _authors_part(before) or text[last.end() :]  # '(2015), G. Hinton et al.'
            return self._venue_of(before), int(last["year"]), people
        whole = re.sub(r"\s*[(（][^)）]*[)）]?\s*$", "", text).strip(" .,")  # 'TMLR (Featured)'
        if whole and self.venues.find(whole) and self.venues.is_spelling(whole):
            return self.venues.canonical(whole), None, ""
        return None, None, text

    def _venue_of(self, before: str) -> str | None:
        """The venue named just before a year: the last sentence, or the last comma part."""
        if not before:
            return None
        parts = re.split(r"\.\s+|,\s+(?=[^,]*$)", before)
        candidate = parts[-1].strip(" ,.")
        mention = self.venues.mention.search(candidate)
        named = mention is not None and self.venues.is_spelling(mention[0])
        if not named and (re.search(r"\bet al\b", candidate) or looks_like_names(candidate)):
            return None
        if len(candidate) > 80 or not candidate:
            return None
        short = re.sub(r"\s*\([^)]*\)$", "", candidate)  # 'ACM Computing Surveys (CSUR)'
        return self.venues.canonical(short) if self.venues.find(short) else candidate


def _assemble(inline: Inline, materials: set[int]) -> tuple[str, list[tuple[int, int, str]]]:
    """The entry's plain text (material links become BREAK) and the spans of its bold text and
    links: (start, end, 'strong' | 'link:N')."""
    parts: list[str] = []
    spans: list[tuple[int, int, str]] = []
    pos = 0
    open_strong: int | None = None
    open_link: tuple[int, int] | None = None
    for run in inline.runs:
        tag = run.code and run.strong  # **`PTQ`**, **`kg.`**: keyword tags, not words
        text = BREAK if run.link in materials or tag else run.text
        if run.code and not tag and not "".join(parts).strip():
            text = f"[{text}] "  # a leading `SC'20` reads as the tag [SC'20]
        if run.link in materials and parts and parts[-1] == BREAK:
            text = ""
        if open_strong is not None and not run.strong:
            spans.append((open_strong, pos, "strong"))
            open_strong = None
        if open_link is not None and run.link != open_link[1]:
            spans.append((open_link[0], pos, f"link:{open_link[1]}"))
            open_link = None
        if run.strong and open_strong is None and run.text.strip():
            open_strong = pos
        if run.link is not None and run.link not in materials and open_link is None:
            open_link = (pos, run.link)
        parts.append(text)
        pos += len(text)
    if open_strong is not None:
        spans.append((open_strong, pos, "strong"))
    if open_link is not None:
        spans.append((open_link[0], pos, f"link:{open_link[1]}"))
    text = "".join(parts)
    text = re.sub(r"\[\s*\n\s*\]", BREAK, text)
    return text, sorted(spans)


def _bold_is_a_name(text: str, mark: tuple[int, int, str]) -> bool:
    """A bold span followed by ': more words' names the system; the title goes on after it."""
    start, end, kind = mark
    return kind == "strong" and re.match(r"\s*[:：]\s*\w", text[end:]) is not None


def _skip_decoration(text: str, pos: int) -> int:
    """Past spaces, emphasis marks, emoji and `:shortcodes:` before a title ('🔥[**X**] ...')."""
    while pos < len(text):
        shortcode = _SHORTCODE.match(text, pos)
        if shortcode:
            pos = shortcode.end()
        elif text[pos] in " \t*_\ufe0f\u200d" + BREAK or unicodedata.category(text[pos]) == "So":
            pos += 1
        else:
            break
    return pos


def clean_title(text: str, keep_period: bool = False) -> str:
    """No markup leftovers, emoji, org tails or trailing period; the wording kept.
    `keep_period` keeps a final '.', which abbreviated venues need ('Nat. Commun.')."""
    text = _SHORTCODE.sub(" ", text)
    if not text.isascii():
        text = "".join(
            ch
            for ch in text
            if ch == "\ufffd" or unicodedata.category(ch) not in ("So", "Cs", "Co")
        )
    text = text.replace("\ufe0f", "").replace("\u200d", "")
    text = _ORG_TAIL.sub("", text)
    text = " ".join(text.split()).strip(" \t*_|,;")
    while text.endswith(".") and not text.endswith("...") and not keep_period:
        text = text[:-1].rstrip()  # 'Title.' and 'Title. :fire:.'; an ellipsis is wording
    if len(text) >= 2 and text[0] in '"“' and text[-1] in '"”':
        text = text[1:-1].strip()
    return text


def split_authors(text: str, *, checked: bool = True) -> list[str]:
    """Names from 'A. Author, B. Author and C. Author' ('Dean, J.' kept whole); `checked`:
    only when the text looks like names (a table's authors column needs no such guess)."""
    text = text.strip(" \t.,;:-–—*_(（[)）]")
    if not text or checked and not looks_like_names(text):
        return []
    names: list[str] = []
    for name in _SPLIT_AUTHORS.split(re.sub(r"\bet al\.?", "", text)):
        name = name.strip(" *_")
        if names and re.fullmatch(r"(?:[A-Z]\.\s?)+", name):
            names[-1] = f"{names[-1]}, {name}"  # 'Dean, J.': surname first, then initials
        elif name.strip("."):
            names.append(name.rstrip(".") if not re.search(r"\b[A-Z]\.$", name) else name)
    return names


def _authors_part(before: str) -> str:
    """The part of 'Authors. Venue' or 'Authors, Venue' before the venue."""
    parts = re.split(r"\.\s+|,\s+(?=[^,]*$)", before)
    return before[: len(before) - len(parts[-1])] if len(parts) > 1 else ""


def looks_like_names(text: str) -> bool:
    """'A. Author, B. Author' or 'Zheng Wang and Michael O'Boyle et al.': capitalised words in
    short comma-separated groups."""
    groups = [g for g in _SPLIT_AUTHORS.split(re.sub(r"\bet al\.?", "", text)) if g.strip()]
    if not groups or _VENUE_WORDS.search(text) or re.search(r"\b[A-Z]{3,}\b", text):
        return False  # 'IEEE Micro', 'ACM TACO': a venue, not people
    for group in groups:
        words = group.replace(".", ". ").split()
        if not 1 <= len(words) <= 5 or not all(_NAME.match(w) for w in words):
            return False
    return len(groups) >= 2 or len(groups[0].split()) in (2, 3) or "et al" in text


def _typo_year(match: re.Match[str], venues: VenueTable) -> bool:
    """'ASPLOS 20189': a venue and a number of four or more digits that is no year; a known
    venue's is reported even when it does not start like a year. ('Nature 616' is a volume.)"""
    number = match["long"] or match["short"] or ""
    if valid_year(number) or len(number) < 4:
        return False
    return venues.find(match["venue"].strip()) is not None or number[:2] in ("19", "20")


def valid_year(text: str | None) -> int | None:
    """A year as lists write it: four digits in range, or two ('18' -> 2018)."""
    if not text or not text.isdigit():
        return None
    if len(text) == 2:
        return 2000 + int(text)
    year = int(text)
    return year if len(text) == 4 and MIN_YEAR <= year <= MAX_YEAR else None


def badge_text(url: str) -> str:
    """A shields.io badge's label and message: '.../badge/NeurIPS-2022-blue' -> 'NeurIPS 2022'."""
    parsed = urllib.parse.urlparse(url)
    if "/badge/" not in parsed.path:
        return ""
    spec = urllib.parse.unquote(parsed.path.split("/badge/", 1)[1])
    parts = [p.replace("\0", "-") for p in spec.replace("--", "\0").split("-")]
    return " ".join(parts[:-1]).replace("_", " ")


def badge_category(url: str) -> str | None:
    """'https://img.shields.io/badge/Training-red' -> 'Training' (shields.io escaping undone)."""
    parsed = urllib.parse.urlparse(url)
    if "/badge/" not in parsed.path:
        return None
    spec = urllib.parse.unquote(parsed.path.split("/badge/", 1)[1])
    parts = [p.replace("\0", "-") for p in spec.replace("--", "\0").split("-")]
    text = parts[-2] if len(parts) >= 2 else parts[0]
    text = text.replace("__", "\0").replace("_", " ").replace("\0", "_").strip()
    return text or None
