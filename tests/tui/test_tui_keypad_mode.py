"""Keys or words: digits typed in the input line are said, unless the keypad is open (F3), when what is typed
is pressed; the screen says which, and says so when the agent asks for keys."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest
from textual.geometry import Region
from textual.widgets import Button, Input

from callsim.tui.app import SimulatorApp, build_app
from waits import until

pytestmark = pytest.mark.anyio

START = dt.datetime(2026, 11, 30, 15, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
FILES = {
    "agent.yaml": """\
        agent: bank
        greeting: Thanks for calling the bank. How can I help?
        variables:
          pin: {type: digits, length: 4, ask: "Please enter your four digit PIN on the keypad, then press pound."}
        uses: [actions.yaml]
        actions: [check_balance, operator]
        """,
    "actions.yaml": """\
        actions:
          check_balance:
            type: http
            trigger: {phrases: ["my balance"]}
            needs: [pin]
            request: {method: POST, url: "https://bank.test/balance", json: {pin: "{{ pin }}"}}
            save: {balance: $.balance}
            say: Your balance is {{ balance }} dollars.
          operator:
            type: transfer
            trigger: {on: dtmf, if: dtmf == "0"}
            say: Connecting you to an operator.
            destination: "+14155550199"
        """,
    "scenario.yaml": """\
        scenario: the caller keys in a PIN
        agent: agent.yaml
        http:
          - {match: POST https://bank.test/balance, json: {balance: 42}}
        phones:
          "+14155550199": {answer_after: 2s}
        turns:
          - caller: what is my balance
        """,
}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def bank(tmp_path: Path) -> SimulatorApp:
    for name, text in FILES.items():
        (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return build_app(scenario=tmp_path / "scenario.yaml", voice=False, start=START, monotonic=lambda: 0.0)


async def typed(app: SimulatorApp, pilot, text: str) -> None:
    app.query_one("#say", Input).value = text
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await pilot.pause()


def events(app: SimulatorApp, kind: str) -> list:
    return [event for event in app.live.trace.events if event.type == kind]


def transcript(app: SimulatorApp) -> str:
    return " ".join(" ".join(line.text.split()) for line in app.transcript.lines)


async def test_a_pin_asked_for_is_keyed_in_with_the_keypad_open(bank: SimulatorApp) -> None:
    app = bank
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await typed(app, pilot, "what is my balance")
        hint = app.query_one("#hint")
        assert hint.display
        assert "The agent asks for pin: type it to say it, or F3 first to key it in" in str(hint.render())
        await pilot.press("f3")
        say = app.query_one("#say", Input)
        assert app.focused is say and say.border_title == "⌨ Keypad: typing presses keys"
        assert say.placeholder.startswith("Keys to press") and not hint.display
        assert "F3 Keypad off" in str(app.query_one("#keys").render())
        await typed(app, pilot, "4321#")
        assert [event.digits for event in events(app, "dtmf_received")] == ["4321#"]
        assert [event.text for event in events(app, "caller_said")] == ["what is my balance"]  # not said as words
        assert app.live.call.variables.get("pin") == "4321" and "Your balance is 42 dollars" in transcript(app)
        await typed(app, pilot, "hello")  # words with the keypad open: explained, not pressed, not said
        assert "The keypad is open: type keys to press them" in transcript(app) and len(events(app, "caller_said")) == 1
        await typed(app, pilot, "/wait 1s")  # commands still work
        assert events(app, "waited")
        await pilot.press("f3")
        assert say.placeholder.startswith("Say something") and say.border_title is None
        await typed(app, pilot, "0")  # the keypad closed: digits are words again
        assert events(app, "caller_said")[-1].text == "0" and len(events(app, "dtmf_received")) == 1


async def test_keys_typed_as_words_are_said_and_the_screen_says_how_to_press_them(bank: SimulatorApp) -> None:
    app = bank
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        assert ("This agent acts on keys pressed (operator): F3 opens the keypad, and what you type is then pressed"
                in transcript(app))  # the first screen says so, before anyone needs it
        await typed(app, pilot, "0#")
        assert events(app, "caller_said")[-1].text == "0#" and not events(app, "dtmf_received")
        assert "That was said as words. To press keys, open the keypad with F3" in transcript(app)
        assert "or type /dtmf 0#" in transcript(app)
        await typed(app, pilot, "I have 2 dogs")  # ordinary words with digits: no advice
        assert transcript(app).count("That was said as words") == 1


async def test_the_keypad_closes_with_the_call_and_its_keys_take_no_focus(bank: SimulatorApp) -> None:
    app = bank
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("f3")
        # tab never lands on a key that enter would press; a click still presses it
        assert not any(button.can_focus for button in app.query("#keypad Button").results(Button))
        await pilot.click("#key-0")
        await app.workers.wait_for_complete()
        assert [event.digits for event in events(app, "dtmf_received")] == ["0"]
        await pilot.press("f7")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app.screen.has_class("-show-keypad") and app.query_one("#say", Input).border_title is None


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_open_keypad_covers_no_pane_and_the_transcript_fits_beside_it(bank: SimulatorApp, size) -> None:
    app = bank
    async with app.run_test(size=size) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("f3")
        keypad = app.query_one("#keypad")
        await until(pilot, lambda: keypad.region.area > 0, "the keypad shown")
        await pilot.pause()
        for pane in ("#transcript", "#say", "#actions", "#variables", "#backends"):
            shown = app.query_one(pane).region
            assert not shown.overlaps(keypad.region), f"the keypad covers {pane}"
        assert "Keypad: F3 closes" in keypad.render_lines(Region(0, 0, keypad.region.width, 1))[0].text  # its title whole
        transcript_region = app.transcript.region
        assert transcript_region.width >= 36  # the conversation keeps a readable width beside the keypad
        greeting = next(line for line in app.transcript.lines if "Thanks for calling" in line.text)
        assert greeting.cell_length <= app.transcript.scrollable_content_region.width  # rewrapped, not cut off
        await pilot.press("f3")
        await until(pilot, lambda: not keypad.display or keypad.region.area == 0, "the keypad closed")
        await pilot.pause()
        assert app.transcript.region.width > transcript_region.width  # the transcript takes the width back
