"""The pipeline's stages, one job each; execution lives in :mod:`parallax.executor`."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from parallax.pipeline.base import Drop, Envelope, Stage
from parallax.records import Article, ArticleFacts, RawDocument, Story

if TYPE_CHECKING:
    from parallax.embed import TextEncoder
    from parallax.extract.base import Extractor

#: What an article read back from the store carries: the input of an extraction-only chain.
STORED_ARTICLE: tuple[str, ...] = ("article.paragraphs", "article.provenance")


class CleanStage(Stage):
    """RawDocument -> Article. The raw input rides on the :class:`Envelope` to the store."""

    name = "clean"
    requires = ("raw.source",)
    assigns = STORED_ARTICLE

    def process(self, item: RawDocument) -> Article | Drop:
        from parallax.clean import clean_document

        return clean_document(item)


class ExtractStage(Stage):
    """Article -> ArticleFacts, streamed in batches of ``batch_size`` parsed by one ``nlp.pipe``.

    Drops coming in pass on in their place. If a batch fails, its articles are
    redone one by one, so only the broken one is dropped, with its reason.
    """

    name = "extract"
    requires = STORED_ARTICLE
    assigns = ("facts.entities", "facts.quotes", "facts.times", "facts.claims", "facts.events")

    def __init__(self, batch_size: int = 16, extractors: Sequence[Extractor] | None = None) -> None:
        from parallax.extract import load_extractors

        super().__init__()
        self.batch_size = max(1, batch_size)
        self.extractors = list(extractors) if extractors is not None else load_extractors()

    def process(self, item: Article) -> ArticleFacts:
        from parallax.extract import extract_article

        return extract_article(item, extractors=self.extractors)

    def run(self, items: Iterable[Any]) -> Iterator[Any]:
        batch: list[Any] = []
        live = 0
        for item in items:
            batch.append(item)
            if not isinstance(item, Drop):
                live += 1
            if live >= self.batch_size:
                yield from self._run_batch(batch)
                batch, live = [], 0
        if batch:
            yield from self._run_batch(batch)

    def _run_batch(self, batch: list[Any]) -> Iterator[Any]:
        from parallax.extract import extract_articles

        articles = [i.value if isinstance(i, Envelope) else i for i in batch if not isinstance(i, Drop)]
        t0 = time.perf_counter()
        try:
            facts: list[Any] = list(
                extract_articles(articles, extractors=self.extractors, batch_size=self.batch_size)
            )
        except Exception:
            facts = []
            for item in batch:
                if isinstance(item, Drop):
                    continue
                try:
                    facts.append(self.process(item.value if isinstance(item, Envelope) else item))
                except Exception as exc:
                    facts.append(self.handle_error(item, exc))
        self.stats.seconds += time.perf_counter() - t0
        done = iter(facts)
        for item in batch:
            yield item if isinstance(item, Drop) else self.count(self.wrap(item, next(done)))


@dataclass(frozen=True, slots=True)
class StoryInput:
    """One story to compare: its articles and their facts (aligned by position)."""

    id: str
    articles: Sequence[Article]
    facts: Sequence[ArticleFacts]
    #: event id -> article ids: the grouper's events inside this story
    events: Mapping[str, list[str]] = field(default_factory=dict)


#: What a story carries into comparison: its members and every kind of fact they have.
STORY_INPUT: tuple[str, ...] = (
    "story.members",
    *STORED_ARTICLE,
    "facts.entities",
    "facts.quotes",
    "facts.times",
    "facts.claims",
    "facts.events",
)


class CompareStage(Stage):
    """StoryInput -> Story with its comparison (figures, statements, omissions, voices, ...).

    ``encoder`` is for this process only (the grouper's MiniLM, so it is not loaded
    twice); a copy sent to a worker drops it and the worker loads the same model
    (:func:`parallax.compare.default_encoder`), so every executor compares alike.
    """

    name = "compare"
    requires = STORY_INPUT
    assigns = ("story.comparison",)

    def __init__(self, encoder: TextEncoder | None = None) -> None:
        super().__init__()
        self.encoder = encoder

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["encoder"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def process(self, item: StoryInput) -> Story:
        from parallax.compare import compare_story

        comparison = compare_story(item.articles, item.facts, encoder=self.encoder)
        return story_record(item.id, list(item.articles), comparison, item.events)


def story_record(
    story_id: str, members: list[Article], comparison: Any, events: Mapping[str, list[str]] | None = None
) -> Story:
    from parallax.group.titles import event_records, group_title

    dates = sorted(a.published for a in members if a.published and not a.published.startswith("--"))
    outlets = sorted({a.outlet for a in members if a.outlet})
    return Story(
        id=story_id,
        title=group_title(members),
        events=event_records(members, events or {}),
        article_ids=[a.id for a in members],
        first_seen=dates[0] if dates else None,
        last_seen=dates[-1] if dates else None,
        outlets=outlets,
        duplicates={a.id: a.duplicate_of for a in members if a.duplicate_of},
        comparison=comparison,
    )
