"""One reader per input format. Each yields RawDocuments, or Rejections for the parts it can't read."""

from __future__ import annotations

import gzip
import io
import json
import logging
import re
import time
import zlib
from collections.abc import Iterator
from typing import IO, Any, Protocol

import feedparser
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from parallax.errors import (
    EmptyInputError,
    InputError,
    NoArticleError,
    TooLargeInputError,
    UnsafeInputError,
)
from parallax.ingest.decode import decode_bytes, decode_markup, normalize_newlines, repair_text
from parallax.ingest.formats import GZIP_MAGIC, formats_table
from parallax.ingest.metadata import parse_source_date
from parallax.records import FieldSource, InputFormat, MetaValue, RawDocument, Rejection

__all__ = ["read_feed", "read_html", "read_json", "read_jsonl", "read_text", "read_warc"]

Item = RawDocument | Rejection

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Entity declarations are how XML bombs (billion laughs, external entities) get in; feeds never need them.
_ENTITY_DECL = re.compile(r"<!ENTITY", re.IGNORECASE)
_DOCTYPE_SUBSET = re.compile(r"<!DOCTYPE[^>\[]*\[", re.IGNORECASE)
_CHUNK = 1 << 16


class LineStream(Protocol):
    """What :func:`read_jsonl` needs from a stream (a file, a GzipFile, a BytesIO)."""

    def readline(self, size: int = -1, /) -> bytes: ...


def _rejection(exc: InputError, source: str) -> Rejection:
    return Rejection(source, exc.code, str(exc) if exc.source else f"{source}: {exc.reason}")


def _meta(source: FieldSource, **values: str | None) -> dict[str, MetaValue]:
    return {name: MetaValue(value, source) for name, value in values.items() if value}


# --------------------------------------------------------------------------- single documents


#: Text longer than this (characters) is refused: the limit HTML pages have (clean.html.MAX_CHARS),
#: since cleaning a text dump costs as much per character (a 30 MB dump took 1 GB of memory).
MAX_TEXT_CHARS = 20_000_000


def _check_length(text: str, source: str, what: str) -> None:
    if len(text) > MAX_TEXT_CHARS:
        raise TooLargeInputError(
            f"{what} of {len(text):,} characters is larger than {MAX_TEXT_CHARS:,}", source=source
        )


def read_text(source: str, raw: bytes) -> RawDocument:
    """A plain-text dump. Raises EmptyInputError / BinaryInputError / TooLargeInputError."""
    text, encoding = decode_bytes(raw, source)
    _check_length(text, source, "text")
    return RawDocument(source=source, format="text", raw=raw, text=text, encoding=encoding)


def read_html(source: str, raw: bytes, *, declared: str | None = None) -> RawDocument:
    """An HTML page, decoded (BOM, ``declared``, ``<meta charset>``, detection); not extracted here."""
    html, encoding = decode_markup(raw, source, declared)
    return RawDocument(source=source, format="html", raw=raw, html=html, encoding=encoding)


# --------------------------------------------------------------------------- feeds


def _check_feed_safe(source: str, raw: bytes) -> None:
    markup, _ = decode_markup(raw, source)  # decoded first: a UTF-16 feed hides "<!ENTITY" from a byte scan
    if _ENTITY_DECL.search(markup) or _DOCTYPE_SUBSET.search(markup):
        raise UnsafeInputError(
            "the feed declares XML entities or a DOCTYPE internal subset "
            "(a possible entity bomb); refused before parsing",
            source=source,
        )


def _feed_date(entry: Any, name: str) -> str | None:
    # dict.get, not entry.get: feedparser maps a missing "updated" to "published" (with a warning).
    iso = parse_source_date(dict.get(entry, name))
    if iso is not None:
        return iso
    parsed = dict.get(entry, f"{name}_parsed")
    if parsed:
        # feedparser gives the instant in UTC when the feed names a zone, and assumes UTC when it
        # names none: an offset the feed did not give is never invented
        raw = str(dict.get(entry, name) or "")
        zone = "+00:00" if _FEED_ZONE.search(raw) else ""
        return time.strftime("%Y-%m-%dT%H:%M:%S", parsed) + zone
    return None


#: a zone at the end of a feed date: an offset, "Z", or a zone name ("GMT", "EST")
_FEED_ZONE = re.compile(r"(?:[+-]\d{2}:?\d{2}|Z|\b[A-Z]{1,5})\s*$")


