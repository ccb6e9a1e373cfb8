"""Dates as news pages print them, turned into ISO 8601 without guessing.

A date with no year becomes ``--MM-DD``; a time with no zone stays without one
(``2022-01-07T10:24``). Month names and zone words come from ``clean_dates.json``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from parallax.clean.lexicon import lexicon


@dataclass(frozen=True, slots=True)
class DateMatch:
    iso: str
    start: int
    end: int
    has_year: bool


@dataclass(frozen=True, slots=True)
class _Patterns:
    named_md: re.Pattern[str]
    named_dm: re.Pattern[str]
    iso: re.Pattern[str]
    time_before: re.Pattern[str]
    time_after: re.Pattern[str]
    numeric: re.Pattern[str]


#: a clock time and the zone printed with it. Offsets come before zone words in the alternation:
#: "GMT+10" must not stop at "GMT". A dotted time ("11.45") or an hour alone ("6pm") only counts
#: with am/pm or a zone next to it (see :func:`_time_part`): "1.5 million" is no time.
_TIME = (
    r"(?<!\d[.:])(?P<h>\d{1,2})(?:(?P<sep>[:.])(?P<mi>\d{2})(?::(?P<s>\d{2}))?)?\s*(?P<ampm>[ap]\.?\s?m\.?(?![a-z]))?"
    r"(?:\s*\(?(?P<zone>(?:gmt|utc)\s?[+-]\s?\d{1,2}(?::?\d{2})?|[+-]\d{2}:?\d{2}|(?:{zones})(?![\w+-]))\)?)?"
)


@cache
def _patterns() -> _Patterns:
    lex = lexicon()
    months = "|".join(sorted((re.escape(m) for m in lex.months), key=len, reverse=True))
    names = [z for z in (*lex.zones, *lex.zone_names) if len(z) > 1]
    zones = "|".join(sorted((re.escape(z).replace(r"\ ", r"\s+") for z in names), key=len, reverse=True))
    time = _TIME.replace("{zones}", zones)
    return _Patterns(
        named_md=re.compile(
            rf"\b(?P<month>{months})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s*(?P<year>(?:19|20)\d{{2}})(?=\d{{1,2}}:\d{{2}}|\b))?",
            re.IGNORECASE,
        ),
        named_dm=re.compile(
            rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th|\.)?\s+(?:of\s+|de\s+)?(?P<month>{months})\b\.?(?:,?\s*(?:de\s+)?(?P<year>(?:19|20)\d{{2}})\b)?",
            re.IGNORECASE,
        ),
        iso=re.compile(
            r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})"
            r"(?:[T ](?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?\s?(?P<zone>Z|[+-]\d{2}:?\d{2}(?!\d))?)?"
        ),
        # "3:04 PM ET, Sat January 8, 2022": the weekday may sit between the time and the date
        time_before=re.compile(
            rf"{time}\s*(?:,|\||-|on)?\s*(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s*)?$", re.IGNORECASE
        ),
        # 13.11.2019 / 21/06/2014 / 11/19/19 / 2018.04.05
        numeric=re.compile(
            r"(?<![\d./])(?:(?P<a>\d{1,2})(?P<sep>[./])(?P<b>\d{1,2})(?P=sep)(?P<y>(?:19|20)?\d{2})"
            r"|(?P<y2>(?:19|20)\d{2})(?P<sep2>[./])(?P<m2>\d{1,2})(?P=sep2)(?P<d2>\d{1,2}))(?![\d./]\d)"
        ),
        time_after=re.compile(rf"\s*(?:,|\||-|at|·|•)?\s*{time}", re.IGNORECASE),
    )


def zone_offset(zone: str | None, day: str | None = None) -> str:
    """``+HH:MM`` for a zone name or offset as printed ("EST", "Beijing time", "GMT+10"); "" when unknown."""
    return _zone_offset(zone, day)


def _zone_offset(zone: str | None, day: str | None = None) -> str:
    """``+HH:MM`` for a zone as printed; "" when there is none or it can't be read (never a guess).

    Regional names that switch with the season ("ET", "Pacific time", "UK time") are resolved
    with the tz database for ``day`` (``YYYY-MM-DD``); without a day they stay unresolved.
    """
    if not zone:
        return ""
    z = re.sub(r"\s+", " ", zone.strip().lower())
    if z == "z":
        return "+00:00"
    m = re.fullmatch(r"(?:gmt|utc)?\s?([+-])\s?(\d{1,2}):?(\d{2})?", z)
    if m:
        off_h, off_m = int(m.group(2)), int(m.group(3) or 0)
        if off_h > 14 or off_m > 59:
            return ""
        return f"{m.group(1)}{off_h:02d}:{off_m:02d}"
    lex = lexicon()
    hours = lex.zones.get(z)
    if hours is None:
        name = lex.zone_names.get(z)
        return _tz_offset(name, day) if name and day else ""
    sign = "-" if hours < 0 else "+"
    whole = int(abs(hours))
    minutes = int(round((abs(hours) - whole) * 60))
    return f"{sign}{whole:02d}:{minutes:02d}"


def _tz_offset(name: str, day: str) -> str:
    from datetime import datetime
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        # noon: the offset of the day itself, clear of the small hours when clocks change
        offset = datetime.fromisoformat(f"{day}T12:00").replace(tzinfo=ZoneInfo(name)).utcoffset()
    except (ValueError, ZoneInfoNotFoundError):
        return ""
    if offset is None:
        return ""
    total = int(offset.total_seconds()) // 60
    sign = "-" if total < 0 else "+"
    return f"{sign}{abs(total) // 60:02d}:{abs(total) % 60:02d}"


def _time_part(m: re.Match[str], day: str | None = None) -> str | None:
    ampm = (m.group("ampm") or "").replace(".", "").replace(" ", "").lower()
    zone = m.group("zone")
    if m.group("mi") is None and not ampm:
        return None  # an hour alone is a number, not a time
    if m.group("sep") == "." and not (ampm or zone):
        return None
    h, mi = int(m.group("h")), int(m.group("mi") or 0)
    if ampm and not 1 <= h <= 12:
        return None
    if ampm == "pm" and h < 12:
        h += 12
    elif ampm == "am" and h == 12:
        h = 0
    if h > 23 or mi > 59:
        return None
    sec = f":{m.group('s')}" if m.group("s") else ""
    return f"T{h:02d}:{mi:02d}{sec}{_zone_offset(zone, day)}"


def _valid(month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= 31


def _numeric_day(m: re.Match[str]) -> str | None:
    """An all-number date, only when it can be read one way: dots are day-first, slashes need a day > 12."""
    if m.group("y2"):
        year, month, day = int(m.group("y2")), int(m.group("m2")), int(m.group("d2"))
    else:
        a, b, y = int(m.group("a")), int(m.group("b")), m.group("y")
        year = int(y) if len(y) == 4 else 2000 + int(y)
        if m.group("sep") == "." or a > 12 >= b:
            day, month = a, b
        elif b > 12 >= a:
            month, day = a, b
        else:
            return None  # 05/06/2019: June 5 or May 6? not guessed
    if not _valid(month, day):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def find_dates(text: str) -> list[DateMatch]:
    """Every calendar date in ``text`` (with a time next to it when there is one), in order."""
    pats = _patterns()
    months = lexicon().months
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []

    def overlaps(a: int, b: int) -> bool:
        return any(a < y and x < b for x, y in taken)

    for m in pats.iso.finditer(text):
        month, day = int(m.group("month")), int(m.group("day"))
        if not _valid(month, day):
            continue
        iso = f"{m.group('year')}-{month:02d}-{day:02d}"
        if m.group("h"):
            sec = f":{m.group('s')}" if m.group("s") else ""
            iso += f"T{m.group('h')}:{m.group('mi')}{sec}{_zone_offset(m.group('zone'), iso)}"
        found.append(DateMatch(iso, m.start(), m.end(), True))
        taken.append((m.start(), m.end()))
    for m in pats.numeric.finditer(text):
        iso_day = _numeric_day(m)
        if iso_day is None or overlaps(m.start(), m.end()):
            continue
        iso, end = iso_day, m.end()
        after = pats.time_after.match(text, end)
        if after and (t := _time_part(after, iso_day)):
            iso, end = iso + t, after.end()
        found.append(DateMatch(iso, m.start(), end, True))
        taken.append((m.start(), end))
    for pat in (pats.named_md, pats.named_dm):
        for m in pat.finditer(text):
            if overlaps(m.start(), m.end()):
                continue
            month, day = months[m.group("month").lower()], int(m.group("day"))
            if not _valid(month, day):
                continue
            year = m.group("year")
            if not year:
                # "May 5" inside prose is a date too, but "may 5" rarely is; demand a capital
                if m.group("month")[0].islower():
                    continue
                found.append(DateMatch(f"--{month:02d}-{day:02d}", m.start(), m.end(), False))
                taken.append((m.start(), m.end()))
                continue
            iso = f"{year}-{month:02d}-{day:02d}"
            start, end = m.start(), m.end()
            after = pats.time_after.match(text, end)
            before = pats.time_before.search(text[max(0, start - 40) : start])
            if after and (t := _time_part(after, iso)):
                iso, end = iso + t, after.end()
            elif before and (t := _time_part(before, iso)):
                iso, start = iso + t, start - (len(text[max(0, start - 40) : start]) - before.start())
            found.append(DateMatch(iso, start, end, True))
            taken.append((start, end))
    found.sort(key=lambda d: d.start)
    return found


def parse_date(text: str) -> str | None:
    """The first date in ``text`` as ISO 8601 (``--MM-DD`` when it has no year), else None."""
    dates = find_dates(text)
    return dates[0].iso if dates else None


def normalize_iso(value: str) -> str | None:
    """A metadata date string ("2022-01-07", "2022-01-07T10:24:00+08:00", "January 7, 2022") as ISO 8601."""
    value = value.strip()
    if not value:
        return None
    m = re.fullmatch(r"(?:19|20)\d{2}(?:-\d{2}(?:-\d{2})?)?", value)
    if m:
        return value
    return parse_date(value)
