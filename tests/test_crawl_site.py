"""A real local website for the crawler tests: generated pages and PDFs plus every bad case.

Served by the stdlib's ThreadingHTTPServer on 127.0.0.1 (port chosen by the OS). It honours
conditional GET (ETag and Last-Modified) and logs every request, so tests can count what a
crawl downloaded. The tests at the bottom check the site itself behaves as the crawler tests
assume (a site that silently ignored If-None-Match would make the re-crawl test meaningless).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import http.client
import io
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from fpdf import FPDF

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
LAST_MODIFIED = formatdate(1_700_000_000, usegmt=True)
SLOW_SECONDS = 1.0  # longer than the tests' read timeout
ENDLESS_LIMIT = 4_000_000  # the "endless" body stops here at the latest (bounded server loop)
HELD_SECONDS = 120.0  # a held request is dropped after this at the latest

# Distinctive words the end-to-end test searches for.
WORD_A = "квазитрудоустройство"
WORD_B = "zanzibarite"
WORD_HTML = "miniremittance"
WORD_DOCX = "postanovleniyeword"
WORD_SECRET = "sekretnyidraft"  # only in the PDF robots.txt forbids
ESCAPE_PATH = "/docs/%2e%2e%2f%2e%2e%2fescape.pdf"  # decodes to /docs/../../escape.pdf


def make_pdf(lines: list[str]) -> bytes:
    pdf = FPDF()
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_font("DejaVu", size=12)
    pdf.add_page()
    for line in lines:
        pdf.multi_cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def make_docx(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def html_page(title: str, body: str) -> bytes:
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body>{body}</body></html>"
    ).encode()


@dataclass
class Hit:
    path: str
    status: int
    sent: int  # body bytes sent
    headers: dict[str, str]
    at: float


@dataclass
class SiteContent:
    """path -> (body, content type); served with ETag/Last-Modified and 304 support."""

    files: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)
    flaky: dict[str, int] = field(default_factory=dict)  # path -> 503s still to send
    encodings: dict[str, str] = field(default_factory=dict)  # path -> Content-Encoding sent
    dispositions: dict[str, str] = field(default_factory=dict)  # path -> Content-Disposition
    # path -> its first request waits for the event (at most HELD_SECONDS) and is never answered:
    # a request in flight for exactly as long as a test wants; later requests are served
    held: dict[str, threading.Event] = field(default_factory=dict)


def build_site() -> SiteContent:
    law_a = make_pdf(
        [
            "Закон о внешней трудовой миграции",
            "Статья 1. Трудовой мигрант имеет право на защиту.",
            f"Статья 2. Понятие {WORD_A} означает временную занятость.",
        ]
    )
    law_b = make_pdf(
        ["Agreement on labour migration", f"Article 1. The term {WORD_B} means a seasonal worker."]
    )
    secret = make_pdf([f"Private {WORD_SECRET}: must never be fetched"])
    index = html_page(
        "Ministry of Labour: legal acts",
        """
        <h1>Legal acts</h1>
        <a href="/laws/">All laws</a>
        <a href="/docs/law-a.pdf">Закон № 61 о внешней трудовой миграции</a>
        <a href="docs/copy-of-a.pdf">Same law, second link</a>
        <a href="/private/secret.pdf">Draft</a>
        <a href="/missing.pdf">Missing</a>
        <a href="/slow.pdf">Slow</a>
        <a href="/garbage.pdf">Garbage</a>
        <a href="/endless.pdf">Endless</a>
        <a href="/archive.zip">Zip</a>
        <a href="/loop-a">Loop</a>
        <a href="/bad-http">Not HTTP</a>
        <a href="/docs/%2e%2e%2f%2e%2e%2fescape.pdf">Escape attempt</a>
        <a href="http://example.invalid/elsewhere.pdf">Elsewhere</a>
        <a href="mailto:info@example.invalid">Mail</a>
        <a href="/#top">Top</a>
        """,
    )
    laws = html_page(
        "All laws",
        f"""
        <a href="/">Home</a> <a href="/laws/">This page</a> <a href="/laws/?">Again</a>
        <a href="/go/law-b">Agreement (via redirect)</a>
        <a href="/acts/remittances.html">Remittances regulation</a>
        <a href="/download?id=7">Постановление (DOCX)</a>
        <p>{WORD_HTML} is not here, only on the regulation page.</p>
        """,
    )
    regulation = html_page(
        "Regulation on remittances of migrant workers",
        f"<h1>Regulation on remittances</h1><p>Article 1. A {WORD_HTML} is a transfer below 100 USD.</p>",
    )
    garbage = bytes(range(256)) * 40
    content = SiteContent()
    content.files = {
        "/robots.txt": (b"User-agent: *\nDisallow: /private/\n", "text/plain"),
        "/": (index, "text/html; charset=utf-8"),
        "/laws/": (laws, "text/html; charset=utf-8"),
        "/acts/remittances.html": (regulation, "text/html; charset=utf-8"),
        "/docs/law-a.pdf": (law_a, "application/pdf"),
        "/docs/copy-of-a.pdf": (law_a, "application/pdf"),
        "/docs/law-b.pdf": (law_b, "application/pdf"),
        "/private/secret.pdf": (secret, "application/pdf"),
        "/garbage.pdf": (garbage, "application/pdf"),
        "/archive.zip": (b"PK\x03\x04" + b"\x00" * 100, "application/zip"),
        ESCAPE_PATH: (
            make_pdf(["Escape attempt: must be stored inside the crawl folder"]),
            "application/pdf",
        ),
    }
    content.files["/download?id=7"] = (
        make_docx(["Постановление о квотах", f"Пункт 1. Термин {WORD_DOCX} означает квоту."]),
        "application/octet-stream",
    )
    content.dispositions["/download?id=7"] = 'attachment; filename="postanovlenie-7.docx"'
    content.redirects = {"/loop-a": "/loop-b", "/loop-b": "/loop-a", "/go/law-b": "/docs/law-b.pdf"}
    return content


class LocalSite:
    """Starts the server in a thread; `url(path)`, `hits` (the request log), `stop()`."""

    def __init__(self, content: SiteContent) -> None:
        self.content = content
        self.hits: list[Hit] = []
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def _log(self, status: int, sent: int) -> None:
                """Record the answer before sending it, so a quick client never races the log."""
                self.hit.status, self.hit.sent = status, sent

            def _send(self, status: int, body: bytes = b"", headers: dict | None = None) -> None:
                self._log(status, len(body))
                self.send_response(status)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if body:
                    self.wfile.write(body)

            def do_GET(self):  # noqa: N802 - http.server naming
                self.hit = Hit(self.path, 0, 0, dict(self.headers), time.monotonic())
                with site.lock:
                    site.hits.append(self.hit)
                path = self.path.split("#", 1)[0]
                path = path[:-1] if path.endswith("?") else path
                gate = site.content.held.pop(path, None)
                if gate is not None:
                    gate.wait(HELD_SECONDS)  # answers nothing: status stays 0
                    return
                if path == "/slow.pdf":
                    time.sleep(SLOW_SECONDS)  # answers nothing: status stays 0
                    return
                if path == "/bad-http":
                    self._log(-1, 0)
                    self.wfile.write(b"\x00\x17 this is not HTTP at all \xff\xfe\r\n\r\n")
                    self.close_connection = True
                    return
                if path == "/endless.pdf":
                    self._log(200, 0)
                    self.send_response(200)
                    self.send_header("Content-Type", "application/pdf")
                    self.send_header("Connection", "close")
                    self.end_headers()
                    self.close_connection = True
                    try:
                        self.wfile.write(b"%PDF-1.4\n")
                        while self.hit.sent < ENDLESS_LIMIT:
                            self.wfile.write(b"0" * 65536)
                            self.hit.sent += 65536
                    except (BrokenPipeError, ConnectionResetError):
                        pass
                    return
                if path in site.content.redirects:
                    self._send(302, headers={"Location": site.content.redirects[path]})
                    return
                if site.content.flaky.get(path, 0) > 0:
                    site.content.flaky[path] -= 1
                    self._send(503, b"busy", {"Retry-After": "0"})
                    return
                if path not in site.content.files:
                    self._send(404, b"<h1>Not found</h1>", {"Content-Type": "text/html"})
                    return
                body, ctype = site.content.files[path]
                etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                validators = {"ETag": etag, "Last-Modified": LAST_MODIFIED}
                if self.headers.get("If-None-Match") == etag:
                    self._send(304, headers=validators)
                    return
                if path in site.content.encodings:
                    validators["Content-Encoding"] = site.content.encodings[path]
                if path in site.content.dispositions:
                    validators["Content-Disposition"] = site.content.dispositions[path]
                self._send(200, body, {"Content-Type": ctype, **validators})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def hits_since(self, n: int) -> list[Hit]:
        with self.lock:
            return list(self.hits[n:])

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@functools.cache
def shared_content() -> SiteContent:
    """The site's content, generated once per test session (tests must not modify it)."""
    return build_site()


