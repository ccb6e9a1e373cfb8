"""The web UI: the overview, search, a story, an article, an entity, an outlet. Pages are
Jinja templates (autoescaped) over the views of parallax.export.views; no inline script
or style, so the Content-Security-Policy can forbid both."""

from __future__ import annotations

from functools import cache
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment

from parallax import __version__
from parallax.export import views
from parallax.report import stylesheet, template_env
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

router = APIRouter(tags=["pages"], default_response_class=HTMLResponse, include_in_schema=False)


@cache
def _env() -> Environment:
    env = template_env("web/templates")
    env.globals["version"] = __version__
    env.globals["query"] = _query
    return env


def _query(base: dict[str, Any], **changes: Any) -> str:
    """'?a=1&b=2': the current filters with some changed, blanks left out (pager and tab links)."""
    merged = {**base, **changes}
    return "?" + urlencode({k: v for k, v in merged.items() if v not in (None, "", False)})


def render(template: str, **context: Any) -> str:
    return str(_env().get_template(template).render(**context))


@router.get("/static/parallax.css")
def css() -> Response:
    return Response(stylesheet(), media_type="text/css", headers={"Cache-Control": "public, max-age=3600"})


@router.get("/")
def overview(
    store: StoreDep, q: Text = None, outlet: Outlet = None, entity: Entity = None,
    since: Since = None, until: Until = None, sort: StorySort = "recent", page: Page = 1,
) -> str:  # fmt: skip
    view = views.overview(
        store,
        text=blank(q),
        outlet=blank(outlet),
        entity=blank(entity),
        since=blank(since),
        until=blank(until),
        sort=sort,
        page=page,
    )
    params = {
        "q": blank(q),
        "outlet": blank(outlet),
        "entity": blank(entity),
        "since": blank(since),
        "until": blank(until),
        "sort": sort if sort != "recent" else None,
    }
    return render("overview.html.j2", v=view, params=params)


@router.get("/search")
def search_page(
    store: StoreDep, q: Text = None, kind: SearchKind = None, outlet: Outlet = None,
    since: Since = None, until: Until = None, sort: SearchSort = "relevance", page: Page = 1,
) -> str:  # fmt: skip
    params = {
        "q": blank(q),
        "kind": blank(kind),
        "outlet": blank(outlet),
        "since": blank(since),
        "until": blank(until),
        "sort": sort if sort != "relevance" else None,
    }
    view = (
        views.search_view(
            store,
            q or "",
            kind=blank(kind),
            outlet=blank(outlet),
            since=blank(since),
            until=blank(until),
            sort=sort,
            page=page,
        )
        if blank(q)
        else None
    )
    return render(
        "search.html.j2", v=view, params=params, outlets=None if view else views.search.outlets(store)
    )


@router.get("/stories/{story_id}")
def story_page(story_id: str, store: StoreDep) -> str:
    view = views.story_view(views.story_bundle_light(store, story_id), views.web_linker)
    return render("story.html.j2", v=view)


@router.get("/articles/{article_id}")
def article_page(article_id: str, store: StoreDep) -> str:
    return render("article.html.j2", v=views.article_view(store, article_id))


@router.get("/entities")
def entities_page(store: StoreDep) -> str:
    return render("entities.html.j2", entities=views.search.top_entities(store, limit=200))


@router.get("/entities/{key}")
def entity_page(key: str, store: StoreDep) -> str:
    return render("entity.html.j2", v=views.entity_view(store, key))


@router.get("/outlets")
def outlets_page(store: StoreDep) -> str:
    return render("outlets.html.j2", outlets=views.search.outlets(store))


@router.get("/outlets/{name:path}")
def outlet_page(name: str, store: StoreDep) -> str:
    return render("outlet.html.j2", v=views.outlet_view(store, name))