def read_feed(source: str, raw: bytes) -> Iterator[Item]:
    """Each RSS/Atom entry as a document (``"<source>#<entry index>"``, from 0).

    Raises:
        UnsafeInputError: entity declarations (checked before any parsing).
        NoArticleError / InputError: no entries.
    """
    _check_feed_safe(source, raw)
    # A file object, never a string: feedparser fetches strings that look like URLs.
    parsed = feedparser.parse(io.BytesIO(raw))
    if not parsed.entries:
        if parsed.get("bozo"):
            raise InputError(f"not a readable RSS/Atom feed: {parsed.get('bozo_exception')}", source=source)
        raise NoArticleError("the feed has no entries", source=source)
    feed = parsed.feed
    outlet = feed.get("title")
    language = feed.get("language")
    for index, entry in enumerate(parsed.entries):
        address = f"{source}#{index}"
        try:
            yield _feed_entry(address, entry, outlet, language)
        except InputError as exc:
            yield _rejection(exc, address)
        except (ValueError, LookupError, TypeError, RecursionError) as exc:
            # one odd entry is that entry's problem, not the feed's
            yield Rejection(
                address, "bad-record", f"{address}: could not be read ({type(exc).__name__}: {exc})"
            )


def _feed_entry(address: str, entry: Any, outlet: Any, language: Any) -> Item:
    """One feed entry as a document (HTML, or plain text when the feed says so)."""
    body = entry.get("content") or []
    part = body[0] if body else entry.get("summary_detail")
    value = part.get("value") if part else entry.get("summary")
    if not value or not str(value).strip():
        return Rejection(address, NoArticleError.code, f"{address}: the feed entry has no content or summary")
    plain = bool(part) and part.get("type") == "text/plain"
    url = entry.get("link")
    metadata = _meta(
        "feed",
        title=entry.get("title"),
        url=url,
        published=_feed_date(entry, "published"),
        updated=_feed_date(entry, "updated"),
        author=entry.get("author"),
        outlet=outlet,
        language=language,
    )
    text = str(value)
    _check_length(text, address, "feed entry")
    return RawDocument(
        source=address,
        format="feed",
        raw=text.encode("utf-8"),
        text=normalize_newlines(text) if plain else None,
        html=None if plain else text,
        encoding="utf-8",
        url=url,
        metadata=metadata,
    )


# --------------------------------------------------------------------------- JSON / JSONL


def _first(obj: dict[str, Any], names: list[str]) -> Any:
    for name in names:
        value = obj.get(name)
        if value not in (None, "", []):
            return value
    return None


def _json_document(address: str, obj: Any, fmt: InputFormat, raw: bytes) -> RawDocument:
    if not isinstance(obj, dict):
        raise InputError(
            f"expected a JSON object, found {type(obj).__name__}", source=address, code="bad-record"
        )
    fields: dict[str, list[str]] = formats_table()["json_fields"]
    text, html, title = (_first(obj, fields[name]) for name in ("text", "html", "title"))
    for name, value in (("text", text), ("html", html), ("title", title)):
        if value is not None and not isinstance(value, str):
            raise InputError(
                f"field {name!r} must be a string, not {type(value).__name__}",
                source=address,
                code="bad-record",
            )
    for name, value in (("text", text), ("html", html)):
        if value is not None:
            _check_length(value, address, f"field {name!r}")
    if not (text or "").strip() and not (html or "").strip():
        if not (title or "").strip():
            raise EmptyInputError("the record has no text, html or title", source=address)
        # One-sentence corpora (ECB+) keep the whole document in the title.
        text = title
    url = _first(obj, fields["url"])
    author = _first(obj, fields["author"])
    if isinstance(author, list):
        author = ", ".join(str(a) for a in author if a)
    plain = {name: _first(obj, fields[name]) for name in ("outlet", "language", "section")}
    metadata = _meta(
        "jsonl",
        title=title,
        url=url if isinstance(url, str) else None,
        published=parse_source_date(_first(obj, fields["published"])),
        updated=parse_source_date(_first(obj, fields["updated"])),
        author=author if isinstance(author, str) else None,
        **{k: (v if isinstance(v, str) else None) for k, v in plain.items()},
    )
    return RawDocument(
        source=address,
        format=fmt,
        raw=raw,
        text=repair_text(normalize_newlines(text)) if text else None,
        html=html or None,
        encoding="utf-8",
        url=url if isinstance(url, str) else None,
        metadata=metadata,
    )


