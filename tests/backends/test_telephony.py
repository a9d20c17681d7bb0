"""The telephony fake: destinations, what each phone does when dialed, and the phone menu on the virtual clock."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from callsim.backends.ivr import RESPONSE_DELAY, FakeIvr
from callsim.backends.telephony import VOICEMAIL_AFTER, DestinationError, FakeTelephony, parse_destination
from callsim.config.telephony import IvrMenu, PhoneBehaviour
from callsim.engine.clock import VirtualClock
from callsim.errors import CallError
from callsim.trace.events import IvrInput

# ---- destinations ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "kind", "address"), [
    ("+14155550123", "phone", "+14155550123"),
    ("+34911234567", "phone", "+34911234567"),
    ("sip:billing@pbx.acme.test", "sip", "sip:billing@pbx.acme.test"),
    ("SIPS:queue@pbx.acme.test:5061;transport=tls", "sip", "sips:queue@pbx.acme.test:5061;transport=tls"),
])
def test_destinations(text, kind, address):
    destination = parse_destination(text)

    assert (destination.kind, destination.address, str(destination)) == (kind, address, address)


@pytest.mark.parametrize(("text", "problem"), [
    ("555-1234", "'555-1234' has no country code; E.164 numbers start with + and the country code"),
    ("+1 415 555", "'+1 415 555' is not a valid phone number (too short for the numbering plan of +1)"),
    ("+1 415 555 0123", "'+1 415 555 0123' is not in E.164 form; write it as +14155550123"),
    ("+15550100000", "'+15550100000' is not a valid phone number (no such number in the numbering plan of +1)"),
    ("tel:+14155550123", "'tel:+14155550123': write the number without tel:"),
    ("sip:billing@", "'sip:billing@' is not a valid SIP URI: the host is missing"),
    ("billing@pbx.acme.test", "'billing@pbx.acme.test' is not a phone number"),
    ("", "expected a phone number in E.164 form"),
])
def test_invalid_destinations_say_what_is_wrong(text, problem):
    with pytest.raises(DestinationError) as caught:
        parse_destination(text)

    assert str(caught.value).startswith(problem), str(caught.value)


def test_the_same_target_written_two_ways_has_one_key():
    assert parse_destination("sip:Q@PBX.acme.test;transport=TCP").key() == \
        parse_destination("sip:Q@pbx.acme.test;transport=tcp?subject=x").key()
    assert parse_destination("sip:q@pbx.acme.test").key() != parse_destination("sip:Q@pbx.acme.test").key()


# ---- dialing ---------------------------------------------------------------------------------------


def phones(**by_number: dict) -> FakeTelephony:
    return FakeTelephony({f"+1415555{n[1:]}": PhoneBehaviour(**spec) for n, spec in by_number.items()})


def test_each_phone_behaves_as_the_scenario_says():
    telephony = phones(n0101={"answer_after": 8}, n0102={"busy": True}, n0103={"no_answer": True},
                       n0104={"voicemail": True}, n0105={"fails": 404}, n0106={"answer_after": 3, "declines": True,
                                                                                 "accepts_after": 2})
    legs = [telephony.dial(parse_destination(f"+1415555010{i}")) for i in range(1, 7)]

    assert [(leg.id, leg.state, leg.reason, leg.answers_after) for leg in legs] == [
        ("leg-1", "ringing", "", 8.0), ("leg-2", "busy", "486 Busy Here", None), ("leg-3", "ringing", "", None),
        ("leg-4", "ringing", "", VOICEMAIL_AFTER), ("leg-5", "failed", "404 Not Found", None),
        ("leg-6", "ringing", "", 3.0)]
    assert legs[3].voicemail and legs[5].declines and legs[5].accepts_after == 2.0
    assert telephony.legs == legs


def test_dialing_a_number_the_scenario_does_not_describe_fails_the_call_loudly():
    telephony = phones(n0101={"answer_after": 8})

    with pytest.raises(CallError, match=r"no phone in the scenario answers \+14155550199; add it to the scenario's "
                                        r"phones:, e\.g\. phones: \{\"\+14155550199\": \{answer_after: 5s\}\}"):
        telephony.dial(parse_destination("+14155550199"))


def test_a_sip_phone_is_found_however_the_uri_is_spelled():
    telephony = FakeTelephony({"sip:desk@PBX.acme.test": PhoneBehaviour(answer_after=2)})

    leg = telephony.dial(parse_destination("sip:desk@pbx.acme.test"), sip_headers={"X-Order": "4567"})

    assert leg.state == "ringing" and leg.sip_headers == {"X-Order": "4567"}


@pytest.mark.parametrize(("spec", "problem"), [
    ({}, "say what this phone does"),
    ({"busy": True, "no_answer": True}, "give one of busy, no_answer, voicemail and fails, not busy and no_answer"),
    ({"busy": True, "answer_after": 3}, "answer_after does not go with busy"),
    ({"declines": True}, "say what this phone does"),
    ({"voicemail": True, "declines": True}, "declines needs a person who answers"),
    ({"fails": 200}, "fails: 200 is not a SIP failure status"),
])
def test_phone_behaviours_that_contradict_themselves_are_refused(spec, problem):
    with pytest.raises(ValueError, match=problem):
        PhoneBehaviour(**spec)


# ---- the phone menu --------------------------------------------------------------------------------


class Line:
    """The agent's side of an outbound call, as the menu sees it: prompts heard, keys pressed back by a script."""

    def __init__(self, clock: VirtualClock, answers: dict[str, str] | None = None) -> None:
        self.clock = clock
        self.answers = answers or {}
        self.ended = False
        self.heard: list[tuple[float, str, str, int]] = []
        self.events: list[object] = []
        self.ivr: FakeIvr | None = None
        self.ended_reason = ""

    def schedule(self, delay, callback, *, after_end=False):
        async def run():
            if not self.ended:
                await callback()
        return self.clock.schedule(delay, run)

    def emit(self, event):
        self.events.append(event)
        return event

    async def hears_prompt(self, text, node, attempt=1):
        self.heard.append((self.clock.elapsed(), node, text, attempt))
        await self.clock.sleep(len(text.split()) / 2.5)
        for cue, keys in self.answers.items():
            if cue in text:
                for key in keys:
                    self.ivr.press(key)
                    await self.clock.sleep(0.2)

    async def hangup(self, by="caller", reason="hangup"):
        self.ended, self.ended_reason = True, reason


