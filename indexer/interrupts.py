"""Ctrl-C and SIGTERM that never land in the middle of an index write.

Python delivers a signal as an exception wherever the main thread happens to be; inside whoosh's
`add_document` or `commit` that leaves a half-written document which the next commit would save
(unreadable passages for good). Here SIGINT and SIGTERM only raise KeyboardInterrupt outside
`critical()` blocks; inside one they set a flag, the block finishes, and the interrupt is raised
as it ends. (kill -9 cannot be caught: whoosh's atomic table-of-contents rename covers that.)
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class DeferredInterrupts:
    """Use as a context manager around a run; wrap every index write in `critical()`."""

    def __init__(self) -> None:
        self.requested: int | None = None  # the signal received, if any
        self._depth = 0
        self._delivered = False  # raised once; a second Ctrl-C while we finish up is only noted
        self._previous: dict[int, object] = {}

    def __enter__(self) -> DeferredInterrupts:
        if threading.current_thread() is threading.main_thread():
            for sig in SIGNALS:
                self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc_info) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        self._previous.clear()

    def _handle(self, signum, frame) -> None:  # noqa: ARG002 - signal handler signature
        self.requested = signum
        if self._depth == 0 and not self._delivered:
            self._delivered = True
            raise KeyboardInterrupt

    @contextmanager
    def critical(self) -> Iterator[None]:
        """A block no interrupt may split; a signal received meanwhile is raised when it ends."""
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1
        if self._depth == 0 and self.requested is not None and not self._delivered:
            self._delivered = True
            raise KeyboardInterrupt
