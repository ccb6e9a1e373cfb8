"""Parallax's heuristics as data: one JSON file per area (``<area>_<name>.json``).

Every module reads its lexicon through :func:`load`, so a missing or broken file is
one clear :class:`~parallax.errors.ConfigError`, and each file is parsed once per process.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable
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


def alternation(forms: Iterable[str], space: str = r"\s+") -> str:
    """A regex alternation of literal lexicon forms, longest first (so "tens of thousands"
    beats "thousands", "sept" beats "sep"), a space in a form matching ``space`` (any run of
    whitespace by default). Raises ValueError on no forms: an empty group would match everywhere."""
    unique = sorted(set(forms), key=len, reverse=True)
    if not unique:
        raise ValueError("empty form group")
    return "|".join(re.escape(f).replace(r"\ ", space) for f in unique)
