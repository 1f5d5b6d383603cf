"""Indexed originals, opened only while they are still the very files that were indexed.

A file can change after indexing: replaced by a symlink to /etc/passwd, swapped for another
file, edited. So an original is opened one path component at a time with O_NOFOLLOW (a symlink
anywhere in the path refuses), must be a regular file, and must have the size and sha256 the
catalog recorded. The open file is what gets served, so nothing can be swapped in between the
check and the download. Hashes are remembered by (size, mtime_ns), so a file is read in full
once, not on every request.
"""

from __future__ import annotations

import hashlib
import os
import stat
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from indexer.catalog import Catalog

HASH_BLOCK = 1 << 20
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_WALK_BY_FD = bool(_NOFOLLOW and _DIRECTORY) and os.open in os.supports_dir_fd


@dataclass
class OpenOriginal:
    """An original opened for reading; the caller serves `file` and closes it."""

    file: BinaryIO
    name: str  # the file's name (not sanitised for headers)
    size: int
    mtime: float
    sha256: str


def _open_no_symlinks(path: str) -> int:
    """A read-only descriptor for absolute `path`, refusing a symlink at any component (OSError)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if not _WALK_BY_FD:  # no dir_fd/O_NOFOLLOW (Windows): compare with the resolved path instead
        if os.path.realpath(path) != os.path.normpath(path):
            raise OSError(f"{path} goes through a symlink")
        return os.open(path, flags)
    parts = list(Path(path).parts[1:])
    if not Path(path).is_absolute() or not parts:
        raise OSError(f"{path} is not an absolute file path")
    fd = os.open("/", os.O_RDONLY | _DIRECTORY)
    try:
        for part in parts[:-1]:
            nxt = os.open(part, os.O_RDONLY | _DIRECTORY | _NOFOLLOW, dir_fd=fd)
            os.close(fd)
            fd = nxt
        return os.open(parts[-1], flags | _NOFOLLOW, dir_fd=fd)
    finally:
        os.close(fd)


def _sha256(fh: BinaryIO) -> str:
    h = hashlib.sha256()
    for block in iter(lambda: fh.read(HASH_BLOCK), b""):
        h.update(block)
    fh.seek(0)
    return h.hexdigest()


class Originals:
    """Opens the original of a document after checking it against the catalog."""

    def __init__(self, index_dir: Path | str) -> None:
        self.index_dir = Path(index_dir)
        self._hashes: dict[str, tuple[int, int, str]] = {}  # path -> (size, mtime_ns, sha256)
        self._lock = threading.Lock()

    def _digest(self, path: str, fh: BinaryIO, size: int, mtime_ns: int) -> str:
        with self._lock:
            known = self._hashes.get(path)
        if known and known[:2] == (size, mtime_ns):
            return known[2]
        digest = _sha256(fh)
        with self._lock:
            self._hashes[path] = (size, mtime_ns, digest)
        return digest

    def open(self, doc_id: str, path: str) -> OpenOriginal | None:
        """The file of `doc_id` at `path`, or None when it is gone, a symlink, or not as indexed."""
        catalog = Catalog(self.index_dir)
        try:
            recorded = catalog.file_of(doc_id)
        finally:
            catalog.close()
        if recorded is None:
            return None
        try:
            fd = _open_no_symlinks(path)
        except OSError:
            return None
        fh = os.fdopen(fd, "rb")
        try:
            st = os.fstat(fd)
            if (
                stat.S_ISREG(st.st_mode)
                and st.st_size == recorded.size
                and self._digest(path, fh, st.st_size, st.st_mtime_ns) == recorded.sha256
            ):
                return OpenOriginal(fh, Path(path).name, st.st_size, st.st_mtime, recorded.sha256)
        except OSError:
            pass
        fh.close()
        return None
