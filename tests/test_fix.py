"""`mlsys-bib fix`: the list corrected as a patch, only where the evidence is strong, every
other byte kept; and the GitHub workflow commands of `lint` and `fix`.

The end-to-end tests run `enrich` on our own list against the fake API, whose DBLP knows two
(clearly fake) ASPLOS tables of contents: the papers the list misspells or mis-years, and
three traps a fixer must leave alone (a regional spelling, a capitalisation, a wording).
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from clirun import run_cli
from conftest import ROOT, dblp_hit, write_toc
from fakeapi import FakeApi
from pipeline.fix.annotations import Level, escape_property, workflow_command
from pipeline.fix.describe import WHAT
from pipeline.fix.findings import (
    Fix,
    FixKind,
    SourceYear,
    is_typo,
    misspellings,
    plan_fixes,
    regional_variants,
)
from pipeline.fix.patch import apply_fixes, text_lines, unified_diff
from pipeline.models import Catalog, CatalogPaper, ParsedList, Status
from pipeline.parse import parse_list

SEED = ROOT / "catalog" / "papers.md"
GIT = ["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid"]

# The lines of catalog/papers.md a fix must touch, and why.
EXPECTED = {
    130: FixKind.MISSING_VENUE,  # KungFu: no suffix, under OSDI / 2020
    259: FixKind.HEADING_LEVEL,  # '### 2019' under '### ASPLOS'
    263: FixKind.UNREADABLE_YEAR,  # 'ASPLOS 20189'
    271: FixKind.HEADING_LEVEL,
    273: FixKind.MISSPELT_TITLE,  # 'Asynchronouos'
    286: FixKind.HEADING_LEVEL,  # '### 2018' under '### ATC'
    292: FixKind.HEADING_LEVEL,
}


def asplos_tocs(directory: Path) -> None:
    """Fake DBLP tables of contents (keys say FAKE) with the published spellings."""
    write_toc(directory, "db/conf/asplos/asplos2019.bht", [
        dblp_hit("conf/asplos/FAKE-DelmasSLP19", "Bit-Tactical: A Software/Hardware Approach to Exploiting Value and Bit Sparsity in Neural Networks.", 2019, ["Fake Author"], "ASPLOS"),
        # traps: a regional spelling, a capitalisation, and a different wording (an ending)
        dblp_hit("conf/asplos/FAKE-JiaLZ19", "TANGRAM: Optimised Coarse-Grained Dataflow for Scalable NN Accelerators.", 2019, ["Fake Author"], "ASPLOS"),
        dblp_hit("conf/asplos/FAKE-AnkitHS19", "PUMA: A Programmable Ultra-Efficient Memristor-Based Accelerator for Machine Learning Inference.", 2019, ["Fake Author"], "ASPLOS"),
        dblp_hit("conf/asplos/FAKE-JinKB19", "Split-CNN: Splitting Window-based Operations in Convolutional Neural Networks for Memory System Optimizations.", 2019, ["Fake Author"], "ASPLOS"),
        dblp_hit("conf/asplos/FAKE-2019", "ASPLOS 2019: Proceedings (fake)", 2019, ["Editor One"], "ASPLOS", type_="Editorship", publisher="ACM"),
    ])  # fmt: skip
    write_toc(directory, "db/conf/asplos/asplos2020.bht", [
        dblp_hit("conf/asplos/FAKE-LuoHZQ20", "Prague: High-Performance Heterogeneity-Aware Asynchronous Decentralized Training.", 2020, ["Fake Author"], "ASPLOS"),
        dblp_hit("conf/asplos/FAKE-2020", "ASPLOS 2020: Proceedings (fake)", 2020, ["Editor One"], "ASPLOS", type_="Editorship", publisher="ACM"),
    ])  # fmt: skip


def fake_env(api: FakeApi) -> dict[str, str]:
    return {
        **os.environ,
        **api.env(),
        "DBLP_MIN_INTERVAL": "0",
        "S2_MIN_INTERVAL": "0",
        "ARXIV_MIN_INTERVAL": "0",
        "CROSSREF_MIN_INTERVAL": "0",
        "S2_API_KEY": "test-placeholder-not-a-key",
        "GITHUB_ACTIONS": "",
    }


def run(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, env=env or {**os.environ, "GITHUB_ACTIONS": ""}, cwd=cwd)


def git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*GIT, *args], cwd=cwd, capture_output=True, text=True, check=False)


def scratch_repo(path: Path, list_bytes: bytes) -> Path:
    """A git repository holding only the list, at catalog/papers.md, committed."""
    (path / "catalog").mkdir(parents=True)
    (path / "catalog" / "papers.md").write_bytes(list_bytes)
    git(path, "init", "-q", ".")
    git(path, "add", ".")
    assert git(path, "commit", "-qm", "the list").returncode == 0
    return path


@pytest.fixture(scope="module")
def last_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A complete `enrich` of our list against the fake API: OUT and WORK of the last run."""
    base = tmp_path_factory.mktemp("enrich")
    asplos_tocs(base / "tocs")
    api = FakeApi(toc_dir=base / "tocs").start()
    try:
        done = run(
            "enrich", "-q", "--list", str(SEED), "--out", str(base / "output"),
            "--work", str(base / "build"), "--cache", str(base / "cache"),
            cwd=ROOT, env=fake_env(api),
        )  # fmt: skip
    finally:
        api.stop()
    assert (base / "output" / "catalog.json").is_file(), done.stderr
    yield base


