"""Requests waiting for a worker: the listening sockets' accept queues, read from the kernel.

Why: a server with more requests than workers can answer is where latency comes from. A new
query's embedding (the cross-language layer) costs about as much CPU as the rest of its answer;
spent while others queue, it delays every one of them. The engine asks `busy()` before it pays
for one, and answers by words alone when requests are waiting (indexer.search.crosslang).

The queue length is what Linux reports for a listening TCP socket in TCP_INFO (tcpi_unacked
holds the accept queue's length there). Elsewhere, or for a socket that cannot say, nothing is
ever waiting: the server behaves as without this module.
"""

from __future__ import annotations

import socket
import struct
from collections.abc import Iterable

_TCP_INFO = getattr(socket, "TCP_INFO", None)
_LISTEN = 10  # tcpi_state of a listening socket (TCP_LISTEN)
_INFO = struct.Struct("8B6I")  # u8 state, ca_state, ... (8 bytes), then u32 rto, ato, snd_mss, rcv_mss, unacked, sacked
_STATE, _UNACKED = 0, 12  # field indexes; a LISTEN socket's unacked is its accept queue's length


# Requests waiting per worker before the server counts as busy. A new query with its embedding
# costs ~70 ms of CPU (its words ~35, the embedding ~35): behind four of them a request waits
# ~0.3 s, well inside the 0.5 s we want for search pages at p95; past that the layer steps aside.
# (One per worker shed it for 4 clients without think time: deferred 3,793 answers, ready 768.)
QUEUE_PER_WORKER = 4


class ListenBacklog:
    """The accept queues of a server's listening sockets, shared by `workers` processes."""

    def __init__(self, sockets: Iterable, workers: int = 1, per_worker: int = QUEUE_PER_WORKER) -> None:
        self.sockets = list(sockets)
        self.threshold = max(1, workers) * max(1, per_worker)

    def waiting(self) -> int:
        """Connections accepted by the kernel that no worker has taken yet (0 when unknown)."""
        return sum(_queued(sock) for sock in self.sockets)

    def busy(self) -> bool:
        """At least `per_worker` requests wait for each worker, besides the ones being answered."""
        return self.waiting() >= self.threshold


def _queued(sock) -> int:
    if _TCP_INFO is None:
        return 0
    try:
        info = sock.getsockopt(socket.IPPROTO_TCP, _TCP_INFO, _INFO.size)
    except (OSError, AttributeError, ValueError):  # a UNIX socket, a closed one, a wrapper without it
        return 0
    if len(info) < _INFO.size:
        return 0
    fields = _INFO.unpack_from(info)
    return fields[_UNACKED] if fields[_STATE] == _LISTEN else 0
