"""Semantic Scholar Graph API: request builders, tolerant decoders and fetchers.

Quirks handled here: `/paper/search/match` answers a miss with HTTP 404 "Title match not found"
and its `matchScore` is unbounded (not a probability); `/paper/batch` takes at most 500 ids and
answers unknown ids with `null` in their position; list fields can be null instead of [];
`/paper/search` with no results has no `data` key; `openAccessPdf` is, since 2025, always an
object `{url, status, license, disclaimer}` with `url: ""` when there is no PDF (older answers:
`{url, status}` or null). Every answer is read tolerantly (sources/wire.py), item by item.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import Field, field_validator

from pipeline.errors import BadResponse, NotFound, SourceError
from pipeline.http import Fetched, SourceClient
from pipeline.models import S2OpenAccessPdf, S2Paper, S2Tldr
from pipeline.sources.wire import ABSENT, Wire, each_valid, int_or_none

FIELDS = (
    "paperId,externalIds,title,year,venue,authors,citationCount,influentialCitationCount,"
    "referenceCount,abstract,tldr,openAccessPdf,url,publicationDate,publicationTypes,journal"
)
BATCH_LIMIT = 500
BATCH_PATH = "/paper/batch"
MATCH_PATH = "/paper/search/match"
SEARCH_PATH = "/paper/search"
SEARCH_LIMIT = 10  # candidates asked for when the single title match is not convincing
# The identifier kinds of `externalIds` we keep (S2 may add more; they are not ours to keep).
ID_KINDS = frozenset({"DOI", "DBLP", "ArXiv", "MAG", "ACL", "PubMed", "PubMedCentral", "CorpusId"})

_HYPHENS = re.compile(r"[-\u2010-\u2015]+")
ItemT = TypeVar("ItemT")


# -- the wire shapes (tolerant) ------------------------------------------------------------


class _Author(Wire):
    authorId: str | None = None  # noqa: N815 - the API's own field names
    name: str | None = None


class _Tldr(Wire):
    model: str | None = None
    text: str | None = None


class _Pdf(Wire):
    url: str | None = None
    status: str | None = None
    license: str | None = None


class _Journal(Wire):
    name: str | None = None


class _Paper(Wire):
    paperId: str  # noqa: N815
    externalIds: dict[str, Any] | None = None  # noqa: N815
    title: str | None = None
    year: Any = None
    venue: str | None = None
    authors: list[Any] | None = None
    citationCount: Any = None  # noqa: N815
    influentialCitationCount: Any = None  # noqa: N815
    referenceCount: Any = None  # noqa: N815
    abstract: str | None = None
    tldr: _Tldr | None = None
    openAccessPdf: _Pdf | None = None  # noqa: N815
    url: str | None = None
    publicationDate: str | None = None  # noqa: N815
    publicationTypes: list[Any] | None = None  # noqa: N815
    journal: _Journal | None = None
    matchScore: float | None = None  # noqa: N815

    @field_validator("externalIds", mode="before")
    @classmethod
    def _ids_as_dict(cls, value: Any) -> Any:
        return value if isinstance(value, dict) else None

    def to_record(self) -> S2Paper:
        """Our strict record: numbers as ints, "" and junk as missing, bad authors dropped."""
        authors = [
            (a.authorId, a.name)
            for a in each_valid(self.authors or [], _Author.model_validate, "s2 authors")
            if a is not None
        ]
        tldr, pdf, journal = self.tldr, self.openAccessPdf, self.journal
        return _to_paper(
            self.paperId,
            self.externalIds,
            authors,
            self.publicationTypes,
            (tldr.model, tldr.text) if tldr else None,
            (pdf.url, pdf.status, pdf.license) if pdf is not None else None,
            journal.name if journal else None,
            title=self.title,
            year=self.year,
            venue=self.venue,
            citationCount=self.citationCount,
            influentialCitationCount=self.influentialCitationCount,
            referenceCount=self.referenceCount,
            abstract=self.abstract,
            url=self.url,
            publicationDate=self.publicationDate,
            matchScore=self.matchScore,
        )


def _to_paper(
    paper_id: str,
    external_ids: dict[str, Any] | None,
    authors: list[tuple[str | None, str | None]],
    types: list[Any] | None,
    tldr: tuple[str | None, str | None] | None,
    pdf: tuple[str | None, str | None, str | None] | None,
    journal: str | None,
    **plain: Any,
) -> S2Paper:
    """Our record from an answer's values, however they were read."""
    ids: dict[str, str | int | None] = {}
    for name, value in (external_ids or {}).items():
        if name not in ID_KINDS or isinstance(value, bool) or value in ("", None):
            continue
        if isinstance(value, int | str):
            ids[name] = value
    return S2Paper(
        paperId=paper_id,
        externalIds=ids or None,
        title=plain["title"],
        year=int_or_none(plain["year"]),
        venue=plain["venue"],
        authors=[{"authorId": key, "name": name} for key, name in authors if name],
        citationCount=int_or_none(plain["citationCount"]),
        influentialCitationCount=int_or_none(plain["influentialCitationCount"]),
        referenceCount=int_or_none(plain["referenceCount"]),
        abstract=plain["abstract"],
        tldr=S2Tldr(model=tldr[0], text=tldr[1]) if tldr else None,
        openAccessPdf=(
            S2OpenAccessPdf(url=pdf[0], status=pdf[1], license=pdf[2])
            if pdf is not None and pdf[0]
            else None
        ),
        url=plain["url"],
        publicationDate=plain["publicationDate"],
        publicationTypes=[str(t) for t in types or [] if t] or None,
        journal=journal,
        matchScore=plain["matchScore"],
    )


