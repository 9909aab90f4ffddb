"""The shared HTTP layer, against `responses` scripts; nothing sleeps for real."""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
import requests
import responses
import urllib3
from pydantic import BaseModel
from responses.registries import OrderedRegistry
from urllib3.exceptions import ProtocolError

from fakeapi import FakeApi, Reply
from pipeline.config import Settings, SourceSettings
from pipeline.errors import (
    BadResponse,
    CannotConnect,
    KeyRefused,
    NotFound,
    RateLimited,
    RetryLater,
    SourceError,
    Transient,
    Unavailable,
)
from pipeline.http import (
    CachedEntry,
    CacheRules,
    Clock,
    Expired,
    Fresh,
    Miss,
    Request,
    ResponseCache,
    SourceClient,
    is_bot_wall,
    parse_retry_after,
)
from pipeline.http.answers import load_json
from pipeline.http.breaker import CircuitBreaker
from pipeline.http.pacer import Pacer
from pipeline.models import SourceCounters

BASE = "https://api.example.test/graph/v1"
URL = BASE + "/paper/search/match"
SECRET = "sk-test-THIS-MUST-NOT-LEAK-123"
DBLP_429_HTML = (Path(__file__).parent / "fixtures" / "dblp" / "429.html").read_text()


class Match(BaseModel):
    data: list[dict[str, Any]]


