"""Search and browsing: full-text search over articles, quotes and figures, and the
indexes behind the overview's filters, the entity pages and the outlet pages.

The store calls :func:`index_article`, :func:`index_facts` and :func:`index_stories`
inside the transaction that writes the records, so the indexes never lag behind
them. Full text is SQLite FTS5 (``search_fts``, an external-content table over
``search_docs`` kept in sync by triggers; Porter stemming, diacritics folded) or
PostgreSQL's text search (a GIN index on the same ``english`` tsvector the queries
use). Both stem, so "detain" finds "detained" on either backend.

Reading functions take an open :class:`~parallax.store.Store` and return plain rows;
:mod:`parallax.export.views` turns them into what the CLI, the API and the pages show.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from parallax.records import Article, ArticleFacts, Entity, NumericClaim, Quote, Story, from_dict
from parallax.store.schema import (
    article_entities,
    articles,
    facts,
    search_docs,
    stories,
    story_articles,
    story_facets,
    story_summaries,
)

if TYPE_CHECKING:
    from parallax.store.database import Store

FTS_TABLE = "search_fts"
#: The FTS5 column of the text the snippets come from (kind, title, body).
_FTS_BODY = 2
PG_TSV_INDEX = "ix_search_docs_tsv"
#: the tsvector both the PostgreSQL index and every query use (they must match to use the index)
PG_TSV = "to_tsvector('english', coalesce(title, '') || ' ' || body)"
#: Marks around matched words in snippets; views escape the text, then turn these into <mark>.
MARK_OPEN, MARK_CLOSE = "\u27e6", "\u27e7"
#: Words around the match in a snippet.
SNIPPET_WORDS = 24
SEARCH_KINDS = ("article", "quote", "figure")
#: Characters of an article's beginning that stand in for a missing headline.
LEDE_CHARS = 90
#: Figure verdicts that count as a revision (the text says the figure was revised).
REVISION_VERDICTS = frozenset({"revised"})


# --------------------------------------------------------------------------- schema objects


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Alembic filter: the FTS5 table (and its shadow tables) and the functional GIN index
    are created by the migration in SQL, outside schema.py; schema comparisons skip them."""
    if name is None:
        return True
    return not (name in (FTS_TABLE, PG_TSV_INDEX) or name.startswith(FTS_TABLE + "_"))


def create_text_index(conn: sa.Connection) -> None:
    """The backend's full-text index over ``search_docs`` (called by the migration)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"CREATE INDEX {PG_TSV_INDEX} ON search_docs USING gin ({PG_TSV})")
        return
    conn.exec_driver_sql(
        f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(kind, title, body, content='search_docs', "
        "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')"
    )
    # the standard external-content triggers: the FTS table follows every row change
    conn.exec_driver_sql(
        f"CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN "
        f"INSERT INTO {FTS_TABLE}(rowid, kind, title, body) VALUES (new.id, new.kind, new.title, new.body); END"
    )
    conn.exec_driver_sql(
        f"CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, kind, title, body) VALUES ('delete', old.id, old.kind, old.title, old.body); END"
    )
    conn.exec_driver_sql(
        f"CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, kind, title, body) VALUES ('delete', old.id, old.kind, old.title, old.body); "
        f"INSERT INTO {FTS_TABLE}(rowid, kind, title, body) VALUES (new.id, new.kind, new.title, new.body); END"
    )


def drop_text_index(conn: sa.Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {PG_TSV_INDEX}")
        return
    for trigger in ("search_docs_ai", "search_docs_ad", "search_docs_au"):
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger}")
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {FTS_TABLE}")


# --------------------------------------------------------------------------- keys and counts


_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_LEADING_ARTICLE = re.compile(r"^(the|a|an) ")


def entity_key(name: str) -> str:
    """The key an actor is followed by across articles: case, punctuation and a leading
    article don't count ("The U.N." and "the UN" differ; "the Interior Ministry" and
    "Interior ministry" don't)."""
    key = _NON_WORD.sub(" ", name.casefold()).strip()
    return _LEADING_ARTICLE.sub("", key) or key


@dataclass(frozen=True, slots=True)
class StoryCounts:
    """What the overview counts for a story."""

    conflicts: int
    revisions: int
    omissions: int
    figures: int
    statements: int
    events: int


