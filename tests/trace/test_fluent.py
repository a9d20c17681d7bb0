"""The Python API checks what YAML checks: `trace.expect` has a method per expectation key, from one table."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

import callsim.trace.expect as expect_module
from callsim.config.scenario import Expectation
from callsim.errors import CallsimError
from callsim.live import Callsim
from callsim.config.project import load_scenario
from callsim.runner import run_scenario_async
from callsim.trace.fluent import TraceExpect

# One way to call each method, next to the YAML it stands for. A new YAML key without a row here fails
# test_every_yaml_expectation_has_a_method_that_runs_its_check, so the Python API cannot fall behind.
CALLS: dict[str, tuple[tuple[Any, ...], dict[str, Any], Any]] = {
    "agent_said": (("Order 4567",), {}, "Order 4567"),
    "agent_not_said": (("sorry",), {}, "sorry"),
    "action": (("lookup",), {}, "lookup"),
    "not_action": (("reminder",), {}, "reminder"),
    "action_failed": (("lookup",), {"kind": "timeout"}, {"action": "lookup", "kind": "timeout"}),
    "action_abandoned": (("lookup",), {}, "lookup"),
    "variables": (({"booking.start": "x"},), {"status": "shipped"}, {"booking.start": "x", "status": "shipped"}),
    "http": ((), {"method": "GET", "url": "https://api.shop.test/*", "json": {"a": 1}, "headers": {"X-A": "1"}},
             {"method": "GET", "url": "https://api.shop.test/*", "json": {"a": 1}, "headers": {"X-A": "1"}}),
    "extracted": ((), {"order_number": "4567"}, {"order_number": "4567"}),
    "ended": ((), {"by": "caller"}, {"by": "caller"}),
    "error": (("no route",), {}, "no route"),
    "order": (("lookup", "reminder"), {"exact": True}, {"actions": ["lookup", "reminder"], "exact": True}),
    "message": ((), {"channel": "sms", "contains": "code"}, {"channel": "sms", "contains": "code"}),
    "sms": ((), {"to": "+14155550100", "contains": "Thanks"}, {"to": "+14155550100", "contains": "Thanks"}),
    "transfer": ((), {"to": "+14155550123", "mode": "warm"}, {"to": "+14155550123", "mode": "warm"}),
    "dtmf": (("2",), {"exact": True}, {"keys": "2", "exact": True}),
    "ivr_said": (("press 2",), {}, "press 2"),
    "booking": ((), {"start": "2026-12-01T10:00", "attendee": "+1415"}, {"start": "2026-12-01T10:00",
                                                                        "attendee": "+1415"}),
    "evaluation": ((), {"quality": {"passed": True}}, {"quality": {"passed": True}}),
    "webhook": ((), {"status": "2xx", "json": {"call": {"ended_by": "caller"}}},
                {"status": "2xx", "json": {"call": {"ended_by": "caller"}}}),
}


def test_every_yaml_expectation_has_a_method_that_runs_its_check(monkeypatch: pytest.MonkeyPatch) -> None:
    keys = set(Expectation.model_fields)
    assert set(expect_module.CHECKS) == keys
    assert set(CALLS) == keys, "add a row to CALLS for each new expectation key"
    for key, (args, kwargs, yaml_value) in CALLS.items():
        seen: list[Any] = []
        monkeypatch.setitem(expect_module.CHECKS, key, lambda value, *rest, seen=seen: seen.append(value))
        getattr(TraceExpect(_empty_trace()), key)(*args, **kwargs)
        assert seen == [getattr(Expectation.model_validate({key: yaml_value}), key)], key


def _empty_trace() -> Any:
    from callsim.config.python_expectations import expectation_from_call
    from callsim.trace.trace import Trace

    return Trace(parse=expectation_from_call)


AGENT = """\
agent: shop
greeting: Hello, shop here.
timezone: America/New_York
variables:
  order_number: {type: digits, ask: What is your order number?}
  callback: {type: phone, from: start_data}
