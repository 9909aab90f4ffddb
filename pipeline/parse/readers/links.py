"""An entry's links and badges: which link is the title, which are materials (paper, code)."""

from __future__ import annotations

import re

from pipeline.parse import mentions
from pipeline.parse.entry import Reading
from pipeline.parse.inline import Inline
from pipeline.parse.words import badge_category, badge_text
from pipeline.venues import VenueTable

# '[[**PyTorch**]](url)', '[[tf]](url)': code named by its framework
_FRAMEWORKS = r"pytorch|tensorflow|torch|tf|jax|keras|mxnet|paddle|caffe"
_MATERIAL = re.compile(
    r"^\W*(?:paper|pdf|pub|arxiv|doi|acm|ieee|openreview|link|proceedings|abs|html|"
    r"code|github|gitlab|repo|official code|project(?: page)?|page|website|homepage|web|site|"
    r"blog|slides?|video|poster|talk|demo|dataset|data|model|models|tutorial|news|zhihu|"
    r"supp(?:lementary)?|appendix|bib(?:tex)?|citation|hf|huggingface|知乎|解读|新闻|.{0,3}code.{0,30}|"
    r"(?:source|pytorch|tensorflow|jax|official) code|(?:github|code|project|paper) link|"
    rf"{_FRAMEWORKS})"
    r"\W*$",
    re.I,
)
# '.../badge/23-CVPR-blue' reads '23 CVPR': the year before the venue (badges of AI-generated
# content detection lists)
_YEAR_BEFORE_VENUE = re.compile(r"(?P<year>\d{2}|\d{4})\s+(?P<venue>[A-Za-z].*)")
_CODE_LABEL = re.compile(rf"code|github|gitlab|repo|\b(?:{_FRAMEWORKS})\b", re.I)
_PAPER_LABEL = re.compile(r"paper|pdf|pub|arxiv|doi|acm|ieee|openreview|proceedings|abs", re.I)
PAPER_HOST = re.compile(
    r"arxiv\.org|doi\.org|dl\.acm\.org|ieeexplore|openreview\.net|usenix\.org|proceedings\.|"
    r"papers\.nips\.cc|neurips\.cc|mlr\.press|aclanthology|thecvf\.com|ecva\.net|springer|"
    r"sciencedirect|nature\.com|science\.org|ijcai\.org|aaai\.org|vldb\.org|semanticscholar|"
    r"researchgate|\.pdf\b|mlsys\.org|sigops|pnas\.org|biorxiv|medrxiv|ssrn",
    re.I,
)


def classify_links(inline: Inline) -> tuple[set[int], int | None]:
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


def read_badges(inline: Inline, reading: Reading, venues: VenueTable) -> None:
    """A badge names a venue (.../badge/NeurIPS-2022-blue, 23-CVPR-blue) or a category
    (Training-red)."""
    for url in inline.images:
        named = _badge_venue(venues, badge_text(url))
        if named is not None and named[0] is not None:
            reading.venue, reading.year = named
        elif category := badge_category(url):
            reading.categories.append(category)


def _badge_venue(venues: VenueTable, text: str) -> mentions.VenueYear | None:
    """'NeurIPS 2022', or a year before a venue the table knows ('23 CVPR', '24 arxiv')."""
    named = mentions.whole(venues, text)
    swapped = _YEAR_BEFORE_VENUE.fullmatch(text) if named is None else None
    if swapped is not None:
        named = mentions.whole(venues, f"{swapped['venue']} {swapped['year']}")
    return named


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


def read_venue_links(inline: Inline, reading: Reading, venues: VenueTable) -> None:
    """`([NSDI'17](url))`: a link whose label is a venue tag points at the paper."""
    for index, url in enumerate(inline.links):
        label = inline.label(index)
        if not url or not any(ch.isdigit() for ch in label):
            continue  # a venue tag here has a year
        named = mentions.whole(venues, label.strip("[]() "))
        if named is not None and named[1] is not None:
            reading.paper_url = reading.paper_url or url
            reading.paper_link = True
