"""Which records of a table of contents are worth judging for each listed title.

The full judgement (matching.judge_dblp) is slow, so it sees only a shortlist. Today's venues
publish thousands of papers a year, so the shortlist is computed for all listed titles of a
venue-year at once: one rapidfuzz `cdist` matrix of plain similarity, then, only for the titles
without a near-exact match, one more over the forms a list rewrites (words reordered, a system
name or a subtitle dropped or added). Every title and table row is normalised once.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rapidfuzz import fuzz, process

from pipeline.text import normalize_title, split_subtitle

SHORTLIST = 5  # per form: only these candidates get the full judgement
EXACT_RIVAL = 90.0  # an identical title with no rival this close needs nothing else weighed
NEAR_EXACT = 97.0  # a near-exact title: any rival is close to it too, so already in the top few
WORTH_A_LOOK = 50.0  # below this a table row is no candidate in any form (lets cdist skip work)
CHUNK = 256  # listed titles per matrix: bounds memory with tables of thousands of rows
# Matrices smaller than this are scored on one thread: starting cdist's worker threads costs
# more (~0.5 ms) than a few listed titles against a table of a few hundred rows take.
PARALLEL_CELLS = 50_000


def _sorted_words(normalized: str) -> str:
    return " ".join(sorted(normalized.split()))


def _parts(title: str) -> list[str]:
    """Each side of a title's subtitle ('System: what it does'), normalised; none without one."""
    parts = split_subtitle(title)
    if parts is None:
        return []
    return [form for form in map(normalize_title, parts) if form]


class TitleIndex:
    """A venue-year's titles, normalised once, with the forms a list rewrites them into."""

    def __init__(self, titles: Sequence[str]) -> None:
        self.normalized = [normalize_title(t) for t in titles]
        self.sorted = [_sorted_words(t) for t in self.normalized]
        self.exact: dict[str, list[int]] = {}
        for index, text in enumerate(self.normalized):
            self.exact.setdefault(text, []).append(index)
        self.part_rows: list[str] = []
        self.part_owner: list[int] = []
        for index, title in enumerate(titles):
            for part in _parts(title):
                self.part_rows.append(part)
                self.part_owner.append(index)

    def __len__(self) -> int:
        return len(self.normalized)

    def shortlists(self, titles: Sequence[str]) -> list[list[int]]:
        """For each listed title, the indexes of the rows worth judging, in table order."""
        if not self.normalized:
            return [[] for _ in titles]
        picks: list[list[int]] = []
        for start in range(0, len(titles), CHUNK):
            picks += self._chunk(titles[start : start + CHUNK])
        return picks

    def _chunk(self, titles: Sequence[str]) -> list[list[int]]:
        queries = [normalize_title(t) for t in titles]
        plain = _scores(queries, self.normalized)
        tops = _tops(plain)
        picks = [
            self._settled(query, row, top)
            for query, row, top in zip(queries, plain, tops, strict=True)
        ]
        unsettled = [i for i, pick in enumerate(picks) if pick is None]
        if unsettled:
            reworded = _tops(self._reworded([titles[i] for i in unsettled]))
            for i, top in zip(unsettled, reworded, strict=True):
                picks[i] = sorted(set(tops[i]) | set(top))
        return [pick if pick is not None else [] for pick in picks]

    def _settled(self, query: str, row: np.ndarray, top: list[int]) -> list[int] | None:
        """The shortlist when plain similarity already decides it (`top`: the row's best);
        None when rewritten forms must be weighed too."""
        if not top:
            return None
        best = float(row[top[0]])
        identical = self.exact.get(query, [])
        if len(identical) == 1 and best == 100:
            rival = max((float(row[i]) for i in top if i != identical[0]), default=0.0)
            if rival < EXACT_RIVAL:
                return identical
        if best >= NEAR_EXACT:
            return sorted(top)
        return None

    def _reworded(self, titles: Sequence[str]) -> np.ndarray:
        """Per title, per table row, the best of: the words in any order; the listed title
        against either side of the row's subtitle (the list dropped one); either side of the
        listed title's subtitle against the row (the list added a system name or subtitle)."""
        normalized = [normalize_title(t) for t in titles]
        best = _scores([_sorted_words(t) for t in normalized], self.sorted)
        if self.part_rows:
            against_parts = _scores(normalized, self.part_rows)
            columns = np.asarray(self.part_owner)
            starts = _group_starts(columns)
            per_row = np.maximum.reduceat(against_parts, starts, axis=1)
            np.maximum(best[:, columns[starts]], per_row, out=per_row)
            best[:, columns[starts]] = per_row
        rows, owner = [], []
        for position, title in enumerate(titles):
            for part in _parts(title):
                rows.append(part)
                owner.append(position)
        if rows:
            parts_against = _scores(rows, self.normalized)
            starts = _group_starts(np.asarray(owner))
            per_title = np.maximum.reduceat(parts_against, starts, axis=0)
            positions = np.asarray(owner)[starts]
            best[positions] = np.maximum(best[positions], per_title)
        return best


def _scores(queries: Sequence[str], choices: Sequence[str]) -> np.ndarray:
    """0-100 plain similarity of every query with every choice (0 below WORTH_A_LOOK). Large
    matrices use every core: they are the largest cost of a warm resolve, and cdist's threads
    run without the GIL beside the S2 worker."""
    parallel = len(queries) * len(choices) >= PARALLEL_CELLS
    return process.cdist(
        queries,
        choices,
        scorer=fuzz.ratio,
        processor=None,
        score_cutoff=WORTH_A_LOOK,
        dtype=np.uint8,
        workers=-1 if parallel else 1,
    )


def _group_starts(owners: np.ndarray) -> np.ndarray:
    """Where each run of equal owners begins (owners are in ascending order)."""
    return np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])


def _tops(scores: np.ndarray) -> list[list[int]]:
    """Per row, the indexes of its SHORTLIST best scores above zero, best first (ties: the
    lower index first). One partition for the whole matrix, not one per row."""
    count = min(SHORTLIST, scores.shape[1])
    best = np.argpartition(scores, -count, axis=1)[:, -count:]
    values = np.take_along_axis(scores, best, axis=1)
    tops = []
    for picked, row in zip(best.tolist(), values.tolist(), strict=True):
        ranked = sorted(zip(picked, row, strict=True), key=lambda pair: (-pair[1], pair[0]))
        tops.append([i for i, value in ranked if value > 0])
    return tops
