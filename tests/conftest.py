from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
TASS = EXAMPLES / "000_4fce811644d33bf8.txt"
CHINA_DAILY = EXAMPLES / "003_6e03357977c303e3.txt"


@pytest.fixture(scope="session")
def nlp():
    from parallax.nlp import load_nlp

    return load_nlp()
