"""Scores the article cleaner on real pages with gold bodies, per set and per site fold.

Sets (all under ``../shared/data``): ``article-extraction`` (Zyte benchmark, 91 pages) and the
four sets of ``extraction-more`` (``l3s-gn1``, ``dragnet``, ``readability``,
``cleanportaleval``; pages marked ``exclude`` are left out; Dragnet is scored against
``gold_body``, the gold cut before the reader comments). Pages are decoded as UTF-8 whatever
their meta tag says.

Folds: every page belongs to a site (the URL's host, else the page's canonical / og:url host,
else its id) and the site's CRC-32 parity puts it in fold ``A`` (even) or ``B`` (odd); all pages
of one site share a fold. Rules are written while looking at fold A pages; fold B is the check
("a score on data a rule was written for is not a result"), and so is a whole set no rule was
written for.

Body (the article-extraction benchmark's rule): tokens are ``\\w+`` runs; shingles are 4-token
windows counted as a multiset; per page TP/FP/FN are normalised by their sum; precision is
averaged over pages with a prediction, recall over pages with a gold body; F1 = 2PR/(P+R) from
those averages. The baseline is ``trafilatura.extract(html, include_comments=False)`` on the same
pages in the same run.

Title and date: the gold holds bodies only, so they are scored against the page's own markup:
the title against ``og:title`` (else ``twitter:title``, else the first ``<h1>``), the date against
``article:published_time`` / ``datePublished`` (day only). In HTML mode the cleaner reads the same
markup, so those numbers say little there; in text mode the cleaner sees only the visible text,
so they measure it. ``headline`` scores against the headline the page prints: the first ``<h1>``
when ``og:title`` is that ``<h1>`` followed by more (" | Site", which the visible text never
shows and the cleaner strips), else ``og:title`` itself.

Text mode: each page becomes the text a browser's "select all, copy" gives
(:func:`parallax.clean.html.visible_text`: block elements -> lines, scripts and styles dropped,
menus and footers kept) and is cleaned as a plain-text dump.

Run: ``parallax eval cleaning [DATA_DIR] --mode html|text|both [--sets a,b] [--limit N] [--cache DIR]``.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import statistics
import sys
import time
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import lxml.html

from parallax.clean import clean_document
from parallax.clean.html import parse_html, visible_text
from parallax.errors import ParallaxError
from parallax.records import Article, RawDocument

Mode = Literal["html", "text"]

#: the Zyte pages, then the four sets of extraction-more (the "other sets" of the targets)
ALL_SETS = ("article-extraction", "l3s-gn1", "dragnet", "readability", "cleanportaleval")
MORE_SETS = ALL_SETS[1:]

_TOKEN = re.compile(r"\w+")

BODY_RULE = (
    "body: per-page 4-token shingle P/R (tokens = \\w+ runs, multiset, normalised per page), "
    "averaged over pages; F1 from the averages (article-extraction-benchmark rule)"
)
TITLE_RULE = (
    "title: reference = og:title, else twitter:title, else first <h1> (ground truth has no title); "
    "exact = same lower-cased \\w+ tokens; headline = exact against the headline the page prints: the first <h1> "
    "when the reference is that <h1> plus more (a site name), else the reference"
)
DATE_RULE = (
    "date: reference = article:published_time / datePublished in the markup (ground truth has no date); "
    "match = same YYYY-MM-DD (date±1: or one day apart, a local date against a UTC timestamp); "
    "pages without a reference date (or with a year outside 1990-2100) are skipped"
)
FOLD_RULE = (
    "folds: site = URL host (else canonical/og:url host, else page id); fold A = even CRC-32 of the site"
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


def _meta(tree: lxml.html.HtmlElement, xpath: str) -> str | None:
    found = tree.xpath(xpath)
    return str(found[0]).strip() or None if found else None


def first_h1(tree: lxml.html.HtmlElement) -> str | None:
    """The text of the page's first ``<h1>``."""
    h1 = tree.xpath("//h1")
    if h1:
        return " ".join(h1[0].text_content().split()) or None
    return None


def reference_title(tree: lxml.html.HtmlElement) -> str | None:
    """The page's own title: og:title, else twitter:title, else the first <h1>."""
    for xpath in ('//meta[@property="og:title"]/@content', '//meta[@name="twitter:title"]/@content'):
        found = _meta(tree, xpath)
        if found:
            return found
    return first_h1(tree)


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
        # "0001-01-01": a template's empty date, no reference
        if m and 1990 <= int(m.group(1)[:4]) <= 2100:
            return m.group(1)
    return None


