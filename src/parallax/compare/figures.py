"""Figures: the story's numeric claims about the same quantity, as time series.

A *measure* is a claim's category (killed, missing, detained, ...) plus a
subgroup only where the text names one the lexicon knows ("police and national
guard servicemen" -> "killed: security forces"; "the deadliest US wildfire" adds
none). Money, percentages and measured quantities are kept apart by unit. Only a
claim's *current* figure counts (its role, from :mod:`parallax.extract.roles`): a
previous value, the amount of a change, an age or a figure of another event stays
in the article's facts, out of the story's figures.

Each value becomes an interval from its qualifier ("more than 3,000" ->
[3000, inf), "about 8,000" -> [7200, 8800] at 10% tolerance, "up to 101" ->
[0, 101]). Per measure the reports form a time-ordered *series*; each point gets a
verdict against the points before it:

- ``first``: the first report with a value;
- ``same``: the same value as the report before;
- ``update``: a later report with another value (higher or lower: tolls are
  revised both ways);
- ``revised``: an update the text itself calls a revision ("lowered to 97");
- ``conflict``: another report (not a copy of the same one) of the same day whose
  interval does not overlap it ("at least 36" and "36" agree); two sources that one
  outlet quotes on one day can conflict too.

The pairwise ``verdicts`` of the export contract follow the same rules:
``agree``, ``update``, ``conflict`` (same day only), ``unclear`` (a vague value,
or different values where a date is missing).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any, Literal

from parallax.compare.context import StoryContext, load_lexicon, normalize_phrase
from parallax.compare.entities import EntityIndex
from parallax.records import Figure, FigureValue, NumericClaim, SeriesPoint, Verdict

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
    """``(measure key, group term)`` for a claim, or None when it has no category.

    A subgroup comes only from the lexicon's measure groups, except for categories
    marked ``open_groups`` (staff, troops deployed), where the counted group as
    written is the measure ("staff: international personnel").
    """
    lex = load_lexicon("measures")
    if not claim.category:
        return None
    cat = claim.category.lower()
    spec = lex["categories"].get(cat, {})
    cat = spec.get("same_as", cat)
    spec = lex["categories"].get(cat, spec)
    if cat == "measure" and (claim.unit or "").split("/")[0] in lex["duration_units"]:
        return None  # "38 days after the blowout": a span of time, not a figure of the story
    if cat in lex["by_unit"]:
        # "$5bn of aid" and "5,000 barrels a day" are different quantities of different units
        return (f"{cat} ({claim.unit})" if claim.unit else cat), None
    if not spec.get("split_by_group", False):
        return cat, None
    term = _group_text(claim)
    if term is None:
        return cat, None
    group = _measure_group(term)
    if group:
        return f"{cat}: {group}", term
    if spec.get("open_groups", False):
        return f"{cat}: {term}", term
    return cat, None


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
    """One :class:`Figure` per measure found in the story, values and series in date order."""
    items: dict[str, list[_Item]] = defaultdict(list)
    terms: dict[str, list[str]] = defaultdict(list)
    home = _home_stems(ctx)
    for aid in ctx.counted_articles():
        foreign = _foreign_groups(ctx, aid, home)
        for c in ctx.facts[aid].claims:
            if c.role != "current":
                continue  # a previous value, a change, an age, another event's figure
            if foreign and _counts_foreign_group(c, foreign):
                continue  # "One Briton is confirmed dead": a subset the story's own count includes
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
        group.sort(
            key=lambda it: (it.value.as_of or "", it.value.outlet or "", it.article_id, it.claim.start)
        )
        loose = key.split(" (")[0].split(":")[0] in load_lexicon("measures")["loose_categories"]
        out.append(
            Figure(
                measure=_display(key, terms[key]),
                values=[it.value for it in group],
                verdicts=_verdicts(ctx, group[:MAX_VALUES_PER_MEASURE], loose=loose),
                timeline=[_timeline_row(it) for it in group],
                series=build_series(ctx, group, loose=loose),
            )
        )
    out.sort(key=lambda f: (-len({v.outlet for v in f.values}), f.measure))
    return out


#: letters compared between a nationality and the story's place ("Haitians" ~ "Haiti")
_STEM = 4


def _home_stems(ctx: StoryContext) -> set[str]:
    """The story's own place and nationality: the place (GPE) and the nationality (NORP)
    named in most of its articles, as word stems."""
    counts: dict[str, Counter[str]] = {"GPE": Counter(), "NORP": Counter()}
    for aid in ctx.counted_articles():
        seen: set[tuple[str, str]] = set()
        for e in ctx.facts[aid].entities:
            if e.type in counts and e.name:
                seen.add((e.type, e.name.lower()[:_STEM]))
        for etype, stem in seen:
            counts[etype][stem] += 1
    return {c.most_common(1)[0][0] for c in counts.values() if c}


def _foreign_groups(ctx: StoryContext, aid: str, home: set[str]) -> set[str]:
    """Nationalities (NORP mentions) of the article that are not the story's own ("Britons",
    "Chinese nationals" in coverage of Haiti): counts of them are subsets, not the story's figures."""
    out = set()
    for e in ctx.facts[aid].entities:
        if e.type != "NORP":
            continue
        for m in [e.name, *(mm.text for mm in e.mentions)]:
            if m and m.lower()[:_STEM] not in home:
                out.add(m.lower())
    return out