@dataclass
class FakeClock:
    """Epoch and monotonic time that only move when the code under test sleeps."""

    t: float = 1_700_000_000.0
    sleeps: list[float] = field(default_factory=list)

    def now(self) -> float:
        return self.t

    def monotonic(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += seconds

    def as_clock(self) -> Clock:
        return Clock(now=self.now, monotonic=self.monotonic, sleep=self.sleep)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def mock() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(registry=OrderedRegistry, assert_all_requests_are_fired=True) as m:
        yield m


SOURCE = SourceSettings(
    name="s2", base_url=BASE, ttl=86400, not_found_ttl=3600, min_interval=0, api_key=SECRET
)


def client_of(
    tmp_path: Path,
    name: str,
    base_url: str,
    clock: FakeClock | None = None,
    max_attempts: int = 3,
    **source_changes: Any,
) -> SourceClient:
    """A client of one source (dblp, s2, arxiv, crossref) aimed at `base_url`, with a private
    cache and a fake clock."""
    settings = Settings()
    source = replace(getattr(settings, name), base_url=base_url, **source_changes)
    settings = replace(
        settings, cache_dir=tmp_path / "cache", max_attempts=max_attempts, **{name: source}
    )
    return SourceClient(
        source=source,
        settings=settings,
        cache=ResponseCache(settings.cache_dir),
        clock=(clock or FakeClock()).as_clock(),
    )


def make_client(tmp_path: Path, clock: FakeClock, **changes: Any) -> SourceClient:
    source = replace(SOURCE, **changes.pop("source", {}))
    settings = replace(Settings(), cache_dir=tmp_path / "cache", s2=source, **changes)
    return SourceClient(
        source=source,
        settings=settings,
        cache=ResponseCache(settings.cache_dir),
        clock=clock.as_clock(),
    )


def match(client: SourceClient, title: str = "Ray") -> Any:
    return client.get_json(
        "/paper/search/match", {"query": title, "fields": "title"}, decode=Match.model_validate
    )


OK_BODY = {"data": [{"paperId": "abc", "title": "Ray", "matchScore": 109.5}]}


def test_cache_miss_then_hit_then_expiry(tmp_path: Path, clock: FakeClock, mock: Any) -> None:
    mock.get(URL, json=OK_BODY)
    mock.get(URL, json={"data": [{"paperId": "abc", "title": "Ray v2"}]})
    client = make_client(tmp_path, clock)
    first = match(client)
    assert not first.from_cache and first.data.data[0]["paperId"] == "abc"
    second = match(client)
    assert second.from_cache and second.fetched_at == first.fetched_at
    assert (client.stats.requests, client.stats.cache_hits) == (1, 1)
    clock.t += SOURCE.ttl + 1
    third = match(client)
    assert not third.from_cache and third.data.data[0]["title"] == "Ray v2"
    assert client.stats.requests == 2


def test_cache_survives_a_new_client_and_ignores_param_order(
    tmp_path: Path, clock: FakeClock, mock: Any
) -> None:
    mock.get(URL, json=OK_BODY)
    match(make_client(tmp_path, clock))
    again = make_client(tmp_path, clock).get_json(
        "/paper/search/match", {"fields": "title", "query": "Ray"}, decode=Match.model_validate
    )
    assert again.from_cache
    ordered = Request("s2", "GET", "/x", {"a": 1, "b": 2}).cache_key
    assert ordered == Request("s2", "GET", "/x", {"b": 2, "a": 1}).cache_key
    assert ordered != Request("s2", "POST", "/x", {"a": 1, "b": 2}).cache_key
    assert ordered != Request("dblp", "GET", "/x", {"a": 1, "b": 2}).cache_key


def test_not_found_is_cached_for_its_own_ttl(tmp_path: Path, clock: FakeClock, mock: Any) -> None:
    mock.get(URL, status=404, json={"error": "Title match not found"})
    mock.get(URL, json=OK_BODY)
    client = make_client(tmp_path, clock)
    for _ in range(2):
        with pytest.raises(NotFound):
            match(client)
    assert client.stats.requests == 1
    clock.t += SOURCE.not_found_ttl + 1
    assert match(client).data.data[0]["paperId"] == "abc"


def test_retry_after_in_seconds_is_honoured(tmp_path: Path, clock: FakeClock, mock: Any) -> None:
    mock.get(URL, status=429, headers={"Retry-After": "7"}, body=DBLP_429_HTML)
    mock.get(URL, json=OK_BODY)
    client = make_client(tmp_path, clock)
    assert match(client).data.data[0]["paperId"] == "abc"
    assert len(clock.sleeps) == 1 and 7 <= clock.sleeps[0] <= 7.5
    assert (client.stats.rate_limited, client.stats.retries, client.stats.requests) == (1, 1, 2)


def test_retry_after_as_http_date(tmp_path: Path, clock: FakeClock, mock: Any) -> None:
    when = email.utils.formatdate(clock.t + 20, usegmt=True)
    mock.get(URL, status=429, headers={"Retry-After": when}, body=DBLP_429_HTML)
    mock.get(URL, json=OK_BODY)
    match(make_client(tmp_path, clock))
    assert 20 <= clock.sleeps[0] <= 20.5
    assert parse_retry_after("not a date", clock.t) is None
    assert parse_retry_after(None, clock.t) is None


def test_s2_429_without_header_backs_off(tmp_path: Path, clock: FakeClock, mock: Any) -> None:
    for _ in range(2):
        mock.get(URL, status=429, json={"message": "Too Many Requests"})
    mock.get(URL, json=OK_BODY)
    client = make_client(tmp_path, clock)
    match(client)
    assert len(clock.sleeps) == 2
    assert 1 <= clock.sleeps[0] <= 2 and 2 <= clock.sleeps[1] <= 4  # exponential, jittered
    assert client.stats.rate_limited == 2


def test_5xx_then_success(tmp_path: Path, clock: FakeClock, mock: Any) -> None:
    mock.get(URL, status=502, body="Bad Gateway")
    mock.get(URL, status=503, body="")
    mock.get(URL, json=OK_BODY)
    client = make_client(tmp_path, clock)
    assert match(client).data.data[0]["paperId"] == "abc"
    assert client.stats.retries == 2 and client.stats.failures == 0


def test_timeouts_and_connection_errors_are_retried(
    tmp_path: Path, clock: FakeClock, mock: Any
) -> None:
    mock.get(URL, body=requests.Timeout("read timed out"))
    mock.get(URL, body=requests.Timeout("read timed out"))
    mock.get(URL, json=OK_BODY)
    mock.get(URL, body=requests.ConnectionError("reset"))
    mock.get(URL, body=requests.ConnectionError("reset"))
    mock.get(URL, json=OK_BODY)
    client = make_client(tmp_path, clock)
    assert match(client, "a").data.data[0]["paperId"] == "abc"
    # Once the source has answered, a connection error is a glitch worth the full retries.
    assert match(client, "b").data.data[0]["paperId"] == "abc"
    assert client.stats.retries == 4 and not client.stats.unreachable


def test_a_source_that_never_answers_is_given_up_fast(
    tmp_path: Path, clock: FakeClock, mock: Any
) -> None:
    mock.get(URL, body=requests.ConnectionError("Name or service not known"))
    mock.get(URL, body=requests.ConnectionError("Name or service not known"))
    client = make_client(tmp_path, clock, max_attempts=5, breaker_threshold=5)
    with pytest.raises(Unavailable, match="cannot connect to https://api.example.test") as caught:
        match(client)
    assert not str(caught.value).startswith("s2: s2:")
    assert client.stats.unreachable and client.stats.circuit_open
    assert client.stats.requests == 2 and sum(clock.sleeps) < 5
    with pytest.raises(Unavailable, match="circuit open"):
        match(client, "other")
    assert client.stats.requests == 2


def test_a_connection_dropped_midway_is_retried_and_never_means_unreachable(
    tmp_path: Path, clock: FakeClock, mock: Any
) -> None:
    """A reset, or a body cut short, happens after the host was reached: a glitch worth the
    retries, never "cannot connect", even on the run's first request."""
    reset = ConnectionResetError(104, "Connection reset by peer")
    mock.get(URL, body=requests.ConnectionError(ProtocolError("Connection aborted.", reset)))
    cut = ProtocolError("Connection broken: IncompleteRead(12 bytes read, 988 more expected)")
    mock.get(URL, body=requests.exceptions.ChunkedEncodingError(cut))
    mock.get(URL, json=OK_BODY)
    client = make_client(tmp_path, clock, max_attempts=3, breaker_threshold=5)
    assert match(client).data.data[0]["paperId"] == "abc"
    assert client.stats.retries == 2 and client.stats.failures == 0
    assert not client.stats.unreachable and not client.stats.circuit_open


def test_a_connection_dropped_every_time_is_said_as_such(
    tmp_path: Path, clock: FakeClock, mock: Any
) -> None:
    cut = ProtocolError("Connection broken: IncompleteRead(12 bytes read, 988 more expected)")
    for _ in range(3):
        mock.get(URL, body=requests.exceptions.ChunkedEncodingError(cut))
    client = make_client(tmp_path, clock, max_attempts=3, breaker_threshold=5)
    with pytest.raises(Unavailable, match="connection dropped before a whole answer: GET /paper"):
        match(client)
    assert client.stats.requests == 3 and not client.stats.unreachable


def test_a_tls_error_in_the_middle_of_a_body_is_a_failure_said_as_such(
    tmp_path: Path, clock: FakeClock, mock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """urllib3 raises its own SSLError when a TLS record breaks mid-body: retried, then the
    source's failure, never an untyped exception that ends the run."""
    for _ in range(3):
        mock.get(URL, json=OK_BODY)

    def broken(*_args: Any, **_kwargs: Any) -> bytes:
        raise urllib3.exceptions.SSLError("decryption failed or bad record mac")

    monkeypatch.setattr(urllib3.response.HTTPResponse, "read1", broken)
    client = make_client(tmp_path, clock, max_attempts=3, breaker_threshold=5)
    with pytest.raises(Unavailable, match="connection dropped before a whole answer"):
        match(client)
    assert client.stats.requests == 3 and client.stats.retries == 2


def test_an_answer_trickled_a_byte_at_a_time_is_cut_off_and_retried(tmp_path: Path) -> None:
    """The timeout bounds each read, so a server dripping its answer (here 3.5 s for 70
    bytes, every byte well within the 0.25 s timeout) held the run as long as it dripped:
    the whole answer must come within four timeouts, else it is retried."""
    body = json.dumps(OK_BODY)
    api = FakeApi().start()
    try:
        api.script("s2", Reply(200, body, drip=0.05), Reply(200, body))
        source = replace(Settings().s2, base_url=api.s2_url, min_interval=0.0)
        settings = replace(
            Settings(), cache_dir=tmp_path / "cache", timeout=0.25, max_attempts=2, s2=source
        )
        client = SourceClient(
            source=source,
            settings=settings,
            cache=ResponseCache(settings.cache_dir),
            clock=FakeClock().as_clock(),
        )
        started = time.monotonic()
        answer = match(client)
        took = time.monotonic() - started
    finally:
        api.stop()
    assert answer.data.data[0]["paperId"] == "abc"
    assert client.stats.retries == 1
    assert took < 2.5  # one second of dripping, then the whole answer


def test_gives_up_after_the_attempt_bound(tmp_path: Path, clock: FakeClock, mock: Any) -> None:
    for _ in range(3):
        mock.get(URL, status=500, body="oops")
    client = make_client(tmp_path, clock, max_attempts=3)
    with pytest.raises(Unavailable, match="HTTP 500"):
        match(client)
    assert client.stats.requests == 3 and client.stats.failures == 1
    assert client.cache.load(match_key(client)) is None


def match_key(client: SourceClient, title: str = "Ray") -> str:
    """The key the client caches `match(client, title)` under, from the client itself."""
    return client.request(
        "GET", "/paper/search/match", {"query": title, "fields": "title"}
    ).cache_key


def test_the_request_key_is_the_one_the_client_stores_under(
    tmp_path: Path, clock: FakeClock, mock: Any
) -> None:
    mock.get(URL, json=OK_BODY)
    client = make_client(tmp_path, clock)
    assert client.cache.load(match_key(client)) is None
    match(client)
    entry = client.cache.load(match_key(client))
    assert entry is not None and entry.kind == "ok" and "abc" in entry.body
    assert client.cache.load(match_key(client, "another title")) is None


@pytest.mark.parametrize(
    "failure",
    [
        {"status": 500, "body": "oops"},
        {"status": 429, "json": {"message": "Too Many Requests"}},
        {"status": 400, "json": {"error": "bad query"}},
        {"status": 200, "body": "<html><body>Service page</body></html>"},
        {"body": requests.Timeout("read timed out")},
    ],
)
def test_a_failed_request_leaves_nothing_in_the_cache(
    tmp_path: Path, clock: FakeClock, mock: Any, failure: dict[str, Any]
) -> None:
    mock.get(URL, **failure)
    mock.get(URL, json=OK_BODY)
    client = make_client(tmp_path, clock, max_attempts=1)
    with pytest.raises((Unavailable, BadResponse)):
        match(client)
    assert client.cache.load(match_key(client)) is None
    fetched = match(client)  # asked again: nothing from the failure stood in for an answer
    assert not fetched.from_cache and client.stats.requests == 2


def test_a_retry_after_beyond_the_wait_bound_gives_up_at_once(
    tmp_path: Path, clock: FakeClock, mock: Any
) -> None:
    mock.get(URL, status=429, headers={"Retry-After": "3600"}, body=DBLP_429_HTML)
    client = make_client(tmp_path, clock, max_wait=120)
    with pytest.raises(Unavailable, match="429"):
        match(client)
    assert clock.sleeps == [] and client.stats.requests == 1


def test_total_wait_is_bounded(tmp_path: Path, clock: FakeClock, mock: Any) -> None:
    for _ in range(3):
        mock.get(URL, status=429, headers={"Retry-After": "50"}, body=DBLP_429_HTML)
    client = make_client(tmp_path, clock, max_wait=120, max_attempts=10)
    with pytest.raises(Unavailable):
        match(client)
    assert sum(clock.sleeps) <= 120 and client.stats.requests == 3


def test_circuit_breaker_stops_asking_a_dead_source(
    tmp_path: Path, clock: FakeClock, mock: Any
) -> None:
    for _ in range(4):
        mock.get(URL, status=503, body="down")
    client = make_client(tmp_path, clock, max_attempts=2, breaker_threshold=2)
    for title in ("a", "b"):
        with pytest.raises(Unavailable):
            match(client, title)
    assert client.stats.circuit_open and not client.available
    with pytest.raises(Unavailable, match="circuit open"):
        match(client, "c")
    assert client.stats.requests == 4


def test_success_resets_the_breaker_count(tmp_path: Path, clock: FakeClock, mock: Any) -> None:
    mock.get(URL, status=503, body="down")
    mock.get(URL, json=OK_BODY)
    mock.get(URL, status=503, body="down")
    client = make_client(tmp_path, clock, max_attempts=1, breaker_threshold=2)
    with pytest.raises(Unavailable):
        match(client, "a")
    match(client, "b")
    with pytest.raises(Unavailable):
        match(client, "c")
    assert client.available


def test_offline_uses_only_the_cache(tmp_path: Path, clock: FakeClock, mock: Any) -> None:
    mock.get(URL, json=OK_BODY)
    match(make_client(tmp_path, clock))
    clock.t += 10 * SOURCE.ttl  # offline serves even an old entry rather than nothing
    offline = make_client(tmp_path, clock, offline=True)
    assert match(offline).from_cache
    with pytest.raises(Unavailable, match="offline"):
        match(offline, "never fetched")
    assert offline.stats.requests == 0 and offline.stats.offline_misses == 1


def test_refresh_refetches_and_keeps_the_old_entry_on_failure(
    tmp_path: Path, clock: FakeClock, mock: Any
) -> None:
    mock.get(URL, json=OK_BODY)
    mock.get(URL, json={"data": [{"paperId": "abc", "title": "Ray (new)"}]})
    mock.get(URL, status=500, body="down")
    match(make_client(tmp_path, clock))
    refreshed = match(make_client(tmp_path, clock, refresh=True))
    assert not refreshed.from_cache and refreshed.data.data[0]["title"] == "Ray (new)"
    failing = make_client(tmp_path, clock, refresh=True, max_attempts=1)
    kept = match(failing)
    assert kept.from_cache and kept.stale and kept.data.data[0]["title"] == "Ray (new)"
    assert failing.stats.stale_served == 1
    assert match(make_client(tmp_path, clock)).data.data[0]["title"] == "Ray (new)"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<!DOCTYPE html><html><body>Service page</body></html>", "HTML"),
        ('{"data": [{"paperId": "ab', "malformed JSON"),
    ],
)
def test_html_and_truncated_bodies_are_errors_never_cached(
    tmp_path: Path, clock: FakeClock, mock: Any, body: str, expected: str
) -> None:
    mock.get(URL, status=200, body=body)
    mock.get(URL, json=OK_BODY)
    client = make_client(tmp_path, clock)
    with pytest.raises(BadResponse, match=expected):
        match(client)
    assert match(client).data.data[0]["paperId"] == "abc"  # the bad body was not cached
    assert client.stats.bad_responses == 1 and client.stats.requests == 2


