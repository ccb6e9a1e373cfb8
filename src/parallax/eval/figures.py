"""Score the story figures (extraction, roles, measures, as-of dates, series) on hand-written gold.

The gold (``tests/gold/figures/figures.tsv``, guidelines beside it) lists, for real
multi-outlet coverage in the shared data folder, each article's figures of its story
(measure, value, qualifier, as-of date, source, revision, previous value) and numbers
that are not figures of the story. Each gold story's articles are extracted with the
default extractors and compared with :func:`parallax.compare.figures.compare_figures`;
the figures it returns are scored against the gold.

Usage: ``parallax eval figures [--data DIR] [--gold PATH] [--split dev|held-out|all] [--json]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parallax.errors import InputError

MATCHING_RULES = (
    "value P/R/F1: a predicted figure (a value of a measure in the story's comparison) counts when the gold has the "
    "same article, measure and value (a range only matches the same range; numbers equal to 1e-6 relative); each "
    "(article, measure, value) counts once; a subgroup shown in the outlets' words is scored as its lexicon group; only measures in the gold's scope are scored (counts of people and "
    "things, spilled/collected oil by unit; money, percentages and other measures are neither predicted nor gold). "
    "Measure accuracy: over gold figures whose article and value were predicted under some scored measure, the share "
    "where one of those measures is the gold's. As-of accuracy: over value matches whose gold as-of day is known, "
    "the share with the same day. Revision recall: over gold figures marked revised or with a previous value, the "
    "share predicted (value match) with a revision flag or a previous value. Conflict precision: over predicted "
    "conflict pairs, the share whose two sides both match gold figures that hold for the same day and whose "
    "intervals (from the qualifiers, as the comparison computes them) do not overlap. Negatives taken: gold "
    "non-figures (other events, previous values, ages, parts, ...) whose article and value were predicted under a "
    "scored measure."
)

#: the measures the gold annotates (see tests/gold/figures/GUIDELINES.md)
SCORED_MEASURES = frozenset(
    {
        "killed", "injured", "missing", "detained", "released", "evacuated", "displaced", "homeless", "affected",
        "rescued", "deployed", "destroyed", "damaged", "spilled", "collected",
    }
)  # fmt: skip

DEV_PREFIXES = ("haiti_", "bpoil_")

ValueKey = tuple[float, float]  # (low, high); a point value has low == high


@dataclass(frozen=True)
class GoldRow:
    kind: str  # F or N
    article: str
    line: int
    measure: str | None
    value: ValueKey
    qualifier: str | None
    as_of: str | None
    source: str | None
    revised: bool
    previous: float | None
    note: str | None


@dataclass
class Predicted:
    article: str
    measure: str
    value: ValueKey
    as_of: str | None
    revised: bool
    previous: float | None
    fact_id: str
    outlet: str | None


@dataclass
class Scores:
    split: str
    articles: int
    gold: int
    predicted: int
    tp: int
    precision: float
    recall: float
    f1: float
    measure_accuracy: float | None
    measure_n: int
    as_of_accuracy: float | None
    as_of_n: int
    revision_recall: float | None
    revision_n: int
    conflict_precision: float | None
    conflicts_predicted: int
    conflicts_gold: int
    negatives_taken: int
    negatives: int
    misses: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)
    wrong_conflicts: list[str] = field(default_factory=list)


def base_measure(measure: str) -> str:
    return re.split(r"[:(]", measure, maxsplit=1)[0].strip()


def scored(measure: str) -> bool:
    base = base_measure(measure)
    if base in ("spilled", "collected"):
        return "(" in measure
    return base in SCORED_MEASURES


def parse_value(text: str) -> ValueKey:
    """``"50000"`` -> (50000, 50000); ``"45000-50000"`` -> (45000, 50000)."""
    m = re.fullmatch(r"\s*(-?[\d.]+)\s*(?:-\s*([\d.]+))?\s*", text)
    if not m:
        raise InputError(f"bad gold value {text!r}")
    low = float(m.group(1))
    high = float(m.group(2)) if m.group(2) else low
    return (min(low, high), max(low, high))


def _dash(value: str) -> str | None:
    return None if value in ("", "-") else value


def load_gold(path: Path) -> list[GoldRow]:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    except OSError as exc:
        raise InputError(f"cannot read figures gold: {exc}", source=str(path)) from exc
    out = []
    for r in rows:
        prev = _dash(r["previous"])
        out.append(
            GoldRow(
                kind=r["kind"],
                article=r["article"],
                line=int(r["line"]),
                measure=_dash(r["measure"]),
                value=parse_value(r["value"]),
                qualifier=_dash(r["qualifier"]),
                as_of=_dash(r["as_of"]),
                source=_dash(r["source"]),
                revised=r["revised"] == "yes",
                previous=float(prev) if prev else None,
                note=_dash(r["note"]),
            )
        )
    return out


def split_of(article_id: str) -> str:
    return "dev" if article_id.startswith(DEV_PREFIXES) else "held-out"


def story_of(article_id: str, basil_story: dict[str, str]) -> str:
    if article_id in basil_story:
        return "basil:" + basil_story[article_id]
    return article_id.split("_", 1)[0]


# --------------------------------------------------------------------------- data


def load_articles(data: Path, ids: Iterable[str]) -> tuple[list[Any], dict[str, str]]:
    """The gold's articles from the shared data folder (one paragraph per line) and BASIL's story ids."""
    from parallax.records import Article, Paragraph

    wanted = set(ids)
    basil_story: dict[str, str] = {}
    basil_rows: dict[str, dict[str, str]] = {}
    index = data / "basil" / "index.tsv"
    if index.exists():
        with index.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                if row["article_id"] in wanted:
                    basil_rows[row["article_id"]] = row
                    basil_story[row["article_id"]] = row["story_id(triplet-uuid)"]
    out = []
    for aid in sorted(wanted):
        if aid in basil_rows:
            row = basil_rows[aid]
            doc = json.loads((data / "basil" / row["path"]).read_text(encoding="utf-8"))
            lines = [s for p in doc.get("body-paragraphs", []) for s in p]
            outlet, published, title = row["source"].lower(), doc.get("date") or row["date"], doc.get("title")
        else:
            path = data / "stories-long" / "docs" / f"{aid}.json"
            if not path.exists():
                raise InputError(f"gold article {aid} not found under {data}", source=str(path))
            doc = json.loads(path.read_text(encoding="utf-8"))
            lines = doc["text"].split("\n")
            outlet, published, title = doc.get("outlet"), doc.get("published"), None
        # blank lines stay (as a space) so that gold line numbers keep their meaning for a reader
        out.append(
            Article(
                id=aid,
                source=aid,
                outlet=outlet,
                published=published,
                title=title or None,
                language="en",
                paragraphs=[Paragraph(line if line.strip() else "-") for line in lines],
            )
        )
    return out, basil_story


def predict(
    articles: Sequence[Any], basil_story: dict[str, str]
) -> tuple[list[Predicted], list[tuple[str, str]]]:
    """Each story's figures (scored measures only) and its predicted conflict pairs ((article, fact) keys)."""
    from parallax.compare.context import StoryContext
    from parallax.compare.entities import story_entities
    from parallax.compare.figures import compare_figures
    from parallax.extract import extract_articles

    facts = {f.article_id: f for f in extract_articles(articles)}
    by_story: dict[str, list[Any]] = defaultdict(list)
    for a in articles:
        by_story[story_of(a.id, basil_story)].append(a)
    preds: list[Predicted] = []
    conflicts: list[tuple[str, str]] = []
    for arts in by_story.values():
        ctx = StoryContext.build(arts, [facts[a.id] for a in arts])
        for fig in compare_figures(ctx, story_entities(ctx)):
            if not scored(fig.measure):
                continue
            measure = canonical_measure(fig.measure)
            flags = {(p.article_id, p.fact_id): p for p in fig.series}
            key_of: dict[tuple[str, str], int] = {}
            for v in fig.values:
                value = _value_key(v.value, v.low, v.high)
                if value is None:
                    continue
                point = flags.get((v.article_id, v.fact_id))
                key_of[(v.article_id, v.fact_id)] = len(preds)
                preds.append(
                    Predicted(
                        v.article_id, measure, value, v.as_of, bool(point and point.revised),
                        point.previous if point else None, v.fact_id, v.outlet,
                    )
                )  # fmt: skip
            for verdict in fig.verdicts:
                if verdict.verdict != "conflict" or verdict.a_fact is None or verdict.b_fact is None:
                    continue
                ia, ib = key_of.get((verdict.a, verdict.a_fact)), key_of.get((verdict.b, verdict.b_fact))
                if ia is not None and ib is not None:
                    conflicts.append((str(ia), str(ib)))
    return preds, conflicts


