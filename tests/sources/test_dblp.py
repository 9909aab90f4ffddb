"""DBLP decoding against real recorded bodies: the search API's quirks and the BibTeX export."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from builders import readers_agree, scatter
from pipeline.models import DblpRecord
from pipeline.sources.dblp import (
    _Hit,
    _read_hit,
    _read_plain_hit,
    decode_bib,
    decode_search,
    rec_path,
    search_params,
    to_record,
    toc_params,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "dblp"


def load_toc(name: str) -> object:
    return json.loads((FIXTURES / "toc" / f"{name}.json").read_text(encoding="utf-8"))


def test_toc_quirks_are_absorbed() -> None:
    page = decode_search(load_toc("conf__osdi__osdi2016"))
    assert page.total == 48 and page.sent == 48 and len(page.records) == 48
    tf = next(r for r in page.records if r.key == "conf/osdi/AbadiBCCDDDGIIK16")
    assert tf.year == 2016 and tf.authors[1] == "Paul Barham 0001" and tf.doi is None
    assert tf.ee == [
        "https://www.usenix.org/conference/osdi16/technical-sessions/presentation/abadi"
    ]
    [proceedings] = [r for r in page.records if r.is_proceedings]
    assert proceedings.publisher == "USENIX Association"


def test_zero_hits_has_no_hit_key() -> None:
    page = decode_search(load_toc("conf__aaai__aaai81"))
    assert page.total == 0 and page.records == []


def test_a_page_that_says_it_sent_hits_but_carries_none_is_refused() -> None:
    """Cut short or changed: taken as it is, it would be an empty table of contents, cached."""
    for hits in (None, []):
        page: Any = load_toc("conf__osdi__osdi2016")
        if hits is None:
            del page["result"]["hits"]["hit"]
        else:
            page["result"]["hits"]["hit"] = hits
        with pytest.raises(ValueError, match="says it sent 48 hits but carries none"):
            decode_search(page)


def test_single_author_is_a_dict() -> None:
    page = decode_search(load_toc("conf__sigmod__sigmod2016"))
    dean = next(r for r in page.records if r.key == "conf/sigmod/Dean16")
    assert dean.authors == ["Jeff Dean"]


def test_request_builders() -> None:
    assert toc_params("db/conf/osdi/osdi2016.bht") == {
        "q": "toc:db/conf/osdi/osdi2016.bht:",
        "h": 1000,
        "format": "json",
    }
    assert toc_params("db/x.bht", 1000)["f"] == 1000
    assert search_params("VF^2Boost: Very Fast!")["q"] == "VF 2Boost Very Fast"
    assert rec_path("conf/sigmod/00020T21") == "/rec/conf/sigmod/00020T21.bib"


def test_bib_export_is_decoded_from_tex() -> None:
    record = decode_bib(
        (FIXTURES / "rec" / "conf__spire__BastMW06.bib").read_text(encoding="utf-8")
    )
    assert record.key == "conf/spire/BastMW06"
    assert record.authors == ["H. Bast", "Christian Worm Mortensen", "Ingmar Weber"]
    assert record.title == "Output-Sensitive Autocompletion Search"
    assert record.doi == "10.1007/11880561_13"  # DBLP's BibTeX writes \_
    assert record.pages == "150-162" and record.year == 2006 and record.publisher == "Springer"
    assert record.venue is not None and record.venue.startswith(
        "String Processing and Information Retrieval, 13th"
    )
    assert record.type == "Conference and Workshop Papers"


def test_bib_export_of_an_article_and_a_book() -> None:
    text = (FIXTURES / "rec" / "multi-entry-2019.bib").read_text(encoding="utf-8")
    record = decode_bib(text)  # the first entry
    assert (
        record.venue
        == "2017 ACM/IEEE Joint Conference on Digital Libraries, JCDL 2017, Toronto, ON, Canada, June 19-23, 2017"
    )
    book = decode_bib((FIXTURES / "rec" / "series__sci__2023-1062.bib").read_text(encoding="utf-8"))
    assert book.key == "series/sci/2023-1062" and book.type == "Books and Theses"


@pytest.mark.parametrize("body", ["<html><body>404</body></html>", "", "@inproceedings{broken"])
def test_anything_but_a_record_is_refused(body: str) -> None:
    with pytest.raises(ValueError):
        decode_bib(body)


# -- the plain reader of a hit agrees with the tolerant models ----------------------------

ODD: list[Any] = [
    None,
    True,
    0,
    17,
    2.5,
    "",
    "x",
    "&amp; x",
    [],
    [""],
    ["a", "b"],
    [1],
    {},
    {"text": ""},
]


def fixture_hits() -> list[Any]:
    hits: list[Any] = []
    for name in ("conf__osdi__osdi2016", "conf__sigmod__sigmod2016", "conf__sosp__sosp2019"):
        payload: Any = load_toc(name)
        hits += payload["result"]["hits"]["hit"]
    listed = json.loads(json.dumps(hits[0]))  # the other shapes the API notes describe
    listed["info"].update(venue=["OSDI", "USENIX"], ee=["https://a.test/1", "https://b.test"])
    listed["info"].update(year=2016, volume=3, number="2")
    return [*hits, listed]


def tolerant(hit: Any) -> DblpRecord | None:
    try:
        return to_record(_Hit.model_validate(hit).info)
    except (ValidationError, ValueError, TypeError):
        return None


def test_hits_of_the_usual_shape_take_the_plain_reader() -> None:
    hits = fixture_hits()
    plain = [_read_plain_hit(hit) for hit in hits]
    assert None not in plain and plain == [tolerant(hit) for hit in hits]
    assert any(isinstance(hit["info"]["authors"]["author"], dict) for hit in hits)
    assert plain[-1] is not None and plain[-1].venue == "OSDI, USENIX" and plain[-1].volume == "3"


def odd_copy(hit: Any, rng: random.Random) -> Any:
    """A hit with odd values put in at random places: unknown keys, "", None, lists, numbers."""
    copy = json.loads(json.dumps(hit))
    info = copy["info"]
    places: list[tuple[dict[str, Any], str]] = [(copy, "info"), (copy, "zz")]
    places += [(info, k) for k in (*info, "zz", "volume", "number", "authors")]
    authors = info.get("authors")
    if isinstance(authors, dict):
        places += [(authors, "author"), (authors, "zz")]
        people = authors["author"] if isinstance(authors["author"], list) else [authors["author"]]
        for person in people:
            places += [(person, k) for k in ("text", "@pid", "pid", "zz")]
    scatter(places, ODD, rng)
    return copy


@settings(max_examples=300, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32))
def test_odd_hits_read_the_same_with_or_without_the_plain_reader(seed: int) -> None:
    rng = random.Random(seed)
    hit = odd_copy(rng.choice(fixture_hits()), rng)
    readers_agree(hit, tolerant, _read_plain_hit, _read_hit)


@pytest.mark.parametrize("garbage", [None, "", "x", 3, [], {}, {"info": ""}, {"info": {}},
                                     {"info": {"key": ""}}, {"info": []}])  # fmt: skip
def test_a_garbage_hit_is_skipped_with_a_message(garbage: Any, caplog: Any) -> None:
    payload: Any = load_toc("conf__osdi__osdi2016")
    hits = payload["result"]["hits"]["hit"]
    hits.insert(3, garbage)
    page = decode_search(payload)
    assert len(page.records) == len(hits) - 1
    assert "item 3 unreadable, skipped" in caplog.text
    assert (
        "dblp hits of ':facetid:toc:db" in caplog.text and "osdi2016" in caplog.text
    )  # which page