def story_counts(story: Story) -> StoryCounts:
    """Conflicts and revisions per reported figure: from the figure's series when it has
    one (each point's verdict against the earlier ones), else from its pairwise verdicts
    (conflicts only: pairwise "update"s say nothing about a revision)."""
    comp = story.comparison
    if comp is None:
        return StoryCounts(0, 0, 0, 0, 0, len(story.events))
    conflicts = revisions = 0
    for fig in comp.figures:
        if fig.series:
            conflicts += sum(p.verdict == "conflict" for p in fig.series)
            revisions += sum(p.verdict in REVISION_VERDICTS for p in fig.series)
        else:
            conflicts += sum(v.verdict == "conflict" for v in fig.verdicts)
    return StoryCounts(
        conflicts=conflicts,
        revisions=revisions,
        omissions=len(comp.omissions),
        figures=len(comp.figures),
        statements=len(comp.statements) + len(comp.quotes),
        events=len(story.events),
    )


# --------------------------------------------------------------------------- writing


def _clean(text: str | None) -> str | None:
    # PostgreSQL rejects NUL; lone surrogates can't be stored as UTF-8 on either backend
    if text is None:
        return None
    text = text.replace("\x00", "\ufffd")
    return text if text.isascii() else text.encode("utf-8", "replace").decode("utf-8")


def index_article(conn: sa.Connection, article: Article) -> None:
    """(Re)index an article's title and body; its facts' rows follow its new outlet and date."""
    conn.execute(
        sa.delete(search_docs).where(search_docs.c.article_id == article.id, search_docs.c.kind == "article")
    )
    conn.execute(
        sa.insert(search_docs).values(
            kind="article",
            article_id=article.id,
            fact_id=None,
            outlet=_clean(article.outlet),
            published=_clean(article.published),
            title=_clean(article.title),
            body=_clean(article.text) or "",
        )
    )
    conn.execute(
        sa.update(search_docs)
        .where(search_docs.c.article_id == article.id, search_docs.c.kind != "article")
        .values(outlet=_clean(article.outlet), published=_clean(article.published))
    )
    conn.execute(
        sa.update(article_entities)
        .where(article_entities.c.article_id == article.id)
        .values(outlet=_clean(article.outlet), published=_clean(article.published))
    )


def _sentence(text: str, fact: Quote | NumericClaim) -> str:
    if fact.field == "body" and fact.sentence_end > fact.sentence_start:
        return text[fact.sentence_start : fact.sentence_end]
    return fact.text


def _entity_rows(article: Article, entities: Iterable[Entity]) -> list[dict[str, Any]]:
    rows = []
    for ent in entities:
        key = entity_key(ent.name)
        if not key:
            continue
        forms = Counter(m.text for m in ent.mentions)
        rows.append(
            {
                "article_id": article.id,
                "entity_id": ent.id,
                "key": _clean(key),
                "name": _clean(ent.name),
                "type": ent.type[:16],
                "outlet": _clean(article.outlet),
                "published": _clean(article.published),
                "mentions": len(ent.mentions),
                "forms": json.dumps(dict(forms.most_common()), ensure_ascii=False),
            }
        )
    return rows


def index_facts(conn: sa.Connection, article_facts: ArticleFacts) -> None:
    """(Re)index an article's quotes, figures and entities."""
    aid = article_facts.article_id
    record = conn.execute(sa.select(articles.c.record).where(articles.c.id == aid)).scalar_one_or_none()
    conn.execute(
        sa.delete(search_docs).where(search_docs.c.article_id == aid, search_docs.c.kind != "article")
    )
    conn.execute(sa.delete(article_entities).where(article_entities.c.article_id == aid))
    if record is None:
        return
    article = from_dict(Article, json.loads(record))
    body = article.text
    names = {e.id: e.name for e in article_facts.entities}
    rows: list[dict[str, Any]] = []
    base = {"article_id": aid, "outlet": _clean(article.outlet), "published": _clean(article.published)}
    for q in article_facts.quotes:
        speaker = (names.get(q.speaker.entity_id or "") or q.speaker.name) if q.speaker else None
        rows.append(
            {**base, "kind": "quote", "fact_id": q.id, "title": _clean(speaker), "body": _clean(q.text) or ""}
        )
    for c in article_facts.claims:
        what = " ".join(filter(None, [c.category, c.counted]))
        rows.append(
            {
                **base,
                "kind": "figure",
                "fact_id": c.id,
                "title": _clean(what or None),
                "body": _clean(_sentence(body, c)) or "",
            }
        )
    if rows:
        conn.execute(sa.insert(search_docs), rows)
    ents = _entity_rows(article, article_facts.entities)
    # two entities of one article can share a key ("Ministry" twice): keep both rows, ids differ
    if ents:
        conn.execute(sa.insert(article_entities), ents)


