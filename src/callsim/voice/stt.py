"""Speech-to-text behind one protocol: vosk (any language, with a model you point to) and
pocketsphinx (offline English, its bundled model, constrained by a grammar built from the agent).

An engine makes recognizers; a recognizer takes 16 kHz mono 16-bit PCM in blocks, tells the
partial transcript so far when asked (partials cost a search, so callers ask a few times a second),
and the final transcript at the end.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from callsim.voice.audio import SAMPLE_RATE, VoiceUnavailable

VOSK_MODEL_ENV = "CALLSIM_VOSK_MODEL"
"""Environment variable naming a vosk model: a folder, or a language code such as `en-us`."""
ENGINES = ("auto", "vosk", "pocketsphinx")


class Recognizer(Protocol):
    """One utterance being recognised."""

    def accept(self, pcm: bytes) -> None:
        """Take a block of audio."""

    def partial(self) -> str:
        """The transcript so far (it may still change)."""

    def finish(self) -> str:
        """The final transcript of everything accepted."""


class SpeechToText(Protocol):
    """A speech-to-text engine: what it is (for the status bar) and a factory of recognizers."""

    name: str
    description: str

    def recognizer(self) -> Recognizer: ...


def transcribe(engine: SpeechToText, pcm: bytes, block: int = 8000) -> str:
    """The transcript of a whole recording (blocks of a quarter second, as a microphone would send)."""
    recognizer = engine.recognizer()
    for start in range(0, len(pcm), block):
        recognizer.accept(pcm[start:start + block])
    return recognizer.finish()


# -- vosk ------------------------------------------------------------------------------------------

class VoskEngine:
    """vosk (Kaldi): a model folder, optionally a phrase list that constrains what it can hear."""

    name = "vosk"

    def __init__(self, model: Path, phrases: Sequence[str] | None = None) -> None:
        self.model_path = model
        self.phrases = list(phrases) if phrases else None
        self._model = _vosk_model(str(model))
        name = model.parent.name if model.name == "model" else model.name  # a packaged model's folder is model/
        self.description = f"vosk, model {name}" + (f", {len(self.phrases)} phrases" if self.phrases else "")

    def recognizer(self) -> VoskRecognizer:
        return VoskRecognizer(self._model, self.phrases)


class VoskRecognizer:
    def __init__(self, model: Any, phrases: list[str] | None) -> None:
        import vosk

        if phrases:
            self._rec = vosk.KaldiRecognizer(model, SAMPLE_RATE, json.dumps(phrases, ensure_ascii=False))
        else:
            self._rec = vosk.KaldiRecognizer(model, SAMPLE_RATE)
        self._done: list[str] = []

    def accept(self, pcm: bytes) -> None:
        if self._rec.AcceptWaveform(pcm):  # vosk found the end of an utterance inside the recording
            self._keep(json.loads(self._rec.Result()).get("text", ""))

    def partial(self) -> str:
        partial = json.loads(self._rec.PartialResult()).get("partial", "")
        return " ".join([*self._done, partial]).strip()

    def finish(self) -> str:
        self._keep(json.loads(self._rec.FinalResult()).get("text", ""))
        return " ".join(self._done)

    def _keep(self, text: str) -> None:
        if text.strip():
            self._done.append(text.strip())


@functools.lru_cache(maxsize=4)
def _vosk_model(path: str) -> Any:
    try:
        import vosk
    except ImportError:
        raise VoiceUnavailable("vosk is not installed (pip install vosk)") from None
    vosk.SetLogLevel(-1)  # Kaldi logs to stderr, which is the TUI's screen
    try:
        return vosk.Model(path)
    except Exception as error:  # vosk raises a bare Exception for an unusable folder
        raise VoiceUnavailable(f"vosk could not load the model in {path} ({error}); "
                               "point --vosk-model at an unpacked vosk model folder") from None


def vosk_model_folders(environ: Mapping[str, str] = os.environ) -> list[Path]:
    """Where vosk's own by-language lookup keeps models (never downloaded here: no network at run time)."""
    folders = [Path(environ["VOSK_MODEL_PATH"])] if environ.get("VOSK_MODEL_PATH") else []
    return folders + [Path("/usr/share/vosk"), Path.home() / "AppData/Local/vosk", Path.home() / ".cache/vosk"]


