"""Semantic Scholar Graph API: request builders, decoders and fetchers.

Quirks handled here: `/paper/search/match` answers a miss with HTTP 404 "Title match not found"
and its `matchScore` is unbounded (not a probability); `/paper/batch` takes at most 500 ids and
answers unknown ids with `null` in their position; list fields can be null instead of [].
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, TypeAdapter

from pipeline.http import Fetched, SourceClient
from pipeline.models import S2Paper

FIELDS = (
    "paperId,externalIds,title,year,venue,authors,citationCount,influentialCitationCount,"
    "referenceCount,abstract,tldr,openAccessPdf,url,publicationDate"
)
BATCH_LIMIT = 500
BATCH_PATH = "/paper/batch"
MATCH_PATH = "/paper/search/match"

_HYPHENS = re.compile(r"[-\u2010-\u2015]+")
ItemT = TypeVar("ItemT")
_batch_adapter = TypeAdapter(list[S2Paper | None])


class _MatchResponse(BaseModel):
    model_config = ConfigDict(extra="ignore")
    data: list[S2Paper]


def decode_batch(payload: Any) -> list[S2Paper | None]:
    return _batch_adapter.validate_python(payload)


def decode_match(payload: Any) -> S2Paper | None:
    data = _MatchResponse.model_validate(payload).data
    return data[0] if data else None


def doi_id(doi: str) -> str:
    return f"DOI:{doi}"


def arxiv_id(arxiv: str) -> str:
    return f"ARXIV:{arxiv}"


def match_params(title: str) -> dict[str, str]:
    """Hyphenated terms match nothing in S2's title search: hyphens become spaces."""
    return {"query": " ".join(_HYPHENS.sub(" ", title).split()), "fields": FIELDS}


def chunks(items: list[ItemT], size: int = BATCH_LIMIT) -> list[list[ItemT]]:
    """Split a batch into request-sized pieces, order kept."""
    return [items[i : i + size] for i in range(0, len(items), size)]


def fetch_batch(client: SourceClient, ids: list[str]) -> Fetched[list[S2Paper | None]]:
    """One POST for up to 500 ids; the answer lists a paper or None per id, in order."""
    if len(ids) > BATCH_LIMIT:
        raise ValueError(f"at most {BATCH_LIMIT} ids per batch, got {len(ids)}")
    return client.post_json(
        BATCH_PATH, {"fields": FIELDS}, {"ids": ids}, decode=decode_batch, not_found=_never
    )


def fetch_match(client: SourceClient, title: str) -> Fetched[S2Paper | None]:
    """S2's single best title match (raises NotFound on its 404 'Title match not found')."""
    return client.get_json(MATCH_PATH, match_params(title), decode=decode_match)


def _never(_status: int, _payload: Any) -> bool:
    return False
