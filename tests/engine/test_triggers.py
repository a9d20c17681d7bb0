"""Trigger matching: tolerant of speech-to-text spelling, but not of unrelated words."""

from __future__ import annotations

import pytest

from callsim.config.actions import ActionLibrary
from callsim.engine.triggers import TriggerIndex, normalize


def index(triggers: dict[str, dict]) -> TriggerIndex:
    actions = {name: {"type": "http", "trigger": trigger, "request": {"url": "https://x.test/"}}
               for name, trigger in triggers.items()}
    library = ActionLibrary.model_validate({"actions": actions})
    return TriggerIndex.build(library.actions, list(library.actions))


ORDERS = index({
    "lookup_order": {"phrases": ["where is my order", "order status", "track my package"]},
    "billing": {"phrases": ["billing", "talk to a person", "human"]},
    "cancel": {"keywords": ["cancel", "subscription"]},
    "refund": {"regex": r"\brefund(ed)?\b"},
    "greeting": {"phrases": ["hi"]},
})


@pytest.mark.parametrize("said, action", [
    ("Where is my order?", "lookup_order"),
    ("were is my oder", "lookup_order"),
    ("uh I want to trak my pakage please", "lookup_order"),
    ("what's the order status", "lookup_order"),
    ("can I talk to a persn", "billing"),
    ("I'd like to cancel my subscripton", "cancel"),
    ("subscription, cancel it", "cancel"),
    ("was it REFUNDED yet", "refund"),
    ("hi there", "greeting"),
])
def test_matches_what_the_caller_means(said, action):
    matches = ORDERS.match_turn(said, {})
    assert matches and matches[0].action == action


@pytest.mark.parametrize("said", [
    "this is about a building permit",
    "high five",          # short phrases ("hi") must match as whole words
    "the order is wrong",  # shares a word with a phrase, but is not one
    "I want to cancel",   # keywords need all their words
    "refundable ticket",  # the regex wants the word
    "",
])
def test_does_not_match_unrelated_turns(said):
    assert ORDERS.match_turn(said, {}) == []


def test_exact_phrase_beats_a_fuzzy_one_and_ties_keep_the_agent_order():
    idx = index({"first": {"phrases": ["order status"]}, "second": {"phrases": ["order status"]},
                 "fuzzy": {"phrases": ["order statuses report"]}})
    matches = idx.match_turn("order status", {})
    assert [m.action for m in matches][:2] == ["first", "second"]
    assert matches[0].score == 100


def test_if_condition_gates_a_lexical_match():
    idx = index({"spanish": {"phrases": ["billing"], "if": 'language == "es"'},
                 "english": {"phrases": ["billing"]}})
    assert [m.action for m in idx.match_turn("billing", {"language": "es"})] == ["spanish", "english"]
    assert [m.action for m in idx.match_turn("billing", {"language": "en"})] == ["english"]
    assert [m.action for m in idx.match_turn("billing", {})] == ["english"]


def test_lifecycle_and_after_triggers():
    idx = index({"start": {"on": "call_start"}, "end": {"on": "call_end", "if": "done"},
                 "next": {"after": "start"}})
    assert [m.action for m in idx.lifecycle("call_start", {})] == ["start"]
    assert idx.lifecycle("call_end", {}) == []
    assert [m.action for m in idx.lifecycle("call_end", {"done": True})] == ["end"]
    assert [m.action for m in idx.after("start", {})] == ["next"]


def test_normalize():
    assert normalize("  Where's   my ORDER?!  ") == "where's my order"
