"""Story-grouping evaluation on ECB+ and BASIL, and fitting the pair model on ECB+ train.

ECB+ (``<data>/ecbplus``): every document of the chosen split goes into one
grouper, in a fixed shuffled order (seed 0), without topics, dates or the number
of stories; gold story = ``subtopic``. BASIL (``<data>/basil``): all 180
articles with their dates and outlets; gold story = the triplet id.

Scores (exactly as ``data/README.md`` defines them):

* pairwise P/R/F1 over unordered document pairs; TP = pairs together in both gold
  and prediction.
* BCubed P/R/F1: per document, P = |pred ∩ gold| / |pred|, R = |pred ∩ gold| / |gold|
  (its own clusters), averaged over documents; F1 = 2PR / (P + R) of the averages.

Names come from spaCy NER over the text (``ner="spacy"``; the evaluation data has
no ArticleFacts). Run::

    python -m parallax.eval.grouping ../shared/data            # ECB+ train + dev, BASIL
    python -m parallax.eval.grouping ../shared/data --fit      # refit lexicons/group_weights.json
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from parallax.embed import HashingEmbedder, TextEncoder, load_embedder
from parallax.errors import InputError
from parallax.group.features import ArticleFeatures, extract_features
from parallax.group.settings import GroupingSettings
from parallax.group.stories import StoryGrouper
from parallax.records import Article, Paragraph

PAIRWISE_RULE = "pairwise: TP = unordered document pairs in the same gold story and the same predicted story"
BCUBED_RULE = (
    "BCubed: per document P = |pred∩gold|/|pred|, R = |pred∩gold|/|gold|, averaged; F1 of the averages"
)

_DETOK = [
    (re.compile(r"\s+([,.;:!?%)\]}])"), r"\1"),
    (re.compile(r"([(\[{$])\s+"), r"\1"),
    (re.compile(r"\s*([’'])\s*(s|t|re|ve|ll|d|m)\b"), r"\1\2"),
    (re.compile(r"(\w)\s*-\s*(\w)"), r"\1-\2"),
    (re.compile(r"``\s*|\s*''"), '"'),
    (re.compile(r"\s+"), " "),
]


def detokenize(text: str) -> str:
    """Undo ECB+'s token spacing ("Lohan ’ s" -> "Lohan’s", "word ," -> "word,")."""
    for pattern, repl in _DETOK:
        text = pattern.sub(repl, text)
    return text.strip()


# --------------------------------------------------------------------------- metrics


def pairwise_scores(gold: dict[str, str], pred: dict[str, str]) -> dict[str, float]:
    """Pairwise P/R/F1 over unordered document pairs (documents in ``gold`` only)."""
    docs = sorted(gold)
    tp = fp = fn = 0
    for i, a in enumerate(docs):
        for b in docs[i + 1 :]:
            same_gold = gold[a] == gold[b]
            same_pred = pred[a] == pred[b]
            tp += same_gold and same_pred
            fp += same_pred and not same_gold
            fn += same_gold and not same_pred
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {"p": p, "r": r, "f1": _f1(p, r)}


def bcubed_scores(gold: dict[str, str], pred: dict[str, str]) -> dict[str, float]:
    """BCubed P/R/F1 (documents in ``gold`` only)."""
    gold_members: dict[str, set[str]] = defaultdict(set)
    pred_members: dict[str, set[str]] = defaultdict(set)
    for doc in gold:
        gold_members[gold[doc]].add(doc)
        pred_members[pred[doc]].add(doc)
    ps: list[float] = []
    rs: list[float] = []
    for doc in gold:
        g, q = gold_members[gold[doc]], pred_members[pred[doc]]
        both = len(g & q)
        ps.append(both / len(q))
        rs.append(both / len(g))
    p = sum(ps) / len(ps) if ps else 1.0
    r = sum(rs) / len(rs) if rs else 1.0
    return {"p": p, "r": r, "f1": _f1(p, r)}


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score_all(gold: dict[str, str], pred: dict[str, str]) -> dict[str, Any]:
    return {
        "docs": len(gold),
        "gold_stories": len(set(gold.values())),
        "pred_stories": len({pred[d] for d in gold}),
        "pairwise": pairwise_scores(gold, pred),
        "bcubed": bcubed_scores(gold, pred),
    }


# --------------------------------------------------------------------------- data


def _article(
    doc_id: str, title: str, text: str, *, published: str | None = None, outlet: str | None = None
) -> Article:
    paragraphs = [Paragraph(p.strip()) for p in re.split(r"\n\s*\n", text) if p.strip()]
    return Article(
        id=doc_id,
        source=doc_id,
        title=title or None,
        paragraphs=paragraphs,
        published=published,
        outlet=outlet,
    )


