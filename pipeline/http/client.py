"""The client of one source: a thin composition of the cache, its freshness rules, the
circuit breaker and the network (transport, pacer, retries, bot-wall gate).

A source module builds requests and decodes bodies; every request of every source comes here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

import requests
from pydantic import ValidationError

from pipeline.config import Settings, SourceSettings
from pipeline.errors import BadResponse, NotFound, SourceError, Unavailable
from pipeline.http.answers import CachedAnswers, Decoder, Fetched
from pipeline.http.breaker import CircuitBreaker
from pipeline.http.cache import ResponseCache
from pipeline.http.clock import Clock
from pipeline.http.freshness import CacheRules
from pipeline.http.network import Network
from pipeline.http.policy import SourcePolicy
from pipeline.http.request import Request
from pipeline.http.transport import NOT_FOUND_STATUS, Transport
from pipeline.models import SourceCounters

T = TypeVar("T")
NotFoundRule = Callable[[int, Any], bool]


def default_not_found(status: int, _body: Any) -> bool:
    return status == NOT_FOUND_STATUS


@dataclass
class SourceClient:
    """All HTTP to one source: `get_json`, `get_text` and `post_json` ask (through the cache),
    `peek_json` and `remember_json` read and write the cache alone."""

    source: SourceSettings
    settings: Settings
    cache: ResponseCache
    clock: Clock = field(default_factory=Clock)
    session: requests.Session = field(default_factory=requests.Session)
    on_wait: Callable[[str], None] | None = None  # progress display hook
    stats: SourceCounters = field(default_factory=SourceCounters)

    def __post_init__(self) -> None:
        rules = CacheRules.of(self.settings, self.source)
        self._answers = CachedAnswers(self.cache, rules, self.stats, self.clock.now)
        policy = SourcePolicy.of(self.settings, self.source)
        self._breaker = CircuitBreaker(self.source.name, policy.breaker_threshold, self.stats)
        transport = Transport(
            self.source,
            self.settings.timeout,
            self.settings.contact,
            self.stats,
            self.session,
            now=self.clock.now,
        )
        self._network = Network(transport, policy, self.clock, self.stats, self._tell)

    @property
    def policy(self) -> SourcePolicy:
        """The source's policy now (slowed after 429s and bot walls)."""
        return self._network.policy

    @property
    def available(self) -> bool:
        return not self._breaker.is_open

    def request(
        self, method: str, path: str, params: Mapping[str, Any] | None = None, body: Any = None
    ) -> Request:
        """The request value this client asks and caches under (see `Request.cache_key`)."""
        return Request(self.source.name, method, path, params, body)

    # -- asking ------------------------------------------------------------------------------
    def get_json(
        self,
        path: str,
        params: Mapping[str, Any] | None = None,
        *,
        decode: Decoder[T],
        not_found: NotFoundRule = default_not_found,
        ttl: float | None = None,
    ) -> Fetched[T]:
        return self._fetch(self.request("GET", path, params), decode, not_found, ttl)

    def get_text(
        self,
        path: str,
        params: Mapping[str, Any] | None = None,
        *,
        decode: Decoder[T],
        not_found: NotFoundRule = default_not_found,
        ttl: float | None = None,
        accept: str = "text/plain",
    ) -> Fetched[T]:
        """A non-JSON body (DBLP's BibTeX export, arXiv's Atom); `decode` gets the text and must
        reject anything that is not what was asked for (raise ValueError)."""
        request = Request(self.source.name, "GET", path, params, accept=accept, as_json=False)
        return self._fetch(request, decode, not_found, ttl)

    def post_json(
        self,
        path: str,
        params: Mapping[str, Any] | None,
        body: Any,
        *,
        decode: Decoder[T],
        not_found: NotFoundRule = default_not_found,
        ttl: float | None = None,
        store: bool = True,
    ) -> Fetched[T]:
        """`store=False`: the caller caches the answer its own way (per item of a batch)."""
        return self._fetch(self.request("POST", path, params, body), decode, not_found, ttl, store)

    def _fetch(
        self,
        request: Request,
        decode: Decoder[T],
        not_found: NotFoundRule,
        ttl: float | None,
        store: bool = True,
    ) -> Fetched[T]:
        """The cache first; then the source, unless offline or the breaker is open; a stale
        answer from the cache when asking fails."""
        lookup = self._answers.lookup(request, ttl)
        served = self._answers.serve(lookup, request, decode)
        if served is not None:
            return served
        if self.settings.offline:
            self.stats.offline_misses += 1
            raise Unavailable(
                self.source.name, f"offline and not in the cache: {request.described}"
            )
        if self._breaker.is_open:
            return self._answers.fall_back(lookup, request, decode, self._breaker.refusal())
        try:
            answer = self._network.ask(request)
            missing = not_found(answer.status, answer.payload)
            data = None if missing else self._decode(decode, answer.payload, request)
        except SourceError as exc:
            self.stats.failures += 1
            self._breaker.failed(exc, self._network.answered)
            return self._answers.fall_back(lookup, request, decode, exc.detail, exc)
        self._breaker.succeeded()
        now = self.clock.now()
        if store:
            self._answers.keep(request, answer.status, answer.text, not missing, now)
        if missing:
            self.stats.not_found += 1
            raise NotFound(self.source.name, f"not found: {request.described}", answer.status)
        return Fetched(data=cast(T, data), fetched_at=now, from_cache=False)

    def _decode(self, decode: Decoder[T], payload: Any, request: Request) -> T:
        """A decoder's refusal is a BadResponse, the refusal chained as its cause."""
        name, described = self.source.name, request.described
        try:
            return decode(payload)
        except ValidationError as exc:
            self.stats.bad_responses += 1
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "body"
            shape = f"unexpected response shape ({where}: {first['msg']}): {described}"
            raise BadResponse(name, shape) from exc
        except ValueError as exc:  # a text decoder's refusal
            self.stats.bad_responses += 1
            raise BadResponse(name, f"unexpected body ({exc}): {described}") from exc

    def _tell(self, message: str) -> None:
        if self.on_wait is not None:
            self.on_wait(message)

    # -- the cache alone -----------------------------------------------------------------
    def peek_json(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None,
        body: Any,
        *,
        decode: Decoder[T],
        ttl: float | None = None,
        any_age: bool = False,
    ) -> Fetched[T] | None:
        """The cached answer to a request, if usable, without asking the source (None: ask).
        `any_age` also returns an expired answer (marked stale): the fallback when asking
        failed. Raises NotFound for a cached 'does not exist'."""
        request = self.request(method, path, params, body)
        lookup = self._answers.lookup(request, ttl)
        served = self._answers.serve(lookup, request, decode)
        if served is not None or not any_age:
            return served
        stale = self._answers.read(lookup, request, decode, stale=True)
        if stale is not None:
            self.stats.stale_served += 1
        return stale

    def remember_json(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None,
        body: Any,
        payload: Any,
        fetched_at: float,
    ) -> None:
        """Store `payload` as the answer to a request that was answered another way (one item
        of a batch call); None stores a 'does not exist'."""
        request = self.request(method, path, params, body)
        if payload is None:
            self._answers.keep(request, NOT_FOUND_STATUS, "null", False, fetched_at)
        else:
            text = json.dumps(payload, sort_keys=True, ensure_ascii=False)
            self._answers.keep(request, 200, text, True, fetched_at)


def counters_of(client: SourceClient) -> SourceCounters:
    """A copy of the client's counters for the stage file and the report."""
    return client.stats.model_copy()
