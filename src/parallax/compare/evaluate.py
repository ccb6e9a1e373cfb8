"""Quote alignment and omissions measured on BASIL (three outlets per story).

Run: ``python -m parallax.compare.evaluate [BASIL_DIR] [--limit N]``.

Facts are built from each article alone, without the project's extractors, so
the score measures the comparison and not the extraction: direct quotes are the
spans inside quotation marks of at least ``MIN_QUOTE_WORDS`` words, with the
speaker BASIL's annotators gave a phrase inside the quote (when it is a named
actor), and the story's ``main-entities`` as entities.

With ``--extract`` the facts come from the project's own extractors (direct and
indirect quotes that report speech or a belief; stances are not statements) and
the same rule is applied to their quotes. ``--folds`` keeps the stories of some
folds (a stable hash of the story id, 5 folds) and scores are printed per fold;
no threshold of the comparison was fitted on BASIL, so every fold is held out.

``--gold`` scores the hand-written stories-long gold instead
(``tests/gold/comparison/``): omission precision, voice precision and role
accuracy, label precision (see :data:`GOLD_RULES`).

Matching rule (silver standard): two quotes of different outlets are *the same
quote* when they share a run of ``GOLD_NGRAM`` consecutive words (lower-cased,
punctuation dropped). Alignment P/R/F1 is over such cross-outlet quote pairs:
predicted pairs are quotes that ``compare_story`` puts in one statement or
quote. Omission P/R/F1 is over (article, quote, absent outlet) triples: gold
when no quote of that outlet and nothing in its text (headline and body) shares
a ``GOLD_NGRAM``-word run with it (a quote an outlet prints outside quotation
marks is not absent from it), predicted when an omission lists the quote and the
outlet (central or not).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

from parallax.compare import compare_story
from parallax.compare.context import load_lexicon, words
from parallax.records import Article, ArticleFacts, Comparison, Entity, EntityRef, Mention, Paragraph, Quote

MIN_QUOTE_WORDS = 5
GOLD_NGRAM = 5
_QUOTE = re.compile(r"“([^”]{10,}?)”|\"([^\"]{10,}?)\"")

Triple = tuple[str, str, str]
Pair = tuple[tuple[str, str], tuple[str, str]]


@dataclass
class Scores:
    precision: float
    recall: float
    f1: float
    tp: int
    predicted: int
    gold: int

    @classmethod
    def of(cls, predicted: set[object], gold: set[object]) -> Scores:
        tp = len(predicted & gold)
        p = tp / len(predicted) if predicted else 0.0
        r = tp / len(gold) if gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return cls(round(p, 4), round(r, 4), round(f, 4), tp, len(predicted), len(gold))


def basil_stories(root: Path) -> Iterator[tuple[str, list[Article], list[ArticleFacts]]]:
    """Each BASIL story as articles (outlet = BASIL source) and quote-only facts."""
    by_story: dict[str, list[dict[str, str]]] = defaultdict(list)
    with (root / "index.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            by_story[row["story_id(triplet-uuid)"]].append(row)
    for story_id in sorted(by_story):
        articles, facts = [], []
        for row in sorted(by_story[story_id], key=lambda r: r["article_id"]):
            data = json.loads((root / row["path"]).read_text(encoding="utf-8"))
            ann_path = root / row["path"].replace("articles/", "annotations/").replace(".json", "_ann.json")
            anns = json.loads(ann_path.read_text(encoding="utf-8")) if ann_path.exists() else {}
            article = Article(
                id=row["article_id"],
                source=row["path"],
                outlet=row["source"].lower(),
                title=data.get("title"),
                published=data.get("date"),
                language="en",
                paragraphs=[Paragraph(" ".join(p)) for p in data.get("body-paragraphs", []) if p],
            )
            articles.append(article)
            facts.append(_facts(article, data.get("main-entities", []), anns.get("phrase-level-annotations", [])))
        yield story_id, articles, facts


def _facts(article: Article, main_entities: list[str], anns: list[dict[str, str]]) -> ArticleFacts:
    text = article.text
    entities: list[Entity] = []
    for i, name in enumerate(main_entities, 1):
        last = name.split()[-1]
        mentions = [Mention(last, m.start(), m.end()) for m in re.finditer(re.escape(last), text)]
        entities.append(Entity(f"E{i}", name, "PERSON" if len(name.split()) > 1 else "ORG", mentions, [], "basil"))
    speakers = [
        (a["txt"].strip("“”\" "), a["speaker"].replace("_", " "))
        for a in anns
        if a.get("quote") == "yes" and a.get("speaker") and not a["speaker"].startswith("other")
    ]
    quotes: list[Quote] = []
    for m in _QUOTE.finditer(text):
        content = m.group(1) or m.group(2)
        if len(words(content)) < MIN_QUOTE_WORDS:
            continue
        start = m.start() + 1
        who = next((s for t, s in speakers if t and t in content), None)
        quotes.append(
            Quote(
                id=f"Q{len(quotes) + 1}",
                text=content,
                kind="direct",
                speaker=EntityRef(None, who) if who else None,
                cue=None,
                start=start,
                end=start + len(content),
                extractor="basil-quotes",
            )
        )
    return ArticleFacts(article.id, "en", True, entities=entities, quotes=quotes)


def _grams(text: str) -> set[tuple[str, ...]]:
    toks = words(text)
    return {tuple(toks[i : i + GOLD_NGRAM]) for i in range(len(toks) - GOLD_NGRAM + 1)}


def score_story(articles: list[Article], facts: list[ArticleFacts], comp: Comparison) -> tuple[set[Pair], set[Pair], set[Triple], set[Triple]]:
    """(predicted pairs, gold pairs, predicted omissions, gold omissions) of one story."""
    outlet = {a.id: a.outlet or a.id for a in articles}
    # statements only: a stance ("backing X") is not aligned across outlets, so it is not scored
    kinds = set(load_lexicon("statements")["statement_attributions"])
    quotes = [(f.article_id, q) for f in facts for q in f.quotes if q.attribution in kinds]
    grams = {(aid, q.id): _grams(q.text) for aid, q in quotes}
    gold_pairs: set[Pair] = set()
    for (a, qa), (b, qb) in combinations(quotes, 2):
        if outlet[a] != outlet[b] and grams[(a, qa.id)] & grams[(b, qb.id)]:
            gold_pairs.add(_pair((a, qa.id), (b, qb.id)))
    pred_pairs: set[Pair] = set()
    for st in [*comp.statements, *comp.quotes]:
        keys = {(v.article_id, v.fact_id) for v in st.versions}
        for x, y in combinations(sorted(keys), 2):
            if outlet[x[0]] != outlet[y[0]]:
                pred_pairs.add(_pair(x, y))
    outlets = sorted(set(outlet.values()))
    # an outlet that prints the words outside quotation marks (a paraphrase lead-in, the headline)
    # carries them: an omission is a quote absent from the outlet's whole text
    text_grams = {o: _grams(" ".join(f"{a.title or ''}\n{a.text}" for a in articles if outlet[a.id] == o)) for o in outlets}
    gold_om: set[Triple] = set()
    for aid, q in quotes:
        for o in outlets:
            if o == outlet[aid] or grams[(aid, q.id)] & text_grams[o]:
                continue
            if not any(grams[(aid, q.id)] & grams[(b, qb.id)] for b, qb in quotes if outlet[b] == o):
                gold_om.add((aid, q.id, o))
    pred_om: set[Triple] = set()
    for om in comp.omissions:
        if om.kind in ("quote", "statement"):
            for r in om.refs:
                for o in om.absent_from:
                    pred_om.add((r.article_id, r.fact_id, o))
    return pred_pairs, gold_pairs, pred_om, gold_om


def _pair(x: tuple[str, str], y: tuple[str, str]) -> Pair:
    return (x, y) if x <= y else (y, x)


#: BASIL stories are split into this many folds by a hash of the story id (stable across runs):
#: thresholds are chosen on some folds and reported on the others.
FOLDS = 5


def fold_of(story_id: str, folds: int = FOLDS) -> int:
    """The fold a story belongs to (0..folds-1), from a hash of its id."""
    import hashlib

    return int(hashlib.sha1(story_id.encode("utf-8")).hexdigest(), 16) % folds


def evaluate_basil(
    root: Path,
    limit: int | None = None,
    *,
    extract: bool = False,
    folds: set[int] | None = None,
    cache_dir: str | Path | None = None,
) -> dict[str, object]:
    """Scores over BASIL's stories; ``extract`` takes the facts from the project's extractors instead.

    ``folds`` keeps only the stories of those folds (see :func:`fold_of`); ``cache_dir``
    keeps the spaCy parses between runs when extracting."""
    pp: set[Pair] = set()
    gp: set[Pair] = set()
    po: set[Triple] = set()
    go: set[Triple] = set()
    per_fold: dict[int, list[set[object]]] = defaultdict(lambda: [set(), set(), set(), set()])
    n = 0
    started = time.perf_counter()
    nlp = None
    if extract and cache_dir is not None:
        from parallax.eval.quotes import CachedParser
        from parallax.nlp import load_nlp

        nlp = CachedParser(load_nlp(), Path(cache_dir))
    for story_id, articles, facts in basil_stories(root):
        if limit is not None and n >= limit:
            break
        fold = fold_of(story_id)
        if folds is not None and fold not in folds:
            continue
        if extract:
            from parallax.extract import extract_articles

            facts = list(extract_articles(articles, nlp=nlp))  # type: ignore[arg-type]
        comp = compare_story(articles, facts)
        a, b, c, d = score_story(articles, facts, comp)
        pp |= a
        gp |= b
        po |= c
        go |= d
        acc = per_fold[fold]
        acc[0] |= set(a)
        acc[1] |= set(b)
        acc[2] |= set(c)
        acc[3] |= set(d)
        n += 1
    return {
        "stories": n,
        "seconds": round(time.perf_counter() - started, 2),
        "alignment": Scores.of(set(pp), set(gp)).__dict__,
        "omissions": Scores.of(set(po), set(go)).__dict__,
        "folds": {
            str(k): {
                "alignment": Scores.of(v[0], v[1]).__dict__,
                "omissions": Scores.of(v[2], v[3]).__dict__,
            }
            for k, v in sorted(per_fold.items())
        },
    }


# --------------------------------------------------------------------------- hand-written gold

GOLD = Path(__file__).resolve().parents[3] / "tests" / "gold" / "comparison" / "gold.json"
#: predicted central omissions judged per set, in rank order
TOP_OMISSIONS = 10

GOLD_RULES = {
    "omissions": (
        "the top 10 central omissions of each set, rank order; correct when its summary matches the keys of a "
        "central gold fact from which every outlet it lists as absent is absent (any of the facts it matches); "
        "a central omission matching no gold fact or only non-central ones is wrong"
    ),
    "voices": (
        "a predicted (outlet, speaker) is correct when one of a gold voice's names of that outlet occurs in the "
        "speaker's name as whole words (or the name in it); role accuracy over the correct ones"
    ),
    "labels": "a predicted (outlet, term) is correct when the gold lists the term for that outlet",
}


def load_gold_set(data_dir: Path, doc_ids: list[str]) -> list[Article]:
    """The set's articles read and cleaned the way ``parallax ingest`` reads a JSONL file."""
    import tempfile

    from parallax.clean import clean_document
    from parallax.ingest import read_inputs
    from parallax.records import RawDocument

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "set.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for doc_id in doc_ids:
                data = json.loads((data_dir / "docs" / f"{doc_id}.json").read_text(encoding="utf-8"))
                rec = {"id": doc_id, "text": data["text"], "outlet": data["outlet"], "published": data["published"]}
                fh.write(json.dumps(rec) + "\n")
        out = []
        for doc in read_inputs([path]):
            if isinstance(doc, RawDocument):
                out.append(clean_document(doc))
    return out


