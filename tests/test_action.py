"""action.yml, run step by step in a scratch list repository against local fakes.

GitHub Actions itself cannot run here, so a small runner reads action.yml and does what the
runner would for a composite action: evaluates each step's `if:` and `${{ }}` expressions,
runs the `run:` steps with bash (`-eo pipefail`, as GitHub does) with their `env:`, and
collects `$GITHUB_OUTPUT`. Steps that `uses:` another action (setup-python, cache,
upload-artifact, Pages) are recorded, not run; the install step is replaced by this checkout's
virtual environment (its script is checked to install from the action's own path).

The repository holds only a list; DBLP and Semantic Scholar are tests/fakeapi.py, the
`origin` remote is a bare repository, and the GitHub REST API is a fake on 127.0.0.1 that
records the pull-request calls.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from conftest import ROOT
from fakeapi import FakeApi

ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
REPO = "fake-owner/awesome-list"
TOKEN = "fake-token-for-tests"
GIT = ["git", "-c", "user.name=maintainer", "-c", "user.email=maintainer@example.invalid"]

# Papers of the recorded OSDI 2016 table of contents, one misspelt, one with a typo'd year.
LIST = """\
# Awesome fake list

## Papers

### OSDI

#### 2016

1. **TensorFlow: A System for Large-Scale Machine Learning** OSDI 2016
2. **Exploring the Hidden Dimension in Graph Processing** OSDI 20166
3. **Gemini: A Computation-Centric Distributed Graph Procesing System** OSDI 2016
"""


# -- a fake GitHub REST API ------------------------------------------------------------------


@dataclass
class FakeGitHub:
    pulls: list[dict[str, Any]] = field(default_factory=list)
    calls: list[tuple[str, str, dict[str, Any] | None, str]] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def handle(self, method: str, target: str, body: dict[str, Any] | None) -> tuple[int, Any]:
        parts = urlsplit(target)
        prefix = f"/repos/{REPO}/pulls"
        if method == "GET" and parts.path == prefix:
            query = parse_qs(parts.query)
            head = query["head"][0].split(":", 1)[1]
            state = query.get("state", ["open"])[0]
            return 200, [p for p in self.pulls if p["head"]["ref"] == head and p["state"] == state]
        if method == "POST" and parts.path == prefix and body is not None:
            pull = {
                "number": len(self.pulls) + 1, "state": "open", "title": body["title"],
                "body": body["body"], "head": {"ref": body["head"]}, "base": {"ref": body["base"]},
            }  # fmt: skip
            self.pulls.append(pull)
            return 201, pull
        match = re.fullmatch(rf"{prefix}/(\d+)", parts.path)
        if method == "PATCH" and match and body is not None:
            pull = self.pulls[int(match[1]) - 1]
            pull.update(body)
            return 200, pull
        return 404, {"message": "Not Found"}

    def start(self) -> FakeGitHub:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length)) if length else None
                fake.calls.append(
                    (self.command, self.path, body, self.headers.get("Authorization", ""))
                )
                status, payload = fake.handle(self.command, self.path, body)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PATCH = _serve  # noqa: N815

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


# -- a runner for a composite action's steps -------------------------------------------------

_TOKEN = re.compile(r"'(?:[^']|'')*'|==|!=|&&|\|\||!|\(|\)|[A-Za-z_][\w.-]*\(\)|[A-Za-z_][\w.-]*")
_STATUS = ("always()", "success()", "failure()", "cancelled()")


@dataclass
class StepRun:
    name: str
    ran: bool
    uses: str | None = None
    stdout: str = ""
    stderr: str = ""
    status: int = 0


@dataclass
class ActionRun:
    inputs: dict[str, str]
    context: dict[str, str]
    env: dict[str, str]
    workspace: Path
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    steps: list[StepRun] = field(default_factory=list)
    failed: bool = False

    def lookup(self, name: str) -> str:
        if name.startswith("inputs."):
            return self.inputs[name.removeprefix("inputs.")]
        if name.startswith("steps."):
            step, _, output = name.removeprefix("steps.").partition(".outputs.")
            return self.outputs.get(step, {}).get(output, "")
        if name in self.context:
            return self.context[name]
        raise AssertionError(f"the test runner does not know the context value {name}")

    def evaluate(self, expression: str) -> Any:
        """GitHub's expression syntax as far as action.yml uses it, evaluated in Python."""
        python = []
        for token in _TOKEN.findall(expression):
            if token.startswith("'"):
                python.append(repr(token[1:-1].replace("''", "'")))
            elif token in ("==", "!=", "(", ")"):
                python.append(token)
            elif token in ("&&", "||", "!"):
                python.append({"&&": "and", "||": "or", "!": "not"}[token])
            elif token in _STATUS:
                python.append(
                    {"always()": "True", "success()": str(not self.failed),
                     "failure()": str(self.failed), "cancelled()": "False"}[token]
                )  # fmt: skip
            elif token in ("true", "false"):
                python.append(token.title())
            else:
                python.append(repr(self.lookup(token)))
        return eval(" ".join(python), {"__builtins__": {}})  # noqa: S307 - our own action.yml

    def substitute(self, text: str) -> str:
        return re.sub(r"\$\{\{\s*(.+?)\s*\}\}", lambda m: str(self.evaluate(m[1])), text)

    def should_run(self, step: dict[str, Any]) -> bool:
        condition = str(step.get("if", "success()"))
        condition = re.sub(r"^\$\{\{\s*(.+?)\s*\}\}$", r"\1", condition)
        if not any(status in condition for status in _STATUS):
            condition = f"success() && ({condition})"
        return bool(self.evaluate(condition))

    def run_step(self, step: dict[str, Any], index: int) -> None:
        name = step.get("name") or step.get("uses") or f"step {index}"
        ran = self.should_run(step)
        if not ran or "uses" in step:
            self.steps.append(StepRun(name, ran, uses=step.get("uses")))
            return
        if step.get("id") == "install":
            assert '"$ACTION_PATH"' in step["run"] and "pip install" in step["run"]
            assert step["env"]["ACTION_PATH"] == "${{ github.action_path }}"
            self.outputs["install"] = {"bin": str(ROOT / ".venv" / "bin")}
            self.steps.append(StepRun(name, True))
            return
        assert step.get("shell") == "bash", name
        temp = Path(self.context["runner.temp"])
        output = temp / f"output-{index}"
        output.write_text("", encoding="utf-8")
        script = temp / f"step-{index}.sh"
        script.write_text(self.substitute(step["run"]), encoding="utf-8")
        env = {
            **self.env,
            **{k: self.substitute(str(v)) for k, v in step.get("env", {}).items()},
            "GITHUB_OUTPUT": str(output),
        }
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=self.workspace, env=env, capture_output=True, text=True, timeout=600,
            check=False,
        )  # fmt: skip
        if step.get("id"):
            self.outputs[step["id"]] = dict(
                line.split("=", 1) for line in output.read_text().splitlines() if "=" in line
            )
        self.steps.append(StepRun(name, True, None, done.stdout, done.stderr, done.returncode))
        if done.returncode != 0:
            self.failed = True

    def run(self) -> ActionRun:
        for index, step in enumerate(ACTION["runs"]["steps"]):
            self.run_step(step, index)
        return self

    def step(self, name: str) -> StepRun:
        return next(s for s in self.steps if s.name == name)