@contextlib.contextmanager
def running_site(content: SiteContent | None = None) -> Iterator[LocalSite]:
    """A LocalSite serving `content` (default: the shared content) for the `with` block."""
    s = LocalSite(content or shared_content())
    try:
        yield s
    finally:
        s.stop()


@pytest.fixture
def site():
    with running_site() as s:
        yield s


# --- the site itself -----------------------------------------------------------------


def _get(site: LocalSite, path: str, headers: dict | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", site.server.server_address[1], timeout=5)
    conn.request("GET", path, headers=headers or {})
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, body


def test_site_serves_real_pdfs_and_honours_if_none_match(site):
    status, body = _get(site, "/docs/law-a.pdf")
    assert status == 200 and body.startswith(b"%PDF-")
    from pdfminer.high_level import extract_text

    assert WORD_A in extract_text(io.BytesIO(body))
    etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
    status, body = _get(site, "/docs/law-a.pdf", {"If-None-Match": etag})
    assert (status, body) == (304, b"")


def test_site_bad_cases_are_bad(site):
    assert _get(site, "/missing.pdf")[0] == 404
    assert _get(site, "/loop-a")[0] == 302
    with pytest.raises(http.client.HTTPException):
        _get(site, "/bad-http")


def fast_settings(**changes):
    """Crawl settings for tests: no politeness delay, short timeouts, small size limit, and
    loopback allowed (the test site is on 127.0.0.1, which a crawl refuses unless told)."""
    from dataclasses import replace

    from indexer.crawl.sources import CrawlSettings

    base = CrawlSettings(
        delay=0.0, timeout=0.3, total_timeout=5.0, retries=1, backoff=0.01, max_bytes=300_000,
        allow_private_addresses=True,
    )
    return replace(base, **changes)
