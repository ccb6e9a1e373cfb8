"""Labels: how each outlet names the actors, and the words that set it apart.

Label terms come from the lexicon, grouped by the actor class they name
("armed criminals", "terrorists", "protesters", ...); generic words ("officials")
and words that name no actor ("chaos") are not labels. A label says whether its
term is loaded and which other terms the story's outlets use for the same class
(the naming variation a reader compares). Each occurrence in an
article's title, standfirst, body or captions counts for the article's outlet;
the longest term wins where terms overlap ("peaceful demonstrators" is not also
"demonstrators"), and a term written inside quotation marks counts as
scare-quoted. Refs point at spans: ``fact_id`` is ``"<field>[<index>]@<start>-<end>"``.

Distinctive terms are each outlet's words against all other outlets' words of
the story, scored by the log-odds ratio with an informative Dirichlet prior
(Monroe, Colaresi & Quinn 2008, "Fightin' Words", eq. 22): the prior is the
story's own word distribution scaled to ``alpha0`` pseudo-counts, and the score
is the z-score of the log-odds difference.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter, defaultdict

from parallax.compare.context import StoryContext, load_lexicon, words
from parallax.records import DistinctiveTerm, FactRef, Label, TextField

_QUOTES = "\"“”'‘’«»"


@functools.cache
def _term_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    classes = load_lexicon("labels")["classes"]
    term_class: dict[str, str] = {}
    for cls, terms in classes.items():
        for t in terms:
            term_class.setdefault(t.lower(), cls)
    alts = sorted(term_class, key=len, reverse=True)
    body = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in alts)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE), term_class


def find_labels(ctx: StoryContext) -> list[Label]:
    """Label counts per (outlet, term), outlets in story order, most used first."""
    pattern, term_class = _term_pattern()
    counts: dict[tuple[str, str], list[FactRef]] = defaultdict(list)
    scare: Counter[tuple[str, str]] = Counter()
    for aid in ctx.counted_articles(need_facts=False):
        outlet = ctx.outlet_of[aid]
        for name, index, text in _fields(ctx, aid):
            for m in pattern.finditer(text):
                term = " ".join(m.group(0).lower().split())
                key = (outlet, term)
                counts[key].append(FactRef(aid, f"{name}[{index}]@{m.start()}-{m.end()}"))
                if _scare_quoted(text, m.start(), m.end()):
                    scare[key] += 1
    order = {o: i for i, o in enumerate(dict.fromkeys(ctx.outlet_of[a] for a in ctx.order))}
    loaded = {t.lower() for t in load_lexicon("labels").get("loaded", [])}
    used: dict[str | None, set[str]] = defaultdict(set)
    for _, t in counts:
        used[term_class.get(t)].add(t)
    out = [
        Label(
            outlet=o, term=t, actor=term_class.get(t), count=len(refs), scare_quoted=scare[(o, t)], refs=refs,
            loaded=t in loaded, alternatives=sorted(used[term_class.get(t)] - {t}),
        )
        for (o, t), refs in counts.items()
    ]
    out.sort(key=lambda lb: (order.get(lb.outlet or "", len(order)), -lb.count, lb.term))
    return out


def distinctive_terms(ctx: StoryContext) -> list[DistinctiveTerm]:
    """Each outlet's most distinctive words and word pairs against the other outlets."""
    lex = load_lexicon("labels")["distinctive"]
    stop = set(lex["stopwords"])
    # An outlet's own name (its dateline tag, its masthead) says nothing about its framing.
    stop |= {w for o in ctx.outlet_of.values() for w in words(o)}
    per_outlet: dict[str, Counter[str]] = defaultdict(Counter)
    for aid in ctx.counted_articles(need_facts=False):
        per_outlet[ctx.outlet_of[aid]].update(_grams(ctx.text_of(aid), stop))
    if len(per_outlet) < 2:
        return []
    n_all = sum(sum(c.values()) for c in per_outlet.values())
    alpha0 = min(float(lex["alpha0"]), float(n_all))
    return log_odds(per_outlet, alpha0, int(lex["top_k"]), float(lex["min_z"]), int(lex["min_count"]))


def log_odds(
    counts: dict[str, Counter[str]], alpha0: float, top_k: int, min_z: float, min_count: int
) -> list[DistinctiveTerm]:
    """z-scored log-odds ratios of each group's terms against all other groups."""
    total: Counter[str] = Counter()
    for c in counts.values():
        total.update(c)
    n_all = sum(total.values())
    if n_all == 0:
        return []
    out: list[DistinctiveTerm] = []
    for outlet, own in counts.items():
        n_i = sum(own.values())
        n_j = n_all - n_i
        scored = []
        for w, y_i in own.items():
            if y_i < min_count:
                continue
            a_w = alpha0 * total[w] / n_all
            y_j = total[w] - y_i
            delta = math.log((y_i + a_w) / (n_i + alpha0 - y_i - a_w)) - math.log(
                (y_j + a_w) / (n_j + alpha0 - y_j - a_w)
            )
            z = delta / math.sqrt(1.0 / (y_i + a_w) + 1.0 / (y_j + a_w))
            if z >= min_z:
                scored.append((z, w))
        scored.sort(key=lambda x: (-x[0], x[1]))
        out.extend(DistinctiveTerm(outlet, w, round(z, 4)) for z, w in scored[:top_k])
    return out


def _grams(text: str, stop: set[str]) -> list[str]:
    toks = [t for t in words(text) if len(t) >= 3 and not t[0].isdigit()]
    keep = [t for t in toks if t not in stop]
    pairs = [f"{a} {b}" for a, b in zip(toks, toks[1:], strict=False) if a not in stop and b not in stop]
    return keep + pairs


def _fields(ctx: StoryContext, article_id: str) -> list[tuple[TextField, int, str]]:
    a = ctx.articles[article_id]
    out: list[tuple[TextField, int, str]] = []
    if a.title:
        out.append(("title", 0, a.title))
    if a.standfirst:
        out.append(("standfirst", 0, a.standfirst))
    out.append(("body", 0, a.text))
    out.extend(("caption", i, c.text) for i, c in enumerate(a.captions))
    return out


def _scare_quoted(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    return bool(before) and before in _QUOTES and bool(after) and after in _QUOTES
