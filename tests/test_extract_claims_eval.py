"""Quality gate: claims scores on NewsQuant dev and the project's own gold set stay above pinned floors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from devdata import require_devdata
from parallax.eval.claims import evaluate, main, parse_gold_value, values_match

GOLD = Path(__file__).parent / "gold" / "claims"
FLOORS = json.loads((GOLD / "floors.json").read_text("utf-8"))


def _check(res: dict, floors: dict) -> None:
    for key, floor in floors.items():
        assert res[key] is not None and res[key] >= floor, f"{key} {res[key]} < floor {floor}"


@pytest.mark.devdata
def test_extract_claims_newsquant_floors() -> None:
    path = require_devdata("newsquant") / "NewsQuant-dev.json"
    _check(evaluate(path), FLOORS["newsquant"])


def test_extract_claims_project_gold_floors() -> None:
    _check(evaluate(GOLD / "project-gold.json"), FLOORS["project-gold"])


@pytest.mark.parametrize(
    ("pred", "gold", "ok"),
    [
        ("5", "5.0", True),
        ("5-10", "10.0-5.0", True),
        ("5", "5-10", False),
        ("1.99E-29", "1.99e-29", True),
        ("3.0 - 4.0", "3-4", True),
    ],
)
def test_extract_claims_eval_value_rule(pred: str, gold: str, ok: bool) -> None:
    p, g = parse_gold_value(pred), parse_gold_value(gold)
    assert p is not None and g is not None
    assert values_match(p, g) is ok


def test_extract_claims_eval_main_prints_rule(capsys) -> None:
    assert main([str(GOLD / "project-gold.json"), "--limit", "5"]) == 0
    out = capsys.readouterr().out
    assert "F1" in out and "relative tolerance 1e-5" in out
