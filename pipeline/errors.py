"""The project's own exception tree; the CLI alone turns these into messages and exit codes."""

from __future__ import annotations

import signal
import sys


class PipelineError(Exception):
    """Base of every expected failure."""


class InputError(PipelineError):
    """Bad input or configuration (exit status 2); the message names the file and line."""


class KeyRefused(InputError):
    """A source refused our API key (HTTP 401/403): a configuration error, the run stops."""


class SourceError(PipelineError):
    """A request to an external source failed; `source` names it (dblp, s2), `status` is the
    HTTP status when the source answered one (None: no answer, or a body we refused)."""

    def __init__(self, source: str, message: str, status: int | None = None) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.detail = message
        self.status = status


class NotFound(SourceError):
    """The source answered definitely that the thing does not exist (cacheable)."""


class Transient(SourceError):
    """Worth retrying: 429, 5xx, timeouts, connection errors."""


class CannotConnect(Transient):
    """No HTTP answer at all: DNS failure, connection refused, no route."""


class RetryLater(Transient):
    """A 5xx or a 429; `retry_after` is the server's Retry-After in seconds, when it gave one."""

    def __init__(self, source: str, message: str, status: int, retry_after: float | None) -> None:
        super().__init__(source, message, status)
        self.retry_after = retry_after


class RateLimited(RetryLater):
    """HTTP 429, "slow down": retried and paced more slowly, never a breaker failure."""


class BadResponse(SourceError):
    """The source answered something it does not promise (HTML for JSON, truncated, bad shape,
    a refused request). When a decoder refused the body, it is the exception's `__cause__`;
    an error status's text body is kept in `body`, for a source whose refusals say why."""

    def __init__(
        self, source: str, message: str, status: int | None = None, body: str | None = None
    ) -> None:
        super().__init__(source, message, status)
        self.body = body


class Unavailable(SourceError):
    """The source is not asked: circuit open after repeated failures, or offline cache miss."""


class BotWall(SourceError):
    """A bot-wall page instead of an answer: a pause, never a failure (not retried: the wall
    gate waits far longer than a retry would)."""


class WallOutlasted(Unavailable):
    """The bot wall outlasted the run's budget: the source is not asked again this run."""


class LockedError(PipelineError):
    """Another run holds the output folder's lock (exit status 1, nothing written)."""


class Terminated(KeyboardInterrupt):
    """SIGTERM (a CI job's time limit, `kill`): the run stops as on Ctrl-C, the lock released
    and the outputs left as they were."""


def stopped(exc: KeyboardInterrupt) -> int:
    """One line for a run stopped from outside, and its exit status."""
    if isinstance(exc, Terminated):
        print("terminated (SIGTERM); outputs left as they were", file=sys.stderr)
        return 128 + signal.SIGTERM
    print("interrupted; outputs left as they were", file=sys.stderr)
    return 130
