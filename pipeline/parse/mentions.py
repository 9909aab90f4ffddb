"""Venue and year as entries and headings state them: `OSDI'22`, `NeurIPS, 2023`, `(VLDB 2021)`."""

from __future__ import annotations

import re

from pipeline.parse.words import (
    VENUE_WORDS,
    YEAR4,
    authors_part,
    looks_like_names,
    two_digit_year,
    valid_year,
)
from pipeline.venues import VenueTable

# "OSDI 2020", "OSDI '20", "ASPLOS 20189" (a typo, reported); the suffix format of our own list.
STRICT_VENUE_YEAR = re.compile(
    r"^(?P<venue>[A-Za-z][\w&+./\- ]*?)(?:[ \t]+(?P<long>\d{3,})|[ \t]*'(?P<short>\d{2}))"
    r"[ \t]*(?:\((?P<note>[^)]*)\))?$"
)
# A year is never the first half of an arXiv id ('arXiv 2001.08361' is not from 2001).
_NOT_ARXIV = r"(?!\d|\.\d{4,5})"
# ... and perhaps its month: 'arxiv, 14.12', 'ICML, 17.07' (link labels of a deep-learning list)
_YEAR_AFTER_VENUE = (
    rf"\s*[-'’,.]?\s*['’]?\s*(?:(?P<y4>{YEAR4})|(?P<y2>\d{{2}})){_NOT_ARXIV}"
    r"(?:\.(?:0[1-9]|1[0-2])(?!\d))?"
)
_YEAR_ONLY = re.compile(YEAR4)
_COMMA = re.compile(r"\s*[,，]\s*")
_YEAR_FIRST = re.compile(r"^(\d{4})[,，\s]+(.+)$")
_COMMA_BEFORE_YEAR = re.compile(r"[,，]\s*(?=\d{4}$)")
_YEAR_AFTER = re.compile(_YEAR_AFTER_VENUE)
_ANY_YEAR = re.compile(rf"(?<![\w.])(?P<year>{YEAR4}){_NOT_ARXIV}")
_MONTH_NAME = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_MONTH = re.compile(rf"[\s,(]*\b{_MONTH_NAME}$", re.I)
# 'Jan 1995', 'Sept. 1991', 'July 2023': a month and a year, a date and never a venue
_MONTH_YEAR = re.compile(rf"{_MONTH_NAME}\s*,?\s*(?P<year>{YEAR4})", re.I)
# 'Title, 2023.11', 'Title, 2024.2.12', 'Title, 2023,11': a year with its month (and day)
# closing a title
_COMMA_DATE = re.compile(
    rf"[,，]\s*(?P<year>{YEAR4})[./,，](?:0?[1-9]|1[0-2])(?:[./]\d{{1,2}})?\s*$"
)
# 'arXiv 2501' (tables write the month of an arXiv id): year and month. A whole id stays no year.
_ARXIV_MONTH = re.compile(r"(?:arxiv|corr)\s*[:' ]?\s*(?P<yy>\d{2})(?:0[1-9]|1[0-2])", re.I)
# Volume, issue and pages after a venue: ' 34, no. 2', ', pp. 23–34', ', 6(14):1942–1953'.
_NUMBERS_TAIL = re.compile(
    r"(?:[,;]?\s*(?:pp?\.|vol\.|no\.|issue)?\s*\d[\d.]*(?:\([\d.]+\))?(?::\s*\d+)?"
    r"(?:\s*[-–]\s*\d+)?)+$",
    re.I,
)
# 'Commun. ACM 36, 7 (July 1993)' (ACM reference format): volume, issue and a dated bracket
# after a journal's name; the volume is never a year.
_VOLUME_ISSUE = re.compile(
    rf"\s(?P<volume>\d{{1,4}}),\s*(?P<issue>\d{{1,4}})\s*\((?:{_MONTH_NAME}\s*)?(?P<year>{YEAR4})\)",
    re.I,
)
_SENTENCE_END = re.compile(r"\.\s+")
# After an IEEE-style title ('“Title,” '): the venue, then each of volume, number, pages, month
# and year after a comma ('ACM Comput. Surv., vol. 26, no. 4, pp. 345–420, 1994.',
# 'in Proc. Widget Conf., 2019, pp. 1–10.', 'J. Supercomput., vol. 7, pp. 2–9, May 1993.')
# (a year before more words opens the name: 'in 2006 IEEE Conference on Widgets, 2006, pp. 1–9.')
_IEEE_FIELD = re.compile(
    rf",\s*(?:vol\.|no\.|pp?\.|{_MONTH_NAME}\s*{YEAR4}|{YEAR4}(?!\d)(?!\s+[A-Za-z]))", re.I
)
_IEEE_LEAD = re.compile(r"^[\s.,]*(?:in\s+)?", re.I)  # '”. in PARCO ...'
MAX_VENUE_NAME = 120
# 'arXiv:2501.01234', 'arXiv preprint arXiv:2501.01234', and the DOI-like 'arXiv.2303.09014'
_ARXIV_ID = re.compile(
    r"\b(arXiv)(?: preprint)?(?:\s*arXiv)?\s*[:.]?\s*\d{4}\.\d{4,5}(?:v\d+)?", re.I
)
_PROCEEDINGS = re.compile(r"^(?:In )?(?:Proc\.|Proceedings)\b", re.I)
_ABBREVIATION = re.compile(r"\((?P<abbr>[A-Z][A-Za-z&]{1,12})\)")
# '2024-ISSTA', '2023-arXiv': the year first, joined by a dash (tags of SE lists).
_YEAR_DASH_VENUE = re.compile(rf"(?P<year>{YEAR4})\s*[-–]\s*(?P<venue>[A-Za-z].*)")
# 'CHI25', 'UIST25': a known venue with a two-digit year glued on (tables of HCI lists).
_GLUED_SHORT_YEAR = re.compile(r"(?P<venue>[A-Za-z][A-Za-z&]*[A-Za-z])'?(?P<y2>\d{2})")
# 'T Neumann', 'JM Hellerstein', 'PG Selinger et al': initials and one surname, the names of an
# author-year citation ('(T Neumann 2011)' in database reading lists), never a venue's name.
# 'J. Parallel Distributed Comput.' has more words after its initial.
_PERSON = re.compile(r"(?:[A-Z]{1,2}(?:\.\s*|\s+))+[A-Z][a-z][\w'’-]*(?:\s+et al\.?)?")
_UNKNOWN_VENUE_YEAR = re.compile(
    r"(?P<venue>[A-Z][\w&+./@-]*(?: [\w&+./@-]+){0,4}?)\s*['’]?\s*(?P<y>\d{4})"
)
# Bracketed only, where nothing but a venue is written so: 'aiDM2020' (a venue that opens in
# lower case, glued to its year), 'CHEOPS 22' and "SIGMOD-Companion '23" (an acronym and a
# two-digit year, never glued: 'GPT35' is a model).
_BRACKETED_VENUE_YEAR = re.compile(
    r"(?P<venue>[a-z]{1,4}[A-Z][\w&+@-]*?)\s*['’]?\s*(?P<y>\d{4})"
    r"|(?P<acronym>[A-Z]{2}[\w&+@-]+?)(?:\s+['’]?|\s*['’])(?P<y2>\d{2})"
)

