"""Quality gate for story figures: the hand-written gold's scores stay above pinned floors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from devdata import require_devdata
from parallax.eval.figures import (
    DEV_PREFIXES,
    GoldRow,
    Predicted,
    evaluate,
    load_gold,
    main,
    score,
    split_of,
)

GOLD = Path(__file__).parent / "gold" / "figures"
FLOORS = json.loads((GOLD / "floors.json").read_text("utf-8"))


def test_eval_figures_gold_is_well_formed() -> None:
    rows = load_gold(GOLD / "figures.tsv")
    figures = [r for r in rows if r.kind == "F"]
    assert len(figures) >= 100 and len(rows) - len(figures) >= 100
    assert {r.kind for r in rows} == {"F", "N"}
    for r in figures:
        assert r.measure, r
    # both parts are there, and a story is never split across them
    assert {split_of(r.article) for r in rows} == {"dev", "held-out"}
    assert all(r.article.startswith(DEV_PREFIXES) == (split_of(r.article) == "dev") for r in rows)


def _g(article: str, measure: str, value: float, as_of: str, qualifier: str | None = None) -> GoldRow:
    return GoldRow("F", article, 0, measure, (value, value), qualifier, as_of, None, False, None, None)


def _p(article: str, measure: str, value: float, as_of: str, outlet: str) -> Predicted:
    return Predicted(article, measure, (value, value), as_of, False, None, "C1", outlet)


def test_eval_figures_scoring_rules() -> None:
    gold = [
        _g("a", "killed", 36, "2023-08-10", "at least"),
        _g("b", "killed", 36, "2023-08-10"),
        _g("c", "killed", 50, "2023-08-10"),
        _g("c", "missing", 1000, "2023-08-10"),
    ]
    preds = [
        _p("a", "killed", 36, "2023-08-10", "A"),
        _p("b", "killed", 36, "2023-08-11", "B"),
        _p("c", "killed", 50, "2023-08-10", "C"),
        _p("c", "killed", 1000, "2023-08-10", "C"),  # the right number under the wrong measure
    ]
    # b and c disagree on one day (a conflict); "at least 36" and "36" agree (no conflict)
    s = score(gold, preds, [("1", "2"), ("0", "1")])
    assert (s.tp, s.predicted, s.gold) == (3, 4, 4)
    assert s.measure_accuracy == 0.75  # 3 of the 4 gold figures whose value was predicted
    assert s.as_of_accuracy == round(2 / 3, 4)
    assert s.conflict_precision == 0.5
    assert s.conflicts_gold == 1  # b-c; "at least 36" allows 50


@pytest.mark.devdata
@pytest.mark.parametrize("split", ["dev", "held-out"])
def test_eval_figures_floors(split: str) -> None:
    (res,) = evaluate(require_devdata("stories-long").parent, GOLD / "figures.tsv", (split,))
    for key, floor in FLOORS[split].items():
        got = getattr(res, key)
        assert got is not None and got >= floor, f"{split} {key} {got} < floor {floor}"


def test_eval_figures_main_needs_data(tmp_path, capsys) -> None:
    assert main(["--data", str(tmp_path)]) == 2
    assert "not found" in capsys.readouterr().err
