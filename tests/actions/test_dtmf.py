"""DTMF both ways: the agent's `dtmf` action (keys, pauses, placeholders) and the caller's keypresses."""

from __future__ import annotations

import asyncio
import datetime as dt
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest

from callsim.actions import dtmf
from callsim.actions.base import ActionContext, ActionError
from callsim.config.actions import DtmfAction
from callsim.engine.clock import VirtualClock
from callsim.runner import ScenarioResult, run_scenario


class KeyPad:
    """A telephony stand-in that records when each key reached the far end."""

    def __init__(self, clock: VirtualClock) -> None:
        self.clock = clock
        self.pressed: list[tuple[str, float]] = []

    def press(self, key: str) -> None:
        self.pressed.append((key, round(self.clock.elapsed(), 3)))


def send(digits: str, variables: dict | None = None) -> tuple[KeyPad, list]:
    clock = VirtualClock(dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc))
    pad, emitted = KeyPad(clock), []
    ctx = ActionContext(name="menu", clock=clock, backends=SimpleNamespace(telephony=pad), emit=emitted.append,
                        variables=variables or {}, call=SimpleNamespace())
    asyncio.run(dtmf.run(DtmfAction(type="dtmf", digits=digits), ctx))
    return pad, emitted


def test_each_key_reaches_the_far_end_at_its_moment():
    pad, emitted = send("1w2W#")

    assert pad.pressed == [("1", 0.0), ("2", 0.7), ("#", 1.9)]
    assert (emitted[0].digits, emitted[0].duration) == ("1w2W#", 2.1)


def test_a_placeholder_gives_keys():
    pad, emitted = send("2w{{ member.id }}#", {"member": {"id": "90210"}})

    assert "".join(key for key, _ in pad.pressed) == "290210#" and emitted[0].digits == "2w90210#"


@pytest.mark.parametrize(("value", "problem"), [
    ("12w4", "'w' at position 3 of '12w4' is not a DTMF key; digits may hold 0-9, *, #, A-D"),
    ("12 34", "' ' at position 3"),
    ("", "it is empty"),
])
def test_a_placeholder_value_can_only_give_keys_never_pauses_or_other_characters(value, problem):
    with pytest.raises(ActionError) as caught:
        send("2{{ pin }}#", {"pin": value})

    assert caught.value.kind == "invalid_digits"
    assert str(caught.value).startswith(f"action menu, field digits: {{{{ pin }}}} gave {value!r}, which is not keys "
                                        f"only: ")
    assert problem in str(caught.value)


# ---- the caller's keypresses -------------------------------------------------------------------------

AGENT = """\
agent: a
greeting: Hello.
fallback: Please say or press what you need.
variables:
  pin: {type: digits, length: 4, ask: Enter your PIN then pound.}
uses: [actions.yaml]
actions: [balance, press_one, press_star]
"""
ACTIONS = """\
actions:
  balance:
    type: http
    trigger: {phrases: [balance]}
    needs: [pin]
    request: {method: POST, url: "https://bank.test/balance", json: {pin: "{{ pin }}"}}
    save: {amount: $.amount}
    say: You have {{ amount }}.
  press_one:
    type: http
    trigger: {on: dtmf, if: dtmf == "1"}
    request: {url: "https://bank.test/one"}
    say: One it is.
  press_star:
    type: http
    trigger: {on: dtmf, if: 'dtmf.startswith("*")'}
    request: {url: "https://bank.test/star"}
    say: Star menu {{ dtmf }}.
"""


def play(tmp_path: Path, turns: str) -> ScenarioResult:
    (tmp_path / "agent.yaml").write_text(AGENT)
    (tmp_path / "actions.yaml").write_text(ACTIONS)
    (tmp_path / "s.yaml").write_text(textwrap.dedent("""\
        scenario: s
        agent: agent.yaml
        http:
          - {match: POST https://bank.test/balance, json: {amount: 12}}
          - {match: GET https://bank.test/one, json: {}}
          - {match: GET https://bank.test/star, json: {}}
        turns:
        """) + turns)
    result = run_scenario(tmp_path / "s.yaml")
    assert result.crash is None, result.crash
    return result


def lines(result: ScenarioResult) -> list[str]:
    return [e.text for e in result.trace.events if e.type == "agent_said"]


def test_keys_answer_the_variable_being_asked_for(tmp_path):
    result = play(tmp_path, "  - caller: what is my balance\n  - dtmf: 4321#\n")

    assert lines(result)[-2:] == ["Enter your PIN then pound.", "You have 12."]
    assert result.trace.variables["pin"] == "4321" and result.trace.variables["dtmf"] == "4321#"
    pressed = next(e for e in result.trace.events if e.type == "dtmf_received")
    assert (pressed.digits, pressed.turn) == ("4321#", 2)


def test_keys_fire_on_dtmf_actions_by_their_condition(tmp_path):
    result = play(tmp_path, "  - dtmf: '1'\n  - dtmf: '*9'\n  - dtmf: '7'\n")

    assert lines(result)[1:] == ["One it is.", "Star menu *9.", "Please say or press what you need."]


def test_pauses_pass_time_but_do_not_land_in_the_variable(tmp_path):
    result = play(tmp_path, "  - dtmf: 1W\n")

    assert result.trace.variables["dtmf"] == "1" and lines(result)[-1] == "One it is."
    said = [e for e in result.trace.events if e.type == "agent_said"][-1]
    assert said.t == pytest.approx(0.4 + 0.2 + 1.0)  # greeting, key, pause


def test_the_menu_example_goes_red_when_the_agent_presses_a_key_too_many(tmp_path):
    """scenarios/telephony/ivr_navigates_to_eligibility.yaml checks the whole call's keys exactly: a pound
    pressed twice passes every other check (the menu takes the first), and only that one fails."""
    (tmp_path / "pyproject.toml").write_text("")
    example = Path(__file__).resolve().parents[2] / "scenarios" / "telephony"
    for name in ("eligibility_agent.yaml", "eligibility_actions.yaml", "ivr_navigates_to_eligibility.yaml"):
        (tmp_path / name).write_text((example / name).read_text())
    assert run_scenario(tmp_path / "ivr_navigates_to_eligibility.yaml").passed

    actions = tmp_path / "eligibility_actions.yaml"
    actions.write_text(actions.read_text().replace('digits: "w{{ member_id }}#"', 'digits: "w{{ member_id }}##"'))
    result = run_scenario(tmp_path / "ivr_navigates_to_eligibility.yaml")

    assert [f.failure.expected for f in result.failures] == ["the agent to send exactly the keys '2123456789#'"]
