"""Golden test: the numeric claims of the two seed articles (tests/gold/seeds/claims.json)."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import pytest

from parallax.extract import extract_article
from parallax.extract.claims import ClaimExtractor
from parallax.records import Article, Dateline, NumericClaim, Paragraph

GOLD = Path(__file__).parent / "gold" / "seeds" / "claims.json"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
CASES: list[dict[str, Any]] = json.loads(GOLD.read_text("utf-8"))["articles"]


def seed_article(case: dict[str, Any]) -> Article:
    """The body paragraphs between 'first' and 'last', by hand (the cleaner is tested on its own)."""
    lines = [ln.strip() for ln in (EXAMPLES / case["file"]).read_text("utf-8").splitlines()]
    body: list[str] = []
    on = False
    for ln in lines:
        on = on or ln.startswith(case["first"])
        if on and ln:
            body.append(ln)
        if on and ln.startswith(case["last"]):
            break
    dl = case.get("dateline")
    return Article(
        id=case["id"],
        source=case["file"],
        language="en",
        published=case.get("published"),
        dateline=Dateline(dl["places"], dl["date"]) if dl else None,
        paragraphs=[Paragraph(p) for p in body],
    )


def find(claims: list[NumericClaim], needle: str) -> NumericClaim:
    hits = [c for c in claims if needle in c.text]
    assert hits, f"no claim containing {needle!r} in {[c.text for c in claims]}"
    return hits[0]


def check(claim: NumericClaim, expected: dict[str, Any], *, attribution: bool) -> None:
    for key, want in expected.items():
        if key == "text_contains":
            continue
        if key == "as_of_endswith":
            assert claim.as_of and claim.as_of.endswith(want), (claim.text, claim.as_of)
        elif key == "attributed_to":
            if attribution:
                assert claim.attributed_to is not None and want in claim.attributed_to.name, (
                    claim.text,
                    claim.attributed_to,
                )
        else:
            assert getattr(claim, key) == want, (claim.text, key, getattr(claim, key), want)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_extract_claims_seed_alone(nlp, case: dict[str, Any]) -> None:
    article = seed_article(case)
    claims = extract_article(article, nlp=nlp, extractors=[ClaimExtractor()]).claims
    for expected in case["claims"]:
        claim = find(claims, expected["text_contains"])
        check(claim, expected, attribution=False)
        assert article.text[claim.start : claim.end] == claim.text
    values = {c.value for c in claims}
    assert not values & set(case["absent_values"])


def _default_chain_ready() -> bool:
    for mod in ("entities", "times", "quotes"):
        try:
            importlib.import_module(f"parallax.extract.{mod}")
        except ImportError:
            return False
    return True


@pytest.mark.skipif(not _default_chain_ready(), reason="entity/time/quote extractors not importable yet")
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_extract_claims_seed_default_chain(nlp, case: dict[str, Any]) -> None:
    article = seed_article(case)
    claims = extract_article(article, nlp=nlp).claims
    for expected in case["claims"]:
        check(find(claims, expected["text_contains"]), expected, attribution=True)


def _cleaner_ready() -> bool:
    try:
        importlib.import_module("parallax.clean")
    except ImportError:
        return False
    return True


@pytest.mark.skipif(
    not (_default_chain_ready() and _cleaner_ready()), reason="cleaner or extractors not importable yet"
)
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_extract_claims_seed_through_cleaner(nlp, case: dict[str, Any]) -> None:
    """The whole way: raw page text -> cleaner -> default extractors; captions and chrome add no claim."""
    from parallax.clean import clean_text

    article = clean_text((EXAMPLES / case["file"]).read_text("utf-8"), source=case["file"])
    claims = extract_article(article, nlp=nlp).claims
    for expected in case["claims"]:
        check(find(claims, expected["text_contains"]), expected, attribution=True)
    body = [c for c in claims if c.field == "body"]
    assert len(body) == len(case["claims"]), [c.text for c in claims]
    assert not {c.value for c in claims} & set(case["absent_values"])
