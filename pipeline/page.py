"""The catalog as one self-contained web page, output/index.html (a pure renderer).

Everything is in the file: styles, a small script of our own, the data (a JSON island for the
script) and the charts (inline SVG drawn here, at build time). No request leaves the page. All
text from the list or an API goes through Jinja2's autoescaping, and the data through `tojson`,
which escapes `<`, `>`, `&` and `'`, so a hostile title cannot close a tag or the script. A
Content-Security-Policy allowing only this page's own script and style (by hash) backs that up.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from importlib.resources import files
from itertools import groupby
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from pipeline.emit.bib import render_entry
from pipeline.models import Catalog, CatalogPaper, Status
from pipeline.text import http_url

TOP_CITED = 10
_TEMPLATES = files("pipeline") / "templates"
_ENV = Environment(
    loader=PackageLoader("pipeline"),
    autoescape=select_autoescape(default_for_string=True, default=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
STATUS_LABELS = {
    Status.RESOLVED.value: "Resolved",
    Status.PARTIAL.value: "Partly resolved",
    Status.UNRESOLVED.value: "Unresolved",
}


@dataclass(frozen=True)
class PaperView:
    """What the page shows of one paper: plain strings, escaped by the template."""

    index: int
    key: str
    title: str
    authors: str
    venue: str
    year: int | None
    citations: int | None
    status: str
    links: list[tuple[str, str]]
    categories: list[str]
    tldr: str | None
    abstract: str | None


@dataclass(frozen=True)
class Group:
    """A run of consecutive papers under one heading of the list (e.g. 'OSDI / 2016')."""

    label: str
    papers: list[PaperView] = field(default_factory=list)


def paper_links(paper: CatalogPaper) -> list[tuple[str, str]]:
    """(label, URL) of the paper's links, in a fixed order, only those it has."""
    dblp = paper.dblp_url or (
        f"https://dblp.org/rec/{quote(paper.dblp_key)}" if paper.dblp_key else None
    )
    s2 = paper.s2_url or (
        f"https://www.semanticscholar.org/paper/{quote(paper.s2_paper_id)}"
        if paper.s2_paper_id
        else None
    )
    candidates = [
        ("DOI", f"https://doi.org/{quote(paper.doi, safe='/:;()._-')}" if paper.doi else None),
        ("DBLP", dblp),
        ("Semantic Scholar", s2),
        ("PDF", paper.open_access_pdf),
        ("Code", paper.code_url or paper.listed.code_url),
        ("arXiv", f"https://arxiv.org/abs/{quote(paper.arxiv_id)}" if paper.arxiv_id else None),
        ("Publisher", paper.url if not paper.doi else None),
        ("Listed link", paper.listed.paper_url),
    ]
    links: list[tuple[str, str]] = []
    for label, url in candidates:
        safe = http_url(url)
        if safe and safe not in (u for _, u in links):
            links.append((label, safe))
    return links


def venue_of(paper: CatalogPaper) -> str:
    """The listed venue's label as the venue table names it (one label per venue, whatever
    the list's spelling), else as the list names it."""
    return paper.venue_label or paper.listed.venue or paper.venue or "Unknown venue"


def year_of(paper: CatalogPaper) -> int | None:
    return paper.listed.year if paper.listed.year is not None else paper.year


def to_view(index: int, paper: CatalogPaper) -> PaperView:
    return PaperView(
        index=index,
        key=paper.key,
        title=paper.title,
        authors=", ".join(paper.authors or paper.listed.authors),
        venue=venue_of(paper),
        year=year_of(paper),
        citations=paper.citation_count,
        status=paper.status.value,
        links=paper_links(paper),
        categories=list(paper.categories),
        tldr=paper.tldr,
        abstract=paper.abstract,
    )


def group_label(paper: CatalogPaper) -> str:
    return paper.listed.section.replace(" / ", " ") or venue_of(paper)


def to_groups(catalog: Catalog, views: list[PaperView]) -> list[Group]:
    """Consecutive papers under the same heading, in list order."""
    keyed = zip(catalog.papers, views, strict=True)
    return [
        Group(label=label, papers=[view for _, view in run])
        for label, run in groupby(keyed, key=lambda pair: group_label(pair[0]))
    ]


# -- charts, drawn at build time ----------------------------------------------------------


def state_hash(**state: str | int) -> str:
    """A URL fragment the page's script reads as a filtered view (`#venue=OSDI&from=2016`)."""
    return "#" + "&".join(f"{name}={quote(str(value), safe='')}" for name, value in state.items())


