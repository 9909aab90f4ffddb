"""The merge stage: field sources, title cleaning, stable keys, previous values kept."""

from __future__ import annotations

import json
from pathlib import Path

import pydantic_core
import pytest
from pydantic import ValidationError

from builders import dblp_record, listed, proceedings, resolved, s2_paper
from pipeline.emit.bib import render_bib
from pipeline.emit.catalog import render_catalog
from pipeline.emit.report import render_report
from pipeline.errors import InputError
from pipeline.merge import assign_keys, base_key, merge, published_title
from pipeline.merge.book import Provenance
from pipeline.merge.previous import (
    PreviousCatalog,
    PreviousPaper,
    needs_matches,
    read_previous,
)
from pipeline.models import (
    AbstractFinding,
    Catalog,
    CatalogPaper,
    FetchStatus,
    ParsedList,
    Refusal,
    ResolvedPaper,
    ResolveOutcomes,
    ResolveResult,
    ResolveSummary,
    Snapshot,
    SourceCounters,
    Status,
)
from pipeline.storage import first_error, load_model
from pipeline.venues import shipped_venues
from test_emit import (
    BIBLATEX_DOC,
    assert_quiet_biber,
    biber_datamodel_warnings,
    compile_document,
    pybtex_strict_parse,
)

TODAY = "2026-11-27"


def test_fields_come_from_their_sources_with_provenance() -> None:
    paper = listed(
        "TensorFlow: A System for ML", code_url="https://github.com/x/y", categories=["Training"]
    )
    record = dblp_record("TensorFlow - A System for ML.", doi=None)
    [merged] = merge(
        [resolved(paper, record, s2_paper("TensorFlow: a system for ML"))], None, TODAY
    )
    assert merged.title == "TensorFlow: A System for ML"
    assert merged.authors == ["Ada Lovelace", "Alan Turing"]  # homonym suffix gone
    assert merged.booktitle == "Fake Symposium 2016, Somewhere, USA"
    assert merged.publisher == "USENIX Association"
    assert (merged.citation_count, merged.abstract, merged.tldr) == (
        100,
        "[FIXTURE] An abstract.",
        "[FIXTURE] A TLDR.",
    )
    assert merged.code_url == "https://github.com/x/y" and merged.categories == ["Training"]
    assert (
        merged.provenance["title"] == "dblp"
        and merged.provenance["booktitle"] == "dblp proceedings"
    )
    assert merged.provenance["citation_count"] == "s2" and merged.provenance["code_url"] == "list"
    assert merged.status is Status.RESOLVED and merged.entry_type == "inproceedings"
    assert merged.key == "lovelace2016tensorflow"


def test_published_title_rules() -> None:
    assert (
        published_title("TensorFlow - A System.", ["TensorFlow: A System"])
        == "TensorFlow: A System"
    )
    assert (
        published_title("DB4ML - An In-Memory Kernel.", ["DB4ML - An In-Memory Kernel"])
        == "DB4ML - An In-Memory Kernel"
    )
    assert published_title("Don&apos;t Panic &amp; Carry On.", []) == "Don't Panic & Carry On"
    assert published_title("Is It Fast?", []) == "Is It Fast?"
    assert published_title("A - B.", [None, "X: B"]) == "A - B"  # the colon belongs elsewhere


def test_unresolved_paper_keeps_the_lists_data() -> None:
    paper = listed("KungFu: Making Training Adaptive", authors=["Luo Mai", "Guo Li"], year=2020)
    [merged] = merge([resolved(paper)], None, TODAY)
    assert merged.status is Status.UNRESOLVED and merged.entry_type == "misc"
    assert (merged.title, merged.authors, merged.year) == (paper.title, ["Luo Mai", "Guo Li"], 2020)
    assert merged.provenance["title"] == "list" and merged.key == "mai2020kungfu"


