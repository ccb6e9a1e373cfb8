"""Ingest: turn input paths into RawDocuments (or Rejections saying why not).

``read_inputs`` expands paths (files, folders, globs, ``-`` for stdin), picks a
reader per input (by name, else by content; ``.gz`` is unwrapped transparently)
and attaches user metadata. Size limits apply per document: a whole file for
text, HTML, feeds and JSON; a record for WARC; a line for JSONL, so that big
archives and dumps stream.
"""

from __future__ import annotations

import dataclasses
import errno
import functools
import glob
import gzip
import io
import os
import sys
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from parallax.errors import InputError, TooLargeInputError
from parallax.ingest.decode import decode_bytes, decode_markup
from parallax.ingest.formats import GZIP_MAGIC, Format, format_from_name, gunzip, peek_gunzip, sniff
from parallax.ingest.metadata import (
    FIELDS,
    MetadataTable,
    load_metadata,
    parse_source_date,
    parse_user_date,
    user_values,
)
from parallax.ingest.readers import (
    Item,
    LineStream,
    read_feed,
    read_html,
    read_json,
    read_jsonl,
    read_text,
    read_warc,
)
from parallax.records import MetaValue, RawDocument, Rejection

__all__ = [
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

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
#: The source name of a document read from standard input.
STDIN = "<stdin>"

_GLOB_CHARS = frozenset("*?[")
_HEAD = 1 << 16


@dataclass(frozen=True, slots=True)
class _Input:
    source: str
    path: Path | None  # None: standard input
    in_folder: bool = False


def read_inputs(
    paths: Sequence[str | os.PathLike[str]],
    *,
    meta: MetadataTable | None = None,
    overrides: Mapping[str, str] | None = None,
    stdin: BinaryIO | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[RawDocument | Rejection]:
    """Read every document the paths hold.

    Args:
        paths: files, folders (read recursively, hidden entries skipped), glob
            patterns, or ``"-"`` for standard input.
        meta: per-document user metadata (:func:`load_metadata`).
        overrides: user values for every document (``{"outlet": ..., "published": ...}``);
            they win over ``meta``, which wins over what the input itself says.
        stdin: the stream ``"-"`` reads (default: ``sys.stdin.buffer``).
        max_bytes: the size limit per document.

    Yields:
        A RawDocument per document, a Rejection per input (or part of one) that
        can't be read. Bad inputs never raise.

    Raises:
        MetadataError: an unknown field or invalid value in ``overrides`` (at call time).
        ValueError: ``max_bytes`` is not positive.
    """
    if max_bytes <= 0:
        raise ValueError(f"max_bytes must be positive, got {max_bytes}")
    fixed = user_values(dict(overrides or {}), where="command-line metadata")
    skip = {Path(meta.path).resolve()} if meta is not None and meta.path else set()
    return _read_all(list(paths), meta, fixed, stdin, max_bytes, skip)


_CONTAINER_SUFFIXES = (
    ".warc",
    ".warc.gz",
    ".jsonl",
    ".jsonl.gz",
    ".json",
    ".json.gz",
    ".xml",
    ".rss",
    ".atom",
)


def count_documents(paths: Sequence[str | os.PathLike[str]]) -> int | None:
    """How many documents ``paths`` will yield, when that is known without reading them:
    one per file. None when an input is standard input or a container (WARC, feed,
    JSONL), whose document count only reading tells."""
    count = 0
    for item in _expand(list(paths), set()):
        if isinstance(item, Rejection):
            count += 1
            continue
        if item.path is None or item.source.lower().endswith(_CONTAINER_SUFFIXES):
            return None
        count += 1
    return count


def _read_all(
    paths: list[str | os.PathLike[str]],
    meta: MetadataTable | None,
    fixed: dict[str, MetaValue],
    stdin: BinaryIO | None,
    max_bytes: int,
    skip: set[Path],
) -> Iterator[RawDocument | Rejection]:
    for item in _expand(paths, skip):
        if isinstance(item, Rejection):
            yield item
            continue
        for result in _read_one(item, stdin, max_bytes):
            yield result if isinstance(result, Rejection) else _attach(result, meta, fixed)


def _attach(doc: RawDocument, meta: MetadataTable | None, fixed: dict[str, MetaValue]) -> RawDocument:
    user = dict(meta.lookup(doc.source, doc.url)) if meta is not None else {}
    user.update(fixed)
    if not user:
        return doc
    url = doc.url or (user["url"].value if "url" in user else None)
    return dataclasses.replace(doc, metadata={**doc.metadata, **user}, url=url)


# --------------------------------------------------------------------------- paths


def _hidden(name: str) -> bool:
    return name.startswith(".") and name not in {".", ".."}


def _loop(path: Path) -> Rejection:
    return Rejection(
        str(path), "symlink-loop", f"{path}: a symbolic link that leads back to itself (a loop); skipped"
    )


def _expand(paths: list[str | os.PathLike[str]], skip: set[Path]) -> Iterator[_Input | Rejection]:
    seen: set[Path | None] = set()

    def once(path: Path | None) -> bool:
        key = path.resolve() if path is not None else None
        if key in seen or (key is not None and key in skip):
            return False
        seen.add(key)
        return True

    def entries(path: Path, source: str, in_folder: bool) -> Iterator[_Input | Rejection]:
        try:
            if path.is_symlink():
                path.resolve(strict=True)
            fresh = once(path)
        except (RuntimeError, OSError) as exc:
            # resolve() says "loop" with RuntimeError before Python 3.13, with ELOOP after
            if isinstance(exc, RuntimeError) or exc.errno == errno.ELOOP:
                yield _loop(path)
                return
            fresh = True  # a dangling link, a folder we may not search: reading it says why
        if fresh:
            yield _Input(source, path, in_folder=in_folder)

    def folder(path: Path) -> Iterator[_Input | Rejection]:
        for found in _walk(path):
            if isinstance(found, Rejection):
                yield found
            else:
                yield from entries(found, str(found), True)

    for named in paths:
        given = os.fspath(named)
        if given == "-":
            if once(None):
                yield _Input(STDIN, None)
            continue
        path = Path(given)
        if path.is_dir():
            yield from folder(path)
        elif path.exists() or path.is_symlink():
            yield from entries(path, given, False)
        elif _GLOB_CHARS & set(given):
            matches = sorted(glob.glob(given, recursive=True))
            if not matches:
                yield Rejection(given, "not-found", f"{given}: no file matches this pattern")
            for match in matches:
                found_path = Path(match)
                if found_path.is_dir():
                    yield from folder(found_path)
                else:
                    yield from entries(found_path, match, False)
        else:
            yield Rejection(given, "not-found", f"{given}: no such file or directory")


def _walk(folder: Path) -> Iterator[Path | Rejection]:
    """Every file under ``folder``, and a rejection for each folder that can't be listed."""
    problems: list[OSError] = []
    # os.walk skips what it can't list unless told: a folder without read permission
    # would vanish from the batch without a word
    for root, dirs, files in os.walk(folder, onerror=problems.append):
        while problems:
            yield _unlistable(problems.pop(0), folder)
        dirs[:] = sorted(d for d in dirs if not _hidden(d))
        for name in sorted(files):
            if not _hidden(name):
                yield Path(root) / name
    while problems:
        yield _unlistable(problems.pop(0), folder)


def _unlistable(exc: OSError, folder: Path) -> Rejection:
    where = os.fspath(exc.filename) if exc.filename is not None else str(folder)
    return Rejection(
        str(where),
        "unreadable",
        f"{where}: cannot list this folder: {exc.strerror or exc}; its files were not read",
    )


# --------------------------------------------------------------------------- one input


def _read_one(item: _Input, stdin: BinaryIO | None, max_bytes: int) -> Iterator[Item]:
    try:
        if item.path is None:
            yield from _read_stream(item.source, stdin or sys.stdin.buffer, max_bytes)
        else:
            yield from _read_file(item, max_bytes)
    except InputError as exc:
        yield Rejection(item.source, exc.code, str(exc) if exc.source else f"{item.source}: {exc.reason}")
    except OSError as exc:
        yield Rejection(item.source, "unreadable", f"{item.source}: cannot read: {exc.strerror or exc}")
    except (ValueError, LookupError, RecursionError, EOFError, zlib.error) as exc:
        # What parsing libraries raise on malformed data: one bad input must not end the batch.
        yield Rejection(
            item.source, "unreadable", f"{item.source}: could not be read ({type(exc).__name__}: {exc})"
        )


def _format(name: str, head: bytes, in_folder: bool, source: str) -> Format:
    by_name = format_from_name(name)
    if by_name is not None:
        return by_name
    has_suffix = "." in Path(name.removesuffix(".gz")).name
    if in_folder and has_suffix:
        raise InputError(
            "not a known input format (by its file name ending); skipped", source=source, code="unsupported"
        )
    return sniff(head)


def _read_file(item: _Input, max_bytes: int) -> Iterator[Item]:
    path = item.path
    assert path is not None  # _read_one sends stdin elsewhere
    with open(path, "rb") as handle:
        head = handle.read(_HEAD)
    zipped = head.startswith(GZIP_MAGIC)
    fmt = _format(path.name, peek_gunzip(head) if zipped else head, item.in_folder, item.source)
    if fmt == "warc":
        yield from read_warc(item.source, functools.partial(open, path, "rb"), max_bytes)
        return
    if fmt == "jsonl":
        with open(path, "rb") as handle:
            stream: LineStream = gzip.GzipFile(fileobj=handle) if zipped else handle
            yield from read_jsonl(item.source, stream, max_bytes)
        return
    size = path.stat().st_size
    if size > max_bytes:
        raise TooLargeInputError(f"{size} bytes, over the {max_bytes}-byte limit", source=item.source)
    with open(path, "rb") as handle:
        raw = handle.read(max_bytes + 1)
    if len(raw) > max_bytes:  # grew while we looked
        raise TooLargeInputError(f"over the {max_bytes}-byte limit", source=item.source)
    yield from _dispatch(item.source, fmt, gunzip(raw, item.source, max_bytes) if zipped else raw, max_bytes)


def _read_stream(source: str, stream: BinaryIO, max_bytes: int) -> Iterator[Item]:
    raw = stream.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise TooLargeInputError(f"more than the {max_bytes}-byte limit on standard input", source=source)
    zipped = raw.startswith(GZIP_MAGIC)
    fmt = sniff(peek_gunzip(raw[:_HEAD]) if zipped else raw[:_HEAD])
    if fmt == "warc":
        yield from read_warc(source, lambda: io.BytesIO(raw), max_bytes)
        return
    yield from _dispatch(source, fmt, gunzip(raw, source, max_bytes) if zipped else raw, max_bytes)


def _dispatch(source: str, fmt: Format, raw: bytes, max_bytes: int) -> Iterator[Item]:
    if fmt == "text":
        yield read_text(source, raw)
    elif fmt == "html":
        yield read_html(source, raw)
    elif fmt == "feed":
        yield from read_feed(source, raw)
    elif fmt == "json":
        yield from read_json(source, raw, max_bytes)
    elif fmt == "jsonl":
        yield from read_jsonl(source, io.BytesIO(raw), max_bytes)
    else:
        yield from read_warc(source, lambda: io.BytesIO(raw), max_bytes)
