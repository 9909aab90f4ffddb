"""papers.csl.json: the catalog as CSL-JSON, the citation data of Zotero, pandoc/citeproc and
citation.js (pure renderer, schema and validation).

Same papers, keys and order as papers.bib. JSON is data, not markup, so values are the
catalog's clean text, not the .bib's escaped text. Types follow the .bib's entry types.
"""

from __future__ import annotations

import io
import json
import re
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from pipeline.emit.bib import UNRESOLVED_NOTE, arxiv_of, keywords_of
from pipeline.emit.catalog import write_items
from pipeline.emit.latex import url_field
from pipeline.models import Catalog, CatalogPaper, Status
from pipeline.storage import to_json
from pipeline.text import clean_text, is_doi, split_name

CSL_TYPES = {"inproceedings": "paper-conference", "article": "article-journal"}
_DASHES = re.compile(r"\s*(?:--|[-\u2013])\s*")


def csl_type(paper: CatalogPaper) -> str:
    """paper-conference, article-journal, or article: CSL's type for preprints and other works
    that are their own publication, which is all an unresolved paper can be called."""
    return CSL_TYPES.get(paper.entry_type, "article")


def csl_name(name: str) -> dict[str, str]:
    """A person as CSL wants it; the particle stays in `family` ('van Rossum'), which citeproc
    and pandoc split off themselves and Zotero, which has no particle field, keeps."""
    return _person(clean_text(name))


_AND = re.compile(r"\band\b")


def _person(text: str) -> dict[str, str]:
    """csl_name of a name already cleaned."""
    given, family, suffix = split_name(text)
    if not given or _AND.search(text):  # one word, or 'Tom and Jerry': kept whole
        return {"literal": text}
    return {"given": given, "family": family} | ({"suffix": suffix} if suffix else {})


@lru_cache(maxsize=1 << 16)  # the same authors write many of a list's papers
def _author(name: str) -> dict[str, str] | None:
    """csl_name for an author of the catalog; None for a name with no text left."""
    text = clean_text(name)
    return _person(text) if text else None


@lru_cache(maxsize=1 << 12)
def _clean_container(name: str) -> str:
    """A proceedings or journal name as plain text (a list has few)."""
    return clean_text(name)


def csl_item(paper: CatalogPaper) -> dict[str, Any]:
    """One CSL-JSON item; absent values are left out, never written as null or ''."""
    kind = csl_type(paper)
    arxiv = arxiv_of(paper)
    preprint = kind == "article" and paper.status is not Status.UNRESOLVED
    container = {"paper-conference": paper.booktitle, "article-journal": paper.journal}.get(kind)
    notes = [f"arXiv: {arxiv}"] if arxiv else []  # Zotero keeps this line in Extra
    if paper.status is Status.UNRESOLVED:
        notes.append(UNRESOLVED_NOTE)
    item: dict[str, Any] = {
        "id": paper.key,
        "citation-key": paper.key,
        "type": kind,
        "title": clean_text(paper.title),
        # Shared between the items of one author: never changed once built (only serialised).
        "author": [n for n in map(_author, paper.authors) if n is not None] or None,
        "issued": {"date-parts": [[paper.year]]} if paper.year is not None else None,
        "container-title": _clean_container(container) if container else None,
        "container-title-short": paper.venue_label if kind == "paper-conference" else None,
        "volume": paper.volume if kind == "article-journal" else None,
        "issue": paper.number if kind == "article-journal" else None,
        "page": _DASHES.sub("-", paper.pages) if paper.pages and kind != "article" else None,
        "publisher": "arXiv" if preprint and arxiv else paper.publisher,
        "number": f"arXiv:{arxiv}" if preprint and arxiv else None,
        "DOI": paper.doi if paper.doi and is_doi(paper.doi) else None,
        "URL": url_field(paper.url),
        "abstract": paper.abstract or None,
        "keyword": ", ".join(keywords_of(paper)) or None,
        "note": "\n".join(notes) or None,
    }
    return {name: value for name, value in item.items() if value}


def render_csl(catalog: Catalog, verified_only: bool = False) -> str:
    """papers.csl.json: one item per listed paper (per verified paper with `verified_only`),
    in list order, keys sorted."""
    papers = [p for p in catalog.papers if not (verified_only and p.status is Status.UNRESOLVED)]
    if not papers:
        return to_json([]).decode("utf-8")
    out = io.BytesIO()  # item by item: no list of 10,000 dicts beside the text
    out.write(b"[")
    write_items(out, map(csl_item, papers), depth=1)
    out.write(b"]\n")
    _author.cache_clear()  # its dicts are this file's only: not kept for the process's life
    return out.getvalue().decode("utf-8")  # orjson: the same bytes as json.dumps(indent=2)


@cache
def _schema_text() -> str:
    return resources.files("pipeline").joinpath("schemas/csl-data.json").read_text("utf-8")


def csl_schema() -> dict[str, Any]:
    """The CSL project's csl-data.json (CSL 1.0.1, draft 3, see pipeline/schemas/README.md)
    plus `citation-key`, the one CSL 1.0.2 variable we write."""
    schema: dict[str, Any] = json.loads(_schema_text())
    schema["items"]["properties"]["citation-key"] = {"type": "string"}
    return schema


def csl_problems(data: object) -> list[str]:
    """Where CSL-JSON data breaks the schema, as 'item N (key): message'; empty when valid."""
    import jsonschema  # validate's alone: a run that only writes the file does not load it

    validator = jsonschema.Draft3Validator(csl_schema())
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path)):
        path = list(error.absolute_path)
        where = ""
        if path and isinstance(data, list) and isinstance(path[0], int):
            item = data[path[0]]
            key = item.get("id") if isinstance(item, dict) else None
            where = f"item {path[0] + 1} ({key}): "
        problems.append(where + error.message)
    return problems