def test_s2_only_is_partial_and_conflicts_are_warned() -> None:
    paper = listed("Some Paper", year=2019)
    [only_s2] = merge([resolved(paper, None, s2_paper("Some Paper", year=2019))], None, TODAY)
    assert only_s2.status is Status.PARTIAL and only_s2.provenance["title"] == "s2"
    record = dblp_record("Some Paper.", year=2016)
    [conflict] = merge(
        [resolved(paper, record, s2_paper("Quite Another Title", year=2021))], None, TODAY
    )
    assert "the list says 2019, DBLP 2016" in conflict.warnings
    assert "years differ: DBLP 2016, S2 2021" in conflict.warnings
    assert any(w.startswith("titles far apart") for w in conflict.warnings)


def test_keys_are_deterministic_and_collisions_get_letters() -> None:
    assert base_key(["Martín Abadi"], 2016, "TensorFlow: A System", None) == "abadi2016tensorflow"
    assert base_key(["Paul Barham 0001"], 2016, "A Generic Thing", None) == "barham2016generic"
    assert base_key([], None, "The", "OSDI") == "osdi" + "nd" + "untitled"
    fields = {"authors": ["Jane Doe"], "year": 2020, "title": "Fast Things"}
    keys = assign_keys([("a", None, fields), ("b", None, fields), ("c", None, fields)])
    assert keys == {"a": "doe2020fast", "b": "doe2020fastb", "c": "doe2020fastc"}


def test_published_keys_never_change() -> None:
    paper = listed("Fast Things", year=2020)
    first = Catalog(
        source="x",
        papers=merge([resolved(paper, dblp_record("Fast Things.", year=2020))], None, TODAY),
    )
    assert first.papers[0].key == "lovelace2020fast"
    corrected = dblp_record("Fast Things.", year=2020, authors=["Grace Hopper"])
    newcomer = listed("Fast Things Again", year=2020, id="osdi2020-newcomer")
    again = merge(
        [
            resolved(newcomer, dblp_record("Fast Things Again.", key="conf/osdi/FAKE2", year=2020)),
            resolved(paper, corrected),
        ],
        first,
        TODAY,
    )
    keys = {p.id: p.key for p in again}
    assert keys[paper.id] == "lovelace2020fast"  # metadata changed, the key did not
    assert keys["osdi2020-newcomer"] == "lovelace2020fastb"  # the new paper does not take it


def test_a_failed_source_keeps_previous_values_marked_stale() -> None:
    paper = listed("Fast Things", year=2020)
    good = Catalog(
        source="x",
        papers=merge(
            [
                resolved(
                    paper,
                    dblp_record("Fast Things.", year=2020, doi="10.0000/fake.1"),
                    s2_paper("Fast Things"),
                )
            ],
            None,
            "2026-11-01",
        ),
    )
    failed = resolved(
        paper,
        None,
        None,
        dblp_status=FetchStatus.FAILED,
        s2_status=FetchStatus.FAILED,
        error="dblp: HTTP 503",
    )
    [kept] = merge([failed], good, TODAY)
    assert kept.status is Status.RESOLVED  # a transient error never unresolves a paper
    assert kept.dblp_key == "conf/osdi/FAKE16" and kept.doi == "10.0000/fake.1"
    assert kept.citation_count == 100 and kept.abstract == "[FIXTURE] An abstract."
    assert kept.stale["doi"].since == TODAY and kept.stale["doi"].reason.startswith("DBLP failed")
    assert kept.provenance["doi"] == "dblp (previous run)"
    [still] = merge([failed], Catalog(source="x", papers=[kept]), "2026-12-01")
    assert still.stale["doi"] == kept.stale["doi"]  # the first failure's date is kept


def test_key_surnames_skip_suffixes_and_transliterate() -> None:
    assert base_key(["Guy L. Steele Jr."], 1990, "Common Lisp", None) == "steele1990common"
    assert base_key(["Łukasz Łoś"], 2020, "Fast", None) == "los2020fast"
    assert base_key(["Søren Ærø"], 2020, "Fast", None) == "aero2020fast"


