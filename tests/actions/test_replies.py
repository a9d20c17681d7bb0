"""Replies to the agent's texts: the registry of waits, and `CallSession.reply` for tests and the simulator."""

from __future__ import annotations

import asyncio
import textwrap
from pathlib import Path

import pytest

from callsim.actions.replies import AwaitedReplies, AwaitedReply
from callsim.backends import ScenarioBackends
from callsim.backends.http import FakeHttp
from callsim.backends.messaging import FakeMessaging
from callsim.config.project import load_scenario
from callsim.engine.clock import VirtualClock
from callsim.engine.session import CallSession
from callsim.errors import CallError
from callsim.trace.trace import Trace

CALLER = "+14155550100"


def test_answer_closes_the_oldest_matching_wait():
    waits = AwaitedReplies()
    first = waits.add(AwaitedReply("a", "sms", CALLER))
    second = waits.add(AwaitedReply("b", "sms", CALLER))
    chat = waits.add(AwaitedReply("c", "whatsapp", CALLER))
    assert waits.answer("whatsapp", CALLER) == (chat, None)
    assert waits.answer("sms", CALLER) == (first, None)
    assert waits.answer("sms", CALLER) == (second, None)
    assert waits.answer("sms", CALLER) == (None, None)
    assert [w.state for w in waits.waits] == ["answered"] * 3


def test_a_reply_after_the_wait_timed_out_is_late_for_it():
    waits = AwaitedReplies()
    wait = waits.add(AwaitedReply("a", "sms", CALLER))
    assert wait.close("timed_out") and not wait.close("answered")
    assert waits.answer("sms", CALLER) == (None, wait)
    assert waits.answer("sms", "+14155550111") == (None, None)
    assert waits.answer("whatsapp", CALLER) == (None, None)


def test_next_filters_by_channel_and_number():
    waits = AwaitedReplies()
    sms = waits.add(AwaitedReply("a", "sms", "+14155550111"))
    chat = waits.add(AwaitedReply("b", "whatsapp", CALLER))
    assert waits.next() is sms
    assert waits.next(channel="whatsapp") is chat
    assert waits.next(number=CALLER) is chat
    assert waits.next("sms", CALLER) is None


AGENT = """
agent: a
greeting: Hi.
fallback: Sorry?
uses: [actions.yaml]
actions: [ask, confirmed]
"""
ACTIONS = """
actions:
  ask:
    type: message
    trigger: {phrases: ["text me"]}
    body: Reply YES.
    await_reply: 2m
    save_reply: answer
    say: Texted.
    on_timeout: {say: No reply came.}
  confirmed:
    type: message
    trigger: {on: message_reply, if: answer == "YES"}
    body: Confirmed.
    say: You are confirmed.
"""


@pytest.fixture
def call(tmp_path: Path):
    """A live call on a virtual clock, driven step by step as a pytest test or the simulator would."""
    (tmp_path / "agent.yaml").write_text(textwrap.dedent(AGENT))
    (tmp_path / "actions.yaml").write_text(textwrap.dedent(ACTIONS))
    (tmp_path / "s.yaml").write_text("scenario: s\nagent: agent.yaml\n")
    scenario = load_scenario(tmp_path / "s.yaml")

    def make() -> CallSession:
        clock = VirtualClock(scenario.config.now)
        backends = ScenarioBackends(http=FakeHttp([], clock), messaging=FakeMessaging())
        return CallSession(scenario.project, clock=clock, backends=backends, trace=Trace())

    return make


def lines(session: CallSession) -> list[str]:
    return [e.text for e in session.trace if e.type == "agent_said"]


def test_reply_now_answers_the_waiting_text_and_fires_message_reply(call):
    async def go() -> CallSession:
        session = call()
        await session.start()
        await session.caller_says("text me")
        await session.wait(10)
        await session.reply("YES")
        await session.wait(5 * 60)  # the deadline passes: the answered wait does not time out
        return session

    session = asyncio.run(go())
    assert lines(session) == ["Hi.", "Texted.", "You are confirmed."]
    assert session.variables.get("answer") == "YES"
    assert session.variables.entry("answer").source == "reply:ask"
    assert [m.from_ for m in session.backends.messaging.inbox] == [CALLER]
    assert not [e for e in session.trace if e.type == "reply_timed_out"]


def test_reply_with_nothing_waiting_is_an_sms_from_the_caller_recorded_only(call):
    async def go() -> CallSession:
        session = call()
        await session.start()
        await session.reply("hello?")
        return session

    session = asyncio.run(go())
    [received] = [e for e in session.trace if e.type == "message_received"]
    assert (received.channel, received.from_, received.action) == ("sms", CALLER, None)
    assert "answer" not in session.variables


def test_a_reply_cannot_reach_an_ended_call(call):
    async def go() -> None:
        session = call()
        await session.start()
        await session.caller_says("text me")
        await session.hangup()
        await session.reply("YES")

    with pytest.raises(CallError, match="the call has ended"):
        asyncio.run(go())


def test_the_timeout_takes_on_timeout_on_the_virtual_clock(call):
    async def go() -> CallSession:
        session = call()
        await session.start()
        await session.caller_says("text me")
        await session.wait(3 * 60)
        return session

    session = asyncio.run(go())
    sent = next(e for e in session.trace if e.type == "message_sent")
    timeout = next(e for e in session.trace if e.type == "reply_timed_out")
    assert timeout.t - sent.t == pytest.approx(120.0)
    assert lines(session)[-1] == "No reply came."
