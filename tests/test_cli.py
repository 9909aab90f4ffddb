"""The command line: stages, exit status, messages for expected failures (never a traceback)."""

from __future__ import annotations

import gc
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import bibtexparser
import pybtex.database
import pytest

from builders import dblp_record, listed, resolved, write_outputs
from clirun import run_cli
from conftest import ROOT
from fakeapi import FakeApi, Reply, atom_entry, atom_feed
from pipeline.cli import STAGE_OPTIONS, main
from pipeline.http import CachedEntry, ResponseCache
from pipeline.models import Candidate, Catalog, ParsedList, ResolveResult
from pipeline.overrides import load_overrides
from test_emit import (
    PLAIN_DOC,
    assert_quiet_biber,
    assert_quiet_bibtex,
    biber_datamodel_warnings,
    catalog_of,
    compile_document,
    compile_with_biber,
    pybtex_strict_parse,
)

SEED = ROOT / "catalog" / "papers.md"
CLOSED_PORT = "http://127.0.0.1:9"  # nothing listens on the discard port: connection refused


def cli(
    *args: str, env: dict[str, str] | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    full_env = {
        **os.environ,
        "DBLP_API_BASE": CLOSED_PORT,
        "S2_API_BASE": CLOSED_PORT,
        "ARXIV_API_BASE": CLOSED_PORT,
        "CROSSREF_API_BASE": CLOSED_PORT,
        "DBLP_MIN_INTERVAL": "0",
        "S2_MIN_INTERVAL": "0",
        **(env or {}),
    }
    return run_cli(*args, env=full_env, cwd=cwd)


def dirs(tmp_path: Path) -> list[str]:
    return [
        "--out",
        str(tmp_path / "out"),
        "--work",
        str(tmp_path / "build"),
        "--cache",
        str(tmp_path / "cache"),
    ]


def test_help_lists_stages_and_options() -> None:
    done = cli("--help")
    assert done.returncode == 0
    for word in (
        "parse",
        "resolve",
        "merge",
        "emit",
        "enrich",
        "lint",
        "--offline",
        "--refresh",
        "--only",
        "--ascii",
        "S2_API_KEY",
    ):
        assert word in done.stdout, word


@pytest.mark.slow
def test_every_command_runs_as_its_own_program(tmp_path: Path, fake: FakeApi) -> None:
    """The other tests here run the CLI in their own process (tests/clirun.py); here the
    commands run as users start them, `python -m pipeline` or the installed `mlsys-bib`, the
    stages in order on a small list against the fake API. enrich, validate and fix run so in
    tests/test_action.py (the action's steps), enrich also in tests/test_demo.py."""
    installed = Path(sys.executable).with_name("mlsys-bib")
    assert installed.is_file(), "make setup installs the mlsys-bib command in the venv"
    env = {**os.environ, **fake.env(), **{f"{s}_MIN_INTERVAL": "0" for s in ("DBLP", "S2", "ARXIV", "CROSSREF")},
           "S2_API_KEY": "test-placeholder", "GITHUB_ACTIONS": ""}  # fmt: skip
    listing = ["--list", str(ROOT / "tests" / "fixtures" / "small-list.md")]
    out, work = ["--out", str(tmp_path / "out")], ["--work", str(tmp_path / "build")]
    cache = ["--cache", str(tmp_path / "cache")]
    (tmp_path / "base.md").write_text("# Nothing yet\n", encoding="utf-8")

    def program(*args: str, via: tuple[str, ...] = (sys.executable, "-m", "pipeline")) -> str:
        done = subprocess.run(
            [*via, *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr
        return done.stdout + done.stderr

    assert "parse: 7 papers ->" in program("parse", *listing, *work)
    said = program("resolve", *listing, *work, *cache, via=(str(installed),))
    assert "DBLP: done, 7/7 papers" in said and "6/7" in said
    assert "merge: 7 papers ->" in program("merge", *listing, *work, *out)
    assert "emit: 7 entries ->" in program("emit", *listing, *work, *out)
    assert (tmp_path / "out" / "papers.bib").is_file()
    assert "small-list.md: 7 papers; no findings" in program("lint", *listing)
    base = ["--base-list", str(tmp_path / "base.md")]
    assert "@misc{isca2019laconic," in program("review", *listing, *base, *work, *cache, *out)
    assert (tmp_path / "out" / "pr-comment.md").is_file()


def test_no_network_keeps_outputs_and_says_what_to_do(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "papers.bib").write_text("% the previous bibliography\n", encoding="utf-8")
    done = cli("enrich", *dirs(tmp_path))
    assert done.returncode == 1
    assert "cannot be reached" in done.stderr and "make demo" in done.stderr
    assert "--offline" not in done.stderr  # the cache is empty: offline would build nothing
    # the progress does not call that 'done', and the failed requests are named briefly
    assert "DBLP: done" not in done.stderr
    assert "DBLP: stopped (cannot be reached); its part of the run is incomplete" in done.stderr
    assert "GET /search/publ/api (table of contents db/conf/osdi/osdi2016)" in done.stderr
    assert max(len(line) for line in done.stderr.splitlines()) < 200
    assert "Traceback" not in done.stderr
    assert (out / "papers.bib").read_text(encoding="utf-8") == "% the previous bibliography\n"
    assert sorted(p.name for p in out.iterdir()) == ["papers.bib"]


def test_no_network_with_a_cache_suggests_offline(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path / "cache")
    cache.store("k", CachedEntry("ok", 200, "{}", 0.0))
    cache.close()
    done = cli("enrich", *dirs(tmp_path))
    assert done.returncode == 1 and "mlsys-bib enrich --offline" in done.stderr


def test_lint_prints_each_finding_once_and_exits_1_on_warnings() -> None:
    done = cli("lint")
    assert done.returncode == 1
    assert done.stdout.count("ASPLOS 20189") == 1 and "ASPLOS 20189" not in done.stderr
    assert done.stdout.splitlines()[-1] == "catalog/papers.md: 194 papers; 6 warnings"
    quiet = cli("lint", "-q")
    assert quiet.returncode == 1 and quiet.stdout == "catalog/papers.md: 194 papers; 6 warnings\n"


def test_parse_says_findings_once_and_q_keeps_only_the_summary(tmp_path: Path) -> None:
    done = cli("parse", "--work", str(tmp_path))
    assert done.returncode == 0 and done.stderr.count("ASPLOS 20189") == 1
    quiet = cli("parse", "-q", "--work", str(tmp_path))
    assert "ASPLOS 20189" not in quiet.stderr
    assert "6 warnings (details: mlsys-bib lint)" in quiet.stderr


@pytest.mark.parametrize("before_the_stage", [True, False])
def test_options_mean_the_same_wherever_they_stand(tmp_path: Path, before_the_stage: bool) -> None:
    options = ["--out", str(tmp_path / "elsewhere"), "--work", str(tmp_path / "build"),
               "--cache", str(tmp_path / "cache"), "--offline"]  # fmt: skip
    args = [*options, "enrich"] if before_the_stage else ["enrich", *options]
    done = cli(*args)
    # Offline with an empty cache: nothing fetched (no network message), the dirs given used.
    assert "offline and not in the cache" in done.stderr or done.returncode == 1
    assert (tmp_path / "build" / "parse.json").is_file()
    assert not (ROOT / "build" / "elsewhere").exists()
    assert (tmp_path / "cache").is_dir()


def test_an_option_the_stage_does_not_use_is_refused() -> None:
    before = cli("--ascii", "lint")
    assert before.returncode == 2
    assert "lint does not use --ascii (it is an option of: emit, enrich)" in before.stderr
    after = cli("lint", "--ascii")  # the same explanation after the stage (issue 22.5)
    assert after.returncode == 2 and after.stderr == before.stderr


def test_each_stage_help_says_what_it_does_and_lists_only_its_options() -> None:
    lint = cli("lint", "--help").stdout
    assert "Report the list's own problems" in lint and "--list" in lint
    assert "--offline" not in lint and "--out" not in lint
    emit = " ".join(cli("emit", "--help").stdout.split())  # argparse wraps the description
    assert "Needs no network" in emit and "--ascii" in emit and "--offline" not in emit
    assert cli("--help").stdout.startswith("usage: mlsys-bib")


def test_a_named_overrides_file_that_is_missing_is_an_error(tmp_path: Path) -> None:
    done = cli("resolve", "--overrides", str(tmp_path / "nope.toml"), "--work", str(tmp_path))
    assert done.returncode == 2 and "nope.toml: no such file (named by --overrides)" in done.stderr


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        (None, ["parse", "--list", "missing.md"], "missing.md: no such file"),
        ("empty", ["parse", "--list", "{tmp}/empty.md"], "no paper entries found"),
        ("overrides", ["resolve"], "overrides.toml: invalid override"),
        ("venues", ["resolve"], "venues.toml: not valid TOML"),
        (None, ["resolve", "--only", "NOPE"], "--only 'NOPE' selects no listed paper"),
        (None, ["parse", "--venues", "mine.toml"], "mine.toml: no such venue file"),
        (None, ["merge"], "resolve.json: not found (run the previous stage first)"),
    ],
)
def test_bad_input_exits_2_with_a_message_naming_the_file(
    tmp_path: Path, setup: str | None, args: list[str], message: str
) -> None:
    project = tmp_path / "project"
    (project / "catalog").mkdir(parents=True)
    (project / "catalog" / "papers.md").write_bytes(SEED.read_bytes())
    (project / "catalog" / "venues.toml").write_text(
        "[OSDI]\naliases = ['USENIX OSDI']\n", encoding="utf-8"
    )
    (tmp_path / "empty.md").write_text("# Nothing\n", encoding="utf-8")
    if setup == "overrides":
        (project / "catalog" / "overrides.toml").write_text(
            "[[override]]\npaper = 'x'\n", encoding="utf-8"
        )
    if args[0] in ("resolve", "merge"):
        assert cli("parse", cwd=project).returncode == 0
    if setup == "venues":  # after parse, which reads the venue table too (for its aliases)
        (project / "catalog" / "venues.toml").write_text("[OSDI\n", encoding="utf-8")
    done = cli(*[a.replace("{tmp}", str(tmp_path)) for a in args], cwd=project)
    assert done.returncode == 2, done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_empty_list_says_what_the_lines_looked_like(tmp_path: Path) -> None:
    listing = tmp_path / "links.md"
    listing.write_text(
        "# Links\n\n- [Papers](#papers)\n- [A blog](https://example.org/blog)\n", encoding="utf-8"
    )
    done = cli("parse", "--list", str(listing), "--work", str(tmp_path / "build"))
    assert done.returncode == 2
    assert "no paper entries found in the list (2 list items and 0 table rows)" in done.stderr
    assert done.stderr.startswith(f"error: {listing}: no paper entries found")
    assert done.stderr.count("error") == 1  # not 'error: list.md: error: ...'

    assert f"{listing}:3: info: not a paper: - [Papers](#papers) (a link inside the page" in (
        done.stderr
    )
    assert "Expected list items or table rows with a paper title" in done.stderr
    assert "Traceback" not in done.stderr


def test_parse_works_from_any_directory_with_the_shipped_venue_table(tmp_path: Path) -> None:
    listing = tmp_path / "list.md"
    listing.write_text(
        "- [Orca: A Serving System](https://x.org/o.pdf) NIPS'22\n", encoding="utf-8"
    )
    done = cli("parse", "--list", str(listing), "--work", str(tmp_path / "build"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    [paper] = json.loads((tmp_path / "build" / "parse.json").read_text(encoding="utf-8"))["papers"]
    assert (paper["venue"], paper["year"]) == ("NeurIPS", 2022)


# -- validate reads the .bib as strictly as BibTeX (issue 22, point 1) ---------------------


def ray_catalog() -> Catalog:
    ray = resolved(
        listed("Ray: A Distributed Framework for Emerging AI Applications", year=2018),
        dblp_record(
            "Ray: A Distributed Framework for Emerging AI Applications.",
            key="conf/osdi/MoritzNWTLLEYPJS18",
            authors=["Philipp Moritz", "Robert Nishihara", "Stephanie Wang"],
            year=2018,
        ),
    )
    lonely = resolved(listed("An Unverified Accelerator", venue="ISCA", year=2018))
    return catalog_of(ray, lonely)


def test_validate_refuses_a_field_bibtex_skips_and_names_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = write_outputs(tmp_path, ray_catalog())
    assert main(["validate", "--out", str(tmp_path)]) == 0
    broken = files["papers.bib"].replace("{Philipp Moritz and ", "", 1)
    (tmp_path / "papers.bib").write_text(broken, encoding="utf-8")
    with pytest.raises(pybtex.database.PybtexError):  # the strictest client refuses it too
        pybtex_strict_parse(broken)
    capsys.readouterr()
    assert main(["validate", "--out", str(tmp_path)]) == 1
    line = 1 + broken.splitlines().index(
        next(row for row in broken.splitlines() if "author = Robert" in row)
    )
    err = capsys.readouterr().err
    assert (
        f"papers.bib:{line}: entry moritz2018ray, field author: the value is not delimited" in err
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("title = {", "title = "), "not delimited"),
        (("keywords = {OSDI, 2018}\n}", "keywords = {OSDI, 2018}\n}}"), "text outside any entry"),
        (("year = {2018}", "year = {2018"), "BibTeX skips the rest of this entry"),
        (("year = {2018}", "year = {{2018"), "never closed"),
        (("year = {2018},", "year = {2018}"), "expected ',' or '}'"),
        (("year = {2018}", 'year = "2018'), "inside a quoted value"),
        (("year = {2018}", "year = 2018, year = {2019}"), "field year given twice"),
    ],
)
def test_validate_refuses_what_a_strict_bibtex_reader_refuses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: tuple[str, str], message: str
) -> None:
    files = write_outputs(tmp_path, ray_catalog())
    old, new = change
    assert old in files["papers.bib"]
    (tmp_path / "papers.bib").write_text(files["papers.bib"].replace(old, new, 1), encoding="utf-8")
    assert main(["validate", "--out", str(tmp_path)]) == 1
    assert message in capsys.readouterr().err


