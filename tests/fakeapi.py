"""A fake DBLP + Semantic Scholar + arXiv + Crossref server on 127.0.0.1, for end-to-end tests
and `make demo`.

DBLP answers come from the real recorded tables of contents in tests/fixtures/dblp/toc/ (CC0),
served with DBLP's real shapes and quirks (string counters, no `hit` key when empty, HTML 429).
Semantic Scholar has no recorded data for the listed papers, so its answers are derived from
those DBLP records and marked as fixture data everywhere (ids `fixture-...`, `[FIXTURE]` text).
Like the real one, it withholds about a third of the abstracts, and every abstract of a paper
with an arXiv id, so that arXiv (Atom feeds, for the verified arXiv ids in
tests/fixtures/arxiv/verified-ids.json) and Crossref (JATS abstracts for two thirds of the DOIs)
fill the gap, in the services' documented shapes, with `[FIXTURE]` text.

Semantic Scholar answers in its 2025-26 shape (openAccessPdf always an object with `license`
and `disclaimer`, `url: ""` without a PDF; extra keys such as corpusId and publicationVenue).
With `s2_traps=True` some papers get a same-title twin in S2 that the title match prefers: an
arXiv preprint a year earlier, or a journal extension a year later, as the real S2 has them.

Faults can be scripted per source (`script`), a source can be taken down (`down`) or put
behind a bot wall for a while (`wall`), and a per-source rate limit answers 429 like the real
services when clients go too fast.

Run alone: `python tests/fakeapi.py [--port N]` prints the base URLs and serves until killed.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import re
import socket
import struct
import sys
import textwrap
import threading
import time
import unicodedata
import urllib.parse
from collections import deque
from dataclasses import dataclass, field
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from pylatexenc.latexencode import unicode_to_latex

FIXTURES = Path(__file__).resolve().parent / "fixtures"
S2_PREFIX = "/graph/v1"
ARXIV_PREFIX = "/arxiv/api"
CROSSREF_PREFIX = "/crossref"
SOURCES = ("dblp", "s2", "arxiv", "crossref")
ARXIV_IDS = json.loads((FIXTURES / "arxiv" / "verified-ids.json").read_text(encoding="utf-8"))
ARXIV_ID = re.compile(r"(\d{4}\.\d{4,5}|[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7})(v\d+)?")
CORR_KEY = re.compile(r"journals/corr/abs-(\d{4})-(\d{4,5})")
ATOM_TYPE = "application/atom+xml; charset=utf-8"
DBLP_429_HTML = (FIXTURES / "dblp" / "429.html").read_text(encoding="utf-8")
RESET_LINGER = struct.pack("ii", 1, 0)  # SO_LINGER on, 0 s: close() sends RST, not FIN
WALL_HTML = (FIXTURES / "dblp" / "anubis-wall.html").read_text(encoding="utf-8")
S2_FIELDS_ALLOWED = {
    "paperId", "externalIds", "title", "year", "venue", "authors", "citationCount",
    "influentialCitationCount", "referenceCount", "abstract", "tldr", "openAccessPdf", "url",
    "publicationDate", "corpusId", "publicationTypes", "journal", "publicationVenue",
    "isOpenAccess", "fieldsOfStudy", "s2FieldsOfStudy",
}  # fmt: skip
NO_PDF = {
    "url": "",
    "status": None,
    "license": None,
    "disclaimer": "Notice: [FIXTURE] the paper's PDF is not available from Semantic Scholar.",
}


class _QuietServer(ThreadingHTTPServer):
    """A client that gave up (a timeout, a cut-off trickle) is no error of the server's."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


@dataclass
class Reply:
    status: int
    body: str
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to stall before answering (a hung connection)
    # How the connection ends instead of a whole answer: "reset" closes it before any answer
    # (connection reset by peer), "cut" after the headers and half the body (a dropped link).
    broken: str | None = None
    drip: float = 0.0  # seconds between the body's bytes (a trickle that never times out)
    route: str = ""  # a scripted reply waits for a request whose path and query contain this


@lru_cache(maxsize=1 << 14)  # each search compares the query with every title the fake holds
def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", html.unescape(text))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"\s+-\s+", " ", text)
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


@lru_cache(maxsize=1 << 14)
def _word_set(text: str) -> frozenset[str]:
    return frozenset(_norm(text).split())


