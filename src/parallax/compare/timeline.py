"""The story's timeline: dated events merged across articles.

Two events are one timeline entry when they have the same type and their date
ranges overlap (an open end counts as the start day). Partial dates without a
year ("--01-07") take the article's or the story's year.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from parallax.compare.context import StoryContext, date_interval
from parallax.records import Event, EventDate, FactRef, TimelineEntry


@dataclass(frozen=True)
class _Dated:
    article_id: str
    event: Event
    start: str  # first ISO day covered
    end: str  # last ISO day covered
    start_label: str  # the date as precise as the text gives it ("2012", "2022-01-07")
    end_label: str


def build_timeline(ctx: StoryContext) -> list[TimelineEntry]:
    """Timeline entries in date order, each with the outlets that report the event.

    An event with only an end date ("by January 7") is placed at that date.
    """
    by_type: dict[str, list[_Dated]] = defaultdict(list)
    for aid in ctx.counted_articles():
        for ev in ctx.facts[aid].events:
            span = _span(ctx, aid, ev)
            if span is not None:
                by_type[ev.type].append(_Dated(aid, ev, *span))
    out: list[TimelineEntry] = []
    for etype, items in by_type.items():
        items.sort(key=lambda d: (d.start, d.end))
        run: list[_Dated] = []
        run_end = ""
        for d in items:
            if run and d.start > run_end:
                out.append(_entry(ctx, etype, run))
                run = []
            run.append(d)
            run_end = max(run_end, d.end) if len(run) > 1 else d.end
        if run:
            out.append(_entry(ctx, etype, run))
    out.sort(key=lambda e: (e.date.start or "", e.type))
    return out


def _span(ctx: StoryContext, article_id: str, ev: Event) -> tuple[str, str, str, str] | None:
    if ev.date is None:
        return None
    start = ctx.full_date(ev.date.start, article_id) or _coarse(ev.date.start)
    end = ctx.full_date(ev.date.end, article_id) or _coarse(ev.date.end)
    # "by the morning of January 7": only an end is known; the entry stands at that day.
    start = start or end
    if start is None:
        return None
    first = date_interval(start)
    if first is None:
        return None
    if end is not None and (last := date_interval(end)) is not None:
        return first[0], last[1], start, end
    return first[0], first[1], start, start


def _coarse(value: str | None) -> str | None:
    return value if value and date_interval(value) else None


def _entry(ctx: StoryContext, etype: str, run: list[_Dated]) -> TimelineEntry:
    first = min(run, key=lambda d: d.start)
    last = max(run, key=lambda d: d.end)
    start, end = first.start_label, last.end_label
    texts = Counter(d.event.text for d in run)
    outlets: dict[str, None] = {}
    for d in run:
        outlets.setdefault(ctx.outlet_of[d.article_id], None)
    date_texts = [d.event.date.text for d in run if d.event.date and d.event.date.text]
    return TimelineEntry(
        date=EventDate(start=start, end=None if end == start else end, text=date_texts[0] if date_texts else None),
        type=etype,
        summary=texts.most_common(1)[0][0],
        outlets=list(outlets),
        refs=[FactRef(d.article_id, d.event.id) for d in run],
    )
