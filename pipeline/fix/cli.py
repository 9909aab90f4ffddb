"""The `fix` command: plan, write the patch and its pull-request text, print the summary."""

from __future__ import annotations

from pipeline.config import Settings
from pipeline.fix.annotations import Level, wanted, workflow_command
from pipeline.fix.describe import WHAT, message, summary
from pipeline.fix.run import plan_list_fixes, write_fix_outputs, write_list


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