def load_ecb(data_dir: Path, split: str = "dev") -> list[tuple[Article, str, str]]:
    """ECB+ documents of ``split`` ("train", "dev" or "all"): (article, gold subtopic, topic)."""
    root = Path(data_dir) / "ecbplus"
    index = root / "gold_subtopics.tsv"
    if not index.is_file():
        raise InputError("ECB+ index gold_subtopics.tsv not found", source=str(root))
    out: list[tuple[Article, str, str]] = []
    with index.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if split != "all" and row["split"] != split:
                continue
            doc = json.loads((root / row["path"]).read_text(encoding="utf-8"))
            title = detokenize(doc.get("title") or "")
            text = detokenize(doc.get("text") or "")
            if not text:  # README: empty text -> title + text
                text, title = title, ""
            # no dates: ECB+ publication dates are missing or unreliable
            out.append((_article(row["doc_id"], title, text), row["subtopic"], row["topic"]))
    return out


def load_basil(data_dir: Path) -> list[tuple[Article, str]]:
    """BASIL articles (with date and outlet) and their gold story (triplet id)."""
    root = Path(data_dir) / "basil"
    index = root / "index.tsv"
    if not index.is_file():
        raise InputError("BASIL index.tsv not found", source=str(root))
    out: list[tuple[Article, str]] = []
    with index.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            doc = json.loads((root / row["path"]).read_text(encoding="utf-8"))
            paras = doc.get("body-paragraphs") or []
            text = "\n\n".join(" ".join(s for s in para) for para in paras if para)
            out.append(
                (
                    _article(
                        row["article_id"],
                        doc.get("title") or row["title"],
                        text,
                        published=row["date"],
                        outlet=row["source"],
                    ),
                    row["story_id(triplet-uuid)"],
                )
            )
    return out


def load_stories_long(data_dir: Path, which: str = "full") -> list[tuple[Article, str]]:
    """stories-long articles (``which``: "full" months or the 21-day "windows") and their gold story.

    Titles stay empty as the corpus has them (the headline is the text's first line), and
    doc ids, which spell the story, never reach the grouper's features.
    """
    root = Path(data_dir) / "stories-long"
    index = root / ("gold_full.tsv" if which == "full" else "gold_windows.tsv")
    if not index.is_file():
        raise InputError(f"stories-long index {index.name} not found", source=str(root))
    out: list[tuple[Article, str]] = []
    with index.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            doc = json.loads((root / row["path"]).read_text(encoding="utf-8"))
            article = _article(
                row["doc_id"],
                doc.get("title") or "",
                doc.get("text") or "",
                published=row["published"] or doc.get("published"),
                outlet=row["outlet"] or doc.get("outlet"),
            )
            out.append((article, row["story"]))
    return out


# --------------------------------------------------------------------------- running


def _ordered(items: Sequence[Any], seed: int = 0) -> list[Any]:
    out = list(items)
    random.Random(seed).shuffle(out)
    return out


def group_features(
    features: Iterable[ArticleFeatures], settings: GroupingSettings, embedder: TextEncoder
) -> dict[str, str]:
    """Group precomputed features in one fresh grouper; article id -> story id."""
    grouper = StoryGrouper(embedder=embedder, settings=settings)
    placed: list[str] = []
    for f in features:
        grouper.add_features(f)
        placed.append(f.article_id)
    return {aid: grouper.story_of(aid) for aid in placed}


#: where ``--cache`` keeps per-article features (names, terms, embeddings), one folder per corpus
DEFAULT_CACHE = Path("/tmp/group/features")


def _features(
    articles: Sequence[Article],
    settings: GroupingSettings,
    embedder: TextEncoder,
    *,
    cache: Path | None = None,
    corpus: str = "",
) -> list[ArticleFeatures]:
    """Features of ``articles`` in order; read from / written to ``cache``/``corpus`` when a cache is given."""
    from parallax.group import cache as feature_cache

    def compute() -> list[ArticleFeatures]:
        return extract_features([(a, None) for a in articles], settings, embedder)

    meta = {k: getattr(settings, k) for k in feature_cache.FEATURE_SETTINGS}
    meta["embedder"] = embedder.name
    folder = cache / f"{corpus}-{embedder.name}-{settings.ner}" if cache is not None and corpus else None
    return feature_cache.cached(folder, [a.id for a in articles], meta, compute)


def evaluate_ecb(
    data_dir: Path | str,
    split: str = "dev",
    *,
    settings: GroupingSettings | None = None,
    embedder: TextEncoder | None = None,
    features: list[ArticleFeatures] | None = None,
    cache: Path | None = None,
) -> dict[str, Any]:
    """Group every ECB+ document of ``split`` in one grouper; scores overall, per topic and baselines.

    The event level is the score (ECB+ subtopics are events); the story level is reported alongside.
    """
    settings = settings or GroupingSettings()
    embedder = embedder or load_embedder("minilm")
    docs = _ordered(load_ecb(Path(data_dir), split))
    gold = {a.id: sub for a, sub, _ in docs}
    topic = {a.id: t for a, _, t in docs}
    feats = (
        features
        if features is not None
        else _features([a for a, _, _ in docs], settings, embedder, cache=cache, corpus=f"ecb-{split}")
    )
    start = time.perf_counter()
    pred = group_features(feats, settings, embedder)
    seconds = time.perf_counter() - start
    result = score_all(gold, pred)
    result["story_level"] = score_all(gold, group_stories(feats, settings))
    result["split"] = split
    result["seconds_grouping"] = round(seconds, 3)
    result["baselines"] = {
        "all-in-topic": score_all(gold, topic),
        "one-per-doc": score_all(gold, {d: d for d in gold}),
    }
    per_topic: dict[str, Any] = {}
    for t in sorted(set(topic.values()), key=lambda x: int(x) if x.isdigit() else 0):
        sub_gold = {d: g for d, g in gold.items() if topic[d] == t}
        per_topic[t] = score_all(sub_gold, pred)
    result["per_topic"] = per_topic
    return result


