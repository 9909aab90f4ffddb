"""The previous catalog: each paper's earlier record, and every key ever published.

A run reads the last published catalog back for a few things only: keys and aliases, the
values it keeps when a source fails (with their provenance and stale marks), and the coverage
figures the report compares. `read_previous` reads just those (a 10,000-paper catalog as full
models is ~100 MB of objects beside the new records); the candidates of the decisions in
`match`, needed only for papers outside `--only`, are read when asked for. Everything read is
checked as strictly as the full model checks it: a damaged catalog is never a baseline.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from pipeline.models import (
    CATALOG_SCHEMA_VERSION,
    Catalog,
    CatalogPaper,
    FetchStatus,
    ListedPaper,
    Method,
    ResolvedPaper,
    SourceDecision,
)
from pipeline.text import normalize_title


class _Skipped(BaseModel):
    """A JSON object read past: its content is not kept."""

    model_config = ConfigDict(frozen=True, extra="ignore")


class _Listing(BaseModel):
    """Of the entry as the list had it, the title (previous records are also found by it)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str


class _CheckedDecision(BaseModel):
    """A match decision checked as SourceDecision checks it, but for its candidates, which are
    read past (only papers outside `--only` need them: PreviousPaperWithMatch). A damaged
    decision still makes the catalog unreadable, as with the full model."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    status: FetchStatus
    method: Method | None = None
    confidence: float | None = None
    title_score: float | None = None
    evidence: list[str] = Field(default_factory=list)
    candidates: list[_Skipped] = Field(default_factory=list)
    error: str | None = None


class PreviousPaper(CatalogPaper):
    """A published record as later runs read it back: CatalogPaper, but of the list's entry
    (checked whole) only its title is kept, and of the match decisions (checked) not their
    candidates."""

    listed: _Listing = Field(alias="list")  # type: ignore[assignment]
    match: dict[str, _CheckedDecision] = Field(default_factory=dict)  # type: ignore[assignment]

    @field_validator("listed", mode="before")
    @classmethod
    def _check_listing(cls, value: Any) -> Any:
        """The entry checked whole, as ListedPaper checks it; its title kept."""
        return _Listing(title=ListedPaper.model_validate(value).title)


class PreviousPaperWithMatch(PreviousPaper):
    """A published record with its match decisions (a paper outside `--only` keeps them)."""

    match: dict[str, SourceDecision] = Field(default_factory=dict)  # type: ignore[assignment]


class _Envelope(BaseModel):
    """catalog.json without its papers."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: str = CATALOG_SCHEMA_VERSION
    source: str


class PreviousCatalog(_Envelope):
    """The last published catalog as later runs read it back (see `read_previous`)."""

    papers: list[PreviousPaper]
    paper_model: ClassVar[type[PreviousPaper]] = PreviousPaper

    @classmethod
    def model_validate_json(
        cls, json_data: str | bytes | bytearray, **options: Any
    ) -> PreviousCatalog:
        """As pydantic reads it, but paper by paper when the file has our writer's layout:
        validating 40 MB of JSON at once first builds a parse tree of all of it (some 80 MB
        more at the peak). A file in another layout, or one that does not validate, is read
        whole, so its errors are reported as before."""
        if isinstance(json_data, bytes) and not options:
            try:
                read = cls._read_by_paper(json_data)
            except ValidationError:
                read = None
            if read is not None:
                return read
        return super().model_validate_json(json_data, **options)

    @classmethod
    def _read_by_paper(cls, data: bytes) -> PreviousCatalog | None:
        papers: list[PreviousPaper] = []
        for text in _papers_of(data):
            if isinstance(text, _Rest):
                envelope = _Envelope.model_validate_json(text.data)
                return cls.model_construct(
                    schema_version=envelope.schema_version, source=envelope.source, papers=papers
                )
            papers.append(cls.paper_model.model_validate_json(text))
        return None


class PreviousCatalogWithMatch(PreviousCatalog):
    """The previous catalog with the match decisions (see PreviousPaperWithMatch)."""

    papers: list[PreviousPaperWithMatch]  # type: ignore[assignment]
    paper_model: ClassVar[type[PreviousPaper]] = PreviousPaperWithMatch


# The layout our writer gives catalog.json (orjson, indent 2, sorted keys: "papers" first):
# each paper an object at four spaces whose nested values are indented further, and no raw
# newline inside a string. Each slice must parse as one whole object and the separators
# between them are JSON's own, so a file read this way reads as a JSON parser reads it.
_FIRST = b'{\n  "papers": [\n    {\n'
_CLOSE = b"\n    }"
_NEXT = b",\n    {\n"
_LAST = b"\n  ],\n"


@dataclass(frozen=True)
class _Rest:
    """The object's keys after `papers`, as an object of their own."""

    data: bytes


def _papers_of(data: bytes) -> Iterator[bytes | _Rest]:
    """Each paper's JSON text, then the rest; stops early when `data` has another layout."""
    if not data.startswith(_FIRST):
        return
    start = len(_FIRST) - 2  # the first paper's `{`
    while (end := data.find(_CLOSE, start)) >= 0:
        end += len(_CLOSE)
        yield data[start:end]
        if data.startswith(_NEXT, end):
            start = end + len(_NEXT) - 2
        else:
            if data.startswith(_LAST, end):
                yield _Rest(b"{\n" + data[end + len(_LAST) :])
            return


def read_previous(data: bytes, *, matches: bool = False) -> PreviousCatalog:
    """The previous catalog.json (its bytes) as a run reads it back; `matches` keeps the match
    decisions too (needed when some papers were not asked this run: `--only`).

    Raises pydantic's ValidationError for a damaged or foreign file, as loading it whole would.
    """
    return previous_model(matches).model_validate_json(data)


def previous_model(matches: bool) -> type[PreviousCatalog]:
    """The model the previous catalog is read with: with the match decisions' candidates or
    without (`needs_matches`)."""
    return PreviousCatalogWithMatch if matches else PreviousCatalog


Previous = Catalog | PreviousCatalog
Before = CatalogPaper  # a previous record, whole or read back light (PreviousPaper)


class PreviousIndex:
    """Find a paper's record in the previous catalog: by id, DBLP key, then title."""

    def __init__(self, previous: Previous | None) -> None:
        papers: list[CatalogPaper] = list(previous.papers) if previous else []
        self.by_id: dict[str, Before] = {p.id: p for p in papers}
        self.by_dblp: dict[str, Before] = {p.dblp_key: p for p in papers if p.dblp_key}
        self.by_title: dict[str, Before] = {normalize_title(p.listed.title): p for p in papers}
        self.keys_and_aliases = {k for p in papers for k in (p.key, *p.key_aliases)}

    def find(self, item: ResolvedPaper) -> Before | None:
        found = self.by_id.get(item.paper.id)
        if found is None and item.dblp.record is not None:
            found = self.by_dblp.get(item.dblp.record.key)
        return found or self.by_title.get(normalize_title(item.paper.title))


def needs_matches(resolved: list[ResolvedPaper]) -> bool:
    """Whether merge will keep some previous records' match decisions: papers this run did not
    ask about (outside `--only`) keep theirs, so read_previous must read them."""
    return any(item.dblp.status is FetchStatus.NOT_ASKED for item in resolved)
