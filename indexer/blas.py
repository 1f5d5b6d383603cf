"""numpy's BLAS on one thread for the rest of the process.

Processes that already fill the cores (indexing workers, serving workers) gain nothing from a
BLAS thread pool of their own: its idle threads spin beside the work and cost CPU (the Russian
NER model: 41 -> 9 ms CPU per passage; a search page miss with the cross-language layer: 96 CPU
ms in 70 ms wall with two threads, 86 in 87 with one).
"""

from __future__ import annotations


def one_blas_thread() -> None:
    """Limit BLAS to one thread now. A venv made before threadpoolctl was a dependency just spends more."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return
    threadpool_limits(1, user_api="blas")
