from __future__ import annotations

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict

from parallax.store import Store, open_store


class Settings(BaseSettings):
    """``PARALLAX_DB``: the database URL or SQLite path the server reads."""

    model_config = SettingsConfigDict(env_prefix="PARALLAX_")
    db: str | None = None


@lru_cache
def get_settings() -> Settings:
    return Settings()


@lru_cache(maxsize=4)
def _store_for(db: str | None) -> Store:
    # One store (one connection pool) per database for the app's lifetime: opening
    # one per request costs a migration check each time.
    return open_store(db)


def get_store() -> Store:
    return _store_for(get_settings().db)