def _counts_foreign_group(claim: NumericClaim, foreign: set[str]) -> bool:
    words = set(normalize_phrase(f"{claim.actor or ''} {claim.counted or ''}").split())
    return any(set(f.split()) <= words for f in foreign)


def verdict(
    a: tuple[float, float] | None,
    a_date: str | None,
    b: tuple[float, float] | None,
    b_date: str | None,
    cumulative: bool = False,
) -> tuple[VerdictName, str | None]:
    """The verdict for two values of one measure, with a short note.

    A later figure that differs is an update whichever way it goes: tolls are revised
    down as well as up, and missing counts fall as people are found. ``cumulative``
    only words the note (a count that only grows and went down was revised).
    """
    if a is None or b is None:
        return "unclear", "a vague figure cannot be compared"
    overlap = a[0] <= b[1] and b[0] <= a[1]
    if a_date and b_date and a_date[:10] != b_date[:10]:
        (early, e_date), (late, l_date) = sorted([(a, a_date), (b, b_date)], key=lambda x: x[1])
        if early == late:
            return "agree", None
        if cumulative and late[1] < early[0]:
            return "update", f"{e_date} -> {l_date}: lower, a revision"
        return "update", f"{e_date} -> {l_date}"
    if overlap:
        return "agree", None
    if a_date and b_date:
        return "conflict", f"incompatible values on {a_date[:10]}"
    return "unclear", "values differ and a date is missing"


def _verdicts(ctx: StoryContext, group: list[_Item], *, loose: bool = False) -> list[Verdict]:
    out = []
    for i, x in enumerate(group):
        for y in group[i + 1 :]:
            if ctx.same_report(x.article_id, y.article_id):
                continue
            v, note = verdict(x.interval, x.value.as_of, y.interval, y.value.as_of, _cumulative(x.claim))
            if loose and v == "conflict":
                v, note = "unclear", "two amounts of this kind need not measure the same thing"
            out.append(Verdict(x.article_id, y.article_id, v, x.claim.id, y.claim.id, note))
    return out


def _cumulative(claim: NumericClaim) -> bool:
    m = measure_of(claim)
    spec = load_lexicon("measures")["categories"].get(m[0].split(":")[0] if m else "", {})
    return bool(spec.get("cumulative", False))


def build_series(ctx: StoryContext, group: list[_Item], *, loose: bool = False) -> list[SeriesPoint]:
    """The measure's reports in time order, each with its verdict against the earlier ones.

    ``group`` is sorted by as-of date. A conflict needs two reports of different
    articles (not copies of one report) for the same day whose intervals do not
    overlap; both are marked, as the pairwise verdicts mark them. A ``loose`` measure
    (money, percentages) gathers different quantities: it has no conflicts.
    """
    verdicts: list[str | None] = [None] * len(group)
    latest: tuple[float, float] | None = None  # the interval of the report before
    latest_value: float | None = None
    by_day: dict[str, list[int]] = defaultdict(list)
    for i, it in enumerate(group):
        day = (it.value.as_of or "")[:10]
        if it.interval is None:
            continue  # a vague report has no place on the value axis
        if day:
            by_day[day].append(i)
        if latest is None:
            verdicts[i] = "first"
        elif latest == it.interval or (it.value.value is not None and it.value.value == latest_value):
            verdicts[i] = "same"
        elif it.claim.revised:
            verdicts[i] = "revised"
        else:
            verdicts[i] = "update"  # "more than 3,000", then "about 8,000": a new figure
        latest_value = it.value.value
        latest = it.interval
    for idxs in by_day.values() if not loose else ():
        for n, i in enumerate(idxs):
            for j in idxs[n + 1 :]:
                a, b = group[i], group[j]
                if ctx.same_report(a.article_id, b.article_id):
                    continue
                assert a.interval is not None and b.interval is not None
                if not _overlap(a.interval, b.interval):
                    verdicts[i] = verdicts[j] = "conflict"
    out = []
    for it, v in zip(group, verdicts, strict=True):
        out.append(
            SeriesPoint(
                article_id=it.article_id,
                fact_id=it.claim.id,
                outlet=it.value.outlet,
                as_of=it.value.as_of,
                value=it.value.value,
                low=it.value.low,
                high=it.value.high,
                qualifier=it.value.qualifier,
                source=it.value.attributed_to,
                previous=it.claim.previous,
                revised=it.claim.revised,
                verdict=v,
            )
        )
    return out


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


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
