"""Pure text helpers shared by the stages: normalisation for matching, slugs."""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from pipeline.models import DblpRecord

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# Old DBLP records write "TensorFlow - A System ..." where the paper has "TensorFlow: A System ..."
_SPACED_DASH = re.compile(r"\s+[-\u2013\u2014]\s+")


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Decode HTML entities and strip accents: 'Mart&iacute;n' and 'Martín' -> 'Martin'."""
    if text.isascii() and "&" not in text:
        return text  # most titles: nothing to decode, nothing to strip
    text = html.unescape(html.unescape(text))
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Every byte that is not a digit or a lower-case ASCII letter, as a space.
_ALNUM_OR_SPACE = bytes(
    c if c in b"0123456789abcdefghijklmnopqrstuvwxyz" else 32 for c in range(256)
)


@lru_cache(maxsize=1 << 18)  # a 10,000-paper run compares some 100,000 distinct titles
def normalize_title(title: str) -> str:
    """The comparison form of a title: folded, lower case, punctuation and DBLP quirks removed."""
    if title.isascii() and "&" not in title and "<" not in title:
        # Most titles: nothing to decode, fold or untag, and a spaced dash is punctuation like
        # any other; the same result as below, several times faster.
        return " ".join(title.lower().encode().translate(_ALNUM_OR_SPACE).decode().split())
    return _normalize_any(title)


def _normalize_any(title: str) -> str:
    text = strip_tags(fold(title))
    text = _SPACED_DASH.sub(" : ", text)
    text = text.casefold().replace("&", " and ")
    return " ".join(_NON_ALNUM.sub(" ", text).split())


def venue_key(label: str) -> str:
    """Comparison form of a venue label: 'SIGMOD Conference' and 'sigmod-conference' agree."""
    return re.sub(r"[^0-9a-z]", "", label.casefold())


def slugify(text: str, max_length: int = 80) -> str:
    """ASCII slug for ids, cut at a word boundary so it stays readable."""
    slug = "-".join(normalize_title(text).split())
    if len(slug) <= max_length:
        return slug
    cut = slug[:max_length]
    return cut.rsplit("-", 1)[0] if "-" in cut else cut


_HOMONYM = re.compile(r"\s+\d{4}$")


@lru_cache(maxsize=1 << 16)
def strip_homonym(name: str) -> str:
    """DBLP disambiguates homonyms with a 4-digit suffix: 'Paul Barham 0001' -> 'Paul Barham'."""
    return _HOMONYM.sub("", name.strip())


def split_subtitle(title: str) -> tuple[str, str] | None:
    """'Cambricon-S: Addressing ...' -> ('Cambricon-S', 'Addressing ...'); old DBLP ' - ' too."""
    text = _SPACED_DASH.sub(": ", fold(title), count=1)
    head, sep, tail = text.partition(":")
    if not sep or not head.strip() or not tail.strip():
        return None
    return head.strip(), tail.strip()


_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
# Letters NFKD does not decompose, spelled the way bibliographies transliterate them.
_TRANSLITERATE = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE",
                                "œ": "oe", "Œ": "OE", "ß": "ss", "đ": "d", "Đ": "D", "þ": "th",
                                "Þ": "Th", "ı": "i"})  # fmt: skip


def ascii_fold(text: str) -> str:
    """Plain ASCII for keys: accents dropped, special letters transliterated ('Łoś' -> 'Los')."""
    if text.isascii() and "&" not in text:
        return text  # nothing to transliterate, decode or drop
    return fold(text.translate(_TRANSLITERATE)).encode("ascii", "ignore").decode()


@lru_cache(maxsize=1 << 16)
def surname(name: str) -> str:
    """Comparison key of a person: the folded last word of the name, without a homonym
    suffix ('0001') or a generational one ('Jr.')."""
    words = normalize_title(ascii_fold(strip_homonym(name))).split()
    while len(words) > 1 and words[-1] in _NAME_SUFFIXES:
        words.pop()
    return words[-1] if words else ""


# arXiv ids: new style since 2007 (`0704.0001`; five digits from 1501 on: `2101.00001`), old
# style before (`cs/0112017`, `math.GT/0309136`); either with an optional version.
_NEW_ARXIV = r"(\d{2})(\d{2})\.(\d{4,5})"
_OLD_ARXIV = r"[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7}"
_NEW_ID = re.compile(_NEW_ARXIV)
_OLD_ID = re.compile(_OLD_ARXIV)
_ARXIV_ID = re.compile(rf"(?:{_NEW_ARXIV}|{_OLD_ARXIV})(?:v\d+)?")
_ARXIV_LINK = re.compile(rf"arxiv\.org/(?:abs|pdf)/((?:{_NEW_ARXIV}|{_OLD_ARXIV}))", re.I)
_ARXIV_VERSION = re.compile(r"v\d+$")
CORR_STREAM = "journals/corr/"  # DBLP's arXiv mirror: a preprint, whatever its record type says
_CORR_KEY = re.compile(rf"^{CORR_STREAM}abs-(\d{{4}})-(\d{{4,5}})$")


def is_arxiv_id(text: str) -> bool:
    """Shaped like an arXiv id, version allowed ('1706.03762v7', 'cs/0112017'): safe to write
    as it stands. Whether arXiv could have issued it is `normalize_arxiv_id`'s question."""
    return _ARXIV_ID.fullmatch(text) is not None


