"""The store's tables (SQLAlchemy Core), shared by SQLite and PostgreSQL.

Full records are kept as JSON text (``parallax.records.to_dict``) next to a few
indexed columns for lookups and ordering. Timestamps are ISO 8601 UTC strings so
that both backends sort and compare them the same way. The migrations in
``migrations/versions`` create exactly these tables; a test compares the two.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

#: Raw input bytes, content-addressed: one row per distinct sha256.
blobs = sa.Table(
    "blobs",
    metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
)

articles = sa.Table(
    "articles",
    metadata,
    sa.Column("id", sa.String(128), primary_key=True),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("outlet", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("published", sa.String(64)),
    sa.Column("language", sa.String(32)),
    sa.Column("duplicate_of", sa.String(128), sa.ForeignKey("articles.id")),
    sa.Column("content_hash", sa.String(128), nullable=False, unique=True),
    #: sha256 of the canonical record JSON; facts remember it to notice later edits
    sa.Column("record_hash", sa.String(64), nullable=False),
    sa.Column("ingested_at", sa.String(32), nullable=False),
    sa.Column("updated_at", sa.String(32), nullable=False),
    #: MinHash signature of the body's word shingles (uint64 values), None for an empty body
    sa.Column("minhash", sa.LargeBinary),
    sa.Column("record", sa.Text, nullable=False),
    sa.Index(None, "published", "id"),
    sa.Index(None, "outlet"),
    sa.Index(None, "duplicate_of"),
)

#: Every input a stored article came from, with its own metadata and provenance.
article_sources = sa.Table(
    "article_sources",
    metadata,
    sa.Column("source", sa.Text, primary_key=True),
    sa.Column("article_id", sa.String(128), sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    sa.Column("content_hash", sa.String(128), nullable=False),
    sa.Column("raw_sha256", sa.String(64), sa.ForeignKey("blobs.sha256"), nullable=False),
    sa.Column("format", sa.String(16), nullable=False),
    sa.Column("url", sa.Text),
    sa.Column("encoding", sa.String(64)),
    #: {field: {"value", "source"}}: RawDocument.metadata with where each value came from
    sa.Column("metadata", sa.Text, nullable=False),
    sa.Column("ingested_at", sa.String(32), nullable=False),
    sa.Index(None, "article_id"),
)

#: LSH band keys ("<band>:<hash>") of each article's MinHash, for near-duplicate candidates.
minhash_bands = sa.Table(
    "minhash_bands",
    metadata,
    sa.Column("key", sa.String(48), primary_key=True),
    sa.Column(
        "article_id", sa.String(128), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Index(None, "article_id"),
)

rejections = sa.Table(
    "rejections",
    metadata,
    sa.Column("source", sa.Text, primary_key=True),
    sa.Column("reason", sa.String(64), primary_key=True),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("recorded_at", sa.String(32), nullable=False),
)

#: One row per article that went through extraction.
article_facts = sa.Table(
    "article_facts",
    metadata,
    sa.Column(
        "article_id", sa.String(128), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("language", sa.String(32)),
    sa.Column("supported", sa.Boolean, nullable=False),
    #: canonical JSON of {extractor name: version}
    sa.Column("extractors", sa.Text, nullable=False),
    #: the article's record_hash when these facts were saved
    sa.Column("record_hash", sa.String(64), nullable=False),
    sa.Column("extracted_at", sa.String(32), nullable=False),
)

facts = sa.Table(
    "facts",
    metadata,
    sa.Column(
        "article_id",
        sa.String(128),
        sa.ForeignKey("article_facts.article_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("kind", sa.String(16), primary_key=True),  # entity | time | quote | claim | event
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("fact_id", sa.String(64), nullable=False),
    sa.Column("extractor", sa.String(128), nullable=False),
    sa.Column("extractor_version", sa.String(64)),
    sa.Column("field", sa.String(16)),
    sa.Column("span_start", sa.Integer),
    sa.Column("span_end", sa.Integer),
    sa.Column("data", sa.Text, nullable=False),
    sa.Index(None, "article_id", "fact_id"),
    sa.Index(None, "kind", "extractor"),
)

stories = sa.Table(
    "stories",
    metadata,
    sa.Column("id", sa.String(128), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("first_seen", sa.String(64)),
    sa.Column("last_seen", sa.String(64)),
    sa.Column("record", sa.Text, nullable=False),
)

story_articles = sa.Table(
    "story_articles",
    metadata,
    sa.Column("story_id", sa.String(128), sa.ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("article_id", sa.String(128), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Index(None, "article_id"),
)

#: Opaque blobs other stages keep between runs (e.g. the incremental grouping state).
state = sa.Table(
    "state",
    metadata,
    sa.Column("key", sa.String(255), primary_key=True),
    sa.Column("value", sa.LargeBinary, nullable=False),
    sa.Column("updated_at", sa.String(32), nullable=False),
)

# --------------------------------------------------------------------------- search and browsing
# Kept in step with the records above by parallax.store.search (same transaction as each
# write); they only serve reading: search, the overview's filters and counts, entity pages.

#: One row per searchable thing: an article (title + body), a quote (speaker + words) or a
#: figure (the claim as written). SQLite indexes it with the FTS5 table ``search_fts``
#: (external content, kept in sync by triggers); PostgreSQL with a GIN index on
#: ``to_tsvector('english', title || ' ' || body)``. Both are created by the migration.
search_docs = sa.Table(
    "search_docs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(16), nullable=False),  # article | quote | figure
    sa.Column("article_id", sa.String(128), sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    sa.Column("fact_id", sa.String(64)),
    sa.Column("outlet", sa.Text),
    sa.Column("published", sa.String(64)),
    #: article: its title; quote: the speaker; figure: what is counted
    sa.Column("title", sa.Text),
    sa.Column("body", sa.Text, nullable=False),
    sa.Index(None, "article_id"),
    sa.Index(None, "kind", "published"),
    sa.Index(None, "published"),
)

#: The overview's row of each story: counts computed once when stories are saved.
story_summaries = sa.Table(
    "story_summaries",
    metadata,
    sa.Column("story_id", sa.String(128), sa.ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("first_seen", sa.String(64)),
    sa.Column("last_seen", sa.String(64)),
    sa.Column("articles", sa.Integer, nullable=False),
    sa.Column("outlets", sa.Integer, nullable=False),
    #: JSON list of [outlet, article count], most articles first
    sa.Column("outlet_counts", sa.Text, nullable=False),
    sa.Column("events", sa.Integer, nullable=False),
    sa.Column("figures", sa.Integer, nullable=False),
    sa.Column("conflicts", sa.Integer, nullable=False),
    sa.Column("revisions", sa.Integer, nullable=False),
    sa.Column("omissions", sa.Integer, nullable=False),
    sa.Column("statements", sa.Integer, nullable=False),
    sa.Index(None, "last_seen"),
    sa.Index(None, "first_seen"),
)

#: Who speaks and which labels appear, per story and outlet (the outlet page's sums).
story_facets = sa.Table(
    "story_facets",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("story_id", sa.String(128), sa.ForeignKey("stories.id", ondelete="CASCADE"), nullable=False),
    sa.Column("facet", sa.String(16), nullable=False),  # voice | label
    sa.Column("outlet", sa.Text),
    #: voice: the speaker; label: the term
    sa.Column("name", sa.Text, nullable=False),
    #: voice: the role; label: the actor class it names
    sa.Column("detail", sa.Text),
    sa.Column("count", sa.Integer, nullable=False),
    sa.Index(None, "facet", "outlet"),
    sa.Index(None, "story_id"),
)

#: Each article's entities under a normalized key, so an actor can be followed across articles.
article_entities = sa.Table(
    "article_entities",
    metadata,
    sa.Column("article_id", sa.String(128), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("entity_id", sa.String(64), primary_key=True),
    sa.Column("key", sa.Text, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("type", sa.String(16), nullable=False),
    sa.Column("outlet", sa.Text),
    sa.Column("published", sa.String(64)),
    sa.Column("mentions", sa.Integer, nullable=False),
    #: JSON {surface form as written: count}
    sa.Column("forms", sa.Text, nullable=False),
    sa.Index(None, "key"),
)
