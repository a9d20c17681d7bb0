"""A narrow terminal swaps the side panels in for the conversation (F2): the focus goes with them, and what the
call says meanwhile reads as well as if it had been on the screen."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import Input

from callsim.tui.app import build_app
from callsim.tui.widgets import ActionsPanel

pytestmark = pytest.mark.anyio

START = dt.datetime(2026, 11, 30, 15, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def test_the_panels_take_the_focus_and_lines_written_meanwhile_wrap_to_the_conversation(project) -> None:
    """With the input line hidden, the focus fell on the keypad's "1", and the enter of the next typed line
    pressed it on the call; and lines written while the conversation was hidden were wrapped to 20 columns."""
    app = build_app(scenario=project.scenario, voice=False, start=START, monotonic=lambda: 0.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("f3", "f3", "f2")  # the keypad opened and closed, then the panels
        assert isinstance(app.focused, ActionsPanel)
        await pilot.press("x", "enter", "f5")  # typed at the panels; then the turn plays, and its checks are written
        await app.workers.wait_for_complete()
        assert not [event for event in app.live.trace.events if event.type == "dtmf_received"]
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.focused, Input) and app.focused.id == "say"
        transcript = app.query_one("#transcript")
        lines = [line.text for line in transcript.lines]
        assert any("Order 4567 is shipped" in line for line in lines)
        for line in lines:  # each row starts with its time or hangs under the text; none is cut to 20 columns
            assert line[:2] in ("00", "  ") and len(line.rstrip()) <= transcript.scrollable_content_region.width
        assert max(len(line) for line in lines) > 40
