"""Alembic environment for the Parallax store.

Migrations run programmatically from :func:`parallax.store.migrate.upgrade`, which
hands over an open connection (inside its own transaction) through
``config.attributes["connection"]``; no alembic.ini is needed.
"""

from __future__ import annotations

from alembic import context

from parallax.store.schema import metadata
from parallax.store.search import include_name

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "parallax store migrations run through parallax.store.migrate, which passes a connection"
    )

context.configure(
    connection=connection,
    target_metadata=metadata,
    # SQLite can't ALTER most things; batch mode rebuilds tables instead
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    # the full-text index objects are made in SQL by the search migration, not in schema.py
    include_name=include_name,
)
with context.begin_transaction():
    context.run_migrations()
