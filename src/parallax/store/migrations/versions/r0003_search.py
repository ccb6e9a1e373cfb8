"""Search and browsing indexes: search_docs (+ FTS5 or a GIN tsvector index), story summaries
and facets, article entities; fills them from what is already stored.

Revision ID: 0003
Revises: 0001
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from parallax.store import search

    op.create_table(
        "search_docs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("article_id", sa.String(length=128), nullable=False),
        sa.Column("fact_id", sa.String(length=64), nullable=True),
        sa.Column("outlet", sa.Text(), nullable=True),
        sa.Column("published", sa.String(length=64), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_search_docs_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_docs")),
    )
    op.create_index(op.f("ix_search_docs_article_id"), "search_docs", ["article_id"], unique=False)
    op.create_index(op.f("ix_search_docs_kind_published"), "search_docs", ["kind", "published"], unique=False)
    op.create_index(op.f("ix_search_docs_published"), "search_docs", ["published"], unique=False)

    op.create_table(
        "story_summaries",
        sa.Column("story_id", sa.String(length=128), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("first_seen", sa.String(length=64), nullable=True),
        sa.Column("last_seen", sa.String(length=64), nullable=True),
        sa.Column("articles", sa.Integer(), nullable=False),
        sa.Column("outlets", sa.Integer(), nullable=False),
        sa.Column("outlet_counts", sa.Text(), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("figures", sa.Integer(), nullable=False),
        sa.Column("conflicts", sa.Integer(), nullable=False),
        sa.Column("revisions", sa.Integer(), nullable=False),
        sa.Column("omissions", sa.Integer(), nullable=False),
        sa.Column("statements", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["story_id"], ["stories.id"], name=op.f("fk_story_summaries_story_id_stories"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("story_id", name=op.f("pk_story_summaries")),
    )
    op.create_index(op.f("ix_story_summaries_first_seen"), "story_summaries", ["first_seen"], unique=False)
    op.create_index(op.f("ix_story_summaries_last_seen"), "story_summaries", ["last_seen"], unique=False)

    op.create_table(
        "story_facets",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("story_id", sa.String(length=128), nullable=False),
        sa.Column("facet", sa.String(length=16), nullable=False),
        sa.Column("outlet", sa.Text(), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["story_id"], ["stories.id"], name=op.f("fk_story_facets_story_id_stories"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_story_facets")),
    )
    op.create_index(op.f("ix_story_facets_facet_outlet"), "story_facets", ["facet", "outlet"], unique=False)
    op.create_index(op.f("ix_story_facets_story_id"), "story_facets", ["story_id"], unique=False)

    op.create_table(
        "article_entities",
        sa.Column("article_id", sa.String(length=128), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("outlet", sa.Text(), nullable=True),
        sa.Column("published", sa.String(length=64), nullable=True),
        sa.Column("mentions", sa.Integer(), nullable=False),
        sa.Column("forms", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_article_entities_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", "entity_id", name=op.f("pk_article_entities")),
    )
    op.create_index(op.f("ix_article_entities_key"), "article_entities", ["key"], unique=False)

    conn = op.get_bind()
    search.create_text_index(conn)
    search.rebuild(conn)


def downgrade() -> None:
    from parallax.store import search

    search.drop_text_index(op.get_bind())
    op.drop_index(op.f("ix_article_entities_key"), table_name="article_entities")
    op.drop_table("article_entities")
    op.drop_index(op.f("ix_story_facets_story_id"), table_name="story_facets")
    op.drop_index(op.f("ix_story_facets_facet_outlet"), table_name="story_facets")
    op.drop_table("story_facets")
    op.drop_index(op.f("ix_story_summaries_last_seen"), table_name="story_summaries")
    op.drop_index(op.f("ix_story_summaries_first_seen"), table_name="story_summaries")
    op.drop_table("story_summaries")
    op.drop_index(op.f("ix_search_docs_published"), table_name="search_docs")
    op.drop_index(op.f("ix_search_docs_kind_published"), table_name="search_docs")
    op.drop_index(op.f("ix_search_docs_article_id"), table_name="search_docs")
    op.drop_table("search_docs")
