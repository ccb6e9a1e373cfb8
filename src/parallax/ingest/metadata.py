"""User-given metadata: the ``--meta`` sidecar file, ``--outlet``/``--published`` flags, date parsing."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from dateutil import parser as date_parser

from parallax.errors import MetadataError
from parallax.records import MetaValue, Rejection

__all__ = [
    "FIELDS",
    "DATE_FIELDS",
    "KEY_COLUMNS",
    "MetadataTable",
    "load_metadata",
    "parse_user_date",
    "user_values",
]

#: Metadata fields a user may give, per document or for the whole batch.
FIELDS: tuple[str, ...] = ("outlet", "title", "published", "updated", "url", "language", "author", "section")
DATE_FIELDS: frozenset[str] = frozenset({"published", "updated"})
#: Columns that say which document a sidecar row is about.
KEY_COLUMNS: tuple[str, ...] = ("path", "url")

_PARTIAL = re.compile(r"^(\d{4})(-(0[1-9]|1[0-2]))?$")
_SPACED_COLON = re.compile(r"\s*:\s*")
_SPACED_SEPARATOR = re.compile(r"(?<=\d)\s*([:\-/])\s*(?=\d)")
_GMT_OFFSET = re.compile(r"\(?\b(?:GMT|UTC)\s*([+-]\d{1,2}(?::\d{2})?)\)?")
_YEAR = re.compile(r"\b(?:19|20)\d{2}(?:-\d{1,2}-\d{1,2}(?:T\d{1,2}:\d{2}(?::\d{2})?)?)?\b")
_TIME_AFTER = re.compile(
    r"[,\s]*(?:at\s+)?\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?(?:\s*[+-]\d{2}:?\d{2}\b)?", re.IGNORECASE
)
# Two far-apart defaults: a part that differs between the two parses was not in the input.
_DEFAULT_A = datetime(1111, 1, 1, 0, 0, 0)
_DEFAULT_B = datetime(2222, 12, 28, 13, 37, 42, 424242)


def parse_user_date(value: str) -> str:
    """A date or date-time as ISO 8601, keeping only the precision it was given with.

    ``"2022-01-10"`` and ``"10 January 2022"`` give ``"2022-01-10"``; ``"January 2022"``
    gives ``"2022-01"``; ``"2022-01-10 14:05"`` gives ``"2022-01-10T14:05:00"`` (no zone
    invented); ``"Mon, 10 Jan 2022 14:05:00 +0300"`` keeps its offset.

    Raises:
        MetadataError: not a date, or a date without a year.
    """
    text = value.strip()
    if not text:
        raise MetadataError("empty date")
    if _PARTIAL.match(text):
        return text
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text).isoformat()
    except ValueError:
        pass
    # "7 : 35 am" (tokenised sources) must read like "7:35 am".
    return _with_named_zone(_dateutil_iso(_SPACED_COLON.sub(":", text), value, fuzzy=False), value)


#: a zone name at the end of a date-time ("16:45:00 EST", "18:48 Beijing time"), which dateutil drops
_TRAILING_ZONE = re.compile(r"\d(?:\s*[ap]\.?m\.?)?\s*\(?(?P<zone>[A-Za-z][A-Za-z ]{0,20}?)\)?\s*$", re.IGNORECASE)


def _with_named_zone(iso: str, value: str) -> str:
    """``iso`` with the offset of a zone name printed after its time, when dateutil left it without one."""
    if "T" not in iso or re.search(r"(?:[+-]\d{2}:\d{2}|Z)$", iso):
        return iso
    m = _TRAILING_ZONE.search(value.strip())
    if m is None:
        return iso
    from parallax.clean.dates import zone_offset

    return iso + zone_offset(m.group("zone"), iso[:10])


def _dateutil_iso(text: str, value: str, *, fuzzy: bool) -> str:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # unknown zone names: dateutil drops them with a warning
            first = date_parser.parse(text, default=_DEFAULT_A, fuzzy=fuzzy)
            second = date_parser.parse(text, default=_DEFAULT_B, fuzzy=fuzzy)
            # a zone offset of a day or more parses but can't be written (ValueError here)
            iso = first.isoformat()
    except (ValueError, OverflowError, ArithmeticError) as exc:
        # ArithmeticError: dateutil reads a huge number as seconds with Decimal (InvalidOperation)
        raise MetadataError(
            f"not a date: {value!r} (use ISO 8601, e.g. 2022-01-10 or 2022-01-10T14:05:00+03:00)"
        ) from exc
    if first.year != second.year:
        raise MetadataError(f"date {value!r} has no year; give the full date, e.g. 2022-01-10")
    if first.month != second.month:
        return f"{first.year:04d}"
    if first.day != second.day:
        return f"{first.year:04d}-{first.month:02d}"
    if first.hour != second.hour:
        return first.date().isoformat()
    # Parts below the hour that were not given come from _DEFAULT_A, i.e. zero.
    return iso


def parse_source_date(value: object) -> str | None:
    """A date an input carries (a JSON field, a feed), as ISO 8601; None when there is none.

    More lenient than :func:`parse_user_date`: scraped date lines such as
    ``"Updated : November 11, 2011 20 : 09 IST"`` or ``"2013 - 09 - 26 Parliament has..."``
    are cut after the year (and a time right after it) and read fuzzily. A value
    without a year gives None: never guessed.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return parse_user_date(value)
    except MetadataError:
        pass
    text = _SPACED_SEPARATOR.sub(r"\1", value)
    text = _GMT_OFFSET.sub(r" \1", text)
    year = _YEAR.search(text)
    if year is None:
        return None
    after = _TIME_AFTER.match(text, year.end())
    head = text[: after.end() if after else year.end()]
    try:
        iso = _with_named_zone(_dateutil_iso(head, value, fuzzy=True), head)
    except MetadataError:
        return None
    # A bare year read fuzzily is as likely a year mentioned in a sentence as a date.
    return iso if len(iso) > 4 else None


