"""Story-grouping throughput: time per added article as the corpus grows.

The corpus is every dev-data article (ECB+ 772, BASIL 180, article-extraction 91)
plus one derived copy of each (sentences reordered with a fixed seed, dates moved
60 days on, new ids), so >= 2,000 articles. Features (NER + embeddings) are
computed once in batch and timed separately; the timed part is placing each
article (candidate retrieval, scoring, bookkeeping). Near-linear grouping means
the time per added article stays flat from 500 to 2,000 articles.

    .venv/bin/python bench/bench_grouping.py [DATA_DIR] [--ner spacy|capitalized] [--embedder minilm|hashing]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
import time
from pathlib import Path

from parallax.embed import HashingEmbedder, TextEncoder, load_embedder
from parallax.eval.grouping import load_basil, load_ecb
from parallax.group import GroupingSettings, StoryGrouper
from parallax.group.features import extract_features
from parallax.records import Article, Paragraph

CHECKPOINTS = (500, 1000, 2000)
WINDOW = 100


def _extraction_articles(data_dir: Path) -> list[Article]:
    gt = json.loads((data_dir / "article-extraction" / "ground-truth.json").read_text(encoding="utf-8"))
    out: list[Article] = []
    for key, item in sorted(gt.items()):
        body = item.get("articleBody") or ""
        paras = [Paragraph(p.strip()) for p in body.split("\n") if p.strip()]
        if paras:
            out.append(Article(id=f"ae-{key}", source=key, url=item.get("url"), paragraphs=paras))
    return out


def _derived(article: Article, rng: random.Random) -> Article:
    sentences = [s for p in article.paragraphs for s in re.split(r"(?<=[.!?])\s+", p.text) if s]
    rng.shuffle(sentences)
    published = None
    if article.published:
        published = (dt.date.fromisoformat(article.published[:10]) + dt.timedelta(days=60)).isoformat()
    return Article(
        id=article.id + "-b",
        source=article.source + "#b",
        title=article.title,
        published=published,
        outlet=article.outlet,
        paragraphs=[Paragraph(" ".join(sentences[i : i + 4])) for i in range(0, len(sentences), 4)],
    )


def build_corpus(data_dir: Path) -> list[Article]:
    """>= 2,000 articles from the dev data, in a fixed shuffled order."""
    base = [a for a, _, _ in load_ecb(data_dir, "all")] + [a for a, _ in load_basil(data_dir)]
    base += _extraction_articles(data_dir)
    rng = random.Random(0)
    corpus = base + [_derived(a, rng) for a in base]
    rng.shuffle(corpus)
    return corpus


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "data_dir", nargs="?", default=str(Path(__file__).resolve().parents[2] / "shared" / "data")
    )
    parser.add_argument("--ner", choices=["spacy", "capitalized"], default="spacy")
    parser.add_argument("--embedder", choices=["minilm", "hashing"], default="minilm")
    args = parser.parse_args(argv)
    data_dir = Path(args.data_dir)
    if not (data_dir / "ecbplus").is_dir():
        print(f"{data_dir}/ecbplus not found: pass the shared data folder", file=sys.stderr)
        return 2
    corpus = build_corpus(data_dir)
    settings = GroupingSettings(ner=args.ner)
    embedder: TextEncoder = HashingEmbedder() if args.embedder == "hashing" else load_embedder("minilm")
    print(f"corpus: {len(corpus)} articles; ner={args.ner} embedder={embedder.name}")

    start = time.perf_counter()
    feats = extract_features([(a, None) for a in corpus], settings, embedder)
    extract_s = time.perf_counter() - start
    print(
        f"features (NER + embeddings, batched): {extract_s:.1f} s, {1000 * extract_s / len(corpus):.1f} ms/article"
    )

    grouper = StoryGrouper(embedder=embedder, settings=settings)
    per_add: list[float] = []
    for f in feats:
        t0 = time.perf_counter()
        grouper.add_features(f)
        per_add.append(time.perf_counter() - t0)
    print(f"grouping time per added article (mean over the {WINDOW} adds ending at N):")
    for n in CHECKPOINTS:
        if n <= len(per_add):
            window = per_add[n - WINDOW : n]
            print(
                f"  N={n:>5}: {1000 * sum(window) / len(window):6.2f} ms   (mean over all first N: {1000 * sum(per_add[:n]) / n:6.2f} ms)"
            )
    total = sum(per_add)
    print(f"total grouping {total:.1f} s for {len(per_add)} articles; {len(grouper.stories())} stories")
    print(f"state: {len(grouper.state.to_bytes()) / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
