"""index.html in a real browser: headless Chromium (the system's, see tests/chromium.py) driven
by Playwright, the page opened from disk as a reader would. Every test also checks, on the way
out, that nothing was logged to the console, no dialog opened and no request left the page.

MLSYS_PAGE=output/index.html points the whole-page checks (and the screenshots) at a published
page as well; the nightly job does that. Screenshots go to build/screenshots/.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from builders import dblp_record, listed, resolved, s2_paper
from chromium import launch
from pipeline.emit.bib import render_bib
from pipeline.emit.catalog import render_catalog
from pipeline.emit.page import render_page
from pipeline.models import Catalog, StaleMark
from test_emit import catalog_of
from test_page import HOSTILE_AUTHOR, HOSTILE_CATEGORY, HOSTILE_TITLE, page_catalog

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "build" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A published set for the test catalog: index.html beside papers.bib and catalog.json."""
    out = tmp_path_factory.mktemp("site")
    catalog = page_catalog()
    (out / "index.html").write_text(render_page(catalog), encoding="utf-8")
    (out / "papers.bib").write_text(render_bib(catalog), encoding="utf-8")
    (out / "catalog.json").write_bytes(render_catalog(catalog))
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@dataclass
class Visit:
    """A page and what it did: console messages, uncaught errors, dialogs, requests."""

    page: Page
    context: BrowserContext
    console: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def open(self, path: Path, fragment: str = "") -> Page:
        self.page.goto(path.as_uri() + fragment)
        expect(self.page.locator("html")).to_have_attribute("data-ready", "true")
        return self.page

    def assert_quiet(self, path: Path) -> None:
        assert self.console == [], "the page logged to the console"
        assert self.dialogs == [], "a dialog opened: injected script ran"
        assert set(self.requests) <= {path.as_uri()}, "a request left the page"


def new_visit(browser: Browser, **options: Any) -> Visit:
    context = browser.new_context(**{"viewport": DESKTOP, **options})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    visit = Visit(page=context.new_page(), context=context)
    page = visit.page
    page.on("console", lambda m: visit.console.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: visit.console.append(f"uncaught: {e}"))
    page.on("request", lambda r: visit.requests.append(r.url))

    def on_dialog(dialog: Any) -> None:
        visit.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return visit


@pytest.fixture
def visit(browser: Browser, site: Path) -> Iterator[Visit]:
    visit = new_visit(browser)
    yield visit
    visit.assert_quiet(site / "index.html")
    visit.context.close()


def catalog_papers(site: Path) -> list[dict[str, Any]]:
    papers: list[dict[str, Any]] = json.loads((site / "catalog.json").read_text("utf-8"))["papers"]
    return papers


def render_all(page: Page, total: int) -> Any:
    """Scroll until every card is rendered (the page renders them as the reader comes near)."""
    articles = page.get_by_role("article")
    while (rendered := articles.count()) < total:
        page.evaluate("document.getElementById('more').scrollIntoView()")
        expect(articles).not_to_have_count(rendered)
    return articles


def keys_shown(page: Page) -> list[str]:
    """Keys of the papers a reader sees (hidden ones are not in the accessibility tree)."""
    ids: list[str] = page.get_by_role("article").evaluate_all("els => els.map(e => e.id)")
    return [i.removeprefix("paper-") for i in ids]


def bib_entry(site: Path, key: str) -> str:
    """One entry as papers.bib holds it, cut out of the file."""
    bib = (site / "papers.bib").read_text(encoding="utf-8")
    match = re.search(rf"^@\w+\{{{re.escape(key)},\n.*?^\}}\n", bib, re.S | re.M)
    assert match is not None, key
    return match.group(0)


def venue_of(paper: dict[str, Any]) -> str:
    """The venue the page files a paper under: the venue table's label, else the list's."""
    label: str = paper.get("venue_label") or paper["list"]["venue"]
    return label


def count_text(shown: int, total: int) -> str:
    return f"{total} of {total} papers" if shown == total else f"{shown} of {total} papers match"


# -- the whole page: every paper, no error, no request, screenshots --------------------------


def pages_to_check(site: Path) -> list[Path]:
    published = os.environ.get("MLSYS_PAGE")
    return [site / "index.html"] + ([Path(published).resolve()] if published else [])


