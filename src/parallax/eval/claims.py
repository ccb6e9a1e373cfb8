"""Score the numeric-claims extractor on NewsQuant-style data.

Input: a JSON list of ``{"text": sentence, "quantities": [{"value", "unit",
"normalized_unit", "change", ...}]}`` (NewsQuant; the project's own gold set in
``tests/gold/claims/`` has the same shape). Each sentence is extracted on its own
with :class:`~parallax.extract.claims.ClaimExtractor`.

Usage: ``python -m parallax.eval.claims [PATH] [--limit N] [--json]``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parallax.errors import InputError

if TYPE_CHECKING:
    from parallax.records import NumericClaim

MATCHING_RULE = (
    "micro P/R/F1 over quantities, per sentence, one-to-one: a predicted value matches a gold value when the "
    "numbers are equal (relative tolerance 1e-5); a range (lo-hi, endpoints compared in sorted order) only "
    "matches a range. Predicted: every claim's value; ranges as low-high; vague words with an order of "
    "magnitude ('hundreds', 'dozens') as their conventional interval (NewsQuant's convention); vague words "
    "without one ('several', 'scores of') are not scored. Change accuracy (= ~ > < up down) and unit accuracy "
    "(normalized unit name, or the counted noun's lemma for counts; only where the gold unit is not '-') "
    "are over matched pairs."
)

_NUM = r"-?\d*\.?\d+(?:[eE][-+]?\d+)?"
_RANGE = re.compile(rf"^\s*({_NUM})\s*-\s*({_NUM})\s*$")

Value = tuple[float, float | None]  # (value, None) or (low, high)


def parse_gold_value(text: str) -> Value | None:
    """``"8000.0"`` -> (8000.0, None); ``"5-10"`` -> (5.0, 10.0) sorted; None if unreadable."""
    s = str(text).strip()
    try:
        return (float(s), None)
    except ValueError:
        pass
    m = _RANGE.match(s)
    if not m:
        return None
    a, b = float(m.group(1)), float(m.group(2))
    return (min(a, b), max(a, b))


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-5, abs_tol=1e-9)


def values_match(pred: Value, gold: Value) -> bool:
    if (pred[1] is None) != (gold[1] is None):
        return False
    if pred[1] is None or gold[1] is None:
        return _close(pred[0], gold[0])
    return _close(pred[0], gold[0]) and _close(pred[1], gold[1])


def _singular(word: str) -> str:
    w = word.lower().strip()
    for suf, rep in (("ies", "y"), ("men", "man"), ("ses", "s"), ("s", "")):
        if w.endswith(suf) and len(w) > len(suf) + 2:
            return w[: -len(suf)] + rep
    return w


def units_match(pred: str | None, gold: str) -> bool:
    if not pred:
        return False
    p, g = _singular(pred), gold.lower().strip()
    return p == g or g.split()[-1] == p.split()[-1] or _singular(g.split()[-1]) == p.split()[-1]


def load(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read evaluation data: {exc}", source=str(path)) from exc
    if not isinstance(data, list):
        raise InputError("expected a JSON list of {text, quantities}", source=str(path))
    return data


def predictions(texts: Sequence[str]) -> list[list[tuple[Value, str, str | None]]]:
    """(value, change code, unit name) for each claim of each sentence."""
    from parallax.extract import extract_articles
    from parallax.extract.claims import ClaimExtractor, change_code, unit_name, vague_magnitude
    from parallax.records import Article, Paragraph

    articles = [
        Article(id=f"s{i}", source="eval", language="en", paragraphs=[Paragraph(t)] if t.strip() else [])
        for i, t in enumerate(texts)
    ]
    out: list[list[tuple[Value, str, str | None]]] = []
    for facts in extract_articles(articles, extractors=[ClaimExtractor()], batch_size=64):
        preds: list[tuple[Value, str, str | None]] = []
        folded = _changes_as_ranges(facts.claims)
        for c in facts.claims:
            value: Value | None
            if c.id in folded:
                if folded[c.id] is None:
                    continue
                value = folded[c.id]
            elif c.vague:
                mag = vague_magnitude(c)
                value = (mag[0], mag[1]) if mag else None
            elif c.value is not None:
                value = (c.value, None)
            elif c.low is not None and c.high is not None:
                value = (c.low, c.high)
            else:
                value = None
            if value is None:
                continue
            # counts are compared on the counted noun, measures on the unit's name
            unit = unit_name(c.unit) if c.unit and c.unit != "people" else None
            if unit is None and c.counted:
                unit = c.counted
            preds.append((value, change_code(c), unit))
        out.append(preds)
    return out


def _changes_as_ranges(claims: Sequence[NumericClaim]) -> dict[str, Value | None]:
    """NewsQuant writes a change "from X to Y" as the range X-Y; Parallax reads it as Y with
    ``previous=X`` (X's own claim has role "previous"). Scored in NewsQuant's convention:
    claim id -> the range (the later claim), or None (the previous value, folded into it)."""
    out: dict[str, Value | None] = {}
    for a, b in zip(claims, claims[1:], strict=False):
        if a.role == "previous" and b.previous == a.value and a.value is not None and b.value is not None:
            out[a.id] = None
            out[b.id] = (min(a.value, b.value), max(a.value, b.value))
    return out


def evaluate(
    path: str | Path, limit: int | None = None, fold: tuple[int, int] | None = None
) -> dict[str, Any]:
    """Scores of the claims extractor on ``path`` (see :data:`MATCHING_RULE`)."""
    items = load(Path(path))
    if limit is not None:
        items = items[:limit]
    if fold is not None:
        k, n = fold
        size = -(-len(items) // n)  # contiguous parts: a rule written on one is scored on another
        items = items[(k - 1) * size : k * size]
    texts = [str(it.get("text", "")) for it in items]
    preds = predictions(texts)
    tp = n_pred = n_gold = 0
    change_ok = change_n = unit_ok = unit_n = 0
    errors: list[dict[str, Any]] = []
    for item, pred in zip(items, preds, strict=True):
        gold = []
        for g in item.get("quantities", []):
            v = parse_gold_value(g.get("value", ""))
            if v is not None:
                gold.append((v, str(g.get("change", "=")), str(g.get("normalized_unit", "-"))))
        n_pred += len(pred)
        n_gold += len(gold)
        used: set[int] = set()
        missed = []
        for gv, gchange, gunit in gold:
            hit = next((k for k, p in enumerate(pred) if k not in used and values_match(p[0], gv)), None)
            if hit is None:
                missed.append(gv)
                continue
            used.add(hit)
            tp += 1
            change_n += 1
            change_ok += pred[hit][1] == gchange
            if gunit not in ("-", ""):
                unit_n += 1
                unit_ok += units_match(pred[hit][2], gunit)
        spurious = [p[0] for k, p in enumerate(pred) if k not in used]
        if missed or spurious:
            errors.append({"text": item.get("text", ""), "missed": missed, "spurious": spurious})
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "sentences": len(items),
        "gold": n_gold,
        "predicted": n_pred,
        "true_positives": tp,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "change_accuracy": round(change_ok / change_n, 4) if change_n else None,
        "unit_accuracy": round(unit_ok / unit_n, 4) if unit_n else None,
        "matching_rule": MATCHING_RULE,
        "errors": errors,
    }


def default_path() -> Path:
    """``$PARALLAX_DEVDATA/newsquant/NewsQuant-dev.json``, else the repository's ``../shared/data``."""
    env = os.environ.get("PARALLAX_DEVDATA")
    base = Path(env) if env else Path(__file__).resolve().parents[3].parent / "shared" / "data"
    return base / "newsquant" / "NewsQuant-dev.json"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="parallax eval claims", description=__doc__.splitlines()[0])
    parser.add_argument(
        "path",
        nargs="?",
        type=Path,
        default=None,
        help="NewsQuant-style JSON (default: ../shared/data/newsquant/NewsQuant-dev.json)",
    )
    parser.add_argument("--limit", type=int, default=None, help="only the first N sentences")
    parser.add_argument(
        "--folds", type=int, default=None, help="also score N contiguous parts of the data on their own"
    )
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument(
        "--errors", action="store_true", help="list the sentences with misses or spurious values"
    )
    args = parser.parse_args(list(argv) if argv is not None else None)
    path = args.path or default_path()
    if not path.exists():
        print(f"error: {path} not found", file=sys.stderr)
        return 2
    res = evaluate(path, limit=args.limit)
    if args.json:
        print(json.dumps({k: v for k, v in res.items() if k != "errors" or args.errors}, indent=2))
        return 0
    if args.errors:
        for e in res["errors"]:
            print(f"- {e['text']}\n    missed: {e['missed']}\n    spurious: {e['spurious']}")
    print(
        f"claims on {path.name}: {res['sentences']} sentences, {res['gold']} gold quantities, {res['predicted']} predicted"
    )
    print(f"  value  P {res['precision']:.3f}  R {res['recall']:.3f}  F1 {res['f1']:.3f}")
    print(
        f"  change accuracy {res['change_accuracy']}  unit accuracy {res['unit_accuracy']} (over matched pairs)"
    )
    for k in range(1, (args.folds or 0) + 1):
        part = evaluate(path, limit=args.limit, fold=(k, args.folds))
        print(
            f"  fold {k}/{args.folds} ({part['sentences']} sentences): "
            f"P {part['precision']:.3f}  R {part['recall']:.3f}  F1 {part['f1']:.3f}"
        )
    print(f"  rule: {MATCHING_RULE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
