"""Outlet-specific cleaning rules, registered by name; the general rules do the rest.

A plugin is a function ``Article -> Article`` run after the general cleaner for
articles whose outlet matches the registered name (case-insensitive)::

    @register_outlet("Example Times")
    def _drop_promo(article: Article) -> Article:
        ...

None is registered by default: every rule that works on more than one outlet
belongs in ``lexicons/clean_*.json`` instead.
"""

from __future__ import annotations

from collections.abc import Callable

from parallax.errors import ConfigError
from parallax.records import Article

OutletPlugin = Callable[[Article], Article]

_REGISTRY: dict[str, OutletPlugin] = {}


def register_outlet(name: str, *, force: bool = False) -> Callable[[OutletPlugin], OutletPlugin]:
    """Decorator: run the function on every article of outlet ``name``."""
    key = name.strip().lower()
    if not key:
        raise ConfigError("an outlet plugin needs a non-empty outlet name", code="bad-plugin")

    def wrap(fn: OutletPlugin) -> OutletPlugin:
        if key in _REGISTRY and not force:
            raise ConfigError(
                f"an outlet plugin for '{name}' is already registered (use force=True to replace it)",
                code="bad-plugin",
            )
        _REGISTRY[key] = fn
        return fn

    return wrap


def unregister_outlet(name: str) -> None:
    """Remove the plugin of outlet ``name`` (no error when there is none)."""
    _REGISTRY.pop(name.strip().lower(), None)


def outlet_plugin(outlet: str | None) -> OutletPlugin | None:
    """The plugin registered for ``outlet``, if any."""
    return _REGISTRY.get(outlet.strip().lower()) if outlet else None


def registered_outlets() -> list[str]:
    """Names (lower-cased) of the outlets that have a plugin."""
    return sorted(_REGISTRY)
