"""Hypothesis strategies for every input Parallax reads, and the checks each input must pass.

Shared by the bounded fuzz tests (``tests/test_fuzz_*.py``, in CI) and the long run
(``bench/fuzz.py``). An input is a file (name and bytes); the checks ingest it into a
store twice and hold the promises of issue 10:

- nothing raises (no crash, no traceback);
- every rejection carries a reason code and a message that names its input;
- every document the readers accepted is either stored (or linked as a duplicate) or
  rejected, and stored once: a second ingest of the same file stores nothing new.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import string
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from parallax import service
from parallax.records import Rejection
from parallax.store import Store

# --------------------------------------------------------------------------- building blocks

SENTENCES = [
    "The city council approved the budget on Tuesday after a long debate.",
    "Council members voted 7 to 2 in favour of the plan, which raises spending on schools.",
    "Police said about 5,000 people had gathered in the square by noon on 5 January 2022.",
    "Vecturas shares rose 6.5% to 164p.",
    "«Мы восстановили порядок», — сказал президент в пятницу.",
    "北京时间1月7日，官员表示局势已经稳定。",
    "Der Bürgermeister sagte am Montag, die Kosten lägen bei 2,7 Mrd. Euro.",
    "Officials said the toll rose to 93, up from 67 a day earlier.",
    'He said: "We are heartbroken," and left the podium.',
    "Updated 2:55 p.m. PT: Added news of software restrictions.",
]
CHROME = [
    "Home | News | Sport",
    "Share this",
    "Subscribe now",
    "© 2022 Daily Post",
    "Advertisement",
    "Read more",
]
ODD = [
    "\x00",
    "\x1b[2J",
    "\x1b]0;pwned\x07",
    "\ufeff",
    "\u202e",
    "\ud800",
    "[/]",
    "[bold]",
    "\r",
    "\u2028",
    "&amp;",
    "<!--",
]
ENCODINGS = [
    "utf-8",
    "utf-8-sig",
    "utf-16",
    "utf-16-le",  # BOM-less
    "utf-16-be",
    "utf-32",
    "utf-32-le",
    "utf-32-be",
    "cp1251",
    "cp1252",
    "latin-1",
    "koi8-r",
    "shift_jis",
    "gb18030",
    "iso-8859-7",
]

lines = st.one_of(
    st.sampled_from(SENTENCES),
    st.sampled_from(CHROME),
    st.sampled_from(ODD),
    st.text(max_size=80),
    st.text(alphabet=string.ascii_letters + " .,;:'\"-0123456789%$", max_size=200),
)
prose = st.lists(lines, max_size=12).map("\n\n".join)
dates = st.one_of(
    st.sampled_from(
        ["2022-01-10", "2022-01-10T14:05:00+03:00", "Mon, 10 Jan 2022 14:05:00 +0300", "January 2022", "", "garbage",
         "0000-00-00", "9999-99-99T99:99", "10/01/22", "2022-02-30", "-1", "1e309"]
    ),
    st.text(max_size=30),
)  # fmt: skip


def _encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, "replace") if encoding != "utf-8" else text.encode("utf-8", "surrogatepass")


@st.composite
def text_files(draw: Any) -> tuple[str, bytes]:
    """Plain text in one of many encodings (BOM-less UTF-16/32 included), or arbitrary bytes."""
    if draw(st.integers(0, 9)) == 0:
        data = draw(st.binary(max_size=2000))
    else:
        data = _encode(draw(prose), draw(st.sampled_from(ENCODINGS)))
    return draw(st.sampled_from(["a.txt", "a", "a.text", "a.md"])), data


TAGS = ["p", "div", "article", "span", "h1", "h2", "b", "i", "a", "script", "style", "nav", "footer", "table", "td",
        "figure", "figcaption", "ul", "li", "br", "img", "noscript", "template", "svg", "math", "iframe"]  # fmt: skip


@st.composite
def html_fragments(draw: Any, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4 if depth < 3 else 1))):
        kind = draw(st.integers(0, 5))
        if kind <= 2 or depth >= 4:
            parts.append(draw(lines).replace("<", "&lt;") if draw(st.booleans()) else draw(lines))
        else:
            tag = draw(st.sampled_from(TAGS))
            attrs = draw(
                st.sampled_from(
                    ["", ' class="content"', ' onerror="x()"', " id=main", ' href="javascript:x"']
                )
            )
            inner = draw(html_fragments(depth + 1))
            parts.append(f"<{tag}{attrs}>{inner}" + (f"</{tag}>" if draw(st.integers(0, 5)) else ""))
    return "".join(parts)


@st.composite
def html_files(draw: Any) -> tuple[str, bytes]:
    """HTML pages: soup of tags and prose, declared charsets right or wrong, sometimes deeply nested."""
    charset = draw(st.sampled_from(ENCODINGS[:3] + ENCODINGS[8:] + ["bogus-charset", ""]))
    meta = f'<meta charset="{charset}">' if charset and draw(st.booleans()) else ""
    title = draw(lines)
    body = draw(html_fragments())
    if draw(st.integers(0, 19)) == 0:
        n = draw(st.integers(100, 5000))
        body = "<div>" * n + body + "</div>" * draw(st.integers(0, n))
    page = f"<!DOCTYPE html><html><head>{meta}<title>{title}</title></head><body>{body}</body></html>"
    encoding = charset if charset in ENCODINGS else draw(st.sampled_from(ENCODINGS))
    return draw(st.sampled_from(["a.html", "a.htm", "a.xhtml", "page"])), _encode(page, encoding)


@st.composite
def feed_files(draw: Any) -> tuple[str, bytes]:
    """RSS 2.0 and Atom feeds with odd entries; now and then an entity declaration (refused)."""
    atom = draw(st.booleans())
    entries = []
    for _ in range(draw(st.integers(0, 5))):
        title, body, date = draw(lines), draw(prose), draw(dates)
        esc = (
            body.replace("&", "&amp;").replace("<", "&lt;") if draw(st.booleans()) else f"<![CDATA[{body}]]>"
        )
        if atom:
            kind = draw(st.sampled_from(["html", "text", "xhtml"]))
            entries.append(
                f"<entry><title>{title}</title><updated>{date}</updated><content type='{kind}'>{esc}</content></entry>"
            )
        else:
            entries.append(
                f"<item><title>{title}</title><pubDate>{date}</pubDate><description>{esc}</description></item>"
            )
    doctype = draw(st.sampled_from(["", "", "", '<!DOCTYPE r [<!ENTITY a "aaaa">]>']))
    head = f'<?xml version="1.0" encoding="utf-8"?>{doctype}'
    if atom:
        xml = f'{head}<feed xmlns="http://www.w3.org/2005/Atom"><title>{draw(lines)}</title>{"".join(entries)}</feed>'
    else:
        xml = f'{head}<rss version="2.0"><channel><title>{draw(lines)}</title>{"".join(entries)}</channel></rss>'
    if draw(st.integers(0, 9)) == 0:
        xml = xml[: draw(st.integers(0, len(xml)))]
    return draw(st.sampled_from(["a.xml", "a.rss", "a.atom", "feed"])), _encode(xml, "utf-8")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
FIELDS = ["text", "maintext", "body", "content", "html", "title", "url", "outlet", "published", "date_publish",
          "author", "authors", "language", "section", "updated"]  # fmt: skip


@st.composite
def json_records(draw: Any) -> str:
    kind = draw(st.integers(0, 19))
    if kind == 0:
        return "[" * 50_000 + "]" * 50_000  # nesting beyond the parser's recursion
    if kind == 1:
        return draw(st.text(max_size=60))  # not JSON
    if kind == 2:
        return json.dumps(draw(json_values))
    record: dict[str, Any] = {}
    for name in draw(st.lists(st.sampled_from(FIELDS), max_size=6, unique=True)):
        if name in ("text", "maintext", "body", "content"):
            record[name] = draw(st.one_of(prose, json_values))
        elif name == "html":
            record[name] = draw(html_fragments())
        elif name in ("published", "date_publish", "updated"):
            record[name] = draw(st.one_of(dates, json_values))
        else:
            record[name] = draw(st.one_of(lines, json_values))
    return json.dumps(record, ensure_ascii=draw(st.booleans()))


@st.composite
def jsonl_files(draw: Any) -> tuple[str, bytes]:
    """JSON Lines: good records, odd fields, non-objects, broken and deeply nested lines, blanks."""
    rows = draw(st.lists(st.one_of(json_records(), st.just("")), max_size=8))
    data = "\n".join(rows).encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 9)) == 0:
        data = b"\xef\xbb\xbf" + data
    return draw(st.sampled_from(["a.jsonl", "a.ndjson"])), data


@st.composite
def json_files(draw: Any) -> tuple[str, bytes]:
    """A JSON file: one record or a list of them."""
    records = draw(st.lists(json_records(), max_size=4))
    data = (
        ("[" + ",".join(r for r in records if r.strip()[:1] in ("{", "[", '"')) + "]")
        if draw(st.booleans())
        else (records[0] if records else "{}")
    )
    return "a.json", data.encode("utf-8", "surrogatepass")


@st.composite
def warc_files(draw: Any) -> tuple[str, bytes]:
    """WARC archives (plain or gzipped) of response and other records; sometimes cut or damaged."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    zipped = draw(st.booleans())
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=zipped)
    for i in range(draw(st.integers(0, 4))):
        rec_type = draw(
            st.sampled_from(["response", "response", "response", "request", "metadata", "resource"])
        )
        ctype = draw(st.sampled_from(["text/html; charset=utf-8", "text/html", "text/html; charset=bogus",
                                      "application/xhtml+xml", "image/png", "text/plain", ""]))  # fmt: skip
        status = draw(st.sampled_from(["200 OK", "200 OK", "404 Not Found", "301 Moved", "500 Oops"]))
        _, page = draw(html_files())
        headers = [("Content-Type", ctype)] if ctype else []
        http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
        uri = f"https://news.example/{i}"
        # fixed id and date: the same draws must give the same bytes (Hypothesis replays them)
        fixed = {
            "WARC-Record-ID": f"<urn:uuid:00000000-0000-0000-0000-{i:012d}>",
            "WARC-Date": "2022-01-10T00:00:00Z",
        }
        if rec_type in ("response", "request"):
            record = writer.create_warc_record(
                uri, rec_type, payload=io.BytesIO(page), http_headers=http, warc_headers_dict=fixed
            )
        else:
            record = writer.create_warc_record(
                uri, rec_type, payload=io.BytesIO(page), warc_headers_dict=fixed
            )
        writer.write_record(record)
    data = buf.getvalue()
    damage = draw(st.integers(0, 5))
    if damage == 0 and data:
        data = data[: draw(st.integers(0, len(data) - 1))]
    elif damage == 1 and data:
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :]
    elif damage == 2:
        data += draw(st.binary(max_size=50))
    return draw(st.sampled_from(["a.warc.gz" if zipped else "a.warc", "archive"])), data


