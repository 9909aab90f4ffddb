"""Fake API worlds for the benchmarks: the seed list's, and synthetic lists of any size.

Every generated record is clearly fake (keys contain FAKE, DOIs start 10.0000/fake, arXiv ids
99xx.NNNNN). The fake API derives its S2, arXiv and Crossref answers from these records.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path
from typing import Any

from fakeapi import dblp_hit, write_toc
from pipeline.parse import parse_list_file
from pipeline.venues import shipped_venues

ROOT = Path(__file__).resolve().parent.parent
RECORDED = ROOT / "tests" / "fixtures" / "dblp" / "toc"
USENIX = {"OSDI", "NSDI", "ATC"}  # no DOI in DBLP: S2 needs a title match


def _record(
    key: str,
    title: str,
    year: int,
    authors: list[str],
    venue: str,
    doi: str | None,
    arxiv: str | None = None,
) -> dict[str, Any]:
    links = ([f"https://doi.org/{doi}"] if doi else []) + (
        [f"https://arxiv.org/abs/{arxiv}"] if arxiv else []
    )
    extra: dict[str, Any] = {"pages": "1-12"} | ({"doi": doi} if doi else {})
    if links:
        extra["ee"] = links[0] if len(links) == 1 else links  # DBLP: a string or a list
    return dblp_hit(key, title + ".", year, authors or ["Fake Author"], venue, **extra)


def _proceedings(stream: str, year: int, venue: str) -> dict[str, Any]:
    return dblp_hit(f"{stream}/FAKE-{year}", f"FAKE proceedings of {venue} {year}.", year, [], venue,
                    type_="Editorship", publisher="FAKE Publisher")  # fmt: skip


def seed_world(target: Path, list_path: Path = ROOT / "catalog" / "papers.md") -> Path:
    """The recorded tables of contents, plus fake ones for the listed venue-years that have
    none, so the benchmark's world is like the real one: every listed paper is in its TOC."""
    toc_dir = target / "toc"
    shutil.copytree(RECORDED, toc_dir)
    venues = shipped_venues()
    missing: dict[str, list[dict[str, Any]]] = {}
    for n, paper in enumerate(parse_list_file(list_path).papers):
        venue = venues.find(paper.venue)
        if venue is None or paper.year is None:
            continue
        toc = venue.tocs(paper.year)[0]
        name = toc.removeprefix("db/").removesuffix(".bht").replace("/", "__")
        if (RECORDED / f"{name}.json").exists():
            continue
        stream = venue.streams[0]
        hits = missing.setdefault(toc, [_proceedings(stream, paper.year, venue.name)])
        doi = None if venue.name in USENIX else f"10.0000/fake.seed.{n}"
        hits.append(
            _record(
                f"{stream}/FAKE-Seed{n}", paper.title, paper.year, paper.authors, venue.name, doi
            )
        )
    for toc, hits in missing.items():
        write_toc(toc_dir, toc, hits)
    return toc_dir


WORDS = [
    "adaptive",
    "scalable",
    "efficient",
    "distributed",
    "sparse",
    "learned",
    "elastic",
    "federated",
    "streaming",
    "secure",
    "approximate",
    "heterogeneous",
    "graph",
    "tensor",
    "pipeline",
    "cluster",
    "memory",
    "compiler",
    "accelerator",
    "serving",
    "training",
    "inference",
    "scheduling",
    "caching",
    "storage",
    "network",
]


