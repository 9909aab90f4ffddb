"""Semantic Scholar decoding against recorded bodies, old and 2025-26 shapes, read tolerantly."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
import responses
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from responses import matchers

from builders import readers_agree, scatter
from pipeline.models import S2Paper
from pipeline.sources.dblp import decode_search
from pipeline.sources.s2 import (
    FIELDS,
    _Paper,
    _read_plain_paper,
    decode_batch,
    decode_listing,
    decode_match,
    fetch_batch,
    paper_path,
    read_paper,
)
from test_http import client_of

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def test_2026_shape_with_a_pdf() -> None:
    paper = read_paper(load("s2/2026-shape__paper-with-pdf.json"))
    assert paper is not None and paper.openAccessPdf is not None
    assert paper.openAccessPdf.url == "https://www.aclweb.org/anthology/N18-3011.pdf"
    assert paper.openAccessPdf.license == "CCBY" and paper.year == 2018


def test_2026_shape_without_a_pdf_is_a_paper_without_a_pdf() -> None:
    paper = read_paper(load("s2/2026-shape__paper-without-pdf.json"))
    assert paper is not None
    assert paper.openAccessPdf is None  # url "" means no PDF, whatever else the object says
    assert paper.citationCount == 5 and paper.external_id("ArXiv") == "2412.00678"
    assert paper.external_id("CorpusId") == "274437761"
    assert paper.is_preprint  # venue arXiv.org, an arXiv DataCite DOI
    assert paper.publicationTypes == ["JournalArticle"] and paper.journal == "ArXiv"
    assert [a.name for a in paper.authors or []][:2] == ["Jingwei Zhang", "Anh Tien Nguyen"]


def test_older_shapes_still_read() -> None:
    batch = decode_batch(load("s2/danielnsilva__paper-batch__200-with-null-and-full-fields.json"))
    assert batch[0] is None and all(p is not None for p in batch[1:])
    search = decode_listing(load("s2/danielnsilva__paper-search__200-openAccessPdf.json"))
    assert search and all(p.openAccessPdf is None or p.openAccessPdf.url for p in search)
    assert decode_listing(load("s2/danielnsilva__paper-search__200-zero-results.json")) == []
    match = decode_match(load("s2/danielnsilva__paper-search-match__200.json"))
    assert match is not None and match.matchScore is not None


def test_one_bad_record_costs_that_record_not_the_batch() -> None:
    good = load("s2/2026-shape__paper-without-pdf.json")
    batch = decode_batch([good, {"title": "no paperId"}, None, "garbage", good])
    assert [p is not None for p in batch] == [True, False, False, False, True]


def test_quirks_numbers_as_strings_lists_for_values_and_empty_strings() -> None:
    paper = read_paper(
        {
            "paperId": "abc",
            "year": "2019",
            "citationCount": "12",
            "influentialCitationCount": 3.0,
            "venue": ["SOSP", "ignored"],
            "abstract": "",
            "tldr": "",
            "openAccessPdf": [{"url": "https://example.org/x.pdf", "status": "GREEN"}],
            "authors": [{"name": "A. Author", "authorId": 42}, "garbage", None],
            "externalIds": {"DOI": "", "CorpusId": 7, "ArXiv": None},
        }
    )
    assert paper is not None
    assert (paper.year, paper.citationCount, paper.influentialCitationCount) == (2019, 12, 3)
    assert paper.venue == "SOSP" and paper.abstract is None and paper.tldr is None
    assert paper.openAccessPdf is not None and paper.openAccessPdf.url.endswith("x.pdf")
    assert [(a.name, a.authorId) for a in paper.authors or []] == [("A. Author", "42")]
    assert paper.externalIds == {"CorpusId": 7}


def test_a_batch_that_is_not_a_list_is_an_error() -> None:
    with pytest.raises(ValueError, match="expected a list"):
        decode_batch({"error": "Unrecognized or unsupported fields: [x]"})


# -- unknown keys at every level change nothing ---------------------------------------------

JUNK: list[Any] = [
    None,
    True,
    0,
    17,
    "",
    "x",
    [],
    [1, "a"],
    {},
    {"url": ""},
    {"deep": {"er": [None]}},
]


def sprinkle(value: Any, rng: random.Random) -> Any:
    """A copy of an answer with random unknown keys added to every object in it."""
    if isinstance(value, dict):
        copy = {k: sprinkle(v, rng) for k, v in value.items()}
        for _ in range(rng.randint(1, 3)):
            copy.setdefault(f"zz_unknown_{rng.randint(0, 999)}", rng.choice(JUNK))
        return copy
    if isinstance(value, list):
        return [sprinkle(v, rng) for v in value]
    return value


RECORDED = [
    ("s2/2026-shape__paper-without-pdf.json", read_paper),
    ("s2/2026-shape__paper-with-pdf.json", read_paper),
    ("s2/danielnsilva__paper-batch__200-with-null-and-full-fields.json", decode_batch),
    ("s2/danielnsilva__paper-search__200-page1-with-next.json", decode_listing),
    ("s2/danielnsilva__paper-search-match__200.json", decode_match),
    ("dblp/toc/conf__sosp__sosp2019.json", decode_search),
    ("dblp/toc/conf__sigmod__sigmod2016.json", decode_search),
    ("dblp/toc/conf__aaai__aaai81.json", decode_search),
]


@pytest.mark.parametrize(("name", "decode"), RECORDED, ids=[n for n, _ in RECORDED])
@settings(max_examples=10, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32))
def test_unknown_keys_anywhere_give_the_same_result(name: str, decode: Any, seed: int) -> None:
    body = load(name)
    assert decode(sprinkle(body, random.Random(seed))) == decode(body)


def test_batch_answers_are_cached_per_paper(tmp_path: Path) -> None:
    """A list edit changes the batch; only the ids not asked before are sent again."""
    paper_a = load("s2/2026-shape__paper-without-pdf.json")
    paper_b = load("s2/2026-shape__paper-with-pdf.json")
    client = client_of(tmp_path, "s2", "https://s2.test", min_interval=0)
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        mock.post(
            "https://s2.test/paper/batch",
            json=[paper_a, None],
            match=[
                matchers.json_params_matcher({"ids": ["ARXIV:2412.00678", "DOI:10.0000/unknown"]})
            ],
        )
        mock.post("https://s2.test/paper/batch", json=[paper_b],
                  match=[matchers.json_params_matcher({"ids": ["DOI:10.0000/new"]})])  # fmt: skip
        first = fetch_batch(client, ["ARXIV:2412.00678", "DOI:10.0000/unknown"])
        again = fetch_batch(client, ["DOI:10.0000/unknown", "DOI:10.0000/new", "ARXIV:2412.00678"])
    assert first.papers["DOI:10.0000/unknown"] is None and first.error is None
    assert again.papers["ARXIV:2412.00678"] == first.papers["ARXIV:2412.00678"]
    assert again.papers["DOI:10.0000/unknown"] is None  # a cached 'S2 does not know it'
    new = again.papers["DOI:10.0000/new"]
    assert new is not None and new.paperId == paper_b["paperId"]
    assert client.stats.requests == 2


def test_a_failed_batch_fails_only_the_ids_it_asked_for(tmp_path: Path) -> None:
    client = client_of(tmp_path, "s2", "https://s2.test", max_attempts=1, min_interval=0)
    client.remember_json("GET", paper_path("DOI:10.0000/a"), {"fields": FIELDS}, None,
                         load("s2/2026-shape__paper-with-pdf.json"), client.clock.now())  # fmt: skip
    with responses.RequestsMock() as mock:
        mock.post(
            "https://s2.test/paper/batch",
            json={"error": "Unrecognized or unsupported fields: [x]"},
            status=400,
        )
        answer = fetch_batch(client, ["DOI:10.0000/a", "DOI:10.0000/b"])
    assert answer.papers["DOI:10.0000/a"] is not None and "DOI:10.0000/b" not in answer.papers
    assert answer.error is not None and "400" in str(answer.error)


def test_a_failed_batch_falls_back_on_expired_answers(tmp_path: Path) -> None:
    client = client_of(tmp_path, "s2", "https://s2.test", max_attempts=1, ttl=10, min_interval=0)
    paper = load("s2/2026-shape__paper-with-pdf.json")
    client.remember_json("GET", paper_path("DOI:10.0000/a"), {"fields": FIELDS}, None, paper, 0.0)
    with responses.RequestsMock() as mock:
        mock.post("https://s2.test/paper/batch", status=503, body="down")
        answer = fetch_batch(client, ["DOI:10.0000/a"])  # expired long ago: asked, failed
    kept = answer.papers["DOI:10.0000/a"]
    assert kept is not None and kept.paperId == paper["paperId"] and answer.error is not None
    assert client.stats.stale_served == 1


def with_doi(paper: dict[str, Any], doi: str | None) -> dict[str, Any]:
    """A recorded paper given a (fake) DOI, or none, and a paper id of its own."""
    ids = {k: v for k, v in (paper.get("externalIds") or {}).items() if k != "DOI"}
    own = f"fixture-{doi or 'none'}"
    return {**paper, "paperId": own, "externalIds": ids | ({"DOI": doi} if doi else {})}


def test_a_mixed_up_batch_gives_no_paper_another_papers_record(tmp_path: Path) -> None:
    """Items come back by position: one naming another id of the same batch is that paper's
    record in the wrong place. Refused (not cached; the paper failed, so its previous values
    are kept); an item naming the asked DOI in other case, none, or a DOI not asked (S2's
    other DOI for the paper: the resolve step flags it) is the paper's."""
    paper = load("s2/2026-shape__paper-with-pdf.json")
    client = client_of(tmp_path, "s2", "https://s2.test", min_interval=0)
    ids = ["DOI:10.0000/a", "DOI:10.0000/b", "DOI:10.0000/C", "DOI:10.0000/d", "DOI:10.0000/e"]
    answer_items = [with_doi(paper, "10.0000/b"), with_doi(paper, "10.0000/a"),
                    with_doi(paper, "10.0000/c"), with_doi(paper, None),
                    with_doi(paper, "10.0000/not-asked")]  # fmt: skip
    with responses.RequestsMock() as mock:
        mock.post("https://s2.test/paper/batch", json=answer_items)
        answer = fetch_batch(client, ids)
    assert set(answer.papers) == set(ids[2:])
    assert str(answer.error) == (
        "s2: DOI:10.0000/a answered with the paper of DOI:10.0000/b; DOI:10.0000/b answered "
        "with the paper of DOI:10.0000/a: POST /paper/batch"
    )
    for lookup in ids[:2]:  # not cached: asked again next time
        assert client.peek_json("GET", paper_path(lookup), {"fields": FIELDS}, None,
                                decode=read_paper, any_age=True) is None  # fmt: skip