# -- the scenario ----------------------------------------------------------------------------


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run([*GIT, *args], cwd=cwd, capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"git {args}: {done.stderr}"
    return done.stdout


@dataclass
class World:
    tmp: Path
    origin: Path
    clone: Path
    other: Path  # another maintainer's clone
    api: FakeApi
    github: FakeGitHub

    def run_action(self, **inputs: str) -> ActionRun:
        values = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
        values.update(inputs)
        temp = self.tmp / "runner-temp"
        temp.mkdir(exist_ok=True)
        context = {
            "github.action_path": str(ROOT),
            "github.token": TOKEN,
            "github.run_id": "1",
            "github.run_attempt": "1",
            "runner.temp": str(temp),
        }
        run = ActionRun(values, context, {}, self.clone)
        run.inputs = {k: run.substitute(v) for k, v in values.items()}
        run.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")},
            **self.api.env(),
            "DBLP_MIN_INTERVAL": "0",
            "S2_MIN_INTERVAL": "0",
            "ARXIV_MIN_INTERVAL": "0",
            "CROSSREF_MIN_INTERVAL": "0",
            "HTTP_MAX_ATTEMPTS": "2",  # a source down gives up quickly
            "HTTP_MAX_WAIT": "1",
            "GITHUB_ACTIONS": "true",
            "GITHUB_REF_NAME": "main",
            "GITHUB_REPOSITORY": REPO,
            "GITHUB_API_URL": self.github.url,
            "GITHUB_WORKSPACE": str(self.clone),
            "RUNNER_TEMP": str(temp),
        }
        return run.run()


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    origin, clone, other = tmp_path / "origin.git", tmp_path / "clone", tmp_path / "other"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(origin))
    git(tmp_path, "clone", "-q", str(origin), str(other))
    (other / "README.md").write_text(LIST, encoding="utf-8")
    git(other, "add", "README.md")
    git(other, "commit", "-qm", "The list")
    git(other, "push", "-q", "origin", "HEAD:main")
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    api, github = FakeApi().start(), FakeGitHub().start()
    try:
        yield World(tmp_path, origin, clone, other, api, github)
    finally:
        api.stop()
        github.stop()


