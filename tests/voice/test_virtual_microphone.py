"""The real audio path: a sounddevice input stream reads ALSA's `file` plugin (over `null`) serving a WAV
that espeak-ng synthesised, into speech-to-text and the engine; and the agent's synthesised voice played
through sounddevice lands in the plugin's output file.

ALSA reads ALSA_CONFIG_PATH when PortAudio starts, which is when sounddevice is imported, so each case
runs in a fresh interpreter.
"""

from __future__ import annotations

import ctypes.util
import json
import os
import subprocess
import sys
import wave
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(ctypes.util.find_library("portaudio") is None,
                                reason="the PortAudio library is not installed (apt-get install libportaudio2)")

VOICE_AGENT = Path(__file__).resolve().parents[2] / "scenarios" / "voice" / "agent.yaml"

ALSA_CONFIG = """\
pcm.!default {{
    type asym
    capture.pcm {{ type file  slave.pcm {{ type null }}  file "/dev/null"  infile "{infile}"  format "raw" }}
    playback.pcm {{ type file  slave.pcm {{ type null }}  file "{outfile}"  format "raw" }}
}}
"""

SCRIPT = """\
import asyncio, datetime as dt, json, os, sys, time
assert "sounddevice" not in sys.modules
from callsim.backends import build_backends
from callsim.config.project import load_project
from callsim.config.scenario import ScenarioConfig
from callsim.engine.clock import VirtualClock
from callsim.engine.session import CallSession
from callsim.trace.trace import Trace
from callsim.voice.mic import EndOfSpeech, Microphone, listen
from callsim.voice.stt_sphinx import SphinxEngine, agent_grammar
from callsim.voice.tts import Synthesiser, play

async def main():
    project = load_project(sys.argv[1])
    engine = SphinxEngine(agent_grammar(project))
    microphone = Microphone()
    microphone.open()
    partials = []
    heard = await listen(engine, microphone.blocks(), partials.append, EndOfSpeech())
    microphone.close()
    clock = VirtualClock(dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.timezone.utc))
    trace = Trace()
    config = ScenarioConfig(scenario="mic", agent="agent.yaml")
    call = CallSession(project, clock=clock, backends=build_backends(config, clock), trace=trace)
    await call.start()
    recognised = time.perf_counter()
    await call.caller_says(heard.text)
    replied = time.perf_counter()
    speech = Synthesiser().synthesise_now("Order 4567 is shipped.")
    play(speech)
    print(json.dumps({"text": heard.text, "partials": partials, "audio": heard.audio_seconds,
                      "rtf": heard.real_time_factor, "reply_ms": (replied - recognised) * 1000,
                      "agent": [e.text for e in trace.events if e.type == "agent_said"],
                      "played_seconds": speech.seconds}))

asyncio.run(main())
"""

NO_DEVICE_SCRIPT = """\
import asyncio
import numpy as np
from callsim.voice.audio import VoiceUnavailable
from callsim.voice.mic import Microphone
from callsim.voice.tts import Speech, play

async def main():
    for what, attempt in (("mic", Microphone().open), ("speaker", lambda: play(Speech(np.zeros(100, dtype='int16'), 16000)))):
        try:
            attempt()
            print(what, "opened")
        except VoiceUnavailable as problem:
            print(what, problem)

asyncio.run(main())
"""


def run(script: str, config: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "asound.conf").write_text(config)
    (tmp_path / "script.py").write_text(script)
    env = {**os.environ, "ALSA_CONFIG_PATH": str(tmp_path / "asound.conf")}
    # a guard against a hang, not a pace: a loaded machine takes ten times the usual two seconds
    return subprocess.run([sys.executable, str(tmp_path / "script.py"), *args], env=env, capture_output=True,
                          text=True, timeout=300)


def test_virtual_microphone_into_speech_to_text_and_the_engine(tmp_path: Path, speak) -> None:
    with wave.open(str(speak("where is my order")), "rb") as wav:
        assert wav.getframerate() == 22050
    # the microphone records 16 kHz: give the plugin the speech at that rate, between two silences
    from callsim.voice.audio import read_wav

    import numpy as np

    pcm = read_wav(tmp_path / next(p.name for p in tmp_path.glob("speech-*.wav")))
    # half a second of a quiet room (-50 dBFS, as a real microphone records; digital zeros throw
    # pocketsphinx's normalisation), then the speech, then a second and a half of the room
    room = np.random.default_rng(7).normal(0, 0.003 * 32767, 16000 * 2).astype("<i2").tobytes()
    (tmp_path / "mic.raw").write_bytes(room[:16000] + pcm + room[16000:])
    config = ALSA_CONFIG.format(infile=tmp_path / "mic.raw", outfile=tmp_path / "played.raw")
    done = run(SCRIPT, config, tmp_path, str(VOICE_AGENT))
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # neither ALSA, PortAudio, pocketsphinx nor espeak wrote to the terminal
    result = json.loads(done.stdout)
    assert result["text"] == "where is my order"
    assert any(p.startswith("where") for p in result["partials"])
    assert result["agent"][-1] == "What is your order number?"
    played = (tmp_path / "played.raw").stat().st_size
    assert played >= result["played_seconds"] * 22050 * 2 * 0.95  # the agent's line reached the device


def test_no_microphone_and_no_speaker_are_clear_messages(tmp_path: Path) -> None:
    done = run(NO_DEVICE_SCRIPT, "pcm.!default { type hw card 99 }\n", tmp_path)  # a card that is not there
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    mic, speaker = done.stdout.splitlines()
    assert mic.startswith("mic no microphone found (PortAudio:") and "python -m sounddevice" in mic
    assert speaker.startswith("speaker no audio output device found (PortAudio:")


SYNTHESIS_SCRIPT = """\
import threading, types, wave
import pyttsx3.drivers.espeak as espeak_driver
from callsim.voice import tts

synthesiser = tts.Synthesiser()
synthesiser._load()
waiting = threading.Event()  # the synthesiser waits for espeak's word that the file is written, or has read it

class Watched(threading.Event):
    def wait(self, timeout=None):
        waiting.set()
        return super().wait(timeout)

def gated(file, mode):
    if mode == "wb":  # espeak's thread
        assert waiting.wait(60), "the synthesiser neither waited for espeak nor read the file"
        return wave.open(file, mode)
    try:
        return wave.open(file, mode)
    finally:
        waiting.set()

synthesiser._written = Watched()
espeak_driver.wave = tts.wave = types.SimpleNamespace(open=gated)
speech = synthesiser.synthesise_now("Order 4567 is shipped.")
print(speech.rate, round(speech.seconds, 1))
"""


def test_a_synthesised_line_is_read_only_once_espeak_has_written_it(tmp_path: Path) -> None:
    """The agent's line played above is synthesised by espeak-ng on its own thread, and pyttsx3's runAndWait
    returns before that thread is done: on a loaded machine the file was read before it was written (the
    flake this file had). Here espeak's thread may write only once the synthesiser waits for it, or has
    already tried to read: reading first fails every time, not one time in ten. (In a fresh interpreter:
    espeak is one per process, and a line an earlier test left unfinished would meet the gate.)"""
    done = run(SYNTHESIS_SCRIPT, "", tmp_path)
    assert done.returncode == 0, done.stderr
    rate, seconds = done.stdout.split()
    assert rate == "22050" and float(seconds) > 1
