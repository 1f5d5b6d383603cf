"""The JSON API: the twin of every page, returning the engine's data as it is.

GET /api/search, /api/documents/<id>, /api/documents/<id>/find, /api/compare, /api/stats and
the OpenAPI description at /api/openapi.json. Errors are JSON with a 4xx status (see errors.py).
"""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request

from search_web import get_engine
from search_web.openapi import openapi_document
from search_web.params import ParamError, SearchParams, read_query, read_search
from search_web.ui import valid_doc_id

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.after_request
def _allow_cross_origin(response):
    """A public, read-only API: any site may call it (no cookies are read for it)."""
    response.headers.setdefault("Access-Control-Allow-Origin", "*")
    return response


@bp.get("/search")
def search():
    params = read_search(request.args, required=True)
    snippets = request.args.get("snippets", "1") not in ("0", "false", "no")
    res = get_engine().search(
        params.q, filters=params.filters(), page=params.page, limit=params.limit,
        sort=params.sort, snippets=snippets,
    )
    return jsonify(res)


@bp.get("/documents/<doc_id>")
def document(doc_id: str):
    doc = get_engine().document(valid_doc_id(doc_id), q=read_query(request.args) or None)
    if doc is None:
        abort(404, description=f"no document with id {doc_id!r}")
    return jsonify(doc)


@bp.get("/documents/<doc_id>/find")
def find_in_document(doc_id: str):
    doc_id = valid_doc_id(doc_id)
    q = read_query(request.args, required=True)
    engine = get_engine()
    if doc_id not in engine.documents:
        abort(404, description=f"no document with id {doc_id!r}")
    hits = engine.find_in_document(doc_id, q)
    return jsonify({"doc_id": doc_id, "query": q, "total": len(hits), "hits": hits})


@bp.get("/compare")
def compare():
    params = read_search(request.args, required=True)
    per_country = request.args.get("per_country", "5")
    if not per_country.isdigit() or not 1 <= int(per_country) <= 20:
        raise ParamError("per_country", "must be a whole number between 1 and 20")
    scope = SearchParams(
        doc_type=params.doc_type, language=params.language,
        year_from=params.year_from, year_to=params.year_to,
    )
    res = get_engine().compare(
        params.q, countries=list(params.country) or None, per_country=int(per_country),
        filters=scope.filters(),
    )
    return jsonify(res)


@bp.get("/stats")
def stats():
    return jsonify(get_engine().stats())


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document(request.url_root.rstrip("/")))
