"""Named entities (indexer.entities): precision and recall on the hand-labelled set, and their cost.

    .venv/bin/python benchmarks/bench_entities.py                 # quality and speed
    .venv/bin/python benchmarks/bench_entities.py --no-speed -v   # quality, with every miss
    .venv/bin/python benchmarks/bench_entities.py --speed-docs 0  # speed over the whole corpus

Quality: tests/data/entities_gold.tsv (see tests/entities_gold.py; the gazetteer and rules were
tuned on it) and tests/data/entities_heldout.tsv (labelled afterwards, never tuned on), per
language and kind, at two
levels: `span` (start, end and kind exact) and `entity` (the entity ids each document names), for
gazetteer + rules alone and with the Russian NER model (when installed).

Speed: CPU ms per 1,000 characters over the passages of the corpus and the seeds, as the indexer
cuts them, by document type, without and with the model; the model's load time and the process's
resident memory before and after it; what the whole corpus would cost with `model_policy`.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from indexer.entities import find_entities, model_policy, russian_ner  # noqa: E402
from tests.corpus_files import CORPUS, SEEDS, SEEDS_MANIFEST, corpus_files  # noqa: E402
from tests.entities_gold import GOLD_FILE, KINDS, load_units, passages_of, score  # noqa: E402

HELDOUT_FILE = GOLD_FILE.with_name("entities_heldout.tsv")  # labelled after the rules were tuned


def rss_mb() -> float:
    """Resident memory now (Linux /proc), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


LOAD_PROBE = """
import time, sys
sys.path.insert(0, {root!r})
from benchmarks.bench_entities import rss_mb
from indexer.entities import find_entities, russian_ner
find_entities("Министерство труда", "ru", use_model=False)
before = rss_mb()
started = time.perf_counter()
russian_ner.model()
print(f"{{time.perf_counter() - started:.2f}} s, resident memory {{before:.0f}} -> {{rss_mb():.0f}} MB")
"""


def model_load() -> str:
    """The model's load time and memory, measured in a process that has not loaded it yet."""
    root = str(Path(__file__).resolve().parents[1])
    probe = subprocess.run([sys.executable, "-c", LOAD_PROBE.format(root=root)], capture_output=True, text=True)
    return probe.stdout.strip() or probe.stderr.strip()[-300:]


def quality(verbose: bool, gold_file: Path = GOLD_FILE) -> None:
    units = load_units(CORPUS, SEEDS, gold_file)
    print(f"\n=== {gold_file.name}")
    docs = {u.doc for u in units}
    gold = sum(len(u.gold) for u in units)
    print(f"hand-labelled set: {len(docs)} documents, {len(units)} passages, {gold} mentions")
    modes = [("gazetteer+rules", False)] + ([("with the model (ru)", True)] if russian_ner.available() else [])
    for label, use_model in modes:
        scores = score(units, lambda text, lang, m=use_model: find_entities(text, lang, use_model=m))
        print(f"\n{label}")
        print(f"  {'level':<7}{'language':<9}{'kind':<8}{'P':>6}{'R':>6}{'TP':>6}{'FP':>5}{'FN':>5}")
        languages = sorted({k[1] for k in scores} - {"all"}) + ["all"]
        for level in ("span", "entity"):
            for language in languages:
                for kind in (*KINDS, "all"):
                    s = scores.get((level, language, kind))
                    if s is None or s.tp + s.fp + s.fn == 0:
                        continue
                    print(f"  {level:<7}{language:<9}{kind:<8}{s.precision:6.2f}{s.recall:6.2f}{s.tp:6d}{s.fp:5d}{s.fn:5d}")
        if verbose:
            for unit in units:
                got = {(m.start, m.end, m.kind): m.entity_id for m in find_entities(unit.text, unit.language, use_model=use_model)}
                want = {(g.start, g.end, g.kind): g.entity for g in unit.gold}
                for key in sorted(set(got) | set(want)):
                    if got.get(key) != want.get(key):
                        what = "FP" if key not in want else "FN" if key not in got else "ID"
                        print(f"    {what} {unit.language} {key[2]:<6} {unit.text[key[0]:key[1]]!r} "
                              f"got={got.get(key)} want={want.get(key)}  [{unit.doc}]")


