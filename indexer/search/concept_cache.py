"""The documents' concepts saved beside the index, so a process starts without rebuilding them.

Building a ConceptIndex looks every thesaurus label up over whole posting lists: about two CPU
seconds on the corpus, paid by every CLI search and every serving worker. The labels' lemma keys
(a CPU second of morphology) are kept with it. What it finds depends
only on the index's committed state, the thesaurus and the rules in concepts.py, so it is saved
once per index generation (keyed by all three) in one file, replaced atomically; a cache that is
missing, stale, unreadable or unwritable (a read-only index folder) just means building it again.
Its arrays are deflated (np.savez_compressed): the documents' concepts as JSON are mostly the same
ids and names again (real100k: 7.3 -> 0.8 MiB, read in 0.03 CPU s instead of 0.02; files saved plain
before still read).
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import numpy as np

from analyzers import ANALYSIS_VERSION
from indexer import thesaurus as th
from indexer.cache_files import replace_atomically
from indexer.search import concepts as cx

CACHE_FILE = "concepts-cache.npz"
CACHE_VERSION = 3  # bump when what ConceptIndex.build computes changes in a way the key cannot see


def cache_key(generation: str) -> str:
    """The index generation, the thesaurus file, the analysis that turns its labels into terms
    (their lemmas are kept too) and the rules that decide what a document treats."""
    rules = (
        f"{CACHE_VERSION}|{ANALYSIS_VERSION}|{cx.MIN_PASSAGES}|{cx.MIN_SHARE}|{cx.PRIOR_GROUP}"
        f"|{cx.MAX_TERMS_PER_CONCEPT}"
    )
    thesaurus = hashlib.sha256(th.THESAURUS_FILE.read_bytes()).hexdigest()
    return f"{generation}|{thesaurus}|{rules}"


def load_or_build(folder: Path, generation: str, scorer, doc_index: np.ndarray, names: list[str]) -> cx.ConceptIndex:
    """The index's ConceptIndex (default thesaurus): from the cache when it matches, else built and saved."""
    key = cache_key(generation)
    cached = _load(folder / CACHE_FILE, key, key[len(generation) :], doc_index, scorer.n, len(names))
    if cached is not None:
        return cached
    built = cx.ConceptIndex.build(scorer, doc_index, names)
    _save(folder / CACHE_FILE, key, built, names)
    return built


def _load(path: Path, key: str, labels: str, doc_index: np.ndarray, n: int, ndocs: int) -> cx.ConceptIndex | None:
    """The cached ConceptIndex when `key` matches. A cache of another generation whose key ends in
    the same `labels` (thesaurus, analysis and rules) still gives its labels' lemma keys: each new
    generation would otherwise cost its first process a CPU second of morphology."""
    try:
        with np.load(path, allow_pickle=False) as data:
            cached_key = str(data["key"])
            if not cached_key.endswith(labels):
                return None
            facts = json.loads(data["facts"].tobytes().decode("utf-8"))
            share, about = data["share"], data["about_persons"]
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return None
    th.remember_label_keys(facts.get("label_keys", {}))
    if cached_key != key or share.shape != (ndocs,) or about.shape != (n,):
        return None
    return cx.ConceptIndex(th.default(), doc_index, facts["doc_concepts"], facts["passages"], share, about)


def _save(path: Path, key: str, index: cx.ConceptIndex, names: list[str]) -> None:
    label_keys = th.known_label_keys(th.label_texts(index.thesaurus))
    facts = json.dumps(
        {"doc_concepts": index.doc_concepts, "passages": index.passages, "label_keys": label_keys}, ensure_ascii=False
    )
    facts = np.frombuffer(facts.encode("utf-8"), dtype=np.uint8)  # as UTF-8: a str array holds 4 bytes a character
    replace_atomically(path, lambda out: np.savez_compressed(
        out, key=np.array(key), facts=facts, share=index.share, about_persons=index.about_persons,
    ))  # fmt: skip
