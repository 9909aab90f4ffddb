"""Crossref: request builders, the work-list and work decoders, JATS abstracts, the 404
plain-text miss, 429s and garbage, against `responses` scripts; nothing sleeps for real."""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path

import pytest
import responses
from pydantic import ValidationError
from responses.registries import OrderedRegistry

from pipeline.errors import BadResponse, NotFound
from pipeline.http import SourceClient
from pipeline.sources.crossref import (
    asks_crossref,
    decode_work,
    decode_work_list,
    fetch_work,
    fetch_works,
    mailto_of,
    work_path,
    works_params,
)
from pipeline.text import clean_abstract
from test_http import FakeClock, client_of

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "crossref"
WORK_LIST = json.loads((FIXTURES / "work-list-jats.json").read_text(encoding="utf-8"))
BASE = "https://api.crossref.test"
PARITY, DEEPXPLORE, TASO = (
    "10.1145/3341301.3359654",
    "10.1145/3132747.3132785",
    "10.1145/3341301.3359630",
)


def client_for(tmp_path: Path, clock: FakeClock | None = None) -> SourceClient:
    return client_of(tmp_path, "crossref", BASE, clock, min_interval=0)


def test_request_builders() -> None:
    assert works_params([PARITY, TASO], "maintainer@example.org") == {
        "filter": f"doi:{PARITY},doi:{TASO}",
        "rows": 2,  # it defaults to 20: always sent
        "select": "DOI,abstract,title",
        "mailto": "maintainer@example.org",
    }
    assert "mailto" not in works_params([PARITY])
    assert work_path("10.1000/a<b>c") == "/works/10.1000/a%3Cb%3Ec"
    assert mailto_of("maintainer@example.org") == "maintainer@example.org"
    assert mailto_of("mailto:maintainer@example.org") == "maintainer@example.org"
    assert mailto_of("mlsys-bib maintainers (https://github.com/)") is None
    assert not asks_crossref("10.48550/arXiv.1605.08695")  # DataCite: Crossref never has it
    assert asks_crossref(PARITY)


def test_work_list_items_by_lower_cased_doi_in_any_order() -> None:
    works = decode_work_list(WORK_LIST)
    assert set(works) == {PARITY, DEEPXPLORE, TASO}
    assert works[TASO].abstract is None  # no abstract deposited
    assert works[PARITY].title is not None and works[PARITY].title.startswith("Parity models")
    shuffled = {**WORK_LIST, "message": {**WORK_LIST["message"]}}
    shuffled["message"]["items"] = list(reversed(WORK_LIST["message"]["items"]))
    assert decode_work_list(shuffled) == works


def test_unknown_keys_are_ignored_and_empty_values_are_missing() -> None:
    payload = {
        "status": "ok",
        "message-type": "work-list",
        "message": {
            "new-key": {"x": 1},
            "items": [
                {"DOI": PARITY.upper(), "abstract": "", "title": [], "score": 1.0},
                {"DOI": TASO, "title": "A bare string title"},
            ],
        },
    }
    works = decode_work_list(payload)
    assert works[PARITY].abstract is None and works[PARITY].title is None
    assert works[TASO].title == "A bare string title"


@pytest.mark.parametrize("payload", [{"status": "ok"}, {"message": []}, [], "ok"])
def test_wrong_shapes_are_refused(payload: object) -> None:
    with pytest.raises(ValidationError):
        decode_work_list(payload)


def test_a_bad_item_costs_only_itself(caplog: pytest.LogCaptureFixture) -> None:
    payload = {"message": {"items": [{"abstract": "no DOI"}, 42, *WORK_LIST["message"]["items"]]}}
    assert set(decode_work_list(payload)) == {PARITY, DEEPXPLORE, TASO}
    assert "item 0 unreadable" in caplog.text and "item 1 unreadable" in caplog.text