def find_vosk_model(spec: str | None, environ: Mapping[str, str] = os.environ) -> Path:
    """The model folder for `--vosk-model` (or `CALLSIM_VOSK_MODEL`): a folder, or a language code
    found among vosk's model folders or an installed `vosk-model-<lang>` package."""
    spec = spec or environ.get(VOSK_MODEL_ENV)
    if not spec:
        raise VoiceUnavailable(f"no vosk model: pass --vosk-model FOLDER (or a language such as en-us), "
                               f"or set {VOSK_MODEL_ENV}")
    path = Path(spec).expanduser()
    if path.is_dir():
        if not (path / "am").is_dir() and not (path / "final.mdl").exists():
            raise VoiceUnavailable(f"{path} does not look like a vosk model (no am/ folder inside)")
        return path
    if "/" in spec or spec.startswith("."):
        raise VoiceUnavailable(f"vosk model folder {spec} not found")
    for folder in vosk_model_folders(environ):
        if folder.is_dir():
            for candidate in sorted(folder.glob(f"vosk-model*-{spec}*")):
                if candidate.is_dir():
                    return candidate
    package = _packaged_model(spec)
    if package is not None:
        return package
    searched = ", ".join(str(f) for f in vosk_model_folders(environ))
    raise VoiceUnavailable(f"no vosk model for language {spec!r} in {searched} or an installed "
                           f"vosk-model-{spec} package; unpack one there or pass --vosk-model FOLDER")


def _packaged_model(lang: str) -> Path | None:
    import importlib.util

    spec = importlib.util.find_spec(f"vosk_model_{lang.replace('-', '_')}")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "model"
    return folder if folder.is_dir() else None


# -- pocketsphinx ----------------------------------------------------------------------------------

@dataclass
class Grammar:
    """What the offline English engine can hear: whole phrases, and words in any order."""

    phrases: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)

    def tokens(self) -> set[str]:
        return {w for p in self.phrases for w in p.split()} | set(self.words)


class SphinxEngine:
    """pocketsphinx with its bundled US English model, listening only for the grammar's phrases and
    words (a small vocabulary is what makes an offline engine this small usable)."""

    name = "pocketsphinx"

    def __init__(self, grammar: Grammar) -> None:
        try:
            from pocketsphinx import Decoder
        except ImportError:
            raise VoiceUnavailable("pocketsphinx is not installed (pip install pocketsphinx)") from None
        # no n-gram model (the grammar is the search); no lattice best-path pass, which over a word
        # loop costs seconds per utterance for no gain in accuracy
        self._decoder = Decoder(loglevel="FATAL", lm=None, bestpath=False)
        known = {w for w in grammar.tokens() if self._decoder.lookup_word(w) is not None}
        self.unknown = sorted(grammar.tokens() - known)
        phrases = [p for p in grammar.phrases if all(w in known for w in p.split())]
        words = sorted(w for w in set(grammar.words) if w in known)
        if not phrases and not words:
            raise VoiceUnavailable("the agent gives pocketsphinx no words to listen for")
        self._decoder.add_jsgf_string("callsim", jsgf(phrases, words))
        self._decoder.activate_search("callsim")
        self.vocabulary = len(known)
        self.description = f"pocketsphinx en-us, grammar of {len(phrases)} phrases and {len(known)} words"

    def recognizer(self) -> SphinxRecognizer:
        return SphinxRecognizer(self._decoder)


