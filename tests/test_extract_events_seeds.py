"""Dated events of the two seed articles (tests/gold/seeds/events.json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parallax.extract import extract_article
from parallax.extract.entities import EntityExtractor
from parallax.extract.events import EventExtractor
from parallax.extract.quotes import QuoteExtractor
from parallax.extract.times import TimeExtractor
from parallax.records import Article, ArticleFacts, Caption, Event, Paragraph

REPO = Path(__file__).resolve().parents[1]
GOLD = json.loads((REPO / "tests" / "gold" / "seeds" / "events.json").read_text(encoding="utf-8"))


def seed_article(key: str) -> Article:
    """The seed article built by hand from examples/*.txt (no dependency on the cleaner)."""
    spec = GOLD["articles"][key]
    raw = (REPO / "examples" / spec["file"]).read_text(encoding="utf-8")
    body = raw[raw.index(spec["body_from"]) :]
    if spec["body_to"]:
        body = body[: body.index(spec["body_to"])]
    paras = [p.strip() for p in body.split("\n\n") if p.strip()]
    paras = [p for p in paras if not p.startswith(tuple(spec["drop_prefixes"]))]
    caption = spec["caption"]
    return Article(
        id=key,
        source=spec["file"],
        title=spec["title"],
        standfirst=spec["standfirst"],
        published=spec["published"],
        paragraphs=[Paragraph(p) for p in paras],
        captions=[Caption(caption["text"], caption["credit"])] if caption else [],
        language="en",
    )


@pytest.fixture(scope="module")
def seed_facts() -> dict[str, ArticleFacts]:
    extractors = [EntityExtractor(), TimeExtractor(), QuoteExtractor(), EventExtractor()]
    return {key: extract_article(seed_article(key), extractors=extractors) for key in GOLD["articles"]}


def _matches(e: Event, exp: dict) -> bool:  # type: ignore[type-arg]
    dates = (e.date.start, e.date.end) if e.date else (None, None)
    return (
        e.type == exp["type"]
        and exp["trigger"].lower() in e.text.lower()
        and dates == (exp["start"], exp["end"])
        and ("from_caption" not in exp or e.from_caption == exp["from_caption"])
        and ("actor" not in exp or any(exp["actor"].lower() in a.lower() for a in e.actors))
        and ("place" not in exp or any(exp["place"].lower() in p.lower() for p in e.places))
    )


@pytest.mark.parametrize(
    ("key", "index"), [(k, i) for k, exps in GOLD["expected"].items() for i in range(len(exps))]
)
def test_extract_events_seed_expected(seed_facts: dict[str, ArticleFacts], key: str, index: int) -> None:
    exp = GOLD["expected"][key][index]
    events = seed_facts[key].events
    assert any(_matches(e, exp) for e in events), (
        f"{key}: no event {exp}; got {[(e.type, e.text, e.date) for e in events]}"
    )


@pytest.mark.parametrize(("key", "text"), [(k, t) for k, ts in GOLD["times"].items() for t in ts])
def test_extract_times_seed_values(seed_facts: dict[str, ArticleFacts], key: str, text: str) -> None:
    want = GOLD["times"][key][text]
    got = {t.text: t.value for t in seed_facts[key].times}
    assert got.get(text) == want, f"{key}: {text!r} -> {got.get(text)!r}, want {want!r}; all {got}"


def test_extract_events_seed_no_guessed_year(seed_facts: dict[str, ArticleFacts]) -> None:
    facts = seed_facts["tass_no_year"]
    for t in facts.times:
        assert "2022" not in t.value, t
    for e in facts.events:
        if e.date:
            for v in (e.date.start, e.date.end):
                assert v is None or not v[:1].isdigit(), e


def test_extract_events_seed_offsets_point_into_fields(seed_facts: dict[str, ArticleFacts]) -> None:
    for key, facts in seed_facts.items():
        article = seed_article(key)
        for e in facts.events:
            assert article.field_text(e.field, e.field_index)[e.start : e.end] == e.text, (key, e)
            assert e.extractor == "events@1"
        for t in facts.times:
            assert article.field_text(t.field, t.field_index)[t.start : t.end] == t.text, (key, t)


def test_extract_events_seed_caption_only_from_caption(seed_facts: dict[str, ArticleFacts]) -> None:
    for e in seed_facts["china_daily"].events:
        assert e.from_caption == (e.field == "caption")
