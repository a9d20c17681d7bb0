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


POWER = index({
    "outage": {"phrases": ["no electricity", "power is out"]},
    "hours": {"phrases": ["are you open", "when do you open"]},
    "book": {"phrases": ["book an appointment"]},
})


@pytest.mark.parametrize("said, action", [
    ("we got no electrcity", "outage"),
    ("my power out", "outage"),            # a dropped "is" is still the phrase
    ("I wanna bok an apointment", "book"),
    ("where do you open", "hours"),        # speech-to-text misheard one word of three
])
def test_a_misspelled_phrase_keeps_all_its_words(said, action):
    assert [m.action for m in POWER.match_turn(said, {})] == [action]


@pytest.mark.parametrize("said", [
    "I need electricity",   # one letter from "no electricity", but "need" is not "no"
    "electricity",
    "open",                 # one word of a phrase is not the phrase
    "you",
    "appointment",
])
def test_a_fuzzy_match_needs_the_phrase_polarity_and_half_its_words(said):
    assert POWER.match_turn(said, {}) == []


def test_a_second_request_said_without_its_small_words_beside_an_exact_one():
    shop = index({"status": {"phrases": ["is my order ready"]}, "cancel": {"phrases": ["cancel my order"]},
                  "pay": {"phrases": ["pay my bill"]}, "balance": {"phrases": ["check my bill"]}})
    said = "is my order ready, it's 311, and also cancel order 422"
    assert [m.action for m in shop.match_turn(said, {})] == ["status", "cancel"]
    assert [m.action for m in shop.match_turn("I want to pay my bill", {})] == ["pay"]  # "bill" alone is no check


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


NEGATABLE = index({
    "escalate": {"phrases": ["angry", "speak to a manager"]},
    "dispute": {"keywords": ["dispute"]},
    "cancel": {"regex": r"\bcancel\b"},
    "lookup_order": {"phrases": ["where is my order"]},
})


@pytest.mark.parametrize("said, suppressed, negation", [
    ("I am not angry", "escalate", "not"),
    ("I don't want to dispute anything", "dispute", "don't want"),
    ("please don't cancel it", "cancel", "don't"),
    ("no need to speak to a manager", "escalate", "no need"),
])
def test_a_negated_phrase_keyword_or_regex_does_not_fire_and_is_reported(said, suppressed, negation):
    heard = NEGATABLE.hear(said, {})
    assert heard.matches == []
    assert [(m.action, m.negated) for m in heard.suppressed] == [(suppressed, negation)]


def test_a_negated_match_leaves_the_other_requests_of_the_turn():
    heard = NEGATABLE.hear("I'm not angry, I just want to know where is my order", {})
    assert [m.action for m in heard.matches] == ["lookup_order"]
    assert [m.action for m in heard.suppressed] == ["escalate"]


def test_a_phrase_said_twice_fires_when_one_saying_is_not_negated():
    heard = NEGATABLE.hear("I'm not angry. Well, actually I am angry", {})
    assert [m.action for m in heard.matches] == ["escalate"] and heard.suppressed == []


@pytest.mark.parametrize("said", ["I can't cancel my plan online", "I am angry"])
def test_problem_reports_and_plain_statements_fire(said):
    assert NEGATABLE.match_turn(said, {})


def test_matches_say_where_they_are_in_the_turn_as_said():
    said = "Hi!! Where's... no: where is my ORDER?"
    match = NEGATABLE.match_turn(said, {})[0]
    assert said[match.start:match.end] == "where is my ORDER"
    fuzzy = NEGATABLE.match_turn("uh were is my oder", {})[0]
    assert fuzzy.score < 100 and "uh were is my oder"[fuzzy.start:fuzzy.end].startswith("were is my")


@pytest.mark.parametrize("said", ["a cleaning", "my order", "a person"])
def test_a_turn_that_is_only_part_of_a_phrase_does_not_match_it(said):
    idx = index({"book": {"phrases": ["book a cleaning"]}, "lookup_order": {"phrases": ["where is my order"]},
                 "billing": {"phrases": ["talk to a person"]}})
    assert idx.match_turn(said, {}) == []


