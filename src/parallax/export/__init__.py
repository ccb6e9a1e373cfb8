"""Exports: one documented shape, written as JSON, JSONL, CSV or Parquet.

The JSON export is ``{"articles": [...], "stories": [...]}``; the keys of each
article and story are listed in :data:`ARTICLE_KEYS`, :data:`FACT_KEYS` and
:data:`STORY_KEYS` (a test pins them). Writers are registered by format name
(:data:`WRITERS`), so a plugin can add one.
"""

from __future__ import annotations

from parallax.export.schema import (
    ARTICLE_KEYS,
    FACT_KEYS,
    STORY_KEYS,
    TABLES,
    article_to_export,
    build_export,
    story_to_export,
    table_rows,
)
from parallax.export.writers import WRITERS, write_export

__all__ = [
    "ARTICLE_KEYS",
    "FACT_KEYS",
    "STORY_KEYS",
    "TABLES",
    "WRITERS",
    "article_to_export",
    "build_export",
    "story_to_export",
    "table_rows",
    "write_export",
]
