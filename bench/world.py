"""Fake API worlds for the benchmarks: the seed list's, and a realistic world of any size.

Every generated record is clearly fake (keys contain FAKE, DOIs start 10.0000/fake, arXiv ids
98xx and 99xx.NNNNN). The fake API derives its S2, arXiv and Crossref answers from these records.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
from dataclasses import dataclass
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


# -- a world shaped like today's ML venues, with lists that word titles their own way ---------
#
# Issue 21: the synthetic world above is kinder than the real one (listed titles equal DBLP's,
# ~120 papers per table of contents). This one has venue-years of real size (a few of
# 3,000-4,500 papers, most of 50-600) and lists that write titles as people do. Every listed
# paper carries its ground truth (the DBLP key it must match, or none), so the benchmark can
# count wrong matches and missed ones next to the time it took.

ADJECTIVES = [
    "Efficient", "Scalable", "Adaptive", "Robust", "Distributed", "Sparse", "Elastic",
    "Federated", "Secure", "Approximate", "Heterogeneous", "Dynamic", "Fast", "Accurate",
    "Lightweight", "Private", "Fair", "Interpretable", "Unified", "Automatic", "Provable",
    "Optimal", "Online", "Decentralized", "Hierarchical", "Incremental", "Asynchronous",
    "Large-Scale", "Fine-Grained", "Memory-Efficient", "Low-Latency", "Energy-Efficient",
    "Self-Supervised", "Multi-Tenant", "Fault-Tolerant", "Communication-Efficient",
]  # fmt: skip
NOUNS = [
    "Training", "Inference", "Serving", "Scheduling", "Caching", "Compilation", "Attention",
    "Transformers", "Language Models", "Diffusion Models", "Graph Neural Networks", "Agents",
    "Reinforcement Learning", "Quantization", "Pruning", "Distillation", "Retrieval",
    "Embeddings", "Tensor Programs", "Kernels", "Accelerators", "GPU Clusters", "Pipelines",
    "Checkpointing", "Parallelism", "Mixture of Experts", "Key-Value Caches", "Optimizers",
    "Gradient Descent", "Data Loading", "Vector Search", "Recommendation Models",
    "Speculative Decoding", "Low-Rank Adaptation", "Federated Learning", "Video Analytics",
    "Autotuning", "Memory Management", "Sampling", "Preemption", "Placement", "Batching",
]  # fmt: skip
DOMAINS = [
    "Edge Devices", "the Cloud", "Mobile Phones", "Datacenters", "Long Contexts",
    "Commodity Hardware", "Serverless Platforms", "Multi-GPU Servers", "Heterogeneous Clusters",
    "Spot Instances", "Shared Clusters", "Wafer-Scale Chips", "Smart NICs", "Tiny Devices",
]  # fmt: skip
PREPOSITIONS = ["for", "with", "via", "on", "through", "using"]
SYLLABLES = ["fl", "or", "ze", "hy", "pa", "tr", "qu", "sp", "me", "al", "ka", "vo", "ri",
             "no", "ex", "ca", "us", "dra", "ton", "ium", "ara", "ix", "on", "el", "ba", "lu"]  # fmt: skip
GIVEN = ["Ana", "Wei", "Raj", "Maria", "Chen", "Olga", "Kofi", "Yuki", "Lars", "Ines", "Tariq",
         "Mei", "Jonas", "Priya", "Diego", "Sara", "Hao", "Amir", "Lena", "Tomas"]  # fmt: skip

# How lists word the titles of the papers they cite (shares sum to 1). "absent": not in the
# venue-year's table of contents nor anywhere in DBLP; "twins": DBLP also holds a same-title
# CoRR preprint (a year earlier) and journal version (a year later), outside the table.
PERTURBATIONS = {
    "exact": 0.30,
    "case and punctuation": 0.10,
    "': ' for ' - '": 0.07,
    "dropped subtitle": 0.08,
    "nickname prefix": 0.08,
    "dropped nickname": 0.06,
    "one typo": 0.10,
    "reordered clause": 0.07,
    "absent": 0.07,
    "twins": 0.07,
}
BIG_TABLES = [("NeurIPS", 2024, 4500), ("NeurIPS", 2023, 3600), ("ICML", 2024, 3000)]
BIG_LISTED_SHARE = 0.06  # a list cites a few hundred papers of a NeurIPS
SMALL_TABLE = (50, 600)
SMALL_LISTED_SHARE = (0.15, 0.5)


@dataclass(frozen=True)
class Listed:
    """One listed paper of the world: where it sits in the list and what it must match."""

    line: int
    kind: str  # a PERTURBATIONS key
    listed_title: str
    dblp_key: str | None  # the right DBLP record; None: nothing in DBLP is this paper

    @property
    def s2_id(self) -> str | None:
        """The fake S2 id of the right record (tests/fakeapi.py derives it from the DBLP key)."""
        if self.dblp_key is None:
            return None
        return "fixture-" + hashlib.sha1(self.dblp_key.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class World:
    list_path: Path
    toc_dir: Path
    listed: list[Listed]
    tables: list[tuple[str, int, int]]  # (venue, year, papers in its table of contents)

    def truth(self) -> dict[int, Listed]:
        return {entry.line: entry for entry in self.listed}


@dataclass(frozen=True)
class Accuracy:
    """Decisions against the ground truth: right, wrong (matched another record, or matched
    a paper that is not there) and missed (not matched though the right record exists)."""

    right: int
    wrong: int
    missed: int
    by_kind: dict[str, tuple[int, int]]  # perturbation -> (wrong, missed)

    def __str__(self) -> str:
        return f"{self.wrong} / {self.missed}"

    def kinds(self) -> str:
        """'one typo 3 / 40, ...': the wrong and missed decisions by how the list worded it."""
        return ", ".join(
            f"{kind} {wrong} / {missed}"
            for kind, (wrong, missed) in sorted(self.by_kind.items())
            if wrong or missed
        )


class _Titles:
    """Titles in the shapes real venues publish, from a seeded generator, never twice the same."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.seen: set[str] = set()

    def nickname(self) -> str:
        rng = self.rng
        name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        return name + rng.choice(["", "", "", "-X", "2", "Net", "Serve", "DB", "Flow"])

    def surname(self) -> str:
        return "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(2, 3))).title()

    def clause(self) -> str:
        rng = self.rng
        return f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"

    def main(self, clauses: int) -> str:
        rng = self.rng
        text = f"{self.clause()} {rng.choice(NOUNS)}"
        first, second = rng.sample(PREPOSITIONS, 2)
        text += f" {first} {self.clause()}"
        if clauses == 2:
            text += f" {second} {rng.choice(DOMAINS)}"
        return text

    def new(self, shape: str) -> str:
        """shape: 'nick' (Nick: Main), 'plain' (Main), 'subtitle' (Main: Sub), 'clauses'."""
        while True:
            if shape == "nick":
                title = f"{self.nickname()}: {self.main(self.rng.randint(1, 2))}"
            elif shape == "subtitle":
                sub = f"{self.rng.choice(['Towards', 'Rethinking', 'Revisiting', 'Scaling'])} {self.clause()}"
                title = f"{self.main(2)}: {sub}"
            elif shape == "clauses":
                title = self.main(2)
            else:
                title = self.main(self.rng.randint(1, 2))
            if title not in self.seen:
                self.seen.add(title)
                return title


