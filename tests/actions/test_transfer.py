"""The transfer action on the virtual clock: every outcome, its timing, its fallback and what the trace shows."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from callsim.actions.transfer import call_summary
from callsim.runner import ScenarioResult, run_scenario
from callsim.templates.values import Readable
from callsim.trace.events import AgentSaid, CallerSaid, TriggerMatched, VariableSet

AGENT = """\
agent: desk
greeting: Hello.
fallback: Sorry, I cannot help with that.
timezone: America/New_York
variables:
  caller_name: {type: name, ask: Your name?}
  target: {from: start_data}
  note: {from: start_data}
  language: {from: start_data}
uses: [actions.yaml]
actions: [to_billing, log_call]
"""

LOG_CALL = """
  log_call:
    type: http
    trigger: {on: call_end}
    request:
      method: POST
      url: https://log.test/calls
      json: {outcome: "{{ transfer.outcome | default('none') }}"}
"""


def run(tmp_path: Path, transfer: str, phones: str = "", *, start: str = "{}", now: str = "2026-11-30T15:00:00-05:00",
        turns: str = "  - caller: billing please\n", extra: str = "", http: str = "") -> ScenarioResult:
    (tmp_path / "agent.yaml").write_text(AGENT)
    actions = "actions:\n  to_billing:\n    type: transfer\n    trigger: {phrases: [billing]}\n" + \
        textwrap.indent(textwrap.dedent(transfer), "    ") + LOG_CALL + textwrap.dedent(extra)
    (tmp_path / "actions.yaml").write_text(actions)
    routes = "  - {match: POST https://log.test/calls, status: 204}\n" + http
    scenario = (f"scenario: s\nagent: agent.yaml\nnow: {now}\nstart_data: {start}\nhttp:\n{routes}"
                f"phones:\n{textwrap.indent(textwrap.dedent(phones), '  ') or '  {}'}\nturns:\n{turns}")
    (tmp_path / "s.yaml").write_text(scenario)
    result = run_scenario(tmp_path / "s.yaml")
    assert result.crash is None, result.crash
    return result


def events(result: ScenarioResult, *types: str) -> list:
    return [e for e in result.trace.events if not types or e.type in types]


def said(result: ScenarioResult) -> list[str]:
    return [e.text for e in events(result, "agent_said")]


def at(result: ScenarioResult, kind: str) -> float:
    return next(e.t for e in result.trace.events if e.type == kind)


WARM = """\
say: Connecting you to billing.
mode: warm
whisper: "Billing call, note {{ note | default('none') }}."
destination: "+14155550123"
ring_timeout: 25s
hold_audio: music
on_no_answer: {say: "Nobody answered ({{ transfer.outcome }})."}
on_busy: {say: Billing is busy.}
on_declined: {say: Billing declined.}
on_fail: {say: The transfer failed.}
"""


def test_a_warm_transfer_plays_out_in_order_and_the_agent_leaves(tmp_path):
    result = run(tmp_path, WARM, '"+14155550123": {answer_after: 8s, accepts_after: 3s}')

    kinds = [e.type for e in events(result, "agent_said", "hold_started", "dialing", "ringing", "answered",
                                    "whisper_played", "bridged", "hold_stopped", "call_ended", "action_finished",
                                    "http_request")]
    assert kinds == ["agent_said", "agent_said", "hold_started", "dialing", "ringing", "answered", "whisper_played",
                     "bridged", "hold_stopped", "call_ended", "action_finished", "http_request", "action_finished"]
    assert said(result) == ["Hello.", "Connecting you to billing."]  # `say` comes before dialing, once
    dialed = at(result, "dialing")
    assert at(result, "ringing") == pytest.approx(dialed + 0.3)
    assert at(result, "answered") == pytest.approx(dialed + 8.3)
    whisper = events(result, "whisper_played")[0]
    assert whisper.text == "Billing call, note none." and whisper.duration == pytest.approx(1.6)
    assert at(result, "bridged") == pytest.approx(dialed + 8.3 + 1.6 + 3)
    assert events(result, "hold_stopped")[0].duration == pytest.approx(8.3 + 1.6 + 3)
    ended = events(result, "call_ended")[0]
    assert (ended.by, ended.reason) == ("agent", "transferred")
    # the post-call action runs once the transfer finished, and sees how it ended
    assert events(result, "http_request")[0].json_ == {"outcome": "connected"}
    assert result.trace.variables["transfer.outcome"] == "connected" and result.passed


def test_the_ring_timeout_really_expires_on_the_virtual_clock(tmp_path):
    result = run(tmp_path, WARM, '"+14155550123": {answer_after: 26s}')

    no_answer = events(result, "no_answer")[0]
    assert no_answer.t == pytest.approx(at(result, "dialing") + 0.3 + 25) and no_answer.after == 25
    failed = events(result, "action_failed")[0]
    assert (failed.kind, failed.error) == ("no_answer", "+14155550123 did not answer within 25s")
    assert said(result)[-1] == "Nobody answered (no_answer)."
    assert events(result, "hold_stopped")[0].duration == pytest.approx(25.3)
    assert [e.state for e in events(result, "call_state")][-3:] == ["transferring", "connected", "ended"]


def test_an_answer_exactly_at_the_ring_timeout_is_in_time(tmp_path):
    result = run(tmp_path, WARM, '"+14155550123": {answer_after: 25s}')

    assert result.trace.variables["transfer.outcome"] == "connected"


@pytest.mark.parametrize(("phone", "outcome", "line"), [
    ("{busy: true}", "busy", "Billing is busy."),
    ("{no_answer: true}", "no_answer", "Nobody answered (no_answer)."),
    ("{answer_after: 2s, declines: true}", "declined", "Billing declined."),
    ("{fails: 480}", "failed", "The transfer failed."),
    ('{fails: "603 Decline"}', "failed", "The transfer failed."),
    ("{voicemail: true, answer_after: 10s}", "no_answer", "Nobody answered (no_answer)."),
])
def test_each_failure_takes_its_own_fallback(tmp_path, phone, outcome, line):
    result = run(tmp_path, WARM, f'"+14155550123": {phone}')

    assert said(result)[-1] == line
    assert result.trace.variables["transfer.outcome"] == outcome
    assert events(result, "fallback_taken")[0].branch == {"busy": "on_busy", "no_answer": "on_no_answer",
                                                          "declined": "on_declined", "failed": "on_fail"}[outcome]
    assert events(result, "call_ended")[-1].by == "caller"
    assert events(result, "http_request")[0].json_ == {"outcome": outcome}


def test_a_sip_failure_names_the_status(tmp_path):
    result = run(tmp_path, WARM.replace('"+14155550123"', "sip:billing@pbx.test"),
                 '"sip:billing@pbx.test": {fails: 503}')

    assert events(result, "dial_failed")[0].reason == "503 Service Unavailable"
    assert events(result, "action_failed")[0].error == \
        "the call to sip:billing@pbx.test failed (503 Service Unavailable)"


def test_without_its_own_fallback_a_failure_takes_on_error_then_the_agent_fallback(tmp_path):
    on_error = run(tmp_path, "destination: \"+14155550123\"\non_error: {say: Something went wrong.}",
                   '"+14155550123": {busy: true}')
    neither = run(tmp_path, 'destination: "+14155550123"', '"+14155550123": {busy: true}')

    assert said(on_error)[-1] == "Something went wrong." and events(on_error, "fallback_taken")[0].branch == "on_error"
    assert said(neither)[-1] == "Sorry, I cannot help with that."


def test_a_cold_transfer_to_voicemail_bridges_the_caller_to_it(tmp_path):
    result = run(tmp_path, 'destination: "+14155550123"', '"+14155550123": {voicemail: true}')

    assert events(result, "answered")[0].by == "voicemail" and events(result, "answered")[0].after == 20
    assert events(result, "bridged")[0].to_voicemail and not events(result, "whisper_played")
    assert result.trace.variables["transfer.outcome"] == "voicemail"


def test_a_cold_transfer_the_person_declines(tmp_path):
    result = run(tmp_path, 'destination: "+14155550123"', '"+14155550123": {answer_after: 4s, declines: true}')

    assert result.trace.variables["transfer.outcome"] == "declined" and not events(result, "whisper_played")


def test_turns_after_a_bridged_transfer_are_not_played(tmp_path):
    result = run(tmp_path, 'destination: "+14155550123"', '"+14155550123": {answer_after: 1s}',
                 turns="  - caller: billing please\n  - caller: hello?\n")

    assert [e.text for e in events(result, "caller_said")] == ["billing please"]


def test_dialing_a_destination_the_scenario_does_not_describe_stops_the_call(tmp_path):
    result = run(tmp_path, 'destination: "+14155550123"')

    assert not result.passed
    assert result.errors[0].message.startswith("no phone in the scenario answers +14155550123; add it")


# ---- destinations known only during the call -------------------------------------------------------

DYNAMIC = """\
mode: cold
destination: "{{ target }}"
sip_headers: {X-Note: "{{ note | default('-') }}"}
on_fail: {say: "Could not transfer to {{ transfer.destination }}."}
"""


@pytest.mark.parametrize(("start", "kind", "reason"), [
    ("{target: 555-0188}", "invalid_destination",
     "action to_billing, field destination ({{ target }} gave '555-0188'): '555-0188' has no country code"),
    ('{target: "sip:desk@"}', "invalid_destination", "'sip:desk@' is not a valid SIP URI: the host is missing"),
    ("{}", "missing_variable", "action to_billing, field destination: variable 'target' has no value"),
    ('{target: "sip:desk@pbx.test", note: "a\\r\\nVia: SIP/2.0/UDP evil.test"}', "unsafe_value",
     "a header value cannot contain the control character U+000D (a line break)"),
    ('{target: "sip:desk@pbx.test", note: "bell \\u0007"}', "unsafe_value",
     "a header value cannot contain the control character U+0007"),
])
def test_a_destination_or_header_that_is_wrong_during_the_call_takes_on_fail(tmp_path, start, kind, reason):
    result = run(tmp_path, DYNAMIC, '"sip:desk@pbx.test": {answer_after: 1s}', start=start)

    failed = events(result, "dial_failed")[0]
    assert reason in failed.reason and not failed.leg and not events(result, "dialing")
    assert events(result, "action_failed")[0].kind == kind
    assert said(result)[-1].startswith("Could not transfer to ")
    assert result.trace.variables["transfer.outcome"] == "failed"


def test_a_dynamic_sip_destination_gets_the_headers(tmp_path):
    result = run(tmp_path, DYNAMIC, '"sip:desk@pbx.test": {answer_after: 1s}',
                 start='{target: "sip:desk@pbx.test", note: VIP}')

    assert events(result, "dialing")[0].sip_headers == {"X-Note": "VIP"}
    assert result.trace.variables["transfer.outcome"] == "connected"


def test_headers_are_not_sent_to_a_phone_number(tmp_path):
    result = run(tmp_path, DYNAMIC, '"+14155550123": {answer_after: 1s}', start='{target: "+14155550123", note: VIP}')

    assert events(result, "dialing")[0].sip_headers == {}


# ---- phone books ---------------------------------------------------------------------------------------

BOOK = """
phonebooks:
  desk:
    - if: language == "es"
      destination: "+34911234567"
    - if: business_hours("mon-fri 09:00-17:00")
      destination: "+14155550130"
    - destination: "+14155550140"
