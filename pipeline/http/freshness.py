"""The cache decision, apart from cache storage: is a stored answer fresh, expired, or absent,
and may it be served without asking the source (like hishel's Controller beside its Storage)."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.config import Settings, SourceSettings
from pipeline.http.cache import OK, CachedEntry


@dataclass(frozen=True)
class Fresh:
    """A stored answer within its lifetime."""

    entry: CachedEntry


@dataclass(frozen=True)
class Expired:
    """A stored answer past its lifetime: ask again, and fall back on it (marked stale) only
    when asking fails or is not allowed."""

    entry: CachedEntry


@dataclass(frozen=True)
class Miss:
    """Nothing stored (or nothing readable)."""


Lookup = Fresh | Expired | Miss


@dataclass(frozen=True)
class CacheRules:
    """How long one source's answers stay fresh, and what the run's mode does with them."""

    ttl: float  # seconds an answer stays fresh (a request may ask for another lifetime)
    not_found_ttl: float  # seconds a "does not exist" stays fresh
    offline: bool  # serve whatever is stored, of any age; never ask
    refresh: bool  # ask again even when the stored answer is fresh

    @classmethod
    def of(cls, settings: Settings, source: SourceSettings) -> CacheRules:
        return cls(source.ttl, source.not_found_ttl, settings.offline, settings.refresh)

    def judge(self, entry: CachedEntry | None, now: float, ttl: float | None = None) -> Lookup:
        """Fresh / Expired / Miss, by the entry's age alone."""
        if entry is None:
            return Miss()
        return Fresh(entry) if now < self.fresh_until(entry, ttl) else Expired(entry)

    def fresh_until(self, entry: CachedEntry, ttl: float | None = None) -> float:
        """Epoch seconds at which the entry expires (`ttl`: the request's own lifetime)."""
        answer_ttl = self.ttl if ttl is None else ttl
        return entry.fetched_at + (answer_ttl if entry.kind == OK else self.not_found_ttl)

    def serves(self, lookup: Lookup) -> bool:
        """May this lookup be answered from the cache without asking the source?"""
        if isinstance(lookup, Miss):
            return False
        return self.offline or (isinstance(lookup, Fresh) and not self.refresh)
