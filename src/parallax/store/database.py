"""The Store: articles, facts, stories and state in SQLite or PostgreSQL (SQLAlchemy Core).

Every public write runs in its own transaction, so an interrupted run leaves the
store as it was after the last complete document and a rerun picks up from there.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

import sqlalchemy as sa
from alembic.util import CommandError as AlembicError
from sqlalchemy import event
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from parallax.errors import NotFoundError, StoreError, missing_dependency
from parallax.records import (
    Article,
    ArticleFacts,
    Entity,
    Event,
    NumericClaim,
    Quote,
    RawDocument,
    Rejection,
    Story,
    TimeExpression,
    from_dict,
    to_dict,
)
from parallax.store import dedup, migrate, search
from parallax.store.schema import (
    article_facts,
    article_sources,
    articles,
    blobs,
    minhash_bands,
    rejections,
    state,
    story_articles,
)
from parallax.store.schema import (
    facts as fact_rows,
)
from parallax.store.schema import (
    stories as story_rows,
)

DEFAULT_URL = "sqlite:///parallax.db"
#: Milliseconds a SQLite writer waits for another writer's lock before failing.
SQLITE_BUSY_TIMEOUT_MS = 30_000
#: add_article retries this often when a concurrent writer stored the same document first.
_WRITE_ATTEMPTS = 5
#: Bound parameters per IN (...) query, well below SQLite's limit.
_CHUNK = 500

AddStatus = Literal["stored", "exists", "duplicate", "near-duplicate"]

#: fact kind -> (ArticleFacts field, record class)
_FACT_KINDS: dict[str, tuple[str, type[Any]]] = {
    "entity": ("entities", Entity),
    "time": ("times", TimeExpression),
    "quote": ("quotes", Quote),
    "claim": ("claims", NumericClaim),
    "event": ("events", Event),
}


class _Raced(Exception):
    """A concurrent writer changed what this transaction read: roll back and try again."""


@dataclass(frozen=True, slots=True)
class AddResult:
    """What :meth:`Store.add_article` did with a document.

    ``stored``: a new article (``article_id``). ``exists``: this source with this
    content was already stored; nothing written. ``duplicate``: the same content
    (content_hash) came from another source; the source was linked to that
    article (``article_id`` = ``duplicate_of`` = the existing one). ``near-duplicate``:
    stored as its own article whose ``duplicate_of`` is the original's id.
    """

    status: AddStatus
    article_id: str
    duplicate_of: str | None = None


# --------------------------------------------------------------------------- opening


def resolve_url(url: str | Path | None) -> sa.URL:
    """The SQLAlchemy URL for a store address: None -> ./parallax.db, a bare path -> a SQLite file."""
    if url is None:
        url = DEFAULT_URL
    text = str(url)
    if "://" not in text:
        text = "sqlite://" if text == ":memory:" else f"sqlite:///{Path(text).expanduser()}"
    try:
        parsed = make_url(text)
        parsed.port  # noqa: B018 - make_url reads the port lazily; a non-numeric one raises here
    except (ArgumentError, ValueError) as exc:
        # ValueError: a port that is not a number ("garbage://::x", "postgresql://h:abc/db")
        raise StoreError(
            f"not a database URL: {_hide_password(text)!r} (use a file path, sqlite:///FILE or postgresql://...)"
        ) from exc
    backend = parsed.get_backend_name()
    if backend in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        if parsed.drivername != "sqlite":
            raise StoreError(
                f"unsupported SQLite driver {parsed.drivername!r} in {_safe(parsed)}: use sqlite:///FILE"
            )
        return parsed
    raise StoreError(
        f"unsupported database {backend!r} in {_safe(parsed)}: use a file path, sqlite:///FILE or postgresql://..."
    )


def _hide_password(text: str) -> str:
    """A URL that did not parse, shown without the password it may carry."""
    return re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1***@", text)


def open_store(url: str | Path | None = None) -> Store:
    """Open (and create or upgrade) the store at ``url``.

    ``None`` opens ``parallax.db`` in the current directory; a bare path opens
    that SQLite file; ``postgresql://user@host:port/db`` opens a PostgreSQL
    database (psycopg 3). Raises :class:`StoreError` for a bad URL or a
    database that can't be reached or migrated.
    """
    return Store(resolve_url(url))


def _safe(url: sa.URL) -> str:
    return url.render_as_string(hide_password=True)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _dumps(data: Any) -> str:
    """JSON text that both backends accept: UTF-8-encodable and free of NUL characters."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # lone surrogates (undecodable input kept by surrogateescape) survive as \udcxx escapes
        text = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    return text


