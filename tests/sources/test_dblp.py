"""DBLP decoding against real recorded bodies: the search API's quirks and the BibTeX export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.sources.dblp import decode_bib, decode_search, rec_path, search_params, toc_params

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
