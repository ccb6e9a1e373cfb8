"""Hostile and careless input (issue 10): nothing lost, every rejection with its reason, no traceback.

Each test reproduces one report of the issue; the number in its name is the item's.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import CHINA_DAILY, TASS
from parallax import service
from parallax.cli import app
from parallax.ingest import count_documents, read_inputs
from parallax.records import RawDocument, Rejection
from parallax.store import open_store

runner = CliRunner()

SENTENCE = "Vecturas shares rose 6.5% to 164p."
ARTICLE = (
    "The city council approved the budget on Tuesday after a long debate among its members.\n\n"
    "Council members voted 7 to 2 in favour of the plan, which raises spending on schools.\n"
)


def invoke(*args: str) -> tuple[int, str]:
    """(exit code, everything printed, unwrapped: the error console folds long lines)."""
    result = runner.invoke(app, list(args), catch_exceptions=False, terminal_width=400)
    return result.exit_code, " ".join(result.output.split())


def _split(items: list[RawDocument | Rejection]) -> tuple[list[RawDocument], list[Rejection]]:
    return [i for i in items if isinstance(i, RawDocument)], [i for i in items if isinstance(i, Rejection)]


# --------------------------------------------------------------------------- 1. symlink loops


@pytest.fixture
def looped(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(TASS, folder / "a.txt")
    shutil.copy(CHINA_DAILY, folder / "sub" / "b.txt")
    (folder / "l1").symlink_to("l2")
    (folder / "l2").symlink_to("l1")
    (folder / "self").symlink_to("self")
    (folder / "sub" / "up").symlink_to("..")  # a folder loop: not followed
    return folder


def test_1_symlink_loop_is_a_rejection_and_the_rest_is_read(looped: Path) -> None:
    assert count_documents([looped]) == 5  # the up-front count does not crash either
    docs, rejected = _split(list(read_inputs([looped])))
    assert sorted(Path(d.source).name for d in docs) == ["a.txt", "b.txt"]
    assert sorted(Path(r.source).name for r in rejected) == ["l1", "l2", "self"]
    assert {r.reason for r in rejected} == {"symlink-loop"} and all("loop" in r.message for r in rejected)
    # named directly, too
    _, named = _split(list(read_inputs([looped / "self"])))
    assert [r.reason for r in named] == ["symlink-loop"]


def test_1_symlink_loop_cli_stores_the_rest(looped: Path, tmp_path: Path) -> None:
    code, out = invoke("ingest", str(looped), "--db", str(tmp_path / "p.db"))
    assert code == 3 and "Traceback" not in out and "symlink-loop" in out
    with open_store(tmp_path / "p.db") as store:
        assert len(store.articles()) == 2 and len(store.rejections()) == 3


# --------------------------------------------------------------------------- 2. one bad part, one rejection


def _deep(depth: int = 100_000) -> str:
    return "[" * depth + "]" * depth


def test_2_deeply_nested_jsonl_line_rejects_only_that_line(tmp_path: Path) -> None:
    lines = [
        json.dumps({"title": "One", "text": ARTICLE}),
        '{"text": ' + _deep() + "}",
        json.dumps({"title": "Three", "text": ARTICLE.replace("Tuesday", "Wednesday")}),
    ]
    src = tmp_path / "dump.jsonl"
    src.write_text("\n".join(lines) + "\n")
    docs, rejected = _split(list(read_inputs([src])))
    assert [d.source for d in docs] == [f"{src}#1", f"{src}#3"]
    assert [(r.source, r.reason) for r in rejected] == [(f"{src}#2", "unsafe")]
    assert f"{src}#2" in rejected[0].message and "nested" in rejected[0].message


def test_2_feed_entry_that_fails_is_rejected_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    from parallax.ingest import readers

    rss = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        b"<item><title>a</title><description>First body text.</description></item>"
        b"<item><title>b</title><description>Second body text.</description></item>"
        b"</channel></rss>"
    )
    real = readers._feed_date

    def fussy(entry: object, name: str) -> str | None:
        if dict.get(entry, "title") == "a":  # type: ignore[arg-type]
            raise ValueError("year 0 is out of range")
        return real(entry, name)

    monkeypatch.setattr(readers, "_feed_date", fussy)
    items = list(readers.read_feed("f.xml", rss))
    assert isinstance(items[0], Rejection) and items[0].source == "f.xml#0" and "year 0" in items[0].message
    assert isinstance(items[1], RawDocument) and items[1].source == "f.xml#1"


def test_2_warc_record_that_fails_is_rejected_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from parallax.ingest import readers

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    for i in range(3):
        body = f"<html><body><p>Record {i} body text.</p></body></html>".encode()
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                f"https://x.example/{i}", "response", payload=io.BytesIO(body), http_headers=http
            )
        )
    path = tmp_path / "a.warc"
    path.write_bytes(buf.getvalue())
    real = readers.decode_markup

    def fussy(raw: bytes, source: str, declared: str | None = None) -> tuple[str, str]:
        if b"Record 1" in raw:
            raise LookupError("unknown encoding: x-bogus")
        return real(raw, source, declared)

    monkeypatch.setattr(readers, "decode_markup", fussy)
    docs, rejected = _split(list(read_inputs([path])))
    assert [d.source for d in docs] == [f"{path}#0", f"{path}#2"]
    assert [r.source for r in rejected] == [f"{path}#1"] and "x-bogus" in rejected[0].message


def test_2_rejection_is_cleared_once_the_source_is_stored(tmp_path: Path) -> None:
    src = tmp_path / "dump.jsonl"
    good = json.dumps({"title": "One", "text": ARTICLE})
    src.write_text(good + "\n" + '{"text": "broken\n')
    with open_store(tmp_path / "p.db") as store:
        first = service.ingest(store, [str(src)])
        assert first.stored == 1 and [r.source for r in store.rejections()] == [f"{src}#2"]
        other = tmp_path / "other.txt"
        other.write_bytes(b"")
        service.ingest(store, [str(other)])
        # fixed: line 2 is stored now, and its rejection goes; the other file's stays
        src.write_text(
            good + "\n" + json.dumps({"title": "Two", "text": ARTICLE.replace("7 to 2", "8 to 1")}) + "\n"
        )
        second = service.ingest(store, [str(src)])
        assert second.stored == 1 and second.exists == 1
        assert [r.source for r in store.rejections()] == [str(other)]


def test_2_whole_file_rejection_is_cleared_when_its_documents_are_stored(tmp_path: Path) -> None:
    src = tmp_path / "dump.jsonl"
    src.write_text(json.dumps({"title": "One", "text": ARTICLE}) + "\n")
    with open_store(tmp_path / "p.db") as store:
        store.add_rejection(Rejection(str(src), "unreadable", f"{src}: an older run could not read it"))
        service.ingest(store, [str(src)])
        assert store.rejections() == []


# --------------------------------------------------------------------------- 6. unreadable folders


def test_6_unlistable_folder_is_a_rejection_with_its_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    shutil.copy(TASS, folder / "a.txt")
    shutil.copy(CHINA_DAILY, folder / "locked" / "b.txt")
    real = os.scandir
    locked = str(folder / "locked")

    def scandir(path: str | os.PathLike[str]) -> object:
        if os.fspath(path) == locked:
            raise PermissionError(13, "Permission denied", locked)
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)  # root reads any folder: deny it as chmod would
    docs, rejected = _split(list(read_inputs([folder])))
    assert [Path(d.source).name for d in docs] == ["a.txt"]
    assert [(r.source, r.reason) for r in rejected] == [(locked, "unreadable")]
    assert "Permission denied" in rejected[0].message


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads folders without permission")
def test_6_folder_without_read_permission_cli(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    shutil.copy(TASS, folder / "locked" / "b.txt")
    (folder / "locked").chmod(0)
    try:
        code, out = invoke("ingest", str(folder), "--db", str(tmp_path / "p.db"))
    finally:
        (folder / "locked").chmod(0o755)
    assert code == 3 and "Permission denied" in out


# --------------------------------------------------------------------------- 8 and 12. commands


def test_8_missing_output_folders_are_refused_before_the_work(tmp_path: Path) -> None:
    db = str(tmp_path / "p.db")
    assert invoke("ingest", str(TASS), "--db", db)[0] == 0
    missing = tmp_path / "missing" / "dir"
    for args in (
        ["export", "--out", str(missing / "x.json")],
        ["story", "s1", "--format", "html", "--out", str(missing / "s.html")],
        ["analyze", str(CHINA_DAILY), "--html", str(missing / "r.html")],
    ):
        code, out = invoke(*args, "--db", db)
        assert code == 2 and "does not exist" in out and "Traceback" not in out, (args, out)
    # analyze stopped before ingesting anything
    assert len(json.loads(runner.invoke(app, ["articles", "--db", db, "--format", "json"]).stdout)) == 1


@pytest.mark.parametrize(
    "url",
    [
        "garbage://::x",
        "postgresql://u:secret@localhost:abc/db",
        "mysql://h/db",
        "postgresql://h:99999999999/d",
    ],
)
def test_8_bad_database_urls_are_clear_errors(url: str) -> None:
    code, out = invoke("articles", "--db", url)
    assert code == 1 and "error:" in out and "secret" not in out and "Traceback" not in out


def test_8_serve_port_out_of_range_is_a_usage_error(tmp_path: Path) -> None:
    code, out = invoke("serve", "--port", "99999", "--db", str(tmp_path / "p.db"))
    assert code == 2 and "65535" in out


def test_12_port_in_use_is_a_clear_fatal_error(tmp_path: Path) -> None:
    import socket

    db = str(tmp_path / "p.db")
    invoke("ingest", str(TASS), "--db", db)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, out = invoke("serve", "--port", str(port), "--db", db)
    assert code == 1 and "in use" in out


@pytest.mark.parametrize(
    "command",
    [
        ["articles"],
        ["stories"],
        ["rejections"],
        ["export"],
        ["show", "abc"],
        ["story", "abc"],
        ["extract"],
        ["serve"],
    ],
)
def test_12_mistyped_db_is_an_error_and_creates_nothing(tmp_path: Path, command: list[str]) -> None:
    typo = tmp_path / "parallx.db"
    code, out = invoke(*command, "--db", str(typo))
    assert code == 1 and "no database" in out
    assert not typo.exists()


def test_12_extract_since_garbage_is_a_usage_error(tmp_path: Path) -> None:
    db = str(tmp_path / "p.db")
    invoke("ingest", str(TASS), "--db", db)
    code, out = invoke("extract", "--since", "garbage", "--db", db)
    assert code == 2 and "--since" in out


def test_12_long_text_is_capped_like_html(tmp_path: Path) -> None:
    from parallax.ingest.readers import MAX_TEXT_CHARS

    big = tmp_path / "big.txt"
    line = ARTICLE + "\n"
    big.write_text(line * (MAX_TEXT_CHARS // len(line) + 2))
    docs, rejected = _split(list(read_inputs([big])))
    assert not docs and [r.reason for r in rejected] == ["too-large"]
    assert "20,000,000" in rejected[0].message


# --------------------------------------------------------------------------- 13. clean text is data


def test_13_one_sentence_jsonl_text_is_stored(tmp_path: Path) -> None:
    src = tmp_path / "items.jsonl"
    src.write_text(
        json.dumps({"text": SENTENCE}) + "\n" + json.dumps({"text": "Oil fell 2% on Monday."}) + "\n"
    )
    with open_store(tmp_path / "p.db") as store:
        summary = service.ingest(store, [str(src)])
        assert summary.stored == 2 and not summary.rejected
        assert {a.text for a in store.articles()} == {SENTENCE, "Oil fell 2% on Monday."}


def test_13_a_text_dump_is_still_a_page_to_strip(tmp_path: Path) -> None:
    # only text handed over as a record's text is taken as clean: a .txt of chrome stays rejected
    dump = tmp_path / "chrome.txt"
    dump.write_text("Home | News | Sport\n")
    with open_store(tmp_path / "p.db") as store:
        summary = service.ingest(store, [str(dump)])
    assert summary.stored == 0 and [r.reason for r in summary.rejected] == ["no-article"]


def _warc(gz: bool, pages: int = 4) -> bytes:
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for i in range(pages):
        body = f"<html><body><p>Record {i} body text.</p></body></html>".encode()
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            f"https://x.example/{i}", "response", payload=io.BytesIO(body), http_headers=http
        )
        writer.write_record(record)
    return buf.getvalue()


@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gzip"])
def test_2_damaged_warc_record_loses_only_that_record(tmp_path: Path, gz: bool) -> None:
    import gzip as gzip_mod
    import zlib

    data = _warc(gz)
    if gz:  # corrupt the deflate stream of member 1
        starts = [i for i in range(len(data)) if data.startswith(b"\x1f\x8b\x08", i)]
        assert len(starts) == 4
        at = starts[1] + 40
        data = data[:at] + bytes(b ^ 0x5A for b in data[at : at + 20]) + data[at + 20 :]
        with pytest.raises((OSError, EOFError, zlib.error)):
            gzip_mod.decompress(data)
    else:  # cut record 1's header in two
        at = data.index(b"WARC/1.", data.index(b"Record 0")) + 20
        data = data[:at] + b"\r\n\r\ngarbage" + data[at + 200 :]
    path = tmp_path / ("a.warc.gz" if gz else "a.warc")
    path.write_bytes(data)
    docs, rejected = _split(list(read_inputs([path])))
    assert [d.source for d in docs] == [f"{path}#0", f"{path}#2", f"{path}#3"]
    assert [(r.source, r.reason) for r in rejected] == [(f"{path}#1", "damaged")]
    assert "bytes" in rejected[0].message


def test_2_garbage_between_warc_records_is_one_rejection(tmp_path: Path) -> None:
    data = _warc(False, pages=2)
    cut = data.index(b"WARC/1.", 10)
    path = tmp_path / "a.warc"
    path.write_bytes(data[:cut] + b"junk junk\r\n" * 50 + data[cut:])
    docs, rejected = _split(list(read_inputs([path])))
    assert [d.source for d in docs] == [f"{path}#0", f"{path}#2"]
    assert [(r.source, r.reason) for r in rejected] == [(f"{path}#1", "damaged")]


def test_2_damaged_warc_prints_nothing_of_its_own(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    # warcio's own warnings (bad Content-Length, spaces in a URI) would reach the terminal raw
    data = _warc(False, pages=2).replace(b"https://x.example/0", b"https://x.example/0 with spaces")
    cut = data.index(b"WARC/1.", 10)
    path = tmp_path / "a.warc"
    path.write_bytes(data[: cut - 30] + data[cut:])
    items = list(read_inputs([path]))
    assert items and not capfd.readouterr().err


def test_2_deeply_nested_element_of_a_json_list_rejects_only_that_element(tmp_path: Path) -> None:
    good = json.dumps({"title": "One", "text": ARTICLE})
    src = tmp_path / "list.json"
    src.write_text(f'[{good}, {{"text": "a \\" ] quote", "x": {_deep()}}}, {good.replace("One", "Two")}]')
    docs, rejected = _split(list(read_inputs([src])))
    assert [d.source for d in docs] == [f"{src}#0", f"{src}#2"]
    assert [(r.source, r.reason) for r in rejected] == [(f"{src}#1", "unsafe")]
    # a whole file that is one nesting bomb is one rejection
    bomb = tmp_path / "bomb.json"
    bomb.write_text('{"a": ' + _deep() + "}")
    assert [r.reason for r in _split(list(read_inputs([bomb])))[1]] == ["unsafe"]


# --------------------------------------------------------------------------- the web server: one envelope, even for bugs


@pytest.mark.parametrize("error", [RuntimeError("secret detail"), "store"])
def test_10_unexpected_errors_answer_the_envelope_without_details(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: object
) -> None:
    from fastapi.testclient import TestClient

    from parallax.errors import StoreError
    from parallax.store import Store
    from parallax.web import create_app

    db = str(tmp_path / "p.db")
    assert invoke("ingest", str(TASS), "--db", db)[0] == 0

    def boom(*args: object, **kwargs: object) -> None:
        raise error if isinstance(error, Exception) else StoreError("database is locked")

    monkeypatch.setattr(Store, "get_article", boom)
    monkeypatch.setattr(Store, "get_story", boom)
    with TestClient(
        create_app(db), base_url="http://127.0.0.1:8765", raise_server_exceptions=False
    ) as client:
        for path in ("/api/articles/abc", "/api/stories/abc", "/articles/abc"):
            response = client.get(path)
            assert response.status_code == 500 and "Traceback" not in response.text, response.text
            assert "secret detail" not in response.text
            if path.startswith("/api/"):
                assert response.json() == {"ok": False, "error": response.json()["error"], "status": 500}
            assert response.headers["x-content-type-options"] == "nosniff"


# --------------------------------------------------------------------------- found by bench/fuzz.py


@pytest.mark.parametrize(
    "date",
    [
        "-2912 -1000000000000000000000000000000 m 2 20103",  # dateutil: decimal.InvalidOperation
        "-18 1/0 2022-13-45 816852881263 2022",  # a zone offset over a day: ValueError in isoformat()
        "2022-01-10 10:00 +2500",
    ],
)
def test_fuzz_found_dates_dateutil_cannot_write_are_no_date(tmp_path: Path, date: str) -> None:
    from parallax.ingest.metadata import parse_source_date

    assert parse_source_date(date) is None
    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps({"title": "One", "text": ARTICLE, "published": date}) + "\n")
    docs, rejected = _split(list(read_inputs([src])))
    assert [d.source for d in docs] == [f"{src}#1"] and not rejected
    assert "published" not in docs[0].metadata
