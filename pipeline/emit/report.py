"""The human report (output/report.md): pure rendering from the stages' records."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from pydantic import ValidationError

from pipeline.messages import shorten_requests
from pipeline.models import (
    NO_COMMON_AUTHOR,
    SAME_TITLE_NOTE,
    Candidate,
    Catalog,
    CatalogPaper,
    LintFinding,
    ParsedList,
    ResolveSummary,
    Severity,
    Snapshot,
    SourceCounters,
    StaleMark,
    Status,
)
from pipeline.parse import render_count_table
from pipeline.sources import label_of


def render_lint(parsed: ParsedList) -> str:
    """The list-lint section: every finding with its line, and the corrected count table."""
    lines = ["## List lint", ""]
    if not parsed.findings:
        lines.append(f"No findings in `{parsed.source}`.")
    else:
        counts = {s: sum(f.severity == s for f in parsed.findings) for s in Severity}
        summary = ", ".join(f"{n} {s.value}{'s' if n != 1 else ''}" for s, n in counts.items() if n)
        lines += [f"`{parsed.source}`: {summary}.", ""]
        lines += ["| Line | Severity | Check | Finding |", "|---:|---|---|---|"]
        for finding in parsed.findings:
            message = finding.message.replace("|", "\\|")
            lines.append(
                f"| {finding.line} | {finding.severity.value} | {finding.code} | {message} |"
            )
    if any(f.code == "count-table" for f in parsed.findings):
        lines += ["", "The count table, corrected from the list itself:", ""]
        lines.append(render_count_table(parsed))
    return "\n".join(lines) + "\n"


def finding_line(source: str, finding: LintFinding) -> str:
    return format_finding(
        source, finding.line, finding.severity.value, finding.code, finding.message
    )


def lint_summary(parsed: ParsedList) -> str:
    """'catalog/papers.md: 194 papers; 6 warnings, 1 info' - one line for the whole list."""
    counts = {s: sum(f.severity == s for f in parsed.findings) for s in Severity}
    found = ", ".join(f"{n} {s.value}{'s' if n != 1 else ''}" for s, n in counts.items() if n)
    return f"{parsed.source}: {len(parsed.papers)} papers; {found or 'no findings'}"


def format_finding(source: str, line: int, severity: str, code: str, message: str) -> str:
    """Compiler-style 'file:line: severity: message [code]', clickable in editors and CI logs."""
    where = f"{source}:{line}" if line else source
    return f"{where}: {severity}: {message} [{code}]"


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def wall_notes(counters: dict[str, SourceCounters]) -> list[str]:
    """When a source's bot wall began, how long we paused, and whether it outlasted the budget."""
    notes = []
    for source, c in sorted(counters.items()):
        if not c.walls or c.wall_began is None:
            continue
        began = datetime.datetime.fromtimestamp(c.wall_began, datetime.UTC)
        what = (
            "it outlasted the wall budget, so the rest of its requests were skipped and the "
            "affected papers keep their previous values (see Stale)"
            if c.wall_outlasted
            else "it lifted and the run went on"
        )
        notes.append(
            f"{label_of(source)} showed a bot wall from {began:%Y-%m-%d %H:%M:%S} UTC "
            f"({c.walls} wall pages, {c.wall_waited:.0f} s of pauses); {what}."
        )
    return notes


