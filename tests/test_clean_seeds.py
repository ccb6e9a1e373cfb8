"""Golden tests: the two seed articles cleaned into the records of tests/gold/seeds/articles.json."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from parallax.clean import article_id, clean_document, complete_year, with_published
from parallax.records import Article, MetaValue, RawDocument, from_dict, to_dict

REPO = Path(__file__).resolve().parents[1]
GOLD = json.loads((REPO / "tests" / "gold" / "seeds" / "articles.json").read_text(encoding="utf-8"))[
    "articles"
]
FIELDS = ("outlet", "title", "standfirst", "byline", "section", "published", "updated", "language")


def _doc(name: str, metadata: dict[str, MetaValue] | None = None) -> RawDocument:
    path = REPO / "examples" / name
    raw = path.read_bytes()
    return RawDocument(
        source=str(path), format="text", raw=raw, text=raw.decode("utf-8"), metadata=metadata or {}
    )


@pytest.fixture(scope="module")
def cleaned() -> dict[str, Article]:
    return {g["file"]: clean_document(_doc(g["file"])) for g in GOLD}


def _cases(key: str) -> list[Any]:
    return [pytest.param(g["file"], g[key], id=g["file"][:3]) for g in GOLD]


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("name", [g["file"] for g in GOLD], ids=lambda n: n[:3])
def test_clean_seed_field(cleaned: dict[str, Article], name: str, field: str) -> None:
    expected = next(g for g in GOLD if g["file"] == name)[field]
    assert getattr(cleaned[name], field) == expected


@pytest.mark.parametrize(("name", "expected"), _cases("dateline"))
def test_clean_seed_dateline(cleaned: dict[str, Article], name: str, expected: dict[str, Any]) -> None:
    got = cleaned[name].dateline
    assert got is not None
    assert {"places": got.places, "date": got.date} == expected


@pytest.mark.parametrize(("name", "expected"), _cases("paragraphs"))
def test_clean_seed_paragraphs_exact(cleaned: dict[str, Article], name: str, expected: list[str]) -> None:
    article = cleaned[name]
    assert [p.text for p in article.paragraphs] == expected
    for p in article.paragraphs:
        assert p.raw_start is not None and p.raw_end is not None
        assert article.raw_text[p.raw_start : p.raw_end] == p.text


@pytest.mark.parametrize(("name", "expected"), _cases("captions"))
def test_clean_seed_captions(cleaned: dict[str, Article], name: str, expected: list[dict[str, str]]) -> None:
    assert [{"text": c.text, "credit": c.credit} for c in cleaned[name].captions] == expected


@pytest.mark.parametrize(("name", "expected"), _cases("removed"))
def test_clean_seed_boilerplate_removed_with_reason(
    cleaned: dict[str, Article], name: str, expected: list[dict[str, Any]]
) -> None:
    article = cleaned[name]
    removed = {r.text: r.reason for r in article.removed}
    paragraphs = {p.text for p in article.paragraphs}
    for item in expected:
        assert item["text"] in removed, f"not removed: {item['text']!r}"
        assert removed[item["text"]] in item["reasons"], f"{item['text']!r}: reason {removed[item['text']]!r}"
        assert item["text"] not in paragraphs
    for r in article.removed:
        assert r.reason and article.raw_text[r.raw_start : r.raw_end] == r.text


@pytest.mark.parametrize(("name", "expected"), _cases("provenance"))
def test_clean_seed_provenance(cleaned: dict[str, Article], name: str, expected: dict[str, str]) -> None:
    assert cleaned[name].provenance == expected


def test_clean_seed_pull_quotes_survive_once(cleaned: dict[str, Article]) -> None:
    body = cleaned["003_6e03357977c303e3.txt"].text
    assert body.count("An anti-terrorist operation has been launched") == 1
    assert body.count("But what is clear is that all demonstrations need to be peaceful") == 1
    # the copy kept is the one in the flow: quoted and attributed
    assert '"An anti-terrorist operation has been launched.' in body
    assert "Kassym-Jomart Tokayev, Kazakh president" not in body


def test_clean_seed_tass_year_not_guessed(cleaned: dict[str, Article]) -> None:
    tass = cleaned["000_4fce811644d33bf8.txt"]
    assert tass.published is None
    assert "published" not in tass.provenance
    assert tass.dateline is not None and tass.dateline.date == "--01-10"
    assert tass.provenance["dateline"] == "text"


def test_clean_seed_tass_year_from_metadata() -> None:
    meta = {
        "published": MetaValue("2022-01-10", "user-metadata"),
        "outlet": MetaValue("TASS Russian News Agency", "user-metadata"),
    }
    tass = clean_document(_doc("000_4fce811644d33bf8.txt", meta))
    assert tass.published == "2022-01-10"
    assert tass.provenance["published"] == "user-metadata"
    assert tass.outlet == "TASS Russian News Agency"
    assert tass.provenance["outlet"] == "user-metadata"
    # the dateline still says what the text says
    assert tass.dateline is not None and tass.dateline.date == "--01-10"


def test_clean_seed_story_context_completion(cleaned: dict[str, Article]) -> None:
    tass = cleaned["000_4fce811644d33bf8.txt"]
    completed = complete_year(tass, 2022)
    assert completed.published == "2022-01-10"
    assert completed.provenance["published"] == "story-context"
    assert completed.dateline == tass.dateline  # the dateline keeps what the text says
    china_daily = cleaned["003_6e03357977c303e3.txt"]
    assert complete_year(china_daily, 1999) is china_daily  # already dated: untouched
    assert with_published(tass, "2022-01-10", "user-metadata").provenance["published"] == "user-metadata"


def test_clean_seed_metadata_priority() -> None:
    meta = {
        "title": MetaValue("Feed title", "feed"),
        "byline": MetaValue("Desk", "user-metadata"),
        "published": MetaValue("2022-01-07T02:24:00Z", "feed"),
    }
    cd = clean_document(_doc("003_6e03357977c303e3.txt", meta))
    assert (cd.title, cd.provenance["title"]) == ("Feed title", "feed")
    assert (cd.byline, cd.provenance["byline"]) == ("Desk", "user-metadata")
    assert cd.published == "2022-01-07T02:24:00+00:00"
    assert cd.provenance["published"] == "feed"
    assert (cd.updated, cd.provenance["updated"]) == ("2022-01-07T18:27", "text")


@pytest.mark.parametrize("name", [g["file"] for g in GOLD], ids=lambda n: n[:3])
def test_clean_seed_ids_and_roundtrip(cleaned: dict[str, Article], name: str) -> None:
    article = cleaned[name]
    raw = (REPO / "examples" / name).read_bytes()
    assert article.id == article_id(raw) == hashlib.sha256(raw).hexdigest()[:16]
    assert article.content_hash == hashlib.sha256(raw).hexdigest()
    assert article.raw_text == raw.decode("utf-8")
    assert from_dict(Article, to_dict(article)) == article
