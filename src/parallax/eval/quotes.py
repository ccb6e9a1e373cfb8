"""Quote extraction scored against PolNeAR attribution relations (brat standoff).

Usage::

    python -m parallax.eval.quotes [--data-dir ../shared/data/polnear] [--split dev] [--limit N] [--json] [--cache DIR]

Each article's text (title on the first line, paragraphs split on blank lines)
becomes an :class:`~parallax.records.Article`; the extracted quotes' spans are
mapped back to offsets in the PolNeAR text. For articles with several annotators
the first annotator id in sorted order is the gold.

A predicted relation is (cue spans, source span, content spans). Direct quotes
are scored with their quotation marks (PolNeAR's content spans include them) and
the parts of a quotation broken by "he said" form one relation with one content
made of several spans, as PolNeAR annotates it.

Three scorings are printed with their rules: exact spans, a per-item token
overlap, and token overlap as BBC's Citron reports it (``citron``: summed shared
tokens over predicted and gold tokens), the one Citron's published 0.85 source
and 0.83 content F1 on PARC 3.0 use. The extractor counts beliefs and stances
as PolNeAR does (its learned cue model was trained on the training split only,
so dev is held out).
"""

from __future__ import annotations

import argparse
import bisect
import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parallax.records import Article, ArticleFacts, Paragraph, Quote

Span = tuple[int, int]
Spans = tuple[Span, ...]

COMPONENTS = ("cue", "source", "content")

RULES = {
    "exact": (
        "exact: a component matches when its character spans equal the gold spans after trimming "
        "whitespace (multi-span contents must match span for span); 'all' needs cue, source and content "
        "of one relation to match exactly together (a gold relation without a source matches a prediction "
        "without one); each gold item matches at most one prediction"
    ),
    "overlap": (
        "overlap: tokens are \\w+ runs; precision = mean over predicted items of the largest share of "
        "their tokens inside one gold item of the same article, recall = mean over gold items of the "
        "largest share of their tokens inside one prediction; 'all' counts a predicted relation as "
        "correct when one gold relation shares a cue token, a source token (or neither has a source) "
        "and has content token-F1 >= 0.5 with it"
    ),
    "citron": (
        "citron: token overlap as BBC Citron's metrics.py computes it: for each component, the tokens "
        "(\\w+ runs) a predicted span shares with gold spans, summed over every predicted and gold relation "
        "of the article (a span repeated by several relations counts once per distinct span), P = shared / "
        "predicted tokens, R = shared / gold tokens, micro over the split; 'all' pools cue, source and content"
    ),
}

_QUOTE_MARKS = '"“”«»„‟'


@dataclass
class Relation:
    cue: Spans
    source: Spans | None
    content: Spans
    extra: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------- data


def _spans(field_text: str) -> Spans:
    out = []
    for part in field_text.split(";"):
        a, b = part.split()
        out.append((int(a), int(b)))
    return tuple(sorted(out))


def load_gold(path: Path) -> list[Relation]:
    """The attribution relations of one brat ``.ann`` file."""
    spans: dict[str, Spans] = {}
    rels: list[Relation] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    for line in lines:
        if line.startswith("T"):
            parts = line.split("\t")
            if len(parts) < 2:
                continue
            role, _, offsets = parts[1].partition(" ")
            spans[parts[0]] = _spans(offsets)
    for line in lines:
        if not line.startswith("E"):
            continue
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        roles: dict[str, list[Span]] = defaultdict(list)
        for arg in parts[1].split():
            role, _, tid = arg.partition(":")
            role = re.sub(r"\d+$", "", role)
            if tid in spans:
                roles[role].extend(spans[tid])
        if not roles.get("Cue") and not roles.get("Content"):
            continue
        rels.append(
            Relation(
                cue=tuple(sorted(roles.get("Cue", []))),
                source=tuple(sorted(roles["Source"])) if roles.get("Source") else None,
                content=tuple(sorted(roles.get("Content", []))),
            )
        )
    return rels


@dataclass
class PolnearArticle:
    name: str
    text: str
    article: Article
    #: (start in Article.text, start in the PolNeAR text) per body paragraph
    body_map: list[tuple[int, int]]
    title_offset: int
    gold: list[Relation]


