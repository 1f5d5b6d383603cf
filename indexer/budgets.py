"""Every limit on the work one untrusted file may cost, in one place.

A hostile or broken file must cost a bounded amount of time, memory and disk, then be reported
and skipped: the run goes on. Tests lower these to make small generated bombs trip them.
"""

from __future__ import annotations

# Bytes one compressed stream (a PDF FlateDecode stream) or one archive member (a DOCX part) may
# inflate to. The largest real parts in the corpus are a few MB (a 600-page code's document.xml
# is 30 MB); 256 MB leaves room while a 1 GB stream or a paragraph bomb is refused at once.
MAX_INFLATED_BYTES = 256 * 1024 * 1024

# A plain text or Markdown file is read whole: larger ones are refused, not loaded.
MAX_TEXT_BYTES = 200 * 1024 * 1024

# Time: one PDF page (pdfminer can spend minutes on one pathological page); one file in the
# extractor, after which the rest of a PDF is skipped with a warning; and the indexer's hard
# limit per file, past which the worker is killed and replaced (above the extractor's budget so
# that the extractor reports what it kept before the indexer has to step in).
PAGE_SECONDS = 60.0
FILE_SECONDS = 600.0
FILE_KILL_SECONDS = 900.0

# Address space of one extraction worker. A file that needs more raises MemoryError inside the
# worker (reported as "too large to extract in memory"); a worker that dies anyway is replaced
# and the file reported. Real files peak below 1 GB here (pdfminer on a 600-page code).
WORKER_MEMORY_BYTES = 3 * 1024 * 1024 * 1024

# Progress is committed in batches: a kill loses at most the current batch. Each commit adds a
# segment per builder, and each segment keeps its own copy of every term it holds: see writer.py
# for why these figures.
COMMIT_EVERY_SECONDS = 600.0
COMMIT_EVERY_PASSAGES = 50_000

# The last commit of a run merges the segments under this many passages together (and rewrites
# those holding deleted passages): writer.merge_deletions.
SMALL_SEGMENT_PASSAGES = 1_000
