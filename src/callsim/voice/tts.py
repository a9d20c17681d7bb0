"""Text-to-speech for the agent's lines: pyttsx3 (espeak-ng) synthesises into a buffer, sounddevice
plays it. Nothing is ever written to the terminal, which the TUI owns.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import tempfile
import threading
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from callsim.voice.audio import VoiceUnavailable, device_problem, load_sounddevice

SYNTHESIS_LIMIT = 60.0
"""The longest espeak-ng may take to synthesise a line before speech counts as unavailable (a hang, not a pace)."""


@dataclass
class Speech:
    """Synthesised audio: 16-bit mono samples (a numpy array) at `rate` Hz."""

    samples: Any
    rate: int

    @property
    def seconds(self) -> float:
        return len(self.samples) / self.rate


class Synthesiser:
    """pyttsx3 with the espeak-ng driver, kept on one worker thread (espeak is not thread-safe)."""

    def __init__(self, rate: int = 175) -> None:
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="callsim-tts")
        self._engine: Any = None
        self._rate = rate
        self._written = threading.Event()
        """Set by espeak's own thread once it has written the line's WAV file."""

    def _load(self) -> Any:
        if self._engine is None:
            try:
                import pyttsx3
                import pyttsx3.drivers.espeak as espeak_driver
            except (ImportError, OSError, RuntimeError) as error:
                raise VoiceUnavailable(f"text-to-speech unavailable ({error}); install espeak-ng "
                                       "(apt-get install espeak-ng) and pyttsx3") from None
            # the driver announces every saved file with print(), which would land on the TUI's screen
            espeak_driver.print = lambda *args, **kwargs: None  # type: ignore[attr-defined]
            try:
                engine = pyttsx3.init("espeak")
            except (RuntimeError, OSError) as error:
                raise VoiceUnavailable(f"text-to-speech unavailable: espeak-ng could not start ({error})") from None
            engine.setProperty("rate", self._rate)
            engine.connect("finished-utterance", lambda **_: self._written.set())
            self._engine = engine
        return self._engine

    def synthesise_now(self, text: str) -> Speech:
        """Synthesise on the calling thread (use `synthesise` from async code)."""
        import numpy as np

        engine = self._load()
        with tempfile.TemporaryDirectory(prefix="callsim-tts-") as folder:
            path = Path(folder) / "line.wav"
            self._written.clear()
            engine.save_to_file(text, str(path))
            # pyttsx3's espeak driver ends runAndWait's loop as soon as synthesis starts; espeak synthesises
            # and writes the file on its own thread, and says when it is done (on a busy machine, well after)
            engine.runAndWait()
            if not self._written.wait(SYNTHESIS_LIMIT):
                raise VoiceUnavailable(f"text-to-speech unavailable: espeak-ng wrote nothing in {SYNTHESIS_LIMIT:g} s")
            with wave.open(str(path), "rb") as wav:
                rate = wav.getframerate()
                samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2").copy()
        return Speech(samples, rate)

    async def synthesise(self, text: str) -> Speech:
        return await asyncio.get_running_loop().run_in_executor(self._pool, self.synthesise_now, text)


class Speaker:
    """Speaks the agent's lines one after another; muting stops the current line and drops the rest."""

    def __init__(self, synthesiser: Synthesiser | None = None, muted: bool = False,
                 on_problem: Callable[[str], None] | None = None) -> None:
        self.synthesiser = synthesiser or Synthesiser()
        self.muted = muted
        self.on_problem = on_problem
        self._lines: asyncio.Queue[str] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self.problem: str | None = None
        """Why speech is off (no audio device, espeak missing), once known."""

    def say(self, text: str) -> None:
        if self.muted or self.problem:
            return
        self._lines.put_nowait(text)
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._speak_all())

    def set_muted(self, muted: bool) -> None:
        self.muted = muted
        if muted:
            self.stop()

    def stop(self) -> None:
        """Stop the line being spoken (the caller started talking, or mute) and drop the queue."""
        while not self._lines.empty():
            self._lines.get_nowait()
        if self._task is not None and not self._task.done():
            try:
                load_sounddevice().stop()
            except VoiceUnavailable:
                pass

    async def _speak_all(self) -> None:
        while not self._lines.empty() and not self.muted:
            text = self._lines.get_nowait()
            try:
                speech = await self.synthesiser.synthesise(text)
                await asyncio.to_thread(play, speech)
            except VoiceUnavailable as problem:
                self.problem = str(problem)
                if self.on_problem is not None:
                    self.on_problem(self.problem)
                return

    async def aclose(self) -> None:
        self.stop()
        if self._task is not None:
            self._task.cancel()


def check_output() -> None:
    """Raise VoiceUnavailable, saying why, when there is no audio output device to speak through."""
    sd = load_sounddevice()
    try:
        sd.query_devices(kind="output")
    except (sd.PortAudioError, ValueError) as error:
        raise device_problem(error, "audio output device") from None


def play(speech: Speech) -> None:
    """Play synthesised speech on the default output device and wait until it is done."""
    sd = load_sounddevice()
    try:
        sd.play(speech.samples, speech.rate, blocking=True)
    except (sd.PortAudioError, ValueError) as error:
        raise device_problem(error, "audio output device") from None