class _Listing(Wire):
    """`{"data": [...]}` of the match and search endpoints (`data` absent: no results)."""

    data: list[Any] = Field(default_factory=list)
    total: int | None = None


def read_paper(item: Any) -> S2Paper | None:
    """One paper of an answer; `null` (an id S2 does not know) stays None."""
    if item is None:
        return None
    plain = _read_plain_paper(item)
    return plain if plain is not None else _Paper.model_validate(item).to_record()


# The usual shape of a paper, read without the tolerant models (a 10,000-paper run reads some
# 12,000 papers from the cache; the models took most of that time). Anything unusual (a value
# of another type, a list for one value, a number as a string, an author without a name) gives
# None and the tolerant models decide, with their messages: the same result either way
# (tests/sources/test_s2.py). Values are None, "" (missing, as the models take it) or a type:
_TEXT = ("title", "venue", "abstract", "url", "publicationDate")
_COUNTS = ("year", "citationCount", "influentialCitationCount", "referenceCount")


def _read_plain_paper(item: Any) -> S2Paper | None:
    """A paper of the usual shape as our record, or None when anything in it is unusual."""
    if type(item) is not dict:
        return None
    paper_id = item.get("paperId")
    if type(paper_id) is not str or not paper_id:
        return None
    plain: dict[str, Any] = {}
    for name in _TEXT:
        value = item.get(name)
        if value is not None and type(value) is not str:
            return None
        plain[name] = value or None
    for name in _COUNTS:
        value = item.get(name)
        if value is not None and type(value) is not int and value != "":
            return None
        plain[name] = value if value != "" else None
    score = item.get("matchScore")
    if score is not None and type(score) is not float and score != "":
        return None
    plain["matchScore"] = score if score != "" else None
    ids = _plain_object(item, "externalIds", None)
    types = item.get("publicationTypes")
    if ids is ABSENT or not (types in (None, "") or _all_text(types)):
        return None
    authors = _plain_authors(item.get("authors"))
    tldr = _plain_object(item, "tldr", ("model", "text"))
    pdf = _plain_object(item, "openAccessPdf", ("url", "status", "license"))
    journal = _plain_object(item, "journal", ("name",))
    if authors is None or ABSENT in (tldr, pdf, journal):
        return None
    return _to_paper(
        paper_id,
        ids,
        authors,
        types or None,
        tldr,
        pdf,
        journal[0] if journal else None,
        **plain,
    )


def _all_text(values: Any) -> bool:
    return type(values) is list and all(type(v) is str for v in values)


