"""Files written whole or not at all: caches beside the index, vectors, crawled documents."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO


def write_atomically(
    path: Path, write: Callable[[IO[bytes]], None], *, temp_dir: Path | None = None, durable: bool = False
) -> None:
    """Write through `write` into a temporary file, then rename it over `path`: readers, a crash or
    a kill -9 see the old file or the new one, never half of one. The temporary file is beside
    `path` unless `temp_dir` (on the same file system) is given; `durable` syncs it to disk before
    the rename. Readable by the serving user, as the index is. Raises OSError."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=path.suffix, dir=temp_dir or path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            write(out)
            if durable:
                out.flush()
                os.fsync(out.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def replace_atomically(path: Path, write: Callable[[IO[bytes]], None]) -> bool:
    """`write_atomically` for a cache: False when the folder is not writable (a read-only index
    folder just means every process builds its own)."""
    try:
        write_atomically(path, write)
    except OSError:
        return False
    return True
