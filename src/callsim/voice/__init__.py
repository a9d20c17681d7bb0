"""Voice in and out: speech-to-text engines, the microphone, text-to-speech and audio files as callers.

Every piece loads lazily and reports what is missing (no microphone, no audio device, no model)
as a `VoiceUnavailable` whose message says what to do, so the simulator keeps going without it.
"""

from callsim.voice.audio import AudioFileError, VoiceUnavailable

__all__ = ["AudioFileError", "VoiceUnavailable"]
