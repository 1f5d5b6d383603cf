"""The article as a unit on the read side.

The index cuts a long article into several passages (kind `article`, then `article-chunk`s with
the same label): scoring on the pieces keeps precision. A reader, though, cites and opens whole
articles, so the read side names each passage's article by its number (`13.3`), which, unlike
passage numbers, survives a re-index.
"""

from __future__ import annotations

import re
from functools import lru_cache

from indexer.references import article_lookup

_UNSAFE_IN_ANCHOR = re.compile(r"[^A-Za-z0-9_-]+")
ARTICLE_NUMBER_RE = re.compile(r"^\d+(?:[.-]\d+)*$")  # as article_lookup normalises it: 13.3, 6-1


@lru_cache(maxsize=65536)  # a code's page asks for its 600 labels each time: the parser is slow
def article_number(label: str, kind: str) -> str:
    """The number of the article a passage belongs to ('13.3'), or '' for other passages."""
    if not kind.startswith("article"):
        return ""
    found = article_lookup(label)
    return found[0] if found else ""


def article_passages(passages: list[dict], number: str) -> list[dict]:
    """The passages of article `number`: its first run in reading order (a later article with
    the same number, as in an annex, keeps its passages' own addresses)."""
    out: list[dict] = []
    for p in passages:
        if p.get("article") == number and (not out or p["kind"].endswith("-chunk")):
            out.append(p)
        elif out:
            break
    return out


def passage_anchor(passage_id: str) -> str:
    """An HTML id for a passage that is not an article: its id with anything unsafe in a URL
    fragment replaced (articles are anchored `art-<number>`)."""
    return "p-" + _UNSAFE_IN_ANCHOR.sub("_", str(passage_id))