def _clean_value(name: str, raw: object) -> str | None:
    """A field value as a string, validated; None when blank."""
    if raw is None:
        return None
    if isinstance(raw, list):
        raw = ", ".join(str(x) for x in raw if x is not None and str(x).strip())
    text = str(raw).strip()
    if not text:
        return None
    if name in DATE_FIELDS:
        return parse_user_date(text)
    if name == "language":
        return text.lower()
    return text


def user_values(values: Mapping[str, object], *, where: str) -> dict[str, MetaValue]:
    """Validate user field values (``--outlet``, ``--published``, a sidecar row) as MetaValues.

    Raises:
        MetadataError: an unknown field or an invalid value; the message names ``where``.
    """
    out: dict[str, MetaValue] = {}
    for name, raw in values.items():
        if name not in FIELDS:
            raise MetadataError(f"unknown metadata field {name!r} (known: {', '.join(FIELDS)})", source=where)
        try:
            text = _clean_value(name, raw)
        except MetadataError as exc:
            raise MetadataError(f"{name}: {exc.reason}", source=where) from exc
        if text is not None:
            out[name] = MetaValue(text, "user-metadata")
    return out


@dataclass
class MetadataTable:
    """Per-document metadata from a sidecar file, looked up by path or URL.

    ``problems`` holds one :class:`Rejection` per row that could not be used
    (no key, a bad date, an unknown column); the caller reports them.
    """

    path: str = ""
    by_key: dict[str, dict[str, MetaValue]] = field(default_factory=dict)
    by_url: dict[str, dict[str, MetaValue]] = field(default_factory=dict)
    by_basename: dict[str, dict[str, MetaValue]] = field(default_factory=dict)
    problems: list[Rejection] = field(default_factory=list)
    _ambiguous: set[str] = field(default_factory=set, init=False, repr=False)

    def add(self, key: str, values: dict[str, MetaValue], *, is_url: bool) -> None:
        """Index one row under its key (and, for paths, its absolute path and its basename)."""
        if is_url:
            self.by_url[key] = values
            return
        base = Path(self.path).parent if self.path else Path.cwd()
        for variant in {key, os.path.normpath(key), os.path.abspath(key), os.path.normpath(base / key)}:
            self.by_key[variant] = values
        name = os.path.basename(key)
        if name in self.by_basename and self.by_basename[name] is not values:
            self._ambiguous.add(name)
        self.by_basename[name] = values

    def lookup(self, source: str, url: str | None = None) -> dict[str, MetaValue]:
        """The user's values for a document: by exact path, path from cwd, URL, then basename.

        ``source`` may be a container address (``"dump.warc.gz#3"``): the record's own
        entry wins, else the container's.
        """
        container = source.split("#", 1)[0]
        for candidate in (source, os.path.abspath(source)):
            if candidate in self.by_key:
                return self.by_key[candidate]
        if url and url in self.by_url:
            return self.by_url[url]
        if url and url in self.by_key:
            return self.by_key[url]
        for candidate in (container, os.path.abspath(container)):
            if candidate in self.by_key:
                return self.by_key[candidate]
        # A basename shared by two rows could mean either: never guess.
        for candidate in (os.path.basename(source), os.path.basename(container)):
            if candidate in self.by_basename and candidate not in self._ambiguous:
                return self.by_basename[candidate]
        return {}


