"""catalog.json and its JSON Schema, generated from the pydantic models (pure renderers)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from typing import Any

import orjson

from pipeline.models import CATALOG_SCHEMA_VERSION, Catalog
from pipeline.storage import to_json


def catalog_schema() -> dict[str, Any]:
    """JSON Schema of catalog.json, generated from the pydantic models."""
    schema = Catalog.model_json_schema(by_alias=True, mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://mlsys-bib.invalid/catalog.schema.{CATALOG_SCHEMA_VERSION}.json",
        "version": CATALOG_SCHEMA_VERSION,
        **schema,
    }


def render_catalog(catalog: Catalog) -> bytes:
    """catalog.json as UTF-8 bytes (it can be tens of MB: no extra str copy).

    Written paper by paper, so that no dump of the whole catalog (~40 MB of dicts at 10,000
    papers) sits beside the records and the text: the bytes are those of `to_json` of the
    whole dump.
    """
    if not catalog.papers:
        return to_json(catalog.model_dump(mode="json", by_alias=True))
    envelope = catalog.model_dump(mode="json", by_alias=True, exclude={"papers"})
    head, tail = to_json({**envelope, "papers": [0]}).split(b"\n    0\n")
    out = io.BytesIO()  # getvalue() hands over its buffer: no second copy of the file
    out.write(head)
    papers = (paper.model_dump(mode="json", by_alias=True) for paper in catalog.papers)
    write_items(out, papers, depth=2)
    out.write(tail)
    return out.getvalue()


def write_items(out: io.BytesIO, items: Iterable[Any], depth: int) -> None:
    """The items of a JSON array as `to_json` writes them at `depth` (the array's own
    indentation plus one), one at a time: a newline, the items indented and separated by
    commas, a newline. `to_json` writes no raw newline inside a string, so indenting the lines
    of an item written alone gives the same bytes."""
    indent = b"  " * depth
    separator = b"\n"
    for item in items:
        text = orjson.dumps(item, option=_OPTIONS)
        out.write(separator + indent + text.replace(b"\n", b"\n" + indent))
        separator = b",\n"
    out.write(b"\n")


_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS  # to_json's, but the final newline


def render_schema() -> str:
    return json.dumps(catalog_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
