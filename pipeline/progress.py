"""Progress for long network stages: bars on a terminal, periodic log lines elsewhere (CI).

DBLP and Semantic Scholar are resolved at the same time, so there is one bar per source.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable
from typing import IO, Any, Protocol

from tqdm import tqdm

log = logging.getLogger("pipeline.progress")


class Bar(Protocol):
    def advance(self, n: int = 1) -> None: ...
    def status(self, message: str) -> None: ...


# Why a source stopped before the end (cannot be reached, circuit open), by its label; None
# while it answers. The bars ask it when they close, so that 'done' is said only when true.
Outcome = Callable[[str], str | None]


def _no_outcome(label: str) -> None:
    return None


class ProgressLike(Protocol):
    outcome: Outcome

    def bar(self, label: str, total: int) -> Bar: ...
    def close(self) -> None: ...


class _NullBar:
    def advance(self, n: int = 1) -> None:
        pass

    def status(self, message: str) -> None:
        pass


class NullProgress:
    """For library use and tests: progress is ignored."""

    outcome: Outcome = staticmethod(_no_outcome)

    def bar(self, label: str, total: int) -> Bar:
        return _NullBar()

    def close(self) -> None:
        pass


class _TerminalBar:
    def __init__(self, bar: Any, label: str, outcome: Outcome) -> None:
        self._bar = bar  # tqdm; its generic parameter is of no use here
        self.label, self.outcome = label, outcome

    def advance(self, n: int = 1) -> None:
        self._bar.update(n)

    def status(self, message: str) -> None:
        self._bar.set_postfix_str(message[:60], refresh=True)

    def close(self) -> None:
        why = self.outcome(self.label)
        if why:
            self._bar.set_postfix_str(f"stopped: {why}", refresh=True)
        self._bar.close()


class _LogBar:
    """'DBLP: 40/194 papers, 3.1/s, about 50 s left' every `interval` seconds."""

    def __init__(
        self,
        label: str,
        total: int,
        interval: float,
        clock: Callable[[], float],
        outcome: Outcome = _no_outcome,
    ) -> None:
        self.label, self.total, self.done, self.outcome = label, total, 0, outcome
        self.interval, self.clock = interval, clock
        self.started = self.last = clock()
        self._lock = threading.Lock()
        log.info("%s: %d papers", label, total)

    def advance(self, n: int = 1) -> None:
        with self._lock:
            self.done += n
            now = self.clock()
            if now - self.last >= self.interval:
                self.last = now
                log.info("%s", self.line())

    def status(self, message: str) -> None:
        log.debug("%s: %s", self.label, message)

    def line(self) -> str:
        elapsed = max(self.clock() - self.started, 1e-9)
        rate = self.done / elapsed
        eta = f"about {(self.total - self.done) / rate:.0f} s left" if rate > 0 else "starting"
        return f"{self.label}: {self.done}/{self.total} papers, {rate:.1f}/s, {eta}"

    def close(self) -> None:
        why = self.outcome(self.label)
        if why:
            log.info("%s: stopped (%s); its part of the run is incomplete", self.label, why)
        else:
            log.info("%s: done, %d/%d papers", self.label, self.done, self.total)


class Progress:
    """Bars with count, rate and ETA, and each source's state ('waiting 2 s: ...')."""

    def __init__(
        self,
        stream: IO[str] | None = None,
        interactive: bool | None = None,
        interval: float = 15.0,
        clock: Callable[[], float] = time.monotonic,
        outcome: Outcome = _no_outcome,
    ) -> None:
        self.stream = stream or sys.stderr
        self.outcome = outcome
        self.interactive = self.stream.isatty() if interactive is None else interactive
        self.interval = interval
        self.clock = clock
        self._bars: list[Any] = []

    def bar(self, label: str, total: int) -> Bar:
        if self.interactive:
            raw = tqdm(
                total=total,
                desc=f"{label:<16}",
                unit="paper",
                file=self.stream,
                position=len(self._bars),
                leave=True,
            )
            terminal_bar = _TerminalBar(raw, label, lambda name: self.outcome(name))
            self._bars.append(terminal_bar)
            return terminal_bar
        log_bar = _LogBar(label, total, self.interval, self.clock, lambda name: self.outcome(name))
        self._bars.append(log_bar)
        return log_bar

    def close(self) -> None:
        for bar in self._bars:
            bar.close()
        self._bars = []
