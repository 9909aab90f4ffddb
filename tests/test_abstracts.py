"""The abstracts step: who is asked (only what is still missing, in batches), matching by id
whatever the order, the title check, failures, merge by source order, and warm reruns.

HTTP is faked with `responses` in the shapes of tests/fixtures/{arxiv,crossref}; the end-to-end
tests use the fake API server. Ids and DOIs are the verified ones of the fixtures, or clearly
fake (`10.0000/fake...`, arXiv ids from the 99xx range, which holds no paper).
"""

from __future__ import annotations

import json
import re
import urllib.parse
from dataclasses import replace
from pathlib import Path
from typing import Any

import bibtexparser
import pytest
import requests
import responses

from builders import dblp_record, listed, resolved, s2_paper
from conftest import ROOT, settings_for
from fakeapi import FakeApi, atom_entry, atom_feed
from pipeline.config import Settings, settings_from_env
from pipeline.emit.bib import render_bib
from pipeline.emit.catalog import render_catalog
from pipeline.emit.latex import _SPECIALS
from pipeline.errors import InputError
from pipeline.http import ResponseCache, SourceClient
from pipeline.merge import merge
from pipeline.merge.abstracts import abstract_failure
from pipeline.models import (
    AbstractFinding,
    Candidate,
    Catalog,
    FetchStatus,
    ResolvedPaper,
    ResolveResult,
)
from pipeline.resolve.abstracts import (
    AbstractClients,
    arxiv_id_for,
    doi_for,
    fetch_abstracts,
    still_missing,
)
from pipeline.run import run_parse, run_resolve
from pipeline.text import clean_abstract, normalize_title
from test_http import FakeClock

FIXTURES = ROOT / "tests" / "fixtures"
FEED = (FIXTURES / "arxiv" / "two-entries-out-of-order.xml").read_text(encoding="utf-8")
WORK_LIST = json.loads((FIXTURES / "crossref" / "work-list-jats.json").read_text(encoding="utf-8"))
ARXIV = "https://export.arxiv.test/api"
CROSSREF = "https://api.crossref.test"
TF_TITLE = "TensorFlow: A System for Large-Scale Machine Learning"
CLIPPER_TITLE = "Clipper: A Low-Latency Online Prediction Serving System"
PARITY = "10.1145/3341301.3359654"
PARITY_TITLE = "Parity Models: Erasure-Coded Resilience for Prediction Serving Systems"
TASO = "10.1145/3341301.3359630"
ORDER = ("s2", "arxiv", "crossref")


def clients_for(tmp_path: Path) -> AbstractClients:
    settings = Settings()
    arxiv = replace(settings.arxiv, base_url=ARXIV, min_interval=0)
    crossref = replace(settings.crossref, base_url=CROSSREF, min_interval=0)
    settings = replace(
        settings, cache_dir=tmp_path / "cache", arxiv=arxiv, crossref=crossref, max_attempts=2
    )
    cache = ResponseCache(settings.cache_dir)
    clock = FakeClock().as_clock()
    return AbstractClients(
        arxiv=SourceClient(source=arxiv, settings=settings, cache=cache, clock=clock),
        crossref=SourceClient(source=crossref, settings=settings, cache=cache, clock=clock),
    )


def query_of(request: requests.PreparedRequest) -> dict[str, list[str]]:
    return urllib.parse.parse_qs(urllib.parse.urlsplit(request.url or "").query)


def paper(
    title: str,
    *,
    doi: str | None = None,
    arxiv: str | None = None,
    abstract: str | None = None,
    **extra: Any,
) -> ResolvedPaper:
    """A resolved paper: DBLP record (with `doi`), S2 record (with `arxiv`, `abstract`)."""
    external: dict[str, Any] = {"CorpusId": 1, **({"ArXiv": arxiv} if arxiv else {})}
    key = "conf/fake/" + "".join(w[0] for w in title.split())
    return resolved(
        listed(title, **extra),
        dblp_record(title + ".", key=key, doi=doi),
        s2_paper(title, paper_id=f"fixture-{key}", externalIds=external, abstract=abstract),
    )


