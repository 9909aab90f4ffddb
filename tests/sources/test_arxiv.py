"""arXiv: id validation, the Atom decoder, and the fetcher's quirks (400 error feed, 429,
entries out of order, garbage bodies), against `responses` scripts; nothing sleeps for real."""

from __future__ import annotations

import urllib.parse
from pathlib import Path

import pytest
import requests
import responses

from pipeline.errors import BadResponse
from pipeline.http import SourceClient
from pipeline.sources.arxiv import decode_feed, fetch_entries, normalize_id, query_params
from test_http import FakeClock, client_of

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "arxiv"
FEED = (FIXTURES / "two-entries-out-of-order.xml").read_text(encoding="utf-8")
ERROR_FEED = (FIXTURES / "error-incorrect-id-format.xml").read_text(encoding="utf-8")
FEED_REFUSES = "1605.0869"  # the id the recorded error feed names


def error_feed(refused: str) -> str:
    """arXiv's error feed, naming `refused` as the id of an incorrect format."""
    return ERROR_FEED.replace(FEED_REFUSES, refused)


BASE = "https://export.arxiv.test/api"
QUERY = BASE + "/query"


def client_for(tmp_path: Path, clock: FakeClock | None = None) -> SourceClient:
    return client_of(tmp_path, "arxiv", BASE, clock)


def asked_ids(request: requests.PreparedRequest) -> list[str]:
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(request.url or "").query)
    return query["id_list"][0].split(",")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2101.00001", "2101.00001"),
        ("1605.08695", "1605.08695"),
        ("1706.03762v7", "1706.03762"),
        ("arXiv:1612.03079", "1612.03079"),
        ("cs/0112017", "cs/0112017"),
        ("cs/0112017v1", "cs/0112017"),
        ("math.GT/0309136", "math.GT/0309136"),
        ("hep-th/9901001", "hep-th/9901001"),
        ("0704.0001", "0704.0001"),  # four digits before 2015
        ("1605.0869", None),  # too few digits: arXiv would fail the whole call with a 400
        ("1413.00001", None),
        ("1605.086951", None),
        ("1605.08695x", None),
        ("abs/1605.08695", None),
        ("cs/011201", None),
        ("", None),
        ("1605.08695,1612.03079", None),  # a comma would smuggle a second id in
    ],
)
def test_ids_are_validated_before_sending(raw: str, expected: str | None) -> None:
    assert normalize_id(raw) == expected


def test_request_always_sends_max_results() -> None:
    assert query_params(["1605.08695", "1612.03079"]) == {
        "id_list": "1605.08695,1612.03079",
        "max_results": 2,
    }


def test_feed_entries_by_id_whatever_their_order() -> None:
    entries = decode_feed(FEED)
    assert list(entries) == ["1612.03079", "1605.08695"]  # the feed's order, not the request's
    clipper = entries["1612.03079"]
    assert clipper.version == 2
    assert clipper.title == "Clipper: A Low-Latency Online Prediction Serving System"
    assert clipper.pdf_url == "https://arxiv.org/pdf/1612.03079v2"
    # As found: hard-wrapped, entities already decoded by the XML parser, TeX kept.
    assert clipper.summary is not None and "$<10$ ms at $O(n)$\ncost & more." in clipper.summary


def test_unknown_elements_are_ignored_and_empty_text_is_missing() -> None:
    feed = FEED.replace(
        "<title>TensorFlow: A system for large-scale machine learning</title>",
        "<title></title><arxiv:new_thing xmlns:arxiv='http://arxiv.org/schemas/atom'>x"
        "</arxiv:new_thing><unknown/>",
    )
    entries = decode_feed(feed)
    assert entries["1605.08695"].title is None
    assert entries["1612.03079"].title is not None