def index_stories(conn: sa.Connection, saved: Sequence[Story]) -> None:
    """Replace every story's summary and facets (stories are saved as a whole)."""
    conn.execute(sa.delete(story_facets))
    conn.execute(sa.delete(story_summaries))
    if not saved:
        return
    wanted = sorted({aid for s in saved for aid in s.article_ids})
    outlet_of: dict[str, str | None] = {}
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        for aid, name in conn.execute(
            sa.select(articles.c.id, articles.c.outlet).where(articles.c.id.in_(chunk))
        ):
            outlet_of[aid] = name
    summaries, facets = [], []
    for position, story in enumerate(saved):
        counts = story_counts(story)
        per_outlet = Counter(
            outlet_of.get(aid) or "(unknown outlet)" for aid in dict.fromkeys(story.article_ids)
        )
        summaries.append(
            {
                "story_id": story.id,
                "position": position,
                "title": _clean(story.title) or "",
                "first_seen": _clean(story.first_seen),
                "last_seen": _clean(story.last_seen),
                "articles": len(dict.fromkeys(story.article_ids)),
                "outlets": len(per_outlet),
                "outlet_counts": json.dumps(
                    sorted(per_outlet.items(), key=lambda kv: (-kv[1], kv[0])), ensure_ascii=False
                ),
                "events": counts.events,
                "figures": counts.figures,
                "conflicts": counts.conflicts,
                "revisions": counts.revisions,
                "omissions": counts.omissions,
                "statements": counts.statements,
            }
        )
        comp = story.comparison
        if comp is None:
            continue
        for v in comp.voices:
            facets.append(
                {
                    "story_id": story.id,
                    "facet": "voice",
                    "outlet": _clean(v.outlet),
                    "name": _clean(v.speaker) or "",
                    "detail": _clean(v.role),
                    "count": v.count,
                }
            )
        for lab in comp.labels:
            facets.append(
                {
                    "story_id": story.id,
                    "facet": "label",
                    "outlet": _clean(lab.outlet),
                    "name": _clean(lab.term) or "",
                    "detail": _clean(lab.actor),
                    "count": lab.count,
                }
            )
    conn.execute(sa.insert(story_summaries), summaries)
    if facets:
        conn.execute(sa.insert(story_facets), facets)


def rebuild(conn: sa.Connection) -> None:
    """Index everything already stored (the migration that adds the indexes runs this)."""
    from parallax.store.database import _FACT_KINDS  # the store's own fact decoding

    conn.execute(sa.delete(search_docs))
    conn.execute(sa.delete(article_entities))
    for (record,) in conn.execute(sa.select(articles.c.record)).all():
        index_article(conn, from_dict(Article, json.loads(record)))
    lists: dict[str, dict[str, Any]] = {}
    for row in conn.execute(
        sa.select(facts.c.article_id, facts.c.kind, facts.c.data).order_by(
            facts.c.article_id, facts.c.kind, facts.c.position
        )
    ):
        attr, cls = _FACT_KINDS[row.kind]
        lists.setdefault(row.article_id, {}).setdefault(attr, []).append(from_dict(cls, json.loads(row.data)))
    for aid, by_kind in lists.items():
        index_facts(conn, ArticleFacts(article_id=aid, **by_kind))
    saved = [
        from_dict(Story, json.loads(r))
        for r in conn.execute(sa.select(stories.c.record).order_by(stories.c.position)).scalars()
    ]
    index_stories(conn, saved)


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True, slots=True)
class SearchHit:
    kind: str  # article | quote | figure
    article_id: str
    fact_id: str | None
    outlet: str | None
    published: str | None
    title: str | None
    snippet: str  # plain text with MARK_OPEN/MARK_CLOSE around matched words


@dataclass(frozen=True, slots=True)
class SearchPage:
    query: str
    hits: list[SearchHit]
    total: int
    counts: dict[str, int]  # hits per kind, for the kind tabs


_TERM = re.compile(r'"[^"]*"|\S+')
_WORD = re.compile(r"\w+", re.UNICODE)


