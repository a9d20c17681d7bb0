"""A failing scenario reads as a new user needs it: what was expected, what happened, where in the call (the
turn and its virtual time), and how to fix or inspect it: a check that looked too early or too late says when
what it wanted did happen, and every failure says how to see the whole call."""

from __future__ import annotations

import shutil
from pathlib import Path

from callsim import run_scenario
from callsim.report import explain

EXAMPLES = Path(__file__).resolve().parents[1] / "scenarios"


def test_the_moment_names_the_turn_the_wait_and_the_virtual_time(project):
    project.edit("scenario.yaml", "  - expect: {agent_said: Order 4567 is shipped}",
                 "  - wait: 30s\n  - expect: {agent_said: Order 4567 is delivered}")
    text = explain(run_scenario(project.scenario))

    assert "(at 00:" in text and ", after a 30s wait after caller turn 1: \"where is my order, it's 4567\")" in text
    assert "the whole call: callsim run " in text and " -v" in text


def test_a_check_before_what_it_wants_says_when_it_happened(tmp_path):
    # the text's reply times out 2 minutes after it was sent, but the test waits only one minute
    shutil.copytree(EXAMPLES / "messaging", tmp_path, dirs_exist_ok=True)
    example = tmp_path / "reply_timeout_then_late_reply_is_ignored.yaml"
    written = example.read_text(encoding="utf-8")
    assert written.count("  - wait: 2m\n") == 1
    example.write_text(written.replace("  - wait: 2m\n", "  - wait: 1m\n"), encoding="utf-8")
    result = run_scenario(example)
    late = [f for f in result.failures if f.expectation is not None and f.expectation.kind == "agent_said"]

    assert late and late[0].moment == 'at 01:11.600, after a 60s wait after caller turn 1: "send me a code please"'
    assert late[0].hint.startswith("it did happen, after this check looked: at 02:05.600 (#")
    assert "agent: I did not get your reply to the text" in late[0].hint
    assert "wait longer before it" in late[0].hint


def test_a_check_after_what_it_wants_says_it_happened_in_an_earlier_turn(project):
    project.edit("scenario.yaml", "  - expect: {agent_said: Order 4567 is shipped}",
                 "  - caller: thanks\n  - expect: {action: lookup_order}")
    result = run_scenario(project.scenario)
    [failure] = result.failures

    assert failure.hint.startswith("it happened before the turn this check follows: at 00:")
    assert "action lookup_order finished" in failure.hint
    assert "move the check up, or to the top-level expect:" in failure.hint


def test_a_check_that_never_holds_gets_no_when_hint(project):
    project.edit("scenario.yaml", "  - expect: {agent_said: Order 4567 is shipped}",
                 "  - expect: {agent_said: Order 4567 is delivered}")
    [failure] = run_scenario(project.scenario).failures

    assert failure.hint == ""
