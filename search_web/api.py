"""The JSON API: the twins of the pages (registered with them in ui.py) and the views with no page.

GET /api/search, /api/documents/<id>, /api/compare (twins), /api/documents/<id>/find, /api/stats
and the OpenAPI description at /api/openapi.json. Errors are JSON with a 4xx status (errors.py).
"""

from __future__ import annotations

from flask import abort, jsonify, request

from search_web.engine import get_engine
from search_web.openapi import DOC_ID, Operation, Q, openapi_document
from search_web.params import read_query
from search_web.ui import valid_doc_id
from search_web.views import VIEWS, Page, view
from search_web.views import api_bp as bp


@bp.after_request
def _allow_cross_origin(response):
    """A public, read-only API: any site may call it (no cookies are read for it)."""
    response.headers.setdefault("Access-Control-Allow-Origin", "*")
    return response


@view(
    api="/documents/<doc_id>/find",
    openapi=Operation(
        "Every passage of one document that matches the query, in reading order",
        "FindResponse", (DOC_ID, Q), errors=(400, 404),
    ),
)
def find_in_document(doc_id: str) -> Page:
    doc_id = valid_doc_id(doc_id)
    q = read_query(request.args, required=True)
    engine = get_engine()
    if doc_id not in engine.documents:
        abort(404, description=f"no document with id {doc_id!r}")
    hits = engine.find_in_document(doc_id, q)
    return Page({"doc_id": doc_id, "query": q, "total": len(hits), "hits": hits})


@view(api="/stats", openapi=Operation("What the index holds", "Stats", errors=()))
def stats() -> Page:
    return Page(get_engine().stats())


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document(request.url_root.rstrip("/"), VIEWS.values()))
