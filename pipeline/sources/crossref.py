"""Crossref REST API: request builders, decoders and fetchers for deposited abstracts.

Quirks handled here (see the API notes in the project docs): many DOIs in one call with a
repeated `filter=doi:A,doi:B` (OR-ed), answered in no particular order and with DOIs
lower-cased; `rows` defaults to 20, so it is always sent; `message.abstract`, when present, is
JATS XML in a string; an unknown DOI asked alone is HTTP 404 with the `text/plain` body
`Resource not found.` - a miss, cached like one. The polite pool wants `mailto`. Answers are
read tolerantly (sources/wire.py), item by item: a bad item costs that item, not its batch.
"""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass
from typing import Any

from pydantic import field_validator

from pipeline.http import Fetched, SourceClient
from pipeline.sources.wire import Wire, each_valid

WORKS_PATH = "/works"
BATCH_LIMIT = 50  # DOIs per filter query; keeps the URL short
SELECT = "DOI,abstract,title"
ARXIV_DOI_PREFIX = "10.48550/"  # arXiv's DataCite DOIs: Crossref never has them


class _Item(Wire):
    DOI: str
    abstract: str | None = None
    title: list[str] | None = None

    @field_validator("title", mode="before")
    @classmethod
    def _one_title(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class _ItemList(Wire):
    items: list[Any] | None = None  # read one by one (each_valid)


class _WorkList(Wire):
    """The wire shape of GET /works: {"status": "ok", "message-type": "work-list", ...}."""

    message: _ItemList


class _Work(Wire):
    """The wire shape of GET /works/{doi}: {"status": "ok", "message-type": "work", ...}."""

    message: _Item


@dataclass(frozen=True)
class CrossrefWork:
    """One work: its DOI lower-cased (Crossref's form), the raw JATS abstract, the title."""

    doi: str
    abstract: str | None
    title: str | None


def doi_key(doi: str) -> str:
    """DOIs compare case-insensitively; Crossref answers them lower-cased."""
    return doi.strip().casefold()


def asks_crossref(doi: str) -> bool:
    """Whether a DOI is worth asking Crossref for (arXiv's DataCite DOIs never are)."""
    return bool(doi.strip()) and not doi_key(doi).startswith(ARXIV_DOI_PREFIX)


def _work(item: _Item) -> CrossrefWork:
    title = next((t for t in item.title or [] if t and t.strip()), None)
    return CrossrefWork(doi=doi_key(item.DOI), abstract=item.abstract or None, title=title)


def decode_work_list(payload: Any) -> dict[str, CrossrefWork]:
    """GET /works payload -> works by lower-cased DOI; an unreadable item is skipped (with a
    warning), a payload of another shape raises ValidationError."""
    items = _WorkList.model_validate(payload).message.items or []
    read = each_valid(items, _Item.model_validate, "crossref: GET /works")
    return {work.doi: work for work in (_work(i) for i in read if i is not None)}


def decode_work(text: str) -> CrossrefWork:
    """GET /works/{doi} body -> the work; ValueError for anything that is not its JSON."""
    try:
        payload = json.loads(text)
    except ValueError as exc:
        kind = "HTML" if text.lstrip()[:1] == "<" else "text"
        raise ValueError(f"{kind} where JSON was expected") from exc
    return _work(_Work.model_validate(payload).message)


# -- request builders (pure) -------------------------------------------------------------


def polite(params: dict[str, str | int], mailto: str | None) -> dict[str, str | int]:
    """The polite pool: a contact address as `mailto` (only a real address is sent)."""
    return {**params, "mailto": mailto} if mailto else params


def mailto_of(contact: str) -> str | None:
    """CONTACT_EMAIL when it is an e-mail address, else None."""
    address = contact.strip().removeprefix("mailto:")
    if "@" in address and not any(c.isspace() for c in address) and "/" not in address:
        return address
    return None


def works_params(dois: list[str], mailto: str | None = None) -> dict[str, str | int]:
    """One OR-ed filter for many DOIs; `rows` as many as asked (it defaults to 20)."""
    return polite(
        {
            "filter": ",".join(f"doi:{doi}" for doi in dois),
            "rows": len(dois),
            "select": SELECT,
        },
        mailto,
    )


def work_path(doi: str) -> str:
    return f"{WORKS_PATH}/{urllib.parse.quote(doi.strip(), safe='/')}"


def batchable(doi: str) -> bool:
    """A comma would split the filter: such a DOI is asked alone."""
    return "," not in doi


# -- fetchers (network) ------------------------------------------------------------------


def fetch_works(
    client: SourceClient, dois: list[str], mailto: str | None = None
) -> Fetched[dict[str, CrossrefWork]]:
    """The works of up to BATCH_LIMIT DOIs, by lower-cased DOI; unknown DOIs are absent."""
    if len(dois) > BATCH_LIMIT:
        raise ValueError(f"at most {BATCH_LIMIT} DOIs per call, got {len(dois)}")
    if not all(batchable(d) for d in dois):
        raise ValueError("a DOI with a comma cannot go in a filter: use fetch_work")
    return client.get_json(
        WORKS_PATH, works_params(dois, mailto), decode=decode_work_list, not_found=_never
    )


def fetch_work(client: SourceClient, doi: str, mailto: str | None = None) -> Fetched[CrossrefWork]:
    """One work by DOI. Raises NotFound on Crossref's 404 `Resource not found.` (plain text,
    so the body is read as text; the miss is cached like an answer)."""
    return client.get_text(
        work_path(doi), polite({}, mailto), decode=decode_work, accept="application/json"
    )


def _never(_status: int, _payload: Any) -> bool:
    return False
