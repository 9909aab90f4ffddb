"""Parse stage: an awesome-list README -> typed paper records plus lint findings about the list.

The parser is forgiving by design: every line it cannot read becomes a finding with its line
number, and every numbered entry under a venue heading becomes a paper, however damaged.
"""

from __future__ import annotations

import re
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.models import CountTable, LintFinding, ListedPaper, ParsedList, Severity
from pipeline.text import normalize_title, slugify, venue_key

_HEADING = re.compile(r"^(?P<hashes>#{1,6})[ \t]+(?P<text>.*?)[ \t#]*$")
_ENTRY = re.compile(r"^[ \t]*(?P<number>\d{1,6})[.)][ \t]+(?P<rest>.*?)[ \t]*$")
_BULLET = re.compile(
    r"^[ \t]*[-*+][ \t]+(?P<rest>(?:\*\*|__).*?)[ \t]*$"
)  # '- **Title** VENUE YEAR'
_BOLD = re.compile(r"^(?:\*\*(?P<t1>.+?)\*\*|__(?P<t2>.+?)__)(?P<suffix>.*)$")
_BADGE = re.compile(r"!\[[^\]]*\]\((?P<url>[^)\s]*)\)")
_LINK = re.compile(
    r"\[(?P<text>(?:[^\[\]]|\[[^\[\]]*\])*)\]\((?P<url>[^)\s]*)\)"
)  # also [[Paper]](u)
_BARE_URL = re.compile(r"https?://[^\s)>\]]+")
_CODE_LINE = re.compile(r"^[ \t]*(?:code|github|repo|source)[ \t]*:[ \t]*(?P<rest>.*)$", re.I)
_AUTHOR_LINE = re.compile(r"^[ \t]*(?P<mark>\*|_)(?P<names>[^*_\s].*?)(?P=mark)[ \t]*$")
_YEAR_TEXT = re.compile(
    r"^(?P<year>\d{4})\b[ \t]*(?:\((?P<note>[^)]*)\)|[-:\u2013\u2014][ \t]*(?P<note2>.*))?[ \t]*$"
)
# "OSDI 2020", "OSDI '20", "ASPLOS 20189" (a typo, reported); never "V10" (a name with digits).
_VENUE_YEAR = re.compile(
    r"^(?P<venue>[A-Za-z][\w&+./\- ]*?)(?:[ \t]+(?P<long>\d{3,})|[ \t]*'(?P<short>\d{2}))"
    r"[ \t]*(?:\((?P<note>[^)]*)\))?$"
)
# A damaged entry without bold: "Title words VENUE 2020" -> peel the suffix off the end.
_TRAILING_VENUE_YEAR = re.compile(r"[ \t]+(?P<suffix>[A-Z][A-Za-z&+./\-]*[ \t]+'?\d{2,5})[ \t]*$")
_HTML_COMMENT = re.compile(r"<!--.*?-->")
_TABLE_ROW = re.compile(r"^[ \t]*\|(?P<cells>.*)\|[ \t]*$")
_TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t:|-]+\|?[ \t]*$")
_SPLIT_AUTHORS = re.compile(r"[ \t]*(?:,|;|\band\b|&)[ \t]*")

MIN_YEAR, MAX_YEAR = 1950, 2100


def load_list(path: Path) -> tuple[list[str], list[LintFinding]]:
    """Read the list as lines; undecodable bytes are replaced and reported, never fatal."""
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    lines: list[str] = []
    findings: list[LintFinding] = []
    for number, raw_line in enumerate(raw.splitlines(), start=1):
        try:
            lines.append(raw_line.decode("utf-8"))
        except UnicodeDecodeError as exc:
            lines.append(raw_line.decode("utf-8", errors="replace"))
            findings.append(
                _finding(number, "invalid-utf8", Severity.ERROR, f"invalid UTF-8 ({exc.reason})")
            )
    return lines, findings


def parse_list_file(path: Path) -> ParsedList:
    """Parse the list at `path` (I/O at the edge; `parse_list` does the work)."""
    lines, findings = load_list(path)
    parsed = parse_list(lines, source=str(path))
    return parsed.model_copy(update={"findings": sorted([*findings, *parsed.findings], key=_order)})


