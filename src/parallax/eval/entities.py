"""Entity and coreference quality on the project's own gold set (tests/gold/entities/gold.json).

Usage::

    python -m parallax.eval.entities [--gold tests/gold/entities/gold.json] [--json]

Two scores, both printed with their rule:

* mention detection (mention-level): exact character spans of every mention of
  every scored entity (PERSON, ORG, GPE, LOC, GROUP; NORP is not scored);
* coreference (cluster-level, B-cubed): over the gold mentions, each mention's
  predicted cluster is the set of gold mentions in the same predicted entity (a
  gold mention that was not found is a singleton); precision and recall are
  averaged over gold mentions.

Also reported: pronoun and description accuracy, the share of gold pronoun and
description mentions put in the right entity.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from parallax.records import Article, ArticleFacts, Paragraph

SCORED_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "GROUP"})
PRONOUNS = frozenset({"he", "she", "him", "her", "his", "hers", "they", "them", "their", "its", "it"})

RULES = {
    "mentions": "mention-level: a predicted mention (of a PERSON/ORG/GPE/LOC/GROUP entity) is correct when its "
    "character span equals a gold mention's span",
    "b_cubed": "cluster-level B-cubed over gold mentions: predicted cluster = gold mentions sharing the predicted "
    "entity (missed mentions are singletons); P and R averaged over gold mentions",
    "pronouns": "share of gold pronoun mentions found and placed in the entity holding the most of that gold "
    "entity's mentions",
    "descriptions": "the same for gold mentions starting with 'the' or written in lower case (role descriptions)",
}


def default_gold() -> Path:
    return Path(__file__).resolve().parents[3] / "tests" / "gold" / "entities" / "gold.json"


def _article(doc: dict[str, Any]) -> Article:
    return Article(
        id=doc["id"],
        source=doc["id"],
        title=doc.get("title"),
        standfirst=doc.get("standfirst"),
        paragraphs=[Paragraph(p) for p in doc["paragraphs"]],
        language="en",
    )


def _analysis_text(doc: dict[str, Any]) -> str:
    parts = [p for p in (doc.get("title"), doc.get("standfirst")) if p] + list(doc["paragraphs"])
    return "\n\n".join(parts)


def gold_mentions(doc: dict[str, Any]) -> dict[tuple[int, int], int]:
    """Gold mention span (in the analysis text) -> gold entity index."""
    text = _analysis_text(doc)
    out: dict[tuple[int, int], int] = {}
    for ei, ent in enumerate(doc["entities"]):
        for mtext, n in ent["mentions"]:
            found = list(re.finditer(r"(?<![\w-])" + re.escape(mtext) + r"(?![\w-])", text))
            if n >= len(found):
                raise ValueError(f"gold {doc['id']}: mention {mtext!r} #{n} not in the text")
            m = found[n]
            out[(m.start(), m.end())] = ei
    return out


def predicted_mentions(doc: dict[str, Any], facts: ArticleFacts) -> dict[tuple[int, int], str]:
    """Predicted mention span (in the analysis text) -> entity id."""
    offsets = {}
    pos = 0
    for name, value in (("title", doc.get("title")), ("standfirst", doc.get("standfirst"))):
        if value:
            offsets[name] = pos
            pos += len(value) + 2
    offsets["body"] = pos
    out: dict[tuple[int, int], str] = {}
    for ent in facts.entities:
        if ent.type not in SCORED_TYPES:
            continue
        for m in ent.mentions:
            base = offsets.get(m.field)
            if base is None:
                continue
            out[(base + m.start, base + m.end)] = ent.id
    return out


def score(docs: Sequence[dict[str, Any]], facts: Sequence[ArticleFacts]) -> dict[str, Any]:
    tp = n_pred = n_gold = 0
    b3_p = b3_r = 0.0
    n_b3 = 0
    pron = [0, 0]
    desc = [0, 0]
    for doc, f in zip(docs, facts, strict=True):
        text = _analysis_text(doc)
        gold = gold_mentions(doc)
        pred = predicted_mentions(doc, f)
        tp += len(set(gold) & set(pred))
        n_pred += len(pred)
        n_gold += len(gold)
        for span, gi in gold.items():
            gcluster = {s for s, g in gold.items() if g == gi}
            pid = pred.get(span)
            pcluster = {s for s in gold if pid is not None and pred.get(s) == pid} or {span}
            inter = len(gcluster & pcluster)
            b3_p += inter / len(pcluster)
            b3_r += inter / len(gcluster)
            n_b3 += 1
            mtext = text[span[0] : span[1]]
            bucket = (
                pron
                if mtext.lower() in PRONOUNS
                else desc
                if (mtext[:4].lower() == "the " or mtext.islower())
                else None
            )
            if bucket is None:
                continue
            bucket[1] += 1
            ids = [pred.get(s) for s in gcluster if s != span and pred.get(s) is not None]
            majority = max(set(ids), key=ids.count) if ids else None
            if pid is not None and pid == majority:
                bucket[0] += 1
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    bp = b3_p / n_b3 if n_b3 else 0.0
    br = b3_r / n_b3 if n_b3 else 0.0
    return {
        "documents": len(docs),
        "mentions": {
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4),
        },
        "b_cubed": {
            "precision": round(bp, 4),
            "recall": round(br, 4),
            "f1": round(2 * bp * br / (bp + br) if bp + br else 0.0, 4),
        },
        "pronouns": {"accuracy": round(pron[0] / pron[1], 4) if pron[1] else 0.0, "count": pron[1]},
        "descriptions": {"accuracy": round(desc[0] / desc[1], 4) if desc[1] else 0.0, "count": desc[1]},
        "rules": RULES,
    }


def evaluate(gold_path: str | Path | None = None) -> dict[str, Any]:
    """Run the entity extractor on the gold texts and score it."""
    from parallax.extract import extract_articles
    from parallax.extract.entities import EntityExtractor

    data = json.loads(Path(gold_path or default_gold()).read_text(encoding="utf-8"))
    docs = data["documents"]
    facts = list(extract_articles((_article(d) for d in docs), extractors=[EntityExtractor()]))
    return score(docs, facts)


def format_report(result: dict[str, Any]) -> str:
    lines = [f"entity gold: {result['documents']} documents"]
    for key in ("mentions", "b_cubed"):
        s = result[key]
        lines.append(
            f"  {key:12} P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}   rule: {result['rules'][key]}"
        )
    for key in ("pronouns", "descriptions"):
        s = result[key]
        lines.append(
            f"  {key:12} accuracy {s['accuracy']:.3f} of {s['count']}   rule: {result['rules'][key]}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m parallax.eval.entities", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--gold", type=Path, default=default_gold())
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not args.gold.is_file():
        print(f"entity gold not found: {args.gold}", file=sys.stderr)
        return 2
    result = evaluate(args.gold)
    print(json.dumps(result, indent=2) if args.json else format_report(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
