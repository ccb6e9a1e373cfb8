"""A benchmark corpus built from the shared development data (never committed).

Up to ``n`` real news texts as JSONL rows (``text``, ``title``, ``url``, ``outlet``,
``published``): PolNeAR, ECB+, BASIL, TimeBank/AQUAINT, in that order.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def devdata() -> Path:
    path = Path(os.environ.get("PARALLAX_DEVDATA", REPO.parent / "shared" / "data"))
    if not path.is_dir():
        raise SystemExit(f"development data not found at {path}: set PARALLAX_DEVDATA")
    return path


def _polnear(base: Path) -> Iterator[dict[str, str]]:
    for txt in sorted((base / "polnear").glob("*/text/*.txt")):
        lines = txt.read_text(encoding="utf-8").split("\n", 1)
        body = lines[1] if len(lines) > 1 else ""
        yield {"title": lines[0].strip(), "text": body.strip(), "url": f"polnear:{txt.stem}", "outlet": "polnear"}


def _ecb(base: Path) -> Iterator[dict[str, str]]:
    for doc in sorted((base / "ecbplus" / "docs").glob("*/*.json")):
        d = json.loads(doc.read_text(encoding="utf-8"))
        text = (d.get("text") or "").strip() or d.get("title", "")
        yield {"title": d.get("title", "")[:200], "text": text, "url": f"ecb:{doc.parent.name}/{doc.stem}", "outlet": d.get("source_domain") or "ecb"}


def _basil(base: Path) -> Iterator[dict[str, str]]:
    for doc in sorted((base / "basil" / "articles").glob("*/*.json")):
        d = json.loads(doc.read_text(encoding="utf-8"))
        paras = [" ".join(p) if isinstance(p, list) else str(p) for p in d.get("body-paragraphs", [])]
        yield {"title": d.get("title", ""), "text": "\n\n".join(paras), "url": f"basil:{doc.stem}", "outlet": d.get("source", "basil"), "published": d.get("date", "")}


def _timebank(base: Path) -> Iterator[dict[str, str]]:
    for doc in sorted((base / "timebank-aquaint").glob("*/*.tml")):
        raw = doc.read_text(encoding="utf-8", errors="replace")
        m = re.search(r"<TEXT>(.*?)</TEXT>", raw, re.S)
        text = re.sub(r"<[^>]+>", "", m.group(1) if m else raw)
        yield {"title": doc.stem, "text": re.sub(r"\n{3,}", "\n\n", text).strip(), "url": f"timebank:{doc.stem}", "outlet": "timebank"}


def corpus(n: int = 2000) -> list[dict[str, str]]:
    base = devdata()
    rows: list[dict[str, str]] = []
    for source in (_polnear, _ecb, _basil, _timebank):
        for row in source(base):
            if len(row["text"]) > 200:
                rows.append(row)
            if len(rows) >= n:
                return rows
    return rows


def write_jsonl(rows: list[dict[str, str]], path: Path) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps({k: v for k, v in row.items() if v}, ensure_ascii=False) + "\n")
    return path
