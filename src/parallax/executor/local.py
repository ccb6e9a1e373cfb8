"""This machine: in process (one worker), or a pool of worker processes."""

from __future__ import annotations

import itertools
import multiprocessing
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from parallax.errors import PipelineError
from parallax.executor.base import ShardedExecutor, Stages, as_pipeline, run_shard
from parallax.pipeline.base import Pipeline, StageStats


def available_cores() -> int:
    """The cores this process may run on (the affinity mask where the OS has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


_WORKER_PIPELINE: Pipeline | None = None


def _init_worker(pipeline: Pipeline) -> None:
    # The chain (extractors, lexicons, models) is unpickled once per worker, not per shard.
    global _WORKER_PIPELINE
    _WORKER_PIPELINE = pipeline


def _worker_shard(values: list[Any]) -> tuple[list[Any], list[StageStats]]:
    assert _WORKER_PIPELINE is not None, "worker started without its pipeline"
    return run_shard(_WORKER_PIPELINE, values)


class LocalExecutor(ShardedExecutor):
    """``workers=1``: in process, streaming one item at a time through the chain.

    ``workers>1``: shards of ``shard_size`` items run in that many worker processes
    (started with ``spawn``: no inherited threads or open database handles), each
    loading the chain once. A stream shorter than ``min_parallel`` items (default:
    two shards per worker) runs in process instead: starting workers (each loads the
    spaCy model) would cost more than it saves, and the output is the same either way.
    """

    name = "local"

    def __init__(
        self,
        workers: int = 1,
        shard_size: int = 16,
        max_in_flight: int | None = None,
        min_parallel: int | None = None,
    ) -> None:
        super().__init__(shard_size, max_in_flight or 2 * max(1, workers))
        self.workers = max(1, workers)
        self.min_parallel = 2 * self.workers * self.shard_size if min_parallel is None else min_parallel
        self._pool: ProcessPoolExecutor | None = None

    def map(self, stages: Stages, items: Iterable[Any]) -> Iterator[Any]:
        pipeline = as_pipeline(stages)
        if self.workers == 1:
            yield from pipeline.run(items)
            return
        it = iter(items)
        head = list(itertools.islice(it, self.min_parallel))
        if len(head) < self.min_parallel:
            yield from pipeline.run(head)
            return
        yield from super().map(pipeline, itertools.chain(head, it))

    def _start(self, pipeline: Pipeline) -> None:
        self._pool = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(pipeline,),
        )

    def _submit(self, values: list[Any]) -> Future[tuple[list[Any], list[StageStats]]]:
        assert self._pool is not None
        return self._pool.submit(_worker_shard, values)

    def _result(
        self, handle: Future[tuple[list[Any], list[StageStats]]]
    ) -> tuple[list[Any], list[StageStats]]:
        try:
            return handle.result()
        except BrokenProcessPool as exc:
            raise PipelineError(
                "a worker process died (killed, out of memory, or a script that starts workers without "
                "`if __name__ == '__main__':`); everything stored before it is kept: "
                "rerun to resume, or use --workers 1 to stay in one process"
            ) from exc

    def _stop(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
