"""The evaluate action: rules over the finished call, weights, a score, a verdict and why."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from callsim.actions.evaluate import _RULES
from callsim.cli import app
from callsim.config.actions import CRITERION_RULES
from callsim.runner import ScenarioResult, run_scenario

AGENT = """
agent: shop
greeting: Thanks for calling Acme.
fallback: Sorry, I did not get that.
variables:
  order_number: {type: digits, ask: What is your order number?}
uses: [actions.yaml]
actions: [quality, lookup, note]
"""
ACTIONS = """
actions:
  lookup:
    type: http
    trigger: {phrases: [order]}
    needs: [order_number]
    request: {url: "https://api.test/orders/{{ order_number }}", timeout: 2s}
    save: {status: $.status}
    say: It is {{ status }}.
    on_error: {say: The order system is down.}
  note:                         # a post-call action listed after the evaluation, yet run before it
    type: extract
    trigger: {on: call_end}
    fields: {mood: {type: enum, values: [happy, angry]}}
  quality:
    type: evaluate
    pass_score: 0.6
    criteria:
{criteria}
"""


def evaluate(tmp_path: Path, criteria: str, turns: str, route: str = "{match: GET https://api.test/orders/4567, json: {status: shipped}}",
             expect: str = "") -> ScenarioResult:
    (tmp_path / "agent.yaml").write_text(textwrap.dedent(AGENT))
    items = textwrap.indent(textwrap.dedent(criteria).strip(), "      ")
    (tmp_path / "actions.yaml").write_text(textwrap.dedent(ACTIONS).replace("{criteria}", items))
    body = textwrap.indent(textwrap.dedent(turns).strip(), "  ")
    (tmp_path / "s.yaml").write_text(f"scenario: s\nagent: agent.yaml\nhttp:\n  - {route}\nturns:\n{body}\n{expect}")
    result = run_scenario(tmp_path / "s.yaml")
    assert not result.crash, result.crash
    return result


def verdicts(result: ScenarioResult) -> dict[str, tuple[bool, str]]:
    evaluation = next(e for e in result.trace.events if e.type == "evaluation")
    return {c["name"]: (c["passed"], c["why"]) for c in evaluation.criteria}


HAPPY = """
- caller: where is my order 4567
- caller: great, I'm happy
"""


@pytest.mark.parametrize(("criterion", "passed", "why"), [
    ("said: thanks for calling", True, "the agent said 'Thanks for calling Acme.' (#"),
    ("said: have a nice day", False, "the agent never said 'have a nice day'"),
    ("never_said: order system is down", True, "the agent never said 'order system is down'"),
    ("never_said: shipped", False, "the agent said 'It is shipped.' (#"),
    ("action: lookup", True, "lookup ran and finished (#"),
    ("not_action: lookup", False, "lookup ran (caller turn 1, #"),
    ("action_failed: lookup", False, "lookup ran and finished"),
    ("if: status == 'shipped'", True, "is true at the end of the call (status = 'shipped')"),
    ("if: mood == 'happy'", True, "is true at the end of the call (mood = 'happy')"),
    ("if: dtmf is defined", False, "is false at the end of the call (dtmf is not set)"),
    ("transfer: connected", False, "no transfer happened (transfer.outcome is not set)"),
    ("max_turns: 2", True, "the caller spoke 2 turn(s), at most 2"),
    ("max_turns: 1", False, "the caller spoke 2 turns, more than 1"),
    ("no_fallback: true", False, "the agent said its fallback line 1 time(s), first 'Sorry, I did not get that.'"),
])
def test_each_rule_says_why_it_passed_or_not(tmp_path: Path, criterion: str, passed: bool, why: str) -> None:
    result = evaluate(tmp_path, f"- {{name: c, {criterion}}}", HAPPY)
    got = verdicts(result)["c"]
    assert got[0] is passed and why in got[1], got


def test_a_failed_action_and_no_fallback(tmp_path: Path) -> None:
    result = evaluate(tmp_path, """
        - {name: failed, action_failed: lookup}
        - {name: ran, action: lookup}
        - {name: calm, no_fallback: true}
    """, "- caller: where is my order 4567", route="{match: GET https://api.test/orders/4567, error: timeout}")
    assert verdicts(result) == {
        "failed": (True, verdicts(result)["failed"][1]),
        "ran": (False, "lookup failed (timeout): GET https://api.test/orders/4567 got no response within 2s"),
        "calm": (True, "the agent never fell back to its fallback line"),
    }


def test_weights_make_the_score_and_pass_score_the_verdict(tmp_path: Path) -> None:
    criteria = """
        - {name: greeted, said: Thanks for calling, weight: 1}
        - {name: resolved, if: "status == 'delivered'", weight: 2}
        - {name: short, max_turns: 5, weight: 1}
    """
    result = evaluate(tmp_path, criteria, HAPPY)
    evaluation = next(e for e in result.trace.events if e.type == "evaluation")
    assert (evaluation.score, evaluation.passed, evaluation.pass_score) == (0.5, False, 0.6)
    assert "failed: resolved (" in evaluation.summary()


def test_evaluations_run_after_the_other_post_call_actions(tmp_path: Path) -> None:
    result = evaluate(tmp_path, "- {name: mood, if: mood is defined}", HAPPY)
    finished = [e.action for e in result.trace.events if e.type == "action_finished"]
    assert finished[-2:] == ["note", "quality"]
    assert verdicts(result)["mood"][0] is True


def test_the_evaluation_expectation(tmp_path: Path) -> None:
    criteria = "- {name: greeted, said: Thanks for calling}\n- {name: polite, never_said: shipped}"
    ok = evaluate(tmp_path, criteria, HAPPY, expect="expect:\n  - evaluation: {quality: {passed: false, score: 0.5}}\n")
    assert ok.passed
    failing = evaluate(tmp_path, criteria, HAPPY, expect="expect:\n  - evaluation: {quality: {passed: true}}\n")
    failure = failing.failures[0].failure
    assert failure.expected == "evaluation quality to pass"
    assert failure.instead.startswith("quality failed with score 0.50 (pass 0.60); criteria not met: polite "
                                      "(the agent said 'It is shipped.' (#")
    too_low = evaluate(tmp_path, criteria, HAPPY, expect="expect:\n  - evaluation: {quality: {score: 0.75}}\n")
    assert too_low.failures[0].failure.expected == "evaluation quality with a score of at least 0.75"


def test_the_evaluation_expectation_names_the_criteria_that_passed_and_missed(tmp_path: Path) -> None:
    criteria = "- {name: greeted, said: Thanks for calling}\n- {name: polite, never_said: shipped}"
    ok = evaluate(tmp_path, criteria, HAPPY,
                  expect="expect:\n  - evaluation: {quality: {passed: false, criteria: {greeted: true, polite: false}}}\n")
    assert ok.passed, ok.failures
    # failing for another reason than the one the scenario names is another call
    crossed = evaluate(tmp_path, criteria, HAPPY,
                       expect="expect:\n  - evaluation: {quality: {passed: false, criteria: {greeted: false}}}\n")
    failure = crossed.failures[0].failure
    assert failure.expected == "evaluation quality to fail with criteria greeted missed"
    assert failure.instead.endswith("; greeted was met")


def test_a_criterion_the_evaluation_does_not_have_is_a_validate_error(tmp_path: Path) -> None:
    from callsim.errors import ConfigErrors

    with pytest.raises(ConfigErrors) as refused:
        evaluate(tmp_path, "- {name: greeted, said: Thanks for calling}", HAPPY,
                 expect="expect:\n  - evaluation: {quality: {criteria: {greted: true}}}\n")
    error = refused.value.errors[0]
    assert "names criterion 'greted', which quality does not have" in error.problem
    assert error.hint == "did you mean 'greeted'?" and error.position.line == 9


def test_run_prints_each_evaluation_and_what_it_missed(tmp_path: Path) -> None:
    evaluate(tmp_path, "- {name: polite, never_said: shipped, rubric: Never spoil the surprise.}", HAPPY)
    out = CliRunner().invoke(app, ["run", str(tmp_path / "s.yaml")])
    assert out.exit_code == 1, out.output  # the evaluation failed and the scenario did not say it would
    text = " ".join(out.output.split())  # as printed, wrapped at the console's width
    assert "Evaluations FAIL quality 0.00 < 0.60 s ✗ polite (weight 1): the agent said 'It is shipped.'" in text
    assert "— Never spoil the surprise." in text


def test_every_rule_has_a_judge() -> None:
    assert set(_RULES) == {"if" if rule == "if_" else rule for rule in CRITERION_RULES}
