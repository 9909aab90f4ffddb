"""The client of one source: the public surface, composing the cache and its freshness rules,
the circuit breaker and the network (transport, pacer, retries, bot-wall gate).

A source module builds requests and decodes bodies; every request of every source comes here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import requests

from pipeline.config import Settings, SourceSettings
from pipeline.http.answers import CachedAnswers, Decoder, Fetched, peek, remember
from pipeline.http.breaker import CircuitBreaker
from pipeline.http.cache import ResponseCache
from pipeline.http.clock import Clock
from pipeline.http.exchange import Exchange, NotFoundRule
from pipeline.http.freshness import CacheRules
from pipeline.http.network import Network
from pipeline.http.policy import SourcePolicy
from pipeline.http.request import Request
from pipeline.http.transport import NOT_FOUND_STATUS, Transport
from pipeline.models import SourceCounters

T = TypeVar("T")


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
        source, settings, stats, now = self.source, self.settings, self.stats, self.clock.now
        policy = SourcePolicy.of(settings, source)
        self._answers = CachedAnswers(self.cache, CacheRules.of(settings, source), stats, now)
        transport = Transport(
            source, settings.timeout, settings.contact, stats, self.session, now=now
        )
        self._network = Network(transport, policy, self.clock, stats, self._tell)
        breaker = CircuitBreaker(source.name, policy.breaker_threshold, stats)
        self._exchange = Exchange(
            self._answers, breaker, self._network, stats, settings.offline, now
        )

    @property
    def policy(self) -> SourcePolicy:
        """The source's policy now (slowed after 429s and bot walls)."""
        return self._network.policy

    @property
    def available(self) -> bool:
        return not self._exchange.breaker.is_open

    def request(
        self, method: str, path: str, params: Mapping[str, Any] | None = None, body: Any = None
    ) -> Request:
        """The request value this client asks and caches under (see `Request.cache_key`)."""
        return Request(self.source.name, method, path, params, body)

    def _tell(self, message: str) -> None:
        if self.on_wait is not None:
            self.on_wait(message)

    def get_json(
        self,
        path: str,
        params: Mapping[str, Any] | None = None,
        *,
        decode: Decoder[T],
        not_found: NotFoundRule = default_not_found,
        ttl: float | None = None,
    ) -> Fetched[T]:
        return self._exchange.fetch(self.request("GET", path, params), decode, not_found, ttl)

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
        return self._exchange.fetch(request, decode, not_found, ttl)

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
        request = self.request("POST", path, params, body)
        return self._exchange.fetch(request, decode, not_found, ttl, store)

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
        return peek(self._answers, self.request(method, path, params, body), decode, ttl, any_age)

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
        remember(self._answers, self.request(method, path, params, body), payload, fetched_at)


def counters_of(client: SourceClient) -> SourceCounters:
    """A copy of the client's counters for the stage file and the report."""
    return client.stats.model_copy()