def fix_in(repo: Path, last: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return run(
        "fix", "--list", "catalog/papers.md", "--out", str(last / "output"),
        "--work", str(last / "build"), *extra, cwd=repo,
    )  # fmt: skip


def changed_lines(patch: str) -> set[int]:
    """New-file line numbers of the '+' lines of a unified diff."""
    lines: set[int] = set()
    number = 0
    for row in patch.splitlines():
        if row.startswith("@@"):
            number = int(row.split("+")[1].split(",")[0])
        elif row.startswith("+") and not row.startswith("+++"):
            lines.add(number)
            number += 1
        elif row.startswith(" "):
            number += 1
    return lines


@pytest.fixture
def fixed(last_run: Path, tmp_path: Path) -> tuple[Path, subprocess.CompletedProcess[str]]:
    repo = scratch_repo(tmp_path / "list", SEED.read_bytes())
    return repo, fix_in(repo, last_run)


def test_fix_patch_applies_and_touches_only_lines_with_findings(
    fixed: tuple[Path, subprocess.CompletedProcess[str]], last_run: Path
) -> None:
    repo, done = fixed
    assert done.returncode == 0, done.stderr
    patch_file = last_run / "output" / "list-fixes.patch"
    patch = patch_file.read_text(encoding="utf-8")
    assert patch.startswith("diff --git a/catalog/papers.md b/catalog/papers.md\n")
    checked = git(repo, "apply", "--check", str(patch_file))
    assert checked.returncode == 0, checked.stderr
    assert changed_lines(patch) == set(EXPECTED)
    assert "-3.\t**Bit-Tactical" in patch and "ASPLOS 20189\n" in patch
    assert "+3.\t**Bit-Tactical: A Software/Hardware Approach to Exploiting Value and Bit Sparsity in Neural Networks** ASPLOS 2019\n" in patch  # fmt: skip
    assert "+1.\t**Prague: High-Performance Heterogeneity-Aware Asynchronous Decentralized Training** ASPLOS 2020\n" in patch  # fmt: skip
    # The traps: DBLP writes them otherwise, and the list keeps its own spelling.
    for kept in ("TANGRAM: Optimized", "Ultra-efficient Memristor-based", "System Optimization**"):
        assert f"+1.\t**{kept}" not in patch and not any(
            kept in row for row in patch.splitlines() if row.startswith(("+", "-"))
        ), kept
    # The summary names each fix by line, and the pull-request text gives its evidence.
    for line, kind in EXPECTED.items():
        assert f"catalog/papers.md:{line}: {WHAT[kind]}: " in done.stdout, line
    body = (last_run / "output" / "list-fixes.md").read_text(encoding="utf-8")
    assert "| 273 | misspelt title" in body and "`Asynchronouos` → `Asynchronous`" in body
    assert "[conf/asplos/FAKE-LuoHZQ20](https://dblp.org/rec/conf/asplos/FAKE-LuoHZQ20)" in body
    assert "Semantic Scholar [fixture-" in body  # the S2 id of the same paper
    assert "| 263 | unreadable year" in body and "`20189` → `2019`" in body


def test_fix_write_then_nothing_left(
    fixed: tuple[Path, subprocess.CompletedProcess[str]], last_run: Path
) -> None:
    repo, _ = fixed
    patch_file = last_run / "output" / "list-fixes.patch"
    expected = git(repo, "apply", str(patch_file))
    assert expected.returncode == 0
    by_git = (repo / "catalog" / "papers.md").read_bytes()
    git(repo, "checkout", "--", ".")
    written = fix_in(repo, last_run, "--write")
    assert written.returncode == 0, written.stderr
    assert (repo / "catalog" / "papers.md").read_bytes() == by_git  # --write == the patch
    again = fix_in(repo, last_run)
    assert again.returncode == 0 and "nothing to fix" in again.stdout
    assert patch_file.read_bytes() == b""
    lint = run("lint", "--list", "catalog/papers.md", cwd=repo)
    assert lint.returncode == 0 and "no findings" in lint.stdout


def test_crlf_list_keeps_crlf(last_run: Path, tmp_path: Path) -> None:
    crlf = SEED.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    repo = scratch_repo(tmp_path / "list", crlf)
    git(repo, "config", "core.autocrlf", "false")
    done = fix_in(repo, last_run)
    assert done.returncode == 0, done.stderr
    patch_file = last_run / "output" / "list-fixes.patch"
    assert changed_lines(patch_file.read_text(encoding="utf-8")) == set(EXPECTED)
    applied = git(repo, "apply", str(patch_file))
    assert applied.returncode == 0, applied.stderr
    after = (repo / "catalog" / "papers.md").read_bytes()
    assert after.count(b"\r\n") == crlf.count(b"\r\n") and after.count(b"\n") == crlf.count(b"\n")
    before_lines, after_lines = crlf.split(b"\r\n"), after.split(b"\r\n")
    differ = {
        i + 1 for i, (a, b) in enumerate(zip(before_lines, after_lines, strict=True)) if a != b
    }
    assert differ == set(EXPECTED)
    assert b"ASPLOS 2019\r\n4.\t**TANGRAM" in after


# -- the rules, one by one -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("listed", "published", "expected"),
    [
        ("Asynchronouos Training", "Asynchronous Training", [("Asynchronouos", "Asynchronous")]),
        ("Fast Sytsems Work", "Fast Systems Work", [("Sytsems", "Systems")]),  # a swap
        (
            "Sytsems for Trainnig",
            "Systems for Training",
            [("Sytsems", "Systems"), ("Trainnig", "Training")],
        ),
        ("Optimised Dataflow", "Optimized Dataflow", []),  # regional: kept
        ("Colour Behaviour Modelling", "Color Behavior Modeling", []),
        ("Ultra-efficient Memristor-based", "Ultra-Efficient Memristor-Based", []),  # case
        ("Memory Optimization", "Memory Optimizations", None),  # another ending: a wording
        ("Learned Index", "Learner Index", None),
        ("A Fast System", "A Faster System", None),
        ("Graph Processing", "Graph Processing at Scale", None),
        ("DNN-Guard: A Thing", "DNNGuard: A Thing", None),
        ("Form Data", "From Data", None),  # short words: too close to other words
    ],
)
def test_misspellings(listed: str, published: str, expected: list[tuple[str, str]] | None) -> None:
    assert misspellings(listed, published) == expected


