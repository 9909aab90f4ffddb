"""One source's answers in the cache: what a lookup finds, served as a `Fetched` (stale when it
stands in for a failed refresh), and what a new answer stores."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import orjson
from pydantic import ValidationError

from pipeline.errors import BadResponse, NotFound, SourceError, Unavailable
from pipeline.http.cache import NOT_FOUND, OK, CachedEntry, ResponseCache
from pipeline.http.freshness import CacheRules, Expired, Fresh, Lookup, Miss
from pipeline.http.request import Request
from pipeline.http.transport import NOT_FOUND_STATUS, OK_STATUS
from pipeline.models import SourceCounters

log = logging.getLogger(__name__)

T = TypeVar("T")
Decoder = Callable[[Any], T]


@dataclass(frozen=True)
class Fetched(Generic[T]):
    """A decoded answer and where it came from."""

    data: T
    fetched_at: float  # epoch seconds when the source produced it
    from_cache: bool
    stale: bool = False  # served from an expired entry: a re-fetch failed, or offline


@dataclass
class CachedAnswers:
    """The cache as one source's client uses it; counts hits and stale answers served."""

    cache: ResponseCache
    rules: CacheRules
    stats: SourceCounters
    now: Callable[[], float]

    def lookup(self, request: Request, ttl: float | None = None) -> Lookup:
        key = request.cache_key
        lookup = self.rules.judge(self.cache.load(key), self.now(), ttl)
        until = None
        if isinstance(lookup, Fresh) and not self.rules.refresh:
            until = self.rules.fresh_until(lookup.entry, ttl)
        self.cache.used[key] = until
        return lookup

    def serve(self, lookup: Lookup, request: Request, decode: Decoder[T]) -> Fetched[T] | None:
        """The stored answer when the rules let it be used without asking (None: ask). Raises
        NotFound for a stored 'does not exist'; an entry that no longer decodes is dropped."""
        if isinstance(lookup, Miss) or not self.rules.serves(lookup):
            return None
        if lookup.entry.kind == NOT_FOUND:
            self.stats.cache_hits += 1  # a cached "does not exist" is a hit too
        expired = isinstance(lookup, Expired)  # offline: the cache or nothing, of any age
        self.cache.unsettled = self.cache.unsettled or expired  # before a 'not found' raises
        served = self.read(lookup, request, decode, stale=expired)
        if served is None:
            self.cache.delete(request.cache_key)
        else:
            self.stats.cache_hits += 1
        return served

    def read(
        self, lookup: Lookup, request: Request, decode: Decoder[T], stale: bool
    ) -> Fetched[T] | None:
        """A stored entry decoded; None when there is none or it no longer decodes. Raises
        NotFound for a stored 'does not exist'."""
        if isinstance(lookup, Miss):
            return None
        entry = lookup.entry
        if entry.kind == NOT_FOUND:
            self.stats.not_found += 1
            raise NotFound(request.source, f"not found (cached): {request.described}")
        try:
            data = decode(load_json(entry.body) if request.as_json else entry.body)
        except (ValueError, ValidationError, BadResponse):
            return None
        return Fetched(data=data, fetched_at=entry.fetched_at, from_cache=True, stale=stale)

    def fall_back(
        self,
        lookup: Lookup,
        request: Request,
        decode: Decoder[T],
        reason: str,
        cause: SourceError | None = None,
    ) -> Fetched[T]:
        """Asking failed (or was not allowed): the stored answer, marked stale, when there is
        one; otherwise the failure (a BadResponse as itself, anything else as Unavailable)."""
        self.cache.unsettled = True
        stale = self.read(lookup, request, decode, stale=True)
        if stale is not None:
            self.stats.stale_served += 1
            log.warning("%s: %s; using the cached answer from before", request.source, reason)
            return stale
        if cause is None:
            raise Unavailable(request.source, reason)
        if isinstance(cause, BadResponse):
            raise cause
        raise Unavailable(request.source, cause.detail, cause.status) from cause

    def keep(
        self,
        request: Request,
        status: int,
        text: str,
        found: bool,
        at: float,
        ttl: float | None = None,
    ) -> None:
        """Store a new answer, or a 'does not exist', as fetched at `at`. The run asked a
        source, so it depends on more than the cache (`ResponseCache.used`)."""
        entry = CachedEntry(OK if found else NOT_FOUND, status, text, at)
        self.cache.used[request.cache_key] = None
        if self.cache.store(request.cache_key, entry):  # an older entry may still be there
            self.cache.stored_until[request.cache_key] = self.rules.fresh_until(entry, ttl)


def load_json(text: str) -> Any:
    """A stored JSON body: orjson (a warm run reads thousands), the standard library for what
    orjson refuses and it accepts (NaN, lone surrogate escapes)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def peek(
    answers: CachedAnswers, request: Request, decode: Decoder[T], ttl: float | None, any_age: bool
) -> Fetched[T] | None:
    """The stored answer the rules let be used (None: ask); with `any_age` also an expired
    one, marked stale. Raises NotFound for a stored 'does not exist'."""
    lookup = answers.lookup(request, ttl)
    served = answers.serve(lookup, request, decode)
    if served is not None or not any_age:
        return served
    stale = answers.read(lookup, request, decode, stale=True)
    if stale is not None:
        answers.stats.stale_served += 1
        answers.cache.unsettled = True
    return stale


def remember(answers: CachedAnswers, request: Request, payload: Any, fetched_at: float) -> None:
    """Store `payload` as the JSON answer to `request`; None stores a 'does not exist'."""
    if payload is None:
        answers.keep(request, NOT_FOUND_STATUS, "null", False, fetched_at)
    else:
        text = json.dumps(payload, sort_keys=True, ensure_ascii=False)
        answers.keep(request, OK_STATUS, text, True, fetched_at)