def gzipped(inner: st.SearchStrategy[tuple[str, bytes]]) -> st.SearchStrategy[tuple[str, bytes]]:
    """Any input gzipped (named .gz or not), sometimes cut short."""

    @st.composite
    def build(draw: Any) -> tuple[str, bytes]:
        name, data = draw(inner)
        packed = gzip.compress(data, mtime=0)
        if draw(st.integers(0, 5)) == 0:
            packed = packed[: draw(st.integers(0, len(packed)))]
        return (name + ".gz" if draw(st.booleans()) else name), packed

    return build()


READERS: dict[str, st.SearchStrategy[tuple[str, bytes]]] = {
    "text": text_files(),
    "html": html_files(),
    "feed": feed_files(),
    "jsonl": jsonl_files(),
    "json": json_files(),
    "warc": warc_files(),
    "gzip": gzipped(st.one_of(text_files(), html_files(), jsonl_files(), feed_files())),
}
any_input = st.one_of(*READERS.values())


# --------------------------------------------------------------------------- checks


@dataclass
class Outcome:
    read: int
    stored: int
    rejected: int


def check_ingest(store: Store, path: Path) -> Outcome:
    """Ingest ``path`` twice into ``store``; raise AssertionError on a broken promise.

    Any other exception escaping is itself the finding (a crash).
    """
    source = str(path)
    first = service.ingest(store, [source])
    for rej in first.rejected:
        assert isinstance(rej, Rejection) and rej.reason and rej.message, rej
        assert rej.source.startswith(source), (rej.source, source)
    accepted = first.stored + first.duplicates + first.near_duplicates + first.exists
    assert accepted + len(first.rejected) == first.read, first
    stored_sources = [s for a in set(first.article_ids) for s in store.sources(a) if s.startswith(source)]
    assert len(stored_sources) == len(set(stored_sources)) == accepted, (stored_sources, first)
    second = service.ingest(store, [source])
    # stored once: the same file again adds nothing and reads the same documents
    assert second.stored == second.duplicates == second.near_duplicates == 0, second
    assert second.exists == accepted and second.read == first.read, (first, second)
    return Outcome(first.read, accepted, len(first.rejected))


