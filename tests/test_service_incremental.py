"""A rerun of analyze compares only the stories that changed, and saves the same stories."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import EXAMPLES
from parallax import service
from parallax.records import to_dict
from parallax.store import Store, open_store


def _run(store: Store, paths: list[str]) -> tuple[service.AnalyzeSummary, int]:
    compared = 0

    def progress(event: str, n: int) -> None:
        nonlocal compared
        if event == "compared":
            compared += n

    result = service.analyze(store, paths, progress=progress)
    return result, compared


@pytest.mark.slow
def test_rerun_compares_only_changed_stories(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "p.db"))
    try:
        first, n_first = _run(store, [str(EXAMPLES)])
        saved = [to_dict(s) for s in store.stories()]
        assert n_first == len(saved) >= 1
        again, n_again = _run(store, [str(EXAMPLES)])
        assert n_again == 0  # nothing new: every saved comparison is kept
        assert [to_dict(s) for s in store.stories()] == saved
        # another comparison code or lexicon: everything is compared again, to the same result here
        store.set_state(service.COMPARED_WITH_KEY, b"older code")
        _, n_forced = _run(store, [str(EXAMPLES)])
        assert n_forced == len(saved)
        assert [to_dict(s) for s in store.stories()] == saved
    finally:
        store.close()


def test_fingerprint_covers_code_lexicons_and_encoder() -> None:
    assert service.comparison_fingerprint(None) == service.comparison_fingerprint(None)

    class Other:
        name = "another-model"

    assert service.comparison_fingerprint(Other()) != service.comparison_fingerprint(None)  # type: ignore[arg-type]