def by_source(item: ResolvedPaper) -> dict[str, AbstractFinding]:
    return {f.source: f for f in item.abstracts}


# -- who is asked (pure) -----------------------------------------------------------------


def test_arxiv_id_comes_from_s2_then_dblp_then_the_list() -> None:
    assert arxiv_id_for(paper(TF_TITLE, arxiv="1605.08695")) == "1605.08695"
    linked = resolved(
        listed(TF_TITLE, paper_url="https://arxiv.org/abs/1605.08695v2"),
        dblp_record(TF_TITLE, ee=["https://www.usenix.org/x", "https://arxiv.org/abs/1605.08695"]),
    )
    assert arxiv_id_for(linked) == "1605.08695"
    corr = resolved(listed(TF_TITLE), dblp_record(TF_TITLE, key="journals/corr/AbadiFAKE16"))
    twin = corr.model_copy(
        update={
            "dblp": corr.dblp.model_copy(
                update={
                    "candidates": [
                        Candidate(
                            id="journals/corr/abs-1605-08695",
                            title=TF_TITLE,
                            title_score=100.0,
                            confidence=0.8,
                        )
                    ]
                }
            )
        }
    )
    assert arxiv_id_for(twin) == "1605.08695"  # DBLP's CoRR twin of the published paper
    only_list = resolved(listed(TF_TITLE, paper_url="https://arxiv.org/pdf/1605.08695v2"))
    assert arxiv_id_for(only_list) == "1605.08695"
    assert arxiv_id_for(resolved(listed(TF_TITLE))) is None


def test_doi_is_the_one_the_catalog_publishes() -> None:
    assert doi_for(paper(PARITY_TITLE, doi=PARITY)) == PARITY
    pinned = paper(PARITY_TITLE, doi=PARITY).model_copy(update={"pinned_doi": TASO})
    assert doi_for(pinned) == TASO
    s2_only = resolved(
        listed(PARITY_TITLE),
        None,
        s2_paper(PARITY_TITLE, externalIds={"DOI": PARITY}),
    )
    assert doi_for(s2_only) == PARITY


def test_only_what_is_still_missing_is_asked_for() -> None:
    with_s2 = paper(TF_TITLE, arxiv="1605.08695", abstract="[FIXTURE] From S2.")
    without = paper(TF_TITLE, arxiv="1605.08695")
    assert not still_missing(with_s2, "arxiv", ORDER)
    assert still_missing(without, "arxiv", ORDER)
    # With arXiv preferred to S2, arXiv is asked even when S2 has one.
    assert still_missing(with_s2, "arxiv", ("arxiv", "s2", "crossref"))
    assert not still_missing(without, "crossref", ("s2", "arxiv"))  # not a configured source


# -- the step against recorded shapes ------------------------------------------------------


