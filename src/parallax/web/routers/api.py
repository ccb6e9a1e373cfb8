"""JSON API: the same shapes as ``parallax export`` (see parallax.export.schema), lists and
views built by parallax.export.views like the CLI's and the pages'."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel

from parallax.export import article_to_export, build_export, story_to_export, views
from parallax.web.dependencies import StoreDep
from parallax.web.routers.params import (
    Entity,
    Outlet,
    Page,
    SearchKind,
    SearchSort,
    Since,
    StorySort,
    Text,
    Until,
    blank,
)


class ErrorEnvelope(BaseModel):
    """Every error the API answers, whatever its status."""

    ok: bool = False
    error: str
    status: int


_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorEnvelope, "description": "A bad value (an unknown kind, a bad date)"},
    404: {"model": ErrorEnvelope, "description": "No such article, story, entity or outlet"},
    422: {"model": ErrorEnvelope, "description": "A parameter failed validation"},
}
router = APIRouter(prefix="/api", tags=["api"], responses=_ERRORS)

FactKind = Annotated[
    str | None,
    Query(description="quotes, claims, events, entities or times (all when absent); anything else is a 400."),
]


@router.get("/articles")
def list_articles(
    store: StoreDep,
    outlet: Outlet = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[dict[str, Any]]:
    """Stored articles (by publication date), one page at a time."""
    return views.article_rows(store, outlet=blank(outlet), limit=limit, offset=offset)


@router.get("/articles/{article_id}")
def get_article(article_id: str, store: StoreDep) -> dict[str, Any]:
    """One article in the export shape, with its facts."""
    article = store.get_article(article_id)
    return article_to_export(article, store.get_facts(article.id), store.sources(article.id))


@router.get("/articles/{article_id}/facts")
def get_facts(article_id: str, store: StoreDep, kind: FactKind = None) -> dict[str, Any]:
    """One article's facts, of one kind or all."""
    kinds = views.fact_kinds(kind)
    article = store.get_article(article_id)
    data = article_to_export(article, store.get_facts(article.id))
    return {k: data[k] for k in kinds}


@router.get("/stories")
def list_stories(
    store: StoreDep,
    response: Response,
    q: Text = None,
    outlet: Outlet = None,
    entity: Entity = None,
    since: Since = None,
    until: Until = None,
    sort: StorySort = "recent",
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[dict[str, Any]]:
    """Stories with their counts (conflicts, revisions, omissions), filtered and sorted;
    the number matching in all is in the ``X-Total-Count`` header."""
    rows, total = views.story_rows(
        store, with_article_ids=True, text=blank(q), outlet=blank(outlet), entity=blank(entity),
        since=blank(since), until=blank(until), sort=sort, limit=limit, offset=offset,
    )  # fmt: skip
    response.headers["X-Total-Count"] = str(total)
    return rows


@router.get("/stories/{story_id}")
def get_story(story_id: str, store: StoreDep) -> dict[str, Any]:
    """One story in the export shape, with its comparison."""
    return story_to_export(store.get_story(story_id))


@router.get("/search")
def search(
    store: StoreDep,
    q: Annotated[
        str,
        Query(
            min_length=1, max_length=500, description='Words to find (all must match; "a phrase"; prefix*).'
        ),
    ],
    kind: SearchKind = None,
    outlet: Outlet = None,
    since: Since = None,
    until: Until = None,
    sort: SearchSort = "relevance",
    page: Page = 1,
    size: Annotated[int, Query(ge=1, le=200)] = 20,
) -> dict[str, Any]:
    """Articles, quotes and figures matching the words, one page at a time."""
    view = views.search_view(
        store,
        q,
        kind=blank(kind),
        outlet=blank(outlet),
        since=blank(since),
        until=blank(until),
        sort=sort,
        page=page,
        size=size,
    )
    return views.api_search(view)


@router.get("/entities/{key}")
def get_entity(key: str, store: StoreDep) -> dict[str, Any]:
    """An actor across articles: how each outlet names it, who quotes it, where it appears."""
    view = views.entity_view(store, key)
    for entry in view["naming"]:
        entry["forms"] = dict(entry["forms"])
    return view


@router.get("/outlets/{name:path}")
def get_outlet(name: str, store: StoreDep) -> dict[str, Any]:
    """An outlet: its stories, its voices, its labels."""
    return views.outlet_view(store, name)


@router.get("/export")
def export(store: StoreDep) -> dict[str, Any]:
    """Everything, as ``parallax export --format json`` writes it."""
    return build_export(store)
