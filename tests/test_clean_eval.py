"""The cleaner's scores on the dev sets stay above the pinned floors, per set and per site fold."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from devdata import require_devdata
from parallax.eval.cleaning import (
    aggregate,
    fold_of,
    headline_reference,
    main,
    page_scores,
    site_of,
    title_match,
)

FLOORS = json.loads(
    (Path(__file__).resolve().parent / "gold" / "cleaning" / "floors.json").read_text(encoding="utf-8")
)
METRICS = {
    "precision": lambda g: g["body"]["precision"],
    "recall": lambda g: g["body"]["recall"],
    "f1": lambda g: g["body"]["f1"],
    "title_exact": lambda g: g["title"]["exact"],
    "title_headline": lambda g: g["title"]["headline"],
    "date_accuracy": lambda g: g["date"]["accuracy"],
}


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
    # the headline reference: the <h1> when og:title is it plus the site's name
    assert headline_reference("Council backs tram plan | Gazette", "Council backs tram plan") == (
        "Council backs tram plan"
    )
    assert headline_reference("Council backs tram plan", "Gazette") == "Council backs tram plan"


def test_clean_eval_folds_follow_sites() -> None:
    assert site_of("https://www.bbc.co.uk/news/x", "", "p1") == "bbc.co.uk"
    assert site_of("", '<link rel="canonical" href="https://edition.cnn.com/a">', "7") == "cnn.com"
    assert site_of("", "", "bbc.co.uk_news_01") == "bbc.co.uk"
    assert fold_of("bbc.co.uk") in ("A", "B") and fold_of("bbc.co.uk") == fold_of("bbc.co.uk")


def _check(result: dict[str, Any], floors: dict[str, dict[str, float]]) -> list[str]:
    failed = []
    for group, wanted in floors.items():
        if group.startswith("_"):
            continue
        got = result["groups"][group]
        for metric, floor in wanted.items():
            value = METRICS[metric](got)
            if value is None or value < floor:
                failed.append(f"{group} {metric} {value} < floor {floor}")
    return failed


@pytest.mark.devdata
@pytest.mark.parametrize("mode", ["html", "text"])
def test_clean_eval_floors(mode: str) -> None:
    from parallax.eval.cleaning import evaluate

    data = require_devdata("article-extraction")
    result = evaluate(data.parent, mode, sets=("article-extraction",))  # type: ignore[arg-type]
    assert _check(result, FLOORS[mode]) == []
    if mode == "html":
        # ahead of trafilatura alone on the same pages, on each fold
        for fold in ("A", "B"):
            group = result["groups"][f"article-extraction/{fold}"]
            assert group["body"]["f1"] >= group["baseline_trafilatura"]["f1"], fold
    assert result["pages"] == 91


@pytest.mark.devdata
@pytest.mark.slow
def test_clean_eval_floors_other_sets() -> None:
    from parallax.eval.cleaning import MORE_SETS, evaluate

    data = require_devdata("extraction-more")
    result = evaluate(data.parent, "html", sets=MORE_SETS)
    assert _check(result, FLOORS["html_more"]) == []


def test_clean_eval_main_without_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path)]) == 2
    assert "no pages" in capsys.readouterr().err