def test_a_provisional_key_gives_way_when_the_paper_resolves_and_stays_an_alias() -> None:
    paper = listed("E-RNN: Design Optimization for Efficient RNNs", venue="HPCA", year=2019)
    offline = Catalog(source="x", papers=merge([resolved(paper)], None, TODAY))
    [guess] = offline.papers
    assert guess.status is Status.UNRESOLVED and guess.key == "hpca2019ernn"  # readable
    # Still unresolved on the next run: the provisional key does not churn.
    [still] = merge([resolved(paper)], offline, TODAY)
    assert still.key == "hpca2019ernn" and still.key_aliases == []
    # Resolved: the proper author-year-word key, the old one kept as an alias.
    record = dblp_record(
        "E-RNN: Design Optimization for Efficient RNNs.", key="conf/hpca/FAKE19", year=2019
    )
    found = Catalog(
        source="x", papers=merge([resolved(paper, record, s2_paper("E-RNN"))], offline, TODAY)
    )
    [final] = found.papers
    assert final.key == "lovelace2019ernn" and final.key_aliases == ["hpca2019ernn"]
    # From now on the key is final, whatever changes; the alias stays.
    corrected = dblp_record("E-RNN.", key="conf/hpca/FAKE19", year=2019, authors=["Grace Hopper"])
    [later] = merge([resolved(paper, corrected)], found, TODAY)
    assert later.key == "lovelace2019ernn" and later.key_aliases == ["hpca2019ernn"]
    entry = render_bib(Catalog(source="x", papers=[later]))
    assert "ids = {hpca2019ernn}" in entry
    report = render_report(Catalog(source="x", papers=[final]), Snapshot.of(offline),
                           ParsedList(source="x", papers=[paper], findings=[]), {}, [])  # fmt: skip
    assert "`hpca2019ernn` -> `lovelace2019ernn`" in report and "New papers" not in report


def test_a_list_edit_is_not_a_coverage_drop() -> None:
    kept = listed("Fast Things", year=2020)
    gone = listed("Slow Things", year=2020, id="osdi2020-slow")
    record = dblp_record("Fast Things.", year=2020, doi="10.0000/fake.2")
    before = Catalog(source="x", papers=merge(
        [resolved(kept, record, s2_paper("Fast Things")),
         resolved(gone, dblp_record("Slow Things.", key="conf/osdi/FAKE3", year=2020, doi="10.0000/fake.3"),
                  s2_paper("Slow Things", paper_id="fixture-0002"))], None, TODAY))  # fmt: skip
    after = Catalog(
        source="x", papers=merge([resolved(kept, record, s2_paper("Fast Things"))], before, TODAY)
    )
    assert Snapshot.of(before).coverage_drops(Snapshot.of(after)) == []
    worse = Catalog(source="x", papers=merge([resolved(kept, record)], before, TODAY))  # S2 lost it
    drops = Snapshot.of(before).coverage_drops(Snapshot.of(worse))
    assert drops == [
        "resolved in Semantic Scholar 1 -> 0 (over the 1 papers in both runs)",
        "abstracts 1 -> 0 (over the 1 papers in both runs)",
    ]


# -- venues: labels, full names, papers DBLP lacks ---------------------------------------

VENUES = shipped_venues()
OSDI16 = (
    "12th USENIX Symposium on Operating Systems Design and Implementation, OSDI 2016, "
    "Savannah, GA, USA, November 2-4, 2016."
)  # the real DBLP proceedings record (conf/osdi/2016)


def with_proceedings(item: ResolvedPaper, title: str) -> ResolvedPaper:
    dblp = item.dblp.model_copy(update={"proceedings": proceedings(title)})
    return item.model_copy(update={"dblp": dblp})


def s2_alone(title: str, venue: str, year: int, s2_venue: str, **extra: object) -> ResolvedPaper:
    paper = listed(title, venue=venue, year=year)
    return resolved(paper, None, s2_paper(title, year=year, venue=s2_venue, **extra))