def check_read(path: Path) -> Outcome:
    """The readers alone (no cleaning, no store), for long runs: read ``path`` twice; nothing
    raises, every rejection has its reason, every document has its own address, and a
    second read yields the same documents (what makes "stored once" possible)."""
    from parallax.ingest import read_inputs
    from parallax.records import RawDocument

    source = str(path)
    first = list(read_inputs([source]))
    for item in first:
        assert isinstance(item, RawDocument | Rejection), item
        assert item.source.startswith(source), (item.source, source)
        if isinstance(item, Rejection):
            assert item.reason and item.message, item
    docs = [i.source for i in first if isinstance(i, RawDocument)]
    assert len(docs) == len(set(docs)), docs
    again = [(i.source, getattr(i, "raw", None)) for i in read_inputs([source])]
    assert again == [(i.source, getattr(i, "raw", None)) for i in first]
    return Outcome(len(first), len(docs), len(first) - len(docs))


def write_input(folder: Path, name: str, data: bytes, serial: int) -> Path:
    case = folder / f"case{serial:07d}"
    case.mkdir(parents=True, exist_ok=True)
    path = case / name
    path.write_bytes(data)
    return path


# --------------------------------------------------------------------------- normalizers


def check_normalizers(text: str, reference: str | None) -> None:
    """The number, date and timex normalizers on arbitrary text: they answer, never raise
    (parse_user_date raises MetadataError on purpose: a user's bad date is a usage error)."""
    from parallax.clean.dates import find_dates, normalize_iso, parse_date
    from parallax.errors import MetadataError
    from parallax.extract.numbers import parse_number, scan_numbers
    from parallax.extract.timex import find_timexes, normalize
    from parallax.ingest.metadata import parse_source_date, parse_user_date

    value = parse_number(text)
    assert value is None or isinstance(value, float | int)
    for match in scan_numbers(text):
        assert 0 <= match.start <= match.end <= len(text)
    parse_date(text)
    normalize_iso(text)
    for found in find_dates(text):
        assert 0 <= found.start <= found.end <= len(text)
    parse_source_date(text)
    with contextlib.suppress(MetadataError):
        parse_user_date(text)
    normalize(text, reference)
    for timex in find_timexes(text, reference):
        assert 0 <= timex.start <= timex.end <= len(text)


