from __future__ import annotations

from collections.abc import Iterator
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


def get_store() -> Iterator[Store]:
    store = open_store(get_settings().db)
    try:
        yield store
    finally:
        store.close()
