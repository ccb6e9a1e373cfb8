"""The stage contract: a small class with one job, a loop the base class owns.

A stage reads items, and for each returns a new item or a :class:`Drop` with a
reason. It declares what it ``requires`` and ``assigns`` (``"article.paragraphs"``,
``"facts.quotes"``, ...); :class:`Pipeline` checks at construction that every
requirement is met by an earlier stage or by the pipeline's inputs, and
:meth:`Pipeline.analyze` says which stage provides what (spaCy's ``analyze_pipes``).
Items may travel in an :class:`Envelope`: a stage sees only the envelope's value
and returns a new value, while what the store needs later (the raw input bytes)
rides along untouched.
Execution (in process, worker processes, Ray) lives in :mod:`parallax.executor`, not here.
"""

from __future__ import annotations

import re
import time
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
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
class Envelope:
    """One item on its way through the stages, with what travels beside it.

    ``value`` is what the next stage reads (a RawDocument, then an Article, then
    ArticleFacts); ``raw`` is the input as read, kept for the store (its bytes and
    source), so no stage has to return a tuple to carry it.
    """

    value: Any
    raw: Any = None

    @property
    def source(self) -> str:
        for holder in (self.value, self.raw):
            source = getattr(holder, "source", None) or getattr(holder, "id", None)
            if source:
                return str(source)
        return "?"


@dataclass(slots=True)
class StageStats:
    forwarded: int = 0
    dropped: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"forwarded": self.forwarded, "dropped": dict(self.dropped), "seconds": round(self.seconds, 3)}

    def merge(self, other: StageStats) -> None:
        """Add the counts of the same stage run elsewhere (a worker process, a Ray actor)."""
        self.forwarded += other.forwarded
        self.dropped.update(other.dropped)
        self.seconds += other.seconds


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
                raise PipelineError(
                    f"stage '{self.name}' declares a malformed attribute '{attr}' (expected e.g. 'article.paragraphs')"
                )

    @abstractmethod
    def process(self, item: Any) -> Any:
        """Return the processed item, or a :class:`Drop` with the reason."""

    def run(self, items: Iterable[Any]) -> Iterator[Any]:
        """Process each item (an :class:`Envelope`'s value, re-wrapped); Drops pass on untouched."""
        for item in items:
            if isinstance(item, Drop):
                yield item
                continue
            t0 = time.perf_counter()
            value = item.value if isinstance(item, Envelope) else item
            try:
                out = self.process(value)
            except Exception as exc:  # the handler decides: re-raise (tests) or drop (batch)
                out = self.handle_error(item, exc)
            self.stats.seconds += time.perf_counter() - t0
            yield self.count(self.wrap(item, out))

    def handle_error(self, item: Any, exc: Exception) -> Drop:
        """The error handler's Drop, named by the envelope's source when the value has none."""
        value = item.value if isinstance(item, Envelope) else item
        drop = self.error_handler(self, value, exc)
        if drop.source == "?" and isinstance(item, Envelope):
            return Drop(item.source, drop.reason, drop.message)
        return drop

    @staticmethod
    def wrap(item: Any, out: Any) -> Any:
        """``out`` in the same envelope as the item it came from (a Drop never is)."""
        if isinstance(item, Envelope) and not isinstance(out, Drop):
            return Envelope(out, item.raw)
        return out

    def count(self, out: Any) -> Any:
        if isinstance(out, Drop):
            self.stats.dropped[out.reason] += 1
        else:
            self.stats.forwarded += 1
        return out


class Pipeline:
    """A chain of stages, checked when it is built.

    ``provides`` names what the items carry before the first stage: ``raw.source``
    for documents as read, the article attributes for articles read back from the
    store. Executors run a Pipeline, so the check is on the chain that actually runs.
    """

    def __init__(self, stages: Sequence[Stage], provides: Iterable[str] = ("raw.source",)) -> None:
        self.provides = tuple(provides)
        self.stages = list(stages)
        for row in self.analyze():
            if row["missing"]:
                raise PipelineError(
                    f"stage '{row['name']}' requires {', '.join(row['missing'])}, which no earlier stage assigns"
                )

    def analyze(self) -> list[dict[str, Any]]:
        """Per stage: what it requires and from where, what it assigns, what is missing.

        ``requires`` maps each requirement to the stage that assigns it last before
        this one, or ``"input"`` when the items carry it already.
        """
        source = dict.fromkeys(self.provides, "input")
        rows: list[dict[str, Any]] = []
        for stage in self.stages:
            rows.append(
                {
                    "name": stage.name,
                    "requires": {r: source[r] for r in stage.requires if r in source},
                    "assigns": list(stage.assigns),
                    "missing": [r for r in stage.requires if r not in source],
                }
            )
            source.update(dict.fromkeys(stage.assigns, stage.name))
        return rows

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

    def take_stats(self) -> list[StageStats]:
        """The stages' counts so far, reset to zero: what a worker sends back with each shard."""
        out = [s.stats for s in self.stages]
        for stage in self.stages:
            stage.stats = StageStats()
        return out

    def merge_stats(self, stats: Sequence[StageStats]) -> None:
        for stage, other in zip(self.stages, stats, strict=True):
            stage.stats.merge(other)
