"""The end-of-call report an agent's webhook receives: its content, its JSON Schema, no secrets in it, and
what happens when nobody (or a failing server) answers it."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import jsonschema
import pytest

from callsim.config.project import load_scenario
from callsim.config.schema import json_schema
from callsim.errors import ConfigErrors
from callsim.runner import run_scenario

ACTIONS = """\
actions:
  lookup:
    type: http
    trigger: {phrases: ["where is my order"]}
    needs: [order_number]
    request:
      url: "https://api.shop.test/orders/{{ order_number }}"
      headers: {Authorization: "Bearer {{ secrets.SHOP_TOKEN }}"}
    save: {order_status: $.status, echoed: $.token}
    say: Order {{ order_number }} is {{ order_status }}.
    on_error: {say: The order system is down.}
  to_person:
    type: transfer
    trigger: {phrases: ["a person please"]}
    destination: "+14155550123"
    mode: cold
    say: Connecting you now, please hold the line while I find someone for you.
    on_busy: {say: Everyone is busy.}
  quality:
    type: evaluate
    trigger: {on: call_end}
    criteria:
      - {name: answered, action: lookup, weight: 1}
      - {name: no transfer, not_action: to_person, weight: 1}
    pass_score: 0.5
"""
AGENT = """\
agent: shop
greeting: Hello, this is the shop.
variables:
  order_number: {type: digits, ask: What is your order number?}
uses: [actions.yaml]
actions: [lookup, to_person, quality]
webhook:
  url: https://hooks.shop.test/calls?agent={{ agent.name }}
  headers: {X-Shop-Token: "{{ secrets.SHOP_TOKEN }}"}
