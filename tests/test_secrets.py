"""A secret that neither the scenario nor the environment supplies is a setup error, never a fallback.

Before: a "the order API times out" scenario passed with its secret removed, because the request was
never sent, `missing_variable` took `on_error`, and the apology line the scenario expected was said.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from callsim.config.project import load_scenario
from callsim.errors import ConfigErrors
from callsim.live import Callsim
from callsim.report import explain
from callsim.runner import run_scenario

TIMES_OUT = """\
scenario: the order API times out and the agent apologises
agent: agent.yaml
secrets: {SHOP_TOKEN: test-token}
http:
  - {match: GET https://api.shop.test/orders/4567, delay: 8s, json: {status: shipped}}
turns:
  - caller: where is my order, it's 4567
  - expect:
      - action_failed: lookup
      - agent_said: Our order system is not answering
"""
PLACEHOLDER = "{{ secrets.SHOP_TOKEN }}"


@pytest.fixture
def shop(secret_shop):
    secret_shop.write("scenario.yaml", TIMES_OUT)
    return secret_shop


def without_secret(shop) -> None:
    shop.edit("scenario.yaml", "secrets: {SHOP_TOKEN: test-token}\n", "")


def message(shop) -> str:
    line, column = shop.locate("actions.yaml", PLACEHOLDER)
    return (f"actions.yaml:{line}:{column}: secret SHOP_TOKEN has no value in scenario scenario.yaml "
            f"(action lookup, request.headers.Authorization); give the scenario a test value "
            f"(secrets: {{SHOP_TOKEN: \"...\"}}) or set the environment variable SHOP_TOKEN")


def test_the_timeout_scenario_passes_with_its_secret(shop):
    result = run_scenario(shop.scenario)
    assert result.passed, explain(result)


def test_without_the_secret_the_scenario_is_invalid_not_a_timeout(cli, shop):
    without_secret(shop)

    validated = cli("validate", "scenario.yaml")
    ran = cli("run", "scenario.yaml")

    assert validated.exit_code == 2 and ran.exit_code == 2
    assert message(shop) in validated.stderr
    assert message(shop) in ran.stderr
    assert "passed" not in ran.stdout.replace("0 passed", "")


def test_the_environment_supplies_the_secret(cli, shop, monkeypatch):
    without_secret(shop)
    monkeypatch.setenv("SHOP_TOKEN", "from-the-environment")

    assert cli("validate", "scenario.yaml").exit_code == 0
    assert cli("run", "scenario.yaml").exit_code == 0


def test_secrets_of_actions_that_cannot_run_and_optional_ones_are_not_required(shop):
    shop.edit("actions.yaml", PLACEHOLDER, "{{ secrets.SHOP_TOKEN | default('none') }}")
    without_secret(shop)

    assert run_scenario(shop.scenario).passed  # OTHER_TOKEN belongs to an action the agent never runs


def test_every_missing_secret_is_reported_once_with_its_other_places(shop):
    shop.edit("actions.yaml", "    say: Order {{ order_number }} is {{ status }}.",
              "    say: Order {{ order_number }} is {{ status }} ({{ secrets.SHOP_TOKEN }}).")
    without_secret(shop)

    with pytest.raises(ConfigErrors) as raised:
        load_scenario(shop.scenario)

    [error] = raised.value.errors
    line, _ = shop.locate("actions.yaml", "    say: Order")
    assert f"; also used at {shop.actions}:{line}:" in str(error)


def test_a_pytest_item_without_its_secret_is_an_error_not_a_pass(pytester, monkeypatch, shop):
    monkeypatch.setenv("PYTEST_ADDOPTS", "-p no:textual-snapshot")
    pytester.makefile(".yaml", **{"scenarios/shop/agent": shop.agent.read_text(),
                                  "scenarios/shop/actions": shop.actions.read_text(),
                                  "scenarios/shop/times_out": TIMES_OUT.replace("secrets: {SHOP_TOKEN: test-token}\n", "")})
    pytester.makeini("[pytest]\ntestpaths = scenarios\n")

    result = pytester.runpytest("-q")

    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*actions.yaml:*: secret SHOP_TOKEN has no value in scenario *times_out.yaml*"])


def test_a_secret_missing_at_run_time_stops_the_call_instead_of_taking_on_error(shop):
    scenario = load_scenario(shop.scenario)
    scenario.config = scenario.config.model_copy(update={"secrets": {}})  # as if the check were bypassed

    result = run_scenario(scenario)

    assert not result.passed
    assert [e.message for e in result.errors] == [
        "action lookup, field request.headers.Authorization: secret SHOP_TOKEN has no value; give it a test "
        "value (a scenario's secrets: {SHOP_TOKEN: \"...\"}, the simulator's --secret SHOP_TOKEN=VALUE, "
        "callsim.call(secrets=...)) or set the environment variable SHOP_TOKEN"]
    assert not [e for e in result.trace.events if e.type == "action_failed"]
    assert "not answering" not in " ".join(e.text for e in result.trace.events if e.type == "agent_said")


@pytest.mark.anyio
async def test_the_python_api_refuses_a_call_without_its_secret(shop):
    with pytest.raises(ConfigErrors) as raised:
        await Callsim().call(shop.agent)
    line, column = shop.locate("actions.yaml", PLACEHOLDER)
    assert str(raised.value) == (
        f"{shop.actions}:{line}:{column}: secret SHOP_TOKEN has no value (action lookup, "
        "request.headers.Authorization); pass it to the call (callsim.call(..., secrets={'SHOP_TOKEN': '...'})) "
        "or set the environment variable SHOP_TOKEN")
    call = await Callsim().call(shop.agent, secrets={"SHOP_TOKEN": "t"})
    await call.hangup()


def test_the_examples_validate_without_any_secret_in_the_environment(cli, monkeypatch):
    for name in list(os.environ):  # as in CI: the scenarios supply test values
        if name.endswith(("_TOKEN", "_KEY", "_SECRET")):
            monkeypatch.delenv(name)

    outcome = cli("validate", Path(__file__).resolve().parents[1] / "scenarios")
    assert outcome.exit_code == 0, outcome.output