def test_two_dois_of_one_merged_record_are_both_answered(tmp_path: Path) -> None:
    """S2 merges a conference paper and its journal version into one record: asked by both
    DOIs in one batch, it answers that record twice, naming one DOI. No mix-up: both kept."""
    paper = with_doi(load("s2/2026-shape__paper-with-pdf.json"), "10.0000/conference")
    client = client_of(tmp_path, "s2", "https://s2.test", min_interval=0)
    ids = ["DOI:10.0000/conference", "DOI:10.0000/journal"]
    with responses.RequestsMock() as mock:
        mock.post("https://s2.test/paper/batch", json=[paper, paper])
        answer = fetch_batch(client, ids)
    assert answer.error is None
    assert {lookup: p.paperId if p else None for lookup, p in answer.papers.items()} == {
        lookup: paper["paperId"] for lookup in ids
    }


# -- the plain reader of a paper agrees with the tolerant models ---------------------------

ODD: list[Any] = [None, True, 0, 17, 2.5, "", "x", [], [""], ["a", 1], {}, {"name": ""},
                  {"url": "", "status": 3}, {"DOI": "10.1/x", "DBLP": ""}]  # fmt: skip


def recorded_papers() -> list[Any]:
    papers: list[Any] = []
    for path in sorted((FIXTURES / "s2").glob("*.json")):
        body = json.loads(path.read_text(encoding="utf-8"))
        items = body if isinstance(body, list) else (body.get("data", [body]) or [])
        papers += [i for i in items if isinstance(i, dict) and "paperId" in i]
    return papers


