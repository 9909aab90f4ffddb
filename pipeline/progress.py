"""Progress for long network stages: a bar on a terminal, periodic log lines elsewhere (CI)."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from typing import IO, Any, Protocol

from tqdm import tqdm

log = logging.getLogger("pipeline.progress")


class ProgressLike(Protocol):
    def phase(self, label: str, total: int) -> None: ...
    def advance(self, n: int = 1) -> None: ...
    def status(self, message: str) -> None: ...
    def close(self) -> None: ...


class NullProgress:
    """For library use and tests: progress is ignored."""

    def phase(self, label: str, total: int) -> None:
        pass

    def advance(self, n: int = 1) -> None:
        pass

    def status(self, message: str) -> None:
        pass

    def close(self) -> None:
        pass


class Progress:
    """Papers done per phase, rate and ETA, and the source's state ('waiting 2 s: ...')."""

    def __init__(
        self,
        stream: IO[str] | None = None,
        interactive: bool | None = None,
        interval: float = 15.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream or sys.stderr
        self.interactive = self.stream.isatty() if interactive is None else interactive
        self.interval = interval
        self.clock = clock
        self._bar: Any = None  # tqdm, whose generic parameter the stubs cannot infer here
        self._label = ""
        self._total = 0
        self._done = 0
        self._started = 0.0
        self._last_line = 0.0

    def phase(self, label: str, total: int) -> None:
        self.close()
        self._label, self._total, self._done = label, total, 0
        self._started = self._last_line = self.clock()
        if self.interactive:
            self._bar = tqdm(total=total, desc=label, unit="paper", file=self.stream, leave=True)
        else:
            log.info("%s: %d papers", label, total)

    def advance(self, n: int = 1) -> None:
        self._done += n
        if self._bar is not None:
            self._bar.update(n)
            return
        now = self.clock()
        if now - self._last_line >= self.interval:
            self._last_line = now
            log.info("%s", self.line())

    def status(self, message: str) -> None:
        if self._bar is not None:
            self._bar.set_postfix_str(message[:60], refresh=True)
        else:
            log.debug("%s: %s", self._label, message)

    def line(self) -> str:
        """'DBLP: 40/194 papers, 3.1/s, about 50 s left' for logs."""
        elapsed = max(self.clock() - self._started, 1e-9)
        rate = self._done / elapsed
        left = (self._total - self._done) / rate if rate > 0 else float("inf")
        eta = f"about {left:.0f} s left" if left != float("inf") else "starting"
        return f"{self._label}: {self._done}/{self._total} papers, {rate:.1f}/s, {eta}"

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        elif self._label:
            log.info("%s: done, %d/%d papers", self._label, self._done, self._total)
        self._label = ""
