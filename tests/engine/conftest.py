"""Build a small project in a temporary folder and run one scenario of it."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from callsim.runner import ScenarioResult, run_scenario

AGENT = """
agent: test-agent
greeting: Hello, how can I help?
fallback: Sorry, I did not get that.
timezone: America/New_York
variables:
  order_number: {type: digits, length: 4-8, ask: What is your order number?}
  email: {type: email, ask: What is your e-mail?}
  crm_id: {from: start_data}
uses: [actions.yaml]
actions: [{actions}]
"""


@pytest.fixture
def play(tmp_path: Path) -> Callable[..., ScenarioResult]:
    """play(actions_yaml, scenario_yaml, attach=[...], agent=None) writes the files and runs the scenario."""

    def run(actions: str, scenario: str, attach: list[str], agent: str | None = None) -> ScenarioResult:
        (tmp_path / "actions.yaml").write_text(textwrap.dedent(actions))
        agent_text = textwrap.dedent(agent) if agent else AGENT.replace("{actions}", ", ".join(attach))
        (tmp_path / "agent.yaml").write_text(agent_text)
        path = tmp_path / "scenario.yaml"
        path.write_text("agent: agent.yaml\n" + textwrap.dedent(scenario))
        return run_scenario(path)

    return run

