"""Headings and `<details><summary>` blocks as context: the venue, year and topic above an entry."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, cast

from pipeline.models import Severity
from pipeline.parse import mentions
from pipeline.parse.words import MAX_YEAR, MIN_YEAR, VENUE_WORDS, YEAR4, clean_title
from pipeline.text import venue_key
from pipeline.venues import VenueTable

_ERA = re.compile(rf"(?:pre|before|since|after|post|until|prior to)[-\s]*{YEAR4}s?", re.I)
_YEAR_TEXT = re.compile(
    r"^(?P<year>\d{4})\b[ \t]*(?:\((?P<note>[^)]*)\)|[-:\u2013\u2014][ \t]*(?P<note2>.*))?[ \t]*$"
)
# Sections whose items are not papers: tools, blogs, tables of contents, ... A plural names a
# collection ('Frameworks', 'Benchmarks'); a singular only in a top section ('# federated learning
# framework'), deeper it is a topic ('### Optimizer Framework', '### Benchmark & Testing').
_NOISE_SECTION = re.compile(
    r"\b(?:contents|toc|contribut\w*|acknowledg\w*|citation|cite|licen[sc]e|star history|"
    r"tools|software|frameworks|libraries|blogs?|videos?|"
    r"books?|news|update log|changelog|related|awesome lists?|resources|people|"
    r"conferences|journals|workshops|special (?:issues|tracks)|datasets|benchmarks)\b",
    re.I,
)
# Courses, tutorials and talks are noise when the heading names nothing else ('## Tutorials',
# '## Courses and Talks', '## Online Courses'); joined with a topic ('## System and Tutorial',
# '## Surveys and Tutorials') they head papers, tutorial papers among them.
_TEACHING = re.compile(r"\b(?:courses?|tutorials?|talks?)\b", re.I)
_HEADING_PARTS = re.compile(r"\s*(?:,|&|/|\+|\band\b|\bor\b)\s*", re.I)
_WORD = re.compile(r"[^\W\d_]{2,}")
# what goes with courses and talks and is no topic either ('## Talks & Slides', '## Courses, etc.')
_NO_TOPIC = re.compile(
    r"\b(?:slides?|lectures?|notes|materials?|presentations?|keynotes?|seminars?|webinars?|"
    r"lessons?|classes|etc|others?|more|misc\w*)\b",
    re.I,
)
_NOISE_SINGULAR = re.compile(r"\b(?:tool|framework|library|dataset|benchmark)\b", re.I)
_CONTENTS = re.compile(r"\b(?:contents|toc)\b", re.I)
# What a venue label has and a topic ('Planning', 'Retrieval-Augmented Generation') has not: an
# acronym or inner capital ('AI', 'NeurIPS', 'S&P', 'SEAMS@ICSE'), or only short capitalised
# words, as journal abbreviations are ('Mach Learn', 'Inf Sci').
_ACRONYM = re.compile(r"[A-Z&@]\w*[A-Z]|\b[A-Z]{2,}")
_ABBREVIATED_WORD = re.compile(r"[A-Z][a-z]{0,4}\.?")
# Acronyms today's lists head their topics with ('## 2024' > '### RAG'): never a venue alone.
_TOPIC_ACRONYMS_TEXT = """LLM LLMs RAG NLP CV RL GNN GNNs MoE PEFT LoRA VLM VLMs MLLM MLLMs ViT
    SSM SSMs KV DNN DNNs CNN CNNs RNN GAN GANs GPU GPUs TPU FPGA ML DL AI AGI ASR TTS OCR QA SLAM
    NeRF AIGC HPC RLHF DPO SFT AIOps MLOps LLMOps DevOps IoT AR VR XR"""
_TOPIC_ACRONYMS = frozenset(w.casefold() for w in _TOPIC_ACRONYMS_TEXT.split())
# '# ICML-2025-Papers', '# CVPR2020-Code', '# CVPR 2023 论文和开源项目合集': a list's title naming
# the conference whose papers it collects, then more words (a bare '# OSDI 2022' is a venue
# heading)
_CONFERENCE_TITLE = re.compile(
    rf"(?:awesome[\s_-]*)?(?P<venue>[A-Za-z][A-Za-z&]*)[\s_-]*(?P<year>{YEAR4})(?!\d)[\s_:-]*\S",
    re.I,
)
# ... unless what follows says the papers are not that conference's: a course's reading list
# ('# MLSys 2024 Reading List'), its workshop's ('# NeurIPS 2023 Workshop on Widgets')
_NOT_THE_CONFERENCE = re.compile(
    r"\b(?:reading|readings|courses?|syllabus|class|seminars?|lectures?|tutorials?|talks?|"
    r"workshops?)\b",
    re.I,
)
_PAPERS_SECTION = re.compile(r"\b(?:papers?|publications?|reading list)\b", re.I)
DETAILS_LEVEL = 7  # a <summary> nests below every markdown heading


class Noise(Enum):
    CONTENTS = "contents"  # a table of contents: only its own items are not papers
    SECTION = "section"  # tools, courses, talks: nothing below it is a paper


@dataclass
class Heading:
    """One level of context: a heading or a `<summary>`, and the venue/year it names."""

    level: float
    text: str
    venue: str | None = None
    year: int | None = None
    note: str | None = None
    noise: Noise | None = None
    whole_list: bool = False  # the list's title naming its conference: for every entry below


@dataclass(frozen=True)
class HeadingProblem:
    """A heading the list should write otherwise (becomes a lint finding)."""

    code: str
    severity: Severity
    message: str


@dataclass
class Context:
    """The headings above the current block, outermost first."""

    venues: VenueTable
    stack: list[Heading] = field(default_factory=list)
    titled: bool = False  # the first heading, the list's title, has been seen
    conference: Heading | None = None  # the title, when it names the list's conference
    # what the questions below answered since the stack last changed: every entry asks them,
    # and the stack changes only at headings
    _answers: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def venue(self) -> Heading | None:
        if "venue" not in self._answers:
            self._answers["venue"] = next(
                (h for h in reversed(self.stack) if h.venue), self.conference
            )
        return cast(Heading | None, self._answers["venue"])

    @property
    def year(self) -> Heading | None:
        if "year" not in self._answers:
            self._answers["year"] = next(
                (h for h in reversed(self.stack) if h.year), self.conference
            )
        return cast(Heading | None, self._answers["year"])

    def enter(self, text: str, level: int) -> list[HeadingProblem]:
        """A markdown heading: pop the deeper ones, push this one; what is wrong with it."""
        self._answers.clear()
        popped = [h for h in self.stack if h.level >= level]
        self.stack = [h for h in self.stack if h.level < level]
        heading = classify(
            text, level, self.stack, self.venues, title=level == 1 and not self.titled
        )
        self.titled = True
        if heading.whole_list:
            self.conference = heading  # later top-level headings ('# CNN') keep it
        problems = []
        same_level_venue = next((h for h in popped if h.level == level and h.venue), None)
        if heading.year and not heading.venue and same_level_venue and not same_level_venue.year:
            self.stack.append(same_level_venue)  # '### 2019' under '### ASPLOS': keep ASPLOS
            problems.append(
                HeadingProblem(
                    "year-heading-level",
                    Severity.WARNING,
                    f"year heading '{'#' * level} {text}' should be '{'#' * (level + 1)} {text}'"
                    f" (under {same_level_venue.text})",
                )
            )
            heading.level = level + 0.5
        if heading.year is not None and not MIN_YEAR <= heading.year <= MAX_YEAR:
            problems.append(HeadingProblem("bad-year", Severity.WARNING, f"'{text}' is not a year"))
            heading.year = None
        self.stack.append(heading)
        return problems

    def venue_agrees(self, stated: str) -> bool:
        """Whether the venue heading above (there is one) names `stated` (`same_venue`)."""
        key = f"agrees {stated}"
        if key not in self._answers:
            heading = self.venue
            self._answers[key] = heading is not None and same_venue(stated, heading, self.venues)
        return cast(bool, self._answers[key])

    def open_details(self, summary: str) -> None:
        self._answers.clear()
        depth = sum(1 for h in self.stack if h.level >= DETAILS_LEVEL)
        self.stack.append(classify(summary, DETAILS_LEVEL + depth, self.stack, self.venues))

    def close_details(self) -> None:
        self._answers.clear()
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index].level >= DETAILS_LEVEL:
                del self.stack[index:]
                return

    def section(self) -> str:
        """'OSDI / 2016', or the topic path when no heading names a venue or year."""
        if "section" not in self._answers:
            self._answers["section"] = self._section()
        return cast(str, self._answers["section"])

    def _section(self) -> str:
        venue, year = self.venue, self.year
        if venue is None and year is None:
            topics = [h.text for h in self.stack if h.level >= 2 or len(self.stack) == 1]
            return " / ".join(topics)
        named_by = [h for h in (venue, year) if h is not None and h is not self.conference]
        deepest = max((h.level for h in named_by), default=0)
        sub = next((h.text for h in reversed(self.stack) if h.level > deepest), None)
        parts = [venue.text if venue else None, year.year if year else None, sub]
        return " / ".join(str(p) for p in parts if p is not None)

    def in_noise(self) -> bool:
        """Under a tools/courses/contents heading, unless a deeper heading says 'Papers'."""
        if "noise" not in self._answers:
            self._answers["noise"] = self._in_noise()
        return cast(bool, self._answers["noise"])

    def _in_noise(self) -> bool:
        for depth, heading in enumerate(reversed(self.stack)):
            if _PAPERS_SECTION.search(heading.text) or heading.venue or heading.year:
                return False  # 'Papers' or a venue/year heading below tools: papers again
            if heading.noise is Noise.SECTION or (heading.noise is Noise.CONTENTS and depth == 0):
                return True
        return False


def classify(
    text: str, level: float, above: list[Heading], venues: VenueTable, title: bool = False
) -> Heading:
    """What a heading (or summary) names: a year, a venue (and year), or a topic. The list's
    own title is never noise ('# Awesome Software Supply Chain Security', '# nlp-library')."""
    heading = Heading(level=level, text=text)
    clean = clean_title(text)
    if re.fullmatch(r"[\[(（][^\])）]*[\])）]", clean):
        clean = clean[1:-1].strip()  # '## [OSDI 2022]'
    clean = re.sub(r"\.\d{1,2}$", "", clean)  # '2023.11'
    if _ERA.fullmatch(clean):
        return heading  # '# Pre-1980', '## Before 2020': a span of years, neither venue nor year
    year = _YEAR_TEXT.match(clean)
    if year:
        heading.year = int(year["year"])
        heading.note = (year["note"] or year["note2"] or "").strip() or None
        return heading
    label = re.sub(r"\s*[(（][^)）]*[)）]\s*$", "", clean).strip()
    named = mentions.whole(venues, label) or mentions.unknown_venue_year(label)
    abbreviation = re.search(r"[(（]([^)）]{2,20})[)）]\s*$", clean)
    if named is None and abbreviation and mentions.whole(venues, abbreviation[1]):
        named = mentions.whole(venues, abbreviation[1])  # 'ACM Conference on ... (CCS)'
        label = abbreviation[1]
    if named is not None and named[0] is None and named[1]:
        heading.year = named[1]  # '## Jan 2024'
        return heading
    if named is not None and named[0]:
        heading.venue, heading.year = named
        heading.text = _label_as_written(label)
        return heading
    conference = _conference_title(clean, venues) if title else None
    if conference is not None:
        heading.venue, heading.year = venues.canonical(conference[0]), conference[1]
        heading.text, heading.whole_list = conference[0], True
        return heading
    under_year = above and above[-1].year and not above[-1].venue
    if (
        under_year
        and 0 < len(label) <= 40
        and len(label.split()) <= 5
        and _names_a_venue(label, venues)
    ):
        heading.venue = venues.canonical(label)  # '#### Mach Learn' under '### 2023'
        heading.text = label
        return heading
    if not title and len(text.split()) <= 6 and _is_noise(text, level):
        heading.noise = Noise.CONTENTS if _CONTENTS.search(text) else Noise.SECTION
    return heading


def _conference_title(title: str, venues: VenueTable) -> tuple[str, int] | None:
    """The venue as written and the year a list's title names (`ICML-2025-Papers`)."""
    match = _CONFERENCE_TITLE.match(title)
    if match is None or not (venues.find(match["venue"]) and venues.is_spelling(match["venue"])):
        return None
    if _NOT_THE_CONFERENCE.search(title, match.end("year")):
        return None
    return match["venue"], int(match["year"])