def test_s2_alone_at_the_listed_venue_and_year_is_a_conference_paper() -> None:
    sibling = with_proceedings(
        resolved(
            listed("TensorFlow: A System for Large-Scale Machine Learning"),
            dblp_record("TensorFlow: A System for Large-Scale Machine Learning."),
        ),
        OSDI16,
    )
    papers = merge(
        [
            sibling,
            s2_alone(
                "A Paper DBLP Lacks",
                "OSDI",
                2016,
                "USENIX Symposium on Operating Systems Design and Implementation",
            ),
            s2_alone("Another One", "OSDI", 2018, "OSDI"),
            s2_alone("A EuroSys Paper", "EuroSys", 2019, "European Conference on Computer Systems"),
            s2_alone("A EuroSys Paper Too", "EuroSys", 2019, "EuroSys"),
            s2_alone("A PVLDB Paper", "VLDB", 2021, "Proc. VLDB Endow."),
        ],
        None,
        TODAY,
        VENUES,
    )
    tf, lacks, osdi18, eurosys_other, eurosys, vldb = papers
    assert tf.venue_name == OSDI16.rstrip(".") and tf.venue_label == "OSDI"
    assert lacks.entry_type == "inproceedings" and lacks.status is Status.PARTIAL
    assert lacks.booktitle == OSDI16.rstrip(".") == lacks.venue_name
    assert lacks.provenance["booktitle"] == "dblp proceedings (same venue-year)"
    assert "not in DBLP" in lacks.provenance["entry_type"]
    assert "not in DBLP: bibliographic fields from Semantic Scholar" in lacks.warnings
    assert (lacks.title, lacks.authors, lacks.year) == ("A Paper DBLP Lacks", ["A. Lovelace"], 2016)
    assert osdi18.entry_type == "inproceedings"
    assert osdi18.booktitle == (
        "USENIX Symposium on Operating Systems Design and Implementation (OSDI 2018)"
    )
    assert osdi18.provenance["booktitle"] == "venue table"
    # S2's venue does not name the listed one: the list's word alone is not enough.
    assert eurosys_other.entry_type == "misc" and eurosys_other.booktitle is None
    assert any("do not confirm" in w for w in eurosys_other.warnings)
    # A venue without a full name in the table: label and year, nothing invented.
    assert eurosys.entry_type == "inproceedings" and eurosys.booktitle == "EuroSys 2019"
    assert vldb.entry_type == "article" and vldb.journal == "VLDB"


def test_s2_alone_at_another_year_or_when_dblp_failed_stays_misc() -> None:
    other_year = resolved(
        listed("Late Paper", year=2019), None, s2_paper("Late Paper", year=2020, venue="OSDI")
    )
    failed = resolved(
        listed("Unlucky Paper"),
        None,
        s2_paper("Unlucky Paper", venue="OSDI"),
        dblp_status=FetchStatus.FAILED,
        error="timeout",
    )
    nobody = resolved(listed("Nobody Knows This One", year=2019))
    late, unlucky, lonely = merge([other_year, failed, nobody], None, TODAY, VENUES)
    assert late.entry_type == "misc" and unlucky.entry_type == "misc"
    assert lonely.entry_type == "misc" and lonely.status is Status.UNRESOLVED
    # Every paper gets both venue fields the same way, resolved or not.
    assert lonely.venue_label == "OSDI"
    assert lonely.venue_name == (
        "USENIX Symposium on Operating Systems Design and Implementation (OSDI 2019)"
    )


def test_venue_labels_are_the_venue_tables() -> None:
    sigmod = resolved(
        listed("A SIGMOD Paper", venue="SIGMOD", year=2019),
        dblp_record(
            "A SIGMOD Paper.", key="conf/sigmod/FAKE19", venue="SIGMOD Conference", year=2019
        ),
    )
    atc = resolved(
        listed("An ATC Paper", venue="USENIX ATC", year=2018),
        dblp_record(
            "An ATC Paper.",
            key="conf/usenix/FAKE18",
            venue="USENIX Annual Technical Conference",
            year=2018,
        ),
        with_proceedings=False,
    )
    unknown = resolved(listed("Somewhere Else", venue="HotOS", year=2019))
    first, second, third = merge([sigmod, atc, unknown], None, TODAY, VENUES)
    assert (first.venue, first.venue_label) == ("SIGMOD Conference", "SIGMOD")
    assert (second.venue_label, second.booktitle) == ("ATC", "USENIX Annual Technical Conference")
    # DBLP's short booktitle is not a full name; the venue table's is.
    assert second.venue_name == "USENIX Annual Technical Conference (ATC 2018)"
    assert (third.venue_label, third.venue_name) == ("HotOS", "HotOS 2019")


