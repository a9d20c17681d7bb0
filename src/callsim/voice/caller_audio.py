"""Audio files as callers: a scenario's `audio: file.wav` turn goes through speech-to-text into the call."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from callsim.errors import CallError
from callsim.files import UnreadableFile, referenced
from callsim.trace.events import SpeechRecognized
from callsim.voice.audio import SAMPLE_RATE, AudioFileError, VoiceUnavailable, read_wav
from callsim.voice.stt import SpeechToText, choose_engine, transcribe


def speech_engine(project: Any) -> SpeechToText:
    """The engine that hears a project's audio turns, built once per loaded project (vosk when
    CALLSIM_VOSK_MODEL names a model, else pocketsphinx with the agent's grammar)."""
    engine = getattr(project, "_speech_engine", None)
    if engine is None:
        engine = choose_engine(project)
        project._speech_engine = engine
    return engine


async def caller_audio(call: Any, audio: str, folder: Path | None = None) -> None:
    """The caller says what `audio` holds: recognise it, record what was heard, then take it as a turn.

    `folder` is where relative paths start; by default the scenario file's folder (from the trace header).
    """
    base = folder if folder is not None else Path(call.trace.header.get("file", "scenario.yaml")).parent

    async def hear() -> None:
        try:
            pcm = await asyncio.to_thread(read_wav, referenced(base, audio))
            engine = speech_engine(call.project)
            text = await asyncio.to_thread(transcribe, engine, pcm)
        except (AudioFileError, VoiceUnavailable, UnreadableFile) as problem:
            raise CallError(f"audio turn {audio}: {problem}") from None
        call.emit(SpeechRecognized(source=audio, engine=engine.name, text=text,
                                   seconds=round(len(pcm) / 2 / SAMPLE_RATE, 2)))
        await call.caller_says(text)

    await call.guarded(hear())
