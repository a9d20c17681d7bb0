"""The caller hanging up mid-action and talking over the agent: what stops, when, and what the trace says."""

from __future__ import annotations

import asyncio
import textwrap
from pathlib import Path

import pytest

from callsim.live import Callsim
from callsim.runner import ScenarioResult

SLOW = """
actions:
  lookup_order:
    type: http
    trigger: {phrases: ["where is my order"]}
    needs: [order_number]
    request: {url: "https://api.test/orders/{{ order_number }}", timeout: 10s}
    save: {status: $.status}
    say: Order {{ order_number }} is {{ status }}.
    on_timeout: {say: The order system is slow.}
    on_error: {say: The order system is down.}
  code:
    type: message
    trigger: {phrases: ["text me"]}
    body: Your code is 1234.
    await_reply: 1m
    on_timeout: {say: I did not get your reply.}
  check_reply:
    type: http
    trigger: {on: message_reply}
    request: {url: "https://api.test/orders/4567"}
    say: Checked.
  wrap_up:
    type: http
    trigger: {on: call_end}
    request: {method: POST, url: "https://api.test/wrap", json: {order: "{{ order_number | default(none) }}"}}
"""
ROUTES = """
http:
  - {match: GET https://api.test/orders/4567, delay: 6s, json: {status: shipped}}
  - {match: POST https://api.test/wrap, status: 204}
"""
ATTACH = ["lookup_order", "code", "check_reply", "wrap_up"]


def events(result: ScenarioResult, kind: str) -> list:
    return [e for e in result.trace.events if e.type == kind]


def run(play, turns: str, extra: str = "") -> ScenarioResult:
    return play(SLOW, "scenario: s\n" + ROUTES + extra + "turns:\n" + textwrap.indent(textwrap.dedent(turns), "  "),
                ATTACH)


def test_a_hang_up_during_a_pending_request_abandons_it_and_runs_post_call_actions_at_that_moment(play):
    result = run(play, """
        - caller: where is my order, 4567
        - hangup: {after: 2s}
    """)
    caller = events(result, "caller_said")[0]
    spoken = caller.t + 2.0  # "where is my order, 4567": five words at 2.5 a second
    [abandoned] = events(result, "action_abandoned")
    assert (abandoned.action, abandoned.reason, abandoned.t) == ("lookup_order", "hangup", pytest.approx(spoken + 2))
    assert abandoned.duration == pytest.approx(2.0)
    assert not events(result, "http_response")[:-1]  # only the post-call request got an answer
    assert not events(result, "fallback_taken") and not events(result, "action_failed")
    wrap = [e for e in events(result, "http_request") if e.url.endswith("/wrap")]
    assert wrap[0].json_ == {"order": "4567"} and wrap[0].t == pytest.approx(spoken + 2)
    assert events(result, "call_ended")[0].by == "caller" and result.passed


def test_a_hang_up_during_a_wait_ends_the_call_then_not_when_the_wait_would_have(play):
    result = run(play, """
        - wait: 60s
        - hangup: {after: 5s}
    """)
    ended = events(result, "call_ended")[0]
    waited = events(result, "waited")[0]
    assert ended.t == pytest.approx(waited.t + 5)
    assert result.trace.events[-1].t == pytest.approx(ended.t)


def test_a_hang_up_that_comes_after_the_turn_before_finished_waits_for_it_in_silence(play):
    result = run(play, """
        - caller: hello
        - hangup: {at: 30s}
    """)
    [waited] = events(result, "waited")
    assert waited.t == pytest.approx(events(result, "agent_said")[-1].t + 2.4)  # after the fallback line
    assert waited.t + waited.seconds == pytest.approx(30.0)
    assert events(result, "call_ended")[0].t == pytest.approx(30.0)


def test_a_hang_up_at_a_time_the_call_has_passed_is_an_error_naming_both_times(play):
    result = run(play, """
        - caller: where is my order, 4567
        - caller: hello again
        - hangup: {at: 3s}
    """)
    assert not result.passed
    assert "was to hang up at 3s of the call, but the call is already at" in result.errors[0].message


