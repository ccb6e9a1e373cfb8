"""The whole ``analyze`` (ingest, clean, store, extract, group, complete dates, compare).

    .venv/bin/python bench/bench_analyze.py [--n 500] [--mix] [--workers 1,2] [--executor local|ray]

Builds a JSONL corpus from the development data (``--mix``: the sources taken in
turn, so a small corpus still has multi-outlet stories; else PolNeAR first, as
``bench/corpus.py`` orders them) and runs ``parallax.service.analyze`` into a fresh
SQLite file once per worker count. Baseline, in the same run: bare spaCy
``nlp.pipe`` (one process) on the same cleaned texts, measured after each analyze
run; the faster of those is used, so load cannot flatter the ratio. Prints the
seconds of each phase, analyze / bare and N workers / one worker, whether every
worker count stored the same facts and stories, and the load average.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import corpus, write_jsonl
from parallax import service
from parallax.executor import get_executor
from parallax.extract.base import build_analysis_text
from parallax.nlp import load_nlp
from parallax.records import to_dict
from parallax.store import Store, open_store


def mixed(n: int) -> list[dict[str, str]]:
    """Up to ``n`` rows, the sources (PolNeAR, ECB+, BASIL, TimeBank) taken in turn."""
    by_source: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in corpus(100_000):
        by_source[row["url"].split(":", 1)[0]].append(row)
    queues = list(by_source.values())
    out: list[dict[str, str]] = []
    while len(out) < n and any(queues):
        for q in queues:
            if q and len(out) < n:
                out.append(q.pop(0))
    return out


def _fingerprint(store: Store) -> str:
    digest = hashlib.sha256()
    for article in store.articles():
        digest.update(json.dumps(to_dict(article), sort_keys=True).encode())
        facts = store.get_facts(article.id)
        digest.update(json.dumps(to_dict(facts) if facts else None, sort_keys=True).encode())
    for story in store.stories():
        digest.update(json.dumps(to_dict(story), sort_keys=True, default=str).encode())
    return digest.hexdigest()[:16]


def _analyze(db: Path, src: Path, executor: Any) -> tuple[dict[str, float], list[str], str]:
    marks: list[tuple[str, float]] = []

    def progress(event: str, _n: int) -> None:
        if event.startswith("phase:"):
            marks.append((event[6:], time.perf_counter()))

    store = open_store(str(db))
    try:
        self0, kids0 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        service.analyze(store, [str(src)], executor=executor, progress=progress)
        t1 = time.perf_counter()
        self1, kids1 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        ends = [t for _, t in marks[1:]] + [t1]
        phases = {name: end - start for (name, start), end in zip(marks, ends, strict=True)}
        phases["whole analyze"] = t1 - t0
        # CPU seconds of this process and of the (joined) worker processes: on a shared
        # machine wall time says how busy the others were; CPU time says what the work was.
        phases["cpu: main process"] = (self1.ru_utime + self1.ru_stime) - (self0.ru_utime + self0.ru_stime)
        phases["cpu: workers"] = (kids1.ru_utime + kids1.ru_stime) - (kids0.ru_utime + kids0.ru_stime)
        texts = [build_analysis_text(a)[0] for a in store.articles()]
        return phases, texts, _fingerprint(store)
    finally:
        store.close()


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _bare(texts: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of bare ``nlp.pipe`` over ``texts``."""
    nlp = load_nlp()
    t0, c0 = time.perf_counter(), _cpu()
    for _ in nlp.pipe(texts, batch_size=16):
        pass
    return time.perf_counter() - t0, _cpu() - c0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--mix", action="store_true", help="take the sources in turn")
    ap.add_argument(
        "--workers", default="1,2", help="worker counts to run, comma-separated (the first is the reference)"
    )
    ap.add_argument("--executor", default="local", help="local or ray")
    args = ap.parse_args(argv)
    rows = mixed(args.n) if args.mix else corpus(args.n)
    counts = [int(w) for w in args.workers.split(",")]
    load_nlp()  # loaded before any clock starts, for analyze and the baseline alike
    load0 = os.getloadavg()
    runs: dict[int, dict[str, float]] = {}
    prints: dict[int, str] = {}
    bare: list[float] = []
    bare_cpu: list[float] = []
    n = 0
    with tempfile.TemporaryDirectory() as tmp:
        src = write_jsonl(rows, Path(tmp) / "corpus.jsonl")
        for w in counts:
            executor = get_executor(args.executor, workers=w)
            runs[w], texts, prints[w] = _analyze(Path(tmp) / f"w{w}.db", src, executor)
            n = len(texts)
            print(f"{w} worker(s): {runs[w]['whole analyze']:.1f} s", flush=True)
            wall, cpu = _bare(texts)
            bare.append(wall)
            bare_cpu.append(cpu)
            print(f"bare nlp.pipe: {wall:.1f} s", flush=True)
    load1 = os.getloadavg()
    sources = sorted({r["url"].split(":", 1)[0] for r in rows})
    print(f"machine: {platform.machine()} {os.cpu_count()} cores, python {platform.python_version()}")
    print(f"load average (1 min) before {load0[0]:.1f}, after {load1[0]:.1f}")
    print(f"corpus: {len(rows)} rows ({', '.join(sources)}), {n} articles stored; executor {args.executor}")
    phases = list(runs[counts[0]])
    print(f"{'phase (seconds)':28}" + "".join(f"{f'{w} worker(s)':>14}" for w in counts))
    for phase in phases:
        print(f"{phase:28}" + "".join(f"{runs[w].get(phase, 0.0):14.1f}" for w in counts))
    best = min(bare)
    print(
        f"bare nlp.pipe, one process : {n / best:6.2f} articles/s ({best:.1f} s; runs {', '.join(f'{b:.1f}' for b in bare)})"
    )
    for w in counts:
        whole = runs[w]["whole analyze"]
        print(
            f"{w} worker(s): whole analyze {n / whole:6.2f} articles/s, analyze / bare nlp.pipe {best / whole:.2f}"
        )
    ref = counts[0]
    for w in counts[1:]:
        speed = runs[ref]["whole analyze"] / runs[w]["whole analyze"]
        ext = runs[ref].get("extracting", 0.0) / max(runs[w].get("extracting", 0.0), 1e-9)
        print(f"{w} workers / {ref}: whole analyze {speed:.2f}x, extraction {ext:.2f}x (wall, as measured)")
        # What w idle cores would allow: the main process's own work is serial, the
        # workers' work divides among them; a bound, printed as such, not a measurement.
        main_cpu, work_cpu = runs[w]["cpu: main process"], runs[w]["cpu: workers"]
        ref_cpu = runs[ref]["cpu: main process"] + runs[ref]["cpu: workers"]
        bound = max(main_cpu, (main_cpu + work_cpu) / min(w, os.cpu_count() or 1))
        print(
            f"{w} workers, CPU: main {main_cpu:.0f} s + workers {work_cpu:.0f} s (one worker: {ref_cpu:.0f} s);"
            f" on {w} idle cores at best {ref_cpu / bound:.2f}x"
        )
    same = len(set(prints.values())) == 1
    print(
        f"identical output (articles, facts, stories) across worker counts: {'yes' if same else 'NO'} {sorted(set(prints.values()))}"
    )
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
