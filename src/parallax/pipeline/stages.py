"""The pipeline's stages, one job each; execution lives in :mod:`parallax.executor`."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from parallax.pipeline.base import Drop, Envelope, Stage
from parallax.records import Article, ArticleFacts, RawDocument

if TYPE_CHECKING:
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
