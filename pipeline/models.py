"""Typed records that cross stage boundaries (and files on disk)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


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


class ListedPaper(Frozen):
    """A paper exactly as the list states it, plus where the venue and year came from."""

    id: str = Field(description="Stable id: venue, year and a slug of the listed title")
    title: str
    authors: list[str] = Field(default_factory=list)
    venue: str | None = None
    year: int | None = None
    venue_source: str = Field(description="'entry' when the entry says it, 'heading' otherwise")
    year_source: str
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
