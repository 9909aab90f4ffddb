"""The catalog's web page (index.html) as text: escaping, determinism, every paper, the BibTeX
its copy buttons carry, no external resource. tests/test_page_browser.py drives it in Chromium."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

from markupsafe import escape

from builders import dblp_record, listed, resolved, s2_paper, write_outputs
from conftest import ROOT
from pipeline.emit.bib import render_bib, render_entry
from pipeline.emit.catalog import render_catalog
from pipeline.emit.page import (
    _JSON_OPTIONS,
    ABSTRACT_MARK,
    _json_text,
    later_data,
    made_up,
    pack,
    page_data,
    render_page,
    source_label,
    to_view,
    top_cited_chart,
    unpack,
    venue_year_chart,
)
from pipeline.models import Catalog, CatalogPaper, S2OpenAccessPdf
from pipeline.text import http_url
from pipeline.validate import validate_outputs
from test_emit import catalog_of

HOSTILE_TITLE = "<script>alert(1)</script> </script><img src=x onerror=alert(2)> & 'q' \"dq\""
HOSTILE_AUTHOR = "<img src=x onerror=alert(3)>"
HOSTILE_CATEGORY = "</script><script>alert(5)</script>"


def page_catalog() -> Catalog:
    """Eight papers over four venues and five years: every status, categories, citations,
    accents, and a hostile entry straight from the list (its title stays raw in the catalog)."""
    tf = resolved(
        listed("TensorFlow: A System for Large-Scale ML", categories=["Training"]),
        dblp_record("TensorFlow - A System for Large-Scale ML.", doi="10.0000/fake.tf"),
        s2_paper(
            "TensorFlow: A System for Large-Scale ML",
            citationCount=900,
            externalIds={"ArXiv": "1605.08695", "DBLP": "conf/osdi/FAKE16"},
            openAccessPdf=S2OpenAccessPdf(url="https://example.org/tf.pdf", status="GREEN"),
        ),
    )
    hostile = resolved(
        listed(
            HOSTILE_TITLE,
            id="osdi2016-hostile",
            authors=[HOSTILE_AUTHOR, "Tom and Jerry"],
            code_url="javascript:alert(4)",
            categories=[HOSTILE_CATEGORY],
        )
    )
    quokka = resolved(
        listed("Gradient Compression for Quokkas", id="sosp2019-quokka", venue="SOSP", year=2019,
               categories=["Training", "Compression"]),
        dblp_record("Gradient Compression for Quokkas.", key="conf/sosp/FAKE19", venue="SOSP",
                    year=2019, authors=["Zoë Ünïcode", "Ada Lovelace"]),
        s2_paper("Gradient Compression for Quokkas", paper_id="fixture-quokka", year=2019,
                 citationCount=40, abstract="[FIXTURE] We compress marsupial gradients."),
    )  # fmt: skip
    serving = resolved(
        listed("Serving Models at the Edge", id="sosp2017-serving", venue="SOSP", year=2017,
               categories=["Inference"]),
        dblp_record("Serving Models at the Edge.", key="conf/sosp/FAKE17", venue="SOSP", year=2017),
        s2_paper("Serving Models at the Edge", paper_id="fixture-serving", year=2017,
                 citationCount=2500),
    )  # fmt: skip
    partial = resolved(
        listed("Partly Found Scheduler", id="nsdi2020-partial", venue="NSDI", year=2020,
               categories=["Scheduling"]),
        dblp_record("Partly Found Scheduler.", key="conf/nsdi/FAKE20", venue="NSDI", year=2020),
    )  # fmt: skip
    lonely = resolved(
        listed("An Unverified Accelerator", id="isca2018-lonely", venue="ISCA", year=2018,
               authors=["Grace Hopper"], categories=["Hardware"])
    )  # fmt: skip
    cited = resolved(
        listed("Elastic Training Clusters", id="osdi2020-elastic", venue="OSDI", year=2020,
               categories=["Training"]),
        dblp_record("Elastic Training Clusters.", key="conf/osdi/FAKE20", year=2020),
        s2_paper("Elastic Training Clusters", paper_id="fixture-elastic", year=2020,
                 citationCount=40),
    )  # fmt: skip
    late = resolved(listed("Another Unverified Idea", id="isca2018-idea", venue="ISCA", year=2018))
    return catalog_of(tf, hostile, cited, quokka, serving, partial, lonely, late)


def json_island(page: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="catalog-data">(.*?)</script>', page)
    assert match is not None
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def later_island(page: str) -> list[list[str | None]]:
    """Per paper [abstract, entry with the abstract marked], as the page carries them."""
    match = re.search(
        r'<script type="application/octet-stream" id="later-data">(.*?)</script>', page
    )
    assert match is not None
    rows: list[list[str | None]] = unpack(match.group(1))
    return rows


def page_entries(page: str) -> list[str]:
    """The BibTeX entries the page's copy buttons give, as its script puts them together."""
    return [
        str(entry).replace(ABSTRACT_MARK, abstract or "") for abstract, entry in later_island(page)
    ]


