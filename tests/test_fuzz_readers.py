"""Fuzzing every reader through ingest, within a bounded budget (a minute or so in all).

Each input is ingested twice into one store: nothing may raise, every rejection carries
its reason, every accepted document is stored once (see ``fuzz_inputs.check_ingest``).
``bench/fuzz.py`` runs the same strategies for as many cases as asked.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz_inputs import READERS, check_ingest, write_input
from parallax.store import Store, open_store

# ~25 s for all readers on a loaded 2-core machine; bench/fuzz.py is the long run
BUDGET = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
_serial = itertools.count()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    with open_store(tmp_path_factory.mktemp("fuzz") / "fuzz.db") as opened:
        yield opened


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("inputs")


@pytest.mark.parametrize("reader", list(READERS))
def test_fuzz_reader_never_raises_and_stores_each_document_once(
    reader: str, store: Store, folder: Path
) -> None:
    @BUDGET
    @given(st.data())
    def run(data: st.DataObject) -> None:
        name, raw = data.draw(READERS[reader])
        check_ingest(store, write_input(folder, name, raw, next(_serial)))

    run()
