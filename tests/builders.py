"""Small builders for typed records in tests (all data here is clearly fake)."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pipeline.emit.bib import render_bib
from pipeline.emit.catalog import render_catalog, render_schema
from pipeline.emit.csl import render_csl
from pipeline.emit.page import render_page
from pipeline.models import (
    Catalog,
    DblpRecord,
    DblpResolution,
    FetchStatus,
    ListedPaper,
    Method,
    ResolvedPaper,
    S2Author,
    S2Paper,
    S2Resolution,
    S2Tldr,
)


def listed(title: str, venue: str = "OSDI", year: int = 2016, **extra: Any) -> ListedPaper:
    values: dict[str, Any] = {
        "id": f"{venue.lower()}{year}-" + "-".join(title.lower().split()[:4]).replace(":", ""),
        "title": title,
        "venue": venue,
        "year": year,
        "venue_source": "entry",
        "year_source": "entry",
        "heading_venue": venue,
        "heading_year": year,
        "section": f"{venue} / {year}",
        "line": 10,
    }
    values.update(extra)
    return ListedPaper(**values)


def dblp_record(title: str, key: str = "conf/osdi/FAKE16", **extra: Any) -> DblpRecord:
    values: dict[str, Any] = {
        "key": key,
        "title": title,
        "authors": ["Ada Lovelace 0001", "Alan Turing"],
        "venue": "OSDI",
        "year": 2016,
        "type": "Conference and Workshop Papers",
        "pages": "1-15",
        "ee": ["https://www.usenix.org/conference/fake"],
        "url": f"https://dblp.org/rec/{key}",
    }
    values.update(extra)
    return DblpRecord(**values)


def proceedings(title: str = "Fake Symposium 2016, Somewhere, USA.", **extra: Any) -> DblpRecord:
    return dblp_record(
        title, key="conf/osdi/2016", type="Editorship", publisher="USENIX Association", **extra
    )


def s2_paper(title: str, paper_id: str = "fixture-0001", **extra: Any) -> S2Paper:
    values: dict[str, Any] = {
        "paperId": paper_id,
        "externalIds": {"DBLP": "conf/osdi/FAKE16", "CorpusId": 1},
        "title": title,
        "year": 2016,
        "venue": "OSDI",
        "authors": [S2Author(authorId="1", name="A. Lovelace")],
        "citationCount": 100,
        "influentialCitationCount": 10,
        "referenceCount": 30,
        "abstract": "[FIXTURE] An abstract.",
        "tldr": S2Tldr(model="fixture", text="[FIXTURE] A TLDR."),
        "url": f"https://www.semanticscholar.org/paper/{paper_id}",
    }
    values.update(extra)
    return S2Paper(**values)


def resolved(
    paper: ListedPaper,
    record: DblpRecord | None = None,
    s2: S2Paper | None = None,
    *,
    dblp_status: FetchStatus | None = None,
    s2_status: FetchStatus | None = None,
    with_proceedings: bool = True,
    error: str | None = None,
) -> ResolvedPaper:
    d_status = dblp_status or (FetchStatus.FOUND if record else FetchStatus.NOT_FOUND)
    s_status = s2_status or (FetchStatus.FOUND if s2 else FetchStatus.NOT_FOUND)
    return ResolvedPaper(
        paper=paper,
        dblp=DblpResolution(
            status=d_status,
            record=record,
            proceedings=proceedings() if record and with_proceedings else None,
            method=Method.TOC_EXACT if record else None,
            confidence=1.0 if record else None,
            error=error if d_status is FetchStatus.FAILED else None,
        ),
        s2=S2Resolution(
            status=s_status,
            record=s2,
            method=Method.S2_TITLE if s2 else None,
            error=error if s_status is FetchStatus.FAILED else None,
        ),
    )


def write_outputs(out: Path, catalog: Catalog) -> dict[str, str]:
    """A published set, as emit writes it."""
    files = {
        "papers.bib": render_bib(catalog),
        "catalog.json": render_catalog(catalog).decode(),
        "catalog.schema.json": render_schema(),
        "papers.csl.json": render_csl(catalog),
        "report.md": "# report\n",
        "index.html": render_page(catalog),
    }
    out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8")
    return files


def scatter(places: list[tuple[dict[str, Any], str]], odd: list[Any], rng: random.Random) -> None:
    """Damage an answer the way services do: at one to three of `places` (an object and a
    key), the key removed, or an odd value put in."""
    for _ in range(rng.randint(1, 3)):
        where, key = rng.choice(places)
        if rng.random() < 0.1:
            where.pop(key, None)
        else:
            where[key] = rng.choice(odd)


def readers_agree(
    item: Any,
    tolerant: Callable[[Any], Any],
    plain: Callable[[Any], Any],
    reader: Callable[[Any], Any],
) -> None:
    """A source's plain reader gives the tolerant models' record or declines (None); the reader
    that picks between them gives that record, or refuses what the models refuse."""
    expected = tolerant(item)
    fast = plain(item)
    assert fast is None or fast == expected
    try:
        assert reader(item) == expected
    except (ValidationError, ValueError, TypeError):
        assert expected is None