def test_a_paper_s2_alone_knows_keeps_its_type_when_s2_fails() -> None:
    paper = listed("A Paper DBLP Lacks", year=2018)
    s2 = s2_paper("A Paper DBLP Lacks", year=2018, venue="OSDI")
    before = Catalog(
        source="x", papers=merge([resolved(paper, None, s2)], None, "2026-11-01", VENUES)
    )
    assert before.papers[0].entry_type == "inproceedings"
    failed = resolved(paper, None, None, s2_status=FetchStatus.FAILED, error="s2: HTTP 503")
    [kept] = merge([failed], before, TODAY, VENUES)
    assert (kept.entry_type, kept.booktitle) == ("inproceedings", before.papers[0].booktitle)
    assert kept.authors == ["A. Lovelace"] and kept.provenance["authors"] == "s2 (previous run)"
    mark = kept.stale["entry_type"]
    assert mark.since == TODAY and mark.reason.startswith("S2 failed")
    assert kept.status is Status.PARTIAL and kept.s2_paper_id == "fixture-0001"


def test_a_new_key_never_equals_an_alias_or_a_key_published_before() -> None:
    first = listed("E-RNN: Design Optimization for Efficient RNNs", venue="HPCA", year=2019)
    offline = Catalog(source="x", papers=merge([resolved(first)], None, TODAY))
    assert offline.papers[0].key == "hpca2019ernn"
    record = dblp_record("E-RNN: Design Optimization.", key="conf/hpca/FAKE19", year=2019)
    found = Catalog(source="x", papers=merge([resolved(first, record)], offline, TODAY))
    assert found.papers[0].key_aliases == ["hpca2019ernn"]
    # A new unresolved paper whose provisional key would be the alias gets another one.
    newcomer = listed("ERNN Revisited", venue="HPCA", year=2019, id="hpca2019-ernn-revisited")
    later = merge([resolved(first, record), resolved(newcomer)], found, TODAY)
    keys = [p.key for p in later] + [a for p in later for a in p.key_aliases]
    assert len(keys) == len(set(keys)) and later[1].key == "hpca2019ernnb"
    # Nor a key a paper the list dropped once had: a citation never changes meaning.
    again = merge([resolved(newcomer)], Catalog(source="x", papers=later), TODAY)
    assert again[0].key == "hpca2019ernnb"


def test_a_duplicated_entry_takes_neither_the_key_nor_the_alias_of_the_other() -> None:
    paper = listed("E-RNN: Design Optimization for Efficient RNNs", venue="HPCA", year=2019)
    offline = Catalog(source="x", papers=merge([resolved(paper)], None, TODAY))
    record = dblp_record(
        "E-RNN: Design Optimization for Efficient RNNs.", key="conf/hpca/FAKE19", year=2019
    )
    found = Catalog(source="x", papers=merge([resolved(paper, record)], offline, TODAY))
    twin = listed(
        "E-RNN: Design Optimization for Efficient RNNs", venue="HPCA", year=2019, id="dup", line=99
    )
    both = merge([resolved(paper, record), resolved(twin, record)], found, TODAY)
    assert both[0].key == found.papers[0].key and both[0].key_aliases == ["hpca2019ernn"]
    assert both[1].key not in {both[0].key, "hpca2019ernn"} and both[1].key_aliases == []


