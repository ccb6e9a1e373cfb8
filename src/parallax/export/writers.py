"""Export writers, registered by format name."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from parallax.errors import ConfigError
from parallax.export.schema import build_export, iter_articles, table_rows

if TYPE_CHECKING:
    from parallax.store import Store

Writer = Callable[["Store", IO[bytes], str], None]


def _json(store: Store, out: IO[bytes], table: str) -> None:
    data = build_export(store)
    out.write(json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8"))
    out.write(b"\n")


def _jsonl(store: Store, out: IO[bytes], table: str) -> None:
    rows: Iterable[dict[str, Any]] = iter_articles(store) if table == "articles" else table_rows(store, table)
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False).encode("utf-8"))
        out.write(b"\n")


def _csv(store: Store, out: IO[bytes], table: str) -> None:
    rows = list(table_rows(store, table))
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    fields: list[str] = []
    for row in rows:
        fields.extend(k for k in row if k not in fields)
    writer = csv.DictWriter(text, fieldnames=fields or ["id"])
    writer.writeheader()
    writer.writerows(rows)
    text.flush()
    text.detach()


def _parquet(store: Store, out: IO[bytes], table: str) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = list(table_rows(store, table))
    fields: list[str] = []
    for row in rows:
        fields.extend(k for k in row if k not in fields)
    columns = {f: [_cell(r.get(f)) for r in rows] for f in fields}
    pq.write_table(pa.table(columns) if rows else pa.table({"id": pa.array([], pa.string())}), out)


def _cell(value: Any) -> Any:
    # Parquet columns need one type: keep numbers and bools, stringify the rest.
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)


WRITERS: dict[str, Writer] = {"json": _json, "jsonl": _jsonl, "csv": _csv, "parquet": _parquet}


def write_export(store: Store, fmt: str, out: str | Path | None = None, table: str = "articles") -> None:
    """Write the export in ``fmt`` to ``out`` (a path; None or "-" = standard output)."""
    writer = WRITERS.get(fmt)
    if writer is None:
        raise ConfigError(f"unknown export format '{fmt}'. Available: {', '.join(sorted(WRITERS))}")
    if out is None or str(out) == "-":
        if fmt == "parquet":
            raise ConfigError("parquet is binary: give --out FILE")
        writer(store, sys.stdout.buffer, table)
        sys.stdout.buffer.flush()
        return
    path = Path(out)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as fh:
        writer(store, fh, table)
    tmp.replace(path)  # atomic: an interrupted export never leaves half a file