def test_a_shape_that_fails_validation_is_an_error(
    tmp_path: Path, clock: FakeClock, mock: Any
) -> None:
    mock.get(URL, json={"data": "not a list"})
    client = make_client(tmp_path, clock)
    with pytest.raises(BadResponse, match="unexpected response shape"):
        match(client)
    assert client.stats.bad_responses == 1


def test_polite_pacing_between_requests(tmp_path: Path, clock: FakeClock, mock: Any) -> None:
    for _ in range(3):
        mock.get(URL, json=OK_BODY)
    client = make_client(tmp_path, clock, source={"min_interval": 1.5})
    for title in ("a", "b", "c"):
        match(client, title)
    assert clock.sleeps == [1.5, 1.5]


def test_api_key_never_leaks(tmp_path: Path, clock: FakeClock, mock: Any) -> None:
    mock.get(URL, json=OK_BODY)
    mock.get(URL, status=403, json={"message": "Forbidden"})
    client = make_client(tmp_path, clock)
    match(client, "a")
    assert mock.calls[0].request.headers["x-api-key"] == SECRET
    assert "mlsys-bib/" in mock.calls[0].request.headers["User-Agent"]
    with pytest.raises(KeyRefused) as caught:  # a refused key stops the run (exit 2)
        match(client, "b")
    assert "403" in str(caught.value) and SECRET not in str(caught.value)
    assert "S2_API_KEY" in str(caught.value)
    assert SECRET not in repr(client.settings) and SECRET not in repr(client.source)
    client.cache.close()
    for path in (tmp_path / "cache").rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path


