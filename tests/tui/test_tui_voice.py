"""Push-to-talk in the simulator: microphone blocks through the real offline engine into the call."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from textual.widgets import TextArea

from callsim.config.project import load_scenario
from callsim.runner import run_scenario_async
from callsim.tui.app import build_app
from callsim.tui.dialogs import HttpDialog
from callsim.voice.audio import VoiceUnavailable, read_wav
from waits import dialog, submit

pytestmark = pytest.mark.anyio
VOICE = Path(__file__).resolve().parents[2] / "scenarios" / "voice"
START = dt.datetime(2026, 11, 30, 15, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class RecordedMicrophone:
    """Plays a WAV file as if someone spoke into the microphone, then half a second of silence."""

    def __init__(self) -> None:
        pcm = read_wav(VOICE / "audio" / "where_is_my_order.wav") + b"\0" * 32000
        self.blocks_left = [pcm[i:i + 3200] for i in range(0, len(pcm), 3200)]
        self.closed = False

    def open(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True

    async def blocks(self):
        for block in self.blocks_left:
            if self.closed:
                return
            yield block


class NoMicrophone(RecordedMicrophone):
    def open(self) -> None:
        raise VoiceUnavailable("no microphone found (PortAudio: Error querying device -1)")


async def voice_loaded(app, pilot) -> None:
    """Wait until the speech engines, loaded in a background thread after mount, are ready (or not)."""
    for _ in range(200):
        await app.workers.wait_for_complete()
        if app.stt_engine is not None or app.stt_problem is not None:
            await pilot.pause()
            return
        await pilot.pause(0.05)
    raise AssertionError("the speech engines never finished loading")


def transcript(app) -> str:
    return " ".join(" ".join(line.text.split()) for line in app.query_one("#transcript").lines)


async def test_push_to_talk_turns_speech_into_a_caller_turn(monkeypatch) -> None:
    monkeypatch.setattr("callsim.voice.mic.Microphone", RecordedMicrophone)
    app = build_app(agent=VOICE / "agent.yaml", voice=True, muted=True, stt="pocketsphinx", start=START,
                    monotonic=lambda: 0.0)
    async with app.run_test(size=(120, 40)) as pilot:
        await voice_loaded(app, pilot)
        assert app.stt_engine.name == "pocketsphinx"
        assert "Speech-to-text: pocketsphinx en-us, grammar of" in transcript(app)
        await pilot.press("f4")
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = transcript(app)
        assert "Caller where is my order" in text and "Agent What is your order number?" in text
        events = app.live.trace.events
        heard = next(e for e in events if e.type == "speech_recognized")
        assert (heard.source, heard.engine, heard.text) == ("microphone", "pocketsphinx", "where is my order")
        assert app.last_heard.real_time_factor > 0  # measured; how fast is the benchmark's to say, not a test's


async def test_push_to_talk_with_whisper_shows_partials_and_records_the_confidence(monkeypatch) -> None:
    monkeypatch.setattr("callsim.voice.mic.Microphone", RecordedMicrophone)
    app = build_app(agent=VOICE / "agent.yaml", voice=True, muted=True, stt="whisper", start=START,
                    monotonic=lambda: 0.0)
    partials: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await voice_loaded(app, pilot)
        assert app.stt_engine.name == "whisper"
        assert "Speech-to-text: whisper base (int8, beam 5), prompted with the agent's question" in transcript(app)
        original = app.partial.update
        monkeypatch.setattr(app.partial, "update", lambda text="": (partials.append(str(text)), original(text))[1])
        await pilot.press("f4")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Caller Where is my order?" in transcript(app)
        assert "Agent What is your order number?" in transcript(app)
        heard = next(e for e in app.live.trace.events if e.type == "speech_recognized")
        assert (heard.source, heard.engine, heard.text) == ("microphone", "whisper", "Where is my order?")
        assert heard.confidence is not None and heard.confidence > 0.9
    assert any(p.startswith("🎤 ") and p.endswith("…") and "listening" not in p for p in partials)


async def test_no_microphone_is_a_message_and_typing_still_works(monkeypatch) -> None:
    monkeypatch.setattr("callsim.voice.mic.Microphone", NoMicrophone)
    app = build_app(agent=VOICE / "agent.yaml", voice=True, muted=True, stt="pocketsphinx", start=START,
                    monotonic=lambda: 0.0)
    async with app.run_test(size=(120, 40)) as pilot:
        await voice_loaded(app, pilot)
        await pilot.press("f4")
        await pilot.pause()
        assert "Cannot listen: no microphone found (PortAudio: Error querying device -1). Type instead." \
            in transcript(app)
        await pilot.press(*"hello", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Caller hello" in transcript(app)


async def test_missing_vosk_model_says_so_in_the_ui(monkeypatch) -> None:
    monkeypatch.delenv("CALLSIM_VOSK_MODEL", raising=False)
    app = build_app(agent=VOICE / "agent.yaml", voice=True, muted=True, stt="vosk", start=START,
                    monotonic=lambda: 0.0)
    async with app.run_test(size=(120, 40)) as pilot:
        await voice_loaded(app, pilot)
        assert "Speech-to-text is off: no vosk model: pass --vosk-model" in transcript(app)
        await pilot.press("f4")
        await pilot.pause()
        assert "Cannot listen: no vosk model" in transcript(app)


async def test_an_audio_file_as_the_caller_and_its_export(tmp_path: Path) -> None:
    (tmp_path / "notes.wav").write_text("not audio")
    project = tmp_path / "voice"  # an export names the agent and the audio, which must be in its project
    shutil.copytree(VOICE, project)
    app = build_app(agent=project / "agent.yaml", voice=False, start=START, monotonic=lambda: 0.0)
    async with app.run_test(size=(120, 40)) as pilot:
        await submit(pilot, f"/audio {tmp_path / 'notes.wav'}")
        await submit(pilot, f"/audio {project / 'audio' / 'when_are_you_open.wav'}")
        # no fake route in a free call: the person answers the request in a dialog
        asked = await dialog(pilot, HttpDialog)
        asked.query_one("#body", TextArea).text = '{"today": "9 to 5"}'
        await pilot.click("#answer")
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = transcript(app)
        assert "notes.wav: not a PCM WAV file" in text  # the call went on
        assert "Caller Where are you open?" in text  # heard by Whisper
        assert "Today we are open 9 to 5." in text
        exported = app.export(project / "spoken.yaml")
    assert exported is not None
    text = exported.read_text()
    assert "- audio: audio/when_are_you_open.wav" in text
    assert "match: GET https://orders.example.test/hours" in text  # the answer, as the scenario's route
    result = await run_scenario_async(load_scenario(exported))
    assert result.passed, [f.failure for f in result.failures] + result.errors
