"""Caller text cannot make a turn run away: patterns match in linear time, templates are capped in size
and output, date reading looks at a bounded text, and a failure quotes a long turn only in part."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import callsim.engine.session
from callsim.errors import TemplateError
from callsim.patterns import PatternError, compile_pattern
from callsim.runner import run_scenario
from callsim.templates import compile_template, render_text

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


# ---- templates: size, output and loops -------------------------------------------------------------

BUILDERS = [
    "{{ 'x' * 300000000 }}", "{{ ['x'] * 300000000 }}", "{{ 9 ** 9999999 }}", "{{ name | center(1000000000) }}",
    "{{ name.ljust(1000000000) }}", "{{ '%999999999s' % name }}", "{{ '{:>999999999}'.format(name) }}",
    "{{ ('x' * 99999) | replace('x', 'yyyyyy') }}", "{{ ('x' * 1000) | list | join('y' * 1000) }}",
    "{% for i in 'x' * 99999 %}{{ 'y' * 99999 }}{% endfor %}", "{{ name | indent(1000000000, true) }}",
    "{% for i in 'x' * 99999 %}{% for j in 'x' * 99999 %}{% endfor %}{% endfor %}",
    "{{ name | wordwrap(1000000000) | center(999999999) }}", "{{ ('x' * 99999) ~ ('x' * 99999) }}",
]


@pytest.mark.parametrize("source", BUILDERS)
def test_a_template_cannot_build_past_the_output_limit(source: str) -> None:
    with pytest.raises(TemplateError, match="the most a template may build|more than 4096 bits|turn more than"):
        render_text(source, {"name": "Ana"})


@pytest.mark.parametrize(("source", "says"), [
    ("{{ a }}" * 600, "at most 200 placeholders and tags (this one has 600)"),
    ("x" * 20_001 + "{{ a }}", "at most 20,000 characters (this one has 20,008)"),
    ("{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}", "nested too deeply"),
    ("{{ a" + " | upper" * 2000 + " }}", "nested too deeply"),
    ("{% set b %}{{ a }}{% endset %}{{ b }}", "{% set name %} ... {% endset %} is not available"),
    ("{% macro m() %}x{% endmacro %}{{ m() }}", "{% macro %} and {% call %} are not available"),
])
def test_a_template_too_big_to_compile_is_refused_at_once(source: str, says: str) -> None:
    with pytest.raises(TemplateError) as refused:
        compile_template(source)
    assert says in str(refused.value)


def test_templates_within_the_limits_render_as_before() -> None:
    assert render_text("{% for i in items %}{{ loop.index }}:{{ i | upper }} {% endfor %}{{ 'ab' * 3 }}",
                       {"items": ["a", "b"]}) == "1:A 2:B ababab"
    assert render_text("{{ '%05.1f' % 3.14159 }} {{ 2 ** 10 }} {{ 'x' | center(5) }}", {}) == "003.1 1024   x  "


def test_a_huge_constant_in_a_template_is_never_built(project, cli) -> None:
    project.edit("agent.yaml", "greeting: Hello, how can I help?", "greeting: \"{{ 'x' * 300000000 }}\"")
    assert cli("validate", "agent.yaml").exit_code == 0  # it built 1.2 GB in 14 s when jinja folded the constant
    run = cli("run", "scenario.yaml")
    assert run.exit_code == 1 and "1 x 300,000,000 would be longer than 100,000" in run.output


# ---- a failure quotes a long turn only in part ---------------------------------------------------------


def test_a_failure_message_quotes_a_long_turn_with_a_note(project, cli) -> None:
    project.edit("scenario.yaml", "  - caller: where is my order, it's 4567\n",
                 f"  - caller: where is my order, it's 4567 {'blah ' * 1900}\n")
    project.edit("scenario.yaml", "Order 4567 is shipped", "something else")
    run = cli("run", "scenario.yaml")
    assert run.exit_code == 1
    assert "blah … [cut: 9,651 characters in all]" in run.output  # the line saying which turn the check follows
    assert "bla… [cut: 9,536 characters in all]" in run.output  # the turn in the timeline
    assert max(len(line) for line in run.output.splitlines()) < 1100


# ---- reading values: each turn is read a bounded number of times -------------------------------------

BOOKING = Path(__file__).resolve().parents[1] / "scenarios" / "booking"
MARKED = ["I said tomorrow at ten thirty pm no wait friday 2:45, ", "blah no wait ", "I mean tomorrow, sorry ",
          "no wait bob smith ", "this is ana ruiz I mean bob smith, "]


@pytest.mark.parametrize("unit", MARKED)
def test_a_turn_full_of_correction_markers_is_read_a_bounded_number_of_times(tmp_path, monkeypatch, unit) -> None:
    """Each run of correction markers was a read of the whole turn (and, to correct an earlier answer, as many
    again per run): 10,000 characters of "no wait ..." cost ~1.6 s of CPU, 2 MiB of them minutes. Now a turn
    is read around its last few runs only, so the characters read stay a small multiple of the turn."""
    read, said = [], (unit * (10_000 // len(unit) + 1))[:10_000]
    real = callsim.engine.session.read_value

    def counting(type_, text, ctx, **options):
        read.append(len(text))
        return real(type_, text, ctx, **options)

    monkeypatch.setattr(callsim.engine.session, "read_value", counting)
    shutil.copytree(BOOKING, tmp_path / "booking")
    scenario = tmp_path / "booking" / "long.yaml"
    scenario.write_text("scenario: s\nagent: agent.yaml\nnow: 2026-11-30T15:00:00-05:00\nturns:\n"
                        "  - caller: this is ana ruiz, do you have anything tomorrow morning?\n"
                        f"  - caller: the eleven thirty one\n  - caller: \"{said}\"\n")
    result = run_scenario(scenario)
    assert not result.errors
    assert sum(read) < 30 * len(said), f"{len(read)} reads of {sum(read):,} characters"  # before: 280 to 830 times
