"""Heard turns: a scenario's `audio: file.wav` turn and the simulator's microphone go through
speech-to-text into the call, under one rule for how far a transcript is trusted.

The rule: a transcript the engine is unsure of (confidence below `MIN_CONFIDENCE`) is taken as a
turn the agent did not understand, so it neither starts an action nor gives a value (the agent asks
again rather than keep a wrong value); a value (a name, a date, a number) that depends on a word the
engine only guessed (probability under `MIN_WORD_PROBABILITY`) is not taken either, though the rest
of the turn is; a one-word transcript ("you", "open": what engines make of a cough or a cut-off
word) may answer the question the agent asked, but starts no action.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any, NamedTuple

from callsim.errors import CallError
from callsim.files import UnreadableFile, referenced
from callsim.trace.events import SpeechRecognized
from callsim.voice.audio import SAMPLE_RATE, AudioFileError, VoiceUnavailable, read_wav
from callsim.voice.hints import call_hints
from callsim.voice.engines import choose_engine
from callsim.voice.stt import SpeechToText, Transcript, transcribe

MIN_CONFIDENCE = 0.2
"""Below this confidence a transcript is not acted on (see tests/benchmarks/speech_accuracy.py)."""
MIN_WORDS_TO_ACT = 2
MIN_WORD_PROBABILITY = 0.2
"""A word the engine gives a lower probability than this is a guess: no value is read from it."""


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


class Taken(NamedTuple):
    """What the call takes from a transcript."""

    text: str
    """The turn's text ("" when nothing is taken)."""
    fires: bool
    """Whether the turn may start actions."""
    note: str | None = None
    """Why it is not taken in full."""
    unsure: tuple[str, ...] = ()
    """Words the engine only guessed: no value is read from them."""


def judge(transcript: Transcript) -> Taken:
    """What the call takes from a transcript (see the module's rule)."""
    if not transcript.text:
        return Taken("", False, transcript.note)
    if transcript.confidence is not None and transcript.confidence < MIN_CONFIDENCE:
        return Taken("", False, f"too unclear to act on (confidence under {MIN_CONFIDENCE}): the agent did not "
                                "understand")
    unsure = tuple(word for word, probability in transcript.words if probability < MIN_WORD_PROBABILITY)
    notes = [transcript.note] if transcript.note else []
    if unsure:
        notes.append(f"guessed {', '.join(map(repr, unsure))} (probability under {MIN_WORD_PROBABILITY}): "
                     "no value is taken from a guessed word")
    if len(re.findall(r"[\w'@.-]+", transcript.text)) < MIN_WORDS_TO_ACT:
        notes.insert(0, "one word: it may answer the agent's question but starts no action")
        return Taken(transcript.text, False, "; ".join(notes), unsure)
    return Taken(transcript.text, True, "; ".join(notes) or None, unsure)


async def hear(call: Any, transcript: Transcript, *, source: str, engine: str, seconds: float) -> None:
    """The caller said what speech-to-text heard: record the transcript, then take it as a turn."""
    taken = judge(transcript)
    call.emit(SpeechRecognized(source=source, engine=engine, text=transcript.text, seconds=round(seconds, 2),
                               confidence=transcript.confidence, note=taken.note))
    await call.caller_says(taken.text, may_fire_actions=taken.fires, unsure=taken.unsure)


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
