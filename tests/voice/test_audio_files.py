"""Audio files as callers: WAV reading and conversion, the `audio:` scenario turn, and bad files."""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

import pytest

from callsim.config.project import load_scenario
from callsim.errors import ConfigErrors
from callsim.runner import run_scenario
from callsim.voice.audio import SAMPLE_RATE, AudioFileError, check_wav, read_wav, rms
from callsim.voice.caller_audio import judge
from callsim.voice.stt import Transcript


def write_tone(path: Path, rate: int, channels: int, width: int, seconds: float = 0.5, hertz: float = 440) -> Path:
    frames = bytearray()
    for i in range(int(rate * seconds)):
        value = math.sin(2 * math.pi * hertz * i / rate) * 0.5
        if width == 1:
            sample = struct.pack("<B", int(128 + value * 127))
        else:
            sample = struct.pack("<h", int(value * 32767))
        frames += sample * channels
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(width)
        wav.setframerate(rate)
        wav.writeframes(bytes(frames))
    return path


@pytest.mark.parametrize("rate,channels,width", [(16000, 1, 2), (44100, 2, 2), (8000, 1, 1), (22050, 2, 1)])
def test_any_pcm_wav_becomes_16k_mono_16bit(tmp_path: Path, rate: int, channels: int, width: int) -> None:
    pcm = read_wav(write_tone(tmp_path / "tone.wav", rate, channels, width))
    assert abs(len(pcm) / 2 - SAMPLE_RATE * 0.5) <= 1
    assert 0.3 * 32767 < rms(pcm) < 0.4 * 32767  # a sine of amplitude 0.5 has an RMS of 0.354


def test_a_telephone_line_heard_at_16k_holds_no_mirror_image_of_its_band(tmp_path: Path) -> None:
    """A 3 kHz tone recorded at 8 kHz, read at 16 kHz: its mirror at 5 kHz (which linear interpolation
    leaves at 45 % of the tone, sound the recogniser would take for speech) is gone, and the tone is whole."""
    import numpy as np

    pcm = read_wav(write_tone(tmp_path / "line.wav", 8000, 1, 2, hertz=3000))
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    hertz = np.fft.rfftfreq(len(samples), 1 / SAMPLE_RATE)
    assert abs(hertz[spectrum.argmax()] - 3000) < 10
    assert spectrum[hertz > 4000].max() < 0.001 * spectrum.max()
    assert 0.3 * 32767 < rms(pcm) < 0.4 * 32767


def test_unreadable_audio_says_why(tmp_path: Path) -> None:
    (tmp_path / "notes.wav").write_text("not audio")
    assert "not a PCM WAV file" in check_wav(tmp_path / "notes.wav")
    assert check_wav(tmp_path / "missing.wav") == "file not found"
    empty = tmp_path / "empty.wav"
    with wave.open(str(empty), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(16000)
    assert check_wav(empty) == "the WAV file holds no audio"
    with pytest.raises(AudioFileError, match="notes.wav: not a PCM WAV file .*sox IN.wav -r 16000"):
        read_wav(tmp_path / "notes.wav")


def test_audio_turn_is_heard_and_answered(project, speak) -> None:
    assert speak("where is my order", name="question.wav").parent == project.root  # both use tmp_path
    project.write("scenario.yaml", """\
        scenario: spoken question
        agent: agent.yaml
        turns:
          - audio: question.wav
          - expect: {agent_said: What is your order number}
        """)
    result = run_scenario(project.scenario)
    assert result.passed, [f.failure for f in result.failures] + result.errors
    heard = [e for e in result.trace.events if e.type == "speech_recognized"]
    assert heard[0].text == "Where is my order?" and heard[0].engine == "whisper" and heard[0].confidence > 0.9
    assert heard[0].source == "question.wav" and heard[0].seconds > 0.5


def test_a_bad_audio_turn_is_a_config_error_where_it_is_written(project) -> None:
    (project.root / "notes.wav").write_text("not audio")
    project.write("scenario.yaml", """\
        scenario: bad audio
        agent: agent.yaml
        turns:
          - audio: notes.wav
          - audio: missing.wav
        """)
    with pytest.raises(ConfigErrors) as raised:
        load_scenario(project.scenario)
    messages = [str(e) for e in raised.value.errors]
    line, column = project.locate("scenario.yaml", "notes.wav")
    assert messages[0].startswith(f"{project.scenario}:{line}:{column}: audio 'notes.wav': not a PCM WAV file")
    assert "audio 'missing.wav': file not found; give a WAV file path relative to the scenario file" in messages[1]


@pytest.mark.parametrize("transcript,taken", [
    (Transcript("where is my order", 0.9), ("where is my order", True, None)),
    (Transcript("Open.", 0.96), ("Open.", False, "one word: it may answer the agent's question but starts no action")),
    (Transcript("order number 7-7-1-1-1", 0.1), ("", False, "too unclear to act on (confidence under 0.2): the "
                                                    "agent did not understand")),
    (Transcript("where is my order", None), ("where is my order", True, None)),  # an engine without confidences
    (Transcript("6, 4, 5, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6", 0.9),
     ("", False, "the words repeat themselves over and over (a recogniser caught in a loop): the agent did not "
                 "understand")),
    (Transcript("my account number is 1, 2, 1, 2, 1, 2, 3, 4", 0.9), ("my account number is 1, 2, 1, 2, 1, 2, 3, 4",
                                                                     True, None)),
    (Transcript("", note="pocketsphinx cannot hear a name"), ("", False, "pocketsphinx cannot hear a name")),
])
def test_how_far_a_heard_transcript_is_taken(transcript: Transcript, taken: tuple) -> None:
    assert judge(transcript)[:3] == taken
