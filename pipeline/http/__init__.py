"""The one HTTP layer every source goes through: cache, pacing, retries, breaker, bot walls."""

from pipeline.http.client import (
    CachedEntry,
    Clock,
    Fetched,
    ResponseCache,
    SourceClient,
    cache_key,
    cached_answers,
    counters_of,
    is_bot_wall,
    parse_retry_after,
)

__all__ = [
    "CachedEntry",
    "Clock",
    "Fetched",
    "ResponseCache",
    "SourceClient",
    "cache_key",
    "cached_answers",
    "counters_of",
    "is_bot_wall",
    "parse_retry_after",
]
