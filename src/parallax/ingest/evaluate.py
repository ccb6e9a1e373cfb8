"""Scores ingest decoding on the article-extraction dev set.

Two tasks, each scored as precision/recall/F1 over items:

- ``text``: every gold article body is written as a plain-text dump in several
  encodings (UTF-8, UTF-8 with BOM, UTF-16 with BOM, cp1252, and UTF-8 mojibake:
  UTF-8 bytes read as Windows-1252 and saved again as UTF-8) and read back with
  ``read_inputs``. Bodies with characters cp1252 can't hold skip that encoding.
- ``html``: every page (``html/<id>.html.gz``, UTF-8) is read with ``read_inputs``.

Matching rule (written next to the score): an item is correct when the decoded
text equals the reference exactly (the gold body with ``\\r\\n`` -> ``\\n``; for
pages, the gzip payload decoded as UTF-8). Precision = correct / documents
returned; recall = correct / items; F1 = 2PR/(P+R).

Known misses (measured 2026-11-23): two pages carry mojibake in their own
source ("nÃ£o", "v¬†Oakland"), which the reader repairs while the reference
keeps the bytes as served; one mojibake body ("â‚©" for "₩") that ftfy leaves
alone.

Run: ``python -m parallax.ingest.evaluate [DATA_DIR]`` (default ``../shared/data``).
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import ftfy.bad_codecs  # noqa: F401  (registers "sloppy-windows-1252" for the mojibake variant)

from parallax.ingest import read_inputs
from parallax.ingest.decode import normalize_newlines
from parallax.records import RawDocument

__all__ = ["RULE", "Score", "evaluate", "main"]

RULE = (
    "item correct = decoded text == reference exactly (gold body with \\r\\n->\\n; page = gzip payload as UTF-8); "
    "P = correct/returned, R = correct/items, F1 = 2PR/(P+R)"
)


def _mojibake(text: str) -> bytes:
    return text.encode("utf-8").decode("sloppy-windows-1252").encode("utf-8")


VARIANTS: dict[str, Callable[[str], bytes]] = {
    "utf-8": lambda t: t.encode("utf-8"),
    "utf-8-sig": lambda t: t.encode("utf-8-sig"),
    "utf-16": lambda t: t.encode("utf-16"),
    "cp1252": lambda t: t.encode("cp1252"),
    "mojibake": _mojibake,
}


@dataclass(frozen=True, slots=True)
class Score:
    items: int
    returned: int
    correct: int

    @property
    def precision(self) -> float:
        return self.correct / self.returned if self.returned else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.items if self.items else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "items": self.items,
            "returned": self.returned,
            "correct": self.correct,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


def _read_one(raw: bytes) -> RawDocument | None:
    items = list(read_inputs(["-"], stdin=io.BytesIO(raw)))
    docs = [x for x in items if isinstance(x, RawDocument)]
    return docs[0] if len(docs) == 1 else None


def evaluate(data_dir: Path, limit: int | None = None) -> dict[str, Score]:
    """Per-variant text scores, their total, and the HTML page score."""
    base = data_dir / "article-extraction"
    gold: dict[str, dict[str, str]] = json.loads((base / "ground-truth.json").read_text("utf-8"))
    ids = sorted(gold)[:limit]
    scores: dict[str, Score] = {}
    for variant, encode in VARIANTS.items():
        items = returned = correct = 0
        for page_id in ids:
            body = normalize_newlines(gold[page_id]["articleBody"])
            if not body.strip():
                continue
            try:
                raw = encode(body)
            except UnicodeEncodeError:
                continue
            items += 1
            doc = _read_one(raw)
            if doc is None:
                continue
            returned += 1
            correct += doc.text == body
        scores[f"text/{variant}"] = Score(items, returned, correct)
    parts = [s for k, s in scores.items() if k.startswith("text/")]
    scores["text"] = Score(
        sum(s.items for s in parts), sum(s.returned for s in parts), sum(s.correct for s in parts)
    )
    items = returned = correct = 0
    for page_id in ids:
        path = base / "html" / f"{page_id}.html.gz"
        if not path.exists():
            continue
        items += 1
        want = normalize_newlines(gzip.decompress(path.read_bytes()).decode("utf-8"))
        docs = [x for x in read_inputs([str(path)]) if isinstance(x, RawDocument)]
        if len(docs) != 1:
            continue
        returned += 1
        correct += docs[0].html == want
    scores["html"] = Score(items, returned, correct)
    return scores


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "data_dir", nargs="?", default=str(Path(__file__).resolve().parents[3].parent / "shared" / "data")
    )
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages (sorted by id)")
    args = parser.parse_args(argv)
    data_dir = Path(args.data_dir)
    if not (data_dir / "article-extraction").is_dir():
        print(f"{data_dir}/article-extraction not found", file=sys.stderr)
        return 2
    for name, score in evaluate(data_dir, args.limit).items():
        print(
            f"{name:18s} P {score.precision:.4f}  R {score.recall:.4f}  F1 {score.f1:.4f}  "
            f"({score.correct}/{score.items} correct, {score.returned} returned)"
        )
    print(f"rule: {RULE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
