"""read_inputs: every format, every bad input, stdin, globs, folders, metadata attachment."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from parallax.errors import MetadataError
from parallax.ingest import STDIN, load_metadata, read_inputs
from parallax.records import MetaValue, RawDocument, Rejection

ARTICLE = "NUR-SULTAN, January 10. The president said order was restored.\n\nHe spoke by video link.\n"
PAGE = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Order restored</title></head>"
    "<body><article><h1>Order restored</h1><p>Алматы — the president said “order is restored”.</p>"
    "</article></body></html>"
)

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Daily Wire Service</title><language>en</language>
<item><title>First story</title><link>https://news.example/1</link>
<pubDate>Mon, 10 Jan 2022 14:05:00 +0300</pubDate><author>desk@news.example (A. Writer)</author>
<description>&lt;p&gt;Summary one.&lt;/p&gt;</description></item>
<item><title>Second story</title><link>https://news.example/2</link>
<description><![CDATA[<p>Summary <b>two</b>.</p>]]></description></item>
<item><title>No body</title><link>https://news.example/3</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Outlet</title>
<entry><title>Atom story</title><link href="https://atom.example/a"/><id>a</id>
<published>2022-01-10T09:00:00Z</published><updated>2022-01-11T10:00:00+06:00</updated>
<author><name>Jane Roe</name></author>
<content type="html">&lt;p&gt;Full content here.&lt;/p&gt;</content><summary>short</summary></entry>
</feed>"""

BOMB = """<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY a "aaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
]>
<rss version="2.0"><channel><title>&c;</title><item><title>x</title><description>&c;</description></item></channel></rss>"""


