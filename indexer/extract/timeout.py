"""A wall-clock limit for one step of extraction, for pdfminer pages that never finish.

SIGALRM is the only way to interrupt pure-Python work without killing the process, and it only
works in the main thread on POSIX. Elsewhere (threads, Windows) the limit is simply not enforced
and the indexer's per-file timeout remains the backstop.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class TimeLimitExceeded(BaseException):
    """Raised inside the guarded block when its time is up.

    A BaseException, so library code that catches Exception (pdfminer does) cannot swallow it.
    """


def can_enforce() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TimeLimitExceeded in the block after `seconds`; restores any previous alarm."""
    if seconds <= 0 or not can_enforce():
        yield
        return

    def _expire(signum, frame):
        raise TimeLimitExceeded(f"time limit of {seconds} s exceeded")

    previous_handler = signal.signal(signal.SIGALRM, _expire)
    previous_delay, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if previous_delay:  # someone else's alarm was pending: give it back (approximately)
            signal.setitimer(signal.ITIMER_REAL, previous_delay)
