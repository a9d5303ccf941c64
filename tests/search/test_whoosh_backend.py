"""The Whoosh adapter's facet arithmetic: counts added across segments and the top values
chosen from them, against the plain way of doing each (a Counter, a full sort)."""

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from transcripts.search.whoosh_backend import _add_counts, _top_values

VALUES = st.sampled_from([f"value-{n}" for n in range(40)] + ["2019", "2024", ""])
COUNTS = st.dictionaries(VALUES, st.integers(min_value=-3, max_value=50), max_size=40)


@given(st.lists(COUNTS, max_size=6))
def test_counts_added_across_segments_equal_a_counters(parts):
    total: dict[str, int] = {}
    for counts in parts:
        _add_counts(total, counts)
    expected = Counter()
    for counts in parts:
        expected.update(counts)
    assert total == dict(expected)


@given(COUNTS, st.one_of(st.none(), st.integers(min_value=1, max_value=30)))
def test_the_top_values_are_the_full_sorts_first_ones(counts, size):
    positive = [(value, count) for value, count in counts.items() if count > 0]
    by_count = sorted(positive, key=lambda item: (-item[1], item[0]))
    assert _top_values(dict(counts), size, by_value=False) == by_count[:size]
    assert _top_values(dict(counts), size, by_value=True) == sorted(positive, reverse=True)[:size]


def test_ties_at_the_cut_are_broken_by_value():
    counts = {"b": 5, "a": 5, "c": 5, "d": 9, "e": 1}
    assert _top_values(counts, 3, by_value=False) == [("d", 9), ("a", 5), ("b", 5)]
    assert _top_values(counts, 2, by_value=True) == [("e", 1), ("d", 9)]
    assert _top_values({"x": 0, "y": -2}, 5, by_value=False) == []
