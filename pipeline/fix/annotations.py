"""GitHub workflow commands (`::warning file=README.md,line=263::...`): findings and fixes
shown on the lines of a pull request.

Escaping follows the runner's own rules (actions/toolkit, packages/core/src/command.ts):
in the message `%`, CR and LF; in a property also `:` and `,`.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path

from pipeline.models import LintFinding, Severity


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTICE = "notice"


LEVELS = {Severity.ERROR: Level.ERROR, Severity.WARNING: Level.WARNING, Severity.INFO: Level.NOTICE}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(
    level: Level, message: str, *, file: str | None = None, line: int | None = None,
    title: str | None = None,
) -> str:  # fmt: skip
    """One annotation; a line of 0 (the whole file) is left out, as GitHub wants."""
    properties = {"file": file, "line": str(line) if line else None, "title": title}
    given = ",".join(f"{k}={escape_property(v)}" for k, v in properties.items() if v)
    return f"::{level.value}{' ' + given if given else ''}::{escape_data(message)}"


def finding_command(file: str, finding: LintFinding) -> str:
    return workflow_command(
        LEVELS[finding.severity],
        finding.message,
        file=file,
        line=finding.line,
        title=f"mlsys-bib lint: {finding.code}",
    )


def wanted(flag: bool | None, env: Mapping[str, str] | None = None) -> bool:
    """The option when given, else on inside GitHub Actions (GITHUB_ACTIONS=true)."""
    if flag is not None:
        return flag
    return (os.environ if env is None else env).get("GITHUB_ACTIONS") == "true"


def repo_path(path: Path) -> str:
    """`path` as GitHub and git name files: relative to the repository's top, else to
    GITHUB_WORKSPACE, else to the current folder, else as given."""
    resolved = path.resolve()
    workspace = os.environ.get("GITHUB_WORKSPACE")
    for base in (git_top(resolved.parent), Path(workspace) if workspace else None, Path.cwd()):
        if base is not None and resolved.is_relative_to(base.resolve()):
            return resolved.relative_to(base.resolve()).as_posix()
    return path.as_posix()


def git_top(folder: Path) -> Path | None:
    """The top of the git work tree holding `folder`, or None outside one (or without git)."""
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "--show-toplevel"],
            capture_output=True, text=True, check=False, timeout=30,
        )  # fmt: skip
    except OSError:
        return None
    return Path(done.stdout.strip()) if done.returncode == 0 and done.stdout.strip() else None