def test_an_arxiv_id_arxiv_showed_to_be_another_papers_is_not_published() -> None:
    paper = listed("Fast Things at Scale", year=2020)
    record = dblp_record("Fast Things at Scale.", year=2020)
    wrong = s2_paper("Fast Things at Scale", externalIds={"ArXiv": "2001.00001", "CorpusId": 1},
                     openAccessPdf={"url": "https://arxiv.org/pdf/2001.00001"})  # fmt: skip
    refusal = AbstractFinding(
        source="arxiv", status=FetchStatus.NOT_FOUND, asked="2001.00001", title="Slow Other Things",
        evidence=["arXiv 2001.00001 is titled 'Slow Other Things' (title similarity 40): " + Refusal.ANOTHER_PAPER], refused=Refusal.ANOTHER_PAPER,
    )  # fmt: skip
    item = resolved(paper, record, wrong).model_copy(update={"abstracts": [refusal]})
    [merged] = merge([item], None, TODAY)
    assert merged.arxiv_id is None and merged.open_access_pdf is None
    assert "2001.00001" not in render_bib(Catalog(source="x", papers=[merged]))


@pytest.mark.slow
@pytest.mark.latex
def test_an_entry_with_aliases_is_valid_for_biber_bibtex_and_pybtex(tmp_path: Path) -> None:
    paper = listed("E-RNN: Design Optimization for Efficient RNNs", venue="HPCA", year=2019)
    offline = Catalog(source="x", papers=merge([resolved(paper)], None, TODAY))
    record = dblp_record(
        "E-RNN: Design Optimization for Efficient RNNs.", key="conf/hpca/FAKE19", year=2019
    )
    found = Catalog(source="x", papers=merge([resolved(paper, record)], offline, TODAY))
    bib = render_bib(found)
    assert "ids = {hpca2019ernn}" in bib
    assert biber_datamodel_warnings(bib, tmp_path / "biber") == []
    assert list(pybtex_strict_parse(bib).entries) == ["lovelace2019ernn"]
    # \cite{oldkey} still finds the paper (biblatex resolves `ids`), without a warning.
    document = BIBLATEX_DOC.replace(r"\nocite{*}", r"\cite{hpca2019ernn}")
    log, bbl = compile_document(bib, tmp_path / "cite", document, "biber")
    assert_quiet_biber(log)
    assert "lovelace2019ernn" in bbl


def test_values_from_an_expired_answer_are_marked_stale_with_their_date() -> None:
    """stale-if-error: S2's expired answer was served because S2 could not be asked again."""
    fetched_at = 1_762_041_600.0  # 2025-11-02 00:00 UTC
    item = resolved(listed("Fake Paper"), dblp_record("Fake Paper"), s2_paper("Fake Paper"))
    item = item.model_copy(
        update={"s2": item.s2.model_copy(update={"expired": True, "fetched_at": fetched_at})}
    )
    [paper] = merge([item], None, TODAY)
    mark = paper.stale["citation_count"]
    assert (mark.as_of, mark.since) == ("2025-11-02", TODAY)
    assert "Semantic Scholar" in mark.reason
    assert "doi" not in paper.stale and "title" not in paper.stale  # DBLP's answer was fresh
    [again] = merge([item], Catalog(source="x", papers=[paper]), "2030-01-01")
    assert again.stale["citation_count"].since == TODAY  # how long it has been so
    fresh = item.model_copy(update={"s2": item.s2.model_copy(update={"expired": False})})
    assert merge([fresh], Catalog(source="x", papers=[paper]), "2030-01-01")[0].stale == {}


def test_a_catalog_written_before_typed_stale_marks_still_loads() -> None:
    paper = merge([resolved(listed("Fake Paper"))], None, TODAY)[0]
    legacy = paper.model_dump(mode="json", by_alias=True)
    legacy["stale"] = {"doi": f"since {TODAY}: DBLP failed (HTTP 503)"}
    mark = CatalogPaper.model_validate(legacy).stale["doi"]
    assert (mark.since, mark.reason, mark.as_of) == (TODAY, "DBLP failed (HTTP 503)", None)


@pytest.mark.parametrize(
    "published",
    ["dblp", "dblp proceedings (same venue-year)", "s2 (previous run)", "venue table",
     "s2 (not in DBLP; venue and year agree with the list) (previous run)"],
)  # fmt: skip
def test_provenance_reads_back_as_the_catalog_wrote_it(published: str) -> None:
    assert str(Provenance.read(published)) == published