def _names_a_venue(label: str, venues: VenueTable) -> bool:
    """Whether a short heading under a year heading reads as a venue the table does not know
    ('#### Mach Learn', '#### AI', '#### SVM@ICSE', '#### NeurIPS Datasets and Benchmarks')
    rather than a topic ('### Planning', '### Code', '### RAG', '### LLM Serving'): a venue
    word, a known venue first, one acronym that is not a topic's, or several words that are
    all acronyms or abbreviations and none a topic's acronym."""
    if VENUE_WORDS.search(label):
        return True
    words = label.split()
    if venues.find(words[0]) and venues.is_spelling(words[0]):
        return True
    if any(w.strip(".,:").casefold() in _TOPIC_ACRONYMS for w in words):
        return False
    if len(words) == 1:
        return bool(_ACRONYM.search(label))  # 'SEAMS', 'SVM@ICSE'; not 'Code', 'Graph'
    return all(_ACRONYM.search(w) or _ABBREVIATED_WORD.fullmatch(w) for w in words)


def _is_noise(text: str, level: float) -> bool:
    """A heading over tools, courses, talks or contents."""
    if _NOISE_SECTION.search(text) or level <= 2 and _NOISE_SINGULAR.search(text):
        return True
    return bool(_TEACHING.search(text)) and not _names_a_topic(text)


def _names_a_topic(text: str) -> bool:
    """Whether a part of the heading ('System' in 'System and Tutorial') is neither teaching
    material nor decoration."""
    return any(
        _WORD.search(part) and not (_TEACHING.search(part) or _NO_TOPIC.search(part))
        for part in _HEADING_PARTS.split(text)
    )


def _label_as_written(label: str) -> str:
    year = re.search(r"\s*[-'’,]?\s*['’]?\s*\d{2,4}\s*$", label)
    return label[: year.start()].strip() if year else label


def same_venue(entry_venue: str, heading: Heading, venues: VenueTable) -> bool:
    """'MLSys' matches a 'SysML/MLSys' heading; aliases, case and punctuation do not matter."""
    known = venues.find(entry_venue)
    if known is not None and known is venues.find(heading.venue or heading.text):
        return True
    labels = [heading.text, *(heading.venue or "").split("/"), *heading.text.split("/")]
    wanted = venue_key(entry_venue)
    return any(wanted == venue_key(label) for label in labels if label)