uses: [actions.yaml]
actions: [lookup, thanks]
"""
ACTIONS = """\
actions:
  lookup:
    type: http
    trigger: {phrases: ["where is my order"]}
    needs: [order_number]
    request:
      url: "https://api.shop.test/orders/{{ order_number }}"
      headers: {Authorization: "Bearer {{ secrets.TOKEN }}"}
    save: {status: $.status}
    say: Order {{ order_number }} is {{ status }}.
    on_error: {say: The order system is down.}
  thanks:
    type: sms
    trigger: {on: call_end}
    body: Thanks for calling about order {{ order_number }}.
"""
SETUP = {"secrets": {"TOKEN": "tok-1234567"}, "start_data": {"callback": "415-555-0199"},
         "http": [{"match": "GET https://api.shop.test/orders/4567", "json": {"status": "shipped"}}]}
# each YAML expectation, and whether it holds for the call below
SAME_IN_BOTH = [
    ({"agent_said": "Order 4567 is shipped"}, True),
    ({"agent_said": "Order 4568"}, False),
    ({"agent_not_said": "down"}, True),
    ({"action": "lookup"}, True),
    ({"action_failed": "lookup"}, False),
    ({"not_action": "lookup"}, False),
    ({"variables": {"status": "shipped", "callback": "(415) 555-0199"}}, True),
    ({"variables": {"status": "lost"}}, False),
    ({"extracted": {"order_number": 4567}}, True),
    ({"http": {"method": "GET", "url": "https://api.shop.test/orders/4567",
               "headers": {"Authorization": "Bearer {{ secrets.TOKEN }}"}}}, True),
    ({"http": {"url": "https://api.shop.test/orders/4568"}}, False),
    ({"sms": {"contains": "order 4567"}}, True),
    ({"ended": {"by": "caller"}}, True),
    ({"ended": {"by": "agent"}}, False),
    ({"order": ["lookup", "thanks"]}, True),
    ({"order": ["thanks", "lookup"]}, False),
    ({"order": {"actions": ["lookup"], "exact": True}}, False),  # thanks ran too
    ({"booking": {}}, False),
]


@pytest.mark.anyio
async def test_python_and_yaml_give_the_same_verdicts(tmp_path: Path) -> None:
    (tmp_path / "agent.yaml").write_text(AGENT)
    (tmp_path / "actions.yaml").write_text(ACTIONS)
    call = await Callsim().call(tmp_path / "agent.yaml", **SETUP)
    await call.say("where is my order, it's four five six seven")
    await call.hangup()
    for yaml, holds in SAME_IN_BOTH:
        (key, value), = yaml.items()
        args, kwargs = ((value,), {}) if not isinstance(value, dict) else ((), value)
        if key == "order":
            args, kwargs = (value, {}) if isinstance(value, list) else (value["actions"], {"exact": value["exact"]})
        if key == "variables":
            args, kwargs = (value,), {}
        try:
            getattr(call.trace.expect, key)(*args, **kwargs)
            python = True
        except AssertionError:
            python = False
        assert python is holds, (yaml, python)

    scenario = {"scenario": "s", "agent": "agent.yaml", **SETUP,
                "turns": [{"caller": "where is my order, it's four five six seven"}],
                "expect": [yaml for yaml, _ in SAME_IN_BOTH]}
    (tmp_path / "s.yaml").write_text(json.dumps(scenario))  # JSON is YAML
    result = await run_scenario_async(load_scenario(tmp_path / "s.yaml"))
    failed = {failure.position.line for failure in result.failures}
    assert [not any(f.expectation == Expectation.model_validate(yaml) for f in result.failures)
            for yaml, _ in SAME_IN_BOTH] == [holds for _, holds in SAME_IN_BOTH], failed


@pytest.mark.parametrize(("call", "wanted"), [
    (lambda e: e.http(ulr="https://x.test/"), "did you mean 'url'?"),
    (lambda e: e.booking(strat="2026-12-01T10:00"), "did you mean 'start'?"),
    (lambda e: e.sms(contain="x"), "did you mean 'contains'?"),
    (lambda e: e.evaluation(quality={"pased": True}), "did you mean 'passed'?"),
    (lambda e: e.ended(by="nobody"), "ended.by"),
    (lambda e: e.agent_not_said(), "agent_not_said() takes one value"),
    (lambda e: e.order("a", after="b"), "unknown keyword 'after' in order"),
    (lambda e: e.variables({"a": 1}, {"b": 2}), "variables() takes keywords (or one dict)"),
])
def test_a_mistake_in_a_python_expectation_is_explained_not_a_validation_error(call: Any, wanted: str) -> None:
    with pytest.raises(CallsimError) as caught:
        call(TraceExpect(_empty_trace()))
    assert not isinstance(caught.value, ValidationError)
    assert isinstance(caught.value, TypeError)  # a wrong argument, as Python says it
    assert wanted in str(caught.value)
    assert "pydantic" not in str(caught.value)


@pytest.mark.anyio
async def test_a_misspelt_call_keyword_gets_a_did_you_mean(tmp_path: Path) -> None:
    (tmp_path / "agent.yaml").write_text(AGENT)
    (tmp_path / "actions.yaml").write_text(ACTIONS)
    with pytest.raises(CallsimError) as caught:
        await Callsim().call(tmp_path / "agent.yaml", htp=[])
    assert "unknown keyword 'htp'" in str(caught.value) and "did you mean 'http'?" in str(caught.value)
    with pytest.raises(CallsimError) as caught:
        await Callsim().call(tmp_path / "agent.yaml", http=[{"match": "GET https://x.test/", "jsn": {}}])
    assert "http[0]" in str(caught.value) and "did you mean 'json'?" in str(caught.value)


def test_a_relative_agent_path_resolves_from_the_test_file_then_the_rootdir(pytester: pytest.Pytester,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTEST_ADDOPTS", "-p no:textual-snapshot")
    pytester.makefile(".yaml", **{"tests/shop/agent": AGENT, "tests/shop/actions": ACTIONS,
                                  "agents/other/agent": AGENT, "agents/other/actions": ACTIONS})
    pytester.makeini("[pytest]\n")
    pytester.makepyfile(**{"tests/shop/test_paths": textwrap.dedent("""
        import pytest

        @pytest.mark.anyio
        async def test_beside_the_test_file(callsim):
            call = await callsim.call("agent.yaml", secrets={"TOKEN": "t"})
            call.trace.expect.agent_said("Hello, shop here")

        @pytest.mark.anyio
        async def test_from_the_rootdir(callsim):
            call = await callsim.call("agents/other/agent.yaml", secrets={"TOKEN": "t"})
            call.trace.expect.agent_said("Hello, shop here")

        @pytest.mark.anyio
        async def test_nowhere(callsim):
            await callsim.call("missing/agent.yaml")
    """)})
    result = pytester.runpytest("-q", "tests/shop", "-p", "anyio")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*agent file 'missing/agent.yaml' not found: looked in *tests/shop/missing/agent.yaml "
                                 "and *missing/agent.yaml*"])
    assert "site-packages" not in result.stdout.str() and "callsim/live.py" not in result.stdout.str()


@pytest.mark.anyio
async def test_a_request_no_route_answers_says_to_pass_one_to_the_call(tmp_path: Path) -> None:
    (tmp_path / "agent.yaml").write_text(AGENT)
    (tmp_path / "actions.yaml").write_text(ACTIONS)
    call = await Callsim().call(tmp_path / "agent.yaml", **{**SETUP, "http": []})
    await call.say("where is my order, it's four five six seven")
    [error] = [e.message for e in call.trace.events if e.type == "error"]
    assert "the call was given no http routes" in error
    assert ('pass a route to the call, e.g. callsim.call(..., http=[{"match": "GET '
            'https://api.shop.test/orders/4567", "json": {}}])') in error
