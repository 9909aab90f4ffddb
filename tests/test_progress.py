"""Progress: a bar with rate and ETA on a terminal, plain periodic lines elsewhere."""

from __future__ import annotations

import io
import logging

import pytest

from pipeline.progress import Progress


class Ticker:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def test_log_lines_when_not_on_a_terminal(caplog: pytest.LogCaptureFixture) -> None:
    clock = Ticker()
    progress = Progress(stream=io.StringIO(), interactive=False, interval=10, clock=clock)
    with caplog.at_level(logging.INFO, logger="pipeline.progress"):
        bar = progress.bar("DBLP", 100)
        for _ in range(40):
            clock.t += 0.5
            bar.advance()
        progress.close()
    lines = [r.getMessage() for r in caplog.records]
    assert lines[0] == "DBLP: 100 papers"
    assert "DBLP: 20/100 papers, 2.0/s, about 40 s left" in lines
    assert lines[-1] == "DBLP: done, 40/100 papers"
    assert len(lines) == 4  # one line per 10 s, not one per paper


def test_a_bar_on_a_terminal_shows_count_and_state() -> None:
    stream = io.StringIO()
    progress = Progress(stream=stream, interactive=True)
    dblp = progress.bar("DBLP", 10)
    s2 = progress.bar("Semantic Scholar", 10)
    dblp.advance(3)
    dblp.status("waiting 2 s: dblp asked us to slow down")
    s2.advance(10)
    progress.close()
    text = stream.getvalue()
    assert "3/10" in text and "10/10" in text
    assert "waiting 2 s: dblp asked us to slow down" in text
