"""The numeric-claims extractor on sentences written for these tests."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parallax.extract import extract_article, extract_articles
from parallax.extract.claims import ClaimExtractor
from parallax.records import Article, NumericClaim, Paragraph


def claims_of(text: str, nlp, **article_kw) -> list[NumericClaim]:
    article = Article(
        id="t",
        source="test",
        language="en",
        paragraphs=[Paragraph(p) for p in text.split("\n\n")],
        **article_kw,
    )
    return extract_article(article, nlp=nlp, extractors=[ClaimExtractor()]).claims


def one(text: str, nlp, **kw) -> NumericClaim:
    found = claims_of(text, nlp, **kw)
    assert len(found) == 1, [c.text for c in found]
    return found[0]


@pytest.mark.parametrize(
    ("text", "value", "low", "high", "qualifier"),
    [
        ("More than 1,200 people were detained.", 1200, 1200, None, "more than"),
        ("Over 100 flights were cancelled.", 100, 100, None, "over"),
        ("At least 14 soldiers were killed.", 14, 14, None, "at least"),
        ("Up to 300 troops will be deployed.", 300, None, 300, "up to"),
        ("About 40,000 residents were evacuated.", 40000, None, None, "about"),
        ("Nearly 2 million people lost power.", 2_000_000, None, None, "nearly"),
        ("Around three thousand workers went on strike.", 3000, None, None, "around"),
        ("Fewer than 800 people work there.", 800, None, 800, "fewer than"),
        ("Inflation could reach 10% or more.", 10, 10, None, "or more"),
    ],
)
def test_claims_qualifiers(nlp, text, value, low, high, qualifier) -> None:
    c = one(text, nlp)
    assert (c.value, c.low, c.high, c.qualifier) == (value, low, high, qualifier)
    assert not c.vague


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("Between 500 and 700 protesters gathered.", 500, 700),
        ("The fire destroyed 15-20 homes.", 15, 20),
        ("A fine of $3 billion to $5 billion is expected.", 3e9, 5e9),
        ("Analysts expect $89 to $93 billion in revenue.", 89e9, 93e9),
        ("There are 1 to 2 thousand people.", 1000, 2000),
    ],
)
def test_claims_ranges(nlp, text, low, high) -> None:
    c = one(text, nlp)
    assert c.value is None and (c.low, c.high) == (low, high)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Hundreds of people were injured in the clashes.", "injured"),
        ("Dozens of journalists have been arrested.", "detained"),
        ("Scores of people were wounded.", "injured"),
        ("Several protesters were killed on Friday.", "killed"),
    ],
)
def test_claims_vague_quantities_stay_vague(nlp, text, category) -> None:
    c = one(text, nlp)
    assert c.vague and c.value is None and c.low is None and c.high is None
    assert c.category == category
    assert c.unit == "people"


def test_claims_vague_noun_is_the_unit(nlp) -> None:
    c = one("Thousands of dollars were lost.", nlp)
    assert (c.vague, c.value, c.unit, c.category) == (True, None, "USD", "money")


def test_claims_bare_numbers_keep_the_group(nlp) -> None:
    c164, c103 = claims_of(
        "The unrest killed at least 164 people, including 103 in Almaty, the health ministry said.", nlp
    )
    assert (c103.value, c103.unit, c103.category) == (103, "people", "killed")
    assert c164.attributed_to is not None and c164.attributed_to.name == "health ministry"
    c = one("In the clashes, 40 died.", nlp)
    assert (c.value, c.category) == (40, "killed")


def test_claims_weak_vague_words_need_a_category(nlp) -> None:
    assert claims_of("Many people think the plan is good, and several cities agree.", nlp) == []


@pytest.mark.parametrize(
    ("text", "value", "unit", "category"),
    [
        ("The government pledged $1.5 billion in aid.", 1.5e9, "USD", "money"),
        ("The company paid 3.2 million euros.", 3.2e6, "EUR", "money"),
        ("Tickets cost \u00a345 each.", 45, "GBP", "money"),
        ("Prices rose 7.5% in December.", 7.5, "%", "percentage"),
        ("The convoy travelled 350 km.", 350, "km", "measure"),
        ("The bridge cost $400m.", 4e8, "USD", "money"),
        ("The tower is 37m tall.", 37, "m", "measure"),
        ("The temperature dropped to minus 15 degrees Celsius.", -15, "degC", "measure"),
    ],
)
def test_claims_money_percent_measures(nlp, text, value, unit, category) -> None:
    c = one(text, nlp)
    assert (c.value, c.unit, c.category) == (pytest.approx(value), unit, category)


def test_claims_change_direction(nlp) -> None:
    c = one("Prices rose 7.5% in December.", nlp)
    assert c.change == "up"
    c = one("Shares were down 2.3% on Monday.", nlp)
    assert c.change == "down"


@pytest.mark.parametrize(
    "text",
    [
        "The 2022 protests began in the west.",
        "He was elected in 1998 and re-elected in 2002.",
        "The meeting is scheduled for January 10 at 10:30 a.m.",
        "Call the hotline on 020 7946 0958 for details.",
        "COVID-19 restrictions were lifted on 2022-03-01.",
        "The iPhone 13 went on sale on September 24.",
        "She finished 3rd in the final.",
        "The team won 3-1 on Saturday.",
        "At 5:45pm on Friday the ceasefire took effect.",
        "Published: 10:24, January 07, 2022 | Updated: 18:27, January 07, 2022",
    ],
)
def test_claims_non_quantities(nlp, text) -> None:
    assert claims_of(text, nlp) == []


@pytest.mark.parametrize(
    "text",
    [
        "Call +7 (727) 123-45-67 or 1-800-555-0199 or (202) 555-0143 or 020 7946 0958.",
        "On 10/01/2022 and 07.01.2022 it happened.",
        "COVID-19, SARS-CoV-2, the F-35, G20, 5G, MH17 and the 1990s.",
        "24/7 coverage of the 9/11 anniversary.",
        "He lives at 575 Wilbraham Road and works at 16-18 Industrial Avenue.",
        "Windows 11 was released in October 2021.",
        "The team won 3-1 and then drew 2 - 2.",
    ],
)
def test_claims_identifiers_phones_dates(nlp, text) -> None:
    assert claims_of(text, nlp) == []


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("Half a million people signed the petition.", 500_000, "people"),
        ("The city has 1.2m residents.", 1_200_000, "people"),
        ("Crude was at US $58.24 per barrel.", 58.24, "USD/bbl"),
        ("They pay $3500 a month.", 3500, "USD/month"),
        ("It reached 140 km/h.", 140, "km/h"),
        ("The loss was 63 cents per share.", 63, "cents/share"),
        ("Three quarters of voters agreed.", 0.75, None),
        ("The mass is 1.99\u00d710\u221230 kilograms.", 1.99e-30, "kg"),
    ],
)
def test_claims_scales_rates_fractions(nlp, text, value, unit) -> None:
    c = one(text, nlp)
    assert c.value == pytest.approx(value)
    assert c.unit == unit


def test_claims_counted_actor_category(nlp) -> None:
    text = (
        'The ministry said that 26 "armed criminals" had been "liquidated" and more than 3,000 of them detained, '
        "while 18 police and national guard servicemen had been killed."
    )
    c26, c3000, c18 = claims_of(text, nlp)
    assert (c26.value, c26.category, c26.actor, c26.counted, c26.scare_quoted) == (
        26,
        "killed",
        "armed criminals",
        "criminals",
        True,
    )
    assert (c3000.low, c3000.category, c3000.actor, c3000.scare_quoted) == (
        3000,
        "detained",
        "armed criminals",
        False,
    )
    assert (c18.actor, c18.counted, c18.category, c18.unit) == (
        "police and national guard servicemen",
        "servicemen",
        "killed",
        "people",
    )
    for c in (c26, c3000, c18):
        assert c.attributed_to is not None and c.attributed_to.name == "ministry"


def test_claims_up_to_applies_to_first_number_only(nlp) -> None:
    c101, c530 = claims_of(
        "Up to 101 international personnel and 530 national staff fall under the UN security arrangements.",
        nlp,
    )
    assert (c101.high, c101.qualifier, c101.category) == (101, "up to", "staff")
    assert (c530.value, c530.high, c530.qualifier, c530.category) == (530, None, None, "staff")


def test_claims_strong_suffix(nlp) -> None:
    c = one("A 2,000-strong force was sent to the region.", nlp)
    assert (c.value, c.unit) == (2000, "people")


def test_claims_attribution_from_following_sentence(nlp) -> None:
    found = claims_of(
        "Up to 101 international personnel are in the country. Everyone is safe, said Dujarric.", nlp
    )
    assert found[0].attributed_to is not None and found[0].attributed_to.name == "Dujarric"


def test_claims_as_of(nlp) -> None:
    c = one(
        "As of today, about 8,000 individuals have been delivered to the police.",
        nlp,
        published="2022-01-10T09:00",
    )
    assert (c.as_of, c.category, c.qualifier) == ("2022-01-10", "detained", "about")
    c = one("About 8,000 people were detained.", nlp, published="2022-01-10")
    assert c.as_of == "2022-01-10"


def test_claims_offsets_point_into_the_body(nlp) -> None:
    article = Article(
        id="t",
        source="test",
        language="en",
        title="Toll rises to 40",
        paragraphs=[Paragraph("First paragraph."), Paragraph("Some 5,000 police officers were on duty.")],
    )
    facts = extract_article(article, nlp=nlp, extractors=[ClaimExtractor()])
    body = [c for c in facts.claims if c.field == "body"]
    assert len(body) == 1
    assert article.text[body[0].start : body[0].end] == body[0].text == "Some 5,000 police officers"
    title = [c for c in facts.claims if c.field == "title"]
    assert title and (article.title or "")[title[0].start : title[0].end].startswith("40")


def test_claims_robust_long_sentence(nlp) -> None:
    words = [
        "officials",
        "said",
        "1.5",
        "million",
        "people",
        "and",
        "COVID-19",
        "cases",
        "on",
        "2022-01-07",
        "and",
    ] * 460
    text = " ".join(words[:5000]) + "."
    found = claims_of(text, nlp)
    assert found
    assert all(c.value in (1_500_000, None) or c.low is not None for c in found)
    assert not any(c.value == 19 or c.value == -19 or c.value == 2022 for c in found)


def _big_article(words: int) -> Article:
    para = (
        "About 8,000 individuals have been delivered to the police, he said on January 10. "
        "The 2022 protests left scores of people injured and cost $1.2 billion, up 3% on 2021. "
        "Call 020 7946 0958 or see COVID-19 rules."
    )
    n = words // len(para.split()) + 1
    return Article(id="big", source="test", language="en", paragraphs=[Paragraph(para) for _ in range(n)])


def test_claims_many_paragraphs_all_found(nlp) -> None:
    from parallax.extract.base import ExtractionContext
    from parallax.extract.claims import extract_claims

    article = _big_article(4000)
    doc = nlp(article.text)
    ctx = ExtractionContext(article=article, text=doc.text, doc=doc, segments=[], reference_date=None)
    found = extract_claims(ctx)
    # Throughput against bare parsing is measured by bench/bench_extract.py, not in a timed test.
    assert len(found) >= 4 * len(article.paragraphs)


@pytest.mark.slow
def test_claims_robust_100k_word_article(nlp) -> None:
    article = _big_article(100_000)
    facts = next(extract_articles([article], nlp=nlp, extractors=[ClaimExtractor()]))
    values = {c.value for c in facts.claims}
    assert len(facts.claims) >= 4 * len(article.paragraphs)
    assert values <= {8000.0, None, 1.2e9, 3.0}


_PIECES = st.sampled_from(
    [
        "more than",
        "up to",
        "about",
        "between",
        "and",
        "to",
        "-",
        "$",
        "%",
        "people",
        "were",
        "killed",
        "1,200",
        "3.5",
        "million",
        "2022",
        "COVID-19",
        "January",
        "10",
        "dozens of",
        "scores of",
        "half",
        "a",
        '"',
        ",",
        ".",
        "km",
        "per",
        "or more",
        "minus",
        "020 7946 0958",
        "3-1",
        "them",
        "of",
        "said",
        "the",
    ]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_PIECES, max_size=40))
def test_claims_never_crash_and_spans_hold(nlp, pieces: list[str]) -> None:
    text = " ".join(pieces)
    for c in claims_of(text, nlp) if text.strip() else []:
        assert text[c.start : c.end] == c.text
        assert c.vague or c.value is not None or (c.low is not None and c.high is not None)
        if c.low is not None and c.high is not None:
            assert c.low <= c.high


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("The company paid $2.7BN for the plant.", 2.7e9, "USD"),
        ("Fines of 5 mln roubles were paid.", 5e6, "RUB"),
        ("About -5,000 people were evacuated.", 5000, "people"),
        ("There are 10^100 residents.", 1e100, "people"),
    ],
)
def test_claims_odd_numbers_read_whole(nlp, text: str, value: float, unit: str) -> None:
    c = one(text, nlp)
    assert (c.value, c.unit) == (value, unit)


def test_claims_negative_measure_keeps_its_sign(nlp) -> None:
    assert one("Temperatures fell to -5 degrees.", nlp).value == -5


def test_claims_odd_number_costs_no_other_fact(nlp) -> None:
    found = claims_of("It paid $2.7BN and 3Mn shares. At least 40 people were killed.", nlp)
    assert [c.value for c in found] == [2.7e9, 3e6, 40]


def test_claims_others_after_a_count_of_animals_are_no_death_toll(nlp) -> None:
    # "plus 10 others that died" counts birds, like the count before it: not the story's dead
    text = (
        "The 316 dead birds collected along the shores -- plus 10 others that died at rehabilitation "
        "centers -- far outnumber the 31 surviving birds."
    )
    assert {c.text: c.category for c in claims_of(text, nlp)}["10 others"] is None
    assert one("At least 14 soldiers were killed.", nlp).category == "killed"


def test_claims_range_reads_past_a_conversion(nlp) -> None:
    text = (
        "Government teams estimated the flow ranges from 12,000 barrels (504,000 gallons or 1.9 million "
        "litres) to 25,000 barrels per day."
    )
    found = {c.text: c for c in claims_of(text, nlp)}
    (rng,) = [c for c in found.values() if c.low is not None]
    assert (rng.low, rng.high, rng.role) == (12000, 25000, "current")
    assert found["504,000 gallons"].role == "other"  # the conversion stays, marked


def test_claims_past_perfect_estimate_is_a_previous_value(nlp) -> None:
    text = "Up to now, BP had estimated the leak at 5,000 barrels per day, while cautioning it was unreliable."
    assert claims_of(text, nlp)[0].role == "previous"
