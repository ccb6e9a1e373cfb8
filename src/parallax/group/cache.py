"""A disk cache of per-article grouping features, keyed by article id.

Extracting names (spaCy NER) and embeddings is most of grouping's cost; the grouping
decisions themselves are cheap. Evaluating or fitting the grouper many times over the
same corpus therefore reads the features from here instead of recomputing them.

Layout of one cache (a folder): ``features.jsonl`` (one JSON object per article, the
embedding left out) and ``embeddings.npy`` (float32 rows in the same order), plus
``meta.json`` naming the embedder and the settings that shape the features, so a cache
built with other settings is never read by mistake. No pickle anywhere.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from parallax.errors import InputError
from parallax.group.features import ArticleFeatures

#: the settings that change what extract_features returns (a cache is valid only for the same values)
FEATURE_SETTINGS = ("ner", "ner_chars", "embed_chars", "salient_names", "salient_min_weight")


def _to_json(f: ArticleFeatures) -> dict[str, Any]:
    return {
        "id": f.article_id,
        "terms": {str(k): v for k, v in f.terms.items()},
        "entities": f.entities,
        "places": f.places,
        "salient": f.salient,
        "day": f.day,
        "years": f.years,
        "duplicate_of": f.duplicate_of,
    }


def _from_json(row: dict[str, Any], embedding: np.ndarray) -> ArticleFeatures:
    return ArticleFeatures(
        article_id=row["id"],
        terms={int(k): float(v) for k, v in row["terms"].items()},
        entities=list(row["entities"]),
        places=list(row["places"]),
        salient=list(row["salient"]),
        day=row["day"],
        years=list(row["years"]),
        embedding=embedding,
        duplicate_of=row.get("duplicate_of"),
    )


def save(folder: Path, features: Sequence[ArticleFeatures], meta: dict[str, Any]) -> None:
    """Write ``features`` to ``folder`` (created if needed), replacing what was there."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "features.jsonl").open("w", encoding="utf-8") as fh:
        for f in features:
            fh.write(json.dumps(_to_json(f), separators=(",", ":")) + "\n")
    dim = int(features[0].embedding.shape[0]) if features else 0
    matrix = np.stack([f.embedding for f in features]).astype(np.float32) if features else np.zeros((0, dim))
    np.save(folder / "embeddings.npy", matrix, allow_pickle=False)
    (folder / "meta.json").write_text(json.dumps(meta, sort_keys=True), encoding="utf-8")


def load(folder: Path, meta: dict[str, Any]) -> dict[str, ArticleFeatures] | None:
    """Article id -> features from ``folder``; None when absent or built with other ``meta``."""
    meta_path = folder / "meta.json"
    if not meta_path.is_file():
        return None
    if json.loads(meta_path.read_text(encoding="utf-8")) != json.loads(json.dumps(meta, sort_keys=True)):
        return None
    try:
        matrix = np.load(folder / "embeddings.npy", allow_pickle=False)
        rows = [
            json.loads(line) for line in (folder / "features.jsonl").read_text(encoding="utf-8").splitlines()
        ]
    except (OSError, ValueError) as exc:
        raise InputError(f"grouping feature cache is unreadable: {exc}", source=str(folder)) from exc
    if len(rows) != matrix.shape[0]:
        return None
    return {row["id"]: _from_json(row, matrix[i]) for i, row in enumerate(rows)}


def cached(
    folder: Path | None,
    ids: Sequence[str],
    meta: dict[str, Any],
    compute: Callable[[], list[ArticleFeatures]],
) -> list[ArticleFeatures]:
    """Features for ``ids`` in order: read from ``folder`` when it holds them all, else computed and saved."""
    if folder is not None:
        found = load(folder, meta)
        if found is not None and all(i in found for i in ids):
            return [found[i] for i in ids]
    features = compute()
    if folder is not None:
        save(folder, features, meta)
    return features