@responses.activate
def test_each_source_is_asked_once_for_what_the_earlier_ones_lacked(tmp_path: Path) -> None:
    responses.get(ARXIV + "/query", body=FEED, content_type="application/atom+xml")
    responses.get(CROSSREF + "/works", json=WORK_LIST)
    items = [
        paper(TF_TITLE, arxiv="1605.08695", abstract="<p>[FIXTURE] S2 has it.</p>"),
        paper(CLIPPER_TITLE, arxiv="1612.03079v1"),  # arXiv has it
        paper(PARITY_TITLE, doi=PARITY),  # Crossref has it
        # A wrong arXiv id (Clipper's) on another paper: not used, then Crossref is asked.
        paper("TASO: Optimizing Deep Learning Computation", doi=TASO.upper(), arxiv="1612.03079"),
        paper("A Paper With a Malformed Id", arxiv="1605.0869"),
    ]
    out = fetch_abstracts(items, clients_for(tmp_path), ORDER, "m@example.org")
    arxiv_calls = [c for c in responses.calls if "/query" in (c.request.url or "")]
    crossref_calls = [c for c in responses.calls if "/works" in (c.request.url or "")]
    assert len(arxiv_calls) == 1 and len(crossref_calls) == 1
    assert query_of(arxiv_calls[0].request)["id_list"] == ["1612.03079"]  # sorted, unique
    crossref_query = query_of(crossref_calls[0].request)
    assert crossref_query["filter"] == [f"doi:{TASO},doi:{PARITY}"]
    assert crossref_query["mailto"] == ["m@example.org"]

    tf, clipper, parity, taso, malformed = out
    assert tf.abstracts == []  # S2 had one: nobody else asked
    found = by_source(clipper)["arxiv"]
    assert found.status is FetchStatus.FOUND and found.arxiv_id == "1612.03079"
    assert found.text is not None and "$<10$ ms at $O(n)$ cost & more." in found.text
    assert found.pdf_url == "https://arxiv.org/pdf/1612.03079v2"
    assert "arxiv" not in by_source(parity)
    jats = by_source(parity)["crossref"]
    assert jats.text == "[FIXTURE] Not a real abstract: a plain JATS paragraph."
    wrong = by_source(taso)["arxiv"]
    assert wrong.status is FetchStatus.NOT_FOUND and wrong.text is None
    assert wrong.arxiv_id is None  # nor its id or PDF
    assert any("another paper, not used" in w for w in taso.warnings)
    assert by_source(taso)["crossref"].status is FetchStatus.NOT_FOUND  # no abstract deposited
    bad = by_source(malformed)["arxiv"]
    assert bad.status is FetchStatus.NOT_FOUND and "not a well-formed arXiv id" in bad.evidence[0]


@responses.activate
def test_a_crossref_work_titled_as_another_paper_is_not_used(tmp_path: Path) -> None:
    """A wrong DOI (here Parity Models' on Clipper) costs the abstract, not correctness; the
    system name alone as the deposited title (DeepXplore's) is fine."""
    responses.get(CROSSREF + "/works", json=WORK_LIST)
    deepxplore = "DeepXplore: Automated Whitebox Testing of Deep Learning Systems"
    items = [paper(CLIPPER_TITLE, doi=PARITY), paper(deepxplore, doi="10.1145/3132747.3132785")]
    clipper, deep = fetch_abstracts(items, clients_for(tmp_path), ("s2", "crossref"))
    wrong = by_source(clipper)["crossref"]
    assert wrong.status is FetchStatus.NOT_FOUND and wrong.text is None
    assert any("another paper, not used" in w for w in clipper.warnings)
    right = by_source(deep)["crossref"]
    assert right.status is FetchStatus.FOUND and right.text is not None
    assert right.text.startswith("Background [FIXTURE] Not a real abstract: a structured one")
    assert "arxiv" not in by_source(deep)  # not a configured source: never asked


@pytest.mark.parametrize("titled", [None, PARITY_TITLE, CLIPPER_TITLE])
def test_a_crossref_work_of_another_doi_counts_only_with_the_papers_title(
    tmp_path: Path, titled: str | None
) -> None:
    """Asked for one DOI, Crossref answers the work of another (its primary DOI, or a mix-up):
    with the paper's title it is the paper's; with another title it is refused; without a
    title nothing says, so the paper keeps what it had (a failure, not 'no abstract')."""
    message: dict[str, Any] = {"DOI": "10.0000/FAKE.primary", "abstract": "<jats:p>[FIXTURE] It</jats:p>"}  # fmt: skip
    if titled:
        message["title"] = [titled]
    with responses.RequestsMock() as mock:
        work = {"status": "ok", "message-type": "work", "message": message}
        mock.get(CROSSREF + "/works/" + PARITY, json=work)
        [item] = fetch_abstracts(
            [paper(PARITY_TITLE, doi=PARITY)], clients_for(tmp_path), ("s2", "crossref")
        )
    finding = by_source(item)["crossref"]
    if titled is None:
        assert finding.status is FetchStatus.FAILED and "untitled" in (finding.error or "")
    elif titled == PARITY_TITLE:
        assert finding.status is FetchStatus.FOUND and finding.text == "[FIXTURE] It"
    else:
        assert finding.status is FetchStatus.NOT_FOUND and finding.text is None


