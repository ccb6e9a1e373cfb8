"""What the CLI, the web API and the benchmarks call: ingest, extract, group, compare.

Each function takes an open :class:`~parallax.store.Store` and returns a summary
record; none of them prints. Every document is written in its own transaction,
so an interrupted run leaves the store consistent and a rerun resumes.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, BinaryIO

from parallax.executor import LocalExecutor
from parallax.executor.base import Executor
from parallax.pipeline.base import Drop
from parallax.pipeline.stages import CleanStage, ExtractStage
from parallax.records import Article, ArticleFacts, RawDocument, Rejection, Story

if TYPE_CHECKING:
    from parallax.ingest import MetadataTable
    from parallax.store import Store

#: (event, n): "phase:<name>" (a new phase starts: reading, extracting, grouping, comparing),
#: "total" (n items expected in this phase; 0 = unknown), "read", "stored", "extracted", "compared" (n done)
Progress = Callable[[str, int], None]

GROUPING_STATE_KEY = "grouping"


@dataclass(slots=True)
class IngestSummary:
    read: int = 0
    stored: int = 0
    exists: int = 0
    duplicates: int = 0
    near_duplicates: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)

    @property
    def rejected_reasons(self) -> dict[str, int]:
        return dict(Counter(r.reason for r in self.rejected))

    def as_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "stored": self.stored,
            "exists": self.exists,
            "duplicates": self.duplicates,
            "near_duplicates": self.near_duplicates,
            "rejected": len(self.rejected),
            "rejected_reasons": self.rejected_reasons,
        }


@dataclass(slots=True)
class ExtractSummary:
    extracted: int = 0
    unsupported: int = 0
    failed: list[Rejection] = field(default_factory=list)
    facts: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        return {
            "extracted": self.extracted,
            "unsupported_language": self.unsupported,
            "failed": len(self.failed),
            "facts": dict(self.facts),
        }


@dataclass(slots=True)
class AnalyzeSummary:
    ingest: IngestSummary
    extract: ExtractSummary
    stories: list[Story]
    completed_fields: list[tuple[str, str, str]] = field(default_factory=list)  # (article, field, value)


def content_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


# --------------------------------------------------------------------------- ingest


def ingest(
    store: Store,
    paths: Sequence[str],
    *,
    meta: MetadataTable | None = None,
    overrides: Mapping[str, str] | None = None,
    stdin: BinaryIO | None = None,
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> IngestSummary:
    """Read, clean and store every document under ``paths``; bad inputs are recorded, not fatal."""
    from parallax.ingest import count_documents, read_inputs

    summary = IngestSummary()
    if progress:
        progress("total", count_documents(paths) or 0)
    if meta is not None:
        for problem in meta.problems:
            store.add_rejection(problem)
            summary.rejected.append(problem)

    def fresh_documents() -> Iterator[RawDocument]:
        for item in read_inputs(paths, meta=meta, overrides=overrides, stdin=stdin):
            summary.read += 1
            if progress:
                progress("read", 1)
            if isinstance(item, Rejection):
                store.add_rejection(item)
                summary.rejected.append(item)
                continue
            # Resume: an input already stored with the same bytes is not cleaned again.
            if store.has_source(item.source, content_hash(item.raw)):
                summary.exists += 1
                continue
            yield item

    runner = executor or LocalExecutor()
    for out in runner.map([CleanStage()], fresh_documents()):
        if isinstance(out, Drop):
            rejection = Rejection(out.source, out.reason, out.message)
            store.add_rejection(rejection)
            summary.rejected.append(rejection)
            continue
        raw, article = out
        result = store.add_article(raw, article)
        if result.status == "stored":
            summary.stored += 1
        elif result.status == "near-duplicate":
            summary.near_duplicates += 1
        elif result.status == "duplicate":
            summary.duplicates += 1
        else:
            summary.exists += 1
        summary.article_ids.append(result.article_id)
        if progress:
            progress("stored", 1)
    return summary


# --------------------------------------------------------------------------- extract


def extract(
    store: Store,
    *,
    article_ids: Sequence[str] | None = None,
    since: str | None = None,
    force: bool = False,
    batch_size: int = 16,
    progress: Progress | None = None,
) -> ExtractSummary:
    """Extract facts for stored articles not yet extracted by the current extractor versions."""
    from parallax.extract import extractor_versions, load_extractors

    extractors = load_extractors()
    versions = extractor_versions(extractors)
    pending = list(article_ids) if article_ids is not None else store.articles_needing_extraction(versions)
    if force and article_ids is None:
        pending = [a.id for a in store.articles()]
    articles = [a for a in store.articles(pending) if since is None or (a.published or "") >= since]
    summary = ExtractSummary()
    if progress:
        progress("total", len(articles))
    # The stage batches the parse and, if a batch fails, redoes its articles one by
    # one, so one bad article comes back as a Drop with its reason and the rest go on.
    for out in ExtractStage(batch_size, extractors).run(articles):
        if isinstance(out, Drop):
            rejection = Rejection(out.source, "extraction-failed", f"{out.source}: {out.message}")
            summary.failed.append(rejection)
            store.add_rejection(rejection)
            continue
        store.save_facts(out)
        if not out.supported:
            summary.unsupported += 1
        else:
            summary.extracted += 1
            for kind in ("entities", "quotes", "times", "claims", "events"):
                summary.facts[kind] += len(getattr(out, kind))
        if progress:
            progress("extracted", 1)
    return summary


# --------------------------------------------------------------------------- stories


def group(store: Store, *, rebuild: bool = False, progress: Progress | None = None) -> list[Story]:
    """Assign every stored article to a story (incrementally), then compare each story."""
    from parallax.compare import compare_story
    from parallax.group import Grouper, GroupingState

    state_blob = None if rebuild else store.get_state(GROUPING_STATE_KEY)
    state = GroupingState.from_bytes(state_blob) if state_blob else None
    grouper = Grouper(state)
    known = {aid for ids in grouper.stories().values() for aid in ids}
    articles = store.articles()
    by_id = {a.id: a for a in articles}
    # One batch: names and embeddings are computed for all new articles at once.
    grouper.add_many([(a, store.get_facts(a.id)) for a in articles if a.id not in known])
    store.set_state(GROUPING_STATE_KEY, grouper.state.to_bytes())

    stories: list[Story] = []
    if progress:
        progress("phase:comparing", 0)
        progress("total", len(grouper.stories()))
    events = grouper.events_by_story()
    for story_id, ids in sorted(grouper.stories().items()):
        if progress:
            progress("compared", 1)
        members = [by_id[i] for i in ids if i in by_id]
        if not members:
            continue
        members = complete_from_story_context(store, members)
        facts = [store.get_facts(a.id) or ArticleFacts(article_id=a.id) for a in members]
        comparison = compare_story(members, facts, encoder=grouper.embedder)
        stories.append(_story_record(story_id, members, comparison, events.get(story_id, {})))
    if progress:
        progress("phase:saving stories", 0)
    store.save_stories(stories)
    return stories


def complete_from_story_context(store: Store, members: list[Article]) -> list[Article]:
    """Fill a missing publication year from the story the article joined.

    An article whose dateline says "January 10" with no year gets the year from
    the other articles of its story (the closest dated one), with provenance
    ``story-context``; its facts are re-extracted so its dates resolve. Never a
    silent guess: without a dated neighbour the date stays yearless.
    """
    dated = sorted(a.published[:10] for a in members if a.published and not a.published.startswith("--"))
    if not dated:
        return members
    from parallax.clean import complete_year

    out: list[Article] = []
    changed: list[str] = []
    for article in members:
        partial = _yearless_date(article)
        if partial is None:
            out.append(article)
            continue
        updated = complete_year(article, _closest_year(partial, dated), "story-context")
        if updated is not article:
            store.update_article(updated)
            changed.append(article.id)
        out.append(updated)
    if changed:
        extract(store, article_ids=changed)
    return out


def _yearless_date(article: Article) -> str | None:
    """``--MM-DD`` of an undated article whose dateline gives no year (what complete_year fills)."""
    date = article.dateline.date if article.dateline else None
    return date[:7] if article.published is None and date and date.startswith("--") else None


def _closest_year(partial: str, dated: list[str]) -> int:
    """The year that puts ``--MM-DD`` closest to the story's dated articles."""
    from datetime import date

    month, day = int(partial[2:4]), int(partial[5:7])
    best: tuple[int, int] | None = None
    for iso in dated:
        ref = date.fromisoformat(iso)
        for year in (ref.year - 1, ref.year, ref.year + 1):
            try:
                cand = date(year, month, day)
            except ValueError:
                continue
            gap = abs((cand - ref).days)
            if best is None or gap < best[0]:
                best = (gap, year)
    return best[1] if best else date.fromisoformat(dated[0]).year


