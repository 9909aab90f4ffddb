"""The cyclic garbage collector, paused while a command runs.

A stage builds hundreds of thousands of objects that live to its end (records, candidates,
cached comparison forms) and makes almost no reference cycles (tests/test_parse_document.py
checks the parse): Python's collector kept re-scanning them, a fifth to a half of a stage's
CPU at 10,000 papers, to free nearly nothing. Every command is one short process, so the
collector is off while it runs; `enrich` also collects once after parsing and freezes what
is left (pipeline/cli.py).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """The collector off, and on again afterwards only if it was on; frozen objects thawed."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()
        if was_on:
            gc.enable()
