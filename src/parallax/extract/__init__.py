"""Fact extraction: parse each article once, run the extractors in order.

``extract_articles`` batches parsing through ``nlp.pipe`` (the expensive part)
and runs the rule-based extractors on each parsed Doc. Offsets the extractors
produce (into the analysis text) are turned into field-local offsets here.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from parallax.extract.base import ExtractionContext, Extractor, build_analysis_text
from parallax.records import Article, ArticleFacts, Entity, Mention

if TYPE_CHECKING:
    from spacy.language import Language

#: The default extractors, in the order they run (each may read what earlier ones wrote).
DEFAULT_EXTRACTORS: tuple[str, ...] = (
    "parallax.extract.entities:EntityExtractor",
    "parallax.extract.times:TimeExtractor",
    "parallax.extract.quotes:QuoteExtractor",
    "parallax.extract.claims:ClaimExtractor",
    "parallax.extract.events:EventExtractor",
)

SUPPORTED_LANGUAGES = frozenset({"en"})


def load_extractors(names: Sequence[str] = DEFAULT_EXTRACTORS) -> list[Extractor]:
    out: list[Extractor] = []
    for spec in names:
        module, _, cls = spec.partition(":")
        out.append(getattr(importlib.import_module(module), cls)())
    return out


def extractor_versions(extractors: Sequence[Extractor] | None = None) -> dict[str, str]:
    return {e.name: e.version for e in (extractors if extractors is not None else load_extractors())}


def reference_date(article: Article) -> str | None:
    """The date relative expressions are resolved against: publication, else the dateline."""
    if article.published:
        return article.published[:10] if not article.published.startswith("--") else article.published
    if article.dateline and article.dateline.date:
        return article.dateline.date
    return None


def detect_language(article: Article) -> str | None:
    """The article's language: the record's own, else a guess from its text."""
    if article.language:
        return article.language.split("-")[0].lower()
    sample = " ".join(filter(None, [article.title, article.text[:2000]]))
    if not sample.strip():
        return None
    import py3langid

    lang, _ = py3langid.classify(sample)
    return str(lang)


def extract_articles(
    articles: Iterable[Article],
    *,
    nlp: Language | None = None,
    extractors: Sequence[Extractor] | None = None,
    batch_size: int = 16,
) -> Iterator[ArticleFacts]:
    """Facts for each article, in input order."""
    from parallax.nlp import load_nlp

    nlp = nlp or load_nlp()
    extractors = list(extractors) if extractors is not None else load_extractors()
    versions = extractor_versions(extractors)

    def prepared() -> Iterator[tuple[str, Any]]:
        for article in articles:
            lang = detect_language(article)
            text, segments = build_analysis_text(article)
            yield text, (article, lang, segments)

    for doc, (article, lang, segments) in nlp.pipe(_only_supported(prepared()), as_tuples=True, batch_size=batch_size):
        if segments is None:
            yield ArticleFacts(article_id=article.id, language=lang, supported=False, extractors=versions)
            continue
        ctx = ExtractionContext(
            article=article, text=doc.text, doc=doc, segments=segments, reference_date=reference_date(article)
        )
        for extractor in extractors:
            extractor(ctx)
        yield _finalize(ctx, lang, versions)


def extract_article(article: Article, **kwargs: Any) -> ArticleFacts:
    return next(extract_articles([article], **kwargs))


def _only_supported(items: Iterator[tuple[str, Any]]) -> Iterator[tuple[Any, Any]]:
    # Unsupported languages are not parsed at all: they come back as supported=False
    # facts rather than English rules mangling them. spaCy's pipe passes non-str
    # through untouched only for Doc objects, so an empty string stands in.
    for text, ctx in items:
        _, lang, _ = ctx
        if lang is not None and lang not in SUPPORTED_LANGUAGES:
            yield "", (ctx[0], lang, None)
        else:
            yield text, ctx


def _finalize(ctx: ExtractionContext, lang: str | None, versions: dict[str, str]) -> ArticleFacts:
    return ArticleFacts(
        article_id=ctx.article.id,
        language=lang,
        supported=True,
        entities=[_localize_entity(ctx, e) for e in ctx.entities],
        quotes=[_localize(ctx, q) for q in ctx.quotes],
        times=[_localize(ctx, t) for t in ctx.times],
        claims=[_localize(ctx, c) for c in ctx.claims],
        events=[_localize(ctx, v) for v in ctx.events],
        extractors=versions,
    )


_PAIRED = (("cue_start", "cue_end"), ("speaker_start", "speaker_end"), ("sentence_start", "sentence_end"))


def _localize(ctx: ExtractionContext, fact: Any) -> Any:
    field_name, index, start, end = ctx.localize(fact.start, fact.end)
    seg = ctx.segment_at(fact.start)
    changes: dict[str, Any] = {"field": field_name, "field_index": index, "start": start, "end": end}
    for a, b in _PAIRED:
        if hasattr(fact, a) and getattr(fact, a) is not None and getattr(fact, b) is not None:
            changes[a] = max(0, getattr(fact, a) - seg.start)
            changes[b] = max(0, min(getattr(fact, b), seg.end) - seg.start)
    return dataclasses.replace(fact, **changes)


def _localize_entity(ctx: ExtractionContext, entity: Entity) -> Entity:
    mentions = []
    for m in entity.mentions:
        field_name, index, start, end = ctx.localize(m.start, m.end)
        mentions.append(Mention(m.text, start, end, field_name, index))
    return dataclasses.replace(entity, mentions=mentions)
