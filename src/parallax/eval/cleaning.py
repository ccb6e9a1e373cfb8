"""Scores the article cleaner on the article-extraction dev set (Zyte benchmark pages).

Body (the benchmark's own rule): tokens are ``\\w+`` runs; shingles are 4-token
windows counted as a multiset; per page TP/FP/FN are normalised by their sum;
precision is averaged over pages with a prediction, recall over pages with a
gold body; F1 = 2PR/(P+R) from those averages.

Title and date: the ground truth holds only ``articleBody`` and ``url``, so they
are scored against the page's own markup, which is the only reference we have:
the title against ``og:title`` (else ``twitter:title``, else the first ``<h1>``),
the date against ``article:published_time`` / ``datePublished`` (day only).
In HTML mode trafilatura reads the same markup, so those two numbers say little
there; in text mode the cleaner sees only the visible text, so they measure it.

Text mode: each page becomes the text a browser's "select all, copy" gives
(:func:`parallax.clean.html.visible_text`: block elements -> lines, scripts and
styles dropped, menus and footers kept) and is cleaned as a plain-text dump.

Run: ``python -m parallax.eval.cleaning [DATA_DIR] --mode html|text|both [--limit N]``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import lxml.html

from parallax.clean import clean_document
from parallax.clean.html import parse_html, visible_text
from parallax.errors import ParallaxError
from parallax.records import Article, RawDocument

Mode = Literal["html", "text"]

_TOKEN = re.compile(r"\w+")

BODY_RULE = (
    "body: per-page 4-token shingle P/R (tokens = \\w+ runs, multiset, normalised per page), "
    "averaged over pages; F1 from the averages (article-extraction-benchmark rule)"
)
TITLE_RULE = (
    "title: reference = og:title, else twitter:title, else first <h1> (ground truth has no title); "
    "exact = same lower-cased \\w+ tokens; overlap = one token sequence contains the other"
)
DATE_RULE = (
    "date: reference = article:published_time / datePublished in the markup (ground truth has no date); "
    "match = same YYYY-MM-DD; pages without a reference date are skipped"
)


# ----------------------------------------------------------------------------- scoring


def shingle_counts(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    """Multiset of ``n``-token shingles of ``text`` (one shingle for texts shorter than ``n``)."""
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def page_scores(gold: str, pred: str) -> tuple[float, float, float]:
    """Normalised (TP, FP, FN) of one page."""
    g, p = shingle_counts(gold), shingle_counts(pred)
    tp = fp = fn = 0.0
    for key in g.keys() | p.keys():
        tp += min(g[key], p[key])
        fp += max(0, p[key] - g[key])
        fn += max(0, g[key] - p[key])
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def aggregate(rows: Sequence[tuple[float, float, float]]) -> dict[str, float]:
    """Precision, recall and F1 over pages, as the benchmark computes them."""

    def prec(tp: float, fp: float, fn: float) -> float:
        if fp == fn == 0:
            return 1.0
        return 0.0 if tp == fp == 0 else tp / (tp + fp)

    def rec(tp: float, fp: float, fn: float) -> float:
        if fp == fn == 0:
            return 1.0
        return 0.0 if tp == fn == 0 else tp / (tp + fn)

    ps = [prec(*r) for r in rows if r[0] + r[1] > 0]
    rs = [rec(*r) for r in rows if r[0] + r[2] > 0]
    p = statistics.mean(ps) if ps else 0.0
    r = statistics.mean(rs) if rs else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4)}


# ----------------------------------------------------------------------------- references


def _tokens(text: str | None) -> list[str]:
    return _TOKEN.findall((text or "").lower())


def reference_title(tree: lxml.html.HtmlElement) -> str | None:
    """The page's own title: og:title, else twitter:title, else the first <h1>."""
    for xpath in ('//meta[@property="og:title"]/@content', '//meta[@name="twitter:title"]/@content'):
        found = tree.xpath(xpath)
        if found and str(found[0]).strip():
            return str(found[0]).strip()
    h1 = tree.xpath("//h1")
    if h1:
        text = " ".join(h1[0].text_content().split())
        return text or None
    return None


_DATE_PATTERNS = (
    re.compile(
        r"<meta[^>]+(?:property|name|itemprop)=[\"'](?:article:published_time|datePublished|pubdate|publishdate|date)[\"'][^>]*content=[\"'](\d{4}-\d{2}-\d{2})",
        re.I,
    ),
    re.compile(
        r"<meta[^>]+content=[\"'](\d{4}-\d{2}-\d{2})[^>]*(?:property|name|itemprop)=[\"'](?:article:published_time|datePublished)[\"']",
        re.I,
    ),
    re.compile(r"\"datePublished\"\s*:\s*\"(\d{4}-\d{2}-\d{2})"),
    re.compile(r"itemprop=[\"']datePublished[\"'][^>]*(?:content|datetime)=[\"'](\d{4}-\d{2}-\d{2})", re.I),
)


def reference_date(html: str) -> str | None:
    """The publication day the page's markup declares, if any."""
    for pat in _DATE_PATTERNS:
        m = pat.search(html)
        if m:
            return m.group(1)
    return None