def _rows(path: Path, data: str) -> list[tuple[int, dict[str, object]]]:
    """(line number, row) pairs from JSONL or CSV text; JSON syntax errors become problem rows."""
    stripped = data.lstrip("\ufeff")
    first = next((line for line in stripped.splitlines() if line.strip()), "")
    rows: list[tuple[int, dict[str, object]]] = []
    if path.suffix.lower() in {".jsonl", ".ndjson", ".json"} or first.lstrip().startswith("{"):
        for number, line in enumerate(stripped.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                rows.append((number, {"__error__": f"not valid JSON ({exc.msg} at column {exc.colno})"}))
                continue
            rows.append((number, row if isinstance(row, dict) else {"__error__": "not a JSON object"}))
        return rows
    reader = csv.DictReader(io.StringIO(stripped, newline=""))
    for row in reader:
        # csv puts surplus cells under the key None
        if None in row:
            rows.append((reader.line_num, {"__error__": "more cells than header columns"}))
            continue
        rows.append((reader.line_num, {str(k).strip().lower(): v for k, v in row.items()}))
    return rows


def load_metadata(path: str | Path) -> MetadataTable:
    """Read a sidecar metadata file (JSONL, or CSV with a header row).

    Each row has a ``path`` or ``url`` key column plus field columns among
    :data:`FIELDS`. Unusable rows go to :attr:`MetadataTable.problems`.

    Raises:
        MetadataError: the file can't be read or decoded.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise MetadataError(f"cannot read metadata file: {exc.strerror or exc}", source=str(path)) from exc
    try:
        data = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MetadataError(f"metadata file is not UTF-8 (byte {exc.start})", source=str(path)) from exc
    try:
        rows = _rows(path, data)
    except csv.Error as exc:
        raise MetadataError(f"not a readable CSV file: {exc}", source=str(path)) from exc
    table = MetadataTable(path=str(path))
    unknown_reported: set[str] = set()
    first_line: dict[str, int] = {}
    for number, row in rows:
        where = f"{path}#{number}"
        if "__error__" in row:
            table.problems.append(
                Rejection(where, MetadataError.code, f"{path} line {number}: {row['__error__']}")
            )
            continue
        unknown = sorted(
            k for k in row if k not in FIELDS and k not in KEY_COLUMNS and k not in unknown_reported
        )
        for name in unknown:
            unknown_reported.add(name)
            table.problems.append(
                Rejection(
                    where,
                    MetadataError.code,
                    f"{path} line {number}: unknown column {name!r} ignored (known: {', '.join(FIELDS)})",
                )
            )
        key_path = str(row.get("path") or "").strip()
        key_url = str(row.get("url") or "").strip()
        if not key_path and not key_url:
            table.problems.append(
                Rejection(
                    where,
                    MetadataError.code,
                    f"{path} line {number}: no 'path' or 'url' value says which document this row is about",
                )
            )
            continue
        try:
            values = user_values({k: v for k, v in row.items() if k in FIELDS}, where=where)
        except MetadataError as exc:
            table.problems.append(Rejection(where, MetadataError.code, f"{path} line {number}: {exc.reason}"))
            continue
        for key in (key_path, key_url):
            if key in first_line:
                table.problems.append(
                    Rejection(
                        where,
                        MetadataError.code,
                        f"{path} line {number}: {key!r} was already given on line {first_line[key]}; this row replaces it",
                    )
                )
            elif key:
                first_line[key] = number
        if key_path:
            table.add(key_path, values, is_url=False)
        if key_url:
            table.add(key_url, values, is_url=True)
    return table