def fts5_query(text: str) -> str:
    """The user's words as an FTS5 query: every word must match (a trailing * matches a
    prefix, "quoted words" a phrase); FTS5 operators typed by the user are taken as words."""
    parts = []
    for term in _TERM.findall(text):
        words = _WORD.findall(term)
        if not words:
            continue
        prefix = term.endswith("*") and not term.startswith('"')
        parts.append('"' + " ".join(words) + '"' + ("*" if prefix else ""))
    return " ".join(parts)


def _fts(expr: str, kinds: Sequence[str] | None = None) -> str:
    """The FTS5 query: the user's words in the text columns (so that "quote" does not match
    the kind column), restricted to some kinds (a token search of the indexed kind column:
    counting a kind's matches never reads the documents)."""
    text = f"{{title body}} : ({expr})"
    if kinds:
        return "(" + " OR ".join(f"kind:{k}" for k in kinds) + f") AND {text}"
    return text


def _match_clause(
    conn: sa.Connection, query: str, kinds: Sequence[str] | None = None
) -> tuple[str, dict[str, Any]] | None:
    """(a SQL condition on search_docs d, its parameters), or None when the query has no words."""
    if conn.dialect.name == "postgresql":
        if not _WORD.search(query):
            return None
        return (
            f"{PG_TSV.replace('title', 'd.title').replace('body', 'd.body')} @@ websearch_to_tsquery('english', :q)",
            {"q": query},
        )
    fts = fts5_query(query)
    if not fts:
        return None
    return f"d.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q)", {"q": _fts(fts, kinds)}


def _filters(
    outlet: str | None, since: str | None, until: str | None, kinds: Sequence[str] | None
) -> tuple[list[str], dict[str, Any]]:
    where, params = [], {}
    if outlet:
        where.append("d.outlet = :outlet")
        params["outlet"] = outlet
    if since:
        where.append("d.published >= :since")
        params["since"] = since
    if until:
        # "until 2010-01-20" includes that whole day ("2010-01-20T18:00" sorts after the bare date)
        where.append("d.published < :until_end AND d.published NOT LIKE '--%'")
        params["until_end"] = until + "\uffff"
    if kinds:
        names = [k for k in kinds if k in SEARCH_KINDS]
        where.append("d.kind IN (" + ", ".join(f"'{k}'" for k in names) + ")")
    return where, params


def search(
    store: Store,
    query: str,
    *,
    kinds: Sequence[str] | None = None,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
    sort: str = "relevance",
    limit: int = 20,
    offset: int = 0,
) -> SearchPage:
    """Articles, quotes and figures matching ``query``, best first (or newest first with
    ``sort="newest"``), one page at a time; ``total`` and ``counts`` count every match."""
    shown = [k for k in (kinds or SEARCH_KINDS) if k in SEARCH_KINDS]
    with store._read() as conn:
        if conn.dialect.name == "postgresql":
            return _search_pg(conn, query, shown, outlet, since, until, sort, limit, offset)
        return _search_sqlite(conn, query, shown, outlet, since, until, sort, limit, offset)


