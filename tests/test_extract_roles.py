"""Each number's role, its previous value and its as-of date, on sentences written for these tests."""

from __future__ import annotations

import pytest

from parallax.extract import extract_article
from parallax.extract.claims import ClaimExtractor
from parallax.extract.times import TimeExtractor
from parallax.records import Article, NumericClaim, Paragraph


def claims_of(text: str, nlp) -> list[NumericClaim]:
    article = Article(
        id="t", source="test", language="en", paragraphs=[Paragraph(text)], published="2023-08-20"
    )
    return extract_article(article, nlp=nlp, extractors=[TimeExtractor(), ClaimExtractor()]).claims


def figures(text: str, nlp) -> list[tuple[float | None, float | None, bool]]:
    return [(c.value, c.previous, c.revised) for c in claims_of(text, nlp) if c.role == "current"]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Officials revised the death toll down from 115 to 97.", [(97, 115, True)]),
        ("The toll rose by one to 115.", [(115, 114, False)]),
        ("The death toll is 80, up from 55 a day earlier.", [(80, 55, False)]),
        ("Officials lowered the death toll to 97.", [(97, None, True)]),
        ("The number of missing doubled to 2,000.", [(2000, 1000, False)]),
        ("The death toll now stands at 115.", [(115, None, False)]),
    ],
)
def test_roles_change_language_gives_one_figure(nlp, text: str, want) -> None:
    assert figures(text, nlp) == want


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("Storms in 2008 killed almost 800 people.", "comparison"),
        ("The fire is deadlier than the 85 killed in the Camp Fire.", "comparison"),
        ("John Smith, 67, died in the fire.", "other"),
        ("A 67-year-old man died in the fire.", "other"),
    ],
)
def test_roles_figures_that_are_not_the_storys(nlp, text: str, role: str) -> None:
    roles = {c.role for c in claims_of(text, nlp)}
    assert role in roles and "current" not in roles


def test_roles_range_stays_a_range(nlp) -> None:
    (c,) = claims_of("Between 500 and 700 protesters gathered.", nlp)
    assert (c.low, c.high, c.role, c.previous) == (500, 700, "current", None)


@pytest.mark.parametrize(
    ("text", "as_of"),
    [
        ("The death toll from the Aug. 8 fire stands at 115.", "2023-08-20"),
        ("As of Tuesday night, 1,100 people were missing.", "2023-08-15"),
        ("Officials said on Tuesday that 50 people were killed.", "2023-08-15"),
        ("The quake on Tuesday killed 50 people.", "2023-08-20"),
        ("The toll rose to 115 on Friday.", "2023-08-18"),
    ],
)
def test_roles_as_of_is_the_reporting_date_unless_the_text_dates_the_count(
    nlp, text: str, as_of: str
) -> None:
    current = [c for c in claims_of(text, nlp) if c.role == "current"]
    assert [c.as_of for c in current] == [as_of]