def normalize_arxiv_id(raw: str) -> str | None:
    """The id to ask arXiv for (no `arXiv:` prefix, no version: the current version is wanted),
    or None when it is not a well-formed arXiv id: such an id must never be sent."""
    text = raw.strip().removeprefix("arXiv:").removeprefix("arxiv:")
    base = _ARXIV_VERSION.sub("", text)
    new = _NEW_ID.fullmatch(base)
    if new is not None:
        year, month, number = int(new.group(1)), int(new.group(2)), new.group(3)
        digits = 5 if (year, month) >= (15, 1) else 4
        return base if 1 <= month <= 12 and len(number) == digits else None
    return base if _OLD_ID.fullmatch(base) else None


def is_corr_key(key: str) -> bool:
    """A DBLP key of the CoRR stream (arXiv), new-style (`abs-1605-08695`) or old."""
    return key.startswith(CORR_STREAM)


def corr_arxiv_id(key: str) -> str | None:
    """The arXiv id of a DBLP CoRR key: `journals/corr/abs-1605-08695` -> `1605.08695`."""
    corr = _CORR_KEY.match(key)
    return f"{corr.group(1)}.{corr.group(2)}" if corr else None


def arxiv_id_of(links: list[str], list_link: str | None, record: DblpRecord | None) -> str | None:
    """An arXiv id from a record's links or a CoRR key, else from the list's paper link."""
    for link in [*links, *([list_link] if list_link else [])]:
        match = _ARXIV_LINK.search(link)
        if match:
            return match.group(1)
    return corr_arxiv_id(record.key) if record is not None else None


_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_HTTP_URL = re.compile(r"^https?://[^\s/]+", re.I)


def is_doi(text: str) -> bool:
    """'10.1145/3458817.3476209' is a DOI; a URL, a bare number or text with spaces is not."""
    return _DOI.match(text) is not None


def http_url(url: str | None) -> str | None:
    """The URL, stripped, when it is an http(s) link with a host; anything else (`javascript:`,
    `data:`, no host, a malformed one) is None: an API's URL must not become a live link."""
    if not url:
        return None
    url = url.strip()
    if not _HTTP_URL.match(url):
        return None
    try:
        urlsplit(url)
    except ValueError:  # e.g. an unclosed '[' in the host
        return None
    return url


# Lower-case words that belong to the family name when they come before it ('Guido van
# Rossum', 'Juan de la Cruz'); a capitalised 'Van' or 'De' is left where it stands.
_PARTICLES = frozenset({"van", "von", "de", "der", "den", "del", "della", "di", "da", "du",
                        "dos", "das", "do", "la", "le", "ten", "ter", "te", "zu", "zur",
                        "vom"})  # fmt: skip


class NameParts(NamedTuple):
    """A person's name for reference managers: given names, family name (with its particle,
    'van Rossum', which CSL processors and Zotero all keep whole) and suffix ('Jr.')."""

    given: str
    family: str
    suffix: str


def _is_suffix(word: str) -> bool:
    return word.rstrip(".").casefold() in _NAME_SUFFIXES


# The last word of an author that is a group, not a person ('Gemini Team', 'The ATLAS
# Collaboration', 'Linux Foundation'): today's LLM papers are often signed so.
_GROUP_WORDS = frozenset({"team", "teams", "consortium", "collaboration", "group", "project",
                          "committee", "initiative", "foundation", "institute", "community",
                          "contributors", "alliance", "association", "society", "inc", "ltd",
                          "corporation", "labs", "laboratory", "organization",
                          "organisation"})  # fmt: skip