def _plain_object(item: dict[str, Any], name: str, keys: tuple[str, ...] | None) -> Any:
    """An object's values for `keys` (each None or text, "" as None); the object itself when
    `keys` is None; None when it is missing; ABSENT when it is not of the usual shape."""
    value = item.get(name)
    if value is None or value == "":
        return None
    if type(value) is not dict:
        return ABSENT
    if keys is None:
        return value
    found = tuple(value.get(key) for key in keys)
    if not all(v is None or type(v) is str for v in found):
        return ABSENT
    return tuple(v or None for v in found)


def _plain_authors(authors: Any) -> list[tuple[str | None, str | None]] | None:
    """Each author's id and name; None when an author is not of the usual shape."""
    if authors is None or authors == "":
        return []
    if type(authors) is not list:
        return None
    read: list[tuple[str | None, str | None]] = []
    for author in authors:
        if type(author) is not dict:
            return None
        key, name = author.get("authorId"), author.get("name")
        if not (key is None or type(key) is str) or type(name) is not str or not name:
            return None
        read.append((key or None, name))
    return read


def decode_batch(payload: Any) -> list[S2Paper | None]:
    """The batch answer, read item by item: one bad record costs that record only."""
    return each_valid(_as_list(payload), read_paper, "s2 batch")


def decode_listing(payload: Any) -> list[S2Paper]:
    """The papers of a match or search answer, bad items skipped."""
    listing = _Listing.model_validate(payload)
    return [p for p in each_valid(listing.data, read_paper, "s2 listing") if p is not None]


def decode_match(payload: Any) -> S2Paper | None:
    papers = decode_listing(payload)
    return papers[0] if papers else None


def doi_id(doi: str) -> str:
    return f"DOI:{doi}"


def arxiv_id(arxiv: str) -> str:
    return f"ARXIV:{arxiv}"


def match_params(title: str) -> dict[str, str]:
    """Hyphenated terms match nothing in S2's title search: hyphens become spaces."""
    return {"query": " ".join(_HYPHENS.sub(" ", title).split()), "fields": FIELDS}


def search_params(title: str, year: int | None) -> dict[str, str | int]:
    """Candidates for a title, within a year of the listed one when the list gives a year."""
    params: dict[str, str | int] = {**match_params(title), "limit": SEARCH_LIMIT}
    if year is not None:
        params["year"] = f"{year - 1}-{year + 1}"
    return params


def chunks(items: list[ItemT], size: int = BATCH_LIMIT) -> list[list[ItemT]]:
    """Split a batch into request-sized pieces, order kept."""
    return [items[i : i + size] for i in range(0, len(items), size)]


@dataclass(frozen=True)
class BatchAnswer:
    """Per id: the paper, or None when S2 does not know it; ids missing from `papers` could
    not be asked (`error` says why)."""

    papers: dict[str, S2Paper | None]
    fetched_at: dict[str, float]
    error: SourceError | None = None
    stale: frozenset[str] = frozenset()  # ids answered from an expired entry (asking failed)


def paper_path(lookup: str) -> str:
    return f"/paper/{urllib.parse.quote(lookup, safe=':')}"


