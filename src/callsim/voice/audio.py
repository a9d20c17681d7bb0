"""Audio plumbing shared by the voice features: WAV files, PCM, and a quiet way to load sounddevice.

Speech-to-text engines take 16 kHz mono 16-bit PCM; `read_wav` turns any PCM WAV into that.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import wave
from pathlib import Path
from types import ModuleType
from typing import Any

from callsim.errors import CallsimError
from callsim.files import MAX_AUDIO_BYTES, UnreadableFile, open_regular

SAMPLE_RATE = 16000
"""What the microphone records and the speech-to-text engines read: 16 kHz, mono, 16-bit."""
CONVERT_HINT = "convert it with: sox IN.wav -r 16000 -c 1 -b 16 OUT.wav"


class VoiceUnavailable(CallsimError):
    """Raised when a voice feature cannot work on this machine (no microphone, no audio device, no
    model, a missing library); the message says what is missing and how to get it."""


class AudioFileError(CallsimError):
    """Raised when an audio file cannot be read as a PCM WAV."""


def check_wav(path: Path) -> str | None:
    """Why `path` cannot be used as a caller's audio, or None when it is a readable PCM WAV (a regular
    file of at most MAX_AUDIO_BYTES)."""
    try:
        with open_regular(path, MAX_AUDIO_BYTES) as file, wave.open(file, "rb") as wav:
            if wav.getnframes() == 0:
                return "the WAV file holds no audio"
            if wav.getsampwidth() not in (1, 2, 3, 4):
                return f"unsupported sample width {wav.getsampwidth()} bytes"
    except UnreadableFile as problem:
        return problem.reason
    except (wave.Error, EOFError) as error:
        return f"not a PCM WAV file ({error}); {CONVERT_HINT}"
    except OSError as error:
        return f"cannot read it ({error.strerror or error})"
    return None


def read_wav(path: Path) -> bytes:
    """A WAV file as 16 kHz mono 16-bit PCM (mixed down and resampled when it is not)."""
    import numpy as np

    problem = check_wav(path)
    if problem is not None:
        raise AudioFileError(f"{path}: {problem}")
    with open_regular(path, MAX_AUDIO_BYTES) as file, wave.open(file, "rb") as wav:
        width, channels, rate = wav.getsampwidth(), wav.getnchannels(), wav.getframerate()
        frames = wav.readframes(wav.getnframes())
    samples = _to_float(np.frombuffer(frames, dtype=np.uint8), width)
    samples = samples.reshape(-1, channels).mean(axis=1)
    if rate != SAMPLE_RATE:
        samples = resample(samples, rate, SAMPLE_RATE)
    return to_pcm16(samples)


def _to_float(raw: Any, width: int) -> Any:
    import numpy as np

    if width == 1:  # 8-bit WAV is unsigned
        return (raw.astype(np.float32) - 128) / 128
    if width == 3:
        padded = np.zeros((len(raw) // 3, 4), dtype=np.uint8)
        padded[:, 1:] = raw[: len(raw) // 3 * 3].reshape(-1, 3)
        return padded.view("<i4").ravel().astype(np.float32) / 2**31
    kind = {2: "<i2", 4: "<i4"}[width]
    return raw.view(kind).astype(np.float32) / 2 ** (8 * width - 1)


def resample(samples: Any, rate: int, target: int) -> Any:
    """`samples` at `rate` as the same sound at `target`, through FFmpeg's polyphase resampler (PyAV, installed
    with faster-whisper). Interpolating linearly instead mirrors a telephone band's 300-3400 Hz into
    4.6-7.7 kHz at 16 kHz, at almost half its level: noise the recogniser hears as speech sounds; the
    filter keeps that mirror 90 dB down."""
    import av
    import numpy as np

    frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(samples, dtype=np.float32).reshape(1, -1),
                                       format="flt", layout="mono")
    frame.sample_rate = rate
    resampler = av.AudioResampler(format="flt", layout="mono", rate=target)
    out = [*resampler.resample(frame), *resampler.resample(None)]  # None: the filter's tail
    return np.concatenate([f.to_ndarray().ravel() for f in out]) if out else np.zeros(0, dtype=np.float32)


def to_pcm16(samples: Any) -> bytes:
    import numpy as np

    return (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2").tobytes()


def rms(pcm: bytes) -> float:
    """Loudness of a block of 16-bit PCM (0 to 32768), to tell speech from silence."""
    import numpy as np

    if len(pcm) < 2:
        return 0.0
    samples = np.frombuffer(pcm[: len(pcm) // 2 * 2], dtype="<i2").astype(np.float32)
    return float(np.sqrt(np.mean(samples * samples)))


_sounddevice: ModuleType | None = None
_ALSA_HANDLER: Any = None


def load_sounddevice() -> ModuleType:
    """Import sounddevice with ALSA's error printing silenced (under the TUI it would scribble on the
    screen); a missing PortAudio library becomes a VoiceUnavailable that says what to install."""
    global _sounddevice
    if _sounddevice is None:
        _silence_alsa()
        try:
            import sounddevice
        except OSError as error:
            raise VoiceUnavailable(f"no audio support: the PortAudio library is missing ({error}); "
                                   "install it with: apt-get install libportaudio2") from None
        _sounddevice = sounddevice
    return _sounddevice


def _silence_alsa() -> None:
    """Route libasound's messages ("cannot find card 0", ...) to nowhere instead of the terminal."""
    global _ALSA_HANDLER
    name = ctypes.util.find_library("asound")
    if name is None or _ALSA_HANDLER is not None:
        return
    try:
        asound = ctypes.CDLL(name)
    except OSError:
        return
    handler_type = ctypes.CFUNCTYPE(None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int,
                                    ctypes.c_char_p)
    _ALSA_HANDLER = handler_type(lambda *args: None)  # kept alive: ALSA holds the pointer
    asound.snd_lib_error_set_handler(_ALSA_HANDLER)


def device_problem(error: Exception, what: str) -> VoiceUnavailable:
    """A PortAudio error opening a stream, as a message a person can act on."""
    text = str(error)
    if "-1" in text or "Invalid device" in text or "No Default" in text or "querying device" in text:
        return VoiceUnavailable(f"no {what} found (PortAudio: {text}); plug one in, or check "
                                "`python -m sounddevice` lists it")
    return VoiceUnavailable(f"the {what} could not be opened (PortAudio: {text})")