def parse_list(lines: list[str], source: str = "<list>") -> ParsedList:
    """Parse the lines of an awesome list; never raises on any text."""
    state = _State()
    for number, line in enumerate(lines, start=1):
        state.feed(number, _HTML_COMMENT.sub("", line).replace("\u00a0", " "))
    papers = state.finish()
    findings = list(state.findings)
    if not papers:
        findings.append(
            _finding(0, "empty-list", Severity.ERROR, "no paper entries found in the list")
        )
    findings.extend(_lint_duplicates(papers))
    actual = count_papers(papers)
    if state.table is not None:
        findings.extend(lint_count_table(state.table, actual))
    return ParsedList(
        source=source,
        papers=papers,
        findings=sorted(findings, key=_order),
        count_table=state.table,
        actual_counts=actual,
    )


@dataclass
class _Entry:
    """A paper being assembled from its entry line and the lines that follow it."""

    line: int
    number: int | None
    title: str
    venue: str | None
    year: int | None
    venue_source: str
    year_source: str
    heading_venue: str | None
    heading_year: int | None
    section: str
    heading_note: str | None
    categories: list[str]
    paper_url: str | None = None
    code_url: str | None = None
    authors: list[str] = field(default_factory=list)


class _State:
    """Walks the lines once, tracking the heading context."""

    def __init__(self) -> None:
        self.findings: list[LintFinding] = []
        self.entries: list[_Entry] = []
        self.section: str | None = None
        self.venue: str | None = None
        self.year: int | None = None
        self.year_note: str | None = None
        self.subsection: str | None = None
        self.current: _Entry | None = None
        self.table: CountTable | None = None
        self._table_lines: list[tuple[int, str]] = []

    # -- line dispatch -------------------------------------------------------------------
    def feed(self, number: int, line: str) -> None:
        if _TABLE_ROW.match(line) or (self._table_lines and _TABLE_RULE.match(line.strip() or "x")):
            self._table_lines.append((number, line))
            return
        self._close_table()
        if not line.strip():
            return
        heading = _HEADING.match(line)
        if heading:
            self.current = None
            self._heading(number, len(heading["hashes"]), _strip_links(heading["text"]).strip())
            return
        entry = _ENTRY.match(line)
        if entry and (self.venue is not None or _BOLD.match(entry["rest"])):
            self._entry(number, int(entry["number"]), entry["rest"])
            return
        bullet = _BULLET.match(line)
        if bullet and self.venue is not None and self.section_is_papers():
            self._entry(number, None, bullet["rest"])  # some lists use bullets, not numbers
            return
        if self.current is not None:
            self._continuation(number, line)
        elif self.venue is not None and self.section_is_papers():
            self._finding(
                number, "unknown-line", Severity.INFO, f"unrecognised line: {_clip(line)}"
            )

    def section_is_papers(self) -> bool:
        return self.section is None or "contributor" not in self.section.casefold()

    def finish(self) -> list[ListedPaper]:
        self._close_table()
        return _to_papers(self.entries)

    # -- headings ------------------------------------------------------------------------
    def _heading(self, number: int, level: int, text: str) -> None:
        year_match = _YEAR_TEXT.match(text)
        if level <= 2:
            self.section, self.venue, self.year, self.subsection = text, None, None, None
            self.year_note = None
            return
        if year_match and level >= 3:
            year = int(year_match["year"])
            if level == 3:
                self._finding(
                    number,
                    "year-heading-level",
                    Severity.WARNING,
                    f"year heading '### {text}' should be '#### {text}'"
                    + (f" (under {self.venue})" if self.venue else ""),
                )
            if not MIN_YEAR <= year <= MAX_YEAR:
                self._finding(number, "bad-year", Severity.WARNING, f"'{text}' is not a year")
                self.year = None
            else:
                self.year = year
            self.year_note = (year_match["note"] or year_match["note2"] or "").strip() or None
            return
        venue_year = _VENUE_YEAR.match(text)
        if level == 3:
            self.subsection, self.year, self.year_note = None, None, None
            if venue_year and _valid_year(_year_text(venue_year)) is not None:
                self.venue = venue_year["venue"].strip()
                self.year = _valid_year(_year_text(venue_year))
            else:
                self.venue = text or None
                if not text:
                    self._finding(number, "empty-heading", Severity.WARNING, "empty heading")
            return
        # Level 4+ and not a year: a "VENUE YEAR" heading or a sub-category.
        if venue_year and _valid_year(_year_text(venue_year)) is not None:
            self.venue = venue_year["venue"].strip()
            self.year = _valid_year(_year_text(venue_year))
            return
        self.subsection = text
        self._finding(
            number,
            "heading-not-year",
            Severity.INFO,
            f"heading '{text}' is neither a venue nor a year; kept as a sub-section",
        )

    # -- entries -------------------------------------------------------------------------
    def _entry(self, number: int, entry_number: int | None, rest: str) -> None:
        bold = _BOLD.match(rest)
        if bold:
            title_md = bold["t1"] or bold["t2"] or ""
            suffix = bold["suffix"]
        else:
            title_md, suffix = self._damaged_entry(number, rest)
        paper_url = None
        link = _LINK.search(title_md)
        if link:
            paper_url = link["url"] or None
        title = " ".join(_strip_links(title_md).replace("**", "").split()).strip()
        categories = [c for c in (_badge_category(m["url"]) for m in _BADGE.finditer(suffix)) if c]
        suffix = _BADGE.sub(" ", suffix)
        code_url = None
        for link_match in _LINK.finditer(suffix):
            label = link_match["text"].casefold()
            if "code" in label or "github" in label:
                code_url = code_url or link_match["url"]
            else:
                paper_url = paper_url or link_match["url"]
        suffix = _LINK.sub(" ", suffix)
        suffix = " ".join(suffix.strip(" \t[]()|,;-:").split())
        if not title:
            self._finding(number, "empty-title", Severity.ERROR, "entry has an empty title")
            title = f"(untitled entry at line {number})"
        venue, year, venue_source, year_source = self._venue_year(number, title, suffix)
        self.current = _Entry(
            line=number,
            number=entry_number,
            title=title,
            venue=venue,
            year=year,
            venue_source=venue_source,
            year_source=year_source,
            heading_venue=self.venue,
            heading_year=self.year,
            section=" / ".join(
                str(part) for part in (self.venue, self.year, self.subsection) if part is not None
            )
            or (self.section or ""),
            heading_note=self.year_note,
            categories=categories,
            paper_url=paper_url,
            code_url=code_url,
        )
        self.entries.append(self.current)
        if self.venue is None:
            self._finding(
                number,
                "entry-outside-venue",
                Severity.WARNING,
                f"entry '{_clip(title)}' is not under a venue heading",
            )

    def _damaged_entry(self, number: int, rest: str) -> tuple[str, str]:
        """Best-effort split of an entry whose title is not (properly) bold."""
        problem = "unbalanced '**' in entry" if "**" in rest else "entry title is not bold"
        self._finding(number, "malformed-entry", Severity.ERROR, f"{problem}: {_clip(rest)}")
        text = rest.replace("**", "")
        trailing = _TRAILING_VENUE_YEAR.search(text)
        if trailing:
            return text[: trailing.start()], trailing["suffix"]
        return text, ""

    def _venue_year(
        self, number: int, title: str, suffix: str
    ) -> tuple[str | None, int | None, str, str]:
        """Venue and year from the entry's suffix, else the headings, reporting disagreements."""
        entry_venue: str | None = None
        entry_year_text: str | None = None
        if suffix:
            match = _VENUE_YEAR.match(suffix)
            if match:
                entry_venue, entry_year_text = match["venue"].strip(), _year_text(match)
            else:
                self._finding(
                    number,
                    "unreadable-suffix",
                    Severity.WARNING,
                    f"cannot read venue and year from '{_clip(suffix)}' after '{_clip(title)}'",
                )
        else:
            where = " ".join(str(p) for p in (self.venue, self.year) if p is not None)
            self._finding(
                number,
                "missing-suffix",
                Severity.WARNING,
                f"entry '{_clip(title)}' has no venue/year suffix"
                + (f"; using the headings ({where})" if where else ""),
            )

        venue, venue_source = self.venue, "heading"
        if entry_venue is not None:
            venue, venue_source = entry_venue, "entry"
            if self.venue is not None and not _same_venue(entry_venue, self.venue):
                self._finding(
                    number,
                    "venue-mismatch",
                    Severity.WARNING,
                    f"entry says venue {entry_venue} but sits under the {self.venue} heading",
                )
        year, year_source = self.year, "heading"
        if entry_year_text is not None:
            entry_year = _valid_year(entry_year_text)
            if entry_year is None:
                self._finding(
                    number,
                    "bad-year",
                    Severity.WARNING,
                    f"'{entry_venue} {entry_year_text}' has no valid year"
                    + (f"; using the heading year {self.year}" if self.year else ""),
                )
            else:
                year, year_source = entry_year, "entry"
                if self.year is not None and entry_year != self.year:
                    self._finding(
                        number,
                        "year-mismatch",
                        Severity.WARNING,
                        f"entry says {entry_year} but sits under the {self.year} heading",
                    )
        if year is None:
            self._finding(number, "no-year", Severity.ERROR, f"no year for '{_clip(title)}'")
        if venue is None:
            self._finding(number, "no-venue", Severity.ERROR, f"no venue for '{_clip(title)}'")
        return venue, year, venue_source, year_source

    def _continuation(self, number: int, line: str) -> None:
        if self.current is None:
            return
        code = _CODE_LINE.match(line)
        if code:
            url = _first_url(code["rest"])
            if url:
                self.current.code_url = self.current.code_url or url
            else:
                self._finding(number, "bad-code-line", Severity.WARNING, "code line without a URL")
            return
        authors = _AUTHOR_LINE.match(line)
        if authors:
            names = [n.strip(" .") for n in _SPLIT_AUTHORS.split(authors["names"])]
            self.current.authors.extend(n for n in names if n)
            return
        url = _first_url(line)
        if url and self.current.paper_url is None and re.search(r"paper|pdf|arxiv", line, re.I):
            self.current.paper_url = url
            return
        self._finding(number, "unknown-line", Severity.INFO, f"unrecognised line: {_clip(line)}")

    # -- count table ---------------------------------------------------------------------
    def _close_table(self) -> None:
        if self._table_lines and self.table is None:
            self.table = _read_count_table(self._table_lines, self.findings)
        self._table_lines = []

    def _finding(self, line: int, code: str, severity: Severity, message: str) -> None:
        self.findings.append(_finding(line, code, severity, message))