def page_links(page: str) -> list[list[tuple[str, str]]]:
    """Each paper's (label, URL) links, as the script builds them from the data."""
    data = json_island(page)
    return [
        [
            (data["labels"][label], data["prefixes"][prefix] + rest)
            for label, prefix, rest in p.get("l", [])
        ]
        for p in data["papers"]
    ]


def test_hostile_text_stays_text_in_the_html_and_in_the_json_island() -> None:
    catalog = page_catalog()
    page = render_page(catalog)
    assert HOSTILE_TITLE in [p.title for p in catalog.papers]  # the catalog keeps it raw
    assert "<script>alert" not in page and "<img src" not in page  # only as escaped text
    assert str(escape(HOSTILE_TITLE)) in page  # the list for readers without JavaScript
    assert page.count("<script") == 3 and page.count("</script>") == 3  # 2 islands + our script
    for name in ("catalog-data", "later-data"):
        island = re.search(rf'id="{name}">(.*?)</script>', page, re.S)
        assert island is not None
        assert "<" not in island.group(1) and ">" not in island.group(1)
        assert "&" not in island.group(1) and "'" not in island.group(1)
    # the data survives whole: escaped for HTML only, JSON gives it back as it was
    data = json_island(page)
    assert data == page_data(catalog)
    assert later_island(page) == later_data(catalog, [render_entry(p) for p in catalog.papers])
    assert HOSTILE_AUTHOR in data["papers"][1]["a"] and data["papers"][1]["t"] == HOSTILE_TITLE
    assert [data["categories"][i] for i in data["papers"][1]["g"]] == [HOSTILE_CATEGORY]


def test_only_http_links_become_hrefs() -> None:
    page = render_page(page_catalog())
    hrefs = re.findall(r'href="([^"]*)"', page) + [u for ls in page_links(page) for _, u in ls]
    assert hrefs and not [h for h in hrefs if "javascript" in h.lower()]
    assert all(
        h.startswith(
            (
                "https://",
                "http://",
                "#",
                "papers.bib",
                "papers.csl.json",
                "catalog.json",
                "report.md",
                "data:,",
            )  # fmt: skip
        )
        for h in hrefs
    )
    assert http_url(" javascript:alert(1)") is None and http_url("JaVaScRiPt:x") is None
    assert http_url("data:text/html,x") is None and http_url("https://a.b/c") == "https://a.b/c"


def test_every_paper_is_on_the_page_in_list_order_with_its_links() -> None:
    catalog = page_catalog()
    page = render_page(catalog)
    data = json_island(page)
    assert [p["k"] for p in data["papers"]] == [p.key for p in catalog.papers]
    assert [p["t"] for p in data["papers"]] == [p.title for p in catalog.papers]
    # without JavaScript: the titles, in list order, under the list's headings
    ids = re.findall(r'<article class="paper[^"]*" id="paper-([^"]+)"', page)
    assert ids == [p.key for p in catalog.papers]
    for paper in catalog.papers:
        assert f"<h3>{escape(paper.title)}</h3>" in page
    assert page_links(page)[0] == [
        ("DOI", "https://doi.org/10.0000/fake.tf"),
        ("DBLP", "https://dblp.org/rec/conf/osdi/FAKE16"),
        ("Semantic Scholar", "https://www.semanticscholar.org/paper/fixture-0001"),
        ("PDF", "https://example.org/tf.pdf"),
        ("arXiv", "https://arxiv.org/abs/1605.08695"),
    ]
    tf = data["papers"][0]
    assert tf["c"] == 900 and tf["d"] and tf["h"] == 1
    assert [data["categories"][i] for i in tf["g"]] == ["Training"]
    statuses = [data["statuses"][p["s"]] for p in data["papers"]]
    assert statuses == [p.status.value for p in catalog.papers]
    assert statuses.count("unresolved") == 3


def test_copy_text_is_exactly_the_papers_bib_entry() -> None:
    catalog = page_catalog()
    for ascii in (False, True):
        bib = render_bib(catalog, ascii=ascii)
        entries = page_entries(render_page(catalog, ascii=ascii))
        assert len(entries) == len(catalog.papers)
        # papers.bib is its header then exactly these entries: the page holds no other writer's text
        assert bib.endswith("\n".join(entries)) and all(e in bib for e in entries)
        assert entries[0].startswith("@inproceedings{lovelace2016tensorflow,\n")


