"""The post-call sms action: fires after hang-up when its condition holds, with the call's variables."""

from __future__ import annotations

import asyncio
from pathlib import Path

from callsim.backends import ScenarioBackends
from callsim.backends.http import FakeHttp
from callsim.backends.messaging import FakeMessaging
from callsim.config.project import load_scenario
from callsim.engine.clock import VirtualClock
from callsim.engine.session import CallSession
from callsim.runner import ScenarioResult, run_scenario
from callsim.trace.trace import Trace

AGENT = """
agent: a
greeting: Hi.
fallback: Sorry?
variables:
  order_number: {type: digits, ask: Order number?}
uses: [actions.yaml]
actions: [lookup, follow_up, log_failed_text]
"""
ACTIONS = """
actions:
  lookup:
    type: http
    trigger: {phrases: ["my order"]}
    needs: [order_number]
    request: {url: "https://api.test/orders/{{ order_number }}"}
    save: {status: $.status}
    say: Order {{ order_number }} is {{ status }}.
  follow_up:
    type: sms
    trigger: {on: call_end, if: status == "shipped"}
    body: Order {{ order_number }} has shipped. Call {{ call.to }} with questions.
    on_error: {say: never spoken, then: log_failed_text}
  log_failed_text:
    type: http
    request: {method: POST, url: https://api.test/failed-texts, json: {to: "{{ call.from }}"}}
"""
ROUTES = """
http:
  - {match: GET https://api.test/orders/4567, json: {status: STATUS}}
  - {match: POST https://api.test/failed-texts, status: 204, optional: true}   # used only when a text fails
"""


def play(tmp_path: Path, status: str, extra: str = "") -> ScenarioResult:
    (tmp_path / "agent.yaml").write_text(AGENT)
    (tmp_path / "actions.yaml").write_text(ACTIONS)
    path = tmp_path / "scenario.yaml"
    path.write_text("scenario: s\nagent: agent.yaml\n" + ROUTES.replace("STATUS", status) + extra
                    + "turns:\n  - caller: where is my order, it's 4567\n  - wait: 1m\n")
    result = run_scenario(path)
    assert result.crash is None, result.crash
    return result


def of(result: ScenarioResult, kind: str) -> list:
    return [e for e in result.trace.events if e.type == kind]


def test_fires_after_hang_up_with_the_call_variables_and_waits_for_delivery(tmp_path):
    result = play(tmp_path, "shipped")
    ended = of(result, "call_ended")[0]
    [sent] = of(result, "message_sent")
    assert sent.after_call and sent.seq > ended.seq
    assert (sent.action, sent.channel, sent.to) == ("follow_up", "sms", "+14155550100")
    assert sent.body == "Order 4567 has shipped. Call +15550100000 with questions."
    assert [e.status for e in of(result, "message_status")] == ["sent", "delivered"]
    finished = next(e for e in of(result, "action_finished") if e.action == "follow_up")
    assert finished.duration == 3.0  # the delivery receipt, on virtual time
    assert "post-call sms" in sent.summary()


def test_does_not_fire_when_its_condition_does_not_hold(tmp_path):
    result = play(tmp_path, "delayed")
    assert not of(result, "message_sent")
    assert "follow_up" not in {e.action for e in of(result, "action_started")}


def test_never_fires_during_the_call(tmp_path):
    result = play(tmp_path, "shipped")
    ended = of(result, "call_ended")[0]
    assert all(e.seq > ended.seq for e in of(result, "message_sent"))


def test_undelivered_fails_and_takes_on_error_then_silently(tmp_path):
    result = play(tmp_path, "shipped", "delivery: {'+14155550100': undelivered}\n")
    [failed] = of(result, "action_failed")
    assert (failed.action, failed.kind) == ("follow_up", "undelivered")
    assert "never spoken" not in [e.text for e in of(result, "agent_said")]
    assert [e.action for e in of(result, "action_finished")] == ["lookup", "log_failed_text"]


def test_expectation_sms_matches_post_call_texts_only(tmp_path):
    result = play(tmp_path, "shipped", "expect:\n  - sms: {to: '+14155550100', contains: has shipped, "
                                       "status: delivered, segments: 1}\n  - message: {contains: has shipped}\n")
    [failure] = result.failures
    assert failure.failure.expected == "an in-call message containing 'has shipped'"
    assert failure.failure.instead.startswith("sent: post-call sms to +14155550100 'Order 4567 has shipped.")


def test_run_during_the_call_by_name_fails_instead_of_sending(tmp_path):
    # a policy may ask for any action by name; an sms one still refuses to go out mid-call
    (tmp_path / "agent.yaml").write_text(AGENT)
    (tmp_path / "actions.yaml").write_text(ACTIONS)
    (tmp_path / "scenario.yaml").write_text("scenario: s\nagent: agent.yaml\n" + ROUTES.replace("STATUS", "shipped"))
    scenario = load_scenario(tmp_path / "scenario.yaml")

    async def call() -> tuple[CallSession, FakeMessaging]:
        clock = VirtualClock(scenario.config.now)
        backends = ScenarioBackends(http=FakeHttp(scenario.config.http, clock), messaging=FakeMessaging())
        session = CallSession(scenario.project, clock=clock, trace=Trace(), backends=backends)
        await session.start()
        await session.run_action("follow_up", "test")
        await backends.aclose()
        return session, backends.messaging

    session, messaging = asyncio.run(call())
    failed = [e for e in session.trace if e.type == "action_failed"]
    assert [(e.action, e.kind) for e in failed] == [("follow_up", "during_call")]
    assert messaging.outbox["sms"] == []
    assert "log_failed_text" in [e.action for e in session.trace if e.type == "action_finished"]  # its on_error
