"""The pull-request check: the papers a change adds to the list, resolved (only those; the
HTTP cache serves what earlier runs asked), with their BibTeX and the list's findings on the
changed lines, as a markdown comment body."""

from __future__ import annotations

import difflib
import re
import subprocess
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from pipeline.config import Settings
from pipeline.errors import InputError
from pipeline.fix.patch import text_lines
from pipeline.models import (
    CatalogPaper,
    FetchStatus,
    LintFinding,
    ListedPaper,
    ParsedList,
    ResolveSummary,
)
from pipeline.parse import parse_list
from pipeline.run import run_emit, run_merge, run_resolve
from pipeline.venues import load_venues

DBLP_REC = "https://dblp.org/rec/"
REVIEW_WORK = "review"  # the pull-request check's stage files, under WORK
S2_PAPER = "https://www.semanticscholar.org/paper/"


@dataclass(frozen=True)
class Added:
    """One paper the change adds, as the catalog would have it, and its BibTeX entry."""

    paper: CatalogPaper
    bibtex: str


@dataclass(frozen=True)
class Review:
    path: str
    added: list[Added]
    findings: list[LintFinding]  # the list's findings on the lines the change touched


def load_base(list_path: Path, since_ref: str | None, base_list: Path | None) -> bytes:
    """The list before the change: a file, or the list's version at a git ref."""
    if base_list is not None:
        if not base_list.is_file():
            raise InputError(f"{base_list}: no such file (named by --base-list)")
        return base_list.read_bytes()
    if since_ref is None:
        raise InputError(
            "review needs the list before the change: --since-ref REF or --base-list FILE"
        )
    done = subprocess.run(
        ["git", "-C", str(list_path.resolve().parent), "show", f"{since_ref}:./{list_path.name}"],
        capture_output=True, check=False, timeout=60,
    )  # fmt: skip
    if done.returncode != 0:
        stderr = done.stderr.decode("utf-8", errors="replace").strip()
        if "exists on disk, but not in" in stderr or "does not exist in" in stderr:
            return b""  # the change adds the list itself
        raise InputError(f"git show {since_ref}:{list_path}: {stderr}")
    return done.stdout


def added_papers(base: ParsedList, head: ParsedList) -> list[ListedPaper]:
    """Papers of the new list the old one lacks (by stable id: venue, year, title); a paper
    whose title, venue or year the change edits counts as added."""
    remaining: dict[str, int] = {}
    for paper in base.papers:
        remaining[paper.id] = remaining.get(paper.id, 0) + 1
    added = []
    for paper in head.papers:
        if remaining.get(paper.id, 0):
            remaining[paper.id] -= 1
        else:
            added.append(paper)
    return added


def changed_lines(base: list[str], head: list[str]) -> set[int]:
    """1-based lines of the new list that the change wrote (inserted or replaced)."""
    matcher = difflib.SequenceMatcher(a=base, b=head, autojunk=False)
    lines: set[int] = set()
    for tag, _, _, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "insert"):
            lines.update(range(j1 + 1, j2 + 1))
    return lines


def review_change(settings: Settings, since_ref: str | None, base_list: Path | None) -> Review:
    """Parse both versions, resolve the added papers alone, and render their entries."""
    if not settings.list_path.is_file():
        raise InputError(f"{settings.list_path}: no such file (give the list with --list PATH)")
    venues = load_venues(settings.venues_path, required=settings.venues_required)
    source = str(settings.list_path)
    head_lines = text_lines(settings.list_path.read_bytes())
    base_lines = text_lines(load_base(settings.list_path, since_ref, base_list))
    head = parse_list(head_lines, source=source, venues=venues)
    base = parse_list(base_lines, source=source, venues=venues)
    touched = changed_lines(base_lines, head_lines)
    findings = [f for f in head.findings if f.line in touched]
    new = added_papers(base, head)
    if not new:
        return Review(path=source, added=[], findings=findings)
    with tempfile.TemporaryDirectory(prefix="mlsys-bib-review-") as scratch:
        # The check's stage files go to WORK/review/, kept to show why a paper resolved as it
        # did and apart from the whole list's; its outputs are scratch but for the comment.
        # The cache is shared.
        local = replace(
            settings,
            work_dir=settings.work_dir / REVIEW_WORK,
            out_dir=Path(scratch) / "output",
            only=None,
        )
        parsed = head.model_copy(update={"papers": new, "findings": []})
        result = run_resolve(local, None, parsed=parsed)
        catalog = run_merge(local, resolved=result, baseline=(None, []))
        run_emit(local, catalog, parsed, ResolveSummary.of(result), (None, []))
        bib = (local.out_dir / "papers.bib").read_text(encoding="utf-8")
    entries = split_bib(bib)
    return Review(
        path=source,
        added=[Added(paper=p, bibtex=entries.get(p.key, "")) for p in catalog.papers],
        findings=findings,
    )


def split_bib(text: str) -> dict[str, str]:
    """Entries of a .bib by key (each from its '@' to the next)."""
    entries: dict[str, str] = {}
    for chunk in re.split(r"(?m)^(?=@)", text):
        key = re.match(r"@\w+\{([^,\s]+),", chunk)
        if key:
            entries[key[1]] = chunk.strip()
    return entries


def render_comment(review: Review) -> str:
    """The comment body: the added papers, which sources found them, their BibTeX."""
    count = len(review.added)
    out = [f"### mlsys-bib: {count} paper{'s' if count != 1 else ''} added to `{review.path}`", ""]
    if review.added:
        out += ["| Line | Paper | DBLP | Semantic Scholar |", "|---:|---|---|---|"]
        for item in review.added:
            p = item.paper
            where = " ".join(str(x) for x in (p.listed.venue, p.listed.year) if x)
            out.append(
                f"| {p.listed.line} | {_cell(p.listed.title)}{f' ({where})' if where else ''}"
                f" | {_dblp(p)} | {_s2(p)} |"
            )
        out.append("")
    if review.findings:
        out += ["Findings on the changed lines:", ""]
        out += [
            f"- line {f.line}: {f.severity.value} `{f.code}`: {_cell(f.message)}"
            for f in review.findings
        ]
        out.append("")
    with_bib = [item for item in review.added if item.bibtex]
    if with_bib:
        out += ["<details><summary>BibTeX of the added papers</summary>", "", "```bibtex"]
        out += [item.bibtex + "\n" for item in with_bib]
        out += ["```", "", "</details>", ""]
    if not review.added and not review.findings:
        out += ["No paper added and nothing to report on the changed lines.", ""]
    return "\n".join(out)


def _dblp(paper: CatalogPaper) -> str:
    if paper.dblp_key:
        return f"found: [{paper.dblp_key}]({DBLP_REC}{paper.dblp_key})"
    return _status(paper, "dblp")


def _s2(paper: CatalogPaper) -> str:
    if paper.s2_paper_id:
        return f"found: [{paper.s2_paper_id}]({S2_PAPER}{paper.s2_paper_id})"
    return _status(paper, "s2")


def _status(paper: CatalogPaper, source: str) -> str:
    decision = paper.match.get(source)
    if decision is not None and decision.status is FetchStatus.FAILED:
        return "could not be asked"
    return "not found"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