def _tex(text: str) -> str:
    """Non-ASCII as TeX accent macros, as DBLP writes its BibTeX."""
    return unicode_to_latex(text, non_ascii_only=True, replacement_latex_protection="braces-all")


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _zero_hits(query: str) -> dict[str, Any]:
    return {
        "result": {
            "query": query,
            "status": {"@code": "200", "text": "OK"},
            "time": {"@unit": "msecs", "text": "0.50"},
            "completions": {"@total": "0", "@computed": "0", "@sent": "0"},
            "hits": {"@total": "0", "@computed": "0", "@sent": "0", "@first": "0"},
        }
    }


def _hits_page(query: str, hits: list[dict[str, Any]], first: int, size: int) -> dict[str, Any]:
    if not hits:
        return _zero_hits(query)
    page = hits[first : first + size]
    body = _zero_hits(query)
    body["result"]["hits"] = {
        "@total": str(len(hits)),
        "@computed": str(len(hits)),
        "@sent": str(len(page)),
        "@first": str(first),
        "hit": page,
    }
    return body


def fixture_s2_paper(info: dict[str, Any]) -> dict[str, Any]:
    """A Semantic Scholar record derived from a DBLP record, visibly fake."""
    key = info["key"]
    digest = _digest(key)
    authors = info.get("authors", {}).get("author", [])
    if isinstance(authors, dict):
        authors = [authors]
    title = re.sub(r"\s+-\s+", ": ", html.unescape(info.get("title", ""))).rstrip(".")
    external: dict[str, Any] = {"DBLP": key, "CorpusId": int(digest[:7], 16)}
    if info.get("doi"):
        external["DOI"] = info["doi"]
    arxiv = arxiv_paper(title)
    if arxiv is not None:
        external["ArXiv"] = arxiv["arxiv_id"]
    corr = CORR_KEY.fullmatch(key)
    if corr is not None:  # a (fake) CoRR record: S2 knows it by its arXiv id
        external.setdefault("ArXiv", f"{corr.group(1)}.{corr.group(2)}")
    citations = int(digest[7:11], 16) % 900
    withheld = arxiv is not None or s2_withholds_abstract(key)
    venue = info.get("venue") if isinstance(info.get("venue"), str) else ""
    journal_article = info.get("type") == "Journal Articles"
    return {
        "paperId": f"fixture-{digest[:32]}",
        "externalIds": external,
        "title": title,
        "year": int(info["year"]) if str(info.get("year", "")).isdigit() else None,
        "venue": venue,
        "corpusId": external["CorpusId"],
        "publicationVenue": {"id": f"fixture-{_digest(venue)[:8]}", "name": venue, "type": None}
        if venue
        else None,
        "publicationTypes": ["JournalArticle"] if journal_article else ["Conference"],
        "journal": {"name": venue, "pages": info.get("pages", "")} if journal_article else None,
        "isOpenAccess": False,
        "fieldsOfStudy": ["Computer Science"],
        "authors": [
            {
                "authorId": f"fixture-{_digest(a['text'])[:8]}",
                "name": re.sub(r"\s\d{4}$", "", a["text"]),
            }
            for a in authors
        ],
        "citationCount": citations,
        "influentialCitationCount": citations // 12,
        "referenceCount": 20 + citations % 40,
        "abstract": None
        if withheld
        else f"[FIXTURE] Not a real abstract: the project's fake API made it for '{title}'.",
        "tldr": {"model": "fixture", "text": f"[FIXTURE] Not a real TLDR for '{title}'."},
        "openAccessPdf": dict(NO_PDF),
        "url": f"https://www.semanticscholar.org/paper/fixture-{digest[:32]}",
        "publicationDate": None,
    }


def s2_withholds_abstract(key: str) -> bool:
    """About a third of the papers, like the real S2 (publisher licensing)."""
    return int(_digest(key)[11:13], 16) % 3 == 0


def crossref_has_abstract(doi: str) -> bool:
    """Two thirds of the DOIs: publishers deposit abstracts for some papers only."""
    return int(_digest(doi.casefold())[13:15], 16) % 3 != 0


_ARXIV_BY_TITLE = {_norm(p["title"]): p for p in ARXIV_IDS["papers"]}


def arxiv_paper(title: str) -> dict[str, str] | None:
    """The verified arXiv id of a listed paper, by title (and its arXiv title when it differs)."""
    return _ARXIV_BY_TITLE.get(_norm(title))


