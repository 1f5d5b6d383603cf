"""Only public addresses: a crawl must not become a way into this machine or its network (SSRF).

A link or redirect can name any host, and a name can resolve to 127.0.0.1, 10.x, 169.254.x or
their IPv6 forms. So every connection resolves the name itself, skips refused addresses and
connects to an accepted one by number: no second lookup happens between the check and the
connect, so a name that re-resolves (DNS rebinding) cannot slip through, and the peer address of
the connected socket is checked once more. `--allow-private-addresses` (CrawlSettings
`allow_private_addresses`) turns this off, e.g. for a test server on 127.0.0.1.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import urllib.request
from urllib.parse import urlsplit

HINT = "use --allow-private-addresses to crawl it anyway"
_KINDS = ("unspecified", "loopback", "link_local", "private", "multicast", "reserved")


class AddressRefused(OSError):
    """A host that resolves only to addresses a crawl may not connect to."""


def address_refusal(address: str) -> str | None:
    """Why a crawl may not connect to `address` (an IP), or None for a public address."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv6Address):  # IPv4 inside IPv6 reaches the IPv4 host
        ip = ip.ipv4_mapped or ip.sixtofour or ip
    for kind in _KINDS:
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    return None if ip.is_global else "not globally routable"


def public_addresses(host: str, port: int) -> list[tuple]:
    """getaddrinfo() entries for `host` that a crawl may connect to; AddressRefused if none."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    accepted = [info for info in infos if address_refusal(info[4][0]) is None]
    if not accepted:
        refused = ", ".join(sorted({f"{i[4][0]} ({address_refusal(i[4][0])})" for i in infos}))
        raise AddressRefused(f"{host} resolves to {refused}: {HINT}")
    return accepted


def connect_public(address: tuple[str, int], timeout, source_address=None) -> socket.socket:
    """socket.create_connection() that connects only to public addresses, checked by number."""
    host, port = address
    last_error: OSError | None = None
    for family, kind, proto, _, sockaddr in public_addresses(host, port):
        sock = socket.socket(family, kind, proto)
        try:
            if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            peer = sock.getpeername()[0]
            if address_refusal(peer):
                raise AddressRefused(f"{host} connected to {peer} ({address_refusal(peer)}): {HINT}")
            return sock
        except OSError as exc:
            sock.close()
            if isinstance(exc, AddressRefused):
                raise
            last_error = exc
    raise last_error or OSError(f"cannot connect to {host}")


class _PublicOnly:
    """Mixin for http.client connections: direct connections go through connect_public.

    Through a proxy the proxy connects, not us: the Fetcher checks the target's name instead.
    """

    def __init__(self, *args, via_proxy: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not via_proxy:
            self._create_connection = connect_public


class _PublicHTTPConnection(_PublicOnly, http.client.HTTPConnection):
    pass


class _PublicHTTPSConnection(_PublicOnly, http.client.HTTPSConnection):
    pass


def _via_proxy(req: urllib.request.Request) -> bool:
    return req.host != urlsplit(req.full_url).netloc  # set_proxy() made the proxy the host


class PublicHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_PublicHTTPConnection, req, via_proxy=_via_proxy(req))


class PublicHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(
            _PublicHTTPSConnection, req, context=self._context, via_proxy=_via_proxy(req)
        )