def test_a_value_kept_twice_is_still_one_previous_run() -> None:
    """Two failed runs in a row: the provenance says 'previous run' once, not twice."""
    paper = listed("Fake Paper")
    good = merge([resolved(paper, dblp_record("Fake Paper"), s2_paper("Fake Paper"))], None, TODAY)
    failed = resolved(paper, dblp_status=FetchStatus.FAILED, s2_status=FetchStatus.FAILED)
    [once] = merge([failed], Catalog(source="x", papers=good), TODAY)
    [twice] = merge([failed], Catalog(source="x", papers=[once]), "2030-01-01")
    assert once.provenance["dblp_key"] == twice.provenance["dblp_key"] == "dblp (previous run)"
    assert twice.stale["dblp_key"].since == TODAY and twice.dblp_key == good[0].dblp_key


def test_the_light_previous_record_has_every_published_field_but_the_match() -> None:
    """read_previous keeps what a run reads back: CatalogPaper's fields with their types and
    defaults; of the list's entry its title, of the decisions all but their candidates."""
    full, light = CatalogPaper.model_fields, PreviousPaper.model_fields
    assert full.keys() == light.keys()
    for name in full.keys() - {"listed", "match"}:
        assert (light[name].annotation, light[name].alias) == (
            full[name].annotation,
            full[name].alias,
        ), name
        assert light[name].get_default(call_default_factory=True) == full[name].get_default(
            call_default_factory=True
        ), name
    assert light["listed"].alias == full["listed"].alias == "list"


def _merged_both_ways(items: list[ResolvedPaper], previous: Catalog) -> None:
    """merge gives the same records from the previous catalog read whole or read back light."""
    data = render_catalog(previous)
    whole = merge(items, Catalog.model_validate_json(data), TODAY)
    light = merge(items, read_previous(data, matches=needs_matches(items)), TODAY)
    assert render_catalog(Catalog(source="x", papers=light)) == render_catalog(
        Catalog(source="x", papers=whole)
    )


def test_the_previous_catalog_read_back_light_merges_as_the_whole_one() -> None:
    paper = listed("Fast Things", year=2020)
    alone = listed("Slow Things", year=2020, id="osdi2020-slow")
    unresolved = listed("E-RNN: Design Optimization for Efficient RNNs", venue="HPCA", year=2019)
    record = dblp_record("Fast Things.", year=2020, doi="10.0000/fake.1")
    first = [
        resolved(paper, record, s2_paper("Fast Things")),
        resolved(alone, None, s2_paper("Slow Things")),
        resolved(unresolved),
    ]
    previous = Catalog(source="x", papers=merge(first, None, "2026-11-01"))
    failed = dict(dblp_status=FetchStatus.FAILED, s2_status=FetchStatus.FAILED, error="HTTP 503")
    nights = [
        first,
        [resolved(p, **failed) for p in (paper, alone, unresolved)],  # type: ignore[arg-type]
        [resolved(p, dblp_status=FetchStatus.NOT_ASKED) for p in (paper, alone)],
        [resolved(unresolved, dblp_record("E-RNN.", key="conf/hpca/FAKE19", year=2019))],
    ]
    for night in nights:
        _merged_both_ways(night, previous)
        _merged_both_ways(night, Catalog(source="x", papers=merge(night, previous, TODAY)))
    assert Snapshot.of(read_previous(render_catalog(previous))) == Snapshot.of(previous)


