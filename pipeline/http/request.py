"""One request as a value: what is asked, how it is shown in messages, and its cache key."""

from __future__ import annotations

import hashlib
import json
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# Parameters that say who asks, not what: a run with another contact address shares the cache.
_NOT_THE_QUESTION = frozenset({"mailto"})


@dataclass(frozen=True)
class Request:
    """A request to one source, independent of where the source is served from."""

    source: str  # the source's name (dblp, s2, ...), not its URL: a DBLP mirror shares the cache
    method: str
    path: str
    params: Mapping[str, Any] | None = None
    body: Any = None  # sent as JSON
    accept: str | None = None  # an Accept header other than JSON (DBLP's BibTeX export)
    as_json: bool = True  # False: the body is handed to the decoder as text

    @property
    def cache_key(self) -> str:
        """Stable key: method, source and path, sorted params, canonical JSON body (never
        headers, so the API key cannot reach the cache; nor a contact address)."""
        asked = sorted((k, v) for k, v in (self.params or {}).items() if k not in _NOT_THE_QUESTION)
        query = urllib.parse.urlencode(asked, doseq=True)
        target = f"{self.source}:{self.path}"
        canonical = json.dumps(
            [self.method.upper(), target, query, self.body], sort_keys=True, separators=(",", ":")
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    @property
    def described(self) -> str:
        """The request as shown in messages: never headers, so the API key cannot leak."""
        query = urllib.parse.urlencode(sorted((self.params or {}).items()), doseq=True)
        return f"{self.method} {self.path}" + (f"?{query}" if query else "")