def is_group(name: str) -> bool:
    """An author that names a group of people ('Gemini Team'): it has no given name."""
    words = name.replace(".", " ").replace(",", " ").split()
    return len(words) > 1 and words[-1].casefold() in _GROUP_WORDS


def split_name(name: str) -> NameParts:
    """'Guido van Rossum' -> ('Guido', 'van Rossum', ''); 'Martin Luther King Jr.' and
    'Martin Luther King, Jr.' -> ('Martin Luther', 'King', 'Jr.'); 'Rossum, Guido van' too;
    a group ('Gemini Team') is a family name alone."""
    text = " ".join(strip_homonym(name).split())
    if is_group(text):
        return NameParts("", text, "")
    parts = [p.strip() for p in text.split(",")]
    suffix = ""
    if len(parts) > 1 and _is_suffix(parts[-1]) and " " in parts[0]:
        suffix, parts = parts[-1], parts[:-1]  # 'Given Family, Jr.'
    if len(parts) > 1:  # 'Family, Given' or 'Family, Jr., Given'
        family, rest = parts[0], [p for p in parts[1:] if p]
        if len(rest) > 1 and _is_suffix(rest[0]):
            suffix, rest = rest[0], rest[1:]
        given_words = ", ".join(rest).split()
        while given_words and given_words[-1] in _PARTICLES:  # 'Rossum, Guido van'
            family = f"{given_words.pop()} {family}"
        return NameParts(" ".join(given_words), family, suffix)
    words = parts[0].split()
    if len(words) > 2 and _is_suffix(words[-1]):
        suffix = words.pop()
    start = len(words) - 1
    while start > 0 and words[start - 1] in _PARTICLES:
        start -= 1
    return NameParts(" ".join(words[:start]), " ".join(words[start:]), suffix)


# Markup API text may carry: JATS (Crossref), MathML, and the HTML publishers, DBLP and Semantic
# Scholar leave in. A tag is `<name`, then `>`, `/` or a space (or `<!...>`, a comment): TeX such
# as `$a<b$ and $c>d$` is not one and stays as text.
_ABSTRACT_HEADING = re.compile(
    r"<((?:jats:)?(?:title|p|h[1-6]|b|strong))(?:\s[^<>]*)?>\s*(?:abstract|summary)\s*[.:]?\s*"
    r"</\1\s*>",
    re.I,
)
_TAG = re.compile(r"</?([A-Za-z][\w.:-]*)(?:\s[^<>]{0,300})?/?>|<![^<>]{0,300}>")
_INLINE = frozenset({"italic", "bold", "sc", "sub", "sup", "underline", "monospace", "i", "b", "u",
                     "em", "strong", "span", "a", "tt", "code", "small", "big", "font",
                     "inline-formula", "tex-math"})  # fmt: skip


def _untag(match: re.Match[str]) -> str:
    """Inline markup goes without a trace ('<i>x</i>s' -> 'xs'); a block or a comment leaves a
    space."""
    if match.group(1) is None:  # <!...>
        return " "
    prefix, _, name = match.group(1).casefold().rpartition(":")
    inside_math = prefix == "mml" and name != "math"
    return "" if name in _INLINE or inside_math else " "


def strip_tags(text: str) -> str:
    """Markup removed by its shape; everything else, TeX and entities too, left as it is."""
    return _TAG.sub(_untag, text)


_INVISIBLE = frozenset({"Cf", "Cs", "Co"})  # zero-width, surrogates, private use
_ASCII_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def plain(text: str) -> str:
    """Control characters as spaces, invisible ones dropped, whitespace collapsed."""
    if text.isascii():  # the common case, without the per-character category lookups
        return " ".join(_ASCII_CONTROL.sub(" ", text).split())
    text = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch
        for ch in text
        if unicodedata.category(ch) not in _INVISIBLE
    )
    return " ".join(text.split())


def clean_text(text: str) -> str:
    """API text (a title, a name, a venue) as plain text: entities decoded, also around markup
    written as entities ('&lt;i&gt;'), tags and control characters removed."""
    return plain(html.unescape(strip_tags(html.unescape(text))))


def clean_abstract(text: str | None) -> str | None:
    """An abstract as plain text, whatever its source: JATS and HTML markup removed (a lone
    'Abstract' heading too), entities decoded once, whitespace collapsed; TeX is kept as text.

    None for nothing left (None, "", markup only)."""
    if not text:
        return None
    return plain(html.unescape(strip_tags(_ABSTRACT_HEADING.sub(" ", text)))) or None
