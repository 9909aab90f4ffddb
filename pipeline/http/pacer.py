"""Polite pacing: how long to wait before the next request to one source."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.http.clock import Clock


@dataclass
class Pacer:
    """Keeps at least the current interval between two requests to one source."""

    clock: Clock
    _last_request: float | None = None  # monotonic time the previous request ended

    def wait_turn(self, min_interval: float) -> None:
        """Sleep until `min_interval` seconds have passed since the previous request."""
        if self._last_request is None:
            return
        due = self._last_request + min_interval - self.clock.monotonic()
        if due > 0:
            self.clock.sleep(due)

    def sent(self) -> None:
        """A request just ended (answered or not): the next one is paced from now."""
        self._last_request = self.clock.monotonic()