class SphinxRecognizer:
    def __init__(self, decoder: Any) -> None:
        self._decoder = decoder
        decoder.start_utt()

    def accept(self, pcm: bytes) -> None:
        self._decoder.process_raw(pcm, False, False)

    def partial(self) -> str:
        hyp = self._decoder.hyp()
        return hyp.hypstr if hyp is not None else ""

    def finish(self) -> str:
        self._decoder.end_utt()
        hyp = self._decoder.hyp()
        return hyp.hypstr if hyp is not None else ""


def jsgf(phrases: Iterable[str], words: Iterable[str]) -> str:
    """A JSGF grammar: an utterance is one or more of the phrases or words."""
    items = sorted(set(phrases)) + sorted(set(words))
    return ("#JSGF V1.0;\ngrammar callsim;\npublic <utterance> = <item>+;\n"
            f"<item> = {' | '.join(items)};\n")


# -- the grammar an agent implies ------------------------------------------------------------------

NUMBER_WORDS = ("zero oh one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
                "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty "
                "ninety hundred thousand double triple").split()
TYPE_WORDS: dict[str, list[str]] = {
    "digits": NUMBER_WORDS,
    "number": NUMBER_WORDS + ["point", "million"],
    "phone": NUMBER_WORDS + ["plus"],
    "email": NUMBER_WORDS + "at dot com net org gmail yahoo outlook underscore dash hyphen".split(),
    "yes_no": "yes no yeah yep nope correct right sure okay please".split(),
    "date": ("january february march april may june july august september october november december "
             "monday tuesday wednesday thursday friday saturday sunday today tomorrow yesterday next this "
             "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
             "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth thirtieth "
             "week the of on").split() + NUMBER_WORDS,
    "time": "morning afternoon evening noon midnight o'clock a m p m half past quarter to at".split() + NUMBER_WORDS,
}
TYPE_WORDS["datetime"] = TYPE_WORDS["date"] + TYPE_WORDS["time"]
CALLER_WORDS = ("hi hello hey yes no thanks thank you please um uh i i'm it's it is my me the a an to "
                "can could you what where when how about and for that this want need like would").split()


def agent_grammar(project: Any) -> Grammar:
    """The phrases and words a caller of this agent is expected to use: its triggers' phrases and
    keywords, the words its variables' types are read from (numbers, months, yes/no, enum values)
    and everyday caller words."""
    phrases: list[str] = []
    words: list[str] = list(CALLER_WORDS)
    for name in project.agent.actions:
        trigger = project.actions[name].trigger
        if trigger is None:
            continue
        phrases += [normal for p in trigger.phrases if (normal := _normalise(p))]
        words += [w for k in trigger.keywords for w in _normalise(k).split()]
    for spec in project.agent.variables.values():
        if spec.from_ != "caller":
            continue
        words += TYPE_WORDS.get(spec.type, [])
        words += [w for v in spec.values for w in _normalise(v).split()]
    words += [w for p in phrases for w in p.split()]
    return Grammar(phrases=sorted(set(phrases)), words=sorted(set(words)))


def _normalise(text: str) -> str:
    """Lower-case words without punctuation or digits (a grammar holds spoken words only)."""
    kept = [w.strip("'") for w in re.sub(r"[^a-z' ]+", " ", text.lower()).split()]
    return " ".join(w for w in kept if w)


def choose_engine(project: Any, engine: str = "auto", vosk_model: str | None = None,
                  environ: Mapping[str, str] = os.environ) -> SpeechToText:
    """The speech-to-text engine to use: vosk when a model is given (or `engine` says so), else the
    offline English pocketsphinx engine with the agent's grammar."""
    if engine not in ENGINES:
        raise VoiceUnavailable(f"unknown speech-to-text engine {engine!r}; expected one of {', '.join(ENGINES)}")
    wants_vosk = engine == "vosk" or (engine == "auto" and (vosk_model or environ.get(VOSK_MODEL_ENV)))
    if wants_vosk:
        return VoskEngine(find_vosk_model(vosk_model, environ))
    return SphinxEngine(agent_grammar(project))
