"""Suite-wide expectations: a `suite.yaml` applies its `expect:` to every scenario in its folder and below,
in `callsim run`, pytest and `callsim replay` alike; a scenario's own expectation about the same subject
replaces the suite's; failures point at the suite file's line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from callsim.config.project import load_scenario
from callsim.errors import ConfigErrors
from callsim.report import explain
from callsim.runner import run_scenario

AGENT = """\
agent: shop
greeting: Hello, shop here.
fallback: I don't know, sorry. I can look up orders.
variables:
  order_number: {type: digits, ask: What is your order number?}
uses: [actions.yaml]
actions: [lookup, quality]
"""
ACTIONS = """\
actions:
  lookup:
    type: http
    trigger: {phrases: ["where is my order"]}
    needs: [order_number]
    request: {url: "https://api.shop.test/orders/{{ order_number }}"}
    save: {status: $.status}
    say: Order {{ order_number }} is {{ status }}.
  quality:
    type: evaluate
    criteria:
      - {name: understood, no_fallback: true}
"""
ORDER = """\
scenario: {title}
agent: ../agent.yaml
http:
  - {{match: GET https://api.shop.test/orders/4567, json: {{status: shipped}}}}
turns:
  - caller: {said}
  - caller: where is my order, it's 4567
  - expect: {{agent_said: Order 4567 is shipped}}
"""
SUITE = """\
suite: every shop call
expect:
  - agent_not_said: "I don't know"
"""


@pytest.fixture
def shop(project):
    project.write("pyproject.toml", "")  # the project's root: its scenarios/ use ../agent.yaml
    project.write("agent.yaml", AGENT)
    project.write("actions.yaml", ACTIONS)
    project.scenario.unlink()
    project.write("scenarios/calm.yaml", ORDER.format(title="calm caller", said="where is my order"))
    project.write("scenarios/sings.yaml", ORDER.format(title="caller asks for a song", said="sing me a song"))
    project.write("scenarios/suite.yaml", SUITE)
    return project


def quality_passes_anyway(shop) -> None:
    """The fallback fails `quality`; state that outcome so only the suite rule is under test."""
    shop.edit("scenarios/sings.yaml", "  - expect: {agent_said: Order 4567 is shipped}\n",
              "  - expect: {agent_said: Order 4567 is shipped}\nexpect:\n  - evaluation: {quality: {passed: false}}\n")


def test_the_suite_rule_fails_a_scenario_that_breaks_it_at_the_suite_files_line(shop):
    quality_passes_anyway(shop)

    calm = run_scenario(shop.root / "scenarios/calm.yaml")
    sings = run_scenario(shop.root / "scenarios/sings.yaml")

    assert calm.passed, explain(calm)
    [failure] = sings.failures
    line, column = shop.locate("scenarios/suite.yaml", "agent_not_said")
    assert str(failure.position).endswith(f"scenarios/suite.yaml:{line}:{column}")
    assert failure.failure.expected == "the agent never to say \"I don't know\""
    assert failure.moment == "after the call"


def test_a_scenario_overrides_a_suite_rule_by_stating_the_same_subject(shop):
    shop.edit("scenarios/sings.yaml", "  - expect: {agent_said: Order 4567 is shipped}\n",
              "  - expect: {agent_said: Order 4567 is shipped}\nexpect:\n  - agent_said: \"I don't know\"\n"
              "  - evaluation: {quality: {passed: false}}\n")

    result = run_scenario(shop.root / "scenarios/sings.yaml")

    assert result.passed, explain(result)


def test_nested_suites_add_up_and_the_nearer_one_wins_on_the_same_subject(shop):
    shop.write("scenarios/sub/suite.yaml", "expect:\n  - agent_said: \"I don't know\"\n  - ended: {by: caller}\n")
    shop.write("scenarios/sub/sings.yaml", ORDER.format(title="nested", said="sing me a song")
               .replace("../agent.yaml", "../../agent.yaml") + "expect:\n  - evaluation: {quality: {passed: false}}\n")

    scenario = load_scenario(shop.root / "scenarios/sub/sings.yaml")

    assert [(x.expectation.kind, x.position.file.rsplit("/", 2)[-2]) for x in scenario.suite] == [
        ("agent_said", "sub"), ("ended", "sub")]
    assert run_scenario(scenario).passed


def test_an_evaluation_rule_in_the_suite_raises_the_bar(shop):
    shop.write("scenarios/suite.yaml", "expect:\n  - evaluation: {quality: {passed: true}}\n")

    calm = run_scenario(shop.root / "scenarios/calm.yaml")
    sings = run_scenario(shop.root / "scenarios/sings.yaml")

    assert calm.passed, explain(calm)
    assert [str(f.position).rsplit("/", 1)[-1] for f in sings.failures] == ["suite.yaml:2:5"]


def test_a_suite_rule_naming_an_action_no_agent_below_defines_is_an_error(shop):
    shop.write("scenarios/suite.yaml", "expect:\n  - evaluation: {qualty: {passed: true}}\n")

    with pytest.raises(ConfigErrors) as raised:
        load_scenario(shop.root / "scenarios/calm.yaml")

    assert ("suite.yaml:2:5: suite expectation names 'qualty', which neither this scenario's agent nor an action "
            "library below") in str(raised.value)
    assert "did you mean 'quality'?" in str(raised.value)


def test_a_suite_rule_about_an_action_another_agent_has_skips_this_agent(shop):
    shop.write("scenarios/other_agent/actions.yaml", "actions:\n  transfer_out:\n    type: transfer\n"
               "    trigger: {phrases: [human]}\n    destination: \"+14155550123\"\n")
    shop.write("scenarios/suite.yaml", "expect:\n  - not_action: transfer_out\n")

    scenario = load_scenario(shop.root / "scenarios/calm.yaml")

    assert scenario.suite == []  # the shop agent has no transfer_out; the rule is for the agents that do


def test_an_invalid_suite_file_is_reported_where_it_is(cli, shop):
    shop.write("scenarios/suite.yaml", "expect:\n  - agent_not_sayd: x\n")

    outcome = cli("validate", "scenarios")

    assert outcome.exit_code == 2
    assert "scenarios/suite.yaml:2:5: unknown field 'agent_not_sayd' in expect[0]; did you mean 'agent_not_said'?" \
        in outcome.stderr


def test_run_validate_and_replay_apply_the_suite(cli, shop):
    quality_passes_anyway(shop)

    assert cli("validate", "scenarios").exit_code == 0
    ran = cli("run", "scenarios")
    assert ran.exit_code == 1
    line, column = shop.locate("scenarios/suite.yaml", "agent_not_said")
    assert f"scenarios/suite.yaml:{line}:{column}: expected the agent never to say \"I don't know\"" in ran.stdout
    assert "1 passed, 1 failed" in ran.stdout
    single = cli("run", "scenarios/sings.yaml")  # run alone, the scenario still meets its suite
    assert single.exit_code == 1
    replayed = cli("replay", "scenarios", "--update")
    assert replayed.exit_code == 1 and "1 refused" in replayed.stdout


def test_pytest_applies_the_suite(pytester, monkeypatch):
    monkeypatch.setenv("PYTEST_ADDOPTS", "-p no:textual-snapshot")
    pytester.makefile(".yaml", **{"agent": AGENT, "actions": ACTIONS, "scenarios/suite": SUITE,
                                  "scenarios/sings": ORDER.format(title="caller asks for a song", said="sing me a song")
                                  + "expect:\n  - evaluation: {quality: {passed: false}}\n"})
    pytester.makeini("[pytest]\ntestpaths = scenarios\n")
    pytester.makefile(".toml", pyproject="")

    result = pytester.runpytest("-q")

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*scenarios/suite.yaml:3:5: expected the agent never to say \"I don't know\"*"])


def test_the_example_suite_catches_an_agent_that_reads_its_secret_aloud(tmp_path):
    examples = Path(__file__).resolve().parents[1] / "scenarios"
    shutil.copytree(examples / "acme", tmp_path / "scenarios" / "acme")
    shutil.copy(examples / "suite.yaml", tmp_path / "scenarios" / "suite.yaml")
    (tmp_path / "pyproject.toml").write_text("")  # the project's root: suite files above it do not count
    actions = tmp_path / "scenarios" / "acme" / "actions.yaml"
    scenario = tmp_path / "scenarios" / "acme" / "order_status_spoken_digits.yaml"
    assert run_scenario(scenario).passed

    actions.write_text(actions.read_text().replace("    say: Order {{ order_number }} is {{ order_status }}",
                                                   "    say: Token {{ secrets.ACME_TOKEN }}. Order {{ order_number }} "
                                                   "is {{ order_status }}", 1))
    result = run_scenario(scenario)

    assert [(f.position.file.rsplit("/", 1)[-1], f.failure.expected) for f in result.failures] == [
        ("suite.yaml", "the agent never to say '[redacted'")]