def evaluate_basil(
    data_dir: Path | str,
    *,
    settings: GroupingSettings | None = None,
    embedder: TextEncoder | None = None,
    cache: Path | None = None,
) -> dict[str, Any]:
    """Group all BASIL articles in date order; BCubed/pairwise and the share of intact triplets.

    The event level is the score (a triplet is one event); the story level is reported alongside.
    """
    settings = settings or GroupingSettings()
    embedder = embedder or load_embedder("minilm")
    docs = sorted(load_basil(Path(data_dir)), key=lambda x: (x[0].published or "", x[0].id))
    gold = {a.id: g for a, g in docs}
    feats = _features([a for a, _ in docs], settings, embedder, cache=cache, corpus="basil")
    pred = group_features(feats, settings, embedder)
    result = score_all(gold, pred)
    result["story_level"] = score_all(gold, group_stories(feats, settings))
    by_gold: dict[str, set[str]] = defaultdict(set)
    by_pred: dict[str, set[str]] = defaultdict(set)
    for d in gold:
        by_gold[gold[d]].add(d)
        by_pred[pred[d]].add(d)
    together = sum(1 for members in by_gold.values() if len({pred[d] for d in members}) == 1)
    alone = sum(1 for members in by_gold.values() if by_pred[pred[next(iter(members))]] == members)
    result["stories_together"] = together / len(by_gold)
    result["stories_together_and_alone"] = alone / len(by_gold)
    result["baselines"] = {"one-per-doc": score_all(gold, {d: d for d in gold})}
    return result


def day_order(features: Iterable[ArticleFeatures]) -> list[ArticleFeatures]:
    """Articles as a stream brings them: by day, then id (undated ones last, in their order)."""
    items = list(features)
    dated = sorted((f for f in items if f.day is not None), key=lambda f: (f.day or 0, f.article_id))
    return dated + [f for f in items if f.day is None]


def group_levels(
    features: Iterable[ArticleFeatures], settings: GroupingSettings, embedder: TextEncoder | None = None
) -> tuple[dict[str, str], dict[str, str]]:
    """Both levels, articles fed in day order: (article id -> event id, article id -> story id)."""
    from parallax.group.levels import Grouper

    grouper = Grouper(embedder=embedder or HashingEmbedder(), settings=settings)
    feats = day_order(features)
    for f in feats:
        grouper.add_features(f)
    return (
        {f.article_id: grouper.event_of(f.article_id) for f in feats},
        {f.article_id: grouper.story_of(f.article_id) for f in feats},
    )


def group_stories(features: Iterable[ArticleFeatures], settings: GroupingSettings) -> dict[str, str]:
    """The story level (inside the two-level grouper): article id -> story id, in day order."""
    return group_levels(features, settings)[1]


Replay = list[tuple[ArticleFeatures, list[str]]]


def event_replay(features: Iterable[ArticleFeatures], settings: GroupingSettings) -> Replay:
    """Each article in day order with its event mates at the time it was placed.

    The event level does not depend on the story level's settings, so fitting the
    story level replays this instead of re-running the event level each time.
    """
    from parallax.group.stories import StoryGrouper

    events = StoryGrouper(embedder=HashingEmbedder(), settings=settings)
    out: Replay = []
    st = events.state
    for f in day_order(features):
        event = events.add_features(f)
        out.append(
            (f, [st.articles[r].id for r in st.stories[event].members if st.articles[r].id != f.article_id])
        )
    return out


def cached_replay(
    features: Sequence[ArticleFeatures], settings: GroupingSettings, cache: Path | None, name: str
) -> Replay:
    """:func:`event_replay`, read from ``cache`` when it was computed with the same event settings."""
    if cache is None:
        return event_replay(features, settings)
    event_knobs = {k: v for k, v in settings.to_dict().items() if not k.startswith("story_")}
    key = hashlib.sha1(json.dumps(event_knobs, sort_keys=True, default=str).encode()).hexdigest()[:12]
    path = cache / f"replay-{name}-{key}.json"
    by_id = {f.article_id: f for f in features}
    if path.is_file():
        rows = json.loads(path.read_text(encoding="utf-8"))
        if len(rows) == len(features) and all(aid in by_id for aid, _ in rows):
            return [(by_id[aid], list(mates)) for aid, mates in rows]
    replay = event_replay(features, settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([[f.article_id, m] for f, m in replay]), encoding="utf-8")
    return replay


