"""Waiting in the simulator's Pilot tests for what a test needs, never for a while.

A single `pilot.pause()` waits until the process looks idle, and on a loaded machine a process that is not
scheduled looks idle too: a pane read after one pause may not have been drawn yet. And a loop that pauses
until something happens hangs for good (CI's whole budget) when it never does. So every wait here is for a
named condition, and bounded: after `PAUSES` pauses (each at least 20 ms, however loaded the machine) it
fails, saying what never happened and what the screen shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.widgets import Input

from callsim.tui.widgets.bars import KeyBar

PAUSES = 3000
"""The most pauses a wait takes: a minute or more; the conditions hold within a few on an idle machine."""


async def until(pilot: Any, condition: Callable[[], object], what: str, pauses: int = PAUSES) -> None:
    """Pause the app until `condition()` holds; fail, naming `what`, if it never does."""
    for _ in range(pauses):
        if condition():
            return
        await pilot.pause()
    if not condition():
        app = pilot.app
        lines = app.screen_stack[0].query_one("#transcript").lines  # the simulator's, under a dialog too
        shown = " ".join(" ".join(line.text.split()) for line in lines)
        raise AssertionError(f"{what} never happened in {pauses} pauses; the screen is {app.screen!r} and the "
                             f"transcript ends: {shown[-600:]!r}")


async def submit(pilot: Any, text: str) -> None:
    """Put `text` in the simulator's line and press enter; return once the app has taken it (it remembers the
    line for ↑ as it starts playing it), so that the workers to wait for exist."""
    line = pilot.app.query_one("#say", Input)
    taken = line.taken
    line.value = text
    await pilot.press("enter")
    await until(pilot, lambda: line.taken > taken, f"the line {text!r} taken")


def showing(app: Any, kind: type) -> bool:
    """Whether a dialog of `kind` is the screen, mounted and laid out: its fields can be read and its buttons
    clicked. (The screen changes when the dialog is pushed, before it is composed.)"""
    screen = app.screen
    return isinstance(screen, kind) and screen.is_mounted and screen.query_one(KeyBar).region.area > 0


async def dialog(pilot: Any, kind: type) -> Any:
    """Wait until a dialog of `kind` is shown (see `showing`) and return it."""
    await until(pilot, lambda: showing(pilot.app, kind), f"a {kind.__name__} on the screen")
    return pilot.app.screen