def headline_reference(meta_title: str | None, h1: str | None) -> str | None:
    """The headline as the page prints it: the ``<h1>`` when the meta title is the ``<h1>`` plus a
    site name ("Headline | Site"), else the meta title."""
    if not meta_title:
        return h1
    if h1:
        key = " ".join(_tokens(h1))
        meta = " ".join(_tokens(meta_title))
        if key and meta.startswith(key) and len(key) >= 0.4 * len(meta):
            return h1
    return meta_title


def _day_apart(pred: str | None, ref: str) -> bool:
    """The predicted day is one calendar day from the reference (a local date printed on the page
    against a UTC timestamp in the markup)."""
    from datetime import date

    if not pred or len(pred) < 10 or pred.startswith("--"):
        return False
    try:
        return abs((date.fromisoformat(pred[:10]) - date.fromisoformat(ref)).days) == 1
    except ValueError:
        return False


def title_match(pred: str | None, ref: str | None) -> tuple[bool, bool]:
    """(exact, overlap) between a predicted and a reference title."""
    p, r = _tokens(pred), _tokens(ref)
    if not p or not r:
        return False, False
    exact = p == r
    ps, rs = " ".join(p), " ".join(r)
    return exact, exact or f" {ps} " in f" {rs} " or f" {rs} " in f" {ps} "


# ----------------------------------------------------------------------------- pages and folds


@dataclass(frozen=True, slots=True)
class Page:
    """One page with its gold body, the site it belongs to and that site's fold."""

    set: str
    id: str
    url: str
    gold: str
    html: str
    site: str

    @property
    def fold(self) -> str:
        return fold_of(self.site)


_SECOND_LEVEL = {"co", "com", "org", "net", "ac", "gov", "edu", "ne", "or"}
_CANONICAL = (
    re.compile(r"<link[^>]+rel=[\"']canonical[\"'][^>]*href=[\"']([^\"']+)", re.I),
    re.compile(r"<link[^>]+href=[\"']([^\"']+)[\"'][^>]*rel=[\"']canonical[\"']", re.I),
    re.compile(r"property=[\"']og:url[\"'][^>]*content=[\"']([^\"']+)", re.I),
)


def site_of(url: str | None, html: str, page_id: str) -> str:
    """The registrable domain of the page (URL, else canonical link / og:url), else a name from its id."""
    candidates = [url or ""]
    for pat in _CANONICAL:
        m = pat.search(html[:200_000])
        if m:
            candidates.append(m.group(1))
    for cand in candidates:
        host = (urlsplit(cand.strip()).hostname or "").lower() if "//" in cand else ""
        labels = [x for x in host.split(".") if x]
        if len(labels) >= 2:
            keep = 3 if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2 else 2
            return ".".join(labels[-keep:])
    # "bbc.co.uk_news_01" / "bbc-1" / "nytimes-2": the part before the counter
    return re.split(r"(?:[_-]\d+$|_)", page_id, maxsplit=1)[0] or page_id


def fold_of(site: str) -> str:
    """``A`` or ``B`` by the parity of the site's CRC-32 (stable across runs and machines)."""
    return "A" if zlib.crc32(site.encode("utf-8")) % 2 == 0 else "B"


def _read_gz(path: Path) -> str:
    return gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")


def load_pages(root: Path, sets: Iterable[str] = ALL_SETS, limit: int | None = None) -> list[Page]:
    """The pages of ``sets`` under the data root (``../shared/data``), in set then id order.

    ``root`` may also be the ``article-extraction`` folder itself (then only that set is read).
    """
    pages: list[Page] = []
    wanted = list(sets)
    if (root / "ground-truth.json").is_file():
        root, wanted = root.parent, ["article-extraction"] if "article-extraction" in wanted else []
    for name in wanted:
        found: list[Page] = []
        if name == "article-extraction":
            base = root / "article-extraction"
            if not (base / "ground-truth.json").is_file():
                continue
            truth = json.loads((base / "ground-truth.json").read_text(encoding="utf-8"))
            for key in sorted(truth)[: limit if limit else None]:
                html = _read_gz(base / "html" / f"{key}.html.gz")
                url = truth[key].get("url") or ""
                found.append(
                    Page(name, key, url, truth[key].get("articleBody") or "", html, site_of(url, html, key))
                )
        else:
            index = root / "extraction-more" / "index.jsonl"
            if not index.is_file():
                continue
            rows = [
                json.loads(line) for line in index.read_text(encoding="utf-8").splitlines() if line.strip()
            ]
            rows = sorted(
                (r for r in rows if r["dataset"] == name and not r.get("exclude")), key=lambda r: r["id"]
            )
            for row in rows[: limit if limit else None]:
                base = root / "extraction-more"
                html = _read_gz(base / row["html"])
                gold = (base / (row.get("gold_body") or row["gold"])).read_text(encoding="utf-8")
                url = row.get("url") or ""
                found.append(Page(name, row["id"], url, gold, html, site_of(url, html, row["id"])))
        pages.extend(found)
    return pages


