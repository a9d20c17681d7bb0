"""A value speech-to-text was unsure of is not taken: the agent asks again. Unsure: read from a word it only
guessed, or not given by most of the other wordings it weighed; sure: other wordings only spell it otherwise.

Each case is a heard transcript with the engine's probability for each word (and its beam), taken as a turn
of a real call (the order desk of scenarios/voice and a clinic that asks for a name and a date).
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from callsim.backends import build_backends
from callsim.config.project import load_project
from callsim.config.scenario import ScenarioConfig
from callsim.engine.clock import VirtualClock
from callsim.engine.session import CallSession
from callsim.trace.trace import Trace
from callsim.voice.heard import MIN_WORD_PROBABILITY, counterpart
from callsim.voice.caller_audio import SECOND_HEARING, hear, judge
from callsim.voice.stt import Transcript

ORDER_DESK = Path(__file__).resolve().parents[2] / "scenarios" / "voice" / "agent.yaml"
SURE, GUESS = 0.95, MIN_WORD_PROBABILITY / 2

CLINIC = """\
agent: clinic
greeting: Clinic, how can I help?
fallback: Sorry?
timezone: America/New_York
variables:
  caller_name: {type: name, ask: What is your name?}
  visit_date: {type: date, ask: Which day would you like?}
  reminder: {type: yes_no, ask: Shall we text you a reminder?}