def _read_count_table(
    rows: list[tuple[int, str]], findings: list[LintFinding]
) -> CountTable | None:
    """The first table whose header cells (after the first) are years is the count table."""
    cells = [(n, [c.strip() for c in line.strip().strip("|").split("|")]) for n, line in rows]
    header_line, header = cells[0]
    years = [_valid_year(c) for c in header[1:]]
    if not years or any(y is None for y in years):
        return None
    table_years = [y for y in years if y is not None]
    counts: dict[str, dict[int, int]] = {}
    row_lines: dict[str, int] = {}
    for number, row in cells[1:]:
        if all(set(c) <= set(":- ") for c in row):
            continue  # the |---|---| rule
        label = _strip_links(row[0]).strip()
        values: dict[int, int] = {}
        for year, cell in zip(table_years, row[1:], strict=False):
            if cell in ("", "-", "–", "—"):
                continue
            if cell.isdigit():
                values[year] = int(cell)
            else:
                findings.append(
                    _finding(number, "count-table", Severity.WARNING, f"bad count cell '{cell}'")
                )
        counts[label] = values
        row_lines[label] = number
    return CountTable(line=header_line, years=table_years, rows=counts, row_lines=row_lines)


def count_papers(papers: list[ListedPaper]) -> dict[str, dict[int, int]]:
    """Papers per venue label (as the headings spell it) and year."""
    counts: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for paper in papers:
        venue = paper.heading_venue or paper.venue or "?"
        year = paper.heading_year or paper.year
        if year is not None:
            counts[venue][year] += 1
    return {venue: dict(sorted(years.items())) for venue, years in counts.items()}


