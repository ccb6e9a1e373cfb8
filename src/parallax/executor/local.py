from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from parallax.executor.base import Executor
from parallax.pipeline.base import Pipeline, Stage


class LocalExecutor(Executor):
    """In-process, streaming: one item at a time through the chain."""

    name = "local"

    def map(self, stages: Sequence[Stage], items: Iterable[Any]) -> Iterator[Any]:
        yield from Pipeline(list(stages)).run(items)
