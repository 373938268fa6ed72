"""Meaning reorders the best stories found by words (bot.search.meaning_rank), pure."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from bot.search.meaning_rank import CROSS_LIFT, MEANING_WEIGHT, RERANK, closeness, reranked


def test_a_close_story_passes_one_a_little_ahead_by_words() -> None:
    ranked = [(1, 10.0), (2, 9.0), (3, 5.0)]
    assert [s for s, _ in reranked(ranked, {1: 0.2, 2: 0.6, 3: 0.3})] == [2, 1, 3]


def test_meaning_does_not_lift_a_story_far_behind_by_words() -> None:
    ranked = [(1, 10.0), (2, 2.0)]
    # 0.2 of the best by words: a cosine 0.4 higher is worth 0.6, not enough
    assert [s for s, _ in reranked(ranked, {1: 0.2, 2: 0.6})] == [1, 2]


def test_a_story_without_a_meaning_counts_as_the_mean_of_the_others() -> None:
    ranked = [(1, 10.0), (2, 9.9), (3, 9.8)]
    # 1 is far from the query, 3 close; 2 unknown counts as their mean and stays between
    assert [s for s, _ in reranked(ranked, {1: 0.1, 3: 0.7})] == [3, 2, 1]


def test_no_meaning_at_all_leaves_the_words_order() -> None:
    ranked = [(1, 3.0), (2, 2.0)]
    assert reranked(ranked, {}) == ranked
    assert reranked([], {}) == []


def test_scores_become_the_combined_ones_best_first() -> None:
    found = reranked([(1, 10.0), (2, 5.0)], {1: 0.5, 2: 0.5})
    assert found == [(1, 1.0 + MEANING_WEIGHT * 0.5), (2, 0.5 + MEANING_WEIGHT * 0.5)]


@given(
    st.lists(st.floats(0.01, 100.0), min_size=1, max_size=20),
    st.lists(st.one_of(st.none(), st.floats(-1.0, 1.0)), min_size=20, max_size=20),
)
def test_no_story_below_the_head_passes_a_story_of_it(
    scores: list[float], near: list[float | None]
) -> None:
    words = sorted(scores, reverse=True)
    ranked = list(enumerate(words))
    known = {story: c for story, c in enumerate(near[: len(ranked)]) if c is not None}
    order = [story for story, _ in reranked(ranked, known)]
    assert sorted(order) == list(range(len(ranked)))  # every story, once
    assert sorted(order[:RERANK]) == list(range(min(RERANK, len(ranked))))
    assert order[RERANK:] == list(range(RERANK, len(ranked)))  # the rest keep their order
    combined = [score for _, score in reranked(ranked, known)]
    assert combined == sorted(combined, reverse=True)


def test_closeness_is_the_nearest_vector() -> None:
    query = np.array([1.0, 0.0], dtype=np.float32)
    far, near = np.array([0.0, 1.0], dtype=np.float32), np.array([0.8, 0.6], dtype=np.float32)
    assert closeness(query, [far, near]) == np.float32(0.8)
    assert closeness(query, [np.zeros(2, dtype=np.float32)]) is None  # no vector stored
    assert closeness(query, []) is None


def test_a_story_read_in_another_language_is_lifted_by_the_translation_gap() -> None:
    query = np.array([1.0, 0.0], dtype=np.float32)
    report = np.array([0.6, 0.8], dtype=np.float32)
    within = closeness(query, [report])
    across = closeness(query, [report], across=True)
    assert within is not None and across is not None
    assert across - within == np.float32(CROSS_LIFT)
    assert closeness(query, [], across=True) is None
