"""How alike two titles are, word by word (pure; the matching rules build on it)."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from rapidfuzz import fuzz, process

from pipeline.text import normalize_title, split_subtitle, surname

MIN_TITLE_SCORE = 85.0  # two titles further apart than this never name the same paper
MIN_SUBTITLE_WORDS = 4  # a title matched to one side of a subtitle needs this many words


@lru_cache(maxsize=1 << 12)  # the resolve stage asks again for the records it then judges
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
    # One side of the published title's subtitle, the other dropped in the list: a system name
    # ('Addressing X' for 'Cambricon-S: Addressing X') or a subtitle ('Main' for 'Main: Sub',
    # word for word: 'X Is Y' is not 'X Is Not Y: ...'). Slightly discounted, and only for
    # titles long enough to name one paper by themselves.
    parts = split_subtitle(published)
    if parts is not None and len(a.split()) >= MIN_SUBTITLE_WORDS:
        prefix, subtitle = parts
        without_prefix = fuzz.ratio(a, normalize_title(subtitle)) - 5
        if without_prefix > score:
            return float(without_prefix), f"the list omits the published prefix '{prefix}:'"
        if main_title_only(listed, published):
            return 95.0, f"the list omits the published subtitle ': {subtitle}'"
    return float(score), None


@lru_cache(maxsize=1 << 12)
def main_title_only(listed: str, published: str) -> bool:
    """The listed title is the published one without its subtitle, word for word ('Main' for
    'Main: Sub'), and long enough to name a paper. Other papers share a main title (a survey,
    an extended version, '...: Lessons from X'), so the matcher wants more than the title
    before it accepts such a record (matching.MAIN_TITLE_ALONE)."""
    parts = split_subtitle(published)
    if parts is None:
        return False
    main = normalize_title(listed)
    return len(main.split()) >= MIN_SUBTITLE_WORDS and main == normalize_title(parts[0])


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
    """Content words each title has and the other lacks (typos, word forms and words written
    apart or together forgiven: see `_lacking`).

    Words missing on both sides mean one word was replaced by another ('Compilers' for
    'Accelerators'): two different papers, however similar the rest of the title.
    """
    (a, a_set), (b, b_set) = _words(listed), _words(published)
    return _lacking(a, b, b_set, a_set), _lacking(b, a, a_set, b_set)


def put_in_words(listed: str, published: str) -> tuple[list[str], list[str]]:
    """`replaced_words`, but for a name the list puts before a title published whole
    ('Widgetron: Fast Serving' for 'Fast Serving'): the listed title's content words the
    published one lacks (the name: every content word before the listed title's colon, when
    the published title has no word the list lacks), and the published title's."""
    ours, theirs = replaced_words(listed, published)
    parts = split_subtitle(listed)
    if ours and not theirs and parts is not None:
        name = {w for w in _joined(parts[0]).split() if w not in STOPWORDS}
        if set(ours) == name:
            return [], theirs
    return ours, theirs


def _lacking(
    words: tuple[str, ...], others: tuple[str, ...], present: frozenset[str], own: frozenset[str]
) -> list[str]:
    """`words` that are no stopword and have no counterpart among `others` (`present` and
    `own`: the two as sets). A word repeated has a counterpart for each copy ('Write and
    Write' lacks one for 'Read and Write'). A counterpart is the same word, or a word the
    other title has more often than this one (its own) that this word could be written as: a
    typo (ratio 80 or more), another ending, two letters swapped, or apart or together. Only
    the other title's own words are counterparts: 'Throughput' is not 'Through' when both
    titles have 'Through'."""
    if len(own) == len(words):
        lacking = [w for w in words if w not in STOPWORDS and w not in present]
    else:
        copies, lacking = Counter(others), []
        for w in words:
            copies[w] -= 1
            if w not in STOPWORDS and copies[w] < 0:
                lacking.append(w)
    if not lacking:
        return lacking
    surplus = Counter(others)
    surplus.subtract(words)
    unpaired = tuple(o for o in others if surplus[o] > 0)
    numbered = any(map(_digits, unpaired))
    # extractOne does the scan of the other words in C (any ratio >= 80): a Python loop over
    # fuzz.ratio was the resolve stage's hottest line. The rarer forgiveness
    # (`_written_otherwise`) looks only at the words left after it.
    kept = []
    for w in lacking:
        # A number is no typo ('3-Hop' is not '2-Hop', 'GPT-4' not 'GPT-3'): only a word
        # with the same digits may be this one written otherwise.
        alike = unpaired
        if numbered or _digits(w):
            alike = tuple(o for o in unpaired if _digits(o) == _digits(w))
        if process.extractOne(
            w, alike, scorer=fuzz.ratio, score_cutoff=80
        ) is None and not _written_otherwise(w, words, alike, others):
            kept.append(w)
    return kept


@lru_cache(maxsize=1 << 16)
def _digits(word: str) -> str:
    return "".join(c for c in word if c.isdigit())


# Endings a word takes in one wording and not the other ('Automated' and 'Automatic',
# 'Learned' and 'Learning', 'Query' and 'Queries'), longest first.
_ENDINGS = ("ations", "ation", "ments", "ment", "ings", "ing", "ions", "ion", "ical", "ally",
            "able", "ers", "ies", "ed", "es", "er", "ic", "al", "ly", "ive", "ity", "s", "e",
            "y")  # fmt: skip


@lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def _written_otherwise(
    word: str, words: tuple[str, ...], unpaired: tuple[str, ...], others: tuple[str, ...]
) -> bool:
    """The other title writes `word` another way: another ending of the same stem, two
    neighbouring letters swapped ('Fsat' for 'Fast': too short for the ratio to forgive), or
    apart or together ('Key Value' for 'KeyValue', letter for letter)."""
    # `x in map(...)` and the length filter keep the scans in C: resolve asks this of every
    # word a shortlisted record's title lacks.
    if _stem(word) in map(_stem, unpaired):
        return True
    size = len(word)
    if any(_swapped(word, other) for other in unpaired if len(other) == size):
        return True
    at = [i for i, w in enumerate(words) if w == word]
    joined = {words[j] + words[j + 1] for i in at for j in (i - 1, i) if 0 <= j < len(words) - 1}
    if not joined.isdisjoint(others):
        return True
    return word in map(str.__add__, others, others[1:])


def _swapped(a: str, b: str) -> bool:
    """Two neighbouring letters swapped, the rest the same."""
    if len(a) != len(b) or len(a) < 3 or a == b:
        return False
    diff = [k for k in range(len(a)) if a[k] != b[k]]
    return (
        len(diff) == 2
        and diff[1] == diff[0] + 1
        and a[diff[0]] == b[diff[1]]
        and a[diff[1]] == b[diff[0]]
    )


# Words that turn what follows around: 'X with Y' and 'X without Y', 'A Is B' and 'A Is Not
# B'. A contraction ("Can't", "Isn't") is a word ending in 'n' and a 't' once normalised.
NEGATIONS = frozenset(["not", "no", "without", "never", "cannot", "nor", "neither", "none"])
# Prefixes that make a word its opposite ('Efficient', 'Inefficient'; 'Trusted', 'Untrusted';
# 'Synchronous', 'Asynchronous'): typo forgiveness would take the two words as one.
NEGATING_PREFIXES = ("anti", "non", "dis", "mis", "sub", "un", "in", "im", "ir", "il", "de", "a")


@lru_cache(maxsize=1 << 12)
def reversed_words(listed: str, published: str) -> str | None:
    """Where one title says the opposite of the other, described, or None: a negation one
    title has more of, before a word both titles have ('with Starvation', 'without
    Starvation'), or a word one title has and the other has with a negating prefix
    ('Efficient', 'Inefficient'). A negation in words the other title leaves out altogether
    (a dropped subtitle) is no reversal."""
    a, b = _glued(_words(listed)[0]), _glued(_words(published)[0])
    negated_a, negated_b = _negated(a), _negated(b)
    if len(negated_a) != len(negated_b):
        more, fewer = (
            (negated_a, negated_b) if len(negated_a) > len(negated_b) else (negated_b, negated_a)
        )
        shared = set(a) & set(b)
        for word in sorted(set(more) - set(fewer)):
            if word in shared:
                return f"{word!r} negated in one title only"
    only_a, only_b = set(a) - set(b), set(b) - set(a)
    pairs = _negating(only_a, only_b) + [(y, x) for x, y in _negating(only_b, only_a)]
    return f"{pairs[0][0]!r} vs {pairs[0][1]!r}" if pairs else None


def _glued(words: tuple[str, ...]) -> tuple[str, ...]:
    """'non volatile' as 'nonvolatile', the way 'Non-Volatile' is written once joined."""
    out: list[str] = []
    for word in words:
        if out and out[-1] == "non":
            out[-1] += word
        else:
            out.append(word)
    return tuple(out)


def _negated(words: tuple[str, ...]) -> list[str]:
    """The words negations turn around, one per negation: the first content word after it
    (none for a negation that ends the title)."""
    negated = []
    for i, word in enumerate(words):
        contracted = word == "t" and i > 0 and words[i - 1][-1:] == "n"
        if word in NEGATIONS or contracted or _misspelt_negation(word):
            after = next((w for w in words[i + 1 :] if w not in STOPWORDS), "")
            negated.append(after)
    return negated


@lru_cache(maxsize=1 << 12)
def _misspelt_negation(word: str) -> bool:
    """'Wihout' for 'Without': a typo keeps the negation."""
    long = [n for n in NEGATIONS if len(n) >= 5]
    return (
        len(word) >= 5
        and process.extractOne(word, long, scorer=fuzz.ratio, score_cutoff=80) is not None
    )


def _negating(words: set[str], bases: set[str]) -> list[tuple[str, str]]:
    """(word, base) pairs where the word is the base with a negating prefix, sorted."""
    pairs = []
    for word in sorted(words):
        if not word.startswith(NEGATING_PREFIXES):
            continue  # most words: one check in C
        for prefix in NEGATING_PREFIXES:
            base = word[len(prefix) :]
            if word.startswith(prefix) and len(base) >= 4 and base in bases:
                pairs.append((word, base))
    return pairs


@lru_cache(maxsize=1 << 17)
def _words(title: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """A title's words for `replaced_words`, split once however many records it is judged
    against."""
    words = tuple(_joined(title).split())
    return words, frozenset(words)


@lru_cache(maxsize=1 << 16)
def _joined(title: str) -> str:
    return normalize_title(title.replace("-", "").replace("\u2010", ""))


def author_overlap(listed: list[str], published: list[str]) -> float | None:
    """Share of the shorter author list whose surnames appear in the other; None if unknown."""
    a, b = _surnames(tuple(listed)), _surnames(tuple(published))
    if not a or not b:
        return None
    return len(a & b) / min(len(a), len(b))


@lru_cache(maxsize=1 << 16)
def _surnames(names: tuple[str, ...]) -> frozenset[str]:
    """An author list's surnames, made once for a list judged against many records."""
    return frozenset(s for s in map(surname, names) if s)