SPREAD = index({
    "pickup": {"phrases": ["pick up early"]},
    "rekey": {"phrases": ["change the locks"]},
    "lockout": {"phrases": ["locked out"]},
    "people": {"phrases": ["talk to a person", "speak to a librarian"]},
    "flowers": {"phrases": ["send flowers"]},
    "housekeeping": {"phrases": ["clean my room"]},
    "status": {"phrases": ["where is my order"]},
})


@pytest.mark.parametrize("said, action, inside", [
    ("I need to pick up Mia Chen early today", "pickup", "Mia Chen"),
    ("how much to change all the locks", "rekey", "all"),
    ("I locked myself out", "lockout", "myself"),
    ("can I just talk to a real person", "people", "real"),
    ("could I speak to one of the librarians", "people", "one of the"),   # small words differ, plural said
    ("I'd like to send some flowers to my mom", "flowers", "some"),
    ("where's my flower order", "status", "flower"),
])
def test_a_phrase_said_with_a_few_words_inside_it_fires(said, action, inside):
    matches = SPREAD.match_turn(said, {})
    assert [m.action for m in matches] == [action]
    assert matches[0].why == f"said with {inside!r} inside it"


def test_the_words_of_substance_inside_a_phrase_stay_free():
    """ "Mia Chen" inside "pick up ... early" is not the phrase's: a name reader may still take it."""
    said = "pick up Mia Chen early"
    match = SPREAD.match_turn(said, {})[0]
    assert [said[s:e] for s, e in match.spans()] == ["pick up", "early"]
    said = "I locked myself out"
    assert [said[s:e] for s, e in SPREAD.match_turn(said, {})[0].spans()] == ["locked myself out"]


@pytest.mark.parametrize("said", [
    "I'll pick her up at the bus stop and she can go home early",  # "and" starts another statement
    "I picked up the form, is the office open early",               # a pause between the phrase's words
    "I got locked in the garage, then climbed out",
    "can I pick up the kids from the after school club a bit early",  # too many words inside
    "is the kitchen still making food I can eat in my room",         # "can" is no "clean"
    "I don't want to change any of the locks",                       # negated before the phrase
    "change nothing about the locks",                                # a negation inside it
    "early, I need to pick up",                                      # the words out of order
])
def test_words_scattered_over_a_sentence_are_no_phrase(said):
    assert SPREAD.match_turn(said, {}) == []


def test_a_negated_spread_phrase_is_suppressed_not_fired():
    heard = SPREAD.hear("no need to send any flowers", {})
    assert heard.matches == [] and [m.action for m in heard.suppressed] == ["flowers"]


NOT_SAID = index({
    "system_status": {"phrases": ["not producing"]},
    "ticket": {"phrases": ["isn't working", "does not turn on"]},
    "quote": {"phrases": ["get a quote"]},
})


@pytest.mark.parametrize("said, action, words", [
    ("my panels aren't producing anything", "system_status", "aren't producing"),
    ("the panels arent producing", "system_status", "arent producing"),
    ("my monitor doesn't turn on", "ticket", "doesn't turn on"),
    ("my monitor doesn\u2019t turn on", "ticket", "doesn\u2019t turn on"),
    ("the scanner is not working", "ticket", "not working"),
])
def test_a_phrase_that_says_not_fires_on_the_other_spelling_of_it(said, action, words):
    match = NOT_SAID.match_turn(said, {})[0]
    assert match.action == action
    assert words in said[match.start:match.end]


@pytest.mark.parametrize("said", ["my panels are producing", "the monitor does turn on", "I can't get a quote"])
def test_a_phrase_that_says_not_needs_its_not(said):
    assert [m.action for m in NOT_SAID.match_turn(said, {})] in ([], ["quote"])
    assert all(m.action != "system_status" and m.action != "ticket" for m in NOT_SAID.match_turn(said, {}))


def test_a_phrase_that_says_not_is_still_negated_by_a_refusal_before_it():
    heard = NOT_SAID.hear("I don't want to say it isn't working", {})
    assert heard.matches == [] and [m.action for m in heard.suppressed] == ["ticket"]


AROUND = index({"check_date": {"phrases": ["is available"]}, "hours": {"phrases": ["are open"]}})


