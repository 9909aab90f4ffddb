"""An adversarial list of real titles: the papers of the recorded tables of contents
(tests/fixtures/dblp/toc/, CC0) worded the ways lists word them, and near-misses that are no
paper at all, each entry with its ground truth.

bench/realtitles.py runs the whole list through the pipeline; tests/test_accuracy.py resolves
the first few entries of each form. Each form draws from its own seeded generator: adding a
form leaves the other forms' entries as they were, and the first k entries of a form are the
same whatever count is asked. A negative is never a recorded title (compared after
normalisation, spaces dropped too), so accepting anything for it is wrong. The list carries
titles, venues, years and the recorded author names only: never a DOI or a key.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cache
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

from pipeline.models import FetchStatus, ResolvedPaper
from pipeline.sources.dblp import decode_search
from pipeline.text import normalize_title, strip_homonym

RECORDED = Path(__file__).resolve().parent / "fixtures" / "dblp" / "toc"
SEED = 20261
# DBLP stream -> the label a list gives the venue.
LABELS = {
    "osdi": "OSDI",
    "sosp": "SOSP",
    "nsdi": "NSDI",
    "sigmod": "SIGMOD",
    "usenix": "USENIX ATC",
}
SIBLING = {"OSDI": "SOSP", "SOSP": "OSDI", "NSDI": "USENIX ATC", "USENIX ATC": "NSDI"}
STOP = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the",
        "to", "with", "via", "using", "over", "towards", "toward", "under", "without", "through"}  # fmt: skip


@dataclass(frozen=True)
class Paper:
    """A recorded paper, titled as the paper writes it (DBLP's old ' - ' back to ': ')."""

    key: str
    title: str
    venue: str
    year: int
    authors: tuple[str, ...]


@dataclass(frozen=True)
class Entry:
    """One listed paper and the truth about it: `key` is the recorded paper it means; None
    means no paper (a negative: nothing may be accepted for it)."""

    title: str
    venue: str | None
    year: int | None
    key: str | None
    authors: tuple[str, ...] = ()
    form: str = ""


def _compact(title: str) -> str:
    """Coarser than the pipeline's comparison form: 'Data Distributions' = 'DataDistributions'."""
    return normalize_title(title).replace(" ", "")


@dataclass(frozen=True)
class Tables:
    """The papers the list rewords, and every recorded title, to tell a near-miss from a paper."""

    papers: list[Paper]  # the five venues' papers, in file order
    by_venue_year: dict[tuple[str, int], list[Paper]]
    keys_by_title: dict[str, frozenset[str]]  # every recorded record, by _compact(title)
    title_of: dict[str, str]  # key -> title

    def keys_titled(self, title: str) -> frozenset[str]:
        return self.keys_by_title.get(_compact(title), frozenset())

    def same_paper(self, key: str) -> frozenset[str]:
        """`key` and the records of the same title (USENIX ATC reprints NSDI and OSDI papers)."""
        return self.keys_titled(self.title_of[key])


@cache
def load_tables(toc_dir: Path = RECORDED) -> Tables:
    """Every recorded table of contents, read by the pipeline's own decoder."""
    papers: list[Paper] = []
    keys: dict[str, set[str]] = {}
    title_of: dict[str, str] = {}
    for path in sorted(toc_dir.glob("*.json")):
        payload = json.loads(path.read_text(encoding="utf-8"))
        for record in decode_search(payload).records:
            if record.type == "Editorship":
                continue
            title = re.sub(r"\s+-\s+", ": ", record.title, count=1).rstrip(".")
            keys.setdefault(_compact(title), set()).add(record.key)
            title_of[record.key] = title
            stream = record.key.split("/")[1]
            if stream in LABELS and record.year is not None:
                authors = tuple(strip_homonym(a) for a in record.authors)
                papers.append(Paper(record.key, title, LABELS[stream], record.year, authors))
    by_venue_year: dict[tuple[str, int], list[Paper]] = {}
    for paper in papers:
        by_venue_year.setdefault((paper.venue, paper.year), []).append(paper)
    frozen = {title: frozenset(found) for title, found in keys.items()}
    return Tables(papers, by_venue_year, frozen, title_of)


# -- how titles get reworded ---------------------------------------------------------------


def _split(title: str) -> tuple[str, str] | None:
    head, sep, tail = title.partition(": ")
    return (head, tail) if sep else None


def _bare(word: str) -> str:
    return re.sub(r"\W", "", word)


def _named(tables: Tables, min_sub_words: int = 3) -> list[Paper]:
    """Papers titled 'Name: Subtitle' with a name of at most three words."""
    return [
        p
        for p in tables.papers
        if (parts := _split(p.title))
        and len(parts[0].split()) <= 3
        and len(parts[1].split()) >= min_sub_words
    ]


def _typo(title: str, rng: random.Random) -> str:
    """A letter changed, swapped, dropped or doubled inside a word of five letters or more."""
    words = title.split()
    i = rng.choice([i for i, w in enumerate(words) if len(_bare(w)) >= 5])
    word = words[i]
    letters = [j for j, c in enumerate(word) if c.isalpha()]
    j = rng.choice(letters[1:-1] or letters)
    how = rng.choice(["change", "swap", "drop", "double"])
    if how == "change":
        word = word[:j] + rng.choice("aeiourstnl".replace(word[j].lower(), "")) + word[j + 1 :]
    elif how == "swap" and j + 1 < len(word) and word[j + 1].isalpha():
        word = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
    elif how == "drop":
        word = word[:j] + word[j + 1 :]
    else:
        word = word[:j] + word[j] + word[j:]
    words[i] = word
    return " ".join(words)


def _typo_in_short_word(title: str, rng: random.Random) -> str | None:
    """Two letters swapped or one dropped in a word of three or four letters (a name, often)."""
    words = title.split()
    short = [
        i
        for i, w in enumerate(words)
        if 3 <= len(_bare(w)) <= 4 and _bare(w).isalpha() and _bare(w).lower() not in STOP
    ]
    if not short:
        return None
    i = rng.choice(short)
    word = words[i]
    j = rng.choice([j for j, c in enumerate(word) if c.isalpha()][:-1])
    if rng.random() < 0.5:
        words[i] = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
    else:
        words[i] = word[:j] + word[j + 1 :]
    return " ".join(words)


def _reordered(title: str, rng: random.Random) -> str:
    """'X and Y' as 'Y and X', the subtitle first, or two neighbouring words swapped."""
    pair = re.search(r"(\b[\w-]+) and ([\w-]+\b)", title)
    if pair and pair.group(1).lower() not in STOP and pair.group(2).lower() not in STOP:
        return f"{title[: pair.start()]}{pair.group(2)} and {pair.group(1)}{title[pair.end() :]}"
    parts = _split(title)
    if parts and rng.random() < 0.5:
        return f"{parts[1]} ({parts[0]})" if rng.random() < 0.5 else f"{parts[1]}: {parts[0]}"
    words = title.split()
    swappable = [
        i
        for i in range(len(words) - 1)
        if words[i].lower() not in STOP and words[i + 1].lower() not in STOP and ":" not in words[i]
    ]
    if not swappable:
        return title
    i = rng.choice(swappable)
    words[i], words[i + 1] = words[i + 1], words[i]
    return " ".join(words)


def _reworded(title: str, new: str) -> str | None:
    """`new`, if its words differ from the title's (a swap of two like letters does not)."""
    return new if normalize_title(new) != normalize_title(title) else None


def _case_and_punctuation(title: str, rng: random.Random) -> str:
    how = rng.choice(["lower", "capitalised", "no punctuation", "no hyphens", "quoted", "period"])
    if how == "lower":
        return title.lower()
    if how == "capitalised":
        return " ".join(w[:1].upper() + w[1:].lower() for w in title.split())
    if how == "no punctuation":
        return re.sub(r"[^\w\s]", " ", title)
    if how == "no hyphens":
        return title.replace("-", "" if rng.random() < 0.5 else " ")
    if how == "quoted":
        return f"'{title}'" if rng.random() < 0.5 else title.replace(": ", " -- ", 1)
    return title + "."


def _without_a_word(title: str, rng: random.Random) -> str:
    words = title.split()
    content = [
        i for i, w in enumerate(words) if i > 0 and w.lower() not in STOP and not w.endswith(":")
    ]
    del words[rng.choice(content)]
    return " ".join(words)


ADDED = ["Byzantine", "Private", "Approximate", "Federated", "Encrypted", "Quantum", "Spatial",
         "Temporal", "Probabilistic", "Multi-Tenant", "Verifiable", "Incremental"]  # fmt: skip


def _with_a_word(title: str, rng: random.Random) -> str:
    """A qualifier put before a content word: another, narrower paper."""
    words = title.split()
    spots = [
        i
        for i, w in enumerate(words)
        if i > 0 and w.lower() not in STOP and ":" not in words[i - 1]
    ]
    words.insert(rng.choice(spots) if spots else len(words) - 1, rng.choice(ADDED))
    return " ".join(words)


# One word for its opposite, or for its counterpart: the title then says another thing.
FLIP = {"fast": "slow", "efficient": "inefficient", "distributed": "centralized",
        "online": "offline", "static": "dynamic", "dynamic": "static", "private": "public",
        "secure": "insecure", "low": "high", "high": "low", "large": "small", "small": "large",
        "parallel": "sequential", "approximate": "exact", "exact": "approximate",
        "consistent": "inconsistent", "local": "global", "global": "local", "read": "write",
        "write": "read", "hardware": "software", "software": "hardware",
        "centralized": "decentralized", "synchronous": "asynchronous",
        "asynchronous": "synchronous", "training": "inference", "inference": "training",
        "with": "without", "without": "with", "upper": "lower", "lower": "upper",
        "cpu": "gpu", "gpus": "cpus", "gpu": "cpu", "wireless": "wired", "streaming": "batch",
        "increasing": "decreasing", "more": "less", "less": "more", "is": "is not",
        "can": "cannot", "optimal": "suboptimal", "always": "never", "safe": "unsafe",
        "reliable": "unreliable", "scalable": "unscalable", "lossless": "lossy",
        "supervised": "unsupervised", "deterministic": "nondeterministic",
        "trusted": "untrusted", "structured": "unstructured", "sparse": "dense", "dense": "sparse",
        "latency": "throughput", "throughput": "latency", "memory": "disk", "disk": "memory"}  # fmt: skip


def _flipped(title: str, rng: random.Random) -> str | None:
    words = title.split()
    spots = [i for i, w in enumerate(words) if _bare(w).lower() in FLIP]
    if not spots:
        return None
    i = rng.choice(spots)
    core = _bare(words[i])
    new = FLIP[core.lower()]
    if new == "is not":
        new = f"{core} {'Not' if core[0].isupper() else 'not'}"
    elif core[0].isupper():
        new = new[0].upper() + new[1:]
    words[i] = words[i].replace(core, new)
    return " ".join(words)


NEGATION = re.compile(r"\b(not|no|without|never|can't|cannot)\b", re.I)


def _without_negation(title: str) -> str | None:
    """'X Is Not Y' as 'X Is Y', 'without' as 'with', "can't" as 'can'."""
    found = NEGATION.search(title)
    if found is None:
        return None
    word = found.group(1)
    kept = {"without": "with", "can't": "can", "cannot": "can"}.get(word.lower(), "")
    if kept and word[0].isupper():
        kept = kept.capitalize()
    return " ".join(f"{title[: found.start()]}{kept}{title[found.end() :]}".split())


NUMBER = re.compile(r"\b(\d+|one|two|three|four|first|second|ten)\b", re.I)
NEXT_NUMBER = {"one": "two", "two": "three", "three": "four", "four": "five", "first": "second",
               "second": "third", "ten": "eleven"}  # fmt: skip


def _next_number(title: str) -> str | None:
    found = NUMBER.search(title)
    if found is None:
        return None
    word = found.group(1)
    new = str(int(word) + 1) if word.isdigit() else NEXT_NUMBER[word.lower()]
    if word[0].isupper():
        new = new.capitalize()
    return f"{title[: found.start()]}{new}{title[found.end() :]}"


# Invented papers' subtitles and system names: none is a recorded paper's. Generic titles:
# none is a recorded title (one is a recorded paper's name: generic_title keeps it apart).
SUBTITLES = [
    "Efficient Query Processing over Encrypted Data", "A System for Scalable Stream Analytics",
    "Fast Recovery for In-Memory Key-Value Stores", "Learning to Schedule Serverless Functions",
    "Verifying Network Configurations at Scale", "Practical Byzantine Fault Tolerance for the Cloud",
    "Adaptive Indexing for Main-Memory Databases", "Low-Latency Inference on Edge Devices",
    "Energy-Efficient Scheduling for Mobile Devices", "Automatic Tuning of Database Knobs",
    "Exploiting Persistent Memory for Graph Analytics", "Secure Aggregation for Federated Learning",
    "A Distributed Storage System for Structured Data", "Scalable Consensus in Wide-Area Networks",
    "Compressing Time Series with Learned Models", "Transparent Checkpointing for GPU Workloads",
]  # fmt: skip
NAMES = ["Zephyr", "Quokka", "Marlin", "Tundra", "Osprey", "Kestrel", "Nimbus", "Basalt",
         "Cobalt", "Juniper", "Walrus", "Helix", "Lynx", "Pelican", "Sable", "Vortex"]  # fmt: skip
GENERIC = ["Serverless Computing", "Graph Processing", "Query Optimization", "Learned Indexes",
           "Data Cleaning", "Stream Processing", "Consensus", "Distributed Transactions",
           "Network Verification", "Congestion Control", "Key-Value Stores", "Entity Resolution",
           "Persistent Memory", "Load Balancing", "Cardinality Estimation", "Data Lakes",
           "Machine Learning", "Crash Consistency", "Tail Latency", "Blockchain Databases"]  # fmt: skip


# -- the forms: each yields candidate entries from its own shuffled pool ----------------------

Build = Callable[[Tables, random.Random], Iterator[Entry | None]]
T = TypeVar("T")


def _shuffled(pool: list[T], rng: random.Random) -> list[T]:
    pool = list(pool)
    rng.shuffle(pool)
    return pool


def _listed(paper: Paper, title: str | None, meant: bool = True, **changes: Any) -> Entry | None:
    """`title` listed at the paper's venue-year (or as `changes` say), meaning the paper, or
    with `meant` False no paper (a near-miss of this one); None when the form does not apply."""
    if title is None:
        return None
    return replace(Entry(title, paper.venue, paper.year, paper.key if meant else None), **changes)


def exact(t: Tables, rng: random.Random) -> Iterator[Entry | None]:
    for p in _shuffled(t.papers, rng):
        yield _listed(p, p.title)


def one_typo(t: Tables, rng: random.Random) -> Iterator[Entry | None]:
    for p in _shuffled([p for p in t.papers if len(p.title.split()) >= 4], rng):
        yield _listed(p, _reworded(p.title, _typo(p.title, rng)))


def subtitle_dropped(t: Tables, rng: random.Random) -> Iterator[Entry | None]:
    pool = [p for p in t.papers if (parts := _split(p.title)) and len(parts[0].split()) >= 2]
    for p in _shuffled(pool, rng):
        yield _listed(p, p.title.partition(": ")[0])


def name_dropped(t: Tables, rng: random.Random) -> Iterator[Entry | None]:
    for p in _shuffled(_named(t), rng):
        yield _listed(p, p.title.partition(": ")[2])


def words_reordered(t: Tables, rng: random.Random) -> Iterator[Entry | None]:
    for p in _shuffled(t.papers, rng):
        yield _listed(p, _reworded(p.title, _reordered(p.title, rng)))


def case_and_punctuation(t: Tables, rng: random.Random) -> Iterator[Entry | None]:
    for p in _shuffled(t.papers, rng):
        yield _listed(p, _case_and_punctuation(p.title, rng))


def dash_for_colon(t: Tables, rng: random.Random) -> Iterator[Entry | None]:
    for p in _shuffled([p for p in t.papers if _split(p.title)], rng):
        yield _listed(p, p.title.replace(": ", " - ", 1))


def year_off_by_one(t: Tables, rng: random.Random) -> Iterator[Entry | None]:
    """Preferably a year whose table of contents is recorded: a table that lacks the paper."""
    for p in _shuffled(t.papers, rng):
        delta = rng.choice([-1, 1])
        tables = t.by_venue_year
        if (p.venue, p.year + delta) not in tables and (p.venue, p.year - delta) in tables:
            delta = -delta
        yield _listed(p, p.title, year=p.year + delta)


def sibling_venue(t: Tables, rng: random.Random) -> Iterator[Entry | None]:
    """OSDI for SOSP, NSDI for USENIX ATC and back, the same year."""
    for p in _shuffled([p for p in t.papers if p.venue in SIBLING], rng):
        yield _listed(p, p.title, venue=SIBLING[p.venue])


def name_alone(t: Tables, rng: random.Random) -> Iterator[Entry | None]:
    """'Name' for 'Name: Subtitle', where no other paper of the venue-year has that name."""
    for p in _shuffled(
        [p for p in t.papers if (s := _split(p.title)) and len(s[0].split()) <= 3], rng
    ):
        name = p.title.partition(": ")[0]
        namesakes = [
            o
            for o in t.by_venue_year[p.venue, p.year]
            if _compact(o.title.partition(": ")[0]) == _compact(name)
        ]
        if len(namesakes) == 1:
            yield _listed(p, name)


def typo_in_short_word(t: Tables, rng: random.Random) -> Iterator[Entry | None]:
    for p in _shuffled(t.papers, rng):
        yield _listed(p, _typo_in_short_word(p.title, rng))


def word_dropped(t: Tables, rng: random.Random) -> Iterator[Entry | None]:
    for p in _shuffled([p for p in t.papers if len(p.title.split()) >= 6], rng):
        yield _listed(p, _without_a_word(p.title, rng))


def name_put_before(t: Tables, rng: random.Random) -> Iterator[Entry | None]:
    """An invented system name before a title that has none (lists add the system's name)."""
    for p in _shuffled([p for p in t.papers if not _split(p.title)], rng):
        yield _listed(p, f"{rng.choice(NAMES)}: {p.title}")


def at_a_namesakes_venue_year(t: Tables, rng: random.Random) -> Iterator[Entry | None]:
    """A paper listed at the venue-year of another paper with the same system name."""
    by_name: dict[str, list[Paper]] = {}
    for p in t.papers:
        if parts := _split(p.title):
            by_name.setdefault(_compact(parts[0]), []).append(p)
    for name in _shuffled(sorted(by_name), rng):
        pairs = [
            (a, b)
            for a in by_name[name]
            for b in by_name[name]
            if _compact(a.title) != _compact(b.title) and (a.venue, a.year) != (b.venue, b.year)
        ]
        if pairs:
            listed_at, paper = rng.choice(pairs)
            yield _listed(paper, paper.title, venue=listed_at.venue, year=listed_at.year)


def no_venue(t: Tables, rng: random.Random) -> Iterator[Entry | None]:
    """The exact title with its first authors and nothing else: the stricter bar."""
    for p in _shuffled(t.papers, rng):
        yield _listed(p, p.title, venue=None, year=None, authors=p.authors[:3])


# Negatives: nothing recorded is the listed paper.


def generic_title(t: Tables, rng: random.Random) -> Iterator[Entry | None]:
    """A topic for a title, at a venue-year where no paper is named so ('Data Cleaning' at
    the venue-year of 'Data Cleaning: ...' would be that paper, its subtitle dropped)."""
    for title in rng.sample(GENERIC, len(GENERIC)):
        venue_years = [
            where
            for where, papers in sorted(t.by_venue_year.items())
            if all(_compact(p.title.partition(": ")[0]) != _compact(title) for p in papers)
        ]
        venue, year = rng.choice(venue_years)
        yield Entry(title, venue, year, key=None)


def name_with_invented_subtitle(t: Tables, rng: random.Random) -> Iterator[Entry | None]:
    for p in _shuffled(_named(t), rng):
        yield _listed(p, f"{p.title.partition(': ')[0]}: {rng.choice(SUBTITLES)}", meant=False)


def name_with_invented_subtitle_and_authors(
    t: Tables, rng: random.Random
) -> Iterator[Entry | None]:
    """The same group's follow-up paper: the same name and people, another subtitle."""
    for p in _shuffled(_named(t), rng):
        title = f"{p.title.partition(': ')[0]}: {rng.choice(SUBTITLES)}"
        yield _listed(p, title, meant=False, authors=p.authors[:4])


def one_word_flipped(t: Tables, rng: random.Random) -> Iterator[Entry | None]:
    for p in _shuffled(t.papers, rng):
        yield _listed(p, _flipped(p.title, rng), meant=False)


def name_with_anothers_subtitle(t: Tables, rng: random.Random) -> Iterator[Entry | None]:
    """A paper's name before the subtitle of another paper of its venue-year."""
    for p in _shuffled(_named(t), rng):
        others = [o for o in t.by_venue_year[p.venue, p.year] if o is not p and _split(o.title)]
        other = rng.choice(others)
        yield _listed(
            p, f"{p.title.partition(': ')[0]}: {other.title.partition(': ')[2]}", meant=False
        )


def invented_name_with_subtitle(t: Tables, rng: random.Random) -> Iterator[Entry | None]:
    """Another system described alike: an invented name before a paper's subtitle."""
    for p in _shuffled(_named(t, min_sub_words=4), rng):
        yield _listed(p, f"{rng.choice(NAMES)}: {p.title.partition(': ')[2]}", meant=False)


def word_added(t: Tables, rng: random.Random) -> Iterator[Entry | None]:
    for p in _shuffled([p for p in t.papers if len(p.title.split()) >= 5], rng):
        yield _listed(p, _with_a_word(p.title, rng), meant=False)


def no_venue_invented_subtitle(t: Tables, rng: random.Random) -> Iterator[Entry | None]:
    for p in _shuffled(_named(t), rng):
        title = f"{p.title.partition(': ')[0]}: {rng.choice(SUBTITLES)}"
        yield _listed(p, title, meant=False, venue=None, year=None, authors=p.authors[:3])


def one_word_flipped_year_off(t: Tables, rng: random.Random) -> Iterator[Entry | None]:
    """Listed a year late: no table of contents holds it, DBLP's and S2's searches are asked."""
    for p in _shuffled(t.papers, rng):
        yield _listed(p, _flipped(p.title, rng), meant=False, year=p.year + 1)


def negation_dropped(t: Tables, rng: random.Random) -> Iterator[Entry | None]:
    for p in _shuffled(t.papers, rng):
        yield _listed(p, _without_negation(p.title), meant=False)


def number_changed(t: Tables, rng: random.Random) -> Iterator[Entry | None]:
    for p in _shuffled(t.papers, rng):
        yield _listed(p, _next_number(p.title), meant=False)


def word_added_year_off(t: Tables, rng: random.Random) -> Iterator[Entry | None]:
    for p in _shuffled([p for p in t.papers if len(p.title.split()) >= 5], rng):
        yield _listed(p, _with_a_word(p.title, rng), meant=False, year=p.year + 1)


@dataclass(frozen=True)
class Form:
    """A way lists word a paper's title, or (negative) a near-miss that is no paper; `build`
    yields candidates, None where the form does not apply to a paper."""

    name: str
    count: int  # entries in the full list
    build: Build
    negative: bool = False


FORMS = [
    Form("exact title", 20, exact),
    Form("one typo", 30, one_typo),
    Form("subtitle dropped", 25, subtitle_dropped),
    Form("system name dropped", 30, name_dropped),
    Form("words reordered", 45, words_reordered),
    Form("case and punctuation", 25, case_and_punctuation),
    Form("' - ' for ': '", 20, dash_for_colon),
    Form("year off by one", 30, year_off_by_one),
    Form("sibling venue", 30, sibling_venue),
    Form("system name alone", 30, name_alone),
    Form("typo in a short word", 20, typo_in_short_word),
    Form("one word dropped", 25, word_dropped),
    Form("a name put before the title", 20, name_put_before),
    Form("at a namesake's venue-year", 18, at_a_namesakes_venue_year),
    Form("no venue, exact title", 15, no_venue),
    Form("generic title", 20, generic_title, negative=True),
    Form("name, invented subtitle", 30, name_with_invented_subtitle, negative=True),
    Form(
        "name, invented subtitle, the paper's authors",
        20,
        name_with_invented_subtitle_and_authors,
        negative=True,
    ),
    Form("one word flipped", 40, one_word_flipped, negative=True),
    Form("name, another paper's subtitle", 25, name_with_anothers_subtitle, negative=True),
    Form("invented name, a paper's subtitle", 25, invented_name_with_subtitle, negative=True),
    Form("a word added", 25, word_added, negative=True),
    Form("no venue, name, invented subtitle", 15, no_venue_invented_subtitle, negative=True),
    Form("one word flipped, year off", 15, one_word_flipped_year_off, negative=True),
    Form("negation dropped", 12, negation_dropped, negative=True),
    Form("number changed", 15, number_changed, negative=True),
    Form("a word added, year off", 15, word_added_year_off, negative=True),
]


def adversarial_entries(
    per_form: int | None = None, seed: int = SEED, tables: Tables | None = None
) -> list[Entry]:
    """The list's entries, form by form: each form's `count` (or `per_form`) first entries."""
    tables = tables or load_tables()
    entries: list[Entry] = []
    for form in FORMS:
        wanted = form.count if per_form is None else per_form
        rng = random.Random(f"{seed}/{form.name}")
        valid = (e for e in form.build(tables, rng) if e and _holds_true(e, tables))
        made = [replace(e, form=form.name) for e in islice(valid, wanted)]
        if len(made) < wanted:
            raise ValueError(f"form {form.name!r}: {len(made)} entries, {wanted} wanted")
        entries += made
    return entries


def _holds_true(entry: Entry, tables: Tables) -> bool:
    """The entry's truth is certain: a negative is no recorded title, a positive no other
    paper's title."""
    recorded = tables.keys_titled(entry.title)
    return not recorded if entry.key is None else not recorded or entry.key in recorded


# -- the list, and the decisions scored -----------------------------------------------------


def list_lines(entries: list[Entry]) -> tuple[list[str], dict[int, Entry]]:
    """The markdown list (an entry per numbered item, authors in italics below), and each
    entry by its line number, as the parser reports it."""
    lines = ["# Adversarial list (benchmark only: real titles, reworded)", "", "## Papers", ""]
    by_line: dict[int, Entry] = {}
    for n, entry in enumerate(entries, 1):
        where = f" {entry.venue} {entry.year}" if entry.venue else ""
        lines.append(f"{n}. **{entry.title}**{where}")
        by_line[len(lines)] = entry
        lines.append("")
        if entry.authors:
            lines += [" " * (len(str(n)) + 2) + f"*{', '.join(entry.authors)}*", ""]
    return lines, by_line


class Verdict(StrEnum):
    RIGHT = "right"  # the paper meant, or nothing for a negative
    WRONG = "wrong"  # another record, or any record for a negative
    MISSED = "missed"  # nothing, though the paper is recorded


def verdict(entry: Entry, accepted: str | None, tables: Tables) -> Verdict:
    if accepted is None:
        return Verdict.MISSED if entry.key else Verdict.RIGHT
    if entry.key and accepted in tables.same_paper(entry.key):
        return Verdict.RIGHT
    return Verdict.WRONG


def accepted_keys(result: ResolvedPaper) -> tuple[str | None, str | None]:
    """The DBLP key each source accepted (the fake S2 records carry their DBLP key)."""
    d, s = result.dblp, result.s2
    dblp = d.record.key if d.status is FetchStatus.FOUND and d.record else None
    s2 = None
    if s.status is FetchStatus.FOUND and s.record:
        s2 = s.record.external_id("DBLP") or s.record.paperId
    return dblp, s2


@dataclass
class Score:
    """Verdicts by form and source ('dblp', 's2'); the entries with a wrong acceptance (and
    what each source accepted), and those the parser lost."""

    counts: dict[str, Counter[tuple[str, Verdict]]] = field(default_factory=dict)
    wrong: list[tuple[Entry, str | None, str | None]] = field(default_factory=list)
    lost: list[Entry] = field(default_factory=list)

    def of(self, form: str, source: str, what: Verdict) -> int:
        return self.counts.get(form, Counter())[source, what]


def score(by_line: dict[int, Entry], results: list[ResolvedPaper], tables: Tables) -> Score:
    """Each entry's two decisions against its truth. An entry the parser lost has nothing
    accepted (missed, or right for a negative), as bench/world.py counts it."""
    found = {r.paper.line: r for r in results}
    result = Score()
    for line, entry in by_line.items():
        paper = found.get(line)
        if paper is None:
            result.lost.append(entry)
        dblp, s2 = accepted_keys(paper) if paper else (None, None)
        counts = result.counts.setdefault(entry.form, Counter())
        verdicts = {"dblp": verdict(entry, dblp, tables), "s2": verdict(entry, s2, tables)}
        for source, what in verdicts.items():
            counts[source, what] += 1
        if Verdict.WRONG in verdicts.values():
            result.wrong.append((entry, dblp, s2))
    return result
