"""Train the attribution-cue model (:mod:`parallax.extract.cues`) on PolNeAR's training part.

Run::

    python -m parallax.train.cues --data-dir ../shared/data/polnear [--cache /tmp/parses]

Every verb of every training article is an example; it is positive when a gold cue
span (first annotator in sorted order, as the evaluation reads it) covers it. The
classifier is scikit-learn's L2 logistic regression over the sparse features of
:func:`parallax.extract.cues.cue_features`. Only the training split is read: the
threshold is chosen by cross-validation folds over training articles (the one with
the best F1 of cue tokens on the held-out folds), and the dev split stays unseen.
The model file records the command, the data version (a hash of the training
annotation files) and the cross-validated scores. Takes about two minutes on 2
cores once the parses are cached.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

#: regularization strength (inverse); chosen by the same cross-validation among 0.1, 0.3, 1.0
C_GRID = (0.1, 0.3, 1.0)
FOLDS = 4
MIN_FEATURE_COUNT = 2
OUT = Path(__file__).resolve().parents[1] / "extract" / "models" / "cues_en.json"


def examples(data_dir: Path, cache: Path | None, limit: int | None = None) -> tuple[list[list[str]], list[int], list[int]]:
    """(features, label, article index) for every verb of the training split."""
    from parallax.eval.quotes import CachedParser, _to_raw, load_split
    from parallax.extract.base import build_analysis_text
    from parallax.extract.cues import cue_features
    from parallax.extract.quotes import QuoteExtractor, lexicon_kind
    from parallax.extract.textspans import Paragraphs, QuoteIndex, find_quotes
    from parallax.nlp import load_nlp

    lex = QuoteExtractor().lex
    nlp: Any = load_nlp()
    if cache is not None:
        nlp = CachedParser(nlp, cache)
    articles = load_split(data_dir, "train", limit)
    feats: list[list[str]] = []
    labels: list[int] = []
    groups: list[int] = []
    prepared = [(build_analysis_text(pa.article), pa) for pa in articles]
    docs = nlp.pipe(((text, (segs, pa)) for (text, segs), pa in prepared), as_tuples=True)
    for ai, (doc, (segs, pa)) in enumerate(docs):
        cue_chars: set[int] = set()
        for rel in pa.gold:
            for a, b in rel.cue:
                cue_chars.update(range(a, b))
        quotes = QuoteIndex(find_quotes(doc.text, Paragraphs(doc.text), lex.opening, lex.closing, lex.ambiguous))
        for tok in doc:
            if tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() in ("be", "have", "do"):
                continue
            seg = next((s for s in segs if s.start <= tok.idx < s.end), None)
            if seg is None:
                continue
            raw = _to_raw(pa, seg.field, tok.idx - seg.start, tok.idx - seg.start + len(tok.text))
            if raw is None:
                continue
            feats.append(
                cue_features(tok, in_quote=quotes.containing(tok.idx) is not None, lexicon_kind=lexicon_kind(tok, lex))
            )
            labels.append(int(any(c in cue_chars for c in range(raw[0], raw[1]))))
            groups.append(ai)
    return feats, labels, groups


def data_version(data_dir: Path) -> str:
    h = hashlib.sha1()
    for p in sorted((data_dir / "train" / "attributions").glob("*.ann")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def train(feats: list[list[str]], labels: list[int], groups: list[int]) -> dict[str, Any]:
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import precision_recall_fscore_support

    counts: dict[str, int] = {}
    for fs in feats:
        for f in set(fs):
            counts[f] = counts.get(f, 0) + 1
    vocab = {f: i for i, f in enumerate(sorted(f for f, c in counts.items() if c >= MIN_FEATURE_COUNT and f != "bias"))}
    from scipy.sparse import csr_matrix

    rows, cols = [], []
    for r, fs in enumerate(feats):
        for f in set(fs):
            j = vocab.get(f)
            if j is not None:
                rows.append(r)
                cols.append(j)
    x = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(feats), len(vocab)))
    y = np.array(labels)
    g = np.array(groups) % FOLDS
    best: tuple[float, float, float] | None = None  # (f1, C, threshold)
    cv: dict[str, Any] = {}
    for c in C_GRID:
        probs = np.zeros(len(y))
        for k in range(FOLDS):
            model = LogisticRegression(C=c, max_iter=2000)
            model.fit(x[g != k], y[g != k])
            probs[g == k] = model.predict_proba(x[g == k])[:, 1]
        for th in np.arange(0.2, 0.75, 0.05):
            p, r, f, _ = precision_recall_fscore_support(y, probs >= th, average="binary", zero_division=0)
            key = f"C={c} threshold={th:.2f}"
            cv[key] = {"precision": round(float(p), 4), "recall": round(float(r), 4), "f1": round(float(f), 4)}
            if best is None or f > best[0]:
                best = (float(f), c, float(th))
    assert best is not None
    model = LogisticRegression(C=best[1], max_iter=2000)
    model.fit(x, y)
    names = sorted(vocab, key=vocab.__getitem__)
    weights = {n: round(float(w), 5) for n, w in zip(names, model.coef_[0], strict=True) if abs(w) >= 1e-4}
    return {
        "bias": round(float(model.intercept_[0]), 5),
        "threshold": round(best[2], 3),
        "weights": weights,
        "cv": {"best": cv[f"C={best[1]} threshold={best[2]:.2f}"], "C": best[1], "folds": FOLDS},
        "examples": len(y),
        "positives": int(y.sum()),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m parallax.train.cues", description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="the polnear folder")
    parser.add_argument("--cache", type=Path, default=None, help="keep spaCy parses in this folder")
    parser.add_argument("--limit", type=int, default=None, help="only the first N training articles")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if not (args.data_dir / "train").is_dir():
        print(f"PolNeAR training split not found under {args.data_dir}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    feats, labels, groups = examples(args.data_dir, args.cache, args.limit)
    result = train(feats, labels, groups)
    result["meta"] = {
        "command": "python -m parallax.train.cues --data-dir ../shared/data/polnear"
        + (f" --limit {args.limit}" if args.limit else ""),
        "data": "PolNeAR train split (840 articles), first annotator in sorted order",
        "data_version": data_version(args.data_dir),
        "articles": len(set(groups)),
        "examples": result.pop("examples"),
        "positives": result.pop("positives"),
        "cross_validation": result.pop("cv"),
        "seconds": round(time.perf_counter() - started, 1),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps(result["meta"], indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