@pytest.mark.slow
def test_the_action_refreshes_commits_and_keeps_one_fixes_pull_request(world: World) -> None:
    # Someone pushes while the job runs: the action's push is rejected, rebases and retries.
    (world.other / "CONTRIBUTING.md").write_text("Send papers.\n", encoding="utf-8")
    git(world.other, "add", "CONTRIBUTING.md")
    git(world.other, "commit", "-qm", "Contributing")
    git(world.other, "push", "-q", "origin", "HEAD:main")

    first = world.run_action(
        **{"list": "README.md", "open-fixes-pr": "true", "publish-page": "true",
           "s2-api-key": "fake-key"}
    )  # fmt: skip
    problems = [(s.name, s.status, s.stderr[-2000:]) for s in first.steps if s.status]
    assert not problems and not first.failed
    assert first.outputs["enrich"] == {"status": "0", "publish": "true"}
    assert first.outputs["fix"] == {"planned": "true", "fixes": "true"}
    ran = {s.name for s in first.steps if s.ran}
    assert {"Deploy the page", "Upload the page for GitHub Pages", "Keep the outputs"} <= ran
    assert "Incomplete run" not in ran

    # The outputs, and the fixes shown as annotations on the list's lines.
    out = world.clone / "bibliography"
    for name in ("papers.bib", "catalog.json", "index.html", "report.md", "list-fixes.patch"):
        assert (out / name).is_file(), name
    assert "@inproceedings{zhu2016gemini," in (out / "papers.bib").read_text(encoding="utf-8")
    annotations = first.step("Plan the list's fixes").stdout
    assert (
        "::warning file=README.md,line=10,title=mlsys-bib fix%3A unreadable year::" in annotations
    )
    assert "::warning file=README.md,line=11,title=mlsys-bib fix%3A misspelt title::" in annotations

    # The commit: on origin's main, after the other maintainer's commit (rebased).
    log = git(world.origin, "log", "--format=%s", "main")
    assert log.splitlines()[:3] == ["Refresh of the bibliography", "Contributing", "The list"]
    committed = git(world.origin, "show", "--name-only", "--format=", "main").split()
    assert "bibliography/papers.bib" in committed and "bibliography/list-fixes.patch" in committed
    assert "Push rejected (attempt 1)" in first.step("Commit and push the outputs").stdout

    # One pull request, from the fixed branch, whose text is list-fixes.md.
    fixed = git(world.origin, "show", "mlsys-bib/list-fixes:README.md")
    assert "Graph Processing System** OSDI 2016\n" in fixed and "OSDI 2016\n3." in fixed
    assert (
        fixed.replace("Processing System", "Procesing System").replace(
            "Graph Processing** OSDI 2016", "Graph Processing** OSDI 20166"
        )
        == LIST
    )
    posts = [c for c in world.github.calls if c[0] == "POST"]
    assert len(posts) == 1
    _, path, body, auth = posts[0]
    assert path == f"/repos/{REPO}/pulls" and auth == f"Bearer {TOKEN}"
    assert body is not None and (body["head"], body["base"]) == ("mlsys-bib/list-fixes", "main")
    assert body["body"] == (out / "list-fixes.md").read_text(encoding="utf-8")
    assert "`Procesing` → `Processing`" in body["body"]
    assert "[conf/osdi/ZhuCZM16](https://dblp.org/rec/conf/osdi/ZhuCZM16)" in body["body"]
    assert "`20166` → `2016`" in body["body"]

    # The next night: the same pull request is updated, none is added.
    world.github.calls.clear()
    second = world.run_action(**{"list": "README.md", "open-fixes-pr": "true"})
    assert not second.failed
    assert [c[0] for c in world.github.calls] == ["GET", "PATCH"]
    assert world.github.pulls[0]["state"] == "open" and len(world.github.pulls) == 1

    # The maintainer merges the fixes: the next night closes the pull request, drops the branch.
    git(world.other, "fetch", "-q", "origin")
    git(world.other, "merge", "-q", "--ff-only", "origin/main")
    git(world.other, "merge", "-q", "--ff-only", "origin/mlsys-bib/list-fixes")
    git(world.other, "push", "-q", "origin", "HEAD:main")
    git(world.clone, "pull", "-q", "--rebase", "origin", "main")
    world.github.calls.clear()
    third = world.run_action(**{"list": "README.md", "open-fixes-pr": "true"})
    assert not third.failed
    assert third.outputs["fix"] == {"planned": "true", "fixes": "false"}
    assert [(c[0], c[2]) for c in world.github.calls] == [
        ("GET", None),
        ("PATCH", {"state": "closed"}),
    ]
    branches = git(world.origin, "branch", "--list")
    assert "mlsys-bib/list-fixes" not in branches