def _canonical(data: Any) -> str:
    return json.dumps(data, ensure_ascii=True, sort_keys=True, separators=(",", ":"))


def _column(text: str | None) -> str | None:
    """A value for an indexed text column: PostgreSQL rejects NUL and neither backend stores lone surrogates."""
    if text is None:
        return None
    text = text.replace("\x00", "\ufffd")
    return text.encode("utf-8", "replace").decode("utf-8") if not text.isascii() else text


def _key(text: str) -> str:
    """A source address as stored: file names with undecodable bytes (lone surrogates from
    os.fsdecode) can't be stored as UTF-8, so they are kept backslash-escaped instead."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        try:
            data = text.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:
            data = text.encode("utf-8", "surrogatepass")
        text = data.decode("utf-8", "backslashreplace")
    return text.replace("\x00", "\\x00")


def record_hash(article: Article) -> str:
    """sha256 of the article's canonical record: changes whenever any field does."""
    return hashlib.sha256(_canonical(to_dict(article)).encode("ascii")).hexdigest()


def body_hash(article: Article) -> str:
    """The content hash used when the cleaner left ``content_hash`` empty: sha256 of the cleaned body."""
    return hashlib.sha256(article.text.encode("utf-8", "surrogatepass")).hexdigest()


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


# --------------------------------------------------------------------------- the store


