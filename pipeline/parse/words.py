"""Small text judgements the readers share: clean titles, author names, years, badges."""

from __future__ import annotations

import re
import unicodedata
import urllib.parse

from pipeline.parse.inline import BREAK

MIN_YEAR, MAX_YEAR = 1950, 2100
YEAR4 = r"(?:19[5-9]\d|20\d\d)"
SHORTCODE = re.compile(r":[a-z0-9_+-]{2,30}:")
ORG_TAIL = re.compile(r"\s*[(（]\s*@[^)）]{1,60}[)）]\s*$")
VENUE_WORDS = re.compile(
    r"\b(?:ACM|IEEE|USENIX|Trans\.|Journal|Conf\.?|Conference|Workshop|Symposium|Proc\.|"
    r"Proceedings|Letters|Magazine|Mag\.)(?!\w)"
)
_BY = re.compile(r"^by\s+(?=[A-Z])", re.I)
_SPLIT_AUTHORS = re.compile(r"[ \t]*(?:,|;|\band\b|&)[ \t]*")
_ET_AL = re.compile(r"\bet\.? al\b\.?")  # 'et al.', and 'et. al.' as some lists write it
_INITIALS = re.compile(r"(?:[A-Z]\.\s?)*[A-Z]\.?")
_ENDS_WITH_INITIAL = re.compile(r"\b[A-Z]\.$")
_SENTENCE_OR_LAST_COMMA = re.compile(r"\.\s+|,\s+(?=[^,]*$)")
_ACRONYM = re.compile(r"\b[A-Z]{3,}\b")
# '**Title**, Under Review [[paper](url)]': where a paper stands, in the place of a venue, and
# in capitalised words like a name
_STATUS = re.compile(r"(?:under (?:review|submission)|in (?:submission|press)|to appear)\b", re.I)
_ITEM_MARKER = re.compile(r"^[ \t]*(?:\d{1,9}[.)]|[-*+])[ \t]+")
_AFFILIATION = re.compile(
    r"[ \t]*[(（][^()（）]{2,80}(?:[)）]|$)"
)  # the last one may have lost its ")"
_NAME = re.compile(r"^(?:[A-Z][\w'’.-]*\.?|[a-z]{1,3}|van|von|de|der|del|da)$")


def clean_title(text: str, keep_period: bool = False) -> str:
    """No markup leftovers, emoji, org tails or trailing period; the wording kept.
    `keep_period` keeps a final '.', which abbreviated venues need ('Nat. Commun.')."""
    if ":" in text:  # most titles have no shortcode or org tail: no pass for them
        text = SHORTCODE.sub(" ", text)
    if not text.isascii():
        text = "".join(
            ch
            for ch in text
            if ch == "\ufffd" or unicodedata.category(ch) not in ("So", "Cs", "Co")
        )
    # '2️⃣0️⃣2️⃣3️⃣' (keycap emoji: a digit, U+FE0F, U+20E3) reads '2023'
    text = text.replace("\ufe0f", "").replace("\u200d", "").replace("\u20e3", "")
    if "@" in text:
        text = ORG_TAIL.sub("", text)
    text = " ".join(text.split()).strip(" \t*_|,;")
    text = _strip_period(text, keep_period)
    if len(text) >= 2 and text[0] in '"“' and text[-1] in '"”':
        text = _strip_period(text[1:-1].strip(), keep_period)  # '"Title."'
    return text


def _strip_period(text: str, keep_period: bool) -> str:
    while text.endswith(".") and not text.endswith("...") and not keep_period:
        text = text[:-1].rstrip()  # 'Title.' and 'Title. :fire:.'; an ellipsis is wording
    return text


def split_authors(text: str, *, checked: bool = True) -> list[str]:
    """Names from 'A. Author, B. Author and C. Author' ('Dean, J.' kept whole); `checked`:
    only when the text looks like names (a table's authors column needs no such guess)."""
    if "(" in text or "（" in text:
        text = _without_affiliations(text)
    text = _BY.sub("", text.strip(" \t.,;:-–—*_(（[)）]"))  # '[Title](url) by A. Author et al.'
    if not text or checked and not looks_like_names(text):
        return []
    names: list[str] = []
    for name in _SPLIT_AUTHORS.split(_ET_AL.sub("", text)):
        name = name.strip(" *_")
        if names and _INITIALS.fullmatch(name):
            # 'Dean, J.': surname first, then initials (the last lost its period to the strip)
            names[-1] = f"{names[-1]}, {name}" + ("" if name.endswith(".") else ".")
        elif any(ch.isalpha() for ch in name):  # never a bare "|" between links
            names.append(name.rstrip(".") if not _ENDS_WITH_INITIAL.search(name) else name)
    return names


