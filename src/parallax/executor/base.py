"""What every executor shares: the chain is checked before it runs, and outputs come in input order."""

from __future__ import annotations

import itertools
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from parallax.pipeline.base import Drop, Envelope, Pipeline, Stage, StageStats

Stages = Pipeline | Sequence[Stage]


def as_pipeline(stages: Stages) -> Pipeline:
    """A Pipeline as given, or the stages checked as one (inputs: documents as read)."""
    return stages if isinstance(stages, Pipeline) else Pipeline(stages)


class Executor(ABC):
    """Runs a pipeline over a stream of items, yielding one output (or Drop) per item, in input order."""

    name: str = "executor"

    @abstractmethod
    def map(self, stages: Stages, items: Iterable[Any]) -> Iterator[Any]: ...


def run_shard(pipeline: Pipeline, values: list[Any]) -> tuple[list[Any], list[StageStats]]:
    """What a worker does with one shard: run the chain, send back outputs and counts."""
    return list(pipeline.run(values)), pipeline.take_stats()


class ShardedExecutor(Executor):
    """Cuts the stream into shards and runs each in a worker, at most ``max_in_flight`` at once.

    Only envelope values travel to the workers; what rides on an envelope (the
    raw bytes) stays here and is put back on each output, which is possible because
    every stage yields exactly one output per input. Stage counts from the workers
    are added to the driver's stages, so ``pipeline.stats()`` reads as in one process.
    """

    def __init__(self, shard_size: int, max_in_flight: int) -> None:
        self.shard_size = max(1, shard_size)
        self.max_in_flight = max(1, max_in_flight)

    @abstractmethod
    def _start(self, pipeline: Pipeline) -> None: ...

    @abstractmethod
    def _submit(self, values: list[Any]) -> Any: ...

    @abstractmethod
    def _result(self, handle: Any) -> tuple[list[Any], list[StageStats]]: ...

    @abstractmethod
    def _stop(self) -> None: ...

    def map(self, stages: Stages, items: Iterable[Any]) -> Iterator[Any]:
        pipeline = as_pipeline(stages)
        it = iter(items)
        pending: deque[tuple[list[Any], Any]] = deque()
        self._start(pipeline)
        try:
            while True:
                while len(pending) < self.max_in_flight:
                    shard = list(itertools.islice(it, self.shard_size))
                    if not shard:
                        break
                    values = [i.value if isinstance(i, Envelope) else i for i in shard]
                    pending.append((shard, self._submit(values)))
                if not pending:
                    return
                # Keep input order: wait for the oldest shard, not whichever finishes first.
                shard, handle = pending.popleft()
                outputs, stats = self._result(handle)
                pipeline.merge_stats(stats)
                yield from rewrap(shard, outputs)
        finally:
            self._stop()


def rewrap(inputs: Sequence[Any], outputs: Sequence[Any]) -> Iterator[Any]:
    """Each output back in its input's envelope (Drops named by the envelope's source if they lack one)."""
    for item, out in zip(inputs, outputs, strict=True):
        if not isinstance(item, Envelope):
            yield out
        elif isinstance(out, Drop):
            yield Drop(item.source, out.reason, out.message) if out.source == "?" else out
        else:
            yield Envelope(out, item.raw)
