"""Extraction throughput against bare spaCy ``nlp.pipe`` on the same texts, in one run.

    .venv/bin/python bench/bench_extract.py [--n 300]

Prints articles/s and characters/s of (a) ``nlp.pipe`` alone and (b) the whole
extraction (the same parse plus every extractor), and their ratio. The target is
a ratio of at least 0.60.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import corpus
from parallax.extract import extract_articles
from parallax.extract.base import build_analysis_text
from parallax.nlp import load_nlp
from parallax.records import Article, Paragraph


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=300, help="number of articles")
    ap.add_argument("--rounds", type=int, default=2, help="best of this many rounds each")
    args = ap.parse_args(argv)

    rows = corpus(args.n)
    articles = [
        Article(id=f"b{i}", source=r["url"], title=r["title"], published=r.get("published") or None,
                paragraphs=[Paragraph(p.strip()) for p in r["text"].split("\n\n") if p.strip()])
        for i, r in enumerate(rows)
    ]  # fmt: skip
    texts = [build_analysis_text(a)[0] for a in articles]
    chars = sum(len(t) for t in texts)
    nlp = load_nlp()
    list(nlp.pipe(texts[:20]))  # warm-up
    list(extract_articles(articles[:20], nlp=nlp))

    def bare() -> float:
        t0 = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=16):
            pass
        return time.perf_counter() - t0

    def full() -> float:
        t0 = time.perf_counter()
        for _ in extract_articles(articles, nlp=nlp, batch_size=16):
            pass
        return time.perf_counter() - t0

    # Interleave the rounds so a slow patch of the machine hits both alike.
    t_bare, t_full = [], []
    for _ in range(args.rounds):
        t_bare.append(bare())
        t_full.append(full())
    b, f = min(t_bare), min(t_full)
    print(f"machine: {platform.machine()} {platform.processor() or ''} python {platform.python_version()}")
    print(f"articles: {len(articles)}  characters: {chars:,}")
    print(f"bare nlp.pipe      : {len(articles) / b:8.1f} articles/s  {chars / b:10,.0f} chars/s")
    print(f"parallax extraction: {len(articles) / f:8.1f} articles/s  {chars / f:10,.0f} chars/s")
    print(f"ratio (extraction / bare nlp.pipe): {b / f:.2f}  (target >= 0.60)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