def test_typo_and_regional_rules() -> None:
    assert is_typo("Asynchronouos", "Asynchronous") and not is_typo("Optimizer", "Optimized")
    assert regional_variants("Optimisation", "Optimization") and regional_variants(
        "Centre", "Center"
    )
    assert not regional_variants("Asynchronouos", "Asynchronous")


def catalog_paper(parsed: ParsedList, index: int, **fields: object) -> CatalogPaper:
    paper = parsed.papers[index]
    values: dict[str, object] = {
        "key": f"fake{index}", "id": paper.id, "list": paper, "status": Status.RESOLVED,
        "entry_type": "inproceedings", "title": paper.title,
    }  # fmt: skip
    values.update(fields)
    return CatalogPaper.model_validate(values)


WRONG_YEAR_LIST = """\
# A list

### OSDI

1. **A Fake Paper About Caches** OSDI 2017
2. **Another Fake Paper** NSDI '17
3. **A Third Fake Paper** OSDI 2017
"""


def plan(text: str, catalog: Catalog | None, s2: dict[str, SourceYear] | None = None) -> list[Fix]:
    return plan_fixes(text.splitlines(), lambda lines: parse_list(lines, "list.md"), catalog, s2)


def test_wrong_year_only_where_dblp_and_s2_agree() -> None:
    parsed = parse_list(WRONG_YEAR_LIST.splitlines(), "list.md")
    sources = {"year": "dblp", "title": "dblp"}
    papers = [
        catalog_paper(parsed, i, dblp_key=f"conf/fake/FAKE{i}", year=2018, provenance=sources,
                      s2_paper_id=f"fixture-{i}")
        for i in range(3)
    ]  # fmt: skip
    s2 = {
        parsed.papers[0].id: SourceYear(s2_id="fixture-0", year=2018),
        parsed.papers[1].id: SourceYear(s2_id="fixture-1", year=2018),
        parsed.papers[2].id: SourceYear(s2_id="fixture-2", year=2017),  # S2 disagrees
    }
    fixes = plan(WRONG_YEAR_LIST, Catalog(source="list.md", papers=papers), s2)
    assert [(f.kind, f.line, f.old, f.new) for f in fixes] == [
        (FixKind.WRONG_YEAR, 5, "2017", "2018"),
        (FixKind.WRONG_YEAR, 6, "17", "18"),  # the list's own two-digit form
    ]
    assert fixes[0].evidence.dblp_key == "conf/fake/FAKE0" and fixes[0].evidence.s2_year == 2018
    assert plan(WRONG_YEAR_LIST, None) == []  # no catalog: no evidence, no year changed