def canonical_measure(measure: str) -> str:
    """The measure's key: a subgroup shown by the outlets' own word ("killed: rebels") is
    scored as its lexicon group ("killed: armed opponents")."""
    from parallax.compare.context import load_lexicon
    from parallax.compare.figures import _measure_group

    cat, sep, term = measure.partition(": ")
    if not sep or term in load_lexicon("measures")["measure_groups"]:
        return measure
    group = _measure_group(term)
    return f"{cat}: {group}" if group else measure


def _value_key(value: float | None, low: float | None, high: float | None) -> ValueKey | None:
    if value is not None:
        return (value, value)
    if low is not None and high is not None:
        return (min(low, high), max(low, high))
    return None


# --------------------------------------------------------------------------- scoring


def _close(a: ValueKey, b: ValueKey) -> bool:
    return all(math.isclose(x, y, rel_tol=1e-6, abs_tol=1e-9) for x, y in zip(a, b, strict=True))


def _norm(v: ValueKey) -> ValueKey:
    return (round(v[0], 6), round(v[1], 6))


def gold_interval(row: GoldRow) -> tuple[float, float]:
    """The interval a gold figure allows, by the comparison's own qualifier rules."""
    from parallax.compare.figures import interval_of
    from parallax.records import NumericClaim

    low, high = row.value
    point = low if low == high else None
    claim = NumericClaim(
        "G", "", point, None if point is not None else low, None if point is not None else high,
        row.qualifier, False, None, None, None, 0, 0,
    )  # fmt: skip
    return interval_of(claim) or (low, high)


