"""The bot-wall gate: is this page a bot wall, and how long does this source pause for it?"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.errors import BotWall, WallOutlasted
from pipeline.http.policy import SourcePolicy
from pipeline.models import SourceCounters

log = logging.getLogger(__name__)

WALL_SNIFF_CHARS = 20_000  # the markers sit in the page's head; a wall page is small
_WALL_MARKERS = (
    "making sure you're not a bot",
    "making sure you&#39;re not a bot",
    "/.within.website/",
)


def is_bot_wall(text: str) -> bool:
    """An Anubis proof-of-work page (dblp.org since 2026-09: HTTP 500, or 200 from a mirror):
    a challenge for browsers, not an answer. Recognised by its title or its script path."""
    head = text[:WALL_SNIFF_CHARS].casefold()
    return head.lstrip()[:1] == "<" and any(marker in head for marker in _WALL_MARKERS)


@dataclass
class WallGate:
    """Pauses one source (only) while a bot wall stands, with the waits its policy gives,
    until the run's wall budget is spent. Counts walls and waits in the source's counters."""

    source: str
    stats: SourceCounters
    now: Callable[[], float]
    wait: Callable[[float, str], None]  # tells the progress display why, and sleeps
    pauses_in_a_row: int = 0  # 0: no wall stands

    def pause(self, wall: BotWall, policy: SourcePolicy) -> None:
        """Pause for a wall page; raises WallOutlasted once the budget is spent."""
        stats = self.stats
        if stats.wall_began is None:
            stats.wall_began = self.now()
        stats.walls += 1
        seconds = policy.wall_wait(self.pauses_in_a_row, stats.wall_waited)
        if seconds is None:
            log.warning(
                "%s: bot wall still up after %.0f s of pauses (budget %.0f s); "
                "not asking it again this run, keeping what we had",
                self.source,
                stats.wall_waited,
                policy.wall_budget,
            )
            raise WallOutlasted(self.source, f"bot wall outlasted the budget: {wall.detail}")
        began = time.strftime("%H:%M:%S", time.localtime(stats.wall_began))
        message = (
            f"{self.source}: bot wall since {began}; pausing {seconds:.0f} s "
            f"({stats.wall_waited / 60:.1f} of {policy.wall_budget / 60:.0f} min used)"
        )
        log.info(message)
        self.wait(seconds, message)
        stats.wall_waited += seconds
        self.pauses_in_a_row += 1

    def passed(self) -> None:
        """An answer came through: a wall that stood has lifted."""
        if self.pauses_in_a_row:
            log.warning(
                "%s: the bot wall lifted after %.0f s of pauses",
                self.source,
                self.stats.wall_waited,
            )
        self.pauses_in_a_row = 0
