"""The microphone: push-to-talk capture through sounddevice, end-of-speech detection, and `listen`,
which turns what the caller says into partial transcripts and one final transcript.

Terminals do not report key releases, so push-to-talk is a toggle: a key starts listening, and the
same key, or the end of speech (a pause after the caller spoke), stops it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

from callsim.voice.audio import SAMPLE_RATE, VoiceUnavailable, device_problem, load_sounddevice, rms
from callsim.voice.stt import Hints, SpeechToText, Transcript

BLOCK_SECONDS = 0.1


class Microphone:
    """The default input device as an async stream of 100 ms blocks of 16 kHz mono 16-bit PCM."""

    def __init__(self, device: int | str | None = None) -> None:
        self.device = device
        self._stream: Any = None
        self._queue: asyncio.Queue[bytes | None] | None = None

    def open(self) -> None:
        """Start recording; raises VoiceUnavailable when there is no microphone."""
        sd = load_sounddevice()
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[bytes | None] = asyncio.Queue()

        def captured(data: Any, frames: int, at: Any, status: Any) -> None:
            loop.call_soon_threadsafe(queue.put_nowait, bytes(data))

        try:
            sd.check_input_settings(device=self.device, channels=1, samplerate=SAMPLE_RATE, dtype="int16")
            stream = sd.RawInputStream(samplerate=SAMPLE_RATE, channels=1, dtype="int16", device=self.device,
                                       blocksize=int(SAMPLE_RATE * BLOCK_SECONDS), callback=captured)
            stream.start()
        except (sd.PortAudioError, ValueError) as error:
            raise device_problem(error, "microphone") from None
        self._stream, self._queue = stream, queue

    def close(self) -> None:
        """Stop recording; `blocks()` ends after the blocks already captured."""
        if self._stream is not None:
            self._stream.stop()
            self._stream.close()
            self._stream = None
        if self._queue is not None:
            self._queue.put_nowait(None)

    async def blocks(self) -> AsyncIterator[bytes]:
        if self._queue is None:
            raise VoiceUnavailable("the microphone is not open")
        while (block := await self._queue.get()) is not None:
            yield block
        self._queue = None


@dataclass
class EndOfSpeech:
    """Tells when the caller stopped talking: some loud audio, then `silence` seconds of quiet."""

    threshold: float = 300.0
    """RMS level above which a block counts as speech (16-bit scale)."""
    silence: float = 0.7
    heard_speech: bool = False
    quiet_for: float = 0.0

    def feed(self, pcm: bytes) -> bool:
        """Take one block; True once speech has been followed by enough silence."""
        seconds = len(pcm) / 2 / SAMPLE_RATE
        if rms(pcm) >= self.threshold:
            self.heard_speech, self.quiet_for = True, 0.0
        elif self.heard_speech:
            self.quiet_for += seconds
        return self.heard_speech and self.quiet_for >= self.silence


@dataclass
class Heard:
    """One utterance: the final transcript and the timings the simulator reports."""

    transcript: Transcript
    audio_seconds: float
    recognise_seconds: float
    """Time spent inside the speech-to-text engine (real-time factor = this / audio_seconds)."""
    speech_ended_at: float | None
    """`time.perf_counter()` when the last loud block arrived (for end-of-speech to reply latency)."""

    @property
    def text(self) -> str:
        return self.transcript.text

    @property
    def real_time_factor(self) -> float:
        return self.recognise_seconds / self.audio_seconds if self.audio_seconds else 0.0


async def listen(engine: SpeechToText, blocks: AsyncIterator[bytes], on_partial: Callable[[str], None] | None = None,
                 end: EndOfSpeech | None = None, partial_every: float | None = None,
                 hints: Hints | None = None) -> Heard:
    """Recognise one utterance from `blocks` until they stop or `end` detects the end of speech.

    Partial transcripts come every `partial_every` seconds of audio (by default the engine's pace: a
    Whisper partial is a decode). The engine runs in a worker thread so the UI stays responsive.
    """
    recognizer = engine.recognizer(hints)
    partial_every = engine.partial_every if partial_every is None else partial_every
    audio = busy = 0.0
    since_partial = 0.0
    last_loud: float | None = None
    async for block in blocks:
        started = time.perf_counter()
        await asyncio.to_thread(recognizer.accept, block)
        busy += time.perf_counter() - started
        seconds = len(block) / 2 / SAMPLE_RATE
        audio += seconds
        since_partial += seconds
        if end is not None:
            done = end.feed(block)
            if end.quiet_for == 0.0 and end.heard_speech:
                last_loud = time.perf_counter()
            if done:
                break
        if on_partial is not None and since_partial >= partial_every:
            since_partial = 0.0
            on_partial(await asyncio.to_thread(recognizer.partial))
    started = time.perf_counter()
    transcript = await asyncio.to_thread(recognizer.finish)
    busy += time.perf_counter() - started
    return Heard(transcript, audio, busy, last_loud)
