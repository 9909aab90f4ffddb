"""Typed records that cross stage boundaries (and files on disk)."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field, field_validator

from pipeline.sources import ABSTRACT_ONLY
from pipeline.text import clean_abstract, is_corr_key


class Frozen(BaseModel):
    """Base for records: immutable, and unknown keys in stage files are an error, not ignored."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Severity(StrEnum):
    ERROR = "error"  # a paper could not be read properly; fix the list
    WARNING = "warning"  # the list contradicts itself; the parser chose a reading
    INFO = "info"  # harmless oddity worth a maintainer's glance


class LintFinding(Frozen):
    """One problem in the input list, always tied to a line so a maintainer can fix it."""

    line: int = Field(ge=0, description="1-based line in the list; 0 when the whole file is meant")
    code: str
    severity: Severity
    message: str


class StatedIn(StrEnum):
    """Where a listed paper's venue or year came from: its own entry, or a heading above it
    (a heading speaks for a whole section, so a fix to it is a fix to the heading)."""

    ENTRY = "entry"
    HEADING = "heading"


class ListedPaper(Frozen):
    """A paper exactly as the list states it, plus where the venue and year came from."""

    id: str = Field(description="Stable id: venue, year and a slug of the listed title")
    title: str
    authors: list[str] = Field(default_factory=list)
    venue: str | None = None
    year: int | None = None
    venue_source: StatedIn = Field(
        description="'entry' when the entry says it, 'heading' otherwise"
    )
    year_source: StatedIn
    heading_venue: str | None = None
    heading_year: int | None = None
    code_url: str | None = None
    paper_url: str | None = None
    categories: list[str] = Field(default_factory=list)
    section: str = Field(description="The heading path the entry sits under, e.g. 'OSDI / 2016'")
    heading_note: str | None = Field(
        default=None, description="Text after the year in a heading, e.g. 'Session only'"
    )
    line: int = Field(ge=1)
    number: int | None = Field(default=None, description="The entry's number in the list")


class CountTable(Frozen):
    """The 'papers per venue and year' table near the top of an awesome list."""

    line: int
    years: list[int]
    rows: dict[str, dict[int, int]] = Field(description="venue label -> year -> count")
    row_lines: dict[str, int] = Field(default_factory=dict)


class ParsedList(Frozen):
    """Output of the parse stage."""

    source: str = Field(description="Path of the list as given")
    papers: list[ListedPaper]
    findings: list[LintFinding]
    count_table: CountTable | None = None
    actual_counts: dict[str, dict[int, int]] = Field(default_factory=dict)


# -- resolve stage -----------------------------------------------------------------------


class DblpRecord(Frozen):
    """One DBLP publication record, quirks already absorbed (see sources/dblp.py)."""

    key: str
    title: str
    authors: list[str] = Field(default_factory=list, description="As DBLP writes them")
    venue: str | None = None
    year: int | None = None
    type: str = ""
    pages: str | None = None
    volume: str | None = None
    number: str | None = None
    doi: str | None = None
    ee: list[str] = Field(default_factory=list)
    url: str | None = None
    publisher: str | None = None

    @property
    def is_proceedings(self) -> bool:
        return self.type == "Editorship"

    @property
    def is_preprint(self) -> bool:
        return self.type == "Informal and Other Publications" or is_corr_key(self.key)


class S2Author(Frozen):
    authorId: str | None = None  # noqa: N815 - the API's own field names
    name: str | None = None


class S2Tldr(Frozen):
    model: str | None = None
    text: str | None = None


class S2OpenAccessPdf(Frozen):
    url: str | None = None
    status: str | None = None
    license: str | None = None


