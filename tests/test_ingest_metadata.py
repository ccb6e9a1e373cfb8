"""Sidecar metadata files, --outlet/--published values and user date parsing."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parallax.errors import MetadataError
from parallax.ingest import load_metadata, parse_user_date
from parallax.ingest.metadata import parse_source_date, user_values
from parallax.records import MetaValue


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2022-01-10", "2022-01-10"),
        (" 10 January 2022 ", "2022-01-10"),
        ("Jan 10, 2022", "2022-01-10"),
        ("January 2022", "2022-01"),
        ("2022-01", "2022-01"),
        ("2022", "2022"),
        ("2022-01-10 14:05", "2022-01-10T14:05:00"),
        ("2022-01-10T14:05:00Z", "2022-01-10T14:05:00+00:00"),
        ("Mon, 10 Jan 2022 14:05:00 +0300", "2022-01-10T14:05:00+03:00"),
        ("Mon, 10 Jan 2022 14:05:00 GMT", "2022-01-10T14:05:00+00:00"),
        ("December 15th, 2008, 7 : 35 am", "2008-12-15T07:35:00"),
        ("10 Jan 2022 7 pm", "2022-01-10T19:00:00"),
    ],
)
def test_parse_user_date(value: str, iso: str) -> None:
    assert parse_user_date(value) == iso


@pytest.mark.parametrize(
    ("value", "message"),
    [("", "empty"), ("garbage", "not a date"), ("2022-13-45", "not a date"), ("January 10", "no year")],
)
def test_parse_user_date_rejects(value: str, message: str) -> None:
    with pytest.raises(MetadataError, match=message):
        parse_user_date(value)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_parse_user_date_dates_round_trip(day: date) -> None:
    iso = day.isoformat()
    assert parse_user_date(iso) == iso
    assert parse_user_date(day.strftime("%d %B %Y")) == iso
    assert parse_user_date(day.strftime("%B %d, %Y")) == iso


@given(
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 12, 31)),
    st.none() | st.integers(-12 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m))),
)
def test_parse_user_date_datetimes_round_trip(moment: datetime, zone: timezone | None) -> None:
    moment = moment.replace(microsecond=0, tzinfo=zone)
    iso = moment.isoformat()
    assert parse_user_date(iso) == iso
    assert parse_user_date(parse_user_date(iso)) == iso  # idempotent
    assert parse_user_date(moment.strftime("%d %b %Y %H:%M:%S")) == moment.replace(tzinfo=None).isoformat()


def test_user_values() -> None:
    assert user_values(
        {"outlet": " TASS ", "published": "10 Jan 2022", "title": "", "language": "EN"}, where="flags"
    ) == {
        "outlet": MetaValue("TASS", "user-metadata"),
        "published": MetaValue("2022-01-10", "user-metadata"),
        "language": MetaValue("en", "user-metadata"),
    }
    with pytest.raises(MetadataError, match="flags: unknown metadata field 'colour'"):
        user_values({"colour": "red"}, where="flags")
    with pytest.raises(MetadataError, match="flags: published: not a date"):
        user_values({"published": "soon"}, where="flags")


def test_load_csv_with_problems(tmp_path: Path) -> None:
    meta = tmp_path / "meta.csv"
    meta.write_text(
        "path,url,outlet,published,colour\n"
        "a.txt,,TASS,2022-01-10,red\n"
        ",,Orphan,2022-01-10,\n"
        "b.txt,,X,not-a-date,\n"
        "c.txt,,Y,2022-01-11,,extra\n"
        ",https://site.example/d,Z,2022-01-12,\n",
        encoding="utf-8",
    )
    table = load_metadata(meta)
    messages = [(p.source, p.reason, p.message) for p in table.problems]
    assert [m[0] for m in messages] == [f"{meta}#2", f"{meta}#3", f"{meta}#4", f"{meta}#5"]
    assert {m[1] for m in messages} == {"bad-metadata"}
    assert "unknown column 'colour'" in messages[0][2] and f"{meta} line 2" in messages[0][2]
    assert "no 'path' or 'url'" in messages[1][2]
    assert "published: not a date: 'not-a-date'" in messages[2][2]
    assert "more cells" in messages[3][2]
    assert table.lookup(str(tmp_path / "a.txt"))["outlet"].value == "TASS"
    assert table.lookup("elsewhere/page", url="https://site.example/d")["published"].value == "2022-01-12"
    assert table.lookup(str(tmp_path / "b.txt")) == {}


def test_load_jsonl(tmp_path: Path) -> None:
    meta = tmp_path / "meta.jsonl"
    rows = [
        {"path": "docs/a.txt", "outlet": "A", "author": ["X", "Y"]},
        {"url": "https://u.example/1", "published": "2022-01-10T10:00:00+06:00"},
    ]
    meta.write_text("\n".join(json.dumps(r) for r in rows) + "\n{broken\n[1]\n", encoding="utf-8")
    table = load_metadata(meta)
    assert [(p.source, p.message.split(": ", 1)[1][:14]) for p in table.problems] == [
        (f"{meta}#3", "not valid JSON"),
        (f"{meta}#4", "not a JSON obj"),
    ]
    assert table.lookup("docs/a.txt")["author"].value == "X, Y"
    assert (
        table.lookup("x.warc.gz#4", url="https://u.example/1")["published"].value
        == "2022-01-10T10:00:00+06:00"
    )


def test_lookup_forms(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    meta = tmp_path / "m.csv"
    meta.write_text(
        "path,outlet\n"
        "in/exact.txt,Exact\n"
        "unique.html,Base\n"
        "one/dup.txt,First\n"
        "two/dup.txt,Second\n"
        "in/crawl.warc.gz,Container\n"
        "in/crawl.warc.gz#3,Record\n",
        encoding="utf-8",
    )
    table = load_metadata(meta)
    outlet = lambda source: table.lookup(source).get("outlet", MetaValue("-", "user-metadata")).value  # noqa: E731
    assert outlet("in/exact.txt") == "Exact"
    assert outlet(str(tmp_path / "in" / "exact.txt")) == "Exact"  # absolute = relative to cwd
    assert outlet("./in/exact.txt") == "Exact"
    assert outlet("somewhere/else/unique.html") == "Base"  # by basename
    assert outlet("three/dup.txt") == "-"  # ambiguous basename: never guessed
    assert outlet("one/dup.txt") == "First"
    assert outlet("in/crawl.warc.gz#3") == "Record"
    assert outlet("in/crawl.warc.gz#7") == "Container"


def test_unreadable_metadata_file_raises(tmp_path: Path) -> None:
    with pytest.raises(MetadataError, match="missing.csv"):
        load_metadata(tmp_path / "missing.csv")
    bad = tmp_path / "latin.csv"
    bad.write_bytes("path,outlet\na.txt,Café\n".encode("latin-1"))
    with pytest.raises(MetadataError, match="not UTF-8"):
        load_metadata(bad)


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2022-01-10T12:00:00Z", "2022-01-10T12:00:00+00:00"),
        ("PUBLISHED : WEDNESDAY, MARCH 13, 2013, 2 : 29 PM UPDATED : THURSDAY", "2013-03-13T14:29:00"),
        ("2 October 2013, 15 : 39 (GMT+05 : 00)", "2013-10-02T15:39:00+05:00"),
        ("2013 - 09 - 26 Parliament has 125 seats.", "2013-09-26"),
        ("December 19, 2005 He was 77.", "2005-12-19"),
        ("Mumbai, Nov 11 -", None),
        ("In 2008, the champion stopped the challenger in the 11th round.", None),
        ("", None),
        (None, None),
        (20220110, None),
    ],
)
def test_parse_source_date(value: object, iso: str | None) -> None:
    assert parse_source_date(value) == iso


def test_duplicate_rows_are_reported(tmp_path: Path) -> None:
    meta = tmp_path / "m.csv"
    meta.write_text("path,outlet\na.txt,First\nb.txt,B\na.txt,Second\n", encoding="utf-8")
    table = load_metadata(meta)
    (problem,) = table.problems
    assert problem.source == f"{meta}#4" and "already given on line 2" in problem.message
    assert table.lookup(str(tmp_path / "a.txt"))["outlet"].value == "Second"


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("Mon, 06 Sep 2010 16:45:00 EST", "2010-09-06T16:45:00-05:00"),
        ("Sept 6, 2010 4:45 pm HST", "2010-09-06T16:45:00-10:00"),
        ("Mon, 06 Sep 2010 16:45:00 +0530", "2010-09-06T16:45:00+05:30"),
        ("2010-09-06 16:45", "2010-09-06T16:45:00"),  # no zone given: none invented
        ("Mon, 06 Sep 2010 16:45:00 Foo", "2010-09-06T16:45:00"),  # an unknown name: no guess
    ],
)
def test_source_dates_keep_named_zones(value: str, iso: str) -> None:
    from parallax.ingest.metadata import parse_source_date

    assert parse_source_date(value) == iso


def test_feed_dates_get_no_invented_offset() -> None:
    import feedparser

    from parallax.ingest.readers import _feed_date

    feed = feedparser.parse(
        "<rss><channel><item><title>x</title><pubDate>Mon, 06 Sep 2010 16:45</pubDate></item></channel></rss>"
    )
    assert _feed_date(feed.entries[0], "published") == "2010-09-06T16:45:00"