def _search_sqlite(
    conn: sa.Connection, query: str, shown: list[str], outlet: str | None, since: str | None, until: str | None,
    sort: str, limit: int, offset: int,
) -> SearchPage:  # fmt: skip
    expr = fts5_query(query)
    if not expr:
        return SearchPage(query, [], 0, {})
    extra, params = _filters(outlet, since, until, None)
    if extra:
        # filtered: the matches are joined to their rows (outlet and date live there)
        where = " AND ".join([f"d.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q)", *extra])
        counts = {
            str(k): int(n)
            for k, n in conn.execute(
                sa.text(f"SELECT d.kind, count(*) FROM search_docs d WHERE {where} GROUP BY d.kind"),
                {**params, "q": _fts(expr)},
            )
        }
    else:
        # unfiltered: each kind counted inside the index, without reading a document
        counts = {}
        for k in SEARCH_KINDS:
            n = int(
                conn.execute(
                    sa.text(f"SELECT count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q"),
                    {"q": _fts(expr, [k])},
                ).scalar_one()
            )
            if n:
                counts[k] = n
    total = sum(counts.get(k, 0) for k in shown)
    if not total:
        return SearchPage(query, [], 0, counts)
    q = _fts(expr, shown if len(shown) < len(SEARCH_KINDS) else None)
    page = {**params, "q": q, "limit": limit, "offset": offset}
    if sort == "newest":
        # the newest matches: walk search_docs by date, keep what the index matched
        ids = [
            int(r[0])
            for r in conn.execute(
                sa.text(
                    f"SELECT d.id FROM search_docs d WHERE d.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q) "
                    f"{''.join(' AND ' + e for e in extra)} ORDER BY d.published IS NULL, d.published DESC, d.id LIMIT :limit OFFSET :offset"
                ),
                page,
            )
        ]
    elif extra:
        ids = [
            int(r[0])
            for r in conn.execute(
                sa.text(
                    f"SELECT d.id FROM {FTS_TABLE} JOIN search_docs d ON d.id = {FTS_TABLE}.rowid WHERE {FTS_TABLE} MATCH :q "
                    f"{''.join(' AND ' + e for e in extra)} ORDER BY {FTS_TABLE}.rank, d.id LIMIT :limit OFFSET :offset"
                ),
                page,
            )
        ]
    else:
        ids = [
            int(r[0])
            for r in conn.execute(
                sa.text(
                    f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q ORDER BY rank, rowid LIMIT :limit OFFSET :offset"
                ),
                page,
            )
        ]
    if not ids:
        return SearchPage(query, [], total, counts)
    id_list = ", ".join(str(i) for i in ids)
    snippets: dict[int, str] = {
        int(r[0]): r[1]
        for r in conn.execute(
            sa.text(
                f"SELECT rowid, snippet({FTS_TABLE}, {_FTS_BODY}, '{MARK_OPEN}', '{MARK_CLOSE}', '…', {SNIPPET_WORDS}) "
                f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q AND rowid IN ({id_list})"
            ),
            {"q": q},
        )
    }
    rows = {r.id: r for r in conn.execute(sa.text(f"SELECT * FROM search_docs WHERE id IN ({id_list})"))}
    hits = [
        SearchHit(
            rows[i].kind,
            rows[i].article_id,
            rows[i].fact_id,
            rows[i].outlet,
            rows[i].published,
            rows[i].title,
            snippets.get(i) or "",
        )
        for i in ids
        if i in rows
    ]
    return SearchPage(query, hits, total, counts)


def _search_pg(
    conn: sa.Connection, query: str, shown: list[str], outlet: str | None, since: str | None, until: str | None,
    sort: str, limit: int, offset: int,
) -> SearchPage:  # fmt: skip
    match = _match_clause(conn, query)
    if match is None:
        return SearchPage(query, [], 0, {})
    cond, params = match
    extra, fparams = _filters(outlet, since, until, None)
    params.update(fparams)
    where = " AND ".join([cond, *extra])
    counts = {
        str(k): int(n)
        for k, n in conn.execute(
            sa.text(f"SELECT d.kind, count(*) FROM search_docs d WHERE {where} GROUP BY d.kind"), params
        )
    }
    total = sum(counts.get(k, 0) for k in shown)
    if not total:
        return SearchPage(query, [], 0, counts)
    kind_cond = "d.kind IN (" + ", ".join(f"'{k}'" for k in shown) + ")"
    order = (
        "d.published IS NULL, d.published DESC, d.id"
        if sort == "newest"
        else f"ts_rank({PG_TSV.replace('title', 'd.title').replace('body', 'd.body')}, websearch_to_tsquery('english', :q)) DESC, d.id"
    )
    rows = list(
        conn.execute(
            sa.text(
                "SELECT p.*, ts_headline('english', p.body, websearch_to_tsquery('english', :q), "
                f"'StartSel={MARK_OPEN}, StopSel={MARK_CLOSE}, MaxWords={SNIPPET_WORDS}, MinWords={SNIPPET_WORDS // 2}, MaxFragments=1') AS snippet "
                f"FROM (SELECT d.* FROM search_docs d WHERE {where} AND {kind_cond} ORDER BY {order} LIMIT :limit OFFSET :offset) p"
            ),
            {**params, "limit": limit, "offset": offset},
        ).all()
    )
    # the subquery's order survives the outer select on PostgreSQL only by luck: sort again
    key = {r.id: i for i, r in enumerate(rows)}
    rows.sort(key=lambda r: key[r.id])
    hits = [
        SearchHit(r.kind, r.article_id, r.fact_id, r.outlet, r.published, r.title, r.snippet or "")
        for r in rows
    ]
    return SearchPage(query, hits, total, counts)