def _name_in(name: str, speaker: str) -> bool:
    a, b = f" {' '.join(words(name))} ", f" {' '.join(words(speaker))} "
    return a in b or b in a


def score_gold_set(gset: dict[str, Any], comp: Comparison) -> dict[str, Any]:
    """Judgements of one set's omissions, voices and labels (see :data:`GOLD_RULES`)."""
    facts = gset["facts"]
    judged: list[dict[str, Any]] = []
    for om in [o for o in comp.omissions if o.central][:TOP_OMISSIONS]:
        matches = [f for f in facts if any(re.search(k, om.summary, re.I) for k in f["keys"])]
        good = [f for f in matches if f["central"] and not set(om.absent_from) & set(f["present"])]
        match = good[0] if good else matches[0] if matches else None
        ok = bool(good)
        judged.append({"rank": om.rank, "summary": om.summary[:120], "absent_from": om.absent_from,
                       "fact": match["id"] if match else None, "correct": ok})
    voices: list[dict[str, Any]] = []
    for v in comp.voices:
        gold = next(
            (g for g in gset["voices"] if g["outlet"] == v.outlet and any(_name_in(n, v.speaker) for n in g["names"])),
            None,
        )
        voices.append({"outlet": v.outlet, "speaker": v.speaker, "role": v.role,
                       "gold_role": gold["role"] if gold else None, "correct": gold is not None})
    gold_labels = {(g["outlet"], g["term"]) for g in gset["labels"]}
    labels = [{"outlet": lb.outlet, "term": lb.term, "correct": (lb.outlet, lb.term) in gold_labels} for lb in comp.labels]
    return {"omissions": judged, "voices": voices, "labels": labels}


