"""Which reader an input goes to: by file name, else by its first bytes; gzip unwrapping."""

from __future__ import annotations

import gzip
import io
import re
import zlib
from functools import cache
from pathlib import PurePath
from typing import Any, Literal

from parallax.errors import InputError, TooLargeInputError, TruncatedInputError
from parallax.lexicons import load as read_lexicon

__all__ = ["GZIP_MAGIC", "Format", "format_from_name", "gunzip", "peek_gunzip", "sniff", "strip_gz"]

Format = Literal["text", "html", "warc", "feed", "jsonl", "json"]
GZIP_MAGIC = b"\x1f\x8b"

_HTML_START = re.compile(
    rb"^(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|title|div|p|article)[\s>/]",
    re.IGNORECASE | re.DOTALL,
)
_FEED_ROOT = re.compile(rb"<(rss|feed|rdf:rdf)[\s>]", re.IGNORECASE)
_HTML_ROOT = re.compile(rb"<html[\s>]", re.IGNORECASE)
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


@cache
def formats_table() -> dict[str, Any]:
    """The ``ingest_formats.json`` lexicon."""
    data: dict[str, Any] = read_lexicon("ingest_formats.json")
    if not data["extensions"]:  # an empty table would send every file to content sniffing silently
        raise ValueError("ingest_formats.json: 'extensions' must not be empty")
    return data


def strip_gz(name: str) -> str:
    """The name without a trailing ``.gz`` (``x.html.gz`` -> ``x.html``)."""
    return name[:-3] if name.lower().endswith(".gz") else name


def format_from_name(name: str) -> Format | None:
    """The format a file's name promises, or None when its ending is not a known one."""
    suffix = PurePath(strip_gz(name)).suffix.lower()
    fmt: Format | None = formats_table()["extensions"].get(suffix) if suffix else None
    return fmt


def sniff(head: bytes) -> Format:
    """Guess the format from the first (decompressed) bytes of an input."""
    start = head
    for bom in _BOMS:
        if start.startswith(bom):
            start = start[len(bom) :]
            break
    if start.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(start) > 1 and start[1:2] == b"\x00"):
        start = start.decode("utf-16", "ignore").encode("utf-8")
    start = start.lstrip()
    if start.startswith(b"WARC/"):
        return "warc"
    if start.startswith((b"{", b"[")):
        return "json"
    if start.startswith(b"<?xml"):
        if _HTML_ROOT.search(start[:4096]) and not _FEED_ROOT.search(start[:4096]):
            return "html"
        return "feed"
    if _FEED_ROOT.match(start):
        return "feed"
    if _HTML_START.match(start):
        return "html"
    return "text"


def peek_gunzip(raw: bytes, size: int = 4096) -> bytes:
    """The first ``size`` decompressed bytes of a gzip stream, even a damaged one (for sniffing)."""
    try:
        return zlib.decompressobj(wbits=31).decompress(raw, size)
    except zlib.error:
        return b""


def gunzip(raw: bytes, source: str, max_bytes: int) -> bytes:
    """Decompress a whole gzip input, refusing more than ``max_bytes`` of output.

    Raises:
        TruncatedInputError: the stream ends before its end marker.
        TooLargeInputError: it decompresses to more than ``max_bytes``.
        InputError: it is not valid gzip data.
    """
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(raw)) as stream:
            data = stream.read(max_bytes + 1)
    except EOFError as exc:
        raise TruncatedInputError(
            "gzip data ends early (truncated download or copy?)", source=source
        ) from exc
    except (OSError, zlib.error) as exc:
        raise InputError(f"corrupt gzip data: {exc}", source=source) from exc
    if len(data) > max_bytes:
        raise TooLargeInputError(f"decompresses to more than the {max_bytes}-byte limit", source=source)
    return data
