"""Answers kept per worker, so a request asked again costs a dictionary lookup, not a search.

Realistic traffic repeats itself (the same questions, the same codes' articles, the next page), and
a search page costs 15-100 ms of CPU while a kept answer costs well under one. An answer is kept
by everything it depends on: the engine's state (a new index generation misses every old key),
the interface language, whether gzip was asked for, the whole address with its query string, and
the search a reader came from (document pages link back to it). A new page that reads anything
else of the request (a header, a cookie) must add it to `_key`.
Only complete 200 answers without a cookie are kept; a streamed one (a CSV export) once it has
been sent whole, originals (files) never. An answer that left the cross-language layer out
because the server was busy (indexer.search.crosslang.degraded) is marked (DEFERRED_HEADER) and
served again only while the server is still busy: once a worker is to spare, it is answered anew
with the layer (a streamed one is not kept at all). The oldest answers go first once the byte budget is spent.
A server's workers also share what they keep (shared_answers.SharedAnswers): an answer missing
here is looked for there before any view runs.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator

from flask import Flask, Response, g, request

from indexer.search.crosslang import degraded
from search_web.engine import get_engine
from search_web.params import back_to_results
from search_web.shared_answers import SharedAnswers

DEFAULT_BUDGET_BYTES = 64 * 1024 * 1024
LARGEST_KEPT_BYTES = 2 * 1024 * 1024  # in a worker's memory
LARGEST_SHARED_BYTES = 16 * 1024 * 1024  # in the shared file: the largest CSV exports cost 0.3 s of CPU each
CACHE_HEADER = "X-Migrantlex-Cache"
DEFERRED_HEADER = "X-Migrantlex-Crosslang"  # "deferred": answered by words alone, the server being busy


class ResponseCache:
    """A byte-bounded LRU of finished answers, safe to share between a worker's threads, in
    front of the answers the server's other workers kept (`shared`, when there is one)."""

    def __init__(self, budget_bytes: int = DEFAULT_BUDGET_BYTES, shared: SharedAnswers | None = None) -> None:
        self.budget_bytes = budget_bytes
        self.used_bytes = 0
        self.shared = shared
        self._items: OrderedDict[tuple, tuple[int, list[tuple[str, str]], bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> tuple[int, list[tuple[str, str]], bytes] | None:
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
                return item
        item = self.shared.get(key) if self.shared is not None else None
        if item is not None:
            self._keep(key, *item)
        return item

    def largest(self) -> int:
        """The largest answer kept anywhere."""
        return LARGEST_SHARED_BYTES if self.shared is not None else min(LARGEST_KEPT_BYTES, self.budget_bytes)

    def put(self, key: tuple, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        self._keep(key, status, headers, body)
        if self.shared is not None and len(body) <= LARGEST_SHARED_BYTES:
            self.shared.put(key, status, headers, body)

    def _keep(self, key: tuple, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        if len(body) > min(LARGEST_KEPT_BYTES, self.budget_bytes):
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.used_bytes -= len(old[2])
            self._items[key] = (status, headers, body)
            self.used_bytes += len(body)
            while self.used_bytes > self.budget_bytes:
                _, (_, _, dropped) = self._items.popitem(last=False)
                self.used_bytes -= len(dropped)

    def __len__(self) -> int:
        return len(self._items)


def _key() -> tuple | None:
    """This request's key, or None when its answer must not be kept or reused."""
    if request.method != "GET" or getattr(g, "ui_switched", False):
        return None
    if request.path.startswith("/static/") or request.path.endswith("/file"):
        return None  # served from files, with their own caching headers
    gzip = "gzip" in request.headers.get("Accept-Encoding", "").lower()
    # everything else of the request a page reads: its own address (feeds, the API description)
    # and, on document pages, the search the reader came from (the back link)
    back = back_to_results(request.referrer, request.host)
    return (get_engine().state(), g.ui, gzip, request.host_url, request.full_path, back)


def _deferred(headers: list[tuple[str, str]]) -> bool:
    return any(name == DEFERRED_HEADER for name, _ in headers)


def _kept_when_whole(chunks: Iterable[str | bytes], largest: int, keep: Callable[[bytes], None]) -> Iterator[str | bytes]:
    """`chunks` passed on as they come; once all have gone out, their bytes are handed to `keep`
    (not when the client left early or the stream failed, nor past the largest size kept)."""
    body, size = [], 0
    try:
        for chunk in chunks:
            yield chunk
            if size <= largest:
                data = chunk.encode() if isinstance(chunk, str) else bytes(chunk)
                size += len(data)
                body.append(data)
    finally:
        if hasattr(chunks, "close"):
            chunks.close()  # the stream's own clean-up (its request context) runs now, not at garbage collection
    if size <= largest:
        keep(b"".join(body))


def install(app: Flask, budget_bytes: int = DEFAULT_BUDGET_BYTES, shared: SharedAnswers | None = None) -> ResponseCache:
    """Serve kept answers before any view runs (install after the language is picked), and keep
    finished ones after every other after-request step (gzip, security headers, language)."""
    cache = ResponseCache(budget_bytes, shared)
    app.extensions["migrantlex.response_cache"] = cache

    def answer_from_cache() -> Response | None:
        degraded.set(False)  # set again by an answer that leaves something out under load
        g.cache_key = key = _key()
        if key is None:
            return None
        kept = cache.get(key)
        if kept is None or (_deferred(kept[1]) and not get_engine().busy()):
            return None
        g.cache_key = None  # already kept: nothing to store after
        status, headers, body = kept
        response = Response(body, status=status, headers=headers)
        response.headers[CACHE_HEADER] = "hit"
        return response

    def keep(response: Response) -> Response:
        key = getattr(g, "cache_key", None)
        if (
            key is not None
            and response.status_code == 200
            and not response.direct_passthrough
            and "Set-Cookie" not in response.headers
        ):
            response.headers[CACHE_HEADER] = "miss"
            if degraded.get():
                response.headers[DEFERRED_HEADER] = "deferred"
            headers = list(response.headers.items())
            if response.is_streamed:  # its answer is computed while it streams: judged at its end
                response.response = _kept_when_whole(
                    response.response, cache.largest(),
                    lambda body: None if degraded.get() else cache.put(key, 200, headers, body),
                )
            else:
                cache.put(key, response.status_code, headers, response.get_data())
        return response

    app.before_request(answer_from_cache)
    # Flask runs an app's after-request functions last-registered first: the first runs last
    app.after_request_funcs.setdefault(None, []).insert(0, keep)
    return cache
