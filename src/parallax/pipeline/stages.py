"""The pipeline's stages, one job each; execution lives in :mod:`parallax.executor`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from parallax.pipeline.base import Drop, Stage
from parallax.records import Article, ArticleFacts, RawDocument

if TYPE_CHECKING:
    from parallax.extract.base import Extractor


class CleanStage(Stage):
    """RawDocument -> (RawDocument, Article): the cleaner, with the raw input kept for the store."""

    name = "clean"
    requires = ("raw.source",)
    assigns = ("article.paragraphs", "article.provenance")

    def process(self, item: RawDocument) -> tuple[RawDocument, Article] | Drop:
        from parallax.clean import clean_document

        return item, clean_document(item)


class ExtractStage(Stage):
    """Article -> ArticleFacts. Parsing is batched through ``nlp.pipe``, so ``run`` is overridden."""

    name = "extract"
    requires = ("article.paragraphs",)
    assigns = ("facts.entities", "facts.quotes", "facts.times", "facts.claims", "facts.events")

    def __init__(self, batch_size: int = 16, extractors: Sequence[Extractor] | None = None) -> None:
        from parallax.extract import load_extractors

        super().__init__()
        self.batch_size = batch_size
        self.extractors = list(extractors) if extractors is not None else load_extractors()

    def process(self, item: Article) -> ArticleFacts:
        from parallax.extract import extract_article

        return extract_article(item, extractors=self.extractors)

    def run(self, items: Iterable[Any]) -> Iterator[Any]:
        import time

        from parallax.extract import extract_articles

        articles = [i for i in items if not isinstance(i, Drop)]
        t0 = time.perf_counter()
        try:
            for facts in extract_articles(articles, extractors=self.extractors, batch_size=self.batch_size):
                self.stats.forwarded += 1
                yield facts
        except Exception:
            # A batch failure must not lose the other articles: redo them one by one,
            # so only the broken one is dropped, with its reason.
            done = self.stats.forwarded
            for article in articles[done:]:
                try:
                    out = self.process(article)
                except Exception as exc:
                    drop = self.error_handler(self, article, exc)
                    self.stats.dropped[drop.reason] += 1
                    yield drop
                else:
                    self.stats.forwarded += 1
                    yield out
        self.stats.seconds += time.perf_counter() - t0
