"""DBLP: request builders, the decoder that absorbs the search API's quirks, and fetchers.

Quirks handled here (see the API notes in the project docs): every counter and `year` is a
string; `hit` is absent when there are no hits; `authors.author` is a dict for a single author;
`venue` and `ee` may be lists; titles carry XML entities and a trailing period.
"""

from __future__ import annotations

import html
import re
import urllib.parse
from dataclasses import dataclass
from typing import Any

import bibtexparser
from pydantic import Field, field_validator, model_validator
from pylatexenc.latex2text import LatexNodes2Text

from pipeline.errors import BadResponse
from pipeline.http import Fetched, SourceClient
from pipeline.models import DblpRecord
from pipeline.sources.wire import ABSENT, Wire, each_valid, int_or_none
from pipeline.text import fold, is_corr_key

SEARCH_PATH = "/search/publ/api"
TOC_PAGE_SIZE = 1000  # DBLP's hard cap for h
SEARCH_HITS = 30
MAX_TOC_PAGES = 10  # DBLP serves at most 10,000 hits per query

_QUERY_JUNK = re.compile(r"[^\w\s]+")


class _Author(Wire):
    text: str

    @model_validator(mode="before")
    @classmethod
    def _bare_name(cls, value: Any) -> Any:
        return {"text": value} if isinstance(value, str) else value

    pid: str | None = Field(default=None, alias="@pid")


class _Authors(Wire):
    author: list[_Author] = Field(default_factory=list)

    @field_validator("author", mode="before")
    @classmethod
    def _one_author_is_a_dict(cls, value: Any) -> Any:
        return [value] if isinstance(value, dict | str) else value


class _Info(Wire):
    key: str
    title: str = ""
    authors: _Authors | None = None
    venue: str | list[str] | None = None
    pages: str | None = None
    year: str | int | None = None
    type: str = ""
    doi: str | None = None
    ee: str | list[str] | None = None
    url: str | None = None
    publisher: str | None = None
    volume: str | int | None = None
    number: str | int | None = None


class _Hit(Wire):
    info: _Info


class _Hits(Wire):
    total: Any = Field(default=None, alias="@total")
    first: Any = Field(default=0, alias="@first")
    sent: Any = Field(default=None, alias="@sent")
    hit: list[Any] = Field(default_factory=list)  # absent when there are no hits; read one by one

    @field_validator("hit", mode="before")
    @classmethod
    def _single_hit(cls, value: Any) -> Any:
        return [value] if isinstance(value, dict) else value


class _Result(Wire):
    hits: _Hits
    query: Any = None  # DBLP echoes the query: it names the page in messages


class SearchResponse(Wire):
    """The wire shape of /search/publ/api?format=json."""

    result: _Result


@dataclass(frozen=True)
class SearchPage:
    records: list[DblpRecord]
    total: int
    first: int
    sent: int


def to_record(info: _Info) -> DblpRecord:
    """Flatten one hit into our record; text is entity-decoded, lists made uniform."""
    authors = [a.text for a in (info.authors.author if info.authors else [])]
    return _record(
        info.key,
        info.title,
        authors,
        info.venue,
        info.year,
        info.type,
        info.pages,
        info.volume,
        info.number,
        info.doi,
        info.ee,
        info.url,
        info.publisher,
    )


def _record(
    key: str,
    title: str,
    authors: list[str],
    venue: str | list[str] | None,
    year: str | int | None,
    kind: str,
    pages: str | None,
    volume: str | int | None,
    number: str | int | None,
    doi: str | None,
    ee: str | list[str] | None,
    url: str | None,
    publisher: str | None,
) -> DblpRecord:
    venue = venue if not isinstance(venue, list) else ", ".join(venue)
    return DblpRecord(
        key=key,
        title=_text(title),
        authors=[_text(a) for a in authors],
        venue=_text(venue) if venue else None,
        year=int_or_none(year),
        type=kind,
        pages=pages or None,
        volume=str(volume) if volume is not None else None,
        number=str(number) if number is not None else None,
        doi=doi or None,
        ee=[ee] if isinstance(ee, str) else list(ee or []),
        url=url or None,
        publisher=_text(publisher) if publisher else None,
    )


def decode_search(payload: Any) -> SearchPage:
    """JSON payload -> one page of records (raises pydantic.ValidationError on a bad shape,
    ValueError on a page that says it sent hits but carries none: cut short, or changed;
    cached, it would stand for an empty table of contents for weeks)."""
    result = SearchResponse.model_validate(payload).result
    hits = result.hits
    sent = int_or_none(hits.sent)
    if sent and not hits.hit:
        raise ValueError(f"the page says it sent {sent} hits but carries none")
    where = f"dblp hits of {result.query!r}" if isinstance(result.query, str) else "dblp hits"
    read = each_valid(hits.hit, _read_hit, where)
    first = int_or_none(hits.first) or 0
    sent = len(hits.hit) if sent is None else sent
    total = int_or_none(hits.total)
    return SearchPage(
        records=[record for record in read if record is not None],
        total=first + sent if total is None else total,
        first=first,
        sent=sent,
    )


