from __future__ import annotations

import pytest

from parallax.records import (
    Article,
    ArticleFacts,
    Caption,
    Comparison,
    Dateline,
    Entity,
    EntityRef,
    Event,
    EventDate,
    Figure,
    FigureValue,
    Mention,
    NumericClaim,
    Paragraph,
    Quote,
    Story,
    TimeExpression,
    Verdict,
    from_dict,
    to_dict,
)


def _facts() -> ArticleFacts:
    return ArticleFacts(
        article_id="a1",
        language="en",
        entities=[Entity("E1", "Jane Doe", "PERSON", [Mention("Jane Doe", 0, 8), Mention("she", 20, 23)], ["the mayor"])],
        quotes=[Quote("Q1", "We will rebuild", "direct", EntityRef("E1", "Jane Doe"), "said", 30, 45, nested_speaker=None)],
        times=[TimeExpression("T1", "on Friday", "2022-01-07", "DATE", 50, 59)],
        claims=[
            NumericClaim("C1", "more than 3,000 people", None, 3000.0, None, "more than", False, "people", "people", "detained", 60, 82,
                         attributed_to=EntityRef("E1", "Jane Doe"), as_of="2022-01-07", scare_quoted=True)
        ],  # fmt: skip
        events=[Event("V1", "protest", "protest", EventDate("2022-01-05", "2022-01-05", "Jan 5"), 0, 7, field="caption", from_caption=True)],
        extractors={"quotes": "1"},
    )


def test_records_round_trip_facts() -> None:
    facts = _facts()
    assert from_dict(ArticleFacts, to_dict(facts)) == facts


def test_records_round_trip_article_and_text_property() -> None:
    article = Article(
        id="a1", source="x.txt", title="T", dateline=Dateline(["UNITED NATIONS", "ALMATY"], None),
        paragraphs=[Paragraph("One.", 0, 4), Paragraph("Two.", 6, 10)], captions=[Caption("c", "AP")],
        provenance={"title": "text"},
    )  # fmt: skip
    data = to_dict(article)
    assert data["text"] == "One.\n\nTwo."
    assert from_dict(Article, data) == article


def test_records_round_trip_story() -> None:
    story = Story(
        id="s1", title="t", article_ids=["a", "b"], first_seen=None, last_seen=None, outlets=["X"],
        comparison=Comparison(figures=[Figure("detained", [FigureValue("a", "X", "C1", "3,000", 3000.0, None, None, None, None, None)],
                                              [Verdict("a", "b", "update")])]),
    )  # fmt: skip
    assert from_dict(Story, to_dict(story)) == story


def test_records_are_frozen() -> None:
    with pytest.raises(AttributeError):
        Paragraph("x").text = "y"  # type: ignore[misc]