def test_the_page_is_deterministic_and_survives_a_round_trip_through_catalog_json() -> None:
    catalog = page_catalog()
    reread = Catalog.model_validate_json(render_catalog(catalog))
    assert render_page(catalog) == render_page(page_catalog()) == render_page(reread)


def test_no_external_resource_and_the_csp_admits_only_our_own_script_and_style() -> None:
    page = render_page(page_catalog())
    assert " src=" not in page.replace("img src=x", "")  # no script, image or frame source
    assert "@import" not in page and "url(" not in page
    assert re.findall(r"<link [^>]*>", page) == ['<link rel="icon" href="data:,">']
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp is not None
    policy = html.unescape(csp.group(1))
    assert "default-src 'none'" in policy
    script = re.search(r"<script>(.*?)</script>", page, re.S)
    style = re.search(r"<style>(.*?)</style>", page, re.S)
    assert script is not None and style is not None
    for body, directive in ((script.group(1), "script-src"), (style.group(1), "style-src")):
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"{directive} 'sha256-{digest}'" in policy


def test_charts_count_the_papers_and_rank_the_most_cited() -> None:
    catalog = page_catalog()
    views = [to_view(i, p) for i, p in enumerate(catalog.papers)]
    heat = venue_year_chart(views)
    assert heat is not None
    assert [c["year"] for c in heat["columns"]] == list(range(2016, 2021))
    assert [r["venue"] for r in heat["rows"]] == ["OSDI", "SOSP", "NSDI", "ISCA"]
    assert sum(c["count"] for c in heat["cells"]) == len(catalog.papers)
    osdi = {c["label"]: c["href"] for c in heat["cells"] if c["label"].startswith("OSDI")}
    assert osdi == {
        "OSDI 2016: 2 papers": "#venue=OSDI&from=2016&to=2016",
        "OSDI 2020: 1 paper": "#venue=OSDI&from=2020&to=2020",
    }
    top = top_cited_chart(views)
    assert top is not None
    # ties (40 and 40) keep list order; papers without a count (no S2 match) get no bar
    assert [b["count"] for b in top["bars"]] == [2500, 900, 40, 40]
    assert [b["href"] for b in top["bars"]][-2:] == [
        "#paper-lovelace2020elastic",
        "#paper-unicode2019gradient",
    ]
    assert top_cited_chart(views[1:2]) is None


def test_a_catalog_without_years_or_citations_still_renders() -> None:
    bare = resolved(listed("Bare Entry", id="x-bare", venue="Workshop", year=None))
    catalog = catalog_of(bare)
    page = render_page(catalog)
    assert 'id="paper-' in page and "Papers per venue and year" not in page
    assert "Most-cited papers" not in page


def test_the_page_ships_with_the_package() -> None:
    import pipeline

    templates = Path(pipeline.__file__).parent / "templates"
    assert {p.name for p in templates.iterdir()} >= {"index.html.j2", "page.js", "page.css"}
    pyproject = (Path(__file__).parent.parent / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r"^pipeline = \[.*\"templates/\*\"", pyproject, re.M)


def test_papers_keep_their_fields_by_name() -> None:
    """The page reads CatalogPaper fields by name: a paper with only the required ones renders."""
    minimal = CatalogPaper.model_validate(
        {
            "key": "k",
            "id": "x",
            "list": listed("Only The Basics").model_dump(),
            "status": "unresolved",
            "entry_type": "misc",
            "title": "Only The Basics",
        }
    )
    page = render_page(Catalog(source="list.md", papers=[minimal]))
    assert 'id="paper-k"' in page and "Only The Basics" in page


def test_validation_checks_the_page_shows_the_catalogs_papers(tmp_path: Path) -> None:
    catalog = page_catalog()
    files = write_outputs(tmp_path, catalog)
    assert validate_outputs(tmp_path) == []
    first = catalog.papers[0].key
    (tmp_path / "index.html").write_text(
        files["index.html"].replace(f'id="paper-{first}"', 'id="paper-other"'), encoding="utf-8"
    )
    assert validate_outputs(tmp_path) == [
        f"{tmp_path / 'index.html'}: does not show the catalog's papers in its order"
    ]
    (tmp_path / "index.html").unlink()
    assert validate_outputs(tmp_path) == [f"missing: {tmp_path / 'index.html'}"]