"""
ALL_PHONES = '"+34911234567": {answer_after: 1s}\n"+14155550130": {answer_after: 1s}\n"+14155550140": {answer_after: 1s}'


@pytest.mark.parametrize(("now", "language", "dialed"), [
    ("2026-11-30T09:00:00-05:00", "en", "+14155550130"),   # Monday 9:00 in New York: open
    ("2026-11-30T13:59:57Z", "en", "+14155550140"),        # 8:59:59 in New York when the caller asks: not yet
    ("2026-11-30T22:00:00Z", "en", "+14155550140"),        # 17:00 in New York: closed
    ("2026-12-05T12:00:00-05:00", "en", "+14155550140"),   # Saturday
    ("2026-12-05T12:00:00-05:00", "es", "+34911234567"),
    ("2026-03-09T13:30:00Z", "en", "+14155550130"),        # after the switch to summer time: 9:30 EDT
    ("2026-03-06T13:30:00Z", "en", "+14155550140"),        # before it: 8:30 EST
])
def test_a_phone_book_picks_by_variables_and_the_agents_local_time(tmp_path, now, language, dialed):
    result = run(tmp_path, 'destination: {phonebook: desk}', ALL_PHONES, start=f"{{language: {language}}}", now=now,
                 extra=BOOK)

    assert [e.destination for e in events(result, "dialing")] == [dialed]


HUNT = """
phonebooks:
  team:
    - destination: "+14155550151"
    - if: language == "fr"
      destination: "+33142685300"
    - destination: "+14155550152"
    - destination: "+14155550153"
