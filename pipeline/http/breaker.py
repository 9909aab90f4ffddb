"""The circuit breaker: may this source still be asked this run?"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from pipeline.errors import CannotConnect, RateLimited, SourceError, Transient, WallOutlasted
from pipeline.models import SourceCounters

log = logging.getLogger(__name__)


@dataclass
class CircuitBreaker:
    """Opens after `threshold` transient failures in a row (unreachable hosts, timeouts, 5xx),
    at once when the source never answered at all this run (likely no network), and when a bot
    wall outlasted its budget. Its state is the source's counters, so the report shows it."""

    source: str
    threshold: int
    stats: SourceCounters
    failures_in_a_row: int = 0

    @property
    def is_open(self) -> bool:
        return self.stats.circuit_open

    def refusal(self) -> str:
        """Why an open breaker does not ask, for messages."""
        if self.stats.wall_outlasted:
            return "bot wall outlasted the run's wall budget"
        return "circuit open after repeated failures"

    def succeeded(self) -> None:
        self.failures_in_a_row = 0

    def failed(self, exc: SourceError, answered: bool) -> None:
        """Count a failed request; `answered`: the source sent any HTTP response this run."""
        if isinstance(exc, WallOutlasted):
            self.stats.wall_outlasted = self.stats.circuit_open = True
            return
        if not isinstance(exc, Transient) or isinstance(exc, RateLimited):
            # "Slow down" is not "broken", nor is a refused request (a 4xx, an error feed) or a
            # garbled answer: only unreachable hosts, timeouts and 5xx open the breaker.
            return
        self.failures_in_a_row += 1
        if isinstance(exc, CannotConnect) and not answered:
            self.stats.unreachable = self.stats.circuit_open = True
            log.warning("%s cannot be reached (%s); not trying again this run", self.source, exc)
        if self.failures_in_a_row >= self.threshold:
            if not self.stats.circuit_open:
                log.warning(
                    "%s: %d requests in a row failed; not asking it again this run",
                    self.source,
                    self.failures_in_a_row,
                )
            self.stats.circuit_open = True
