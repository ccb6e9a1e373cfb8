"""The number normalizer: examples, round trips and robustness (Hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parallax.extract.numbers import format_number, number_to_words, parse_number, scan_numbers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8,000", 8000),
        ("1.5 million", 1_500_000),
        ("three thousand", 3000),
        ("a dozen", 12),
        ("2,000-strong", 2000),
        ("twenty-five", 25),
        ("three hundred and five", 305),
        ("4 hundred million", 400_000_000),
        ("1.76bn", 1_760_000_000),
        ("2.7m", 2_700_000),
        ("two-thirds", 2 / 3),
        ("1/16", 0.0625),
        (".5", 0.5),
        ("-3", -3),
        ("minus 15", -15),
        ("a million", 1_000_000),
        ("one thousand two hundred", 1200),
    ],
)
def test_numbers_parse_examples(text: str, expected: float) -> None:
    assert parse_number(text) == pytest.approx(expected)


@pytest.mark.parametrize(
    "text", ["", "hello", "1,5", "one two", "COVID", "and", "a", "12,34,567", "hundred hundred"]
)
def test_numbers_parse_rejects(text: str) -> None:
    assert parse_number(text) is None


@given(st.integers(min_value=0, max_value=10**13))
def test_numbers_round_trip_commas(n: int) -> None:
    assert parse_number(f"{n:,}") == n
    assert parse_number(str(n)) == n


@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_numbers_round_trip_words(n: int) -> None:
    assert parse_number(number_to_words(n)) == n


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False))
def test_numbers_idempotent(x: float) -> None:
    once = parse_number(format_number(x))
    assert once is not None
    assert parse_number(format_number(once)) == once


@settings(max_examples=300)
@given(st.text(max_size=200))
def test_numbers_never_raise(text: str) -> None:
    value = parse_number(text)
    assert value is None or isinstance(value, float)
    for m in scan_numbers(text):
        assert 0 <= m.start < m.end <= len(text)


def test_numbers_scan_spans() -> None:
    text = "about 8,000 individuals, scores of people, three thousand two hundred and two and three"
    found = [(m.text, m.value, m.kind) for m in scan_numbers(text)]
    assert found == [
        ("8,000", 8000.0, "digits"),
        ("scores of", None, "vague"),
        ("three thousand two hundred and two", 3202.0, "words"),
        ("three", 3.0, "words"),
    ]


def test_numbers_scan_long_word_run_is_linear() -> None:
    text = " ".join(["one"] * 20000)
    assert len(scan_numbers(text)) == 20000


def test_numbers_scan_skips_id_like_digit_strings() -> None:
    assert scan_numbers("card 4111111111111111111 and " + "9" * 5000) == []


@pytest.mark.parametrize(
    ("text", "shown", "value"),
    [
        ("paid $2.7BN for it", "2.7BN", 2.7e9),
        ("3Mn people", "3Mn", 3e6),
        ("a 5Mln fine", "5Mln", 5e6),
        ("5 mln roubles", "5 mln", 5e6),
        ("2.7 bn dollars", "2.7 bn", 2.7e9),
        ("2.7 BN dollars", "2.7 BN", 2.7e9),
        ("10^100 residents", "10^100", 1e100),
        ("2.5×10^6 cells", "2.5×10^6", 2.5e6),
    ],
)
def test_numbers_scales_in_any_case_and_spaced(text: str, shown: str, value: float) -> None:
    found = [(m.text, m.value) for m in scan_numbers(text)]
    assert found == [(shown, value)]


@pytest.mark.parametrize("text", ["5 m tall", "5 tn of steel", "a 5 b grade"])
def test_numbers_single_letter_after_space_is_no_scale(text: str) -> None:
    assert [m.value for m in scan_numbers(text)] == [5.0]


def test_numbers_parse_scale_abbreviation_any_case() -> None:
    assert parse_number("2.7BN") == 2.7e9
    assert parse_number("3Mn") == 3e6
    assert parse_number("5MLN") == 5e6
