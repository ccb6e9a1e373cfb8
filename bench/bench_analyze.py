"""The whole ``analyze`` (ingest, clean, store, extract, group, compare) on >= 2,000 articles.

    .venv/bin/python bench/bench_analyze.py [--n 2000]

Builds a JSONL corpus from the development data, runs ``parallax.service.analyze``
into a fresh SQLite file, and prints articles/s for each phase and overall against
bare spaCy ``nlp.pipe`` on the same cleaned texts, measured in the same run.
Grouping's time per added article at 500, 1,000 and 2,000 articles is printed by
``bench/bench_grouping.py``.
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import corpus, write_jsonl
from parallax import service
from parallax.extract.base import build_analysis_text
from parallax.nlp import load_nlp
from parallax.store import open_store


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=2000)
    args = ap.parse_args(argv)
    rows = corpus(args.n)
    with tempfile.TemporaryDirectory() as tmp:
        src = write_jsonl(rows, Path(tmp) / "corpus.jsonl")
        store = open_store(str(Path(tmp) / "bench.db"))
        nlp = load_nlp()
        t0 = time.perf_counter()
        ing = service.ingest(store, [str(src)])
        t1 = time.perf_counter()
        print(f"ingest done: {ing.stored} stored in {t1 - t0:.1f} s", flush=True)
        ext = service.extract(store)
        t2 = time.perf_counter()
        print(f"extract done: {ext.extracted} articles in {t2 - t1:.1f} s", flush=True)
        stories = service.group(store)
        t3 = time.perf_counter()
        articles = store.articles()
        texts = [build_analysis_text(a)[0] for a in articles]
        t4 = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=16):
            pass
        t5 = time.perf_counter()
        store.close()
    n = len(articles)
    total, bare = t3 - t0, t5 - t4
    print(f"machine: {platform.machine()} python {platform.python_version()}")
    print(f"input rows: {len(rows)}  stored: {ing.stored}  near-duplicates: {ing.near_duplicates}  rejected: {len(ing.rejected)}")
    print(f"ingest+clean+store : {n / (t1 - t0):8.1f} articles/s ({t1 - t0:.1f} s)")
    print(f"extract            : {n / (t2 - t1):8.1f} articles/s ({t2 - t1:.1f} s), {ext.extracted} extracted")
    print(f"group+compare      : {n / (t3 - t2):8.1f} articles/s ({t3 - t2:.1f} s), {len(stories)} stories")
    print(f"whole analyze      : {n / total:8.1f} articles/s ({total:.1f} s)")
    print(f"bare nlp.pipe      : {n / bare:8.1f} articles/s ({bare:.1f} s)")
    print(f"ratio (analyze / bare nlp.pipe): {bare / total:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