def lint_count_table(table: CountTable, actual: dict[str, dict[int, int]]) -> list[LintFinding]:
    """Compare the stated counts with the real ones, one finding per disagreeing cell."""
    findings: list[LintFinding] = []
    by_key = {venue_key(label): label for label in table.rows}
    for venue, years in actual.items():
        label = by_key.get(venue_key(venue))
        if label is None:
            findings.append(
                _finding(
                    table.line,
                    "count-table",
                    Severity.WARNING,
                    f"venue {venue} ({sum(years.values())} papers) is missing from the count table",
                )
            )
            continue
        stated = table.rows[label]
        for year in sorted(set(years) | set(stated)):
            real, claimed = years.get(year, 0), stated.get(year, 0)
            if real != claimed:
                findings.append(
                    _finding(
                        table.row_lines.get(label, table.line),
                        "count-table",
                        Severity.WARNING,
                        f"count table says {label} {year}: {claimed}, the list has {real}",
                    )
                )
    actual_keys = {venue_key(v) for v in actual}
    for label, stated in table.rows.items():
        if venue_key(label) not in actual_keys and any(stated.values()):
            findings.append(
                _finding(
                    table.row_lines.get(label, table.line),
                    "count-table",
                    Severity.WARNING,
                    f"count table lists {label} but the list has no {label} papers",
                )
            )
    return findings


