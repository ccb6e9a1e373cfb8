"""Storage: articles, raw inputs, facts, stories and state in SQLite (default) or PostgreSQL.

::

    from parallax.store import open_store

    with open_store() as store:               # ./parallax.db; or a path, or postgresql://...
        result = store.add_article(raw, article)  # stored | exists | duplicate | near-duplicate
        store.save_facts(facts)
        store.articles_needing_extraction(versions)

The schema is created or upgraded with the packaged Alembic migrations on open.
"""

from __future__ import annotations

from parallax.store.database import (
    DEFAULT_URL,
    AddResult,
    AddStatus,
    Store,
    open_store,
    record_hash,
    resolve_url,
)

__all__ = ["DEFAULT_URL", "AddResult", "AddStatus", "Store", "open_store", "record_hash", "resolve_url"]
