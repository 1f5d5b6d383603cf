"""Russian NER with natasha's news model (slovnet), without importing natasha.

natasha 1.6.0's wheel ships the model (`natasha/data/model/slovnet_ner_news_v1.tar`) and its word
embeddings (`natasha/data/emb/navec_news_v1_1B_250K_300d_100q.tar`), but `import natasha`
needs pymorphy2, which does not run on Python 3.11+. So scripts/install installs natasha with
`--no-deps` (its files only) and slovnet and navec as usual, and this module finds the two tar
files through the distribution's metadata (`importlib.metadata`, which imports nothing) and loads
them with slovnet and navec (numpy only, no torch). The model loads once per process, on first use
(~1.5 s, ~150 MB).

Loading it also keeps numpy's BLAS to one thread in that process: the model's matrix products are
small, and OpenBLAS's threads spin waiting for each other (a 130-character passage cost 62 ms of
CPU with two threads on a busy machine, 1.7 ms with one; a 20,000-character text 200 ms, 140 ms).
The writer's workers already fill the cores.
"""

from __future__ import annotations

import threading
from importlib import metadata
from pathlib import Path

from indexer.blas import one_blas_thread

MODEL_FILE = "natasha/data/model/slovnet_ner_news_v1.tar"
EMBEDDINGS_FILE = "natasha/data/emb/navec_news_v1_1B_250K_300d_100q.tar"
KINDS = {"ORG": "org", "PER": "person", "LOC": "place"}
CHUNK_CHARS = 20_000  # the model reads a long text in pieces cut at line or sentence ends

_MODEL = None
_TAGGER = None
_LOCK = threading.Lock()


class ModelMissing(RuntimeError):
    """natasha's files, slovnet or navec are not installed (see scripts/install)."""


def model_files() -> tuple[Path, Path]:
    """The model and embeddings tar files inside the installed natasha distribution."""
    try:
        dist = metadata.distribution("natasha")
    except metadata.PackageNotFoundError as exc:
        raise ModelMissing("natasha's files are not installed: run scripts/install") from exc
    files = Path(str(dist.locate_file(MODEL_FILE))), Path(str(dist.locate_file(EMBEDDINGS_FILE)))
    for f in files:
        if not f.is_file():
            raise ModelMissing(f"{f} is missing from the natasha distribution")
    return files


def available() -> bool:
    """True when the model can be loaded (its files and slovnet and navec are installed)."""
    try:
        model_files()
        import navec  # noqa: F401
        import slovnet  # noqa: F401
    except (ModelMissing, ImportError):
        return False
    return True


def model():
    """The loaded slovnet NER, once per process (thread-safe)."""
    global _MODEL
    if _MODEL is None:
        with _LOCK:
            if _MODEL is None:
                try:
                    from navec import Navec
                    from slovnet import NER
                except ImportError as exc:
                    raise ModelMissing(f"{exc.name} is not installed: run scripts/install") from exc
                one_blas_thread()
                ner_file, emb_file = model_files()
                _MODEL = NER.load(str(ner_file)).navec(Navec.load(str(emb_file)))
    return _MODEL


def spans(text: str) -> list[tuple[int, int, str]]:
    """The model's (start, end, kind) spans over a text of any length."""
    return spans_of_many([text])[0]


def spans_of_many(texts: list[str]) -> list[list[tuple[int, int, str]]]:
    """Each text's spans, the texts tagged together (a document's passages share the model's
    batches: see ner_tagger)."""
    pieces = [(i, at, piece) for i, text in enumerate(texts) for at, piece in _pieces(text) if piece.strip()]
    found: list[list[tuple[int, int, str]]] = [[] for _ in texts]
    for (i, at, _), piece_spans in zip(pieces, tagger().spans([piece for _, _, piece in pieces]), strict=True):
        found[i] += [(at + start, at + stop, KINDS[kind]) for start, stop, kind in piece_spans if kind in KINDS]
    return found


def tagger():
    """The loaded model's batch tagger, once per process."""
    global _TAGGER
    if _TAGGER is None:
        from indexer.entities.ner_tagger import Tagger

        loaded = model()
        with _LOCK:
            _TAGGER = _TAGGER or Tagger(loaded)
    return _TAGGER


def _pieces(text: str):
    """The text in pieces of at most CHUNK_CHARS, cut after a newline or a sentence end."""
    at = 0
    while at < len(text):
        end = min(len(text), at + CHUNK_CHARS)
        if end < len(text):
            cut = max(text.rfind("\n", at, end), text.rfind(". ", at, end))
            end = cut + 1 if cut > at else end
        yield at, text[at:end]
        at = end
