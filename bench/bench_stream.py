"""A 100,000-article stream through grouping: time per added article and resident memory.

The stream is built from the cached features of the development data (stories-long,
ECB+, BASIL; ``python -m parallax.eval.grouping --cache`` computes them once): each
synthetic story copies one real story's articles, moved to a new start day and given new
ids, and each synthetic article recombines two articles of its source story (the union
of half the terms of each, the mean of their embeddings, their names), so stories look
like real ones (shared names, continuing vocabulary) without any NLP cost. Stories start
every few days over years, so at any time a few hundred are running.

What is timed is placing each article at both levels (:class:`parallax.group.Grouper`),
in day order; the time per added article is averaged over the 200 articles before each
checkpoint, and the resident memory (RSS) read there.

    .venv/bin/python bench/bench_stream.py [DATA_DIR] [--n 100000]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from parallax.embed import HashingEmbedder, load_embedder
from parallax.eval.grouping import DEFAULT_CACHE, _features, load_basil, load_ecb, load_stories_long
from parallax.group import Grouper, GroupingSettings
from parallax.group.features import ArticleFeatures

CHECKPOINTS = (1_000, 10_000, 50_000, 100_000)
WINDOW = 200
#: a new synthetic story starts every this many days on average (Poisson-like, seeded)
STORY_EVERY_DAYS = 0.5
#: most articles a synthetic story takes from its source
MAX_STORY = 120


def _rss_mib() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return float("nan")


def sources(data_dir: Path, cache: Path) -> list[list[ArticleFeatures]]:
    """Real stories (lists of features) to copy: stories-long cut into months, ECB+ subtopics, BASIL triplets."""
    settings = GroupingSettings()
    embedder = load_embedder("minilm")
    groups: dict[str, list[ArticleFeatures]] = defaultdict(list)
    sl = load_stories_long(data_dir)
    feats = _features([a for a, _ in sl], settings, embedder, cache=cache, corpus="stories-long")
    for (_, story), f in zip(sl, feats, strict=True):
        groups[f"{story}-{(f.day or 0) // 30}"].append(f)
    for split in ("train", "dev"):
        ecb = load_ecb(data_dir, split)
        for (_, sub, _), f in zip(
            ecb,
            _features([a for a, _, _ in ecb], settings, embedder, cache=cache, corpus=f"ecb-{split}"),
            strict=True,
        ):
            groups[sub].append(f)
    basil = load_basil(data_dir)
    for (_, triplet), f in zip(
        basil, _features([a for a, _ in basil], settings, embedder, cache=cache, corpus="basil"), strict=True
    ):
        groups[triplet].append(f)
    return [
        sorted(g, key=lambda f: (f.day or 0, f.article_id)) for _, g in sorted(groups.items()) if len(g) >= 2
    ]


def synthetic_stream(stories: list[list[ArticleFeatures]], n: int, seed: int = 0) -> list[ArticleFeatures]:
    rng = random.Random(seed)
    out: list[ArticleFeatures] = []
    day0 = 730_000
    start = 0.0
    k = 0
    while len(out) < n:
        src = stories[rng.randrange(len(stories))]
        start += rng.expovariate(1.0 / STORY_EVERY_DAYS)
        first = src[0].day or 0
        take = src[:MAX_STORY]
        for i, f in enumerate(take):
            g = take[rng.randrange(len(take))]
            terms = {t: v for j, (t, v) in enumerate(f.terms.items()) if j % 2 == 0}
            for j, (t, v) in enumerate(g.terms.items()):
                if j % 2 == 1:
                    terms[t] = max(v, terms.get(t, 0.0))
            emb = f.embedding + g.embedding
            emb = (emb / (np.linalg.norm(emb) or 1.0)).astype(np.float32)
            offset = (f.day - first) if f.day is not None else i // 3
            out.append(
                ArticleFeatures(
                    article_id=f"x{k}-{i}",
                    terms=terms,
                    entities=list(dict.fromkeys(f.entities + g.entities[:3])),
                    places=list(dict.fromkeys(f.places + g.places[:1])),
                    salient=f.salient,
                    day=day0 + int(start) + offset,
                    years=f.years,
                    embedding=emb,
                )
            )
        k += 1
    out = out[:n]
    out.sort(key=lambda f: (f.day or 0, f.article_id))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "data_dir", nargs="?", default=str(Path(__file__).resolve().parents[2] / "shared" / "data")
    )
    parser.add_argument("--cache", default=str(DEFAULT_CACHE))
    parser.add_argument("--n", type=int, default=CHECKPOINTS[-1])
    args = parser.parse_args(argv)
    stream = synthetic_stream(sources(Path(args.data_dir), Path(args.cache)), args.n)
    print(
        f"# {len(stream)} synthetic articles over {(stream[-1].day or 0) - (stream[0].day or 0)} days, day order"
    )
    print(f"# ms per added article (both levels) over the {WINDOW} before each checkpoint; RSS there")
    grouper = Grouper(embedder=HashingEmbedder(), settings=GroupingSettings())
    first: float | None = None
    done = 0
    for n in CHECKPOINTS:
        if n > len(stream):
            break
        for f in stream[done : n - WINDOW]:
            grouper.add_features(f)
        t0 = time.perf_counter()
        for f in stream[n - WINDOW : n]:
            grouper.add_features(f)
        ms = (time.perf_counter() - t0) / WINDOW * 1000.0
        done = n
        first = first or ms
        print(
            f"{n:>7} articles: {ms:7.2f} ms/article ({ms / first:.2f}x of 1k)  RSS {_rss_mib():7.0f} MiB  "
            f"stories {len(grouper.stories()):>6}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
