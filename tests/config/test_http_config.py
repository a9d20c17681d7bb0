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
