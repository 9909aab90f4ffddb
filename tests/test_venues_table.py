"""The shipped venue table: every label names one venue, and the labels real lists of other
fields use (surveyed in tests/fixtures/lists/README.md) find the venue they mean."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote

import pytest

from conftest import dblp_hit, settings_for, write_toc
from fakeapi import FakeApi
from pipeline.models import DblpResolution, FetchStatus, Method
from pipeline.parse import parse_list
from pipeline.resolve import resolve
from pipeline.run import open_clients
from pipeline.text import venue_key
from pipeline.venues import shipped_venues

VENUES = shipped_venues()


def test_no_label_names_two_venues() -> None:
    """An alias shared by two venues would silently resolve to whichever was read first."""
    owners: dict[str, set[str]] = defaultdict(set)
    for venue in VENUES.venues:
        for label in [venue.name, *venue.aliases]:
            owners[venue_key(label)].add(venue.name)
    shared = {key: names for key, names in owners.items() if len(names) > 1}
    assert shared == {}


def test_no_venue_name_is_written_twice() -> None:
    """Two shipped entries of one name merge field by field: a venue moved from
    venue-names.toml to venues.toml must leave the first file."""
    names = [venue_key(v.name) for v in VENUES.venues]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    ("label", "canonical"),
    [
        # databases, software engineering and testing
        ("CIDR", "CIDR"),
        ("ISSTA", "ISSTA"),
        ("ACM SIGSOFT ISSTA", "ISSTA"),
        ("ESEC/FSE", "FSE"),
        ("ICSE", "ICSE"),
        ("MSR", "MSR"),
        ("TOSEM", "TOSEM"),
        ("IEEE TSE", "TSE"),
        ("PODS", "PODS"),
        # robotics
        ("CORL", "CoRL"),
        ("RA-L", "RA-L"),
        ("IEEE Robotics Autom. Lett.", "RA-L"),
        ("IROS", "IROS"),
        ("ICRA", "ICRA"),
        ("RSS", "RSS"),
        # HCI
        ("CHI", "CHI"),
        ("UIST", "UIST"),
        ("Ubicomp", "IMWUT"),
        ("CSCW", "CSCW"),
        # security
        ("AsiaCCS", "AsiaCCS"),
        ("IEEE EuroS&P", "EuroS&P"),
        ("IEEE S&P", "S&P"),
        ("RAID", "RAID"),
        # theory, architecture, networking, HPC
        ("STOC", "STOC"),
        ("ITCS", "ITCS"),
        ("IEEE Micro", "IEEE Micro"),
        ("MICRO", "MICRO"),
        ("IMC", "IMC"),
        ("Euro-Par", "Euro-Par"),
    ],
)
def test_a_label_of_another_field_finds_its_venue(label: str, canonical: str) -> None:
    assert VENUES.canonical(label) == canonical


@pytest.mark.parametrize(
    ("label", "year", "tocs"),
    [
        ("ISSTA", 2024, ["db/conf/issta/issta2024.bht"]),
        # from 2025 ISSTA's research papers are an issue of the journal PACMSE (volume 2)
        ("ISSTA", 2025, ["db/journals/pacmse/pacmse2.bht", "db/conf/issta/issta2025c.bht"]),
        ("FSE", 2023, ["db/conf/sigsoft/fse2023.bht"]),
        ("FSE", 2024, ["db/journals/pacmse/pacmse1.bht"]),
        ("ICSE", 2025, ["db/conf/icse/icse2025.bht"]),
        ("ASE", 2024, ["db/conf/kbse/ase2024.bht"]),
        ("RA-L", 2025, ["db/journals/ral/ral10.bht"]),
        ("UbiComp", 2024, ["db/journals/imwut/imwut8.bht"]),
        ("CoRL", 2022, ["db/conf/corl/corl2022.bht"]),
        ("CIDR", 2025, []),  # known by name only: found by title search
        # AI: one table a year, AAAI's many issues included
        ("AAAI", 2020, ["db/conf/aaai/aaai2020.bht"]),
        ("AAAI Conference on Artificial Intelligence", 2025, ["db/conf/aaai/aaai2025.bht"]),
        ("IJCAI", 2020, ["db/conf/ijcai/ijcai2020.bht"]),
        ("IJCAI", 2024, ["db/conf/ijcai/ijcai2024.bht"]),
        # computer vision; ECCV's many LNCS volumes stay searched by title
        ("CVPR", 2021, ["db/conf/cvpr/cvpr2021.bht"]),
        ("CVPR", 2025, ["db/conf/cvpr/cvpr2025.bht"]),
        ("ICCV", 2023, ["db/conf/iccv/iccv2023.bht"]),
        ("ECCV", 2024, []),
        ("AISTATS", 2022, ["db/conf/aistats/aistats2022.bht"]),
        ("UAI", 2024, []),  # no DBLP page name seen: searched by title
        ("ACM MM", 2024, ["db/conf/mm/mm2024.bht"]),
        ("ACM Multimedia", 2022, ["db/conf/mm/mm2022.bht"]),
        # security; ACM CCS 2004 and 2006 have names of their own (ccs2006 is AsiaCCS)
        ("IEEE S&P", 2025, ["db/conf/sp/sp2025.bht"]),
        ("Oakland", 2019, ["db/conf/sp/sp2019.bht"]),
        ("USENIX Sec", 2023, ["db/conf/uss/uss2023.bht"]),
        ("NDSS", 2025, ["db/conf/ndss/ndss2025.bht"]),
        ("ACM CCS", 2003, ["db/conf/ccs/ccs2003.bht"]),
        ("ACM CCS", 2004, ["db/conf/ccs/ccs2004p.bht"]),
        ("ACM CCS", 2005, ["db/conf/ccs/ccs2005.bht"]),
        ("CCS", 2006, ["db/conf/ccs/ccs2006usa.bht"]),
        ("CCS", 2007, ["db/conf/ccs/ccs2007.bht"]),
        ("CCS", 2024, ["db/conf/ccs/ccs2024.bht"]),
        ("USENIX FAST", 2016, ["db/conf/fast/fast2016.bht"]),
        ("Middleware", 2022, []),  # known by name only: searched by title
    ],
)
def test_tables_of_contents_of_the_added_venues(label: str, year: int, tocs: list[str]) -> None:
    venue = VENUES.find(label)
    assert venue is not None
    assert venue.tocs(year) == tocs


def test_workshops_of_other_fields_are_marked() -> None:
    assert [VENUES.find(w).workshop for w in ("WOOT", "ICLR Workshop")] == [True, True]  # type: ignore[union-attr]
    assert not VENUES.find("ISSTA").workshop  # type: ignore[union-attr]


def test_labels_of_other_fields_in_a_list_become_canonical_venues() -> None:
    parsed = parse_list(
        [
            "- [A Fuzzer That Tests Compilers Well](https://arxiv.org/abs/2401.00001) ISSTA 2024",
            "- [A Notebook Engine for Innovative Data](https://cidrdb.org/p.pdf) (CIDR 2025)",
            '- **Policy**: "Learning to Grasp Anything in Clutter", *CORL 2023*.',
            "- [Vital Signs from Wearable Earbuds](https://doi.org/10.1145/1) Ubicomp 2025",
        ],
        source="snippet.md",
    )
    assert [(p.venue, p.year) for p in parsed.papers] == [
        ("ISSTA", 2024),
        ("CIDR", 2025),
        ("CoRL", 2023),
        ("IMWUT", 2025),
    ]


def _resolve_dblp(api: FakeApi, tmp_path: Path, lines: list[str]) -> dict[str, DblpResolution]:
    papers = parse_list(lines, source="snippet.md").papers
    clients, cache = open_clients(settings_for(api, tmp_path))
    try:
        return {r.paper.title: r.dblp for r in resolve(papers, VENUES, {}, clients)}
    finally:
        cache.close()


def _tables_asked(api: FakeApi) -> list[str]:
    paths = [unquote(path) for _, _, path in api.requests("dblp")]
    return [p.split("q=toc:", 1)[1].split(":", 1)[0] for p in paths if "q=toc:" in p]


def test_a_venue_moved_to_the_table_fetches_its_year_and_searches_what_the_table_lacks(
    tmp_path: Path,
) -> None:
    """AAAI left venue-names.toml: its papers are matched in the year's table of contents, and
    a paper that table lacks (a partial or late table) is searched by title, never declared
    missing for not being in it."""
    tocs = tmp_path / "tocs"
    write_toc(tocs, "db/conf/aaai/aaai2024.bht", [
        dblp_hit("conf/aaai/FAKE-InToc24", "Federated Widgets in the Table.", 2024, ["Ada Lovelace"], "AAAI"),
        dblp_hit("conf/aaai/FAKE-Other24", "An Unrelated Planning Paper.", 2024, ["Nobody"], "AAAI"),
    ])  # fmt: skip
    write_toc(tocs, "db/conf/other/FAKE-searchable.bht", [  # searchable, in no AAAI table
        dblp_hit("conf/aaai/FAKE-Late24", "Federated Widgets Added Later.", 2024, ["Alan Turing"], "AAAI"),
    ])  # fmt: skip
    api = FakeApi(toc_dir=tocs).start()
    try:
        found = _resolve_dblp(api, tmp_path, [
            "1. **Federated Widgets in the Table** AAAI 2024",
            "2. **Federated Widgets Added Later** AAAI 2024",
        ])  # fmt: skip
        asked = _tables_asked(api)
    finally:
        api.stop()
    assert asked == ["db/conf/aaai/aaai2024.bht"]
    in_toc, later = found["Federated Widgets in the Table"], found["Federated Widgets Added Later"]
    assert (in_toc.record.key if in_toc.record else None, in_toc.method) == (
        "conf/aaai/FAKE-InToc24",
        Method.TOC_EXACT,
    )
    assert later.status is FetchStatus.FOUND and later.method is Method.SEARCH
    assert later.record is not None and later.record.key == "conf/aaai/FAKE-Late24"
