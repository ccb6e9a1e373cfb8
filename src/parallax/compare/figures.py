"""Figures: numeric claims about the same quantity, aligned across articles.

A *measure* is a claim's category (killed, detained, ...) plus, where the
lexicon says the category splits by group, the group counted, folded to a
measure group ("police and national guard servicemen" -> "security forces").
Detainees are not split: what an outlet calls them is framing, not a different
count. Each value becomes an interval from its qualifier ("more than 3,000" ->
[3000, inf), "about 8,000" -> [7200, 8800] at 10% tolerance, "up to 101" ->
[0, 101]) and every pair of values from different reports gets a verdict:

- ``agree``: the same date (or no dates) and overlapping intervals, or the same
  number at different dates;
- ``update``: a later date with a value a growing count could reach;
- ``conflict``: non-overlapping intervals on the same date, or a cumulative count
  that shrinks over time;
- ``unclear``: a vague value, or disagreeing values where a date is missing.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Literal

from parallax.compare.context import StoryContext, load_lexicon, normalize_phrase
from parallax.compare.entities import EntityIndex
from parallax.records import Figure, FigureValue, NumericClaim, Verdict

VerdictName = Literal["agree", "update", "conflict", "unclear"]

#: At most this many values of one measure are compared pairwise.
MAX_VALUES_PER_MEASURE = 60


@dataclass(frozen=True)
class _Item:
    article_id: str
    claim: NumericClaim
    value: FigureValue
    interval: tuple[float, float] | None


def measure_of(claim: NumericClaim) -> tuple[str, str | None] | None:
    """``(measure key, group term)`` for a claim, or None when it has no category."""
    lex = load_lexicon("measures")
    if not claim.category:
        return None
    cat = claim.category.lower()
    spec = lex["categories"].get(cat, {})
    cat = spec.get("same_as", cat)
    spec = lex["categories"].get(cat, spec)
    if not spec.get("split_by_group", True):
        return cat, None
    term = _group_text(claim)
    if term is None:
        return cat, None
    group = _measure_group(term)
    return (f"{cat}: {group}" if group else f"{cat}: {term}"), term


def interval_of(claim: NumericClaim) -> tuple[float, float] | None:
    """The range of values a claim allows, from its qualifier; None when vague."""
    if claim.vague:
        return None
    lex = load_lexicon("measures")
    tol = float(lex["tolerance"])
    q = normalize_phrase(claim.qualifier or "")
    quals = {kind: {normalize_phrase(x) for x in terms} for kind, terms in lex["qualifiers"].items()}
    v = claim.value
    if v is not None and q:
        if q in quals["approx_below"]:
            return v * (1 - tol), v
        if q in quals["approx"]:
            return v * (1 - tol), v * (1 + tol)
        if q in quals["lower"]:
            return v, math.inf
        if q in quals["upper"]:
            return 0.0, v
    if claim.low is not None or claim.high is not None:
        low = claim.low if claim.low is not None else (v if v is not None else 0.0)
        high = claim.high if claim.high is not None else (v if v is not None else math.inf)
        return low, high
    if v is not None:
        return v, v
    return None


def compare_figures(ctx: StoryContext, index: EntityIndex) -> list[Figure]:
    """One :class:`Figure` per measure found in the story, values in date order."""
    items: dict[str, list[_Item]] = defaultdict(list)
    terms: dict[str, list[str]] = defaultdict(list)
    for aid in ctx.counted_articles():
        for c in ctx.facts[aid].claims:
            m = measure_of(c)
            if m is None:
                continue
            key, term = m
            fv = FigureValue(
                article_id=aid,
                outlet=ctx.outlet_of[aid],
                fact_id=c.id,
                text=c.text,
                value=c.value,
                low=c.low,
                high=c.high,
                qualifier=c.qualifier,
                as_of=ctx.full_date(c.as_of, aid) or ctx.date_of[aid],
                attributed_to=index.name_of(aid, c.attributed_to),
                vague=c.vague,
            )
            items[key].append(_Item(aid, c, fv, interval_of(c)))
            if term:
                terms[key].append(term)
    out = []
    for key, group in items.items():
        group.sort(key=lambda it: (it.value.as_of or "", it.article_id, it.claim.start))
        cat = load_lexicon("measures")["categories"].get(key.split(":")[0], {})
        verdicts = _verdicts(ctx, group[:MAX_VALUES_PER_MEASURE], bool(cat.get("cumulative", False)))
        out.append(
            Figure(
                measure=_display(key, terms[key]),
                values=[it.value for it in group],
                verdicts=verdicts,
                timeline=[_timeline_row(it) for it in group],
            )
        )
    out.sort(key=lambda f: (-len({v.outlet for v in f.values}), f.measure))
    return out


def verdict(
    a: tuple[float, float] | None,
    a_date: str | None,
    b: tuple[float, float] | None,
    b_date: str | None,
    cumulative: bool,
) -> tuple[VerdictName, str | None]:
    """The verdict for two values of one measure, with a short note."""
    if a is None or b is None:
        return "unclear", "a vague figure cannot be compared"
    overlap = a[0] <= b[1] and b[0] <= a[1]
    if a_date and b_date and a_date != b_date:
        (early, e_date), (late, l_date) = sorted([(a, a_date), (b, b_date)], key=lambda x: x[1])
        if early == late:
            return "agree", None
        if not cumulative:
            return "update", f"{e_date} -> {l_date}"
        if late[1] >= early[0]:
            return "update", f"{e_date} -> {l_date}: consistent with growth"
        return "conflict", f"the later figure ({l_date}) is below the earlier one ({e_date}) for a count that only grows"
    if overlap:
        return "agree", None
    if a_date and b_date:
        return "conflict", f"incompatible values on {a_date}"
    return "unclear", "values differ and a date is missing"


def _verdicts(ctx: StoryContext, group: list[_Item], cumulative: bool) -> list[Verdict]:
    out = []
    for i, x in enumerate(group):
        for y in group[i + 1 :]:
            if ctx.same_report(x.article_id, y.article_id):
                continue
            v, note = verdict(x.interval, x.value.as_of, y.interval, y.value.as_of, cumulative)
            out.append(Verdict(x.article_id, y.article_id, v, x.claim.id, y.claim.id, note))
    return out


def _timeline_row(it: _Item) -> dict[str, Any]:
    low, high = it.interval if it.interval else (None, None)
    return {
        "date": it.value.as_of,
        "value": it.value.value,
        "low": low,
        "high": None if high is None or math.isinf(high) else high,
        "qualifier": it.value.qualifier,
        "outlet": it.value.outlet,
        "article_id": it.article_id,
        "fact_id": it.claim.id,
        "text": it.value.text,
        "attributed_to": it.value.attributed_to,
    }


def _group_text(claim: NumericClaim) -> str | None:
    generic = set(load_lexicon("measures")["generic_counted"])
    for raw in (claim.actor, claim.counted):
        if not raw:
            continue
        toks = [t for t in normalize_phrase(raw).split() if not t.replace(",", "").replace(".", "").isdigit()]
        phrase = " ".join(toks)
        if phrase and phrase not in generic and not all(t in generic for t in toks):
            return phrase
    return None


def _measure_group(term: str) -> str | None:
    """The measure group whose longest listed term occurs in ``term``."""
    best: tuple[int, str] | None = None
    padded = f" {term} "
    for group, terms in load_lexicon("measures")["measure_groups"].items():
        for t in terms:
            if f" {normalize_phrase(t)} " in padded and (best is None or len(t) > best[0]):
                best = (len(t), group)
    return best[1] if best else None


def _display(key: str, terms: list[str]) -> str:
    # A measure group is shown by the words the outlets used when they all used one.
    if ":" not in key or not terms:
        return key
    cat, _, group = key.partition(": ")
    distinct = sorted(set(terms))
    if len(distinct) == 1 and group in load_lexicon("measures")["shown_by_term"]:
        return f"{cat}: {distinct[0]}"
    return key
