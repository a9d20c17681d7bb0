"""The simulator's bottom line: every key the moment needs, named for what it does now, in 80 columns too."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from callsim.tui.app import SimulatorApp, build_app
from callsim.tui.keys import KeyState, keys_now

pytestmark = pytest.mark.anyio

START = dt.datetime(2026, 11, 30, 15, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def keys(app: SimulatorApp) -> str:
    return str(app.query_one("#keys").render())


async def settle(app: SimulatorApp, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_an_80_column_call_shows_every_key_it_needs_and_after_the_call_what_comes_next(project) -> None:
    """At 80 columns the line used to stop at F7: ^T, ^N and F8 were only in F1's list."""
    app = build_app(agent=project.agent, voice=False, start=START, monotonic=lambda: 0.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        during = keys(app)
        assert len(during) <= 79
        assert during == "F1 Help  F2 Panels  F3 Keypad  F6 Export  F7 Hang up  ^S Save  ^N New call"
        await pilot.press("f2")  # the panels take the place of the conversation: F2 brings it back, F8 steps the tabs
        assert keys(app) == "F1 Help  F2 Transcript  F3 Keypad  F7 Hang up  F8 Tabs  ^S Save  ^N New call"
        await pilot.press("f2")
        await pilot.press("f7")
        await settle(app, pilot)
        after = keys(app)  # nothing to hang up or press any more; a new call, saving and exporting are
        assert after == "F1 Help  F2 Panels  F6 Export  ^S Save  ^N New call"
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        assert keys(app) == during


async def test_a_scenarios_next_turn_key_stays_until_its_last_checks_ran(project) -> None:
    app = build_app(scenario=project.scenario, voice=False, start=START, monotonic=lambda: 0.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert "F5 Next turn" in keys(app) and "F7 Hang up" in keys(app)
        for _ in range(2):  # the turn and its check; then the end of the call and its checks
            await pilot.press("f5")
            await settle(app, pilot)
        assert "F5" not in keys(app) and "F7" not in keys(app) and "^N New call" in keys(app)


def state(**changed: bool) -> KeyState:
    values = dict(live=True, turns_left=False, talk=True, listening=False, speaker=True, muted=False,
                  panels_swapped=False, panels_shown=True, keypad=False)
    return KeyState(**{**values, **changed})


def test_voice_keys_show_while_they_work_and_say_what_they_do_now() -> None:
    bindings = [(b.key, b.description, b.action) for b in SimulatorApp.BINDINGS]  # type: ignore[union-attr]
    shown = {key: what for key, what, _ in keys_now(state(), bindings)[0]}
    assert shown["f4"] == "Talk" and shown["ctrl+t"] == "Mute"
    shown = {key: what for key, what, _ in keys_now(state(listening=True, muted=True, keypad=True), bindings)[0]}
    assert shown["f4"] == "Stop" and shown["ctrl+t"] == "Unmute" and shown["f3"] == "Keypad off"
    shown = {key: what for key, what, _ in keys_now(state(talk=False, speaker=False), bindings)[0]}
    assert "f4" not in shown and "ctrl+t" not in shown  # no speech-to-text, no output device
    entries, ranks = keys_now(state(live=False), bindings)
    assert [key for key, _, _ in entries] == ["f1", "f2", "f6", "f8", "ctrl+s", "ctrl+n"]
    assert ranks[0] == 0  # help is kept first: it lists the rest


async def test_a_voice_call_at_80_columns_keeps_talk_and_mute_before_saving(project) -> None:
    app = build_app(agent=project.agent, voice=False, start=START, monotonic=lambda: 0.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.voice, app.speaker, app.muted = True, QuietSpeaker(), False  # as if voice had loaded
        app._refresh_keys()
        await pilot.pause()
        line = keys(app)
        assert line == "F1 Help  F2 Panels  F3 Keypad  F4 Talk  F7 Hang up  ^N New call  ^T Mute"
        await pilot.press("ctrl+t")
        assert "^T Unmute" in keys(app)


class QuietSpeaker:
    """An output device that says nothing."""

    def say(self, text: str) -> None: ...

    def set_muted(self, muted: bool) -> None: ...

    def stop(self) -> None: ...

    async def aclose(self) -> None: ...


async def test_f1_and_help_show_every_key_and_command_on_a_screen_of_their_own(project) -> None:
    """Written into the transcript, the help pushed the conversation away and wrapped into a jagged column."""
    from rich.console import Console
    from textual.widgets import Input, Static

    from callsim.tui.help import HelpScreen

    app = build_app(agent=project.agent, voice=False, start=START, monotonic=lambda: 0.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        lines_before = len(app.transcript.lines)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        console = Console(width=76, record=True, file=io.StringIO())  # the help as an 80-column terminal wraps it
        for static in app.screen.query(Static):
            console.print(static.content)
        text = console.export_text()
        for key in ("F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "^S", "^N", "^T"):
            assert f"{key} " in text
        for usage in ("/dtmf KEYS", "/reply [sms|whatsapp] TEXT", "/wait DURATION", "/hangup", "/export [FILE]", "/audio FILE.wav"):
            assert usage in text
        assert "what you type is pressed as keys" in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen) and len(app.transcript.lines) == lines_before
        app.query_one("#say", Input).value = "/help"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("f1")  # F1 closes it too
        assert not isinstance(app.screen, HelpScreen)
