"""Crash safety, resume and migrations; on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

import parallax
from parallax.errors import StoreError
from parallax.store import Store, migrate, open_store, search
from parallax.store.schema import article_sources, articles, blobs, metadata, minhash_bands
from storage_backends import body_text, make_doc, store_fixture, store_url_fixture  # noqa: F401

TESTS = Path(__file__).resolve().parent


def _table_counts(store: Store) -> dict[str, int]:
    with store._read() as conn:
        return {
            t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
            for t in (articles, article_sources, blobs, minhash_bands)
        }


@pytest.mark.parametrize("error", [RuntimeError("disk on fire"), KeyboardInterrupt()])
def test_store_failure_inside_add_article_rolls_back(
    store: Store, monkeypatch: pytest.MonkeyPatch, error: BaseException
) -> None:
    kept_raw, kept = make_doc("in/kept.txt", body_text(200))
    store.add_article(kept_raw, kept)
    before = _table_counts(store)
    raw, article = make_doc("in/a.txt", body_text(201))
    original = Store._link_source

    def link_then_fail(self: Store, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)  # type: ignore[arg-type]
        raise error

    monkeypatch.setattr(Store, "_link_source", link_then_fail)
    with pytest.raises(type(error)):
        store.add_article(raw, article)
    monkeypatch.undo()
    assert _table_counts(store) == before
    assert not store.has_source("in/a.txt")
    assert store.add_article(raw, article).status == "stored"
    assert store.add_article(raw, article).status == "exists"
    assert store.count_articles() == 2


_WRITER = textwrap.dedent(
    """
    import sys, time
    from storage_backends import body_text, make_doc
    from parallax.store import Store, open_store

    url, complete = sys.argv[1], int(sys.argv[2])
    store = open_store(url)
    original = Store._link_source
    done = 0

    def link_and_hang(self, *args, **kwargs):
        original(self, *args, **kwargs)
        if done >= complete:
            # partial work is written inside the open transaction: the parent kills us here
            print("inside", flush=True)
            time.sleep(120)

    Store._link_source = link_and_hang
    for i in range(complete + 5):
        raw, article = make_doc(f"in/{i}.txt", body_text(300 + i))
        store.add_article(raw, article)
        done += 1
        print("stored", i, flush=True)
    """
)


@pytest.mark.parametrize("complete", [7])
def test_store_resume_after_killed_writer(store_url: str, complete: int) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(parallax.__file__).parents[1]), str(TESTS)])}
    proc = subprocess.Popen(
        [sys.executable, "-c", _WRITER, store_url, str(complete)], stdout=subprocess.PIPE, text=True, env=env
    )
    assert proc.stdout is not None
    lines = []
    for line in proc.stdout:
        lines.append(line.strip())
        if line.startswith("inside"):
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=30)
    assert lines[-1] == "inside", lines
    assert proc.returncode == -signal.SIGKILL

    with open_store(store_url) as store:
        assert store.count_articles() == complete
        counts = _table_counts(store)
        assert counts["article_sources"] == counts["blobs"] == complete
        for i in range(complete + 5):
            raw, article = make_doc(f"in/{i}.txt", body_text(300 + i))
            assert store.has_source(raw.source) == (i < complete)
            expected = "exists" if i < complete else "stored"
            assert store.add_article(raw, article).status == expected
        assert store.count_articles() == complete + 5


def _migration_diff(store: Store) -> list[object]:
    with store._engine.connect() as conn:
        return list(compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True, "include_name": search.include_name}), metadata))


@pytest.mark.parametrize("head", [migrate.head_revision()])
def test_store_migrations_upgrade_from_empty(store_url: str, head: str | None) -> None:
    with open_store(store_url) as store:
        with store._read() as conn:
            assert migrate.current_revision(conn) == head
        # the migrations build exactly the tables schema.py describes
        assert _migration_diff(store) == []
        with store._write() as conn:
            migrate.downgrade(conn, "base")
        with store._read() as conn:
            assert set(sa.inspect(conn).get_table_names()) <= {"alembic_version"}
    with open_store(store_url) as store:
        assert store.count_articles() == 0
        raw, article = make_doc("in/a.txt", body_text(400))
        assert store.add_article(raw, article).status == "stored"
    # reopening a current store runs no migration and keeps the data
    with open_store(store_url) as store:
        assert store.count_articles() == 1


@pytest.mark.parametrize("future", ["9999_from_a_newer_parallax"])
def test_store_refuses_unknown_newer_schema(store_url: str, future: str) -> None:
    with open_store(store_url) as store, store._write() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = :v"), {"v": future})
    with pytest.raises(StoreError, match=f"schema revision {future}.*upgrade Parallax"):
        open_store(store_url)


@pytest.mark.parametrize("pragma", [("journal_mode", "wal"), ("foreign_keys", 1), ("busy_timeout", 30000)])
def test_store_sqlite_connection_settings(tmp_path: Path, pragma: tuple[str, object]) -> None:
    with open_store(tmp_path / "p.db") as opened, opened._read() as conn:
        assert conn.exec_driver_sql(f"PRAGMA {pragma[0]}").scalar() == pragma[1]


@pytest.mark.parametrize(("writers", "docs"), [(4, 12)])
def test_store_concurrent_writers_store_each_document_once(store_url: str, writers: int, docs: int) -> None:
    import random
    import threading

    statuses: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(writers)

    def write(seed: int) -> None:
        order = list(range(docs))
        random.Random(seed).shuffle(order)
        try:
            start.wait()
            # every writer opens the fresh store at once: the migration must run exactly once
            with open_store(store_url) as store:
                for i in order:
                    raw, article = make_doc(f"in/{i}.txt", body_text(500 + i))
                    status = store.add_article(raw, article).status
                    with lock:
                        statuses.append(status)
        except BaseException as exc:
            with lock:
                errors.append(exc)

    threads = [threading.Thread(target=write, args=(seed,)) for seed in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert sorted(statuses) == sorted(["stored"] * docs + ["exists"] * docs * (writers - 1))
    with open_store(store_url) as store:
        assert store.count_articles() == docs