def replay_stories(replay: Replay, settings: GroupingSettings) -> dict[str, str]:
    """The story level over an :func:`event_replay`: article id -> story id (as the Grouper would)."""
    from parallax.group.threads import ThreadGrouper

    embeddings = {f.article_id: f.embedding for f, _ in replay}
    grouper = ThreadGrouper(settings, embedding_of=embeddings.get)
    for f, mates in replay:
        grouper.add(f, mates)
    return {f.article_id: grouper.story(f.article_id) for f, _ in replay}


def order_independence(
    features: Sequence[ArticleFeatures], settings: GroupingSettings, seed: int = 1
) -> dict[str, dict[str, float]]:
    """BCubed between all-at-once grouping and a day-by-day stream whose articles arrive one by one
    in a shuffled order within each day (both levels). 1.0 = the same groups."""
    from parallax.group.levels import Grouper

    events_once, stories_once = group_levels(features, settings)
    rng = random.Random(seed)
    by_day: dict[int | None, list[ArticleFeatures]] = defaultdict(list)
    for f in features:
        by_day[f.day].append(f)
    grouper = Grouper(embedder=HashingEmbedder(), settings=settings)
    for day in sorted(by_day, key=lambda d: (d is None, d or 0)):
        todays = list(by_day[day])
        rng.shuffle(todays)
        for f in todays:
            grouper.add_features(f)
    ids = [f.article_id for f in features]
    return {
        "events": bcubed_scores(events_once, {i: grouper.event_of(i) for i in ids}),
        "stories": bcubed_scores(stories_once, {i: grouper.story_of(i) for i in ids}),
    }


def bcubed_of(docs: Iterable[str], gold: dict[str, str], pred: dict[str, str]) -> dict[str, float]:
    """BCubed P/R/F1 averaged over ``docs`` only, with clusters taken over every scored document.

    A held-out story's documents are scored against the whole prediction, so articles of
    other stories in their clusters still cost precision.
    """
    gold_members: dict[str, set[str]] = defaultdict(set)
    pred_members: dict[str, set[str]] = defaultdict(set)
    for doc in gold:
        gold_members[gold[doc]].add(doc)
        pred_members[pred[doc]].add(doc)
    ps: list[float] = []
    rs: list[float] = []
    for doc in docs:
        g, q = gold_members[gold[doc]], pred_members[pred[doc]]
        ps.append(len(g & q) / len(q))
        rs.append(len(g & q) / len(g))
    p = sum(ps) / len(ps) if ps else 1.0
    r = sum(rs) / len(rs) if rs else 1.0
    return {"p": p, "r": r, "f1": _f1(p, r)}


def average_linkage_baseline(features: Sequence[ArticleFeatures], threshold: float = 0.5) -> dict[str, str]:
    """The reference point of issue 7: MiniLM embeddings, average-linkage clustering cut at a cosine."""
    from scipy.cluster.hierarchy import fcluster, linkage

    if len(features) < 2:
        return {f.article_id: f.article_id for f in features}
    emb = np.stack([f.embedding for f in features]).astype(np.float64)
    dist = np.clip(1.0 - emb @ emb.T, 0.0, 2.0)
    condensed = dist[np.triu_indices(len(features), k=1)]
    labels = fcluster(linkage(condensed, method="average"), t=1.0 - threshold, criterion="distance")
    return {f.article_id: f"c{label}" for f, label in zip(features, labels, strict=True)}


def evaluate_stories_long(
    data_dir: Path | str,
    which: str = "full",
    *,
    settings: GroupingSettings | None = None,
    embedder: TextEncoder | None = None,
    cache: Path | None = None,
    baselines: bool = True,
) -> dict[str, Any]:
    """stories-long at the story level (articles in day order); the issue's baseline alongside."""
    settings = settings or GroupingSettings()
    embedder = embedder or load_embedder("minilm")
    docs = load_stories_long(Path(data_dir), "full")
    feats_all = _features([a for a, _ in docs], settings, embedder, cache=cache, corpus="stories-long")
    keep = {a.id for a, _ in load_stories_long(Path(data_dir), which)} if which != "full" else None
    gold = {a.id: g for a, g in docs if keep is None or a.id in keep}
    feats = [f for f in feats_all if f.article_id in gold]
    start = time.perf_counter()
    pred = group_stories(feats, settings)
    result = score_all(gold, pred)
    result["seconds_grouping"] = round(time.perf_counter() - start, 3)
    result["per_story"] = {
        g: score_all({d: x for d, x in gold.items() if x == g}, pred) for g in sorted(set(gold.values()))
    }
    libya_syria = {d: x for d, x in gold.items() if x in ("t17-libyawar", "t17-syriancrisis")}
    result["libya_syria"] = score_all(libya_syria, pred)
    if baselines:
        result["baselines"] = {
            f"minilm-average-linkage@{t}": score_all(gold, average_linkage_baseline(feats, t))
            for t in (0.3, 0.4, 0.5)
        }
    return result


