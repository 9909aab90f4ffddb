"""The one HTTP layer every source goes through: disk cache, polite pacing, retries, breaker.

A source module builds requests and decodes bodies; this module owns the transport: one
keep-alive session per source, a timeout on every request, a User-Agent with a contact address,
the on-disk cache of raw bodies, tenacity retries that honour Retry-After, a per-source
circuit breaker, offline and refresh modes, and counters for the report.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import logging
import shutil
import sqlite3
import time
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

import diskcache
import requests
from pydantic import ValidationError
from tenacity import RetryCallState, Retrying, retry_if_exception_type

from pipeline import __version__
from pipeline.config import Settings, SourceSettings
from pipeline.errors import (
    BadResponse,
    KeyRefused,
    NotFound,
    SourceError,
    Transient,
    Unavailable,
)
from pipeline.http.policy import SourcePolicy
from pipeline.models import SourceCounters

log = logging.getLogger(__name__)

T = TypeVar("T")
Decoder = Callable[[Any], T]
NotFoundRule = Callable[[int, Any], bool]

CACHE_FORMAT = 1  # bump when the stored entry layout (not the API models) changes


def user_agent(contact: str) -> str:
    return f"mlsys-bib/{__version__} (+{contact})"


@dataclass(frozen=True)
class Fetched(Generic[T]):
    """A decoded answer and where it came from."""

    data: T
    fetched_at: float  # epoch seconds when the source produced it
    from_cache: bool
    stale: bool = False  # served from an expired entry because a re-fetch failed


@dataclass(frozen=True)
class CachedEntry:
    kind: str  # "ok" or "not_found"
    status: int
    body: str
    fetched_at: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": CACHE_FORMAT,
            "kind": self.kind,
            "status": self.status,
            "body": self.body,
            "fetched_at": self.fetched_at,
        }

    @classmethod
    def from_dict(cls, raw: object) -> CachedEntry | None:
        """None for anything that is not an entry we wrote (damaged or from another format)."""
        if not isinstance(raw, dict) or raw.get("format") != CACHE_FORMAT:
            return None
        try:
            return cls(
                kind=str(raw["kind"]),
                status=int(raw["status"]),
                body=str(raw["body"]),
                fetched_at=float(raw["fetched_at"]),
            )
        except (KeyError, TypeError, ValueError):
            return None


class ResponseCache:
    """Raw response bodies on disk (diskcache), keyed on the normalised request."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.warnings: list[str] = []
        self._cache = self._open(directory)

    def _open(self, directory: Path) -> diskcache.Cache:
        try:
            cache = diskcache.Cache(str(directory))  # raises on a file that is not a database
            cache.get("__probe__")  # and on one whose tables are unreadable
            return cache
        except (sqlite3.DatabaseError, OSError) as exc:
            aside = directory.with_name(f"{directory.name}.corrupt-{int(time.time())}")
            shutil.move(str(directory), str(aside))
            message = f"cache {directory} is unreadable ({exc}); moved to {aside}, starting empty"
            log.warning(message)
            self.warnings.append(message)
            return diskcache.Cache(str(directory))

    def get(self, key: str) -> CachedEntry | None:
        try:
            raw = self._cache.get(key)
        except Exception as exc:  # a damaged row must not stop the run: treat as a miss
            log.warning("cache entry %s unreadable (%s); fetching again", key[:12], exc)
            return None
        if raw is None:
            return None
        entry = CachedEntry.from_dict(raw)
        if entry is None:
            log.warning("cache entry %s has an unknown layout; fetching again", key[:12])
            self.delete(key)
        return entry

    def set(self, key: str, entry: CachedEntry) -> None:
        """Store an answer; a cache that cannot be written costs re-fetching, not the run."""
        try:
            self._cache.set(key, entry.to_dict())
        except Exception as exc:
            log.warning("cache entry %s not written (%s)", key[:12], exc)

    def delete(self, key: str) -> None:
        self._cache.delete(key)

    def close(self) -> None:
        self._cache.close()


def cached_answers(directory: Path) -> int:
    """How many answers a cache folder holds (0 when there is none), without creating it."""
    if not (directory / "cache.db").is_file():
        return 0
    try:
        with diskcache.Cache(str(directory)) as cache:
            return len(cache)
    except (sqlite3.DatabaseError, OSError):
        return 0


