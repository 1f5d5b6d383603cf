"""Where the real corpus is, and how tests copy parts of it (with their manifest rows)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("MIGRANTLEX_CORPUS", ROOT.parent / "shared" / "corpus")).resolve()
SEEDS = CORPUS.parent / "seeds"
SEEDS_MANIFEST = ROOT / "corpus" / "seeds.tsv"

# Real documents that the search tests run on: migration law of Russia and Kyrgyzstan, ILO
# conventions, the UDHR in three languages, a Kyrgyz code as PDF, a DOCX checklist.
SAMPLE = [
    "ru/115-fz-o-pravovom-polozhenii-inostrannyh-grazhdan.txt",
    "ru/109-fz-o-migratsionnom-uchete.txt",
    "ru/114-fz-o-poryadke-vyezda-i-vezda.txt",
    "kg/trudovoy-kodeks-kr.txt",
    "int/ilo-c097-migration-for-employment-1949.md",
    "int/ilo-c189-domestic-workers-2011.md",
    "int/udhr-1948-en.txt",
    "int/udhr-1948-ru.txt",
    "int/udhr-1948-ky.txt",
    "pdf/kg-grazhdanskii-kodeks-ch1.pdf",
    "ru/perechen-dokumentov-vzh-trudovaya-deyatelnost.docx",
]


def copy_corpus(dest: Path, relpaths: list[str]) -> Path:
    """Copy some real documents (keeping their folders) and their manifest lines into dest."""
    dest.mkdir(parents=True, exist_ok=True)
    lines = (CORPUS / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines(keepends=True)
    wanted = set(relpaths)
    kept = [lines[0]] + [line for line in lines[1:] if line.split("\t", 1)[0] in wanted]
    for rel in relpaths:
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(CORPUS / rel, dest / rel)
    (dest / "MANIFEST.tsv").write_text("".join(kept), encoding="utf-8")
    return dest
