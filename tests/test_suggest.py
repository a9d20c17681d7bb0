"""The one did-you-mean: a unique close name, or nothing."""

from __future__ import annotations

import pytest

from callsim.suggest import closest, did_you_mean


@pytest.mark.parametrize(("word", "candidates", "meant"), [
    ("greting", ["greeting", "fallback", "agent"], "greeting"),  # one letter dropped
    ("hnagup", ["hangup", "help", "dtmf"], "hangup"),  # two neighbours swapped: one slip
    ("dsk", ["desk", "sales"], "desk"),  # one slip in a short word
    ("adres", ["address", "name"], "address"),  # two slips in a seven-letter word
    ("Yes-No", ["text", "yes_no", "digits"], "yes_no"),  # case is not a slip
    ("america/chicago", ["America/Chicago", "America/Denver"], "America/Chicago"),
    ("lookup_ordr", ["lookup_order", "lookup_orders"], "lookup_order"),  # the closer of two close ones
])
def test_the_unique_closest_name_is_suggested(word, candidates, meant):
    assert closest(word, candidates) == meant


@pytest.mark.parametrize(("word", "candidates"), [
    ("to", ["do"]),  # a two-letter word has no room for a slip
    ("name", ["time"]),  # two slips in four letters: a chance likeness
    ("desc", ["description"]),  # an abbreviation is not a typo
    ("nme", ["name", "nma"]),  # two equally close: naming one would be a guess
    ("Name", ["name", "NAME"]),
    ("anything", []),
])
def test_nothing_is_suggested_when_nothing_or_several_are_close(word, candidates):
    assert closest(word, candidates) is None
    assert did_you_mean(word, candidates) == ""


def test_a_name_is_never_suggested_for_itself():
    assert closest("order", ["order", "orders"]) == "orders"


def test_the_sentence_shows_the_name_as_asked():
    assert did_you_mean("dsk", ["desk"]) == "did you mean 'desk'?"
    assert did_you_mean("ordr", ["order"], "{{{{ {} }}}}") == "did you mean {{ order }}?"
    assert did_you_mean("gld", ("gold", "silver"), "{!r}") == "did you mean 'gold'?"
