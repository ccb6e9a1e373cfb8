"""HTML cleaning throughput against trafilatura's own extraction on the same pages, in one run.

    .venv/bin/python bench/bench_clean.py [--n 300] [--rounds 2] [--data ../shared/data]

Pages: the article-extraction pages, then the four sets of extraction-more, in id order, up to
``--n``. Baseline: ``trafilatura.extract(html, include_comments=False)`` (what a user of
trafilatura alone runs). Parallax: :func:`parallax.clean.clean_document` on the same HTML
(parse and guards, metadata, trafilatura's text, the line cleaner, captions, language). Each
page is timed on both sides in turn, ``--rounds`` times, and the best time of each side counts
(a shared machine's load swings within seconds). The target is a ratio of at least 0.80.
"""

from __future__ import annotations

import argparse
import contextlib
import platform
import sys
import time
from pathlib import Path

from parallax.clean import clean_document
from parallax.errors import ParallaxError
from parallax.eval.cleaning import ALL_SETS, load_pages, page_document


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--n", type=int, default=300, help="number of pages")
    ap.add_argument("--rounds", type=int, default=2, help="best of this many rounds each")
    ap.add_argument(
        "--data", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared" / "data"
    )
    args = ap.parse_args(argv)
    import trafilatura

    pages = load_pages(args.data, ALL_SETS)[: args.n]
    if not pages:
        print(f"{args.data}: no pages (pass the shared data folder)", file=sys.stderr)
        return 2
    chars = sum(len(p.html) for p in pages)
    docs = [page_document(p.id, p.url, p.html, "html") for p in pages]

    failed = 0
    b = o = 0.0
    # warm-up: imports, lexicons, trafilatura's caches
    for page, doc in zip(pages[:5], docs[:5], strict=True):
        trafilatura.extract(page.html, include_comments=False)
        clean_document(doc)
    # page by page, each side in turn, best of the rounds per page: the shared machine's load
    # swings within seconds, and whole-corpus rounds put the swings on one side or the other
    for page, doc in zip(pages, docs, strict=True):
        t_base, t_ours = [], []
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            trafilatura.extract(page.html, include_comments=False)
            t_base.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            with contextlib.suppress(ParallaxError):  # a page with no article costs its time all the same
                clean_document(doc)
            t_ours.append(time.perf_counter() - t0)
        b += min(t_base)
        o += min(t_ours)
    for doc in docs:
        try:
            clean_document(doc)
        except ParallaxError:
            failed += 1
    print(f"machine: {platform.machine()} {platform.processor() or ''} python {platform.python_version()}")
    print(
        f"pages: {len(pages)}  HTML characters: {chars:,}  rounds: {args.rounds} per page (best of each, summed)"
    )
    print(f"trafilatura.extract : {len(pages) / b:8.1f} pages/s")
    print(f"parallax cleaning   : {len(pages) / o:8.1f} pages/s  ({failed} page(s) without an article)")
    print(f"ratio (parallax / trafilatura): {b / o:.2f}  (target >= 0.80)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