VenueYear = tuple[str | None, int | None]


def _year_value(match: re.Match[str]) -> int | None:
    return int(match["y4"]) if match["y4"] else two_digit_year(match["y2"])


def whole(venues: VenueTable, text: str) -> VenueYear | None:
    """Venue and/or year when `text` is nothing else: `OSDI'22`, `MLSys 2023`, `2016`,
    `VLDB`; None for anything else."""
    text = " ".join(text.split()).strip(" .,;:")
    if _YEAR_ONLY.fullmatch(text):
        return None, int(text)
    dated = _MONTH_YEAR.fullmatch(text)  # '(Jan 1995)'
    if dated:
        return None, int(dated["year"])
    arxiv = _ARXIV_MONTH.fullmatch(text)
    if arxiv:
        return venues.canonical("arXiv"), 2000 + int(arxiv["yy"])
    mention = venues.mention.match(text)
    if mention and venues.is_spelling(mention[0]):
        after = text[mention.end() :]
        year = _YEAR_AFTER.fullmatch(after)
        if year:
            return venues.canonical(mention[0]), _year_value(year)
        if not after.strip():
            return venues.canonical(mention[0]), None
    glued = _GLUED_SHORT_YEAR.fullmatch(text)
    if glued and venues.find(glued["venue"]) and venues.is_spelling(glued["venue"]):
        return venues.canonical(glued["venue"]), two_digit_year(glued["y2"])  # 'MICRO50': none
    return None