def make_warc(gz: bool = True) -> bytes:
    """A WARC with a warcinfo record, two HTML pages, an image, a 404 page and a request record."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    writer.write_record(writer.create_warcinfo_record("test.warc", {"software": "parallax-tests"}))

    def response(url: str, body: bytes, ctype: str, status: str = "200 OK") -> None:
        headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            http_headers=headers,
            warc_headers_dict={"WARC-Date": "2022-01-10T12:00:00Z"},
        )
        writer.write_record(record)

    response("https://a.example/story", (PAGE + " " * 3000).encode(), "text/html; charset=utf-8")
    response("https://a.example/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(100), "image/png")
    response(
        "https://b.example/ru",
        "<html><body><p>Москва, заявление министерства</p></body></html>".encode("cp1251"),
        "text/html; charset=windows-1251",
    )
    response(
        "https://b.example/missing", b"<html><body>Not found</body></html>", "text/html", "404 Not Found"
    )
    writer.write_record(
        writer.create_warc_record(
            "https://a.example/story", "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")
        )
    )
    return buf.getvalue()


def read(paths: list[str], **kwargs: object) -> tuple[list[RawDocument], list[Rejection]]:
    items = list(read_inputs(paths, **kwargs))  # type: ignore[arg-type]
    docs = [x for x in items if isinstance(x, RawDocument)]
    rejections = [x for x in items if isinstance(x, Rejection)]
    assert len(docs) + len(rejections) == len(items)
    return docs, rejections


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


# --------------------------------------------------------------------------- formats


def test_plain_text(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", ARTICLE.replace("\n", "\r\n").encode("utf-16"))
    (doc,), rejections = read([str(path)])
    assert rejections == []
    assert (doc.source, doc.format, doc.text, doc.html, doc.encoding) == (
        str(path),
        "text",
        ARTICLE,
        None,
        "utf-16",
    )
    assert doc.raw == path.read_bytes()


def test_cp1251_text_dump(tmp_path: Path) -> None:
    text = "Президент Казахстана заявил, что конституционный порядок в стране восстановлен.\n"
    path = write(tmp_path / "ru.txt", text.encode("cp1251"))
    (doc,), _ = read([str(path)])
    assert (doc.text, doc.encoding) == (text, "cp1251")


@pytest.mark.parametrize("name", ["page.html", "page.htm", "page.html.gz", "page.bin"])
def test_html(tmp_path: Path, name: str) -> None:
    raw = PAGE.encode()
    path = write(tmp_path / name, gzip.compress(raw) if name.endswith(".gz") else raw)
    (doc,), rejections = read([str(path)])
    assert rejections == []
    assert (doc.format, doc.html, doc.text, doc.encoding) == ("html", PAGE, None, "utf-8")


def test_html_meta_charset(tmp_path: Path) -> None:
    page = '<html><head><meta charset="windows-1251"></head><body><p>Москва</p></body></html>'
    path = write(tmp_path / "ru.html", page.encode("cp1251"))
    (doc,), _ = read([str(path)])
    assert (doc.html, doc.encoding) == (page, "cp1251")


@pytest.mark.parametrize("gz", [True, False])
def test_warc(tmp_path: Path, gz: bool) -> None:
    path = write(tmp_path / ("crawl.warc.gz" if gz else "crawl.warc"), make_warc(gz))
    docs, rejections = read([str(path)])
    assert [d.source for d in docs] == [f"{path}#1", f"{path}#3"]
    first, second = docs
    assert first.format == "warc" and first.url == "https://a.example/story"
    assert first.html is not None and first.html.startswith(PAGE)
    assert first.metadata["url"] == MetaValue("https://a.example/story", "warc")
    assert first.metadata["fetched"] == MetaValue("2022-01-10T12:00:00+00:00", "warc")
    assert second.html is not None and "Москва" in second.html and second.encoding == "cp1251"
    assert [(r.source, r.reason) for r in rejections] == [(f"{path}#4", "http-status")]


def test_rss_feed(tmp_path: Path) -> None:
    path = write(tmp_path / "news.rss", RSS)
    docs, rejections = read([str(path)])
    assert [d.source for d in docs] == [f"{path}#0", f"{path}#1"]
    first = docs[0]
    assert first.format == "feed" and first.url == "https://news.example/1"
    assert first.html == "<p>Summary one.</p>"
    meta = {k: v.value for k, v in first.metadata.items()}
    assert meta == {
        "title": "First story",
        "url": "https://news.example/1",
        "published": "2022-01-10T14:05:00+03:00",
        "outlet": "Daily Wire Service",
        "language": "en",
        "author": "desk@news.example (A. Writer)",
    }
    assert {v.source for v in first.metadata.values()} == {"feed"}
    assert docs[1].html == "<p>Summary <b>two</b>.</p>"
    assert [(r.source, r.reason) for r in rejections] == [(f"{path}#2", "no-article")]


def test_atom_feed_prefers_content(tmp_path: Path) -> None:
    path = write(tmp_path / "feed.xml", ATOM)
    (doc,), _ = read([str(path)])
    assert doc.html == "<p>Full content here.</p>"
    meta = {k: v.value for k, v in doc.metadata.items()}
    assert meta["outlet"] == "Atom Outlet" and meta["author"] == "Jane Roe"
    assert meta["published"] == "2022-01-10T09:00:00+00:00" and meta["updated"] == "2022-01-11T10:00:00+06:00"


def test_jsonl(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "text": "Body one.\r\nMore.",
                "url": "https://j.example/1",
                "title": "One",
                "outlet": "J",
                "published": "2022-01-10",
                "language": "en",
            }
        ),
        "{not json",
        json.dumps({"html": "<p>Body two</p>", "published": "not a date"}),
        "",
        json.dumps(
            {
                "maintext": "News-please body.",
                "date_publish": "2022-01-10 08:30:00",
                "source_domain": "np.example",
                "title": "NP",
                "url": "https://np.example/x",
                "authors": ["A", "B"],
            }
        ),
        json.dumps(["a list"]),
        json.dumps({"title": ""}),
        json.dumps({"text": 5}),
    ]
    path = write(tmp_path / "dump.jsonl.gz", gzip.compress("\n".join(lines).encode()))
    docs, rejections = read([str(path)])
    assert [d.source for d in docs] == [f"{path}#1", f"{path}#3", f"{path}#5"]
    one, two, news = docs
    assert (one.format, one.text, one.url) == ("jsonl", "Body one.\nMore.", "https://j.example/1")
    assert {k: v.value for k, v in one.metadata.items()} == {
        "title": "One",
        "url": "https://j.example/1",
        "published": "2022-01-10",
        "outlet": "J",
        "language": "en",
    }
    assert two.html == "<p>Body two</p>" and "published" not in two.metadata
    assert {k: v.value for k, v in news.metadata.items()} == {
        "title": "NP",
        "url": "https://np.example/x",
        "published": "2022-01-10T08:30:00",
        "author": "A, B",
        "outlet": "np.example",
    }
    assert [(r.source, r.reason) for r in rejections] == [
        (f"{path}#2", "bad-record"),
        (f"{path}#6", "bad-record"),
        (f"{path}#7", "empty"),
        (f"{path}#8", "bad-record"),
    ]
    assert all(r.message.startswith(r.source) for r in rejections)


def test_json_object_and_list(tmp_path: Path) -> None:
    single = write(tmp_path / "one.json", json.dumps({"maintext": "Solo.", "title": "T"}, indent=2))
    many = write(tmp_path / "many.json", json.dumps([{"text": "A."}, {"text": "B."}, 3]))
    docs, rejections = read([str(single), str(many)])
    assert [(d.source, d.format, d.text) for d in docs] == [
        (str(single), "json", "Solo."),
        (f"{many}#0", "json", "A."),
        (f"{many}#1", "json", "B."),
    ]
    assert [(r.source, r.reason) for r in rejections] == [(f"{many}#2", "bad-record")]


def test_title_only_record_keeps_the_title_as_text(tmp_path: Path) -> None:
    path = write(tmp_path / "ecb.json", json.dumps({"text": "", "title": "An earthquake struck the coast."}))
    (doc,), _ = read([str(path)])
    assert doc.text == "An earthquake struck the coast."


# --------------------------------------------------------------------------- bad inputs


def test_not_found(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.txt")
    pattern = str(tmp_path / "*.nothing")
    docs, rejections = read([missing, pattern])
    assert docs == []
    assert [(r.source, r.reason) for r in rejections] == [(missing, "not-found"), (pattern, "not-found")]
    assert missing in rejections[0].message


def test_too_large_sparse_file_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:  # sparse: 200 MB on paper, nothing on disk
        handle.truncate(200 * 1024 * 1024)
    small = write(tmp_path / "small.txt", "Still read after the big one.")
    reads: list[int] = []
    real_open = open

    def spying_open(file: object, mode: str = "r", *args: object, **kwargs: object) -> object:
        handle = real_open(file, mode, *args, **kwargs)  # type: ignore[call-overload]
        if str(file) == str(path):
            original = handle.read
            handle.read = lambda n=-1: reads.append(n) or original(n)  # type: ignore[method-assign]
        return handle

    monkeypatch.setattr("builtins.open", spying_open)
    docs, rejections = read([str(path), str(small)])
    assert [(r.source, r.reason) for r in rejections] == [(str(path), "too-large")]
    assert [d.source for d in docs] == [str(small)]
    assert all(0 <= n <= 1 << 16 for n in reads), reads


def test_too_large_per_format(tmp_path: Path) -> None:
    bomb = write(tmp_path / "bomb.txt.gz", gzip.compress(b"a" * 5000))
    lines = write(
        tmp_path / "d.jsonl", json.dumps({"text": "x" * 500}) + "\n" + json.dumps({"text": "ok"}) + "\n"
    )
    warc = write(tmp_path / "c.warc.gz", make_warc())
    docs, rejections = read([str(bomb), str(lines), str(warc)], max_bytes=400)
    assert [(r.source, r.reason) for r in rejections] == [
        (str(bomb), "too-large"),
        (f"{lines}#1", "too-large"),
        (f"{warc}#1", "too-large"),
        (f"{warc}#4", "http-status"),
    ]
    assert [d.source for d in docs] == [f"{lines}#2", f"{warc}#3"]


def test_truncated_gzip(tmp_path: Path) -> None:
    data = gzip.compress(("A sentence of news. " * 400).encode())
    path = write(tmp_path / "cut.txt.gz", data[: len(data) // 2])
    docs, rejections = read([str(path)])
    assert docs == [] and [(r.source, r.reason) for r in rejections] == [(str(path), "truncated")]


def test_corrupt_gzip(tmp_path: Path) -> None:
    data = bytearray(gzip.compress(b"Some text that is long enough to matter. " * 20))
    data[-6] ^= 0xFF  # breaks the CRC
    path = write(tmp_path / "bad.txt.gz", bytes(data))
    (rejection,) = read([str(path)])[1]
    assert rejection.reason == "unreadable" and "gzip" in rejection.message


@pytest.mark.parametrize("gz", [True, False])
def test_truncated_warc_keeps_records_before_the_damage(tmp_path: Path, gz: bool) -> None:
    data = make_warc(gz)
    full = write(tmp_path / "full.warc", data)
    whole_docs, _ = read([str(full)])
    assert len(whole_docs) == 2
    # Cut in the middle of the third response (the cp1251 page, record #3).
    cut_at = data.find(b"https://b.example/ru") + 40 if not gz else _offset_of_record(data, 3) + 30
    path = write(tmp_path / ("cut.warc.gz" if gz else "cut.warc"), data[:cut_at])
    docs, rejections = read([str(path)])
    assert [d.source for d in docs] == [f"{path}#1"]
    assert [(r.source, r.reason) for r in rejections] == [(f"{path}#3", "truncated")]


def _offset_of_record(data: bytes, index: int) -> int:
    """Where gzip member ``index`` starts in a per-record-gzipped WARC."""
    offset = 0
    for _ in range(index):
        stream = gzip.GzipFile(fileobj=io.BytesIO(data[offset:]))
        stream.read()
        # zlib reports how much of the input the first member used via the next member's start
        offset = data.index(b"\x1f\x8b", offset + 10)
    return offset


def test_warc_without_html_records(tmp_path: Path) -> None:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    writer.write_record(writer.create_warcinfo_record("x.warc", {"software": "t"}))
    path = write(tmp_path / "info.warc.gz", buf.getvalue())
    docs, rejections = read([str(path)])
    assert docs == [] and [(r.source, r.reason) for r in rejections] == [(str(path), "no-article")]


def test_corrupt_warc(tmp_path: Path) -> None:
    path = write(tmp_path / "junk.warc", b"WARC/1.0\r\nthis is not a warc header\r\n\r\n" * 3)
    docs, rejections = read([str(path)])
    assert docs == [] and [(r.source, r.reason) for r in rejections] == [(f"{path}#0", "truncated")]


def test_entity_bomb_feed_is_refused_before_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import feedparser

    def must_not_parse(*args: object, **kwargs: object) -> None:
        raise AssertionError("feedparser was called on an unsafe feed")

    monkeypatch.setattr(feedparser, "parse", must_not_parse)
    bomb = write(tmp_path / "bomb.rss", BOMB)
    utf16 = write(
        tmp_path / "bomb16.xml",
        BOMB.replace('version="1.0"', 'version="1.0" encoding="utf-16"').encode("utf-16"),
    )
    subset = write(
        tmp_path / "subset.atom", '<?xml version="1.0"?><!DOCTYPE feed [<!ATTLIST x y CDATA "z">]><feed/>'
    )
    docs, rejections = read([str(bomb), str(utf16), str(subset)])
    assert docs == []
    assert [r.reason for r in rejections] == ["unsafe", "unsafe", "unsafe"]
    assert str(bomb) in rejections[0].message


def test_feed_without_entries(tmp_path: Path) -> None:
    path = write(tmp_path / "empty.rss", "<rss version='2.0'><channel><title>T</title></channel></rss>")
    (rejection,) = read([str(path)])[1]
    assert rejection.reason == "no-article"


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("blob.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "binary"),
        ("blob", bytes(range(256)) * 4, "binary"),
        ("empty.txt", b"", "empty"),
        ("blank.html", b"  \n\n\t ", "empty"),
        ("blank.txt.gz", gzip.compress(b" \r\n "), "empty"),
        ("bad.json", b'{"text": "unterminated', "unreadable"),
        ("blank.jsonl", b"\n\n  \n", "empty"),
        ("none.warc", b"", "empty"),
        ("none.warc.gz", gzip.compress(b""), "empty"),
    ],
    # ids from the names: gzip bytes carry a timestamp, and xdist workers must collect the same ids
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_bad_single_files(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    path = write(tmp_path / name, data)
    docs, rejections = read([str(path)])
    assert docs == [] and [(r.source, r.reason) for r in rejections] == [(str(path), reason)]
    assert rejections[0].message.startswith(str(path))


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = write(tmp_path / "locked.txt", "text")
    fine = write(tmp_path / "fine.txt", "Readable text.")
    real_open = open

    def denying_open(file: object, *args: object, **kwargs: object) -> object:
        if str(file) == str(locked):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", denying_open)
    docs, rejections = read([str(locked), str(fine)])
    assert [(r.source, r.reason) for r in rejections] == [(str(locked), "unreadable")]
    assert "Permission denied" in rejections[0].message
    assert [d.source for d in docs] == [str(fine)]


def test_path_objects_are_accepted(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", ARTICLE)
    (doc,), _ = read([path])  # type: ignore[list-item]
    assert doc.source == str(path)


# --------------------------------------------------------------------------- paths, stdin


def test_folder_recursive_skips_hidden_and_unknown(tmp_path: Path) -> None:
    root = tmp_path / "in"
    write(root / "b.txt", "Bee.")
    write(root / "sub" / "a.html", PAGE)
    write(root / "sub" / "noext", "Plain words without a name ending.")
    write(root / ".hidden.txt", "secret")
    write(root / ".git" / "c.txt", "secret")
    write(root / "logo.png", b"\x89PNG\r\n")
    docs, rejections = read([str(root)])
    assert [d.source for d in docs] == [
        str(root / "b.txt"),
        str(root / "sub" / "a.html"),
        str(root / "sub" / "noext"),
    ]
    assert [(r.source, r.reason) for r in rejections] == [(str(root / "logo.png"), "unsupported")]


def test_glob_and_duplicates(tmp_path: Path) -> None:
    for name in ("x1.txt", "x2.txt", "y.txt"):
        write(tmp_path / name, f"Text of {name}.")
    docs, rejections = read(
        [str(tmp_path / "x*.txt"), str(tmp_path / "x1.txt"), str(tmp_path / "**" / "y.txt")]
    )
    assert rejections == []
    assert [Path(d.source).name for d in docs] == ["x1.txt", "x2.txt", "y.txt"]


@pytest.mark.parametrize(
    ("data", "fmt"),
    [
        (ARTICLE.encode(), "text"),
        (gzip.compress(PAGE.encode()), "html"),
        (RSS.encode(), "feed"),
        (b'{"text": "From a pipe."}\n{"text": "Second."}\n', "jsonl"),
        (make_warc(), "warc"),
    ],
    ids=["text", "html-gz", "feed", "jsonl", "warc"],
)
def test_stdin(data: bytes, fmt: str) -> None:
    docs, rejections = read(["-", "-"], stdin=io.BytesIO(data))
    assert docs and all(d.format == fmt and d.source.startswith(STDIN) for d in docs)
    assert len({d.source for d in docs}) == len(docs)


def test_stdin_too_large() -> None:
    docs, rejections = read(["-"], stdin=io.BytesIO(b"x" * 100), max_bytes=50)
    assert docs == [] and [(r.source, r.reason) for r in rejections] == [(STDIN, "too-large")]


def test_programmer_errors_raise() -> None:
    with pytest.raises(ValueError):
        read_inputs(["-"], max_bytes=0)
    with pytest.raises(MetadataError, match="colour"):
        read_inputs(["-"], overrides={"colour": "red"})
    with pytest.raises(MetadataError, match="published"):
        read_inputs(["-"], overrides={"published": "yesterday-ish"})


# --------------------------------------------------------------------------- metadata


def test_metadata_attached_and_user_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "docs" / "tass.txt", ARTICLE)
    write(tmp_path / "other" / "cd.txt", "China Daily text.")
    feed = write(tmp_path / "docs" / "news.rss", RSS)
    meta = write(
        tmp_path / "docs" / "meta.csv",
        "path,outlet,published,title\n"
        "docs/tass.txt,TASS,10 January 2022,\n"
        "cd.txt,China Daily,2022-01-11T09:00:00+08:00,Headline\n"
        "https://news.example/1,Wire (user),2022-01-09,\n",
    )
    table = load_metadata(meta)
    assert table.problems == []
    docs, rejections = read(["docs", "other", str(feed)], meta=table, overrides={"language": "EN"})
    assert [r.reason for r in rejections] == [
        "no-article"
    ]  # the feed's empty entry; meta.csv itself is skipped
    by_source = {d.source: d for d in docs}
    tass = by_source[str(Path("docs") / "tass.txt")]
    assert tass.metadata == {
        "outlet": MetaValue("TASS", "user-metadata"),
        "published": MetaValue("2022-01-10", "user-metadata"),
        "language": MetaValue("en", "user-metadata"),
    }
    cd = by_source[str(Path("other") / "cd.txt")]
    assert (
        cd.metadata["outlet"].value == "China Daily"
        and cd.metadata["published"].value == "2022-01-11T09:00:00+08:00"
    )
    entry = by_source[str(Path("docs") / "news.rss") + "#0"]
    assert entry.metadata["outlet"] == MetaValue(
        "Wire (user)", "user-metadata"
    )  # by url, beats the feed title
    assert entry.metadata["title"] == MetaValue(
        "First story", "feed"
    )  # blank user cell: the feed's value stays
    assert entry.metadata["published"] == MetaValue("2022-01-09", "user-metadata")


def test_overrides_win_over_the_table(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", ARTICLE)
    meta = write(
        tmp_path / "m.jsonl",
        json.dumps({"path": str(path), "outlet": "From file", "section": "World"}) + "\n",
    )
    (doc,), _ = read([str(path)], meta=load_metadata(meta), overrides={"outlet": "From flag"})
    assert doc.metadata["outlet"].value == "From flag" and doc.metadata["section"].value == "World"


def test_metadata_url_fills_document_url(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", ARTICLE)
    meta = write(tmp_path / "m.csv", f"path,url\n{path.name},https://site.example/a\n")
    (doc,), _ = read([str(path)], meta=load_metadata(meta))
    assert doc.url == "https://site.example/a" and doc.metadata["url"].source == "user-metadata"


# --------------------------------------------------------------------------- fuzzing

PREFIXES = [
    b"",
    b"\x1f\x8b\x08\x00",
    b"WARC/1.0\r\n",
    b"<rss><channel><item>",
    b'{"text": ',
    b"[",
    b"<html>",
    b"\xff\xfe",
]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=st.sampled_from(PREFIXES), body=st.binary(max_size=600))
def test_never_raises_on_any_bytes(prefix: bytes, body: bytes) -> None:
    items = list(read_inputs(["-"], stdin=io.BytesIO(prefix + body)))
    assert items and all(isinstance(x, RawDocument | Rejection) for x in items)
    for item in items:
        assert item.source.startswith(STDIN)
        if isinstance(item, Rejection):
            assert item.reason and item.message.startswith(STDIN)


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(cut=st.floats(0.05, 0.98))
def test_never_raises_on_cut_archives(cut: float) -> None:
    for data in (WARC_GZ, gzip.compress(RSS.encode()), gzip.compress(PAGE.encode())):
        items = list(read_inputs(["-"], stdin=io.BytesIO(data[: int(len(data) * cut)])))
        assert items and all(isinstance(x, RawDocument | Rejection) for x in items)


WARC_GZ = make_warc(True)


def test_truncated_jsonl_gz_keeps_the_lines_before(tmp_path: Path) -> None:
    lines = "\n".join(json.dumps({"text": f"Article number {i}. " + "word " * 50}) for i in range(400))
    data = gzip.compress(lines.encode())
    path = write(tmp_path / "cut.jsonl.gz", data[: len(data) * 3 // 4])
    docs, rejections = read([str(path)])
    assert 0 < len(docs) < 400
    assert [d.source for d in docs] == [f"{path}#{n}" for n in range(1, len(docs) + 1)]
    assert [(r.source, r.reason) for r in rejections] == [(f"{path}#{len(docs) + 1}", "truncated")]


def test_public_names() -> None:
    import parallax.ingest as ingest

    assert sorted(ingest.__all__) == sorted(
        [
            "DEFAULT_MAX_BYTES",
            "FIELDS",
            "STDIN",
            "MetadataTable",
            "count_documents",
            "decode_bytes",
            "decode_markup",
            "load_metadata",
            "parse_source_date",
            "parse_user_date",
            "read_inputs",
        ]
    )
    assert all(hasattr(ingest, name) for name in ingest.__all__)
    assert ingest.DEFAULT_MAX_BYTES == 64 * 1024 * 1024


def test_count_documents_knows_files_not_containers(tmp_path: Path) -> None:
    from parallax.ingest import count_documents

    (tmp_path / "a.txt").write_text("one", encoding="utf-8")
    (tmp_path / "b.html").write_text("<p>two</p>", encoding="utf-8")
    assert count_documents([str(tmp_path)]) == 2
    assert count_documents([str(tmp_path), str(tmp_path / "missing.txt")]) == 3  # a rejection is a document read
    (tmp_path / "c.jsonl").write_text('{"text": "x"}\n{"text": "y"}\n', encoding="utf-8")
    assert count_documents([str(tmp_path)]) is None  # only reading a container tells
    assert count_documents(["-"]) is None