uses: [actions.yaml]
actions: [book_visit, remind]
"""
CLINIC_ACTIONS = """\
actions:
  book_visit:
    type: http
    trigger: {phrases: [book a visit]}
    needs: [caller_name, visit_date]
    request: {method: POST, url: https://clinic.test/visits}
  remind:
    type: http
    trigger: {phrases: [remind me]}
    needs: [reminder]
    request: {method: POST, url: https://clinic.test/visits}
"""


def words(*pairs: tuple[str, float]) -> Transcript:
    return Transcript(" ".join(word for word, _ in pairs), 0.9, words=pairs)


def heard_events(project: Any, typed: list[str], transcript: Transcript) -> list[Any]:
    """The caller types `typed`, then says `transcript`: the events of that heard turn."""
    async def call() -> list[Any]:
        clock = VirtualClock(dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.timezone.utc))
        routes = [{"match": "GET https://orders.example.test/orders/4567", "json": {"status": "shipped"}},
                  {"match": "POST https://clinic.test/visits", "json": {}}]
        config = ScenarioConfig(scenario="guessed", agent="agent.yaml", http=routes)
        trace = Trace()
        session = CallSession(project, clock=clock, backends=build_backends(config, clock), trace=trace)
        await session.start()
        for text in typed:
            await session.caller_says(text)
        mark = len(trace.events)
        await hear(session, transcript, source="turn.wav", engine="test", seconds=1.0)
        assert session.heard is None  # the turn is over: a later SMS reply is read in full
        return trace.events[mark:]

    return asyncio.run(call())


def heard_in_call(project: Any, typed: list[str], transcript: Transcript) -> tuple[dict[str, Any], list[str]]:
    """The caller types `typed`, then says `transcript`: the variables the caller gave and the agent's lines."""
    events = heard_events(project, typed, transcript)
    values = {e.name: e.value for e in events if e.type == "variable_set" and e.source == "caller"}
    return values, [e.text for e in events if e.type == "agent_said"]


@pytest.fixture(scope="module")
def order_desk() -> Any:
    return load_project(ORDER_DESK)


@pytest.fixture(scope="module")
def clinic(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("clinic")
    (folder / "agent.yaml").write_text(CLINIC)
    (folder / "actions.yaml").write_text(CLINIC_ACTIONS)
    return load_project(folder / "agent.yaml")


def test_a_number_heard_with_a_guessed_digit_string_is_asked_again(order_desk) -> None:
    values, said = heard_in_call(order_desk, ["where is my order"], words(
        ("My", SURE), ("order", SURE), ("number", SURE), ("is", SURE), ("64567.", GUESS)))
    assert values == {}
    assert said == ["What is your order number?"]


def test_the_same_number_heard_surely_is_taken(order_desk) -> None:
    values, said = heard_in_call(order_desk, ["where is my order"],
                                 words(("My", SURE), ("order", SURE), ("number", SURE), ("is", SURE), ("4567.", SURE)))
    assert values == {"order_number": "4567"}
    assert said == ["Order 4567 is shipped."]


def test_a_guessed_word_beside_the_value_does_not_stop_it(order_desk) -> None:
    values, _ = heard_in_call(order_desk, ["where is my order"],
                              words(("Um,", GUESS), ("it's", SURE), ("4567.", SURE)))
    assert values == {"order_number": "4567"}


def test_a_name_with_a_guessed_surname_is_asked_again(clinic) -> None:
    values, said = heard_in_call(clinic, ["I'd like to book a visit"],
                                 words(("It's", SURE), ("Maria", SURE), ("Narcia.", GUESS)))
    assert "caller_name" not in values
    assert said == ["What is your name?"]


def test_a_date_with_a_guessed_month_is_not_taken_as_another_date(clinic) -> None:
    values, said = heard_in_call(clinic, ["I'd like to book a visit", "my name is Maria Garcia"],
                                 words(("The", SURE), ("fifteenth", SURE), ("of", SURE), ("August.", GUESS)))
    assert "visit_date" not in values
    assert said == ["Which day would you like?"]
    values, _ = heard_in_call(clinic, ["I'd like to book a visit", "my name is Maria Garcia"],
                              words(("The", SURE), ("fifteenth", SURE), ("of", SURE), ("December.", SURE)))
    assert values["visit_date"] == "2026-12-15"


def test_the_trace_says_which_words_were_guessed() -> None:
    taken = judge(words(("My", SURE), ("number", SURE), ("is", SURE), ("5558812.", 0.1)))
    assert taken.fires and taken.heard is not None and taken.heard.guessed() == {"5558812"}
    assert taken.note == (f"unsure of '5558812.' (probability under {MIN_WORD_PROBABILITY}): no value is read from "
                          "it (from a word without digits, unless the other wordings weighed mostly spell the same "
                          "value)")
    assert judge(words(("Where", SURE), ("is", SURE), ("my", SURE), ("order?", SURE))).note is None


def beam(text: str, *others: tuple[str, float]) -> Transcript:
    """`text` heard surely word by word, with the engine's other wordings and their shares of its beam."""
    return Transcript(text, 0.9, words=tuple((word, SURE) for word in text.split()),
                      hypotheses=((text, 1 - sum(share for _, share in others)), *others))


def test_a_number_the_engines_other_wordings_say_otherwise_is_asked_again(order_desk) -> None:
    heard = beam("My order number is 64567.", ("My order number is 4567.", 0.35), ("My order number is 4567", 0.25))
    values, said = heard_in_call(order_desk, ["where is my order"], heard)
    assert values == {}
    assert said == ["What is your order number?"]


def test_a_number_its_other_wordings_only_write_otherwise_is_taken(order_desk) -> None:
    heard = beam("My order number is 4567.", ("My order number is 4, 5, 6, 7.", 0.3),
                 ("my order number is 45 67", 0.2), ("My order number is four five six seven", 0.2))
    values, said = heard_in_call(order_desk, ["where is my order"], heard)
    assert values == {"order_number": "4567"}
    assert said == ["Order 4567 is shipped."]


def test_a_word_the_other_wordings_replace_is_asked_again_even_when_each_says_it_surely(clinic) -> None:
    heard = beam("It's Maria Narcia.", ("It's Maria Garcia.", 0.3), ("It's Maria Garcia", 0.25))
    taken = judge(heard)
    assert taken.note == "also weighed \"It's Maria Garcia.\" (0.30), \"It's Maria Garcia\" (0.25): a value they do " \
                         "not give is not taken"
    values, said = heard_in_call(clinic, ["I'd like to book a visit"], heard)
    assert "caller_name" not in values
    assert said == ["What is your name?"]


def test_a_word_its_other_wordings_say_otherwise_but_mean_alike_is_no_guess(clinic) -> None:
    # Whisper gives "Yes" 0.12 because "Yeah" takes much of the rest: the answer is yes either way
    heard = Transcript("Yes, please.", 0.9, words=(("Yes,", 0.12), ("please.", SURE)),
                       hypotheses=(("Yes, please.", 0.5), ("Yeah, please.", 0.35), ("Yes please", 0.15)))
    values, said = heard_in_call(clinic, ["remind me"], heard)
    assert values == {"reminder": True}
    alone = Transcript("Yes, please.", 0.9, words=(("Yes,", 0.12), ("please.", SURE)),
                       hypotheses=(("Yes, please.", 0.5), ("No, please.", 0.35), ("Yes please", 0.15)))
    values, said = heard_in_call(clinic, ["remind me"], alone)
    assert values == {}
    assert said == ["Shall we text you a reminder?"]


def test_the_other_spellings_of_a_guessed_digit_string_do_not_make_it_sure(order_desk) -> None:
    # "8-1-2-0-3" and "8.1.2.0.3" write the same digits: together they say nothing of a digit Whisper dropped
    heard = Transcript("My order number is 8-1-2-0-3.", 0.9,
                       words=(("My", SURE), ("order", SURE), ("number", SURE), ("is", SURE), ("8-1-2-0-3.", 0.13)),
                       hypotheses=(("My order number is 8-1-2-0-3.", 0.45), ("My order number is 8.1.2.0.3.", 0.35),
                                   ("My order number is 81203", 0.2)))
    values, said = heard_in_call(order_desk, ["where is my order"], heard)
    assert values == {}
    assert said == ["What is your order number?"]


@pytest.mark.parametrize(("text", "part", "other", "expected"), [
    ("my number is 4567 thanks", "4567 thanks", "My number is 4, 5, 6, 7. Thanks", "4, 5, 6, 7. Thanks"),
    ("Yes, please.", "Yes, please.", "Yeah, please.", "Yeah, please."),
    ("it's Maria Garcia and my number is 12", "Maria Garcia", "it's Maria Narcia and my number is 12", "Maria Narcia"),
    ("the 15th of August", "15th of August", "on the fifteenth of August", "fifteenth of August"),
    ("call me at 555 1234", "call me at 555 1234", "Paul me at 555", "Paul me at 555"),
    ("my number is 5 5 1 2 thanks", "5 5 1 2", "My number is 5, 5, 5, 1, 2. Thanks", "5, 5, 5, 1, 2."),
    ("order 4567 and name Jo", "order 4567 ;;;;;;;;;;;", "Order 4567. And name Jo", "Order 4567. And"),
])
def test_the_counterpart_of_a_part_is_where_the_other_wording_says_it(text, part, other, expected) -> None:
    assert counterpart(text, part, other) == expected


def test_a_value_in_doubt_is_taken_when_a_second_hearing_is_sure_of_it(clinic) -> None:
    asked: list[str] = []

    def again(text: str, *others: tuple[str, float]) -> Any:
        def hear() -> Transcript:
            asked.append(text)
            return beam(text, *others)
        return hear

    doubted = Transcript("It's Maria Garcia.", 0.9, words=(("It's", SURE), ("Maria", SURE), ("Garcia.", GUESS)))
    confirmed = dataclasses.replace(doubted, again=again("Maria Garcia"))
    values, said = heard_in_call(clinic, ["I'd like to book a visit"], confirmed)
    assert values["caller_name"] == "Maria Garcia" and asked == ["Maria Garcia"]
    assert said == ["Which day would you like?"]
    # heard otherwise the second time, or doubted again: the agent asks
    for second in (again("It's Maria Narcia."), again("It's Maria Garcia.", ("It's Maria Narcia.", 0.4))):
        values, said = heard_in_call(clinic, ["I'd like to book a visit"], dataclasses.replace(doubted, again=second))
        assert "caller_name" not in values
        assert said == ["What is your name?"]


def test_a_turn_heard_surely_is_not_heard_again(clinic) -> None:
    def never() -> Transcript:
        raise AssertionError("heard again though nothing was in doubt")

    sure = dataclasses.replace(beam("It's Maria Garcia."), again=never)
    values, _ = heard_in_call(clinic, ["I'd like to book a visit"], sure)
    assert values["caller_name"] == "Maria Garcia"


def test_the_trace_shows_the_second_hearing(clinic) -> None:
    doubted = Transcript("It's Maria Garcia.", 0.9, words=(("It's", SURE), ("Maria", SURE), ("Garcia.", GUESS)),
                         again=lambda: beam("It's Maria Garcia."))
    events = heard_events(clinic, ["I'd like to book a visit"], doubted)
    heard = [e for e in events if e.type == "speech_recognized"]
    assert [e.text for e in heard] == ["It's Maria Garcia.", "It's Maria Garcia."]
    assert heard[1].note == SECOND_HEARING
    assert [e.type for e in events].index("variable_set") > [e.type for e in events].index("speech_recognized", 1)
