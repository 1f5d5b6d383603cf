"""One view answers a page and its JSON twin, as Datasette renders one data path as HTML or JSON.

A view function reads the request, asks the engine once and returns a `Page`: the data (the whole
JSON body of the twin) and, for the HTML page only, what else its template needs. `@view` registers
the function twice, at its page path on the `ui` blueprint and under /api on the `api` blueprint,
so the page and its twin cannot drift apart. From the same registration every page links to its
twin (`<link rel="alternate" type="application/json">`), pages with a label appear in the site
navigation, and /api/openapi.json describes each twin.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, jsonify, render_template, request, url_for

from indexer.search import QueryError
from search_web.params import read_query

ui_bp = Blueprint("ui", __name__)
api_bp = Blueprint("api", __name__, url_prefix="/api")

PAGE_ONLY_ARGS = ("ui", "passage", "hp")  # move around a page; the twin's data is the same


def _nothing() -> dict:
    return {}


@dataclass
class Page:
    """What a view answers.

    `data` is the twin's JSON body and the template's main variable (None: the page's empty form);
    `extra` gives what only the HTML page needs, and is called only when the page is rendered;
    `error` is a query the engine could not read: the page shows it by the query box with a 400,
    the twin answers the JSON error.
    """

    data: Any
    extra: Callable[[], dict] = _nothing
    error: QueryError | None = None


@dataclass(frozen=True)
class View:
    """A registered view: its page (URL rule and template), its JSON twin and their description."""

    name: str
    func: Callable[..., Page]
    page: str | None  # URL rule of the HTML page; None for a view that only answers JSON
    api: str  # URL rule of the JSON twin, under /api
    template: str | None
    data_name: str  # the data's name in the template
    nav: str | None  # i18n key of its link in the site navigation; None: not in it
    needs_query: bool  # the twin needs ?q=; the page without one is its empty form
    operation: Any  # its openapi.Operation; None keeps the twin out of the description

    @property
    def endpoint(self) -> str:
        return f"ui.{self.name}"


VIEWS: dict[str, View] = {}


def view(
    page: str | None = None,
    *,
    api: str | None = None,
    template: str | None = None,
    data_name: str = "data",
    nav: str | None = None,
    needs_query: bool = False,
    openapi: Any = None,
) -> Callable[[Callable[..., Page]], Callable[..., Page]]:
    """Register a view at `page` (rendered with `template`) and at /api + `api` (default: `page`).

    The endpoints are `ui.<function name>` and `api.<function name>`.
    """

    def register(func: Callable[..., Page]) -> Callable[..., Page]:
        name = func.__name__
        if name in VIEWS:
            raise ValueError(f"a view named {name!r} is already registered")
        if (page is None) != (template is None):
            raise ValueError(f"view {name!r}: a page needs a template, and a template a page")
        v = View(name, func, page, api or page or "", template, data_name, nav, needs_query, openapi)
        if not v.api:
            raise ValueError(f"view {name!r} has neither a page nor an API path")
        VIEWS[name] = v
        if page is not None:
            ui_bp.add_url_rule(page, name, lambda **url_args: _as_html(v, url_args), methods=["GET"])
        api_bp.add_url_rule(v.api, name, lambda **url_args: _as_json(v, url_args), methods=["GET"])
        return func

    return register


def _as_html(v: View, url_args: dict):
    answer = v.func(**url_args)
    context = {v.data_name: answer.data, "query_error": answer.error, **answer.extra()}
    return render_template(v.template, **context), 400 if answer.error else 200


def _as_json(v: View, url_args: dict):
    if v.needs_query:
        read_query(request.args, required=True)
    answer = v.func(**url_args)
    if answer.error:
        raise answer.error  # errors.py answers it as JSON
    return jsonify(answer.data)


def answers_json() -> bool:
    """Whether the view is answering as the JSON twin (for the few limits pages keep tighter)."""
    return request.blueprint == "api"


def json_twin() -> str | None:
    """The API URL answering the same question as the current page, with its parameters."""
    v = VIEWS.get(request.endpoint.removeprefix("ui.")) if request.blueprint == "ui" else None
    if v is None or (v.needs_query and not request.args.get("q")):
        return None
    args = [(k, x) for k, x in request.args.items(multi=True) if k not in PAGE_ONLY_ARGS]
    url = url_for(f"api.{v.name}", **(request.view_args or {}))
    return url + ("?" + urlencode(args) if args else "")


@ui_bp.app_context_processor
def _page_links() -> dict:
    return {
        "json_twin": json_twin(),
        "nav_views": [v for v in VIEWS.values() if v.nav and v.page],
    }
