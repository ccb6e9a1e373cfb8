"""Project-written event gold (tests/gold/events/cases.json): P/R/F1 above the pinned floors."""

from __future__ import annotations

import json
from pathlib import Path

from parallax.eval.events import evaluate, main

GOLD = Path(__file__).parent / "gold" / "events"
FLOORS = json.loads((GOLD / "floors.json").read_text("utf-8"))


def test_extract_events_gold_floors() -> None:
    scores = evaluate(GOLD / "cases.json")
    for name, floor in FLOORS.items():
        if not name.startswith("_"):
            assert scores[name] >= floor, f"{name} {scores[name]:.3f} < floor {floor}"


def test_extract_events_eval_main(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main([str(GOLD / "cases.json")]) == 0
    out = capsys.readouterr().out
    assert "dated    P" in out and "event and date both right" in out
