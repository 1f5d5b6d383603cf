"""Optional OCR of image-only PDF pages: pdftoppm renders the page, tesseract reads it.

Both are external programs (Debian: poppler-utils, tesseract-ocr with -rus -kir -eng data); when
either is missing, OCR is off and scanned pages keep empty text, which the indexer reports as
"no text layer". At 2-4 s per page OCR is only used for pages without a text layer.
"""

from __future__ import annotations

import functools
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

WANTED_LANGUAGES = ("rus", "kir", "eng")
OCR_DPI = 200
OCR_TIMEOUT_SECONDS = 120


class OCRError(Exception):
    """OCR of one page failed; the page keeps empty text."""


def available() -> bool:
    """True when both tesseract and pdftoppm are on PATH."""
    return bool(shutil.which("tesseract") and shutil.which("pdftoppm"))


@functools.lru_cache(maxsize=1)
def languages() -> str:
    """The `-l` argument: the wanted languages tesseract has data for (eng if none)."""
    try:
        out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True,
                             timeout=30, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return "eng"
    installed = {line.strip() for line in out.splitlines()}
    return "+".join(lang for lang in WANTED_LANGUAGES if lang in installed) or "eng"


def ocr_pdf_page(path: Path, number: int) -> str:
    """Recognised text of page `number` (1-based) of the PDF at path."""
    with tempfile.TemporaryDirectory(prefix="migrantlex-ocr-") as tmp:
        prefix = Path(tmp) / "page"
        _run(["pdftoppm", "-r", str(OCR_DPI), "-f", str(number), "-l", str(number), "-png",
              "-singlefile", str(path), str(prefix)])
        image = prefix.with_suffix(".png")
        if not image.exists():
            raise OCRError("page could not be rendered")
        return _run(["tesseract", str(image), "stdout", "-l", languages()])


def _run(cmd: list[str]) -> str:
    """The program's output. It runs in a session of its own: a Ctrl-C at the terminal reaches
    only us, and we stop it (subprocess.run kills it on KeyboardInterrupt), so an interrupted
    page is never mistaken for a failed one and recorded empty for good."""
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=OCR_TIMEOUT_SECONDS,
                              check=False, start_new_session=True)
    except subprocess.TimeoutExpired as exc:
        raise OCRError(f"{cmd[0]} timed out") from exc
    except OSError as exc:
        raise OCRError(f"{cmd[0]}: {exc}") from exc
    if -done.returncode in (signal.SIGINT, signal.SIGTERM):
        raise KeyboardInterrupt  # stopped from outside: the run is being interrupted
    if done.returncode != 0:
        raise OCRError(f"{cmd[0]} exited {done.returncode}: {done.stderr.strip()[:200]}")
    return done.stdout
