"""Counts said with what they count ("one child and two adults", "no kids"): callsim.readers.number.counts_of."""

from __future__ import annotations

import pytest

from callsim.readers.number import counts_of


def counted(word: str) -> bool:
    return word in {"adult", "adults", "kid", "kids"}


@pytest.mark.parametrize("said, found", [
    ("one kid and two adults", [("one kid", False), ("two adults", False)]),
    ("twenty two adults and no kids", [("twenty two adults", False), ("no kids", True)]),
    ("for 3 adults, actually four", [("3 adults", False)]),
    ("two, and the kids", []),                      # a pause between: the two counts nothing named
    ("the third adult", []),                        # an ordinal is no count
    ("adults only", []),
])
def test_a_count_is_the_number_right_before_what_it_counts(said, found):
    assert [(said[start:end], none) for start, end, none in counts_of(said, counted)] == found