def build_article(name: str, text: str) -> tuple[Article, list[tuple[int, int]], int]:
    """An Article from a PolNeAR text, with the maps from its fields back to the text."""
    first_nl = text.find("\n")
    title_line = text if first_nl < 0 else text[:first_nl]
    title = title_line.strip()
    title_offset = title_line.find(title) if title else 0
    paragraphs: list[Paragraph] = []
    body_map: list[tuple[int, int]] = []
    pos = 0
    if first_nl >= 0:
        for m in re.finditer(r"[^\n]+(?:\n(?![ \t]*\n)[^\n]*)*", text[first_nl + 1 :]):
            raw = m.group()
            stripped = raw.strip()
            if not stripped:
                continue
            raw_start = first_nl + 1 + m.start() + (len(raw) - len(raw.lstrip()))
            if paragraphs:
                pos += 2
            body_map.append((pos, raw_start))
            paragraphs.append(Paragraph(stripped, raw_start, raw_start + len(stripped)))
            pos += len(stripped)
    article = Article(id=name, source=name, title=title or None, paragraphs=paragraphs, language="en")
    return article, body_map, title_offset


def load_split(data_dir: Path, split: str = "dev", limit: int | None = None) -> list[PolnearArticle]:
    """The articles of a PolNeAR split with their gold relations (first annotator in sorted order)."""
    base = data_dir / split
    if not base.is_dir():
        raise FileNotFoundError(f"PolNeAR split not found: {base}")
    texts = sorted((base / "text").glob("*.txt"))
    if limit is not None:
        texts = texts[:limit]
    anns: dict[str, list[Path]] = defaultdict(list)
    for p in sorted((base / "attributions").glob("*.ann")):
        anns[p.stem.rsplit("_", 1)[0]].append(p)
    out = []
    for tp in texts:
        files = sorted(anns.get(tp.stem, []))
        if not files:
            continue
        text = tp.read_text(encoding="utf-8")
        article, body_map, title_offset = build_article(tp.stem, text)
        out.append(PolnearArticle(tp.stem, text, article, body_map, title_offset, load_gold(files[0])))
    return out


# --------------------------------------------------------------------------- predictions


def _to_raw(pa: PolnearArticle, field_name: str, start: int, end: int) -> Span | None:
    if field_name == "title":
        return pa.title_offset + start, pa.title_offset + end
    if field_name != "body" or not pa.body_map:
        return None
    starts = [b for b, _ in pa.body_map]
    i = max(0, bisect.bisect_right(starts, start) - 1)
    j = max(0, bisect.bisect_right(starts, max(start, end - 1)) - 1)
    return pa.body_map[i][1] + start - pa.body_map[i][0], pa.body_map[j][1] + end - pa.body_map[j][0]


def _trim(text: str, span: Span) -> Span:
    a, b = span
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _with_marks(text: str, span: Span) -> Span:
    """A direct quote's content span widened to its quotation marks (and a comma inside them)."""
    a, b = span
    if text[max(0, a - 2) : a] == "''":
        a -= 2
    elif a > 0 and text[a - 1] in _QUOTE_MARKS:
        a -= 1
    j = b
    while j < len(text) and text[j] in ",.?! ":
        j += 1
    if text.startswith("''", j):
        b = j + 2
    elif j < len(text) and text[j] in _QUOTE_MARKS:
        b = j + 1
    return a, b


def _close_marks(text: str, span: Span) -> Span:
    """Reported content that ends inside a quotation it opened is scored through the closing mark."""
    a, b = span
    inner = text[a:b]
    if inner.count("“") > inner.count("”") or inner.count('"') % 2:
        m = re.match(r"[.,!?]?[”\"]", text[b : b + 2])
        if m:
            b += m.end()
    return a, b


def _outside_attribution(text: str, content: Span, cue: Span | None, source: Span | None) -> list[Span]:
    """ "X, he said, Y": a content around its own attribution is two spans, as PolNeAR marks it."""
    parts = [s for s in (cue, source) if s is not None]
    if not parts:
        return [content]
    lo, hi = min(s[0] for s in parts), max(s[1] for s in parts)
    if not (content[0] < lo and hi < content[1]):
        return [content]
    left_end = lo
    while left_end > content[0] and text[left_end - 1] in " ,—–":
        left_end -= 1
    right_start = hi
    while right_start < content[1] and text[right_start] in " ,—–":
        right_start += 1
    return [s for s in ((content[0], left_end), (right_start, content[1])) if s[1] > s[0]]