COUNT_LIST = """\
# A list

| Conferences | 2016 | 2017 | 2018 |
|-------------|------|------|------|
| [OSDI](#osdi)      |   1   |   -   |      |
| [SOSP](#sosp)      |   -   |   1   |      |

### OSDI

#### 2016

1. **Fake One** OSDI 2016
2. **Fake Two** OSDI 2016

#### 2017

1. **Fake Three** OSDI 2017

### SOSP

#### 2017

1. **Fake Four** SOSP 2017
"""


def test_stale_count_table_cells_are_rewritten_in_place() -> None:
    fixes = plan(COUNT_LIST, None)
    assert [(f.kind, f.line, f.old, f.new) for f in fixes] == [
        (FixKind.COUNT_TABLE, 5, "1", "2"),
        (FixKind.COUNT_TABLE, 5, "-", "1"),
    ]
    after = apply_fixes(COUNT_LIST.encode(), fixes).decode()
    assert after.splitlines()[4] == "| [OSDI](#osdi)      |   2   |   1   |      |"
    others = [i for i in range(len(COUNT_LIST.splitlines())) if i != 4]
    assert [after.splitlines()[i] for i in others] == [COUNT_LIST.splitlines()[i] for i in others]
    reparsed = parse_list(after.splitlines(), "list.md")
    assert not [f for f in reparsed.findings if f.code == "count-table"]
    assert plan(after, None) == []


def test_patch_keeps_bom_and_missing_final_newline(tmp_path: Path) -> None:
    raw = b"\xef\xbb\xbf### OSDI\n\n#### 2016\n\n1. **Fake One** OSDI 20166"
    fixes = plan(raw.decode("utf-8-sig"), None)
    assert [(f.line, f.old, f.new) for f in fixes] == [(5, "20166", "2016")]
    lines = text_lines(raw)
    assert lines[0] == "### OSDI" and len(lines) == 5
    after = apply_fixes(raw, fixes)
    assert after == raw[:-5] + b"2016"
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "list.md").write_bytes(raw)
    git(repo, "init", "-q", ".")
    (repo / "fix.patch").write_bytes(unified_diff("list.md", raw, after))
    assert git(repo, "apply", "fix.patch").returncode == 0
    assert (repo / "list.md").read_bytes() == after