def render_count_table(parsed: ParsedList) -> str:
    """The corrected count table as markdown, in the stated table's row order."""
    years = sorted(
        set(parsed.count_table.years if parsed.count_table else [])
        | {y for counts in parsed.actual_counts.values() for y in counts}
    )
    labels = list(parsed.count_table.rows) if parsed.count_table else []
    known = {venue_key(label) for label in labels}
    labels += [v for v in parsed.actual_counts if venue_key(v) not in known]
    actual = {venue_key(v): c for v, c in parsed.actual_counts.items()}
    lines = [
        "| Conferences | " + " | ".join(str(y) for y in years) + " |",
        "|" + "---|" * (len(years) + 1),
    ]
    for label in labels:
        counts = actual.get(venue_key(label), {})
        cells = [str(counts[y]) if counts.get(y) else "-" for y in years]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _lint_duplicates(papers: list[ListedPaper]) -> list[LintFinding]:
    first_seen: dict[str, ListedPaper] = {}
    findings = []
    for paper in papers:
        key = normalize_title(paper.title)
        if key in first_seen:
            first = first_seen[key]
            findings.append(
                _finding(
                    paper.line,
                    "duplicate-title",
                    Severity.WARNING,
                    f"'{_clip(paper.title)}' is listed again (first at line {first.line},"
                    f" {first.section})",
                )
            )
        else:
            first_seen[key] = paper
    return findings


def _to_papers(entries: list[_Entry]) -> list[ListedPaper]:
    """Freeze the entries, giving each a stable id unique within the list."""
    used: dict[str, int] = {}
    papers = []
    for entry in entries:
        base = "-".join(
            part
            for part in (
                slugify(entry.venue or "unknown", 20) + (str(entry.year) if entry.year else ""),
                slugify(entry.title, 60),
            )
            if part
        )
        used[base] = used.get(base, 0) + 1
        paper_id = base if used[base] == 1 else f"{base}-{used[base]}"
        papers.append(
            ListedPaper(
                id=paper_id,
                title=entry.title,
                authors=entry.authors,
                venue=entry.venue,
                year=entry.year,
                venue_source=entry.venue_source,
                year_source=entry.year_source,
                heading_venue=entry.heading_venue,
                heading_year=entry.heading_year,
                code_url=entry.code_url,
                paper_url=entry.paper_url,
                categories=entry.categories,
                section=entry.section,
                heading_note=entry.heading_note,
                line=entry.line,
                number=entry.number,
            )
        )
    return papers


def _badge_category(url: str) -> str | None:
    """'https://img.shields.io/badge/Training-red' -> 'Training' (shields.io escaping undone)."""
    parsed = urllib.parse.urlparse(url)
    if "/badge/" not in parsed.path:
        return None
    spec = urllib.parse.unquote(parsed.path.split("/badge/", 1)[1])
    parts = [p.replace("\0", "-") for p in spec.replace("--", "\0").split("-")]
    text = parts[-2] if len(parts) >= 2 else parts[0]
    text = text.replace("__", "\0").replace("_", " ").replace("\0", "_").strip()
    return text or None


def _year_text(match: re.Match[str]) -> str:
    return match["long"] or match["short"]


def _valid_year(text: str) -> int | None:
    if not text.isdigit():
        return None
    if len(text) == 2:
        return 2000 + int(text)
    year = int(text)
    return year if len(text) == 4 and MIN_YEAR <= year <= MAX_YEAR else None


def _same_venue(entry_venue: str, heading_venue: str) -> bool:
    """'MLSys' matches a 'SysML/MLSys' heading; case and punctuation do not matter."""
    entry_key = venue_key(entry_venue)
    return any(entry_key == venue_key(part) for part in [heading_venue, *heading_venue.split("/")])


def _strip_links(text: str) -> str:
    return _LINK.sub(lambda m: m["text"], _BADGE.sub("", text))


def _first_url(text: str) -> str | None:
    link = _LINK.search(text)
    if link and link["url"].startswith(("http://", "https://")):
        return link["url"]
    bare = _BARE_URL.search(text)
    return bare.group(0) if bare else None


def _clip(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _finding(line: int, code: str, severity: Severity, message: str) -> LintFinding:
    return LintFinding(line=line, code=code, severity=severity, message=message)


def _order(finding: LintFinding) -> tuple[int, str, str]:
    return (finding.line, finding.code, finding.message)