def fetch_batch(client: SourceClient, ids: list[str]) -> BatchAnswer:
    """Papers by id, in one POST for up to 500 ids. Each paper is cached on its own, as the
    answer to `GET /paper/{id}`, so a list edit asks only for the ids not asked before."""
    if len(ids) > BATCH_LIMIT:
        raise ValueError(f"at most {BATCH_LIMIT} ids per batch, got {len(ids)}")
    papers: dict[str, S2Paper | None] = {}
    fetched_at: dict[str, float] = {}
    stale: set[str] = set()
    missing = []
    item_params = {"fields": FIELDS}
    for lookup in dict.fromkeys(ids):
        try:
            cached = client.peek_json(
                "GET", paper_path(lookup), item_params, None, decode=read_paper
            )
        except NotFound:
            papers[lookup], fetched_at[lookup] = None, 0.0
            continue
        if cached is None:
            missing.append(lookup)
        else:
            papers[lookup], fetched_at[lookup] = cached.data, cached.fetched_at
            if cached.stale:
                stale.add(lookup)
    if not missing:
        return BatchAnswer(papers, fetched_at, stale=frozenset(stale))
    try:
        answer = client.post_json(
            BATCH_PATH,
            item_params,
            {"ids": missing},
            decode=_as_list,
            not_found=_never,
            store=False,
        )
    except SourceError as exc:  # what was asked before (expired) beats nothing
        for lookup in missing:
            try:
                old = client.peek_json(
                    "GET", paper_path(lookup), item_params, None, decode=read_paper, any_age=True
                )
            except NotFound:
                papers[lookup], fetched_at[lookup] = None, 0.0
                continue
            if old is not None:
                papers[lookup], fetched_at[lookup] = old.data, old.fetched_at
                stale.add(lookup)
        return BatchAnswer(papers, fetched_at, exc, frozenset(stale))
    if len(answer.data) != len(missing):
        wrong = f"batch answered {len(answer.data)} items for {len(missing)} ids"
        return BatchAnswer(
            papers, fetched_at, BadResponse(client.source.name, wrong), frozenset(stale)
        )
    read = decode_batch(answer.data)
    # An item naming another id of this batch is that paper's answer, in the wrong place (a
    # mixed-up or shifted batch), unless that id was answered with the same record: S2 merged
    # two versions (a conference paper and its journal DOI) into one. One naming an id not
    # asked here may be S2's other DOI for the same paper: the resolve step weighs it, and
    # flags the conflict.
    asked = {lookup.casefold(): lookup for lookup in missing}
    answered = {lookup.casefold(): paper for lookup, paper in zip(missing, read, strict=True)}
    problems: list[str] = []  # items not cached: asked again next time
    for lookup, item, paper in zip(missing, answer.data, read, strict=True):
        named = answered_id(lookup, paper)
        if paper is None and item is not None:
            problems.append(f"unreadable item for {lookup}")
        elif (
            named is not None
            and named != lookup.casefold()
            and named in asked
            and not _same_record(paper, answered[named])
        ):
            problems.append(f"{lookup} answered with the paper of {asked[named]}")
        else:
            papers[lookup], fetched_at[lookup] = paper, answer.fetched_at
            client.remember_json(
                "GET", paper_path(lookup), item_params, None, item, answer.fetched_at
            )
    if problems:
        bad = BadResponse(client.source.name, f"{'; '.join(problems)}: POST {BATCH_PATH}")
        return BatchAnswer(papers, fetched_at, bad, frozenset(stale))
    return BatchAnswer(papers, fetched_at, stale=frozenset(stale))


def _same_record(one: S2Paper | None, other: S2Paper | None) -> bool:
    return (
        one is not None
        and other is not None
        and bool(one.paperId)
        and (one.paperId == other.paperId)
    )


# The identifier kinds a lookup can name, and the externalIds key that holds each.
_LOOKUP_KINDS = {"DOI": "DOI", "ARXIV": "ArXiv"}


def answered_id(lookup: str, paper: S2Paper | None) -> str | None:
    """The lookup the answer names itself by, in the kind `lookup` asks by (`DOI:A` answered
    by a paper with DOI B names `DOI:B`), case-folded; None when it names none."""
    kind = lookup.partition(":")[0]
    key = _LOOKUP_KINDS.get(kind.upper())
    named = paper.external_id(key) if paper is not None and key is not None else None
    return f"{kind}:{named.strip()}".casefold() if named else None


def _as_list(payload: Any) -> list[Any]:
    if not isinstance(payload, list):
        raise ValueError(f"expected a list of papers, got {type(payload).__name__}")
    return payload


def fetch_match(client: SourceClient, title: str) -> Fetched[S2Paper | None]:
    """S2's single best title match (raises NotFound on its 404 'Title match not found')."""
    return client.get_json(MATCH_PATH, match_params(title), decode=decode_match)


def fetch_search(client: SourceClient, title: str, year: int | None) -> Fetched[list[S2Paper]]:
    """Up to SEARCH_LIMIT candidates from the relevance search (an empty list: none)."""
    return client.get_json(
        SEARCH_PATH, search_params(title, year), decode=decode_listing, not_found=_never
    )


def _never(_status: int, _payload: Any) -> bool:
    return False
