"""Fakes a scenario sets up but the call never uses fail the scenario, naming them (like respx's
assert_all_called); a fake marked `optional: true` may go unused."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from callsim.live import Callsim, UnusedFakes
from callsim.report import explain
from callsim.runner import ScenarioResult, run_scenario

AGENT = """\
agent: shop
greeting: Hello, shop here.
fallback: Sorry?
number: "+18005550199"
variables:
  order_number: {type: digits, ask: What is your order number?}
uses: [actions.yaml]
actions: [lookup, billing, text_code]
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
  billing:
    type: transfer
    trigger: {phrases: ["billing"]}
    mode: cold
    destination: "+14155550123"
  text_code:
    type: message
    trigger: {phrases: ["text me"]}
    body: Your code is 1234. Reply YES to confirm.
    await_reply: 2m
    save_reply: confirmation
    say: I texted you a code.
"""


def scenario(tmp_path: Path, text: str) -> Path:
    (tmp_path / "agent.yaml").write_text(AGENT)
    (tmp_path / "actions.yaml").write_text(ACTIONS)
    path = tmp_path / "scenario.yaml"
    path.write_text("scenario: unused fakes\nagent: agent.yaml\n" + textwrap.dedent(text))
    return path


def run(tmp_path: Path, text: str) -> ScenarioResult:
    return run_scenario(scenario(tmp_path, text))


def locate(path: Path, needle: str) -> str:
    text = path.read_text()
    before = text[: text.index(needle)]
    return f"{before.count(chr(10)) + 1}:{len(before) - (before.rfind(chr(10)) + 1) + 1}"


ORDER_ROUTES = """\
http:
  - {match: GET https://api.shop.test/orders/4567, json: {status: shipped}}
  - {match: GET https://api.shop.test/orders/9999, json: {status: lost}}
turns:
  - caller: where is my order, it's 4567
"""


def test_an_http_route_no_request_used_fails_the_scenario_naming_it(tmp_path):
    result = run(tmp_path, ORDER_ROUTES)

    assert not result.passed
    [failure] = result.failures
    where = locate(tmp_path / "scenario.yaml", "{match: GET https://api.shop.test/orders/9999")
    assert str(failure.position).endswith(f"scenario.yaml:{where}")
    assert failure.failure.expected == "a request to http[1] GET https://api.shop.test/orders/9999"
    assert failure.failure.instead == "no request used it; requests sent: GET https://api.shop.test/orders/4567"
    text = explain(result)
    assert "mark it optional: true" in text
    assert "http_request" not in text and "GET https://api.shop.test/orders/4567" in text  # the timeline


def test_an_optional_route_may_go_unused(tmp_path):
    result = run(tmp_path, ORDER_ROUTES.replace("json: {status: lost}}", "json: {status: lost}, optional: true}"))

    assert result.passed, explain(result)


def test_a_route_used_once_is_used_even_when_it_has_times_left(tmp_path):
    result = run(tmp_path, ORDER_ROUTES.replace("json: {status: shipped}}", "json: {status: shipped}, times: 3}")
                 .replace("  - {match: GET https://api.shop.test/orders/9999, json: {status: lost}}\n", ""))

    assert result.passed, explain(result)


def test_a_phone_never_dialled_fails_the_scenario(tmp_path):
    path = scenario(tmp_path, """\
        phones:
          "+14155550123": {answer_after: 5s}
          "sip:night@pbx.shop.test": {answer_after: 5s}
        turns:
          - caller: billing please
        """)
    result = run_scenario(path)

    [failure] = result.failures
    where = locate(path, '"sip:night')
    assert str(failure.position).endswith(f"scenario.yaml:{where}")
    assert failure.failure.expected == "a call to phones 'sip:night@pbx.shop.test'"
    assert failure.failure.instead == "it was never dialled; dialled: +14155550123"


def test_an_optional_phone_may_go_unused(tmp_path):
    result = run(tmp_path, """\
        phones:
          "+14155550123": {answer_after: 5s, optional: true}
        turns:
          - caller: hello
        """)

    assert result.passed, explain(result)


def test_a_reply_no_text_awaited_fails_the_scenario(tmp_path):
    result = run(tmp_path, """\
        replies:
          - {after: 20s, body: "YES"}
        turns:
          - caller: hello
        """)

    [failure] = result.failures
    assert failure.failure.expected == "replies[0] 'YES' to reach the call"
    assert failure.failure.instead == "no text the agent sent awaited a reply"


def test_a_reply_due_after_the_call_ended_is_unused(tmp_path):
    result = run(tmp_path, """\
        replies:
          - {after: 90s, body: "YES"}
        turns:
          - caller: text me a code please
          - wait: 10s
        """)

    [failure] = result.failures
    assert failure.failure.expected == "replies[0] 'YES' to reach the call"
    assert failure.failure.instead.startswith("it was due 90s after SM0001 (to +14155550100), but the call ended")


@pytest.mark.parametrize("wait", ["30s", "3m"])
def test_a_reply_that_came_in_is_used_in_time_or_late(tmp_path, wait):
    result = run(tmp_path, f"""\
        replies:
          - {{after: 20s, body: "YES"}}
          - {{after: 10s, body: "NO", optional: true}}
        turns:
          - caller: text me a code please
          - wait: {wait}
        """.replace("after: 20s", "after: 20s" if wait == "30s" else "after: 150s"))

    assert result.passed, explain(result)


def test_unused_fakes_are_checked_with_the_other_failures_in_the_cli(cli, project):
    project.edit("scenario.yaml", "http:\n", "http:\n  - {match: GET https://api.test/orders/1, json: {}}\n")

    outcome = cli("run", "scenario.yaml")

    assert outcome.exit_code == 1
    assert "scenario.yaml:4:5: expected a request to http[0] GET https://api.test/orders/1 (after the call)" in outcome.stdout
    assert "instead: no request used it; requests sent: GET https://api.test/orders/4567" in outcome.stdout


@pytest.mark.anyio
async def test_the_python_api_checks_unused_fakes_at_hangup(tmp_path):
    scenario(tmp_path, "turns: []\n")
    callsim = Callsim()
    routes = [{"match": "GET https://api.shop.test/orders/4567", "json": {"status": "shipped"}},
              {"match": "GET https://api.shop.test/orders/1", "json": {}},
              {"match": "GET https://api.shop.test/orders/2", "json": {}, "optional": True}]
    call = await callsim.call(tmp_path / "agent.yaml", http=routes)
    await call.say("where is my order, it's 4567")
    assert [str(f) for f in call.unused_fakes()] == [
        "http[1] GET https://api.shop.test/orders/1: no request used it; requests sent: "
        "GET https://api.shop.test/orders/4567"]
    with pytest.raises(UnusedFakes) as raised:
        await call.hangup()
    assert str(raised.value) == (
        "the call never used these fakes (mark one optional: true if it may go unused):\n"
        "  http[1] GET https://api.shop.test/orders/1: no request used it; requests sent: "
        "GET https://api.shop.test/orders/4567")
    assert isinstance(raised.value, AssertionError)


@pytest.mark.anyio
async def test_the_python_api_can_leave_unused_fakes_unchecked(tmp_path):
    scenario(tmp_path, "turns: []\n")
    call = await Callsim().call(tmp_path / "agent.yaml", http=[{"match": "GET https://api.shop.test/x", "json": {}}])
    await call.hangup(check_fakes=False)