def test_validate_takes_numbers_months_and_defined_macros(tmp_path: Path) -> None:
    files = write_outputs(tmp_path, ray_catalog())
    bib = '@string{osdi = "OSDI"}\n' + files["papers.bib"].replace(
        "year = {2018}", "year = 2018, month = jun, series = osdi # { 2018}", 1
    )
    (tmp_path / "papers.bib").write_text(bib, encoding="utf-8")
    pybtex_strict_parse(bib)
    assert main(["validate", "--out", str(tmp_path)]) == 0


# -- paths: exit 2 and the path named, never a traceback (issue 22, point 2) ---------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["parse", "--venues", "{tmp}/folder"],
            "{tmp}/folder: is a folder, not a file (give a file with --venues PATH)",
        ),
        (["lint", "--venues", "{tmp}/folder"], "{tmp}/folder: is a folder, not a file"),
        (
            ["parse", "--list", "{tmp}/folder"],
            "{tmp}/folder: is a folder, not a file (give a file with --list PATH)",
        ),
        (
            ["resolve", "--overrides", "{tmp}/folder"],
            "{tmp}/folder: is a folder, not a file (give a file with --overrides PATH)",
        ),
        (["emit", "--out", "{tmp}/file"], "{tmp}/file: is a file, not a folder (named by --out)"),
        (
            ["validate", "--out", "{tmp}/file"],
            "{tmp}/file: is a file, not a folder (named by --out)",
        ),
        (
            ["enrich", "--out", "{tmp}/file/sub"],
            "{tmp}/file/sub: cannot be made, {tmp}/file is a file (named by --out)",
        ),
        (
            ["parse", "--work", "{tmp}/file"],
            "{tmp}/file: is a file, not a folder (named by --work)",
        ),
        (
            ["merge", "--work", "{tmp}/file/sub"],
            "{tmp}/file/sub: cannot be made, {tmp}/file is a file (named by --work)",
        ),
        (
            ["resolve", "--cache", "{tmp}/file"],
            "{tmp}/file: is a file, not a folder (named by --cache)",
        ),
        (["emit", "--out", "{tmp}/locked"], "{tmp}/.locked.lock: Is a directory"),
    ],
)
def test_a_path_of_the_wrong_kind_exits_2_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    (tmp_path / "folder").mkdir()
    (tmp_path / "file").write_text("not a folder\n", encoding="utf-8")
    (tmp_path / ".locked.lock").mkdir()  # where the run lock of --out {tmp}/locked goes
    takes_work = "work_dir" in STAGE_OPTIONS[args[0]] and "--work" not in args
    work = ["--work", str(tmp_path / "build")] if takes_work else []
    stage_args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    assert main([*stage_args, *work]) == 2
    err = capsys.readouterr().err
    assert f"error: {message.replace('{tmp}', str(tmp_path))}" in err
    assert "Traceback" not in err
    assert (tmp_path / "file").read_text(encoding="utf-8") == "not a folder\n"