def test_error_feed_is_refused_with_arxivs_message() -> None:
    with pytest.raises(ValueError, match="incorrect id format for 1605.0869"):
        decode_feed(ERROR_FEED)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("<!DOCTYPE html><html><body>Maintenance</body></html>", "HTML"),
        (FEED[: len(FEED) // 2], "truncated"),
        ('{"entries": []}', "malformed"),
        ("<rss><channel/></rss>", "XML where an Atom feed was expected"),
        ('<feed xmlns="http://example.test/not-atom"/>', "XML where an Atom feed"),
        ("", "malformed"),
    ],
)
def test_anything_but_an_atom_feed_is_refused(body: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        decode_feed(body)


def test_entities_that_expand_are_refused() -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>&b;</title></feed>'
    )
    with pytest.raises(ValueError, match="refused XML"):
        decode_feed(bomb)


@responses.activate
def test_entries_come_back_matched_by_id_and_cached(tmp_path: Path) -> None:
    responses.get(QUERY, body=FEED, content_type="application/atom+xml")
    client = client_for(tmp_path)
    answer = fetch_entries(client, ["1605.08695", "1612.03079", "2101.00001"])
    assert set(answer.entries) == {"1605.08695", "1612.03079"}  # 2101.00001 silently left out
    assert answer.entries["1605.08695"].title == (
        "TensorFlow: A system for large-scale machine learning"
    )
    [call] = responses.calls
    assert asked_ids(call.request) == ["1605.08695", "1612.03079", "2101.00001"]
    assert "max_results=3" in (call.request.url or "")
    assert call.request.headers["Accept"] == "application/atom+xml"
    again = fetch_entries(client_for(tmp_path), ["1605.08695", "1612.03079", "2101.00001"])
    assert again.entries == answer.entries
    assert len(responses.calls) == 1  # a warm rerun asks nothing


@responses.activate
def test_entries_not_asked_for_are_dropped(tmp_path: Path) -> None:
    responses.get(QUERY, body=FEED, content_type="application/atom+xml")
    answer = fetch_entries(client_for(tmp_path), ["1605.08695"])
    assert list(answer.entries) == ["1605.08695"]


def test_malformed_ids_are_never_sent(tmp_path: Path) -> None:
    with responses.RequestsMock() as mock, pytest.raises(ValueError, match="1605.0869"):
        fetch_entries(client_for(tmp_path), ["1605.08695", "1605.0869"])
    assert len(mock.calls) == 0


@responses.activate
def test_a_400_error_feed_costs_only_the_refused_id(tmp_path: Path) -> None:
    """Should one id slip through that arXiv refuses, the call is split until it is isolated."""
    refused = "1612.03079"  # pretend arXiv refuses it

    def answer(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        ids = asked_ids(request)
        if refused in ids:
            return 400, {"Content-Type": "application/atom+xml"}, error_feed(refused)
        return 200, {"Content-Type": "application/atom+xml"}, FEED

    responses.add_callback(responses.GET, QUERY, callback=answer)
    client = client_for(tmp_path)
    result = fetch_entries(client, ["1605.08695", "1612.03079", "2101.00001", "2101.00002"])
    assert result.rejected == [refused]
    assert set(result.entries) == {"1605.08695"}
    asked = [asked_ids(c.request) for c in responses.calls]
    assert asked[0] == ["1605.08695", "1612.03079", "2101.00001", "2101.00002"]
    assert ["1612.03079"] in asked and ["2101.00001", "2101.00002"] in asked
    assert client.stats.retries == 0  # a 400 is not retried: it would fail the same way
    # The 400 was not cached as an answer: asking again asks arXiv again.
    before = len(responses.calls)
    fetch_entries(client_for(tmp_path), [refused])
    assert len(responses.calls) == before + 1


@responses.activate
def test_an_error_feed_with_200_costs_only_the_refused_id_too(tmp_path: Path) -> None:
    """The refusal is recognised by its type (the decoder's ErrorFeed), whatever the status."""
    refused = "1612.03079"

    def answer(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        body = error_feed(refused) if refused in asked_ids(request) else FEED
        return 200, {"Content-Type": "application/atom+xml"}, body

    responses.add_callback(responses.GET, QUERY, callback=answer)
    result = fetch_entries(client_for(tmp_path), ["1605.08695", refused])
    assert result.rejected == [refused] and set(result.entries) == {"1605.08695"}
    assert len(responses.calls) == 3


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (400, "<html><body>400 Bad Request (a proxy)</body></html>"),
        (400, ERROR_FEED),  # names an id not asked
        (200, ERROR_FEED),
    ],
)
def test_a_refusal_that_names_no_asked_id_is_a_failure(
    tmp_path: Path, status: int, body: str
) -> None:
    """Only arXiv's error feed naming an asked id refuses it (and costs the paper its id);
    any other refusal is a failure, not split in halves: the ids keep what they had."""
    with responses.RequestsMock() as mock:
        mock.get(QUERY, status=status, body=body, content_type="application/atom+xml")
        with pytest.raises(BadResponse):
            fetch_entries(client_for(tmp_path), ["1605.08695", "1612.03079"])
        assert len(mock.calls) == 1


