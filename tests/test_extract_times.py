"""TimeExtractor on hand-built articles: fields, offsets, robustness and speed."""

from __future__ import annotations

from pathlib import Path

import pytest

from parallax.extract import extract_article, extract_articles
from parallax.extract.base import ExtractionContext, build_analysis_text
from parallax.extract.events import EventExtractor
from parallax.extract.times import TimeExtractor
from parallax.records import Article, Caption, Paragraph

REPO = Path(__file__).resolve().parents[1]
PARA = (
    "Protesters rallied in the capital on Friday, two days after police arrested 45 people, officials said on "
    "January 7, 2022. The talks will resume next week, and the curfew imposed since March 3 will be lifted by "
    "the morning of March 20."
)


def _article(words: int, published: str | None = "2022-01-10") -> Article:
    n = max(1, words // len(PARA.split()))
    return Article(
        id="big", source="test", published=published, language="en", paragraphs=[Paragraph(PARA)] * n
    )


def test_extract_times_fields_and_offsets(nlp) -> None:  # type: ignore[no-untyped-def]
    article = Article(
        id="a",
        source="test",
        title="Talks will resume on Monday",
        published="2022-01-07T10:24",
        language="en",
        paragraphs=[
            Paragraph("The 2022 protests began on January 2."),
            Paragraph("He spoke for two hours on Thursday."),
        ],
        captions=[Caption("Crowds in the square on Jan 5, 2022.", "AP")],
    )
    facts = extract_article(article, nlp=nlp, extractors=[TimeExtractor()])
    got = [(t.field, t.text, t.type, t.value) for t in facts.times]
    assert got == [
        ("title", "Monday", "DATE", "2022-01-10"),
        ("body", "2022", "DATE", "2022"),
        ("body", "January 2", "DATE", "2022-01-02"),
        ("body", "two hours", "DURATION", "PT2H"),
        ("body", "Thursday", "DATE", "2022-01-06"),
        ("caption", "Jan 5, 2022", "DATE", "2022-01-05"),
    ]
    for t in facts.times:
        assert article.field_text(t.field, t.field_index)[t.start : t.end] == t.text
        assert t.extractor == "times@1"
    assert len({t.id for t in facts.times}) == len(facts.times)


def test_extract_times_without_reference(nlp) -> None:  # type: ignore[no-untyped-def]
    article = Article(
        id="b", source="test", language="en", paragraphs=[Paragraph("Police arrived yesterday, on May 3.")]
    )
    values = [t.value for t in extract_article(article, nlp=nlp, extractors=[TimeExtractor()]).times]
    assert values == ["XXXX-XX-XX", "XXXX-05-03"]


def test_extract_times_long_sentence(nlp) -> None:  # type: ignore[no-untyped-def]
    sentence = " ".join(["officials said on Friday that the march of 2021 continued"] * 500) + "."
    article = Article(
        id="s", source="test", published="2022-01-10", language="en", paragraphs=[Paragraph(sentence)]
    )
    facts = extract_article(article, nlp=nlp, extractors=[TimeExtractor(), EventExtractor()])
    assert len(facts.times) == 1000
    assert {e.type for e in facts.events} <= {"statement", "protest"}  # "the march of 2021" is a protest


def test_extract_times_100k_words_tokenizer_only(nlp) -> None:  # type: ignore[no-untyped-def]
    # Without a parse (no tense), the rules alone must stay linear over a huge text.
    article = _article(100_000)
    text, segments = build_analysis_text(article)
    ctx = ExtractionContext(article, text, nlp.make_doc(text), segments, "2022-01-10")
    TimeExtractor()(ctx)
    EventExtractor()(ctx)  # nothing to do without a parse, and no crash
    assert len(ctx.times) == 6 * len(article.paragraphs)


def test_extract_times_events_on_long_news_text(nlp) -> None:  # type: ignore[no-untyped-def]
    # Realistic news text: the seed articles' longer paragraphs, repeated to about 7,000 words.
    paras = []
    for path in sorted((REPO / "examples").glob("*.txt")):
        paras += [p.strip() for p in path.read_text("utf-8").split("\n\n") if len(p.split()) > 15]
    article = Article(
        id="n", source="test", published="2022-01-10", paragraphs=[Paragraph(p) for p in paras * 8]
    )
    text, segments = build_analysis_text(article)
    ctx = ExtractionContext(article, text, nlp(text), segments, "2022-01-10")
    TimeExtractor()(ctx)
    EventExtractor()(ctx)
    # Their cost next to parsing is measured by bench/bench_extract.py, not in a timed test.
    assert ctx.events and ctx.times
    assert len(ctx.times) >= 8 and all(t.value for t in ctx.times)


@pytest.mark.slow
def test_extract_times_events_100k_word_article(nlp) -> None:  # type: ignore[no-untyped-def]
    article = _article(100_000)
    facts = next(extract_articles([article], nlp=nlp, extractors=[TimeExtractor(), EventExtractor()]))
    assert len(facts.times) == 6 * len(article.paragraphs)
    assert {e.type for e in facts.events} <= {"protest", "arrest", "statement", "meeting", "curfew"}
