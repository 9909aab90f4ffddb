"""How politely and how persistently one source is asked: a value the HTTP client consults.

Like urllib3's `Retry`, a policy answers questions ("how long to wait before retry n?", "how
long to pause for a bot wall?", "how fast may we go now?") and returns a new value when the
source asks us to slow down; the client carries no branches of its own for these rules.
Three kinds of trouble, three answers:
- a transient failure (timeout, 5xx): retry with exponential back-off, Retry-After honoured,
  within `max_attempts` and `max_wait`; repeated ones open the breaker;
- "slow down" (HTTP 429): back off, and pace this source more slowly for the rest of the run;
  never a breaker failure;
- a bot wall (an HTML challenge instead of an answer): pause this source alone with growing
  waits, pace it more slowly afterwards, and give up only when the run's wall budget is spent.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from pipeline.config import Settings, SourceSettings

WALL_GROWTH = 1.5  # each wait on a wall that has not lifted is this much longer
RATE_LIMIT_SLOWDOWN = 1.5  # pacing factor after a 429
WALL_SLOWDOWN = 1.5  # pacing factor after a bot wall (DBLP: 1.5 s -> 2.25 s)
MAX_SLOWDOWN = 4.0  # pacing never slows beyond this many times the configured interval
MAX_BACKOFF = 60.0  # seconds: no single back-off is longer, however many retries came before
RETRY_AFTER_JITTER = 0.5  # seconds at most added to a Retry-After, so clients do not align
BACKOFF_JITTER = (0.5, 1.0)  # a back-off is this fraction of its exponential bound, drawn anew


@dataclass(frozen=True)
class SourcePolicy:
    """Pacing, retry waits, bot-wall pauses and the breaker of one source."""

    min_interval: float  # seconds between two requests now
    base_interval: float  # the configured pacing (slowing is bounded relative to it)
    max_attempts: int
    max_wait: float  # seconds of back-off per request before giving up
    backoff: float  # the n-th retry waits about backoff * 2**n (jittered)
    breaker_threshold: int  # consecutive failed requests that open the breaker
    wall_first_wait: float  # seconds of the first pause on a bot wall
    wall_max_wait: float  # no single pause is longer
    wall_budget: float  # seconds of bot-wall pauses a run accepts before giving up
    wall_interval: float  # pacing floor once a wall was seen

    @classmethod
    def of(cls, settings: Settings, source: SourceSettings) -> SourcePolicy:
        return cls(
            min_interval=source.min_interval,
            base_interval=source.min_interval,
            max_attempts=settings.max_attempts,
            max_wait=settings.max_wait,
            backoff=settings.backoff,
            breaker_threshold=settings.breaker_threshold,
            wall_first_wait=settings.wall_first_wait,
            wall_max_wait=max(settings.wall_first_wait, settings.wall_max_wait),
            wall_budget=settings.wall_budget,
            wall_interval=settings.wall_interval,
        )

    # -- transient failures ----------------------------------------------------------------
    def retry_wait(self, attempt: int, hinted: float | None) -> float:
        """Retry-After when the server gave one, else exponential back-off, jittered."""
        if hinted is not None:
            return hinted + random.uniform(0, RETRY_AFTER_JITTER)
        return random.uniform(*BACKOFF_JITTER) * min(MAX_BACKOFF, self.backoff * 2.0**attempt)

    def gives_up(self, attempt: int, waited: float, next_wait: float) -> bool:
        return attempt >= self.max_attempts or waited + next_wait > self.max_wait

    # -- slowing down ----------------------------------------------------------------------
    def after_rate_limit(self) -> SourcePolicy:
        """The source said 429: pace it more slowly for the rest of the run."""
        return self._paced(self.min_interval * RATE_LIMIT_SLOWDOWN)

    def after_wall(self) -> SourcePolicy:
        """A bot wall came with a burst of requests: slow down for the rest of the run."""
        return self._paced(max(self.min_interval * WALL_SLOWDOWN, self.wall_interval))

    def _paced(self, interval: float) -> SourcePolicy:
        ceiling = max(self.base_interval * MAX_SLOWDOWN, self.wall_interval)
        return replace(self, min_interval=min(interval, ceiling))

    # -- bot walls -------------------------------------------------------------------------
    def wall_wait(self, pauses_in_a_row: int, waited: float) -> float | None:
        """The next pause on a wall, growing while it stays up; None once the budget is spent."""
        remaining = self.wall_budget - waited
        if remaining <= 0:
            return None
        wait = min(self.wall_max_wait, self.wall_first_wait * WALL_GROWTH**pauses_in_a_row)
        return min(wait, remaining)
