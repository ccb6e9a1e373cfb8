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
from parallax.pipeline.base import Drop, Envelope, Pipeline, raise_errors
from parallax.pipeline.stages import (
    STORED_ARTICLE,
    STORY_INPUT,
    CleanStage,
    CompareStage,
    ExtractStage,
    StoryInput,
)
from parallax.records import Article, ArticleFacts, Rejection, Story

if TYPE_CHECKING:
    from parallax.embed import TextEncoder
    from parallax.group import Grouper
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
    article_ids: list[str] = field(default_factory=list)  # every article whose facts were (re)written

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
    # sources rejected by an earlier run: storing one now resolves its rejection
    rejected = {r.source for r in store.rejections()}

    def resolved(source: str) -> None:
        if source in rejected or source.rpartition("#")[0] in rejected:
            store.clear_rejections(source)

    if progress:
        progress("total", count_documents(paths) or 0)
    if meta is not None:
        for problem in meta.problems:
            store.add_rejection(problem)
            summary.rejected.append(problem)

    def fresh_documents() -> Iterator[Envelope]:
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
                resolved(item.source)
                continue
            yield Envelope(item, raw=item)

    runner = executor or LocalExecutor()
    for out in runner.map(Pipeline([CleanStage()]), fresh_documents()):
        if isinstance(out, Drop):
            rejection = Rejection(out.source, out.reason, out.message)
            store.add_rejection(rejection)
            summary.rejected.append(rejection)
            continue
        result = store.add_article(out.raw, out.value)
        resolved(out.raw.source)
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
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> ExtractSummary:
    """Extract facts for stored articles not yet extracted by the current extractor versions."""
    from parallax.extract import extractor_versions, load_extractors

    extractors = load_extractors()
    versions = extractor_versions(extractors)
    pending = list(article_ids) if article_ids is not None else store.articles_needing_extraction(versions)
    if force and article_ids is None:
        pending = [a.id for a in store.articles()]
    summary = ExtractSummary()
    if progress:
        progress("total", len(pending) if since is None else 0)

    def stored_articles() -> Iterator[Article]:
        # Read back a slice at a time: the stream never holds the whole store in memory.
        for start in range(0, len(pending), _READ_CHUNK):
            for article in store.articles(pending[start : start + _READ_CHUNK]):
                if since is None or (article.published or "") >= since:
                    yield article

    runner = executor or LocalExecutor()
    # The stage batches the parse and, if a batch fails, redoes its articles one by
    # one, so one bad article comes back as a Drop with its reason and the rest go on.
    chain = Pipeline([ExtractStage(batch_size, extractors)], provides=STORED_ARTICLE)
    for out in runner.map(chain, stored_articles()):
        if isinstance(out, Drop):
            rejection = Rejection(out.source, "extraction-failed", f"{out.source}: {out.message}")
            summary.failed.append(rejection)
            store.add_rejection(rejection)
            continue
        store.save_facts(out)
        summary.article_ids.append(out.article_id)
        if not out.supported:
            summary.unsupported += 1
        else:
            summary.extracted += 1
            for kind in ("entities", "quotes", "times", "claims", "events"):
                summary.facts[kind] += len(getattr(out, kind))
        if progress:
            progress("extracted", 1)
    return summary


#: Articles read back from the store per query while extracting: enough to keep
#: every worker busy, few enough that memory does not grow with the store.
_READ_CHUNK = 256


# --------------------------------------------------------------------------- stories


def group(
    store: Store, *, rebuild: bool = False, executor: Executor | None = None, progress: Progress | None = None
) -> list[Story]:
    """Assign every stored article to a story, complete dates from the story, compare each story."""
    grouper = assign_stories(store, rebuild=rebuild)
    members = grouper.stories()
    complete_story_dates(store, members, executor=executor)
    return compare_stories(store, members, encoder=grouper.embedder, executor=executor, progress=progress, events=grouper.events_by_story())


