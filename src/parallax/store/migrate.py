"""Create or upgrade the store's schema with the Alembic migrations shipped in the package.

Users never run Alembic themselves: :func:`parallax.store.open_store` upgrades on open.
To add a migration after changing ``schema.py``, autogenerate it against a scratch
database at the current head, then review the generated file::

    python -m parallax.store.migrate "add a column for X"
"""

from __future__ import annotations

import functools
import sys
import tempfile
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection: sa.Connection | None = None) -> Config:
    """An Alembic config pointing at the packaged migrations (no alembic.ini)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@functools.cache
def head_revision() -> str | None:
    """The newest packaged revision (read once per process: opening a store checks it)."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


@functools.cache
def is_known(revision: str) -> bool:
    """Whether ``revision`` is one of the packaged migrations."""
    script = ScriptDirectory.from_config(alembic_config())
    return any(r.revision == revision for r in script.walk_revisions())


def current_revision(connection: sa.Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(connection: sa.Connection, revision: str = "head") -> None:
    """Upgrade the database behind ``connection`` (already in a transaction) to ``revision``."""
    command.upgrade(alembic_config(connection), revision)


def downgrade(connection: sa.Connection, revision: str = "base") -> None:
    command.downgrade(alembic_config(connection), revision)


def new_revision(message: str) -> None:
    """Autogenerate a migration from the difference between ``schema.py`` and the current head."""
    with tempfile.TemporaryDirectory() as tmp:
        engine = sa.create_engine(f"sqlite:///{Path(tmp) / 'scratch.db'}")
        with engine.begin() as conn:
            upgrade(conn)
            command.revision(alembic_config(conn), message=message, autogenerate=True)
        engine.dispose()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit('usage: python -m parallax.store.migrate "what the migration does"')
    new_revision(sys.argv[1])
