"""One request end to end: the cache first; then the source, unless offline or the breaker is
open; the stored answer, marked stale, when asking fails."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from pydantic import ValidationError

from pipeline.errors import BadResponse, NotFound, SourceError, Unavailable
from pipeline.http.answers import CachedAnswers, Decoder, Fetched
from pipeline.http.breaker import CircuitBreaker
from pipeline.http.network import Network
from pipeline.http.request import Request
from pipeline.models import SourceCounters

T = TypeVar("T")
NotFoundRule = Callable[[int, Any], bool]  # (status, payload) -> the source says "no such thing"


@dataclass
class Exchange:
    """Asks one source for one request at a time, the cache standing in when it must."""

    answers: CachedAnswers
    breaker: CircuitBreaker
    network: Network
    stats: SourceCounters
    offline: bool  # never ask: the cache or nothing
    now: Callable[[], float]

    def fetch(
        self,
        request: Request,
        decode: Decoder[T],
        not_found: NotFoundRule,
        ttl: float | None,
        store: bool = True,
    ) -> Fetched[T]:
        lookup = self.answers.lookup(request, ttl)
        served = self.answers.serve(lookup, request, decode)
        if served is not None:
            return served
        if self.offline:
            self.stats.offline_misses += 1
            self.answers.cache.unsettled = True
            raise Unavailable(request.source, f"offline and not in the cache: {request.described}")
        if self.breaker.is_open:
            return self.answers.fall_back(lookup, request, decode, self.breaker.refusal())
        try:
            answer = self.network.ask(request)
            missing = not_found(answer.status, answer.payload)
            data = None if missing else self._decode(decode, answer.payload, request)
        except SourceError as exc:
            self.stats.failures += 1
            self.breaker.failed(exc, self.network.answered)
            return self.answers.fall_back(lookup, request, decode, exc.detail, exc)
        self.breaker.succeeded()
        now = self.now()
        if store:
            self.answers.keep(request, answer.status, answer.text, not missing, now, ttl)
        if missing:
            self.stats.not_found += 1
            raise NotFound(request.source, f"not found: {request.described}", answer.status)
        return Fetched(data=cast(T, data), fetched_at=now, from_cache=False)

    def _decode(self, decode: Decoder[T], payload: Any, request: Request) -> T:
        """A decoder's refusal is a BadResponse, the refusal chained as its cause."""
        try:
            return decode(payload)
        except ValidationError as exc:
            self.stats.bad_responses += 1
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "body"
            shape = f"unexpected response shape ({where}: {first['msg']}): {request.described}"
            raise BadResponse(request.source, shape) from exc
        except ValueError as exc:  # a text decoder's refusal
            self.stats.bad_responses += 1
            message = f"unexpected body ({exc}): {request.described}"
            raise BadResponse(request.source, message) from exc
