"""The catalog as one self-contained web page, output/index.html (a renderer: its one look
outside the catalog is for the git repository holding the list, to name the list relative to it).

Everything is in the file: styles, a small script of our own, the data and the charts (drawn
here, at build time). No request leaves the page. The papers are in the file once, as data: one
JSON island with what a card shows and each paper's BibTeX entry (as papers.bib holds it), and
a second one with the abstracts, which the script reads after the first papers are on screen.
The script renders only the cards a reader scrolls to, so a 10,000-paper page opens as fast as
a short one. All text from the list or an API goes through Jinja2's autoescaping, and the data
through `tojson`, which escapes `<`, `>`, `&` and `'`, so a hostile title cannot close a tag or
the script; the script writes it with textContent only. A Content-Security-Policy allowing only
this page's own script and style (by hash) backs that up.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from itertools import groupby
from pathlib import Path, PureWindowsPath
from typing import Any
from urllib.parse import quote

import orjson
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
# The data islands: compact (a 10,000-paper page holds ~10 MB of JSON), sorted keys.
_JSON_OPTIONS: dict[str, Any] = {"sort_keys": True, "separators": (",", ":"), "ensure_ascii": False}


def _compact_json(value: Any, sort_keys: bool) -> str:
    """json.dumps(value, sort_keys=..., separators=(",", ":"), ensure_ascii=False), written by
    orjson: the same text for what the page holds (strings, integers, None; orjson
    escapes exactly json's characters), in a fraction of the time. What orjson refuses (a lone
    surrogate, an integer beyond 64 bits) goes to json."""
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS if sort_keys else 0).decode()
    except TypeError:
        return json.dumps(value, sort_keys=sort_keys, separators=(",", ":"), ensure_ascii=False)


def _json_text(value: Any, **options: Any) -> str:
    """Jinja's `tojson`: _compact_json for the page's options, json.dumps for any other."""
    if options == _JSON_OPTIONS:
        return _compact_json(value, sort_keys=True)
    return json.dumps(value, **options)


_ENV.policies["json.dumps_function"] = _json_text
_ENV.policies["json.dumps_kwargs"] = _JSON_OPTIONS
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
    stale: str | None = None  # 'citation count as of 2026-11-02': not refreshed this run


@dataclass(frozen=True)
class Group:
    """A run of consecutive papers under one heading of the list (e.g. 'OSDI / 2016')."""

    label: str
    papers: list[PaperView] = field(default_factory=list)


def paper_links(paper: CatalogPaper) -> list[tuple[str, str]]:
    """(label, URL) of the paper's links, in a fixed order, only those it has."""
    # A link made here (a fixed https host, the id percent-encoded) is safe as it is; one
    # from the data goes through http_url.
    dblp = http_url(paper.dblp_url) if paper.dblp_url else None
    if not paper.dblp_url and paper.dblp_key:
        dblp = f"https://dblp.org/rec/{quote(paper.dblp_key)}"
    s2 = http_url(paper.s2_url) if paper.s2_url else None
    if not paper.s2_url and paper.s2_paper_id:
        s2 = f"https://www.semanticscholar.org/paper/{quote(paper.s2_paper_id)}"
    candidates = [
        ("DOI", f"https://doi.org/{quote(paper.doi, safe='/:;()._-')}" if paper.doi else None),
        ("DBLP", dblp),
        ("Semantic Scholar", s2),
        ("PDF", http_url(paper.open_access_pdf)),
        ("Code", http_url(paper.code_url or paper.listed.code_url)),
        ("arXiv", f"https://arxiv.org/abs/{quote(paper.arxiv_id)}" if paper.arxiv_id else None),
        ("Publisher", http_url(paper.url) if not paper.doi else None),
        ("Listed link", http_url(paper.listed.paper_url)),
    ]
    links: list[tuple[str, str]] = []
    for label, url in candidates:
        if url and url not in (u for _, u in links):
            links.append((label, url))
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
        stale=stale_note(paper),
    )