@pytest.mark.parametrize("said, action, inside", [
    ("hi um is june the twentieth available", "check_date", "june the twentieth"),
    ("is saturday at ten available", "check_date", "saturday at ten"),
    ("are you guys open on sunday", "hours", None),                          # other words inside: no moment
    ("is the seventeenth of october available then", "check_date", "the seventeenth of october"),
])
def test_a_phrase_of_one_word_of_substance_takes_a_day_or_time_inside_it(said, action, inside):
    matches = AROUND.match_turn(said, {})
    if inside is None:
        assert matches == []
        return
    assert [m.action for m in matches] == [action]
    assert inside not in " ".join(said[s:e] for s, e in matches[0].spans())   # the date stays free for its reader


@pytest.mark.parametrize("said", [
    "is the big barn available",          # no day or time inside
    "is my son available",
    "is june, the twentieth, available",  # a pause inside
    "is june the twentieth not available",
    "is 20 people too many, is it available",
])
def test_a_phrase_of_one_word_of_substance_takes_nothing_else_inside_it(said):
    assert [m.action for m in AROUND.match_turn(said, {}) if m.why.startswith("said with")] == []


@pytest.mark.parametrize("said, phrase, span", [
    ("do you have anything friday morning for a cleaning", "book a cleaning", "for a cleaning"),
    ("hi um is june the twentieth available", "is available", "twentieth available"),
])
def test_a_fuzzy_match_is_where_its_whole_words_are(said, phrase, span):
    """The fuzzy matcher aligns "r a cleaning" with "book a cleaning": the match holds the words it cuts into,
    so no half of a word is left free for a name or free text."""
    match = index({"it": {"phrases": [phrase]}}).match_turn(said, {})[0]
    assert match.score < 100 and [said[s:e] for s, e in match.spans()] == [span]


def test_where_any_phrase_is_said_as_written():
    tows = index({"tow": {"phrases": ["need a tow", "tow truck"]}, "other": {"phrases": ["talk to dispatch"]}})
    said = "I need a tow truck, not to talk to dispatch"
    assert sorted(said[s:e] for s, e in tows.phrases_in(said)) == ["need a tow", "talk to dispatch", "tow truck"]
    assert tows.phrases_in("my truck broke down") == []


SERVICES = index({
    "quote": {"phrases": ["cater a wedding", "get a quote"]},
    "book": {"phrases": ["book a lesson", "reserve a unit"]},
    "transfer": {"phrases": ["transfer me to billing", "transfer to billing"]},
})


@pytest.mark.parametrize("said, action, told", [
    ("you guys catered my sister's wedding last year", "quote", "catered"),
    ("I booked a lesson last week", "book", "booked"),
])
def test_a_phrase_said_in_the_past_tense_tells_a_story_and_fires_nothing(said, action, told):
    heard = SERVICES.hear(said, {})
    assert heard.matches == []
    assert [(m.action, m.negated) for m in heard.suppressed] == [(action, f"{told} (said of the past)")]


@pytest.mark.parametrize("said, action", [
    ("can you cater a wedding in june", "quote"),
    ("can I get it booked, a lesson for saturday", "book"),
    ("could I be transferred to billing", "transfer"),
    ("I want to book a lesson", "book"),
])
def test_a_passive_or_the_phrase_as_written_still_fires(said, action):
    assert [m.action for m in SERVICES.match_turn(said, {})][:1] == [action]


@pytest.mark.parametrize("said", [
    "do I need to come in person to reserve a unit?",
    "quick question, do I need to book a lesson in advance",
    "is it necessary to reserve a unit before moving in",
    "so do we really have to book a lesson",
])
def test_a_question_whether_it_is_needed_asks_for_nothing(said):
    heard = SERVICES.hear(said, {})
    assert heard.matches == [] and [m.action for m in heard.suppressed] == ["book"]
    assert heard.suppressed[0].negated.endswith("(asks whether it is needed)")


@pytest.mark.parametrize("said", ["I need to reserve a unit", "do I need to bring ID? I want to reserve a unit"])
def test_a_request_beside_or_after_the_question_still_fires(said):
    assert [m.action for m in SERVICES.match_turn(said, {})] == ["book"]
