"""What the walk over one list has gathered so far: context, entries, findings, rejections."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.models import CountTable, LintFinding, Severity
from pipeline.parse.entry import Entry, NotAPaper
from pipeline.parse.headings import Context
from pipeline.venues import VenueTable


@dataclass(frozen=True)
class Rejected:
    """A block that looked like an entry but is not a paper, and why (for an empty list)."""

    line: int
    source: str
    why: NotAPaper


@dataclass
class Walk:
    """The state of one pass over the document tree."""

    lines: list[str]
    venues: VenueTable
    context: Context
    findings: list[LintFinding] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    current: Entry | None = None  # the entry that indented paragraphs continue
    table: CountTable | None = None
    rejected: list[Rejected] = field(default_factory=list)
    seen_items: int = 0
    seen_rows: int = 0
    seen_paragraphs: int = 0
    consumed: set[int] = field(default_factory=set)  # ids of paragraphs read into an entry

    def source(self, line: int) -> str:
        """The list's text on a 1-based line ('' past the end)."""
        return self.lines[line - 1] if 0 < line <= len(self.lines) else ""

    def report(self, line: int, code: str, severity: Severity, message: str) -> None:
        self.findings.append(finding(line, code, severity, message))

    def reject(self, line: int, why: NotAPaper) -> None:
        self.rejected.append(Rejected(line, self.source(line), why))


def finding(line: int, code: str, severity: Severity, message: str) -> LintFinding:
    return LintFinding(line=line, code=code, severity=severity, message=message)