# "BN", "Mn", "Mln": any casing of a scale abbreviation (they raised KeyError in scan_numbers: issue 10 item 3)
NUMBER_WORDS = ["about", "-", "minus", "million", "bn", "BN", "Bn", "m", "Mn", "MN", "mln", "Mln", "k", "thousand", "hundred", "and",
                "a", "half", "dozen", "^", "10^100", "1e309", "%", "per cent", "½", "٣", "٫", ",", ".", "-strong",
                "two-thirds", "1/0", "0/0", "twenty-five", "$", "£", "€", "p", "nine", "quadrillion"]  # fmt: skip
TIME_WORDS = ["Friday", "yesterday", "last year", "next week", "January", "Jan.", "2022", "10:24", "3 p.m.",
              "morning", "the", "of", "ago", "days", "since", "until", "2022-13-45", "--01-10", "XXXX", "00:00",
              "Q4", "1990s", "24:61", "29 February 2023", "BC", "AD"]  # fmt: skip

normalizer_text = st.one_of(
    st.text(max_size=60),
    st.lists(
        st.sampled_from(NUMBER_WORDS + TIME_WORDS) | st.integers(-(10**30), 10**30).map(str), max_size=8
    ).map(" ".join),
    st.lists(
        st.sampled_from(NUMBER_WORDS + TIME_WORDS) | st.decimals(allow_nan=True).map(str), max_size=5
    ).map("".join),
)
references = st.one_of(
    st.none(), dates, st.sampled_from(["2022-01-07T10:24", "--01-10", "2022", "0001-01-01", "9999-12-31"])
)

Check = Callable[[Store, Path], Outcome]
