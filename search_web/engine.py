"""The app's one SearchEngine, reachable from any view without importing the app factory."""

from __future__ import annotations

ENGINE_KEY = "migrantlex.engine"


def get_engine():
    """The current app's search engine."""
    from flask import current_app  # here, so that `import search_web` does not load Flask

    return current_app.extensions[ENGINE_KEY]