def year_first(venues: VenueTable, text: str, tagged: bool = False) -> str:
    """'2024-ISSTA' -> 'ISSTA 2024': a year-dash-venue label in the usual order, for a venue the
    table knows or in a tag ('[2024-XP]'); '2023 - Tsinghua University' is no venue. In a tag,
    also a year and a known venue ('( 2018 ArXiv)'). Other text unchanged."""
    dashed = _YEAR_DASH_VENUE.fullmatch(text.strip())
    if dashed is not None and (tagged or venues.find(dashed["venue"].strip())):
        return f"{dashed['venue'].strip()} {dashed['year']}"
    spaced = _YEAR_FIRST.fullmatch(text.strip()) if tagged else None  # '( 2018 ArXiv)'
    if spaced and valid_year(spaced[1]) and _known_spelling(venues, spaced[2].strip(" ,.")):
        return f"{spaced[2].strip(' ,.')} {spaced[1]}"
    return text


def unknown_venue_year(label: str) -> tuple[str, int] | None:
    """'FooConf 2023', 'Some Workshop '21': a short label and a year, not in the vocabulary."""
    match = _UNKNOWN_VENUE_YEAR.fullmatch(label)
    year = valid_year(match["y"]) if match else None
    if not match or not year or _MONTH_YEAR.fullmatch(label):
        return None  # 'Jan 1995' is a date
    if _PERSON.fullmatch(match["venue"]) and not VENUE_WORDS.search(match["venue"]):
        return None  # 'T Neumann 2011' names an author
    return match["venue"], year


def _unknown_dated(label: str) -> tuple[str, int] | None:
    """'(HotStorage 2020)', '(ICDEW, 2008)', '(aiDM2020)', '(CHEOPS 22)': a bracketed venue the
    table does not know."""
    return (
        unknown_venue_year(label)
        or unknown_venue_year(_COMMA_BEFORE_YEAR.sub(" ", label))
        or bracketed_venue_year(label)
    )


def bracketed_venue_year(label: str) -> tuple[str, int] | None:
    """'aiDM2020', 'CHEOPS 22', "SIGMOD-Companion '23": a venue the table does not know, in the
    forms that name one only inside brackets."""
    match = _BRACKETED_VENUE_YEAR.fullmatch(label)
    if match is None:
        return None
    year = valid_year(match["y"] or match["y2"])
    return (match["venue"] or match["acronym"], year) if year else None


def tag_venue(venues: VenueTable, tag: str) -> VenueYear:
    """What a bracketed tag before a title names: `[OSDI'22]`, `[IEEE TKDE 2021]`,
    `[ACM Trans. Interact. Intell. Syst.]`; (None, None) for a nickname (`[DistServe]`)."""
    named = whole(venues, tag) or bracketed_venue_year(tag.strip())  # "[SPW'15]"
    if named is not None:
        return named
    month = re.fullmatch(rf"({YEAR4})\s*[/.-]\s*\d{{1,2}}", tag.strip())  # '[2023/10]'
    if month:
        return None, int(month[1])
    dated = re.fullmatch(rf"(?P<venue>.*?[A-Za-z].*?)[\s,'’-]*(?P<year>{YEAR4})", tag.strip())
    if dated and len(dated["venue"]) <= 60:
        return venues.canonical(dated["venue"].strip()), int(dated["year"])
    if VENUE_WORDS.search(tag):  # '[ACM Trans. Interact. Intell. Syst.]', '[ICML 2020 Workshop]'
        year = re.search(rf"(?<!\d){YEAR4}(?!\d)", tag)
        return venues.canonical(tag.strip()), int(year[0]) if year else None
    return None, None


