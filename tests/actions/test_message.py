"""The message action on the virtual clock: delivery, replies while the call goes on, timeouts and failures."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from callsim.backends.messaging import DELIVERED_AFTER, SENT_AFTER
from callsim.runner import ScenarioResult, run_scenario

CALLER = "+14155550100"

AGENT = """
agent: a
greeting: Hi.
fallback: Sorry?
variables:
  code: {from: start_data}
  callback: {from: start_data}
uses: [actions.yaml]
actions: [ask_yes, confirmed, declined, note, other_question]
"""
ACTIONS = """
actions:
  ask_yes:
    type: message
    trigger: {phrases: ["text me"]}
    channel: <channel>
    to: "<to>"
    body: Code {{ code }}. Reply YES.
    await_reply: 2m
    save_reply: answer
    say: Texted.
    on_timeout: {say: No reply came.}
    on_error: {say: Cannot text you.}
  confirmed:
    type: message
    trigger: {on: message_reply, if: 'reply.action == "ask_yes" and reply.body | upper == "YES"'}
    body: Confirmed.
    say: You are confirmed.
  declined:
    type: message
    trigger: {on: message_reply, if: 'reply.action == "ask_yes" and reply.body | upper == "NO"'}
    body: Cancelled.
    say: Cancelled then.
  note:
    type: message
    trigger: {phrases: ["note please"]}
    body: Just a note.
    say: Noted.
  other_question:
    type: message
    trigger: {phrases: ["second question"]}
    body: Reply A or B.
    await_reply: 1m
    save_reply: choice
    say: Second text sent.
