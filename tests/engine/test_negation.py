"""The negation rule: refusals and denials negate what follows, problem reports and pseudo-negations do not."""

from __future__ import annotations

import pytest

from callsim.engine.negation import chosen_among, negation_before


def negated(said: str, target: str) -> str | None:
    """The cue negating `target` in `said` (its first occurrence)."""
    start = said.lower().index(target)
    return negation_before(said, start)


@pytest.mark.parametrize("said, target, cue", [
    ("I am not angry", "angry", "not"),
    ("I'm not really all that angry", "angry", "not"),
    ("I don't want to dispute anything", "dispute", "don't want"),
    ("I do not want to dispute anything", "dispute", "not want"),
    ("please don't cancel my order", "cancel", "don't"),
    ("no need to transfer me", "transfer", "no need"),
    ("I have no complaint", "complaint", "no"),
    ("I didn't want a refund", "refund", "didn't want"),
    ("I'm not calling to complain", "complain", "not calling"),
    ("I'm not interested in an upgrade", "upgrade", "not interested"),
    ("this isn't about billing", "billing", "isn't"),
    ("never mind the refund", "refund", "never"),
    ("I would not like to cancel", "cancel", "not like"),
    ("I’m not angry", "angry", "not"),  # typographic apostrophe, as some speech-to-text writes it
    ("nobody stole my card", "stole my card", "nobody"),
    ("I never said I wanted a transfer", "transfer", "never said"),   # what is reported is taken back too
    ("I didn't say cancel", "cancel", "didn't say"),
    ("I wouldn't say I'm angry", "angry", "wouldn't say"),
    ("I don't think I need a refund", "refund", "don't"),
    ("the roof is not leaking right now", "leaking right now", "not"),   # the doing itself denied
    ("he isn't bleeding", "bleeding", "isn't"),
])
def test_refusals_and_denials_negate(said, target, cue):
    assert negated(said, target) == cue


@pytest.mark.parametrize("said, target", [
    ("I can't log in", "log in"),
    ("I cannot access my account", "account"),
    ("my refund didn't arrive, where is my refund", "refund"),
    ("I have not received my refund", "refund"),
    ("I don't recognise this charge", "charge"),
    ("I don't see my refund", "refund"),
    ("the package wasn't delivered", "delivered"),
    ("the printer isn't working right now", "right now"),     # what follows the doing is not denied with it
    ("it's not working, I need support", "support"),
    ("I'm not sure where my order is", "where my order"),
    ("I don't know where my order is", "where my order"),
    ("no problem, I want a refund", "refund"),
    ("I'm not angry, I just want to talk to a person", "talk to a person"),
    ("I'm not angry I just want to talk to a person", "talk to a person"),  # speech-to-text: no commas
    ("not the refund but the invoice", "invoice"),
    ("no I want to dispute this charge", "dispute"),  # "no" reaches the next word or two, not the clause
    ("I am angry", "angry"),
    ("I said I wanted a transfer", "transfer"),
    ("I'm not able to pay my bill", "pay my bill"),  # as "I can't pay my bill": a problem
    ("I don't know if I want to cancel", "cancel"),
    ("not happy at all with my order, I am very very angry now", "angry"),
])
def test_problem_reports_and_other_statements_do_not_negate(said, target):
    assert negated(said, target) is None


def test_the_scope_ends_after_a_few_words():
    assert negated("I don't think this is what we talked about, angry", "angry") is None
    assert negated("not one two three four five angry", "angry") == "not"
    assert negated("not one two three four five six angry", "angry") is None
    # a refused request reaches over all it asks for, up to the end of its clause
    assert negated("no need to put me through to a representative", "representative") == "no need"
    assert negated("I don't want you to send me over to a representative", "representative") == "don't want"
    assert negated("I don't want to wait, put me through to a representative", "representative") is None


def test_nothing_before_the_match_is_not_negated():
    assert negation_before("angry", 0) is None
    assert negation_before("", 0) is None


@pytest.mark.parametrize("said, chosen", [
    ("not nachos, a burrito", "burrito"),
    ("I don't want nachos, I want tacos", "tacos"),
    ("a burrito, not tacos", "burrito"),
    ("not nachos", None),          # a refusal alone chooses nothing
    ("tacos and nachos", None),    # two choices: ask again
    ("nachos", "nachos"),
])
def test_an_enum_answer_is_the_value_said_without_a_negation(said, chosen):
    values = ["tacos", "burrito", "quesadilla", "nachos"]
    read = next((v for v in values if v in said), None) if sum(v in said for v in values) == 1 else None
    assert chosen_among(said, values, read) == chosen