def jats_abstract(doi: str, title: str) -> str:
    """A [FIXTURE] abstract in one of the JATS variants Crossref serves, chosen by the DOI."""
    text = f"[FIXTURE] Not a real abstract: the fake Crossref made it for &apos;{html.escape(title)}&apos;."
    variant = int(_digest(doi.casefold())[15:17], 16) % 4
    if variant == 0:
        return f"<jats:p>{text}</jats:p>"
    if variant == 1:
        return f"<jats:title>Abstract</jats:title><jats:p>{text}</jats:p>"
    if variant == 2:
        return (
            f"<jats:sec><jats:title>Background</jats:title><jats:p>{text}</jats:p></jats:sec>"
            "<jats:sec><jats:title>Results</jats:title><jats:p>It has <jats:italic>sections"
            "</jats:italic>.</jats:p></jats:sec>"
        )
    return f"<jats:p>{text} Its cost is <jats:italic>O</jats:italic>(<jats:italic>n</jats:italic>).</jats:p>"


def atom_feed(query: str, entries: list[str]) -> str:
    """An arXiv API answer: Atom 1.0 with opensearch counters, as export.arxiv.org sends it."""
    ns = 'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/"'
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
        f'  <link href="http://arxiv.org/api/query?{html.escape(query)}" rel="self" '
        'type="application/atom+xml"/>\n'
        f'  <title type="html">ArXiv Query: {html.escape(query)}</title>\n'
        f"  <id>http://arxiv.org/api/{_digest(query)[:27]}</id>\n"
        "  <updated>2026-11-30T00:00:00-05:00</updated>\n"
        f"  <opensearch:totalResults {ns}>{len(entries)}</opensearch:totalResults>\n"
        f"  <opensearch:startIndex {ns}>0</opensearch:startIndex>\n"
        f"  <opensearch:itemsPerPage {ns}>{len(entries)}</opensearch:itemsPerPage>\n"
        + "".join(entries)
        + "</feed>\n"
    )


def atom_entry(arxiv_id: str, title: str, authors: tuple[str, ...] = ("Fixture Author",)) -> str:
    """One arXiv entry: versioned http id, hard-wrapped summary with TeX, a PDF link, and the
    paper's authors (fixture ones when the fake does not know them)."""
    summary = (
        f"[FIXTURE] Not a real abstract: the fake arXiv made it for '{title}'. It is "
        "hard-wrapped like arXiv's summaries and carries TeX: $O(n \\log n)$ with $k<n$."
    )
    wrapped = "\n".join(textwrap.wrap(summary, 78, break_on_hyphens=False))
    version = f"{arxiv_id}v2"
    return (
        "  <entry>\n"
        f"    <id>http://arxiv.org/abs/{version}</id>\n"
        "    <updated>2020-01-01T00:00:00Z</updated>\n"
        "    <published>2019-12-01T00:00:00Z</published>\n"
        f"    <title>{html.escape(title, quote=False)}</title>\n"
        f"    <summary>  {html.escape(wrapped, quote=False)}\n</summary>\n"
        + "".join(
            f"    <author>\n      <name>{html.escape(name, quote=False)}</name>\n    </author>\n"
            for name in authors
        )
        + f'    <link href="http://arxiv.org/abs/{version}" rel="alternate" type="text/html"/>\n'
        f'    <link title="pdf" href="http://arxiv.org/pdf/{version}" rel="related" '
        'type="application/pdf"/>\n'
        '    <arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="cs.DC" '
        'scheme="http://arxiv.org/schemas/atom"/>\n'
        '    <category term="cs.DC" scheme="http://arxiv.org/schemas/atom"/>\n'
        "  </entry>\n"
    )


def arxiv_error_feed(query: str, bad_id: str) -> str:
    """arXiv's answer (with HTTP 400) when one id in the list is malformed."""
    anchor = f"http://arxiv.org/api/errors#incorrect_id_format_for_{html.escape(bad_id)}"
    return atom_feed(
        query,
        [
            "  <entry>\n"
            f"    <id>{anchor}</id>\n    <title>Error</title>\n"
            f"    <summary>incorrect id format for {html.escape(bad_id)}</summary>\n"
            "    <updated>2026-11-30T00:00:00-05:00</updated>\n"
            f'    <link href="{anchor}" rel="alternate" type="text/html"/>\n'
            "    <author>\n      <name>arXiv api core</name>\n    </author>\n"
            "  </entry>\n"
        ],
    )


