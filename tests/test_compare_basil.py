"""Comparison on real non-seed stories: BASIL (Fox News, NYT, HuffPost per story).

Facts come from each article alone (quotes in quotation marks, BASIL's speakers),
see parallax.compare.evaluate for the matching rule behind the scores.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from devdata import require_devdata
from parallax.compare import compare_story
from parallax.compare.evaluate import basil_stories, evaluate_basil

FLOORS = Path(__file__).resolve().parent / "gold" / "compare" / "floors.json"


@pytest.fixture(scope="module")
def basil() -> Path:
    return require_devdata("basil")


@pytest.mark.devdata
def test_compare_basil_scores_hold_floors(basil: Path) -> None:
    pinned = json.loads(FLOORS.read_text(encoding="utf-8"))
    result = evaluate_basil(basil)
    assert result["stories"] == pinned["stories"]
    for part, floors in pinned["floors"].items():
        for metric, floor in floors.items():
            got = result[part][metric]  # type: ignore[index]
            assert got >= floor, f"{part} {metric} {got} fell below the floor {floor}"


@pytest.mark.devdata
def test_compare_basil_entries_are_consistent(basil: Path) -> None:
    for _, articles, facts in list(basil_stories(basil))[:20]:
        comp = compare_story(articles, facts)
        outlets = {a.outlet for a in articles}
        quote_ids = {(f.article_id, q.id) for f in facts for q in f.quotes}
        for om in comp.omissions:
            assert om.present_in and om.absent_from
            assert not set(om.present_in) & set(om.absent_from)
            assert set(om.present_in) | set(om.absent_from) == outlets
            for r in om.refs:
                assert (r.article_id, r.fact_id) in quote_ids
        for st in [*comp.statements, *comp.quotes]:
            assert len({v.article_id for v in st.versions}) >= 2
            assert st.relation in {"same", "update", "tension", "drift"}
        for v in comp.voices:
            assert v.count >= 1 and v.outlet in outlets