def _typo(title: str, rng: random.Random) -> str:
    words = title.split(" ")
    long = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
    i = rng.choice(long)
    word = words[i]
    at = rng.randrange(1, len(word) - 2)
    how = rng.randrange(4)
    if how == 0:  # swapped letters
        word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    elif how == 1:  # a letter dropped
        word = word[:at] + word[at + 1 :]
    elif how == 2:  # a letter doubled
        word = word[:at] + word[at] + word[at:]
    else:  # a neighbouring key
        word = word[:at] + ("e" if word[at] != "e" else "r") + word[at + 1 :]
    words[i] = word
    return " ".join(words)


def _case_and_punctuation(title: str, rng: random.Random) -> str:
    how = rng.randrange(4)
    if how == 0:
        return title.lower()
    if how == 1:  # sentence case, hyphens become spaces
        return title[0] + title[1:].lower().replace("-", " ")
    if how == 2:
        return title.upper() if len(title) < 40 else title.replace("-", "") + "."
    return title.replace(": ", " -- ").replace("-", " ") + "?"


def _reordered(title: str) -> str:
    """'X for Y with Z' -> 'X with Z for Y': the two trailing clauses swapped."""
    words = title.split(" ")
    cuts = [i for i, w in enumerate(words) if w in PREPOSITIONS]
    first, second = cuts[0], cuts[1]
    return " ".join(words[:first] + words[second:] + words[first:second])