class Store:
    """Articles, their raw inputs, facts, stories and state blobs in one database.

    Open it with :func:`open_store`; use it as a context manager or call :meth:`close`.
    """

    def __init__(self, url: sa.URL) -> None:
        self.url = url
        self._engine = _create_engine(url)
        try:
            self._migrate()
        except BaseException:
            self._engine.dispose()
            raise

    # ----------------------------------------------------------------- plumbing

    @property
    def backend(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self._engine.dialect.name

    def __repr__(self) -> str:
        return f"Store({_safe(self.url)!r})"

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._engine.dispose()

    @contextmanager
    def _read(self) -> Iterator[sa.Connection]:
        try:
            with self._engine.connect() as conn, conn.begin():
                yield conn
        except SQLAlchemyError as exc:
            raise StoreError(f"reading {_safe(self.url)} failed: {exc}") from exc

    @contextmanager
    def _write(self) -> Iterator[sa.Connection]:
        """One write transaction (on SQLite, BEGIN IMMEDIATE: take the write lock up front)."""
        with self._engine.connect() as conn:
            conn.execution_options(parallax_write=True)
            with conn.begin():
                yield conn

    def _migrate(self) -> None:
        head = migrate.head_revision()
        try:
            with self._write() as conn:
                if self.backend == "postgresql":
                    # concurrent first opens must not both create the tables
                    conn.execute(sa.text("SELECT pg_advisory_xact_lock(7243611)"))
                current = migrate.current_revision(conn)
                if current != head:
                    if current is not None and not migrate.is_known(current):
                        raise StoreError(
                            f"the store {_safe(self.url)} has schema revision {current}, which this version of "
                            f"Parallax does not know (newest known: {head}); upgrade Parallax to open it"
                        )
                    migrate.upgrade(conn)
        except SQLAlchemyError as exc:
            raise StoreError(_open_failure(self.url, exc)) from exc
        except AlembicError as exc:
            raise StoreError(f"could not migrate the store {_safe(self.url)}: {exc}") from exc

    def _upsert(
        self, conn: sa.Connection, table: sa.Table, values: dict[str, Any], keys: Sequence[str]
    ) -> None:
        insert = pg.insert if self.backend == "postgresql" else sqlite_dialect.insert
        stmt = insert(table).values(**values)
        update = {k: stmt.excluded[k] for k in values if k not in keys}
        conn.execute(stmt.on_conflict_do_update(index_elements=list(keys), set_=update))

    # ----------------------------------------------------------------- articles

    def add_article(self, raw: RawDocument, article: Article) -> AddResult:
        """Store one cleaned document (in its own transaction); see :class:`AddResult` for the outcomes."""
        if not article.content_hash:
            article = dataclasses.replace(article, content_hash=body_hash(article))
        for attempt in range(_WRITE_ATTEMPTS):
            try:
                with self._write() as conn:
                    return self._add(conn, raw, article)
            except (IntegrityError, _Raced) as exc:
                # a concurrent writer stored the same content or source first: look again
                if attempt == _WRITE_ATTEMPTS - 1:
                    detail = exc.orig if isinstance(exc, IntegrityError) else exc
                    raise StoreError(
                        f"could not store article {article.id}: {detail}", source=raw.source
                    ) from exc
            except SQLAlchemyError as exc:
                raise StoreError(f"could not store article {article.id}: {exc}", source=raw.source) from exc
        raise AssertionError("unreachable")

    def _add(self, conn: sa.Connection, raw: RawDocument, article: Article) -> AddResult:
        known = conn.execute(
            sa.select(article_sources.c.article_id, article_sources.c.content_hash).where(
                article_sources.c.source == _key(raw.source)
            )
        ).first()
        if known is not None and known.content_hash == article.content_hash:
            return AddResult("exists", known.article_id, self._duplicate_of(conn, known.article_id))

        same = conn.execute(
            sa.select(articles.c.id).where(articles.c.content_hash == article.content_hash)
        ).scalar_one_or_none()
        if same is not None:
            self._link_source(conn, raw, article, same, replace=known is not None)
            return AddResult("duplicate", same, same)

        clash = conn.execute(
            sa.select(articles.c.source, articles.c.content_hash).where(articles.c.id == article.id)
        ).first()
        if clash is not None and clash.content_hash == article.content_hash:
            # (PostgreSQL) another writer committed this very article between our reads
            raise _Raced(f"article {article.id} was stored concurrently")
        if clash is not None and not (known is not None and known.article_id == article.id):
            raise StoreError(
                f"article id {article.id} is already used by {clash.source} with different content",
                source=raw.source,
            )

        sig = dedup.signature(article.text)
        original = self._near_duplicate(conn, sig, exclude=article.id) if sig is not None else None
        if original is not None:
            article = dataclasses.replace(article, duplicate_of=original)
        values = self._article_values(article, sig)
        now = _now()
        if clash is not None:
            # the same source re-read with new content under the same id: replace it in place
            conn.execute(
                sa.update(articles).where(articles.c.id == article.id).values(**values, updated_at=now)
            )
            conn.execute(sa.delete(minhash_bands).where(minhash_bands.c.article_id == article.id))
        else:
            conn.execute(sa.insert(articles).values(**values, ingested_at=now, updated_at=now))
        if sig is not None:
            conn.execute(
                sa.insert(minhash_bands), [{"key": k, "article_id": article.id} for k in dedup.band_keys(sig)]
            )
        search.index_article(conn, article)
        self._link_source(conn, raw, article, article.id, replace=known is not None)
        if original is not None:
            return AddResult("near-duplicate", article.id, original)
        return AddResult("stored", article.id, None)

    def _article_values(self, article: Article, sig: Any) -> dict[str, Any]:
        return {
            "id": article.id,
            "source": _key(article.source),
            "outlet": _column(article.outlet),
            "title": _column(article.title),
            "published": _column(article.published),
            "language": _column(article.language),
            "duplicate_of": article.duplicate_of,
            "content_hash": article.content_hash,
            "record_hash": record_hash(article),
            "minhash": dedup.to_bytes(sig) if sig is not None else None,
            "record": _dumps(to_dict(article)),
        }

    def _duplicate_of(self, conn: sa.Connection, article_id: str) -> str | None:
        return conn.execute(
            sa.select(articles.c.duplicate_of).where(articles.c.id == article_id)
        ).scalar_one_or_none()

    def _near_duplicate(self, conn: sa.Connection, sig: Any, exclude: str) -> str | None:
        """The original (never itself a near-duplicate) that ``sig`` nearly duplicates, if any."""
        rows = conn.execute(
            sa.select(articles.c.id, articles.c.minhash, articles.c.duplicate_of)
            .where(
                articles.c.id.in_(
                    sa.select(minhash_bands.c.article_id).where(minhash_bands.c.key.in_(dedup.band_keys(sig)))
                ),
                articles.c.id != exclude,
                articles.c.minhash.is_not(None),
            )
            .order_by(articles.c.id)
        ).all()
        best = dedup.best_match(sig, [(r.id, r.minhash) for r in rows])
        if best is None:
            return None
        roots = {r.id: r.duplicate_of for r in rows}
        match = best[0]
        # point at the first report, so a chain of copies counts as one story report
        return roots.get(match) or match

    def _link_source(
        self, conn: sa.Connection, raw: RawDocument, article: Article, article_id: str, *, replace: bool
    ) -> None:
        sha = hashlib.sha256(raw.raw).hexdigest()
        exists = conn.execute(sa.select(blobs.c.sha256).where(blobs.c.sha256 == sha)).first()
        if exists is None:
            conn.execute(sa.insert(blobs).values(sha256=sha, size=len(raw.raw), data=raw.raw))
        values = {
            "article_id": article_id,
            "content_hash": article.content_hash,
            "raw_sha256": sha,
            "format": raw.format,
            "url": _column(raw.url),
            "encoding": _column(raw.encoding),
            "metadata": _dumps(to_dict(raw.metadata)),
            "ingested_at": _now(),
        }
        if replace:
            conn.execute(
                sa.update(article_sources)
                .where(article_sources.c.source == _key(raw.source))
                .values(**values)
            )
        else:
            conn.execute(sa.insert(article_sources).values(source=_key(raw.source), **values))

    def has_source(self, source: str, content_hash: str | None = None) -> bool:
        """Whether an article from ``source`` is stored (with this content, when ``content_hash`` is given).

        ``content_hash`` may be the article's content_hash or the sha256 hex of the raw bytes.
        """
        query = sa.select(article_sources.c.source).where(article_sources.c.source == _key(source))
        if content_hash is not None:
            query = query.where(
                sa.or_(
                    article_sources.c.content_hash == content_hash,
                    article_sources.c.raw_sha256 == content_hash,
                )
            )
        with self._read() as conn:
            return conn.execute(query).first() is not None

    def articles(self, ids: Sequence[str] | None = None) -> list[Article]:
        """Articles ordered by publication date (undated last), then id; all of them when ``ids`` is None."""
        query = sa.select(articles.c.record, articles.c.published, articles.c.id)
        with self._read() as conn:
            if ids is None:
                rows = list(conn.execute(query))
            else:
                wanted = list(dict.fromkeys(ids))
                rows = []
                for chunk in _chunks(wanted):
                    rows.extend(conn.execute(query.where(articles.c.id.in_(chunk))))
                missing = set(wanted) - {r.id for r in rows}
                if missing:
                    raise NotFoundError(f"no stored article with id {', '.join(sorted(missing)[:5])}")
        rows.sort(key=lambda r: (r.published is None, r.published or "", r.id))
        return [from_dict(Article, json.loads(r.record)) for r in rows]

    def get_article(self, article_id: str) -> Article:
        """The article with this id, or with the one id that starts with it."""
        with self._read() as conn:
            found = self._resolve(conn, articles, article_id, "article")
            record = conn.execute(sa.select(articles.c.record).where(articles.c.id == found)).scalar_one()
        return from_dict(Article, json.loads(record))

    def _resolve(self, conn: sa.Connection, table: sa.Table, key: str, what: str) -> str:
        if conn.execute(sa.select(table.c.id).where(table.c.id == key)).first() is not None:
            return key
        if key:
            ids = list(
                conn.execute(
                    sa.select(table.c.id)
                    .where(table.c.id.like(_escape_like(key) + "%", escape="\\"))
                    .limit(6)
                ).scalars()
            )
            if len(ids) == 1:
                return ids[0]
            if ids:
                shown = ", ".join(ids[:5]) + (", ..." if len(ids) > 5 else "")
                raise NotFoundError(
                    f"{what} id prefix {key!r} is ambiguous: it matches {shown}", code="ambiguous-id"
                )
        raise NotFoundError(f"no stored {what} with id {key!r}")

    def count_articles(self) -> int:
        with self._read() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(articles)).scalar_one())

    def get_raw(self, article_id: str) -> bytes:
        """The raw bytes the article was first stored from."""
        with self._read() as conn:
            found = self._resolve(conn, articles, article_id, "article")
            rows = conn.execute(
                sa.select(blobs.c.data, article_sources.c.source, articles.c.source.label("primary"))
                .select_from(article_sources.join(blobs).join(articles))
                .where(article_sources.c.article_id == found)
                .order_by(article_sources.c.ingested_at, article_sources.c.source)
            ).all()
        if not rows:
            raise NotFoundError(f"article {found} has no stored raw input")
        primary = [r for r in rows if r.source == r.primary]
        return bytes((primary or rows)[0].data)

    def sources(self, article_id: str) -> list[str]:
        """Every input the article came from, in the order they were stored."""
        with self._read() as conn:
            found = self._resolve(conn, articles, article_id, "article")
            return list(
                conn.execute(
                    sa.select(article_sources.c.source)
                    .where(article_sources.c.article_id == found)
                    .order_by(article_sources.c.ingested_at, article_sources.c.source)
                ).scalars()
            )

    def update_article(self, article: Article) -> None:
        """Replace a stored article's record (same id), e.g. after a story filled in a missing year."""
        if not article.content_hash:
            article = dataclasses.replace(article, content_hash=body_hash(article))
        try:
            with self._write() as conn:
                old = conn.execute(
                    sa.select(articles.c.content_hash, articles.c.minhash).where(articles.c.id == article.id)
                ).first()
                if old is None:
                    raise NotFoundError(f"no stored article with id {article.id!r} to update")
                if old.content_hash == article.content_hash:
                    sig = dedup.from_bytes(old.minhash) if old.minhash is not None else None
                    conn.execute(
                        sa.update(articles)
                        .where(articles.c.id == article.id)
                        .values(**self._article_values(article, sig), updated_at=_now())
                    )
                    search.index_article(conn, article)
                    return
                sig = dedup.signature(article.text)
                conn.execute(
                    sa.update(articles)
                    .where(articles.c.id == article.id)
                    .values(**self._article_values(article, sig), updated_at=_now())
                )
                conn.execute(sa.delete(minhash_bands).where(minhash_bands.c.article_id == article.id))
                if sig is not None:
                    conn.execute(
                        sa.insert(minhash_bands),
                        [{"key": k, "article_id": article.id} for k in dedup.band_keys(sig)],
                    )
                search.index_article(conn, article)
        except IntegrityError as exc:
            raise StoreError(f"could not update article {article.id}: {exc.orig}") from exc
        except SQLAlchemyError as exc:
            raise StoreError(f"could not update article {article.id}: {exc}") from exc

    # ----------------------------------------------------------------- rejections

    def add_rejection(self, rejection: Rejection) -> None:
        """Record an input that could not become an article (once per source and reason)."""
        values = {
            "source": _key(rejection.source),
            "reason": _column(rejection.reason),
            "message": _column(rejection.message),
            "recorded_at": _now(),
        }
        try:
            with self._write() as conn:
                self._upsert(conn, rejections, values, ("source", "reason"))
        except SQLAlchemyError as exc:
            raise StoreError(f"could not record rejection: {exc}", source=rejection.source) from exc

    def clear_rejections(self, source: str) -> None:
        """Forget the rejections of ``source`` (now stored), and of its container file: a file
        rejected whole ("f.jsonl") is resolved once any document in it ("f.jsonl#3") is stored."""
        keys = {_key(source)}
        container, _, part = source.rpartition("#")
        if container and part.isdigit():
            keys.add(_key(container))
        try:
            with self._write() as conn:
                conn.execute(sa.delete(rejections).where(rejections.c.source.in_(sorted(keys))))
        except SQLAlchemyError as exc:
            raise StoreError(f"could not clear rejections: {exc}", source=source) from exc

    def rejections(self) -> list[Rejection]:
        """Every recorded rejection, by source then reason."""
        with self._read() as conn:
            rows = conn.execute(
                sa.select(rejections.c.source, rejections.c.reason, rejections.c.message).order_by(
                    rejections.c.source, rejections.c.reason
                )
            ).all()
        return [Rejection(r.source, r.reason, r.message) for r in rows]

    # ----------------------------------------------------------------- facts

    def save_facts(self, facts: ArticleFacts) -> None:
        """Replace the article's facts (atomically), remembering the record they were extracted from."""
        af = facts
        rows: list[dict[str, Any]] = []
        for kind, (attr, _) in _FACT_KINDS.items():
            for position, fact in enumerate(getattr(af, attr)):
                start, end, field = _span(fact)
                rows.append(
                    {
                        "article_id": af.article_id,
                        "kind": kind,
                        "position": position,
                        "fact_id": fact.id,
                        "extractor": fact.extractor,
                        "extractor_version": af.extractors.get(fact.extractor),
                        "field": field,
                        "span_start": start,
                        "span_end": end,
                        "data": _dumps(to_dict(fact)),
                    }
                )
        try:
            with self._write() as conn:
                current = conn.execute(
                    sa.select(articles.c.record_hash).where(articles.c.id == af.article_id)
                ).scalar_one_or_none()
                if current is None:
                    raise NotFoundError(f"no stored article with id {af.article_id!r} to save facts for")
                conn.execute(sa.delete(fact_rows).where(fact_rows.c.article_id == af.article_id))
                conn.execute(sa.delete(article_facts).where(article_facts.c.article_id == af.article_id))
                conn.execute(
                    sa.insert(article_facts).values(
                        article_id=af.article_id,
                        language=_column(af.language),
                        supported=af.supported,
                        extractors=_canonical(af.extractors),
                        record_hash=current,
                        extracted_at=_now(),
                    )
                )
                if rows:
                    conn.execute(sa.insert(fact_rows), rows)
                search.index_facts(conn, af)
        except SQLAlchemyError as exc:
            raise StoreError(f"could not save facts of article {af.article_id}: {exc}") from exc

    def get_facts(self, article_id: str) -> ArticleFacts | None:
        """The article's stored facts, or None when it has not been extracted."""
        with self._read() as conn:
            head = conn.execute(
                sa.select(article_facts).where(article_facts.c.article_id == article_id)
            ).first()
            if head is None:
                return None
            rows = conn.execute(
                sa.select(fact_rows.c.kind, fact_rows.c.data)
                .where(fact_rows.c.article_id == article_id)
                .order_by(fact_rows.c.kind, fact_rows.c.position)
            ).all()
        lists: dict[str, list[Any]] = {attr: [] for attr, _ in _FACT_KINDS.values()}
        for r in rows:
            attr, cls = _FACT_KINDS[r.kind]
            lists[attr].append(from_dict(cls, json.loads(r.data)))
        return ArticleFacts(
            article_id=article_id,
            language=head.language,
            supported=bool(head.supported),
            extractors=json.loads(head.extractors),
            **lists,
        )

    def articles_needing_extraction(self, versions: Mapping[str, str]) -> list[str]:
        """Ids of articles with no facts, facts from other extractor versions, or edited since extraction."""
        wanted = _canonical(dict(versions))
        query = (
            sa.select(articles.c.id)
            .select_from(articles.outerjoin(article_facts, article_facts.c.article_id == articles.c.id))
            .where(
                sa.or_(
                    article_facts.c.article_id.is_(None),
                    article_facts.c.extractors != wanted,
                    article_facts.c.record_hash != articles.c.record_hash,
                )
            )
            .order_by(articles.c.published.is_(None), articles.c.published, articles.c.id)
        )
        with self._read() as conn:
            return list(conn.execute(query).scalars())

    # ----------------------------------------------------------------- stories and state

    def save_stories(self, stories: Sequence[Story]) -> None:
        """Replace all stories with these, in one transaction."""
        try:
            with self._write() as conn:
                search.index_stories(conn, [])
                conn.execute(sa.delete(story_articles))
                conn.execute(sa.delete(story_rows))
                if not stories:
                    return
                conn.execute(
                    sa.insert(story_rows),
                    [
                        {
                            "id": s.id,
                            "position": i,
                            "title": _column(s.title) or "",
                            "first_seen": _column(s.first_seen),
                            "last_seen": _column(s.last_seen),
                            "record": _dumps(to_dict(s)),
                        }
                        for i, s in enumerate(stories)
                    ],
                )
                links = [
                    {"story_id": s.id, "article_id": aid, "position": j}
                    for s in stories
                    for j, aid in enumerate(dict.fromkeys(s.article_ids))
                ]
                if links:
                    conn.execute(sa.insert(story_articles), links)
                search.index_stories(conn, stories)
        except IntegrityError as exc:
            raise StoreError(f"could not save stories (duplicate story id?): {exc.orig}") from exc
        except SQLAlchemyError as exc:
            raise StoreError(f"could not save stories: {exc}") from exc

    def stories(self) -> list[Story]:
        """All stories, in the order they were saved."""
        with self._read() as conn:
            records = (
                conn.execute(sa.select(story_rows.c.record).order_by(story_rows.c.position)).scalars().all()
            )
        return [from_dict(Story, json.loads(r)) for r in records]

    def get_story(self, story_id: str) -> Story:
        """The story with this id, or with the one id that starts with it."""
        with self._read() as conn:
            found = self._resolve(conn, story_rows, story_id, "story")
            record = conn.execute(sa.select(story_rows.c.record).where(story_rows.c.id == found)).scalar_one()
        return from_dict(Story, json.loads(record))

    def story_ids_for_article(self, article_id: str) -> list[str]:
        """Ids of the stories that contain the article."""
        with self._read() as conn:
            return list(
                conn.execute(
                    sa.select(story_articles.c.story_id)
                    .join(story_rows)
                    .where(story_articles.c.article_id == article_id)
                    .order_by(story_rows.c.position)
                ).scalars()
            )

    def get_state(self, key: str) -> bytes | None:
        with self._read() as conn:
            value = conn.execute(sa.select(state.c.value).where(state.c.key == key)).scalar_one_or_none()
        return bytes(value) if value is not None else None

    def set_state(self, key: str, value: bytes) -> None:
        try:
            with self._write() as conn:
                self._upsert(conn, state, {"key": key, "value": bytes(value), "updated_at": _now()}, ("key",))
        except SQLAlchemyError as exc:
            raise StoreError(f"could not save state {key!r}: {exc}") from exc