def venue_year(
    venues: VenueTable, text: str, tagged: bool = False
) -> tuple[str | None, int | None, str]:
    """A venue and/or year stated in `text`, and the text before them (often authors).

    `OSDI 2016`, `NSDI '19`, `SOSP' 24`, `NeurIPS, 2023`, `ECCV-24`, `A. B, C. D. PLDI 2019`,
    `Zheng Wang, Proceedings of the IEEE, 2018`, `TACL`, `2023.11`. `tagged`: the text was a
    bracketed tag, whose `2024-XP` names a venue even when the table does not know it.
    """
    text = year_first(venues, " ".join(text.split()), tagged)
    first = _YEAR_FIRST.match(text.strip(" ,.;"))  # '[Title](url), 2024, ISCA'
    if first and valid_year(first[1]) and _known_spelling(venues, first[2].strip(" ,.")):
        return venues.canonical(first[2].strip(" ,.")), int(first[1]), ""
    issue = _VOLUME_ISSUE.search(text) if "(" in text else None
    if issue is not None:
        journal = _journal_before(text[: issue.start()])
        if journal is not None:
            return venues.canonical(journal[1]), int(issue["year"]), journal[0]
    for match in venues.mention.finditer(text):
        if not venues.is_spelling(match[0]):
            continue
        year = _YEAR_AFTER.match(text[match.end() :])
        if year:
            return venues.canonical(match[0]), _year_value(year), text[: match.start()]
    if _ARXIV_ID.fullmatch(text.strip(" .,")):  # 'arXiv 2501.01234': an id is no year
        return venues.canonical("arXiv"), None, ""
    unknown = unknown_venue_year(text.strip(" .,"))  # 'Appl. Soft Comput. 2021', 'ICDM 2020'
    if unknown is None and tagged:
        unknown = bracketed_venue_year(text.strip(" .,"))  # '(aiDM2020)', '(CHEOPS 22)'
    if unknown is not None:
        return unknown[0], unknown[1], ""
    years = list(_ANY_YEAR.finditer(text))
    if years:
        last = years[-1]
        before = _MONTH.sub("", text[: last.start()].rstrip(" ,.(（-–"))  # 'arXiv, Jan 2024'
        venue = _venue_before(venues, before)
        if venue is None and looks_like_names(before):
            return None, int(last["year"]), before  # '(A Pavlo, M Aslett 2016)': all names
        people = authors_part(before) or text[last.end() :]  # '(2015), G. Hinton et al.'
        return venue, int(last["year"]), people
    bare = re.sub(r"\s*[(（][^)）]*[)）]?\s*$", "", text).strip(" .,")  # 'TMLR (Featured)'
    if bare and venues.find(bare) and venues.is_spelling(bare):
        return venues.canonical(bare), None, ""
    spelled: VenueYear | None = (
        whole(venues, text) or whole(venues, bare) or unknown_venue_year(text.strip(" .,"))
    )
    if spelled is not None:  # 'MICRO2020', 'arXiv 2501', 'Ubicomp25 (IMWUT Vol 9 Issue 3)'
        return spelled[0], spelled[1], ""
    return None, None, text


def ieee_venue_year(venues: VenueTable, rest: str) -> VenueYear:
    """Venue and year after an IEEE-style quoted title: the text before the first volume,
    number, pages or date (canonical when the table knows it, or names a known venue inside a
    proceedings' name), and the last year."""
    text = ", " + _IEEE_LEAD.sub("", rest)
    field = _IEEE_FIELD.search(text)
    name = text[2 : field.start()].strip(" ,") if field else ""
    years = _ANY_YEAR.findall(text)
    year = int(years[-1]) if years else None
    if not name or len(name) > MAX_VENUE_NAME:
        return None, year
    named = _named_inside(venues, name)
    if named is None:
        named = venues.canonical(name.rstrip(".")) if venues.find(name.rstrip(".")) else name
    return named, year


def _journal_before(before: str) -> tuple[str, str] | None:
    """'A. Widget. Commun. ACM' -> ('A. Widget. ', 'Commun. ACM'): the journal's name before its
    volume (after the last comma, past a sentence of names), and the text before it."""
    start = max(before.rfind(","), before.rfind(";"), before.rfind(")")) + 1
    for end in _SENTENCE_END.finditer(before, start):
        if looks_like_names(before[start : end.start()].strip()):
            start = end.end()
    name = re.sub(r"^\s*In\s+(?=[A-Z])", "", before[start:]).strip(" ,;:")
    if not name[:1].isupper() or len(name) > 80:
        return None
    return before[:start], name


def _known_spelling(venues: VenueTable, label: str) -> bool:
    return venues.find(label) is not None and venues.is_spelling(label)


