"""Emit stage: the catalog -> papers.bib, papers.csl.json, catalog.json (+ schema), the report
and the web page. Pure renderers, one module per output; run.py writes what they return."""
