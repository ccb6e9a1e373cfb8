"""The hand-written comparison gold on stories-long (tests/gold/comparison/) against pinned floors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from devdata import require_devdata
from parallax.compare.evaluate import GOLD, score_gold_set
from parallax.records import Comparison, Label, Omission, Voice

FLOORS = json.loads((GOLD.parent / "floors.json").read_text(encoding="utf-8"))


def test_compare_gold_is_ids_and_annotations_only() -> None:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    assert {s["split"] for s in gold["sets"]} == {"dev", "held-out"}
    for gset in gold["sets"]:
        assert all(re.fullmatch(r"[A-Za-z]+_[a-z]+-\d+", d) for d in gset["docs"])
        outlets = {o for f in gset["facts"] for o in f["present"]}
        assert outlets <= {v["outlet"] for v in gset["voices"]} | outlets
        for f in gset["facts"]:
            for key in f["keys"]:
                re.compile(key)
    assert (GOLD.parent / "GUIDELINES.md").is_file()


def test_compare_gold_scoring_rules() -> None:
    gset = {
        "facts": [
            {"id": "f1", "keys": ["dividend"], "present": ["A"], "central": True},
            {"id": "f2", "keys": ["thanks"], "present": ["A"], "central": False},
        ],
        "voices": [{"outlet": "A", "names": ["Obama", "the president"], "role": "official"}],
        "labels": [{"outlet": "A", "term": "rebels"}],
    }
    comp = Comparison(
        omissions=[
            Omission("statement", "BP: no dividend this year", ["A"], ["B"], central=True, rank=1),
            Omission("statement", "BP: no dividend this year", ["B"], ["A"], central=True, rank=2),
            Omission("quote", "Svanberg: thanks for your patience", ["A"], ["B"], central=True, rank=3),
            Omission("quote", "minor", ["A"], ["B"], central=False, rank=4),
        ],
        voices=[Voice("A", "Barack Obama", "expert", 2), Voice("A", "firefighting efforts", "other", 1)],
        labels=[Label("A", "rebels", "militants", 1), Label("A", "chaos", "riots", 1)],
    )
    got = score_gold_set(gset, comp)
    assert [o["correct"] for o in got["omissions"]] == [True, False, False]
    assert [(v["correct"], v["gold_role"]) for v in got["voices"]] == [(True, "official"), (False, None)]
    assert [lb["correct"] for lb in got["labels"]] == [True, False]


@pytest.mark.devdata
@pytest.mark.slow
def test_compare_gold_holds_floors() -> None:
    from parallax.compare.evaluate import evaluate_gold

    data = require_devdata("stories-long")
    result = evaluate_gold(Path(data))
    low = []
    for split, floors in FLOORS["floors"].items():
        got = result["by_split"][split]
        for metric, floor in floors.items():
            value = got[metric]["accuracy" if metric == "role_accuracy" else "precision"]
            if value is None or value < floor:
                low.append(f"{split} {metric} = {value} < floor {floor}")
    assert not low, "; ".join(low)