def page_document(key: str, url: str, html: str, mode: Mode) -> RawDocument:
    """The document the cleaner gets for one page in ``mode``."""
    raw = html.encode("utf-8")
    if mode == "html":
        return RawDocument(source=f"{key}.html", format="html", raw=raw, html=html, url=url or None)
    text = visible_text(parse_html(html, key))
    return RawDocument(source=f"{key}.txt", format="text", raw=text.encode("utf-8"), text=text)


# ----------------------------------------------------------------------------- baseline


def _baseline_cache(cache_dir: Path | None) -> tuple[dict[str, str], Callable[[], None]]:
    import trafilatura

    if cache_dir is None:
        return {}, lambda: None
    path = cache_dir / f"trafilatura-{trafilatura.__version__}.json"
    data: dict[str, str] = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    size = len(data)

    def save() -> None:
        if len(data) != size:
            cache_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(data), encoding="utf-8")

    return data, save


def baseline_text(html: str, cache: dict[str, str]) -> str:
    """``trafilatura.extract(html, include_comments=False)``, memoised by the page's hash."""
    import trafilatura

    key = hashlib.sha1(html.encode("utf-8", errors="replace")).hexdigest()
    if key not in cache:
        cache[key] = trafilatura.extract(html, include_comments=False) or ""
    return cache[key]


# ----------------------------------------------------------------------------- running


@dataclass(slots=True)
class PageResult:
    """What one page scored."""

    set: str
    id: str
    fold: str
    ours: tuple[float, float, float]
    base: tuple[float, float, float]
    title_ref: bool = False
    title_exact: bool = False
    title_headline: bool = False
    date_ref: bool = False
    date_ok: bool = False
    date_near: bool = False
    error: str | None = None


def score_page(page: Page, mode: Mode, cache: dict[str, str]) -> PageResult:
    """Clean one page in ``mode`` and score it (and the trafilatura baseline)."""
    article: Article | None = None
    error = None
    try:
        article = clean_document(page_document(page.id, page.url, page.html, mode))
    except ParallaxError as exc:
        error = exc.code
    result = PageResult(
        page.set,
        page.id,
        page.fold,
        page_scores(page.gold, article.text if article else ""),
        page_scores(page.gold, baseline_text(page.html, cache)),
        error=error,
    )
    try:
        tree = parse_html(page.html, page.id)
    except ParallaxError:
        return result
    ref = reference_title(tree)
    if ref:
        predicted = article.title if article else None
        result.title_ref = True
        result.title_exact = title_match(predicted, ref)[0]
        result.title_headline = title_match(predicted, headline_reference(ref, first_h1(tree)))[0]
    ref_date = reference_date(page.html)
    if ref_date:
        result.date_ref = True
        result.date_ok = bool(article and article.published and article.published[:10] == ref_date)
        result.date_near = result.date_ok or _day_apart(article.published if article else None, ref_date)
    return result


def summarize(rows: Sequence[PageResult]) -> dict[str, Any]:
    """Body, baseline, title and date scores of a group of pages."""
    titled = [r for r in rows if r.title_ref]
    dated = [r for r in rows if r.date_ref]
    return {
        "pages": len(rows),
        "body": aggregate([r.ours for r in rows]),
        "baseline_trafilatura": aggregate([r.base for r in rows]),
        "title": {
            "pages": len(titled),
            "exact": round(sum(r.title_exact for r in titled) / len(titled), 4) if titled else None,
            "headline": round(sum(r.title_headline for r in titled) / len(titled), 4) if titled else None,
        },
        "date": {
            "pages": len(dated),
            "accuracy": round(sum(r.date_ok for r in dated) / len(dated), 4) if dated else None,
            "within_a_day": round(sum(r.date_near for r in dated) / len(dated), 4) if dated else None,
        },
        "errors": dict(Counter(r.error for r in rows if r.error)),
    }


def group_scores(rows: Sequence[PageResult]) -> dict[str, dict[str, Any]]:
    """Scores per ``set``, ``set/fold``, the four other sets together (``more``), and all pages."""
    groups: dict[str, list[PageResult]] = defaultdict(list)
    for r in rows:
        for key in (r.set, f"{r.set}/{r.fold}", "all", f"all/{r.fold}"):
            groups[key].append(r)
        if r.set in MORE_SETS:
            groups["more"].append(r)
            groups[f"more/{r.fold}"].append(r)
    return {key: summarize(value) for key, value in groups.items()}


