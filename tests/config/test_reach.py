"""Checks that cannot fail where they stand are validate-time errors: each names its line and where it belongs."""

from __future__ import annotations

from pathlib import Path

import pytest

from callsim import load_project, load_scenario
from callsim.config.reach import AFTER, CALL, GREETING, action_phases
from callsim.errors import ConfigErrors

AGENT = """\
agent: shop
greeting: Hello.
variables:
  order_number: {type: digits, ask: Your order number?}
uses: [actions.yaml]
actions: [lookup, welcome, reminder, quality]
"""
ACTIONS = """\
actions:
  lookup:
    type: http
    trigger: {phrases: [where is my order]}
    needs: [order_number]
    request: {url: "https://api.shop.test/orders/{{ order_number }}"}
    say: Found it.
    on_error: {say: Sorry., then: apology_text}
  apology_text:                   # not attached: runs only as lookup's fallback
    type: message
    body: Sorry about that.
  welcome:
    type: message
    trigger: {on: call_start}
    body: Welcome.
  reminder:
    type: sms
    trigger: {on: call_end}
    body: Thanks for calling.
  unused:                         # neither attached nor led to
    type: message
    trigger: {phrases: [anything]}
    body: Never sent.
  quality:
    type: evaluate
    criteria:
      - {name: looked_up, action: lookup}
"""


def write(tmp_path: Path, turns: str, expect: str = "[]", actions: str = ACTIONS) -> Path:
    (tmp_path / "agent.yaml").write_text(AGENT)
    (tmp_path / "actions.yaml").write_text(actions)
    path = tmp_path / "s.yaml"
    path.write_text(f"scenario: s\nagent: agent.yaml\nturns:\n{turns}expect: {expect}\n")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(ConfigErrors) as caught:
        load_scenario(path)
    return [str(error) for error in caught.value.errors]


def test_which_stretch_of_the_call_each_action_can_run_in(tmp_path: Path) -> None:
    write(tmp_path, "  - caller: hi\n")
    project = load_project(tmp_path / "agent.yaml")
    phases = action_phases(project.agent, project.actions)
    assert phases["lookup"] == {CALL}
    assert phases["apology_text"] == {CALL}                  # through lookup's on_error.then
    assert phases["welcome"] == {GREETING, CALL}             # may wait for what it needs past the greeting
    assert phases["reminder"] == phases["quality"] == {AFTER}
    assert phases["unused"] == set()


def test_a_well_placed_set_of_checks_is_valid(tmp_path: Path) -> None:
    path = write(tmp_path, """\
  - expect: [{action: welcome}, {agent_said: Hello}]
  - caller: where is my order
  - expect: [{not_action: welcome}, {action_failed: lookup}, {action: apology_text}, {agent_not_said: oops}]
  - hangup: true
  - expect: [{sms: {contains: Thanks}}, {not_action: reminder}, {evaluation: {quality: {passed: false}}}]
""", "[{not_action: reminder}, {ended: {by: caller}}]")
    load_scenario(path)


@pytest.mark.parametrize(("turns", "expect", "problem"), [
    # a post-call action inside a turn, before the call ended
    ("  - caller: where is my order\n  - expect: {not_action: reminder}\n", "[]",
     "s.yaml:5:13: not_action: reminder can only hold here: reminder runs only after the call (trigger on: "
     "call_end), and this check looks during the call, before the hangup turn; move it to the top-level expect:"),
    # after the caller hung up nothing in-call happens any more
    ("  - hangup: true\n  - expect: {not_action: lookup}\n", "[]",
     "s.yaml:5:13: not_action: lookup can only hold here: lookup runs only during the call"),
    ("  - caller: where is my order\n  - hangup: true\n  - expect: {agent_not_said: sorry}\n", "[]",
     "s.yaml:6:13: agent_not_said can only hold here: the agent says nothing after the call ended"),
    # an action the agent does not attach, and nothing leads to
    ("  - caller: anything\n", "[{not_action: unused}]",
     "s.yaml:5:10: not_action: unused can only hold: unused never runs in this call, the agent does not attach it"),
    ("  - caller: anything\n  - expect: {action: unused}\n", "[]",
     "s.yaml:5:13: action: unused can only fail: unused never runs in this call"),
    # before the first turn only call_start actions run
    ("  - expect: {not_action: lookup}\n  - caller: hi\n", "[]",
     "s.yaml:4:13: not_action: lookup can only hold here: lookup runs only during the call, and this check "
     "looks before the first turn"),
    # post-call results inside the call
    ("  - caller: hi\n  - expect: {sms: {contains: Thanks}}\n", "[]",
     "s.yaml:5:13: sms can only fail here: post-call texts are sent after the call"),
    ("  - caller: hi\n  - expect: {evaluation: {quality: {passed: true}}}\n", "[]",
     "s.yaml:5:13: evaluation: quality can only fail here: quality runs only after the call"),
    # the call has always ended by the end
    ("  - caller: hi\n", "[{ended: {}}]",
     "s.yaml:5:10: ended: with neither by: nor reason: can only hold here"),
    # what the caller does after hanging up is never played
    ("  - hangup: true\n  - caller: hello?\n", "[]",
     "s.yaml:5:5: this caller turn comes after the caller hung up (turn 1), so it is never played"),
    ("  - hangup: false\n", "[]", "s.yaml:4:13: turns[0].hangup: false does nothing"),
])
def test_checks_that_cannot_fail_where_they_stand(tmp_path: Path, turns: str, expect: str, problem: str) -> None:
    found = problems(write(tmp_path, turns, expect))
    assert len(found) == 1, found
    assert found[0].startswith(str(tmp_path / problem.split(":", 1)[0]) + ":" + problem.split(":", 1)[1]), found[0]


@pytest.mark.parametrize(("expectation", "field"), [
    ("{agent_said: ''}", "agent_said"), ("{agent_not_said: ' '}", "agent_not_said"),
    ("{variables: {}}", "variables"), ("{extracted: {}}", "extracted"), ("{order: []}", "order"),
    ("{message: {contains: ''}}", "message.contains"), ("{transfer: {whisper_contains: ''}}", "transfer.whisper_contains"),
])
def test_an_empty_text_or_an_empty_list_of_things_to_check_is_an_error(tmp_path: Path, expectation: str,
                                                                       field: str) -> None:
    found = problems(write(tmp_path, f"  - caller: hi\n  - expect: {expectation}\n"))
    assert len(found) == 1 and f": turns[1].expect.{field}: " in found[0], found
    assert "could not fail" in found[0]


def test_an_evaluation_criterion_about_an_action_the_agent_never_runs(tmp_path: Path) -> None:
    actions = ACTIONS.replace("      - {name: looked_up, action: lookup}\n",
                              "      - {name: looked_up, action: lookup}\n      - {name: careful, not_action: unused}\n")
    write(tmp_path, "  - caller: hi\n", actions=actions)
    with pytest.raises(ConfigErrors) as caught:
        load_project(tmp_path / "agent.yaml")
    [error] = caught.value.errors
    assert str(error).startswith(f"{tmp_path / 'actions.yaml'}:28:37: action 'quality', criterion 'careful': "
                                 "not_action: unused can only hold: unused never runs in this call")
    assert "(for agent shop)" in str(error)