def test_every_listed_paper_is_there_without_errors_or_requests(
    browser: Browser, site: Path
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for n, path in enumerate(pages_to_check(site)):
        papers = catalog_papers(path.parent)
        for name, options in (
            ("desktop-light", {"viewport": DESKTOP, "color_scheme": "light"}),
            ("phone-dark", {"viewport": PHONE, "color_scheme": "dark"}),
        ):
            visit = new_visit(browser, **options)
            page = visit.open(path)
            articles = render_all(page, len(papers))
            expect(articles).to_have_count(len(papers))
            titles = articles.evaluate_all("els => els.map(e => e.querySelector('h3').textContent)")
            assert titles == [p["title"] for p in papers]
            assert keys_shown(page) == [p["key"] for p in papers]
            expect(page.locator("#count")).to_have_text(count_text(len(papers), len(papers)))
            # readable on a phone: nothing wider than the screen (charts scroll in their box)
            overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
            assert overflow <= 0
            page.screenshot(path=SCREENSHOTS / f"{'page' if n == 0 else 'published'}-{name}.png")
            # a little use: search, sort, open an abstract (on a phone, behind "Filters")
            if options["viewport"] == PHONE:
                page.get_by_role("button", name="Filters").click()
            page.get_by_role("combobox", name="Sort by").select_option("citations")
            page.get_by_role("searchbox").fill("a")
            abstracts = page.locator("details.abstract summary")
            if abstracts.count():
                abstracts.first.click()
            visit.assert_quiet(path)
            visit.context.close()
        assert (SCREENSHOTS / f"{'page' if n == 0 else 'published'}-phone-dark.png").stat().st_size


def test_a_hostile_title_renders_as_text(visit: Visit, site: Path) -> None:
    page = visit.open(site / "index.html")
    hostile = page.get_by_role("article", name=HOSTILE_TITLE)
    expect(hostile).to_have_count(1)
    expect(hostile.get_by_role("heading")).to_have_text(HOSTILE_TITLE)
    expect(hostile.locator(".authors")).to_contain_text(HOSTILE_AUTHOR)
    expect(hostile.locator(".tag")).to_have_text(HOSTILE_CATEGORY)
    assert page.locator("script").count() == 3  # the two data islands and the page's own script
    assert page.locator("img").count() == 0
    assert hostile.get_by_role("link").count() == 0  # its javascript: code link is no link
    page.get_by_role("combobox", name="Category").select_option(HOSTILE_CATEGORY)
    assert keys_shown(page) == [p.key for p in page_catalog().papers if p.title == HOSTILE_TITLE]


def test_unresolved_papers_are_visibly_marked(visit: Visit, site: Path) -> None:
    page = visit.open(site / "index.html")
    unresolved = [p["key"] for p in catalog_papers(site) if p["status"] == "unresolved"]
    marked = page.get_by_role("article").filter(has_text="Unresolved: built from the list alone")
    expect(marked).to_have_count(len(unresolved))
    assert [i.removeprefix("paper-") for i in marked.evaluate_all("e => e.map(x => x.id)")] == (
        unresolved
    )


# -- search, filters, sort, the URL hash -----------------------------------------------------


@pytest.mark.parametrize(
    ("words", "wanted"),
    [
        ("quokka", lambda p: "Quokka" in p["title"]),  # title
        ("HOPPER", lambda p: "Grace Hopper" in p["authors"]),  # author, any case
        ("zoe", lambda p: "Zoë Ünïcode" in p["authors"]),  # accents do not matter
        ("marsupial", lambda p: "marsupial" in (p["abstract"] or "")),  # abstract
        ("training elastic", lambda p: p["title"] == "Elastic Training Clusters"),  # all words
    ],
)
def test_typing_narrows_the_list_and_the_count(
    visit: Visit, site: Path, words: str, wanted: Any
) -> None:
    papers = catalog_papers(site)
    expected = [p["key"] for p in papers if wanted(p)]
    assert 0 < len(expected) < len(papers)
    page = visit.open(site / "index.html")
    search = page.get_by_role("searchbox", name="Search titles, authors and abstracts")
    search.press_sequentially(words)
    expect(page.locator("#count")).to_have_text(count_text(len(expected), len(papers)))
    assert keys_shown(page) == expected
    assert page.evaluate("location.hash") == "#q=" + words.replace(" ", "+")
    search.fill("")
    expect(page.get_by_role("article")).to_have_count(len(papers))
    search.fill("no such paper anywhere")
    expect(page.get_by_role("article")).to_have_count(0)
    expect(page.get_by_text("No paper matches.")).to_be_visible()
    expect(page.get_by_role("button", name="Copy BibTeX of these papers")).to_be_disabled()


@pytest.mark.parametrize(
    ("label", "value", "wanted"),
    [
        ("Venue", "SOSP", lambda p: venue_of(p) == "SOSP"),
        ("Category", "Training", lambda p: "Training" in p["categories"]),
        ("Status", "unresolved", lambda p: p["status"] == "unresolved"),
        ("Status", "partial", lambda p: p["status"] == "partial"),
        ("From year", "2018", lambda p: p["list"]["year"] >= 2018),
        ("To year", "2017", lambda p: p["list"]["year"] <= 2017),
    ],
)
def test_each_filter_shows_exactly_its_papers(
    visit: Visit, site: Path, label: str, value: str, wanted: Any
) -> None:
    papers = catalog_papers(site)
    expected = [p["key"] for p in papers if wanted(p)]
    assert 0 < len(expected) < len(papers)
    page = visit.open(site / "index.html")
    page.get_by_role("combobox", name=label).select_option(value)
    expect(page.locator("#count")).to_have_text(count_text(len(expected), len(papers)))
    assert keys_shown(page) == expected


def test_filters_combine_and_the_hash_shares_the_view(visit: Visit, site: Path) -> None:
    papers = catalog_papers(site)
    page = visit.open(site / "index.html")
    page.get_by_role("combobox", name="From year").select_option("2017")
    page.get_by_role("combobox", name="To year").select_option("2019")
    page.get_by_role("combobox", name="Category").select_option("Training")
    page.get_by_role("combobox", name="Sort by").select_option("citations")
    expected = [
        p["key"]
        for p in papers
        if 2017 <= p["list"]["year"] <= 2019 and "Training" in p["categories"]
    ]
    assert len(expected) == 1
    assert keys_shown(page) == expected
    shared = page.url
    assert shared.endswith("#from=2017&to=2019&cat=Training&sort=citations")
    # Someone opens the shared link: the same controls, the same papers.
    other = new_visit(visit.context.browser)  # type: ignore[arg-type]
    page2 = other.open(site / "index.html", "#" + shared.split("#", 1)[1])
    expect(page2.get_by_role("combobox", name="Category")).to_have_value("Training")
    expect(page2.get_by_role("combobox", name="Sort by")).to_have_value("citations")
    assert keys_shown(page2) == expected
    other.assert_quiet(site / "index.html")
    other.context.close()
    page.get_by_role("button", name="Clear").click()
    expect(page.get_by_role("article")).to_have_count(len(papers))
    assert page.evaluate("location.hash") == ""


@pytest.mark.parametrize(
    "fragment",
    [
        "#venue=%E0%A4%A&from=%",
        "#venue=Nowhere&sort=sideways",
        "#paper-nosuchkey",
        "#paper-%E0%A4%A",
    ],
)
def test_a_broken_or_unknown_hash_shows_everything(visit: Visit, site: Path, fragment: str) -> None:
    page = visit.open(site / "index.html", fragment)
    expect(page.get_by_role("combobox", name="Venue")).to_have_value("")
    expect(page.get_by_role("combobox", name="Sort by")).to_have_value("")
    expect(page.get_by_role("article")).to_have_count(len(catalog_papers(site)))


def test_sorting_by_year_and_by_citations(visit: Visit, site: Path) -> None:
    papers = catalog_papers(site)
    page = visit.open(site / "index.html")
    group_heading = page.get_by_role("heading", level=2, name="OSDI 2016")
    expect(group_heading).to_be_visible()
    sort = page.get_by_role("combobox", name="Sort by")
    sort.select_option("citations")
    by_citations = sorted(papers, key=lambda p: -(p["citation_count"] or -1))  # stable
    assert keys_shown(page) == [p["key"] for p in by_citations]
    expect(group_heading).to_be_hidden()  # a ranked list has no list headings
    sort.select_option("year")
    by_year = sorted(papers, key=lambda p: -p["list"]["year"])
    assert keys_shown(page) == [p["key"] for p in by_year]
    sort.select_option("")
    assert keys_shown(page) == [p["key"] for p in papers]
    expect(group_heading).to_be_visible()


def test_the_charts_lead_to_their_papers(visit: Visit, site: Path) -> None:
    papers = catalog_papers(site)
    page = visit.open(site / "index.html")
    page.get_by_role("link", name="SOSP 2019: 1 paper").click()
    expect(page.get_by_role("combobox", name="Venue")).to_have_value("SOSP")
    expected = [p["key"] for p in papers if venue_of(p) == "SOSP" and p["list"]["year"] == 2019]
    expect(page.get_by_role("article")).to_have_count(1)
    assert keys_shown(page) == expected
    # The most-cited bar of a paper the filter hides: the filter gives way, the paper shows.
    page.get_by_role(
        "link", name=re.compile(r"^Serving Models at the Edge .*: 2500 citations")
    ).click()
    serving = page.get_by_role("article", name="Serving Models at the Edge")
    expect(serving).to_be_visible()
    expect(serving).to_be_focused()
    expect(page.get_by_role("article")).to_have_count(len(papers))


# -- copy BibTeX ---------------------------------------------------------------------------


def copy_button(page: Page, title: str) -> Any:
    return page.get_by_role("article", name=title).get_by_role("button", name="Copy BibTeX")


@pytest.mark.parametrize("title", ["TensorFlow: A System for Large-Scale ML", HOSTILE_TITLE])
def test_copy_puts_the_exact_papers_bib_entry_on_the_clipboard(
    visit: Visit, site: Path, title: str
) -> None:
    key = next(p["key"] for p in catalog_papers(site) if p["title"] == title)
    page = visit.open(site / "index.html")
    page.evaluate("navigator.clipboard.writeText('before')")
    button = copy_button(page, title)
    button.click()
    expect(button).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == bib_entry(site, key)


def test_copy_falls_back_when_the_clipboard_api_refuses(browser: Browser, site: Path) -> None:
    """As on a page the browser does not trust with the async Clipboard API: a selection copy."""
    visit = new_visit(browser)
    visit.context.add_init_script(
        "navigator.clipboard.writeText = () => Promise.reject(new DOMException('no', 'NotAllowedError'));"
    )
    page = visit.open(site / "index.html")
    title = "Gradient Compression for Quokkas"
    key = next(p["key"] for p in catalog_papers(site) if p["title"] == title)
    button = copy_button(page, title)
    button.click()
    expect(button).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == bib_entry(site, key)
    expect(button).to_be_focused()
    visit.assert_quiet(site / "index.html")
    visit.context.close()


def test_when_no_copy_works_the_entry_is_shown_selected(browser: Browser, site: Path) -> None:
    visit = new_visit(browser)
    visit.context.add_init_script(
        "navigator.clipboard.writeText = () => Promise.reject(new Error('no'));"
        "document.execCommand = () => false;"
    )
    page = visit.open(site / "index.html")
    title = "Serving Models at the Edge"
    key = next(p["key"] for p in catalog_papers(site) if p["title"] == title)
    copy_button(page, title).click()
    shown = page.get_by_role("article", name=title).locator("pre.bib")
    expect(shown).to_be_visible()
    assert shown.text_content() == bib_entry(site, key)
    # selected whole, for Ctrl+C (a selection's text has no trailing newline)
    assert page.evaluate("getSelection().toString()") == bib_entry(site, key).rstrip("\n")
    visit.assert_quiet(site / "index.html")
    visit.context.close()


# -- keyboard, light and dark ------------------------------------------------------------------


def test_keyboard_only(visit: Visit, site: Path) -> None:
    page = visit.open(site / "index.html")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to the papers")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("/")
    search = page.get_by_role("searchbox")
    expect(search).to_be_focused()
    page.keyboard.type("quokka")
    expect(page.get_by_role("article")).to_have_count(1)
    page.keyboard.press("Tab")
    expect(page.get_by_role("combobox", name="Venue")).to_be_focused()
    summary = page.get_by_role("article").locator("summary")
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("article").locator("details")).to_have_attribute("open", "")
    expect(page.get_by_text("We compress marsupial gradients.")).to_be_visible()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # DBLP, Semantic Scholar, ... links come first
    button = page.get_by_role("article").get_by_role("button", name="Copy BibTeX")
    button.focus()
    page.keyboard.press("Enter")
    key = next(p["key"] for p in catalog_papers(site) if "Quokka" in p["title"])
    expect(button).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == bib_entry(site, key)


