"""The `fix` command: plan, write the patch and its pull-request text, print the summary."""

from __future__ import annotations

from pathlib import Path

from pipeline.config import Settings
from pipeline.fix.annotations import Level, finding_command, repo_path, wanted, workflow_command
from pipeline.fix.describe import WHAT, message, summary
from pipeline.fix.review import render_comment, review_change
from pipeline.fix.run import plan_list_fixes, write_fix_outputs, write_list
from pipeline.models import Severity
from pipeline.storage import write_text_atomic

COMMENT_NAME = "pr-comment.md"


def cmd_fix(settings: Settings, annotations: bool | None = None, write: bool = False) -> int:
    """Exit 0 whether or not something is to fix: the patch is the result, not a failure."""
    plan = plan_list_fixes(settings)
    patch_path = write_fix_outputs(settings, plan)
    if wanted(annotations):
        for fix in plan.fixes:
            print(
                workflow_command(
                    Level.WARNING,
                    message(fix),
                    file=plan.path,
                    line=fix.line,
                    title=f"mlsys-bib fix: {WHAT[fix.kind]}",
                )
            )
    print(summary(plan.path, plan.fixes, str(patch_path) if plan.fixes else None))
    if write and plan.fixes:
        write_list(settings, plan)
        print(f"{settings.list_path}: {len(plan.fixes)} fixes applied")
    return 0


def cmd_review(
    settings: Settings,
    since_ref: str | None = None,
    base_list: Path | None = None,
    annotations: bool | None = None,
) -> int:
    """The pull-request check: findings on the changed lines (exit 1 on a warning, as lint),
    the added papers resolved, and OUT/pr-comment.md to post on the pull request."""
    review = review_change(settings, since_ref, base_list)
    if wanted(annotations):
        path = repo_path(settings.list_path)
        for finding in review.findings:
            print(finding_command(path, finding))
    comment = render_comment(review)
    write_text_atomic(settings.out_dir / COMMENT_NAME, comment)
    print(comment)
    return 1 if any(f.severity is not Severity.INFO for f in review.findings) else 0
