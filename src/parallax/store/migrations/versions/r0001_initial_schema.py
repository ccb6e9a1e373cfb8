"""Initial schema: articles, sources, raw blobs, near-duplicate bands, rejections, facts, stories, state.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.String(length=128), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("outlet", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("published", sa.String(length=64), nullable=True),
        sa.Column("language", sa.String(length=32), nullable=True),
        sa.Column("duplicate_of", sa.String(length=128), nullable=True),
        sa.Column("content_hash", sa.String(length=128), nullable=False),
        sa.Column("record_hash", sa.String(length=64), nullable=False),
        sa.Column("ingested_at", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.Column("minhash", sa.LargeBinary(), nullable=True),
        sa.Column("record", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["duplicate_of"], ["articles.id"], name=op.f("fk_articles_duplicate_of_articles")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_articles")),
        sa.UniqueConstraint("content_hash", name=op.f("uq_articles_content_hash")),
    )
    op.create_index(op.f("ix_articles_duplicate_of"), "articles", ["duplicate_of"], unique=False)
    op.create_index(op.f("ix_articles_outlet"), "articles", ["outlet"], unique=False)
    op.create_index(op.f("ix_articles_published_id"), "articles", ["published", "id"], unique=False)

    op.create_table(
        "blobs",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_blobs")),
    )
    op.create_table(
        "rejections",
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("source", "reason", name=op.f("pk_rejections")),
    )
    op.create_table(
        "state",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("value", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_state")),
    )
    op.create_table(
        "stories",
        sa.Column("id", sa.String(length=128), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("first_seen", sa.String(length=64), nullable=True),
        sa.Column("last_seen", sa.String(length=64), nullable=True),
        sa.Column("record", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stories")),
    )
    op.create_table(
        "article_facts",
        sa.Column("article_id", sa.String(length=128), nullable=False),
        sa.Column("language", sa.String(length=32), nullable=True),
        sa.Column("supported", sa.Boolean(), nullable=False),
        sa.Column("extractors", sa.Text(), nullable=False),
        sa.Column("record_hash", sa.String(length=64), nullable=False),
        sa.Column("extracted_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_article_facts_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_article_facts")),
    )
    op.create_table(
        "article_sources",
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("article_id", sa.String(length=128), nullable=False),
        sa.Column("content_hash", sa.String(length=128), nullable=False),
        sa.Column("raw_sha256", sa.String(length=64), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("encoding", sa.String(length=64), nullable=True),
        sa.Column("metadata", sa.Text(), nullable=False),
        sa.Column("ingested_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_article_sources_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["raw_sha256"], ["blobs.sha256"], name=op.f("fk_article_sources_raw_sha256_blobs")
        ),
        sa.PrimaryKeyConstraint("source", name=op.f("pk_article_sources")),
    )
    op.create_index(op.f("ix_article_sources_article_id"), "article_sources", ["article_id"], unique=False)

    op.create_table(
        "minhash_bands",
        sa.Column("key", sa.String(length=48), nullable=False),
        sa.Column("article_id", sa.String(length=128), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_minhash_bands_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("key", "article_id", name=op.f("pk_minhash_bands")),
    )
    op.create_index(op.f("ix_minhash_bands_article_id"), "minhash_bands", ["article_id"], unique=False)

    op.create_table(
        "story_articles",
        sa.Column("story_id", sa.String(length=128), nullable=False),
        sa.Column("article_id", sa.String(length=128), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["story_id"], ["stories.id"], name=op.f("fk_story_articles_story_id_stories"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("story_id", "article_id", name=op.f("pk_story_articles")),
    )
    op.create_index(op.f("ix_story_articles_article_id"), "story_articles", ["article_id"], unique=False)

    op.create_table(
        "facts",
        sa.Column("article_id", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("fact_id", sa.String(length=64), nullable=False),
        sa.Column("extractor", sa.String(length=128), nullable=False),
        sa.Column("extractor_version", sa.String(length=64), nullable=True),
        sa.Column("field", sa.String(length=16), nullable=True),
        sa.Column("span_start", sa.Integer(), nullable=True),
        sa.Column("span_end", sa.Integer(), nullable=True),
        sa.Column("data", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["article_facts.article_id"],
            name=op.f("fk_facts_article_id_article_facts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", "kind", "position", name=op.f("pk_facts")),
    )
    op.create_index(op.f("ix_facts_article_id_fact_id"), "facts", ["article_id", "fact_id"], unique=False)
    op.create_index(op.f("ix_facts_kind_extractor"), "facts", ["kind", "extractor"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_facts_kind_extractor"), table_name="facts")
    op.drop_index(op.f("ix_facts_article_id_fact_id"), table_name="facts")

    op.drop_table("facts")
    op.drop_index(op.f("ix_story_articles_article_id"), table_name="story_articles")

    op.drop_table("story_articles")
    op.drop_index(op.f("ix_minhash_bands_article_id"), table_name="minhash_bands")

    op.drop_table("minhash_bands")
    op.drop_index(op.f("ix_article_sources_article_id"), table_name="article_sources")

    op.drop_table("article_sources")
    op.drop_table("article_facts")
    op.drop_table("stories")
    op.drop_table("state")
    op.drop_table("rejections")
    op.drop_table("blobs")
    op.drop_index(op.f("ix_articles_published_id"), table_name="articles")
    op.drop_index(op.f("ix_articles_outlet"), table_name="articles")
    op.drop_index(op.f("ix_articles_duplicate_of"), table_name="articles")

    op.drop_table("articles")
