"""Shared test helpers: the fake API server and settings that point at it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from fakeapi import FakeApi

from pipeline.config import Settings

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def fake() -> Iterator[FakeApi]:
    """The fake DBLP + S2 server, serving the real recorded tables of contents."""
    api = FakeApi().start()
    yield api
    api.stop()


def settings_for(api: FakeApi, tmp_path: Path, **changes: Any) -> Settings:
    """Settings aimed at the fake server: no pacing, quick give-up, a private cache."""
    base = Settings()
    return replace(
        base,
        venues_path=ROOT / "catalog" / "venues.toml",
        overrides_path=tmp_path / "overrides.toml",
        cache_dir=tmp_path / "cache",
        work_dir=tmp_path / "build",
        out_dir=tmp_path / "output",
        timeout=5.0,
        max_attempts=2,
        max_wait=2.0,
        dblp=replace(base.dblp, base_url=api.url, min_interval=0.0),
        s2=replace(base.s2, base_url=api.s2_url, min_interval=0.0),
        **changes,
    )


def dblp_hit(
    key: str,
    title: str,
    year: int,
    authors: list[str],
    venue: str,
    type_: str = "Conference and Workshop Papers",
    **extra: str,
) -> dict[str, Any]:
    """One DBLP search hit in the API's real shape (string year, dict for one author)."""
    people = [{"@pid": f"fake/{i}", "text": name} for i, name in enumerate(authors)]
    info: dict[str, Any] = {
        "authors": {"author": people[0] if len(people) == 1 else people},
        "title": title,
        "venue": venue,
        "year": str(year),
        "type": type_,
        "key": key,
        "url": f"https://dblp.org/rec/{key}",
        **extra,
    }
    return {"@score": "1", "@id": str(abs(hash(key)) % 10**7), "info": info, "url": "URL#1"}


def write_toc(directory: Path, toc: str, hits: list[dict[str, Any]]) -> None:
    """Write a (clearly fake) table of contents where FakeApi(toc_dir=...) finds it."""
    directory.mkdir(parents=True, exist_ok=True)
    name = toc.removeprefix("db/").removesuffix(".bht").replace("/", "__")
    total = str(len(hits))
    payload = {
        "result": {
            "query": f"toc:{toc}:",
            "status": {"@code": "200", "text": "OK"},
            "hits": {
                "@total": total,
                "@computed": total,
                "@sent": total,
                "@first": "0",
                "hit": hits,
            },
        }
    }
    (directory / f"{name}.json").write_text(json.dumps(payload), encoding="utf-8")