def synthetic_world(target: Path, papers: int, seed: int = 7) -> tuple[Path, Path]:
    """A list of `papers` entries over real venues and years, and tables of contents holding
    them among other (unlisted) papers, as real proceedings do."""
    rng = random.Random(seed)
    # The venues with DBLP tables of contents (the table also names venues it knows by name only).
    venues = [v for v in shipped_venues().venues if v.toc and v.streams]
    per_toc = 60  # listed papers per venue-year; proceedings hold twice as many
    lines = ["# Synthetic list (benchmark only; every entry is fake)", ""]
    toc_dir = target / "toc"
    toc_dir.mkdir(parents=True)
    count = 0
    serial = 0  # of every record, for unique (fake) arXiv ids
    year = 2000
    while count < papers:
        for venue in venues:
            if count >= papers:
                break
            stream = venue.streams[0]
            toc = venue.tocs(year)[0]
            hits = [_proceedings(stream, year, venue.name)]
            lines += [f"### {venue.name}", "", f"#### {year}", ""]
            for i in range(2 * per_toc):
                words = rng.sample(WORDS, 6)
                title = f"Fake{count}x{i}: {' '.join(w.capitalize() for w in words)} Systems"
                authors = [
                    f"Fake Author{rng.randrange(10_000)}",
                    f"Other Person{rng.randrange(10_000)}",
                ]
                doi = None if venue.name in USENIX else f"10.0000/fake.syn.{year}.{count}.{i}"
                # A third have a preprint; 99xx ids are clearly fake (that range holds no paper).
                serial += 1
                arxiv = (
                    f"99{serial // 100_000 + 1:02d}.{serial % 100_000:05d}" if i % 3 == 0 else None
                )
                hits.append(
                    _record(
                        f"{stream}/FAKE-Syn{year}x{count}x{i}",
                        title,
                        year,
                        authors,
                        venue.name,
                        doi,
                        arxiv,
                    )
                )
                if i < per_toc and count < papers:
                    lines.append(f"{i + 1}. **{title}** {venue.name} {year}")
                    lines.append("")
                    lines.append(f"   *{', '.join(authors)}*")
                    lines.append("")
                    count += 1
            write_toc(toc_dir, toc, hits)
        year += 1
    list_path = target / "list.md"
    list_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return list_path, toc_dir


def arxiv_world(target: Path, papers: int, seed: int = 11) -> tuple[Path, Path]:
    """An arXiv-first list of `papers` entries (issue 24): a quarter listed as arXiv with year
    and authors, the rest without a venue, half without a year, half with an arxiv.org link;
    and DBLP's records for them: 60% arXiv-only papers (their CoRR record), 20% with a CoRR
    and a published record, 10% published only, 10% unknown."""
    rng = random.Random(seed)
    lines = [
        "# Synthetic arXiv-first list (benchmark only; every entry is fake)",
        "",
        "## Papers",
        "",
    ]
    hits: list[dict[str, Any]] = []
    for n in range(papers):
        title = f"Fake{n}: {' '.join(w.capitalize() for w in rng.sample(WORDS, 5))} Serving"
        authors = [f"Fake Author{rng.randrange(10_000)}", f"Other Person{rng.randrange(10_000)}"]
        year = 2023 + n % 3
        arxiv = f"99{n // 99_999 % 12 + 1:02d}.{n % 99_999 + 1:05d}"  # 99xx: no real arXiv id
        corr = dblp_hit(f"journals/corr/abs-{arxiv.replace('.', '-')}", title + ".", year,
                        authors, "CoRR", type_="Informal and Other Publications",
                        volume=f"abs/{arxiv}", ee=f"https://arxiv.org/abs/{arxiv}")  # fmt: skip
        published = _record(f"conf/mlsys/FAKE-Arx{n}", title, year + 1, authors, "MLSys",
                            f"10.0000/fake.arx.{n}")  # fmt: skip
        kind = n % 10  # 0-5 arXiv-only, 6-7 both versions, 8 published only, 9 unknown to DBLP
        hits += [corr] if kind < 6 else [corr, published] if kind < 8 else [published] * (kind < 9)
        style = n % 4
        if style == 0:
            lines.append(
                f"- [{title}](https://arxiv.org/abs/{arxiv}) - {', '.join(authors)}. arXiv {year}."
            )
        elif style == 1:
            lines.append(f"- [{title}](https://arxiv.org/abs/{arxiv})")
        elif style == 2:
            lines.append(f"- **{title}**, {year}.")
        else:
            lines.append(f"- {title}. [[paper](https://openreview.net/forum?id=FAKE{n})]")
    toc_dir = target / "toc"
    write_toc(toc_dir, "db/conf/other/FAKE-arxiv-first.bht", hits)  # searchable, never a TOC
    list_path = target / "list.md"
    list_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return list_path, toc_dir