@pytest.mark.parametrize(("scheme", "dark"), [("light", False), ("dark", True)])
def test_light_and_dark(browser: Browser, site: Path, scheme: str, dark: bool) -> None:
    visit = new_visit(browser, color_scheme=scheme)
    page = visit.open(site / "index.html")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    text = page.evaluate("getComputedStyle(document.body).color")

    def luminance(css: str) -> float:
        r, g, b = (int(x) for x in re.findall(r"\d+", css)[:3])
        return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255

    assert (luminance(background) < 0.3) is dark
    assert (luminance(text) > 0.7) is dark
    assert abs(luminance(background) - luminance(text)) > 0.6  # readable contrast
    visit.assert_quiet(site / "index.html")
    visit.context.close()


def test_every_control_and_chart_link_has_an_accessible_name(visit: Visit, site: Path) -> None:
    page = visit.open(site / "index.html")
    expect(
        page.get_by_role("searchbox", name="Search titles, authors and abstracts")
    ).to_be_visible()
    for name in ("Venue", "From year", "To year", "Category", "Status", "Sort by"):
        expect(page.get_by_role("combobox", name=name, exact=True)).to_be_visible()
    unnamed = page.evaluate(
        """() => [...document.querySelectorAll("a, button, input, select, summary")]
            .filter((e) => !(e.getAttribute("aria-label") || e.labels?.length || e.textContent.trim()))
            .map((e) => e.outerHTML)"""
    )
    assert unnamed == []
    levels = page.locator("h1, h2, h3").evaluate_all("els => els.map(e => Number(e.tagName[1]))")
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))  # no skipped level
    expect(page.get_by_role("search", name="Search and filter the papers")).to_be_visible()
    expect(page.get_by_role("main")).to_be_visible()


