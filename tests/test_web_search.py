"""Search and browsing indexes on both backends: kept in step with every write, filled for
stores made before they existed, and answering the overview's filters."""

from __future__ import annotations

import dataclasses

import pytest
import sqlalchemy as sa

from parallax.store import Store, migrate, open_store, search
from report_fixtures import big_story, fill_store, small_story
from storage_backends import store_fixture, store_url_fixture  # noqa: F401


@pytest.fixture
def filled(store: Store) -> Store:
    arts, facts, big = big_story(outlets=6, articles=18)
    sarts, sfacts, small = small_story()
    fill_store(store, arts + sarts, facts + sfacts, [big, small])
    return store


def test_search_finds_articles_quotes_and_figures_with_stemming(filled: Store) -> None:
    page = search.search(filled, "heartbroken", limit=5)
    assert page.total == 36 and page.counts == {"article": 18, "quote": 18} and len(page.hits) == 5
    assert search.MARK_OPEN in page.hits[0].snippet
    assert search.search(filled, "detain", kinds=["figure"]).total == 2  # "detained": both backends stem
    assert (
        search.search(filled, '"order has been restored"').total == 2
    )  # a phrase: the article and its quote
    assert search.search(filled, "restor*", kinds=["quote"]).total == 1
    assert search.search(filled, "   ").total == 0 and search.search(filled, "NEAR AND OR (").total == 0


def test_search_filters_and_pages(filled: Store) -> None:
    by_outlet = search.search(filled, "heartbroken", outlet="Reuters")
    assert by_outlet.total and {h.outlet for h in by_outlet.hits} == {"Reuters"}
    dated = search.search(
        filled, "heartbroken", since="2023-08-12", until="2023-08-14", sort="newest", limit=100
    )
    assert dated.hits and all("2023-08-12" <= (h.published or "")[:10] <= "2023-08-14" for h in dated.hits)
    assert [h.published for h in dated.hits] == sorted((h.published for h in dated.hits), reverse=True)
    seen = [
        (h.kind, h.article_id)
        for off in range(0, 36, 10)
        for h in search.search(filled, "heartbroken", limit=10, offset=off).hits
    ]
    assert len(seen) == len(set(seen)) == 36


def test_search_index_follows_rewrites(filled: Store) -> None:
    arts, facts, _ = big_story(outlets=6, articles=18)
    # facts re-extracted: the old figure rows go, the new ones come
    new = dataclasses.replace(
        facts[0], claims=[dataclasses.replace(facts[0].claims[0], text="36", category="evacuated")], quotes=[]
    )
    filled.save_facts(new)
    assert search.search(filled, "heartbroken", kinds=["quote"]).total == 17
    assert search.search(filled, "evacuated").total == 1
    # an article's date completed later: its rows follow
    filled.update_article(dataclasses.replace(arts[0], published="2023-09-30"))
    assert search.search(filled, "heartbroken", since="2023-09-30").counts == {"article": 1}


def test_search_story_summaries_and_filters(filled: Store) -> None:
    rows, total = search.list_stories(filled)
    assert total == 2 and rows[0].id == "storybig0001"  # most recent first
    big = rows[0]
    assert (big.articles, big.outlets, big.conflicts, big.revisions, big.omissions, big.events) == (
        18,
        6,
        2,
        1,
        30,
        3,
    )
    assert big.outlet_counts[0][1] >= big.outlet_counts[-1][1]
    assert [s.id for s in search.list_stories(filled, text="heartbroken")[0]] == ["storybig0001"]
    assert [s.id for s in search.list_stories(filled, text="order restored")[0]] == ["s123"]
    assert [s.id for s in search.list_stories(filled, outlet="Outlet B")[0]] == ["s123"]
    assert [s.id for s in search.list_stories(filled, entity="The Josh Green")[0]] == ["storybig0001"]
    assert [s.id for s in search.list_stories(filled, since="2023-08-20")[0]] == ["storybig0001"]
    assert [s.id for s in search.list_stories(filled, until="2022-01-07")[0]] == ["s123"]
    assert search.list_stories(filled, since="2024-01-01")[1] == 0
    assert [s.id for s in search.list_stories(filled, sort="title")[0]] == ["storybig0001", "s123"]
    assert search.list_stories(filled, limit=1, offset=1)[0][0].id == "s123"
    voices = search.outlet_facets(filled, "Reuters", "voice")
    assert voices[0] == {"name": "Josh Green", "detail": "official", "count": 3, "stories": 1}
    filled.save_stories([])
    assert search.list_stories(filled) == ([], 0)


def test_search_entities_by_key(filled: Store) -> None:
    rows = search.entity_rows(filled, "josh  GREEN")
    assert len(rows) == 18 and rows[0]["forms"] == {"Governor Josh Green": 1}
    assert search.entity_count(filled, "Josh Green") == 18
    assert (
        search.entity_key("The Interior Ministry")
        == search.entity_key("interior ministry")
        == "interior ministry"
    )
    assert search.top_entities(filled, limit=1)[0]["key"] == "josh green"


def test_search_migration_indexes_what_was_stored_before(store_url: str) -> None:
    arts, facts, big = big_story(outlets=4, articles=8)
    with open_store(store_url) as store:
        fill_store(store, arts, facts, [big])
        with store._write() as conn:  # back to the schema before the search indexes
            migrate.downgrade(conn, "0001")
            assert "search_docs" not in sa.inspect(conn).get_table_names()
    with open_store(store_url) as store:  # reopening upgrades, and fills the new indexes
        assert search.search(store, "heartbroken").counts == {"article": 8, "quote": 8}
        assert search.list_stories(store)[0][0].articles == 8
        assert len(search.entity_rows(store, "Josh Green")) == 8


def test_search_counts_conflicts_from_verdicts_without_a_series() -> None:
    _, _, story = big_story(outlets=4, articles=12)
    assert story.comparison is not None
    figs = [dataclasses.replace(f, series=[]) for f in story.comparison.figures]
    legacy = dataclasses.replace(story, comparison=dataclasses.replace(story.comparison, figures=figs))
    counts = search.story_counts(legacy)
    assert (counts.conflicts, counts.revisions) == (1, 0)  # one pairwise conflict; no series, no revision