# --------------------------------------------------------------------------- fitting


def _pair_dataset(
    feats: list[ArticleFeatures],
    gold: dict[str, str],
    topic: dict[str, str],
    settings: GroupingSettings,
    embedder: TextEncoder,
) -> tuple[np.ndarray, np.ndarray]:
    """Pair features for every within-topic pair plus cross-topic candidate pairs."""
    grouper = StoryGrouper(embedder=embedder, settings=settings.replace(join_threshold=2.0, merge=False))
    for f in feats:
        grouper.add_features(f)
    st = grouper.state
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    for i, f in enumerate(feats):
        same_topic = [
            j for j in range(len(feats)) if j != i and topic[feats[j].article_id] == topic[f.article_id]
        ]
        cands = [j for j in grouper.candidate_rows(f) if j != i and j not in set(same_topic)]
        rows = same_topic + cands
        xs.append(grouper.pair_features(f, rows))
        ys.append(np.array([gold[st.articles[j].id] == gold[f.article_id] for j in rows], dtype=np.int64))
    return np.vstack(xs), np.concatenate(ys)


def _story_dataset(
    feats: list[ArticleFeatures], gold: dict[str, str], settings: GroupingSettings, embedder: TextEncoder
) -> tuple[np.ndarray, np.ndarray]:
    """Story-model inputs met when each article, in order, faces the gold stories built so far."""
    grouper = StoryGrouper(embedder=embedder, settings=settings)
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    for f in feats:
        sids, x = grouper.story_candidates(f)
        if sids:
            xs.append(x)
            ys.append(np.array([sid == gold[f.article_id] for sid in sids], dtype=np.int64))
        grouper.add_to_story(f, gold[f.article_id])
    return np.vstack(xs), np.concatenate(ys)


def thread_dataset(
    feats: Sequence[ArticleFeatures], gold: dict[str, str], settings: GroupingSettings
) -> tuple[np.ndarray, np.ndarray]:
    """Story-level model inputs met when each article, in day order, faces the gold stories built so far."""
    from parallax.group.threads import THREAD_FEATURES, ThreadGrouper

    grouper = ThreadGrouper(settings)
    xs: list[np.ndarray] = [np.zeros((0, len(THREAD_FEATURES)))]
    ys: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    for f in day_order(feats):
        tids, x = grouper.features(f)
        if tids:
            xs.append(x)
            ys.append(np.array([tid == gold[f.article_id] for tid in tids], dtype=np.int64))
        grouper.add_to(f, gold[f.article_id])
    return np.vstack(xs), np.concatenate(ys)


#: story-level thresholds tried when fitting (picked by BCubed F1 on the fitting data)
STORY_THRESHOLDS = (0.4, 0.55, 0.7, 0.8)
#: then (merge threshold, re-check min score) pairs tried with the chosen threshold (1.0: no re-check)
STORY_RECHECKS = ((0.7, 1.0), (0.6, 0.3))


def fit_story_level(
    corpora: Sequence[tuple[Replay, dict[str, str]]],
    settings: GroupingSettings,
    *,
    log: Callable[[str], None] = print,
) -> GroupingSettings:
    """Fit the story-level model and threshold on ``corpora`` (event replays and gold stories); returns settings."""
    from sklearn.linear_model import LogisticRegression

    from parallax.group.threads import THREAD_FEATURES

    xs, ys = zip(*(thread_dataset([f for f, _ in rep], gold, settings) for rep, gold in corpora), strict=True)
    x, y = np.vstack(xs), np.concatenate(ys)
    model = LogisticRegression(C=1.0, max_iter=2000).fit(x, y)
    weights = {"bias": round(float(model.intercept_[0]), 4)}
    weights.update({n: round(float(c), 4) for n, c in zip(THREAD_FEATURES, model.coef_[0], strict=True)})
    log(f"story-level pairs {len(y)} ({int(y.sum())} positive); weights {weights}")
    fitted = settings.replace(story_level_weights=weights)

    def score(trial: GroupingSettings, label: str) -> float:
        f1s = [bcubed_scores(gold, replay_stories(rep, trial))["f1"] for rep, gold in corpora]
        log(f"  {label}: fitting-data BCubed F1 {' '.join(f'{v:.3f}' for v in f1s)}")
        return sum(f1s) / len(f1s)

    best = (-1.0, fitted)
    for threshold in STORY_THRESHOLDS:
        trial = fitted.replace(
            story_threshold=threshold, story_merge_threshold=0.7, story_recheck_min_score=1.0
        )
        f1 = score(trial, f"threshold {threshold:.2f}")
        if f1 > best[0] + 1e-9:
            best = (f1, trial)
    chosen = best[1]
    for merge, recheck in STORY_RECHECKS[1:]:
        trial = chosen.replace(story_merge_threshold=merge, story_recheck_min_score=recheck)
        f1 = score(trial, f"threshold {chosen.story_threshold:.2f} merge {merge:.2f} re-check {recheck:.2f}")
        if f1 > best[0] + 1e-9:
            best = (f1, trial)
    return best[1]


