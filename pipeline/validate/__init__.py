"""`mlsys-bib validate`: checks over a published output folder (no network, no rendering)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema

from pipeline.emit.csl import csl_problems
from pipeline.validate.bibtex import read_bib


def validate_outputs(out_dir: Path) -> list[str]:
    """Problems with a published set: the .bib reads back whole, the catalog and the CSL-JSON
    fit their schemas, and all list the same keys (the .bib and the CSL-JSON may leave out the
    unresolved papers, both). An empty list means the set is sound."""
    problems: list[str] = []
    paths = {name: out_dir / name for name in OUTPUT_FILES}
    missing = [str(p) for p in paths.values() if not p.is_file()]
    if missing:
        return [f"missing: {', '.join(missing)}"]
    bib = read_bib(paths["papers.bib"].read_text(encoding="utf-8"))
    problems += [f"{paths['papers.bib']}:{p.line}: {p.message}" for p in bib.problems]
    bib_keys = [entry.key for entry in bib.entries]
    duplicates = sorted({k for k in bib_keys if bib_keys.count(k) > 1})
    if duplicates:
        problems.append(f"{paths['papers.bib']}: duplicate keys {', '.join(duplicates)}")
    try:
        data = json.loads(paths["catalog.json"].read_text(encoding="utf-8"))
        schema = json.loads(paths["catalog.schema.json"].read_text(encoding="utf-8"))
        jsonschema.validate(data, schema)
    except (ValueError, jsonschema.ValidationError, jsonschema.SchemaError) as exc:
        message = exc.message if isinstance(exc, jsonschema.ValidationError) else str(exc)
        return [*problems, f"{paths['catalog.json']}: {message}"]
    catalog_keys = [paper["key"] for paper in data["papers"]]
    # papers.bib and papers.csl.json hold every paper, or (--verified-only) every paper but
    # the unresolved ones; the catalog and the page hold them all.
    verified = [p["key"] for p in data["papers"] if p.get("status") != "unresolved"]
    cited = verified if sorted(bib_keys) == sorted(verified) else catalog_keys
    if sorted(cited) != sorted(bib_keys):
        problems.append("papers.bib and catalog.json do not hold the same keys")
    csl_path = paths["papers.csl.json"]
    try:
        items = json.loads(csl_path.read_text(encoding="utf-8"))
    except ValueError as exc:
        return [*problems, f"{csl_path}: {exc}"]
    problems += [f"{csl_path}: {problem}" for problem in csl_problems(items)[:20]]
    csl_keys = [i.get("citation-key") for i in items if isinstance(i, dict)]
    if not problems and csl_keys != cited:
        problems.append("papers.csl.json and catalog.json do not hold the same keys in order")
    page = paths["index.html"].read_text(encoding="utf-8")
    if re.findall(r'<article class="paper[^"]*" id="paper-([^"]+)"', page) != catalog_keys:
        problems.append(f"{paths['index.html']}: does not show the catalog's papers in its order")
    return problems


OUTPUT_FILES = (
    "papers.bib",
    "catalog.json",
    "catalog.schema.json",
    "papers.csl.json",
    "report.md",
    "index.html",
)
