"""Polite HTTP(S) fetching: timeouts, retries with backoff, per-host delay, bounded redirects,
size and content-type limits, conditional GET.

Every failure becomes a FetchError with a short `kind` and a readable message, so the crawler
reports it and goes on; `permanent` says whether trying again later could help.
"""

from __future__ import annotations

import http.client
import ipaddress
import ssl
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from indexer.crawl.addresses import (
    AddressRefused,
    PublicHTTPHandler,
    PublicHTTPSHandler,
    public_addresses,
)
from indexer.crawl.filetypes import ACCEPT
from indexer.crawl.sources import CrawlSettings
from indexer.crawl.urls import DEFAULT_PORTS, host_of, normalize_url

REDIRECT_CODES = {301, 302, 303, 307, 308}
RETRY_CODES = {429, 500, 502, 503, 504}
MAX_RETRY_AFTER = 60.0
CHUNK = 65536
KEPT_HEADERS = (
    "content-encoding",
    "content-type",
    "content-length",
    "etag",
    "last-modified",
    "content-disposition",
    "date",
)


def _short(exc: BaseException) -> str:
    """An exception as one short line (servers can put anything in a status line)."""
    return f"{type(exc).__name__}: {' '.join(str(exc).split())}"[:200]


def _proxied(url: str) -> bool:
    """Whether urllib would send `url` through a proxy from the *_proxy environment."""
    parts = urlsplit(url)
    return parts.scheme in urllib.request.getproxies() and not urllib.request.proxy_bypass(
        parts.hostname or ""
    )


def _is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class FetchError(Exception):
    """A URL that could not be fetched; `kind` is short (e.g. 'http-404', 'timeout')."""

    def __init__(self, kind: str, message: str, permanent: bool = True) -> None:
        super().__init__(f"{kind}: {message}")
        self.kind = kind
        self.message = message
        self.permanent = permanent


@dataclass
class Response:
    url: str  # as requested
    final_url: str  # after redirects
    status: int  # 200 or 304
    headers: dict[str, str]
    body: bytes = b""
    kind: str = ""  # what `classify` made of it: pdf, docx, html, txt
    redirects: list[str] = field(default_factory=list)


class _KeepEveryResponse(urllib.request.HTTPErrorProcessor):
    """Hand every status back to us: redirects and errors are decided by the Fetcher."""

    def http_response(self, request, response):
        return response

    https_response = http_response


# classify(content_type, url, content_disposition) -> kind or None (refused)
Classifier = Callable[[str, str, str], str | None]
# may_follow(url) -> None when a redirect target is acceptable, else the reason it is not
RedirectCheck = Callable[[str], str | None]