def stale_note(paper: CatalogPaper) -> str | None:
    """The values shown that this run could not refresh, with their date, for readers:
    'citation count as of 2026-11-02'. None when everything is this run's."""
    groups: dict[str, list[str]] = {}
    for name in sorted(paper.stale):
        mark = paper.stale[name]
        when = (
            f"as of {mark.as_of}"
            if mark.as_of
            else f"from an earlier run (not refreshed since {mark.since})"
        )
        groups.setdefault(when, []).append(name.replace("_", " "))
    return "; ".join(f"{', '.join(names)} {when}" for when, names in groups.items()) or None


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

    Each non-empty cell links to that venue-year's filtered view. The venue labels are drawn
    apart from the grid, so on a narrow screen they stay while the grid scrolls (it opens at
    its right end: the newest years and the totals are what a phone shows first)."""
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
                        "x": col * cell_w,
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
        "width": len(columns) * cell_w + right,
        "height": top + len(venues) * cell_h + 4,
        "left": left,
        "top": top,
        "cell_w": cell_w,
        "cell_h": cell_h,
        "columns": [{"x": i * cell_w + cell_w // 2, "year": y} for i, y in enumerate(columns)],
        "rows": [
            {
                "y": top + i * cell_h + cell_h // 2,
                "venue": venue,
                "total": totals[i],
                "href": state_hash(venue=venue),
            }
            for i, venue in enumerate(venues)
        ],
        "total_x": len(columns) * cell_w + 8,
        "cells": cells,
    }


def top_cited_chart(views: list[PaperView], n: int = TOP_CITED) -> dict[str, Any] | None:
    """Bars for the n most-cited papers (ties in list order), each title above its bar; the
    title is cut (with an ellipsis, by the browser) only where the screen has no room for it.
    Each bar links to its paper's card."""
    cited = [v for v in views if v.citations]
    if not cited:
        return None
    top = sorted(cited, key=lambda v: (-(v.citations or 0), v.index))[:n]
    most = top[0].citations or 1
    bars = []
    for v in top:
        bars.append(
            {
                # of the line's width, leaving room for the count after the bar
                "percent": f"{max(0.5, 88 * (v.citations or 0) / most):.1f}",
                "count": v.citations,
                "title": v.title,
                "venue": f"{v.venue} {v.year or ''}".strip(),
                "href": f"#paper-{v.key}",
            }
        )
    return {"bars": bars}


# -- the page ------------------------------------------------------------------------------

LINK_LABELS = (
    "DOI",
    "DBLP",
    "Semantic Scholar",
    "PDF",
    "Code",
    "arXiv",
    "Publisher",
    "Listed link",
)
# Most links start with one of these: the data holds the index and the rest of the URL.
URL_PREFIXES = (
    "",
    "https://doi.org/",
    "https://dblp.org/rec/",
    "https://www.semanticscholar.org/paper/",
    "https://arxiv.org/abs/",
    "https://github.com/",
    "https://",
)
# tests/fakeapi.py (the demo's and the tests' fake services) marks everything it makes up:
# Semantic Scholar ids `fixture-...` (a real one is 40 hex digits) and `[FIXTURE]` texts.
FIXTURE_ID = "fixture-"
FIXTURE_TEXT = "[FIXTURE]"


def made_up(paper: CatalogPaper) -> bool:
    """Whether the paper carries data from the fake services rather than the real ones."""
    texts = (paper.abstract, paper.tldr)
    return (paper.s2_paper_id or "").startswith(FIXTURE_ID) or any(
        (t or "").startswith(FIXTURE_TEXT) for t in texts
    )


def source_label(source: str) -> str:
    """The list as the page names it: a relative path as given; an absolute one relative to
    the git repository holding it (CI builds in a checkout), else its file name alone. Never
    the build machine's absolute path."""
    if PureWindowsPath(source).drive:  # C:\... (built on Windows): its file name
        return PureWindowsPath(source).name
    path = Path(source)
    if not path.is_absolute():
        return path.as_posix()
    for parent in path.parents:
        if (parent / ".git").exists():
            return path.relative_to(parent).as_posix()
    return path.name


_LONGEST_PREFIX_FIRST = sorted(range(len(URL_PREFIXES)), key=lambda i: -len(URL_PREFIXES[i]))


def _link(label: str, url: str) -> list[int | str]:
    """[label index, prefix index, the rest of the URL]: the longest prefix it starts with."""
    prefix = next(i for i in _LONGEST_PREFIX_FIRST if url.startswith(URL_PREFIXES[i]))
    return [LINK_LABELS.index(label), prefix, url[len(URL_PREFIXES[prefix]) :]]


