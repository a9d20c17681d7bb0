"""Stepping a scenario in the simulator checks, at its end, what `callsim run` checks beyond the scenario's
own lines: its suite file's expectations and that every fake it set up was used."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from callsim.config.project import load_scenario
from callsim.runner import run_scenario_async
from callsim.trace.events import CallEnded
from callsim.tui.app import build_app

START = dt.datetime(2026, 11, 30, 15, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))


def transcript(app) -> str:
    return " ".join(" ".join(line.text.split()) for line in app.query_one("#transcript").lines)


@pytest.mark.anyio
async def test_the_end_of_a_stepped_scenario_checks_suite_and_fakes(project):
    project.edit("scenario.yaml", "http:\n", "http:\n  - {match: GET https://api.test/orders/9, json: {}}\n")
    project.write("suite.yaml", "expect:\n  - agent_not_said: shipped\n")
    app = build_app(scenario=project.scenario, voice=False, start=START, monotonic=lambda: 0.0)
    async with app.run_test(size=(160, 40)) as pilot:
        for _ in range(3):
            await pilot.press("f5")
            await app.workers.wait_for_complete()
            await pilot.pause()
        text = transcript(app)
    assert "✗ suite.yaml line 2 (after the call): expected the agent never to say 'shipped'" in text
    assert "✗ line 4 (after the call): expected a request to http[0] GET https://api.test/orders/9" in text
    assert "Scenario finished: 2 checks passed, 2 failed." in text


ACME = Path(__file__).resolve().parents[2] / "scenarios" / "acme"


@pytest.mark.anyio
@pytest.mark.parametrize("name, written", [
    ("caller_answers_before_the_question_ends.yaml", "barge_in: 1.2s"),
    ("caller_hangs_up_during_the_greeting.yaml", "hangup:\n    at: 2s"),
])
async def test_a_stepped_scenario_exports_its_barge_in_and_timed_hang_up(tmp_path, name, written):
    """Without them the export replayed a different call: the agent's line heard whole, the caller never hanging up."""
    project = tmp_path / "acme"
    shutil.copytree(ACME, project)
    (tmp_path / "pyproject.toml").write_text("")
    app = build_app(scenario=project / name, voice=False, start=START, monotonic=lambda: 0.0)
    async with app.run_test(size=(160, 40)) as pilot:
        for _ in range(2 * len(app.live.turns) + 2):  # F5 plays the next turn: bounded, so a miss fails
            if app.live.scenario_done:
                break
            await pilot.press("f5")
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert app.live.scenario_done, "F5 was pressed for every turn and more, and the scenario is not done"
        exported = app.export(project / "exported.yaml")
    assert exported is not None
    assert written in exported.read_text()
    result = await run_scenario_async(load_scenario(exported))
    assert result.passed, [f.failure for f in result.failures] + result.errors


@pytest.mark.anyio
async def test_the_call_is_over_note_comes_after_the_scenarios_last_checks(project):
    """It told the person how to go on, and then three more lines of results scrolled it away."""
    project.write("scenario.yaml", project.scenario.read_text() + "expect:\n  - action: lookup_order\n"
                  "  - ended: {by: caller}\n")
    app = build_app(scenario=project.scenario, voice=False, start=START, monotonic=lambda: 0.0)
    async with app.run_test(size=(160, 40)) as pilot:
        for _ in range(2):  # the turn and its check, then the end of the call and its checks
            await pilot.press("f5")
            await app.workers.wait_for_complete()
            await pilot.pause()
        text = transcript(app)
        assert text.count("The call is over") == 1
        assert (text.index("call ended by caller") < text.index('✓ line 10: ended: {"by": "caller"}')
                < text.index("Scenario finished: 4 checks passed") < text.index("The call is over: ctrl+n"))
        await pilot.press("f5")  # once more: the scenario has finished, and it says so once
        await app.workers.wait_for_complete()
        assert transcript(app).count("The call is over") == 1


@pytest.mark.anyio
async def test_a_call_that_ends_on_its_own_says_how_to_go_on_at_once(project):
    app = build_app(agent=project.agent, voice=False, start=START, monotonic=lambda: 0.0)
    async with app.run_test(size=(160, 40)) as pilot:
        await app.workers.wait_for_complete()
        app.live.trace.emit(CallEnded(by="agent", reason="timeout"))  # as a timer would, with no input playing
        await pilot.pause()
        assert transcript(app).endswith("The call is over: ctrl+n starts a new call; ctrl+s saves its trace, F6 "
                                        "exports it as a scenario.")