class S2Paper(Frozen):
    """A Semantic Scholar paper as we keep it: the Graph API's field names, read tolerantly
    by sources/s2.py and stored strictly in the stage file."""

    paperId: str  # noqa: N815
    externalIds: dict[str, str | int | None] | None = None  # noqa: N815
    title: str | None = None
    year: int | None = None
    venue: str | None = None
    authors: list[S2Author] | None = None
    citationCount: int | None = None  # noqa: N815
    influentialCitationCount: int | None = None  # noqa: N815
    referenceCount: int | None = None  # noqa: N815
    abstract: str | None = None
    tldr: S2Tldr | None = None
    openAccessPdf: S2OpenAccessPdf | None = None  # noqa: N815
    url: str | None = None
    publicationDate: str | None = None  # noqa: N815
    publicationTypes: list[str] | None = None  # noqa: N815 - "Conference", "JournalArticle"...
    journal: str | None = None  # the journal's name, when S2 files the paper in one
    matchScore: float | None = None  # noqa: N815

    @property
    def is_preprint(self) -> bool:
        """S2 knows only an arXiv version: venue arXiv/CoRR, or an arXiv DataCite DOI alone."""
        venue = (self.venue or "").casefold()
        if venue in {"arxiv", "arxiv.org", "corr"} or (self.journal or "").casefold() == "arxiv":
            return True
        doi = (self.external_id("DOI") or "").casefold()
        return doi.startswith("10.48550/")

    def external_id(self, name: str) -> str | None:
        value = (self.externalIds or {}).get(name)
        return None if value is None else str(value)


class Method(StrEnum):
    TOC_EXACT = "toc exact"
    TOC_FUZZY = "toc fuzzy"
    SEARCH = "search"
    OVERRIDE = "override"
    S2_ID = "s2 id"  # looked up by DOI / arXiv id / pinned paper id
    S2_TITLE = "s2 title match"


class Candidate(Frozen):
    """A record considered for a paper, with the numbers behind the decision."""

    id: str = Field(description="DBLP key or S2 paper id")
    title: str
    year: int | None = None
    venue: str | None = None
    title_score: float = Field(description="0-100 title similarity after normalisation")
    confidence: float = Field(ge=0, le=1)
    evidence: list[str] = Field(default_factory=list)


class FetchStatus(StrEnum):
    FOUND = "found"
    NOT_FOUND = "not found"  # the source answered; nothing acceptable
    FAILED = "failed"  # the source could not be asked or answered garbage
    SKIPPED = "skipped"  # declared absent in the overrides
    NOT_ASKED = "not asked"  # outside --only this run, with no earlier result to keep


class SourceDecision(Frozen):
    """How a source's record was chosen (or why none was): what the catalog publishes."""

    status: FetchStatus
    method: Method | None = None
    confidence: float | None = None
    title_score: float | None = None
    evidence: list[str] = Field(default_factory=list)
    candidates: list[Candidate] = Field(default_factory=list)
    error: str | None = None

    def decision(self) -> SourceDecision:
        """Only the decision, without the source's record."""
        return SourceDecision.model_validate(
            {name: getattr(self, name) for name in SourceDecision.model_fields}
        )


class DblpResolution(SourceDecision):
    record: DblpRecord | None = None
    proceedings: DblpRecord | None = None
    preprint: DblpRecord | None = Field(
        default=None,
        description="The record's CoRR version (same title and authors): its arXiv id is kept",
    )
    toc_error: str | None = Field(
        default=None,
        description="The venue-year's table of contents failed; the record came from a search",
    )
    fetched_at: float | None = None
    expired: bool = Field(
        default=False,
        description="The answer was an expired cache entry, served because asking again failed",
    )


class S2Resolution(SourceDecision):
    record: S2Paper | None = None
    fetched_at: float | None = None
    expired: bool = Field(
        default=False,
        description="The answer was an expired cache entry, served because asking again failed",
    )


class Refusal(StrEnum):
    """Why a source's record was refused as the paper's: its id then belongs to no abstract."""

    ANOTHER_PAPER = "another paper, not used"  # the record's title is another paper's
    REFUSED_ID = "incorrect id format"  # arXiv's HTTP 400 for an id: not this paper's either