def score(
    gold: Sequence[GoldRow],
    preds: Sequence[Predicted],
    conflicts: Sequence[tuple[str, str]],
    *,
    split: str = "all",
) -> Scores:
    figures = [g for g in gold if g.kind == "F"]
    negatives = [g for g in gold if g.kind == "N"]
    gold_keys = {(g.article, g.measure, _norm(g.value)): g for g in figures}
    pred_keys: dict[tuple[str, str | None, ValueKey], list[Predicted]] = defaultdict(list)
    for p in preds:
        pred_keys[(p.article, p.measure, _norm(p.value))].append(p)
    tp_keys = set(gold_keys) & set(pred_keys)
    tp = len(tp_keys)
    precision = tp / len(pred_keys) if pred_keys else 0.0
    recall = tp / len(gold_keys) if gold_keys else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    by_value: dict[tuple[str, ValueKey], set[str]] = defaultdict(set)
    for art, measure, value in pred_keys:
        by_value[(art, value)].add(str(measure))
    m_n = m_ok = 0
    for (art, measure, value), _g in gold_keys.items():
        seen = by_value.get((art, value))
        if seen:
            m_n += 1
            m_ok += measure in seen
    a_n = a_ok = 0
    r_n = r_ok = 0
    for key, g in gold_keys.items():
        if g.revised or g.previous is not None:
            r_n += 1
            r_ok += any(p.revised or p.previous is not None for p in pred_keys.get(key, []))
        if key in pred_keys and g.as_of:
            a_n += 1
            a_ok += any((p.as_of or "")[:10] == g.as_of for p in pred_keys[key])
    # conflicts
    c_ok = 0
    wrong_conflicts = []
    for ia, ib in conflicts:
        pa, pb = preds[int(ia)], preds[int(ib)]
        ga = gold_keys.get((pa.article, pa.measure, _norm(pa.value)))
        gb = gold_keys.get((pb.article, pb.measure, _norm(pb.value)))
        ok = False
        if ga is not None and gb is not None and ga.as_of and ga.as_of == gb.as_of:
            x, y = gold_interval(ga), gold_interval(gb)
            ok = not (x[0] <= y[1] and y[0] <= x[1])
        c_ok += ok
        if not ok:
            wrong_conflicts.append(
                f"{pa.article} {pa.measure} {pa.value[0]:g}-{pa.value[1]:g} @{pa.as_of} "
                f"(gold {'yes' if ga else 'no'}) vs {pb.article} {pb.value[0]:g}-{pb.value[1]:g} @{pb.as_of} "
                f"(gold {'yes' if gb else 'no'})"
            )
    gold_conflicts = 0
    fig_list = list(gold_keys.values())
    for i, a in enumerate(fig_list):
        for b in fig_list[i + 1 :]:
            if a.article != b.article and a.measure == b.measure and a.as_of and a.as_of == b.as_of:
                x, y = gold_interval(a), gold_interval(b)
                gold_conflicts += not (x[0] <= y[1] and y[0] <= x[1])
    neg_taken = sum(1 for n in negatives if (n.article, _norm(n.value)) in by_value)
    misses = sorted(f"{a} {m} {v[0]:g}-{v[1]:g}" for (a, m, v) in set(gold_keys) - tp_keys)
    fps = sorted(f"{a} {m} {v[0]:g}-{v[1]:g}" for (a, m, v) in set(pred_keys) - tp_keys)
    return Scores(
        split=split,
        articles=len({g.article for g in gold}),
        gold=len(gold_keys),
        predicted=len(pred_keys),
        tp=tp,
        precision=round(precision, 4),
        recall=round(recall, 4),
        f1=round(f1, 4),
        measure_accuracy=round(m_ok / m_n, 4) if m_n else None,
        measure_n=m_n,
        as_of_accuracy=round(a_ok / a_n, 4) if a_n else None,
        as_of_n=a_n,
        revision_recall=round(r_ok / r_n, 4) if r_n else None,
        revision_n=r_n,
        conflict_precision=round(c_ok / len(conflicts), 4) if conflicts else None,
        conflicts_predicted=len(conflicts),
        conflicts_gold=gold_conflicts,
        negatives_taken=neg_taken,
        negatives=len(negatives),
        misses=misses,
        false_positives=fps,
        wrong_conflicts=wrong_conflicts,
    )


