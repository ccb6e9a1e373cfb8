"""Ingest decoding quality on the dev data, against pinned floors; reading real dev-data folders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from devdata import require_devdata
from parallax.ingest import read_inputs
from parallax.ingest.evaluate import RULE, evaluate
from parallax.records import RawDocument, Rejection

FLOORS = Path(__file__).parent / "gold" / "ingest" / "floors.json"


@pytest.mark.devdata
def test_decoding_scores_stay_above_floors() -> None:
    data = require_devdata("article-extraction").parent
    floors = {k: v for k, v in json.loads(FLOORS.read_text("utf-8")).items() if not k.startswith("_")}
    scores = evaluate(data)
    report = {name: round(score.f1, 4) for name, score in scores.items()}
    print(f"ingest decoding F1 {report}; rule: {RULE}")
    for name, floor in floors.items():
        assert scores[name].f1 >= floor, f"{name}: F1 {scores[name].f1:.4f} < floor {floor} ({RULE})"


@pytest.mark.devdata
def test_reads_the_ecbplus_news_please_folder() -> None:
    docs_dir = require_devdata("ecbplus") / "docs"
    items = list(read_inputs([str(docs_dir)]))
    docs = [x for x in items if isinstance(x, RawDocument)]
    rejections = [x for x in items if isinstance(x, Rejection)]
    assert rejections == []
    assert len(docs) == len(list(docs_dir.rglob("*.json")))
    assert all(d.format == "json" and d.text for d in docs)
    dated = [d for d in docs if "published" in d.metadata]
    assert dated and all(d.metadata["published"].source == "jsonl" for d in dated)