def _listed_title(kind: str, canonical: str, nick: str, rng: random.Random) -> str:
    if kind == "case and punctuation":
        return _case_and_punctuation(canonical, rng)
    if kind == "': ' for ' - '":
        return canonical.replace(": ", " - ", 1)
    if kind == "dropped subtitle":
        return canonical.rsplit(": ", 1)[0]
    if kind == "nickname prefix":
        return f"{nick}: {canonical}"
    if kind == "dropped nickname":
        return canonical.split(": ", 1)[1]
    if kind == "one typo":
        return _typo(canonical, rng)
    if kind == "reordered clause":
        return _reordered(canonical)
    return canonical


SHAPE_OF = {
    "': ' for ' - '": "nick",
    "dropped subtitle": "subtitle",
    "nickname prefix": "plain",
    "dropped nickname": "nick",
    "reordered clause": "clauses",
}


# The venues of the small tables, named rather than read from the venue table: a venue added
# to the table must not change the world, or benchmark rows stop being comparable.
SMALL_VENUES = ("OSDI", "SOSP", "NSDI", "SIGMOD", "ATC", "ASPLOS", "PPoPP", "HPCA", "MICRO",
                "SC", "ISCA", "VLDB", "SIGCOMM", "ICDE", "KDD", "EuroSys", "SoCC", "MLSys", "WWW",
                "INFOCOM", "SIGIR", "ICLR")  # fmt: skip


def _tables(papers: int, rng: random.Random) -> list[tuple[str, int, int, int]]:
    """(venue, year, table size, papers listed from it) until the list holds `papers`."""
    big = BIG_TABLES[:1] if papers < 5000 else BIG_TABLES
    plan = [(v, y, size, max(1, round(size * BIG_LISTED_SHARE))) for v, y, size in big]
    slots = [(v, y) for y in range(2025, 2009, -1) for v in SMALL_VENUES]
    rng.shuffle(slots)
    for venue, year in slots:
        listed = sum(p[3] for p in plan)
        if listed >= papers:
            break
        size = rng.randint(*SMALL_TABLE)
        share = rng.uniform(*SMALL_LISTED_SHARE)
        plan.append((venue, year, size, max(1, round(size * share))))
    excess = sum(p[3] for p in plan) - papers
    while excess > 0:  # trim from the small tables' listed counts, never below one
        for i in range(len(plan) - 1, -1, -1):
            venue, year, size, listed = plan[i]
            cut = min(excess, listed - 1)
            plan[i] = (venue, year, size, listed - cut)
            excess -= cut
            if not excess:
                break
    return plan