def _read_hit(item: Any) -> DblpRecord:
    plain = _read_plain_hit(item)
    return plain if plain is not None else to_record(_Hit.model_validate(item).info)


# The usual shape of a hit, read without the tolerant models (a 10,000-paper run reads some
# 40,000 hits from its cached tables of contents; the models took most of that time). Anything
# unusual (a value of another type, "", a missing key) returns None and the tolerant models
# decide, with their messages: the result is the same either way (tests/sources/test_dblp.py).
_PLAIN_TEXT = ("title", "type", "pages", "doi", "url", "publisher")
_TEXT_OR_NUMBER = ("year", "volume", "number")
_TEXT_OR_LIST = ("venue", "ee")


def _read_plain_hit(item: Any) -> DblpRecord | None:
    """A hit of the usual shape as our record, or None when anything in it is unusual."""
    info = item.get("info") if type(item) is dict else None
    if type(info) is not dict:
        return None
    key = info.get("key")
    if type(key) is not str or not key:
        return None
    for name in _PLAIN_TEXT:
        value = info.get(name, ABSENT)
        if value is not ABSENT and (type(value) is not str or not value):
            return None
    for name in _TEXT_OR_NUMBER:
        value = info.get(name, ABSENT)
        if value is not ABSENT and not (type(value) is int or (type(value) is str and value)):
            return None
    for name in _TEXT_OR_LIST:
        value = info.get(name, ABSENT)
        if value is ABSENT or (type(value) is str and value):
            continue
        if type(value) is not list or not value:
            return None
        if not all(type(v) is str and v for v in value):
            return None
    authors = _plain_authors(info.get("authors", ABSENT))
    if authors is None:
        return None
    return _record(
        key,
        info.get("title", ""),
        authors,
        info.get("venue"),
        info.get("year"),
        info.get("type", ""),
        info.get("pages"),
        info.get("volume"),
        info.get("number"),
        info.get("doi"),
        info.get("ee"),
        info.get("url"),
        info.get("publisher"),
    )


def _plain_authors(authors: Any) -> list[str] | None:
    """The names of `info.authors` in its usual shapes (a list of authors, or one author as a
    dict); None when it has another shape."""
    if authors is ABSENT:
        return []
    if type(authors) is not dict:
        return None
    people = authors.get("author", ABSENT)
    if people is ABSENT:
        return []
    if type(people) is dict:
        people = [people]
    elif type(people) is not list:
        return None
    names = []
    for person in people:
        if type(person) is not dict:
            return None
        name = person.get("text")
        if type(name) is not str or not name:
            return None
        for pid in ("@pid", "pid"):
            if type(person.get(pid, "")) is not str:
                return None
        names.append(name)
    return names


# -- request builders (pure) -------------------------------------------------------------


def toc_params(toc: str, first: int = 0) -> dict[str, str | int]:
    """One whole table of contents: q=toc:db/conf/osdi/osdi2016.bht: (h is capped at 1000)."""
    params: dict[str, str | int] = {"q": f"toc:{toc}:", "h": TOC_PAGE_SIZE, "format": "json"}
    if first:
        params["f"] = first
    return params


def search_params(title: str) -> dict[str, str | int]:
    """A title search: words only, since DBLP's query syntax gives punctuation meanings.

    Accents are folded (an ASCII query matches both spellings, an accented one only itself)
    and single letters left over from `Don't` or `I/O` are dropped: every word is a prefix
    match, so a lone `t` only adds noise."""
    words = _QUERY_JUNK.sub(" ", fold(title)).split()
    kept = [w for w in words if len(w) > 1 or w.isdigit()] or words
    return {"q": " ".join(kept), "h": SEARCH_HITS, "format": "json"}


# -- fetchers (network) ------------------------------------------------------------------


@dataclass(frozen=True)
class Toc:
    """A venue-year's papers and its proceedings (Editorship) record, kept apart."""

    name: str
    papers: list[DblpRecord]
    proceedings: list[DblpRecord]
    fetched_at: float
    stale: bool = False  # some page was an expired answer, served because asking again failed

    @property
    def exists(self) -> bool:
        return bool(self.papers or self.proceedings)


