"""Two-level grouping cost: time per added article at 1k, 2k and 4k articles.

The stream is stories-long (3,225 articles, day order) with ECB+ (772) and BASIL (180)
interleaved, 4,177 articles. Features (NER, embeddings) come from the feature cache
(``python -m parallax.eval.grouping --cache``, computed once), so what is timed is
placing each article: the event level alone (the baseline, measured in the same run)
and both levels (:class:`parallax.group.Grouper`). Bounded work means the time per
added article stays flat from 1k to 4k.

    .venv/bin/python bench/bench_group_levels.py [DATA_DIR] [--cache /tmp/group/features]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

from parallax.embed import HashingEmbedder, load_embedder
from parallax.eval.grouping import (
    DEFAULT_CACHE,
    _features,
    day_order,
    load_basil,
    load_ecb,
    load_stories_long,
)
from parallax.group import Grouper, GroupingSettings, StoryGrouper
from parallax.group.features import ArticleFeatures

CHECKPOINTS = (1000, 2000, 4000)
#: articles timed around each checkpoint
WINDOW = 100


def stream(data_dir: Path, cache: Path) -> list[ArticleFeatures]:
    settings = GroupingSettings()
    embedder = load_embedder("minilm")
    sl = _features(
        [a for a, _ in load_stories_long(data_dir)], settings, embedder, cache=cache, corpus="stories-long"
    )
    others: list[ArticleFeatures] = []
    for split in ("train", "dev"):
        ecb = [a for a, _, _ in load_ecb(data_dir, split)]
        others += _features(ecb, settings, embedder, cache=cache, corpus=f"ecb-{split}")
    others += _features([a for a, _ in load_basil(data_dir)], settings, embedder, cache=cache, corpus="basil")
    main = day_order(sl)
    out: list[ArticleFeatures] = []
    step = max(1, len(main) // max(1, len(others)))
    for i, f in enumerate(main):
        out.append(f)
        if i % step == 0 and others:
            out.append(others.pop())
    return out + others


def timings(feats: list[ArticleFeatures], two_levels: bool) -> dict[int, float]:
    settings = GroupingSettings()
    grouper: Grouper | StoryGrouper = (
        Grouper(embedder=HashingEmbedder(), settings=settings)
        if two_levels
        else StoryGrouper(embedder=HashingEmbedder(), settings=settings)
    )
    out: dict[int, float] = {}
    for n in CHECKPOINTS:
        if n > len(feats):
            break
        start_n = len(grouper.state.articles)
        for f in feats[start_n : n - WINDOW]:
            grouper.add_features(f)
        t0 = time.perf_counter()
        for f in feats[n - WINDOW : n]:
            grouper.add_features(f)
        out[n] = (time.perf_counter() - t0) / WINDOW * 1000.0
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "data_dir", nargs="?", default=str(Path(__file__).resolve().parents[2] / "shared" / "data")
    )
    parser.add_argument("--cache", default=str(DEFAULT_CACHE))
    args = parser.parse_args(argv)
    feats = stream(Path(args.data_dir), Path(args.cache))
    print(f"# {len(feats)} articles; ms per added article over the {WINDOW} articles before each checkpoint")
    base = timings(feats, two_levels=False)
    both = timings(feats, two_levels=True)
    first = CHECKPOINTS[0]
    for n in base:
        print(
            f"{n:>5} articles: event level {base[n]:6.2f} ms ({base[n] / base[first]:.2f}x of 1k)  "
            f"both levels {both[n]:6.2f} ms ({both[n] / both[first]:.2f}x of 1k; {both[n] / base[n]:.2f}x event level)"
        )
    print(f"max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
