"""Time to first byte of the web pages on a store of 10,000 articles.

    .venv/bin/python bench/bench_web.py [--n 10000] [--runs 5] [--base BASE.db] [--db BIG.db]

1. A base store: real articles from the development data (one long stories-long story
   from five outlets and ten BASIL triplets), analyzed by Parallax (cleaned, extracted,
   grouped, compared). Cached at ``--base``; built when missing (minutes).
2. The big store: the base cloned until it holds ``--n`` articles, each clone a new
   "week" (new ids, dates moved by a week per clone, outlets rotated through twenty
   names, a closing line so the text differs) with its facts and its stories (article
   ids remapped), written through the store's own API so every index is filled as in
   real use. Cached at ``--db``.
3. A real server (uvicorn, another process) over that store; each page requested
   ``--runs`` times over HTTP after one warm-up; time to first byte (status line and
   headers received) and total, median and worst. The baseline, measured in the same
   run: the stylesheet (no database work), the server's own floor.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import devdata

OUTLETS = [
    "Reuters", "BBC", "CNN", "The Guardian", "Fox News", "The Washington Post", "Associated Press", "Al Jazeera",
    "AFP", "NPR", "The New York Times", "HuffPost", "Deutsche Welle", "France 24", "Bloomberg", "NBC News",
    "The Independent", "Sky News", "ABC News", "CBS News",
]  # fmt: skip


def base_corpus(path: Path) -> Path:
    """JSONL of ~90 real articles: 60 from one stories-long story (5 outlets), 10 BASIL triplets."""
    import csv
    import random

    base = devdata()
    rows = [
        r
        for r in csv.DictReader(
            (base / "stories-long/gold_windows.tsv").open(encoding="utf-8"), delimiter="\t"
        )
        if r["story"] == "t17-bpoil"
    ]
    by_outlet: dict[str, list[dict[str, str]]] = {}
    for r in sorted(rows, key=lambda r: r["doc_id"]):
        by_outlet.setdefault(r["outlet"], []).append(r)
    rng = random.Random(3)
    out = []
    for outlet, docs in sorted(by_outlet.items()):
        for r in rng.sample(docs, min(12, len(docs))):
            d = json.loads((base / "stories-long" / r["path"]).read_text(encoding="utf-8"))
            out.append(
                {
                    "text": d["text"],
                    "outlet": outlet,
                    "published": r["published"],
                    "url": f"https://example.org/{r['doc_id']}",
                }
            )
    index = list(csv.DictReader((base / "basil/index.tsv").open(encoding="utf-8"), delimiter="\t"))
    key = "story_id(triplet-uuid)"
    names = {"fox": "Fox News", "nyt": "The New York Times", "hpo": "HuffPost"}
    for sid in rng.sample(sorted({r[key] for r in index}), 10):
        for r in (x for x in index if x[key] == sid):
            d = json.loads((base / "basil" / r["path"]).read_text(encoding="utf-8"))
            text = "\n\n".join(" ".join(p) for p in d["body-paragraphs"])
            out.append(
                {"text": text, "title": d["title"], "outlet": names[r["source"]], "published": r["date"]}
            )
    path.write_text("".join(json.dumps(r) + "\n" for r in out), encoding="utf-8")
    return path


def build_base(db: Path) -> None:
    from parallax import service
    from parallax.store import open_store

    src = base_corpus(db.with_suffix(".jsonl"))
    print(f"base: analyzing {src} into {db} (minutes)", flush=True)
    with open_store(str(db)) as store:
        service.analyze(store, [str(src)])


def _shift(value: str | None, days: int) -> str | None:
    if not value or value.startswith("--"):
        return value
    try:
        moved = date.fromisoformat(value[:10]) + timedelta(days=days)
    except ValueError:
        return value
    return moved.isoformat() + value[10:]


def build_big(base_db: Path, db: Path, n: int) -> None:
    import dataclasses

    from parallax.records import ArticleFacts, Paragraph, RawDocument, Story, from_dict, to_dict
    from parallax.store import open_store

    with open_store(str(base_db)) as base:
        articles = base.articles()
        facts = {a.id: base.get_facts(a.id) or ArticleFacts(article_id=a.id) for a in articles}
        raws = {a.id: base.get_raw(a.id) for a in articles}
        stories = base.stories()
    clones = -(-n // len(articles))
    print(
        f"big: {clones} clones of {len(articles)} articles and {len(stories)} stories into {db}", flush=True
    )
    t0 = time.perf_counter()
    new_stories: list[Story] = []
    written = 0
    with open_store(str(db)) as store:
        for k in range(clones):
            ids = {a.id: f"{a.id[:12]}{k:04x}" for a in articles}
            for a in articles:
                if written >= n:
                    break
                start = OUTLETS.index(a.outlet) if a.outlet in OUTLETS else len(a.outlet or "")
                outlet = OUTLETS[(start + k) % len(OUTLETS)] if a.outlet else None
                text_tail = Paragraph(f"(Edition {k} of this report, {outlet}.)")
                art = dataclasses.replace(
                    a, id=ids[a.id], source=f"bench/{k}/{a.source}", outlet=outlet, published=_shift(a.published, 7 * k),
                    paragraphs=[*a.paragraphs, text_tail], content_hash="", duplicate_of=None,
                )  # fmt: skip
                raw = RawDocument(
                    source=art.source,
                    format="jsonl",
                    raw=raws[a.id] + f"\n{k}".encode(),
                    text=art.text,
                    url=a.url,
                )
                store.add_article(raw, art)
                store.save_facts(dataclasses.replace(facts[a.id], article_id=art.id))
                written += 1
            for s in stories:
                data = json.dumps(to_dict(s))
                for old, new in ids.items():
                    data = data.replace(old, new)
                story = from_dict(Story, json.loads(data))
                new_stories.append(
                    dataclasses.replace(
                        story,
                        id=f"{s.id[:10]}{k:04x}",
                        first_seen=_shift(s.first_seen, 7 * k),
                        last_seen=_shift(s.last_seen, 7 * k),
                    )
                )
            if k % 10 == 9:
                print(f"  {written} articles, {time.perf_counter() - t0:.0f} s", flush=True)
        stored = {a.id for a in store.articles()}
        final = [
            dataclasses.replace(s, article_ids=[a for a in s.article_ids if a in stored]) for s in new_stories
        ]
        store.save_stories([s for s in final if s.article_ids])
    print(f"big: {written} articles, {len(final)} stories in {time.perf_counter() - t0:.0f} s", flush=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ttfb(port: int, path: str) -> tuple[float, float, int, int]:
    """(time to first byte, total time, status, bytes) of one GET."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    t0 = time.perf_counter()
    conn.request("GET", path, headers={"Accept": "text/html"})
    resp = conn.getresponse()
    first = time.perf_counter() - t0
    body = resp.read()
    total = time.perf_counter() - t0
    conn.close()
    return first, total, resp.status, len(body)


