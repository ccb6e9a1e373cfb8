from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from parallax.pipeline.base import Stage


class Executor(ABC):
    """Runs stages over a stream of items, yielding outputs (or Drops) in input order."""

    name: str = "executor"

    @abstractmethod
    def map(self, stages: Sequence[Stage], items: Iterable[Any]) -> Iterator[Any]: ...