# -- GitHub workflow commands --------------------------------------------------------------


def test_workflow_command_escaping() -> None:
    command = workflow_command(
        Level.WARNING, "100% sure,\r\nsee: here", file="a,b:c.md", line=7, title="x: y, z"
    )
    assert (
        command
        == "::warning file=a%2Cb%3Ac.md,line=7,title=x%3A y%2C z::100%25 sure,%0D%0Asee: here"
    )
    assert escape_property("%:,\n") == "%25%3A%2C%0A"
    assert workflow_command(Level.NOTICE, "whole file", file="README.md", line=0) == (
        "::notice file=README.md::whole file"
    )


def test_lint_annotations_option_and_github_actions_default(tmp_path: Path) -> None:
    repo = scratch_repo(tmp_path / "list", SEED.read_bytes())
    plain = run("lint", "--list", "catalog/papers.md", cwd=repo)
    assert "::warning" not in plain.stdout and "catalog/papers.md:263:" in plain.stdout
    for done in (
        run("lint", "--list", "catalog/papers.md", "--annotations", cwd=repo),
        run("lint", "--list", "catalog/papers.md", cwd=repo,
            env={**os.environ, "GITHUB_ACTIONS": "true"}),
    ):  # fmt: skip
        assert done.returncode == 1
        assert (
            "::warning file=catalog/papers.md,line=263,title=mlsys-bib lint%3A bad-year::"
            "'ASPLOS 20189' has no valid year; using the heading year 2019"
        ) in done.stdout.splitlines()
    off = run("lint", "--list", "catalog/papers.md", "--no-annotations", cwd=repo,
              env={**os.environ, "GITHUB_ACTIONS": "true"})  # fmt: skip
    assert "::warning" not in off.stdout


def test_fix_annotations(last_run: Path, tmp_path: Path) -> None:
    repo = scratch_repo(tmp_path / "list", SEED.read_bytes())
    done = fix_in(repo, last_run, "--annotations")
    rows = [r for r in done.stdout.splitlines() if r.startswith("::warning ")]
    assert len(rows) == len(EXPECTED)
    assert rows[2].startswith(
        "::warning file=catalog/papers.md,line=263,title=mlsys-bib fix%3A unreadable year::"
    )


# -- the pull-request check ----------------------------------------------------------------

BASE_LIST = """\
# A list

### OSDI

#### 2016

1. **TensorFlow: A System for Large-Scale Machine Learning** OSDI 2016
"""
ADDED = """\
2. **Gemini: A Computation-Centric Distributed Graph Processing System** OSDI 2016
3. **A Fake Paper Nobody Wrote About Caches** OSDI 20166
"""


@pytest.fixture
def pull_request(tmp_path: Path) -> Path:
    """A list repository whose working copy adds two papers to the committed list."""
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "README.md").write_text(BASE_LIST, encoding="utf-8")
    git(repo, "init", "-q", ".")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "base")
    (repo / "README.md").write_text(BASE_LIST + ADDED, encoding="utf-8")
    return repo


