"""The previous catalog: each paper's earlier record, and every key ever published."""

from __future__ import annotations

from pipeline.models import Catalog, CatalogPaper, ResolvedPaper
from pipeline.text import normalize_title


class PreviousIndex:
    """Find a paper's record in the previous catalog: by id, DBLP key, then title."""

    def __init__(self, previous: Catalog | None) -> None:
        papers = previous.papers if previous else []
        self.by_id = {p.id: p for p in papers}
        self.by_dblp = {p.dblp_key: p for p in papers if p.dblp_key}
        self.by_title = {normalize_title(p.listed.title): p for p in papers}
        self.keys_and_aliases = {k for p in papers for k in (p.key, *p.key_aliases)}

    def find(self, item: ResolvedPaper) -> CatalogPaper | None:
        found = self.by_id.get(item.paper.id)
        if found is None and item.dblp.record is not None:
            found = self.by_dblp.get(item.dblp.record.key)
        return found or self.by_title.get(normalize_title(item.paper.title))
