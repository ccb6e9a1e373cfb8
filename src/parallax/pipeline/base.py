"""The stage contract: a small class with one job, a loop the base class owns.

A stage reads items, and for each returns a new item or a :class:`Drop` with a
reason. It declares what it ``requires`` and ``assigns`` (``"article.paragraphs"``,
``"facts.quotes"``, ...); :class:`Pipeline` checks at construction that every
requirement is met by an earlier stage or by the pipeline's inputs.
Execution (local, Ray) lives in :mod:`parallax.executor`, not here.
"""

from __future__ import annotations

import re
import time
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from parallax.errors import ParallaxError, PipelineError

_ATTR = re.compile(r"^(raw|article|facts|story)\.[a-z_]+$")


@dataclass(frozen=True, slots=True)
class Drop:
    """A dropped item: never a bare ``None``, always a reason."""

    source: str
    reason: str
    message: str


@dataclass(slots=True)
class StageStats:
    forwarded: int = 0
    dropped: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"forwarded": self.forwarded, "dropped": dict(self.dropped), "seconds": round(self.seconds, 3)}


ErrorHandler = Callable[["Stage", Any, Exception], Drop]


def raise_errors(stage: Stage, item: Any, exc: Exception) -> Drop:
    raise exc


def drop_on_error(stage: Stage, item: Any, exc: Exception) -> Drop:
    """Batch policy: a broken item is dropped with its reason and the batch goes on."""
    source = getattr(item, "source", None) or getattr(item, "id", "?")
    if isinstance(exc, ParallaxError):
        return Drop(str(source), exc.code, exc.reason)
    return Drop(str(source), f"{stage.name}-error", f"{type(exc).__name__}: {exc}")


class Stage(ABC):
    """One step of the pipeline. Subclasses implement :meth:`process` only."""

    name: ClassVar[str] = "stage"
    requires: ClassVar[tuple[str, ...]] = ()
    assigns: ClassVar[tuple[str, ...]] = ()

    def __init__(self) -> None:
        self.stats = StageStats()
        self.error_handler: ErrorHandler = drop_on_error
        for attr in (*self.requires, *self.assigns):
            if not _ATTR.match(attr):
                raise PipelineError(f"stage '{self.name}' declares a malformed attribute '{attr}' (expected e.g. 'article.paragraphs')")

    @abstractmethod
    def process(self, item: Any) -> Any:
        """Return the processed item, or a :class:`Drop` with the reason."""

    def run(self, items: Iterable[Any]) -> Iterator[Any]:
        for item in items:
            if isinstance(item, Drop):
                yield item
                continue
            t0 = time.perf_counter()
            try:
                out = self.process(item)
            except Exception as exc:  # the handler decides: re-raise (tests) or drop (batch)
                out = self.error_handler(self, item, exc)
            self.stats.seconds += time.perf_counter() - t0
            if isinstance(out, Drop):
                self.stats.dropped[out.reason] += 1
            else:
                self.stats.forwarded += 1
            yield out


class Pipeline:
    """A chain of stages, checked when it is built."""

    def __init__(self, stages: list[Stage], provides: Iterable[str] = ("raw.source",)) -> None:
        available = set(provides)
        for stage in stages:
            missing = [r for r in stage.requires if r not in available]
            if missing:
                raise PipelineError(
                    f"stage '{stage.name}' requires {', '.join(missing)}, which no earlier stage assigns"
                )
            available.update(stage.assigns)
        self.stages = stages

    def run(self, items: Iterable[Any]) -> Iterator[Any]:
        stream: Iterable[Any] = items
        for stage in self.stages:
            stream = stage.run(stream)
        yield from stream

    def set_error_handler(self, handler: ErrorHandler) -> None:
        for stage in self.stages:
            stage.error_handler = handler

    def stats(self) -> dict[str, dict[str, Any]]:
        return {s.name: s.stats.as_dict() for s in self.stages}