def pages(db: Path) -> list[tuple[str, str]]:
    from parallax.store import open_store, search

    with open_store(str(db)) as store:
        rows, _ = search.list_stories(store, sort="articles", limit=1)
        biggest = rows[0].id
        outlet = search.outlets(store)[0][0]
        article = search.recent_articles(store, limit=1)[0]["id"]
        entity = search.top_entities(store, limit=1)[0]["key"]
    return [
        ("baseline: stylesheet", "/static/parallax.css"),
        ("overview", "/"),
        ("overview, sorted by conflicts", "/?sort=conflicts"),
        ("overview, text filter", "/?q=oil+spill"),
        ("overview, outlet + dates", f"/?outlet={quote(outlet)}&since=2011-01-01&until=2011-12-31"),
        ("overview, entity filter", f"/?entity={quote(entity)}"),
        ("overview, page 20", "/?page=20"),
        ("search", "/search?q=oil+spill"),
        ("search, quotes, page 10", "/search?q=oil&kind=quote&page=10"),
        ("search, newest first", "/search?q=president&sort=newest"),
        ("story (largest)", f"/stories/{biggest}"),
        ("article", f"/articles/{article}"),
        ("entity (most articles)", f"/entities/{quote(entity)}"),
        ("outlet (most articles)", f"/outlets/{quote(outlet)}"),
        ("API: stories, 50", "/api/stories?limit=50"),
        ("API: search", "/api/search?q=oil+spill"),
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--base", type=Path, default=Path("/tmp/parallax-bench-web/base.db"))
    ap.add_argument(
        "--db", type=Path, default=None, help="the big store (default: next to --base, named by --n)"
    )
    args = ap.parse_args(argv)
    args.base.parent.mkdir(parents=True, exist_ok=True)
    db = args.db or args.base.with_name(f"big-{args.n}.db")
    if not args.base.exists():
        build_base(args.base)
    if not db.exists():
        build_big(args.base, db, args.n)
    from parallax.store import open_store

    with open_store(str(db)) as store:
        count = store.count_articles()
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", "import sys, uvicorn; from parallax.web import create_app; "
         f"uvicorn.run(create_app(sys.argv[1]), host='127.0.0.1', port={port}, log_level='warning')", str(db)],
        env={**os.environ},
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                ttfb(port, "/static/parallax.css")
                break
            except OSError:
                time.sleep(0.2)
        print(
            f"\n{count:,} articles · {platform.processor() or platform.machine()} · Python {platform.python_version()} · {os.cpu_count()} cores (shared)"
        )
        print(f"{'page':<34} {'TTFB median':>12} {'worst':>8} {'total':>8} {'KB':>6}  status")
        worst_all = 0.0
        for name, path in pages(db):
            ttfb(port, path)  # warm-up: templates compiled, caches filled
            runs = [ttfb(port, path) for _ in range(args.runs)]
            firsts = [r[0] for r in runs]
            print(
                f"{name:<34} {statistics.median(firsts) * 1000:>10.0f}ms {max(firsts) * 1000:>6.0f}ms {statistics.median(r[1] for r in runs) * 1000:>6.0f}ms {runs[0][3] / 1024:>6.0f}  {runs[0][2]}"
            )
            if not name.startswith("baseline"):
                worst_all = max(worst_all, statistics.median(firsts))
        print(f"\nslowest page, median TTFB: {worst_all * 1000:.0f} ms (target: under 1,000 ms)")
        return 0 if worst_all < 1.0 else 1
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    raise SystemExit(main())
