"""The CLI run inside the test process, answering like `python -m pipeline` in a subprocess.

A subprocess costs most of a second (a fresh interpreter, then pydantic, requests, Jinja2...)
and proves nothing more unless the process boundary is the thing tested: the entry point, exit
codes on signals, import laziness, a kill mid-run. Those tests keep spawning; the rest call
`run_cli`, which gives the same CompletedProcess (status, stdout, stderr) and leaves nothing
behind: the environment, the folder, the logging set-up and the collector are as they were.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import subprocess
import sys
import traceback
from collections.abc import Iterator, Mapping
from pathlib import Path

from pipeline.cli import main

__all__ = ["run_cli"]


def run_cli(
    *args: str, env: Mapping[str, str] | None = None, cwd: Path | str | None = None
) -> subprocess.CompletedProcess[str]:
    """`mlsys-bib ARGS` with exactly `env` as its environment (None: this process's) in `cwd`;
    a traceback goes to stderr with status 1, as an interpreter would print it."""
    out, err = io.StringIO(), io.StringIO()
    with (
        _environment(env),
        _folder(cwd),
        _own_logging(),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        status = _status(list(args))
    return subprocess.CompletedProcess(["mlsys-bib", *args], status, out.getvalue(), err.getvalue())


def _status(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as exc:  # argparse: --help, a usage error
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        print(exc.code, file=sys.stderr)
        return 1
    except Exception:
        traceback.print_exc()
        return 1


@contextlib.contextmanager
def _environment(env: Mapping[str, str] | None) -> Iterator[None]:
    saved = dict(os.environ)
    if env is not None:
        os.environ.clear()
        os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@contextlib.contextmanager
def _folder(cwd: Path | str | None) -> Iterator[None]:
    saved = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        yield
    finally:
        os.chdir(saved)


@contextlib.contextmanager
def _own_logging() -> Iterator[None]:
    """The root logger bare, so that main's logging.basicConfig installs its handler on the
    redirected stderr as in a fresh interpreter (pytest's capture handlers would make it a
    no-op); afterwards pytest's handlers and levels are back and main's handler is closed."""
    loggers = [logging.getLogger(), logging.getLogger("pipeline")]
    saved = [(lg, lg.handlers[:], lg.level, lg.propagate) for lg in loggers]
    root = loggers[0]
    root.handlers.clear()
    try:
        yield
    finally:
        for handler in root.handlers:
            handler.close()
        for lg, handlers, level, propagate in saved:
            lg.handlers[:] = handlers
            lg.setLevel(level)
            lg.propagate = propagate