class Fetcher:
    """One per crawl: remembers when each host was last asked, and counts requests and bytes."""

    def __init__(
        self, settings: CrawlSettings, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        self.settings = settings
        self.host_delay: dict[str, float] = {}  # robots.txt Crawl-delay, when longer
        self.requests = 0
        self.bytes = 0
        self._last_request: dict[str, float] = {}
        self._sleep = sleep
        self._public_only = not settings.allow_private_addresses
        handlers = [_KeepEveryResponse()]
        if self._public_only:
            handlers += [PublicHTTPHandler(), PublicHTTPSHandler()]
        self._opener = urllib.request.build_opener(*handlers)  # honours *_proxy
        self._direct = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), *handlers
        )  # for this machine's own servers, which no proxy can reach

    # -- politeness --------------------------------------------------------------------
    def _wait_turn(self, host: str) -> None:
        delay = max(self.settings.delay, self.host_delay.get(host, 0.0))
        last = self._last_request.get(host)
        if last is not None:
            remaining = last + delay - time.monotonic()
            if remaining > 0:
                self._sleep(remaining)

    # -- one request -------------------------------------------------------------------
    def _request(self, url: str, conditional: dict[str, str]):
        headers = {
            "User-Agent": self.settings.user_agent,
            "Accept": ACCEPT,
            "Accept-Encoding": "gzip, deflate;q=0.5, identity;q=0.1",
        }
        if conditional.get("etag"):
            headers["If-None-Match"] = conditional["etag"]
        if conditional.get("last_modified"):
            headers["If-Modified-Since"] = conditional["last_modified"]
        host = host_of(url)
        self._wait_turn(host)
        self.requests += 1
        try:
            direct = _is_loopback(url)
            if self._public_only and not direct and _proxied(url):
                parts = urlsplit(url)  # the proxy resolves the name: check it ourselves first
                public_addresses(parts.hostname or "", parts.port or DEFAULT_PORTS[parts.scheme])
            opener = self._direct if direct else self._opener
            return opener.open(
                urllib.request.Request(url, headers=headers), timeout=self.settings.timeout
            )
        except TimeoutError as exc:
            raise FetchError(
                "timeout", f"no answer within {self.settings.timeout:g} s", False
            ) from exc
        except AddressRefused as exc:
            raise FetchError("address-refused", str(exc)) from exc
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, AddressRefused):
                raise FetchError("address-refused", str(reason)) from exc
            if isinstance(reason, TimeoutError):
                raise FetchError(
                    "timeout", f"no answer within {self.settings.timeout:g} s", False
                ) from exc
            if isinstance(reason, ssl.SSLError):
                raise FetchError("tls", _short(reason), True) from exc
            raise FetchError(
                "connection",
                _short(reason) if isinstance(reason, BaseException) else str(reason),
                False,
            ) from exc
        except http.client.HTTPException as exc:
            raise FetchError("protocol", f"invalid HTTP response ({_short(exc)})", False) from exc
        except (ConnectionError, OSError) as exc:
            raise FetchError("connection", _short(exc), False) from exc
        finally:
            self._last_request[host] = time.monotonic()

    def _read_body(self, resp, url: str, max_bytes: int) -> bytes:
        declared = resp.headers.get("Content-Length")
        if declared and declared.strip().isdigit() and int(declared) > max_bytes:
            raise FetchError("too-large", f"{int(declared)} bytes declared, limit {max_bytes}")
        started = time.monotonic()
        chunks: list[bytes] = []
        size = 0
        host = host_of(url)
        try:
            while True:
                chunk = resp.read(CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                self.bytes += len(chunk)
                if size > max_bytes:
                    raise FetchError("too-large", f"body exceeds the limit of {max_bytes} bytes")
                if time.monotonic() - started > self.settings.total_timeout:
                    raise FetchError(
                        "timeout", f"download took over {self.settings.total_timeout:g} s", False
                    )
                chunks.append(chunk)
        except TimeoutError as exc:
            raise FetchError(
                "timeout", f"body stalled for {self.settings.timeout:g} s", False
            ) from exc
        except http.client.IncompleteRead as exc:
            raise FetchError(
                "protocol", f"connection closed after {size} bytes (incomplete body)", False
            ) from exc
        except (http.client.HTTPException, ConnectionError, OSError) as exc:
            raise FetchError("protocol", f"broken body ({_short(exc)})", False) from exc
        finally:
            resp.close()
            self._last_request[host] = time.monotonic()
        return b"".join(chunks)

    @staticmethod
    def _decode(body: bytes, encoding: str, max_bytes: int) -> bytes:
        """Undo gzip/deflate Content-Encoding, bounded: a small bomb cannot fill the memory."""
        enc = encoding.strip().lower()
        if enc in ("", "identity"):
            return body
        if enc not in ("gzip", "x-gzip", "deflate"):
            raise FetchError("content-encoding", f"unsupported Content-Encoding {encoding!r}")
        for wbits in (47, -15) if enc == "deflate" else (47,):  # 47: zlib or gzip header
            try:
                inflater = zlib.decompressobj(wbits)
                out = inflater.decompress(body, max_bytes + 1)
            except zlib.error:
                continue
            if len(out) > max_bytes or inflater.unconsumed_tail:
                raise FetchError(
                    "too-large", f"body inflates beyond the limit of {max_bytes} bytes"
                )
            return out
        raise FetchError("garbage", f"body is not valid {enc} data")

    def _retry_wait(self, attempt: int, retry_after: str | None) -> float:
        wait = self.settings.backoff * (2**attempt)
        if retry_after and retry_after.strip().isdigit():
            wait = max(wait, min(float(retry_after), MAX_RETRY_AFTER))
        return wait

    def _open_with_retries(self, url: str, conditional: dict[str, str]):
        """The response for one hop; transient failures are retried with growing waits."""
        attempt = 0
        while True:
            try:
                resp = self._request(url, conditional)
            except FetchError as exc:
                if exc.permanent or attempt >= self.settings.retries:
                    raise
                self._sleep(self._retry_wait(attempt, None))
                attempt += 1
                continue
            if resp.status in RETRY_CODES and attempt < self.settings.retries:
                retry_after = resp.headers.get("Retry-After")
                resp.close()
                self._sleep(self._retry_wait(attempt, retry_after))
                attempt += 1
                continue
            return resp

    # -- public ------------------------------------------------------------------------
    def fetch(
        self,
        url: str,
        classify: Classifier,
        conditional: dict[str, str] | None = None,
        may_follow: RedirectCheck | None = None,
        max_bytes: int | None = None,
    ) -> Response:
        """GET `url`, following redirects; a 200 with its body, or a 304 without one.

        Raises FetchError for anything else: HTTP errors, refused content types, too-large or
        stalled bodies, redirect loops, redirects leaving the crawl's scope.
        """
        conditional = conditional or {}
        max_bytes = max_bytes or self.settings.max_bytes
        chain = [url]
        current = url
        while True:
            resp = self._open_with_retries(current, conditional)
            status = resp.status
            if status in REDIRECT_CODES:
                location = resp.headers.get("Location", "")
                resp.close()
                target = normalize_url(location, current)
                if target is None:
                    raise FetchError(
                        "bad-redirect", f"{status} to an unusable Location {location!r}"
                    )
                if target in chain:
                    raise FetchError("redirect-loop", " -> ".join([*chain, target]))
                if len(chain) > self.settings.max_redirects:
                    raise FetchError(
                        "too-many-redirects", f"more than {self.settings.max_redirects} redirects"
                    )
                refusal = may_follow(target) if may_follow else None
                if refusal:
                    raise FetchError("redirect-refused", f"redirect to {target}: {refusal}")
                chain.append(target)
                current = target
                continue
            headers = {k: resp.headers.get(k, "") for k in KEPT_HEADERS if resp.headers.get(k)}
            if status == 304:
                resp.close()
                return Response(url, current, 304, headers, redirects=chain[1:])
            if status != 200:
                resp.close()
                transient = status in RETRY_CODES
                raise FetchError(
                    f"http-{status}", f"{status} {resp.reason or ''}".strip(), not transient
                )
            try:
                kind = classify(
                    headers.get("content-type", ""), current, headers.get("content-disposition", "")
                )
            except BaseException:  # the classifier refused it: do not leave the socket open
                resp.close()
                raise
            if kind is None:
                resp.close()
                ctype = headers.get("content-type") or "no Content-Type"
                raise FetchError("content-type", f"{ctype} is not a type we keep or follow")
            body = self._read_body(resp, current, max_bytes)
            body = self._decode(body, headers.get("content-encoding", ""), max_bytes)
            return Response(url, current, 200, headers, body, kind, chain[1:])
