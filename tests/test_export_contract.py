"""The export's shape is a contract: these keys exist with these names."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES
from parallax.cli import app
from parallax.export import ARTICLE_KEYS, FACT_KEYS, STORY_KEYS

runner = CliRunner()

#: the keys issue #2 and #3 and #4 fix (more are welcome, none may go)
REQUIRED_ARTICLE = {
    "id", "source", "outlet", "title", "standfirst", "byline", "section", "dateline", "published", "updated",
    "language", "provenance", "text", "paragraphs", "captions", "removed", "duplicate_of",
    "entities", "quotes", "times", "claims", "events",
}  # fmt: skip
REQUIRED_FACTS = {
    "entities": {"id", "name", "type", "mentions"},
    "quotes": {"text", "kind", "speaker", "cue", "nested_speaker", "start", "end", "confidence"},
    "times": {"text", "value", "type", "start", "end"},
    "claims": {"text", "value", "low", "high", "qualifier", "vague", "unit", "counted", "category", "attributed_to",
               "as_of", "scare_quoted", "start", "end", "confidence"},
    "events": {"type", "text", "date", "places", "actors", "from_caption", "start", "end", "confidence"},
}  # fmt: skip
REQUIRED_STORY = {"id", "title", "article_ids", "first_seen", "last_seen", "outlets", "comparison"}


def test_export_contract_declared_keys_cover_the_issue() -> None:
    assert set(ARTICLE_KEYS) >= REQUIRED_ARTICLE
    for kind, keys in REQUIRED_FACTS.items():
        assert keys <= set(FACT_KEYS[kind]), kind
    assert set(STORY_KEYS) >= REQUIRED_STORY


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("export") / "p.db")
    result = runner.invoke(app, ["ingest", str(EXAMPLES), "--db", path])
    assert result.exit_code == 0, result.output
    return path


def test_export_contract_json_shape(db: str) -> None:
    data = json.loads(runner.invoke(app, ["export", "--format", "json", "--db", db]).stdout)
    assert set(data) >= {"articles", "stories"}
    for art in data["articles"]:
        assert set(ARTICLE_KEYS) <= set(art)
        assert art["text"] == "\n\n".join(art["paragraphs"])
        assert all(set(c) >= {"text", "credit"} for c in art["captions"])
        assert all(set(r) >= {"text", "reason"} for r in art["removed"])
        assert art["dateline"] is None or set(art["dateline"]) >= {"places", "date"}


def test_export_contract_jsonl_csv_parquet(db: str, tmp_path: Path) -> None:
    lines = runner.invoke(app, ["export", "--format", "jsonl", "--db", db]).stdout.strip().splitlines()
    assert len(lines) == 2 and all(set(ARTICLE_KEYS) <= set(json.loads(line)) for line in lines)
    out = runner.invoke(app, ["export", "--format", "csv", "--db", db]).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 2 and {"id", "outlet", "title", "published", "dateline_places", "paragraphs"} <= set(rows[0])
    target = tmp_path / "a.parquet"
    assert runner.invoke(app, ["export", "--format", "parquet", "--out", str(target), "--db", db]).exit_code == 0
    table = pq.read_table(target)
    assert table.num_rows == 2 and "outlet" in table.column_names