# Parameters that say who asks, not what: a run with another contact address shares the cache.
_NOT_THE_QUESTION = frozenset({"mailto"})


def cache_key(method: str, target: str, params: Mapping[str, Any] | None, body: Any) -> str:
    """Stable key of a request: method, target, sorted params, canonical JSON body (never
    headers, so the API key cannot reach the cache; nor a contact address)."""
    asked = sorted((k, v) for k, v in (params or {}).items() if k not in _NOT_THE_QUESTION)
    query = urllib.parse.urlencode(asked, doseq=True)
    canonical = json.dumps(
        [method.upper(), target, query, body], sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - now)


def default_not_found(status: int, _body: Any) -> bool:
    return status == 404


_WALL_MARKERS = (
    "making sure you're not a bot",
    "making sure you&#39;re not a bot",
    "/.within.website/",
)


def is_bot_wall(text: str) -> bool:
    """An Anubis proof-of-work page (dblp.org since 2026-09: HTTP 500, or 200 from a mirror):
    a challenge for browsers, not an answer. Recognised by its title or its script path."""
    head = text[:20000].casefold()
    return head.lstrip()[:1] == "<" and any(marker in head for marker in _WALL_MARKERS)


@dataclass
class Clock:
    """Time as the client sees it; tests inject a fake one so nothing sleeps for real."""

    now: Callable[[], float] = time.time
    monotonic: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep


@dataclass(frozen=True)
class _Call:
    """One request as the retry loop repeats it."""

    method: str
    url: str
    params: Mapping[str, Any] | None
    body: Any
    described: str  # for messages: method, path and query, never headers
    as_json: bool
    accept: str | None = None  # an Accept header other than JSON (DBLP's BibTeX export)


class _CannotConnect(Transient):
    """No HTTP answer at all: DNS failure, connection refused, no route."""


class _RetryAfter(Transient):
    def __init__(self, source: str, message: str, retry_after: float | None, status: int) -> None:
        super().__init__(source, message)
        self.retry_after = retry_after
        self.status = status


class _BotWall(SourceError):
    """A bot-wall page instead of an answer: a pause, never a failure (not retried by tenacity:
    the wall loop waits far longer than a retry would)."""


class WallOutlasted(Unavailable):
    """The bot wall outlasted the run's budget: the source is not asked again this run."""


