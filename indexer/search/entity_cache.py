"""The entities' descriptions (names, aliases, the aliases' lookup) saved beside the index.

Describing every entity folds each of its names (0.12 CPU s for the corpus's 1,433 entities, an
eighth of a CLI search), and every search needs the lookup (a query may be an acronym). What it
gives depends only on the catalog's rows, the languages of the documents naming them, the
gazetteer file and the rules in entities.py, so the file is keyed by a hash of all of them: any
other state, an unreadable file or a read-only folder just means describing them again.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from indexer.cache_files import replace_atomically
from indexer.entities.gazetteer import GAZETTEER_FILE
from indexer.models import DocMeta, Named
from indexer.search import entities as ex

CACHE_FILE = "entities-cache.json"
CACHE_VERSION = 1  # bump when what EntityIndex.describe computes changes in a way the key cannot see


def cache_key(rows: list[tuple[str, Named]], docs: dict[str, DocMeta], catalog_key: str | None = None) -> str:
    """The rows with the language of each naming document, the gazetteer, the rules. The rows and
    the documents are named by the catalog's key when it is known (catalog_cache.catalog_key: they
    are that catalog state's): hashing them took 1.7 CPU s of a server's start at 100,000 documents."""
    if catalog_key is not None:
        digest = hashlib.sha256(f"catalog|{catalog_key}".encode())
    else:
        described = [
            (doc_id, docs[doc_id].language if doc_id in docs else None, row.entity_id, row.kind, row.name,
             row.mentions, row.surfaces)
            for doc_id, row in rows
        ]  # fmt: skip
        digest = hashlib.sha256(json.dumps(described, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    digest.update(GAZETTEER_FILE.read_bytes())
    rules = f"{CACHE_VERSION}|{ex.MAX_ALIASES}|{ex.NAME_LANGUAGES}"
    return f"{digest.hexdigest()}|{rules}"


def load_or_build(
    folder: Path, rows: list[tuple[str, Named]], docs: dict[str, DocMeta], catalog_key: str | None = None
) -> ex.EntityIndex:
    """The EntityIndex of these rows (of the catalog state `catalog_key` names, when known):
    described from the cache when it matches, else described and saved."""
    index = ex.EntityIndex.tally(rows, docs)
    if not index.named_in:
        return index
    key = cache_key(rows, docs, catalog_key)
    if _load(folder / CACHE_FILE, key, index):
        return index
    index.describe(docs)
    _save(folder / CACHE_FILE, key, index)
    return index


def _load(path: Path, key: str, index: ex.EntityIndex) -> bool:
    try:
        data = json.loads(path.read_bytes().decode("utf-8", "surrogatepass"))
        if data.get("key") != key:
            return False
        info = {
            ex.full_id(e["kind"], e["id"]): ex.EntityInfo(
                e["id"], e["kind"], e["name"], e["names"], tuple(e["aliases"]), e["documents"], e["mentions"]
            )
            for e in data["info"]
        }
        aliases = data["aliases"]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    if info.keys() != index.named_in.keys():
        return False
    index.info, index.aliases = info, aliases
    return True


def _save(path: Path, key: str, index: ex.EntityIndex) -> None:
    data = {"key": key, "info": [e.to_dict() for e in index.info.values()], "aliases": index.aliases}
    text = json.dumps(data, ensure_ascii=False).encode("utf-8", "surrogatepass")
    replace_atomically(path, lambda out: out.write(text))
