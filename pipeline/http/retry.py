"""Retries of one request with tenacity, every decision asked of the source's policy value."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from tenacity import RetryCallState, Retrying, retry_if_exception_type

from pipeline.errors import CannotConnect, Transient
from pipeline.http.policy import SourcePolicy

T = TypeVar("T")

NEVER_ANSWERED_ATTEMPTS = 2  # a source that never answered this run: likely no network


def with_retries(
    attempt: Callable[[], T],
    policy: Callable[[], SourcePolicy],
    answered: Callable[[], bool],
    sleep: Callable[[float], None],
    retried: Callable[[], None],
) -> T:
    """`attempt()` until it answers, retrying transient failures while the policy allows:
    Retry-After when the server gave one, else exponential back-off, jittered.
    `answered()`: the source has sent any HTTP response this run."""
    planned: dict[int, float] = {}  # one jittered wait per attempt, asked once

    def wait(state: RetryCallState) -> float:
        if state.attempt_number not in planned:
            exc = state.outcome.exception() if state.outcome else None
            hinted = getattr(exc, "retry_after", None)
            hint = None if hinted is None else float(hinted)
            planned[state.attempt_number] = policy().retry_wait(state.attempt_number, hint)
        return planned[state.attempt_number]

    def stop(state: RetryCallState) -> bool:
        exc = state.outcome.exception() if state.outcome else None
        if (
            isinstance(exc, CannotConnect)
            and not answered()
            and state.attempt_number >= NEVER_ANSWERED_ATTEMPTS
        ):
            return True  # never reached this run: do not wait minutes
        return policy().gives_up(state.attempt_number, state.idle_for, wait(state))

    retrying = Retrying(
        retry=retry_if_exception_type(Transient),
        stop=stop,
        wait=wait,
        sleep=sleep,
        before_sleep=lambda _state: retried(),
        reraise=True,
    )
    for attempt_state in retrying:
        with attempt_state:
            return attempt()
    raise RuntimeError("tenacity ended without an outcome")  # pragma: no cover
