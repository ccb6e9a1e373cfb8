"""Golden quotes of the two seed articles (tests/gold/seeds/quotes.json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parallax.extract import extract_article
from parallax.extract.entities import EntityExtractor
from parallax.extract.quotes import QuoteExtractor
from parallax.records import Article, ArticleFacts, Paragraph

REPO = Path(__file__).resolve().parents[1]
GOLD = json.loads((REPO / "tests" / "gold" / "seeds" / "quotes.json").read_text(encoding="utf-8"))
PRONOUNS = {"he", "she", "him", "her", "his", "they", "them", "it", "we", "i"}


def seed_article(key: str) -> Article:
    """The seed article built by hand from examples/*.txt (no dependency on the cleaner)."""
    spec = GOLD["articles"][key]
    raw = (REPO / "examples" / spec["file"]).read_text(encoding="utf-8")
    body = raw[raw.index(spec["body_from"]) :]
    if spec["body_to"]:
        body = body[: body.index(spec["body_to"])]
    paras = [p.strip() for p in body.split("\n\n") if p.strip()]
    # the page writes some label lines with no-break spaces: compare with plain spaces
    paras = [p for p in paras if not " ".join(p.split()).startswith(tuple(spec["drop_prefixes"]))]
    return Article(
        id=key,
        source=spec["file"],
        title=spec["title"],
        standfirst=spec["standfirst"],
        paragraphs=[Paragraph(p) for p in paras],
        language="en",
    )


@pytest.fixture(scope="module")
def seed_facts() -> dict[str, ArticleFacts]:
    return {
        key: extract_article(seed_article(key), extractors=[EntityExtractor(), QuoteExtractor()])
        for key in GOLD["articles"]
    }


def _matches(q, exp: dict) -> bool:  # type: ignore[no-untyped-def]
    return (
        exp["content"].lower() in q.text.lower()
        and q.speaker is not None
        and exp["speaker"].lower() in q.speaker.name.lower()
        and q.kind == exp["kind"]
        and (q.cue or "").lower() == exp["cue"].lower()
        and ("field" not in exp or q.field == exp["field"])
    )


@pytest.mark.parametrize(
    ("key", "index"), [(k, i) for k, exps in GOLD["expected"].items() for i in range(len(exps))]
)
def test_extract_quotes_seed_expected(seed_facts: dict[str, ArticleFacts], key: str, index: int) -> None:
    exp = GOLD["expected"][key][index]
    facts = seed_facts[key]
    found = [q for q in facts.quotes if _matches(q, exp)]
    assert found, (
        f"{key}: no quote {exp}; got {[(q.kind, q.cue, q.speaker, q.text[:60]) for q in facts.quotes]}"
    )
    if "nested_speaker" in exp:
        assert any(
            q.nested_speaker is not None and exp["nested_speaker"].lower() in q.nested_speaker.name.lower()
            for q in found
        )


@pytest.mark.parametrize("key", list(GOLD["articles"]))
def test_extract_quotes_seed_no_wrong_speakers(seed_facts: dict[str, ArticleFacts], key: str) -> None:
    allowed = [s.lower() for s in GOLD["allowed_speakers"][key]]
    for q in seed_facts[key].quotes:
        assert q.speaker is not None, f"{key}: quote without speaker: {q.text[:80]}"
        assert q.speaker.name.lower() not in PRONOUNS
        assert any(a in q.speaker.name.lower() for a in allowed), (
            f"{key}: unexpected speaker {q.speaker} for {q.text[:80]}"
        )
        assert 0.0 <= q.confidence <= 1.0


@pytest.mark.parametrize("key", list(GOLD["articles"]))
def test_extract_quotes_seed_spans_point_into_fields(seed_facts: dict[str, ArticleFacts], key: str) -> None:
    article = seed_article(key)
    entity_ids = {e.id for e in seed_facts[key].entities}
    for q in seed_facts[key].quotes:
        field_text = article.field_text(q.field, q.field_index)
        assert 0 <= q.start < q.end <= len(field_text)
        if q.cue_start is not None and q.cue_end is not None:
            assert field_text[q.cue_start : q.cue_end] == q.cue
        assert q.speaker is not None and q.speaker.entity_id in entity_ids
