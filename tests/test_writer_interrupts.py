"""Interrupts at random moments of a real `migrantlex index` never corrupt the index.

Each round starts the CLI on a generated folder, sends SIGINT, SIGTERM or SIGKILL at a random
moment (batches are made tiny so that many land inside commits), checks the index opens and
answers, runs again, and compares with a clean run: the same passages, ids and top results.
MIGRANTLEX_INTERRUPT_ROUNDS sets the number of rounds (default 3, one per signal, to keep the
unit tier under a minute; the campaign in the report used 60).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from indexer.catalog import Catalog
from indexer.search import SearchEngine
from tests.test_writer_safety import declare_laws, law

pytestmark = pytest.mark.system  # whole CLI runs, interrupted by signals

ROUNDS = int(os.environ.get("MIGRANTLEX_INTERRUPT_ROUNDS", "3"))
QUERIES = ["мигрант патент", "трудовой договор", "регистрация", "слово3x2", "разрешение OR гражданство"]
# The CLI with batches of 40 passages, so a run commits many times and interrupts hit commits too.
CLI = (
    "import sys, indexer.budgets as b; b.COMMIT_EVERY_PASSAGES = 40; "
    "from indexer.cli import main; sys.exit(main())"
)


def make_corpus(root: Path) -> Path:
    for i in range(24):
        folder = root / ("kg" if i % 2 else "ru")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"law-{i}.txt").write_text(law(i, articles=12), encoding="utf-8")
    for folder in root.iterdir():
        declare_laws(folder)  # each run's two workers would load the NER model otherwise
    return root


def index_cli(src: Path, ix: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", CLI, "index", str(src), "--index-dir", str(ix), "--workers", "2", "--no-progress"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )


def fingerprint(ix: Path) -> dict:
    """What a reader sees: passages, documents, and the ranked results of a few queries (order
    included: ties are broken by doc id, not by the index's history)."""
    index = whoosh_index.open_dir(str(ix))
    with index.searcher() as s:
        passages = sorted(f["passage_id"] for f in s.all_stored_fields())
    index.close()
    engine = SearchEngine(ix)
    try:
        top = {
            q: [(d["doc_id"], round(d["score"], 6)) for d in engine.search(q, limit=50)["results"]]
            for q in QUERIES
        }
    finally:
        engine.close()
    return {"passages": passages, "documents": sorted(Catalog(ix).documents()), "top": top}


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    src = make_corpus(tmp_path_factory.mktemp("src"))
    ix = tmp_path_factory.mktemp("clean") / "ix"
    started = time.monotonic()
    proc = index_cli(src, ix)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    return src, fingerprint(ix), time.monotonic() - started


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_an_interrupt_at_a_random_moment_leaves_an_index_that_converges(clean, tmp_path, round_):
    src, expected, seconds = clean
    rng = random.Random(round_)
    sig = (signal.SIGINT, signal.SIGTERM, signal.SIGKILL)[round_ % 3]
    ix = tmp_path / "ix"
    proc = index_cli(src, ix)
    time.sleep(rng.uniform(0.5, seconds))
    if proc.poll() is None:
        os.killpg(proc.pid, sig)
    out, err = proc.communicate(timeout=120)
    if proc.returncode != -sig:  # -sig: it was still starting Python, before the CLI ran
        assert "Traceback" not in err, err
        assert proc.returncode in (0, 130) and (proc.returncode == 0 or "interrupted" in out + err)
    if whoosh_index.exists_in(str(ix)):  # opens and answers whatever moment it was stopped at
        fingerprint(ix)
    finish = index_cli(src, ix)
    out, err = finish.communicate(timeout=300)
    assert finish.returncode == 0, err
    assert fingerprint(ix) == expected
