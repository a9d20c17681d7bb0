"""Heard turns: a scenario's `audio: file.wav` turn and the simulator's microphone go through
speech-to-text into the call, under one rule for how far a transcript is trusted.

The rule: a transcript the engine is unsure of (confidence below `MIN_CONFIDENCE`) is taken as a
turn the agent did not understand, so it neither starts an action nor gives a value (the agent asks
again rather than keep a wrong value); a one-word transcript ("you", "open": what engines make of a
cough or a cut-off word) may answer the question the agent asked, but starts no action.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

from callsim.errors import CallError
from callsim.files import UnreadableFile, referenced
from callsim.trace.events import SpeechRecognized
from callsim.voice.audio import SAMPLE_RATE, AudioFileError, VoiceUnavailable, read_wav
from callsim.voice.hints import call_hints
from callsim.voice.engines import choose_engine
from callsim.voice.stt import SpeechToText, Transcript, transcribe

MIN_CONFIDENCE = 0.35
"""Below this confidence a transcript is not acted on (see tests/benchmarks/speech_accuracy.py)."""
MIN_WORDS_TO_ACT = 2


def speech_engine(project: Any) -> SpeechToText:
    """The engine that hears a project's audio turns, built once per loaded project (see `choose_engine`)."""
    engine = getattr(project, "_speech_engine", None)
    if engine is None:
        engine = choose_engine(project)
        project._speech_engine = engine
    return engine


def use_engine(project: Any, engine: SpeechToText) -> None:
    """Hear this project's audio turns with `engine` (the simulator's choice, so /audio and F4 agree)."""
    project._speech_engine = engine


def judge(transcript: Transcript) -> tuple[str, bool, str | None]:
    """What the call takes from a transcript: (the turn's text, whether it may start actions, why not in full)."""
    if not transcript.text:
        return "", False, transcript.note
    if transcript.confidence is not None and transcript.confidence < MIN_CONFIDENCE:
        return "", False, f"too unclear to act on (confidence under {MIN_CONFIDENCE}): the agent did not understand"
    if len(re.findall(r"[\w'@.-]+", transcript.text)) < MIN_WORDS_TO_ACT:
        return transcript.text, False, "one word: it may answer the agent's question but starts no action"
    return transcript.text, True, transcript.note


async def hear(call: Any, transcript: Transcript, *, source: str, engine: str, seconds: float) -> None:
    """The caller said what speech-to-text heard: record the transcript, then take it as a turn."""
    text, fires, note = judge(transcript)
    call.emit(SpeechRecognized(source=source, engine=engine, text=transcript.text, seconds=round(seconds, 2),
                               confidence=transcript.confidence, note=note))
    await call.caller_says(text, may_fire_actions=fires)


async def caller_audio(call: Any, audio: str, folder: Path | None = None) -> None:
    """The caller says what `audio` holds: recognise it (prompted with where the call stands), then hear it.

    `folder` is where relative paths start; by default the scenario file's folder (from the trace header).
    """
    base = folder if folder is not None else Path(call.trace.header.get("file", "scenario.yaml")).parent

    async def recognise() -> None:
        try:
            pcm = await asyncio.to_thread(read_wav, referenced(base, audio))
            engine = speech_engine(call.project)
            transcript = await asyncio.to_thread(transcribe, engine, pcm, call_hints(call))
        except (AudioFileError, VoiceUnavailable, UnreadableFile) as problem:
            raise CallError(f"audio turn {audio}: {problem}") from None
        await hear(call, transcript, source=audio, engine=engine.name, seconds=len(pcm) / 2 / SAMPLE_RATE)

    await call.guarded(recognise())
