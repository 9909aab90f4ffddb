"""arXiv API: id validation, the request builder, the Atom decoder and the fetcher.

Quirks handled here (see the API notes in the project docs): the answer is Atom XML, not JSON;
`max_results` defaults to 10, so it is always sent; an unknown well-formed id is silently left
out, while ONE malformed id fails the whole call with HTTP 400 and an error feed (entry title
`Error`, summary `incorrect id format for X`); entries come back in no particular order, with
versioned http ids (`http://arxiv.org/abs/1706.03762v7`); `<summary>` is hard-wrapped text with
TeX in it. 429 comes with the body `Rate exceeded.` and no Retry-After (the HTTP layer backs off).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from pipeline.errors import BadResponse
from pipeline.http import SourceClient
from pipeline.text import normalize_arxiv_id as normalize_id  # validated before sending

QUERY_PATH = "/query"
BATCH_LIMIT = 100  # ids per call: no documented cap, the URL length is the limit
HTTP_BAD_REQUEST = 400  # a malformed id in the call (with an error feed as the body)

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"

_ENTRY_ID = re.compile(r"arxiv\.org/abs/(.+?)(?:v(\d+))?$")


@dataclass(frozen=True)
class ArxivEntry:
    """One arXiv record as the feed gives it, text as found (not yet cleaned)."""

    arxiv_id: str  # without version
    version: int | None
    title: str | None
    summary: str | None
    pdf_url: str | None
    doi: str | None
    authors: tuple[str, ...] = ()  # as the feed names them, in order


@dataclass(frozen=True)
class ArxivAnswer:
    """What one call (or, after a 400, its halves) said: entries by id, and ids arXiv refused."""

    entries: dict[str, ArxivEntry]
    rejected: list[str] = field(default_factory=list)
    fetched_at: float = 0.0
    stale: bool = False  # an expired answer, served because asking again failed


class ArxivErrorFeed(ValueError):
    """arXiv answered with its error feed (one entry titled 'Error')."""


def query_params(ids: list[str]) -> dict[str, str | int]:
    """`id_list` as given (the caller sorts it, so the cache key is stable), `max_results`
    always sent: it defaults to 10."""
    return {"id_list": ",".join(ids), "max_results": len(ids)}


def _text(element: ET.Element | None) -> str | None:
    if element is None or element.text is None:
        return None
    return element.text.strip() or None  # "" is missing


def _https(url: str | None) -> str | None:
    if url and url.startswith("http://arxiv.org/"):
        return "https://" + url.removeprefix("http://")
    return url or None


def _entry(element: ET.Element) -> ArxivEntry | None:
    raw_id = _text(element.find(f"{ATOM}id"))
    title = _text(element.find(f"{ATOM}title"))
    if (raw_id and "/api/errors" in raw_id) or (title == "Error" and not raw_id):
        message = _text(element.find(f"{ATOM}summary")) or "no message"
        raise ArxivErrorFeed(f"arXiv error feed: {message}")
    match = _ENTRY_ID.search(raw_id or "")
    if match is None:
        return None  # not a paper entry: ignore it, like any element we do not know
    pdf = next(
        (
            link.get("href")
            for link in element.findall(f"{ATOM}link")
            if link.get("title") == "pdf" or link.get("type") == "application/pdf"
        ),
        None,
    )
    return ArxivEntry(
        arxiv_id=match.group(1),
        version=int(match.group(2)) if match.group(2) else None,
        title=title,
        summary=_text(element.find(f"{ATOM}summary")),
        pdf_url=_https(pdf),
        doi=_text(element.find(f"{ARXIV}doi")),
        authors=tuple(
            name
            for author in element.findall(f"{ATOM}author")
            if (name := _text(author.find(f"{ATOM}name")))
        ),
    )


def decode_feed(text: str) -> dict[str, ArxivEntry]:
    """An Atom feed -> its entries by id (without version).

    Raises ValueError for anything else: HTML, truncated XML, another root, an error feed."""
    try:
        root = SafeET.fromstring(text)
    except ET.ParseError as exc:
        kind = "HTML" if text.lstrip()[:1] == "<" and "<html" in text[:500].lower() else "XML"
        raise ValueError(f"malformed or truncated {kind} where an Atom feed was expected") from exc
    except DefusedXmlException as exc:
        raise ValueError(f"refused XML ({type(exc).__name__})") from exc
    if root.tag != f"{ATOM}feed":
        kind = "an HTML page" if root.tag.rsplit("}", 1)[-1].lower() == "html" else "XML"
        raise ValueError(f"{kind} where an Atom feed was expected (root element {root.tag!r})")
    entries: dict[str, ArxivEntry] = {}
    for element in root.findall(f"{ATOM}entry"):
        entry = _entry(element)
        if entry is not None:
            entries[entry.arxiv_id] = entry
    return entries


def fetch_entries(client: SourceClient, ids: list[str]) -> ArxivAnswer:
    """The entries of up to BATCH_LIMIT well-formed ids; ids arXiv does not know are absent.

    Ids are validated before sending, so a 400 (one malformed id fails the whole call) should
    not happen; if it does, the call is split in halves until the refused id is isolated, and
    that id is reported in `rejected` instead of costing the others their answers.
    Raises SourceError when arXiv cannot be asked or answers garbage.
    """
    if len(ids) > BATCH_LIMIT:
        raise ValueError(f"at most {BATCH_LIMIT} ids per call, got {len(ids)}")
    bad = [i for i in ids if normalize_id(i) != i]
    if bad:
        raise ValueError(f"not well-formed arXiv ids (normalize them first): {bad}")
    if not ids:
        return ArxivAnswer(entries={})
    try:
        fetched = client.get_text(
            QUERY_PATH,
            query_params(ids),
            decode=decode_feed,
            not_found=_never,
            accept="application/atom+xml",
        )
    except BadResponse as exc:
        if not _refused(exc, ids):
            raise
        if len(ids) == 1:
            return ArxivAnswer(entries={}, rejected=list(ids))
        half = len(ids) // 2
        first, second = fetch_entries(client, ids[:half]), fetch_entries(client, ids[half:])
        return ArxivAnswer(
            entries={**first.entries, **second.entries},
            rejected=first.rejected + second.rejected,
            fetched_at=max(first.fetched_at, second.fetched_at),
            stale=first.stale or second.stale,
        )
    asked = set(ids)
    entries = {k: v for k, v in fetched.data.items() if k in asked}  # never another paper's
    return ArxivAnswer(entries=entries, fetched_at=fetched.fetched_at, stale=fetched.stale)


def _refused(exc: BadResponse, ids: list[str]) -> bool:
    """arXiv refused one of `ids` (one malformed id fails a whole call): its error feed, as a
    400's body or a 200's that our decoder refused, names it. Anything else (a proxy's 400
    page, a feed naming an id not asked) is a failure: the ids keep what they had."""
    message = _error_feed_message(exc)
    if message is None:
        return False
    named = set(re.split(r"[\s,;]+", message))
    return any(i in named for i in ids)


def _error_feed_message(exc: BadResponse) -> str | None:
    if isinstance(exc.__cause__, ArxivErrorFeed):
        return str(exc.__cause__)
    if exc.status != HTTP_BAD_REQUEST or not exc.body:
        return None
    try:
        decode_feed(exc.body)
    except ArxivErrorFeed as feed:
        return str(feed)
    except ValueError:
        return None
    return None


def _never(_status: int, _payload: object) -> bool:
    """A 404 from /query is not 'no such paper' (unknown ids are left out of a 200 feed):
    it must never be cached as an answer."""
    return False