def test_corrupt_cache_is_set_aside(tmp_path: Path, clock: FakeClock, mock: Any) -> None:
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    (cache_dir / "cache.db").write_bytes(b"this is not a sqlite database" * 100)
    mock.get(URL, json=OK_BODY)
    client = make_client(tmp_path, clock)
    assert client.cache.warnings and "moved to" in client.cache.warnings[0]
    assert match(client).data.data[0]["paperId"] == "abc"
    assert list(tmp_path.glob("cache.corrupt-*"))


# -- slow-down answers: 429s and bot walls are pauses, not failures -----------------------

WALL_HTML = (Path(__file__).parent / "fixtures" / "dblp" / "anubis-wall.html").read_text()


def test_the_bot_wall_page_is_recognised_and_nothing_else() -> None:
    assert is_bot_wall(WALL_HTML)
    assert is_bot_wall('<html><script src="/.within.website/x/cmd/anubis/x.mjs"></script></html>')
    assert not is_bot_wall(DBLP_429_HTML)
    assert not is_bot_wall('{"title": "Making sure you\'re not a bot!"}')  # JSON data, not a page


@pytest.mark.parametrize("status", [500, 200])  # dblp.org sends 500, a mirror 200
def test_a_bot_wall_pauses_with_growing_waits_then_goes_on(
    tmp_path: Path, clock: FakeClock, mock: Any, status: int
) -> None:
    for _ in range(3):
        mock.get(URL, status=status, body=WALL_HTML, content_type="text/html")
    mock.get(URL, json=OK_BODY)
    client = make_client(tmp_path, clock, max_attempts=2, breaker_threshold=2)
    waits: list[str] = []
    client.on_wait = waits.append
    assert match(client).data.data[0]["paperId"] == "abc"
    assert clock.sleeps == [30.0, 45.0, 67.5]  # no tenacity retry in between: the wall loop waits
    assert client.stats.walls == 3 and client.stats.wall_waited == 142.5
    assert client.stats.failures == 0 and client.available
    assert client.stats.wall_began == 1_700_000_000.0
    assert len(waits) == 3 and "bot wall since" in waits[0] and "pausing 30 s" in waits[0]
    # Pacing is slower for the rest of the run, and the answer (not the wall) was cached.
    assert client.policy.min_interval == 2.0
    assert match(client).from_cache


