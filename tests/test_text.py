"""Text helpers: the fast paths for plain ASCII give what the general ones give."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from pipeline.text import _normalize_any, ascii_fold, fold, normalize_title
from pipeline.text.titles import STOPWORDS, _joined, replaced_words, reversed_words

# ASCII with everything the general path treats specially: dashes between spaces, entities,
# tags, colons, digits, upper case, tabs and newlines.
ASCII_BITS = ["a", "Z", "7", " ", "  ", "\t", "\n", "-", " - ", ":", ".", "'", "&", "&amp;",
              "&eacute;", "<i>", "</i>", "<", ">", "/", "_", "(", "é", "\u2013"]  # fmt: skip
titles = st.lists(st.sampled_from(ASCII_BITS), max_size=30).map("".join)


@settings(max_examples=500, deadline=None)
@given(title=titles)
def test_normalize_title_takes_the_same_view_of_ascii_titles(title: str) -> None:
    normalize_title.cache_clear()
    assert normalize_title(title) == _normalize_any(title)


@settings(max_examples=300, deadline=None)
@given(text=titles)
def test_ascii_fold_of_plain_text_is_the_text(text: str) -> None:
    assert ascii_fold(text) == fold(text).encode("ascii", "ignore").decode()


WORDS = ["serving", "servings", "models", "model", "large", "language", "for", "of", "the",
         "accelerators", "compilers", "deep-learning", "deeplearning", "gpu", "gpus", "graph",
         "graphs", "training", "x"]  # fmt: skip
word_titles = st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join)


def lacking_by_definition(words: list[str], others: list[str]) -> list[str]:
    return [
        w
        for w in words
        if w not in STOPWORDS
        and w not in others
        and not any(fuzz.ratio(w, o) >= 80 for o in others)
    ]


@settings(max_examples=300, deadline=None)
@given(listed=word_titles, published=word_titles)
def test_replaced_words_are_the_words_with_no_close_match(listed: str, published: str) -> None:
    a, b = _joined(listed).split(), _joined(published).split()
    assert replaced_words(listed, published) == (
        lacking_by_definition(a, b),
        lacking_by_definition(b, a),
    )


@pytest.mark.parametrize(
    ("listed", "published", "reversed_"),
    [
        ("Verifying Reachability in Networks without Mutable Datapaths",
         "Verifying Reachability in Networks with Mutable Datapaths.", True),
        ("Multicore Locks: The Case Is Closed Yet",
         "Multicore Locks - The Case Is Not Closed Yet.", True),
        ("An Inefficient MapReduce Cube Algorithm for Varied DataDistributions",
         "An Efficient MapReduce Cube Algorithm for Varied DataDistributions.", True),
        ("Secured Routines: Language-based Construction of Untrusted Execution Environments",
         "Secured Routines - Language-based Construction of Trusted Execution Environments.",
         True),
        ("APAN: Synchronous Propagation Attention Network for Real-time Temporal Graph "
         "Embedding",
         "APAN - Asynchronous Propagation Attention Network for Real-time Temporal Graph "
         "Embedding.", True),
        # the negation is in a subtitle the list dropped
        ("Distributed Lock Management with RDMA",
         "Distributed Lock Management with RDMA - Decentralization without Starvation.", False),
        # words swapped near a contraction, a misspelt negation, 'Non-Volatile' written apart
        ("Can't All We Get Along? Redesigning Protection Storage for Modern Workloads",
         "Can't We All Get Along? Redesigning Protection Storage for Modern Workloads.", False),
        ("STRADS-AP: Simplifying Distributed Machine Learning Programming wihout Introducing "
         "a New Programming Model",
         "STRADS-AP - Simplifying Distributed Machine Learning Programming without "
         "Introducing a New Programming Model.", False),
        ("Data Structure Engineering For Byte-Addressable Non Volatile Memory",
         "Data Structure Engineering For Byte-Addressable Non-Volatile Memory.", False),
    ],
)  # fmt: skip
def test_titles_that_say_the_opposite(listed: str, published: str, reversed_: bool) -> None:
    assert (reversed_words(listed, published) is not None) is reversed_