def test_a_nested_reply_whose_action_is_running_stops_with_the_wait_it_arrived_in(play):
    result = run(play, """
        - caller: text me
        - wait: 60s
        - hangup: {at: 10s}
    """, extra="replies:\n  - {after: 5s, body: 'YES'}\n")
    # the reply comes at 7.8 s, during the wait; the request it fires is still pending at 10 s
    [abandoned] = events(result, "action_abandoned")
    assert abandoned.action == "check_reply" and abandoned.t == pytest.approx(10.0)
    assert events(result, "call_ended")[0].t == pytest.approx(10.0)
    assert not events(result, "reply_timed_out")  # the await_reply deadline was cancelled with the call
    assert result.trace.events[-1].t == pytest.approx(10.0)


def test_a_hang_up_cancels_what_the_call_still_had_scheduled(play, tmp_path: Path):
    result = run(play, """
        - caller: text me
        - hangup: {after: 1s}
    """, extra="replies:\n  - {after: 30s, body: 'YES'}\n")
    assert not events(result, "message_received") and not events(result, "reply_timed_out")
    assert not events(result, "fallback_taken")


def test_barge_in_cuts_the_line_at_the_word_reached(play):
    result = run(play, """
        - caller: sing me a song
        - caller: where is my order, 4567
          barge_in: 0.9s
    """)
    [cut] = events(result, "agent_cut")
    line = next(e for e in events(result, "agent_said") if e.seq == cut.line)
    assert line.text == "Sorry, I did not get that."
    # 0.9 s at 2.5 words a second is 2.25 words: a word counts once it has been said in full
    assert (cut.said, cut.words, cut.of, cut.by) == ("Sorry, I", 2, 6, "barge_in")
    barged = events(result, "caller_said")[1]
    assert barged.t == pytest.approx(line.t + 0.9) and cut.t == pytest.approx(barged.t)


BUSY = """
actions:
  first:
    type: http
    trigger: {phrases: ["check everything"]}
    request: {url: "https://api.test/first"}
    say: Let me check.
  second:
    type: http
    trigger: {after: first}
    request: {url: "https://api.test/second"}
    say: All done, everything is fine.
"""


def test_a_barge_in_while_the_agent_is_busy_makes_it_yield_its_next_line(play):
    result = play(BUSY, """
        scenario: s
        http:
          - {match: GET https://api.test/first}
          - {match: GET https://api.test/second, delay: 6s}
        turns:
          - caller: check everything
          - caller: actually never mind
            barge_in: 2s
    """, ["first", "second"])
    # "Let me check." ends 1.2 s into the reply; at 2 s the agent is waiting on the second request, so
    # the caller is already talking when its next line would start: that line is cut before its first word
    cut = events(result, "agent_cut")
    assert [(c.words, c.said, c.of) for c in cut] == [(0, "", 5)]
    assert [e.action for e in events(result, "action_finished")] == ["first", "second"]  # the work was not stopped
    assert events(result, "caller_said")[1].t == pytest.approx(cut[0].t)


def test_a_barge_in_after_the_agent_finished_speaking_is_an_error_not_a_silent_pass(play):
    result = run(play, """
        - caller: sing me a song
        - caller: hello
          barge_in: 5s
    """)
    assert not result.passed
    message = result.errors[0].message
    assert "caller turn 2 was to barge in 5s into the agent's reply" in message
    assert "finished speaking 2.4s into it; use a barge_in under 2.4s" in message


def test_agent_said_sees_only_the_words_that_were_said(play):
    result = run(play, """
        - caller: sing me a song
        - caller: where is my order, 4567
          barge_in: 0.8s
    """)
    expect = result.trace.expect
    expect.agent_said("Sorry,")
    with pytest.raises(AssertionError, match=r"the agent said: .*'Sorry, I \[cut off\]'"):
        expect.agent_said("get that")
    expect.agent_not_said("get that")


def test_python_api_hang_up_while_a_request_is_pending(tmp_path: Path):
    (tmp_path / "actions.yaml").write_text(SLOW)
    (tmp_path / "agent.yaml").write_text(
        "agent: a\ngreeting: Hi.\nvariables:\n  order_number: {type: digits, ask: Which order?}\n"
        "uses: [actions.yaml]\nactions: [lookup_order, wrap_up]\n")

    async def main() -> None:
        call = await Callsim().call(tmp_path / "agent.yaml", http=[
            {"match": "GET https://api.test/orders/4567", "delay": "6s", "json": {"status": "shipped"}},
            {"match": "POST https://api.test/wrap", "status": 204}])
        call.schedule_hangup(after="2s")
        await call.say("where is my order, 4567")
        assert call.ended
        abandoned = call.trace.expect.action_abandoned("lookup_order").abandoned()
        assert abandoned.reason == "hangup"
        call.trace.expect.action("wrap_up").finished()
        with pytest.raises(AssertionError, match="to be abandoned"):
            call.trace.expect.action_abandoned("wrap_up")
        assert call.session.clock.pending == 0  # nothing of the call is left scheduled
        await call.hangup()  # already over: closes the fakes and checks each was used

    asyncio.run(main())


def test_python_api_barge_in(tmp_path: Path):
    (tmp_path / "actions.yaml").write_text(BUSY)
    (tmp_path / "agent.yaml").write_text("agent: a\ngreeting: Hi.\nfallback: I can look up orders for you.\n"
                                         "uses: [actions.yaml]\nactions: [first]\n")

    async def main() -> None:
        call = await Callsim().call(tmp_path / "agent.yaml")
        call.barge_in("1.2s")
        await call.say("hmm")
        await call.say("orders please")
        cut = call.trace.expect.next_event("agent_cut").event
        assert (cut.said, cut.by) == ("I can look", "barge_in")
        assert call.trace.expect.next_event("caller_said").event.t == cut.t
        await call.hangup()

    asyncio.run(main())


TRANSFER = """
actions:
  to_billing:
    type: transfer
    trigger: {phrases: ["billing"]}
    say: Let me get someone from billing for you, one moment please.
    destination: "+14155550123"
    hold_audio: music
"""


def test_talking_over_a_transfers_announcement_abandons_it_before_it_dials(play):
    result = play(TRANSFER, """
        scenario: s
        phones: {"+14155550123": {answer_after: 5s}}
        turns:
          - caller: billing
          - caller: no wait, sorry
            barge_in: 1s
    """, ["to_billing"])
    [abandoned] = events(result, "action_abandoned")
    assert (abandoned.action, abandoned.reason) == ("to_billing", "barge_in")
    assert not events(result, "dialing") and not events(result, "hold_started")
    assert [c.said for c in events(result, "agent_cut")] == ["Let me"]
    assert events(result, "call_ended")[0].reason != "transferred"


def test_hanging_up_while_a_transfer_rings_cancels_the_leg_and_stops_the_hold_music(play):
    result = play(TRANSFER, """
        scenario: s
        phones: {"+14155550123": {answer_after: 20s}}
        turns:
          - caller: billing
          - hangup: {after: 10s}
        expect:
          - transfer: {to: "+14155550123", outcome: abandoned}
          - action_abandoned: to_billing
    """, ["to_billing"])
    assert result.passed, result.failures
    [cancelled] = events(result, "leg_cancelled")
    [stopped] = events(result, "hold_stopped")
    assert cancelled.t == stopped.t == events(result, "call_ended")[0].t
    assert result.trace.variables["transfer.outcome"] == "abandoned"


def test_keys_pressed_over_the_agent_cut_its_line_too(play):
    result = run(play, """
        - caller: sing me a song
        - dtmf: "4567#"
          barge_in: 1.2s
    """)
    [cut] = events(result, "agent_cut")
    assert (cut.said, cut.by) == ("Sorry, I did", "barge_in")
    assert events(result, "dtmf_received")[0].t == pytest.approx(cut.t)
