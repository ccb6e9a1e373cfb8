"""JSON API: the same shapes as ``parallax export`` (see parallax.export.schema)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from parallax.export import FACT_KEYS, article_to_export, build_export, story_to_export
from parallax.store import Store
from parallax.web.dependencies import get_store

router = APIRouter(prefix="/api", tags=["api"])
StoreDep = Annotated[Store, Depends(get_store)]


@router.get("/articles")
def list_articles(store: StoreDep, outlet: str | None = None, limit: Annotated[int, Query(ge=1, le=10_000)] = 1000) -> list[dict[str, Any]]:
    rows = [
        {"id": a.id, "outlet": a.outlet, "title": a.title, "published": a.published, "source": a.source, "duplicate_of": a.duplicate_of}
        for a in store.articles()
        if outlet is None or a.outlet == outlet
    ]
    return rows[:limit]


@router.get("/articles/{article_id}")
def get_article(article_id: str, store: StoreDep) -> dict[str, Any]:
    article = store.get_article(article_id)
    return article_to_export(article, store.get_facts(article.id), store.sources(article.id))


@router.get("/articles/{article_id}/facts")
def get_facts(article_id: str, store: StoreDep, kind: str | None = None) -> dict[str, Any]:
    article = store.get_article(article_id)
    data = article_to_export(article, store.get_facts(article.id))
    kinds = [kind] if kind in FACT_KEYS else list(FACT_KEYS)
    return {k: data[k] for k in kinds}


@router.get("/stories")
def list_stories(store: StoreDep) -> list[dict[str, Any]]:
    return [
        {"id": s.id, "title": s.title, "article_ids": s.article_ids, "outlets": s.outlets, "first_seen": s.first_seen, "last_seen": s.last_seen}
        for s in store.stories()
    ]


@router.get("/stories/{story_id}")
def get_story(story_id: str, store: StoreDep) -> dict[str, Any]:
    return story_to_export(store.get_story(story_id))


@router.get("/export")
def export(store: StoreDep) -> dict[str, Any]:
    return build_export(store)
