"""Error pages and JSON errors: no stack trace ever reaches a user.

Under /api/ every error is JSON (`{"error": {"status", "code", "message"}}`) with its HTTP
status; elsewhere it is a small page in the interface language. Unexpected exceptions are
logged with their trace on the server and shown as a plain 500.
"""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from indexer.search import QueryError
from search_web.i18n import query_error_text
from search_web.i18n_context import current_language, t
from search_web.params import ParamError


def wants_json() -> bool:
    return request.path.startswith("/api/")


def json_error(status: int, code: str, message: str, **extra: object):
    body = {"status": status, "code": code, "message": message}
    body.update({k: v for k, v in extra.items() if v is not None})
    return jsonify(error=body), status


def _page(status: int, message: str):
    key = f"error_{status}" if status in (400, 404, 405, 500) else "error_generic"
    try:
        return render_template("error.html", status=status, title=t(key), message=message), status
    except Exception:  # the page itself cannot be drawn (a Host header werkzeug refused leaves no
        # URL adapter for its links): the same status, said in plain text
        return f"{status}: {message}\n", status, {"Content-Type": "text/plain; charset=utf-8"}


def handle_http(exc: HTTPException):
    status = exc.code or 500
    if wants_json():
        return json_error(status, exc.name.lower().replace(" ", "_"), exc.description or exc.name)
    known = status in (400, 404, 405, 500)
    return _page(status, t(f"error_{status}") if known else exc.name)


def handle_param(exc: ParamError):
    if wants_json():
        return json_error(400, "bad_parameter", exc.reason, parameter=exc.name)
    return _page(400, t("bad_param", name=exc.name, reason=exc.reason))


def handle_query(exc: QueryError):
    if wants_json():
        return json_error(
            400, "bad_query", exc.message, position=exc.position, reason=exc.code, params=exc.params or None
        )
    text = query_error_text(current_language(), exc.code, exc.params, exc.position) or exc.message
    return _page(400, f"{t('query_error')} {text}")


def handle_unexpected(exc: Exception):
    if isinstance(exc, HTTPException):
        return handle_http(exc)
    from flask import current_app

    current_app.logger.exception("unhandled error on %s", request.path)
    if wants_json():
        return json_error(500, "internal_error", "Internal error; it has been logged.")
    return _page(500, t("error_500"))


def install(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(ParamError, handle_param)
    app.register_error_handler(QueryError, handle_query)
    app.register_error_handler(Exception, handle_unexpected)
