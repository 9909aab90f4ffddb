"""Asking one source: each attempt paced, transient failures retried, bot walls waited out."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.errors import BotWall, RateLimited
from pipeline.http.clock import Clock
from pipeline.http.pacer import Pacer
from pipeline.http.policy import SourcePolicy
from pipeline.http.request import Request
from pipeline.http.retry import with_retries
from pipeline.http.transport import Answer, Transport
from pipeline.http.wall import WallGate
from pipeline.models import SourceCounters

log = logging.getLogger(__name__)


@dataclass
class Network:
    """The way to one source over the network. Holds the source's policy, slowed when the
    source asks us to (a 429, a bot wall) for the rest of the run."""

    transport: Transport
    policy: SourcePolicy
    clock: Clock
    stats: SourceCounters
    tell: Callable[[str], None]  # the progress display

    def __post_init__(self) -> None:
        self.pacer = Pacer(self.clock)
        self.gate = WallGate(self.transport.source.name, self.stats, self.clock.now, self._pause)

    @property
    def answered(self) -> bool:
        """The source has sent any HTTP response this run."""
        return self.transport.answered

    def ask(self, request: Request) -> Answer:
        """Ask, and while a bot wall stands, pause this source (only) with growing waits."""
        while True:
            try:
                answer = with_retries(
                    lambda: self._attempt(request),
                    policy=lambda: self.policy,
                    answered=lambda: self.transport.answered,
                    sleep=self._back_off,
                    retried=self._count_retry,
                )
            except BotWall as wall:
                self.policy, policy = self.policy.after_wall(), self.policy
                self.gate.pause(wall, policy)
                continue
            self.gate.passed()
            return answer

    def _attempt(self, request: Request) -> Answer:
        self.pacer.wait_turn(self.policy.min_interval)
        try:
            return self.transport.send(request)
        except RateLimited:
            self.policy = self.policy.after_rate_limit()
            raise
        finally:
            self.pacer.sent()

    def _count_retry(self) -> None:
        self.stats.retries += 1

    def _back_off(self, seconds: float) -> None:
        slowed = self.stats.rate_limited
        reason = "asked us to slow down" if slowed else "is failing, backing off"
        message = f"waiting {seconds:.0f} s: {self.transport.source.name} {reason}"
        log.debug(message)
        self._pause(seconds, message)

    def _pause(self, seconds: float, message: str) -> None:
        self.tell(message)
        self.clock.sleep(seconds)