def test_an_output_folder_that_cannot_be_written_exits_2_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """What storage raises when the disk refuses (tests run as root, so it is simulated)."""
    import pipeline.run

    def refused(path: Path, model: object) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(pipeline.run, "write_model", refused)
    assert main(["parse", "--work", str(tmp_path / "build")]) == 2
    err = capsys.readouterr().err
    assert f"error: {tmp_path / 'build' / 'parse.json'}: Permission denied" in err


@pytest.fixture
def unprivileged() -> Iterator[tuple[list[str], Path]]:
    """A command prefix that runs as an ordinary user, and a folder that user may use: tests
    run as root, who may write and read anything, so root runs the CLI as nobody (setpriv)."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: permissions cannot be tested")
        prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    place = Path(tempfile.mkdtemp(prefix="mlsys-bib-perm-"))
    place.chmod(0o777)
    yield prefix, place
    for path in place.rglob("*"):
        path.chmod(0o700)
    shutil.rmtree(place)


def test_an_unwritable_folder_and_an_unreadable_list_exit_2(
    unprivileged: tuple[list[str], Path],
) -> None:
    prefix, place = unprivileged

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [*prefix, sys.executable, "-m", "pipeline", *args]
        return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)

    locked = place / "locked"
    locked.mkdir(mode=0o555)
    locked.chmod(0o555)  # mkdir's mode goes through the umask
    done = run("parse", "--work", str(locked / "build"))
    assert done.returncode == 2, done.stderr
    assert (
        f"{locked / 'build'}: cannot write in {locked}: permission denied (--work)" in done.stderr
    )
    secret = place / "secret.md"
    secret.write_text("- **A Paper** OSDI 2016\n", encoding="utf-8")
    secret.chmod(0)
    done = run("parse", "--list", str(secret), "--work", str(place / "build"))
    assert done.returncode == 2 and f"error: {secret}: Permission denied" in done.stderr
    assert "Traceback" not in done.stderr
    # validate only reads: a published folder it may not write is fine
    published = place / "published"
    write_outputs(published, ray_catalog())
    published.chmod(0o555)
    done = run("validate", "--out", str(published))
    assert done.returncode == 0, done.stderr


# -- unresolved entries: a warning no style prints, and --verified-only (issue 22, point 6) -


@pytest.mark.slow
@pytest.mark.latex
def test_the_unresolved_warning_is_a_field_that_readers_keep_and_styles_ignore(
    tmp_path: Path,
) -> None:
    files = write_outputs(tmp_path / "out", ray_catalog())
    bib = files["papers.bib"]
    assert "note = " not in bib
    library = bibtexparser.parse_string(bib)
    assert library.failed_blocks == [] and len(library.entries) == 2
    unverified = library.entries[1]
    assert unverified.fields_dict["annotation"].value.startswith("Not verified against DBLP")
    pybtex_strict_parse(bib)
    for style in ("plain", "alpha", "abbrv", "unsrt", "ieeetr", "acm", "apalike"):
        document = PLAIN_DOC.replace("{plain}", f"{{{style}}}")
        log, bbl = compile_document(bib, tmp_path / style, document, "bibtex")
        assert_quiet_bibtex(log)
        assert "unverified accelerator" in bbl.lower() and "not verified" not in bbl.lower()
    log, bbl = compile_with_biber(bib, tmp_path / "biber")
    assert_quiet_biber(log)
    assert "\\field{annotation}{Not verified" in bbl  # biber passes it on as data...
    assert biber_datamodel_warnings(bib, tmp_path / "datamodel") == []
    # ...which biblatex's standard drivers (numeric, alphabetic, authoryear, ...) never print,
    # unlike `note`: only the `reading` style shows annotations.
    found = subprocess.run(["kpsewhich", "standard.bbx"], capture_output=True, text=True)
    drivers = Path(found.stdout.strip()).read_text(encoding="utf-8")
    assert "{note}" in drivers and "annotation" not in drivers


def stage_files(tmp_path: Path, catalog: Catalog) -> list[str]:
    """WORK as merge leaves it for `catalog`; the options that make emit read it."""
    work = tmp_path / "build"
    work.mkdir()
    (work / "merge.json").write_text(catalog.model_dump_json(), encoding="utf-8")
    (work / "parse.json").write_text(
        ParsedList(source="list.md", papers=[], findings=[]).model_dump_json(),
        encoding="utf-8",
    )
    (work / "resolve.json").write_text(ResolveResult(papers=[]).model_dump_json(), encoding="utf-8")
    return ["--work", str(work), "--out", str(tmp_path / "out")]


def test_verified_only_leaves_unresolved_papers_out_of_the_bib_and_csl_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = ray_catalog()
    dirs = stage_files(tmp_path, catalog)
    out = tmp_path / "out"
    assert main(["emit", "--verified-only", *dirs]) == 0
    unresolved = next(p.key for p in catalog.papers if p.status.value == "unresolved")
    bib = (out / "papers.bib").read_text(encoding="utf-8")
    csl = json.loads((out / "papers.csl.json").read_text(encoding="utf-8"))
    assert "@inproceedings{moritz2018ray," in bib and unresolved not in bib
    assert [item["id"] for item in csl] == ["moritz2018ray"]
    catalog_keys = [p["key"] for p in json.loads((out / "catalog.json").read_text())["papers"]]
    assert (
        unresolved in catalog_keys
        and f'id="paper-{unresolved}"' in (out / "index.html").read_text()
    )
    assert main(["validate", "--out", str(out)]) == 0
    # one of the two files alone without the unresolved paper is not a published set
    assert main(["emit", *dirs]) == 0
    (out / "papers.csl.json").write_text(json.dumps(csl), encoding="utf-8")
    capsys.readouterr()
    assert main(["validate", "--out", str(out)]) == 1
    assert "papers.csl.json and catalog.json do not hold the same keys" in capsys.readouterr().err


# -- a list that is not UTF-8 (issue 22, point 4) --------------------------------------------


def test_a_binary_file_is_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    binary = tmp_path / "list.md"
    binary.write_bytes(bytes(range(256)) * 40)
    assert main(["parse", "--list", str(binary), "--work", str(tmp_path / "build")]) == 2
    err = capsys.readouterr().err
    assert err.splitlines() == [
        f"error: {binary}: not a text file (binary data); give the markdown list"
    ]


def test_a_line_of_invalid_utf8_is_one_error_and_its_entry_is_skipped(tmp_path: Path) -> None:
    listing = tmp_path / "list.md"
    listing.write_bytes(
        b"# Papers\n\n"
        b"- **Orca: A Distributed Serving System** OSDI 2022\n"
        b"- **Caf\xe9 Scheduling for Deep Learning Clusters** OSDI 2022\n"
        b"- **Ray: A Distributed Framework** OSDI 2018\n"
    )
    work = tmp_path / "build"
    done = cli("parse", "--list", str(listing), "--work", str(work))
    assert done.returncode == 1
    err = done.stderr
    assert f"{listing}:4: error: invalid UTF-8, entry skipped [invalid-utf8]" in err
    assert err.count("invalid UTF-8") == 1
    stage_file = (work / "parse.json").read_text(encoding="utf-8")
    titles = [p["title"] for p in json.loads(stage_file)["papers"]]
    assert titles == ["Orca: A Distributed Serving System", "Ray: A Distributed Framework"]
    assert "\ufffd" not in stage_file


# -- the small ones (issue 22, point 5) ------------------------------------------------------


@pytest.mark.parametrize("args", [["lint", "-q", "-v"], ["-v", "lint", "-q"], ["-q", "-v", "lint"]])
def test_quiet_and_verbose_together_are_refused(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(args)
    assert stop.value.code == 2
    assert "-q and -v ask for less and more detail at once" in capsys.readouterr().err


@pytest.mark.parametrize("only", ["", "  "])
def test_an_empty_only_is_refused_rather_than_meaning_everything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], only: str
) -> None:
    assert main(["resolve", "--only", only, "--work", str(tmp_path)]) == 2
    assert "--only needs a venue or venue-year" in capsys.readouterr().err


@pytest.mark.parametrize("stage", ["parse", "lint", "validate"])
def test_a_misplaced_option_is_explained_the_same_before_and_after_the_stage(
    stage: str, capsys: pytest.CaptureFixture[str]
) -> None:
    option = ["--cache", "X"]
    assert main([*option, stage]) == 2
    before = capsys.readouterr().err
    assert main([stage, *option]) == 2
    assert capsys.readouterr().err == before
    assert before.startswith(f"error: {stage} does not use --cache (it is an option of: ")


def test_requests_in_messages_are_named_by_endpoint_and_size() -> None:
    from pipeline.messages import shorten_requests

    long = (
        "s2: cannot connect to http://127.0.0.1:9: GET /paper/search/match?fields=paperId%2C"
        "externalIds%2Ctitle%2Cyear%2Cvenue&query=TensorFlow%3A+A+System+for+Large+Scale+Machine"
        "+Learning; arxiv: HTTP 503 for GET /api/query?id_list=1605.08695,1712.05889&max_results=2"
    )
    assert shorten_requests(long) == (
        "s2: cannot connect to http://127.0.0.1:9: GET /paper/search/match (search 'TensorFlow:"
        " A System for Large Scale Mac...'); arxiv: HTTP 503 for GET /api/query (2 ids)"
    )


# -- Ctrl-C (issue 22, point 3) --------------------------------------------------------------

# Python code that makes importing pipeline.cli raise KeyboardInterrupt, as a Ctrl-C in the
# first moments of a command does, then starts the program the way `kind` names.
INTERRUPTED_IMPORT = """
import sys

