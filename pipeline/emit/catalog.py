"""catalog.json and its JSON Schema, generated from the pydantic models (pure renderers)."""

from __future__ import annotations

import json
from typing import Any

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
    """catalog.json as UTF-8 bytes (it can be tens of MB: no extra str copy)."""
    return to_json(catalog.model_dump(mode="json", by_alias=True))


def render_schema() -> str:
    return json.dumps(catalog_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
