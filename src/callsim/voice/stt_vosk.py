"""vosk (Kaldi): any language, with a model folder you point to or a `vosk-model-<lang>` package.

No English vosk model ships as a package, so vosk is used only when a model is given (never
downloaded here: no network at run time).
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from callsim.voice.audio import SAMPLE_RATE, VoiceUnavailable
from callsim.voice.stt import Hints, Transcript

VOSK_MODEL_ENV = "CALLSIM_VOSK_MODEL"
"""Environment variable naming a vosk model: a folder, or a language code such as `en-us`."""


class VoskEngine:
    """vosk: a model folder, optionally a phrase list that constrains what it can hear."""

    name = "vosk"
    partial_every = 0.25

    def __init__(self, model: Path, phrases: Sequence[str] | None = None) -> None:
        self.model_path = model
        self.phrases = list(phrases) if phrases else None
        self._model = _vosk_model(str(model))
        name = model.parent.name if model.name == "model" else model.name  # a packaged model's folder is model/
        self.description = f"vosk, model {name}" + (f", {len(self.phrases)} phrases" if self.phrases else "")

    def recognizer(self, hints: Hints | None = None) -> VoskRecognizer:
        return VoskRecognizer(self._model, self.phrases)


class VoskRecognizer:
    """A fresh Kaldi recognizer per utterance; the confidence is the mean of its words' confidences."""

    def __init__(self, model: Any, phrases: list[str] | None) -> None:
        import vosk

        if phrases:
            self._rec = vosk.KaldiRecognizer(model, SAMPLE_RATE, json.dumps(phrases, ensure_ascii=False))
        else:
            self._rec = vosk.KaldiRecognizer(model, SAMPLE_RATE)
        self._rec.SetWords(True)
        self._done: list[str] = []
        self._confidences: list[float] = []

    def accept(self, pcm: bytes) -> None:
        if self._rec.AcceptWaveform(pcm):  # vosk found the end of an utterance inside the recording
            self._keep(json.loads(self._rec.Result()))

    def partial(self) -> str:
        partial = json.loads(self._rec.PartialResult()).get("partial", "")
        return " ".join([*self._done, partial]).strip()

    def finish(self) -> Transcript:
        self._keep(json.loads(self._rec.FinalResult()))
        confidence = sum(self._confidences) / len(self._confidences) if self._confidences else None
        return Transcript(" ".join(self._done), None if confidence is None else round(confidence, 2))

    def _keep(self, result: dict[str, Any]) -> None:
        text = result.get("text", "").strip()
        if text:
            self._done.append(text)
            self._confidences += [float(word.get("conf", 1.0)) for word in result.get("result", [])]


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