def test_a_wall_page_is_never_cached(tmp_path: Path, clock: FakeClock, mock: Any) -> None:
    mock.get(URL, status=200, body=WALL_HTML, content_type="text/html")
    mock.get(URL, json=OK_BODY)
    client = make_client(tmp_path, clock)
    match(client)
    entry = client.cache.load(match_key(client))
    assert entry is not None and "not a bot" not in entry.body


def test_a_wall_beyond_the_budget_drops_the_source_but_is_no_breaker_failure(
    tmp_path: Path, clock: FakeClock, mock: Any
) -> None:
    for _ in range(4):
        mock.get(URL, status=500, body=WALL_HTML, content_type="text/html")
    client = make_client(tmp_path, clock, wall_budget=100.0, breaker_threshold=1)
    with pytest.raises(Unavailable, match="bot wall"):
        match(client)
    assert clock.sleeps == [30.0, 45.0, 25.0]  # the last pause is cut to the budget
    assert client.stats.wall_outlasted and client.stats.circuit_open
    with pytest.raises(Unavailable, match="bot wall outlasted"):
        match(client, "other")  # not asked again this run
    assert client.stats.requests == 4


def test_429s_slow_the_pacing_and_never_open_the_breaker(
    tmp_path: Path, clock: FakeClock, mock: Any
) -> None:
    for _ in range(4):
        mock.get(URL, status=429, json={"message": "Too Many Requests"})
    client = make_client(
        tmp_path, clock, max_attempts=2, breaker_threshold=2, source={"min_interval": 1.0}
    )
    for title in ("a", "b"):
        with pytest.raises(Unavailable, match="429"):
            match(client, title)
    assert client.available and not client.stats.circuit_open
    assert client.policy.min_interval == 4.0  # 1.0 x 1.5 per 429, at most 4x