@pytest.mark.parametrize("base", ["--since-ref", "--base-list"])
def test_review_resolves_only_the_added_papers(
    pull_request: Path, fake: FakeApi, base: str
) -> None:
    repo = pull_request
    (repo.parent / "base.md").write_text(BASE_LIST, encoding="utf-8")
    where = "HEAD" if base == "--since-ref" else str(repo.parent / "base.md")
    done = run(
        "review", "--list", "README.md", base, where, "--out", "out", "--work", "build",
        "--cache", "cache", cwd=repo, env={**fake_env(fake), "GITHUB_ACTIONS": "true"},
    )  # fmt: skip
    assert done.returncode == 1, done.stderr  # a warning on a changed line, as lint
    assert done.stdout.startswith(
        "::warning file=README.md,line=9,title=mlsys-bib lint%3A bad-year::'OSDI 20166'"
    )
    comment = (repo / "out" / "pr-comment.md").read_text(encoding="utf-8")
    assert comment.startswith("### mlsys-bib: 2 papers added to `README.md`")
    gemini = next(r for r in comment.splitlines() if r.startswith("| 8 | Gemini"))
    assert "found: [conf/osdi/ZhuCZM16](https://dblp.org/rec/conf/osdi/ZhuCZM16)" in gemini
    assert "found: [fixture-" in gemini  # the fake S2's id
    assert comment.count("not found") == 2  # the made-up paper, in both sources
    assert "@inproceedings{zhu2016gemini," in comment and "@misc{osdi2016fake," in comment
    assert "- line 9: warning `bad-year`" in comment
    asked = " ".join(path for _, _, path in fake.log)
    assert "Gemini" in asked and "Fake+Paper+Nobody" in asked
    assert "TensorFlow" not in asked  # the paper already listed is not resolved again
    # The check's stage files say why, under --work, apart from the whole list's.
    resolved = json.loads((repo / "build" / "review" / "resolve.json").read_text("utf-8"))
    assert [r["paper"]["title"][:6] for r in resolved["papers"]] == ["Gemini", "A Fake"]
    assert not (repo / "build" / "resolve.json").exists()


def test_review_without_a_base_is_an_input_error(pull_request: Path) -> None:
    done = run("review", "--list", "README.md", "--out", "out", cwd=pull_request)
    assert done.returncode == 2 and "--since-ref" in done.stderr


TWO_ON_ONE_LINE = """\
### OSDI

#### 2016

1. **Fast Sytsems Work** OSDI 20166
"""


def test_two_fixes_on_one_line_apply_in_order_and_leave_nothing() -> None:
    parsed = parse_list(TWO_ON_ONE_LINE.splitlines(), "list.md")
    paper = catalog_paper(
        parsed, 0, title="Fast Systems Work", dblp_key="conf/osdi/FAKE16",
        provenance={"title": "dblp"},
    )  # fmt: skip
    catalog = Catalog(source="list.md", papers=[paper])
    fixes = plan(TWO_ON_ONE_LINE, catalog)
    assert [(f.kind, f.line, f.old, f.new) for f in fixes] == [
        (FixKind.UNREADABLE_YEAR, 5, "20166", "2016"),
        (FixKind.MISSPELT_TITLE, 5, "Sytsems", "Systems"),
    ]
    after = apply_fixes(TWO_ON_ONE_LINE.encode(), fixes).decode()
    assert after.splitlines()[4] == "1. **Fast Systems Work** OSDI 2016"
    assert plan(after, catalog) == []


def test_fix_leaves_lines_that_are_not_utf8(tmp_path: Path) -> None:
    raw = b"### OSDI\n\n#### 2016\n\n1. **Caf\xe9 Fake Paper** OSDI 20166\n2. **Fake Two** OSDI 20166\n"
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "list.md").write_bytes(raw)
    git(repo, "init", "-q", ".")
    done = run("fix", "--list", "list.md", "--out", "out", "--work", "build", cwd=repo)
    assert done.returncode == 0, done.stderr
    patch = (repo / "out" / "list-fixes.patch").read_bytes()
    assert changed_lines(patch.decode("utf-8", errors="replace")) == {6}
    assert git(repo, "apply", "out/list-fixes.patch").returncode == 0
    assert (repo / "list.md").read_bytes() == raw.replace(b"Two** OSDI 20166", b"Two** OSDI 2016")


MISSING_SUFFIX = """\
### OSDI

#### 2020

1. **Fake One**  OSDI 2020
2. **Fake Two**\t
"""


def test_missing_venue_is_written_like_the_neighbours() -> None:
    fixes = plan(MISSING_SUFFIX, None)
    assert [(f.kind, f.line, f.new) for f in fixes] == [(FixKind.MISSING_VENUE, 6, "OSDI 2020")]
    assert fixes[0].new_line == "2. **Fake Two**  OSDI 2020\t"  # its spacing, the tab kept
    after = apply_fixes(MISSING_SUFFIX.encode(), fixes).decode()
    assert plan(after, None) == []