def page_data(catalog: Catalog, views: Sequence[PaperView] | None = None) -> dict[str, Any]:
    """What the script needs at once: what a card shows and the facets to filter on, in list
    order; short keys, venues, statuses and categories as indexes (a 10,000-paper list is
    10,000 times each key). Abstracts and BibTeX entries are in `later_data`."""
    if views is None:
        views = [to_view(i, paper) for i, paper in enumerate(catalog.papers)]
    venues = list(dict.fromkeys(v.venue for v in views))
    statuses = [s.value for s in Status]
    categories = sorted({c for v in views for c in v.categories}, key=lambda c: (c.casefold(), c))
    venue_index = {venue: i for i, venue in enumerate(venues)}
    category_index = {category: i for i, category in enumerate(categories)}
    papers = []
    for view in views:
        paper: dict[str, Any] = {
            "k": view.key,
            "t": view.title,
            "a": view.authors,
            "v": venue_index[view.venue],
            "y": view.year,
            "c": view.citations,
            "s": statuses.index(view.status),
        }
        if view.categories:
            paper["g"] = sorted({category_index[c] for c in view.categories})
        if view.links:
            paper["l"] = [_link(label, url) for label, url in view.links]
        if view.tldr:
            paper["d"] = view.tldr
        if view.abstract:
            paper["h"] = 1
        if view.stale:
            paper["o"] = view.stale
        papers.append(paper)
    return {
        "venues": venues,
        "statuses": statuses,
        "categories": categories,
        "labels": list(LINK_LABELS),
        "prefixes": list(URL_PREFIXES),
        "groups": [[g.label, len(g.papers)] for g in to_groups(catalog, list(views))],
        "papers": papers,
    }


ABSTRACT_MARK = "\u0000"  # in a stored entry: the abstract goes here (it is stored once)


def later_data(catalog: Catalog, entries: Sequence[str]) -> list[list[str | None]]:
    """Per paper, in list order: [abstract or None, BibTeX entry as papers.bib holds it]. The
    entry's abstract field is the abstract again: where it is written verbatim, the entry
    holds ABSTRACT_MARK in its place, so each abstract is in the page once."""
    rows: list[list[str | None]] = []
    for paper, entry in zip(catalog.papers, entries, strict=True):
        abstract = paper.abstract or None
        field = f"  abstract = {{{abstract}}}" if abstract else None
        if field and entry.count(field) == 1 and ABSTRACT_MARK not in entry:
            entry = entry.replace(field, f"  abstract = {{{ABSTRACT_MARK}}}")
        rows.append([abstract, entry])
    return rows


def pack(value: Any) -> str:
    """JSON, deflated (zlib), in base64: how the page carries what it reads only after the
    first cards are on screen (the script inflates it with the browser's DecompressionStream)."""
    raw = _compact_json(value, sort_keys=False).encode("utf-8")
    return base64.b64encode(zlib.compress(raw, 6)).decode("ascii")  # 9: 1% smaller, 40% slower


def unpack(packed: str) -> Any:
    """pack's inverse (the tests and the validation read the page with it)."""
    return json.loads(zlib.decompress(base64.b64decode(packed)).decode("utf-8"))


def _asset(name: str) -> str:
    return (_TEMPLATES / name).read_text(encoding="utf-8")


def csp_hash(text: str) -> str:
    """The CSP source for an inline script or style: its SHA-256, base64."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def render_page(catalog: Catalog, ascii: bool = False, entries: Sequence[str] | None = None) -> str:
    """index.html for the catalog: byte-identical for the same catalog.

    `entries`: the papers' BibTeX entries as papers.bib holds them, when the caller has them
    already (each entry is then rendered once per run); rendered here otherwise."""
    if entries is None:
        entries = [render_entry(paper, ascii) for paper in catalog.papers]
    views = [to_view(i, paper) for i, paper in enumerate(catalog.papers)]
    script, style = _asset("page.js"), _asset("page.css")
    statuses = [s.value for s in Status]
    counts = {s: sum(v.status == s for v in views) for s in statuses}
    data = page_data(catalog, views)
    template = _ENV.get_template("index.html.j2")
    return template.render(
        source=source_label(catalog.source),
        total=len(views),
        counts=counts,
        made_up=sum(made_up(paper) for paper in catalog.papers),
        status_labels=STATUS_LABELS,
        groups=to_groups(catalog, views),
        venues=data["venues"],
        years=sorted({v.year for v in views if v.year is not None}),
        categories=data["categories"],
        statuses=statuses,
        heatmap=venue_year_chart(views),
        top_cited=top_cited_chart(views),
        data=data,
        later=pack(later_data(catalog, entries)),
        script=Markup(script),  # our own file, shipped with the package
        style=Markup(style),
        csp=(
            "default-src 'none'; "
            f"script-src {csp_hash(script)}; style-src {csp_hash(style)}; "
            "img-src data:; base-uri 'none'; form-action 'none'"
        ),
    )