def fit_story_level_shipped(
    data_dir: Path | str,
    *,
    cache: Path | None = DEFAULT_CACHE,
    write: bool = True,
    log: Callable[[str], None] = print,
) -> GroupingSettings:
    """Fit the shipped story level on all of stories-long and ECB+ train; write group_weights.json.

    Its scores on stories-long are not results (fitted there): ``--story-cv`` gives the held-out ones.
    """
    settings = GroupingSettings()
    embedder = load_embedder("minilm")
    root = Path(data_dir)
    docs = load_stories_long(root, "full")
    feats = _features([a for a, _ in docs], settings, embedder, cache=cache, corpus="stories-long")
    ecb = _ordered(load_ecb(root, "train"))
    ecb_feats = _features([a for a, _, _ in ecb], settings, embedder, cache=cache, corpus="ecb-train")
    corpora = [
        (cached_replay(feats, settings, cache, "stories-long-full"), {a.id: g for a, g in docs}),
        (cached_replay(ecb_feats, settings, cache, "ecb-train"), {a.id: sub for a, sub, _ in ecb}),
    ]
    fitted = fit_story_level(corpora, settings, log=log)
    if write:
        path = Path(str(resources.files("parallax.lexicons").joinpath("group_weights.json")))
        data = json.loads(path.read_text(encoding="utf-8"))
        data["story_level"] = {
            "_doc": "Story level (group/threads.py): logistic model over THREAD_FEATURES and thresholds, fitted on "
            "all of stories-long and ECB+ train by python -m parallax.eval.grouping --fit-story; held-out "
            "scores come from --story-cv (leave one stories-long story out)",
            "weights": fitted.story_level_weights,
            "threshold": fitted.story_threshold,
            "merge_threshold": fitted.story_merge_threshold,
            "recheck_min_score": fitted.story_recheck_min_score,
        }
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        log(f"wrote {path}")
    return fitted


