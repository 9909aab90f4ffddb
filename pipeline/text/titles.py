"""How alike two titles are, word by word (pure; the matching rules build on it)."""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz import fuzz

from pipeline.text import normalize_title, split_subtitle, surname

MIN_TITLE_SCORE = 85.0  # two titles further apart than this never name the same paper
MIN_SUBTITLE_WORDS = 4  # a bare subtitle match needs this many words to count


def title_similarity(listed: str, published: str) -> tuple[float, str | None]:
    """0-100 similarity of two titles, with a note when a special rule decided it."""
    a, b = normalize_title(listed), normalize_title(published)
    if not a or not b:
        return 0.0, None
    if a == b:
        return 100.0, None
    compact_a, compact_b = a.replace(" ", ""), b.replace(" ", "")
    if compact_a == compact_b:
        return 100.0, "titles differ only in spacing"
    score = max(fuzz.ratio(a, b), fuzz.ratio(compact_a, compact_b))
    # Same words in another order ('DNN-Guard: ... Architecture for DNN Accelerator' vs
    # 'DNNGuard: ... DNN Accelerator Architecture'), hyphenated names joined; slightly discounted.
    joined_a, joined_b = _joined(listed), _joined(published)
    reordered = fuzz.token_sort_ratio(joined_a, joined_b) - 2
    if reordered > score:
        return float(reordered), "same words in a different order"
    # A system name dropped in the list: 'Addressing X' for 'Cambricon-S: Addressing X'.
    parts = split_subtitle(published)
    if parts is not None and len(a.split()) >= MIN_SUBTITLE_WORDS:
        subtitle_score = fuzz.ratio(a, normalize_title(parts[1])) - 5
        if subtitle_score > score:
            return float(subtitle_score), f"the list omits the published prefix '{parts[0]}:'"
    return float(score), None


STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "of",
        "on",
        "or",
        "over",
        "the",
        "through",
        "to",
        "toward",
        "towards",
        "under",
        "using",
        "via",
        "with",
        "without",
    ]
)


def replaced_words(listed: str, published: str) -> tuple[list[str], list[str]]:
    """Content words each title has and the other lacks (typos and joined names forgiven).

    Words missing on both sides mean one word was replaced by another ('Compilers' for
    'Accelerators'): two different papers, however similar the rest of the title.
    """
    a, b = _joined(listed).split(), _joined(published).split()

    def lacking(words: list[str], others: list[str]) -> list[str]:
        present = set(others)  # a word the other title has is never lacking: no fuzzy scan
        return [
            w
            for w in words
            if w not in STOPWORDS
            and w not in present
            and not any(fuzz.ratio(w, o) >= 80 for o in others)
        ]

    return lacking(a, b), lacking(b, a)


@lru_cache(maxsize=1 << 16)
def _joined(title: str) -> str:
    return normalize_title(title.replace("-", "").replace("\u2010", ""))


def author_overlap(listed: list[str], published: list[str]) -> float | None:
    """Share of the shorter author list whose surnames appear in the other; None if unknown."""
    a = {s for s in map(surname, listed) if s}
    b = {s for s in map(surname, published) if s}
    if not a or not b:
        return None
    return len(a & b) / min(len(a), len(b))
