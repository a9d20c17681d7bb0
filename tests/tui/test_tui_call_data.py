"""A free call gets the data a real call gets before the caller speaks (`--data NAME=VALUE`): what the telephony
integration sends at call start and what the team's own lookup supplies before connect."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from callsim.config.project import load_scenario
from callsim.errors import CallsimError
from callsim.runner import run_scenario_async
from callsim.tui.app import SimulatorApp, build_app
from callsim.tui.dialogs import HttpDialog
from waits import dialog, submit

pytestmark = pytest.mark.anyio
START = dt.datetime(2026, 11, 30, 15, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))

AGENT = """\
agent: points
greeting: Hello{% if customer_name is defined %} {{ customer_name }}{% endif %}, how can I help?
fallback: I can tell you your points.
timezone: America/New_York
variables:
  crm_id: {from: start_data}
  customer_name: {from: preconnect}
uses: [actions.yaml]
actions: [points]
"""
ACTIONS = """\
actions:
  points:
    type: http
    trigger: {phrases: ["my points"]}
    request: {url: "https://crm.test/points/{{ crm_id }}"}
    save: {points: $.points}
    say: You have {{ points }} points.
    on_error: {say: I cannot see your points.}
"""


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def agent(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "agent.yaml").write_text(AGENT)
    (tmp_path / "actions.yaml").write_text(ACTIONS)
    return tmp_path / "agent.yaml"


def make(agent: Path, **data: str) -> SimulatorApp:
    return build_app(agent=agent, voice=False, start=START, monotonic=lambda: 0.0, data=data)


def transcript(app: SimulatorApp) -> str:
    return " ".join(" ".join(line.text.split()) for line in app.query_one("#transcript").lines)


async def test_data_given_reaches_the_greeting_and_the_requests_and_the_export(agent: Path) -> None:
    app = make(agent, crm_id="C-981", customer_name="Jo")
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Agent Hello Jo, how can I help?" in transcript(app)
        assert "This call has no value" not in transcript(app)
        await submit(pilot, "my points")
        asked = await dialog(pilot, HttpDialog)
        assert "GET https://crm.test/points/C-981" in str(asked.query_one(".dialog--request").render())
        await pilot.press(*'{"points": 120}', "ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Agent You have 120 points." in transcript(app)
        exported = app.export(agent.parent / "exported.yaml")
    data = yaml.safe_load(exported.read_text())
    assert data["start_data"] == {"crm_id": "C-981"} and data["preconnect"] == {"customer_name": "Jo"}
    result = await run_scenario_async(load_scenario(exported))
    assert result.passed, [f.failure for f in result.failures] + result.errors


async def test_data_nobody_gave_is_named_at_the_start_with_how_to_give_it(agent: Path) -> None:
    app = make(agent, customer_name="Jo")
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert ("This free call has no value for crm_id (sent at call start); the lines and actions that read it "
                "go without. Give it with --data NAME=VALUE (repeatable), e.g. --data crm_id=VALUE.") in transcript(app)


def test_data_is_only_for_the_agents_start_data_and_preconnect_variables(agent: Path) -> None:
    with pytest.raises(CallsimError, match="--data points: the agent has no variable points from start_data or "
                                           "preconnect; it takes crm_id, customer_name"):
        make(agent, points="3")


def test_tui_data_must_be_name_equals_value(cli) -> None:
    outcome = cli("tui", "--agent", "agent.yaml", "--data", "crm_id")
    assert outcome.exit_code == 2
    assert "--data crm_id: expected NAME=VALUE, e.g. --data crm_id=C-981" in outcome.stderr
