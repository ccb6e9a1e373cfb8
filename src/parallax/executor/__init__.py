"""Executors run a list of stages over items; the stages don't know which one runs them."""

from __future__ import annotations

from parallax.executor.base import Executor
from parallax.executor.local import LocalExecutor

__all__ = ["Executor", "LocalExecutor", "get_executor"]


def get_executor(name: str = "local", *, address: str | None = None, shard_size: int = 64, max_in_flight: int = 8) -> Executor:
    """``local`` (in process) or ``ray`` (``address`` None starts or joins a local Ray)."""
    if name == "local":
        return LocalExecutor()
    if name == "ray":
        from parallax.executor.ray import RayExecutor

        return RayExecutor(address=address, shard_size=shard_size, max_in_flight=max_in_flight)
    from parallax.errors import ConfigError

    raise ConfigError(f"unknown executor '{name}'. Available: local, ray")