def test_venues_are_filed_under_the_venue_tables_label() -> None:
    """A list that spells a venue two ways ('USENIX ATC', 'ATC') gets one venue on the page."""
    catalog = page_catalog()
    first = catalog.papers[0].model_copy(update={"venue_label": "ATC"})
    second = catalog.papers[1].model_copy(update={"venue_label": None})
    assert to_view(0, first).venue == "ATC"
    assert to_view(1, second).venue == second.listed.venue == "OSDI"  # no label: the list's
    page = render_page(Catalog(source="list.md", papers=[first, second]))
    assert '<option value="ATC">ATC</option>' in page and json_island(page)["venues"] == [
        "ATC",
        "OSDI",
    ]


def test_categories_differing_only_in_case_keep_one_order_whatever_the_hash_seed(
    tmp_path: Path,
) -> None:
    """Set order follows the hash seed; the page must not (clean nightly diffs)."""
    script = (
        "import sys; sys.path[:0] = ['tests']\n"
        "from builders import listed, resolved\n"
        "from pipeline.merge import merge\n"
        "from pipeline.models import Catalog\n"
        "from pipeline.emit.page import render_page\n"
        "papers = [listed(f'Paper {c}', categories=[c], id=f'p-{c}') for c in ('LLM', 'llm', 'Llm')]\n"
        "catalog = Catalog(source='x', papers=merge([resolved(p) for p in papers], None, '2026-01-01'))\n"
        "sys.stdout.write(render_page(catalog))\n"
    )
    pages = {
        subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3", "4")
    }  # fmt: skip
    assert len(pages) == 1


def test_each_entry_is_rendered_once_and_each_abstract_is_in_the_page_once() -> None:
    """The page takes the entries papers.bib was written from; an entry's abstract field, the
    abstract again, is carried as a mark."""
    catalog = page_catalog()
    entries = [render_entry(p) for p in catalog.papers]
    given = [e.replace("@inproceedings{", "@inproceedings{given-") for e in entries]
    assert page_entries(render_page(catalog, entries=given)) == given  # not rendered again
    rows = later_island(render_page(catalog))
    quokka = next(r for r in rows if r[0] and "marsupial" in r[0])
    assert "marsupial" not in str(quokka[1]) and ABSTRACT_MARK in str(quokka[1])


def test_the_list_is_named_relative_to_its_repository_never_by_an_absolute_path(
    tmp_path: Path,
) -> None:
    inside = ROOT / "catalog" / "papers.md"  # this checkout is a git repository
    assert source_label(str(inside)) == "catalog/papers.md"
    assert source_label("catalog/papers.md") == "catalog/papers.md"
    assert source_label(str(tmp_path / "ci" / "my-list.md")) == "my-list.md"  # no repository
    assert source_label("C:\\Users\\ci\\lists\\my-list.md") == "my-list.md"
    catalog = page_catalog().model_copy(update={"source": str(inside)})
    page = render_page(catalog)
    assert str(ROOT) not in page and "<code>catalog/papers.md</code>" in page


def test_data_from_the_fake_services_says_so() -> None:
    catalog = page_catalog()
    fake = [p.key for p in catalog.papers if made_up(p)]
    assert len(fake) == 4  # the papers with an S2 record: fixture-... ids
    page = render_page(catalog)
    assert f"<b>Demo data.</b> {len(fake)} of {len(catalog.papers)} papers" in page
    real = [p.model_copy(update={"s2_paper_id": None, "abstract": None, "tldr": None})
            for p in catalog.papers]  # fmt: skip
    assert "Demo data" not in render_page(Catalog(source="list.md", papers=real))
    one = real[0].model_copy(update={"abstract": "[FIXTURE] Not a real abstract."})
    assert made_up(one) and not made_up(real[0])


def test_no_category_filter_when_the_list_has_no_categories() -> None:
    catalog = page_catalog()
    bare = [p.model_copy(update={"categories": []}) for p in catalog.papers]
    page = render_page(Catalog(source="list.md", papers=bare))
    assert 'id="cat"' not in page and json_island(page)["categories"] == []
    assert 'id="cat"' in render_page(catalog)


def test_the_data_islands_are_json_dumps_text() -> None:
    """orjson writes the islands; the text is json.dumps' (its options), or json's own where
    orjson refuses the value."""
    text = 'Tab\there "quoted" \\ <b>&\'</b> \u2028 \x00\x1f\x7f caf\u00e9 \U0001f600'
    value = {"b": [text, None, 12, -3], "a": {"z": "", "y": [[1, "x"]]}, "\u00e9": 2**40}
    assert _json_text(value, **_JSON_OPTIONS) == json.dumps(value, **_JSON_OPTIONS)
    odd = {"s": "\ud800", "n": 2**70}
    assert _json_text(odd, **_JSON_OPTIONS) == json.dumps(odd, **_JSON_OPTIONS)
    rows = [[text, None], [None, "x"]]
    raw = json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    assert zlib.decompress(base64.b64decode(pack(rows))) == raw
