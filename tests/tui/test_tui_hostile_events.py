"""Every pane of the simulator shows every kind of event as text: escape sequences, control characters,
rich markup and emoji codes in any field an event carries (what callers, servers and files can put there)
are drawn as typed, never acted on."""

from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata
from pathlib import Path

import pytest
from textual.geometry import Region
from textual.widgets import TabbedContent

from callsim.trace.events import EVENT_TYPES
from callsim.tui.app import build_app

pytestmark = pytest.mark.anyio

HOSTILE = "\x1b]0;pwned\x07\x1b[2J[bold]x[/bold]:smile:\u202e\x9b"
START = dt.datetime(2026, 11, 30, 15, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def hostile_event(cls: type) -> object:
    """An event of `cls` with the hostile text in every text field, list and mapping."""
    values = {}
    for found in dataclasses.fields(cls):
        if found.name in ("seq", "t"):
            continue
        kind = str(found.type)
        if kind.startswith("list[dict"):  # rows such as an evaluation's criteria
            values[found.name] = [{"name": HOSTILE, "why": HOSTILE, "passed": False, HOSTILE: HOSTILE}]
        elif "dict" in kind:
            values[found.name] = {HOSTILE: HOSTILE}
        elif "list" in kind:
            values[found.name] = [HOSTILE]
        elif "str" in kind or "Any" in kind:
            values[found.name] = HOSTILE
        elif "bool" in kind:
            values[found.name] = True
        elif "float" in kind or "int" in kind:
            values[found.name] = 1
    event = cls(**values)
    event.t = 1.0
    return event


def drawn(app) -> dict[str, str]:
    """What each widget on the screen draws, as text."""
    shown = {}
    for widget in app.screen.query("*"):
        width, height = widget.size
        if width and height and widget.display:
            lines = widget.render_lines(Region(0, 0, width, height))
            shown[f"{type(widget).__name__}#{widget.id}"] = "".join(segment.text for strip in lines for segment in strip)
    return shown


async def test_every_event_type_shows_as_text_in_every_pane(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "agent.yaml").write_text("agent: shop\ngreeting: Hello.\n")
    app = build_app(agent=tmp_path / "agent.yaml", voice=False, start=START, monotonic=lambda: 0.0)
    async with app.run_test(size=(160, 60)) as pilot:
        await pilot.pause()
        for cls in sorted(set(EVENT_TYPES.values()), key=lambda c: c.type):
            app.on_trace_event(hostile_event(cls))
        tabs = app.query_one(TabbedContent)
        panes = {}
        for pane in tabs.query("TabPane"):
            tabs.active = pane.id
            await pilot.pause()
            panes.update(drawn(app))
    controls = {name: sorted({f"U+{ord(c):04X}" for c in text if unicodedata.category(c) in ("Cc", "Cf")})
                for name, text in panes.items()}
    assert {name: found for name, found in controls.items() if found} == {}
    shown = "".join(panes.values())
    assert "[bold]x[/bold]:smile:" in shown and "\\x1b]0;pwned\\x07" in shown and "😄" not in shown


async def test_a_scenario_title_shows_as_text_and_redacted(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "agent.yaml").write_text("agent: shop\ngreeting: Hello.\n")
    scenario = tmp_path / "s.yaml"
    scenario.write_text('scenario: "key k3y-Secret-9 \\e]0;pwned\\a [bold]x[/bold]"\nagent: agent.yaml\n'
                        "secrets: {KEY: k3y-Secret-9}\nturns:\n  - caller: hi\n")
    app = build_app(agent=None, scenario=scenario, voice=False, start=START, monotonic=lambda: 0.0)
    async with app.run_test(size=(160, 60)) as pilot:
        await pilot.pause()
        title = drawn(app)["TitleBar#title"]
    assert "k3y-Secret-9" not in title and "key [redacted 12 chars" in title
    assert "\x1b" not in title and "\\x1b]0;pwned\\x07 [bold]x[/bold]" in title
