"""The export contract: which keys each exported article, fact and story has.

``start``/``end`` of a fact are offsets into the text of its ``field``: for
``"body"`` that is the article's ``text`` (paragraphs joined by a blank line);
headline (``"title"``), standfirst and caption facts point into those fields.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from parallax.records import Article, ArticleFacts, Story, to_dict

if TYPE_CHECKING:
    from parallax.store import Store

EXPORT_VERSION = 1

ARTICLE_KEYS: tuple[str, ...] = (
    "id",
    "source",
    "sources",
    "url",
    "outlet",
    "title",
    "standfirst",
    "byline",
    "section",
    "dateline",
    "published",
    "updated",
    "language",
    "provenance",
    "text",
    "paragraphs",
    "paragraph_offsets",
    "captions",
    "removed",
    "duplicate_of",
    "content_hash",
    "input_format",
    "extraction",
    "entities",
    "quotes",
    "times",
    "claims",
    "events",
)

#: the keys every exported fact of each kind carries (more may follow)
FACT_KEYS: dict[str, tuple[str, ...]] = {
    "entities": ("id", "name", "type", "aliases", "mentions"),
    "quotes": (
        "id", "text", "kind", "speaker", "cue", "nested_speaker", "start", "end", "field",
        "sentence", "confidence", "extractor",
    ),
    "times": ("id", "text", "value", "type", "start", "end", "field", "confidence", "extractor"),
    "claims": (
        "id", "text", "value", "low", "high", "qualifier", "vague", "unit", "counted", "category", "actor",
        "attributed_to", "as_of", "scare_quoted", "change", "start", "end", "field", "sentence", "confidence", "extractor",
        "role", "previous", "revised",
    ),
    "events": (
        "id", "type", "text", "date", "places", "actors", "from_caption", "start", "end", "field",
        "confidence", "extractor",
    ),
}  # fmt: skip

STORY_KEYS: tuple[str, ...] = (
    "id",
    "title",
    "article_ids",
    "first_seen",
    "last_seen",
    "outlets",
    "duplicates",
    "entities",
    "comparison",
    "events",
)

COMPARISON_KEYS: tuple[str, ...] = (
    "figures",
    "statements",
    "quotes",
    "omissions",
    "voices",
    "labels",
    "distinctive_terms",
    "timeline",
)

#: flat tables for CSV and Parquet
TABLES: tuple[str, ...] = ("articles", "entities", "quotes", "times", "claims", "events", "stories", "figures")


def _fact(kind: str, fact: Any) -> dict[str, Any]:
    d = to_dict(fact)
    if kind != "entities":
        if "sentence_start" in d:
            d["sentence"] = {"start": d.pop("sentence_start"), "end": d.pop("sentence_end")}
        d.setdefault("field", "body")
    return d


def article_to_export(article: Article, facts: ArticleFacts | None, sources: list[str] | None = None) -> dict[str, Any]:
    """One article in the export shape (see :data:`ARTICLE_KEYS`)."""
    out: dict[str, Any] = {
        "id": article.id,
        "source": article.source,
        "sources": sources or [article.source],
        "url": article.url,
        "outlet": article.outlet,
        "title": article.title,
        "standfirst": article.standfirst,
        "byline": article.byline,
        "section": article.section,
        "dateline": to_dict(article.dateline),
        "published": article.published,
        "updated": article.updated,
        "language": article.language,
        "provenance": dict(article.provenance),
        "text": article.text,
        "paragraphs": [p.text for p in article.paragraphs],
        "paragraph_offsets": [[p.raw_start, p.raw_end] for p in article.paragraphs],
        "captions": [{"text": c.text, "credit": c.credit} for c in article.captions],
        "removed": [{"text": r.text, "reason": r.reason} for r in article.removed],
        "duplicate_of": article.duplicate_of,
        "content_hash": article.content_hash,
        "input_format": article.input_format,
        "extraction": None,
    }
    for kind in FACT_KEYS:
        out[kind] = [_fact(kind, f) for f in getattr(facts, kind)] if facts else []
    if facts is not None:
        out["extraction"] = {
            "language": facts.language,
            "supported": facts.supported,
            "extractors": dict(facts.extractors),
        }
    return out


def story_to_export(story: Story) -> dict[str, Any]:
    comparison = to_dict(story.comparison) if story.comparison else {k: [] for k in COMPARISON_KEYS}
    entities = comparison.pop("entities", []) if isinstance(comparison, dict) else []
    return {
        "id": story.id,
        "title": story.title,
        "article_ids": list(story.article_ids),
        "first_seen": story.first_seen,
        "last_seen": story.last_seen,
        "outlets": list(story.outlets),
        "duplicates": dict(story.duplicates),
        "entities": entities,
        "comparison": comparison,
        "events": [to_dict(e) for e in story.events],
    }


def iter_articles(store: Store) -> Iterator[dict[str, Any]]:
    for article in store.articles():
        yield article_to_export(article, store.get_facts(article.id), store.sources(article.id))


def build_export(store: Store) -> dict[str, Any]:
    """The whole JSON export: ``{"version", "articles": [...], "stories": [...]}``."""
    return {
        "version": EXPORT_VERSION,
        "articles": list(iter_articles(store)),
        "stories": [story_to_export(s) for s in store.stories()],
    }


def _scalar(value: Any) -> Any:
    import json

    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def table_rows(store: Store, table: str) -> Iterator[dict[str, Any]]:
    """Flat rows of one table: scalars as they are, nested values as JSON strings."""
    if table == "articles":
        for art in iter_articles(store):
            row = {k: v for k, v in art.items() if k not in FACT_KEYS}
            dateline = row.pop("dateline") or {}
            row["dateline_places"] = "; ".join(dateline.get("places") or [])
            row["dateline_date"] = dateline.get("date")
            row["paragraph_count"] = len(row["paragraphs"])
            row["paragraphs"] = "\n\n".join(row["paragraphs"])
            for kind in FACT_KEYS:
                row[f"{kind}_count"] = len(art[kind])
            yield {k: _scalar(v) for k, v in row.items()}
    elif table in FACT_KEYS:
        for art in iter_articles(store):
            for fact in art[table]:
                row = {"article_id": art["id"], "outlet": art["outlet"], **fact}
                for ref in ("speaker", "nested_speaker", "attributed_to"):
                    if ref in row:
                        val = row.pop(ref)
                        row[f"{ref}_name"] = val["name"] if val else None
                        row[f"{ref}_entity_id"] = val["entity_id"] if val else None
                if table == "events":
                    date = row.pop("date") or {}
                    row["date_start"], row["date_end"], row["date_text"] = date.get("start"), date.get("end"), date.get("text")
                yield {k: _scalar(v) for k, v in row.items()}
    elif table == "stories":
        for story in store.stories():
            d = story_to_export(story)
            d.pop("comparison")
            d.pop("entities")
            d["article_count"] = len(d["article_ids"])
            yield {k: _scalar(v) for k, v in d.items()}
    elif table == "figures":
        for story in store.stories():
            if not story.comparison:
                continue
            for fig in story.comparison.figures:
                for val in fig.values:
                    yield {"story_id": story.id, "measure": fig.measure, **{k: _scalar(v) for k, v in to_dict(val).items()}}
    else:
        from parallax.errors import ConfigError

        raise ConfigError(f"unknown table '{table}'. Available: {', '.join(TABLES)}")
