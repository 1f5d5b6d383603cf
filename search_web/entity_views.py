"""The pages of the entities the documents name: organisations, people, places.

Per kind, a list (`/organisations`, JSON twin `/api/organisations`: `{id, name, aliases, kind,
documents, ...}` most documents first, `?name=` keeps the names containing it; CSV at
`/organisations.csv`) and a page per entity (`/organisations/<id>`: its names, documents per year,
the documents and passages naming it). Each view is one function per kind so that the registry
(views.py) gives each its own endpoint, twin and OpenAPI entry.
"""

from __future__ import annotations

import math

from flask import Response, abort, request, url_for
from werkzeug.datastructures import MultiDict

from search_web.engine import get_engine
from search_web.exports import csv_stream
from search_web.i18n_context import current_language
from search_web.openapi import Operation, param
from search_web.params import ENTITY_ID_RE, read_int, read_query
from search_web.views import Page, answers_json, view
from search_web.views import ui_bp as bp

KIND_PAGES = {"org": "organisations", "person": "people", "place": "places"}  # kind -> its list's path
KIND_NOUNS = {"org": "organisation", "person": "person", "place": "place"}
LIST_PAGE_SIZE = 100  # entities on one HTML page (the JSON list is whole unless `limit` is given)
ENTITY_PAGE_SIZE = 20  # documents on an entity's page
MAX_LIST_LIMIT = 10_000
CSV_COLUMNS = ("id", "kind", "name", "documents", "mentions", "aliases", "url")

NAME_FILTER = param("name", "Keep the entities with a name or spelling containing this (any case)", {"type": "string"})
LIST_PAGING = (
    param("page", "1-based page (with limit)", {"type": "integer", "minimum": 1}),
    param("limit", "entities per page (default: all)", {"type": "integer", "minimum": 1, "maximum": MAX_LIST_LIMIT}),
)


def _entity_id(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string", "pattern": ENTITY_ID_RE.pattern}}

DOC_PAGE = param("page", f"1-based page of documents ({ENTITY_PAGE_SIZE} a page)", {"type": "integer", "minimum": 1})


def _list_operation(what: str) -> Operation:
    return Operation(
        f"The {what} the documents name, most documents first (a list of EntitySummary)",
        {"type": "array", "items": {"$ref": "#/components/schemas/EntitySummary"}},
        (NAME_FILTER, *LIST_PAGING),
    )


def _entity_operation(what: str, arg: str) -> Operation:
    return Operation(
        f"One of the {what}: its names, documents per year, and a page of the documents and "
        "passages naming it (most mentions first)",
        "EntityView", (_entity_id(arg), DOC_PAGE), errors=(400, 404),
    )


@bp.app_template_global()
def entity_name(kind: str, short_id: str, default: str = "") -> str:
    """An entity's name in the interface language (its id when the index does not know it)."""
    info = get_engine().entity_info(kind, short_id)
    return info.name_in(current_language()) if info else (default or short_id)


@bp.app_template_global()
def entity_url(kind: str, short_id: str) -> str | None:
    """The page of an entity of a kind that has pages (None for laws)."""
    path = KIND_PAGES.get(kind)
    return url_for(f"ui.{KIND_NOUNS[kind]}", **{f"{kind}_id": short_id}) if path else None


# --- lists ----------------------------------------------------------------------------------


def _name_filter() -> str:
    """`?name=`: what the list's search box keeps (a name or acronym, in part)."""
    return read_query(MultiDict({"q": request.args.get("name", "")}))


def _listing(kind: str) -> Page:
    q = _name_filter()
    entities = get_engine().entities(kind, q)
    total = len(entities)
    default_limit = None if answers_json() else LIST_PAGE_SIZE
    limit = read_int(request.args, "limit", default_limit, 1, MAX_LIST_LIMIT)
    page = read_int(request.args, "page", 1, 1, MAX_LIST_LIMIT) or 1
    if limit:
        entities = entities[(page - 1) * limit : page * limit]

    def page_data() -> dict:
        pages = max(1, math.ceil(total / (limit or total or 1)))
        return {"kind": kind, "q": q, "total": total, "page": min(page, pages), "pages": pages}

    return Page(entities, page_data)


@view("/organisations", template="entities.html", data_name="entities", nav="nav_organisations",
      openapi=_list_operation("organisations"))
def organisations() -> Page:
    return _listing("org")


@view("/people", template="entities.html", data_name="entities", nav="nav_people",
      openapi=_list_operation("people"))
def people() -> Page:
    return _listing("person")


@view("/places", template="entities.html", data_name="entities", nav="nav_places",
      openapi=_list_operation("places"))
def places() -> Page:
    return _listing("place")


# --- one entity -----------------------------------------------------------------------------


def _entity(kind: str, entity_id: str) -> Page:
    data = None
    if ENTITY_ID_RE.match(entity_id):
        page = read_int(request.args, "page", 1, 1, 1000) or 1
        data = get_engine().entity(kind, entity_id, page=page, limit=ENTITY_PAGE_SIZE)
    if data is None:
        abort(404, description=f"no {KIND_NOUNS[kind]} with id {entity_id!r} in the index")
    pages = max(1, math.ceil(data["documents"] / ENTITY_PAGE_SIZE))
    return Page(data, lambda: {"pages": pages, "most": max((y["documents"] for y in data["by_year"]), default=1)})


@view("/organisations/<org_id>", template="entity.html", data_name="entity",
      openapi=_entity_operation("organisations", "org_id"))
def organisation(org_id: str) -> Page:
    return _entity("org", org_id)


@view("/people/<person_id>", template="entity.html", data_name="entity", openapi=_entity_operation("people", "person_id"))
def person(person_id: str) -> Page:
    return _entity("person", person_id)


@view("/places/<place_id>", template="entity.html", data_name="entity", openapi=_entity_operation("places", "place_id"))
def place(place_id: str) -> Page:
    return _entity("place", place_id)



# --- CSV ------------------------------------------------------------------------------------


def _csv(kind: str) -> Response:
    q = _name_filter()
    root = request.url_root.rstrip("/")
    path = KIND_PAGES[kind]
    rows = (
        {**e, "aliases": "; ".join(e["aliases"]), "url": f"{root}/{path}/{e['id']}"}
        for e in get_engine().entities(kind, q)
    )
    response = Response(csv_stream(next(rows, None), rows, CSV_COLUMNS), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="migrantlex-{path}.csv"'
    return response


@bp.get("/organisations.csv")
def organisations_csv():
    return _csv("org")


@bp.get("/people.csv")
def people_csv():
    return _csv("person")


@bp.get("/places.csv")
def places_csv():
    return _csv("place")