@dataclass(frozen=True, slots=True)
class StorySummary:
    id: str
    title: str
    first_seen: str | None
    last_seen: str | None
    articles: int
    outlets: int
    outlet_counts: list[tuple[str, int]]
    events: int
    figures: int
    conflicts: int
    revisions: int
    omissions: int
    statements: int


STORY_SORTS: dict[str, str] = {
    "recent": "s.last_seen IS NULL, s.last_seen DESC, s.position",
    "oldest": "s.first_seen IS NULL, s.first_seen, s.position",
    "articles": "s.articles DESC, s.position",
    "outlets": "s.outlets DESC, s.articles DESC, s.position",
    "conflicts": "s.conflicts DESC, s.revisions DESC, s.position",
    "omissions": "s.omissions DESC, s.position",
    "title": "lower(s.title), s.position",
}


def _summary(row: Any) -> StorySummary:
    return StorySummary(
        id=row.story_id,
        title=row.title,
        first_seen=row.first_seen,
        last_seen=row.last_seen,
        articles=row.articles,
        outlets=row.outlets,
        outlet_counts=[(str(o), int(n)) for o, n in json.loads(row.outlet_counts)],
        events=row.events,
        figures=row.figures,
        conflicts=row.conflicts,
        revisions=row.revisions,
        omissions=row.omissions,
        statements=row.statements,
    )


def list_stories(
    store: Store,
    *,
    text: str | None = None,
    outlet: str | None = None,
    entity: str | None = None,
    since: str | None = None,
    until: str | None = None,
    sort: str = "recent",
    limit: int | None = 50,
    offset: int = 0,
) -> tuple[list[StorySummary], int]:
    """One page of story summaries matching every filter given, and how many match in all.

    ``text`` matches the story's title or any of its articles, quotes or figures;
    ``entity`` is an entity key (:func:`entity_key` of a name, applied here); a story is
    in a date range when its coverage overlaps it.
    """
    where: list[str] = []
    params: dict[str, Any] = {}
    with store._read() as conn:
        if since:
            where.append("s.last_seen >= :since")
            params["since"] = since
        if until:
            where.append("s.first_seen < :until_end")
            params["until_end"] = until + "\uffff"
        if outlet:
            where.append(
                "s.story_id IN (SELECT sa.story_id FROM story_articles sa JOIN articles a ON a.id = sa.article_id WHERE a.outlet = :outlet)"
            )
            params["outlet"] = outlet
        if entity:
            where.append(
                "s.story_id IN (SELECT sa.story_id FROM story_articles sa JOIN article_entities e ON e.article_id = sa.article_id WHERE e.key = :entity)"
            )
            params["entity"] = entity_key(entity)
        if text and text.strip():
            match = _match_clause(conn, text, ["article"])
            like = "lower(s.title) LIKE :title_like ESCAPE '\\'"
            params["title_like"] = (
                "%" + text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            )
            if match is None:
                where.append(like)
            else:
                cond, mparams = match
                params.update(mparams)
                where.append(
                    f"({like} OR s.story_id IN (SELECT sa.story_id FROM story_articles sa WHERE sa.article_id IN "
                    f"(SELECT d.article_id FROM search_docs d WHERE {cond})))"
                )
        clause = ("WHERE " + " AND ".join(where)) if where else ""
        total = int(
            conn.execute(sa.text(f"SELECT count(*) FROM story_summaries s {clause}"), params).scalar_one()
        )
        order = STORY_SORTS.get(sort, STORY_SORTS["recent"])
        page = f" LIMIT {int(limit)} OFFSET {int(offset)}" if limit is not None else ""
        rows = conn.execute(
            sa.text(f"SELECT s.* FROM story_summaries s {clause} ORDER BY {order}{page}"), params
        ).all()
    return [_summary(r) for r in rows], total


def story_summary(store: Store, story_id: str) -> StorySummary | None:
    with store._read() as conn:
        row = conn.execute(sa.select(story_summaries).where(story_summaries.c.story_id == story_id)).first()
    return _summary(row) if row is not None else None


def outlets(store: Store) -> list[tuple[str, int]]:
    """Every outlet with its number of articles, most first."""
    with store._read() as conn:
        rows = conn.execute(
            sa.select(articles.c.outlet, sa.func.count())
            .where(articles.c.outlet.is_not(None))
            .group_by(articles.c.outlet)
            .order_by(sa.func.count().desc(), articles.c.outlet)
        ).all()
    return [(str(o), int(n)) for o, n in rows]