def corpuspassages_of() -> list[tuple[str, str, str]]:
    """(doc_type, language, text) of every passage of the corpus and the seeds, as indexed."""
    rows = {}
    for manifest, folder in ((CORPUS / "MANIFEST.tsv", CORPUS), (SEEDS_MANIFEST, SEEDS)):
        with manifest.open(encoding="utf-8", newline="") as f:
            rows.update({(folder / r["path"]).resolve(): r for r in csv.DictReader(f, delimiter="\t")})
    out = []
    files = [*corpus_files(), *sorted(SEEDS.glob("*.txt"))]
    for path in files:
        row = rows.get(path.resolve(), {})
        try:
            passages = passages_of(path, row.get("doc_type", "other"), row.get("language", ""), row.get("title", ""))
        except Exception:  # an unreadable file is the extractor's business, not this benchmark's
            continue
        out += [(row.get("doc_type", "other"), language or "", text) for language, text in passages]
    return out


def cost(passages: list[tuple[str, str, str]], use_model: bool | None) -> float:
    """CPU ms per 1,000 characters over these passages."""
    chars = sum(len(t) for _, _, t in passages) or 1
    start = time.process_time()
    for doc_type, language, text in passages:
        find_entities(text, language, use_model=model_policy(doc_type) if use_model is None else use_model)
    return (time.process_time() - start) * 1000 / (chars / 1000)


def speed(sample_docs: int) -> None:
    started = time.perf_counter()
    passages = corpuspassages_of()
    print(f"\ncorpus and seeds: {len(passages)} passages, {sum(len(t) for *_, t in passages):,} characters "
          f"(extracted and split in {time.perf_counter() - started:.0f} s); load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    groups: dict[str, list] = {}
    for p in passages:
        groups.setdefault("laws" if p[0] in ("law", "code") else "other documents", []).append(p)
    random.seed(14)
    find_entities("Министерство труда", "ru", use_model=False)  # pymorphy3 and the gazetteer loaded
    rates = {}
    for name, group in sorted(groups.items()):
        picked = group if not sample_docs or len(group) <= sample_docs else random.sample(group, sample_docs)
        chars = sum(len(t) for *_, t in picked)
        runs = [cost(picked, False) for _ in range(3)]
        rates[name] = statistics.median(runs)
        print(f"  {name}: {len(picked)} passages, {chars:,} chars: gazetteer+rules "
              f"{rates[name]:.2f} ms CPU / 1,000 chars (median of 3; first run {runs[0]:.2f})")
    if not russian_ner.available():
        print("  the Russian model is not installed (scripts/install installs it)")
        return
    print(f"  model load (a fresh process): {model_load()}")
    model_rates = {}
    for name, group in sorted(groups.items()):
        russian = [p for p in group if p[1] == "ru"]
        picked = russian if not sample_docs or len(russian) <= sample_docs else random.sample(russian, sample_docs)
        if picked:
            model_rates[name] = statistics.median([cost(picked, True) for _ in range(3)])
            print(f"  {name}, Russian: {len(picked)} passages: with the model {model_rates[name]:.2f} ms CPU / 1,000 chars")
    total = {True: 0.0, False: 0.0, None: 0.0}
    for doc_type, language, text in passages:
        group = "laws" if doc_type in ("law", "code") else "other documents"
        base = rates[group] * len(text) / 1000
        with_model = model_rates.get(group, rates[group]) * len(text) / 1000 if language == "ru" else base
        total[False] += base
        total[True] += with_model
        total[None] += with_model if model_policy(doc_type) else base
    print(f"  whole corpus, estimated CPU: gazetteer+rules {total[False] / 1000:.0f} s; model everywhere "
          f"{total[True] / 1000:.0f} s; model_policy (model on reports, press releases, other) {total[None] / 1000:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-v", "--verbose", action="store_true", help="print every miss and false hit")
    parser.add_argument("--no-speed", action="store_true", help="quality only")
    parser.add_argument("--speed-docs", type=int, default=400, help="passages per group for speed (0: all)")
    args = parser.parse_args()
    quality(args.verbose)
    quality(args.verbose, HELDOUT_FILE)
    if not args.no_speed:
        speed(args.speed_docs)


if __name__ == "__main__":
    main()
