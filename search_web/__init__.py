"""migrantlex's web front end: a thin Flask layer over `indexer.search.SearchEngine`.

`create_app()` wires one engine per process (whoosh searchers are expensive to open and safe to
share between threads), the interface language, security headers, error pages and two
blueprints: `ui` (HTML pages) and `api` (their JSON twins).
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask

__all__ = ["create_app", "get_engine"]

ENGINE_KEY = "migrantlex.engine"


def create_app(index_dir: str | Path | None = None, engine=None) -> Flask:
    """The app over `engine`, or over a SearchEngine opened on `index_dir`.

    `index_dir` defaults to $MIGRANTLEX_INDEX_DIR, then `var/index`. A missing index raises
    FileNotFoundError here, at start-up, rather than on the first request.
    """
    from search_web import api, errors, i18n_context, security, ui

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
    app.register_blueprint(ui.bp)
    app.register_blueprint(api.bp)
    return app


def get_engine():
    """The current app's search engine."""
    from flask import current_app

    return current_app.extensions[ENGINE_KEY]