def s2_twin(paper: dict[str, Any], kind: str) -> dict[str, Any]:
    """A same-title S2 record that is not the listed paper: its arXiv preprint (a year
    earlier) or a journal extension (a year later), each with its own (fake) ids."""
    digest = _digest(paper["paperId"] + kind)
    year = paper["year"]
    twin = {
        **paper,
        "paperId": f"fixture-{kind}-{digest[:24]}",
        "url": f"https://www.semanticscholar.org/paper/fixture-{kind}-{digest[:24]}",
        "citationCount": paper["citationCount"] // 3,
        "abstract": f"[FIXTURE] {kind} twin of '{paper['title']}'.",
    }
    if kind == "preprint":
        arxiv = f"0000.{int(digest[2:7], 16) % 99999:05d}"  # month 00: never a real arXiv id
        twin |= {
            "year": year - 1 if year else None,
            "venue": "arXiv.org",
            "publicationVenue": {"id": "fixture-arxiv", "name": "arXiv.org", "type": None},
            "publicationTypes": ["JournalArticle"],
            "journal": {"name": "ArXiv", "volume": f"abs/{arxiv}"},
            "externalIds": {
                "ArXiv": arxiv,
                "DOI": f"10.48550/arXiv.{arxiv}",
                "DBLP": f"journals/corr/abs-{arxiv.replace('.', '-')}",
                "CorpusId": int(digest[7:14], 16),
            },
        }
    else:
        twin |= {
            "year": year + 1 if year else None,
            "venue": "ACM Transactions on Computer Systems",
            "publicationVenue": {
                "id": "fixture-tocs",
                "name": "ACM Transactions on Computer Systems",
                "type": "journal",
            },
            "publicationTypes": ["JournalArticle"],
            "journal": {"name": "ACM Transactions on Computer Systems"},
            "externalIds": {
                "DOI": f"10.0000/fake.journal.{digest[:10]}",
                "DBLP": f"journals/tocs/FAKE-{digest[:8]}",
                "CorpusId": int(digest[7:14], 16),
            },
        }
    return twin


def dblp_hit(
    key: str,
    title: str,
    year: int,
    authors: list[str],
    venue: str,
    type_: str = "Conference and Workshop Papers",
    **extra: str,
) -> dict[str, Any]:
    """One DBLP search hit in the API's real shape (string year, dict for one author)."""
    people = [{"@pid": f"fake/{i}", "text": name} for i, name in enumerate(authors)]
    info: dict[str, Any] = {
        "title": title,
        "venue": venue,
        "year": str(year),
        "type": type_,
        "key": key,
        "url": f"https://dblp.org/rec/{key}",
        **extra,
    }
    if people:  # DBLP omits the key for records without authors
        info["authors"] = {"author": people[0] if len(people) == 1 else people}
    return {"@score": "1", "@id": _digest(key)[:7], "info": info, "url": "URL#1"}


def write_toc(directory: Path, toc: str, hits: list[dict[str, Any]]) -> None:
    """Write a (clearly fake) table of contents where FakeApi(toc_dir=...) finds it."""
    directory.mkdir(parents=True, exist_ok=True)
    name = toc.removeprefix("db/").removesuffix(".bht").replace("/", "__")
    total = str(len(hits))
    payload = {
        "result": {
            "query": f"toc:{toc}:",
            "status": {"@code": "200", "text": "OK"},
            "hits": {
                "@total": total,
                "@computed": total,
                "@sent": total,
                "@first": "0",
                "hit": hits,
            },
        }
    }
    (directory / f"{name}.json").write_text(json.dumps(payload), encoding="utf-8")


@dataclass
class Recorded:
    """What the fake serves, derived from recorded DBLP tables of contents: a few tenths of a
    second to build, so each process builds it once per folder (recorded_data)."""

    tocs: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    records: list[dict[str, Any]] = field(default_factory=list)
    s2_by_id: dict[str, dict[str, Any]] = field(default_factory=dict)
    s2_by_title: dict[str, dict[str, Any]] = field(default_factory=dict)  # /paper/search/match
    s2_papers: list[dict[str, Any]] = field(default_factory=list)  # what /paper/search sees
    twins: dict[str, dict[str, Any]] = field(default_factory=dict)  # S2 id -> its trap twin
    arxiv: dict[str, str] = field(default_factory=dict)  # arXiv id -> its title on arXiv
    arxiv_authors: dict[str, tuple[str, ...]] = field(default_factory=dict)  # arXiv id -> authors
    crossref: dict[str, dict[str, Any]] = field(default_factory=dict)  # lower-cased DOI -> work