def _story_record(
    story_id: str, members: list[Article], comparison: Any, events: Mapping[str, list[str]]
) -> Story:
    from parallax.group.titles import event_records, group_title

    dates = sorted(a.published for a in members if a.published and not a.published.startswith("--"))
    outlets = sorted({a.outlet for a in members if a.outlet})
    return Story(
        id=story_id,
        title=group_title(members),
        events=event_records(members, events),
        article_ids=[a.id for a in members],
        first_seen=dates[0] if dates else None,
        last_seen=dates[-1] if dates else None,
        outlets=outlets,
        duplicates={a.id: a.duplicate_of for a in members if a.duplicate_of},
        comparison=comparison,
    )


def analyze(
    store: Store,
    paths: Sequence[str],
    *,
    meta: MetadataTable | None = None,
    overrides: Mapping[str, str] | None = None,
    stdin: BinaryIO | None = None,
    progress: Progress | None = None,
) -> AnalyzeSummary:
    """ingest + extract + group + compare."""
    if progress:
        progress("phase:reading", 0)
    ing = ingest(store, paths, meta=meta, overrides=overrides, stdin=stdin, progress=progress)
    if progress:
        progress("phase:extracting", 0)
    ext = extract(store, progress=progress)
    if progress:
        progress("phase:grouping", 0)
    stories = group(store, progress=progress)
    touched = set(ing.article_ids)
    relevant = [s for s in stories if touched & set(s.article_ids)] if touched else stories
    return AnalyzeSummary(ingest=ing, extract=ext, stories=relevant)


def iter_with_facts(store: Store, articles: Iterable[Article]) -> Iterator[tuple[Article, ArticleFacts | None]]:
    for article in articles:
        yield article, store.get_facts(article.id)