"""


def play(tmp_path: Path, scenario: str, *, channel: str = "sms", to: str = "{{ call.from }}") -> ScenarioResult:
    (tmp_path / "agent.yaml").write_text(AGENT)
    (tmp_path / "actions.yaml").write_text(ACTIONS.replace("<channel>", channel).replace("<to>", to))
    path = tmp_path / "scenario.yaml"
    path.write_text("scenario: s\nagent: agent.yaml\nstart_data: {code: '1234', callback: '+14155550111'}\n"
                    + textwrap.dedent(scenario))
    result = run_scenario(path)
    assert result.crash is None, result.crash
    return result


def of(result: ScenarioResult, kind: str) -> list:
    return [e for e in result.trace.events if e.type == kind]


def said(result: ScenarioResult) -> list[str]:
    return [e.text for e in of(result, "agent_said")]


def test_message_is_sent_and_goes_queued_sent_delivered_on_the_clock(tmp_path):
    result = play(tmp_path, "turns:\n  - caller: text me\n  - wait: 10s\n")
    [sent] = of(result, "message_sent")
    assert (sent.channel, sent.to, sent.body, sent.encoding, sent.segments) == ("sms", CALLER, "Code 1234. Reply YES.",
                                                                               "GSM-7", 1)
    statuses = of(result, "message_status")
    assert [(e.status, round(e.t - sent.t, 3)) for e in statuses] == [("sent", SENT_AFTER),
                                                                      ("delivered", DELIVERED_AFTER)]
    assert said(result)[-1] == "Texted."


def test_the_call_goes_on_while_the_reply_is_pending_and_the_reply_fires_when_time_reaches_it(tmp_path):
    result = play(tmp_path, """
        replies: [{after: 40s, body: "yes"}]
        turns:
          - caller: text me
          - caller: what else can you do
          - caller: anything at all
          - wait: 1m
        """)
    events = [e.type for e in result.trace.events]
    sent = of(result, "message_sent")[0]
    [received] = of(result, "message_received")
    assert received.t - sent.t == pytest.approx(40.0)
    assert (received.action, received.channel, received.body) == ("ask_yes", "sms", "yes")
    # both caller turns happened while the reply was pending, and got answers
    turns_before = [e for e in of(result, "caller_said") if e.t < received.t]
    assert len(turns_before) == 3
    assert said(result)[2:4] == ["Sorry?", "Sorry?"]
    assert said(result)[-1] == "You are confirmed."
    assert result.trace.variables["answer"] == "yes"
    assert result.trace.variables["reply"] == {"body": "yes", "channel": "sms", "from": CALLER, "action": "ask_yes"}
    assert events.index("message_received") < events.index("trigger_matched", events.index("message_received"))
    assert not of(result, "reply_timed_out")


def test_the_reply_chooses_the_next_action(tmp_path):
    yes = play(tmp_path, "replies: [{after: 5s, body: 'YES'}]\nturns:\n  - caller: text me\n  - wait: 10s\n")
    no = play(tmp_path, "replies: [{after: 5s, body: 'no'}]\nturns:\n  - caller: text me\n  - wait: 10s\n")
    assert [e.action for e in of(yes, "action_finished")] == ["ask_yes", "confirmed"]
    assert [e.action for e in of(no, "action_finished")] == ["ask_yes", "declined"]


def test_no_reply_takes_on_timeout_exactly_at_the_deadline(tmp_path):
    result = play(tmp_path, "turns:\n  - caller: text me\n  - wait: 5m\n")
    sent = of(result, "message_sent")[0]
    [timeout] = of(result, "reply_timed_out")
    assert timeout.t - sent.t == pytest.approx(120.0)
    assert (timeout.action, timeout.to, timeout.waited) == ("ask_yes", CALLER, 120.0)
    line = next(e for e in of(result, "agent_said") if e.text == "No reply came.")
    assert line.t == pytest.approx(timeout.t)
    assert "answer" not in result.trace.variables


def test_a_reply_at_the_deadline_is_in_time(tmp_path):
    result = play(tmp_path, "replies: [{after: 2m, body: 'YES'}]\nturns:\n  - caller: text me\n  - wait: 5m\n")
    assert of(result, "message_received")[0].action == "ask_yes"
    assert not of(result, "reply_timed_out")


def test_a_late_reply_is_recorded_but_does_not_act(tmp_path):
    result = play(tmp_path, "replies: [{after: 150s, body: 'YES'}]\nturns:\n  - caller: text me\n  - wait: 5m\n")
    [received] = of(result, "message_received")
    assert (received.action, received.late_for, received.body) == (None, "ask_yes", "YES")
    assert "too late for ask_yes" in received.summary()
    assert "answer" not in result.trace.variables and "reply" not in result.trace.variables
    assert "You are confirmed." not in said(result)


def test_the_call_ending_drops_the_pending_wait(tmp_path):
    result = play(tmp_path, "replies: [{after: 1m, body: 'YES', optional: true}]\nturns:\n  - caller: text me\n  - hangup: true\n")
    assert not of(result, "reply_timed_out") and not of(result, "message_received")
    assert result.passed


def test_a_message_without_await_reply_takes_no_scripted_reply(tmp_path):
    result = play(tmp_path, """
        replies: [{after: 5s, body: 'YES'}]
        turns:
          - caller: note please
          - wait: 10s
          - caller: text me
          - wait: 10s
        """)
    [received] = of(result, "message_received")
    assert received.action == "ask_yes"
    assert said(result)[-1] == "You are confirmed."


def test_a_text_nobody_awaits_is_recorded_only(tmp_path):
    result = play(tmp_path, "turns:\n  - caller: note please\n  - reply: thanks\n")
    [received] = of(result, "message_received")
    assert (received.action, received.late_for) == (None, None)
    assert "no message awaits a reply" in received.summary()
    assert "reply" not in result.trace.variables


def test_texts_have_no_threads_so_a_reply_answers_the_oldest_waiting_message(tmp_path):
    # the B was scripted for the second text, but like a real webhook the agent only sees who wrote
    # what: the first reply to come in answers the oldest text still waiting
    result = play(tmp_path, """
        replies: [{after: 30s, body: 'YES'}, {after: 5s, body: 'B'}]
        turns:
          - caller: text me
          - caller: second question
          - wait: 1m
        """)
    received = of(result, "message_received")
    assert [(e.body, e.action) for e in received] == [("B", "ask_yes"), ("YES", "other_question")]
    values = result.trace.variables
    assert (values["answer"], values["choice"]) == ("B", "YES")
    # both replies fired message_reply; reply.action kept "confirmed" from taking the YES meant for ask_yes
    assert [e.action for e in of(result, "action_finished")] == ["ask_yes", "other_question"]


def test_reply_turn_answers_the_waiting_message_on_its_channel(tmp_path):
    result = play(tmp_path, "turns:\n  - caller: text me\n  - reply: 'YES'\n", channel="whatsapp")
    [received] = of(result, "message_received")
    assert (received.channel, received.from_, received.action) == ("whatsapp", CALLER, "ask_yes")
    assert said(result)[-1] == "You are confirmed."


def test_reply_turn_comes_from_whoever_got_the_message(tmp_path):
    result = play(tmp_path, "turns:\n  - caller: text me\n  - reply: 'YES'\n", to="{{ callback }}")
    assert of(result, "message_sent")[0].to == "+14155550111"
    assert of(result, "message_received")[0].from_ == "+14155550111"
    assert said(result)[-1] == "You are confirmed."


def test_a_scripted_reply_from_another_number_does_not_answer_the_caller(tmp_path):
    result = play(tmp_path, "replies: [{after: 5s, body: 'YES', from: '+14155550111'}]\n"
                            "turns:\n  - caller: text me\n  - wait: 3m\n")
    assert not of(result, "message_received")
    assert of(result, "reply_timed_out")


@pytest.mark.parametrize("caller", ["anonymous", "+1 415 555 0100", "4155550100"])
def test_a_recipient_that_only_shows_at_call_time_fails_with_invalid_recipient(tmp_path, caller):
    result = play(tmp_path, f"caller: {{number: '{caller}'}}\nturns:\n  - caller: text me\n  - wait: 3m\n")
    [failed] = of(result, "action_failed")
    assert (failed.action, failed.kind) == ("ask_yes", "invalid_recipient")
    assert repr(caller) in failed.error
    assert said(result)[-1] == "Cannot text you."
    assert not of(result, "message_sent") and not of(result, "reply_timed_out")
    assert result.passed


@pytest.mark.parametrize("outcome", ["undelivered", "failed"])
def test_a_delivery_failure_ends_the_wait_with_on_error(tmp_path, outcome):
    result = play(tmp_path, f"delivery: {{'{CALLER}': {outcome}}}\nreplies: [{{after: 10s, body: 'YES'}}]\n"
                            "turns:\n  - caller: text me\n  - wait: 5m\n")
    assert of(result, "message_status")[-1].status == outcome
    [failed] = of(result, "action_failed")
    assert (failed.kind, failed.t) == ("undelivered", of(result, "message_status")[-1].t)
    assert said(result)[-1] == "Cannot text you."
    assert not of(result, "reply_timed_out") and not of(result, "message_received")


def test_a_missing_variable_in_the_body_fails_the_action(tmp_path):
    (tmp_path / "agent.yaml").write_text(AGENT)
    (tmp_path / "actions.yaml").write_text(ACTIONS.replace("<channel>", "sms").replace("<to>", "{{ call.from }}"))
    path = tmp_path / "scenario.yaml"
    path.write_text("scenario: s\nagent: agent.yaml\nturns:\n  - caller: text me\n")
    result = run_scenario(path)
    [failed] = of(result, "action_failed")
    assert failed.kind == "missing_variable" and "action ask_yes, field body" in failed.error
    assert not of(result, "message_sent")


def test_expectation_failure_lists_what_was_sent_instead(tmp_path):
    result = play(tmp_path, """
        turns:
          - caller: text me
          - expect: {message: {channel: whatsapp, contains: code}}
          - wait: 10s
        expect:
          - message: {to: "+14155550111"}
          - message: {contains: code 1234, status: delivered}
          - sms: {contains: code}
        """)
    assert len(result.failures) == 3
    first, second, third = (f.failure for f in result.failures)
    assert first.expected == "an in-call whatsapp containing 'code'"
    assert first.instead == f"sent: in-call sms to {CALLER} 'Code 1234. Reply YES.' (GSM-7, 1 segment(s)), queued"
    assert second.expected == "an in-call message to +14155550111"
    assert "delivered" in second.instead
    assert third.expected == "a post-call sms containing 'code'"
    assert third.instead.startswith("sent: in-call sms to")


def test_no_message_at_all_says_so(tmp_path):
    result = play(tmp_path, "turns:\n  - caller: hello\nexpect:\n  - message: {contains: code}\n")
    assert result.failures[0].failure.instead == "no message was sent; no action ran here"