def outlet_stats(store: Store, outlet: str) -> dict[str, Any]:
    """Article count and date range of one outlet."""
    with store._read() as conn:
        row = conn.execute(
            sa.select(
                sa.func.count(), sa.func.min(articles.c.published), sa.func.max(articles.c.published)
            ).where(articles.c.outlet == outlet, sa.not_(articles.c.published.like("--%")))
        ).one()
        total = conn.execute(sa.select(sa.func.count()).where(articles.c.outlet == outlet)).scalar_one()
    return {"articles": int(total), "first": row[1], "last": row[2]}


def outlet_facets(store: Store, outlet: str, facet: str, limit: int = 50) -> list[dict[str, Any]]:
    """The outlet's voices (or labels) summed over its stories: name, detail, count, stories."""
    with store._read() as conn:
        rows = conn.execute(
            sa.select(
                story_facets.c.name,
                story_facets.c.detail,
                sa.func.sum(story_facets.c.count).label("total"),
                sa.func.count(sa.distinct(story_facets.c.story_id)).label("stories"),
            )
            .where(story_facets.c.facet == facet, story_facets.c.outlet == outlet)
            .group_by(story_facets.c.name, story_facets.c.detail)
            .order_by(sa.desc("total"), story_facets.c.name)
            .limit(limit)
        ).all()
    return [
        {"name": r.name, "detail": r.detail, "count": int(r.total), "stories": int(r.stories)} for r in rows
    ]


def entity_rows(store: Store, key: str, *, limit: int = 500) -> list[dict[str, Any]]:
    """The articles an entity (by key) appears in, newest first: article id, outlet, date,
    entity id in that article, name, type, mention count and surface forms."""
    with store._read() as conn:
        rows = conn.execute(
            sa.select(article_entities)
            .where(article_entities.c.key == entity_key(key))
            .order_by(
                article_entities.c.published.is_(None),
                article_entities.c.published.desc(),
                article_entities.c.article_id,
            )
            .limit(limit)
        ).all()
    return [
        {
            "article_id": r.article_id,
            "entity_id": r.entity_id,
            "name": r.name,
            "type": r.type,
            "outlet": r.outlet,
            "published": r.published,
            "mentions": r.mentions,
            "forms": json.loads(r.forms),
        }
        for r in rows
    ]


def entity_count(store: Store, key: str) -> int:
    with store._read() as conn:
        return int(
            conn.execute(
                sa.select(sa.func.count(sa.distinct(article_entities.c.article_id))).where(
                    article_entities.c.key == entity_key(key)
                )
            ).scalar_one()
        )


def stories_of_articles(store: Store, article_ids: Sequence[str]) -> dict[str, list[str]]:
    """article id -> ids of the stories that hold it."""
    out: dict[str, list[str]] = {}
    ids = list(dict.fromkeys(article_ids))
    with store._read() as conn:
        for i in range(0, len(ids), 500):
            rows = conn.execute(
                sa.select(story_articles.c.article_id, story_articles.c.story_id).where(
                    story_articles.c.article_id.in_(ids[i : i + 500])
                )
            ).all()
            for aid, sid in rows:
                out.setdefault(aid, []).append(sid)
    return out


