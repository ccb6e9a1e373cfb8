"""Score the dated-event extractor on a small project-written gold set.

The gold file (``tests/gold/events/cases.json``) holds news-like paragraphs, each
with a publication date and the events a careful reader marks: type, trigger
words, date start/end. Each case runs through
:func:`parallax.extract.extract_article` with the time and event extractors only.

Matching rules:

- event: same type and the trigger words agree (case-insensitive, one contains
  the other); each gold event and each prediction matched at most once;
- date: a matched event whose date start and end both equal the gold (null = no date);
- dated-event F1: event and date both right.

Run: ``python -m parallax.eval.events tests/gold/events/cases.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from parallax.records import Article, Event, Paragraph

__all__ = ["RULES", "evaluate", "main"]

RULES = {
    "event": "same type, trigger words agree (case-insensitive containment); one-to-one",
    "date_accuracy": "matched events whose date start and end both equal the gold (null = no date)",
    "dated_f1": "event and date both right",
}


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _same_trigger(pred: Event, gold: dict[str, Any]) -> bool:
    a, b = " ".join(pred.text.lower().split()), " ".join(str(gold["trigger"]).lower().split())
    return pred.type == gold["type"] and (a in b or b in a)


def _dates(pred: Event) -> tuple[str | None, str | None]:
    return (pred.date.start, pred.date.end) if pred.date else (None, None)


def evaluate(gold_path: Path | str, *, errors: list[str] | None = None) -> dict[str, float]:
    """Event P/R/F1, date accuracy and dated-event P/R/F1 over the gold cases."""
    from parallax.extract import extract_articles
    from parallax.extract.events import EventExtractor
    from parallax.extract.times import TimeExtractor

    cases = json.loads(Path(gold_path).read_text("utf-8"))["cases"]
    articles = [
        Article(
            id=c["id"],
            source=str(gold_path),
            published=c.get("published"),
            language="en",
            paragraphs=[Paragraph(p) for p in c["text"].split("\n\n")],
        )
        for c in cases
    ]
    extractors = [TimeExtractor(), EventExtractor()]
    n_pred = n_gold = ev_tp = date_tp = 0
    for case, facts in zip(cases, extract_articles(articles, extractors=extractors), strict=True):
        preds = list(facts.events)
        golds = case["events"]
        n_pred += len(preds)
        n_gold += len(golds)
        used: set[int] = set()
        for g in golds:
            hit = next((i for i, p in enumerate(preds) if i not in used and _same_trigger(p, g)), None)
            if hit is None:
                if errors is not None:
                    errors.append(f"MISS {case['id']} {g['type']} {g['trigger']!r}")
                continue
            used.add(hit)
            ev_tp += 1
            if _dates(preds[hit]) == (g["start"], g["end"]):
                date_tp += 1
            elif errors is not None:
                errors.append(
                    f"DATE {case['id']} {g['type']} {g['trigger']!r}: {_dates(preds[hit])} gold {(g['start'], g['end'])}"
                )
        if errors is not None:
            errors.extend(
                f"SPURIOUS {case['id']} {p.type} {p.text!r} {_dates(p)}"
                for i, p in enumerate(preds)
                if i not in used
            )
    ep, er, ef = _prf(ev_tp, n_pred, n_gold)
    dp, dr, df = _prf(date_tp, n_pred, n_gold)
    return {
        "cases": float(len(cases)),
        "gold": float(n_gold),
        "predicted": float(n_pred),
        "event_precision": ep,
        "event_recall": er,
        "event_f1": ef,
        "date_accuracy": date_tp / ev_tp if ev_tp else 0.0,
        "dated_precision": dp,
        "dated_recall": dr,
        "dated_f1": df,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m parallax.eval.events", description=__doc__.split("\n")[0]
    )
    parser.add_argument("gold", type=Path, help="gold cases JSON (tests/gold/events/cases.json)")
    parser.add_argument(
        "--errors", action="store_true", help="print every miss, spurious event and wrong date"
    )
    args = parser.parse_args(argv)
    if not args.gold.is_file():
        print(f"{args.gold}: no such file", file=sys.stderr)
        return 2
    errors: list[str] | None = [] if args.errors else None
    s = evaluate(args.gold, errors=errors)
    for line in errors or []:
        print(line)
    print(f"cases {int(s['cases'])}, gold events {int(s['gold'])}, predicted {int(s['predicted'])}")
    print(
        f"events   P {s['event_precision']:.3f} R {s['event_recall']:.3f} F1 {s['event_f1']:.3f}  [{RULES['event']}]"
    )
    print(f"date accuracy {s['date_accuracy']:.3f}  [{RULES['date_accuracy']}]")
    print(
        f"dated    P {s['dated_precision']:.3f} R {s['dated_recall']:.3f} F1 {s['dated_f1']:.3f}  [{RULES['dated_f1']}]"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
