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


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a conversion in parentheses is the same figure, and the rate after it applies
        (
            "As many as 40,000 barrels (1.7 million gallons) of oil a day may have been gushing out.",
            [(40000, "bbl/day", "spilled")],
        ),
        # a chain of earlier estimates: only the last is the current figure
        (
            "Originally the government pegged the spill at 1,000 barrels a day, then soon raised that to 5,000 barrels.",
            [(5000, "bbl/day", "spilled")],
        ),
        # plans and capacities are not figures
        ("BP said it can capture as much as 80,000 barrels a day by mid-July.", []),
        # a forecast of deaths to come is no death toll
        ("Fifty thousand pensioners will die of cold this winter.", []),
    ],
)
def test_roles_oil_figures_and_non_figures(nlp, text: str, want) -> None:
    got = [(c.value, c.unit, c.category) for c in claims_of(text, nlp) if c.role == "current"]
    assert got == want


def test_roles_counts_of_animals_are_not_tolls(nlp) -> None:
    found = claims_of("She said 87 sea turtles and six dolphins have been found dead.", nlp)
    assert all(c.category != "killed" for c in found)


def test_roles_following_words_say_what_is_counted(nlp) -> None:
    found = claims_of(
        "About 45,000-50,000 people have died and 300,000 have been made homeless, according to UN estimates.",
        nlp,
    )
    assert [(c.low or c.value, c.category) for c in found if c.role == "current"] == [
        (45000, "killed"),
        (300000, "homeless"),
    ]