def realistic_world(target: Path, papers: int, seed: int = 21) -> World:
    """A list of `papers` entries and the DBLP tables of contents it cites, with ground truth.

    Seeded and deterministic: the same (papers, seed) writes the same files."""
    rng = random.Random(seed)
    titles = _Titles(rng)
    venues = {v.name: v for v in shipped_venues().venues}
    kinds, weights = list(PERTURBATIONS), list(PERTURBATIONS.values())
    toc_dir = target / "toc"
    toc_dir.mkdir(parents=True)
    lines = ["# A list of ML systems papers (benchmark only; every entry is fake)", ""]
    listed: list[Listed] = []
    corr: list[dict[str, Any]] = [_proceedings("journals/corr", 2000, "CoRR")]
    journal: list[dict[str, Any]] = []
    serial = 0
    tables = _tables(papers, rng)
    for venue_name, year, size, wanted in tables:
        venue = venues[venue_name]
        stream = venue.streams[0]
        hits = [_proceedings(stream, year, venue.name)]
        lines += [f"### {venue.name}", "", f"#### {year}", ""]
        cited = set(rng.sample(range(size), wanted))
        for i in range(size):
            serial += 1
            kind = rng.choices(kinds, weights)[0] if i in cited else "exact"
            shape = SHAPE_OF.get(kind, rng.choice(["nick", "plain", "plain", "subtitle"]))
            canonical = titles.new(shape)
            authors = [f"{rng.choice(GIVEN)} {titles.surname()}" for _ in range(rng.randint(2, 6))]
            key = f"{stream}/FAKE-W{year}x{serial}"
            doi = None if venue.name in USENIX else f"10.0000/fake.world.{serial}"
            arxiv = f"98{serial // 100_000 + 1:02d}.{serial % 100_000:05d}" if i % 3 == 0 else None
            if kind != "absent":
                hits.append(_record(key, canonical, year, authors, venue.name, doi, arxiv))
            if kind == "twins":
                corr.append(_record(f"journals/corr/abs-FAKE-{serial}", canonical, year - 1,
                                    authors, "CoRR", None, arxiv))  # fmt: skip
                journal.append(_record(f"journals/tocs/FAKE-{serial}", canonical, year + 1,
                                       authors, "ACM Trans. Comput. Syst.",
                                       f"10.0000/fake.world.journal.{serial}"))  # fmt: skip
            if i not in cited:
                continue
            shown = _listed_title(kind, canonical, titles.nickname(), rng)
            lines.append(f"{len(listed) + 1}. **{shown}** {venue.name} {year}")
            listed.append(Listed(len(lines), kind, shown, None if kind == "absent" else key))
            lines += ["", f"   *{', '.join(authors)}*", ""]
        write_toc(toc_dir, venue.tocs(year)[0], hits)
    # Found by DBLP's search, never in a listed venue-year's table of contents.
    for hit in corr[1:]:
        hit["info"]["type"] = "Informal and Other Publications"
    write_toc(toc_dir, "db/journals/corr/corrFAKE.bht", corr)
    for hit in journal:
        hit["info"]["type"] = "Journal Articles"
    write_toc(toc_dir, "db/journals/tocs/tocsFAKE.bht", journal)
    list_path = target / "list.md"
    list_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return World(list_path, toc_dir, listed, [(v, y, s) for v, y, s, _ in tables])


def accuracy(world: World, catalog_path: Path, source: str) -> Accuracy:
    """Decisions of a run (its catalog.json) against the world's truth; source 'dblp' or 's2'."""
    truth = world.truth()
    papers = json.loads(catalog_path.read_text(encoding="utf-8"))["papers"]
    right = wrong = missed = 0
    by_kind: dict[str, tuple[int, int]] = {}
    for paper in papers:
        expected = truth[paper["list"]["line"]]
        wanted = expected.dblp_key if source == "dblp" else expected.s2_id
        got = paper.get("dblp_key") if source == "dblp" else paper.get("s2_paper_id")
        bad, lost = by_kind.get(expected.kind, (0, 0))
        if got == wanted:
            right += 1
        elif got is None:
            missed += 1
            by_kind[expected.kind] = (bad, lost + 1)
        else:
            wrong += 1
            by_kind[expected.kind] = (bad + 1, lost)
    missed += len(truth) - len(papers)  # an entry the parser lost is missed too
    return Accuracy(right, wrong, missed, by_kind)


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