@dataclass
class SourceClient:
    """All HTTP to one source. `get_json`/`post_json` are the only ways in."""

    source: SourceSettings
    settings: Settings
    cache: ResponseCache
    clock: Clock = field(default_factory=Clock)
    session: requests.Session = field(default_factory=requests.Session)
    on_wait: Callable[[str], None] | None = None  # progress display hook
    stats: SourceCounters = field(default_factory=SourceCounters)
    policy: SourcePolicy = field(init=False)  # from the settings; slowed when asked to
    _last_request: float | None = None
    _consecutive_failures: int = 0
    _answered: bool = False  # the source has sent any HTTP response this run
    _planned_waits: dict[int, float] = field(default_factory=dict)
    _wall_pauses: int = 0  # pauses in a row on the bot wall now standing (0: none stands)

    def __post_init__(self) -> None:
        self.policy = SourcePolicy.of(self.settings, self.source)
        self.session.headers["User-Agent"] = user_agent(self.settings.contact)
        self.session.headers["Accept"] = "application/json"
        if self.source.api_key:
            self.session.headers["x-api-key"] = self.source.api_key

    # -- public ----------------------------------------------------------------------------
    def get_json(
        self,
        path: str,
        params: Mapping[str, Any] | None = None,
        *,
        decode: Decoder[T],
        not_found: NotFoundRule = default_not_found,
        ttl: float | None = None,
    ) -> Fetched[T]:
        return self._request("GET", path, params, None, decode, not_found, ttl)

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
        return self._request(
            "GET", path, params, None, decode, not_found, ttl, as_json=False, accept=accept
        )

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
        return self._request("POST", path, params, body, decode, not_found, ttl, store=store)

    @property
    def available(self) -> bool:
        return not self.stats.circuit_open

    # -- the request path ----------------------------------------------------------------
    def _request(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None,
        body: Any,
        decode: Decoder[T],
        not_found: NotFoundRule,
        ttl: float | None,
        as_json: bool = True,
        accept: str | None = None,
        store: bool = True,
    ) -> Fetched[T]:
        url = self.source.base_url + path
        key = self._key(method, path, params, body)
        described = self._describe(method, path, params)
        result, cached = self._from_cache(key, decode, described, ttl, as_json)
        if result is not None:
            return result
        if self.settings.offline:
            self.stats.offline_misses += 1
            raise Unavailable(self.source.name, f"offline and not in the cache: {described}")
        if self.stats.circuit_open:
            reason = (
                "bot wall outlasted the run's wall budget"
                if self.stats.wall_outlasted
                else "circuit open after repeated failures"
            )
            return self._fallback(cached, decode, described, reason, None, as_json)
        try:
            call = _Call(method, url, params, body, described, as_json, accept)
            status, text, payload = self._fetch_through_walls(call)
            is_missing = not_found(status, payload)
            data = None if is_missing else self._decode(decode, payload, described)
        except SourceError as exc:
            self._record_failure(exc)
            return self._fallback(cached, decode, described, exc.detail, exc, as_json)
        self._consecutive_failures = 0
        now = self.clock.now()
        if is_missing:
            self.stats.not_found += 1
            if store:
                self.cache.set(key, CachedEntry("not_found", status, text, now))
            raise NotFound(self.source.name, f"not found: {described}")
        if store:
            self.cache.set(key, CachedEntry("ok", status, text, now))
        return Fetched(data=cast(T, data), fetched_at=now, from_cache=False)

    def _key(self, method: str, path: str, params: Mapping[str, Any] | None, body: Any) -> str:
        # Keyed on the source's name, not its base URL: a DBLP mirror shares the cache.
        return cache_key(method, f"{self.source.name}:{path}", params, body)

    def _from_cache(
        self, key: str, decode: Decoder[T], described: str, ttl: float | None, as_json: bool
    ) -> tuple[Fetched[T] | None, CachedEntry | None]:
        """A usable cached answer (fresh, or any when offline); otherwise the expired entry,
        kept to fall back on if the re-fetch fails. Raises NotFound for a cached miss."""
        cached = self.cache.get(key)
        if cached is None:
            return None, None
        lifetime = (self.source.ttl if ttl is None else ttl) if cached.kind == "ok" else None
        lifetime = self.source.not_found_ttl if lifetime is None else lifetime
        is_fresh = self.clock.now() - cached.fetched_at < lifetime
        if self.settings.offline or (is_fresh and not self.settings.refresh):
            if cached.kind == "not_found":
                self.stats.cache_hits += 1  # a cached "does not exist" is a hit too
            result = self._from_entry(cached, decode, described, not is_fresh, as_json)
            if result is not None:
                self.stats.cache_hits += 1
                return result, cached
            self.cache.delete(key)
            return None, None
        return None, cached

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
        key = self._key(method, path, params, body)
        described = self._describe(method, path, params)
        fresh, expired = self._from_cache(key, decode, described, ttl, True)
        if fresh is not None or not any_age or expired is None:
            return fresh
        stale = self._from_entry(expired, decode, described, True)
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
        key = self._key(method, path, params, body)
        if payload is None:
            self.cache.set(key, CachedEntry("not_found", 404, "null", fetched_at))
        else:
            text = json.dumps(payload, sort_keys=True, ensure_ascii=False)
            self.cache.set(key, CachedEntry("ok", 200, text, fetched_at))

    def _fetch_through_walls(self, call: _Call) -> tuple[int, str, Any]:
        """Ask, and while a bot wall stands, pause this source (only) with growing waits."""
        while True:
            try:
                answer = self._fetch_with_retries(call)
            except _BotWall as exc:
                self._pause_for_wall(exc)
                continue
            if self._wall_pauses:
                log.warning(
                    "%s: the bot wall lifted after %.0f s of pauses",
                    self.source.name,
                    self.stats.wall_waited,
                )
            self._wall_pauses = 0
            return answer

    def _pause_for_wall(self, exc: _BotWall) -> None:
        policy, stats = self.policy, self.stats
        if stats.wall_began is None:
            stats.wall_began = self.clock.now()
        stats.walls += 1
        self.policy = policy.after_wall()
        wait = policy.wall_wait(self._wall_pauses, stats.wall_waited)
        if wait is None:
            self.stats.wall_outlasted = True
            self.stats.circuit_open = True
            log.warning(
                "%s: bot wall still up after %.0f s of pauses (budget %.0f s); "
                "not asking it again this run, keeping what we had",
                self.source.name,
                stats.wall_waited,
                policy.wall_budget,
            )
            raise WallOutlasted(self.source.name, f"bot wall outlasted the budget: {exc.detail}")
        began = time.strftime("%H:%M:%S", time.localtime(stats.wall_began))
        message = (
            f"{self.source.name}: bot wall since {began}; pausing {wait:.0f} s "
            f"({stats.wall_waited / 60:.1f} of {policy.wall_budget / 60:.0f} min used)"
        )
        log.info(message)
        if self.on_wait is not None:
            self.on_wait(message)
        self.clock.sleep(wait)
        stats.wall_waited += wait
        self._wall_pauses += 1

    def _fetch_with_retries(self, call: _Call) -> tuple[int, str, Any]:
        self._planned_waits = {}
        retrying = Retrying(
            retry=retry_if_exception_type(Transient),
            stop=self._should_stop,
            wait=self._wait,
            sleep=self._sleep_and_tell,
            before_sleep=self._count_retry,
            reraise=True,
        )
        for attempt in retrying:
            with attempt:
                return self._fetch_once(call)
        raise Transient(self.source.name, f"gave up: {call.described}")  # pragma: no cover

    def _fetch_once(self, call: _Call) -> tuple[int, str, Any]:
        """One attempt: status, body text and parsed payload, or the exception to retry on."""
        method, url, described = call.method, call.url, call.described
        self._pace()
        self.stats.requests += 1
        try:
            response = self.session.request(
                method,
                url,
                params=call.params,
                json=call.body,
                timeout=self.settings.timeout,
                headers={"Accept": call.accept} if call.accept else None,
            )
        except requests.Timeout as exc:
            raise Transient(self.source.name, f"timed out: {described}") from exc
        except requests.ConnectionError as exc:
            raise _CannotConnect(
                self.source.name, f"cannot connect to {self.source.base_url}: {described}"
            ) from exc
        except requests.RequestException as exc:
            raise BadResponse(self.source.name, f"request failed: {described}") from exc
        finally:
            self._last_request = self.clock.monotonic()
        self._answered = True
        status = response.status_code
        text = response.text
        if is_bot_wall(text):
            raise _BotWall(self.source.name, f"HTTP {status} with a bot-wall page: {described}")
        if status == 429:
            self.stats.rate_limited += 1
            self.policy = self.policy.after_rate_limit()
            wait = parse_retry_after(response.headers.get("Retry-After"), self.clock.now())
            raise _RetryAfter(
                self.source.name, f"HTTP 429 (rate limited): {described}", wait, status
            )
        if status >= 500:
            wait = parse_retry_after(response.headers.get("Retry-After"), self.clock.now())
            raise _RetryAfter(self.source.name, f"HTTP {status}: {described}", wait, status)
        if status in (401, 403) and self.source.api_key:
            raise KeyRefused(
                f"{self.source.name}: the API key was refused (HTTP {status}) for {described}; "
                f"check the key in the environment (S2_API_KEY), or unset it to use the "
                f"shared pool"
            )
        if not call.as_json:
            if status >= 400 and status != 404:
                raise BadResponse(self.source.name, f"HTTP {status}: {described}")
            return status, text, text
        try:
            payload = json.loads(text)
        except ValueError as exc:
            self.stats.bad_responses += 1
            kind = "HTML" if text.lstrip()[:1] == "<" else "malformed JSON"
            raise BadResponse(
                self.source.name, f"HTTP {status} with {kind} where JSON was expected: {described}"
            ) from exc
        if status >= 400 and status != 404:
            message = None
            if isinstance(payload, dict):
                message = payload.get("error") or payload.get("message")
            raise BadResponse(
                self.source.name, f"HTTP {status} ({message or 'error'}): {described}"
            )
        return status, text, payload

    # -- tenacity hooks ------------------------------------------------------------------
    def _planned_wait(self, state: RetryCallState) -> float:
        """Retry-After when the server gave one, else exponential back-off with full jitter."""
        if state.attempt_number not in self._planned_waits:
            exc = state.outcome.exception() if state.outcome else None
            hinted = getattr(exc, "retry_after", None)
            wait = self.policy.retry_wait(
                state.attempt_number, None if hinted is None else float(hinted)
            )
            self._planned_waits[state.attempt_number] = wait
        return self._planned_waits[state.attempt_number]

    def _should_stop(self, state: RetryCallState) -> bool:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, _CannotConnect) and not self._answered and state.attempt_number >= 2:
            return True  # never reached this run: likely no network, do not wait minutes
        return self.policy.gives_up(state.attempt_number, state.idle_for, self._planned_wait(state))

    def _wait(self, state: RetryCallState) -> float:
        return self._planned_wait(state)

    def _count_retry(self, state: RetryCallState) -> None:
        self.stats.retries += 1

    def _sleep_and_tell(self, seconds: float) -> None:
        reason = "asked us to slow down" if self.stats.rate_limited else "is failing, backing off"
        message = f"waiting {seconds:.0f} s: {self.source.name} {reason}"
        log.debug(message)
        if self.on_wait is not None:
            self.on_wait(message)
        self.clock.sleep(seconds)

    # -- helpers -------------------------------------------------------------------------
    def _pace(self) -> None:
        """Keep at least `min_interval` seconds between two requests to this source."""
        if self._last_request is None:
            return
        due = self._last_request + self.policy.min_interval - self.clock.monotonic()
        if due > 0:
            self.clock.sleep(due)

    def _record_failure(self, exc: SourceError) -> None:
        self.stats.failures += 1
        if not isinstance(exc, Transient) or (isinstance(exc, _RetryAfter) and exc.status == 429):
            # "Slow down" is not "broken", nor is a refused request (a 4xx, an error feed) or a
            # garbled answer: only unreachable hosts, timeouts and 5xx open the breaker.
            return
        self._consecutive_failures += 1
        if isinstance(exc, _CannotConnect) and not self._answered:
            self.stats.unreachable = True
            self.stats.circuit_open = True
            log.warning(
                "%s cannot be reached (%s); not trying again this run", self.source.name, exc
            )
        if self._consecutive_failures >= self.policy.breaker_threshold:
            if not self.stats.circuit_open:
                log.warning(
                    "%s: %d requests in a row failed; not asking it again this run",
                    self.source.name,
                    self._consecutive_failures,
                )
            self.stats.circuit_open = True

    def _fallback(
        self,
        cached: CachedEntry | None,
        decode: Decoder[T],
        described: str,
        reason: str,
        cause: SourceError | None = None,
        as_json: bool = True,
    ) -> Fetched[T]:
        """A failed re-fetch serves the old entry when there is one; otherwise it raises."""
        if cached is not None:
            result = self._from_entry(cached, decode, described, True, as_json)
            if result is not None:
                self.stats.stale_served += 1
                log.warning("%s: %s; using the cached answer from before", self.source.name, reason)
                return result
        if isinstance(cause, BadResponse):
            raise cause
        raise Unavailable(self.source.name, reason if cause is None else cause.detail) from cause

    def _from_entry(
        self,
        entry: CachedEntry,
        decode: Decoder[T],
        described: str,
        stale: bool,
        as_json: bool = True,
    ) -> Fetched[T] | None:
        if entry.kind == "not_found":
            self.stats.not_found += 1
            raise NotFound(self.source.name, f"not found (cached): {described}")
        try:
            data = decode(json.loads(entry.body) if as_json else entry.body)
        except (ValueError, ValidationError, BadResponse):
            return None
        return Fetched(data=data, fetched_at=entry.fetched_at, from_cache=True, stale=stale)

    def _decode(self, decode: Decoder[T], payload: Any, described: str) -> T:
        try:
            return decode(payload)
        except ValidationError as exc:
            self.stats.bad_responses += 1
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "body"
            raise BadResponse(
                self.source.name,
                f"unexpected response shape ({where}: {first['msg']}): {described}",
            ) from exc
        except ValueError as exc:  # a text decoder's refusal
            self.stats.bad_responses += 1
            raise BadResponse(self.source.name, f"unexpected body ({exc}): {described}") from exc

    def _describe(self, method: str, path: str, params: Mapping[str, Any] | None) -> str:
        """A request as shown in messages: never headers, so the API key cannot leak."""
        query = urllib.parse.urlencode(sorted((params or {}).items()), doseq=True)
        return f"{method} {path}" + (f"?{query}" if query else "")


def counters_of(client: SourceClient) -> SourceCounters:
    """A copy of the client's counters for the stage file and the report."""
    return client.stats.model_copy()
