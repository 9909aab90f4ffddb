"""The transport: one keep-alive session, a timeout on every request, a User-Agent with a
contact address, and the mapping from an HTTP answer to a payload or a typed failure."""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests
import urllib3

from pipeline import __version__
from pipeline.config import SourceSettings
from pipeline.errors import (
    BadResponse,
    BotWall,
    CannotConnect,
    KeyRefused,
    RateLimited,
    RetryLater,
    Transient,
)
from pipeline.http.request import Request
from pipeline.http.wall import is_bot_wall
from pipeline.models import SourceCounters

OK_STATUS = 200
NOT_FOUND_STATUS = 404  # an answer (the source says: no such thing), for `not_found` to judge
KEY_REFUSED_STATUSES = (401, 403)  # with an API key: the key is wrong, retrying cannot help
# The timeout bounds each read of the socket, so a server trickling its answer a byte at a time
# could hold the run as long as it liked: the whole answer must come within this many timeouts.
WHOLE_ANSWER_TIMEOUTS = 4
_READ_SIZE = 1 << 16


def user_agent(contact: str) -> str:
    return f"mlsys-bib/{__version__} (+{contact})"


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


@dataclass(frozen=True)
class Answer:
    """What the source said: status, body text, and the body parsed (the text itself when
    the request did not ask for JSON)."""

    status: int
    text: str
    payload: Any


def _dropped(exc: requests.RequestException) -> bool:
    """A connection that was made, then closed or reset before the whole answer came (urllib3's
    ProtocolError: reset by peer, closed without a response, a body cut short)."""
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return True
    return bool(exc.args) and isinstance(exc.args[0], urllib3.exceptions.ProtocolError)


def _is_error(status: int) -> bool:
    return status >= 400 and status != NOT_FOUND_STATUS


@dataclass
class Transport:
    """One source's session; `send` makes one attempt and answers, or raises a typed failure."""

    source: SourceSettings
    timeout: float
    contact: str
    stats: SourceCounters
    session: requests.Session = field(default_factory=requests.Session)
    now: Callable[[], float] = time.time  # dates a Retry-After given as an HTTP date
    answered: bool = False  # the source has sent any HTTP response this run

    def __post_init__(self) -> None:
        self.session.headers["User-Agent"] = user_agent(self.contact)
        self.session.headers["Accept"] = "application/json"
        if self.source.api_key:
            self.session.headers["x-api-key"] = self.source.api_key

    def send(self, request: Request) -> Answer:
        response = self._exchange(request)
        self._receive(response, request)
        self.answered = True
        return self._read(response, request)

    def _exchange(self, request: Request) -> requests.Response:
        name, described = self.source.name, request.described
        self.stats.requests += 1
        try:
            return self.session.request(
                request.method,
                self.source.base_url + request.path,
                params=request.params,
                json=request.body,
                timeout=self.timeout,
                headers={"Accept": request.accept} if request.accept else None,
                stream=True,  # the body is read by _receive, against a deadline
            )
        except requests.Timeout as exc:
            raise Transient(name, f"timed out: {described}") from exc
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
            if _dropped(exc):  # the host was reached: a flaky link, not "no network"
                raise Transient(
                    name, f"connection dropped before a whole answer: {described}"
                ) from exc
            where = f"cannot connect to {self.source.base_url}: {described}"
            raise CannotConnect(name, where) from exc
        except requests.RequestException as exc:
            raise BadResponse(name, f"request failed: {described}") from exc

    def _receive(self, response: requests.Response, request: Request) -> None:
        """The whole body, within WHOLE_ANSWER_TIMEOUTS timeouts of the headers, or a transient
        failure (retried as a timeout is); a body that cannot be decoded is a bad answer. A
        body not read to its end closes the connection."""
        try:
            response._content = self._body(response, request)  # what response.text decodes
        except BaseException:
            response.close()
            raise
        response.raw.release_conn()  # read to the end: the connection serves the next request

    def _body(self, response: requests.Response, request: Request) -> bytes:
        name, described = self.source.name, request.described
        limit = self.timeout * WHOLE_ANSWER_TIMEOUTS
        deadline = time.monotonic() + limit
        chunks: list[bytes] = []
        try:
            while chunk := response.raw.read1(_READ_SIZE, decode_content=True):
                chunks.append(chunk)
                if time.monotonic() > deadline:
                    raise Transient(name, f"answer still arriving after {limit:.0f} s: {described}")
        except urllib3.exceptions.DecodeError as exc:
            raise BadResponse(name, f"undecodable body ({exc}): {described}") from exc
        except urllib3.exceptions.ReadTimeoutError as exc:
            raise Transient(name, f"timed out: {described}") from exc
        except (urllib3.exceptions.HTTPError, OSError) as exc:  # reset, cut short, TLS trouble
            raise Transient(name, f"connection dropped before a whole answer: {described}") from exc
        return b"".join(chunks)

    def _read(self, response: requests.Response, request: Request) -> Answer:
        name, described = self.source.name, request.described
        status, text = response.status_code, response.text
        if is_bot_wall(text):
            raise BotWall(name, f"HTTP {status} with a bot-wall page: {described}", status)
        retry_after = parse_retry_after(response.headers.get("Retry-After"), self.now())
        if status == 429:
            self.stats.rate_limited += 1
            raise RateLimited(name, f"HTTP 429 (rate limited): {described}", status, retry_after)
        if status >= 500:
            raise RetryLater(name, f"HTTP {status}: {described}", status, retry_after)
        if status in KEY_REFUSED_STATUSES and self.source.api_key:
            raise KeyRefused(
                f"{name}: the API key was refused (HTTP {status}) for {described}; check the "
                f"key in the environment (S2_API_KEY), or unset it to use the shared pool"
            )
        if not request.as_json:
            if _is_error(status):
                raise BadResponse(name, f"HTTP {status}: {described}", status, body=text)
            return Answer(status, text, text)
        return Answer(status, text, self._parse_json(status, text, described))

    def _parse_json(self, status: int, text: str, described: str) -> Any:
        name = self.source.name
        try:
            payload = json.loads(text)
        except ValueError as exc:
            self.stats.bad_responses += 1
            kind = "HTML" if text.lstrip()[:1] == "<" else "malformed JSON"
            where = f"HTTP {status} with {kind} where JSON was expected: {described}"
            raise BadResponse(name, where, status) from exc
        if _is_error(status):
            message = None
            if isinstance(payload, dict):
                message = payload.get("error") or payload.get("message")
            raise BadResponse(name, f"HTTP {status} ({message or 'error'}): {described}", status)
        return payload