@pytest.mark.parametrize(
    ("jats", "text"),
    [
        (
            "<jats:p>We show <jats:italic>fast</jats:italic> training.</jats:p>",
            "We show fast training.",
        ),
        (
            "<jats:title>Abstract</jats:title><jats:p>One.</jats:p><jats:p>Two.</jats:p>",
            "One. Two.",
        ),
        (
            "<jats:sec><jats:title>Background</jats:title><jats:p>A &amp; B &lt;3.</jats:p>"
            "</jats:sec>",
            "Background A & B <3.",
        ),
        # TeX is kept as text, never taken for markup.
        (
            "<jats:p>Cost $O(n^2)$, latency $a<b$ and $c>d$.</jats:p>",
            "Cost $O(n^2)$, latency $a<b$ and $c>d$.",
        ),
        ("<p>HTML <b>too</b>.</p>\n\n  <br/>end", "HTML too. end"),
        ("<jats:p></jats:p>", None),
    ],
)
def test_jats_abstracts_become_text(jats: str, text: str | None) -> None:
    assert clean_abstract(jats) == text


@responses.activate
def test_a_batch_is_one_filter_query_and_is_cached(tmp_path: Path) -> None:
    responses.get(BASE + "/works", json=WORK_LIST)
    fetched = fetch_works(client_for(tmp_path), [DEEPXPLORE, PARITY, TASO], "m@example.org")
    assert set(fetched.data) == {PARITY, DEEPXPLORE, TASO}
    [call] = responses.calls
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(call.request.url or "").query)
    assert query["filter"] == [f"doi:{DEEPXPLORE},doi:{PARITY},doi:{TASO}"]
    assert query["rows"] == ["3"] and query["mailto"] == ["m@example.org"]
    fetch_works(client_for(tmp_path), [DEEPXPLORE, PARITY, TASO], "m@example.org")
    assert len(responses.calls) == 1  # a warm rerun asks nothing


@responses.activate
def test_404_plain_text_is_a_miss_cached_as_one(tmp_path: Path) -> None:
    doi = "10.48550/arXiv.0000.00000"  # a DataCite-style DOI: Crossref answers 404
    responses.get(
        BASE + work_path(doi), status=404, body="Resource not found.", content_type="text/plain"
    )
    with pytest.raises(NotFound):
        fetch_work(client_for(tmp_path), doi)
    client = client_for(tmp_path)
    with pytest.raises(NotFound, match="cached"):
        fetch_work(client, doi)
    assert len(responses.calls) == 1 and client.stats.requests == 0


@responses.activate
def test_a_single_work(tmp_path: Path) -> None:
    item = WORK_LIST["message"]["items"][0]
    responses.get(
        BASE + work_path(PARITY),
        json={"status": "ok", "message-type": "work", "message-version": "1.0.0", "message": item},
    )
    work = fetch_work(client_for(tmp_path), PARITY).data
    assert work.doi == PARITY and work.abstract is not None and "JATS" in work.abstract


def test_429_without_retry_after_backs_off(tmp_path: Path) -> None:
    clock = FakeClock()
    with responses.RequestsMock(registry=OrderedRegistry) as mock:
        mock.get(BASE + "/works", status=429, body="Rate limit exceeded", content_type="text/plain")
        mock.get(BASE + "/works", json=WORK_LIST)
        client = client_for(tmp_path, clock)
        fetched = fetch_works(client, [PARITY, TASO])
    assert PARITY in fetched.data
    assert client.stats.rate_limited == 1 and clock.sleeps and clock.sleeps[0] > 0


def test_html_for_json_names_the_request_and_is_not_cached(tmp_path: Path) -> None:
    with responses.RequestsMock(registry=OrderedRegistry) as mock:
        mock.get(BASE + "/works", body="<html><body>Bad gateway</body></html>", status=200)
        mock.get(BASE + "/works", json=WORK_LIST)
        with pytest.raises(BadResponse, match=r"HTML where JSON was expected: GET /works\?"):
            fetch_works(client_for(tmp_path), [PARITY, TASO])
        assert PARITY in fetch_works(client_for(tmp_path), [PARITY, TASO]).data


def test_single_work_garbage_is_refused() -> None:
    with pytest.raises(ValueError, match="HTML where JSON"):
        decode_work("<html>oops</html>")
    with pytest.raises(ValidationError):
        decode_work('{"status": "ok", "message": {"title": ["no DOI"]}}')