def _json_item(address: str, payload: bytes, fmt: InputFormat) -> Item:
    try:
        obj = json.loads(payload.decode("utf-8-sig"))
        return _json_document(address, obj, fmt, payload)
    except UnicodeDecodeError as exc:
        return Rejection(address, "unreadable", f"{address}: not UTF-8 (byte {exc.start})")
    except json.JSONDecodeError as exc:
        return Rejection(
            address, "bad-record", f"{address}: not valid JSON ({exc.msg} at column {exc.colno})"
        )
    except InputError as exc:
        return _rejection(exc, address)
    except RecursionError:
        return Rejection(
            address,
            UnsafeInputError.code,
            f"{address}: JSON nested too deeply to read (a possible nesting bomb)",
        )


def read_jsonl(source: str, stream: LineStream, max_bytes: int) -> Iterator[Item]:
    """One article per line (``"<source>#<line number>"``, from 1); a bad line is rejected alone."""
    number = produced = 0
    try:
        while True:
            line = stream.readline(max_bytes + 1)
            if not line:
                if not produced:
                    yield Rejection(source, EmptyInputError.code, f"{source}: no JSON lines, only blank ones")
                return
            number += 1
            address = f"{source}#{number}"
            if len(line) > max_bytes and not line.endswith(b"\n"):
                while line and not line.endswith(b"\n"):
                    line = stream.readline(_CHUNK)
                produced += 1
                yield Rejection(
                    address,
                    TooLargeInputError.code,
                    f"{address}: line longer than the {max_bytes}-byte limit",
                )
                continue
            if line.strip():
                produced += 1
                yield _json_item(address, line, "jsonl")
    except EOFError:
        address = f"{source}#{number + 1}"
        yield Rejection(address, "truncated", f"{address}: gzip data ends early; lines from here on are lost")
    except (OSError, zlib.error) as exc:
        address = f"{source}#{number + 1}"
        yield Rejection(
            address, "unreadable", f"{address}: corrupt compressed data ({exc}); lines from here on are lost"
        )


def read_json(source: str, raw: bytes, max_bytes: int) -> Iterator[Item]:
    """A JSON file: one article object, or a list of them (``"<source>#<index>"``, from 0).

    Text that is not one JSON value but several lines of them is read as JSONL.
    """
    try:
        text = raw.decode("utf-8-sig")
        obj = json.loads(text)
    except UnicodeDecodeError as exc:
        raise InputError(f"JSON input is not UTF-8 (byte {exc.start})", source=source) from exc
    except RecursionError:
        if not text.lstrip().startswith("["):
            raise UnsafeInputError(
                "JSON nested too deeply to read (a possible nesting bomb)", source=source
            ) from None
        # a list of articles with one nesting bomb in it: reject that element, keep the others
        yield from _json_list_one_by_one(source, text)
        return
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":
            yield from read_jsonl(source, io.BytesIO(raw), max_bytes)
            return
        raise InputError(
            f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})", source=source
        ) from exc
    if isinstance(obj, list):
        if not obj:
            raise EmptyInputError("the JSON list holds no articles", source=source)
        for index, item in enumerate(obj):
            address = f"{source}#{index}"
            try:
                yield _json_document(
                    address, item, "json", json.dumps(item, ensure_ascii=False).encode("utf-8")
                )
            except InputError as exc:
                yield _rejection(exc, address)
        return
    yield _json_document(source, obj, "json", raw)


def _json_list_one_by_one(source: str, text: str) -> Iterator[Item]:
    """The elements of a JSON list decoded one at a time, so that one too deeply nested is
    rejected alone (``json.loads`` of the whole list fails on it)."""
    decoder = json.JSONDecoder()
    pos = _skip_space(text, text.index("[") + 1)
    index = 0
    while pos < len(text) and text[pos] != "]":
        address = f"{source}#{index}"
        try:
            item, end = decoder.raw_decode(text, pos)
        except RecursionError:
            end = _value_end(text, pos)
            yield Rejection(
                address,
                UnsafeInputError.code,
                f"{address}: JSON nested too deeply to read (a possible nesting bomb)",
            )
        except json.JSONDecodeError as exc:
            yield Rejection(
                address, "bad-record", f"{address}: not valid JSON ({exc.msg}); the rest of the list is lost"
            )
            return
        else:
            try:
                yield _json_document(
                    address, item, "json", json.dumps(item, ensure_ascii=False).encode("utf-8")
                )
            except InputError as exc:
                yield _rejection(exc, address)
        pos = _skip_space(text, end)
        if pos < len(text) and text[pos] == ",":
            pos = _skip_space(text, pos + 1)
        index += 1


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def _value_end(text: str, pos: int) -> int:
    """Where the JSON array or object opening at ``pos`` ends, found without recursion."""
    depth, in_string, escaped = 0, False, False
    for i in range(pos, len(text)):
        ch = text[i]
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
            if depth == 0:
                return i + 1
    return len(text)


