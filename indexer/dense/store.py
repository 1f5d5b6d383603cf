"""Vectors beside the whoosh index, in `<index>/vectors/`: two files, each replaced atomically.

- `cache.npz`: every vector embedded, keyed by a hash of the text embedded (and the model), so
  an unchanged article is never embedded twice, whatever happens to the index around it;
- `units.npz`: the vectors of one index generation in the order of its passages' numbers
  (docnums), with how many of its units that is: what the read side loads, in one read.

A write goes to a temporary file that replaces the old one (os.replace): a reader, a crash or a
kill -9 sees the old file or the new one, never half of one.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from indexer.cache_files import write_atomically
from indexer.dense.model import DIM, MODEL_ID

FOLDER = "vectors"
CACHE_FILE = "cache.npz"
UNITS_FILE = "units.npz"
HASH_BYTES = 16


def folder(index_dir: Path | str) -> Path:
    return Path(index_dir) / FOLDER


def text_hash(text: str) -> bytes:
    return hashlib.blake2b(f"{MODEL_ID}\n{text}".encode(), digest_size=HASH_BYTES).digest()


@dataclass
class Units:
    """The vectors of one generation: `vectors[i]` is passage `docnums[i]`'s article."""

    generation: str
    docnums: np.ndarray  # int32[n]
    vectors: np.ndarray  # float16[n, DIM]
    total: int  # units the generation has; more than n while embedding is under way

    @property
    def complete(self) -> bool:
        return len(self.docnums) >= self.total


def load_cache(index_dir: Path | str) -> dict[bytes, np.ndarray]:
    """hash -> float16 vector; empty when the cache is missing, unreadable or of another model."""
    data = _read(folder(index_dir) / CACHE_FILE)
    if data is None:
        return {}
    hashes, vectors = data["hashes"], data["vectors"]
    return {bytes(h): v for h, v in zip(hashes, vectors, strict=True)}


def save_cache(index_dir: Path | str, cache: dict[bytes, np.ndarray]) -> None:
    hashes = np.array(list(cache), dtype=f"S{HASH_BYTES}")
    vectors = np.array(list(cache.values()), dtype=np.float16).reshape(len(cache), DIM)
    _write(folder(index_dir) / CACHE_FILE, hashes=hashes, vectors=vectors)


def load_units(index_dir: Path | str) -> Units | None:
    data = _read(folder(index_dir) / UNITS_FILE)
    if data is None:
        return None
    return Units(str(data["generation"]), data["docnums"], data["vectors"], int(data["total"]))


def save_units(index_dir: Path | str, units: Units) -> None:
    _write(
        folder(index_dir) / UNITS_FILE, generation=np.array(units.generation), total=np.array(units.total),
        docnums=units.docnums.astype(np.int32), vectors=units.vectors.astype(np.float16),
    )


def stamp(index_dir: Path | str) -> tuple[int, int] | None:
    """What changes when units.npz is replaced (None: there is none): cheap enough to check often."""
    try:
        st = (folder(index_dir) / UNITS_FILE).stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_ino)


def _read(path: Path) -> dict[str, np.ndarray] | None:
    try:
        with np.load(path, allow_pickle=False) as data:
            if str(data["model"]) != MODEL_ID:
                return None
            return {k: data[k] for k in data.files}
    except (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile):
        return None


def _write(path: Path, **arrays: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, lambda out: np.savez(out, model=np.array(MODEL_ID), **arrays), durable=True)
