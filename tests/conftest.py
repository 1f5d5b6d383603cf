"""The test tiers, and the fixtures that give tests real indexes.

A test's tier follows from the fixtures it uses (directly or through other fixtures), so a new
test lands in the right tier without anyone remembering a marker:

- unit (no marker): generated files only (`synthetic_index` and friends); no ../shared needed.
- `corpus`: uses `corpus` or `testdata`, which every fixture built from real data depends on
  (`full_index`, `web_index`, ...): skipped, with one reason, when ../shared is absent.
- `browser`: uses `chromium` (a real headless Chromium): skipped when it is not installed.
- `system` (marked by hand, by module or test): runs whole processes and waits on them (the CLI
  interrupted by signals, gunicorn servers, a disk filled up): seconds each, so the unit tier
  stays under a minute without them. They need no ../shared either.

Indexes, each built once per session by the real pipeline and only read by tests:
`full_index` (the whole corpus and the seeds), `web_index` (a few real documents and the
generated ones the web pages need), `synthetic_index` (a few dozen generated passages).
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from tests.browser import chromium_available, start_chromium
from tests.corpus_files import CORPUS, MANIFEST, SEEDS, SEEDS_MANIFEST, TESTDATA, missing_data
from tests.synthetic import SyntheticCorpus, write_synthetic_corpus


def pytest_configure(config) -> None:
    """Tests that send SIGINT need Python's handler: a suite started with `&` from a script
    inherits SIGINT ignored, and Python then installs none (nor do the CLIs it starts)."""
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)

CORPUS_FIXTURES = {"corpus", "testdata"}
BROWSER_FIXTURES = {"chromium"}


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(config, items):
    missing = missing_data()
    folders = {"corpus": CORPUS, "testdata": TESTDATA}
    no_data = pytest.mark.skip(
        reason=f"real data not found: {', '.join(map(str, missing))} (see MIGRANTLEX_CORPUS, MIGRANTLEX_TESTDATA)"
    )
    no_chromium = pytest.mark.skip(reason="chromium and chromedriver are not installed")
    has_chromium = chromium_available()
    for item in items:
        used = set(item.fixturenames)
        if used & CORPUS_FIXTURES:
            item.add_marker(pytest.mark.corpus)
            if any(folders[name] in missing for name in used & CORPUS_FIXTURES):
                item.add_marker(no_data, append=False)  # before an empty parameter set's reason
        if used & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
            if not has_chromium:
                item.add_marker(no_chromium, append=False)


# --- real data ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def corpus() -> Path:
    """../shared/corpus: the real documents (read only)."""
    return CORPUS


@pytest.fixture(scope="session")
def testdata() -> Path:
    """../shared/testdata: hostile and odd files for extraction tests (read only; not corpus)."""
    return TESTDATA


@pytest.fixture(scope="session")
def test_pdfs(testdata) -> Path:
    """../shared/testdata/pdf: broken, encrypted, scanned, rotated, form and table PDFs."""
    return testdata / "pdf"


@pytest.fixture(scope="session")
def full_index(tmp_path_factory, corpus) -> Path:
    """A real index of the whole corpus and the seeds: the one whole-corpus build of a session.

    Built as README's first command builds it: the test PDFs that testdata's manifest lists are
    left out while copies of them still lie in the corpus. Set MIGRANTLEX_TEST_FULL_INDEX to an
    index README's first command built (var/index) to reuse it while developing; CI builds afresh.
    """
    from indexer.writer import index_paths

    prebuilt = os.environ.get("MIGRANTLEX_TEST_FULL_INDEX")
    if prebuilt:
        return Path(prebuilt)
    index_dir = tmp_path_factory.mktemp("full-index") / "ix"
    listed = TESTDATA / MANIFEST
    exclude = listed if listed.is_file() else None
    report = index_paths([corpus], index_dir, workers=2, progress=False, exclude_manifest=exclude)
    assert report.indexed, report.summary()
    index_paths([SEEDS], index_dir, workers=2, progress=False, manifest=SEEDS_MANIFEST)
    return index_dir


@pytest.fixture(scope="session")
def full_engine(full_index):
    from indexer.search import SearchEngine

    eng = SearchEngine(full_index)
    yield eng
    eng.close()


@pytest.fixture(scope="session")
def web_index(tmp_path_factory, corpus) -> Path:
    """The index the web tests run on (see tests/web_corpus.py)."""
    from tests.web_corpus import build_web_index

    return build_web_index(tmp_path_factory.mktemp("web"))


# --- generated data -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def synthetic(tmp_path_factory) -> SyntheticCorpus:
    """A few dozen generated passages in ten documents, with what each passage says."""
    return write_synthetic_corpus(tmp_path_factory.mktemp("synthetic") / "corpus")


@pytest.fixture(scope="session")
def synthetic_index(tmp_path_factory, synthetic) -> Path:
    """A real index of the synthetic corpus, built by the real pipeline."""
    from indexer.writer import index_paths

    index_dir = tmp_path_factory.mktemp("synthetic-index") / "ix"
    report = index_paths([synthetic.folder], index_dir, workers=1, progress=False)
    assert not report.skipped and len(report.indexed) == len(synthetic.documents), report.summary()
    return index_dir


@pytest.fixture(scope="session")
def synthetic_engine(synthetic_index):
    from indexer.search import SearchEngine

    eng = SearchEngine(synthetic_index)
    yield eng
    eng.close()


@pytest.fixture(scope="session")
def generated_index(tmp_path_factory) -> Path:
    """A real index of law-like generated text with varied term frequencies, headings and lengths
    (tests/generated_index.py): what the scorer-vs-whoosh contract and ranking tests need."""
    from tests.generated_index import build_index

    return build_index(tmp_path_factory.mktemp("generated"))


@pytest.fixture(scope="session")
def entity_index(tmp_path_factory) -> Path:
    """A real index of a few generated press releases, reports and a law naming organisations,
    people and places in English and Russian (tests/entity_corpus.py)."""
    from tests.entity_corpus import build_index

    return build_index(tmp_path_factory.mktemp("entities"))


@pytest.fixture
def one_article_index(tmp_path) -> tuple[Path, Path]:
    """(its source folder, the index) of one file holding one article, in the test's own folder:
    for tests that change the index under a serving engine (add a file, commit behind its back)."""
    from indexer.writer import index_paths

    src, index_dir = tmp_path / "src", tmp_path / "ix"
    src.mkdir()
    (src / "a.txt").write_text("Статья 1. Трудящийся-мигрант вправе работать по найму.", encoding="utf-8")
    index_paths([src], index_dir, workers=1, progress=False)
    return src, index_dir


# --- browser --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium():
    """Starts real headless Chromium windows: chromium(width, height, javascript=True).

    Every window started quits when the test module ends.
    """
    drivers = []

    def start(width: int = 1280, height: int = 900, javascript: bool = True):
        driver = start_chromium(width, height, javascript)
        drivers.append(driver)
        return driver

    yield start
    for driver in drivers:
        driver.quit()


@pytest.fixture(scope="module")
def desktop(chromium):
    """A desktop-sized Chromium window, shared by a module's tests."""
    return chromium(1280, 900)


@pytest.fixture(scope="module")
def phone(chromium):
    """A 360 px phone screen (emulated), shared by a module's tests."""
    return chromium(360, 740)


@pytest.fixture
def fast_refresh(monkeypatch):
    """Engines check for new commits every 0.05 s instead of every second (REFRESH_SECONDS is a
    setting of ours); returns the call that waits for the next check."""
    interval = 0.05
    monkeypatch.setattr("indexer.search.engine.REFRESH_SECONDS", interval)
    return lambda: time.sleep(interval * 1.5)