# --------------------------------------------------------------------------- WARC


def _drain(stream: IO[bytes]) -> None:
    while stream.read(_CHUNK):
        pass


def _media_type(content_type: str | None) -> tuple[str, str | None]:
    if not content_type:
        return "", None
    parts = [p.strip() for p in content_type.split(";")]
    charset = next(
        (p.split("=", 1)[1].strip("\"' ") for p in parts[1:] if p.lower().startswith("charset=")), None
    )
    return parts[0].lower(), charset


def _gzip_intact(opener: Any, start: int = 0) -> bool:
    """Whether a gzip stream reads from ``start`` to its end marker (warcio stops quietly at a
    truncated member)."""
    try:
        with opener() as raw:
            raw.seek(start)
            with gzip.GzipFile(fileobj=raw) as stream:
                while stream.read(_CHUNK):
                    pass
    except (EOFError, OSError, zlib.error):
        return False
    return True


class _QuietArchiveIterator(ArchiveIterator):
    """warcio writes a warning about a bad Content-Length straight to stderr: a damaged record
    is reported once, as a rejection, not as noise on the user's terminal."""

    INC_RECORD = ""


# its "Replacing spaces in invalid WARC-Target-URI" warnings would print through logging's last resort
logging.getLogger("warcio").setLevel(logging.ERROR)

# warcio fails on cut headers with whatever the half-parsed record raises (AttributeError, ...).
_WARC_DAMAGE = (
    ArchiveLoadFailed,
    EOFError,
    OSError,
    zlib.error,
    ValueError,
    LookupError,
    AttributeError,
    TypeError,
)


def read_warc(source: str, opener: Any, max_bytes: int) -> Iterator[Item]:
    """Each HTML ``response`` record as a document (``"<source>#<record index>"``, from 0).

    Other records are skipped (they are not articles). A damaged stretch (a cut or corrupt
    record, garbage between records) is one rejection at the index of the record it hit;
    reading resumes at the next record header after it, so the records on either side are
    kept. Damage that runs to the end is a ``truncated`` rejection.

    Args:
        opener: a callable returning a fresh, seekable binary stream of the archive.
    """
    index = found = 0  # index: the number the next record gets
    damaged: tuple[int, int, str] | None = None  # (record index, byte offset, what) of the current damage
    with opener() as stream:
        zipped = stream.read(2) == GZIP_MAGIC
        start = end = 0
        while True:
            stream.seek(start)
            end, whole, why = start, False, "not a WARC record"
            try:
                records = _QuietArchiveIterator(stream)
                for record in records:
                    if record.rec_type is None or record.rec_headers.get_header("Content-Length") is None:
                        break  # not a WARC record header: garbage or a cut
                    item = _warc_item(f"{source}#{index}", record, max_bytes)
                    if getattr(record.raw_stream, "limit", 0):
                        why = "the record ends before its Content-Length"
                        break
                    if damaged is not None:
                        yield _damage(source, damaged, start)
                        damaged = None
                    end = start + records.get_record_offset() + records.get_record_length()
                    index += 1
                    if item is not None:
                        found += 1
                        yield item
                else:
                    # warcio ends quietly at a cut record header or a cut gzip member: look for leftovers
                    whole = _gzip_intact(opener, start) if zipped else not _leftover(stream, end)
                    why = "a cut record or bytes after the last record"
            except _WARC_DAMAGE as exc:
                why = f"{type(exc).__name__}: {exc}"
            if whole:
                if damaged is not None:
                    yield _damage(source, damaged, None)
                elif not index:
                    yield Rejection(source, EmptyInputError.code, f"{source}: the archive holds no records")
                elif not found:
                    yield Rejection(
                        source,
                        NoArticleError.code,
                        f"{source}: no HTML response records among its {index} record(s)",
                    )
                return
            if damaged is None:
                damaged = (index, end, why)
                index += 1
            resume = _next_record(stream, end + 1, zipped)
            if resume is None:
                yield _damage(source, damaged, None)
                return
            start = resume


