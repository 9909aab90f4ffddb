"""BibTeX keys: {firstauthorsurname}{year}{firstsignificantword}, stable once published."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from pipeline.merge.previous import Before
from pipeline.models import Status
from pipeline.text import ascii_fold, normalize_title, surname
from pipeline.text.titles import STOPWORDS


def _ascii_word(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", ascii_fold(text).casefold())


def base_key(authors: list[str], year: int | None, title: str, venue: str | None) -> str:
    """{firstauthorsurname}{year}{firstsignificanttitleword}, ASCII: 'abadi2016tensorflow'."""
    who = _ascii_word(surname(authors[0])) if authors else ""
    who = who or _ascii_word(venue or "") or "anon"
    # Hyphenated names are one word: 'E-RNN' -> 'ernn', not 'e'.
    joined = re.sub(r"(?<=\w)-(?=\w)", "", title)
    words = [_ascii_word(w) for w in normalize_title(joined).split()]
    what = next((w for w in words if w and w not in STOPWORDS), "") or "untitled"
    return f"{who}{year if year is not None else 'nd'}{what}"


def earlier_key(before: Before | None, status: Status) -> str | None:
    """The published key this paper keeps: any resolved paper's; an unresolved paper's only
    while it stays unresolved (a provisional key must not churn, nor outlive the guess)."""
    if before is None:
        return None
    if before.status is not Status.UNRESOLVED or status is Status.UNRESOLVED:
        return before.key
    return None


def assign_keys(
    papers: list[tuple[str, str | None, dict[str, Any]]], reserved: Iterable[str] = ()
) -> dict[str, str]:
    """Keys for (paper id, previously published key, fields), in list order.

    Published keys are kept as they are; a new key never takes one already in use, nor one
    `reserved` (every key and alias ever published: a citation must never change meaning),
    and collisions get b, c, ... in list order, so the result is deterministic.
    """
    keys: dict[str, str] = {}
    taken: set[str] = set(reserved)
    claimed: set[str] = set()
    for paper_id, published, _ in papers:
        if published and published not in claimed:
            keys[paper_id] = published
            claimed.add(published)
    taken |= claimed
    for paper_id, _, fields in papers:
        if paper_id in keys:
            continue
        base = base_key(
            fields.get("authors") or [],
            fields.get("year"),
            fields.get("title", ""),
            fields.get("venue"),
        )
        key, n = base, 1
        while key in taken:
            n += 1
            key = base + _suffix(n)
        keys[paper_id] = key
        taken.add(key)
    return keys


def _suffix(n: int) -> str:
    """2 -> 'b', 3 -> 'c', ..., 26 -> 'z', 27 -> 'aa' (bijective base 26)."""
    letters = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters
