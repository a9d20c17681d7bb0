"""Voice in and out: speech-to-text engines, the microphone, text-to-speech and audio files as callers.

Every piece loads lazily and reports what is missing (no microphone, no audio device, no model)
as a `VoiceUnavailable` whose message says what to do, so the simulator keeps going without it.
"""

from __future__ import annotations

from typing import Any

__all__ = ["AudioFileError", "VoiceUnavailable"]


def __getattr__(name: str) -> Any:
    # loaded when asked for: a call that hears no audio imports only what it reads heard turns with (`heard`)
    if name in __all__:
        from callsim.voice import audio

        return getattr(audio, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
