"""Open, update or close the ONE pull request that carries the list's fixes.

Run by the action after `mlsys-bib fix` (python -m pipeline.fix.pullrequest): the patch is
applied on a fixed branch (force-pushed, so the branch always holds tonight's fixes only), and
the pull request from that branch is created, or its text updated; with nothing left to fix,
the open pull request is closed and the branch deleted. The GitHub REST API is reached at
GITHUB_API_URL (a test points it at a fake server on 127.0.0.1), with GITHUB_TOKEN.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import requests

BRANCH = "mlsys-bib/list-fixes"
TITLE = "Fix the list: problems its sources settle (mlsys-bib)"
TIMEOUT = 30.0
BOT = ("mlsys-bib", "41898282+github-actions[bot]@users.noreply.github.com")


class Outcome(StrEnum):
    OPENED = "opened"
    UPDATED = "updated"
    CLOSED = "closed"
    NOTHING = "nothing to do"


class GitHubError(RuntimeError):
    """The API refused or failed; the message says which call."""


@dataclass(frozen=True)
class GitHub:
    """The few REST calls the fixes pull request needs."""

    api: str  # e.g. https://api.github.com
    repo: str  # owner/name
    token: str
    session: requests.Session

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        url = f"{self.api.rstrip('/')}/repos/{self.repo}{path}"
        headers = {
            "Accept": "application/vnd.github+json",
            "Authorization": f"Bearer {self.token}",
            "X-GitHub-Api-Version": "2022-11-28",
            "User-Agent": "mlsys-bib-action",
        }
        try:
            response = self.session.request(method, url, headers=headers, timeout=TIMEOUT, **kwargs)
        except requests.RequestException as exc:
            raise GitHubError(f"{method} {url}: {exc}") from exc
        if response.status_code >= 400:
            raise GitHubError(f"{method} {url}: HTTP {response.status_code} {response.text[:300]}")
        return response.json() if response.content else None

    def fetch_open_pull(self, branch: str) -> dict[str, Any] | None:
        owner = self.repo.split("/")[0]
        pulls = self._call("GET", "/pulls", params={"head": f"{owner}:{branch}", "state": "open"})
        return pulls[0] if pulls else None

    def create_pull(self, branch: str, base: str, body: str) -> dict[str, Any]:
        payload = {"title": TITLE, "head": branch, "base": base, "body": body}
        result: dict[str, Any] = self._call("POST", "/pulls", json=payload)
        return result

    def update_pull(self, number: int, **fields: str) -> None:
        self._call("PATCH", f"/pulls/{number}", json=fields)


def git(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)


def checked_git(*args: str, cwd: Path) -> str:
    done = git(*args, cwd=cwd)
    if done.returncode != 0:
        raise GitHubError(f"git {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout


def push_fixes(patch: Path, branch: str, remote: str, cwd: Path) -> None:
    """The fixes as one commit on `branch` from the current commit, force-pushed; the
    working tree is left on the branch (or commit) it was on."""
    start = checked_git("rev-parse", "HEAD", cwd=cwd).strip()
    on_branch = git("symbolic-ref", "-q", "--short", "HEAD", cwd=cwd).stdout.strip()
    checked_git("checkout", "-q", "-B", branch, start, cwd=cwd)
    try:
        checked_git("apply", "--index", str(patch.resolve()), cwd=cwd)
        checked_git(
            "-c", f"user.name={BOT[0]}", "-c", f"user.email={BOT[1]}",
            "commit", "-q", "-m", "Fix the list: problems its sources settle",
            "-m", "Made by mlsys-bib fix; see the pull request for each fix's evidence.",
            cwd=cwd,
        )  # fmt: skip
        checked_git("push", "-q", "--force", remote, f"{branch}:refs/heads/{branch}", cwd=cwd)
    finally:
        git("checkout", "-q", *([on_branch] if on_branch else ["--detach", start]), cwd=cwd)
        git("branch", "-q", "-D", branch, cwd=cwd)


def sync_pull_request(
    github: GitHub, patch: Path, body: str, branch: str, base: str, remote: str, cwd: Path
) -> Outcome:
    """One pull request with tonight's fixes, or none when nothing is left to fix."""
    existing = github.fetch_open_pull(branch)
    if not patch.is_file() or patch.stat().st_size == 0:
        if existing is None:
            return Outcome.NOTHING
        github.update_pull(existing["number"], state="closed")
        git("push", "-q", remote, "--delete", branch, cwd=cwd)
        return Outcome.CLOSED
    push_fixes(patch, branch, remote, cwd)
    if existing is None:
        github.create_pull(branch, base, body)
        return Outcome.OPENED
    github.update_pull(existing["number"], title=TITLE, body=body)
    return Outcome.UPDATED


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.fix.pullrequest", description=__doc__)
    parser.add_argument("--patch", type=Path, required=True, help="OUT/list-fixes.patch")
    parser.add_argument("--body", type=Path, required=True, help="OUT/list-fixes.md")
    parser.add_argument("--base", required=True, help="the branch the pull request targets")
    parser.add_argument("--branch", default=BRANCH, help=f"the fixes' branch (default {BRANCH})")
    parser.add_argument("--remote", default="origin")
    args = parser.parse_args(argv)
    token, repo = os.environ.get("GITHUB_TOKEN"), os.environ.get("GITHUB_REPOSITORY")
    if not token or not repo:
        print("error: GITHUB_TOKEN and GITHUB_REPOSITORY must be set", file=sys.stderr)
        return 2
    github = GitHub(
        api=os.environ.get("GITHUB_API_URL", "https://api.github.com"),
        repo=repo,
        token=token,
        session=requests.Session(),
    )
    body = args.body.read_text(encoding="utf-8") if args.body.is_file() else ""
    try:
        outcome = sync_pull_request(
            github, args.patch, body, args.branch, args.base, args.remote, Path.cwd()
        )
    except GitHubError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"fixes pull request: {outcome.value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
