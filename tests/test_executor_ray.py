"""The same stages under Ray give the same output as locally (a real local ray.init())."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import EXAMPLES
from parallax.executor import LocalExecutor, get_executor
from parallax.pipeline import Drop
from parallax.pipeline.stages import CleanStage
from parallax.records import RawDocument, to_dict


def _documents(tmp_path: Path) -> list[RawDocument]:
    docs = [RawDocument(source=str(p), format="text", raw=p.read_bytes(), text=p.read_text(encoding="utf-8")) for p in sorted(EXAMPLES.glob("*.txt"))]
    docs.append(RawDocument(source="blank.txt", format="text", raw=b"   ", text="   "))  # dropped with a reason, both ways
    return docs * 3


@pytest.mark.slow
def test_executor_ray_matches_local(tmp_path: Path) -> None:
    ray = pytest.importorskip("ray")
    docs = _documents(tmp_path)
    local = list(LocalExecutor().map([CleanStage()], docs))
    executor = get_executor("ray", shard_size=2, max_in_flight=2)
    try:
        remote = list(executor.map([CleanStage()], docs))
    finally:
        ray.shutdown()
    assert len(remote) == len(local) == len(docs)
    for a, b in zip(local, remote, strict=True):
        if isinstance(a, Drop):
            assert a == b
        else:
            assert to_dict(a[1]) == to_dict(b[1])
    assert sum(isinstance(x, Drop) for x in remote) == 3