def test_a_403_without_a_key_is_a_bad_response_not_a_refused_key(
    tmp_path: Path, clock: FakeClock, mock: Any
) -> None:
    mock.get(URL, status=403, json={"message": "Forbidden"})
    client = make_client(tmp_path, clock, source={"api_key": None})
    with pytest.raises(BadResponse, match="403"):
        match(client)


def test_get_text_asks_for_the_type_it_wants(tmp_path: Path, clock: FakeClock, mock: Any) -> None:
    mock.get(BASE + "/rec/x.bib", body="@inproceedings{DBLP:x,\n}", content_type="text/plain")
    client = make_client(tmp_path, clock)
    client.get_text("/rec/x.bib", decode=str, accept="application/x-bibtex")
    assert mock.calls[0].request.headers["Accept"] == "application/x-bibtex"


def test_a_contact_address_is_not_part_of_the_cache_key() -> None:
    asked = {"filter": "doi:10.0000/x", "rows": 1}
    polite = Request("crossref", "GET", "/works", {**asked, "mailto": "a@example.org"})
    assert polite.cache_key == Request("crossref", "GET", "/works", asked).cache_key
    assert polite.described.endswith("mailto=a%40example.org&rows=1")  # shown, not keyed


# -- the units, each alone ------------------------------------------------------------------


