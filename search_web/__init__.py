"""migrantlex's web front end: a thin Flask layer over `indexer.search.SearchEngine`.

`create_app()` wires one engine per process (whoosh searchers are expensive to open and safe to
share between threads), the interface language, security headers, error pages and the views.
Every page has a JSON twin under /api, answered by the same view function (views.py): the view
builds its data once; the page renders it with a template, the twin returns it as JSON.

Adding a page, say /glossary:
1. the view, in ui.py (or a module of its own imported by `create_app`)::

       @view("/glossary", template="glossary.html", nav="nav_glossary",
             openapi=Operation("Terms and their translations", GLOSSARY_SCHEMA))
       def glossary() -> Page:
           return Page(get_engine().glossary())

   This serves /glossary and /api/glossary, links the page to its twin, puts it in the site
   navigation (drop `nav` to leave it out) and describes the twin in /api/openapi.json with
   its response schema: a dict beside the view (here GLOSSARY_SCHEMA, published as "Glossary")
   or the name of one in openapi.SCHEMAS.
   Work only the page needs goes in `Page(data, extra=...)`: it runs for HTML only;
2. its template, templates/glossary.html, extending base.html (the data is `data` there);
3. its strings (`nav_glossary`, ...) in i18n.py, in each language: a missing one fails a test;
4. its test: tests/test_web_views.py already checks every registered page's twin (200, JSON,
   linked from the page); add what the page itself must show.

Importing this package does not load Flask, so `migrantlex index` starts without it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from search_web.engine import ENGINE_KEY, get_engine

if TYPE_CHECKING:
    from flask import Flask

__all__ = ["ENGINE_KEY", "create_app", "get_engine"]


def create_app(
    index_dir: str | Path | None = None, engine=None, shared_answers: str | Path | None = None,
    answer_cache: bool = True,
) -> Flask:
    """The app over `engine`, or over a SearchEngine opened on `index_dir`.

    `index_dir` defaults to $MIGRANTLEX_INDEX_DIR, then `var/index`. A missing index raises
    FileNotFoundError here, at start-up, rather than on the first request. `shared_answers`: the
    SQLite file where the workers of one server share finished answers (shared_answers.py).
    `answer_cache=False`: every request computed anew, pages and scored queries alike (benchmarks).
    """
    from flask import Flask

    from search_web import api, errors, i18n_context, response_cache, security, ui, views  # noqa: F401
    from search_web.shared_answers import SharedAnswers

    if engine is None:
        from indexer.search import SearchEngine
        from indexer.settings import default_index_dir

        index_dir = index_dir or default_index_dir()
        engine = SearchEngine(index_dir)
    app = Flask(__name__)
    app.extensions[ENGINE_KEY] = engine
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 3600
    i18n_context.install(app)
    security.install(app)
    errors.install(app)
    if answer_cache:
        shared = SharedAnswers(shared_answers) if shared_answers is not None else None
        response_cache.install(app, shared=shared)  # after the language is picked; keeps the finished answer
    else:
        engine.keep_answers(False)
    # importing ui and api registered their views on these two blueprints
    app.register_blueprint(views.ui_bp)
    app.register_blueprint(views.api_bp)
    return app
