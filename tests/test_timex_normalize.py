"""TIMEX3 normalization: fixed cases and properties (Hypothesis)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parallax.extract.timex import find_timexes, normalize, parse_reference

CASES = [
    # (expression, reference, type, value)
    ("Friday", "2022-01-07T10:24", "DATE", "2022-01-07"),
    ("Thursday", "2022-01-07T10:24", "DATE", "2022-01-06"),
    ("Thursday morning", "2022-01-07", "TIME", "2022-01-06TMO"),
    ("the morning of January 7", "2022-01-10", "TIME", "2022-01-07TMO"),
    ("January 2", "2022-01-10", "DATE", "2022-01-02"),
    ("January 2", "--01-10", "DATE", "XXXX-01-02"),
    ("yesterday", "--01-10", "DATE", "XXXX-01-09"),
    ("yesterday", "2022-01-01", "DATE", "2021-12-31"),
    ("today", "2022-01-07T10:24", "DATE", "2022-01-07"),
    ("Jan 5, 2022", None, "DATE", "2022-01-05"),
    ("5 January 2022", None, "DATE", "2022-01-05"),
    ("January 2022", None, "DATE", "2022-01"),
    ("2022", None, "DATE", "2022"),
    ("10:24", "2022-01-07", "TIME", "2022-01-07T10:24"),
    ("3 p.m. Friday", "2022-01-07", "TIME", "2022-01-07T15:00"),
    ("last year", "1998-01-08", "DATE", "1997"),
    ("next month", "2021-12-15", "DATE", "2022-01"),
    ("this week", "2022-01-07", "DATE", "2022-W01"),
    ("the third quarter", "1989-10-26", "DATE", "1989-Q3"),
    ("three days", None, "DURATION", "P3D"),
    ("two hours", None, "DURATION", "PT2H"),
    ("the past two months", None, "DURATION", "P2M"),
    ("16-hour", None, "DURATION", "PT16H"),
    ("six weeks ago", "2000-01-06", "DATE", "1999-W47"),
    ("two days ago", "2022-01-07", "DATE", "2022-01-05"),
    ("a year earlier", "1989-10-26", "DATE", "1988"),
    ("now", None, "DATE", "PRESENT_REF"),
    ("recently", None, "DATE", "PAST_REF"),
    ("the future", None, "DATE", "FUTURE_REF"),
    ("daily", None, "SET", "P1D"),
    ("every week", None, "SET", "P1W"),
    ("every Monday", None, "SET", "XXXX-WXX-1"),
    ("the 1990s", None, "DATE", "199"),
    ("last fall", "1999-05-07", "DATE", "1998-FA"),
    ("Dec. 15", "1998-01-08", "DATE", "1997-12-15"),
    ("Christmas", "2021-12-20", "DATE", "2021-12-25"),
    ("2022-01-07T10:24", None, "TIME", "2022-01-07T10:24"),
    ("nineteen ninety-six", None, "DATE", "1996"),
    ("the year two thousand", None, "DATE", "2000"),
    ("Friday night", "2022-01-10", "DATE", "2022-01-07"),
    ("the 1988 second quarter", "1989-11-02", "DATE", "1988-Q2"),
]


@pytest.mark.parametrize(("expr", "ref", "typ", "value"), CASES)
def test_timex_normalize_cases(expr: str, ref: str | None, typ: str, value: str) -> None:
    assert normalize(expr, ref) == (typ, value)


@pytest.mark.parametrize(
    "expr",
    [
        "",
        "   ",
        "the",
        "protesters",
        "march",
        "may",
        "2,000",
        "$2022",
        "3.5%",
        "P",
        "a second",
        "44",
        "two thousand",
    ],
)
def test_timex_normalize_rejects_non_times(expr: str) -> None:
    assert normalize(expr, "2022-01-07") is None


def test_timex_weekday_follows_tense() -> None:
    text = "He said on Friday that talks will resume on Friday."
    past, future = find_timexes(text, "2022-01-05", tense_at=lambda s, e: "past" if s < 25 else "future")
    assert (past.value, future.value) == ("2021-12-31", "2022-01-07")


def test_timex_never_guesses_year() -> None:
    for expr in [
        "January 2",
        "Friday",
        "last week",
        "the morning of January 7",
        "two days later",
        "a year ago",
    ]:
        result = normalize(expr, "--01-10")
        assert result is not None, expr
        assert not result[1][:4].isdigit(), (expr, result)


@pytest.mark.parametrize("ref", ["--01-10", "2022-01-07", "2022-01-07T10:24:00+03:00", "2022-01", "2022"])
def test_timex_parse_reference(ref: str) -> None:
    assert parse_reference(ref) is not None


@pytest.mark.parametrize("ref", ["", "yesterday", "2022-13-01", "2022-02-30", "--", "abcd-01-01"])
def test_timex_parse_reference_rejects(ref: str) -> None:
    assert parse_reference(ref) is None


REFS = st.one_of(
    st.none(),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)).map(dt.date.isoformat),
    st.dates().map(lambda d: d.strftime("--%m-%d")),
    st.text(max_size=12),
)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), REFS)
def test_timex_normalize_never_raises(expr: str, ref: str | None) -> None:
    out = normalize(expr, ref)
    assert out is None or (out[0] in {"DATE", "TIME", "DURATION", "SET"} and out[1])


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("Jan 12,0Friday.-:apmlstwekoyrT")), max_size=80), REFS)
def test_timex_find_never_raises(text: str, ref: str | None) -> None:
    for m in find_timexes(text, ref):
        assert text[m.start : m.end] == m.text


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(1600, 1, 1), max_value=dt.date(2099, 12, 31)), REFS)
def test_timex_iso_dates_round_trip(day: dt.date, ref: str | None) -> None:
    assert normalize(day.isoformat(), ref) == ("DATE", day.isoformat())
    written = f"{day:%B} {day.day}, {day.year}"
    assert normalize(written, ref) == ("DATE", day.isoformat())


PHRASES = [e for e, *_ in CASES] + [
    "last week",
    "next Friday",
    "two years ago",
    "this morning",
    "the weekend",
]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(PHRASES), st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_timex_normalize_idempotent(expr: str, ref_day: dt.date) -> None:
    ref = ref_day.isoformat()
    first = normalize(expr, ref)
    assert first is not None, expr
    again = normalize(first[1], ref)
    assert again is not None and again[1] == first[1], (expr, first, again)