def evaluate(data: Path, gold_path: Path, splits: Sequence[str] = ("dev", "held-out")) -> list[Scores]:
    gold = load_gold(gold_path)
    out = []
    for split in splits:
        rows = [g for g in gold if split == "all" or split_of(g.article) == split]
        articles, basil_story = load_articles(data, {g.article for g in rows})
        preds, conflicts = predict(articles, basil_story)
        out.append(score(rows, preds, conflicts, split=split))
    return out


def _fmt(x: float | None, n: int) -> str:
    return "n/a" if x is None else f"{x:.3f} (n={n})"


def report(scores: Scores) -> str:
    s = scores
    lines = [
        f"figures [{s.split}]: {s.articles} articles, {s.gold} gold figures, {s.predicted} predicted",
        f"  value  P {s.precision:.3f}  R {s.recall:.3f}  F1 {s.f1:.3f}",
        f"  measure accuracy {_fmt(s.measure_accuracy, s.measure_n)}  as-of accuracy {_fmt(s.as_of_accuracy, s.as_of_n)}",
        f"  revision recall {_fmt(s.revision_recall, s.revision_n)}  conflict precision "
        f"{_fmt(s.conflict_precision, s.conflicts_predicted)} (gold conflicts {s.conflicts_gold})",
        f"  negatives taken as figures {s.negatives_taken} of {s.negatives}",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    repo = Path(__file__).resolve().parents[3]
    parser = argparse.ArgumentParser(prog="parallax eval figures", description=__doc__.splitlines()[0])
    default_data = os.environ.get("PARALLAX_DEVDATA") or str(repo.parent / "shared" / "data")
    parser.add_argument("--data", default=default_data, help="the shared data folder (stories-long/, basil/)")
    parser.add_argument("--gold", default=str(repo / "tests" / "gold" / "figures" / "figures.tsv"))
    parser.add_argument("--split", choices=["dev", "held-out", "all", "both"], default="both")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--errors", action="store_true", help="list the misses and false positives")
    args = parser.parse_args(argv)
    data = Path(args.data)
    if not (data / "stories-long").is_dir():
        print(f"Error: {data / 'stories-long'} not found (set --data or PARALLAX_DEVDATA)", file=sys.stderr)
        return 2
    splits = ("dev", "held-out") if args.split == "both" else (args.split,)
    try:
        results = evaluate(data, Path(args.gold), splits)
    except InputError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(
            json.dumps(
                [
                    {
                        k: v
                        for k, v in vars(s).items()
                        if args.errors or k not in ("misses", "false_positives", "wrong_conflicts")
                    }
                    for s in results
                ],
                indent=2,
            )
        )
        return 0
    for s in results:
        print(report(s))
        if args.errors:
            for m in s.misses:
                print(f"    miss {m}")
            for fp in s.false_positives:
                print(f"    false {fp}")
            for wc in s.wrong_conflicts:
                print(f"    wrong conflict {wc}")
    print(f"  rules: {MATCHING_RULES}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