def venue_year_chart(views: list[PaperView]) -> dict[str, Any] | None:
    """A heat map: one row per venue (list order), one column per year, a count per cell.

    Each non-empty cell links to that venue-year's filtered view.
    """
    years = sorted({v.year for v in views if v.year is not None})
    if not years:
        return None
    columns = list(range(years[0], years[-1] + 1))
    venues = list(dict.fromkeys(v.venue for v in views))
    counts: dict[tuple[str, int], int] = {}
    for v in views:
        if v.year is not None:
            counts[(v.venue, v.year)] = counts.get((v.venue, v.year), 0) + 1
    most = max(counts.values())
    left, top, cell_w, cell_h, right = 96, 24, 38, 24, 48
    cells = []
    for row, venue in enumerate(venues):
        for col, year in enumerate(columns):
            count = counts.get((venue, year), 0)
            if count:
                cells.append(
                    {
                        "x": left + col * cell_w,
                        "y": top + row * cell_h,
                        "count": count,
                        "opacity": f"{0.18 + 0.82 * count / most:.2f}",
                        "dark": count / most > 0.55,
                        "label": f"{venue} {year}: {count} paper{'s' if count != 1 else ''}",
                        "href": state_hash(venue=venue, **{"from": year, "to": year}),
                    }
                )
    totals = [sum(counts.get((venue, y), 0) for y in columns) for venue in venues]
    return {
        "width": left + len(columns) * cell_w + right,
        "height": top + len(venues) * cell_h + 4,
        "left": left,
        "top": top,
        "cell_w": cell_w,
        "cell_h": cell_h,
        "columns": [
            {"x": left + i * cell_w + cell_w // 2, "year": y} for i, y in enumerate(columns)
        ],
        "rows": [
            {
                "y": top + i * cell_h + cell_h // 2,
                "venue": venue,
                "total": totals[i],
                "href": state_hash(venue=venue),
            }
            for i, venue in enumerate(venues)
        ],
        "total_x": left + len(columns) * cell_w + 8,
        "cells": cells,
    }


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def top_cited_chart(views: list[PaperView], n: int = TOP_CITED) -> dict[str, Any] | None:
    """Bars for the n most-cited papers (ties in list order), each title above its bar so the
    chart fits a phone; each bar links to its paper's card."""
    cited = [v for v in views if v.citations]
    if not cited:
        return None
    top = sorted(cited, key=lambda v: (-(v.citations or 0), v.index))[:n]
    most = top[0].citations or 1
    width, bar_max, row_h = 380, 320, 38
    bars = []
    for i, v in enumerate(top):
        length = max(2, round(bar_max * (v.citations or 0) / most))
        where = f"{v.venue} {v.year or ''}".strip()
        bars.append(
            {
                "row_y": i * row_h,
                "text_y": i * row_h + 12,
                "bar_y": i * row_h + 17,
                "w": length,
                "count_x": length + 6,
                "count": v.citations,
                "short": f"{shorten(v.title, 38)} ({where})",
                "title": v.title,
                "venue": where,
                "href": f"#paper-{v.key}",
            }
        )
    return {"width": width, "height": len(top) * row_h, "row_h": row_h, "bars": bars}


# -- the page ------------------------------------------------------------------------------


def _asset(name: str) -> str:
    return (_TEMPLATES / name).read_text(encoding="utf-8")


def csp_hash(text: str) -> str:
    """The CSP source for an inline script or style: its SHA-256, base64."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def page_data(catalog: Catalog, ascii: bool) -> dict[str, Any]:
    """What the script needs per paper (in list order): facets to filter on and the BibTeX."""
    return {
        "papers": [
            {
                "bib": render_entry(paper, ascii),
                "cat": list(paper.categories),
                "cites": paper.citation_count,
                "status": paper.status.value,
                "venue": venue_of(paper),
                "year": year_of(paper),
            }
            for paper in catalog.papers
        ]
    }


def render_page(catalog: Catalog, ascii: bool = False) -> str:
    """index.html for the catalog: byte-identical for the same catalog."""
    views = [to_view(i, paper) for i, paper in enumerate(catalog.papers)]
    script, style = _asset("page.js"), _asset("page.css")
    statuses = [s.value for s in Status]
    counts = {s: sum(v.status == s for v in views) for s in statuses}
    template = _ENV.get_template("index.html.j2")
    return template.render(
        source=catalog.source,
        total=len(views),
        counts=counts,
        status_labels=STATUS_LABELS,
        groups=to_groups(catalog, views),
        venues=list(dict.fromkeys(v.venue for v in views)),
        years=sorted({v.year for v in views if v.year is not None}),
        categories=sorted(
            {c for v in views for c in v.categories}, key=lambda c: (c.casefold(), c)
        ),
        statuses=statuses,
        heatmap=venue_year_chart(views),
        top_cited=top_cited_chart(views),
        data=page_data(catalog, ascii),
        script=Markup(script),  # our own file, shipped with the package
        style=Markup(style),
        csp=(
            "default-src 'none'; "
            f"script-src {csp_hash(script)}; style-src {csp_hash(style)}; "
            "img-src data:; base-uri 'none'; form-action 'none'"
        ),
    )