"""


def test_hunting_tries_each_target_whose_condition_holds_until_one_answers(tmp_path):
    phones = ('"+14155550151": {busy: true}\n"+14155550152": {no_answer: true}\n'
              '"+14155550153": {answer_after: 2s}')
    result = run(tmp_path, "destination: {phonebook: team, hunt: true}\nring_timeout: 10s\nhold_audio: music", phones,
                 extra=HUNT, start="{language: en}")

    assert [(e.destination, e.attempt) for e in events(result, "dialing")] == [
        ("+14155550151", 1), ("+14155550152", 2), ("+14155550153", 3)]
    assert [e.type for e in events(result, "busy", "no_answer", "bridged")] == ["busy", "no_answer", "bridged"]
    assert len(events(result, "hold_started")) == 1
    assert events(result, "hold_stopped")[0].duration == pytest.approx(0.3 + 10.3 + 2.3)
    assert result.trace.variables["transfer.attempts"] == 3


def test_hunting_stops_at_a_decline_and_without_hunt_only_the_first_target_is_tried(tmp_path):
    phones = '"+14155550151": {answer_after: 1s, declines: true}\n"+14155550152": {answer_after: 1s}'
    hunting = run(tmp_path, "destination: {phonebook: team, hunt: true}", phones, extra=HUNT)
    first_only = run(tmp_path, "destination: {phonebook: team}", '"+14155550151": {busy: true}', extra=HUNT)

    assert [e.destination for e in events(hunting, "dialing")] == ["+14155550151"]
    assert [e.destination for e in events(first_only, "dialing")] == ["+14155550151"]
    assert first_only.trace.variables["transfer.outcome"] == "busy"


# ---- the summary ---------------------------------------------------------------------------------------


def test_the_summary_says_who_calls_what_they_asked_and_what_was_collected():
    trail = [CallerSaid(text="hi there", turn=1), AgentSaid(text="Hello", reason="fallback"),
             CallerSaid(text="where is my order 4567", turn=2), TriggerMatched(action="lookup", by="phrase"),
             VariableSet(name="order_number", value="4567", source="caller"),
             VariableSet(name="order_status", value="delayed", source="action:lookup"),
             VariableSet(name="crm_id", value="C-1", source="start_data"),
             VariableSet(name="dtmf", value="1#", source="caller"),
             CallerSaid(text="I want a person", turn=3), TriggerMatched(action="to_billing", by="phrase")]
    variables = {"call": {"from": "+14155550100", "caller_name": "Jane Doe"}}

    assert call_summary(trail, variables) == (
        'Call from Jane Doe (+14155550100). They asked: "where is my order 4567"; "I want a person". '
        "Collected: order number 4567, order status delayed.")
    assert call_summary([], {"call": {"from": "+14155550100"}}) == "Call from +14155550100."


def test_the_summary_writes_a_time_or_date_the_caller_gave_as_a_person_hears_it():
    trail = [CallerSaid(text="pick up at four tomorrow", turn=1),
             VariableSet(name="pickup_time", value=Readable("16:00:00", "4 PM"), source="caller"),
             VariableSet(name="pickup_day", value=Readable("2026-12-01", "Tuesday, December 1"), source="caller"),
             CallerSaid(text="I want a person", turn=2), TriggerMatched(action="to_billing", by="phrase")]

    assert call_summary(trail, {"call": {"from": "+14155550100"}}).endswith(
        "Collected: pickup time 4 PM, pickup day Tuesday, December 1.")