def entry(kind: str = "ok", fetched_at: float = 1000.0) -> CachedEntry:
    return CachedEntry(kind, 200 if kind == "ok" else 404, "{}", fetched_at)


def test_the_cache_decision_is_fresh_expired_or_miss_by_age() -> None:
    rules = CacheRules(ttl=100, not_found_ttl=10, offline=False, refresh=False)
    assert rules.judge(None, 1000.0) == Miss()
    assert rules.judge(entry(), 1099.0) == Fresh(entry())
    assert rules.judge(entry(), 1100.0) == Expired(entry())
    assert rules.judge(entry(), 1050.0, ttl=20) == Expired(entry())  # a request's own lifetime
    assert rules.judge(entry("not_found"), 1010.0) == Expired(entry("not_found"))


@pytest.mark.parametrize(
    ("offline", "refresh", "served"),
    [
        (False, False, {Fresh}),
        (False, True, set()),  # --refresh asks again even when fresh
        (True, False, {Fresh, Expired}),  # --offline serves any age
        (True, True, {Fresh, Expired}),
    ],
)
def test_what_the_cache_may_answer_without_asking(
    offline: bool, refresh: bool, served: set[type]
) -> None:
    rules = CacheRules(ttl=100, not_found_ttl=10, offline=offline, refresh=refresh)
    for lookup in (Fresh(entry()), Expired(entry()), Miss()):
        assert rules.serves(lookup) == (type(lookup) in served), lookup


def test_offline_marks_an_expired_answer_stale_with_its_date(
    tmp_path: Path, clock: FakeClock, mock: Any
) -> None:
    mock.get(URL, json=OK_BODY)
    first = match(make_client(tmp_path, clock))
    fresh = match(make_client(tmp_path, clock, offline=True))
    assert fresh.from_cache and not fresh.stale
    clock.t += SOURCE.ttl + 1
    old = match(make_client(tmp_path, clock, offline=True))
    assert old.from_cache and old.stale and old.fetched_at == first.fetched_at