def predicted_relations(pa: PolnearArticle, facts: ArticleFacts) -> list[Relation]:
    """The extracted quotes as relations in PolNeAR offsets (split quotes joined by cue)."""
    grouped: dict[tuple[Any, ...], list[Quote]] = defaultdict(list)
    order: list[tuple[Any, ...]] = []
    for q in facts.quotes:
        key: tuple[Any, ...] = (q.field, q.cue_start, q.cue_end) if q.cue_start is not None else ("id", q.id)
        if key not in grouped:
            order.append(key)
        grouped[key].append(q)
    out: list[Relation] = []
    text = pa.text
    for key in order:
        qs = grouped[key]
        q0 = qs[0]
        cue = (
            _to_raw(pa, q0.field, q0.cue_start, q0.cue_end)
            if q0.cue_start is not None and q0.cue_end is not None
            else None
        )
        source = None
        if q0.speaker_start is not None and q0.speaker_end is not None:
            source = _to_raw(pa, q0.field, q0.speaker_start, q0.speaker_end)
        contents: list[Span] = []
        for q in qs:
            span = _to_raw(pa, q.field, q.start, q.end)
            if span is None:
                continue
            span = _trim(text, span)
            if q.kind == "direct" or (span[0] > 0 and text[span[0] - 1] in _QUOTE_MARKS):
                contents.append(_with_marks(text, span))
            else:
                contents.extend(_outside_attribution(text, _close_marks(text, span), cue, source))
        if not contents:
            continue
        if cue is not None and text[cue[1] : cue[1] + 1] == ":":
            cue = (cue[0], cue[1] + 1)  # PolNeAR's cue takes the colon of 'said: "..."'
        out.append(
            Relation(
                cue=(_trim(text, cue),) if cue else (),
                source=(_trim(text, source),) if source else None,
                content=tuple(sorted(set(contents))),
                extra={"kind": q0.kind, "confidence": q0.confidence},
            )
        )
    return out


# --------------------------------------------------------------------------- scoring


def _tokens(text: str, spans: Spans | None) -> frozenset[int]:
    if not spans:
        return frozenset()
    out: set[int] = set()
    for a, b in spans:
        out.update(m.start() + a for m in re.finditer(r"\w+", text[a:b]))
    return frozenset(out)


def _prf(tp: float, n_pred: float, n_gold: float) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def _prf_means(p_sum: float, n_pred: int, r_sum: float, n_gold: int) -> dict[str, float]:
    p = p_sum / n_pred if n_pred else 0.0
    r = r_sum / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def _norm_spans(text: str, spans: Spans | None) -> Spans | None:
    if spans is None:
        return None
    out = tuple(sorted(_trim(text, s) for s in spans))
    return tuple(s for s in out if s[1] > s[0]) or None


def _relation_key(text: str, r: Relation) -> tuple[Any, ...]:
    return (_norm_spans(text, r.cue), _norm_spans(text, r.source), _norm_spans(text, r.content))


