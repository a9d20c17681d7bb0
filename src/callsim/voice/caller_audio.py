"""Heard turns: a scenario's `audio: file.wav` turn and the simulator's microphone go through
speech-to-text into the call, under one rule for how far a transcript is trusted.

The rule: a transcript the engine is unsure of (confidence below `MIN_CONFIDENCE`), or that repeats
itself over and over (a decoder caught in a loop), is taken as a turn the agent did not understand, so
it neither starts an action nor gives a value (the agent asks again rather than keep a wrong value);
a value (a name, a date, a number) the engine was unsure of is not taken either, though the rest of the
turn is (the call reads each value under the rule of `callsim.voice.heard`: the engine's other likely
wordings must give it too, and no word it is read from may be a guess); a one-word transcript ("you",
"open": what engines make of a cough or a cut-off word) may answer the question the agent asked, but
starts no action.
"""

from __future__ import annotations

import asyncio
import re
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from callsim.errors import CallError
from callsim.files import UnreadableFile, referenced
from callsim.trace.events import SpeechRecognized
from callsim.voice.audio import SAMPLE_RATE, AudioFileError, VoiceUnavailable, read_wav
from callsim.voice.heard import MIN_VALUE_SUPPORT, MIN_WORD_PROBABILITY, HeardTurn, other_wordings
from callsim.voice.hints import call_hints
from callsim.voice.engines import choose_engine
from callsim.voice.stt import SpeechToText, Transcript, transcribe

MIN_CONFIDENCE = 0.2
"""Below this confidence a transcript is not acted on (see tests/benchmarks/speech_accuracy.py)."""
MIN_WORDS_TO_ACT = 2
SECOND_HEARING = "heard again another way (without the agent's words as a prompt) to settle a value in doubt"
MAX_REPETITION = 2.4
"""A transcript that compresses more than this (Whisper's own test) is a decoder stuck in a loop ("6, 4, 5, 6,
6, 6, 6, ..."), not what the caller said."""


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
    heard: HeardTurn | None = None
    """How the engine heard the words taken, for the call to judge each value read from them."""


def judge(transcript: Transcript) -> Taken:
    """What the call takes from a transcript (see the module's rule)."""
    if not transcript.text:
        return Taken("", False, transcript.note)
    if transcript.confidence is not None and transcript.confidence < MIN_CONFIDENCE:
        return Taken("", False, f"too unclear to act on (confidence under {MIN_CONFIDENCE}): the agent did not "
                                "understand")
    if repetition(transcript.text) > MAX_REPETITION:
        return Taken("", False, "the words repeat themselves over and over (a recogniser caught in a loop): the "
                                "agent did not understand")
    heard = HeardTurn(transcript.text, transcript.words, transcript.hypotheses)
    notes = [transcript.note] if transcript.note else []
    guessed = [word for word, probability in transcript.words if probability < MIN_WORD_PROBABILITY]
    if guessed:
        notes.append(f"unsure of {', '.join(map(repr, dict.fromkeys(guessed)))} (probability under "
                     f"{MIN_WORD_PROBABILITY}): no value is read from it (from a word without digits, unless the "
                     "other wordings weighed mostly spell the same value)")
    others = other_wordings(transcript.text, transcript.hypotheses)
    if sum(share for _, share in others) > 1 - MIN_VALUE_SUPPORT:
        weighed = ", ".join(f"{text!r} ({share:.2f})" for text, share in others[:2])
        notes.append(f"also weighed {weighed}: a value they do not give is not taken")
    if len(re.findall(r"[\w'@.-]+", transcript.text)) < MIN_WORDS_TO_ACT:
        notes.insert(0, "one word: it may answer the agent's question but starts no action")
        return Taken(transcript.text, False, "; ".join(notes), heard)
    return Taken(transcript.text, True, "; ".join(notes) or None, heard)


def repetition(text: str) -> float:
    """How many times over `text` repeats itself: its length against its zlib-compressed length."""
    data = text.encode()
    return len(data) / len(zlib.compress(data)) if data else 0.0


