"""Time as the HTTP layer sees it; tests inject a fake one so nothing sleeps for real."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Clock:
    now: Callable[[], float] = time.time  # epoch seconds: when an answer was fetched
    monotonic: Callable[[], float] = time.monotonic  # for intervals: pacing
    sleep: Callable[[float], None] = time.sleep