def score(items: Sequence[tuple[str, list[Relation], list[Relation]]]) -> dict[str, Any]:
    """Exact and token-overlap P/R/F1 for (text, gold, predicted) triples."""
    exact_counts: dict[str, list[int]] = {c: [0, 0, 0] for c in (*COMPONENTS, "all")}  # tp, pred, gold
    overlap_sums: dict[str, list[float]] = {
        c: [0.0, 0, 0.0, 0] for c in COMPONENTS
    }  # p_sum, n_pred, r_sum, n_gold
    all_overlap: list[int] = [0, 0, 0, 0]  # matched preds, preds, matched golds, golds
    citron: dict[str, list[int]] = {c: [0, 0, 0] for c in COMPONENTS}  # shared, predicted, gold tokens
    for text, gold, pred in items:
        for comp in COMPONENTS:
            acc_c = citron[comp]
            g_spans = {s for r in gold for s in (_norm_spans(text, getattr(r, comp)) or ())}
            p_spans = {s for r in pred for s in (_norm_spans(text, getattr(r, comp)) or ())}
            g_tokens = [_tokens(text, (s,)) for s in g_spans]
            p_tokens = [_tokens(text, (s,)) for s in p_spans]
            acc_c[0] += sum(len(pt & gt) for pt in p_tokens for gt in g_tokens)
            acc_c[1] += sum(len(pt) for pt in p_tokens)
            acc_c[2] += sum(len(gt) for gt in g_tokens)
        for comp in COMPONENTS:
            g_items = [_norm_spans(text, getattr(r, comp)) for r in gold]
            p_items = [_norm_spans(text, getattr(r, comp)) for r in pred]
            g_c = Counter(x for x in g_items if x)
            p_c = Counter(x for x in p_items if x)
            exact_counts[comp][0] += sum((g_c & p_c).values())
            exact_counts[comp][1] += sum(p_c.values())
            exact_counts[comp][2] += sum(g_c.values())
            g_tok = [_tokens(text, x) for x in g_items if x]
            p_tok = [_tokens(text, x) for x in p_items if x]
            g_tok = [t for t in g_tok if t]
            p_tok = [t for t in p_tok if t]
            acc = overlap_sums[comp]
            for pt in p_tok:
                acc[0] += max((len(pt & gt) / len(pt) for gt in g_tok), default=0.0)
                acc[1] += 1
            for gt in g_tok:
                acc[2] += max((len(pt & gt) / len(gt) for pt in p_tok), default=0.0)
                acc[3] += 1

        g_all = Counter(_relation_key(text, r) for r in gold)
        p_all = Counter(_relation_key(text, r) for r in pred)
        exact_counts["all"][0] += sum((g_all & p_all).values())
        exact_counts["all"][1] += len(pred)
        exact_counts["all"][2] += len(gold)

        gt_rel = [
            (_tokens(text, r.cue), _tokens(text, r.source), _tokens(text, r.content), r.source is not None)
            for r in gold
        ]
        pt_rel = [
            (_tokens(text, r.cue), _tokens(text, r.source), _tokens(text, r.content), r.source is not None)
            for r in pred
        ]

        def match(p: tuple[Any, ...], g: tuple[Any, ...]) -> bool:
            if not (p[0] & g[0]):
                return False
            if (g[3] or p[3]) and not (p[1] & g[1]):
                return False
            inter = len(p[2] & g[2])
            if not inter:
                return False
            prec, rec = inter / len(p[2]), inter / len(g[2])
            return 2 * prec * rec / (prec + rec) >= 0.5

        all_overlap[0] += sum(1 for p in pt_rel if any(match(p, g) for g in gt_rel))
        all_overlap[1] += len(pt_rel)
        all_overlap[2] += sum(1 for g in gt_rel if any(match(p, g) for p in pt_rel))
        all_overlap[3] += len(gt_rel)
    result: dict[str, Any] = {"exact": {}, "overlap": {}, "rules": RULES}
    for comp, (tp, n_pred, n_gold) in exact_counts.items():
        result["exact"][comp] = {**_prf(tp, n_pred, n_gold), "tp": tp, "predicted": n_pred, "gold": n_gold}
    for comp, (p_sum, np_, r_sum, ng_) in overlap_sums.items():
        result["overlap"][comp] = _prf_means(p_sum, int(np_), r_sum, int(ng_))
    result["overlap"]["all"] = _prf_means(all_overlap[0], all_overlap[1], all_overlap[2], all_overlap[3])
    result["citron"] = {}
    for comp, (shared, n_pred_tok, n_gold_tok) in citron.items():
        result["citron"][comp] = _prf_means(shared, n_pred_tok, shared, n_gold_tok)
    pooled = [sum(v[i] for v in citron.values()) for i in range(3)]
    result["citron"]["all"] = _prf_means(pooled[0], pooled[1], pooled[0], pooled[2])
    return result


