"""Shared test helpers: the fake API server and settings that point at it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from fakeapi import FakeApi, dblp_hit, write_toc

__all__ = ["ROOT", "dblp_hit", "fake", "settings_for", "write_toc"]

from pipeline.config import Settings

ROOT = Path(__file__).resolve().parent.parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Files with slow tests first, the most first: `make test` hands out whole files
    (--dist loadfile, --no-loadscope-reorder), and a slow file handed out last leaves the
    other workers idle while it runs. The order inside a file is kept."""
    slow: dict[str, int] = {}
    for item in items:
        slow[item.path.as_posix()] = slow.get(item.path.as_posix(), 0) + (
            item.get_closest_marker("slow") is not None
        )
    items.sort(key=lambda item: -slow[item.path.as_posix()])


@pytest.fixture(autouse=True)
def outside_github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    """lint, fix and review print workflow commands when GITHUB_ACTIONS=true; the suite runs
    the same in CI as on a laptop (tests that want the commands set it themselves)."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


@pytest.fixture
def fake() -> Iterator[FakeApi]:
    """The fake DBLP + S2 + arXiv + Crossref server, serving the real recorded tables of contents."""
    api = FakeApi().start()
    yield api
    api.stop()


def settings_for(api: FakeApi, tmp_path: Path, **changes: Any) -> Settings:
    """Settings aimed at the fake server: no pacing, quick give-up, a private cache."""
    base = Settings()
    return replace(
        base,
        overrides_path=tmp_path / "overrides.toml",
        cache_dir=tmp_path / "cache",
        work_dir=tmp_path / "build",
        out_dir=tmp_path / "output",
        timeout=5.0,
        max_attempts=2,
        max_wait=2.0,
        dblp=replace(base.dblp, base_url=api.url, min_interval=0.0),
        s2=replace(base.s2, base_url=api.s2_url, min_interval=0.0),
        arxiv=replace(base.arxiv, base_url=api.arxiv_url, min_interval=0.0),
        crossref=replace(base.crossref, base_url=api.crossref_url, min_interval=0.0),
        **changes,
    )
