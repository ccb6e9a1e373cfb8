"""Near-duplicate detection: MinHash over word shingles of the cleaned body, banded for LSH.

Syndicated wire copy and a story re-published under a new headline keep almost
all of their body's word 3-shingles, while two outlets writing the same story in
their own words share few (see ``tests/test_store_dedup.py`` for the measured
fixture). The LSH bands live in the database (``minhash_bands``), so candidates
are found with one indexed query and survive restarts; each candidate is then
confirmed with the Jaccard estimate of the two full signatures.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

import numpy as np

#: Estimated Jaccard similarity of body shingles at or above which an article is a near-duplicate.
THRESHOLD = 0.8
NUM_PERM = 256
#: Words per shingle.
SHINGLE_WORDS = 3
#: Shingles hashed per batch: bounds the (NUM_PERM x batch) work arrays for very long bodies.
_BATCH = 8192
#: A fixed seed: signatures must stay comparable across processes and runs.
_SEED = 1

_WORD = re.compile(r"\w+", re.UNICODE)

#: LSH banding: BANDS x ROWS = NUM_PERM. Candidates are confirmed with the full signature,
#: so the bands favour recall: a pair with Jaccard 0.8 becomes a candidate with probability
#: 1 - (1 - 0.8**8)**32 = 0.997 (0.85 at 0.7, 0.12 at 0.5, 0.002 at 0.3). datasketch's
#: balanced choice for 0.8 (17 x 15) would miss a third of the pairs at 0.83.
BANDS = 32
ROWS = 8
assert BANDS * ROWS == NUM_PERM


def words(text: str) -> list[str]:
    """Lower-cased word tokens; punctuation and spacing differences don't count."""
    return [w.casefold() for w in _WORD.findall(text)]


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    """The set of ``size``-word shingles of ``text`` (the whole text when it is shorter)."""
    tokens = words(text)
    if not tokens:
        return set()
    if len(tokens) <= size:
        return {" ".join(tokens).encode("utf-8")}
    return {" ".join(tokens[i : i + size]).encode("utf-8") for i in range(len(tokens) - size + 1)}


def signature(text: str) -> np.ndarray | None:
    """The MinHash signature (``NUM_PERM`` uint64 values) of the text's shingles; None when it has no words."""
    items = sorted(shingles(text))
    if not items:
        return None
    # imported here: datasketch pulls in scipy (over a second), which only ingestion needs
    from datasketch import MinHash

    mh = MinHash(num_perm=NUM_PERM, seed=_SEED)
    for i in range(0, len(items), _BATCH):
        mh.update_batch(items[i : i + _BATCH])
    return np.asarray(mh.hashvalues, dtype=np.uint64)


def to_bytes(sig: np.ndarray) -> bytes:
    return sig.astype("<u8").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<u8").astype(np.uint64)


def band_keys(sig: np.ndarray) -> list[str]:
    """One key per LSH band: two signatures sharing any key are candidates."""
    keys = []
    for band in range(BANDS):
        chunk = sig[band * ROWS : (band + 1) * ROWS].astype("<u8").tobytes()
        keys.append(f"{band}:{hashlib.blake2b(chunk, digest_size=16).hexdigest()}")
    return keys


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the two signatures' shingle sets."""
    return float(np.count_nonzero(a == b)) / float(len(a))


def best_match(sig: np.ndarray, candidates: Iterable[tuple[str, bytes]]) -> tuple[str, float] | None:
    """The most similar candidate ``(id, signature bytes)`` at or above THRESHOLD, ties to the smaller id."""
    best: tuple[str, float] | None = None
    for cid, data in candidates:
        score = similarity(sig, from_bytes(data))
        if score < THRESHOLD:
            continue
        if best is None or score > best[1] or (score == best[1] and cid < best[0]):
            best = (cid, score)
    return best