def fake_ids(n: int) -> list[str]:
    return [f"9901.{i:05d}" for i in range(1, n + 1)]  # 99xx: clearly not a real arXiv id


@responses.activate
def test_batches_of_100_ids_and_50_dois_matched_whatever_the_order(tmp_path: Path) -> None:
    ids, dois = fake_ids(150), [f"10.0000/FAKE.{i}" for i in range(120)]
    titles = {i: f"Fake Paper Number {n} About Systems" for n, i in enumerate(ids)}

    def arxiv_answer(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        asked = query_of(request)["id_list"][0].split(",")
        entries = [atom_entry(i, titles[i]) for i in reversed(asked)]  # not in request order
        return 200, {"Content-Type": "application/atom+xml"}, atom_feed("fixture", entries)

    def crossref_answer(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        asked = query_of(request)["filter"][0].removeprefix("doi:").split(",doi:")
        items = [
            {"DOI": d.lower(), "abstract": f"<jats:p>[FIXTURE] Abstract of {d.lower()}</jats:p>"}
            for d in sorted(asked, reverse=True)
        ]
        return 200, {}, json.dumps({"status": "ok", "message": {"items": items}})

    responses.add_callback(responses.GET, ARXIV + "/query", callback=arxiv_answer)
    responses.add_callback(responses.GET, CROSSREF + "/works", callback=crossref_answer)
    items = [paper(titles[i], arxiv=i, year=2020 + n % 3) for n, i in enumerate(ids)]
    items += [paper(f"Fake Crossref Paper {n}", doi=d) for n, d in enumerate(dois)]
    out = fetch_abstracts(items, clients_for(tmp_path), ORDER)

    sizes = {
        "arxiv": [len(query_of(c.request)["id_list"][0].split(",")) for c in responses.calls
                  if "/query" in (c.request.url or "")],
        "crossref": [int(query_of(c.request)["rows"][0]) for c in responses.calls
                     if "/works" in (c.request.url or "")],
    }  # fmt: skip
    assert sizes == {"arxiv": [100, 50], "crossref": [50, 50, 20]}
    for item, arxiv_id in zip(out[:150], ids, strict=True):
        finding = by_source(item)["arxiv"]
        assert finding.arxiv_id == arxiv_id and titles[arxiv_id] in (finding.text or "")
    for item, doi in zip(out[150:], dois, strict=True):
        assert by_source(item)["crossref"].text == f"[FIXTURE] Abstract of {doi.lower()}"


@responses.activate
def test_a_warm_rerun_makes_no_request(tmp_path: Path) -> None:
    responses.get(ARXIV + "/query", body=FEED, content_type="application/atom+xml")
    responses.get(CROSSREF + "/works", json=WORK_LIST)
    items = [paper(CLIPPER_TITLE, arxiv="1612.03079"), paper(PARITY_TITLE, doi=PARITY)]
    items.append(paper("TASO: Optimizing Deep Learning Computation", doi=TASO))
    first = fetch_abstracts(items, clients_for(tmp_path), ORDER)
    sent = len(responses.calls)
    assert sent == 2
    again = fetch_abstracts(items, clients_for(tmp_path), ORDER)
    assert len(responses.calls) == sent
    assert [i.abstracts for i in again] == [i.abstracts for i in first]


def test_a_failing_source_costs_its_batch_only_and_the_run_goes_on(tmp_path: Path) -> None:
    with responses.RequestsMock() as mock:
        mock.get(ARXIV + "/query", status=503, body="<html>busy</html>")
        work = {"status": "ok", "message-type": "work", "message": WORK_LIST["message"]["items"][0]}
        mock.get(CROSSREF + "/works/" + PARITY, json=work)  # a DOI alone: one work lookup
        items = [
            paper(CLIPPER_TITLE, arxiv="1612.03079"),
            paper(PARITY_TITLE, doi=PARITY, arxiv="1605.08695"),
        ]
        clipper, parity = fetch_abstracts(items, clients_for(tmp_path), ORDER)
    failed = by_source(clipper)["arxiv"]
    assert failed.status is FetchStatus.FAILED and "HTTP 503" in (failed.error or "")
    assert failed.error is not None and "GET /query?id_list=" in failed.error  # names the request
    assert by_source(parity)["crossref"].status is FetchStatus.FOUND  # asked after arXiv failed
    assert abstract_failure(clipper, ORDER, None) is not None
    assert abstract_failure(parity, ORDER, "crossref") is not None  # arXiv might have had one
    assert abstract_failure(parity, ("s2", "crossref", "arxiv"), "crossref") is None


# -- merge: the first abstract in the configured order -------------------------------------


def with_findings(item: ResolvedPaper, *findings: AbstractFinding) -> ResolvedPaper:
    return item.model_copy(update={"abstracts": list(findings)})


ARXIV_FOUND = AbstractFinding(
    source="arxiv",
    status=FetchStatus.FOUND,
    asked="1612.03079",
    text="[FIXTURE] From arXiv, $O(n)$.",
    arxiv_id="1612.03079",
    pdf_url="https://arxiv.org/pdf/1612.03079v2",
)
CROSSREF_FOUND = AbstractFinding(
    source="crossref", status=FetchStatus.FOUND, asked=PARITY, text="[FIXTURE] From Crossref."
)


def test_merge_takes_the_first_abstract_in_the_configured_order() -> None:
    item = with_findings(
        paper(CLIPPER_TITLE, doi=PARITY, abstract="<b>[FIXTURE]</b>\n From  S2."),
        ARXIV_FOUND,
        CROSSREF_FOUND,
    )
    [default] = merge([item], None, "2026-11-30")
    assert default.abstract == "[FIXTURE] From S2."  # cleaned like every other source's
    assert (default.abstract_source, default.provenance["abstract"]) == ("semantic scholar", "s2")
    [crossref_first] = merge(
        [item], None, "2026-11-30", abstract_sources=("crossref", "s2", "arxiv")
    )
    assert crossref_first.abstract == "[FIXTURE] From Crossref."
    assert crossref_first.provenance["abstract"] == "crossref"
    no_s2 = with_findings(paper(CLIPPER_TITLE, doi=PARITY), ARXIV_FOUND, CROSSREF_FOUND)
    [arxiv_next] = merge([no_s2], None, "2026-11-30")
    assert (arxiv_next.abstract, arxiv_next.abstract_source) == (ARXIV_FOUND.text, "arxiv")
    # arXiv's id and PDF when S2 lacks them; DBLP's fields are never touched.
    assert arxiv_next.arxiv_id == "1612.03079" and arxiv_next.provenance["arxiv_id"] == "arxiv"
    assert arxiv_next.open_access_pdf == ARXIV_FOUND.pdf_url
    assert arxiv_next.provenance["open_access_pdf"] == "arxiv"
    assert arxiv_next.title == CLIPPER_TITLE and arxiv_next.provenance["title"] == "dblp"
    assert arxiv_next.doi == PARITY and arxiv_next.provenance["doi"] == "dblp"


def test_an_abstract_source_that_failed_keeps_the_previous_abstract() -> None:
    item = paper(CLIPPER_TITLE, arxiv="1612.03079")
    [before] = merge([with_findings(item, ARXIV_FOUND)], None, "2026-11-01")
    failed = AbstractFinding(source="arxiv", status=FetchStatus.FAILED, asked="1612.03079",
                             error="arxiv: HTTP 503: GET /query?...")  # fmt: skip
    previous = Catalog(source="list.md", papers=[before])
    [after] = merge([with_findings(item, failed)], previous, "2026-11-30")
    assert after.abstract == ARXIV_FOUND.text
    assert after.provenance["abstract"] == "arxiv (previous run)"
    mark = after.stale["abstract"]
    assert mark.since == "2026-11-30" and mark.reason.startswith("arxiv failed")


def test_the_bib_escapes_an_abstract_from_any_source(tmp_path: Path) -> None:
    hostile = AbstractFinding(
        source="crossref",
        status=FetchStatus.FOUND,
        asked=PARITY,
        text="[FIXTURE] 100% of } braces & $x_1$ #1",
    )
    [merged] = merge([with_findings(paper(PARITY_TITLE, doi=PARITY), hostile)], None, "2026-11-30")
    bib = render_bib(Catalog(source="list.md", papers=[merged]))
    assert r"100\% of \textbraceright{} braces \& \$x\_1\$ \#1" in bib
    tex = hostile.model_copy(update={"text": "[FIXTURE] $a<b$ and $c>d$, <b>bold</b>"})
    [merged] = merge([with_findings(paper(PARITY_TITLE, doi=PARITY), tex)], None, "2026-11-30")
    bib = render_bib(Catalog(source="list.md", papers=[merged]))
    assert r"\$a<b\$ and \$c>d\$, bold" in bib  # TeX kept as text, markup gone


def test_the_bib_and_the_catalog_read_the_same_abstract() -> None:
    """Cleaned once, when merged: the .bib escapes the catalog's text without decoding its
    entities again (S2 sends some abstracts with their entities encoded twice)."""
    raw = "[FIXTURE] &amp;lt;b&amp;gt; is text, &amp;amp; too; $a<b$ and $c>d$ <i>stay</i>."
    [merged] = merge([paper(PARITY_TITLE, doi=PARITY, abstract=raw)], None, "2026-11-30")
    catalog = Catalog(source="list.md", papers=[merged])
    in_catalog = json.loads(render_catalog(catalog))["papers"][0]["abstract"]
    assert in_catalog == "[FIXTURE] &lt;b&gt; is text, &amp; too; $a<b$ and $c>d$ stay."
    [entry] = bibtexparser.parse_string(render_bib(catalog)).entries
    unescaped = re.sub(
        "|".join(re.escape(v) for v in _SPECIALS.values()),
        lambda m: {v: k for k, v in _SPECIALS.items()}[m.group(0)],
        entry.fields_dict["abstract"].value,
    )
    assert unescaped == in_catalog


# -- settings ----------------------------------------------------------------------------


def test_settings_from_the_environment() -> None:
    settings = settings_from_env(
        {
            "ARXIV_API_BASE": "http://127.0.0.1:1/arxiv/api/",
            "CROSSREF_API_BASE": "http://127.0.0.1:1/crossref",
            "ARXIV_TTL_DAYS": "56",
            "CROSSREF_MIN_INTERVAL": "0.5",
            "ABSTRACT_SOURCES": "crossref, s2",
        }
    )
    assert settings.arxiv.base_url == "http://127.0.0.1:1/arxiv/api"
    assert settings.arxiv.ttl == 56 * 86400 and settings.arxiv.min_interval == 3.0
    assert settings.crossref.min_interval == 0.5 and settings.crossref.ttl == 28 * 86400
    assert settings.abstract_sources == ("crossref", "s2")
    assert settings_from_env({}).abstract_sources == ("s2", "arxiv", "crossref")
    with pytest.raises(InputError, match="ABSTRACT_SOURCES"):
        settings_from_env({"ABSTRACT_SOURCES": "s2,openalex"})
    with pytest.raises(InputError, match="ARXIV_API_BASE"):
        settings_from_env({"ARXIV_API_BASE": "export.arxiv.org"})


# -- end to end, against the fake API server ----------------------------------------------


@pytest.mark.slow
def test_full_run_and_nightly_refresh_against_the_fake_api(tmp_path: Path, fake: FakeApi) -> None:
    """Every paper some source has an abstract for gets one, the right one; a nightly rerun
    (S2 expired) asks arXiv and Crossref nothing."""
    settings = replace(
        settings_for(fake, tmp_path), list_path=ROOT / "catalog" / "papers.md", contact="m@x.org"
    )
    run_parse(settings)
    result = run_resolve(settings)
    assert len(fake.requests("arxiv")) == 1 and len(fake.requests("crossref")) == 1
    assert "mailto=m%40x.org" in fake.requests("crossref")[0][2]
    check_abstracts(fake, result)

    expired = replace(settings, s2=replace(settings.s2, ttl=0.0, not_found_ttl=0.0))
    s2_before = len(fake.requests("s2"))
    again = run_resolve(expired)
    assert len(fake.requests("s2")) > s2_before
    assert len(fake.requests("arxiv")) == 1 and len(fake.requests("crossref")) == 1
    assert again.counters["arxiv"].requests == 0 and again.counters["arxiv"].cache_hits == 1
    assert [p.abstracts for p in again.papers] == [p.abstracts for p in result.papers]


def check_abstracts(fake: FakeApi, result: ResolveResult) -> None:
    catalog = merge(result.papers, None, "2026-11-30")
    sources: dict[str | None, int] = {}
    for item, merged in zip(result.papers, catalog, strict=True):
        sources[merged.abstract_source] = sources.get(merged.abstract_source, 0) + 1
        s2 = item.s2.record
        if s2 is None:
            assert merged.abstract is None
            continue
        arxiv = (s2.externalIds or {}).get("ArXiv")
        doi = item.dblp.record.doi if item.dblp.record else None
        work = fake.crossref.get(doi.casefold()) if doi else None
        expected = bool(
            s2.abstract
            or (arxiv and not merged.warnings)
            or (work is not None and "abstract" in work)
        )
        assert (merged.abstract is not None) == expected, merged.title
        if merged.abstract is not None:  # the fixture texts name their paper: never another's
            assert "[FIXTURE]" in merged.abstract
            # ...under its own title, or its preprint's when arXiv has it under another one
            preprint = [f.title for f in item.abstracts if f.source == "arxiv" and f.text]
            starts = [" ".join(normalize_title(t).split()[:3]) for t in [merged.title, *preprint]]
            assert any(s in normalize_title(merged.abstract) for s in starts), merged.title
    assert sources.get("arxiv", 0) > 0 and sources.get("crossref", 0) > 0
    # TVM's preprint is titled otherwise on arXiv, with the same authors: its abstract is used
    tvm = next(p for p in catalog if p.title.startswith("TVM"))
    tvm_item = next(i for i in result.papers if i.paper.title.startswith("TVM"))
    assert tvm.abstract_source == "arxiv" and not tvm.warnings
    renamed = [e for f in tvm_item.abstracts for e in f.evidence if "renamed" in e]
    assert renamed and "same first author" in renamed[0]


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (
            "  We study\n  wrapped   lines with $O(n \\log n)$ and $k<n$.\n",
            "We study wrapped lines with $O(n \\log n)$ and $k<n$.",
        ),
        (
            "<p>From S2, <i>with</i> HTML.</p><p>Two paragraphs.</p>",
            "From S2, with HTML. Two paragraphs.",
        ),
        ("a<mml:math><mml:mi>n</mml:mi><mml:mo>+</mml:mo></mml:math>log", "a n+ log"),
        ("<b>Abstract:</b> The text.", "The text."),
        ("x <script>alert(1)</script> y\u200b\x00z", "x alert(1) y z"),
        ("", None),
        ("<jats:p> </jats:p>", None),
    ],
)
def test_one_cleaning_for_every_source(raw: str, text: str | None) -> None:
    assert clean_abstract(raw) == text