def _span(fact: Any) -> tuple[int | None, int | None, str | None]:
    if isinstance(fact, Entity):
        if not fact.mentions:
            return None, None, None
        first = fact.mentions[0]
        return first.start, first.end, first.field
    return fact.start, fact.end, fact.field


# --------------------------------------------------------------------------- engines


def _create_engine(url: sa.URL) -> sa.Engine:
    if url.get_backend_name() == "postgresql":
        try:
            import psycopg  # noqa: F401
        except ImportError as exc:
            raise missing_dependency("psycopg", "postgres") from exc
        engine = sa.create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})
        try:
            with engine.connect():
                pass
        except SQLAlchemyError as exc:
            engine.dispose()
            raise StoreError(_open_failure(url, exc)) from exc
        return engine
    return _sqlite_engine(url)


def _sqlite_engine(url: sa.URL) -> sa.Engine:
    database = url.database or ""
    memory = database in ("", ":memory:")
    if not memory:
        path = Path(database)
        if not path.parent.is_dir():
            raise StoreError(f"cannot create the store {database}: folder {path.parent} does not exist")
        if path.is_dir():
            raise StoreError(f"cannot open the store {database}: it is a folder, not a database file")
    engine = sa.create_engine(url, poolclass=StaticPool) if memory else sa.create_engine(url)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # let SQLAlchemy's "begin" event below issue BEGIN itself (pysqlite's implicit BEGIN
        # comes too late for SELECT-then-INSERT and can't take the write lock up front)
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        try:
            # the timeout first: switching a new file to WAL needs a lock another opener may hold
            cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            if not memory:
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
        finally:
            cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        immediate = conn.get_execution_options().get("parallax_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    try:
        with engine.connect():
            pass
    except SQLAlchemyError as exc:
        engine.dispose()
        raise StoreError(_open_failure(url, exc)) from exc
    return engine


def _open_failure(url: sa.URL, exc: SQLAlchemyError) -> str:
    detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    first = detail[0] if detail else type(exc).__name__
    if url.get_backend_name() == "postgresql":
        where = f"{url.host or 'localhost'}:{url.port or 5432}/{url.database or ''}"
        return (
            f"cannot open the PostgreSQL store at {where}: {first}. "
            "Is the server running and the database created? (tests: scripts/start-postgres)"
        )
    return f"cannot open the SQLite store {url.database or ':memory:'}: {first}"
