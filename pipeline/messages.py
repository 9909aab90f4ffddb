"""Messages for people: a request named by its source, endpoint and size, not its full URL.

Errors carry the request that failed ('GET /search/publ/api?format=json&h=1000&q=toc%3A...'),
which is right for the catalog and for debugging but makes 300-character lines on a terminal
and in the report. Pure text in, text out; stdlib only, so the CLI can use it at no cost.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs

_REQUEST = re.compile(r"(?P<path>(?:https?://[^\s/?]+)?/[^\s?]*)\?(?P<query>[^\s);]+)")
_TOC = re.compile(r"toc:(?P<toc>\S+?)(?:\.bht)?:?$")
_SEARCH_SHOWN = 40  # characters of a search query worth showing


def shorten_requests(text: str) -> str:
    """Each 'path?query' in `text` becomes 'path (what was asked)'."""
    return _REQUEST.sub(lambda m: f"{m['path']} ({_asked(m['query'])})", text)


def _asked(query: str) -> str:
    params = parse_qs(query)
    if "id_list" in params:
        ids = [i for i in params["id_list"][0].split(",") if i]
        return f"{len(ids)} id{'s' * (len(ids) != 1)}"
    if "filter" in params:
        dois = params["filter"][0].count("doi:")
        return f"{dois} DOI{'s' * (dois != 1)}" if dois else "a filter"
    for name in ("q", "query"):
        if name in params:
            value = params[name][0]
            toc = _TOC.match(value)
            if toc:
                return f"table of contents {toc['toc']}"
            shown = value if len(value) <= _SEARCH_SHOWN else value[:_SEARCH_SHOWN] + "..."
            return f"search '{shown}'"
    if "ids" in params:
        return f"{len(params['ids'][0].split(','))} ids"
    return "query left out"
