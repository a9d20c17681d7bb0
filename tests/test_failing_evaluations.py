"""A post-call evaluation that fails makes its scenario fail, listing the criteria that missed, unless
the scenario states that evaluation's expected outcome (an `evaluation:` expectation naming it)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from callsim.report import explain
from callsim.runner import ScenarioResult, run_scenario

AGENT = """\
agent: shop
greeting: Hello, shop here.
fallback: Sorry, I can only help with orders.
uses: [actions.yaml]
actions: [quality, politeness]
"""
ACTIONS = """\
actions:
  quality:
    type: evaluate
    pass_score: 0.75
    criteria:
      - {name: greeted, said: Hello, weight: 1}
      - {name: understood, no_fallback: true, weight: 2, rubric: The agent never fell back.}
      - {name: brief, max_turns: 1, weight: 1}
  politeness:
    type: evaluate
    criteria:
      - {name: polite, never_said: stupid}
"""


def run(tmp_path: Path, scenario: str) -> ScenarioResult:
    (tmp_path / "agent.yaml").write_text(AGENT)
    (tmp_path / "actions.yaml").write_text(ACTIONS)
    path = tmp_path / "scenario.yaml"
    path.write_text("scenario: evaluations\nagent: agent.yaml\n" + textwrap.dedent(scenario))
    return run_scenario(path)


MISUNDERSTOOD = "turns:\n  - caller: can you sing\n  - caller: please sing\n"


def test_a_failing_evaluation_fails_the_scenario_and_lists_the_missed_criteria(tmp_path):
    result = run(tmp_path, MISUNDERSTOOD)

    assert not result.passed
    [failure] = result.failures
    assert str(failure.position).endswith("actions.yaml:2:3")  # the evaluate action
    assert failure.failure.expected == "evaluation quality to pass"
    assert failure.failure.instead.startswith("quality failed with score 0.25 (pass 0.75); criteria not met: "
                                              "understood (the agent said its fallback line 2 time(s)")
    assert "brief (the caller spoke 2 turns, more than 1)" in failure.failure.instead
    text = explain(result)
    assert "scenario.yaml" in text and "actions.yaml:2:3: expected evaluation quality to pass (after the call)" in text
    assert "expect: [{evaluation: {quality: {passed: false}}}]" in text  # how to state it, when it is the point


def test_stating_the_outcome_lets_a_failing_evaluation_pass(tmp_path):
    result = run(tmp_path, MISUNDERSTOOD + "expect:\n  - evaluation: {quality: {passed: false}}\n")

    assert result.passed, explain(result)


def test_stating_a_score_is_stating_the_outcome(tmp_path):
    result = run(tmp_path, MISUNDERSTOOD + "expect:\n  - evaluation: {quality: {score: 0.2}}\n")

    assert result.passed, explain(result)


def test_stating_one_evaluation_leaves_the_others_checked(tmp_path):
    result = run(tmp_path, MISUNDERSTOOD.replace("please sing", "you are stupid")
                 .replace("can you sing", "say stupid") + "expect:\n  - evaluation: {quality: {passed: false}}\n")

    assert result.passed, explain(result)  # the agent never said 'stupid': politeness passed
    (tmp_path / "actions.yaml").write_text(ACTIONS.replace("never_said: stupid", "said: Thank you"))
    result = run_scenario(tmp_path / "scenario.yaml")
    assert [f.failure.expected for f in result.failures] == ["evaluation politeness to pass"]


def test_passing_evaluations_need_no_statement(tmp_path):
    result = run(tmp_path, "turns: []\n")

    assert result.passed, explain(result)
    assert [e.passed for e in result.trace.events if e.type == "evaluation"] == [True, True]


def test_the_cli_exits_1_and_shows_the_evaluation(cli, project):
    project.write("actions.yaml", ACTIONS)
    project.write("agent.yaml", AGENT)
    project.write("scenario.yaml", "scenario: evaluations\nagent: agent.yaml\n" + MISUNDERSTOOD)

    outcome = cli("run", "scenario.yaml")

    assert outcome.exit_code == 1
    assert "actions.yaml:2:3: expected evaluation quality to pass (after the call)" in outcome.stdout
    assert "FAIL quality 0.25 < 0.75" in outcome.stdout