def tolerant(item: Any) -> S2Paper | None:
    try:
        return _Paper.model_validate(item).to_record()
    except (ValidationError, ValueError, TypeError):
        return None


def test_papers_of_the_usual_shape_take_the_plain_reader() -> None:
    papers = recorded_papers()
    plain = [_read_plain_paper(p) for p in papers]
    assert len(papers) > 200 and None not in plain
    assert plain == [tolerant(p) for p in papers]


def odd_paper(paper: Any, rng: random.Random) -> Any:
    """A paper with odd values put in at random places: unknown keys, "", None, lists..."""
    copy = json.loads(json.dumps(paper))
    places: list[tuple[dict[str, Any], str]] = [(copy, k) for k in (*copy, "zz", "matchScore")]
    for name in ("authors", "tldr", "openAccessPdf", "journal", "externalIds"):
        value = copy.get(name)
        inner = value if isinstance(value, list) else [value]
        places += [(o, k) for o in inner if isinstance(o, dict) for k in (*o, "zz")]
    scatter(places, ODD, rng)
    return copy


@settings(max_examples=300, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32))
def test_odd_papers_read_the_same_with_or_without_the_plain_reader(seed: int) -> None:
    rng = random.Random(seed)
    paper = odd_paper(rng.choice(recorded_papers()), rng)
    readers_agree(paper, tolerant, _read_plain_paper, read_paper)
