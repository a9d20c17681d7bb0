"""The simulator and secrets: it says at start which secret nothing supplies, and takes `--secret NAME=VALUE`."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import TextArea

from callsim.tui.app import SimulatorApp, build_app
from callsim.tui.dialogs import HttpDialog, SecretDialog
from waits import dialog, submit

START = dt.datetime(2026, 11, 30, 15, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
SCENARIO = """\
scenario: order lookup
agent: agent.yaml
http:
  - {match: GET https://api.shop.test/orders/4567, json: {status: shipped}}
turns:
  - caller: where is my order, it's 4567
"""


@pytest.fixture
def shop(secret_shop):
    secret_shop.write("scenario.yaml", SCENARIO)
    return secret_shop


def transcript(app: SimulatorApp) -> str:
    return " ".join(" ".join(line.text.split()) for line in app.query_one("#transcript").lines)


async def lookup(app: SimulatorApp, pilot, answer: str | None = None) -> str:
    """Ask for an order; with `answer`, the request reaches a dialog (no route answers it) that gives this body."""
    await submit(pilot, "where is my order, it's 4567")
    if answer is not None:
        asked = await dialog(pilot, HttpDialog)
        assert "s3cr3t-token" not in str(asked.query_one(".dialog--details").render())
        asked.query_one("#body", TextArea).text = answer
        await pilot.click("#answer")
    await app.workers.wait_for_complete()
    await pilot.pause()
    return transcript(app)


@pytest.mark.anyio
async def test_a_skipped_secret_is_named_at_start_and_stops_the_action_that_needs_it(shop):
    app = build_app(agent=shop.agent, voice=False, start=START, monotonic=lambda: 0.0)
    async with app.run_test(size=(120, 40)) as pilot:
        await dialog(pilot, SecretDialog)  # a free call asks first (tests/tui/test_tui_dialogs.py)
        status = str(app.query_one("#status").render())
        assert status.endswith("ringing │ voice off (--no-voice)")  # as it is, while the call waits
        await pilot.click("#skip")
        await app.workers.wait_for_complete()
        await pilot.pause()
        line, column = shop.locate("actions.yaml", "{{ secrets.SHOP_TOKEN }}")
        assert app.live.missing_secrets() == [
            f"Secret SHOP_TOKEN has no value; action lookup, request.headers.Authorization ({shop.actions}:"
            f"{line}:{column}) need it, so the call stops when one of them runs. Start the simulator with "
            "--secret SHOP_TOKEN=VALUE, or set the environment variable SHOP_TOKEN."]
        assert "Secret SHOP_TOKEN has no value; action lookup" in transcript(app)  # said at start
        assert "Start the simulator with --secret SHOP_TOKEN=VALUE" in transcript(app)
        text = await lookup(app, pilot)
        assert "secret SHOP_TOKEN has no value" in text.split("Caller where is my order")[1]
        assert "Our order system is not answering" not in text  # a setup error, not the fallback


@pytest.mark.anyio
async def test_a_secret_given_on_the_command_line_is_used_and_not_shown(shop):
    app = build_app(agent=shop.agent, voice=False, start=START, monotonic=lambda: 0.0,
                    secrets={"SHOP_TOKEN": "s3cr3t-token"})
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "has no value" not in transcript(app)
        text = await lookup(app, pilot, '{"status": "shipped"}')
        request = next(e for e in app.live.trace.events if e.type == "http_request")
        assert request.headers["Authorization"].startswith("Bearer [redacted")
        assert "s3cr3t-token" not in text


def test_tui_with_a_scenario_missing_its_secret_exits_2_and_says_how_to_give_it(cli, shop):
    outcome = cli("tui", "--scenario", "scenario.yaml", "--no-voice")

    assert outcome.exit_code == 2
    assert "secret SHOP_TOKEN has no value in scenario scenario.yaml" in outcome.stderr
    assert "The simulator also takes it on the command line: --secret SHOP_TOKEN=VALUE" in outcome.stderr


def test_tui_secret_must_be_name_equals_value(cli, shop):
    outcome = cli("tui", "--agent", "agent.yaml", "--secret", "SHOP_TOKEN")

    assert outcome.exit_code == 2
    assert "--secret SHOP_TOKEN: expected NAME=VALUE, e.g. --secret ACME_TOKEN=test-token" in outcome.stderr
