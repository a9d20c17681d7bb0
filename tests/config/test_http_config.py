"""Validation of http actions' per-kind fallbacks and of `action_failed` expectations: `file:line:col` errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from callsim import load_project, load_scenario
from callsim.errors import ConfigErrors

AGENT = "agent: a\ngreeting: Hello.\nuses: [actions.yaml]\nactions: [look]\n"
ACTION = """\
actions:
  look:
    type: http
    trigger: {{phrases: [look]}}
    request: {{url: "https://api.test/x"}}
    accept_status: [404]
    on_status:
      {key}: {{say: "Status {{{{ http.status }}}}, {{{{ error.kind }}}}."}}
"""


def problems(tmp_path: Path, key: str) -> list[str]:
    (tmp_path / "agent.yaml").write_text(AGENT)
    (tmp_path / "actions.yaml").write_text(ACTION.format(key=key))
    with pytest.raises(ConfigErrors) as caught:
        load_project(tmp_path / "agent.yaml")
    return [str(error) for error in caught.value.errors]


@pytest.mark.parametrize("key", ["503", "5xx", "5XX", "4xx", "301", '"410"'])
def test_codes_and_classes_are_accepted(tmp_path, key):
    (tmp_path / "agent.yaml").write_text(AGENT)
    (tmp_path / "actions.yaml").write_text(ACTION.format(key=key))
    action = load_project(tmp_path / "agent.yaml").actions["look"]
    branch = next(iter(action.fallbacks()))
    assert branch == f"on_status.{key.strip(chr(34)).lower()}"


@pytest.mark.parametrize("key", ["200", "2xx", "99", "600", "4x4", "40x", "xx"])
def test_a_key_that_is_no_error_status_is_reported_at_the_key(tmp_path, key):
    [error] = problems(tmp_path, key)
    assert "actions.yaml:8:7: actions.look.on_status." in error
    assert "neither an error status from 300 to 599 nor a class 3xx, 4xx or 5xx" in error
    assert "e.g. 404 or 5xx" in error


def test_a_status_that_accept_status_makes_a_success_can_never_be_taken(tmp_path):
    [error] = problems(tmp_path, "404")
    assert "on_status 404 can never be taken: accept_status makes 404 a success" in error


def test_action_failed_expectation_checks_its_status(tmp_path):
    (tmp_path / "agent.yaml").write_text(AGENT)
    (tmp_path / "actions.yaml").write_text(ACTION.format(key="5xx"))
    (tmp_path / "s.yaml").write_text("scenario: s\nagent: agent.yaml\nturns:\n  - caller: look\n"
                                     "expect:\n  - action_failed: {action: look, kind: status, status: 2xx}\n"
                                     "  - action_failed: {action: lok}\n")
    with pytest.raises(ConfigErrors) as caught:
        load_scenario(tmp_path / "s.yaml")
    errors = [str(error) for error in caught.value.errors]
    assert "s.yaml:6:" in errors[0]
    assert "'2xx' is neither an error status" in errors[0]
    assert len(errors) == 1  # the unknown action is reported once the file validates


HEADERS = {
    "non-ASCII": ('X-Team: "Café crew"', "the value has the non-ASCII character 'é', which an HTTP header cannot "
                                          "carry; send such text in the body"),
    "a control character": ('X-Team: "crew\\u0007"', "a header value cannot contain the control character U+0007"),
    "a line break": ('X-Team: "crew\\r\\nX-Admin: 1"', "the control character U+000D (a line break)"),
    "a C1 control": ('X-Team: "crew\\x85"', "the control character U+0085"),
    "a name that is no token": ('"X Team": crew', "'X Team' is not an HTTP header name"),
}


@pytest.mark.parametrize("header, message", HEADERS.values(), ids=HEADERS.keys())
def test_an_action_header_no_request_can_carry_is_reported_where_it_is_written(tmp_path, header, message):
    (tmp_path / "agent.yaml").write_text(AGENT)
    (tmp_path / "actions.yaml").write_text(ACTION.format(key="5xx").replace(
        'request: {url: "https://api.test/x"}', f'request:\n      headers: {{{header}}}\n      url: https://api.test/x'))
    [error] = problems_of(tmp_path)
    at = 17 if "is not" in message else 17 + header.index(" ") + 1
    assert error.startswith(f"{tmp_path / 'actions.yaml'}:6:{at}: actions.look.request.headers.X")
    assert message in error


@pytest.mark.parametrize("header, message", HEADERS.values(), ids=HEADERS.keys())
def test_a_webhook_header_no_request_can_carry_is_reported_where_it_is_written(tmp_path, header, message):
    (tmp_path / "agent.yaml").write_text(AGENT + f"webhook:\n  url: https://hooks.test/calls\n  headers: {{{header}}}\n")
    (tmp_path / "actions.yaml").write_text(ACTION.format(key="5xx"))
    [error] = problems_of(tmp_path)
    at = 13 if "is not" in message else 13 + header.index(" ") + 1
    assert error.startswith(f"{tmp_path / 'agent.yaml'}:7:{at}: webhook.headers.X")
    assert message in error


def problems_of(root: Path) -> list[str]:
    with pytest.raises(ConfigErrors) as caught:
        load_project(root / "agent.yaml")
    return [str(error) for error in caught.value.errors]


def test_visible_ascii_headers_with_placeholders_are_accepted(tmp_path):
    header = 'Authorization: "Bearer {{ secrets.TOKEN }}", X-Caller: "{{ call.from }}", Accept: "*/*;\\tq=1"'
    (tmp_path / "agent.yaml").write_text(AGENT + f"webhook:\n  url: https://hooks.test/calls\n  headers: {{{header}}}\n")
    (tmp_path / "actions.yaml").write_text(ACTION.format(key="5xx"))
    project = load_project(tmp_path / "agent.yaml")
    assert project.agent.webhook.headers["Accept"] == "*/*;\tq=1"
