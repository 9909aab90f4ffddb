"""The one HTTP layer every source goes through: cache, pacing, retries, breaker, bot walls."""

from pipeline.http.answers import Fetched
from pipeline.http.cache import CachedEntry, ResponseCache, cached_answers
from pipeline.http.client import SourceClient, counters_of
from pipeline.http.clock import Clock
from pipeline.http.freshness import CacheRules, Expired, Fresh, Miss
from pipeline.http.request import Request
from pipeline.http.transport import parse_retry_after
from pipeline.http.wall import is_bot_wall

__all__ = [
    "CacheRules",
    "CachedEntry",
    "Clock",
    "Expired",
    "Fetched",
    "Fresh",
    "Miss",
    "Request",
    "ResponseCache",
    "SourceClient",
    "cached_answers",
    "counters_of",
    "is_bot_wall",
    "parse_retry_after",
]
