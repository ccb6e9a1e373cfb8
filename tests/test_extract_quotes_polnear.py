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


def test_citron_overlap_counts_shared_tokens() -> None:
    from parallax.eval.quotes import Relation, score

    text = "Jane Roe said the bridge will reopen by spring, officials said."
    gold = [Relation(cue=((9, 13),), source=((0, 8),), content=((14, 47),))]
    # the source is right, the content has one extra and one missing word
    pred = [Relation(cue=((9, 13),), source=((0, 8),), content=((18, 55),))]
    result = score([(text, gold, pred)])["citron"]
    assert result["source"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    shared = len(["bridge", "will", "reopen", "by", "spring"])
    assert result["content"]["precision"] == round(shared / (shared + 1), 4)
    assert result["content"]["recall"] == round(shared / (shared + 1), 4)
    assert score([(text, gold, [])])["citron"]["content"]["recall"] == 0.0


def test_cue_model_ships_with_its_provenance() -> None:
    from parallax.extract.cues import load_cue_model

    model = load_cue_model("en")
    assert model is not None
    assert model.meta["command"].startswith("python -m parallax.train.cues")
    assert model.meta["data_version"] and model.meta["articles"] == 840
    assert 0.0 < model.threshold < 1.0 and len(model.weights) > 100
