"""Omissions: what some outlets report and others leave out.

The facts compared are the story's figures (by measure), statement clusters
(indirect or mixed), direct-quote clusters and timeline entries. A fact is
present in an outlet when any of its articles carries it; a near-duplicate of
another outlet's article counts for its own outlet, a near-duplicate within an
outlet counts once. When an outlet carries no figure for a measure but speaks of
the same thing in words ("fatalities were reported"), the omission says so: it
is the number that is missing, not the event.
"""

from __future__ import annotations

import re
from typing import Any

from parallax.compare.context import StoryContext, load_lexicon
from parallax.compare.statements import Unit, display_text
from parallax.records import FactRef, Figure, Omission, TimelineEntry


def find_omissions(
    ctx: StoryContext,
    figures: list[Figure],
    clusters: list[list[Unit]],
    timeline: list[TimelineEntry],
) -> list[Omission]:
    """Omissions of figures, statements, quotes and events, per fact."""
    outlets = ctx.outlets
    if len(outlets) < 2:
        return []
    out: list[Omission] = []
    words_cache: dict[tuple[str, str], bool] = {}
    for fig in figures:
        present = _ordered({v.outlet or v.article_id for v in fig.values}, outlets)
        absent = [o for o in outlets if o not in present]
        if not absent:
            continue
        category = fig.measure.split(":")[0]
        for o in absent:
            if (o, category) not in words_cache:
                words_cache[(o, category)] = _mentions_without_figure(ctx, o, category)
        words_only = [o for o in absent if words_cache[(o, category)]]
        note = f"{', '.join(words_only)} reports it without a figure" if words_only else None
        values = "; ".join(f"{v.text} ({v.outlet})" for v in fig.values[:4])
        out.append(
            Omission(
                kind="figure",
                summary=f"{fig.measure}: {values}",
                present_in=present,
                absent_from=absent,
                refs=[FactRef(v.article_id, v.fact_id) for v in fig.values],
                note=note,
            )
        )
    out.extend(_statement_omissions(clusters, outlets))
    for entry in timeline:
        present = _ordered(set(entry.outlets), outlets)
        absent = [o for o in outlets if o not in present]
        if not absent:
            continue
        when = entry.date.start if not entry.date.end else f"{entry.date.start}..{entry.date.end}"
        out.append(
            Omission(
                kind="event",
                summary=f"{when} {entry.type}: {entry.summary}",
                present_in=present,
                absent_from=absent,
                refs=list(entry.refs),
            )
        )
    return out


def _statement_omissions(clusters: list[list[Unit]], outlets: list[str]) -> list[Omission]:
    """One omission per quote and outlet split: its missing sentences are reported together."""
    merged: dict[tuple[Any, ...], list[list[Unit]]] = {}
    for cluster in clusters:
        present = _ordered({u.outlet for u in cluster}, outlets)
        absent = [o for o in outlets if o not in present]
        if not absent:
            continue
        kind = "quote" if all(u.kind == "direct" for u in cluster) else "statement"
        owner = cluster[0]
        merged.setdefault((owner.article_id, owner.quote.id, kind, tuple(present), tuple(absent)), []).append(cluster)
    out = []
    for (_, _, kind, present, absent), parts in merged.items():
        leads = [min(c, key=lambda u: (u.speaker_name is None, u.article_id != c[0].article_id, u.quote.start)) for c in parts]
        refs: dict[FactRef, None] = {}
        for c in parts:
            for u in c:
                refs.setdefault(FactRef(u.article_id, u.quote.id), None)
        speaker = leads[0].speaker_name or "unattributed"
        text = " ".join(display_text(u.text) for u in leads)
        out.append(
            Omission(kind=kind, summary=f"{speaker}: {text}", present_in=list(present), absent_from=list(absent), refs=list(refs))
        )
    return out


def _ordered(items: set[str], outlets: list[str]) -> list[str]:
    return [o for o in outlets if o in items] + sorted(items - set(outlets))


def _mentions_without_figure(ctx: StoryContext, outlet: str, category: str) -> bool:
    spec = load_lexicon("measures")["categories"].get(category, {})
    event_types = set(spec.get("event_types", []))
    terms = spec.get("mentions", [])
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in terms) + r")\b", re.I) if terms else None
    for aid in ctx.order:
        if ctx.outlet_of[aid] != outlet:
            continue
        facts = ctx.facts[aid]
        if any(c.vague and (c.category or "").lower() == category for c in facts.claims):
            return True
        if any(e.type in event_types for e in facts.events):
            return True
        if pattern is not None and pattern.search(ctx.text_of(aid)):
            return True
    return False