def title_match(pred: str | None, ref: str | None) -> tuple[bool, bool]:
    """(exact, overlap) between a predicted and a reference title."""
    p, r = _tokens(pred), _tokens(ref)
    if not p or not r:
        return False, False
    exact = p == r
    ps, rs = " ".join(p), " ".join(r)
    return exact, exact or f" {ps} " in f" {rs} " or f" {rs} " in f" {ps} "


# ----------------------------------------------------------------------------- running


def load_pages(data_dir: Path, limit: int | None = None) -> list[tuple[str, str, str, str]]:
    """(id, url, gold body, html) for the pages of ``data_dir``, in id order."""
    truth = json.loads((data_dir / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key in sorted(truth)[: limit if limit else None]:
        with gzip.open(data_dir / "html" / f"{key}.html.gz", "rt", encoding="utf-8") as fh:
            html = fh.read()
        pages.append((key, truth[key].get("url") or "", truth[key].get("articleBody") or "", html))
    return pages


def page_document(key: str, url: str, html: str, mode: Mode) -> RawDocument:
    """The document the cleaner gets for one page in ``mode``."""
    raw = html.encode("utf-8")
    if mode == "html":
        return RawDocument(source=f"{key}.html", format="html", raw=raw, html=html, url=url)
    text = visible_text(parse_html(html, key))
    return RawDocument(source=f"{key}.txt", format="text", raw=text.encode("utf-8"), text=text)


def evaluate(data_dir: Path, mode: Mode, limit: int | None = None) -> dict[str, Any]:
    """Score the cleaner (and trafilatura as the baseline) on the pages of ``data_dir``."""
    import trafilatura

    started = time.perf_counter()
    pages = load_pages(data_dir, limit)
    ours: list[tuple[float, float, float]] = []
    base: list[tuple[float, float, float]] = []
    errors: dict[str, str] = {}
    title_exact = title_overlap = title_pages = 0
    date_ok = date_pages = 0
    for key, url, gold, html in pages:
        article: Article | None = None
        try:
            article = clean_document(page_document(key, url, html, mode))
        except ParallaxError as exc:
            errors[key] = exc.code
        ours.append(page_scores(gold, article.text if article else ""))
        base.append(page_scores(gold, trafilatura.extract(html, include_comments=False) or ""))
        tree = lxml.html.document_fromstring(html)
        ref = reference_title(tree)
        if ref:
            title_pages += 1
            exact, overlap = title_match(article.title if article else None, ref)
            title_exact += exact
            title_overlap += overlap
        ref_date = reference_date(html)
        if ref_date:
            date_pages += 1
            date_ok += bool(article and article.published and article.published[:10] == ref_date)
    return {
        "mode": mode,
        "pages": len(pages),
        "body": aggregate(ours),
        "baseline_trafilatura": aggregate(base),
        "title": {
            "pages": title_pages,
            "exact": round(title_exact / title_pages, 4) if title_pages else None,
            "overlap": round(title_overlap / title_pages, 4) if title_pages else None,
        },
        "date": {"pages": date_pages, "accuracy": round(date_ok / date_pages, 4) if date_pages else None},
        "errors": errors,
        "seconds": round(time.perf_counter() - started, 1),
    }


def _print(result: dict[str, Any]) -> None:
    b, t = result["body"], result["baseline_trafilatura"]
    print(f"mode={result['mode']}  pages={result['pages']}  seconds={result['seconds']}")
    print(f"  parallax body     P={b['precision']:.4f} R={b['recall']:.4f} F1={b['f1']:.4f}")
    print(
        f"  trafilatura body  P={t['precision']:.4f} R={t['recall']:.4f} F1={t['f1']:.4f}  "
        "(trafilatura.extract(html, include_comments=False) on the HTML of the same pages)"
    )
    ti, da = result["title"], result["date"]
    print(
        f"  title exact={ti['exact']} overlap={ti['overlap']} over {ti['pages']} pages with a reference title"
    )
    print(f"  date accuracy={da['accuracy']} over {da['pages']} pages with a reference date")
    if result["errors"]:
        print(f"  no article / errors: {len(result['errors'])} {dict(Counter(result['errors'].values()))}")
    print(f"  rules: {BODY_RULE}")
    print(f"         {TITLE_RULE}")
    print(f"         {DATE_RULE}")


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: print the scores of one or both modes."""
    parser = argparse.ArgumentParser(
        prog="python -m parallax.eval.cleaning", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "data_dir",
        nargs="?",
        type=Path,
        help="the article-extraction folder (default: ../shared/data/article-extraction)",
    )
    parser.add_argument("--mode", choices=("html", "text", "both"), default="both")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N pages (by id)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    data_dir: Path = (
        args.data_dir or Path(__file__).resolve().parents[3].parent / "shared" / "data" / "article-extraction"
    )
    if not (data_dir / "ground-truth.json").is_file():
        print(f"{data_dir}: no ground-truth.json here (pass the article-extraction folder)", file=sys.stderr)
        return 2
    modes: list[Mode] = ["html", "text"] if args.mode == "both" else [args.mode]
    for mode in modes:
        result = evaluate(data_dir, mode, args.limit)
        if args.json:
            print(json.dumps(result, indent=2))
        else:
            _print(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
