"""Shared fixtures: the real corpus in ../shared/corpus, copies of parts of it, and real indexes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.corpus_files import CORPUS, SAMPLE, SEEDS, SEEDS_MANIFEST, copy_corpus


def pytest_collection_modifyitems(config, items):
    if not CORPUS.is_dir():
        skip = pytest.mark.skip(reason=f"real corpus not found at {CORPUS}")
        for item in items:
            if "corpus" in item.fixturenames or "corpus_index" in item.fixturenames:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def corpus() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def sample_corpus(tmp_path_factory) -> Path:
    """A copy of SAMPLE with its manifest rows, shared by the session (do not modify)."""
    return copy_corpus(tmp_path_factory.mktemp("sample-corpus"), SAMPLE)


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory, sample_corpus) -> Path:
    """A real index of SAMPLE and the seed documents, built once per session by the real pipeline."""
    from indexer.writer import index_paths

    index_dir = tmp_path_factory.mktemp("index") / "ix"
    report = index_paths(
        [sample_corpus, SEEDS], index_dir, workers=2, progress=False, manifest=SEEDS_MANIFEST
    )
    assert not report.skipped, report.summary()
    return index_dir


@pytest.fixture(scope="session")
def engine(corpus_index):
    from indexer.search import SearchEngine

    eng = SearchEngine(corpus_index)
    yield eng
    eng.close()


@pytest.fixture(scope="session")
def full_index(tmp_path_factory) -> Path:
    """A real index of the whole corpus and the seeds (about 5 minutes on 2 cores).

    Set MIGRANTLEX_TEST_FULL_INDEX to an index already built from them (e.g. var/index after
    README's first command) to reuse it while developing; CI builds it afresh.
    """
    from indexer.writer import index_paths

    prebuilt = os.environ.get("MIGRANTLEX_TEST_FULL_INDEX")
    if prebuilt:
        return Path(prebuilt)
    index_dir = tmp_path_factory.mktemp("full-index") / "ix"
    index_paths([CORPUS], index_dir, workers=2, progress=False)
    index_paths([SEEDS], index_dir, workers=2, progress=False, manifest=SEEDS_MANIFEST)
    return index_dir


@pytest.fixture(scope="session")
def full_engine(full_index):
    from indexer.search import SearchEngine

    eng = SearchEngine(full_index)
    yield eng
    eng.close()