def _without_affiliations(text: str) -> str:
    """'Ada Widget (Widget University), Bo Gizmo (Gizmo Labs)' -> 'Ada Widget, Bo Gizmo': people
    with their affiliations (best-paper tables); a lone name and bracket stays as it is."""
    bare = _AFFILIATION.sub("", text)
    groups = [g for g in _SPLIT_AUTHORS.split(_ET_AL.sub("", bare)) if g.strip(" .")]
    return bare if len(groups) >= 2 else text


def authors_part(before: str) -> str:
    """The part of 'Authors. Venue' or 'Authors, Venue' before the venue."""
    parts = _SENTENCE_OR_LAST_COMMA.split(before)
    return before[: len(before) - len(parts[-1])] if len(parts) > 1 else ""


def looks_like_names(text: str) -> bool:
    """'A. Author, B. Author' or 'Zheng Wang and Michael O'Boyle et al.': capitalised words in
    short comma-separated groups."""
    groups = [g for g in _SPLIT_AUTHORS.split(_ET_AL.sub("", text)) if g.strip()]
    if not groups or VENUE_WORDS.search(text) or _ACRONYM.search(text) or _STATUS.match(text):
        return False  # 'IEEE Micro', 'ACM TACO': a venue, not people
    for group in groups:
        words = group.replace(".-", ".").replace(".", ". ").split()  # 'C.-K. Luk'
        if not 1 <= len(words) <= 5 or not all(_NAME.match(w) for w in words):
            return False
    return len(groups) >= 2 or len(groups[0].split()) in (2, 3) or "et al" in text


def two_digit_year(text: str) -> int | None:
    """'24' -> 2024, '97' -> 1997: up to 40 this century, from 70 the last one; 41-69 is no
    year a list of computing papers writes so (an edition: 'MICRO50' is the 50th MICRO)."""
    short = int(text)
    if short <= 40:
        return 2000 + short
    return 1900 + short if short >= 70 else None


def valid_year(text: str | None) -> int | None:
    """A year as lists write it: four digits in range, or two ('18' -> 2018, '97' -> 1997)."""
    if not text or not text.isdigit():
        return None
    if len(text) == 2:
        return two_digit_year(text)
    year = int(text)
    return year if len(text) == 4 and MIN_YEAR <= year <= MAX_YEAR else None


def skip_decoration(text: str, pos: int) -> int:
    """Past spaces, emphasis marks, emoji and `:shortcodes:` before a title ('🔥[**X**] ...')."""
    while pos < len(text):
        shortcode = SHORTCODE.match(text, pos)
        if shortcode:
            pos = shortcode.end()
        elif text[pos] in " \t*_\ufe0f\u200d" + BREAK or unicodedata.category(text[pos]) == "So":
            pos += 1
        else:
            break
    return pos


def _badge_parts(url: str) -> list[str] | None:
    """A shields.io badge's dash-separated parts ('--' is a literal dash), or None."""
    parsed = urllib.parse.urlparse(url)
    if "/badge/" not in parsed.path:
        return None
    spec = urllib.parse.unquote(parsed.path.split("/badge/", 1)[1])
    return [p.replace("\0", "-") for p in spec.replace("--", "\0").split("-")]


def badge_text(url: str) -> str:
    """A shields.io badge's label and message: '.../badge/NeurIPS-2022-blue' -> 'NeurIPS 2022'."""
    parts = _badge_parts(url)
    return " ".join(parts[:-1]).replace("_", " ") if parts is not None else ""


def badge_category(url: str) -> str | None:
    """'https://img.shields.io/badge/Training-red' -> 'Training' (shields.io escaping undone)."""
    parts = _badge_parts(url)
    if parts is None:
        return None
    text = parts[-2] if len(parts) >= 2 else parts[0]
    text = text.replace("__", "\0").replace("_", " ").replace("\0", "_").strip()
    return text or None


def clip(text: str, limit: int = 80) -> str:
    """One line of at most `limit` characters, for a finding's message."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def item_text(source: str) -> str:
    """A list item's source line without its marker: '1. **T** X 2019' -> '**T** X 2019'."""
    return _ITEM_MARKER.sub("", source).strip()
