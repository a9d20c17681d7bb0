"""F6 after a call that ended on its own words: what ran after the call is checked after it."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import Input

from callsim.config.project import load_scenario
from callsim.errors import CallsimError
from callsim.runner import run_scenario_async
from callsim.tui.app import build_app
from callsim.tui.export_dialog import ExportDialog
from waits import dialog, until

pytestmark = pytest.mark.anyio

START = dt.datetime(2026, 11, 30, 15, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
LOG_CALL = """\
  log_call:
    type: http
    trigger: {on: call_end}
    request: {method: POST, url: https://api.test/calls, json: {order: "{{ order_number }}"}}
"""


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def after_goodbye(project):
    project.write("actions.yaml", project.actions.read_text() + LOG_CALL)
    project.edit("agent.yaml", "actions: [lookup_order]", "actions: [lookup_order, log_call]")
    project.edit("scenario.yaml", "http:\n", "http:\n  - {match: POST https://api.test/calls, status: 204}\n")
    return project


async def typed(app, pilot, text: str) -> None:
    app.query_one("#say", Input).value = text
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_a_goodbye_call_exports_its_post_call_actions_as_call_level_checks(after_goodbye) -> None:
    """The post-call request went into the last turn's checks, which look before the hang-up: the export
    failed to load ("log_call can only fail here") and left the invalid file beside the scenarios."""
    app = build_app(scenario=after_goodbye.scenario, voice=False, start=START, monotonic=lambda: 0.0)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await typed(app, pilot, "where is my order, it's 4567")
        await typed(app, pilot, "thanks, bye")  # the caller's goodbye ends the call; log_call runs after it
        assert app.live.call.ended
        exported = app.export(after_goodbye.root / "exported.yaml")
    assert exported is not None
    scenario = load_scenario(exported)
    assert {"action": "log_call"} in [e.model_dump(exclude_none=True) for e in scenario.config.expect]
    for turn in scenario.config.turns:
        assert "log_call" not in str(turn.expect or "")
    result = await run_scenario_async(scenario)
    assert result.passed, [f.failure for f in result.failures] + result.errors


async def test_an_export_that_cannot_load_leaves_no_file(project, monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise CallsimError("invalid")

    monkeypatch.setattr("callsim.tui.export.load_scenario", refuse)
    app = build_app(scenario=project.scenario, voice=False, start=START, monotonic=lambda: 0.0)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.export(project.root / "exported.yaml") is None
        assert not (project.root / "exported.yaml").exists()
        assert "Export failed: invalid" in " ".join(line.text for line in app.transcript.lines)


async def test_f6_asks_where_the_export_goes_and_says_when_the_suite_will_run_it(project, tmp_path, monkeypatch):
    suite = tmp_path / "scenarios" / "shop"
    suite.mkdir(parents=True)
    for file in project.root.glob("*.yaml"):
        (suite / file.name).write_text(file.read_text())
    monkeypatch.chdir(tmp_path)
    app = build_app(scenario=suite / "scenario.yaml", voice=False, start=START, monotonic=lambda: 0.0)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await typed(app, pilot, "where is my order, it's 4567")
        await pilot.press("f6")
        asked = await dialog(pilot, ExportDialog)
        path = asked.query_one("#path", Input)
        assert path.value.startswith("scenarios/shop/recorded_test_agent_") and path.value.endswith(".yaml")
        where = str(asked.query_one("#where").render())
        assert "It is in the scenario suite: `callsim run scenarios/` and pytest run it from now on" in where
        await pilot.press("f7", "escape")  # F7 waits under the dialog; esc writes nothing
        await until(pilot, lambda: not isinstance(app.screen, ExportDialog), "the export dialog closed")
        assert not list(suite.glob("recorded_*.yaml")) and not app.live.call.ended

        await pilot.press("f6")
        asked = await dialog(pilot, ExportDialog)
        await pilot.press(*"elsewhere/mine.yaml", "enter")  # typed over the path it offers
        await until(pilot, lambda: (tmp_path / "elsewhere" / "mine.yaml").exists(), "the export written")
        assert "Run it with `callsim run elsewhere/mine.yaml` (outside the scenario suite" in text_of(app)
        assert load_scenario(tmp_path / "elsewhere" / "mine.yaml").config.turns

        await pilot.press("f6")
        asked = await dialog(pilot, ExportDialog)
        await pilot.press(*"elsewhere/mine.yaml")
        assert "A file is there already: exporting replaces it." in str(asked.query_one("#where").render())
        await pilot.press("ctrl+w", "ctrl+w", "ctrl+w", "backspace", "enter")  # "elsewhere": a folder
        assert app.screen is asked and "ending in .yaml" in str(asked.query_one(".dialog--problem").render())
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, ExportDialog), "the export dialog closed")

        await typed(app, pilot, "/export")  # the command without a file asks too
        await dialog(pilot, ExportDialog)
        await pilot.press("enter")  # the place it offers: beside the scenario, in the suite
        await until(pilot, lambda: list(suite.glob("recorded_*.yaml")), "the export written in the suite")
        assert "It is in the scenario suite" in text_of(app)
        await typed(app, pilot, "/export named.yaml")  # with a file: no question
        assert (tmp_path / "named.yaml").exists() and not isinstance(app.screen, ExportDialog)


def text_of(app) -> str:
    return " ".join(" ".join(line.text.split()) for line in app.transcript.lines)
