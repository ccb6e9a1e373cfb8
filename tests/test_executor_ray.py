"""The same stages under Ray give the same output as locally (a real local ray.init())."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import EXAMPLES
from executor_cases import analyze_snapshot, assert_same, write_corpus
from parallax.executor import LocalExecutor, get_executor
from parallax.pipeline import Drop, Envelope, Pipeline
from parallax.pipeline.stages import CleanStage
from parallax.records import RawDocument, to_dict


def _documents() -> list[RawDocument]:
    docs = [
        RawDocument(source=str(p), format="text", raw=p.read_bytes(), text=p.read_text(encoding="utf-8"))
        for p in sorted(EXAMPLES.glob("*.txt"))
    ]
    docs.append(
        RawDocument(source="blank.txt", format="text", raw=b"   ", text="   ")
    )  # dropped with a reason, both ways
    return docs * 3


@pytest.mark.slow
def test_executor_ray_matches_local(tmp_path: Path) -> None:
    ray = pytest.importorskip("ray")
    docs = [Envelope(d, raw=d) for d in _documents()]
    local = list(LocalExecutor().map([CleanStage()], docs))
    corpus = write_corpus(tmp_path / "in")
    one = analyze_snapshot(tmp_path / "local.db", corpus, LocalExecutor(workers=1))
    executor = get_executor("ray", workers=2, shard_size=2, max_in_flight=3)
    try:
        pipeline = Pipeline([CleanStage()])
        remote = list(executor.map(pipeline, docs))
        # cleaning, extraction (and the re-extraction after story dates) on Ray actors
        on_ray = analyze_snapshot(tmp_path / "ray.db", corpus, executor)
    finally:
        ray.shutdown()
    assert len(remote) == len(local) == len(docs)
    for a, b, doc in zip(local, remote, docs, strict=True):
        if isinstance(a, Drop):
            assert a == b
        else:
            # the raw input stayed in the driver and is back on its envelope
            assert to_dict(a.value) == to_dict(b.value) and b.raw is doc.raw
    assert sum(isinstance(x, Drop) for x in remote) == 3
    assert pipeline.stats()["clean"]["forwarded"] == 6
    assert_same(one, on_ray)
