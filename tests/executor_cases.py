"""A small corpus and a comparison for the executor differential tests (local workers, Ray).

Ten distinct documents built from the two seeds (each cut short by a different
number of trailing lines, so every text and id differs), one exact duplicate and
one blank document that must be rejected the same way by every executor.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conftest import EXAMPLES
from parallax import service
from parallax.executor.base import Executor
from parallax.records import to_dict
from parallax.store import open_store


def write_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for seed in sorted(EXAMPLES.glob("*.txt")):
        lines = seed.read_text(encoding="utf-8").splitlines()
        for cut in range(5):
            kept = lines[: len(lines) - 2 * cut] if cut else lines
            (folder / f"{seed.stem}_{cut}.txt").write_text("\n".join(kept) + "\n", encoding="utf-8")
    (folder / "zz_copy.txt").write_bytes(
        (folder / f"{sorted(EXAMPLES.glob('*.txt'))[0].stem}_0.txt").read_bytes()
    )
    (folder / "zz_blank.txt").write_text("   \n", encoding="utf-8")
    return folder


def analyze_snapshot(db: Path, corpus: Path, executor: Executor) -> dict[str, Any]:
    """Everything analyze stores, as plain data: articles, facts, stories, rejections, counts."""
    store = open_store(str(db))
    try:
        result = service.analyze(store, [str(corpus)], executor=executor)
        articles = store.articles()
        snapshot = {
            "articles": [to_dict(a) for a in articles],
            "facts": [to_dict(store.get_facts(a.id)) for a in articles],
            "stories": [to_dict(s) for s in store.stories()],
            "rejections": sorted((r.source.rsplit("/", 1)[-1], r.reason) for r in store.rejections()),
            "ingest": result.ingest.as_dict(),
            "extract": result.extract.as_dict(),
            "completed": result.completed_fields,
        }
    finally:
        store.close()
    # one comparable form: tuples and lists alike, keys sorted
    return json.loads(json.dumps(snapshot, sort_keys=True, default=str))


def assert_same(a: dict[str, Any], b: dict[str, Any]) -> None:
    for key in a:
        assert a[key] == b[key], f"'{key}' differs between executors"