def _venue_before(venues: VenueTable, before: str) -> str | None:
    """The venue named just before a year: the last sentence, or the last comma part."""
    before = _NUMBERS_TAIL.sub("", _ARXIV_ID.sub(r"\1", before)).strip(" ,.")
    if not before:
        return None
    parts = re.split(r"\.\s+|,\s+(?=[^,]*$)", before)
    candidate = re.sub(r"^In\s+(?=[A-Z])", "", parts[-1].strip(" ,."))  # 'In Proceedings of'
    named_inside = _named_inside(venues, candidate)
    if named_inside is not None:
        return named_inside
    mention = venues.mention.search(candidate)
    named = mention is not None and venues.is_spelling(mention[0])
    if not named and (re.search(r"\bet al\b", candidate) or looks_like_names(candidate)):
        return None
    if len(candidate) > 80 or not candidate:
        return None
    short = re.sub(r"\s*\([^)]*\)$", "", candidate)  # 'ACM Computing Surveys (CSUR)'
    return venues.canonical(short) if venues.find(short) else candidate


def _named_inside(venues: VenueTable, candidate: str) -> str | None:
    """'Proceedings of the 2nd ... Conference on ... (CIDR)' -> CIDR; 'Proceedings of the ACM
    SIGMOD International Conference ...' -> SIGMOD: a long form that names a known venue."""
    abbreviation = _ABBREVIATION.search(candidate)
    if abbreviation and venues.find(abbreviation["abbr"]):
        return venues.canonical(abbreviation["abbr"])
    if _PROCEEDINGS.match(candidate) and abbreviation:
        return abbreviation["abbr"]  # a venue the table does not know, as the list names it
    if _PROCEEDINGS.match(candidate):
        for mention in venues.mention.finditer(candidate):
            if venues.is_spelling(mention[0]):
                return venues.canonical(mention[0])
    return None


def trailing_venue_year(venues: VenueTable, title: str) -> re.Match[str] | None:
    """`Title (VLDB 2021)`, `Title EuroSys'23`, `Title （2016）`: a known venue and/or year
    closing the title; the match is where the tail begins."""
    end = title.rstrip(" \t.,")[-1:]
    if not (end.isdigit() or end in ")）]"):
        return None  # the common case, decided without trying every word
    for match in re.finditer(r"[\s(（\[]+", title):
        tail = title[match.start() :].strip(" \t.,")
        bracketed = tail[:1] in "(（["
        inner = year_first(venues, tail.strip("()（）[] "), tagged=bracketed)  # '[2024-ISSTA]'
        if not inner or not bracketed and not venues.mention.match(inner):
            continue
        named = whole(venues, inner) or (_unknown_dated(inner) if bracketed else None)
        if named and (named[1] or bracketed) and title[: match.start()].strip():
            return match  # '(VLDB 2021)'; '(HotStorage 2020)': a venue unknown to the table
    return None


def trailing_comma_tail(venues: VenueTable, title: str) -> tuple[int, str | None, int] | None:
    """`Title, SIGMOD, 2008`, `Title, 2014, SIGMOD`, `Title, 2015`, `Title, Widget Engineering
    Bulletin, 1995`: a venue and/or year after the last commas of a linked or bold title; where
    the tail begins, its venue (canonical, or as written) and its year."""
    for match in _COMMA.finditer(title):
        tail = title[match.end() :].strip(" .")
        if not tail or not title[: match.start()].strip():
            continue
        swapped = _YEAR_FIRST.sub(r"\2 \1", tail)  # '2014, SIGMOD'
        named = whole(venues, swapped) or unknown_venue_year(_COMMA_BEFORE_YEAR.sub(" ", swapped))
        if named is not None and named[1] is not None:
            venue = venues.canonical(named[0]) if named[0] else None
            return match.start(), venue, named[1]
    return None


def trailing_date(title: str) -> re.Match[str] | None:
    """`Title, 2023.11`, `Title, 2023,11`: a year with its month after the last comma, where the
    title ends."""
    return _COMMA_DATE.search(title) if title[-1:].isdigit() else None


def typo_year(match: re.Match[str], venues: VenueTable) -> bool:
    """'ASPLOS 20189': a venue and a number of four or more digits that is no year; a known
    venue's is reported even when it does not start like a year. ('Nature 616' is a volume.)"""
    number = match["long"] or match["short"] or ""
    if valid_year(number) or len(number) < 4:
        return False
    return venues.find(match["venue"].strip()) is not None or number[:2] in ("19", "20")