def assign_stories(store: Store, *, rebuild: bool = False) -> Grouper:
    """Place every stored article not yet in a story (incrementally); the grouping state is saved."""
    from parallax.group import Grouper, GroupingState

    state_blob = None if rebuild else store.get_state(GROUPING_STATE_KEY)
    state = GroupingState.from_bytes(state_blob) if state_blob else None
    grouper = Grouper(state)
    known = {aid for ids in grouper.stories().values() for aid in ids}
    articles = store.articles()
    # One batch: names and embeddings are computed for all new articles at once.
    grouper.add_many([(a, store.get_facts(a.id)) for a in articles if a.id not in known])
    store.set_state(GROUPING_STATE_KEY, grouper.state.to_bytes())
    return grouper


def complete_story_dates(
    store: Store, stories: Mapping[str, Sequence[str]], *, executor: Executor | None = None
) -> list[tuple[str, str, str]]:
    """Fill a missing publication year from the story each article joined; returns what was filled.

    An article whose dateline says "January 10" with no year gets the year from
    the other articles of its story (the closest dated one), with provenance
    ``story-context``; the changed articles are re-extracted (in one batch) so their
    dates resolve. Never a silent guess: without a dated neighbour the date stays yearless.
    """
    from parallax.clean import complete_year

    by_id = {a.id: a for a in store.articles()}
    filled: list[tuple[str, str, str]] = []
    for _story_id, ids in sorted(stories.items()):
        members = [by_id[i] for i in ids if i in by_id]
        dated = sorted(a.published[:10] for a in members if a.published and not a.published.startswith("--"))
        if not dated:
            continue
        for article in members:
            partial = _yearless_date(article)
            if partial is None:
                continue
            updated = complete_year(article, _closest_year(partial, dated), "story-context")
            if updated is not article:
                store.update_article(updated)
                filled.append((article.id, "published", updated.published or ""))
    if filled:
        extract(store, article_ids=[aid for aid, _, _ in filled], executor=executor)
    return filled


def compare_stories(
    store: Store,
    stories: Mapping[str, Sequence[str]],
    *,
    encoder: TextEncoder | None = None,
    executor: Executor | None = None,
    changed: Iterable[str] | None = None,
    progress: Progress | None = None,
    events: Mapping[str, Mapping[str, list[str]]] | None = None,
) -> list[Story]:
    """Compare the articles of each story (through ``executor``) and save the stories, replacing the old.

    ``changed``: the articles stored, re-extracted or completed in this run. When
    given, a story whose members are the same as when it was last saved, none of
    them changed, keeps its saved comparison, provided the comparison code and
    lexicons are the same as then (:func:`comparison_fingerprint`). None: compare all.

    ``encoder`` is used in this process only if it is the model workers load
    themselves (:func:`parallax.compare.default_encoder`), so output does not depend
    on where a story is compared. ``events``: story id -> event id -> article ids (the
    grouper's event level), kept on each story.
    """
    from parallax.compare import default_encoder

    default = default_encoder()
    if encoder is not None and (default is None or encoder.name != default.name):
        encoder = None
    fingerprint = comparison_fingerprint(default)
    kept: dict[str, Story] = {}
    if changed is not None and store.get_state(COMPARED_WITH_KEY) == fingerprint.encode():
        dirty = set(changed)
        kept = {
            s.id: s
            for s in store.stories()
            if list(stories.get(s.id, ())) == s.article_ids
            and not dirty.intersection(s.article_ids)
            and _same_events(s, (events or {}).get(s.id, {}))
        }
    by_id = {a.id: a for a in store.articles()}

    def inputs() -> Iterator[StoryInput]:
        for story_id, ids in sorted(stories.items()):
            members = [by_id[i] for i in ids if i in by_id]
            if members and story_id not in kept:
                facts = [store.get_facts(a.id) or ArticleFacts(article_id=a.id) for a in members]
                yield StoryInput(story_id, members, facts, dict((events or {}).get(story_id, {})))

    if progress:
        progress("phase:comparing", 0)
        progress("total", len(stories) - len(kept))
    chain = Pipeline([CompareStage(encoder)], provides=STORY_INPUT)
    chain.set_error_handler(raise_errors)  # a comparison that fails is a bug to see, not a story to lose
    compared = {}
    for story in (executor or LocalExecutor()).map(chain, inputs()):
        compared[story.id] = story
        if progress:
            progress("compared", 1)
    out = [kept.get(sid) or compared[sid] for sid in sorted(stories) if sid in kept or sid in compared]
    if progress:
        progress("phase:saving stories", 0)
    store.save_stories(out)
    store.set_state(COMPARED_WITH_KEY, fingerprint.encode())
    return out