def test_an_incomplete_run_commits_nothing_and_fails(world: World) -> None:
    world.api.down.update({"dblp", "s2"})
    run = world.run_action(**{"list": "README.md", "open-fixes-pr": "true"})
    assert run.outputs["enrich"] == {"status": "1", "publish": "false"}
    assert run.failed and run.step("Incomplete run").status == 1
    assert not run.step("Commit and push the outputs").ran
    assert not run.step("Open, update or close the fixes pull request").ran
    assert run.step("Save the HTTP cache (also after an incomplete run)").ran
    assert git(world.origin, "log", "--format=%s", "main").splitlines() == ["The list"]
    assert world.github.calls == []


def test_the_documented_example_is_the_linted_file() -> None:
    """docs/maintainers.md shows the example workflow whole; make lint checks the file."""
    page = (ROOT / "docs" / "maintainers.md").read_text(encoding="utf-8")
    example = (ROOT / "docs" / "examples" / "bibliography.yml").read_text(encoding="utf-8")
    assert f"```yaml\n{example}```" in page
    workflow = yaml.safe_load(example)
    uses = [s.get("uses", "") for s in workflow["jobs"]["refresh"]["steps"]]
    assert "OWNER/mlsys-bib@v1" in uses
    with_inputs = workflow["jobs"]["refresh"]["steps"][1]["with"]
    assert set(with_inputs) <= set(ACTION["inputs"])


def test_pull_request_script_reports_api_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipeline.fix.pullrequest import main

    github = FakeGitHub().start()
    try:
        monkeypatch.setenv("GITHUB_API_URL", github.url)
        monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
        monkeypatch.setenv("GITHUB_REPOSITORY", "someone/else")  # the fake knows only REPO
        monkeypatch.chdir(tmp_path)
        args = ["--patch", "none.patch", "--body", "none.md", "--base", "main"]
        assert main(args) == 1
        assert "HTTP 404" in capsys.readouterr().err
        monkeypatch.delenv("GITHUB_TOKEN")
        assert main(args) == 2
    finally:
        github.stop()
    assert [c[0] for c in github.calls] == ["GET"]
