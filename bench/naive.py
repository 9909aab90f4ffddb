"""The naive baseline: the 40-line script a user would write instead of this tool.

One DBLP title search (first hit taken) and one Semantic Scholar title match per paper,
sequential; on a 429 it sleeps (Retry-After, else 1 s) and tries again.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import requests

from pipeline.parse import parse_list_file


def get(session: requests.Session, url: str, params: dict[str, str]) -> requests.Response:
    for _ in range(30):
        response = session.get(url, params=params, timeout=30)
        if response.status_code != 429:
            return response
        time.sleep(float(response.headers.get("Retry-After") or 1))
    return response


def main() -> None:
    dblp, s2 = os.environ["DBLP_API_BASE"], os.environ["S2_API_BASE"]
    session = requests.Session()
    found = 0
    for paper in parse_list_file(Path(sys.argv[1])).papers:
        hits = get(
            session, f"{dblp}/search/publ/api", {"q": paper.title, "format": "json", "h": "1"}
        )
        first = hits.json()["result"]["hits"].get("hit", [None])[0]
        match = get(
            session,
            f"{s2}/paper/search/match",
            {"query": paper.title, "fields": "title,externalIds,citationCount"},
        )
        found += bool(first) and match.status_code == 200
    print(found)


if __name__ == "__main__":
    main()
