"""Parallax's heuristics as data: one JSON file per area (``<area>_<name>.json``).

Every module reads its lexicon through :func:`load`, so a missing or broken file is
one clear :class:`~parallax.errors.ConfigError`, and each file is parsed once per process.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

from parallax.errors import ConfigError


@functools.cache
def load(name: str) -> Any:
    """The parsed lexicon file ``name`` (e.g. ``"claims_units.json"``); cached, don't mutate it."""
    try:
        text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
        return json.loads(text)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read lexicon {name}: {exc}", code="bad-lexicon") from exc
