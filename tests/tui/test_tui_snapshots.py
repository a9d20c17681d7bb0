"""Snapshots of the simulator's main screen (update deliberately with `pytest --snapshot-update`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.widgets import Input

from callsim.tui.app import SimulatorApp, build_app

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios" / "acme"
START = dt.datetime(2026, 11, 30, 15, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))


def simulator() -> SimulatorApp:
    return build_app(scenario=SCENARIOS / "order_status_spoken_digits.yaml", voice=False, start=START,
                     monotonic=lambda: 0.0)


async def two_turns(pilot) -> None:
    app = pilot.app
    # a blinking cursor is drawn or not depending on when the frame is taken: on a loaded machine, either
    app.query_one("#say", Input).cursor_blink = False
    for text in ("where is my order", "it's four five six seven"):
        app.query_one("#say", Input).value = text
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()


def test_main_screen_after_an_order_lookup(snap_compare) -> None:
    assert snap_compare(simulator(), terminal_size=(120, 40), run_before=two_turns)


def test_narrow_terminal_shows_the_conversation_then_the_panels(snap_compare) -> None:
    async def panels(pilot) -> None:
        await two_turns(pilot)
        await pilot.press("f2")
        await pilot.pause()

    assert snap_compare(simulator(), terminal_size=(80, 24), run_before=panels)