"""
SECRET = "s3cret-shop-token"


def project(root: Path, scenario: str, agent: str = AGENT) -> Path:
    (root / "pyproject.toml").write_text("")
    (root / "actions.yaml").write_text(ACTIONS)
    (root / "agent.yaml").write_text(agent)
    path = root / "s.yaml"
    path.write_text(f"scenario: s\nagent: agent.yaml\nsecrets: {{SHOP_TOKEN: {SECRET}}}\n"
                    + textwrap.dedent(scenario))
    return path


def report_of(result) -> dict:
    return next(e.json_ for e in result.trace.events if e.type == "webhook_sent")


CALL = """\
http:
  - {match: GET https://api.shop.test/orders/4567, json: {status: shipped, token: s3cret-shop-token}}
phones:
  "+14155550123": {busy: true}
turns:
  - caller: where is my order
  - dtmf: "4567#"
    barge_in: 1s
  - caller: a person please
  - caller: okay, thanks, bye
"""


def test_the_report_holds_the_call_its_transcript_variables_actions_and_evaluations(tmp_path):
    result = run_scenario(project(tmp_path, CALL))
    assert result.passed, (result.failures, result.errors)
    report = report_of(result)
    jsonschema.validate(report, json_schema("webhook"))
    assert report["call"] | {"started_at": None, "ended_at": None} == {
        "id": report["call"]["id"], "agent": "shop", "direction": "inbound", "from": "+14155550100",
        "to": "+15550100000", "started_at": None, "ended_at": None, "duration": report["call"]["duration"],
        "ended_by": "caller", "ended_reason": "goodbye"}
    roles = [(line["role"], line.get("keys") or line["text"]) for line in report["transcript"]]
    assert roles[:4] == [("agent", "Hello, this is the shop."), ("caller", "where is my order"),
                         ("agent", "What is"), ("caller", "4567#")]  # pressed over the question: what was heard of it
    assert [line for line in report["transcript"] if line.get("cut")] == [report["transcript"][2]]
    assert [(a["name"], a["outcome"]) for a in report["actions"]] == [
        ("lookup", "finished"), ("to_person", "failed"), ("quality", "finished")]
    assert report["actions"][1]["error"]["kind"] == "busy"
    assert report["variables"]["order_status"] == "shipped"
    assert report["evaluations"][0] | {"criteria": None} == {"name": "quality", "passed": True, "score": 0.5,
                                                            "pass_score": 0.5, "criteria": None}


def test_no_secret_reaches_the_report_or_the_trace(tmp_path):
    result = run_scenario(project(tmp_path, CALL))
    sent = next(e for e in result.trace.events if e.type == "webhook_sent")
    assert SECRET not in json.dumps(sent.json_) and SECRET not in result.trace.to_jsonl()
    assert sent.json_["variables"]["echoed"].startswith("[redacted 17 chars #")  # a secret echoed back by an API
    assert sent.headers["X-Shop-Token"].startswith("[redacted")
    assert sent.url == "https://hooks.shop.test/calls?agent=shop"


def test_without_a_route_callsim_answers_in_the_servers_place_and_says_so(tmp_path):
    result = run_scenario(project(tmp_path, CALL))
    answer = next(e for e in result.trace.events if e.type == "webhook_answered")
    assert (answer.status, answer.stand_in, answer.live) == (204, True, None)
    assert "callsim's stand-in: no route" in answer.summary()


def test_a_rejected_report_fails_the_scenario_unless_it_says_so(tmp_path):
    rejecting = CALL.replace("http:\n", "http:\n  - {match: POST https://hooks.shop.test/calls?agent=shop, status: 500}\n")
    result = run_scenario(project(tmp_path, rejecting))
    assert [f.failure.instead for f in result.failures] == ["it got status 500"]
    assert "agent.yaml:" in str(result.failures[0].position)
    stated = run_scenario(project(tmp_path, rejecting + "expect:\n  - webhook: {status: 5xx}\n"))
    assert stated.passed, stated.failures


def test_a_webhook_expectation_checks_the_report_and_the_answer(tmp_path):
    wrong = run_scenario(project(tmp_path, CALL + "expect:\n  - webhook: {json: {call: {ended_by: agent}}}\n"))
    assert "the end-of-call report to contain" in wrong.failures[0].failure.expected
    timeout = CALL.replace("http:\n", "http:\n  - {match: POST https://hooks.shop.test/calls?agent=shop, error: timeout}\n")
    assert run_scenario(project(tmp_path, timeout + "expect:\n  - webhook: {failed: timeout}\n")).passed


@pytest.mark.parametrize("agent, scenario, message", [
    (AGENT.split("webhook:")[0], CALL + "expect:\n  - webhook: {status: 2xx}\n", "agent shop has no webhook:"),
    (AGENT, CALL.replace("  - caller: a person please\n", "  - caller: a person please\n  - expect: {webhook: {}}\n"),
     "webhook can only fail here: the end-of-call report is sent after the call"),
    (AGENT.replace("{{ agent.name }}", "{{ shop_id }}"), CALL, "webhook.url: placeholder {{ shop_id }} names a variable"),
])
def test_webhook_mistakes_are_validate_errors(tmp_path, agent, scenario, message):
    with pytest.raises(ConfigErrors) as problem:
        load_scenario(project(tmp_path, scenario, agent))
    assert message in str(problem.value)


def test_a_header_no_http_request_can_carry_is_an_error_of_the_call_not_a_crash(tmp_path):
    # found by the fuzz campaign: a secret with a non-ASCII character crashed the call inside httpx
    path = project(tmp_path, "turns:\n  - caller: okay, thanks, bye\n")
    path.write_text(path.read_text().replace(SECRET, "s3cret-\U0004006b-token"))
    result = run_scenario(path)
    assert not result.crash
    [error] = [e for e in result.trace.events if e.type == "error"]
    assert error.message == ("the webhook was not sent: agent webhook, field headers.X-Shop-Token: the value has "
                             "non-ASCII characters, which an HTTP header cannot carry; send such text in the body")
    assert not [e for e in result.trace.events if e.type == "webhook_sent"]
