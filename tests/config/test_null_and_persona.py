"""The user's mistakes in turns and expectations are the user's errors: a null value, a persona placeholder that
cannot be filled in. Each is a positioned validate error (or a failed run naming it), never a callsim crash."""

from __future__ import annotations

import asyncio

import pytest

from callsim.config.project import load_scenario
from callsim.errors import ConfigErrors
from callsim.runner import run_scenario, run_scenario_async


def problems(project) -> list[str]:
    with pytest.raises(ConfigErrors) as caught:
        load_scenario(project.scenario)
    return [str(error) for error in caught.value.errors]


@pytest.mark.parametrize(("written", "message"), [
    ("  - expect: {agent_said: null}", "turns[1].expect: 'agent_said' has no value (null), so it would check nothing"),
    ("  - expect:\n      - not_action:", "turns[1].expect[0]: 'not_action' has no value (null), so it would check "
                                        "nothing; write what to check after 'not_action:'"),
    ("  - hangup:", "turns[1]: 'hangup' has no value (null), so it would do nothing"),
    ("  - caller: ~", "turns[1]: 'caller' has no value (null), so it would do nothing"),
])
def test_a_null_turn_or_expectation_is_an_error_at_its_line(project, written, message):
    project.edit("scenario.yaml", "  - expect: {agent_said: Order 4567 is shipped}", written)

    [error] = problems(project)
    line, _ = project.locate("scenario.yaml", written.strip().split("\n")[-1].strip())
    assert error.startswith(f"{project.scenario}:{line}:")
    assert message in error


def test_a_top_level_null_expectation_is_an_error_too(project):
    project.write("scenario.yaml", project.scenario.read_text() + "expect:\n  - action: null\n")

    [error] = problems(project)
    assert "expect[0]: 'action' has no value (null)" in error


PERSONA = """\
scenario: persona
agent: agent.yaml
caller: {persona: random, seed: SEED}
repeat: 2
http:
  - {match: GET https://api.test/orders/4567, json: {status: shipped}}
turns:
  - caller: "where is my order, it's 4567 TURN"
  - expect: EXPECT
"""


def persona_scenario(project, seed: int = 1, turn: str = "", expect: str = "{agent_said: Order 4567}") -> None:
    project.write("scenario.yaml", PERSONA.replace("SEED", str(seed)).replace("TURN", turn).replace("EXPECT", expect))


@pytest.mark.parametrize(("turn", "expect", "where"), [
    ("{{ caller.seed // 0 }}", "{agent_said: Order}", "turns[0]"),
    ("", "{agent_said: '{{ caller.name[caller.seed // 0] }}'}", "turns[1].expect[0]"),
])
def test_a_persona_placeholder_that_cannot_be_filled_in_is_a_validate_error(project, turn, expect, where):
    persona_scenario(project, turn=turn, expect=expect)

    [error] = problems(project)
    line, _ = project.locate("scenario.yaml", "// 0")
    assert error.startswith(f"{project.scenario}:{line}:")
    assert f": {where}: " in error and "cannot be rendered: integer division or modulo by zero" in error


def test_a_later_persona_that_cannot_fill_in_a_turn_fails_that_run_not_callsim(project):
    # seed -1 validates (10 // -1); run 2 is seed 0, whose turn cannot be filled in
    persona_scenario(project, seed=-1, turn="{{ 'please' if 10 // caller.seed else '' }}")
    scenario = load_scenario(project.scenario)

    first, second = (asyncio.run(run_scenario_async(scenario, variant=v)) for v in (0, 1))
    assert first.passed and first.crash is None
    assert not second.passed and second.crash is None
    assert "this persona's details cannot fill in the turn" in second.errors[0].message


def test_a_later_persona_that_cannot_fill_in_an_expectation_fails_it(project):
    persona_scenario(project, seed=-1, expect="{agent_said: \"{{ 'Order' if 10 // caller.seed else '' }}\"}")
    scenario = load_scenario(project.scenario)

    second = asyncio.run(run_scenario_async(scenario, variant=1))
    assert second.crash is None
    assert "its placeholders cannot be filled in" in second.failures[0].failure.instead


def test_a_persona_scenario_that_fills_in_runs(project):
    persona_scenario(project, turn="(I am {{ caller.name }})")

    assert run_scenario(project.scenario).passed


def test_a_persona_turn_that_fills_in_past_a_turns_limit_is_a_validate_error(project):
    # the file's turn is short, but a loop over the persona's details said 100,000 characters in it
    persona_scenario(project, turn="{{ (caller.name ~ ' ') * 5000 }}")

    [error] = problems(project)
    line, _ = project.locate("scenario.yaml", "* 5000")
    assert error.startswith(f"{project.scenario}:{line}:")
    assert "turns[0]: " in error and "characters; a turn holds at most 10,000 (some ten minutes of speech)" in error
