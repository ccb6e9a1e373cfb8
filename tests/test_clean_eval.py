"""The cleaner's scores on the article-extraction dev set stay above the pinned floors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from devdata import require_devdata
from parallax.eval.cleaning import aggregate, main, page_scores, title_match

FLOORS = json.loads(
    (Path(__file__).resolve().parent / "gold" / "cleaning" / "floors.json").read_text(encoding="utf-8")
)


def test_clean_eval_scoring_rule() -> None:
    text = "one two three four five six seven"
    assert page_scores(text, text) == (1.0, 0.0, 0.0)
    assert aggregate([page_scores(text, text)]) == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    tp, fp, fn = page_scores(text, "alpha beta gamma delta")
    assert tp == 0 and fp > 0 and fn > 0
    half = aggregate([page_scores(text, "one two three four five")])
    assert half["precision"] == 1.0 and 0 < half["recall"] < 1


def test_clean_eval_title_match_rule() -> None:
    assert title_match("Council backs tram plan", "Council Backs Tram Plan!") == (True, True)
    assert title_match("Council backs tram plan", "Council backs tram plan | Gazette") == (False, True)
    assert title_match(None, "x") == (False, False)


@pytest.mark.devdata
@pytest.mark.parametrize("mode", ["html", "text"])
def test_clean_eval_floors(mode: str) -> None:
    from parallax.eval.cleaning import evaluate

    data = require_devdata("article-extraction")
    result = evaluate(data, mode)  # type: ignore[arg-type]
    floors = FLOORS[mode]
    for key in ("precision", "recall", "f1"):
        assert result["body"][key] >= floors[key], (
            f"{mode} body {key} {result['body'][key]} < floor {floors[key]}"
        )
    assert result["title"]["exact"] >= floors["title_exact"]
    assert result["date"]["accuracy"] >= floors["date_accuracy"]
    if mode == "html":
        # the target: at least as good as trafilatura alone on the same pages
        assert result["body"]["f1"] >= result["baseline_trafilatura"]["f1"]
    assert result["pages"] == floors["pages"]


def test_clean_eval_main_without_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path)]) == 2
    assert "ground-truth.json" in capsys.readouterr().err