def evaluate_gold(
    data_dir: Path, gold_path: Path = GOLD, *, split: str | None = None, cache_dir: str | Path | None = None
) -> dict[str, Any]:
    """Omission precision, voice precision and role accuracy, label precision on the hand-written gold."""
    from parallax.extract import extract_articles

    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    nlp = None
    if cache_dir is not None:
        from parallax.eval.quotes import CachedParser
        from parallax.nlp import load_nlp

        nlp = CachedParser(load_nlp(), Path(cache_dir))
    sets: dict[str, Any] = {}
    for gset in gold["sets"]:
        if split is not None and gset["split"] != split:
            continue
        articles = load_gold_set(data_dir, gset["docs"])
        facts = list(extract_articles(articles, nlp=nlp))  # type: ignore[arg-type]
        comp = compare_story(articles, facts)
        sets[gset["id"]] = {"split": gset["split"], **score_gold_set(gset, comp)}

    def ratio(items: list[dict[str, Any]], key: str = "correct") -> dict[str, Any]:
        good = sum(1 for x in items if x[key])
        return {"precision": round(good / len(items), 4) if items else None, "correct": good, "judged": len(items)}

    out: dict[str, Any] = {"sets": sets, "rules": GOLD_RULES, "by_split": {}}
    for sp in sorted({s["split"] for s in sets.values()}):
        chosen = [s for s in sets.values() if s["split"] == sp]
        oms = [x for s in chosen for x in s["omissions"]]
        vs = [x for s in chosen for x in s["voices"]]
        lbs = [x for s in chosen for x in s["labels"]]
        matched = [x for x in vs if x["correct"]]
        roles = sum(1 for x in matched if x["role"] == x["gold_role"])
        out["by_split"][sp] = {
            "omission_precision": ratio(oms),
            "voice_precision": ratio(vs),
            "role_accuracy": {"accuracy": round(roles / len(matched), 4) if matched else None,
                              "correct": roles, "judged": len(matched)},
            "label_precision": ratio(lbs),
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(os.environ.get("PARALLAX_DEVDATA") or Path(__file__).resolve().parents[4] / "shared" / "data")
    parser.add_argument("root", nargs="?", default=str(default / "basil"))
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--extract", action="store_true", help="facts from parallax.extract (slow: parses every article)")
    parser.add_argument("--folds", default=None, help="only these folds, comma-separated (0..4)")
    parser.add_argument("--gold", action="store_true", help="score the hand-written stories-long gold instead")
    parser.add_argument("--split", default=None, help="with --gold: only sets of this split (dev, held-out)")
    parser.add_argument("--cache", default=None, help="keep spaCy parses in this folder (with --extract)")
    args = parser.parse_args(argv)
    if args.gold:
        data = Path(args.root).parent / "stories-long" if args.root.endswith("basil") else Path(args.root)
        if not (data / "docs").is_dir():
            print(f"stories-long not found at {data}", file=sys.stderr)
            return 2
        gold_result = evaluate_gold(data, split=args.split, cache_dir=args.cache)
        print(json.dumps(gold_result, indent=2))
        for sp, res in gold_result["by_split"].items():
            print(
                f"{sp}: omission precision {res['omission_precision']}, voice precision {res['voice_precision']}, "
                f"role accuracy {res['role_accuracy']}, label precision {res['label_precision']}"
            )
        for name, rule in GOLD_RULES.items():
            print(f"rule ({name}): {rule}")
        return 0
    root = Path(args.root)
    if not (root / "index.tsv").exists():
        print(f"BASIL not found at {root}", file=sys.stderr)
        return 2
    folds = {int(x) for x in args.folds.split(",")} if args.folds else None
    result = evaluate_basil(root, args.limit, extract=args.extract, folds=folds, cache_dir=args.cache)
    print(json.dumps(result, indent=2))
    print(
        f"alignment: same quote = a shared run of {GOLD_NGRAM} words across outlets; pairs P/R/F1 "
        f"{result['alignment']}"
    )
    print(f"omissions: (quote, outlet) with no such shared run; P/R/F1 {result['omissions']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