def _damage(source: str, damaged: tuple[int, int, str], resumed_at: int | None) -> Rejection:
    index, offset, why = damaged
    address = f"{source}#{index}"
    if resumed_at is None:
        return Rejection(
            address,
            "truncated",
            f"{address}: the archive is truncated or corrupt from record {index} on ({why})",
        )
    return Rejection(
        address,
        "damaged",
        f"{address}: a damaged stretch of {resumed_at - offset:,} bytes from byte {offset:,} ({why}); "
        "skipped, the records after it were read",
    )


_WARC_MARK = re.compile(rb"(?:^|\n)WARC/1\.[01]\r?\n")


def _next_record(stream: IO[bytes], after: int, zipped: bool) -> int | None:
    """The offset of the first record header (a gzip member that opens with one, when zipped)
    at or after ``after``; None when there is none."""
    overlap = 16
    position = after
    while True:
        stream.seek(position)
        chunk = stream.read(1 << 20)
        if not chunk:
            return None
        if zipped:
            at = chunk.find(GZIP_MAGIC + b"\x08")
            while at != -1:
                if _opens_record(stream, position + at):
                    return position + at
                at = chunk.find(GZIP_MAGIC + b"\x08", at + 1)
        else:
            for match in _WARC_MARK.finditer(chunk):
                at = match.start() + (1 if chunk[match.start() : match.start() + 1] == b"\n" else 0)
                if position + at >= after and (at > 0 or position == 0 or _after_newline(stream, position)):
                    return position + at
        if len(chunk) <= overlap:
            return None
        position += len(chunk) - overlap


def _after_newline(stream: IO[bytes], position: int) -> bool:
    stream.seek(position - 1)
    return stream.read(1) == b"\n"


def _opens_record(stream: IO[bytes], offset: int) -> bool:
    stream.seek(offset)
    try:
        head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(stream.read(1 << 12), 16)
    except zlib.error:
        return False
    return head.startswith(b"WARC/1.")


def _leftover(stream: IO[bytes], end: int) -> bool:
    """Whether anything but blank lines follows the last complete record."""
    stream.seek(end)
    while chunk := stream.read(_CHUNK):
        if chunk.strip():
            return True
    return False


def _warc_item(address: str, record: Any, max_bytes: int) -> Item | None:
    """The record as a document, a rejection, or None for records that are not articles."""
    raw_stream = record.raw_stream
    http = record.http_headers
    media, charset = _media_type(http.get_header("Content-Type") if http else None)
    if record.rec_type != "response" or media not in _HTML_TYPES:
        _drain(raw_stream)
        return None
    body = record.content_stream().read(max_bytes + 1)
    _drain(raw_stream)
    url = record.rec_headers.get_header("WARC-Target-URI")
    try:
        return _warc_document(address, record, body, url, charset, max_bytes)
    except (ValueError, LookupError, TypeError, RecursionError) as exc:
        # the record was read whole: what went wrong is this record's, the archive goes on
        return Rejection(address, "bad-record", f"{address}: could not be read ({type(exc).__name__}: {exc})")


def _warc_document(
    address: str, record: Any, body: bytes, url: str | None, charset: str | None, max_bytes: int
) -> Item:
    if len(body) > max_bytes:
        return Rejection(
            address, TooLargeInputError.code, f"{address}: record payload over the {max_bytes}-byte limit"
        )
    status = record.http_headers.get_statuscode()
    if not status.startswith("2"):
        return Rejection(
            address, "http-status", f"{address}: HTTP {status} response for {url}, not an article"
        )
    try:
        html, encoding = decode_markup(body, address, charset)
    except InputError as exc:
        return _rejection(exc, address)
    fetched = parse_source_date(record.rec_headers.get_header("WARC-Date"))
    return RawDocument(
        source=address,
        format="warc",
        raw=body,
        html=html,
        encoding=encoding,
        url=url,
        metadata=_meta("warc", url=url, fetched=fetched),
    )
