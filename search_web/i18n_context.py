"""Picks the interface language per request and gives templates `t()` and friends.

The language comes from `?ui=`, then the `ui` cookie, then Accept-Language; a `?ui=` choice is
remembered in the cookie for a year so the switch survives navigation.
"""

from __future__ import annotations

from flask import Flask, Response, g, request

from search_web import i18n

COOKIE_MAX_AGE = 365 * 24 * 3600


def current_language() -> str:
    return getattr(g, "ui", None) or i18n.DEFAULT_LANGUAGE


def t(key: str, **values: object) -> str:
    """The label `key` in the current interface language."""
    return i18n.translate(current_language(), key, **values)


def _pick_language() -> None:
    requested = request.args.get("ui")
    g.ui = i18n.choose_language(requested, request.cookies.get(i18n.COOKIE_NAME), request.accept_languages)
    g.ui_switched = requested in i18n.LANGUAGES and requested != request.cookies.get(i18n.COOKIE_NAME)


def _remember_language(response: Response) -> Response:
    if getattr(g, "ui_switched", False):
        response.set_cookie(
            i18n.COOKIE_NAME, g.ui, max_age=COOKIE_MAX_AGE, samesite="Lax", httponly=True,
            secure=request.is_secure,
        )
    response.headers["Content-Language"] = current_language()
    response.vary.add("Cookie")
    response.vary.add("Accept-Language")
    return response


def _template_helpers() -> dict:
    lang = current_language()
    return {
        "t": t,
        "ui": lang,
        "ui_languages": i18n.LANGUAGE_NAMES,
        "value_name": lambda facet, value: i18n.value_name(lang, facet, value),
        "query_error_text": lambda exc: i18n.query_error_text(lang, exc.code, exc.params, exc.position)
        or exc.message,
    }


def install(app: Flask) -> None:
    app.before_request(_pick_language)
    app.after_request(_remember_language)
    app.context_processor(_template_helpers)
