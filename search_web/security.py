"""Security headers on every response, and gzip for text on slow connections.

The pages load nothing from elsewhere, so the Content-Security-Policy can forbid everything
but our own stylesheet and script; originals are served under a policy of their own
(`ORIGINAL_FILE_CSP`) because a PDF viewer needs to render them, but an HTML file must never
run as our origin.
"""

from __future__ import annotations

import gzip

from flask import Flask, Response, request

PAGE_CSP = (
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
ORIGINAL_FILE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"
SANDBOX_CSP = "sandbox; default-src 'none'; frame-ancestors 'none'"
GZIP_MIN_BYTES = 1024
GZIP_TYPES = ("text/", "application/json", "application/atom+xml", "application/javascript")


def add_security_headers(response: Response) -> Response:
    """Headers every response carries; a view may set a stricter or looser CSP of its own."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", PAGE_CSP)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    return response


def gzip_response(response: Response) -> Response:
    """Compress text bodies when the client accepts gzip: result pages shrink 4-6x."""
    if (
        response.direct_passthrough
        or response.is_streamed
        or response.status_code < 200
        or response.status_code in (204, 304)
        or "Content-Encoding" in response.headers
        or "gzip" not in request.headers.get("Accept-Encoding", "").lower()
        or not (response.mimetype or "").startswith(GZIP_TYPES)
    ):
        return response
    body = response.get_data()
    if len(body) < GZIP_MIN_BYTES:
        return response
    response.set_data(gzip.compress(body, compresslevel=6))
    response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    return response


def install(app: Flask) -> None:
    app.after_request(gzip_response)
    app.after_request(add_security_headers)
