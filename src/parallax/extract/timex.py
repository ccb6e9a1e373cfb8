"""Rule-based TIMEX3 recognition and normalization (HeidelTime style).

The rules and word lists live in ``lexicons/times_rules.json``: each rule is a
regex with named groups, a TIMEX3 type and the name of a normalization function
below. Values are resolved against a reference date (the article's publication
date). A reference without a year (``"--01-10"``) gives ``XXXX-`` values: the
year is never guessed.

:func:`normalize` turns one expression into ``(type, value)``; :func:`find_timexes`
finds every expression in a text (one pass per compiled rule over the whole text).
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Literal, cast

from parallax.lexicons import alternation
from parallax.lexicons import load as read_lexicon

__all__ = ["Reference", "TimexMatch", "find_timexes", "normalize", "parse_reference"]

Tense = Literal["past", "present", "future"]
TimexType = Literal["DATE", "TIME", "DURATION", "SET"]

#: Stands in for an unknown year in date arithmetic (a leap year, so Feb 29 is valid).
_PLACEHOLDER_YEAR = 2000
#: How far a past-tense date may lie after the reference (and a future one before).
_SLACK_DAYS = 45
_WS = r"(?:[ \t\u00a0]+\n?[ \t\u00a0]*|\n[ \t\u00a0]*)"


@dataclass(frozen=True, slots=True)
class Reference:
    """A (possibly partial) calendar date relative expressions are resolved against."""

    year: int | None
    month: int | None = None
    day: int | None = None

    @property
    def full(self) -> bool:
        return self.year is not None and self.month is not None and self.day is not None

    def as_date(self) -> dt.date | None:
        """The date, with a placeholder year when the year is unknown."""
        if self.month is None or self.day is None:
            return None
        return dt.date(self.year if self.year is not None else _PLACEHOLDER_YEAR, self.month, self.day)


_REF_RE = re.compile(r"^\s*(?:(\d{4})|-|XXXX)(?:-(\d\d|XX))?(?:-(\d\d|XX))?(?:[T ].*)?\s*$")


def parse_reference(value: str | None) -> Reference | None:
    """``"2022-01-07"``, ``"2022-01-07T10:24"``, ``"--01-10"``, ``"2022-01"``, ``"2022"`` -> Reference."""
    if not value:
        return None
    m = _REF_RE.match(value)
    if not m:
        return None
    year = int(m.group(1)) if m.group(1) else None
    month = int(m.group(2)) if m.group(2) and m.group(2).isdigit() else None
    day = int(m.group(3)) if m.group(3) and m.group(3).isdigit() and month else None
    if month is not None and not 1 <= month <= 12:
        return None
    if (
        day is not None
        and month is not None
        and not 1 <= day <= calendar.monthrange(year or _PLACEHOLDER_YEAR, month)[1]
    ):
        return None
    if year is None and month is None:
        return None
    if year is not None and not 1 <= year <= 9999:
        return None
    return Reference(year, month, day)


@dataclass(frozen=True, slots=True)
class TimexMatch:
    """One time expression found in a text."""

    start: int
    end: int
    text: str
    type: TimexType
    value: str
    rule: str


@dataclass
class _Ctx:
    ref: Reference | None
    #: the last fully specified date mentioned before the expression ("two days later")
    anchor: Reference | None
    tense: Tense | None = None
    #: the last quarter mentioned ("1989-Q3"): "a year earlier" after it means that quarter a year before
    quarter: str | None = None


# --------------------------------------------------------------------------- rules as data


@dataclass(frozen=True, slots=True)
class _Rule:
    name: str
    regex: re.Pattern[str]
    type: str
    norm: str
    extract: bool


@dataclass(frozen=True, slots=True)
class _Lexicon:
    vocab: dict[str, dict[str, Any]]
    rules: tuple[_Rule, ...]
    capitalized_only: frozenset[str]
    blocklist: frozenset[str]


def _alternation(words: list[str]) -> str:
    # spaces match a short whitespace run (at most one line break), not any
    return "(?:" + alternation(words, space=_WS) + ")"


def _spaces_to_ws(pattern: str) -> str:
    """Literal spaces outside character classes match a whitespace run of at most one newline."""
    out: list[str] = []
    in_class = escaped = False
    for ch in pattern:
        if escaped:
            out.append(ch)
            escaped = False
        elif ch == "\\":
            out.append(ch)
            escaped = True
        elif ch == "[" and not in_class:
            in_class = True
            out.append(ch)
        elif ch == "]" and in_class:
            in_class = False
            out.append(ch)
        elif ch == " " and not in_class:
            out.append(_WS)
        else:
            out.append(ch)
    return "".join(out)


def _expand(pattern: str, names: dict[str, str]) -> str:
    for _ in range(4):  # macros may refer to macros
        new = re.sub(r"\{([A-Z_]+)\}", lambda m: names.get(m.group(1), m.group(0)), pattern)
        if new == pattern:
            break
        pattern = new
    return pattern


@functools.cache
def _lexicon() -> _Lexicon:
    data = read_lexicon("times_rules.json")
    vocab: dict[str, dict[str, Any]] = {
        k: {_key(w): v for w, v in d.items()} for k, d in data["vocab"].items()
    }
    names = {k: _alternation(list(d)) for k, d in data["vocab"].items()}
    for k, macro in data["macros"].items():
        names[k] = "(?:" + _spaces_to_ws(macro) + ")"
    for k in data["macros"]:
        names[k] = _expand(names[k], names)
    rules = []
    for r in data["rules"]:
        if r["norm"] not in _NORMS:
            raise ValueError(f"times_rules.json: rule {r['name']!r} names unknown norm {r['norm']!r}")
        pattern = _expand(_spaces_to_ws(r["pattern"]), names)
        rules.append(
            _Rule(r["name"], re.compile(pattern, re.IGNORECASE), r["type"], r["norm"], r.get("extract", True))
        )
    return _Lexicon(
        vocab=vocab,
        rules=tuple(rules),
        capitalized_only=frozenset(data["capitalized_only"]),
        blocklist=frozenset(data["blocklist"]),
    )


def _key(text: str) -> str:
    return " ".join(text.lower().split()).rstrip(".") if text not in ("a.m.", "p.m.") else text


def _vocab(name: str, text: str | None) -> Any:
    if text is None:
        return None
    table = _lexicon().vocab[name]
    key = _key(text)
    return table.get(key, table.get(text.lower()))


# --------------------------------------------------------------------------- date helpers


def _fmt_day(d: dt.date, year_known: bool) -> str:
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}" if year_known else f"XXXX-{d.month:02d}-{d.day:02d}"


def _fmt_year(y: int | None) -> str:
    return f"{y:04d}" if y is not None else "XXXX"


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    n = year * 12 + (month - 1) + delta
    return n // 12, n % 12 + 1


def _day_value(value: str) -> Reference | None:
    """A full (possibly year-less) day value as a Reference."""
    m = re.match(r"^(\d{4}|XXXX)-(\d\d)-(\d\d)", value)
    if not m:
        return None
    return Reference(int(m.group(1)) if m.group(1) != "XXXX" else None, int(m.group(2)), int(m.group(3)))


def _pick_year(month: int, day: int | None, c: _Ctx) -> int | None:
    """The year of a month (and day) written without one: the nearest reading the tense allows."""
    ref = c.ref
    if ref is None or ref.year is None:
        return None
    if ref.month is None:
        return ref.year
    ref_day = ref.day or 15
    try:
        base = dt.date(ref.year, ref.month, ref_day)
    except ValueError:
        return ref.year
    best: tuple[int, int] | None = None
    for y in (ref.year - 1, ref.year, ref.year + 1):
        if day is None:
            # A month reads as "now" while we are in it.
            gap = (y * 12 + month) - (ref.year * 12 + ref.month)
            gap_days = gap * 30
        else:
            gap_days = (dt.date(y, month, min(day, calendar.monthrange(y, month)[1])) - base).days
        # Past tense allows a little slack forward ("said it would vote on Oct. 26"), and back.
        if c.tense == "past" and gap_days > _SLACK_DAYS:
            continue
        if c.tense == "future" and gap_days < -_SLACK_DAYS:
            continue
        cost = abs(gap_days)
        if best is None or cost < best[0]:
            best = (cost, y)
    return best[1] if best else ref.year


def _weekday_date(weekday: int, rel: int | None, c: _Ctx) -> str:
    ref = c.ref
    if ref is None or not ref.full:
        return f"XXXX-WXX-{weekday}"
    base = ref.as_date()
    assert base is not None
    cur = base.isoweekday()
    if rel == 0:
        d = base + dt.timedelta(days=weekday - cur)
    elif rel == -1:
        d = base - dt.timedelta(days=(cur - weekday) % 7 or 7)
    elif rel == 1:
        d = base + dt.timedelta(days=(weekday - cur) % 7 or 7)
    elif c.tense == "future":
        d = base + dt.timedelta(days=(weekday - cur) % 7)
    else:
        d = base - dt.timedelta(days=(cur - weekday) % 7)
    return _fmt_day(d, True)


def _int_group(g: dict[str, str | None], name: str) -> int | None:
    text = g.get(name)
    if text is None:
        return None
    digits = re.match(r"\d+", text)
    return int(digits.group(0)) if digits else None


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    t = text.replace(",", "")
    try:
        return float(t)
    except ValueError:
        val = _vocab("NUM", text)
        return float(val) if val is not None else None


# --------------------------------------------------------------------------- normalization functions

_Result = tuple[str | None, str] | None
_Norm = Callable[[dict[str, str | None], _Ctx], _Result]


def _n_value(g: dict[str, str | None], c: _Ctx) -> _Result:
    v = g["v"] or ""
    if v.startswith("P"):
        return "DURATION", v
    return ("TIME" if "T" in v else "DATE"), v


def _n_iso(g: dict[str, str | None], c: _Ctx) -> _Result:
    y, mo, d = _int_group(g, "year"), _int_group(g, "month"), _int_group(g, "day")
    if y is None or mo is None or d is None or not 1 <= mo <= 12:
        return None
    if not 1 <= d <= calendar.monthrange(y, mo)[1] or y == 0:
        return None
    if g.get("hour") is not None:
        hour = int(g["hour"] or 0)
        if hour > 24:
            return None
        return "TIME", f"{y:04d}-{mo:02d}-{d:02d}T{hour:02d}:{g['minute']}"
    return "DATE", f"{y:04d}-{mo:02d}-{d:02d}"


def _n_ymd(g: dict[str, str | None], c: _Ctx) -> _Result:
    month = _vocab("MONTH", g.get("month")) if g.get("month") else _int_group(g, "monthnum")
    day = _int_group(g, "day")
    if month is None or day is None:
        return None
    year = _int_group(g, "year")
    if year is None:
        year = _pick_year(month, day, c)
    if day > calendar.monthrange(year or _PLACEHOLDER_YEAR, month)[1]:
        return None
    return None, f"{_fmt_year(year)}-{month:02d}-{day:02d}"


def _n_ym(g: dict[str, str | None], c: _Ctx) -> _Result:
    month = _vocab("MONTH", g.get("month"))
    if month is None:
        return None
    year = _int_group(g, "year")
    rel = _vocab("REL", g.get("rel"))
    ref = c.ref
    if (
        year is None
        and rel is not None
        and ref is not None
        and ref.year is not None
        and ref.month is not None
    ):
        if rel < 0:
            year = ref.year if month < ref.month else ref.year - 1
        elif rel > 0:
            year = ref.year if month > ref.month else ref.year + 1
        else:
            year = ref.year
    elif year is None:
        year = _pick_year(month, None, c)
    return None, f"{_fmt_year(year)}-{month:02d}"


def _n_weekday(g: dict[str, str | None], c: _Ctx) -> _Result:
    wd = _vocab("WEEKDAY", g.get("weekday"))
    if wd is None:
        return None
    return None, _weekday_date(wd, _vocab("REL", g.get("rel")), c)


def _shift_day(base: Reference | None, days: int) -> str:
    if base is None or base.month is None or base.day is None:
        return "XXXX-XX-XX"
    d = base.as_date()
    assert d is not None
    return _fmt_day(d + dt.timedelta(days=days), base.year is not None)


def _n_refday(g: dict[str, str | None], c: _Ctx) -> _Result:
    key = _key(g.get("refday") or "")
    offset = _vocab("REFDAY", key)
    if offset is None:
        return None
    deictic = any(w in key for w in ("today", "yesterday", "tomorrow", "tonight"))
    base = c.ref if deictic else (c.anchor or c.ref)
    value = _shift_day(base, int(offset))
    return None, value


def _n_part(g: dict[str, str | None], c: _Ctx) -> _Result:
    part = _vocab("PART", g.get("part"))
    if part is None:
        return None
    if g.get("inner"):
        inner = _normalize(g["inner"] or "", c)
        if inner is None:
            return None
        day = inner[1][:10]
    else:
        day = _shift_day(c.ref, -1 if g.get("lastnight") else 0)
        if g.get("lastnight"):
            part = "NI"
    if part == "NI":
        # News annotation (TimeBank) dates "Friday night" as the day itself.
        return "DATE", day
    if not (_day_value(day) or day.startswith("XXXX-WXX")):
        return None
    return "TIME", f"{day}T{part}"


def _clock(text: str, part: str | None) -> tuple[int, int] | None:
    t = text.lower().strip()
    if t == "noon":
        return 12, 0
    if t == "midnight":
        return 0, 0
    m = re.match(r"(\d{1,2})(?:[:.](\d\d))?", t)
    if not m:
        return None
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    pm = "p" in t[m.end() :] or part in ("AF", "EV") or (part == "NI" and hour >= 6)
    am = "a" in t[m.end() :].replace("o'clock", "")
    if pm and hour < 12:
        hour += 12
    elif am and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    return hour, minute


def _n_clock(g: dict[str, str | None], c: _Ctx) -> _Result:
    hm = _clock(g.get("clock") or "", _vocab("PART", g.get("part")))
    if hm is None:
        return None
    if g.get("inner"):
        inner = _normalize(g["inner"] or "", c)
        if inner is None or not (_day_value(inner[1]) or inner[1].startswith("XXXX-WXX-")):
            return None
        day = inner[1][:10]
    else:
        day = _shift_day(c.ref, 0)
    return "TIME", f"{day}T{hm[0]:02d}:{hm[1]:02d}"


def _n_inner(g: dict[str, str | None], c: _Ctx) -> _Result:
    return _normalize(g.get("inner") or "", c)


def _n_holiday(g: dict[str, str | None], c: _Ctx) -> _Result:
    spec = _vocab("HOLIDAY", g.get("holiday"))
    if spec is None:
        return None
    year = _int_group(g, "year")
    rel = _vocab("REL", g.get("rel"))
    if spec in ("THANKSGIVING", "LABOR"):
        month, nth, weekday = (11, 4, 4) if spec == "THANKSGIVING" else (9, 1, 1)
        if year is None:
            year = _pick_year(month, 25, c)
        if year is None:
            return None, f"XXXX-{month:02d}"
        if rel:
            year += rel
        first = dt.date(year, month, 1)
        day = 1 + (weekday - first.isoweekday()) % 7 + 7 * (nth - 1)
        return None, f"{year:04d}-{month:02d}-{day:02d}"
    month, day = (int(x) for x in str(spec).split("-"))
    if year is None:
        year = _pick_year(month, day, c)
        if year is not None and rel:
            year += rel
    return None, f"{_fmt_year(year)}-{month:02d}-{day:02d}"


def _quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


def _n_quarter(g: dict[str, str | None], c: _Ctx) -> _Result:
    ref = c.ref
    year = _int_group(g, "year")
    yrel = _vocab("REL", g.get("yrel"))
    if yrel is not None and ref is not None and ref.year is not None:
        year = ref.year + int(yrel)
    ordinal = _vocab("ORD", g.get("ord"))
    if ordinal is None and year is not None:
        # "the 1988 quarter": the quarter being reported on, in that year.
        ordinal = _quarter_of(ref.month) - 1 or 4 if ref is not None and ref.month is not None else None
        if ordinal is None:
            return None, f"{year:04d}-QX"
    if ordinal is not None:
        if year is None and ref is not None and ref.year is not None:
            year = ref.year
            if ref.month is not None and ordinal > _quarter_of(ref.month) and c.tense != "future":
                year -= 1
        return None, f"{_fmt_year(year)}-Q{ordinal}"
    if ref is None or ref.year is None or ref.month is None:
        return None, f"{_fmt_year(year)}-QX"
    rel_text = (g.get("rel") or "").lower()
    rel = _vocab("REL", rel_text) if rel_text and "year" not in rel_text else None
    # A quarter without a number in a news report is the one just reported on.
    shift = -1 if rel is None else int(rel)
    y, q = divmod((ref.year * 4 + _quarter_of(ref.month) - 1) + shift, 4)
    if "year" in rel_text:
        y -= 1
    return None, f"{y:04d}-Q{q + 1}"


def _n_half(g: dict[str, str | None], c: _Ctx) -> _Result:
    year = _int_group(g, "year")
    if year is None and c.ref is not None:
        year = c.ref.year
    half = 1 if (g.get("ord") or "").lower() in ("first", "1st") else 2
    return None, f"{_fmt_year(year)}-H{half}"


_UNIT_LETTER = {"Y": "Y", "M": "M", "W": "W", "D": "D", "Q": "Q"}


def _unit(g: dict[str, str | None]) -> tuple[str, float]:
    """The unit code and its multiplier ("decade" -> ("Y", 10))."""
    code = str(_vocab("UNIT", g.get("unit")) or "Y")
    m = re.match(r"(\d*)(\w+)", code)
    assert m
    return m.group(2), float(m.group(1) or 1)


def _n_offset(g: dict[str, str | None], c: _Ctx) -> _Result:
    shift_word = _key(g.get("shift") or "")
    direction = _vocab("SHIFT", shift_word)
    if direction is None:
        return None
    deictic = shift_word in ("ago", "from now", "hence")
    base = c.ref if deictic else (c.anchor or c.ref)
    n: float | None
    if (g.get("num") or "").lower() == "year":  # "year-ago", "year-earlier"
        unit, mult, n = "Y", 1.0, 1.0
        base = c.ref
    else:
        unit, mult = _unit(g)
        n = 1.0 if g.get("article") else (_number(g.get("num")) if g.get("num") else None)
    if base is None or base.month is None:
        if n is None:
            return None, "PAST_REF" if direction < 0 else "FUTURE_REF"
        return None, ("XXXX" if unit in ("Y",) else "XXXX-XX-XX" if unit in ("D", "W") else "XXXX-XX")
    year_known = base.year is not None
    by = base.year if base.year is not None else _PLACEHOLDER_YEAR
    if n is None:  # "a few days later": the anchor's month, day unknown
        if deictic:
            return None, "PAST_REF" if direction < 0 else "FUTURE_REF"
        if unit in ("D", "W", "TH", "TM", "TS"):
            return None, f"{_fmt_year(base.year)}-{base.month:02d}-XX"
        if unit == "M":
            return None, f"{_fmt_year(base.year)}-XX"
        return None, "PAST_REF" if direction < 0 else "FUTURE_REF"
    steps = int(round(n * mult)) * direction
    if unit == "Y" and c.quarter is not None and mult == 1:
        return None, f"{int(c.quarter[:4]) + steps:04d}{c.quarter[4:]}"
    day = base.day or 15
    if unit in ("TH", "TM", "TS"):
        return None, _shift_day(base, 0)
    if unit == "D":
        return None, _shift_day(Reference(base.year, base.month, day), steps)
    if unit == "W":
        d = dt.date(by, base.month, day) + dt.timedelta(days=7 * steps)
        if not year_known:
            return None, "XXXX-WXX"
        iso = d.isocalendar()
        return None, f"{iso[0]:04d}-W{iso[1]:02d}"
    if unit == "M":
        y, mo = _add_months(by, base.month, steps)
        return None, f"{_fmt_year(y if year_known else None)}-{mo:02d}"
    if unit == "Q":
        y, q = divmod(by * 4 + _quarter_of(base.month) - 1 + steps, 4)
        return None, f"{_fmt_year(y if year_known else None)}-Q{q + 1}"
    return None, _fmt_year(by + steps if year_known else None)


def _n_relunit(g: dict[str, str | None], c: _Ctx) -> _Result:
    unit_text = (g.get("unit") or "").lower()
    rel = int(_vocab("REL", g.get("rel")) or 0)
    ref = c.ref
    year = _int_group(g, "year")
    season = _vocab("SEASON", unit_text)
    if season is not None:
        if year is None and ref is not None and ref.year is not None:
            year = ref.year + rel
        return None, f"{_fmt_year(year)}-{season}"
    if ref is None or ref.year is None:
        if unit_text in ("week", "weekend"):
            return None, "XXXX-WXX"
        return None, "XXXX" if unit_text == "year" else "XXXX-XX"
    if unit_text == "year":
        return None, _fmt_year(ref.year + rel)
    if unit_text == "decade":
        return None, f"{(ref.year + 10 * rel) // 10:03d}"
    if unit_text == "century":
        return None, f"{(ref.year + 100 * rel) // 100:02d}"
    if ref.month is None:
        return None, _fmt_year(ref.year)
    if unit_text == "month":
        y, mo = _add_months(ref.year, ref.month, rel)
        return None, f"{y:04d}-{mo:02d}"
    if ref.day is None:
        return None, f"{ref.year:04d}-{ref.month:02d}"
    d = dt.date(ref.year, ref.month, ref.day) + dt.timedelta(days=7 * rel)
    if unit_text == "weekend" and g.get("rel") is None and c.tense == "past" and d.isoweekday() <= 5:
        d -= dt.timedelta(days=7)  # "over the weekend" in a weekday's report: the one just past
    iso = d.isocalendar()
    week = f"{iso[0]:04d}-W{iso[1]:02d}"
    return None, week + "-WE" if unit_text == "weekend" else week


def _n_year(g: dict[str, str | None], c: _Ctx) -> _Result:
    year = _int_group(g, "year")
    return (None, f"{year:04d}") if year else None


def _n_spelled_year(g: dict[str, str | None], c: _Ctx) -> _Result:
    """ "nineteen ninety-six" -> 1996, "two thousand and one" -> 2001 (broadcast transcripts spell years)."""
    words = re.findall(r"[a-z]+", (g.get("spelled") or "").lower())
    if words[:2] == ["two", "thousand"]:
        rest = [w for w in words[2:] if w != "and"]
        return None, f"{2000 + sum(int(_vocab('SPELLED', w) or 0) for w in rest):04d}"
    if words[:1] != ["nineteen"]:
        return None
    rest = words[1:]
    year = 1900 if rest == ["hundred"] else 1900 + sum(int(_vocab("SPELLED", w) or 0) for w in rest)
    return None, f"{year:04d}"


def _n_decade(g: dict[str, str | None], c: _Ctx) -> _Result:
    if g.get("century"):
        return None, f"{g['century']}{g['dec']}"
    short = int(g.get("short") or 0)
    return None, f"{20 if short < 2 else 19}{short}"


def _n_century(g: dict[str, str | None], c: _Ctx) -> _Result:
    cent = _vocab("CENTURY_ORD", g.get("cent"))
    return (None, f"{int(cent) - 1:02d}") if cent else None


def _n_duration(g: dict[str, str | None], c: _Ctx) -> _Result:
    if not g.get("unit"):  # "half an hour"
        return None, "PT30M"
    unit, mult = _unit(g)
    n = _number(g.get("num")) if g.get("num") else None
    if n is not None and "and a half" in " ".join((g.get("_text") or "").lower().split()):
        n += 0.5
    amount = "X" if n is None else f"{n * mult:g}"
    if unit in ("TH", "TM", "TS"):
        return None, f"PT{amount}{unit[1]}"
    return None, f"P{amount}{_UNIT_LETTER.get(unit, 'Y')}"


def _n_set(g: dict[str, str | None], c: _Ctx) -> _Result:
    if g.get("weekday"):
        wd = _vocab("WEEKDAY", g["weekday"])
        return (None, f"XXXX-WXX-{wd}") if wd else None
    word = g.get("set") or g.get("set2")
    value = _vocab("SETWORD", word)
    return (None, str(value)) if value else None


def _n_refword(g: dict[str, str | None], c: _Ctx) -> _Result:
    value = _vocab("REFWORD", g.get("refword"))
    return (None, str(value)) if value else None


_NORMS: dict[str, _Norm] = {
    "value": _n_value,
    "iso": _n_iso,
    "ymd": _n_ymd,
    "ym": _n_ym,
    "weekday": _n_weekday,
    "refday": _n_refday,
    "part": _n_part,
    "clock": _n_clock,
    "inner": _n_inner,
    "holiday": _n_holiday,
    "quarter": _n_quarter,
    "half": _n_half,
    "offset": _n_offset,
    "relunit": _n_relunit,
    "year": _n_year,
    "spelled_year": _n_spelled_year,
    "decade": _n_decade,
    "century": _n_century,
    "duration": _n_duration,
    "set": _n_set,
    "refword": _n_refword,
}

# --------------------------------------------------------------------------- matching


def _accept(m: re.Match[str], lex: _Lexicon) -> bool:
    text = m.group(0)
    if "\n\n" in text or not text.strip():
        return False
    if " ".join(text.lower().split()) in lex.blocklist:
        return False
    month = m.groupdict().get("month")
    return not (month and month[0].islower() and month.lower().rstrip(".") in lex.capitalized_only)


def _apply(rule: _Rule, m: re.Match[str], c: _Ctx) -> tuple[str, str] | None:
    groups: dict[str, str | None] = dict(m.groupdict())
    groups["_text"] = m.group(0)
    try:
        result = _NORMS[rule.norm](groups, c)
    except (ValueError, OverflowError, KeyError, TypeError, AssertionError):
        return None
    if result is None:
        return None
    typ, value = result
    if typ is None:
        typ = rule.type if rule.type != "AUTO" else ("TIME" if "T" in value else "DATE")
    return typ, value


def _normalize(expression: str, c: _Ctx) -> tuple[str, str] | None:
    lex = _lexicon()
    text = expression.strip()
    if not text or len(text) > 200:
        return None
    for rule in lex.rules:
        m = rule.regex.fullmatch(text)
        if m and _accept(m, lex):
            out = _apply(rule, m, c)
            if out is not None:
                return out
    return None


def normalize(expression: str, reference: str | None) -> tuple[str, str] | None:
    """``(type, value)`` of one whole time expression against ``reference``; None if it is not one.

    >>> normalize("Friday", "2022-01-07T10:24")
    ('DATE', '2022-01-07')
    >>> normalize("yesterday", "--01-10")
    ('DATE', 'XXXX-01-09')
    """
    ref = parse_reference(reference)
    return _normalize(expression, _Ctx(ref=ref, anchor=ref))


def find_timexes(
    text: str,
    reference: str | None,
    *,
    tense_at: Callable[[int, int], Tense | None] | None = None,
) -> list[TimexMatch]:
    """Every time expression in ``text``, in order, normalized against ``reference``.

    ``tense_at(start, end)`` gives the tense of the clause an expression sits in
    (weekdays and year-less dates depend on it). Relative expressions such as
    "two days later" are anchored on the last full date mentioned before them.
    """
    lex = _lexicon()
    ref = parse_reference(reference)
    probe = _Ctx(ref=ref, anchor=ref)
    candidates: list[tuple[int, int, int, _Rule, re.Match[str]]] = []
    for order, rule in enumerate(lex.rules):
        if not rule.extract:
            continue
        for m in rule.regex.finditer(text):
            if m.end() > m.start() and _accept(m, lex) and _apply(rule, m, probe) is not None:
                candidates.append((m.start(), m.end(), order, rule, m))
    # Longest expression wins; among equals, the rule listed first.
    candidates.sort(key=lambda x: (x[0] - x[1], x[2], x[0]))
    taken = bytearray(len(text) + 1)
    chosen = []
    for start, end, _, rule, m in candidates:
        if any(taken[start:end]):
            continue
        taken[start:end] = b"\x01" * (end - start)
        chosen.append((start, end, rule, m))
    chosen.sort(key=lambda x: x[0])
    out: list[TimexMatch] = []
    ctx = replace(probe)
    for start, end, rule, m in chosen:
        ctx.tense = tense_at(start, end) if tense_at is not None else None
        result = _apply(rule, m, ctx)
        if result is None:
            continue
        typ, value = result
        out.append(TimexMatch(start, end, m.group(0), cast(TimexType, typ), value, rule.name))
        if rule.norm == "quarter" and re.fullmatch(r"\d{4}-Q[1-4]", value):
            ctx.quarter = value
        anchor = _day_value(value) if typ in ("DATE", "TIME") else None
        if anchor is not None and (anchor.year is not None or ref is None or ref.year is None):
            ctx.anchor = anchor
    return out
