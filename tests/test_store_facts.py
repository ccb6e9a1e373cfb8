"""Facts, extraction bookkeeping, stories, state blobs and rejections; on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses

import pytest
import sqlalchemy as sa

from parallax.errors import NotFoundError, StoreError
from parallax.records import (
    ArticleFacts,
    Comparison,
    Entity,
    EntityRef,
    Event,
    EventDate,
    Figure,
    FigureValue,
    Mention,
    NumericClaim,
    Quote,
    Rejection,
    Story,
    TimeExpression,
    Verdict,
)
from parallax.store import Store
from parallax.store.schema import facts as facts_table
from storage_backends import body_text, make_doc, store_fixture, store_url_fixture  # noqa: F401

VERSIONS = {"entities": "1", "times": "1", "quotes": "2", "claims": "1", "events": "1"}


def hand_facts(article_id: str, versions: dict[str, str] = VERSIONS) -> ArticleFacts:
    """One fact of every kind, built by hand."""
    entity = Entity(
        "E1",
        "Kassym-Jomart Tokayev",
        "PERSON",
        [Mention("Tokayev", 10, 17), Mention("he", 40, 42)],
        ["the president"],
        "entities",
    )
    when = TimeExpression("T1", "on Friday", "2022-01-07", "DATE", 50, 59, extractor="times")
    quote = Quote(
        "Q1",
        "order has been restored",
        "direct",
        EntityRef("E1", "Kassym-Jomart Tokayev"),
        "said",
        20,
        43,
        cue_start=45,
        cue_end=49,
        speaker_start=10,
        speaker_end=17,
        speaker_text="Tokayev",
        sentence_start=0,
        sentence_end=60,
        confidence=0.9,
        extractor="quotes",
    )
    claim = NumericClaim(
        "C1", "about 8,000 people", 8000.0, None, None, "about", False, "people", "people", "detained", 70, 88,
        attributed_to=EntityRef(None, "the ministry"), as_of="2022-01-07", extractor="claims",
    )  # fmt: skip
    event = Event(
        "V1", "detention", "detained", EventDate("2022-01-07", None, "on Friday"), 90, 98,
        places=["Almaty"], actors=["police"], time_id="T1", extractor="events",
    )  # fmt: skip
    return ArticleFacts(
        article_id, "en", True, [entity], [quote], [when], [claim], [event], extractors=dict(versions)
    )


def _stored(store: Store, n: int = 1) -> list[str]:
    ids = []
    for i in range(n):
        raw, article = make_doc(f"in/{i}.txt", body_text(100 + i), published=f"2024-03-0{i + 1}")
        store.add_article(raw, article)
        ids.append(article.id)
    return ids


@pytest.mark.parametrize("kinds", [("entity", "time", "quote", "claim", "event")])
def test_store_facts_round_trip(store: Store, kinds: tuple[str, ...]) -> None:
    (article_id,) = _stored(store)
    assert store.get_facts(article_id) is None
    facts = hand_facts(article_id)
    store.save_facts(facts)
    assert store.get_facts(article_id) == facts
    with store._read() as conn:
        rows = conn.execute(
            sa.select(facts_table.c.kind, facts_table.c.fact_id, facts_table.c.extractor, facts_table.c.extractor_version,
                      facts_table.c.span_start, facts_table.c.span_end)
            .order_by(facts_table.c.kind)
        ).all()  # fmt: skip
    assert sorted(r.kind for r in rows) == sorted(kinds)
    assert ("quote", "Q1", "quotes", "2", 20, 43) in [tuple(r) for r in rows]
    assert ("entity", "E1", "entities", "1", 10, 17) in [tuple(r) for r in rows]


@pytest.mark.parametrize("supported", [False])
def test_store_save_facts_replaces(store: Store, supported: bool) -> None:
    (article_id,) = _stored(store)
    store.save_facts(hand_facts(article_id))
    unsupported = ArticleFacts(article_id, "xx", supported, extractors=VERSIONS)
    store.save_facts(unsupported)
    assert store.get_facts(article_id) == unsupported
    with store._read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(facts_table)).scalar_one() == 0


@pytest.mark.parametrize("article_id", ["not-stored"])
def test_store_save_facts_needs_article(store: Store, article_id: str) -> None:
    with pytest.raises(NotFoundError, match="not-stored"):
        store.save_facts(hand_facts(article_id))


@pytest.mark.parametrize("bumped", [{**VERSIONS, "quotes": "3"}])
def test_store_articles_needing_extraction(store: Store, bumped: dict[str, str]) -> None:
    a, b, c = _stored(store, 3)
    assert store.articles_needing_extraction(VERSIONS) == [a, b, c]
    for article_id in (a, b, c):
        store.save_facts(hand_facts(article_id))
    assert store.articles_needing_extraction(VERSIONS) == []
    # another version of any extractor: everything again
    assert store.articles_needing_extraction(bumped) == [a, b, c]
    # one article's facts made by an older version
    store.save_facts(hand_facts(b, {**VERSIONS, "claims": "0"}))
    assert store.articles_needing_extraction(VERSIONS) == [b]
    store.save_facts(hand_facts(b))
    # the record changed since extraction (a story filled in the year)
    article = store.get_article(c)
    store.update_article(dataclasses.replace(article, published="2024-03-09"))
    assert store.articles_needing_extraction(VERSIONS) == [c]
    store.save_facts(hand_facts(c))
    assert store.articles_needing_extraction(VERSIONS) == []


def hand_story(story_id: str, article_ids: list[str]) -> Story:
    value = FigureValue(
        article_ids[0],
        "Example News",
        "C1",
        "about 8,000",
        8000.0,
        None,
        None,
        "about",
        "2022-01-07",
        "ministry",
    )
    comparison = Comparison(
        figures=[
            Figure(
                "detained",
                [value],
                [Verdict(article_ids[0], article_ids[-1], "agree", "C1", "C1")],
                [{"date": "2022-01-07", "value": 8000}],
            )
        ]
    )
    return Story(
        story_id, f"Story {story_id}", article_ids, "2024-03-01", "2024-03-02", ["Example News"],
        duplicates={article_ids[-1]: article_ids[0]}, comparison=comparison,
    )  # fmt: skip


@pytest.mark.parametrize("story_ids", [("s-1a", "s-2b")])
def test_store_stories_round_trip_and_replace(store: Store, story_ids: tuple[str, str]) -> None:
    a, b, c = _stored(store, 3)
    first = [hand_story(story_ids[0], [a, b]), hand_story(story_ids[1], [c])]
    store.save_stories(first)
    assert store.stories() == first
    assert store.get_story("s-2").article_ids == [c]
    assert store.story_ids_for_article(a) == [story_ids[0]]
    store.save_stories([hand_story("s-3", [c, a])])
    assert [s.id for s in store.stories()] == ["s-3"]
    assert store.story_ids_for_article(b) == []
    with pytest.raises(NotFoundError, match="s-1"):
        store.get_story("s-1")
    store.save_stories([])
    assert store.stories() == []


@pytest.mark.parametrize("bad", [["dup", "dup"]])
def test_store_save_stories_is_one_transaction(store: Store, bad: list[str]) -> None:
    (a,) = _stored(store)
    store.save_stories([hand_story("keep", [a])])
    with pytest.raises(StoreError, match="could not save stories"):
        store.save_stories([hand_story(sid, [a]) for sid in bad])
    assert [s.id for s in store.stories()] == ["keep"]


@pytest.mark.parametrize("value", [b"\x00\x01binary\xff" * 1000])
def test_store_state_blobs(store: Store, value: bytes) -> None:
    assert store.get_state("group") is None
    store.set_state("group", value)
    assert store.get_state("group") == value
    store.set_state("group", b"v2")
    assert store.get_state("group") == b"v2"
    assert store.get_state("other") is None


@pytest.mark.parametrize("runs", [2])
def test_store_rejections_upsert(store: Store, runs: int) -> None:
    for run in range(runs):
        store.add_rejection(Rejection("in/b.bin", "binary", f"in/b.bin: binary data (run {run})"))
        store.add_rejection(Rejection("in/a.txt", "empty", "in/a.txt: empty"))
        store.add_rejection(Rejection("in/a.txt", "no-article", "in/a.txt: no article"))
    assert store.rejections() == [
        Rejection("in/a.txt", "empty", "in/a.txt: empty"),
        Rejection("in/a.txt", "no-article", "in/a.txt: no article"),
        Rejection("in/b.bin", "binary", f"in/b.bin: binary data (run {runs - 1})"),
    ]


@pytest.mark.parametrize("count", [2])
def test_store_facts_cascade_is_per_article(store: Store, count: int) -> None:
    ids = _stored(store, count)
    for article_id in ids:
        store.save_facts(hand_facts(article_id))
    store.save_facts(ArticleFacts(ids[0], "en", extractors=VERSIONS))
    facts = store.get_facts(ids[1])
    assert facts is not None and len(facts.quotes) == 1
