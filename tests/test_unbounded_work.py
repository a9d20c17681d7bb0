"""Caller text cannot make a turn run away: patterns match in linear time, templates are capped in size
and output, date reading looks at a bounded text, and a failure quotes a long turn only in part."""

from __future__ import annotations

import pytest

from callsim.patterns import PatternError, compile_pattern
from callsim.runner import run_scenario

CATASTROPHIC = ["^(a+)+$", "(x+x+)+y", "(a|aa)+$", "(.*a){20}", "^(\\w+\\s?)*$"]


@pytest.mark.parametrize("pattern", CATASTROPHIC)
def test_a_catastrophic_pattern_answers_a_long_hostile_text_at_once(pattern: str) -> None:
    # with Python's re each of these takes longer than the universe's age on this text
    compiled = compile_pattern(pattern, ignore_case=True)
    assert compiled.search("a" * 50_000 + "!") is None or pattern == "(.*a){20}"
    assert [m.span() for m in compile_pattern("é(\\d+)").finditer("ééé é12 é3")] == [(4, 7), (8, 10)]


@pytest.mark.parametrize(("pattern", "says"), [
    ("order (?=\\d)", "a lookahead (?=...) is not supported: patterns run on RE2"),
    ("(?<!not )angry", "a negative lookbehind (?<!...) is not supported"),
    ("(\\d)\\1", "a backreference is not supported"),
    ("(a{100}){100}", "invalid repetition size"),
    ("order (\\d+", "missing )"),
])
def test_a_pattern_re2_cannot_run_is_a_clear_error(pattern: str, says: str) -> None:
    with pytest.raises(PatternError, match=None) as refused:
        compile_pattern(pattern)
    assert says in str(refused.value)


AGENT = """\
agent: a
greeting: Hi.
variables:
  note: {type: text, pattern: "(x+x+)+y", ask: Any note?}
uses: [actions.yaml]
actions: [grab]
"""
ACTIONS = """\
actions:
  grab:
    type: http
    trigger: {regex: ["^(a+)+$"]}
    needs: [note]
    request: {url: "https://api.test/x"}
    say: ok
"""


def test_a_catastrophic_trigger_and_variable_pattern_run_a_hostile_turn_at_once(project) -> None:
    project.write("agent.yaml", AGENT)
    project.write("actions.yaml", ACTIONS)
    project.write("scenario.yaml", "scenario: s\nagent: agent.yaml\nturns:\n"
                                   f"  - caller: {'a' * 5000}b\n  - caller: {'x' * 5000}\n"
                                   f"  - caller: {'a' * 5000}\n  - expect: {{agent_said: Any note?}}\n"
                                   f"  - caller: {'x' * 5000}\n  - expect: {{agent_said: Any note?}}\n")
    result = run_scenario(project.scenario)  # with Python's re: past 30 s on the first turn
    assert result.passed, [f.failure for f in result.failures] + result.errors


@pytest.mark.parametrize(("where", "text"), [
    ("trigger: {phrases: [\"where is my order\"]}", "trigger: {regex: [\"order (?!status)\"]}"),
])
def test_validate_refuses_a_pattern_that_cannot_run_at_its_line(project, cli, where, text) -> None:
    project.edit("actions.yaml", where, text)
    line, column = project.locate("actions.yaml", "order (?!")
    checked = cli("validate", ".")
    assert checked.exit_code == 2
    assert "a negative lookahead (?!...) is not supported" in checked.output
    assert f"actions.yaml:{line}:" in checked.output
