"""tests/fakeapi.py with indexes, for worlds of tens of thousands of records.

The fake's DBLP search and S2 relevance search normalise every record's title on every request
(fine for the test worlds' few hundred records, a second per request at 40,000). This subclass
answers the same (same hits, same order) from indexes built once, so a benchmark times the
pipeline, not the fake server.
"""

from __future__ import annotations

import bisect
import json
from collections import Counter
from pathlib import Path
from typing import Any

from fakeapi import FakeApi, Reply, _hits_page, _norm


class IndexedApi(FakeApi):
    def __init__(self, toc_dir: Path, s2_traps: bool = False) -> None:
        super().__init__(toc_dir=toc_dir, s2_traps=s2_traps)
        self._dblp_words: dict[str, set[int]] = {}  # title word -> records holding it
        for n, hit in enumerate(self.records):
            for word in _norm(hit["info"].get("title", "")).split():
                self._dblp_words.setdefault(word, set()).add(n)
        self._vocabulary = sorted(self._dblp_words)
        self._s2_titles = [set(_norm(p["title"]).split()) for p in self.s2_papers]
        self._s2_words: dict[str, list[int]] = {}
        for n, words in enumerate(self._s2_titles):
            for word in words:
                self._s2_words.setdefault(word, []).append(n)

    def _prefixed(self, word: str) -> set[int]:
        """Records with a title word starting with `word` (the fake DBLP's search rule)."""
        start = bisect.bisect_left(self._vocabulary, word)
        found: set[int] = set()
        for token in self._vocabulary[start:]:
            if not token.startswith(word):
                break
            found |= self._dblp_words[token]
        return found

    def _dblp(self, path: str, query: dict[str, list[str]]) -> Reply:
        if path != "/search/publ/api" or query.get("q", [""])[0].startswith("toc:"):
            return super()._dblp(path, query)
        q = query.get("q", [""])[0]
        size = min(int(query.get("h", ["30"])[0]), 1000)
        first = int(query.get("f", ["0"])[0])
        words = _norm(q).split()
        hits: list[dict[str, Any]] = []
        if words:
            matching = set.intersection(*(self._prefixed(w) for w in words))
            hits = [self.records[n] for n in sorted(matching)]  # record order, as the fake's
        return Reply(200, json.dumps(_hits_page(q, hits, first, size)))

    def _s2_search(self, query: dict[str, list[str]], fields: list[str]) -> Reply:
        words = set(_norm(query.get("query", [""])[0]).split())
        low, _, high = query.get("year", [""])[0].partition("-")
        limit = min(int(query.get("limit", ["10"])[0]), 100)
        offset = int(query.get("offset", ["0"])[0])
        shared = Counter(n for w in words for n in self._s2_words.get(w, ()))
        scored = []
        for n, common in shared.items():
            paper = self.s2_papers[n]
            year = paper.get("year") or 0
            if (low and year < int(low)) or (high and year > int(high)):
                continue
            score = common / max(1, len(words | self._s2_titles[n]))
            if score >= 0.5:
                scored.append((-score, paper["paperId"], paper))
        return self._s2_search_page(scored, offset, limit, fields)