def evaluate(
    data_dir: str | Path,
    split: str = "dev",
    limit: int | None = None,
    *,
    stances: bool = False,
    cache_dir: str | Path | None = None,
) -> dict[str, Any]:
    """Extract quotes from a PolNeAR split and score them (see :data:`RULES`).

    ``stances`` runs the extractor with attributed stances on (not the default setting).
    ``cache_dir`` keeps the spaCy parses between runs (keyed by text and model)."""
    articles = load_split(Path(data_dir), split, limit)
    items = [(pa.text, pa.gold, pred) for pa, pred in predict(articles, stances=stances, cache_dir=cache_dir)]
    result = score(items)
    result["articles"] = len(articles)
    result["stances"] = stances
    result["split"] = split
    return result


def predict(
    articles: Sequence[PolnearArticle], *, stances: bool = False, cache_dir: str | Path | None = None
) -> list[tuple[PolnearArticle, list[Relation]]]:
    """Each article with the relations the extractor predicts for it."""
    from parallax.extract import extract_articles
    from parallax.extract.entities import EntityExtractor
    from parallax.extract.quotes import QuoteExtractor
    from parallax.nlp import load_nlp

    nlp: Any = load_nlp()
    if cache_dir is not None:
        nlp = CachedParser(nlp, Path(cache_dir))
    extractors = [EntityExtractor(), QuoteExtractor(stances=stances)]
    facts = extract_articles((pa.article for pa in articles), extractors=extractors, nlp=nlp)
    return [(pa, predicted_relations(pa, f)) for pa, f in zip(articles, facts, strict=True)]


class CachedParser:
    """``nlp.pipe`` with parses kept on disk, one DocBin file per text (for repeated evaluations)."""

    def __init__(self, nlp: Any, cache_dir: Path) -> None:
        import hashlib

        self.nlp = nlp
        self.dir = cache_dir
        self.dir.mkdir(parents=True, exist_ok=True)
        self._key = hashlib.sha1(f"{nlp.meta.get('name')}-{nlp.meta.get('version')}".encode()).hexdigest()[:8]

    def _path(self, text: str) -> Path:
        import hashlib

        return self.dir / f"{self._key}-{hashlib.sha1(text.encode('utf-8')).hexdigest()}.spacy"

    def pipe(self, items: Any, *, as_tuples: bool = False, batch_size: int = 16) -> Any:
        from spacy.tokens import DocBin

        for text, ctx in items:
            path = self._path(text)
            if path.exists():
                doc = next(iter(DocBin().from_bytes(path.read_bytes()).get_docs(self.nlp.vocab)))
            else:
                doc = self.nlp(text)
                path.write_bytes(DocBin(store_user_data=False, docs=[doc]).to_bytes())
            yield (doc, ctx) if as_tuples else doc


def _default_dir() -> Path:
    import os

    env = os.environ.get("PARALLAX_DEVDATA")
    base = Path(env) if env else Path(__file__).resolve().parents[3].parent / "shared" / "data"
    return base / "polnear"


def format_report(result: dict[str, Any]) -> str:
    setting = "stances on" if result.get("stances") else "default settings"
    lines = [f"PolNeAR {result['split']}: {result['articles']} articles, quote extractor with {setting}"]
    for mode in ("exact", "overlap", "citron"):
        lines.append(f"\n{mode} match")
        lines.append(f"  {'':8} {'P':>7} {'R':>7} {'F1':>7}")
        for comp in (*COMPONENTS, "all"):
            s = result[mode][comp]
            lines.append(f"  {comp:8} {s['precision']:7.3f} {s['recall']:7.3f} {s['f1']:7.3f}")
        lines.append("  rule: " + result["rules"][mode])
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m parallax.eval.quotes", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--data-dir", type=Path, default=_default_dir(), help="the polnear folder")
    parser.add_argument("--split", default="dev")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles (sorted by name)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument(
        "--stances", action="store_true", help="also extract attributed stances (not the default)"
    )
    parser.add_argument("--cache", type=Path, default=None, help="keep spaCy parses in this folder")
    args = parser.parse_args(argv)
    if not (args.data_dir / args.split).is_dir():
        print(f"PolNeAR data not found: {args.data_dir / args.split}", file=sys.stderr)
        return 2
    result = evaluate(args.data_dir, args.split, args.limit, stances=args.stances, cache_dir=args.cache)
    print(json.dumps(result, indent=2) if args.json else format_report(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
