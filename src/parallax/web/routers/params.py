"""Query parameters shared by the API and the pages, validated the same way for both."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from parallax.store.search import SEARCH_KINDS, STORY_SORTS

#: YYYY, YYYY-MM or YYYY-MM-DD; empty (an HTML form's blank date field) means no bound
DATE_PATTERN = r"^(\d{4}(-\d{2}(-\d{2})?)?)?$"

Since = Annotated[
    str | None,
    Query(pattern=DATE_PATTERN, description="Only what was published on or after this date (YYYY-MM-DD)."),
]
Until = Annotated[
    str | None,
    Query(pattern=DATE_PATTERN, description="Only what was published on or before this date (YYYY-MM-DD)."),
]
Outlet = Annotated[str | None, Query(max_length=300, description="Only this outlet.")]
Entity = Annotated[
    str | None, Query(max_length=300, description="Only stories in which this actor appears (a name).")
]
Text = Annotated[
    str | None,
    Query(max_length=500, description="Words the story's title, articles, quotes or figures contain."),
]
StorySort = Annotated[
    str,
    Query(pattern="^(" + "|".join(STORY_SORTS) + ")$", description="Order: " + ", ".join(STORY_SORTS) + "."),
]
SearchKind = Annotated[
    str | None,
    Query(
        pattern="^(" + "|".join(SEARCH_KINDS) + ")?$",
        description="article, quote or figure (all when absent).",
    ),
]
SearchSort = Annotated[str, Query(pattern="^(relevance|newest)$", description="relevance or newest.")]
Page = Annotated[int, Query(ge=1, le=100_000, description="Page number, from 1.")]


def blank(value: str | None) -> str | None:
    """An empty form field is no filter."""
    return value if value and value.strip() else None
