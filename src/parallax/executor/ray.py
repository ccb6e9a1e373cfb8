"""Ray executor: the same stages, sharded over a Ray cluster (``pip install 'parallax-news[ray]'``).

One actor per worker holds the chain (extractors and the spaCy model load once
per actor, not per shard); shards of items go to the actors in turn and results
come back in input order, so local and Ray runs give the same output. Writing to
the store stays in the driver (one writer), so a cluster writes through the same
store, SQLite or PostgreSQL, as a local run.
"""

from __future__ import annotations

from typing import Any

from parallax.errors import missing_dependency
from parallax.executor.base import ShardedExecutor, run_shard
from parallax.pipeline.base import Pipeline, StageStats


class _ShardRunner:
    """The body of a Ray actor: one chain, many shards."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline

    def run(self, values: list[Any]) -> tuple[list[Any], list[StageStats]]:
        return run_shard(self.pipeline, values)


class RayExecutor(ShardedExecutor):
    """``address``: None starts (or joins) a local Ray; ``"auto"`` or ``"ray://host:10001"`` a cluster.

    ``workers``: actors to start (each takes one CPU); None = the cluster's CPUs.
    """

    name = "ray"

    def __init__(
        self,
        address: str | None = None,
        workers: int | None = None,
        shard_size: int = 16,
        max_in_flight: int | None = None,
    ) -> None:
        try:
            import ray
        except ImportError as exc:
            raise missing_dependency("ray", "ray") from exc
        self._ray = ray
        if not ray.is_initialized():
            ray.init(address=address, include_dashboard=False, log_to_driver=False, ignore_reinit_error=True)
        self.workers = max(1, workers or int(ray.cluster_resources().get("CPU", 1)))
        super().__init__(shard_size, max_in_flight or 2 * self.workers)
        self._actor_cls = ray.remote(num_cpus=1)(_ShardRunner)
        self._actors: list[Any] = []
        self._next = 0

    def _start(self, pipeline: Pipeline) -> None:
        ref = self._ray.put(pipeline)
        self._actors = [self._actor_cls.remote(ref) for _ in range(self.workers)]
        self._next = 0

    def _submit(self, values: list[Any]) -> Any:
        # Round robin: shards are the same size, and waiting for the oldest keeps
        # at most max_in_flight / workers queued at each actor.
        actor = self._actors[self._next % len(self._actors)]
        self._next += 1
        return actor.run.remote(values)

    def _result(self, handle: Any) -> tuple[list[Any], list[StageStats]]:
        outputs, stats = self._ray.get(handle)
        return list(outputs), list(stats)

    def _stop(self) -> None:
        for actor in self._actors:
            self._ray.kill(actor)
        self._actors = []