class AbstractFinding(Frozen):
    """What one abstract source (arXiv, Crossref) said about a paper, asked after S2."""

    source: str = Field(description="arxiv or crossref")
    status: FetchStatus
    asked: str = Field(description="The arXiv id or DOI asked for")
    text: str | None = Field(default=None, description="The abstract, cleaned")
    title: str | None = Field(default=None, description="The source's title of the record")
    arxiv_id: str | None = Field(default=None, description="arXiv: the id, confirmed")
    pdf_url: str | None = Field(default=None, description="arXiv: the open-access PDF")
    evidence: list[str] = Field(default_factory=list)
    refused: Refusal | None = Field(default=None, description="Why the record is not the paper's")
    error: str | None = None
    fetched_at: float | None = None
    expired: bool = Field(
        default=False,
        description="The answer was an expired cache entry, served because asking again failed",
    )


class ResolvedPaper(Frozen):
    paper: ListedPaper
    dblp: DblpResolution
    s2: S2Resolution
    pinned_doi: str | None = None
    warnings: list[str] = Field(default_factory=list)
    abstracts: list[AbstractFinding] = Field(
        default_factory=list, description="arXiv and Crossref, asked for what S2 lacked"
    )

    def abstracts_found(self) -> dict[str, str]:
        """Every abstract this run found for the paper, by source (S2 first), cleaned."""
        record = self.s2.record
        found = {"s2": clean_abstract(record.abstract) if record is not None else None}
        for finding in self.abstracts:
            if finding.status is FetchStatus.FOUND and finding.text:
                found.setdefault(finding.source, finding.text)
        return {source: text for source, text in found.items() if text}


class SourceCounters(BaseModel):
    """What one source cost this run; counted by the HTTP client, shown in the report."""

    model_config = ConfigDict(extra="forbid")  # mutable: the client increments it

    requests: int = 0
    cache_hits: int = 0
    retries: int = 0
    rate_limited: int = 0
    failures: int = 0
    not_found: int = 0
    bad_responses: int = 0
    stale_served: int = 0
    offline_misses: int = 0
    circuit_open: bool = False
    unreachable: bool = False  # never answered at all this run (no network, DNS, refused)
    walls: int = 0  # bot-wall pages received (never cached, never counted as failures)
    wall_waited: float = 0.0  # seconds spent pausing for bot walls
    wall_began: float | None = None  # epoch seconds of the first bot-wall page
    wall_outlasted: bool = False  # the wall outlasted the run's budget; the source was dropped
    reused: int = 0  # papers whose decision was kept from the last run (resolve/earlier.py)


class ResolveBasis(Frozen):
    """What a resolve run's DBLP and S2 decisions rest on besides each paper's entry: the next
    run keeps a paper's decisions when its entry, this digest and these answers are unchanged."""

    inputs: str = Field(description="stamp.resolve_digest: code, settings, venue/override files")
    answers: dict[str, tuple[float, float]] = Field(
        description="cache key -> (stored at, fresh until) of every answer the run drew on,"
        " and of those its kept decisions rest on"
    )


class ResolveResult(Frozen):
    """Output of the resolve stage."""

    papers: list[ResolvedPaper]
    counters: dict[str, SourceCounters] = Field(default_factory=dict)
    cache_warnings: list[str] = Field(default_factory=list)
    basis: ResolveBasis | None = Field(
        default=None, description="None: a run that some answer failed, or under --only"
    )


# -- merge stage and the published catalog ----------------------------------------------

# 2.0.0: `stale` maps a field to a StaleMark (since, as_of, reason) instead of a sentence.
CATALOG_SCHEMA_VERSION = "2.0.0"


class Status(StrEnum):
    RESOLVED = "resolved"  # found in DBLP and in Semantic Scholar
    PARTIAL = "partial"  # found in one of them
    UNRESOLVED = "unresolved"  # found in neither: the entry is built from the list alone


