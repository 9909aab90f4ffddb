"""The parser on four real awesome lists in formats other than ours (tests/fixtures/lists/).

How the papers were counted by hand, independently of the parser:

- zwang4 (compilers): every bullet of the `## Papers` section (lines 31-259) is one paper, each
  with a linked title, authors and a venue; the lines were read section by section (193). The
  Books, Talks, Software, Benchmarks, Conferences and Journals sections are not papers.
- Zhen-Dong (quantization): every bullet from `## Survey` to the end of `#### Point Cloud`
  (lines 43-362) is one `- "Title", VENUE, YEAR. [[paper](url)]` paper (284); the Overview
  table of contents and the References links are not papers.
- HuangOwen (LLM compression): every bullet of `## Papers` (lines 28-1644) is one paper: 789 as
  `Title <br> VENUE YEAR [[Paper]](url)`, 6 with the venue line as a second paragraph (795).
  The Contents list and the Tools section are not papers.
- youngfish42 (federated learning): in `# papers` (lines 159-3920) every data row of the three
  `| Title | Venue | Year | Materials |` tables (264 rows minus 3 header rows = 261) and every
  bullet (2,366) except the 51 venue index lines (`- [IJCAI](https://dblp...) 2025, 2024`) that
  open each venue group: 2,315; plus the 24 bullets of `# surveys`: 2,600 in all. The table of
  contents, framework tables, datasets, tutorials and workshop lists are not papers.

The counts were cross-checked with grep over those line ranges (bullet lines, table rows, the
`dblp` index pattern); then one section of each list was read entry by entry and its titles,
venues and years are pinned below as the list states them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.models import ParsedList
from pipeline.parse import parse_list_file

LISTS = Path(__file__).resolve().parent / "fixtures" / "lists"
COMPILERS = LISTS / "zwang4+awesome-machine-learning-in-compilers.md"
QUANTIZATION = LISTS / "Zhen-Dong+Awesome-Quantization-Papers.md"
COMPRESSION = LISTS / "HuangOwen+Awesome-LLM-Compression.md"
FEDERATED = LISTS / "youngfish42+Awesome-FL.md"

HAND_COUNTS = {COMPILERS: 193, QUANTIZATION: 284, COMPRESSION: 795, FEDERATED: 2600}
PAPER_LINES = {  # (first, last) line of the ranges counted above
    COMPILERS: [(31, 259)],
    QUANTIZATION: [(43, 362)],
    COMPRESSION: [(28, 1644)],
    FEDERATED: [(159, 3920), (4039, 4069)],
}


@pytest.fixture(scope="module")
def parsed() -> dict[Path, ParsedList]:
    return {path: parse_list_file(path) for path in HAND_COUNTS}


@pytest.mark.parametrize("path", list(HAND_COUNTS), ids=lambda p: p.stem)
def test_recall_against_the_hand_count(parsed: dict[Path, ParsedList], path: Path) -> None:
    papers = parsed[path].papers
    inside = [p for p in papers if any(lo <= p.line <= hi for lo, hi in PAPER_LINES[path])]
    recall = len({p.line for p in inside}) / HAND_COUNTS[path]
    precision = len(inside) / len(papers)
    assert recall >= 0.95, f"{path.stem}: {len(inside)} of {HAND_COUNTS[path]}"
    assert precision >= 0.99, f"{path.stem}: {len(papers) - len(inside)} papers outside"


@pytest.mark.parametrize("path", list(HAND_COUNTS), ids=lambda p: p.stem)
def test_titles_are_clean(parsed: dict[Path, ParsedList], path: Path) -> None:
    """No markup, links, tags, emoji or trailing period in titles ($math$ is the list's own)."""
    dirty = [
        p.title
        for p in parsed[path].papers
        if re.search(
            r"\]\(|<br|\*\*|`|https?://|:[a-z_]+:|\s$|^\s|\.$|^\[|[\U0001F300-\U0001FAFF]", p.title
        )
    ]
    assert dirty == []


@pytest.mark.parametrize("path", list(HAND_COUNTS), ids=lambda p: p.stem)
def test_most_papers_keep_the_venue_and_year_the_list_states(
    parsed: dict[Path, ParsedList], path: Path
) -> None:
    papers = parsed[path].papers
    with_year = sum(p.year is not None for p in papers) / len(papers)
    with_venue = sum(p.venue is not None for p in papers) / len(papers)
    assert with_year >= 0.95 and with_venue >= 0.95


# One section of each list, read by hand: (line, title, venue, year) as the list states them.
SAMPLES = {
    COMPILERS: [  # '#### Survey': '- <img ...> [Title](url) - Authors, VENUE, YEAR'
        (32, "Machine Learning in Compiler Optimisation", "Proceedings of the IEEE", 2018),
        (33, "A survey on compiler autotuning using machine learning", "CSUR", 2018),
        (34, "A survey of machine learning for big code and naturalness", "CSUR", 2018),
        (35, "A Taxonomy of ML for Systems Problems", "IEEE Micro", 2020),
        (36, "The Deep Learning Compiler: A Comprehensive Survey", "IEEE Transactions on Parallel and Distributed Systems", 2021),
        (37, "The New Compiler Stack: A Survey on the Synergy of LLMs and Compilers", "CCF Transactions on High Performance Computing", 2026),
    ],
    QUANTIZATION: [  # '#### Point Cloud': '- "Title", VENUE, YEAR. [[paper](url)] [**`TAG`**]'
        (353, "LiDAR-PTQ: Post-Training Quantization for Point Cloud 3D Object Detection", "ICLR", 2024),
        (354, "Binarizing Sparse Convolutional Networks for Efficient Point Cloud Analysis", "arXiv", 2023),
        (355, "BiPointNet: Binary Neural Network for Point Clouds", "ICLR", 2021),
    ],
    COMPRESSION: [  # '### Survey', first eight: '- Title <br> VENUE YEAR [[Paper]](url)'
        (30, "Compressed but Compromised? A Study of Jailbreaking in Compressed LLMs", "NeurIPS Lock-LLM Workshop", 2025),
        (32, "A Survey on Model Compression for Large Language Models", "TACL", None),
        (34, "The Cost of Compression: Investigating the Impact of Compression on Parametric Knowledge in Language Models", "EMNLP", 2023),
        (36, "The Efficiency Spectrum of Large Language Models: An Algorithmic Survey", "arXiv", 2023),
        (38, "Efficient Large Language Models: A Survey", "TMLR", None),
        (40, "Towards Efficient Generative Large Language Model Serving: A Survey from Algorithms to Systems", "ICML", 2024),
        (42, "Understanding LLMs: A Comprehensive Overview from Training to Inference", "arXiv", 2024),
        (44, "Faster and Lighter LLMs: A Survey on Current Challenges and Way Forward", "IJCAI", 2024),
    ],
    FEDERATED: [  # '### 2025' / '#### AISTATS' bullets, and the first rows of the journal table
        (168, "Towards compute-efficient Byzantine-robust federated learning with fully homomorphic encryption", "Nat. Mach. Intell.", 2025),
        (169, "Incentivizing inclusive contributions in model sharing markets", "Nat. Commun.", 2025),
        (289, "Optimising Clinical Federated Learning through Mode Connectivity-based Model Aggregation", "AISTATS", 2025),
        (290, "FedBaF: Federated Learning Aggregation Biased by a Foundation Model", "AISTATS", 2025),
        (291, "Global Group Fairness in Federated Learning via Function Tracking", "AISTATS", 2025),
        (292, "On the Power of Adaptive Weighted Aggregation in Heterogeneous Federated Learning and Beyond", "AISTATS", 2025),
        (293, "Federated UCBVI: Communication-Efficient Federated Regret Minimization with Heterogeneous Agents", "AISTATS", 2025),
        (294, "ADEPT: Hierarchical Bayes Approach to Personalized Federated Unsupervised Learning", "AISTATS", 2025),
        (295, "Federated Causal Inference: Multi-Study ATE Estimation beyond Meta-Analysis", "AISTATS", 2025),
        (296, "The cost of local and global fairness in Federated Learning", "AISTATS", 2025),
        (297, "Federated Communication-Efficient Multi-Objective Optimization", "AISTATS", 2025),
        (298, "Refined Analysis of Constant Step Size Federated Averaging and Federated Richardson-Romberg Extrapolation", "AISTATS", 2025),
        (299, "Personalizing Low-Rank Bayesian Neural Networks Via Federated Learning", "AISTATS", 2025),
        (300, "On the Convergence of Continual Federated Learning Using Incrementally Aggregated Gradients", "AISTATS", 2025),
        (301, "DPFL: Decentralized Personalized Federated Learning", "AISTATS", 2025),
    ],
}  # fmt: skip


@pytest.mark.parametrize("path", list(SAMPLES), ids=lambda p: p.stem)
def test_hand_read_sample(parsed: dict[Path, ParsedList], path: Path) -> None:
    lines = {line for line, *_ in SAMPLES[path]}
    low, high = min(lines), max(lines)
    got = [
        (p.line, p.title, p.venue, p.year)
        for p in parsed[path].papers
        if low <= p.line <= high and (path is not FEDERATED or p.line in lines or p.line > 288)
    ]
    assert got == SAMPLES[path]


def test_the_federated_list_takes_year_headings_above_venue_headings(
    parsed: dict[Path, ParsedList],
) -> None:
    by_line = {p.line: p for p in parsed[FEDERATED].papers}
    aistats = by_line[289]
    assert (aistats.heading_venue, aistats.heading_year, aistats.section) == (
        "AISTATS",
        2025,
        "AISTATS / 2025",
    )
    assert aistats.paper_url == "https://proceedings.mlr.press/v258/thakur25a.html"
    assert aistats.code_url == "https://github.com/AnshThakur/FedMode"
    assert 229 not in by_line  # '- [ALT](https://dblp...) 2022' indexes a venue, it is no paper


def test_the_compiler_list_gives_authors(parsed: dict[Path, ParsedList]) -> None:
    by_line = {p.line: p for p in parsed[COMPILERS].papers}
    assert by_line[32].authors == ["Zheng Wang", "Michael O'Boyle"]
    assert by_line[41].authors[:2] == ["Sunghyun Park", "Salar Latifi"]  # title wraps in the link
    assert by_line[41].title.startswith("SRTuner: Effective Compiler Optimization Customization")


def test_authors_come_from_the_lists_that_give_them(parsed: dict[Path, ParsedList]) -> None:
    """The compiler list gives authors for every paper; the others give none, and a link label
    ('[[GitHub Page]](url)') is never taken for one."""
    compilers = parsed[COMPILERS].papers
    assert sum(bool(p.authors) for p in compilers) / len(compilers) >= 0.95
    by_line = {p.line: p for p in compilers}
    assert by_line[67].authors == [
        "J. W. Davidson",
        "Gary S. Tyson",
        "D. B. Whalley",
        "P. A. Kulkarni",
    ]
    for path in (QUANTIZATION, COMPRESSION, FEDERATED):
        assert [p.authors for p in parsed[path].papers if p.authors] == []


# -- the corpus: macro recall and venue/year accuracy -------------------------------------
# Twenty more real lists were hand-counted (tests/fixtures/lists/README.md has the figures);
# their licences could not be confirmed, so only invented lists in their forms are kept, under
# forms/: every paper each states, with the venue and year it states (None where it states none).
FORMS = LISTS / "forms"
FORM_PAPERS: dict[str, list[tuple[str, str | None, int | None]]] = {
    "paragraphs.md": [
        ("WidgetReduce: Simplified Widget Processing on Large Clusters", "OSDI", 2004),
        ("The Widget File System", "SOSP", 2003),
        ("The Widget Storage System", "ACM Transactions on Computer Systems", None),
        ("Fast Widget Serving", "NeurIPS", 2024),
        ("Slow Gadget Serving", "OSDI", 2023),
        ("Sprocket: a scheduler for widget clusters", None, None),
    ],
    "citations.md": [
        ("Deep widgets for image recognition", "CVPR", 2017),
        ("Visualizing Widget Networks", "arXiv", 2013),
        ("Gadget Normalization", None, 2015),
        ("The widget high-radix network", "Journal of Widget Architecture", 2006),
        ("WPI: a standard widget passing interface", "Supercomputer", 1996),
        ("Optimization of collective widget operations", "Proceedings of the Symposium on Widget Algorithms", 1992),
        ("Widget serving at scale", "Proceedings of the Widget Conference", 2019),
        ("Gadgets are all you need", "arXiv", 2019),
    ],
    "authors-first.md": [
        ("Widget Stores: A Column-Oriented Design", "CIWR", 2005),
        ("Gadget Joins Revisited", "SIGMOD", 2008),
        ("Sprocket: A Widget Engine for Disaggregated Memory", "VLDB", 2013),
    ],
    "nicknames.md": [
        ("Widget: Fast Serving of Widgets", "MLSys", 2026),
        ("Gadget: Serving Gadgets Cheaply", "OSDI", 2024),
        ("Sprocket: Caching for Sprockets", None, None),
        ("Accelerating Widget Inference with Staged Decoding", "ICML", 2023),
        ("Cog: A Widget Scheduler for Clusters", "NSDI", 2022),
        ("Widget Serving Revisited", "OSDI", 2022),
        ("Widget Placement at Scale", "EuroSys", 2022),
        ("Widget Paging in the Wild", "NSDI", 2023),
    ],
    "tables.md": [
        ("Spectral Widget Networks on Graphs", "ICLR", 2014),
        ("Deep Convolutional Widgets on Graph Data", None, None),
        ("Fast Localized Widget Filtering", "NeurIPS", 2016),
        ("Widgets Are All You Need", "NeurIPS", 2017),
        ("WERT: Pre-training of Deep Bidirectional Widgets", "NAACL", 2019),
        ("Scaling Laws for Widget Models", None, 2020),
        ("Widget Serving at the Edge", "SOSP", 2025),
        ("Gadget Serving in Clusters", "OSDI", 2024),
        ("Sprocket Serving for Phones", "arXiv", 2025),
    ],
    "headings-and-details.md": [
        ("WidgetFuzz: Exploiting Upstream Widgets in Open-Source Supply Chains", "USENIX Security", 2025),
        ("iWidget: Hunting Widget Violations at Scale", "USENIX Security", 2025),
        ("Attributing Widget Contributions is Critical but Difficult", "NDSS", 2024),
        ("Directed Widget Fuzzing", "CCS", 2017),
        ("Widget Sanitizers in Practice", "CCS", 2019),
        ("Efficient estimation of widget representations", "ICLR", 2013),
        ("Widget phrase models", "EMNLP", 2014),
        ("A Comprehensive Survey on Widget Networks", "TNNLS", 2020),
        ("Widget Tuning for Storage", "HotStorage", 2020),
        ("Widget Graphs in Soft Computing", "Appl. Soft Comput.", 2021),
        ("A Widget Accelerator for Graphs", "MICRO", 2020),
        ("Gadget Cleaning for Pipelines", "DEEM", 2024),
        ("Widget Serving", "SIGMOD", 2008),
        ("Widget Optimizer Architecture", "SIGMOD", 2014),
        ("How Good Are Widget Optimizers, Really?", None, 2015),
        ("Widget Cascades", "Widget Engineering Bulletin", 1995),
        ("Widget Query Optimizer Generator", None, 1987),
    ],
}  # fmt: skip
GOAL = 0.95  # issue 20: >= 95% of papers found, venue and year >= 95% where the list states them


def _accuracy(pairs: list[tuple[object, object]]) -> float:
    stated = [(want, got) for want, got in pairs if want is not None]
    return sum(want == got for want, got in stated) / len(stated)


def test_the_kept_real_lists_meet_the_goal(parsed: dict[Path, ParsedList]) -> None:
    """Macro recall over the four real lists (hand counts above); venue and year as the
    hand-read samples state them."""
    recalls = []
    for path, count in HAND_COUNTS.items():
        lines = {p.line for p in parsed[path].papers}
        inside = {n for n in lines if any(lo <= n <= hi for lo, hi in PAPER_LINES[path])}
        recalls.append(len(inside) / count)
    by_line = {(path, p.line): p for path in SAMPLES for p in parsed[path].papers}
    venues, years = [], []
    for path, sample in SAMPLES.items():
        for line, _title, venue, year in sample:
            paper = by_line.get((path, line))
            venues.append((venue, paper.venue if paper else None))
            years.append((year, paper.year if paper else None))
    assert sum(recalls) / len(recalls) >= GOAL, recalls
    assert _accuracy(venues) >= GOAL and _accuracy(years) >= GOAL


def test_lists_in_the_forms_of_the_corpus_meet_the_goal() -> None:
    """Every invented list in forms/ (one per family of the twenty hand-counted lists): macro
    recall, venue and year accuracy, and no record that is not one of its papers."""
    recalls, venues, years, extra = [], [], [], []
    for name, papers in FORM_PAPERS.items():
        found = {p.title: p for p in parse_list_file(FORMS / name).papers}
        recalls.append(sum(title in found for title, _, _ in papers) / len(papers))
        for title, venue, year in papers:
            paper = found.get(title)
            venues.append((venue, paper.venue if paper else None))
            years.append((year, paper.year if paper else None))
        extra += [title for title in found if title not in {t for t, _, _ in papers}]
    assert sum(recalls) / len(recalls) >= GOAL, recalls
    assert _accuracy(venues) >= GOAL and _accuracy(years) >= GOAL
    assert extra == []  # tools, talks, blogs, prose and tables of contents stay out
