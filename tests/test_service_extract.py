"""One article that breaks an extractor is recorded with its reason; the others are extracted."""

from __future__ import annotations

from pathlib import Path

import pytest

import parallax.extract as extract_pkg
from conftest import EXAMPLES
from parallax import service
from parallax.extract.base import ExtractionContext, Extractor
from parallax.store import open_store


class Breaks(Extractor):
    name = "breaks"
    version = "1"

    def __call__(self, ctx: ExtractionContext) -> None:
        if ctx.article.outlet == "TASS":
            raise RuntimeError("broken on purpose")


def test_service_extract_isolates_a_failing_article(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store(str(tmp_path / "p.db"))
    service.ingest(store, [str(EXAMPLES)])
    monkeypatch.setattr(extract_pkg, "load_extractors", lambda names=(): [Breaks()])
    summary = service.extract(store)
    assert summary.extracted == 1
    assert len(summary.failed) == 1 and "broken on purpose" in summary.failed[0].message
    assert summary.failed[0].reason == "extraction-failed"
    stored = {a.outlet: store.get_facts(a.id) for a in store.articles()}
    assert stored["China Daily"] is not None and stored["TASS"] is None
    assert any(r.reason == "extraction-failed" for r in store.rejections())
    store.close()
