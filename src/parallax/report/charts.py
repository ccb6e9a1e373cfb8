"""Inline SVG charts: a figure's series over time, drawn on the server, no script, no CDN.

One chart per measure: a step line through the latest reported value over time, each
outlet's reports as points in the outlet's colour (a vertical bar for a range, a
hollow point for a value given with "more than"/"up to"), conflicts ringed in red,
revisions as diamonds with a dotted line from the previous value. Every point is a
link to the span it rests on and has a tooltip (SVG ``<title>``). Colours are SVG
presentation attributes, so a strict Content-Security-Policy (no inline styles)
still draws them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from html import escape

from markupsafe import Markup

#: Colours for the outlets with most coverage, in order (Okabe-Ito and Tableau, readable on white).
PALETTE = (
    "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9",
    "#d55e00", "#7f7f7f", "#8c564b", "#bcbd22", "#17becf",
)  # fmt: skip
OTHER_COLOUR = "#9ca3af"
CONFLICT_COLOUR = "#b91c1c"

WIDTH, HEIGHT = 640, 200
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 52, 14, 12, 26


@dataclass(frozen=True, slots=True)
class ChartPoint:
    when: str | None  # ISO date or date-time
    value: float | None
    low: float | None
    high: float | None
    outlet: str
    label: str  # the tooltip
    href: str
    verdict: str | None = None  # first | same | update | revised | conflict
    previous: float | None = None
    open_bound: bool = False  # "more than 3,000": the value is a bound, not a count


def outlet_colours(outlets: Sequence[str]) -> dict[str, str]:
    """Outlet -> colour, the first outlets (by coverage) distinct, the rest grey."""
    return {o: PALETTE[i] if i < len(PALETTE) else OTHER_COLOUR for i, o in enumerate(outlets)}


def _day(text: str | None) -> date | None:
    if not text or text.startswith("--"):
        return None
    try:
        return datetime.fromisoformat(text[:10]).date()
    except ValueError:
        return None


def _nice_ticks(lo: float, hi: float, count: int = 4) -> list[float]:
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / count
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.floor(lo / step) * step
    ticks: list[float] = []
    t = start
    while t <= hi + step * 0.5 and len(ticks) < 12:
        ticks.append(round(t, 10))
        t += step
    return ticks


def compact_number(value: float) -> str:
    """12,500 -> 12.5k; 3,000,000 -> 3M (axis labels)."""
    a = abs(value)
    for div, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if a >= div:
            text = f"{value / div:.2f}".rstrip("0").rstrip(".")
            return text + suffix
    return f"{value:.2f}".rstrip("0").rstrip(".") if not float(value).is_integer() else str(int(value))


def _value(p: ChartPoint) -> float | None:
    for v in (p.value, p.low, p.high):
        if v is not None:
            return v
    return None


def series_chart(points: Sequence[ChartPoint], colours: dict[str, str], *, title: str = "") -> Markup | None:
    """The chart, or None when fewer than one point has both a date and a value."""
    dated = [(d, p) for p in points if (d := _day(p.when)) is not None and _value(p) is not None]
    if not dated:
        return None
    dated.sort(key=lambda dp: dp[0])
    values = [v for _, p in dated for v in (p.value, p.low, p.high, p.previous) if v is not None]
    lo_v, hi_v = min(values), max(values)
    # counts start at zero (a toll of 97 vs 115 must not look like 0 vs 100); a series far
    # from zero (a price index) keeps its own range
    if lo_v >= 0 and (lo_v < 0.6 * hi_v or lo_v == hi_v):
        lo_v = 0.0
    if lo_v == hi_v:  # one value, zero or negative: give it room
        lo_v, hi_v = lo_v - 1, hi_v + 1
    ticks = _nice_ticks(lo_v, hi_v)
    y0, y1 = ticks[0], ticks[-1]
    d0, d1 = dated[0][0], dated[-1][0]
    span = max((d1 - d0).days, 1)
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM

    def x(d: date) -> float:
        if d0 == d1:
            return MARGIN_LEFT + plot_w / 2
        return MARGIN_LEFT + plot_w * (d - d0).days / span

    def y(v: float) -> float:
        return MARGIN_TOP + plot_h * (1 - (v - y0) / ((y1 - y0) or 1))

    out: list[str] = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for t in ticks:
        out.append(
            f'<line x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" y1="{y(t):.1f}" y2="{y(t):.1f}" stroke="#e5e7eb"/>'
            f'<text x="{MARGIN_LEFT - 6}" y="{y(t) + 4:.1f}" text-anchor="end" font-size="11" fill="#6b7280">{escape(compact_number(t))}</text>'
        )
    ticks_x = _date_ticks(d0, d1)
    for i, d in enumerate(ticks_x):
        # the end labels hang inwards so that they are not cut at the chart's edges
        anchor = (
            "middle"
            if len(ticks_x) == 1
            else "start"
            if i == 0
            else "end"
            if i == len(ticks_x) - 1
            else "middle"
        )
        label = d.strftime("%b %-d") + (f" {d.year}" if i == 0 and d0.year != d1.year else "")
        out.append(
            f'<text x="{x(d):.1f}" y="{HEIGHT - 8}" text-anchor="{anchor}" font-size="11" fill="#6b7280">{label}</text>'
        )
    # the step line: at each date, the latest value reported without a conflict
    steps: list[tuple[date, float]] = []
    for d, p in dated:
        v = _value(p)
        if v is None or p.verdict == "conflict":
            continue
        if steps and steps[-1][0] == d:
            steps[-1] = (d, max(steps[-1][1], v))
        else:
            steps.append((d, v))
    if steps:
        path = [f"M{x(steps[0][0]):.1f},{y(steps[0][1]):.1f}"]
        for d, v in steps[1:]:
            path.append(f"H{x(d):.1f}V{y(v):.1f}")
        path.append(f"H{x(d1):.1f}")
        out.append(f'<path d="{"".join(path)}" fill="none" stroke="#374151" stroke-width="1.5"/>')
    # same-day reports fan out a little so that none hides another
    seen: dict[tuple[date, float], int] = {}
    for d, p in dated:
        v = _value(p)
        assert v is not None
        n = seen.get((d, v), 0)
        seen[(d, v)] = n + 1
        cx, cy = x(d) + (n % 5) * 5 - (2 if n else 0), y(v)
        colour = colours.get(p.outlet, OTHER_COLOUR)
        parts = [f'<a href="{escape(p.href)}" class="pt"><title>{escape(p.label)}</title>']
        if p.low is not None and p.high is not None and p.low != p.high:
            parts.append(
                f'<line x1="{cx:.1f}" x2="{cx:.1f}" y1="{y(p.low):.1f}" y2="{y(p.high):.1f}" stroke="{colour}" stroke-width="3" stroke-opacity="0.5"/>'
            )
        if p.previous is not None:
            parts.append(
                f'<line x1="{cx:.1f}" x2="{cx:.1f}" y1="{y(p.previous):.1f}" y2="{cy:.1f}" stroke="{colour}" stroke-dasharray="2 2"/>'
            )
        if p.verdict == "revised":
            parts.append(
                f'<path d="M{cx:.1f},{cy - 6:.1f}L{cx + 6:.1f},{cy:.1f}L{cx:.1f},{cy + 6:.1f}L{cx - 6:.1f},{cy:.1f}Z" fill="{colour}" stroke="#111827"/>'
            )
        elif p.open_bound:
            parts.append(
                f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4.5" fill="#fff" stroke="{colour}" stroke-width="2"/>'
            )
        else:
            parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4.5" fill="{colour}" stroke="#fff"/>')
        if p.verdict == "conflict":
            parts.append(
                f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="8" fill="none" stroke="{CONFLICT_COLOUR}" stroke-width="2"/>'
            )
        parts.append("</a>")
        out.append("".join(parts))
    out.append("</svg>")
    return Markup("".join(out))


def _date_ticks(d0: date, d1: date) -> list[date]:
    """Up to five dates along the axis, first and last included."""
    days = (d1 - d0).days
    if days <= 0:
        return [d0]
    n = min(4, days)
    from datetime import timedelta

    return [d0 + timedelta(days=round(days * i / n)) for i in range(n + 1)]


def swatch(colour: str) -> Markup:
    """A small colour square for legends (an SVG: a CSP without inline styles allows it)."""
    return Markup(
        f'<svg class="sw" width="10" height="10" viewBox="0 0 10 10" aria-hidden="true"><rect width="10" height="10" rx="2" fill="{escape(colour)}"/></svg>'
    )
