"""Speech-to-text behind one protocol (the engines are in `stt_*.py`, the choice in `engines.py`).

An engine makes a recognizer per utterance, so nothing one caller said can colour how
the next is heard; a recognizer takes 16 kHz mono 16-bit PCM in blocks, tells the partial transcript
so far when asked, and the final `Transcript`, with the engine's confidence, at the end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Transcript:
    """What an engine heard in one utterance."""

    text: str
    confidence: float | None = None
    """How sure the engine is, from 0 to 1; None when it cannot say (pocketsphinx's grammar search)."""
    note: str | None = None
    """Why the engine could not hear this kind of answer (e.g. a name asked of pocketsphinx)."""
    words: tuple[tuple[str, float], ...] = ()
    """Each word of `text` (as split by spaces) with the engine's probability for it, 0 to 1; empty when
    the engine gives none. A value read from an improbable word is a guess (see `caller_audio.judge`)."""
    hypotheses: tuple[tuple[str, float], ...] = ()
    """The wordings the engine weighed (its beam), each with its share of their probability, the chosen one
    first; empty when the engine gives none. A word the others do not say is one the engine was torn on."""
    again: Callable[[], Transcript] | None = field(default=None, compare=False, repr=False)
    """Hears the same audio once more, another way (Whisper: without the prompt), when asked: a second opinion
    on a value the transcript leaves in doubt; None when the engine has no other way."""


@dataclass(frozen=True)
class Hints:
    """What the caller is likely to say: the agent's question being answered and the agent's words.

    Engines that can be prompted (Whisper) or constrained (pocketsphinx) use them; a recognizer never
    carries anything from one utterance to the next except these.
    """

    question: str = ""
    """The agent's last line before the caller spoke (an `ask:` line, the greeting)."""
    expecting: str | None = None
    """The type of the variable the agent asked for (`date`, `yes_no`, `name`, ...), if it asked for one."""
    vocabulary: tuple[str, ...] = ()
    """Trigger phrases and keywords, enum values and variable names, spelled as the agent spells them."""


class Recognizer(Protocol):
    """One utterance being recognised."""

    def accept(self, pcm: bytes) -> None:
        """Take a block of audio."""

    def partial(self) -> str:
        """The transcript so far (it may still change)."""

    def finish(self) -> Transcript:
        """The final transcript of everything accepted."""


class SpeechToText(Protocol):
    """A speech-to-text engine: what it is (for the status bar) and a factory of recognizers."""

    name: str
    description: str
    partial_every: float
    """Seconds of audio between two partial transcripts (a partial costs a decode)."""

    def recognizer(self, hints: Hints | None = None) -> Recognizer: ...


def transcribe(engine: SpeechToText, pcm: bytes, hints: Hints | None = None, block: int = 8000) -> Transcript:
    """The transcript of a whole recording (blocks of a quarter second, as a microphone would send)."""
    recognizer = engine.recognizer(hints)
    for start in range(0, len(pcm), block):
        recognizer.accept(pcm[start:start + block])
    return recognizer.finish()
