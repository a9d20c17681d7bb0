"""The speech-to-text engines and the choice among them: Whisper (general English from installed model
packages; the default), vosk (any language, with a model you point to) and pocketsphinx (small and
fast, listening only for a grammar built from the agent)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from callsim.voice import stt_whisper
from callsim.voice.audio import VoiceUnavailable
from callsim.voice.stt import SpeechToText
from callsim.voice.stt_sphinx import SphinxEngine, agent_grammar
from callsim.voice.stt_vosk import VOSK_MODEL_ENV, VoskEngine, find_vosk_model
from callsim.voice.stt_whisper import WhisperEngine

ENGINES = ("auto", "whisper", "vosk", "pocketsphinx")
STT_ENV = "CALLSIM_STT"
"""Environment variable choosing the engine of audio turns and the microphone (one of ENGINES)."""


def choose_engine(project: Any, engine: str | None = None, vosk_model: str | None = None,
                  environ: Mapping[str, str] = os.environ) -> SpeechToText:
    """The speech-to-text engine to use (`engine`, else $CALLSIM_STT, else auto): `auto` is vosk when a
    model is given, else Whisper from its installed model packages, else pocketsphinx with the agent's
    grammar (which needs no model package)."""
    engine = engine or environ.get(STT_ENV) or "auto"
    if engine not in ENGINES:
        raise VoiceUnavailable(f"unknown speech-to-text engine {engine!r}; expected one of {', '.join(ENGINES)}")
    if engine == "vosk" or (engine == "auto" and (vosk_model or environ.get(VOSK_MODEL_ENV))):
        return VoskEngine(find_vosk_model(vosk_model, environ))
    if engine == "whisper" or (engine == "auto" and stt_whisper.whisper_installed()):
        return WhisperEngine()
    return SphinxEngine(agent_grammar(project))