def may_be_doubted(transcript: Transcript) -> bool:
    """Whether a value read from `transcript` may be in doubt under the rule of `callsim.voice.heard`, so that
    the call may ask for its second hearing: a word under `MIN_WORD_PROBABILITY`, or wordings other than the
    one heard (spelled otherwise too) holding more than 1 - `MIN_VALUE_SUPPORT` of the beam. A value the rule
    doubts needs one of these; the converse does not hold (the rule may find the value sure after all)."""
    if any(probability < MIN_WORD_PROBABILITY for _, probability in transcript.words):
        return True
    total = sum(share for _, share in transcript.hypotheses)
    others = sum(share for text, share in transcript.hypotheses if text != transcript.text)
    return total > 0 and others / total > 1 - MIN_VALUE_SUPPORT


async def hear(call: Any, transcript: Transcript, *, source: str, engine: str, seconds: float,
               ahead: Callable[[str], None] | None = None) -> None:
    """The caller said what speech-to-text heard: record the transcript, then take it as a turn.

    The call asks for the turn's second hearing (a decode, most of a second of CPU) in the middle of the turn,
    where it cannot wait for a thread. With `ahead` (the simulator, whose screen must not freeze), a turn that
    may need it is heard again first, in a worker thread, and `ahead` is told so (and "" when it is done); the
    call then takes that hearing when, and only if, it asks, so the events and the result are the same."""
    taken = judge(transcript)
    call.emit(SpeechRecognized(source=source, engine=engine, text=transcript.text, seconds=round(seconds, 2),
                               confidence=transcript.confidence, note=taken.note))
    heard, again = taken.heard, transcript.again
    if heard is not None and again is not None and ahead is not None and may_be_doubted(transcript):
        ahead("hearing that again without the agent's words, in case a value is in doubt")
        try:
            again = _made(await asyncio.to_thread(_outcome, again))
        finally:
            ahead("")
    if heard is not None and again is not None:
        def hear_again() -> HeardTurn | None:
            other = again()
            second = judge(other)
            note = "; ".join(filter(None, [SECOND_HEARING, second.note]))
            call.emit(SpeechRecognized(source=source, engine=engine, text=other.text, seconds=round(seconds, 2),
                                       confidence=other.confidence, note=note))
            return second.heard if second.text else None

        heard.again = hear_again
    await call.caller_says(taken.text, may_fire_actions=taken.fires, heard=heard)


def _outcome(hearing: Callable[[], Transcript]) -> Transcript | Exception:
    try:
        return hearing()
    except Exception as error:  # raised when the call asks for the hearing, as it was when heard then
        return error


def _made(outcome: Transcript | Exception) -> Callable[[], Transcript]:
    """A second hearing already made, handed over (or its error raised) when the call asks for it."""
    def hand_over() -> Transcript:
        if isinstance(outcome, Exception):
            raise outcome
        return outcome
    return hand_over


async def caller_audio(call: Any, audio: str, folder: Path | None = None,
                       ahead: Callable[[str], None] | None = None) -> None:
    """The caller says what `audio` holds: recognise it (prompted with where the call stands), then hear it.

    `folder` is where relative paths start; by default the scenario file's folder (from the trace header).
    `ahead`: see `hear`.
    """
    base = folder if folder is not None else Path(call.trace.header.get("file", "scenario.yaml")).parent

    async def recognise() -> None:
        try:
            pcm = await asyncio.to_thread(read_wav, referenced(base, audio))
            engine = speech_engine(call.project)
            transcript = await asyncio.to_thread(transcribe, engine, pcm, call_hints(call))
        except (AudioFileError, VoiceUnavailable, UnreadableFile) as problem:
            raise CallError(f"audio turn {audio}: {problem}") from None
        await hear(call, transcript, source=audio, engine=engine.name, seconds=len(pcm) / 2 / SAMPLE_RATE,
                   ahead=ahead)

    await call.guarded(recognise())
