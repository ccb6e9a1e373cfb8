"""Worker processes give the same output as one process: the whole analyze, compared field by field."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import TASS
from executor_cases import analyze_snapshot, assert_same, write_corpus
from parallax.executor import LocalExecutor, get_executor
from parallax.pipeline import Drop, Envelope, Pipeline
from parallax.pipeline.stages import STORED_ARTICLE, CleanStage, ExtractStage
from parallax.records import RawDocument


@pytest.mark.slow
def test_two_workers_match_one(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "in")
    one = analyze_snapshot(tmp_path / "one.db", corpus, LocalExecutor(workers=1))
    # shards of two: twelve documents make six shards over two processes; every
    # chain (cleaning, extraction, comparison) goes to the workers, however short
    two = analyze_snapshot(
        tmp_path / "two.db", corpus, LocalExecutor(workers=2, shard_size=2, min_parallel=0)
    )
    assert_same(one, two)
    ing = one["ingest"]
    assert ing["read"] == 12 and ing["stored"] + ing["near_duplicates"] == 10 and ing["duplicates"] == 1
    assert [r[0] for r in one["rejections"]] == ["zz_blank.txt"]
    assert one["extract"]["extracted"] >= 2 and one["stories"]


def test_worker_stats_come_back_to_the_driver(tmp_path: Path) -> None:
    docs = [
        RawDocument(
            source=f"d{i}.txt", format="text", raw=b"x", text=f"Title {i}\n\n" + "Body text here. " * 20
        )
        for i in range(8)
    ]
    docs.append(RawDocument(source="blank.txt", format="text", raw=b" ", text=" "))
    pipeline = Pipeline([CleanStage()])
    out = list(
        LocalExecutor(workers=2, shard_size=1, max_in_flight=3).map(
            pipeline, [Envelope(d, raw=d) for d in docs]
        )
    )
    assert [o.raw.source for o in out if isinstance(o, Envelope)] == [f"d{i}.txt" for i in range(8)]
    assert isinstance(out[-1], Drop) and out[-1].source == "blank.txt"
    stats = pipeline.stats()["clean"]
    assert stats["forwarded"] == 8 and sum(stats["dropped"].values()) == 1


def test_short_streams_stay_in_process() -> None:
    # Fewer items than two shards per worker: no processes are started (the stats
    # are the driver's own stage objects, counted directly).
    stage = CleanStage()
    doc = RawDocument(source="a.txt", format="text", raw=b"x", text="Title\n\n" + "Body text here. " * 20)
    out = list(LocalExecutor(workers=2).map([stage], [doc]))
    assert stage.stats.forwarded == 1 and not isinstance(out[0], Drop)


def test_extract_stage_streams_and_passes_drops_on() -> None:
    class Counting(ExtractStage):
        batches: list[int] = []

        def _run_batch(self, batch: list[object]):  # type: ignore[no-untyped-def]
            self.batches.append(len(batch))
            yield from super()._run_batch(batch)

    from parallax.clean import clean_document

    doc = RawDocument(
        source=str(TASS), format="text", raw=TASS.read_bytes(), text=TASS.read_text(encoding="utf-8")
    )
    article = clean_document(doc)
    drop = Drop("broken.txt", "no-article", "broken")
    stage = Counting(batch_size=2, extractors=[])
    items = iter([article, drop, article, article])
    out = stage.run(items)
    first = next(out)  # the first batch is out before the stream is read to the end
    assert first.article_id == article.id and stage.batches == [3]
    rest = list(out)
    assert rest[0] is drop and len(rest) == 3
    assert stage.stats.forwarded == 3


def test_pipeline_analyze_names_where_each_requirement_comes_from() -> None:
    rows = Pipeline([CleanStage(), ExtractStage(extractors=[])]).analyze()
    assert rows[0]["requires"] == {"raw.source": "input"}
    assert rows[1]["requires"] == {"article.paragraphs": "clean", "article.provenance": "clean"}
    assert not rows[1]["missing"]
    alone = Pipeline([ExtractStage(extractors=[])], provides=STORED_ARTICLE).analyze()
    assert alone[0]["requires"]["article.paragraphs"] == "input"


def test_an_extraction_chain_without_articles_is_refused_before_it_runs() -> None:
    from parallax.errors import PipelineError

    with pytest.raises(PipelineError, match="requires article.paragraphs"):
        list(get_executor("local", workers=1).map([ExtractStage(extractors=[])], []))


@pytest.mark.slow
def test_ingest_with_workers_rejects_one_and_resumes_without_duplicates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from parallax import service
    from parallax.store import Store, open_store

    corpus = write_corpus(tmp_path / "in")
    store = open_store(str(tmp_path / "p.db"))
    executor = LocalExecutor(workers=2, shard_size=2, min_parallel=0)
    original = Store.add_article
    calls = 0

    def crash_midway(self: Store, *args: object, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        if calls == 5:
            raise KeyboardInterrupt  # Ctrl-C while the workers are busy
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "add_article", crash_midway)
    with pytest.raises(KeyboardInterrupt):
        service.ingest(store, [str(corpus)], executor=executor)
    monkeypatch.undo()
    assert store.count_articles() == 4
    summary = service.ingest(store, [str(corpus)], executor=executor)
    assert summary.exists == 4 and [r.source.rsplit("/", 1)[-1] for r in summary.rejected] == ["zz_blank.txt"]
    assert store.count_articles() == 10  # ten distinct texts; the exact copy is linked, not stored twice
    again = service.ingest(store, [str(corpus)], executor=executor)
    assert again.exists == 11 and again.stored == 0 and store.count_articles() == 10
    store.close()


def _die(values: list[object]) -> object:
    os._exit(3)


def test_a_dead_worker_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from parallax.errors import PipelineError
    from parallax.executor import local

    executor = LocalExecutor(workers=2, shard_size=1, min_parallel=0)
    monkeypatch.setattr(local, "_worker_shard", _die)
    docs = [RawDocument(source=f"d{i}.txt", format="text", raw=b"x", text="x") for i in range(4)]
    with pytest.raises(PipelineError, match="worker process died"):
        list(executor.map([CleanStage()], docs))