def article_heads(store: Store, article_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """id -> {id, outlet, title, published, source, url, duplicate_of, text (its beginning)},
    without decoding the article records (the url is the one its first input came with)."""
    from parallax.store.schema import article_sources

    out: dict[str, dict[str, Any]] = {}
    ids = list(dict.fromkeys(article_ids))
    docs = search_docs.alias("d")
    query = sa.select(
        articles.c.id, articles.c.outlet, articles.c.title, articles.c.published, articles.c.source,
        articles.c.duplicate_of, article_sources.c.url, sa.func.substr(docs.c.body, 1, LEDE_CHARS + 40).label("lede"),
    ).select_from(
        articles.outerjoin(article_sources, article_sources.c.source == articles.c.source)
        .outerjoin(docs, sa.and_(docs.c.article_id == articles.c.id, docs.c.kind == "article"))
    )  # fmt: skip
    with store._read() as conn:
        for i in range(0, len(ids), 500):
            for r in conn.execute(query.where(articles.c.id.in_(ids[i : i + 500]))):
                out[r.id] = {
                    "id": r.id, "outlet": r.outlet, "title": r.title, "published": r.published,
                    "source": r.source, "url": r.url, "duplicate_of": r.duplicate_of, "text": r.lede or "",
                }  # fmt: skip
    return out


def story_data(store: Store, story_id: str) -> dict[str, Any]:
    """The stored story record as plain data (``to_dict(Story)``), by id or unique id prefix,
    without rebuilding the records: what a page reads."""
    with store._read() as conn:
        found = store._resolve(conn, stories, story_id, "story")
        record = conn.execute(sa.select(stories.c.record).where(stories.c.id == found)).scalar_one()
    data: dict[str, Any] = json.loads(record)
    return data


def top_entities(store: Store, *, limit: int = 40) -> list[dict[str, Any]]:
    """The most widely reported actors: key, a name, type, articles, outlets."""
    with store._read() as conn:
        rows = conn.execute(
            sa.select(
                article_entities.c.key,
                sa.func.max(article_entities.c.name).label("name"),
                sa.func.max(article_entities.c.type).label("type"),
                sa.func.count(sa.distinct(article_entities.c.article_id)).label("articles"),
                sa.func.count(sa.distinct(article_entities.c.outlet)).label("outlets"),
            )
            .group_by(article_entities.c.key)
            .order_by(sa.desc("articles"), article_entities.c.key)
            .limit(limit)
        ).all()
    return [
        {"key": r.key, "name": r.name, "type": r.type, "articles": int(r.articles), "outlets": int(r.outlets)}
        for r in rows
    ]


def article_ids_of_stories(store: Store, story_ids: Sequence[str]) -> dict[str, list[str]]:
    """story id -> its article ids, in the story's order."""
    out: dict[str, list[str]] = {sid: [] for sid in story_ids}
    ids = list(dict.fromkeys(story_ids))
    with store._read() as conn:
        for i in range(0, len(ids), 500):
            rows = conn.execute(
                sa.select(story_articles.c.story_id, story_articles.c.article_id)
                .where(story_articles.c.story_id.in_(ids[i : i + 500]))
                .order_by(story_articles.c.story_id, story_articles.c.position)
            ).all()
            for sid, aid in rows:
                out[sid].append(aid)
    return out


def recent_articles(store: Store, *, outlet: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """The newest articles (of one outlet): id, outlet, title, published; no record decoding."""
    query = sa.select(articles.c.id, articles.c.outlet, articles.c.title, articles.c.published)
    if outlet is not None:
        query = query.where(articles.c.outlet == outlet)
    query = query.order_by(articles.c.published.is_(None), articles.c.published.desc(), articles.c.id).limit(
        limit
    )
    with store._read() as conn:
        return [
            {"id": r.id, "outlet": r.outlet, "title": r.title, "published": r.published}
            for r in conn.execute(query)
        ]


def quotes_by(store: Store, key: str, article_ids: Sequence[str]) -> list[dict[str, Any]]:
    """The quotes, in these articles, whose speaker is the actor with this key (from the
    search index: no fact record is decoded)."""
    wanted = entity_key(key)
    out: list[dict[str, Any]] = []
    ids = list(dict.fromkeys(article_ids))
    with store._read() as conn:
        # the names this actor goes by (a quote's speaker is stored under its entity's name)
        names = list(
            conn.execute(
                sa.select(article_entities.c.name).distinct().where(article_entities.c.key == wanted)
            ).scalars()
        )
        if not names:
            return out
        for i in range(0, len(ids), 500):
            rows = conn.execute(
                sa.select(
                    search_docs.c.kind,
                    search_docs.c.article_id,
                    search_docs.c.fact_id,
                    search_docs.c.outlet,
                    search_docs.c.published,
                    search_docs.c.title,
                    search_docs.c.body,
                )
                # kind is checked below, not here: a kind condition would lead the planner
                # down the kind index through every quote of the store
                .where(search_docs.c.title.in_(names), search_docs.c.article_id.in_(ids[i : i + 500]))
            ).all()
            out.extend(
                {
                    "article_id": r.article_id,
                    "fact_id": r.fact_id,
                    "outlet": r.outlet,
                    "published": r.published,
                    "text": r.body,
                }
                for r in rows
                if r.kind == "quote" and r.title and entity_key(r.title) == wanted
            )
    # newest first (sorted here: an ORDER BY would lead SQLite down the date index of every quote)
    out.sort(key=lambda q: q["published"] or "", reverse=True)
    return out
