"""search_web.backlog: the accept queue of a real listening socket, as the kernel reports it."""

from __future__ import annotations

import socket
import time

import pytest

from search_web.backlog import ListenBacklog

pytestmark = pytest.mark.skipif(not hasattr(socket, "TCP_INFO"), reason="TCP_INFO is Linux's")


def waiting_for(backlog: ListenBacklog, count: int, seconds: float = 2.0) -> int:
    """The queue once it holds `count` (connections are queued by the kernel, not at once)."""
    deadline = time.monotonic() + seconds
    while backlog.waiting() != count and time.monotonic() < deadline:
        time.sleep(0.01)
    return backlog.waiting()


def test_connections_no_worker_took_are_waiting():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        backlog = ListenBacklog([listener], workers=2, per_worker=1)
        assert backlog.waiting() == 0 and not backlog.busy()
        clients = [socket.create_connection(listener.getsockname()) for _ in range(3)]
        try:
            assert waiting_for(backlog, 3) == 3 and backlog.busy()  # each worker has one behind
            assert not ListenBacklog([listener], workers=1).busy()  # by default: four per worker
            taken = [listener.accept()[0] for _ in range(2)]
            assert backlog.waiting() == 1 and not backlog.busy()
            for conn in taken:
                conn.close()
        finally:
            for client in clients:
                client.close()


def test_every_listener_of_a_server_counts():
    listeners = [socket.socket() for _ in range(2)]
    try:
        for listener in listeners:
            listener.bind(("127.0.0.1", 0))
            listener.listen(8)
        clients = [socket.create_connection(listener.getsockname()) for listener in listeners]
        assert waiting_for(ListenBacklog(listeners, workers=1), 2) == 2
        for client in clients:
            client.close()
    finally:
        for listener in listeners:
            listener.close()


def test_sockets_that_cannot_say_are_never_busy(tmp_path):
    """A UNIX socket, a closed one, a connected one, something that is no socket: 0 waiting."""
    unix = socket.socket(socket.AF_UNIX)
    unix.bind(str(tmp_path / "s"))
    unix.listen(4)
    closed = socket.socket()
    closed.close()
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(4)
        with socket.create_connection(listener.getsockname()) as client:
            backlog = ListenBacklog([unix, closed, client, object()], workers=1)
            assert backlog.waiting() == 0 and not backlog.busy()
    unix.close()
