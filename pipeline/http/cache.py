"""Cache storage: raw answers on disk (diskcache), stored and loaded by key, nothing decided.

Whether a stored answer may be used is freshness.py's question, not this module's.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import diskcache

log = logging.getLogger(__name__)

CACHE_FORMAT = 1  # bump when the stored entry layout (not the API models) changes
OK = "ok"  # an entry's kind: an answer
NOT_FOUND = "not_found"  # an entry's kind: the source said the thing does not exist


@dataclass(frozen=True)
class CachedEntry:
    kind: str  # OK or NOT_FOUND
    status: int
    body: str
    fetched_at: float  # epoch seconds when the source produced it

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": CACHE_FORMAT,
            "kind": self.kind,
            "status": self.status,
            "body": self.body,
            "fetched_at": self.fetched_at,
        }

    @classmethod
    def from_dict(cls, raw: object) -> CachedEntry | None:
        """None for anything that is not an entry we wrote (damaged or from another format)."""
        if not isinstance(raw, dict) or raw.get("format") != CACHE_FORMAT:
            return None
        try:
            return cls(
                kind=str(raw["kind"]),
                status=int(raw["status"]),
                body=str(raw["body"]),
                fetched_at=float(raw["fetched_at"]),
            )
        except (KeyError, TypeError, ValueError):
            return None


class ResponseCache:
    """Raw response bodies on disk (diskcache), keyed on the normalised request.

    `used` notes each answer the run drew on: its key and the time it stays fresh until, or
    None when it was not served fresh from the cache (fetched, refused, served stale, missed
    offline). A run whose every answer came fresh from the cache depends on the cache alone,
    and a later run can know it unchanged (pipeline/stamp.py). `stored_until` and `unsettled`
    say the same of a run that asked: what it stored, and whether any answer failed it
    (pipeline/resolve/earlier.py keeps decisions that rest on unchanged answers)."""

    def __init__(self, directory: Path) -> None:
        self.warnings: list[str] = []
        self.used: dict[str, float | None] = {}
        self.stored_until: dict[str, float] = {}  # answers stored this run: fresh until
        self.unsettled = False  # an answer could not be had fresh: failed, stale, offline miss
        self._cache = self._open(directory)

    def _open(self, directory: Path) -> diskcache.Cache:
        try:
            cache = diskcache.Cache(str(directory))  # raises on a file that is not a database
            cache.get("__probe__")  # and on one whose tables are unreadable
            return cache
        except (sqlite3.DatabaseError, OSError) as exc:
            aside = directory.with_name(f"{directory.name}.corrupt-{int(time.time())}")
            shutil.move(str(directory), str(aside))
            message = f"cache {directory} is unreadable ({exc}); moved to {aside}, starting empty"
            log.warning(message)
            self.warnings.append(message)
            return diskcache.Cache(str(directory))

    def load(self, key: str) -> CachedEntry | None:
        try:
            raw = self._cache.get(key)
        except Exception as exc:  # a damaged row must not stop the run: treat as a miss
            log.warning("cache entry %s unreadable (%s); fetching again", key[:12], exc)
            return None
        if raw is None:
            return None
        entry = CachedEntry.from_dict(raw)
        if entry is None:
            log.warning("cache entry %s has an unknown layout; fetching again", key[:12])
            self.delete(key)
        return entry

    def store(self, key: str, entry: CachedEntry) -> bool:
        """Store an answer; a cache that cannot be written costs re-fetching, not the run.
        False when it was not written."""
        try:
            self._cache.set(key, entry.to_dict())
        except Exception as exc:
            log.warning("cache entry %s not written (%s)", key[:12], exc)
            return False
        return True

    def delete(self, key: str) -> None:
        self._cache.delete(key)

    def close(self) -> None:
        self._cache.close()


def cached_answers(directory: Path) -> int:
    """How many answers a cache folder holds (0 when there is none), without creating it."""
    if not (directory / "cache.db").is_file():
        return 0
    try:
        with diskcache.Cache(str(directory)) as cache:
            return len(cache)
    except (sqlite3.DatabaseError, OSError):
        return 0