def story_level_cv(
    data_dir: Path | str,
    *,
    settings: GroupingSettings | None = None,
    embedder: TextEncoder | None = None,
    cache: Path | None = DEFAULT_CACHE,
    with_ecb: bool = True,
    folds: Sequence[Sequence[str]] | None = None,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Leave-one-story-out (or ``folds``: groups of stories held out together) over stories-long: fit the story level on four stories (and ECB+ train),
    score the fifth over the full months and the 21-day windows; every number is a held-out fold's.

    Each document is scored in the fold where its story was held out, against the whole
    prediction of that fold (other stories' articles in its cluster cost precision).
    """
    settings = settings or GroupingSettings()
    embedder = embedder or load_embedder("minilm")
    root = Path(data_dir)
    docs = load_stories_long(root, "full")
    gold = {a.id: g for a, g in docs}
    feats = _features([a for a, _ in docs], settings, embedder, cache=cache, corpus="stories-long")
    window_ids = {a.id for a, _ in load_stories_long(root, "windows")}
    gold_win = {d: g for d, g in gold.items() if d in window_ids}
    rep_full = cached_replay(feats, settings, cache, "stories-long-full")
    rep_win = cached_replay(
        [f for f in feats if f.article_id in window_ids], settings, cache, "stories-long-windows"
    )
    extra: list[tuple[Replay, dict[str, str]]] = []
    if with_ecb:
        ecb = _ordered(load_ecb(root, "train"))
        ecb_feats = _features([a for a, _, _ in ecb], settings, embedder, cache=cache, corpus="ecb-train")
        extra.append(
            (cached_replay(ecb_feats, settings, cache, "ecb-train"), {a.id: sub for a, sub, _ in ecb})
        )
    per_doc: dict[str, dict[str, tuple[float, float]]] = {"full": {}, "windows": {}}
    fold_results: dict[str, Any] = {}
    for held_out in folds or [[story] for story in sorted(set(gold.values()))]:
        story = "+".join(held_out)
        train = [(f, m) for f, m in rep_full if gold[f.article_id] not in held_out]
        fitted = fit_story_level(
            [(train, {d: g for d, g in gold.items() if g not in held_out}), *extra],
            settings,
            log=lambda _m: None,
        )
        fold: dict[str, Any] = {
            "weights": fitted.story_level_weights,
            "threshold": fitted.story_threshold,
            "merge_threshold": fitted.story_merge_threshold,
            "recheck_min_score": fitted.story_recheck_min_score,
        }
        for name, rep, g in (("full", rep_full, gold), ("windows", rep_win, gold_win)):
            pred = replay_stories(rep, fitted)
            held = [d for d in g if g[d] in held_out]
            fold[name] = bcubed_of(held, g, pred)
            fold[name + "_all"] = score_all(g, pred)
            members: dict[str, set[str]] = defaultdict(set)
            gm: dict[str, set[str]] = defaultdict(set)
            for d in g:
                members[pred[d]].add(d)
                gm[g[d]].add(d)
            for d in held:
                both = len(members[pred[d]] & gm[g[d]])
                per_doc[name][d] = (both / len(members[pred[d]]), both / len(gm[g[d]]))
        log(
            f"held out {story}: threshold {fitted.story_threshold} merge {fitted.story_merge_threshold} "
            f"re-check {fitted.story_recheck_min_score}: full BCubed F1 {fold['full']['f1']:.3f} "
            f"(P {fold['full']['p']:.3f} R {fold['full']['r']:.3f}), windows {fold['windows']['f1']:.3f}"
        )
        fold_results[story] = fold
    out: dict[str, Any] = {"folds": fold_results}
    for name in ("full", "windows"):
        values = per_doc[name]
        p = sum(v[0] for v in values.values()) / len(values)
        r = sum(v[1] for v in values.values()) / len(values)
        out[name] = {"p": p, "r": r, "f1": _f1(p, r), "docs": len(values)}
        ls = [v for d, v in values.items() if gold[d] in ("t17-libyawar", "t17-syriancrisis")]
        lp, lr = sum(v[0] for v in ls) / len(ls), sum(v[1] for v in ls) / len(ls)
        out[name + "_libya_syria"] = {"p": lp, "r": lr, "f1": _f1(lp, lr), "docs": len(ls)}
        log(
            f"stories-long {name}, held-out folds: BCubed P {p:.3f} R {r:.3f} F1 {out[name]['f1']:.3f}; "
            f"Libya+Syria docs P {lp:.3f} R {lr:.3f}"
        )
    return out


def fit_weights(
    data_dir: Path | str, *, write: bool = True, log: Callable[[str], None] = print
) -> dict[str, Any]:
    """Fit the pair and story models and the thresholds on ECB+ train topics; optionally write group_weights.json."""
    from sklearn.linear_model import LogisticRegression

    from parallax.group.stories import PAIR_FEATURES, STORY_FEATURES

    base = GroupingSettings()
    embedder = load_embedder("minilm")
    docs = _ordered(load_ecb(Path(data_dir), "train"))
    gold = {a.id: sub for a, sub, _ in docs}
    topic = {a.id: t for a, _, t in docs}
    feats = _features([a for a, _, _ in docs], base, embedder)
    x, y = _pair_dataset(feats, gold, topic, base, embedder)
    log(f"pairs: {len(y)} ({int(y.sum())} positive)")
    model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000).fit(x, y)
    weights = {"bias": round(float(model.intercept_[0]), 4)}
    weights.update({n: round(float(c), 4) for n, c in zip(PAIR_FEATURES, model.coef_[0], strict=True)})
    log(f"pair weights: {weights}")
    base = base.replace(weights=weights)
    # the story model sees every order a stream may bring: several shuffles of train
    sx: list[np.ndarray] = []
    sy: list[np.ndarray] = []
    for seed in range(3):
        xs_, ys_ = _story_dataset(_ordered(feats, seed), gold, base, embedder)
        sx.append(xs_)
        sy.append(ys_)
    story_model = LogisticRegression(C=1.0, max_iter=2000).fit(np.vstack(sx), np.concatenate(sy))
    story_weights = {"bias": round(float(story_model.intercept_[0]), 4)}
    story_weights.update(
        {n: round(float(c), 4) for n, c in zip(STORY_FEATURES, story_model.coef_[0], strict=True)}
    )
    log(f"story weights: {story_weights}")
    base = base.replace(story_weights=story_weights)
    best: tuple[float, float, float] = (-1.0, 0.2, 0.7)
    # joins below 0.2 would leave the hand-set place/name/time penalties too little room to keep
    # same-day events in different places apart (tests/test_group_stories.py)
    for join in (0.2, 0.25, 0.3, 0.35, 0.4, 0.45):
        for split_ratio in (0.7, 0.75, 0.8):
            s = base.replace(join_threshold=join, split_ratio=split_ratio)
            f1 = bcubed_scores(gold, group_features(feats, s, embedder))["f1"]
            log(f"join {join:.2f} split_ratio {split_ratio:.2f}: train BCubed F1 {f1:.4f}")
            if f1 > best[0] + 1e-9:
                best = (f1, join, split_ratio)
    out = {
        "_doc": "Story grouping: pair model and story model (logistic regressions) and thresholds, fitted on ECB+ "
        "train topics (thresholds picked by train BCubed F1). Refit with: python -m parallax.eval.grouping <data_dir> --fit",
        "weights": weights,
        "story_weights": story_weights,
        "join_threshold": best[1],
        "merge_threshold": base.merge_threshold,
        "split_ratio": best[2],
        "train_bcubed_f1": round(best[0], 4),
    }
    if write:
        path = Path(str(resources.files("parallax.lexicons").joinpath("group_weights.json")))
        # the story level is fitted on its own (--fit-story): keep it
        out["story_level"] = json.loads(path.read_text(encoding="utf-8")).get("story_level", {})
        path.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
        log(f"wrote {path}")
    return out


# --------------------------------------------------------------------------- CLI


def _line(name: str, s: dict[str, Any]) -> str:
    pw, bc = s["pairwise"], s["bcubed"]
    return (
        f"{name:<16} docs {s['docs']:>4}  stories gold {s['gold_stories']:>3} pred {s['pred_stories']:>4}  "
        f"BCubed P {bc['p']:.3f} R {bc['r']:.3f} F1 {bc['f1']:.3f}  pairwise P {pw['p']:.3f} R {pw['r']:.3f} F1 {pw['f1']:.3f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m parallax.eval.grouping", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "data_dir", nargs="?", default=str(Path(__file__).resolve().parents[3].parent / "shared" / "data")
    )
    parser.add_argument(
        "--split",
        action="append",
        choices=["train", "dev", "all"],
        help="ECB+ splits (default train and dev)",
    )
    parser.add_argument("--ner", choices=["spacy", "capitalized"], default="spacy")
    parser.add_argument("--embedder", choices=["minilm", "hashing"], default="minilm")
    parser.add_argument("--no-basil", action="store_true")
    parser.add_argument("--per-topic", action="store_true", help="print per-topic ECB+ scores")
    parser.add_argument("--fit", action="store_true", help="refit group_weights.json on ECB+ train first")
    parser.add_argument("--json", action="store_true", help="print the full results as JSON")
    parser.add_argument(
        "--cache",
        nargs="?",
        const=str(DEFAULT_CACHE),
        default=None,
        help=f"read/write per-article features under this folder (default {DEFAULT_CACHE})",
    )
    parser.add_argument(
        "--stories-long", action="store_true", help="also score stories-long (full months and 21-day windows)"
    )
    parser.add_argument(
        "--fit-story",
        action="store_true",
        help="refit the story level (group_weights.json story_level) first",
    )
    parser.add_argument(
        "--story-cv",
        action="store_true",
        help="leave-one-story-out over stories-long: held-out fold scores of the story level",
    )
    args = parser.parse_args(argv)
    cache = Path(args.cache) if args.cache else None
    if args.fit:
        fit_weights(args.data_dir)
        from parallax.group import settings as settings_module

        settings_module._weights.cache_clear()
    if args.fit_story:
        fit_story_level_shipped(args.data_dir, cache=cache or DEFAULT_CACHE)
        from parallax.group import settings as settings_module

        settings_module._weights.cache_clear()
    settings = GroupingSettings(ner=args.ner)
    embedder: TextEncoder = HashingEmbedder() if args.embedder == "hashing" else load_embedder("minilm")
    results: dict[str, Any] = {"settings": {"ner": args.ner, "embedder": embedder.name}}
    print(f"# {PAIRWISE_RULE}\n# {BCUBED_RULE}\n# ner={args.ner} embedder={embedder.name}")
    for split in args.split or ["train", "dev"]:
        res = evaluate_ecb(args.data_dir, split, settings=settings, embedder=embedder, cache=cache)
        results[f"ecb_{split}"] = res
        print(f"ECB+ {split} (all topics in one grouper, no dates, number of stories not given):")
        print(_line("event level", res))
        print(_line("story level", res["story_level"]))
        for name, base in res["baselines"].items():
            print(_line(name, base))
        if args.per_topic or split == "dev":
            for t, s in res["per_topic"].items():
                print(_line(f"  topic {t}", s))
    if not args.no_basil:
        res = evaluate_basil(args.data_dir, settings=settings, embedder=embedder, cache=cache)
        results["basil"] = res
        print("BASIL (180 articles, with dates):")
        print(_line("event level", res))
        print(_line("story level", res["story_level"]))
        print(_line("one-per-doc", res["baselines"]["one-per-doc"]))
        print(
            f"stories with all 3 versions together: {res['stories_together']:.3f}; together and alone: "
            f"{res['stories_together_and_alone']:.3f}"
        )
    if args.stories_long:
        for which in ("full", "windows"):
            res = evaluate_stories_long(
                args.data_dir, which, settings=settings, embedder=embedder, cache=cache
            )
            results[f"stories_long_{which}"] = res
            print(f"stories-long {which} (story level, day order; weights as shipped):")
            print(_line("story level", res))
            print(_line("  Libya+Syria", res["libya_syria"]))
            for story, sc in res["per_story"].items():
                print(_line(f"  {story}", sc))
            for name, base in res["baselines"].items():
                print(_line(name.replace("minilm-average-linkage", "avg-link"), base))
    if args.story_cv:
        results["story_cv"] = story_level_cv(args.data_dir, settings=settings, embedder=embedder, cache=cache)
    if args.json:
        print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
