"""Executors run a checked pipeline over items; the stages don't know which one runs them."""

from __future__ import annotations

from parallax.executor.base import Executor
from parallax.executor.local import LocalExecutor, available_cores

__all__ = ["Executor", "LocalExecutor", "available_cores", "get_executor"]


def get_executor(
    name: str = "local",
    *,
    workers: int | None = None,
    address: str | None = None,
    shard_size: int = 16,
    max_in_flight: int | None = None,
) -> Executor:
    """``local`` (this machine: ``workers`` processes, default the cores) or ``ray``.

    For ``ray``, ``address`` None starts or joins a local Ray, and ``workers`` None
    uses every CPU of the cluster.
    """
    if name == "local":
        return LocalExecutor(
            workers=workers or available_cores(), shard_size=shard_size, max_in_flight=max_in_flight
        )
    if name == "ray":
        from parallax.executor.ray import RayExecutor

        return RayExecutor(
            address=address, workers=workers, shard_size=shard_size, max_in_flight=max_in_flight
        )
    from parallax.errors import ConfigError

    raise ConfigError(f"unknown executor '{name}'. Available: local, ray")
