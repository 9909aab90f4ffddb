"""The count table a list states (papers per venue and year) against the papers it has."""

from __future__ import annotations

import re
from collections import defaultdict

from pipeline.models import CountTable, LintFinding, ListedPaper, ParsedList, Severity
from pipeline.parse.state import finding
from pipeline.parse.words import valid_year
from pipeline.text import venue_key

_LINK = re.compile(r"\[(?P<text>(?:[^\[\]]|\[[^\[\]]*\])*)\]\((?P<url>[^)\s]*)\)")


def is_count_table(header: list[str]) -> bool:
    """A header whose cells after the first are all years."""
    return len(header) > 1 and all(valid_year(c.strip()) is not None for c in header[1:])


def read_count_table(rows: list[tuple[int, str]], findings: list[LintFinding]) -> CountTable | None:
    """The first table whose header cells (after the first) are years is the count table."""
    cells = [(n, [c.strip() for c in line.strip().strip("|").split("|")]) for n, line in rows]
    header_line, header = cells[0]
    years = [valid_year(c) for c in header[1:]]
    if not years or any(y is None for y in years):
        return None
    table_years = [y for y in years if y is not None]
    counts: dict[str, dict[int, int]] = {}
    row_lines: dict[str, int] = {}
    for number, row in cells[1:]:
        if all(set(c) <= set(":- ") for c in row):
            continue  # the |---|---| rule
        label = _LINK.sub(lambda m: m["text"], row[0]).strip()
        values: dict[int, int] = {}
        for year, cell in zip(table_years, row[1:], strict=False):
            if cell in ("", "-", "–", "—"):
                continue
            if cell.isdigit():
                values[year] = int(cell)
            else:
                findings.append(
                    finding(number, "count-table", Severity.WARNING, f"bad count cell '{cell}'")
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
                finding(
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
                    finding(
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
                finding(
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
