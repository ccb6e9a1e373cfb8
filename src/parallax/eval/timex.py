"""Score the time-expression extractor on TimeML (TimeBank 1.2 + AQUAINT).

Each ``.tml`` file's ``<TEXT>`` is stripped of its tags (offsets kept), split into
paragraphs at blank lines and run through :func:`parallax.extract.extract_article`
with only :class:`~parallax.extract.times.TimeExtractor`, the ``<DCT>`` value as the
publication date. Metrics follow TempEval-3:

- strict: predicted and gold extents identical;
- relaxed: extents overlap (each gold and each prediction matched at most once);
- value accuracy: share of relaxed matches whose normalized value equals the gold value;
- value F1 = relaxed F1 x value accuracy.

Run: ``python -m parallax.eval.timex ../shared/data/timebank-aquaint [--limit N]``.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from parallax.records import PARAGRAPH_SEPARATOR, Article, Paragraph

__all__ = ["GoldDoc", "GoldTimex", "evaluate", "load_tml", "main", "RULES"]

RULES = {
    "strict": "extents identical (character offsets into the tag-stripped <TEXT>)",
    "relaxed": "extents overlap; one-to-one, in text order",
    "value_accuracy": "relaxed matches whose TIMEX3 value string equals the gold value",
    "value_f1": "relaxed F1 x value accuracy (TempEval-3)",
}

_TAG = re.compile(r"<(/?)([A-Za-z0-9]+)([^>]*)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


@dataclass(frozen=True, slots=True)
class GoldTimex:
    start: int  # offsets into GoldDoc.text (the article body)
    end: int
    text: str
    type: str
    value: str


@dataclass
class GoldDoc:
    id: str
    dct: str | None
    text: str  # == the article's body text
    timexes: list[GoldTimex] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)


def load_tml(path: Path) -> GoldDoc:
    """A TimeML file as plain body text, with its TIMEX3s at offsets into that text."""
    raw = path.read_text("utf-8")
    dct_m = re.search(r"<DCT>\s*<TIMEX3[^>]*value=\"([^\"]*)\"", raw)
    begin, finish = raw.find("<TEXT>"), raw.find("</TEXT>")
    body = raw[begin + len("<TEXT>") : finish if finish >= 0 else len(raw)] if begin >= 0 else raw
    plain: list[str] = []
    pos = 0
    spans: list[tuple[int, int, dict[str, str]]] = []
    open_timex: tuple[int, dict[str, str]] | None = None
    last = 0
    for m in _TAG.finditer(body):
        chunk = html.unescape(body[last : m.start()])
        plain.append(chunk)
        pos += len(chunk)
        last = m.end()
        closing, name = m.group(1) == "/", m.group(2)
        if name != "TIMEX3":
            continue
        if not closing:
            open_timex = (pos, dict(_ATTR.findall(m.group(3))))
        elif open_timex is not None:
            spans.append((open_timex[0], pos, open_timex[1]))
            open_timex = None
    plain.append(html.unescape(body[last:]))
    text = "".join(plain)
    # Paragraphs at blank lines; gold offsets move from the plain text into the joined body.
    paragraphs: list[str] = []
    shift: list[tuple[int, int, int]] = []  # (plain_start, plain_end, body_start)
    body_pos = 0
    for pm in re.finditer(r"\S(?:.*?\S)??(?=\s*\n[ \t]*\n|\s*$)", text, re.S):
        if paragraphs:
            body_pos += len(PARAGRAPH_SEPARATOR)
        paragraphs.append(pm.group(0))
        shift.append((pm.start(), pm.end(), body_pos))
        body_pos += len(pm.group(0))
    body_text = PARAGRAPH_SEPARATOR.join(paragraphs)
    timexes = []
    for s, e, attrs in spans:
        for ps, pe, bs in shift:
            if ps <= s < pe:
                bstart, bend = bs + s - ps, bs + min(e, pe) - ps
                timexes.append(
                    GoldTimex(
                        bstart, bend, body_text[bstart:bend], attrs.get("type", ""), attrs.get("value", "")
                    )
                )
                break
    return GoldDoc(path.stem, dct_m.group(1) if dct_m else None, body_text, timexes, paragraphs)


def _files(data_dir: Path, limit: int | None) -> list[Path]:
    files = sorted(data_dir.rglob("*.tml"))
    return files[:limit] if limit else files


def _articles(docs: list[GoldDoc]) -> Iterator[Article]:
    for d in docs:
        yield Article(
            id=d.id,
            source=d.id,
            published=d.dct,
            language="en",
            paragraphs=[Paragraph(p) for p in d.paragraphs],
        )


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def evaluate(
    data_dir: Path | str, limit: int | None = None, *, errors: list[str] | None = None
) -> dict[str, float]:
    """Strict/relaxed P/R/F1, value accuracy and value F1 over the ``.tml`` files in ``data_dir``.

    ``limit`` takes the first N files in sorted path order. ``errors``, when given,
    receives one line per missed, spurious or wrongly valued expression.
    """
    from parallax.extract import extract_articles
    from parallax.extract.times import TimeExtractor

    docs = [load_tml(p) for p in _files(Path(data_dir), limit)]
    n_pred = n_gold = strict_tp = relaxed_tp = value_ok = type_ok = 0
    for doc, facts in zip(docs, extract_articles(_articles(docs), extractors=[TimeExtractor()]), strict=True):
        preds = sorted((t for t in facts.times if t.field == "body"), key=lambda t: t.start)
        golds = doc.timexes
        n_pred += len(preds)
        n_gold += len(golds)
        used: set[int] = set()
        for g in golds:
            hit = None
            for i, t in enumerate(preds):
                if i not in used and t.start < g.end and g.start < t.end:
                    hit = i
                    break
            if hit is None:
                if errors is not None:
                    errors.append(f"MISS {doc.id} {g.text!r} {g.type} {g.value} (dct {doc.dct})")
                continue
            used.add(hit)
            t = preds[hit]
            relaxed_tp += 1
            strict_tp += t.start == g.start and t.end == g.end
            type_ok += t.type == g.type
            if t.value == g.value:
                value_ok += 1
            elif errors is not None:
                errors.append(
                    f"VALUE {doc.id} {t.text!r}->{t.value} gold {g.text!r}={g.value} (dct {doc.dct})"
                )
        if errors is not None:
            errors.extend(
                f"SPURIOUS {doc.id} {t.text!r} {t.value}" for i, t in enumerate(preds) if i not in used
            )
    sp, sr, sf = _prf(strict_tp, n_pred, n_gold)
    rp, rr, rf = _prf(relaxed_tp, n_pred, n_gold)
    acc = value_ok / relaxed_tp if relaxed_tp else 0.0
    return {
        "documents": float(len(docs)),
        "gold": float(n_gold),
        "predicted": float(n_pred),
        "strict_precision": sp,
        "strict_recall": sr,
        "strict_f1": sf,
        "relaxed_precision": rp,
        "relaxed_recall": rr,
        "relaxed_f1": rf,
        "value_accuracy": acc,
        "type_accuracy": type_ok / relaxed_tp if relaxed_tp else 0.0,
        "value_f1": rf * acc,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m parallax.eval.timex", description=__doc__.split("\n")[0])
    parser.add_argument("data_dir", type=Path, help="folder with TimeML .tml files (searched recursively)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N files in sorted order")
    parser.add_argument("--errors", action="store_true", help="print every miss, spurious and wrong value")
    args = parser.parse_args(argv)
    if not args.data_dir.is_dir():
        print(f"{args.data_dir}: not a folder", file=sys.stderr)
        return 2
    errors: list[str] | None = [] if args.errors else None
    s = evaluate(args.data_dir, args.limit, errors=errors)
    for line in errors or []:
        print(line)
    print(f"documents {int(s['documents'])}, gold {int(s['gold'])}, predicted {int(s['predicted'])}")
    print(
        f"strict   P {s['strict_precision']:.3f} R {s['strict_recall']:.3f} F1 {s['strict_f1']:.3f}  [{RULES['strict']}]"
    )
    print(
        f"relaxed  P {s['relaxed_precision']:.3f} R {s['relaxed_recall']:.3f} F1 {s['relaxed_f1']:.3f}  [{RULES['relaxed']}]"
    )
    print(
        f"value accuracy {s['value_accuracy']:.3f}  [{RULES['value_accuracy']}]; type accuracy {s['type_accuracy']:.3f}"
    )
    print(f"value F1 {s['value_f1']:.3f}  [{RULES['value_f1']}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
