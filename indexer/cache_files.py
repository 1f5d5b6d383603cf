"""Caches written beside the index: whole or not at all, readable by the serving user."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO


def replace_atomically(path: Path, write: Callable[[IO[bytes]], None]) -> bool:
    """Write through `write` into a temporary file beside `path`, then rename it over `path`
    (readers see the old file or the new one, never half of one). False when the folder is not
    writable: a read-only index folder just means every process builds its own."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=path.suffix, dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                write(out)
            os.chmod(tmp, 0o644)  # readable by the serving user, as the index is
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError:
        return False
    return True
