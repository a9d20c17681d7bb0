"""A spoken turn whose value is in doubt is heard a second time (most of a second of CPU): in the simulator that
runs in a worker thread, so keys and the partial line keep working meanwhile, with the same events as before."""

from __future__ import annotations

import asyncio
import datetime as dt
import textwrap
import threading
from pathlib import Path

import pytest
from textual.widgets import Input

from callsim.tui.app import build_app
from callsim.voice.caller_audio import SECOND_HEARING, may_be_doubted, use_engine
from callsim.voice.stt import Transcript

pytestmark = pytest.mark.anyio
START = dt.datetime(2026, 11, 30, 15, 0, tzinfo=dt.timezone.utc)
WAV = Path(__file__).resolve().parents[2] / "scenarios" / "voice" / "audio" / "where_is_my_order.wav"
AGENT = """\
agent: clinic
greeting: Clinic, how can I help?
fallback: Sorry?
timezone: America/New_York
variables:
  caller_name: {type: name, ask: What is your name?}
  visit_date: {type: date, ask: Which day would you like?}
uses: [actions.yaml]
actions: [book_visit]
"""
ACTIONS = """\
actions:
  book_visit:
    type: http
    trigger: {phrases: [book a visit]}
    needs: [caller_name, visit_date]
    request: {method: POST, url: https://clinic.test/visits}
"""
SURE, GUESS = 0.95, 0.05
SAID = "It's Maria Garcia."


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class SlowSecondHearing:
    """A recogniser that doubts the surname, and whose second hearing works until the test releases it."""

    name, description, partial_every = "fake", "a recogniser with a slow second hearing", 0.1

    def __init__(self) -> None:
        self.started, self.release = threading.Event(), threading.Event()
        self.threads: list[threading.Thread] = []

    def recognizer(self, hints: object = None) -> SlowSecondHearing:
        return self

    def accept(self, pcm: bytes) -> None:
        pass

    def partial(self) -> str:
        return ""

    def finish(self) -> Transcript:
        return Transcript(SAID, 0.9, words=(("It's", SURE), ("Maria", SURE), ("Garcia.", GUESS)), again=self.again)

    def again(self) -> Transcript:
        self.threads.append(threading.current_thread())
        self.started.set()
        if threading.current_thread() is not threading.main_thread():  # on the UI's thread it would never end
            self.release.wait(30)
        return Transcript(SAID, 0.9, words=tuple((word, SURE) for word in SAID.split()), hypotheses=((SAID, 1.0),))


class SilentMicrophone:
    def open(self) -> None:
        pass

    def close(self) -> None:
        pass

    async def blocks(self):
        yield b"\0" * 3200


def transcript(app) -> str:
    return " ".join(" ".join(line.text.split()) for line in app.query_one("#transcript").lines)


@pytest.mark.parametrize("way", ["microphone", "audio file"])
async def test_keys_work_while_a_doubted_turn_is_heard_again(way: str, tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "agent.yaml").write_text(textwrap.dedent(AGENT), encoding="utf-8")
    (tmp_path / "actions.yaml").write_text(textwrap.dedent(ACTIONS), encoding="utf-8")
    monkeypatch.setattr("callsim.voice.mic.Microphone", SilentMicrophone)
    engine = SlowSecondHearing()
    app = build_app(agent=tmp_path / "agent.yaml", voice=False, muted=True, start=START, monotonic=lambda: 0.0)
    async with app.run_test(size=(120, 40)) as pilot:
        app.query_one("#say", Input).value = "I'd like to book a visit"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        assert "Agent What is your name?" in transcript(app)
        if way == "microphone":
            app.voice, app.stt_engine = True, engine
            await pilot.press("f4")
        else:
            use_engine(app.live.project, engine)
            app.query_one("#say", Input).value = f"/audio {WAV}"
            await pilot.press("enter")
        assert await asyncio.to_thread(engine.started.wait, 30)
        assert engine.threads[0] is not threading.main_thread(), "the second hearing ran on the UI's thread"
        # the second hearing is still working: the screen takes keys and says what it waits for
        await pilot.press("f8", *"hi")
        assert app.backends_panel.tabs.active == "messages"
        assert app.query_one("#say", Input).value == "hi"
        assert "hearing that again" in str(app.partial.render())
        assert not [e for e in app.live.trace.events if e.type == "variable_set" and e.name == "caller_name"]
        engine.release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert str(app.partial.render()) == ""
        events = [e for e in app.live.trace.events if e.type in ("speech_recognized", "variable_set", "agent_said")]
        heard = [e for e in events if e.type == "speech_recognized"]
        assert [e.text for e in heard] == [SAID, SAID] and heard[1].note == SECOND_HEARING
        names = [e for e in events if e.type == "variable_set" and e.name == "caller_name"]
        assert names[0].value == "Maria Garcia" and events.index(names[0]) > events.index(heard[1])
        assert events[-1].type == "agent_said" and events[-1].text == "Which day would you like?"
        assert len(engine.threads) == 1


@pytest.mark.parametrize(("transcript", "doubted"), [
    (Transcript(SAID, 0.9, words=tuple((word, SURE) for word in SAID.split()), hypotheses=((SAID, 1.0),)), False),
    (Transcript(SAID, 0.9, words=(("It's", SURE), ("Maria", SURE), ("Garcia.", GUESS))), True),
    (Transcript(SAID, 0.9, hypotheses=((SAID, 0.7), ("It's Maria Narcia.", 0.3))), True),
    (Transcript(SAID, 0.9, hypotheses=((SAID, 0.7), ("It's Maria Garcia", 0.3))), True),  # read otherwise, maybe
    (Transcript(SAID, 0.9, hypotheses=((SAID, 0.85), ("It's Maria Narcia.", 0.15))), False),
])
def test_a_turn_is_heard_again_ahead_only_when_the_rule_may_doubt_it(transcript: Transcript, doubted: bool) -> None:
    assert may_be_doubted(transcript) is doubted
