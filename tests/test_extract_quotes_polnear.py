"""Quote extraction on PolNeAR dev (all 84 articles) against pinned floors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from devdata import require_devdata

REPO = Path(__file__).resolve().parents[1]
FLOORS = json.loads((REPO / "tests" / "gold" / "quotes" / "floors.json").read_text(encoding="utf-8"))


@pytest.mark.devdata
def test_extract_quotes_polnear_dev_floors() -> None:
    data = require_devdata("polnear")
    from parallax.eval.quotes import evaluate

    result = evaluate(data, split=FLOORS["split"], limit=FLOORS["limit"])
    low = []
    for key, floor in FLOORS["floors"].items():
        mode, comp, metric = key.split(".")
        value = result[mode][comp][metric]
        if value < floor:
            low.append(f"{key} = {value} < floor {floor}")
    assert not low, "; ".join(low)
