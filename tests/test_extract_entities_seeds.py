"""Entities of the two seed articles and the entity/coreference gold set with pinned floors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parallax.extract import extract_article
from parallax.extract.entities import EntityExtractor
from parallax.records import ArticleFacts
from test_extract_quotes_seeds import seed_article

REPO = Path(__file__).resolve().parents[1]
GOLD = json.loads((REPO / "tests" / "gold" / "seeds" / "entities.json").read_text(encoding="utf-8"))
FLOORS = json.loads((REPO / "tests" / "gold" / "entities" / "floors.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed_entities() -> dict[str, ArticleFacts]:
    return {
        key: extract_article(seed_article(key), extractors=[EntityExtractor()]) for key in GOLD["expected"]
    }


@pytest.mark.parametrize(
    ("key", "index"), [(k, i) for k, v in GOLD["expected"].items() for i in range(len(v))]
)
def test_extract_entities_seed_expected(seed_entities: dict[str, ArticleFacts], key: str, index: int) -> None:
    exp = GOLD["expected"][key][index]
    facts = seed_entities[key]
    matches = [e for e in facts.entities if e.name == exp["name"]]
    assert len(matches) == 1, (
        f"{key}: {exp['name']} found {len(matches)} times: {[(e.name, e.type) for e in facts.entities]}"
    )
    ent = matches[0]
    assert ent.type == exp["type"]
    texts = {m.text for m in ent.mentions}
    missing = [m for m in exp["mentions"] if m not in texts]
    assert not missing, f"{key}: {exp['name']} lacks mentions {missing}; has {sorted(texts)}"


@pytest.mark.parametrize("key", list(GOLD["expected"]))
def test_extract_entities_seed_ids_and_spans(seed_entities: dict[str, ArticleFacts], key: str) -> None:
    article = seed_article(key)
    facts = seed_entities[key]
    assert [e.id for e in facts.entities] == [f"E{i + 1}" for i in range(len(facts.entities))]
    for ent in facts.entities:
        for m in ent.mentions:
            assert article.field_text(m.field, m.field_index)[m.start : m.end] == m.text


def test_extract_entities_gold_floors() -> None:
    from parallax.eval.entities import evaluate

    result = evaluate()
    for key, floor in FLOORS["floors"].items():
        group, metric = key.split(".")
        assert result[group][metric] >= floor, f"{key} = {result[group][metric]} < floor {floor}"