def recorded_data(toc_dir: Path, s2_traps: bool) -> Recorded:
    """The data for `toc_dir` as its files are now (a folder a test rewrites is read again)."""
    files = tuple(
        (p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(toc_dir.glob("*.json"))
    )
    return _recorded(toc_dir, s2_traps, files)


@lru_cache(maxsize=8)
def _recorded(toc_dir: Path, s2_traps: bool, files: tuple[tuple[str, int, int], ...]) -> Recorded:
    world = Recorded()
    for path in sorted(toc_dir.glob("*.json")):
        payload = json.loads(path.read_text(encoding="utf-8"))
        hits = payload["result"]["hits"].get("hit", [])
        world.tocs["db/" + path.stem.replace("__", "/") + ".bht"] = hits
    world.records = [hit for hits in world.tocs.values() for hit in hits]
    for hit in world.records:
        info = hit["info"]
        if info.get("type") == "Editorship":
            continue
        paper = fixture_s2_paper(info)
        world.s2_by_id[paper["paperId"]] = paper
        if info.get("doi"):
            world.s2_by_id[f"DOI:{info['doi']}".casefold()] = paper
            world.crossref[info["doi"].casefold()] = FakeApi._work(info["doi"], paper["title"])
        if CORR_KEY.fullmatch(info["key"]):
            world.s2_by_id[f"ARXIV:{paper['externalIds']['ArXiv']}".casefold()] = paper
        world.s2_papers.append(paper)
        world.s2_by_title.setdefault(_norm(paper["title"]), paper)
        arxiv = arxiv_paper(paper["title"])
        if arxiv is not None:
            world.arxiv[arxiv["arxiv_id"]] = arxiv.get("arxiv_title") or arxiv["title"]
            world.arxiv_authors[arxiv["arxiv_id"]] = tuple(a["name"] for a in paper["authors"])
        links = info.get("ee") or []
        for link in [links] if isinstance(links, str) else links:  # (fake) arXiv links
            linked = re.search(r"arxiv\.org/abs/(\S+?)(?:v\d+)?$", link)
            if linked:
                world.arxiv.setdefault(linked.group(1), paper["title"])
        kind = {0: "preprint", 1: "journal"}.get(int(_digest(info["key"])[:4], 16) % 4)
        if s2_traps and kind and paper["year"]:
            twin = s2_twin(paper, kind)
            world.twins[paper["paperId"]] = twin
            world.s2_papers.append(twin)
            world.s2_by_id[twin["paperId"]] = twin
            world.s2_by_title[_norm(paper["title"])] = twin  # the match prefers the twin
    return world


class FakeApi:
    """The server's state: data, scripted faults, rate limits and a log of what was asked."""

    def __init__(self, toc_dir: Path = FIXTURES / "dblp" / "toc", s2_traps: bool = False) -> None:
        # Each server its own containers; the records in them are shared and only read.
        data = recorded_data(toc_dir, s2_traps)
        self.tocs = dict(data.tocs)
        self.records = list(data.records)
        self.s2_by_id = dict(data.s2_by_id)
        self.s2_by_title = dict(data.s2_by_title)
        self.s2_papers = list(data.s2_papers)
        self.twins = dict(data.twins)
        self.arxiv = dict(data.arxiv)
        self.arxiv_authors = dict(data.arxiv_authors)
        self.crossref = dict(data.crossref)
        self.scripts: dict[str, deque[Reply]] = {name: deque() for name in SOURCES}
        self.down: set[str] = set()
        self.walled_until: dict[str, float] = {}  # source -> monotonic time its bot wall lifts
        self.walls_sent: dict[str, int] = dict.fromkeys(SOURCES, 0)
        self.wall_pending: dict[str, float] = {}
        self.min_interval: dict[str, float] = dict.fromkeys(SOURCES, 0.0)
        # DBLP sends Retry-After; S2, arXiv and Crossref send none.
        self.retry_after: dict[str, str | None] = {"dblp": "1", "s2": None, "arxiv": None,
                                                   "crossref": None}  # fmt: skip
        self.log: list[tuple[str, str, str]] = []  # (source, method, path?query)
        self.rate_limited: dict[str, int] = dict.fromkeys(SOURCES, 0)  # 429s sent by the limiter
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # -- control -------------------------------------------------------------------------
    def script(self, source: str, *replies: Reply) -> None:
        self.scripts[source].extend(replies)

    def wall(self, source: str, seconds: float) -> None:
        """Answer every request with the bot-wall page (HTTP 500, as dblp.org does) for
        `seconds` from the source's next request on."""
        self.wall_pending[source] = seconds

    def requests(self, source: str) -> list[tuple[str, str, str]]:
        return [entry for entry in self.log if entry[0] == source]

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("server not started")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def s2_url(self) -> str:
        return self.url + S2_PREFIX

    @property
    def arxiv_url(self) -> str:
        return self.url + ARXIV_PREFIX

    @property
    def crossref_url(self) -> str:
        return self.url + CROSSREF_PREFIX

    def env(self) -> dict[str, str]:
        """The variables that point the pipeline at this server."""
        return {
            "DBLP_API_BASE": self.url,
            "S2_API_BASE": self.s2_url,
            "ARXIV_API_BASE": self.arxiv_url,
            "CROSSREF_API_BASE": self.crossref_url,
        }

    def start(self, port: int = 0) -> FakeApi:
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body in separate writes: no 40 ms stall
            wbufsize = 1 << 16

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

            def do_GET(self) -> None:  # noqa: N802
                api._handle(self, "GET")

            def do_POST(self) -> None:  # noqa: N802
                api._handle(self, "POST")

        self._server = _QuietServer(("127.0.0.1", port), Handler)
        self._server.daemon_threads = True
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    # -- dispatch ------------------------------------------------------------------------
    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        parsed = urllib.parse.urlsplit(handler.path)
        query = urllib.parse.parse_qs(parsed.query)
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length).decode("utf-8") if length else ""
        source = next(
            (
                name
                for name, prefix in (
                    ("s2", S2_PREFIX),
                    ("arxiv", ARXIV_PREFIX),
                    ("crossref", CROSSREF_PREFIX),
                )
                if parsed.path.startswith(prefix)
            ),
            "dblp",
        )
        with self._lock:
            self.log.append((source, method, handler.path))
            reply = self._pre_reply(source, handler.path)
        if reply is None:
            try:
                if source == "s2":
                    reply = self._s2(method, parsed.path, query, body)
                elif source == "arxiv":
                    reply = self._arxiv(parsed.path, parsed.query, query)
                elif source == "crossref":
                    reply = self._crossref(parsed.path, query)
                else:
                    reply = self._dblp(parsed.path, query)
            except Exception as exc:  # a fake bug must show as a 500, not a hang
                reply = Reply(500, json.dumps({"error": f"fake api error: {exc!r}"}))
        if reply.delay:
            time.sleep(reply.delay)
        data = reply.body.encode("utf-8")
        if reply.broken == "reset":
            handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, RESET_LINGER)
            handler.close_connection = True
            return
        try:
            handler.send_response(reply.status)
            content_type = (
                "text/html" if reply.body.lstrip().startswith("<") else "application/json"
            )
            if "Content-Type" not in reply.headers:
                handler.send_header("Content-Type", content_type)
            handler.send_header("Content-Length", str(len(data)))
            for name, value in reply.headers.items():
                handler.send_header(name, value)
            handler.end_headers()
            if reply.broken == "cut":
                handler.wfile.write(data[: len(data) // 2])
                handler.wfile.flush()
                handler.close_connection = True
            elif reply.drip:
                for byte in range(len(data)):
                    handler.wfile.write(data[byte : byte + 1])
                    handler.wfile.flush()
                    time.sleep(reply.drip)
            else:
                handler.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout): nothing to do

    def _pre_reply(self, source: str, path: str) -> Reply | None:
        """Scripted faults first, then a dead source, then the rate limit."""
        script = self.scripts[source]
        scripted = next((reply for reply in script if reply.route in path), None)
        if scripted is not None:
            script.remove(scripted)
            return scripted
        if source in self.down:
            return Reply(503, "<html><body>503 Service Unavailable</body></html>")
        if source in self.wall_pending:
            self.walled_until[source] = time.monotonic() + self.wall_pending.pop(source)
        if time.monotonic() < self.walled_until.get(source, 0.0):
            self.walls_sent[source] += 1
            return Reply(500, WALL_HTML, {"Content-Type": "text/html; charset=utf-8"})
        now = time.monotonic()
        last = self._last.get(source)
        if last is not None and now - last < self.min_interval[source]:
            self.rate_limited[source] += 1
            headers = {"Retry-After": self.retry_after[source]} if self.retry_after[source] else {}
            if source in ("arxiv", "crossref"):  # both answer in plain text
                headers["Content-Type"] = "text/plain"
            body = {
                "dblp": DBLP_429_HTML,
                "s2": json.dumps({"message": "Too Many Requests"}),
                "arxiv": "Rate exceeded.",
                "crossref": "Too Many Requests",
            }[source]
            return Reply(429, body, headers)
        self._last[source] = now
        return None

    def _dblp(self, path: str, query: dict[str, list[str]]) -> Reply:
        record = re.fullmatch(r"/rec/(\S+)\.bib", path)
        if record:
            return self._rec_bib(urllib.parse.unquote(record.group(1)))
        if path != "/search/publ/api":
            return Reply(404, "<html><body>404 Not Found</body></html>")
        q = query.get("q", [""])[0]
        size = min(int(query.get("h", ["30"])[0]), 1000)
        first = int(query.get("f", ["0"])[0])
        toc = re.fullmatch(r"toc:(\S+\.bht):", q)
        if toc:
            return Reply(
                200, json.dumps(_hits_page(q, self.tocs.get(toc.group(1), []), first, size))
            )
        words = _norm(q).split()
        found = [
            hit
            for hit in self.records
            if words
            and all(
                any(t.startswith(w) for t in _word_set(hit["info"].get("title", ""))) for w in words
            )
        ]
        return Reply(200, json.dumps(_hits_page(q, found, first, size)))

    def _rec_bib(self, key: str) -> Reply:
        """DBLP's BibTeX export of one record (param=1 layout), TeX-escaped like the real one."""
        found = next((h for h in self.records if h["info"]["key"] == key), None)
        if found is None:
            return Reply(404, "<html><body><h1>404 Not Found</h1></body></html>")
        info = found["info"]
        authors = info.get("authors", {}).get("author", [])
        names = [a["text"] for a in ([authors] if isinstance(authors, dict) else authors)]
        proceedings = self._proceedings_of(key)
        kind = "article" if info.get("type") == "Journal Articles" else "inproceedings"
        fields = [
            ("author", " and\n               ".join(_tex(n) for n in names)),
            ("title", _tex(html.unescape(info["title"]).rstrip("."))),
            (
                "journal" if kind == "article" else "booktitle",
                _tex(proceedings or info.get("venue", "")),
            ),
            ("pages", str(info.get("pages", "")).replace("-", "--")),
            ("year", str(info.get("year", ""))),
            ("url", info.get("ee") if isinstance(info.get("ee"), str) else ""),
            ("doi", str(info.get("doi", "")).replace("_", "\\_")),
            ("biburl", f"https://dblp.org/rec/{key}.bib"),
            ("bibsource", "dblp computer science bibliography, https://dblp.org"),
        ]
        body = ",\n".join(f"  {name:<9} = {{{value}}}" for name, value in fields if value)
        return Reply(200, f"@{kind}{{DBLP:{key},\n{body}\n}}\n", {"Content-Type": "text/plain"})

    def _proceedings_of(self, key: str) -> str | None:
        for hits in self.tocs.values():
            if any(h["info"]["key"] == key for h in hits):
                editorship = next((h for h in hits if h["info"].get("type") == "Editorship"), None)
                return (
                    html.unescape(editorship["info"]["title"]).rstrip(".") if editorship else None
                )
        return None

    def _s2(self, method: str, path: str, query: dict[str, list[str]], body: str) -> Reply:
        route = path[len(S2_PREFIX) :]
        fields = query.get("fields", ["paperId,title"])[0].split(",")
        unknown = [f for f in fields if f not in S2_FIELDS_ALLOWED]
        if unknown:
            return Reply(
                400, json.dumps({"error": f"Unrecognized or unsupported fields: {unknown}"})
            )
        if method == "POST" and route == "/paper/batch":
            ids = json.loads(body or "{}").get("ids", [])
            if len(ids) > 500:
                return Reply(400, json.dumps({"error": "Cannot process more than 500 ids"}))
            answer = [self._select(self.s2_by_id.get(str(i).casefold()), fields) for i in ids]
            return Reply(200, json.dumps(answer))
        if method == "GET" and route == "/paper/search/match":
            wanted = _norm(query.get("query", [""])[0])
            paper = self.s2_by_title.get(wanted)
            if paper is None:
                return Reply(404, json.dumps({"error": "Title match not found"}))
            selected = self._select(paper, fields) or {}
            selected["matchScore"] = 109.55
            return Reply(200, json.dumps({"data": [selected]}))
        if method == "GET" and route == "/paper/search":
            return self._s2_search(query, fields)
        return Reply(404, json.dumps({"error": "Not found"}))

    # -- arXiv and Crossref --------------------------------------------------------------
    def _arxiv(self, path: str, raw_query: str, query: dict[str, list[str]]) -> Reply:
        if path != ARXIV_PREFIX + "/query":
            return Reply(404, "<html><body>404 Not Found</body></html>")
        ids = [i for i in query.get("id_list", [""])[0].split(",") if i]
        shown = urllib.parse.unquote(raw_query)
        for arxiv_id in ids:
            if not ARXIV_ID.fullmatch(arxiv_id):  # ONE malformed id fails the whole call
                return Reply(400, arxiv_error_feed(shown, arxiv_id), {"Content-Type": ATOM_TYPE})
        limit = int(query.get("max_results", ["10"])[0])  # defaults to 10, like arXiv's
        known = [ARXIV_ID.fullmatch(i).group(1) for i in ids]  # type: ignore[union-attr]
        known = [i for i in known if i in self.arxiv][:limit]
        # Not in request order: arXiv answers in its own order.
        entries = [
            atom_entry(i, self.arxiv[i], self.arxiv_authors.get(i, ("Fixture Author",)))
            for i in sorted(known, key=_digest)
        ]
        return Reply(200, atom_feed(shown, entries), {"Content-Type": ATOM_TYPE})

    @staticmethod
    def _work(doi: str, title: str) -> dict[str, Any]:
        work: dict[str, Any] = {
            "DOI": doi.casefold(),  # Crossref answers DOIs lower-cased
            "title": [title],
            "type": "proceedings-article",
            "publisher": "[FIXTURE] Publisher",
        }
        if crossref_has_abstract(doi):
            work["abstract"] = jats_abstract(doi, title)
        return work

    def _crossref(self, path: str, query: dict[str, list[str]]) -> Reply:
        not_found = Reply(404, "Resource not found.", {"Content-Type": "text/plain"})
        route = path[len(CROSSREF_PREFIX) :]
        if route.startswith("/works/"):
            work = self.crossref.get(urllib.parse.unquote(route[len("/works/") :]).casefold())
            if work is None:
                return not_found
            message = {"status": "ok", "message-type": "work", "message-version": "1.0.0",
                       "message": work}  # fmt: skip
            return Reply(200, json.dumps(message))
        if route != "/works":
            return not_found
        filters = query.get("filter", [""])[0]
        dois = [f.removeprefix("doi:").casefold() for f in filters.split(",doi:") if f]
        rows = int(query.get("rows", ["20"])[0])  # defaults to 20, like Crossref's
        select = query.get("select", [""])[0].split(",")
        found = [self.crossref[d] for d in dois if d in self.crossref]
        found.sort(key=lambda w: _digest(w["DOI"]))  # in no particular order
        items = [{k: v for k, v in w.items() if not select[0] or k in select} for w in found]
        message = {
            "status": "ok",
            "message-type": "work-list",
            "message-version": "1.0.0",
            "message": {"facets": {}, "total-results": len(items), "items": items[:rows],
                        "items-per-page": rows, "query": {"start-index": 0, "search-terms": None}},
        }  # fmt: skip
        return Reply(200, json.dumps(message))

    def _s2_search(self, query: dict[str, list[str]], fields: list[str]) -> Reply:
        """Relevance search: papers sharing most query words, `year=A-B` filter, paged."""
        words = set(_norm(query.get("query", [""])[0]).split())
        low, _, high = query.get("year", [""])[0].partition("-")
        limit = min(int(query.get("limit", ["10"])[0]), 100)
        offset = int(query.get("offset", ["0"])[0])
        scored = []
        for paper in self.s2_papers:
            year = paper.get("year") or 0
            if (low and year < int(low)) or (high and year > int(high)):
                continue
            title_words = _word_set(paper["title"])
            shared = len(words & title_words) / max(1, len(words | title_words))
            if words and shared >= 0.5:
                scored.append((-shared, paper["paperId"], paper))
        return self._s2_search_page(scored, offset, limit, fields)

    def _s2_search_page(
        self,
        scored: list[tuple[float, str, dict[str, Any]]],
        offset: int,
        limit: int,
        fields: list[str],
    ) -> Reply:
        """One page of a relevance search, best first (ties by paper id), as S2 pages it."""
        scored.sort(key=lambda item: item[:2])
        if not scored:
            return Reply(200, json.dumps({"total": 0, "offset": offset}))
        page = [self._select(p, fields) for _, _, p in scored[offset : offset + limit]]
        body: dict[str, Any] = {"total": len(scored), "offset": offset, "data": page}
        if offset + limit < len(scored):
            body["next"] = offset + limit
        return Reply(200, json.dumps(body))

    @staticmethod
    def _select(paper: dict[str, Any] | None, fields: list[str]) -> dict[str, Any] | None:
        if paper is None:
            return None
        return {"paperId": paper["paperId"], **{f: paper.get(f) for f in fields if f in paper}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    api = FakeApi().start(args.port)
    for name, value in api.env().items():
        print(f"{name}={value}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        api.stop()


if __name__ == "__main__":
    main()
