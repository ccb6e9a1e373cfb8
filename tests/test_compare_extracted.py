"""The seed story compared from the real cleaner and extractors' output.

Skips while an extractor module is missing (they are written in parallel). The
expected findings are those of tests/gold/seeds/comparison.json; fact ids are
the extractors' own, so references are not checked by id here.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

import test_compare_seed as seed
from conftest import CHINA_DAILY, TASS
from parallax.compare import compare_story
from parallax.records import Comparison


@pytest.fixture(scope="module")
def extracted() -> Comparison:
    from parallax.clean import clean_text
    from parallax.extract import extract_articles

    articles = [clean_text(p.read_text(encoding="utf-8"), source=str(p)) for p in (TASS, CHINA_DAILY)]
    facts = list(extract_articles(articles))
    return compare_story(articles, facts)


@pytest.fixture(scope="module")
def expected() -> dict[str, Any]:
    return json.loads(seed.EXPECTED.read_text(encoding="utf-8"))


def test_compare_extracted_entities(extracted: Comparison, expected: dict[str, Any]) -> None:
    seed.test_compare_seed_entities_merge(extracted, expected)


def test_compare_extracted_figures(extracted: Comparison, expected: dict[str, Any]) -> None:
    seed.test_compare_seed_figures(extracted, expected, skip=tuple(expected["extracted_skip_figures"]))


def test_compare_extracted_statements(extracted: Comparison, expected: dict[str, Any]) -> None:
    seed.test_compare_seed_statements(extracted, expected)


def test_compare_extracted_omissions(extracted: Comparison, expected: dict[str, Any]) -> None:
    seed.test_compare_seed_omissions(extracted, expected, exact_ids=False)


def test_compare_extracted_voices_and_labels(extracted: Comparison, expected: dict[str, Any]) -> None:
    seed.test_compare_seed_voices(extracted, expected)
    seed.test_compare_seed_labels(extracted, expected)


def test_compare_extracted_timeline(extracted: Comparison, expected: dict[str, Any]) -> None:
    got = {(e.date.start, e.type, tuple(e.outlets)) for e in extracted.timeline}
    for day, etype, outlets in expected["extracted_timeline_includes"]:
        assert (day, etype, tuple(outlets)) in got, f"no {etype} on {day} from {outlets}: {sorted(got)}"