def play(menu: dict, answers: dict[str, str] | None = None, seconds: float = 120) -> tuple[Line, FakeIvr]:
    clock = VirtualClock(dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc))
    line = Line(clock, answers)
    ivr = line.ivr = FakeIvr(IvrMenu.model_validate(menu))
    ivr.attach(line)
    asyncio.run(clock.sleep(seconds))
    return line, ivr


MENU = {
    "say": "For claims press 1. For eligibility press 2.",
    "options": {
        1: {"name": "claims", "say": "Claims are online. Goodbye.", "hangup": True},
        "2": {"name": "member id", "say": "Enter the member ID then pound.", "collect": "#", "pattern": r"\d{4}",
              "invalid": "That ID is not valid.", "then": {"name": "coverage", "say": "Coverage is active."}},
    },
}


def test_the_menu_leads_through_an_option_and_a_collected_entry_to_a_leaf():
    line, ivr = play(MENU, {"eligibility": "2", "member ID": "1234#"})

    assert [node for _, node, _, _ in line.heard] == ["menu", "member id", "coverage"]
    assert ivr.collected == [("member id", "1234")]
    assert not line.ended and ivr.visited == ["menu", "member id", "coverage"]
    t_menu, t_entry = line.heard[0][0], line.heard[1][0]
    # 8 words at 2.5 words/s, one key, then the menu's reaction time
    assert t_entry == pytest.approx(t_menu + 8 / 2.5 + RESPONSE_DELAY)


def test_a_dead_end_option_hangs_up():
    line, ivr = play(MENU, {"eligibility": "1"})

    assert line.heard[-1][2] == "Claims are online. Goodbye." and line.ended and ivr.hung_up
    assert line.ended_reason == "ivr: the menu reached a dead end"


def test_a_wrong_key_says_why_and_repeats_the_prompt_then_gives_up():
    line, _ = play({**MENU, "repeat": 1}, {"eligibility": "7"})

    assert [text for _, _, text, _ in line.heard] == [
        MENU["say"], "Sorry, that is not a valid choice.", MENU["say"],
        "Sorry, we could not process your request. Goodbye."]
    assert [attempt for *_, attempt in line.heard] == [1, 2, 2, 2]
    assert [(e.digits, e.result) for e in line.events if isinstance(e, IvrInput)] == [("7", "wrong key")] * 2
    assert line.ended_reason == "ivr: the menu gave up"


def test_silence_times_out_and_the_prompt_repeats_after_the_timeout():
    line, _ = play({"say": "Press 1.", "timeout": 4, "repeat": 2, "options": {"1": {"say": "Thanks."}}})

    times = [t for t, _, text, _ in line.heard if text == "Press 1."]
    assert len(times) == 3 and times[1] - times[0] == pytest.approx(2 / 2.5 + 4)
    assert line.ended


def test_an_entry_that_does_not_match_the_pattern_is_rejected():
    line, ivr = play(MENU, {"eligibility": "2", "member ID": "99#"}, seconds=30)

    assert "That ID is not valid." in [text for _, _, text, _ in line.heard]
    assert ivr.collected == [] and line.heard[-1][1] == "member id"


def test_keys_pressed_before_the_next_prompt_starts_are_lost():
    line, ivr = play(MENU, {"eligibility": "21234#"}, seconds=20)

    results = [(e.digits, e.result) for e in line.events if isinstance(e, IvrInput)]
    assert results[0] == ("2", "option")
    assert results[1][1].startswith("lost") and ivr.collected == []


def test_a_plain_prompt_goes_on_to_its_then_and_an_unfinished_entry_times_out():
    menu = {"say": "Welcome to Acme.", "then": {"name": "pin", "say": "Enter your PIN then pound.", "collect": "#",
                                                "timeout": 3, "repeat": 0}}
    line, ivr = play(menu, {"PIN": "12"})

    assert [(node, text) for _, node, text, _ in line.heard] == [
        ("menu", "Welcome to Acme."), ("pin", "Enter your PIN then pound."),
        ("pin", "Sorry, we could not process your request. Goodbye.")]
    assert [(e.digits, e.result) for e in line.events if isinstance(e, IvrInput)] == [("12", "timeout")]
    assert line.heard[1][0] == pytest.approx(line.heard[0][0] + 3 / 2.5 + RESPONSE_DELAY)