def evaluate(
    data_dir: Path,
    mode: Mode,
    limit: int | None = None,
    sets: Iterable[str] = ("article-extraction",),
    cache_dir: Path | None = None,
) -> dict[str, Any]:
    """Score the cleaner (and trafilatura as the baseline) on the pages of ``sets``.

    The top-level keys (``body``, ``baseline_trafilatura``, ``title``, ``date``, ``pages``) are the
    scores over all pages; ``groups`` holds them per set, per set and fold, and for ``more``.
    """
    started = time.perf_counter()
    pages = load_pages(data_dir, sets, limit)
    cache, save = _baseline_cache(cache_dir)
    rows = [score_page(page, mode, cache) for page in pages]
    save()
    groups = group_scores(rows)
    overall = groups.get("all") or summarize([])
    return {
        "mode": mode,
        **overall,
        "groups": groups,
        "errors_by_page": {f"{r.set}/{r.id}": r.error for r in rows if r.error},
        "seconds": round(time.perf_counter() - started, 1),
    }


def _order(key: str) -> tuple[int, str]:
    head = key.split("/")[0]
    rank = {name: i for i, name in enumerate((*ALL_SETS, "more", "all"))}
    return rank.get(head, 99), key


def _print(result: dict[str, Any]) -> None:
    print(f"mode={result['mode']}  pages={result['pages']}  seconds={result['seconds']}")
    print(
        f"  {'group':24s} {'pages':>5s}  {'P':>6s} {'R':>6s} {'F1':>6s}  {'traf F1':>7s}  "
        f"{'title':>6s} {'headl':>6s} {'date':>6s} {'date±1':>6s}"
    )
    for key in sorted(result["groups"], key=_order):
        g = result["groups"][key]
        b, t = g["body"], g["baseline_trafilatura"]
        ti, da = g["title"], g["date"]

        def num(x: float | None) -> str:
            return f"{x:.3f}" if x is not None else "  -  "

        print(
            f"  {key:24s} {g['pages']:5d}  {b['precision']:.4f} {b['recall']:.4f} {b['f1']:.4f}  {t['f1']:.4f}   "
            f"{num(ti['exact']):>6s} {num(ti['headline']):>6s} {num(da['accuracy']):>6s} {num(da['within_a_day']):>6s}"
        )
    if result["errors"]:
        print(f"  no article / errors: {sum(result['errors'].values())} {result['errors']}")
    print("  traf F1 = trafilatura.extract(html, include_comments=False) on the HTML of the same pages")
    print(f"  rules: {BODY_RULE}")
    print(f"         {TITLE_RULE}")
    print(f"         {DATE_RULE}")
    print(f"         {FOLD_RULE}")


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: print the scores of one or both modes."""
    parser = argparse.ArgumentParser(
        prog="parallax eval cleaning", description=(__doc__ or "").splitlines()[0]
    )
    parser.add_argument(
        "data_dir",
        nargs="?",
        type=Path,
        help="the shared data folder holding article-extraction/ and extraction-more/ (default: ../shared/data)",
    )
    parser.add_argument("--mode", choices=("html", "text", "both"), default="both")
    parser.add_argument(
        "--sets", default=",".join(ALL_SETS), help=f"comma-separated sets (default: {','.join(ALL_SETS)})"
    )
    parser.add_argument(
        "--limit", type=int, default=None, help="score only the first N pages (by id) of each set"
    )
    parser.add_argument(
        "--cache", type=Path, default=None, help="folder to keep trafilatura's baseline outputs in"
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    data_dir: Path = args.data_dir or Path(__file__).resolve().parents[3].parent / "shared" / "data"
    sets = [s.strip() for s in args.sets.split(",") if s.strip()]
    unknown = [s for s in sets if s not in ALL_SETS]
    if unknown:
        print(f"unknown set(s): {', '.join(unknown)} (known: {', '.join(ALL_SETS)})", file=sys.stderr)
        return 2
    if not load_pages(data_dir, sets, limit=1):
        print(
            f"{data_dir}: no pages of {', '.join(sets)} here (pass the shared data folder holding "
            "article-extraction/ground-truth.json and extraction-more/index.jsonl)",
            file=sys.stderr,
        )
        return 2
    modes: list[Mode] = ["html", "text"] if args.mode == "both" else [args.mode]
    for mode in modes:
        result = evaluate(data_dir, mode, args.limit, sets, args.cache)
        if args.json:
            print(json.dumps(result, indent=2))
        else:
            _print(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