def test_without_javascript_every_paper_is_still_there(browser: Browser, site: Path) -> None:
    visit = new_visit(browser, java_script_enabled=False)
    visit.page.goto((site / "index.html").as_uri())
    articles = visit.page.get_by_role("article")
    expect(articles).to_have_count(len(catalog_papers(site)))
    titles = articles.evaluate_all("els => els.map(e => e.querySelector('h3').textContent)")
    assert titles == [p["title"] for p in catalog_papers(site)]
    expect(visit.page.get_by_role("heading", level=2, name="OSDI 2016")).to_be_visible()
    expect(visit.page.get_by_role("link", name="papers.bib").first).to_be_visible()
    visit.assert_quiet(site / "index.html")
    visit.context.close()


# -- a long list: only what is read is rendered; everything is still searchable ---------------


def long_catalog(size: int) -> Catalog:
    """`size` papers over 16 years (2010-2025), in runs of 25 per venue, every fifth cited."""
    papers = []
    for n in range(size):
        venue, year = ("OSDI", "SOSP", "NSDI")[(n // 25) % 3], 2010 + (n * 16) // size
        item = listed(f"Long List Paper {n} on Topic {n % 7}", id=f"long-{n}", venue=venue,
                      year=year, categories=[])  # fmt: skip
        record = dblp_record(f"Long List Paper {n} on Topic {n % 7}.", key=f"conf/fake/L{n}",
                             venue=venue, year=year)  # fmt: skip
        cites = {"citationCount": n} if n % 5 == 0 else {}
        s2 = s2_paper(item.title, paper_id=f"fixture-long-{n}", year=year,
                      abstract=f"[FIXTURE] Abstract of paper {n}: zebra{n}.", **cites)  # fmt: skip
        papers.append(resolved(item, record, s2))
    return catalog_of(*papers)


@pytest.fixture(scope="module")
def long_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("long")
    catalog = long_catalog(1500)
    (out / "index.html").write_text(render_page(catalog), encoding="utf-8")
    (out / "papers.bib").write_text(render_bib(catalog), encoding="utf-8")
    (out / "catalog.json").write_bytes(render_catalog(catalog))
    return out


@pytest.mark.slow
def test_a_long_list_renders_only_what_is_read_and_finds_everything(
    browser: Browser, long_site: Path
) -> None:
    visit = new_visit(browser)
    page = visit.open(long_site / "index.html")
    papers = catalog_papers(long_site)
    first = page.get_by_role("article").count()
    assert 0 < first <= 100  # not 1,500 cards at once
    expect(page.locator("#count")).to_have_text(count_text(len(papers), len(papers)))
    page.mouse.wheel(0, 20_000)  # reading on: more cards come
    expect(page.get_by_role("article")).not_to_have_count(first)
    # the search sees every paper, abstracts included, rendered or not
    page.get_by_role("searchbox").fill("zebra1499")
    expect(page.get_by_role("article")).to_have_count(1)
    expect(page.get_by_role("article")).to_have_accessible_name(papers[-1]["title"])
    # a link to the last paper shows it; its BibTeX copies whole
    page.get_by_role("searchbox").fill("")
    page.evaluate("location.hash = '#paper-' + " + json.dumps(papers[-2]["key"]))
    card = page.get_by_role("article", name=papers[-2]["title"], exact=True)
    expect(card).to_be_focused()
    assert page.get_by_role("article").count() <= 40  # from it on, not the 1,498 before it
    earlier = page.get_by_role("button", name=re.compile(r"^Show earlier papers \(1498 before"))
    earlier.click()
    expect(page.get_by_role("article")).to_have_count(42)
    expect(page.get_by_role("article").first).to_have_accessible_name(papers[-42]["title"])
    groups = page.locator("#list > section").evaluate_all("els => els.map(e => e.dataset.g)")
    assert len(groups) == len(set(groups)) == 2  # a group cut by the chunks keeps one heading
    button = card.get_by_role("button", name="Copy BibTeX")
    button.click()
    expect(button).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == bib_entry(
        long_site, papers[-2]["key"]
    )
    # sorting a long list shows its most cited first
    page.get_by_role("combobox", name="Sort by").select_option("citations")
    top = sorted(papers, key=lambda p: -(p["citation_count"] or -1))[:3]
    assert keys_shown(page)[:3] == [p["key"] for p in top]
    visit.assert_quiet(long_site / "index.html")
    visit.context.close()


# -- issue 22, point 10: the header, demo data, a phone, the shown papers' BibTeX ---------------


def test_the_header_names_the_list_relative_to_the_repository(
    browser: Browser, tmp_path: Path
) -> None:
    catalog = page_catalog().model_copy(update={"source": str(ROOT / "catalog" / "papers.md")})
    path = tmp_path / "index.html"
    path.write_text(render_page(catalog), encoding="utf-8")
    visit = new_visit(browser)
    page = visit.open(path)
    expect(page.locator(".lede code")).to_have_text("catalog/papers.md")
    expect(page.locator("footer code")).to_have_text("catalog/papers.md")
    assert str(ROOT) not in page.locator("body").inner_text()
    visit.assert_quiet(path)
    visit.context.close()


def test_data_from_the_fake_services_says_so_on_the_page(visit: Visit, site: Path) -> None:
    page = visit.open(site / "index.html")
    made_up = [
        p for p in catalog_papers(site) if (p.get("s2_paper_id") or "").startswith("fixture-")
    ]
    note = page.get_by_role("note")
    expect(note).to_be_visible()
    expect(note).to_contain_text(f"Demo data. {len(made_up)} of {len(catalog_papers(site))} papers")


def test_real_data_carries_no_demo_note(browser: Browser, tmp_path: Path) -> None:
    real = [p.model_copy(update={"s2_paper_id": None, "abstract": None, "tldr": None})
            for p in page_catalog().papers]  # fmt: skip
    path = tmp_path / "index.html"
    path.write_text(render_page(Catalog(source="list.md", papers=real)), encoding="utf-8")
    visit = new_visit(browser)
    page = visit.open(path)
    expect(page.get_by_role("note")).to_have_count(0)
    visit.assert_quiet(path)
    visit.context.close()


def test_on_a_phone_the_filters_fold_behind_one_button(browser: Browser, site: Path) -> None:
    visit = new_visit(browser, viewport=PHONE)
    page = visit.open(site / "index.html")
    venue = page.get_by_role("combobox", name="Venue")
    button = page.get_by_role("button", name="Filters")
    expect(page.get_by_role("searchbox")).to_be_visible()
    expect(venue).to_be_hidden()
    expect(button).to_have_attribute("aria-expanded", "false")
    panel = page.get_by_role("search").bounding_box()
    assert panel is not None and panel["height"] < 0.2 * PHONE["height"]
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    venue.select_option("SOSP")
    expect(page.get_by_role("button", name="Filters (1)")).to_be_visible()
    assert keys_shown(page) == [p["key"] for p in catalog_papers(site) if venue_of(p) == "SOSP"]
    page.get_by_role("button", name="Filters (1)").click()
    expect(venue).to_be_hidden()
    desktop = new_visit(browser)  # a wide screen shows the filters, and no button
    wide = desktop.open(site / "index.html")
    expect(wide.get_by_role("combobox", name="Venue")).to_be_visible()
    expect(wide.get_by_role("button", name="Filters")).to_be_hidden()
    for v in (visit, desktop):
        v.assert_quiet(site / "index.html")
        v.context.close()


def test_on_a_phone_the_charts_last_column_shows(browser: Browser, long_site: Path) -> None:
    """Sixteen years are wider than a phone: the grid scrolls, opening on the newest years and
    the totals, with the venue names kept beside it."""
    visit = new_visit(browser, viewport=PHONE)
    page = visit.open(long_site / "index.html")
    box = page.locator("#heat-scroll").bounding_box()
    assert box is not None
    right = box["x"] + box["width"]
    for text in ("2025", "all"):
        found = page.locator("svg.heatmap text", has_text=text).first.bounding_box()
        assert found is not None and box["x"] <= found["x"] and found["x"] + found["width"] <= right
    label = page.get_by_role("link", name=re.compile(r"^OSDI: \d+ papers")).bounding_box()
    assert label is not None and label["x"] >= 0
    assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0
    visit.assert_quiet(long_site / "index.html")
    visit.context.close()


def test_most_cited_titles_are_whole_when_there_is_room(visit: Visit, site: Path) -> None:
    page = visit.open(site / "index.html")
    title = "TensorFlow: A System for Large-Scale ML"  # 39 characters: cut at 35 before
    bar = page.get_by_role("link", name=re.compile(rf"^{re.escape(title)} \(OSDI 2016\)"))
    label = bar.locator(".bar-title")
    expect(label).to_have_text(f"{title} (OSDI 2016)")
    assert label.evaluate("e => e.scrollWidth <= e.clientWidth")  # not cut with an ellipsis


def test_copy_and_download_the_bibtex_of_the_papers_shown(visit: Visit, site: Path) -> None:
    page = visit.open(site / "index.html")
    page.get_by_role("combobox", name="Venue").select_option("SOSP")
    shown = [p["key"] for p in catalog_papers(site) if venue_of(p) == "SOSP"]
    assert len(shown) == 2
    expected = "\n".join(bib_entry(site, key) for key in shown)
    page.evaluate("navigator.clipboard.writeText('before')")
    copy = page.get_by_role("button", name="Copy BibTeX of these papers")
    copy.click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == expected
    with page.expect_download() as download:
        page.get_by_role("button", name="Download .bib of these papers").click()
    assert download.value.suggested_filename == "papers-selection.bib"
    assert Path(download.value.path()).read_text(encoding="utf-8") == expected
    visit.requests[:] = [r for r in visit.requests if not r.startswith("blob:")]  # the file


def test_no_category_filter_when_the_list_has_none(browser: Browser, tmp_path: Path) -> None:
    bare = [p.model_copy(update={"categories": []}) for p in page_catalog().papers]
    path = tmp_path / "index.html"
    path.write_text(render_page(Catalog(source="list.md", papers=bare)), encoding="utf-8")
    visit = new_visit(browser)
    page = visit.open(path, "#cat=Training&venue=SOSP")
    expect(page.get_by_role("combobox", name="Category")).to_have_count(0)
    expect(page.get_by_role("combobox", name="Venue")).to_have_value("SOSP")
    expect(page.get_by_role("article")).to_have_count(2)
    visit.assert_quiet(path)
    visit.context.close()


def test_a_value_not_refreshed_this_run_says_how_old_it_is(
    browser: Browser, tmp_path: Path
) -> None:
    """Issue 19: an expired answer served after a failure is published, and the card says so."""
    first, *rest = page_catalog().papers
    mark = StaleMark(since="2026-12-06", as_of="2026-11-02", reason="S2 could not be asked again")
    stale = first.model_copy(update={"stale": {"citation_count": mark}})
    path = tmp_path / "index.html"
    path.write_text(render_page(Catalog(source="list.md", papers=[stale, *rest])), encoding="utf-8")
    visit = new_visit(browser)
    page = visit.open(path)
    card = page.locator(f"article#paper-{first.key}")
    expect(card).to_contain_text("Not refreshed: citation count as of 2026-11-02")
    expect(page.locator("article", has_text="Not refreshed")).to_have_count(1)
    visit.assert_quiet(path)
    visit.context.close()
