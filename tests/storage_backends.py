"""Fixtures that run a storage test against every backend: SQLite (a temporary file) and PostgreSQL.

Import them explicitly in a test module::

    from storage_backends import store_fixture, store_url_fixture  # noqa: F401

(registered as the fixtures ``store`` and ``store_url``; importing them under other
names keeps ruff's F811 quiet about test arguments named like an import. The names
``store`` and ``store_url`` are exported too.)

PostgreSQL runs when ``PARALLAX_TEST_PG_URL`` names a server (``scripts/start-postgres``
prints one); each test gets its own fresh schema there. Without it the PostgreSQL
cases are skipped, except on CI (``CI=true``), which must test both.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from parallax.records import Article, MetaValue, Paragraph, RawDocument
from parallax.store import Store, open_store, resolve_url

PG_ENV = "PARALLAX_TEST_PG_URL"


def pg_base_url() -> str | None:
    """The PostgreSQL URL the tests may use, or skip (fail on CI) when there is none."""
    url = os.environ.get(PG_ENV)
    if url:
        return url
    message = (
        f"{PG_ENV} is not set: run `export {PG_ENV}=$(scripts/start-postgres | tail -n1)` to test PostgreSQL"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must test both storage backends, but {message}")
    pytest.skip(message)
    return None


@pytest.fixture(name="store_url", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url_fixture(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A URL for an empty store on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('store') / 'parallax.db'}"
        return
    base = pg_base_url()
    assert base is not None
    schema = f"test_{uuid.uuid4().hex[:16]}"
    admin = sa.create_engine(resolve_url(base), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        url = resolve_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    finally:
        admin.dispose()


@pytest.fixture(name="store")
def store_fixture(store_url: str) -> Iterator[Store]:
    """An open, empty store on each backend."""
    with open_store(store_url) as opened:
        yield opened


store_url = store_url_fixture
store = store_fixture


# --------------------------------------------------------------------------- record builders

_VOCAB = [
    "council",
    "minister",
    "police",
    "city",
    "river",
    "budget",
    "report",
    "officials",
    "said",
    "people",
    "march",
    "protest",
    "court",
    "election",
    "vote",
    "harbour",
    "storm",
    "school",
    "hospital",
    "power",
    "grid",
    "train",
    "station",
    "airport",
    "market",
    "prices",
    "farmers",
    "union",
    "strike",
    "talks",
    "border",
    "troops",
    "ceasefire",
    "aid",
    "agency",
    "water",
    "bridge",
    "fire",
    "crews",
    "night",
    "morning",
    "tuesday",
    "statement",
    "spokesman",
    "residents",
    "village",
    "mayor",
    "governor",
    "parliament",
    "law",
    "reform",
]


def body_text(seed: int, words: int = 120, paragraphs: int = 4) -> str:
    """A deterministic pseudo-article body; different seeds share almost no 3-word shingles."""
    import random

    rng = random.Random(seed)
    chunk = max(1, words // paragraphs)
    paras = []
    for p in range(paragraphs):
        n = chunk if p < paragraphs - 1 else words - chunk * (paragraphs - 1)
        paras.append(" ".join(rng.choice(_VOCAB) for _ in range(max(n, 1))).capitalize() + ".")
    return "\n\n".join(paras)


def make_doc(
    source: str,
    text: str,
    *,
    article_id: str | None = None,
    raw: bytes | None = None,
    title: str | None = "A headline",
    published: str | None = "2024-03-01",
    outlet: str | None = "Example News",
    content_hash: str | None = None,
) -> tuple[RawDocument, Article]:
    """A (RawDocument, Article) pair as the reader and cleaner would hand them to the store."""
    import hashlib

    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    raw_bytes = raw if raw is not None else text.encode("utf-8", "surrogatepass")
    meta = {"outlet": MetaValue(outlet, "user-metadata")} if outlet else {}
    raw_doc = RawDocument(source=source, format="text", raw=raw_bytes, text=text, metadata=meta)
    article = Article(
        id=article_id or digest[:16],
        source=source,
        outlet=outlet,
        title=title,
        published=published,
        language="en",
        provenance={"outlet": "user-metadata", "published": "text"},
        paragraphs=[Paragraph(p, None, None) for p in text.split("\n\n")],
        raw_text=text,
        content_hash=content_hash if content_hash is not None else digest,
    )
    return raw_doc, article
