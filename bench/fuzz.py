"""Long fuzz run: generated inputs for every reader (and the normalizers), ingested twice each.

    python bench/fuzz.py --cases 100000 --out fuzz-crashes/

Each case is one generated file (text in many encodings, HTML, RSS/Atom, JSON, JSONL, WARC,
gzip of those) ingested twice into one store, plus one generated string through the number,
date and timex normalizers. A case fails when anything raises (a crash) or a promise breaks
(a rejection without a reason, a document stored twice or lost): its input and traceback are
written to ``--out`` and the run goes on. Prints a summary (and writes it as JSON with
``--json``); exits 1 when any case failed.

The strategies and checks are those of the CI fuzz tests (tests/fuzz_inputs.py).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import hypothesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from fuzz_inputs import (
    READERS,
    check_ingest,
    check_normalizers,
    check_read,
    normalizer_text,
    references,
)
from parallax.store import open_store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1000, help="how many generated inputs (default 1000)")
    parser.add_argument("--out", type=Path, default=Path("fuzz-crashes"), help="folder for failing inputs")
    parser.add_argument(
        "--readers", default=",".join(READERS), help=f"comma-separated subset of {','.join(READERS)}"
    )
    parser.add_argument(
        "--level",
        choices=["ingest", "read"],
        default="ingest",
        help="ingest: read, clean and store each input twice (the full promise); read: the readers alone, "
        "about 10x faster",
    )
    parser.add_argument("--workers", type=int, default=1, help="processes, each with its own store and seed")
    parser.add_argument("--seed", type=int, default=0, help="Hypothesis seed (worker i uses seed + i)")
    parser.add_argument("--json", type=Path, help="also write the summary here")
    parser.add_argument("--every", type=int, default=5000, help="print progress every N cases")
    args = parser.parse_args(argv)

    names = [n for n in args.readers.split(",") if n]
    unknown = set(names) - set(READERS)
    if unknown:
        parser.error(f"unknown readers: {', '.join(sorted(unknown))}")
    started = time.perf_counter()
    shares = [args.cases // args.workers + (i < args.cases % args.workers) for i in range(args.workers)]
    jobs = [(n, args.seed + i, args.out, names, args.level, args.every, i) for i, n in enumerate(shares)]
    if args.workers == 1:
        parts = [run_cases(*jobs[0])]
    else:
        with multiprocessing.get_context("spawn").Pool(args.workers) as pool:
            parts = pool.starmap(run_cases, jobs)
    total: dict[str, Any] = {}
    for part in parts:
        for key, value in part.items():
            total[key] = total.get(key, Counter() if isinstance(value, Counter) else 0) + value
    elapsed = time.perf_counter() - started
    summary = {k: dict(v) if isinstance(v, Counter) else v for k, v in total.items()}
    summary.update(
        level=args.level,
        seed=args.seed,
        workers=args.workers,
        seconds=round(elapsed, 1),
        cases_per_second=round(total["cases"] / elapsed, 1) if elapsed else None,
        machine=f"{os.cpu_count()} CPUs",
    )
    print(json.dumps(summary, indent=2))
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    if total["failures"]:
        print(f"{total['failures']} failing inputs in {args.out}/", file=sys.stderr)
    return 1 if total["failures"] else 0


def run_cases(
    cases: int, seed: int, out: Path, names: list[str], level: str, every: int, worker: int
) -> dict[str, Any]:
    """One worker's share: ``cases`` inputs from Hypothesis seeded with ``seed``."""
    work = Path(tempfile.mkdtemp(prefix="parallax-fuzz-"))
    store = open_store(work / "fuzz.db") if level == "ingest" else None
    stats: dict[str, Any] = {
        "cases": 0,
        "failures": 0,
        "documents_read": 0,
        "documents_accepted": 0,
        "documents_rejected": 0,
        "by_reader": Counter(),
        "failures_by_reader": Counter(),
        "rejection_reasons": Counter(),
    }
    started = time.perf_counter()

    def fail(kind: str, name: str, data: bytes | str, error: BaseException) -> None:
        stats["failures"] += 1
        stats["failures_by_reader"][kind] += 1
        case = out / f"w{worker}-{stats['cases']:07d}-{kind}"
        case.mkdir(parents=True, exist_ok=True)
        raw = data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass")
        (case / (Path(name).name or "input")).write_bytes(raw)
        (case / "traceback.txt").write_text("".join(traceback.format_exception(error)), encoding="utf-8")

    @settings(
        max_examples=cases,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def run(data: st.DataObject) -> None:
        kind = data.draw(st.sampled_from(names))
        name, raw = data.draw(READERS[kind])
        text, reference = data.draw(normalizer_text), data.draw(references)
        stats["cases"] += 1
        stats["by_reader"][kind] += 1
        folder = work / "in" / f"{stats['cases']:07d}"
        folder.mkdir(parents=True)
        path = folder / name
        path.write_bytes(raw)
        try:
            outcome = check_ingest(store, path) if store is not None else check_read(path)
            stats["documents_read"] += outcome.read
            stats["documents_accepted"] += outcome.stored
            stats["documents_rejected"] += outcome.rejected
        except Exception as exc:  # the finding: keep the input, go on
            fail(kind, name, raw, exc)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        try:
            check_normalizers(text, reference)
        except Exception as exc:
            fail("normalizers", "input.json", json.dumps({"text": text, "reference": reference}), exc)
        if stats["cases"] % every == 0:
            rate = stats["cases"] / (time.perf_counter() - started)
            print(f"worker {worker}: {stats['cases']} cases, {stats['failures']} failures, {rate:.1f} cases/s",
                  file=sys.stderr, flush=True)  # fmt: skip

    try:
        hypothesis.seed(seed)(run)()
    finally:
        if store is not None:
            stats["rejection_reasons"].update(r.reason for r in store.rejections())
            store.close()
        shutil.rmtree(work, ignore_errors=True)
    return stats


if __name__ == "__main__":
    sys.exit(main())
