"""Ray executor: the same stages, sharded over a Ray cluster (``pip install 'parallax-news[ray]'``).

Items are cut into fixed-size shards; each shard runs the whole stage chain in a
Ray task; results come back in input order, so local and Ray runs give the same
output. Writing to the store stays in the driver (one writer).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from parallax.errors import missing_dependency
from parallax.executor.base import Executor
from parallax.pipeline.base import Pipeline, Stage


def _run_shard(stages: Sequence[Stage], shard: list[Any]) -> list[Any]:
    return list(Pipeline(list(stages)).run(shard))


class RayExecutor(Executor):
    name = "ray"

    def __init__(self, address: str | None = None, shard_size: int = 64, max_in_flight: int = 8) -> None:
        try:
            import ray
        except ImportError as exc:
            raise missing_dependency("ray", "ray") from exc
        self._ray = ray
        if not ray.is_initialized():
            ray.init(address=address, include_dashboard=False, log_to_driver=False, ignore_reinit_error=True)
        self.shard_size = shard_size
        self.max_in_flight = max_in_flight
        self._remote = ray.remote(_run_shard)

    def map(self, stages: Sequence[Stage], items: Iterable[Any]) -> Iterator[Any]:
        ray = self._ray
        stages_ref = ray.put(list(stages))
        it = iter(items)
        pending: list[Any] = []
        while True:
            while len(pending) < self.max_in_flight:
                shard = list(itertools.islice(it, self.shard_size))
                if not shard:
                    break
                pending.append(self._remote.remote(stages_ref, shard))
            if not pending:
                return
            # Keep input order: wait for the oldest shard, not whichever finishes first.
            head = pending.pop(0)
            yield from ray.get(head)
