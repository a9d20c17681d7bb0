"""The transfer, dtmf and ivr_said expectations against hand-made traces: what passes, and what a miss explains."""

from __future__ import annotations

from callsim.config.scenario import Expectation
from callsim.trace.events import (Bridged, Busy, DialFailed, Dialing, DtmfSent, IvrSaid, NoAnswer, WhisperPlayed)
from callsim.trace.expect import check, transfer_attempts

TRAIL = [
    Dialing(action="t", leg="leg-1", destination="+14155550151", mode="warm"),
    Busy(action="t", leg="leg-1", destination="+14155550151"),
    Dialing(action="t", leg="leg-2", destination="sip:desk@pbx.test", mode="warm", attempt=2),
    WhisperPlayed(action="t", leg="leg-2", destination="sip:desk@pbx.test", text="Jane Doe is calling about 4567."),
    Bridged(action="t", leg="leg-2", destination="sip:desk@pbx.test", mode="warm"),
    DialFailed(action="u", destination="555-0188", reason="no country code", mode="cold"),
]


def verdict(expectation: dict, events=TRAIL):
    return check(Expectation.model_validate(expectation), events, events)


def test_attempts_are_read_leg_by_leg():
    assert transfer_attempts(TRAIL) == [
        {"to": "+14155550151", "mode": "warm", "whisper": "", "outcome": "busy"},
        {"to": "sip:desk@pbx.test", "mode": "warm", "whisper": "Jane Doe is calling about 4567.", "outcome": "connected"},
        {"to": "555-0188", "mode": "cold", "whisper": "", "outcome": "failed"},
    ]


def test_a_transfer_expectation_matches_one_attempt_on_every_field_given():
    assert verdict({"transfer": {"to": "+14155550151", "outcome": "busy"}}) is None
    assert verdict({"transfer": {"to": "SIP:desk@PBX.test", "mode": "warm", "whisper_contains": "jane doe",
                                 "outcome": "connected"}}) is None
    assert verdict({"transfer": {"to": "555-0188", "outcome": "failed"}}) is None
    assert verdict({"transfer": {"outcome": "connected"}}) is None


def test_a_missed_transfer_lists_every_attempt():
    failure = verdict({"transfer": {"to": "+14155550151", "outcome": "connected"}})

    assert failure.expected == "a transfer to +14155550151, outcome connected"
    assert failure.instead == ("transfers: +14155550151 (warm) → busy; sip:desk@pbx.test (warm) → connected, whisper "
                               "'Jane Doe is calling about 4567.'; 555-0188 (cold) → failed")
    assert verdict({"transfer": {"to": "+14155550151", "whisper_contains": "4567"}}) is not None
    assert verdict({"transfer": {"outcome": "busy"}}, []).instead == "no transfer was attempted; no action ran here"


def test_dtmf_compares_keys_in_order_with_pauses_only_when_written():
    sent = [DtmfSent(action="m", digits="2", duration=0.2), DtmfSent(action="m", digits="w1234#", duration=1.5)]

    assert verdict({"dtmf": "21234#"}, sent) is None
    assert verdict({"dtmf": "1234"}, sent) is None
    assert verdict({"dtmf": "2w1234#"}, sent) is None
    assert verdict({"dtmf": "12#"}, sent).instead == "it sent '2w1234#'"
    assert verdict({"dtmf": 2}, []).instead == "it sent no keys; no action ran here"


def test_dtmf_exact_fails_a_key_too_many_before_or_after():
    sent = [DtmfSent(action="m", digits="2", duration=0.2), DtmfSent(action="m", digits="w1234#", duration=1.5)]

    assert verdict({"dtmf": {"keys": "21234#", "exact": True}}, sent) is None
    assert verdict({"dtmf": {"keys": "2w1234#", "exact": True}}, sent) is None  # pauses count when written
    assert verdict({"dtmf": {"keys": "21234#"}}, sent) is None  # the mapping without exact: the loose check
    extra = [*sent, DtmfSent(action="m", digits="1", duration=0.2)]
    assert verdict({"dtmf": "21234#"}, extra) is None  # the short form still lets a key follow
    failure = verdict({"dtmf": {"keys": "21234#", "exact": True}}, extra)
    assert (failure.expected, failure.instead) == ("the agent to send exactly the keys '21234#'", "it sent '2w1234#1'")
    assert verdict({"dtmf": {"keys": "1234#", "exact": True}}, sent) is not None  # a key before them
    assert verdict({"dtmf": {"keys": "2", "exact": True}}, []).instead == "it sent no keys; no action ran here"


def test_ivr_said():
    prompts = [IvrSaid(text="For claims press 1.", node="menu", turn=1)]

    assert verdict({"ivr_said": "CLAIMS PRESS 1"}, prompts) is None
    assert verdict({"ivr_said": "coverage"}, prompts).instead == "the menu said: 'For claims press 1.'"


def test_no_answer_counts_per_leg():
    trail = [Dialing(action="t", leg="leg-1", destination="+14155550151", mode="cold"),
             NoAnswer(action="t", leg="leg-1", destination="+14155550151", after=25)]

    assert verdict({"transfer": {"to": "+14155550151", "mode": "cold", "outcome": "no_answer"}}, trail) is None
