"""Where the shared development data lives (never committed to the repo)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def devdata_dir() -> Path | None:
    """``$PARALLAX_DEVDATA``, else ``<repo>/../shared/data``; None when absent."""
    env = os.environ.get("PARALLAX_DEVDATA")
    path = Path(env) if env else REPO.parent / "shared" / "data"
    return path if path.is_dir() else None


def require_devdata(sub: str) -> Path:
    """The dev-data folder ``sub``, or skip the test with a clear message."""
    base = devdata_dir()
    if base is None or not (base / sub).exists():
        pytest.skip(f"../shared/data/{sub} not found: set PARALLAX_DEVDATA to the shared data folder to run this evaluation")
    return base / sub