class StaleMark(Frozen):
    """Why a field holds a value this run could not refresh, and how old that value is."""

    since: str = Field(description="YYYY-MM-DD: the first run that could not refresh the value")
    as_of: str | None = Field(
        default=None, description="YYYY-MM-DD: when the source produced the value, when known"
    )
    reason: str = Field(description="What failed, for people: 'DBLP failed (HTTP 503 ...)'")

    @classmethod
    def from_legacy(cls, text: str) -> StaleMark:
        """A catalog before 2.0.0 wrote 'since YYYY-MM-DD: reason'."""
        since, _, reason = text.removeprefix("since ").partition(": ")
        return cls(since=since, reason=reason or text)


# Evidence the matcher writes and the report reads back (one spelling, here): a paper left
# unresolved between same-title versions, and a candidate no listed author confirms.
SAME_TITLE_NOTE = "ambiguous: one title, several DBLP records"
NO_COMMON_AUTHOR = "no author in common"
NOT_IN_DBLP = "not in DBLP"  # a paper Semantic Scholar alone knows (a keyword and a warning)


class CatalogPaper(Frozen):
    """Everything we know about one listed paper; field names are a published contract."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    key: str = Field(
        description="BibTeX key; final once the paper is resolved, provisional before (when it "
        "changes, the old key stays in key_aliases)"
    )
    key_aliases: list[str] = Field(
        default_factory=list,
        description="Earlier provisional keys of this paper, still citable (biblatex `ids`)",
    )
    id: str = Field(description="Stable id of the listed entry")
    listed: ListedPaper = Field(alias="list", description="The entry exactly as the list has it")
    status: Status
    entry_type: str = Field(description="BibTeX entry type: inproceedings, article or misc")
    dblp_key: str | None = None
    doi: str | None = None
    s2_paper_id: str | None = None
    arxiv_id: str | None = None
    title: str
    authors: list[str] = Field(default_factory=list)
    year: int | None = None
    venue: str | None = None
    venue_label: str | None = Field(
        default=None,
        description="The listed venue's short label as the venue table names it ('OSDI', "
        "'SIGMOD', 'ATC'); the list's own label for a venue the table lacks",
    )
    venue_name: str | None = Field(
        default=None,
        description="Full name of the proceedings or journal of that venue and year: DBLP's "
        "proceedings title or journal, else the venue table's full name with label and year, "
        "else label and year",
    )
    booktitle: str | None = None
    journal: str | None = None
    publisher: str | None = None
    pages: str | None = None
    volume: str | None = None
    number: str | None = None
    url: str | None = None
    dblp_url: str | None = None
    s2_url: str | None = None
    code_url: str | None = None
    categories: list[str] = Field(default_factory=list)
    citation_count: int | None = None
    influential_citation_count: int | None = None
    reference_count: int | None = None
    abstract: str | None = None
    abstract_source: str | None = None
    tldr: str | None = None
    open_access_pdf: str | None = None
    publication_date: str | None = None
    match: dict[str, SourceDecision] = Field(default_factory=dict)
    provenance: dict[str, str] = Field(
        default_factory=dict, description="field -> where its value came from"
    )
    stale: dict[str, StaleMark] = Field(
        default_factory=dict,
        description="field -> why its value is not this run's answer (a previous run's value, "
        "or an expired answer served because the source could not be asked), and its date",
    )
    warnings: list[str] = Field(default_factory=list)

    @field_validator("stale", mode="before")
    @classmethod
    def _read_legacy_stale(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {
                k: StaleMark.from_legacy(v) if isinstance(v, str) else v for k, v in value.items()
            }
        return value


class Catalog(Frozen):
    """output/catalog.json."""

    schema_version: str = CATALOG_SCHEMA_VERSION
    source: str = Field(description="The list the catalog was built from")
    papers: list[CatalogPaper]


class _Outline(BaseModel):
    """Part of a stage file read for counting only: what is not declared is read past."""

    model_config = ConfigDict(frozen=True, extra="ignore")


class _AnswerOutline(_Outline):
    status: FetchStatus
    record: _Outline | None = None


class _FindingOutline(_Outline):
    source: str
    status: FetchStatus
    text: str | None = None


class _ResolvedOutline(_Outline):
    dblp: _AnswerOutline
    s2: _AnswerOutline
    abstracts: list[_FindingOutline] = Field(default_factory=list)


class ResolveOutcomes(_Outline):
    """Of resolve.json, what ResolveSummary counts (each source's status, whether it gave a
    record, the abstracts found) and the counters: emit reads this instead of the records,
    which a 10,000-paper run holds as some 200 MB of objects."""

    papers: list[_ResolvedOutline]
    counters: dict[str, SourceCounters] = Field(default_factory=dict)


class ResolveBasisOnly(_Outline):
    """Of resolve.json, its basis alone: whether the last run's decisions may hold at all is
    known before its records are read."""

    basis: ResolveBasis | None = None


class ResolveSummary(Frozen):
    """What the report and the exit status need from the resolve stage, without the records."""

    total: int
    found: dict[str, int] = Field(description="source -> papers it resolved")
    failed: dict[str, int] = Field(description="source -> papers it could not be asked about")
    counters: dict[str, SourceCounters]

    @classmethod
    def of(cls, result: ResolveResult | ResolveOutcomes) -> ResolveSummary:
        papers = result.papers
        return cls(
            total=len(papers),
            found={
                "dblp": sum(r.dblp.record is not None for r in papers),
                "s2": sum(r.s2.record is not None for r in papers),
                **{
                    name: sum(any(f.source == name and f.text for f in r.abstracts) for r in papers)
                    for name in ABSTRACT_ONLY
                },
            },
            failed={
                "dblp": sum(r.dblp.status is FetchStatus.FAILED for r in papers),
                "s2": sum(r.s2.status is FetchStatus.FAILED for r in papers),
                **{
                    name: sum(
                        any(
                            f.source == name and f.status is FetchStatus.FAILED for f in r.abstracts
                        )
                        for r in papers
                    )
                    for name in ABSTRACT_ONLY
                },
            },
            counters=result.counters,
        )


COVERAGE = ("resolved in DBLP", "resolved in Semantic Scholar", "DOIs", "abstracts")


class PublishedSet(Protocol):
    """A catalog as the report compares it: a Catalog, or the previous one as a run reads it
    back (merge/previous.py, whose records are lighter CatalogPapers)."""

    @property
    def papers(self) -> Sequence[CatalogPaper]: ...


def covered(paper: CatalogPaper) -> list[str]:
    """The coverage measures one paper counts toward."""
    has = (paper.dblp_key, paper.s2_paper_id, paper.doi, paper.abstract)
    return [name for name, value in zip(COVERAGE, has, strict=True) if value is not None]


class Snapshot(Frozen):
    """What the report needs from the previous catalog: per key its DOI, citation count and
    what it was covered by (coverage is compared over the papers present in both runs)."""

    dois: dict[str, str | None]
    citations: dict[str, int | None]
    covered: dict[str, list[str]]

    @classmethod
    def of(cls, catalog: PublishedSet) -> Snapshot:
        papers = catalog.papers
        return cls(
            dois={p.key: p.doi for p in papers},
            citations={p.key: p.citation_count for p in papers},
            covered={p.key: covered(p) for p in papers},
        )

    def coverage_drops(self, now: Snapshot) -> list[str]:
        """Coverage lost by papers still listed (a paper the list removed is a change)."""
        both = sorted(self.covered.keys() & now.covered.keys())
        drops = []
        for name in COVERAGE:
            before = sum(name in self.covered[k] for k in both)
            after = sum(name in now.covered[k] for k in both)
            if after < before:
                drops.append(
                    f"{name} {before} -> {after} (over the {len(both)} papers in both runs)"
                )
        return drops
