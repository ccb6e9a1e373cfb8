"""Executors run a list of stages over items; the stages don't know which one runs them."""

from __future__ import annotations

from parallax.executor.base import Executor
from parallax.executor.local import LocalExecutor

__all__ = ["Executor", "LocalExecutor", "get_executor"]


def get_executor(name: str = "local", **kwargs: object) -> Executor:
    if name == "local":
        return LocalExecutor()
    if name == "ray":
        from parallax.executor.ray import RayExecutor

        return RayExecutor(**kwargs)  # type: ignore[arg-type]
    from parallax.errors import ConfigError

    raise ConfigError(f"unknown executor '{name}'. Available: local, ray")
