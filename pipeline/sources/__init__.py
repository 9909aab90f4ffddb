"""The sources we ask, in one list.

Settings, the HTTP clients, the resolve summary and the report iterate SOURCES, so a fifth
source (OpenAlex, say) is one module in this package plus one line below. Each module here
holds one source's endpoints and its tolerant decoders; network code stays in pipeline.http.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    name: str  # its key in settings, counters, provenance and stage files
    label: str  # what people read
    env: str  # prefix of its knobs: {env}_API_BASE, {env}_TTL_DAYS, {env}_MIN_INTERVAL, ...
    abstracts_only: bool = False  # asked after Semantic Scholar, only for missing abstracts
    takes_key: bool = False  # {env}_API_KEY is sent (never cached, never printed)


SOURCES: tuple[Source, ...] = (
    Source("dblp", "DBLP", "DBLP"),
    Source("s2", "Semantic Scholar", "S2", takes_key=True),
    Source("arxiv", "arXiv", "ARXIV", abstracts_only=True),
    Source("crossref", "Crossref", "CROSSREF", abstracts_only=True),
)
ABSTRACT_ONLY = tuple(s.name for s in SOURCES if s.abstracts_only)


def label_of(name: str) -> str:
    """A source's name as people read it ('s2' -> 'Semantic Scholar'); unknown names as given."""
    return next((s.label for s in SOURCES if s.name == name), name)
