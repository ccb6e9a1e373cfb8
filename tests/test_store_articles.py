"""Articles in the store: idempotency, duplicates, near-duplicates, lookups; on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import hashlib
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parallax.errors import NotFoundError, StoreError
from parallax.records import Article, Dateline, Paragraph, Rejection, to_dict
from parallax.store import Store, open_store
from storage_backends import body_text, make_doc, store_fixture, store_url_fixture  # noqa: F401


@pytest.mark.parametrize("seed", [1])
def test_store_add_article_round_trips_record(store: Store, seed: int) -> None:
    raw, article = make_doc("in/a.txt", body_text(seed))
    article = dataclasses.replace(article, dateline=Dateline(["ALMATY"], "--01-07"), byline="By A. Writer")
    result = store.add_article(raw, article)
    assert (result.status, result.article_id, result.duplicate_of) == ("stored", article.id, None)
    assert store.get_article(article.id) == article
    assert to_dict(store.articles()[0]) == to_dict(article)
    assert store.get_raw(article.id) == raw.raw
    assert store.sources(article.id) == ["in/a.txt"]
    assert store.count_articles() == 1


@pytest.mark.parametrize("runs", [3])
def test_store_same_source_same_content_exists(store: Store, runs: int) -> None:
    raw, article = make_doc("in/a.txt", body_text(2))
    statuses = [store.add_article(raw, article).status for _ in range(runs)]
    assert statuses == ["stored"] + ["exists"] * (runs - 1)
    assert store.count_articles() == 1
    assert store.sources(article.id) == ["in/a.txt"]


@pytest.mark.parametrize("text_seed", [3])
def test_store_exact_duplicate_links_source(store: Store, text_seed: int) -> None:
    text = body_text(text_seed)
    raw_a, art_a = make_doc("feed.xml#1", text, raw=b"<item>one</item>")
    raw_b, art_b = make_doc("other/page.html", text, raw=b"<html>two</html>", outlet="Other Outlet")
    assert store.add_article(raw_a, art_a).status == "stored"
    dup = store.add_article(raw_b, art_b)
    assert (dup.status, dup.article_id, dup.duplicate_of) == ("duplicate", art_a.id, art_a.id)
    assert store.count_articles() == 1
    assert store.sources(art_a.id) == ["feed.xml#1", "other/page.html"]
    # the article keeps its first source's raw bytes; the second source is linked, not copied
    assert store.get_raw(art_a.id) == b"<item>one</item>"
    assert store.has_source("other/page.html")
    assert store.add_article(raw_b, art_b).status == "exists"


@pytest.mark.parametrize("shared_raw", [b"same bytes in two containers"])
def test_store_raw_blobs_are_content_addressed(store: Store, shared_raw: bytes) -> None:
    raw_a, art_a = make_doc("a.warc#1", body_text(4), raw=shared_raw)
    raw_b, art_b = make_doc("b.warc#1", body_text(5), raw=shared_raw)
    store.add_article(raw_a, art_a)
    store.add_article(raw_b, art_b)
    assert store.get_raw(art_a.id) == store.get_raw(art_b.id) == shared_raw
    import sqlalchemy as sa

    from parallax.store.schema import blobs

    with store._read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(blobs)).scalar_one() == 1


@pytest.mark.parametrize("seed", [6])
def test_store_near_duplicate_points_at_original(store: Store, seed: int) -> None:
    text = body_text(seed, words=300)
    raw_a, original = make_doc("wire/original.txt", text, title="Storm hits coast")
    copy_text = text + "\n\nReporting by Staff; editing by Desk."
    raw_b, copy = make_doc("paper/copy.txt", copy_text, title="Coastal towns battered", outlet="Daily Paper")
    raw_c, other = make_doc("paper/other.txt", body_text(seed + 100, words=300))
    assert store.add_article(raw_a, original).status == "stored"
    near = store.add_article(raw_b, copy)
    assert (near.status, near.article_id, near.duplicate_of) == ("near-duplicate", copy.id, original.id)
    assert store.get_article(copy.id).duplicate_of == original.id
    assert store.add_article(raw_c, other).status == "stored"
    assert store.count_articles() == 3
    # a copy of the copy still points at the first report
    raw_d, copy2 = make_doc("site/copy2.txt", copy_text + " Updated.", title="Again")
    assert store.add_article(raw_d, copy2).duplicate_of == original.id
    # rerunning the near-duplicate is idempotent
    again = store.add_article(raw_b, copy)
    assert (again.status, again.article_id, again.duplicate_of) == ("exists", copy.id, original.id)


@pytest.mark.parametrize("hash_kind", ["content", "raw"])
def test_store_has_source(store: Store, hash_kind: str) -> None:
    raw, article = make_doc("in/a.txt", body_text(7), raw=b"raw bytes")
    assert not store.has_source("in/a.txt")
    store.add_article(raw, article)
    digest = article.content_hash if hash_kind == "content" else hashlib.sha256(b"raw bytes").hexdigest()
    assert store.has_source("in/a.txt")
    assert store.has_source("in/a.txt", digest)
    assert not store.has_source("in/a.txt", "0" * 64)
    assert not store.has_source("in/b.txt")


@pytest.mark.parametrize("seed", [8])
def test_store_same_source_new_content_replaces(store: Store, seed: int) -> None:
    raw, article = make_doc("in/a.txt", body_text(seed), article_id="fixed-id")
    store.add_article(raw, article)
    raw2, article2 = make_doc("in/a.txt", body_text(seed + 1), article_id="fixed-id")
    assert store.add_article(raw2, article2).status == "stored"
    assert store.count_articles() == 1
    assert store.get_article("fixed-id").text == article2.text
    assert store.get_raw("fixed-id") == raw2.raw


@pytest.mark.parametrize("seed", [9])
def test_store_id_clash_with_other_content_is_an_error(store: Store, seed: int) -> None:
    raw, article = make_doc("in/a.txt", body_text(seed), article_id="same")
    raw2, article2 = make_doc("in/b.txt", body_text(seed + 1), article_id="same")
    store.add_article(raw, article)
    with pytest.raises(StoreError, match="already used by in/a.txt"):
        store.add_article(raw2, article2)
    assert store.count_articles() == 1 and not store.has_source("in/b.txt")


@pytest.mark.parametrize("published", [["2024-03-02", None, "2024-03-01T10:00", "2024-03-01", "--01-07"]])
def test_store_articles_ordered_by_published_then_id(store: Store, published: list[str | None]) -> None:
    for i, when in enumerate(published):
        raw, article = make_doc(f"in/{i}.txt", body_text(20 + i), published=when)
        store.add_article(raw, article)
    got = [a.published for a in store.articles()]
    assert got == ["--01-07", "2024-03-01", "2024-03-01T10:00", "2024-03-02", None]
    some = store.articles([a.id for a in store.articles()][:2])
    assert [a.published for a in some] == ["--01-07", "2024-03-01"]
    with pytest.raises(NotFoundError, match="nope"):
        store.articles(["nope"])


@pytest.mark.parametrize("ids", [("abc123", "abd456")])
def test_store_get_article_by_prefix(store: Store, ids: tuple[str, str]) -> None:
    for i, article_id in enumerate(ids):
        raw, article = make_doc(f"in/{i}.txt", body_text(30 + i), article_id=article_id)
        store.add_article(raw, article)
    assert store.get_article("abc").id == "abc123"
    assert store.get_raw("abd") == store.get_raw("abd456")
    with pytest.raises(NotFoundError, match="ambiguous"):
        store.get_article("ab")
    with pytest.raises(NotFoundError, match="no stored article with id 'zzz'"):
        store.get_article("zzz")
    # LIKE wildcards in a prefix are literal
    with pytest.raises(NotFoundError):
        store.get_article("a%")


@pytest.mark.parametrize("year", ["2022"])
def test_store_update_article_replaces_record(store: Store, year: str) -> None:
    raw, article = make_doc("in/a.txt", body_text(40), published="--01-07")
    store.add_article(raw, article)
    filled = dataclasses.replace(
        article, published=f"{year}-01-07", provenance={**article.provenance, "published": "story-context"}
    )
    store.update_article(filled)
    assert store.get_article(article.id) == filled
    assert store.articles()[0].published == f"{year}-01-07"
    with pytest.raises(NotFoundError):
        store.update_article(dataclasses.replace(article, id="missing"))


@pytest.mark.parametrize(
    "text",
    [
        "Токаев заявил, что порядок восстановлен. «Это конец», — сказал он.",
        "北京 — 中国日报报道。😀 emoji, RTL: مرحبا بالعالم, combining: e\u0301",
        "NUL \x00 inside and a lone surrogate \udcff from undecodable input",
    ],
)
def test_store_unicode_round_trips(store: Store, text: str) -> None:
    raw, article = make_doc("in/ünïcødé 文件.txt", text, title=text[:20], outlet="Outlet \x00 ç")
    store.add_article(raw, article)
    assert store.get_article(article.id) == article
    assert store.has_source("in/ünïcødé 文件.txt")
    store.add_rejection(Rejection("in/ünïcødé 文件.txt", "empty", text))
    assert store.rejections()[0].message == text.replace("\x00", "\ufffd").encode("utf-8", "replace").decode()


@pytest.mark.parametrize("source", ["in/caf\udce9.txt", "in/\ud800odd.txt"])
def test_store_undecodable_file_name_as_source(store: Store, source: str) -> None:
    # os.fsdecode keeps a non-UTF-8 file name's bytes as lone surrogates
    raw, article = make_doc(source, body_text(80))
    store.add_article(raw, article)
    assert store.has_source(source)
    assert store.add_article(raw, article).status == "exists"
    assert len(store.sources(article.id)) == 1
    store.add_rejection(Rejection(source, "empty", "empty file"))
    store.add_rejection(Rejection(source, "empty", "empty file"))
    assert len(store.rejections()) == 1


@pytest.mark.parametrize("words", [100_000])
def test_store_big_article(store: Store, words: int) -> None:
    raw, article = make_doc("in/big.txt", body_text(50, words=words, paragraphs=200))
    assert store.add_article(raw, article).status == "stored"
    assert store.get_article(article.id) == article
    assert store.get_raw(article.id) == raw.raw
    raw2, near = make_doc("in/big-copy.txt", article.text + "\n\nAppended line.")
    assert store.add_article(raw2, near).duplicate_of == article.id


@pytest.mark.parametrize("empty_hash", [""])
def test_store_fills_missing_content_hash(store: Store, empty_hash: str) -> None:
    raw, article = make_doc("in/a.txt", body_text(60), content_hash=empty_hash)
    store.add_article(raw, article)
    stored = store.get_article(article.id)
    assert stored.content_hash == hashlib.sha256(article.text.encode()).hexdigest()
    assert store.add_article(raw, article).status == "exists"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://user@localhost/db", "unsupported database 'mysql'"),
        ("sqlite+pysqlcipher:///x.db", "unsupported SQLite driver"),
        ("/nonexistent-folder/sub/parallax.db", "folder /nonexistent-folder/sub does not exist"),
        (
            "postgresql://postgres:secret@127.0.0.1:1/none",
            "cannot open the PostgreSQL store at 127.0.0.1:1/none",
        ),
    ],
)
def test_store_bad_url_is_a_store_error(url: str, message: str) -> None:
    with pytest.raises(StoreError, match=message) as info:
        open_store(url)
    assert "secret" not in str(info.value)


@pytest.mark.parametrize("name", ["parallax.db"])
def test_store_default_and_bare_path(
    tmp_path: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.chdir(tmp_path)  # type: ignore[arg-type]
    with open_store() as store:
        assert store.backend == "sqlite"
        store.set_state("k", b"v")
    assert (tmp_path / name).is_file()  # type: ignore[operator]
    with open_store(name) as store:
        assert store.get_state("k") == b"v"


@pytest.mark.parametrize("paragraphs", [[]])
def test_store_empty_body_is_not_a_near_duplicate(store: Store, paragraphs: list[Paragraph]) -> None:
    for i in range(2):
        raw, _ = make_doc(f"in/{i}.txt", body_text(70 + i))
        article = Article(
            id=f"empty{i}",
            source=raw.source,
            title=f"Only a title {i}",
            paragraphs=paragraphs,
            content_hash=f"h{i}",
        )
        assert store.add_article(raw, article).status == "stored"


_TEXT = st.text(
    st.characters(codec="utf-8") | st.sampled_from("\x00\udcff\u2028"),
    max_size=80,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=_TEXT, title=_TEXT, source=_TEXT)
def test_store_any_text_round_trips(store: Store, body: str, title: str, source: str) -> None:
    unique = uuid.uuid4().hex
    raw, article = make_doc(f"in/{unique}/{source}", f"{body} {unique}", title=title)
    store.add_article(raw, article)
    assert store.get_article(article.id) == article
    assert store.has_source(raw.source)
