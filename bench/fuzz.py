"""Long fuzz run: generated inputs for every reader (and the normalizers), ingested twice each.

    python bench/fuzz.py --cases 100000 --out fuzz-crashes/

Each case is one generated file (text in many encodings, HTML, RSS/Atom, JSON, JSONL, WARC,
gzip of those) ingested twice into one store, plus one generated string through the number,
date and timex normalizers. A case fails when anything raises (a crash) or a promise breaks
(a rejection without a reason, a document stored twice or lost): its input and traceback are
written to ``--out`` and the run goes on. Prints a summary (and writes it as JSON with
``--json``); exits 1 when any case failed.

The strategies and checks are those of the CI fuzz tests (tests/fuzz_inputs.py), drawn
directly (a seeded random per case, no shrinking: Hypothesis's engine costs more than the
checks); case N of a run is repeated with ``--seed S --first N --cases 1``. ``--level read``
runs the readers alone (no cleaning, no store), several times faster.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import shutil
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from hypothesis import strategies as st
from hypothesis.control import BuildContext
from hypothesis.errors import StopTest
from hypothesis.internal.conjecture.data import ConjectureData

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
    parser.add_argument(
        "--seed", type=int, default=0, help="seed of the run (case N is drawn from seed and N)"
    )
    parser.add_argument("--first", type=int, default=0, help="number of the first case (to repeat one)")
    parser.add_argument("--json", type=Path, help="also write the summary here")
    parser.add_argument("--every", type=int, default=5000, help="print progress every N cases")
    args = parser.parse_args(argv)

    names = [n for n in args.readers.split(",") if n]
    unknown = set(names) - set(READERS)
    if unknown:
        parser.error(f"unknown readers: {', '.join(sorted(unknown))}")
    started = time.perf_counter()
    shares = [args.cases // args.workers + (i < args.cases % args.workers) for i in range(args.workers)]
    starts = [args.first + sum(shares[:i]) for i in range(args.workers)]
    jobs = [
        (starts[i], n, args.seed, args.out, names, args.level, args.every, i) for i, n in enumerate(shares)
    ]
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
    first: int, cases: int, seed: int, out: Path, names: list[str], level: str, every: int, worker: int
) -> dict[str, Any]:
    """One worker's share: cases ``first`` to ``first + cases - 1`` of the run seeded with ``seed``."""
    work = Path(tempfile.mkdtemp(prefix="parallax-fuzz-"))
    store = open_store(work / "fuzz.db") if level == "ingest" else None
    stats: dict[str, Any] = {
        "cases": 0,
        "overruns": 0,
        "failures": 0,
        "documents_read": 0,
        "documents_accepted": 0,
        "documents_rejected": 0,
        "by_reader": Counter(),
        "failures_by_reader": Counter(),
        "rejection_reasons": Counter(),
    }
    started = time.perf_counter()

    def fail(number: int, kind: str, name: str, data: bytes | str, error: BaseException) -> None:
        stats["failures"] += 1
        stats["failures_by_reader"][kind] += 1
        case = out / f"{number:07d}-{kind}"
        case.mkdir(parents=True, exist_ok=True)
        raw = data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass")
        (case / (Path(name).name or "input")).write_bytes(raw)
        (case / "traceback.txt").write_text("".join(traceback.format_exception(error)), encoding="utf-8")

    kinds = st.sampled_from(names)
    for number in range(first, first + cases):
        # one seeded random per case: case N of a run is drawn again by --seed S --first N --cases 1
        data = ConjectureData(random=random.Random(f"{seed}:{number}"))
        try:
            with BuildContext(data, wrapped_test=None):
                kind = data.draw(kinds)
                name, raw = data.draw(READERS[kind])
                text, reference = data.draw(normalizer_text), data.draw(references)
        except StopTest:  # the draw ran past Hypothesis's size limit: not an input
            stats["overruns"] += 1
            continue
        stats["cases"] += 1
        stats["by_reader"][kind] += 1
        folder = work / "in" / f"{number:07d}"
        folder.mkdir(parents=True)
        path = folder / name
        path.write_bytes(raw)
        try:
            outcome = check_ingest(store, path) if store is not None else check_read(path)
            stats["documents_read"] += outcome.read
            stats["documents_accepted"] += outcome.stored
            stats["documents_rejected"] += outcome.rejected
        except Exception as exc:  # the finding: keep the input, go on
            fail(number, kind, name, raw, exc)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        try:
            check_normalizers(text, reference)
        except Exception as exc:
            fail(number, "normalizers", "input.json", json.dumps({"text": text, "reference": reference}), exc)
        if stats["cases"] % every == 0:
            rate = stats["cases"] / (time.perf_counter() - started)
            print(f"worker {worker}: {stats['cases']} cases, {stats['failures']} failures, {rate:.1f} cases/s",
                  file=sys.stderr, flush=True)  # fmt: skip

    if store is not None:
        stats["rejection_reasons"].update(r.reason for r in store.rejections())
        store.close()
    shutil.rmtree(work, ignore_errors=True)
    return stats


if __name__ == "__main__":
    sys.exit(main())
