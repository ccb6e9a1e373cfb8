"""Ingest (read, clean, deduplicate, store) into SQLite and into PostgreSQL, same corpus, same run.

    PARALLAX_TEST_PG_URL=postgresql://... .venv/bin/python bench/bench_ingest.py [--n 1000] [--rounds 2]

Builds a JSONL corpus from the development data and ingests it into a fresh SQLite
file and a fresh PostgreSQL schema, alternating (SQLite, PostgreSQL, SQLite, ...)
so machine load falls on both alike; prints articles/s of each (best round) and
the ratio. Cleaning runs in this process (``--workers 1``) so the ratio is about
the write path, not the cores. The URL comes from ``--pg-url`` or ``PARALLAX_TEST_PG_URL``
(``scripts/start-postgres`` prints one).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import corpus, write_jsonl
from parallax import service
from parallax.executor import LocalExecutor
from parallax.store import open_store, resolve_url


def _ingest(url: str, src: Path) -> tuple[float, int]:
    store = open_store(url)
    try:
        t0 = time.perf_counter()
        summary = service.ingest(store, [str(src)], executor=LocalExecutor(workers=1))
        return time.perf_counter() - t0, summary.stored + summary.near_duplicates + summary.duplicates
    finally:
        store.close()


def _pg_round(base: str, src: Path) -> tuple[float, int]:
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(resolve_url(base), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        url = resolve_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        return _ingest(url.render_as_string(hide_password=False), src)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--pg-url", default=os.environ.get("PARALLAX_TEST_PG_URL"))
    args = ap.parse_args(argv)
    if not args.pg_url:
        raise SystemExit(
            "no PostgreSQL: pass --pg-url or set PARALLAX_TEST_PG_URL (scripts/start-postgres prints one)"
        )
    rows = corpus(args.n)
    sqlite_s: list[float] = []
    pg_s: list[float] = []
    load0 = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        src = write_jsonl(rows, Path(tmp) / "corpus.jsonl")
        for r in range(args.rounds):
            seconds, n_sqlite = _ingest(f"sqlite:///{Path(tmp) / f'r{r}.db'}", src)
            sqlite_s.append(seconds)
            print(f"round {r + 1}: SQLite {n_sqlite / seconds:7.1f} articles/s ({seconds:.1f} s)", flush=True)
            seconds, n_pg = _pg_round(args.pg_url, src)
            pg_s.append(seconds)
            print(f"round {r + 1}: PostgreSQL {n_pg / seconds:7.1f} articles/s ({seconds:.1f} s)", flush=True)
    load1 = os.getloadavg()
    best_sqlite, best_pg = n_sqlite / min(sqlite_s), n_pg / min(pg_s)
    print(f"machine: {platform.machine()} {os.cpu_count()} cores, python {platform.python_version()}")
    print(f"load average (1 min) before {load0[0]:.1f}, after {load1[0]:.1f}")
    print(f"input rows: {len(rows)}; articles stored per run: SQLite {n_sqlite}, PostgreSQL {n_pg}")
    print(f"SQLite     (best of {args.rounds}): {best_sqlite:7.1f} articles/s")
    print(f"PostgreSQL (best of {args.rounds}): {best_pg:7.1f} articles/s")
    print(f"ratio (SQLite / PostgreSQL time): {best_sqlite / best_pg:.2f}x (target <= 1.5)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