def test_an_expired_answer_served_after_a_failed_refresh_keeps_its_date(
    tmp_path: Path, clock: FakeClock, mock: Any
) -> None:
    mock.get(URL, json=OK_BODY)
    mock.get(URL, status=503, body="down")
    first = match(make_client(tmp_path, clock))
    clock.t += SOURCE.ttl + 1
    client = make_client(tmp_path, clock, max_attempts=1)
    kept = match(client)
    assert kept.stale and kept.from_cache and kept.fetched_at == first.fetched_at
    assert client.stats.stale_served == 1 and client.stats.failures == 1


@pytest.mark.parametrize(
    ("response", "error", "status"),
    [
        ({"status": 500, "body": "oops"}, Unavailable, 500),
        ({"status": 429, "json": {"message": "Too Many Requests"}}, Unavailable, 429),
        ({"status": 400, "json": {"error": "bad query"}}, BadResponse, 400),
        ({"status": 404, "json": {"error": "Title match not found"}}, NotFound, 404),
        ({"status": 200, "body": "<html><body>Service page</body></html>"}, BadResponse, 200),
        ({"body": requests.Timeout("read timed out")}, Unavailable, None),
    ],
)
def test_a_failure_carries_its_http_status(
    tmp_path: Path,
    clock: FakeClock,
    mock: Any,
    response: dict[str, Any],
    error: type[SourceError],
    status: int | None,
) -> None:
    mock.get(URL, **response)
    with pytest.raises(error) as caught:
        match(make_client(tmp_path, clock, max_attempts=1))
    assert caught.value.status == status


def test_the_breaker_counts_only_outages_in_a_row() -> None:
    stats = SourceCounters()
    breaker = CircuitBreaker("s2", threshold=2, stats=stats)
    breaker.failed(RateLimited("s2", "HTTP 429", 429, None), answered=True)
    breaker.failed(BadResponse("s2", "HTTP 400", 400), answered=True)
    breaker.failed(RetryLater("s2", "HTTP 503", 503, None), answered=True)
    assert not breaker.is_open  # a 429 and a refused request are no outage
    breaker.succeeded()
    breaker.failed(RetryLater("s2", "HTTP 503", 503, None), answered=True)
    assert not breaker.is_open  # the success reset the count
    breaker.failed(Transient("s2", "timed out"), answered=True)
    assert breaker.is_open and stats.circuit_open and not stats.unreachable
    assert "repeated failures" in breaker.refusal()


def test_the_breaker_opens_at_once_on_a_source_never_reached() -> None:
    stats = SourceCounters()
    breaker = CircuitBreaker("s2", threshold=5, stats=stats)
    breaker.failed(CannotConnect("s2", "cannot connect"), answered=True)
    assert not breaker.is_open  # once it answered, a refused connection is a glitch
    breaker = CircuitBreaker("s2", threshold=5, stats=stats)
    breaker.failed(CannotConnect("s2", "cannot connect"), answered=False)
    assert breaker.is_open and stats.unreachable


def test_the_pacer_waits_only_what_is_left_of_the_interval(clock: FakeClock) -> None:
    pacer = Pacer(clock.as_clock())
    pacer.wait_turn(2.0)
    assert clock.sleeps == []  # the first request goes at once
    pacer.sent()
    clock.t += 0.5
    pacer.wait_turn(2.0)
    assert clock.sleeps == [1.5]


def test_stored_json_reads_as_the_standard_library_reads_it() -> None:
    """orjson reads stored bodies; what it refuses the standard library still reads."""
    body = '{"title": "Caf\\u00e9 \\ud83d\\ude00", "n": 3, "x": 1.5, "l": [null, true, ""]}'
    assert load_json(body) == json.loads(body)
    assert load_json('{"a": NaN}')["a"] != load_json('{"a": NaN}')["a"]  # NaN, as json reads it
    assert load_json('"\\ud800"') == "\ud800"  # a lone surrogate escape