def test_another_4xx_is_a_failure_not_a_refused_id(tmp_path: Path) -> None:
    with responses.RequestsMock() as mock:
        mock.get(QUERY, status=414, body="URI Too Long", content_type="text/plain")
        with pytest.raises(BadResponse, match="HTTP 414") as caught:
            fetch_entries(client_for(tmp_path), ["1605.08695", "1612.03079"])
        assert len(mock.calls) == 1  # not split in halves: no id was refused
    assert caught.value.status == 414


def test_429_rate_exceeded_without_retry_after_backs_off(tmp_path: Path) -> None:
    clock = FakeClock()
    with responses.RequestsMock(registry=responses.registries.OrderedRegistry) as mock:
        mock.get(QUERY, status=429, body="Rate exceeded.", content_type="text/plain")
        mock.get(QUERY, body=FEED, content_type="application/atom+xml")
        client = client_for(tmp_path, clock)
        answer = fetch_entries(client, ["1605.08695"])
    assert list(answer.entries) == ["1605.08695"]
    assert client.stats.rate_limited == 1 and client.stats.retries == 1
    assert clock.sleeps and clock.sleeps[0] > 0  # backed off before asking again


@pytest.mark.parametrize(
    "body",
    ["<html><body>Service temporarily unavailable</body></html>", FEED[:300]],
)
def test_garbage_with_200_names_the_request_and_is_not_cached(tmp_path: Path, body: str) -> None:
    with responses.RequestsMock(registry=responses.registries.OrderedRegistry) as mock:
        mock.get(QUERY, body=body, content_type="text/html")
        mock.get(QUERY, body=FEED, content_type="application/atom+xml")
        with pytest.raises(BadResponse, match=r"GET /query\?id_list=1605.08695&max_results=1"):
            fetch_entries(client_for(tmp_path), ["1605.08695"])
        assert list(fetch_entries(client_for(tmp_path), ["1605.08695"]).entries) == ["1605.08695"]


def test_pacing_keeps_three_seconds_between_calls(tmp_path: Path) -> None:
    clock = FakeClock()
    with responses.RequestsMock() as mock:
        mock.get(QUERY, body=FEED, content_type="application/atom+xml")
        client = client_for(tmp_path, clock)
        fetch_entries(client, ["1605.08695"])
        fetch_entries(client, ["1612.03079"])
    assert clock.sleeps == [pytest.approx(3.0)]


@responses.activate
def test_splitting_a_full_batch_never_opens_the_breaker(tmp_path: Path) -> None:
    """100 ids with the refused one first: seven refused calls in a row are no outage."""
    ids = [f"2101.{n:05d}" for n in range(1, 101)]
    refused = ids[0]

    def answer(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        status = 400 if refused in asked_ids(request) else 200
        return (
            status,
            {"Content-Type": "application/atom+xml"},
            error_feed(refused) if status == 400 else FEED,
        )

    responses.add_callback(responses.GET, QUERY, callback=answer)
    client = client_for(tmp_path)
    result = fetch_entries(client, ids)
    assert result.rejected == [refused]
    assert client.available and not client.stats.circuit_open
    assert len(responses.calls) == 13  # 100, 50, 25, 12, 6, 3, 1 refused; the other halves once