COMPARED_WITH_KEY = "compared-with"


def comparison_fingerprint(encoder: TextEncoder | None) -> str:
    """What a saved comparison depends on besides its articles: the comparison code, the lexicons, the encoder."""
    from importlib import resources

    digest = hashlib.sha256((encoder.name if encoder is not None else "no-encoder").encode())
    for package in ("parallax.compare", "parallax.lexicons"):
        root = resources.files(package)
        for entry in sorted(_walk(root), key=lambda e: e[0]):
            digest.update(entry[0].encode())
            digest.update(entry[1])
    return digest.hexdigest()


def _walk(root: Any, prefix: str = "") -> Iterator[tuple[str, bytes]]:
    for child in root.iterdir():
        name = f"{prefix}/{child.name}"
        if child.is_dir():
            if child.name != "__pycache__":
                yield from _walk(child, name)
        elif not child.name.endswith(".pyc"):
            yield name, child.read_bytes()


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


def analyze(
    store: Store,
    paths: Sequence[str],
    *,
    meta: MetadataTable | None = None,
    overrides: Mapping[str, str] | None = None,
    stdin: BinaryIO | None = None,
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> AnalyzeSummary:
    """The named steps, in order: ingest (clean), extract, group, complete dates from the story, compare.

    Cleaning and extraction run through ``executor`` (in process, worker processes
    or Ray); grouping and the store stay in this process.
    """
    if progress:
        progress("phase:reading", 0)
    ing = ingest(
        store, paths, meta=meta, overrides=overrides, stdin=stdin, executor=executor, progress=progress
    )
    if progress:
        progress("phase:extracting", 0)
    ext = extract(store, executor=executor, progress=progress)
    if progress:
        progress("phase:grouping", 0)
    grouper = assign_stories(store)
    members = grouper.stories()
    if progress:
        progress("phase:completing dates", 0)
    filled = complete_story_dates(store, members, executor=executor)
    # Only stories that gained, lost or changed an article in this run are compared again.
    changed = {*ing.article_ids, *ext.article_ids, *(aid for aid, _, _ in filled)}
    stories = compare_stories(
        store,
        members,
        encoder=grouper.embedder,
        executor=executor,
        changed=changed,
        progress=progress,
        events=grouper.events_by_story(),
    )
    touched = set(ing.article_ids)
    relevant = [s for s in stories if touched & set(s.article_ids)] if touched else stories
    return AnalyzeSummary(ingest=ing, extract=ext, stories=relevant, completed_fields=filled)


def _same_events(story: Story, events: Mapping[str, list[str]]) -> bool:
    """Whether a saved story's events hold the same articles as the grouper's (a re-check may regroup them)."""
    saved = sorted(sorted(e.article_ids) for e in story.events if len(e.article_ids) > 1)
    now = sorted(sorted(ids) for ids in events.values() if len(ids) > 1)
    return saved == now


def iter_with_facts(
    store: Store, articles: Iterable[Article]
) -> Iterator[tuple[Article, ArticleFacts | None]]:
    for article in articles:
        yield article, store.get_facts(article.id)
