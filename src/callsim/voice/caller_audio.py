"""Heard turns: a scenario's `audio: file.wav` turn and the simulator's microphone go through
speech-to-text into the call, under one rule for how far a transcript is trusted.

The rule: a transcript the engine is unsure of (confidence below `MIN_CONFIDENCE`), or that repeats
itself over and over (a decoder caught in a loop), is taken as a turn the agent did not understand, so
it neither starts an action nor gives a value (the agent asks again rather than keep a wrong value);
a value (a name, a date, a number) that depends on a word the engine only guessed (probability under
`MIN_WORD_PROBABILITY`), or on a word its other likely wordings do not say (wordings holding under
`MIN_BEAM_SUPPORT` of its beam's probability say it), is not taken either, though the rest of the
turn is; a one-word transcript ("you", "open": what engines make of a cough or a cut-off word) may
answer the question the agent asked, but starts no action.
"""

from __future__ import annotations

import asyncio
import difflib
import re
import zlib
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
MAX_REPETITION = 2.4
"""A transcript that compresses more than this (Whisper's own test) is a decoder stuck in a loop ("6, 4, 5, 6,
6, 6, 6, ..."), not what the caller said."""
MIN_BEAM_SUPPORT = 0.7
"""A word said by wordings holding less of the engine's beam probability than this is one it was torn on
("64567" against "it's 4567"): no value is read from it."""


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
    if repetition(transcript.text) > MAX_REPETITION:
        return Taken("", False, "the words repeat themselves over and over (a recogniser caught in a loop): the "
                                "agent did not understand")
    guessed, torn = guessed_words(transcript), torn_words(transcript)
    unsure = tuple(dict.fromkeys([*guessed, *torn]))
    notes = [transcript.note] if transcript.note else []
    if guessed:
        notes.append(f"guessed {', '.join(map(repr, guessed))} (probability under {MIN_WORD_PROBABILITY}): no value "
                     "is taken from a guessed word")
    if torn:
        notes.append(f"torn on {', '.join(map(repr, torn))} (wordings holding under {MIN_BEAM_SUPPORT} of the beam "
                     "say it): no value is taken from it")
    if len(re.findall(r"[\w'@.-]+", transcript.text)) < MIN_WORDS_TO_ACT:
        notes.insert(0, "one word: it may answer the agent's question but starts no action")
        return Taken(transcript.text, False, "; ".join(notes), unsure)
    return Taken(transcript.text, True, "; ".join(notes) or None, unsure)


def repetition(text: str) -> float:
    """How many times over `text` repeats itself: its length against its zlib-compressed length."""
    data = text.encode()
    return len(data) / len(zlib.compress(data)) if data else 0.0


def guessed_words(transcript: Transcript) -> list[str]:
    """The words of `transcript.text` the engine gave a low probability."""
    return list(dict.fromkeys(word for word, probability in transcript.words if probability < MIN_WORD_PROBABILITY))


def torn_words(transcript: Transcript) -> list[str]:
    """The words of `transcript.text` the engine's other likely wordings mostly do not say."""
    said = transcript.text.split()
    return list(dict.fromkeys(word for word, share in zip(said, beam_support(transcript), strict=True)
                              if share < MIN_BEAM_SUPPORT))


def beam_support(transcript: Transcript) -> list[float]:
    """For each word of `transcript.text`, the share of the engine's likely wordings (`hypotheses`) that say
    it, compared word by word in order; case and punctuation aside, and a run of digits as one number ("45
    67" says "4567"; "64567" does not). 1 for every word when the engine gives no wordings."""
    said = transcript.text.split()
    if not transcript.hypotheses:
        return [1.0] * len(said)
    tokens, owners = _tokens(said)
    support = [0.0] * len(tokens)
    for text, share in transcript.hypotheses:
        other, _ = _tokens(text.split())
        matcher = difflib.SequenceMatcher(None, tokens, other, autojunk=False)
        for block in matcher.get_matching_blocks():
            for k in range(block.a, block.a + block.size):
                support[k] += share
    total = sum(share for _, share in transcript.hypotheses) or 1.0
    words = [1.0] * len(said)  # a word of punctuation alone says nothing
    for token, made_of in enumerate(owners):
        for k in made_of:
            words[k] = support[token] / total
    return words


_DIGITS = {word: str(digit) for digit, word in enumerate("zero one two three four five six seven eight nine".split())}


def _tokens(words: list[str]) -> tuple[list[str], list[list[int]]]:
    """`words` compared as lower-case letters and digits, a digit said as a word as its digit, and a run of
    digits joined into one number: the tokens, and for each the indexes of the words it is made of."""
    tokens: list[str] = []
    owners: list[list[int]] = []
    for k, word in enumerate(words):
        bare = re.sub(r"[\W_]+", "", word.lower())
        bare = _DIGITS.get(bare, bare)
        if not bare:
            continue
        if bare.isdigit() and tokens and tokens[-1].isdigit() and owners[-1][-1] == k - 1:
            tokens[-1] += bare
            owners[-1].append(k)
        else:
            tokens.append(bare)
            owners.append([k])
    return tokens, owners


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