def no_hits(status: int, payload: Any) -> bool:
    """DBLP says "nothing" with a 200 and no `hit` key; cache it as a (shorter-lived) miss."""
    if status == 404:
        return True
    try:
        return int(payload["result"]["hits"]["@total"]) == 0
    except (KeyError, TypeError, ValueError):
        return False  # not our shape: let the decoder report it


def fetch_toc(client: SourceClient, toc: str) -> Toc:
    """All records of one table of contents, following pages when it exceeds 1000 hits.

    Raises NotFound when DBLP has no such table of contents.
    """
    records: list[DblpRecord] = []
    first, fetched_at, stale = 0, 0.0, False
    for _ in range(MAX_TOC_PAGES):
        fetched = client.get_json(
            SEARCH_PATH, toc_params(toc, first), decode=decode_search, not_found=no_hits
        )
        fetched_at = max(fetched_at, fetched.fetched_at)
        stale = stale or fetched.stale
        page = fetched.data
        records.extend(page.records)
        first += page.sent
        if page.sent == 0 or first >= page.total:
            break
    return Toc(
        name=toc,
        papers=[r for r in records if not r.is_proceedings],
        proceedings=[r for r in records if r.is_proceedings],
        fetched_at=fetched_at,
        stale=stale,
    )


def fetch_search(client: SourceClient, title: str) -> Fetched[list[DblpRecord]]:
    """Candidate records for a title (proceedings records dropped: they are not papers).

    Raises NotFound when the search has no hits at all.
    """
    fetched = client.get_json(
        SEARCH_PATH, search_params(title), decode=decode_search, not_found=no_hits
    )
    papers = [r for r in fetched.data.records if not r.is_proceedings]
    return Fetched(papers, fetched.fetched_at, fetched.from_cache, fetched.stale)


def _text(value: str) -> str:
    return " ".join(html.unescape(value).split())


# -- one record by key: /rec/{key}.bib ---------------------------------------------------

_ENTRY_TYPES = {
    "inproceedings": "Conference and Workshop Papers",
    "article": "Journal Articles",
    "book": "Books and Theses",
    "incollection": "Parts in Books or Collections",
}


def rec_path(key: str) -> str:
    """`/rec/conf/osdi/AbadiBCCDDDGIIK16.bib` (param=1: the standard, self-contained form)."""
    return f"/rec/{urllib.parse.quote(key, safe='/')}.bib"


def decode_bib(text: str) -> DblpRecord:
    """DBLP's BibTeX export of one record -> our record (TeX turned back into Unicode).

    Raises ValueError for anything else (an HTML error page, an empty body)."""
    library = bibtexparser.parse_string(text)
    if not library.entries or library.failed_blocks:
        raise ValueError("not a DBLP BibTeX record")
    entry = library.entries[0]
    raw = {f.key.lower(): " ".join(str(f.value).split()) for f in entry.fields}
    # URLs, DOIs and pages are verbatim apart from escaped specials; '--' is a page range.
    fields = {
        name: _VERBATIM_ESCAPE.sub(r"\1", value) if name in _VERBATIM else _tex_to_text(value)
        for name, value in raw.items()
    }
    key = entry.key.removeprefix("DBLP:")
    year = fields.get("year", "")
    kind = _ENTRY_TYPES.get(entry.entry_type.lower(), "Informal and Other Publications")
    if is_corr_key(key):
        kind = "Informal and Other Publications"
    return DblpRecord(
        key=key,
        title=fields.get("title", ""),
        authors=[" ".join(a.split()) for a in fields.get("author", "").split(" and ") if a.strip()],
        venue=fields.get("booktitle") or fields.get("journal") or None,
        year=int(year) if year.isdigit() else None,
        type=kind,
        pages=fields.get("pages", "").replace("--", "-") or None,
        volume=fields.get("volume") or None,
        number=fields.get("number") or None,
        doi=fields.get("doi") or None,
        ee=[fields["url"]] if fields.get("url") else [],
        url=f"https://dblp.org/rec/{key}",
        publisher=fields.get("publisher") or None,
    )


def fetch_record(client: SourceClient, key: str) -> Fetched[DblpRecord]:
    """One record by its key (raises NotFound when DBLP has no such key)."""
    fetched = client.get_text(
        rec_path(key), {"param": "1"}, decode=decode_bib, accept="application/x-bibtex"
    )
    if fetched.data.key != key:
        raise BadResponse(client.source.name, f"asked for {key}, got {fetched.data.key}")
    return fetched


_TEX = LatexNodes2Text()
_VERBATIM = {"url", "doi", "pages", "ee"}
_VERBATIM_ESCAPE = re.compile(r"\\([_&%#$])")


def _tex_to_text(value: str) -> str:
    return " ".join(_TEX.latex_to_text(value).split())
