"""The human report (output/report.md): pure rendering from the stages' records."""

from __future__ import annotations

from pipeline.models import ParsedList, Severity
from pipeline.parse import render_count_table


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


def format_finding(source: str, line: int, severity: str, code: str, message: str) -> str:
    """Compiler-style 'file:line: severity: message [code]', clickable in editors and CI logs."""
    where = f"{source}:{line}" if line else source
    return f"{where}: {severity}: {message} [{code}]"
