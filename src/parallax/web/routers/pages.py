"""The web UI: an index of stories and one compared story per page (the HTML report)."""

from __future__ import annotations

from html import escape
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse

from parallax.export import article_to_export, story_to_export
from parallax.report import render_html_report
from parallax.store import Store
from parallax.web.dependencies import get_store

router = APIRouter(tags=["pages"], default_response_class=HTMLResponse)
StoreDep = Annotated[Store, Depends(get_store)]

_STYLE = "body{font:15px/1.5 system-ui,sans-serif;max-width:1000px;margin:2rem auto;padding:0 1rem}td,th{padding:.3rem .6rem;border-bottom:1px solid #e5e7eb;text-align:left}table{border-collapse:collapse;width:100%}"


@router.get("/")
def index(store: StoreDep) -> str:
    stories = store.stories()
    rows = "".join(
        f'<tr><td><a href="/stories/{escape(s.id)}">{escape(s.title or s.id)}</a></td><td>{len(s.article_ids)}</td>'
        f"<td>{escape(', '.join(s.outlets))}</td><td>{escape((s.first_seen or '?')[:10])} → {escape((s.last_seen or '?')[:10])}</td></tr>"
        for s in stories
    )
    return (
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>Parallax</title><style>{_STYLE}</style></head><body>"
        f"<h1>Parallax</h1><p>{len(stories)} stories · {store.count_articles()} articles · <a href=/api/stories>JSON</a></p>"
        f"<table><tr><th>story</th><th>articles</th><th>outlets</th><th>dates</th></tr>{rows}</table></body></html>"
    )


@router.get("/stories/{story_id}")
def story_page(story_id: str, store: StoreDep) -> str:
    story = store.get_story(story_id)
    articles = {a.id: article_to_export(a, store.get_facts(a.id)) for a in store.articles(story.article_ids)}
    return render_html_report([{"story": story_to_export(story), "articles": articles}])