def render_report(
    catalog: Catalog,
    previous: Snapshot | None,
    parsed: ParsedList,
    counters: dict[str, SourceCounters],
    notes: list[str],
) -> str:
    """output/report.md: what was resolved, what was not and why, and what changed."""
    papers = catalog.papers
    out = ["# Bibliography report", ""]
    stale = [p for p in papers if p.stale]
    notes = [*notes, *wall_notes(counters)]
    if stale or notes:
        out += ["## Attention", ""]
        out += [f"- {shorten_requests(note)}" for note in notes]
        if stale:
            out.append(
                f"- **{len(stale)} papers keep values this run could not refresh** (see Stale)."
            )
        out.append("")
    by_status = {s: sum(p.status is s for p in papers) for s in Status}
    out += [
        "## Summary",
        "",
        f"{len(papers)} listed papers: {by_status[Status.RESOLVED]} resolved in both sources, "
        f"{by_status[Status.PARTIAL]} in one, {by_status[Status.UNRESOLVED]} unresolved; "
        f"{sum(p.doi is not None for p in papers)} with a DOI, "
        f"{sum(p.abstract is not None for p in papers)} with an abstract"
        f"{_abstract_sources(papers)}.",
        "",
        "| Venue | Listed | DBLP | Semantic Scholar | DOI | Abstract |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    venues: dict[str, list[CatalogPaper]] = {}
    for paper in papers:
        venues.setdefault(paper.listed.venue or "?", []).append(paper)
    for venue, group in venues.items():
        out.append(
            f"| {_cell(venue)} | {len(group)} | {sum(p.dblp_key is not None for p in group)} | "
            f"{sum(p.s2_paper_id is not None for p in group)} | "
            f"{sum(p.doi is not None for p in group)} | "
            f"{sum(p.abstract is not None for p in group)} |"
        )
    out += ["", *_render_changes(papers, previous), *_render_unresolved(papers)]
    conflicts = [(p, w) for p in papers for w in p.warnings]
    out += ["## Conflicts between sources", ""]
    if conflicts:
        out += [f"- `{p.key}` (line {p.listed.line}): {_cell(w)}" for p, w in conflicts]
    else:
        out.append("None.")
    out += ["", "## Stale", ""]
    if stale:
        for paper in stale:
            for mark, names in _grouped(paper.stale).items():
                as_of = f"value as of {mark.as_of}, " if mark.as_of else ""
                detail = f"{as_of}since {mark.since}: {mark.reason}"
                detail = shorten_requests(detail)
                out.append(f"- `{paper.key}`: {', '.join(names)} ({_cell(detail)})")
    else:
        out.append("Every field was refreshed or confirmed this run.")
    out += ["", "## Requests", "", "| Source | Requests | Cache hits | Retries | 429s | Failures |"]
    out.append("|---|---:|---:|---:|---:|---:|")
    for source, c in sorted(counters.items()):
        state = (
            " (stopped: bot wall)"
            if c.wall_outlasted
            else " (stopped: circuit open)"
            if c.circuit_open
            else ""
        )
        out.append(
            f"| {source}{state} | {c.requests} | {c.cache_hits} | {c.retries} | "
            f"{c.rate_limited} | {c.failures + c.bad_responses} |"
        )
    reused = max((c.reused for c in counters.values()), default=0)
    if reused:
        whole = all(c.reused for c in counters.values())
        what = "decisions and their abstracts" if whole else "decisions"
        kept = f"{reused} papers kept their DBLP and Semantic Scholar {what} from the last run"
        out += ["", f"{kept}: their entries and the cached answers those rest on are unchanged."]
    out += ["", render_lint(parsed)]
    return "\n".join(out)


def _grouped(stale: dict[str, StaleMark]) -> dict[StaleMark, list[str]]:
    """A paper's stale fields by mark (fields that went stale together are told once)."""
    groups: dict[StaleMark, list[str]] = {}
    for name in sorted(stale):
        groups.setdefault(stale[name], []).append(name)
    return groups


def _abstract_sources(papers: list[CatalogPaper]) -> str:
    """' (from arxiv 8, crossref 13, semantic scholar 36)': abstracts per source."""
    counts: dict[str, int] = {}
    for paper in papers:
        if paper.abstract is not None and paper.abstract_source:
            counts[paper.abstract_source] = counts.get(paper.abstract_source, 0) + 1
    parts = ", ".join(f"{source} {n}" for source, n in sorted(counts.items()))
    return f" (from {parts})" if parts else ""


def _render_changes(papers: list[CatalogPaper], previous: Snapshot | None) -> list[str]:
    out = ["## Changes since the previous catalog", ""]
    if previous is None:
        return [*out, "No previous catalog: everything is new.", ""]
    now = {p.key: p for p in papers}
    renamed = [
        (old, p.key) for p in papers if p.key not in previous.dois for old in p.key_aliases[-1:]
        if old in previous.dois
    ]  # fmt: skip
    old_keys = {old for old, _ in renamed}
    added = [k for k in now if k not in previous.dois and k not in {n for _, n in renamed}]
    removed = [k for k in previous.dois if k not in now and k not in old_keys]
    new_dois = [k for k, p in now.items() if p.doi and k in previous.dois and not previous.dois[k]]
    gains = []
    for key, paper in now.items():
        old = previous.citations.get(key)
        if paper.citation_count is not None and old is not None and paper.citation_count > old:
            gains.append((paper.citation_count - old, key))
    gains.sort(key=lambda gain: (-gain[0], gain[1]))
    gains = gains[:10]
    if not (added or removed or new_dois or gains or renamed):
        return [*out, "Nothing changed.", ""]
    if renamed:
        out.append(
            f"- Resolved, so their provisional keys gave way ({len(renamed)}; the old key stays "
            "usable as an alias, biblatex `ids`): "
            + ", ".join(f"`{old}` -> `{new}`" for old, new in renamed)
        )
    if added:
        out.append(f"- New papers ({len(added)}): " + ", ".join(f"`{k}`" for k in added))
    if removed:
        out.append(
            f"- Gone from the list ({len(removed)}): " + ", ".join(f"`{k}`" for k in removed)
        )
    if new_dois:
        out.append(f"- New DOIs ({len(new_dois)}): " + ", ".join(f"`{k}`" for k in new_dois))
    if gains:
        out.append("- Biggest citation gains: " + ", ".join(f"`{k}` +{g}" for g, k in gains))
    return [*out, ""]


# A candidate below this confidence is shown only when something speaks for it: an author in
# common, or a title close enough to be the paper's under another wording.
PLAUSIBLE_CONFIDENCE = 0.5
PLAUSIBLE_TITLE_SCORE = 85.0


def plausible(candidate: Candidate) -> bool:
    """Worth a maintainer's look: not a low-confidence record with nothing for it."""
    if candidate.confidence >= PLAUSIBLE_CONFIDENCE:
        return True
    if NO_COMMON_AUTHOR in candidate.evidence:
        return False
    return candidate.title_score >= PLAUSIBLE_TITLE_SCORE


def override_snippet(paper: CatalogPaper, source: str, candidate: Candidate) -> list[str]:
    """A ready-to-paste overrides.toml entry pinning the candidate's own DBLP key or S2 id;
    none when the id is not one the overrides file would take (never an invented key)."""
    from pipeline.overrides import Override  # the overrides model: `lint` alone never needs it

    field = "dblp_key" if source == "dblp" else "s2_paper_id"
    try:
        Override(paper=paper.id, **{field: candidate.id})
    except ValidationError:
        return []
    about = f"{candidate.title} ({candidate.year}), confidence {candidate.confidence}"
    return [
        "  ```toml",
        "  [[override]]",
        f"  paper = {json.dumps(paper.id)}",
        f"  {field} = {json.dumps(candidate.id)}  # {_cell(about)}: check it first",
        "  ```",
    ]


def _render_unresolved(papers: list[CatalogPaper]) -> list[str]:
    out = ["## Unresolved and low-confidence papers", ""]
    shown = snippets = 0
    for paper in papers:
        dblp = paper.match.get("dblp")
        if dblp is None:
            continue
        low = dblp.confidence is not None and dblp.confidence < 0.95
        if paper.dblp_key is not None and not low:
            continue
        shown += 1
        what = "not in DBLP" if paper.dblp_key is None else f"low confidence {dblp.confidence}"
        out.append(
            f"- line {paper.listed.line}, `{paper.id}`: **{_cell(paper.listed.title)}** "
            f"({paper.listed.venue} {paper.listed.year}): {what}"
            + (f"; {shorten_requests(dblp.error)}" if dblp.error else "")
        )
        # Why several same-title records were not chosen between (issue 24).
        ambiguous = [e for e in dblp.evidence if e.startswith(SAME_TITLE_NOTE)]
        out += [f"  - {_cell(e)}" for e in ambiguous]
        candidates = [c for c in dblp.candidates if plausible(c)]
        for candidate in candidates:
            out.append(
                f"  - candidate `{candidate.id}` ({candidate.year}): {_cell(candidate.title)} "
                f"- confidence {candidate.confidence}, {'; '.join(candidate.evidence)}"
            )
        hidden = len(dblp.candidates) - len(candidates)
        if hidden:
            out.append(
                f"  - {hidden} unlikely candidate{'s' * (hidden != 1)} not shown "
                f"(confidence below {PLAUSIBLE_CONFIDENCE} and no author or close title)"
            )
        if ambiguous and paper.dblp_key is None and dblp.candidates:
            # Same-title versions: the best is a guess, so the snippet names them all.
            out += _pin_snippet(paper.id, [c.id for c in dblp.candidates])
            snippets += 1
        elif paper.dblp_key is None:
            snippet = _pin(paper, candidates)
            snippets += bool(snippet)
            out += snippet
    if not shown:
        out.append("None.")
    advice = "Pin a candidate in `catalog/overrides.toml` when you have checked it"
    if snippets:
        advice += ": each snippet above pins the best candidate's own DBLP key (or S2 id)"
    return [*out, "", advice + ".", ""]


def _pin(paper: CatalogPaper, dblp: list[Candidate]) -> list[str]:
    """The snippet for an unresolved paper: its best plausible DBLP candidate, else its best
    plausible Semantic Scholar one when S2 has not resolved it either."""
    s2 = paper.match.get("s2")
    options = [("dblp", c) for c in dblp]
    if not options and s2 is not None and paper.s2_paper_id is None:
        options = [("s2", c) for c in s2.candidates if plausible(c)]
    if not options:
        return []
    source, best = max(options, key=lambda option: option[1].confidence)
    return override_snippet(paper, source, best)


def _pin_snippet(paper_id: str, keys: list[str]) -> list[str]:
    """The overrides entry that settles an ambiguous paper, once a maintainer has checked
    which candidate the list means."""
    others = " or ".join(f'"{k}"' for k in keys[1:])
    return [
        "  - to pin the right one, add to `catalog/overrides.toml`:",
        "",
        "    ```toml",
        "    [[override]]",
        f'    paper = "{paper_id}"',
        f'    dblp_key = "{keys[0]}"' + (f"  # or {others}" if others else ""),
        '    note = "checked: the list means this version"',
        "    ```",
        "",
    ]


def render_summary(
    summary: ResolveSummary,
    catalog: Catalog | None,
    problems: list[str],
    out_dir: Path,
    gaps: list[str] | None = None,
) -> str:
    """The short table printed at the end of a run."""
    total = summary.total
    rows = [("", "DBLP", "Semantic Scholar")]
    found = summary.found
    rows.append(("resolved", f"{found['dblp']}/{total}", f"{found['s2']}/{total}"))
    dblp, s2 = summary.counters.get("dblp"), summary.counters.get("s2")

    def both(name: str, label: str) -> tuple[str, str, str]:
        return (label, str(getattr(dblp, name, 0)), str(getattr(s2, name, 0)))

    rows += [
        both("requests", "requests"),
        both("cache_hits", "cache hits"),
        *([both("reused", "kept from last run")] if dblp and dblp.reused else []),
        both("retries", "retries"),
        both("rate_limited", "429s received"),
    ]
    rows.append(
        (
            "failures",
            str((dblp.failures + dblp.bad_responses) if dblp else 0),
            str((s2.failures + s2.bad_responses) if s2 else 0),
        )
    )
    for name, counters in (("DBLP", dblp), ("Semantic Scholar", s2)):
        if counters is not None and counters.wall_outlasted:
            problems = [
                *problems,
                f"{name}'s bot wall outlasted the wall budget; the rest of its requests were "
                "skipped and those papers keep their previous values",
            ]
        elif counters is not None and counters.circuit_open:
            problems = [
                *problems,
                f"{name} stopped answering; the rest of its requests were skipped",
            ]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [
        "  ".join(
            cell.rjust(w) if i else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    abstract_sources = [
        f"{label} {c.requests} requests, {c.cache_hits} cached"
        for label, c in (("arXiv", summary.counters.get("arxiv")),
                         ("Crossref", summary.counters.get("crossref")))
        if c is not None
    ]  # fmt: skip
    if catalog is not None:
        with_abstract = sum(p.abstract is not None for p in catalog.papers)
        asked = f"; {', '.join(abstract_sources)}" if abstract_sources else ""
        lines.append(
            f"abstracts: {with_abstract}/{total}{_abstract_sources(catalog.papers)}{asked}"
        )
    if catalog is not None:
        warnings = sum(len(p.warnings) for p in catalog.papers)
        stale = sum(bool(p.stale) for p in catalog.papers)
        lines.append(f"conflicts: {warnings}, papers with stale fields: {stale}")
        files = ", ".join(
            str(out_dir / n) for n in ("papers.bib", "catalog.json", "report.md", "index.html")
        )
        lines.append(f"outputs: {files}")
    lines += wall_notes(summary.counters)
    lines += [f"INCOMPLETE: {shorten_requests(problem)}" for problem in problems]
    lines += [f"PUBLISHED WITH A GAP: {shorten_requests(gap)}" for gap in gaps or []]
    return "\n".join(lines)