class CtrlC:
    def find_spec(self, name, path=None, target=None):
        if name == "pipeline.cli":
            raise KeyboardInterrupt
        return None

sys.meta_path.insert(0, CtrlC())
if sys.argv[1] == "module":
    import runpy
    sys.argv = ["pipeline", "lint"]
    runpy.run_module("pipeline", run_name="__main__", alter_sys=True)
else:
    from importlib.metadata import entry_points
    [script] = [e for e in entry_points(group="console_scripts") if e.name == "mlsys-bib"]
    sys.argv = ["mlsys-bib", "lint"]
    sys.exit(script.load()())
"""


@pytest.mark.parametrize("kind", ["module", "entry point"])
def test_ctrl_c_while_the_cli_loads_is_one_line_and_status_130(kind: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", INTERRUPTED_IMPORT, kind.split()[0]],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 130, done.stderr
    assert done.stderr == "interrupted; outputs left as they were\n"


# `python -m pipeline`, with Ctrl-C raising KeyboardInterrupt as in a terminal. A process
# started with SIGINT ignored (a background job of a non-interactive shell) passes that on, and
# Python then leaves SIGINT ignored: without this the test would fail there and pass in CI.
INTERRUPTIBLE = """
import runpy, signal, sys
signal.signal(signal.SIGINT, signal.default_int_handler)
sys.argv = ["pipeline", *sys.argv[1:]]
runpy.run_module("pipeline", run_name="__main__", alter_sys=True)
"""


@pytest.mark.slow
@pytest.mark.parametrize(
    ("stop", "status", "said"),
    [
        (signal.SIGINT, 130, "interrupted; outputs left as they were"),
        # A CI job's time limit sends SIGTERM: the run stops as on Ctrl-C, in one line.
        (signal.SIGTERM, 143, "terminated (SIGTERM); outputs left as they were"),
    ],
)
def test_a_run_stopped_from_outside_is_one_line_and_a_status(
    tmp_path: Path, stop: signal.Signals, status: int, said: str
) -> None:
    api = FakeApi().start()
    try:
        slow = {**os.environ, **api.env(), "DBLP_MIN_INTERVAL": "0.5", "S2_MIN_INTERVAL": "0.5"}
        run = subprocess.Popen(
            [sys.executable, "-c", INTERRUPTIBLE, "enrich", *dirs(tmp_path)],
            cwd=ROOT,
            env=slow,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(3)  # well into resolving: the imports are long done
        run.send_signal(stop)
        _, err = run.communicate(timeout=60)
    finally:
        api.stop()
    assert run.returncode == status
    assert "Traceback" not in err and "KeyboardInterrupt" not in err and "Terminated" not in err
    assert err.splitlines()[-1] == said
    assert not (tmp_path / "out" / "papers.bib").exists()


def test_a_failed_demo_run_keeps_the_previous_demo(tmp_path: Path) -> None:
    from demo import run_demo

    target = tmp_path / "demo"
    (target / "output").mkdir(parents=True)
    (target / "output" / "papers.bib").write_text("% the previous demo\n", encoding="utf-8")
    assert run_demo(target, list_path=Path("no/such/list.md")) == 2
    assert (target / "output" / "papers.bib").read_text(encoding="utf-8") == "% the previous demo\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo"]  # no staging left behind


# -- arXiv or Crossref down: published with a gap, status 3 (issue 22, point 8) ---------------


def test_the_nightly_job_publishes_on_status_0_and_3_only() -> None:
    """The nightly runs the action; the action publishes on 0 and 3 (an abstract gap) only."""
    action = (ROOT / "action.yml").read_text(encoding="utf-8")
    workflow = (ROOT / ".github" / "workflows" / "nightly.yml").read_text(encoding="utf-8")
    assert 'if [ "$status" = 0 ] || [ "$status" = 3 ]; then' in action
    assert "steps.enrich.outputs.status ==" not in action  # every gate asks `publish`
    assert action.count("steps.enrich.outputs.publish == 'true'") == 4  # fix, commit, 2 pages
    assert "uses: ./" in workflow and "steps.bib.outputs.status ==" not in workflow
    assert workflow.count("steps.bib.outputs.publish == 'true'") == 3  # browser, shots, pages
    assert "3 complete but arXiv or Crossref failed" in cli("--help").stdout


# -- a preprint renamed before publication (issue 22, point 7) -------------------------------

TVM_LISTED = "TVM: An Automated End-to-End Optimizing Compiler for Deep Learning"
TVM_ON_ARXIV = "TVM: End-to-End Optimization Stack for Deep Learning"  # its v1 title
TVM_PREPRINT_AUTHORS = ["Tianqi Chen", "Thierry Moreau", "Ziheng Jiang", "Haichen Shen",
                        "Eddie Yan", "Leyuan Wang", "Yuwei Hu", "Luis Ceze", "Carlos Guestrin",
                        "Arvind Krishnamurthy"]  # fmt: skip


def arxiv_reply(authors: list[str]) -> Reply:
    entry = atom_entry("1802.04799", TVM_ON_ARXIV, tuple(authors))
    feed = atom_feed("id_list=1802.04799&max_results=1", [entry])
    return Reply(200, feed, {"Content-Type": "application/atom+xml; charset=utf-8"})


@pytest.mark.parametrize(
    ("authors", "accepted"),
    [
        (TVM_PREPRINT_AUTHORS, True),
        (TVM_PREPRINT_AUTHORS[:6], True),  # the preprint had fewer authors
        (["Jane Doe", *TVM_PREPRINT_AUTHORS[1:]], False),  # another first author
        (["Tianqi Chen", "Jane Doe", "John Roe", "Max Mustermann"], False),  # few in common
    ],
)
def test_an_arxiv_record_under_another_title_is_used_when_its_authors_agree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, authors: list[str], accepted: bool
) -> None:
    listing = tmp_path / "list.md"
    listing.write_text(f"- **{TVM_LISTED}** OSDI 2018\n", encoding="utf-8")
    api = FakeApi().start()
    try:
        for name, value in api.env().items():
            monkeypatch.setenv(name, value)
        for source in ("DBLP", "S2", "ARXIV", "CROSSREF"):
            monkeypatch.setenv(f"{source}_MIN_INTERVAL", "0")
        monkeypatch.setenv("S2_API_KEY", "test-placeholder")
        api.script("arxiv", arxiv_reply(authors))
        status = main(["enrich", "-q", "--list", str(listing), *dirs(tmp_path)])
    finally:
        api.stop()
    assert status == 0
    [paper] = json.loads((tmp_path / "out" / "catalog.json").read_text(encoding="utf-8"))["papers"]
    assert paper["title"] == TVM_LISTED and paper["status"] == "resolved"
    if accepted:
        assert paper["abstract_source"] == "arxiv"
        assert f"the fake arXiv made it for '{TVM_ON_ARXIV}'" in paper["abstract"]
        assert paper["arxiv_id"] == "1802.04799" and not paper["warnings"]
    else:
        assert paper["abstract"] is None
        assert any("another paper, not used" in w for w in paper["warnings"])


# -- the report's Unresolved section (issue 22, point 9) -------------------------------------


def test_unresolved_papers_show_plausible_candidates_and_a_pin_to_paste(tmp_path: Path) -> None:
    def candidate(
        key: str, title: str, confidence: float, score: float, *evidence: str
    ) -> Candidate:
        return Candidate(id=key, title=title, year=2020, title_score=score, confidence=confidence,
                         evidence=[f"title similarity {score:.0f}", *evidence])  # fmt: skip

    item = resolved(
        listed("Pollux: Co-adaptive Cluster Scheduling", id="osdi2020-pollux", year=2020)
    )
    dblp = item.dblp.model_copy(
        update={
            "candidates": [
                candidate("conf/osdi/QiaoCSNH0GX21", "Pollux: Co-adaptive Cluster Scheduling for Goodput-Optimized Deep Learning", 0.62, 78, "authors agree (100%)"),
                candidate("conf/osdi/Unrelated20", "Serving Heterogeneous Models", 0.27, 30, "no author in common"),
                candidate("conf/osdi/Vague20", "Cluster Economics", 0.25, 41),
            ]
        }
    )  # fmt: skip
    dirs = stage_files(tmp_path, catalog_of(item.model_copy(update={"dblp": dblp})))
    assert main(["emit", *dirs]) == 0
    report = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    section = report.split("## Unresolved")[1].split("\n## ")[0]
    assert "candidate `conf/osdi/QiaoCSNH0GX21` (2020)" in section
    assert "Unrelated20" not in section and "Vague20" not in section
    assert "2 unlikely candidates not shown" in section
    snippet = section.split("```toml\n")[1].split("```")[0]
    overrides = tmp_path / "overrides.toml"
    overrides.write_text(textwrap.dedent(snippet), encoding="utf-8")
    pins, warnings = load_overrides(overrides).bind([item.paper])
    assert warnings == [] and pins["osdi2020-pollux"].dblp_key == "conf/osdi/QiaoCSNH0GX21"


def test_a_command_runs_with_the_collector_paused_and_gives_it_back() -> None:
    from pipeline import collector

    was_on = gc.isenabled()
    with pytest.raises(RuntimeError), collector.paused():
        assert not gc.isenabled()
        gc.freeze()
        raise RuntimeError("a failure inside the command")
    assert gc.isenabled() == was_on
    assert gc.get_freeze_count() == 0
