"""Fuzzing the number, date and timex normalizers: they answer or say "not one", never raise."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from fuzz_inputs import check_normalizers, normalizer_text, references


@settings(max_examples=400, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(normalizer_text, references)
def test_fuzz_normalizers_never_raise(text: str, reference: str | None) -> None:
    check_normalizers(text, reference)
