"""End-of-speech detection, `listen` over a stream of blocks, and text-to-speech that stays off the terminal."""

from __future__ import annotations

import asyncio
import shutil

import pytest

from callsim.voice.audio import SAMPLE_RATE, VoiceUnavailable
from callsim.voice.mic import EndOfSpeech, listen
from callsim.voice.stt import Transcript
from callsim.voice.tts import Speaker, Speech, Synthesiser, check_output

LOUD = (b"\x00\x40" * 1600)  # 0.1 s at a level of 16384
QUIET = b"\x00\x00" * 1600


def test_end_of_speech_needs_speech_then_a_pause() -> None:
    end = EndOfSpeech(silence=0.3)
    assert not any(end.feed(QUIET) for _ in range(10))  # silence alone is not the end of anything
    assert not end.feed(LOUD)
    assert [end.feed(QUIET) for _ in range(3)] == [False, False, True]
    assert not EndOfSpeech(silence=0.3).feed(LOUD)


class CountingEngine:
    """A stand-in recogniser: 'hears' one word per loud block."""

    name, description, partial_every = "counting", "counting test engine", 0.2

    def recognizer(self, hints=None):
        engine = self

        class Recognizer:
            def __init__(self) -> None:
                self.words: list[str] = []

            def accept(self, pcm: bytes) -> None:
                if pcm == LOUD:
                    self.words.append("word")

            def partial(self) -> str:
                return " ".join(self.words)

            def finish(self) -> Transcript:
                engine.finished = True
                return Transcript(" ".join(self.words))

        return Recognizer()


async def blocks(*chunks: bytes):
    for chunk in chunks:
        yield chunk


def test_listen_stops_at_the_end_of_speech_with_partials_on_the_way() -> None:
    partials: list[str] = []
    stream = blocks(QUIET, LOUD, LOUD, LOUD, QUIET, QUIET, QUIET, LOUD, LOUD)
    heard = asyncio.run(listen(CountingEngine(), stream, partials.append, EndOfSpeech(silence=0.3)))
    assert heard.text == "word word word"  # the last two loud blocks came after the end of speech
    assert partials == ["word", "word word word", "word word word"]  # every 0.2 s of audio
    assert heard.audio_seconds == pytest.approx(0.7)
    assert heard.speech_ended_at is not None and heard.real_time_factor >= 0


def test_listen_until_the_stream_ends() -> None:
    heard = asyncio.run(listen(CountingEngine(), blocks(LOUD, LOUD)))
    assert heard.text == "word word" and heard.speech_ended_at is None


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed (apt-get install espeak-ng)")
def test_speech_is_synthesised_into_a_buffer_without_a_word_on_the_terminal(capfd) -> None:
    speech = Synthesiser().synthesise_now("Order 4567 is shipped.")
    assert speech.rate == 22050 and 1.0 < speech.seconds < 5.0
    assert abs(speech.samples).max() > 1000
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")


def test_speaker_reports_a_missing_device_once_and_goes_quiet(monkeypatch) -> None:
    class Silent(Synthesiser):
        async def synthesise(self, text: str) -> Speech:
            return Speech([0] * SAMPLE_RATE, SAMPLE_RATE)

    def no_device(speech: Speech) -> None:
        raise VoiceUnavailable("no audio output device found")

    monkeypatch.setattr("callsim.voice.tts.play", no_device)
    problems: list[str] = []

    async def run() -> None:
        speaker = Speaker(Silent(), on_problem=problems.append)
        speaker.say("Hello")
        speaker.say("Are you there?")
        await asyncio.sleep(0.05)
        speaker.say("Still there?")
        await speaker.aclose()

    asyncio.run(run())
    assert problems == ["no audio output device found"]


def test_a_missing_output_device_is_known_before_the_agent_speaks(monkeypatch) -> None:
    class NoDevices:
        class PortAudioError(Exception):
            pass

        @staticmethod
        def query_devices(kind: str) -> dict:
            raise NoDevices.PortAudioError("Error querying device -1")

    monkeypatch.setattr("callsim.voice.tts.load_sounddevice", lambda: NoDevices)
    with pytest.raises(VoiceUnavailable, match=r"^no audio output device found \(PortAudio: Error querying device -1\); "
                                               "plug one in"):
        check_output()


def test_muted_speaker_says_nothing() -> None:
    async def run() -> Speaker:
        speaker = Speaker(muted=True)
        speaker.say("Hello")
        return speaker

    assert asyncio.run(run())._task is None