def test_the_summary_counts_the_same_from_the_outcomes_alone() -> None:
    """emit reads resolve.json's statuses (ResolveOutcomes), not its records."""
    items = [
        resolved(listed("Fast Things"), dblp_record("Fast Things."), s2_paper("Fast Things")),
        resolved(listed("Slow Things", id="x-slow"), dblp_status=FetchStatus.FAILED),
        resolved(listed("Odd Things", id="x-odd"), s2_status=FetchStatus.FAILED),
    ]
    found = AbstractFinding(source="arxiv", status=FetchStatus.FOUND, asked="2101.00001", text="A")
    failed = AbstractFinding(source="crossref", status=FetchStatus.FAILED, asked="10.1/x")
    items[0] = items[0].model_copy(update={"abstracts": [found, failed]})
    result = ResolveResult(papers=items, counters={"dblp": SourceCounters(requests=3)})
    outline = ResolveOutcomes.model_validate_json(pydantic_core.to_json(result))
    assert ResolveSummary.of(outline) == ResolveSummary.of(result)


def test_papers_not_asked_need_the_previous_match_decisions() -> None:
    paper = listed("Fast Things", year=2020)
    previous = Catalog(
        source="x", papers=merge([resolved(paper, dblp_record("Fast Things."))], None, TODAY)
    )
    light = read_previous(render_catalog(previous))
    with pytest.raises(ValueError, match="match decisions"):
        merge([resolved(paper, dblp_status=FetchStatus.NOT_ASKED)], light, TODAY)


@pytest.mark.parametrize(
    "damage",
    ["a line that is not a number", "an entry with only its title", "an unknown key in an entry",
     "a decision with an unknown status", "an empty decision", "an unknown key in a decision"],
)  # fmt: skip
def test_a_damaged_previous_catalog_is_refused_by_the_light_read_too(damage: str) -> None:
    """Whatever the full model refuses, the light reads refuse: a damaged catalog is reported
    and set aside, never used as the baseline of keys and kept values."""
    items = [resolved(listed("Fast Things"), dblp_record("Fast Things."), s2_paper("Fast Things"))]
    data = json.loads(render_catalog(Catalog(source="x", papers=merge(items, None, TODAY))))
    paper = data["papers"][0]
    if damage == "a line that is not a number":
        paper["list"]["line"] = "twelve"
    elif damage == "an entry with only its title":
        paper["list"] = {"title": paper["list"]["title"]}
    elif damage == "an unknown key in an entry":
        paper["list"]["shelf"] = 3
    elif damage == "a decision with an unknown status":
        paper["match"]["dblp"]["status"] = "lost"
    elif damage == "an empty decision":
        paper["match"]["dblp"] = {}
    else:
        paper["match"]["dblp"]["verdict"] = "yes"
    raw = json.dumps(data)
    with pytest.raises(ValidationError):
        Catalog.model_validate_json(raw)
    for matches in (False, True):
        with pytest.raises(ValidationError):
            read_previous(raw, matches=matches)


def test_the_previous_catalog_reads_paper_by_paper_as_it_reads_whole(tmp_path: Path) -> None:
    """Our writer's layout is read paper by paper; any other layout, and a damaged file, are
    read whole: same records, same errors."""
    items = [
        resolved(listed("Fast Things"), dblp_record("Fast Things."), s2_paper("Fast Things")),
        resolved(listed("Slow Things", id="x-slow")),
    ]
    catalog = Catalog(source="x", papers=merge(items, None, TODAY))
    ours = render_catalog(catalog)
    whole = PreviousCatalog.model_validate_json(ours.decode("utf-8"))  # str: read whole
    assert PreviousCatalog.model_validate_json(ours) == whole
    compact = pydantic_core.to_json(catalog, by_alias=True)
    assert PreviousCatalog.model_validate_json(compact) == whole
    empty = render_catalog(Catalog(source="x", papers=[]))
    assert PreviousCatalog.model_validate_json(empty).papers == []
    path = tmp_path / "catalog.json"
    damaged = ours.replace(b'"status": "unresolved"', b'"status": "lost"')
    for data in (damaged, ours[: len(ours) // 2], ours.replace(b'"source"', b'"sauce"')):
        path.write_bytes(data)
        with pytest.raises(InputError) as by_paper:
            load_model(path, PreviousCatalog)
        with pytest.raises(ValidationError) as at_once:
            PreviousCatalog.model_validate_json(data.decode("utf-8"))
        assert first_error(at_once.value) in str(by_paper.value)
