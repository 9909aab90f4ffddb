"""`mlsys-bib fix` at the edges: read the list, the last catalog and the resolve stage's
file, plan the fixes (findings.py), write the patch and the pull-request text, and with
`--write` the list itself."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.config import Settings
from pipeline.errors import InputError
from pipeline.fix.annotations import repo_path
from pipeline.fix.describe import pull_request_body
from pipeline.fix.findings import Fix, SourceYear, plan_fixes
from pipeline.fix.patch import (
    PatchError,
    apply_fixes,
    text_lines,
    undecodable_lines,
    unified_diff,
)
from pipeline.models import Catalog, ParsedList, ResolveResult
from pipeline.parse import parse_list
from pipeline.storage import load_model, publish, write_text_atomic
from pipeline.venues import load_venues

PATCH_NAME = "list-fixes.patch"
BODY_NAME = "list-fixes.md"


@dataclass(frozen=True)
class FixPlan:
    """The fixes for a list, and the list before and after them."""

    path: str  # the list, relative to the repository's top (as the patch names it)
    fixes: list[Fix]
    before: bytes
    after: bytes

    @property
    def patch(self) -> bytes:
        return unified_diff(self.path, self.before, self.after)


def plan_list_fixes(settings: Settings) -> FixPlan:
    """Plan the fixes for the list from the last run's catalog (OUT/catalog.json) and S2's
    years (WORK/resolve.json, when there); nothing is written."""
    if not settings.list_path.is_file():
        raise InputError(f"{settings.list_path}: no such file (give the list with --list PATH)")
    raw = settings.list_path.read_bytes()
    venues = load_venues(settings.venues_path, required=settings.venues_required)
    source = str(settings.list_path)

    def parse(lines: list[str]) -> ParsedList:
        return parse_list(lines, source=source, venues=venues)

    catalog = load_catalog(settings.out_dir / "catalog.json")
    fixes = plan_fixes(text_lines(raw), parse, catalog, load_s2_years(settings.work_dir))
    unreadable = undecodable_lines(raw)
    fixes = [fix for fix in fixes if fix.line not in unreadable]
    try:
        after = apply_fixes(raw, fixes)
    except PatchError as exc:
        raise InputError(f"{settings.list_path}: {exc}") from exc
    return FixPlan(path=repo_path(settings.list_path), fixes=fixes, before=raw, after=after)


def load_catalog(path: Path) -> Catalog | None:
    """The last run's catalog; without one only the list's own evidence is used."""
    return load_model(path, Catalog) if path.is_file() else None


def load_s2_years(work_dir: Path) -> dict[str, SourceYear]:
    """Semantic Scholar's year per listed paper id, from the resolve stage's file if any."""
    path = work_dir / "resolve.json"
    if not path.is_file():
        return {}
    result = load_model(path, ResolveResult)
    return {
        r.paper.id: SourceYear(s2_id=r.s2.record.paperId, year=r.s2.record.year)
        for r in result.papers
        if r.s2.record is not None
    }


def write_fix_outputs(settings: Settings, plan: FixPlan) -> Path:
    """OUT/list-fixes.patch (empty when nothing is to fix) and OUT/list-fixes.md, as one set."""
    try:
        patch = plan.patch
    except PatchError as exc:
        raise InputError(f"{settings.list_path}: {exc}") from exc
    publish(
        settings.out_dir,
        {PATCH_NAME: patch, BODY_NAME: pull_request_body(plan.path, plan.fixes)},
    )
    return settings.out_dir / PATCH_NAME


def write_list(settings: Settings, plan: FixPlan) -> None:
    """`--write`: the list replaced by its fixed version (atomically)."""
    if plan.after != plan.before:
        write_text_atomic(settings.list_path, plan.after)
