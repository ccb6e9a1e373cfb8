"""The article cleaner: :class:`RawDocument` -> :class:`Article`.

Text dumps go through the line cleaner (:mod:`parallax.clean.text`); HTML pages
through trafilatura first (:mod:`parallax.clean.html`), then the same line
cleaner over its output; their metadata comes from the markup
(:mod:`parallax.clean.meta`). Metadata is merged field by field with the priority
``user-metadata > feed/warc/jsonl/html-metadata > text > url``;
``Article.provenance`` names the source of every field that has a value. A date
the text gives without a year is never completed here: ``published`` stays None
and the dateline keeps ``--MM-DD`` (the story stage may complete it, marked
``story-context``).

``raw_text``: for text input, ``doc.text`` itself; for HTML, trafilatura's
extracted text (or, when trafilatura finds nothing, the page's visible text).
Paragraph, caption and removed-line offsets point into it.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from urllib.parse import urlsplit

from parallax.clean import html as html_mod
from parallax.clean.dates import normalize_iso
from parallax.clean.lexicon import lexicon
from parallax.clean.meta import read_metadata
from parallax.clean.plugins import outlet_plugin, register_outlet, registered_outlets, unregister_outlet
from parallax.clean.text import Hints, TextFindings, clean_lines, norm
from parallax.errors import CleaningError, NoArticleError, ParallaxError
from parallax.records import (
    Article,
    Caption,
    FieldSource,
    InputFormat,
    MetaValue,
    Paragraph,
    RawDocument,
    RemovedLine,
)

__all__ = [
    "article_id",
    "clean_document",
    "clean_text",
    "complete_year",
    "detect_language",
    "register_outlet",
    "registered_outlets",
    "unregister_outlet",
    "with_published",
]

#: lower ranks win; sources of equal rank keep their order (document metadata first)
SOURCE_RANK: dict[str, int] = {
    "user-metadata": 0,
    "feed": 1,
    "warc": 1,
    "jsonl": 1,
    "html-metadata": 1,
    "text": 2,
    "url": 3,
    "story-context": 4,
}

_FIELDS = ("outlet", "title", "standfirst", "byline", "section", "published", "updated", "language", "url")
#: metadata keys other components may use for our fields
_ALIASES = {
    "author": "byline",
    "authors": "byline",
    "date": "published",
    "site": "outlet",
    "sitename": "outlet",
    "date_publish": "published",
    "date_modified": "updated",
    "modified": "updated",
    "lang": "language",
    "headline": "title",
    "description": "standfirst",
    "subtitle": "standfirst",
}
_DATE_FIELDS = ("published", "updated")
_FORMAT_SOURCE: dict[InputFormat, FieldSource] = {
    "text": "url",
    "html": "html-metadata",
    "warc": "warc",
    "feed": "feed",
    "jsonl": "jsonl",
    "json": "jsonl",
}


def article_id(raw: bytes) -> str:
    """The article id: the first 16 hex digits of the SHA-256 of the raw bytes."""
    return hashlib.sha256(raw).hexdigest()[:16]


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of ``text`` (py3langid), None for text too short to tell."""
    if len(text.strip()) < 20:
        return None
    import py3langid

    # the first 600 characters (a lead paragraph or two) tell the language as well as the whole
    # text; the classifier's cost grows with the length it reads
    lang, _ = py3langid.classify(text[:600])
    return str(lang)


#: formats whose text comes from a record's text field, already the article (not a page dump)
_CLEAN_TEXT_FORMATS = frozenset({"json", "jsonl"})


def clean_text(text: str, source: str = "<text>", metadata: dict[str, MetaValue] | None = None) -> Article:
    """Clean a plain-text dump (a convenience wrapper over :func:`clean_document`)."""
    raw = text.encode("utf-8")
    return clean_document(
        RawDocument(source=source, format="text", raw=raw, text=text, metadata=metadata or {})
    )


def clean_document(doc: RawDocument) -> Article:
    """Turn one raw document into an article record.

    Raises:
        NoArticleError: nothing in the document reads like an article.
        CleaningError: the document could not be processed (too large, too deeply nested, extractor failure).
    """
    try:
        return _clean(doc)
    except ParallaxError:
        raise
    except (RecursionError, MemoryError) as exc:
        raise CleaningError(f"{type(exc).__name__} while cleaning", source=doc.source, code="unsafe") from exc
    except Exception as exc:  # a bug here must not pass for a missing article
        raise CleaningError(f"{type(exc).__name__}: {exc}", source=doc.source) from exc


def _clean(doc: RawDocument) -> Article:
    candidates: dict[str, list[tuple[str, FieldSource]]] = {f: [] for f in _FIELDS}
    for key, meta in doc.metadata.items():
        name = _ALIASES.get(key.lower(), key.lower())
        if name in candidates and meta.value and meta.value.strip():
            candidates[name].append((meta.value.strip(), meta.source))
    url = doc.url or _first(candidates["url"])
    if doc.url:
        candidates["url"].append((doc.url, _FORMAT_SOURCE.get(doc.format, "url")))

    hints = Hints(
        title=_first(candidates["title"]),
        outlet=_first(candidates["outlet"]),
        byline=_first(candidates["byline"]),
    )
    if doc.html and not doc.html.isspace():
        raw_text, findings = _clean_html(doc, url, hints, candidates)
    else:
        raw_text = _decoded_text(doc)
        findings = clean_lines(raw_text, mode="page", hints=hints)
        if not findings.paragraphs and doc.format in _CLEAN_TEXT_FORMATS:
            # a record's text field is text the user hands over as clean: data, not a page to strip
            findings = clean_lines(raw_text, mode="extracted", hints=hints)
    if not findings.paragraphs:
        lines = len(findings.removed)
        raise NoArticleError(
            f"no article text found ({lines} line(s), all page chrome or too short)", source=doc.source
        )

    _add_text_candidates(findings, candidates)
    if url:
        outlet = _outlet_from_url(url)
        if outlet:
            candidates["outlet"].append((outlet, "url"))
    if not candidates["language"]:
        # the page or the feed said which language: reading the text again would only agree
        lang = detect_language("\n\n".join(p.text for p in findings.paragraphs))
        if lang:
            candidates["language"].append((lang, "text"))

    values: dict[str, str | None] = {}
    provenance: dict[str, FieldSource] = {}
    for name in _FIELDS:
        chosen = _choose(name, candidates[name])
        values[name] = chosen[0] if chosen else None
        if chosen:
            provenance[name] = chosen[1]
    if findings.dateline is not None:
        provenance["dateline"] = "text"
    digest = hashlib.sha256(doc.raw).hexdigest()
    article = Article(
        id=digest[:16],
        source=doc.source,
        outlet=values["outlet"],
        title=values["title"],
        standfirst=values["standfirst"],
        byline=values["byline"],
        section=values["section"],
        dateline=findings.dateline,
        published=values["published"],
        updated=values["updated"],
        language=values["language"],
        url=values["url"],
        provenance=provenance,
        paragraphs=findings.paragraphs,
        captions=findings.captions,
        removed=findings.removed,
        raw_text=raw_text,
        content_hash=digest,
        input_format=doc.format,
    )
    plugin = outlet_plugin(article.outlet)
    return plugin(article) if plugin else article


def _first(values: list[tuple[str, FieldSource]]) -> str | None:
    ranked = sorted(values, key=lambda v: SOURCE_RANK.get(v[1], 9))
    return ranked[0][0] if ranked else None


def _choose(name: str, values: list[tuple[str, FieldSource]]) -> tuple[str, FieldSource] | None:
    for value, source in sorted(values, key=lambda v: SOURCE_RANK.get(v[1], 9)):
        if name in _DATE_FIELDS:
            iso = normalize_iso(value)
            # a year-less date is a dateline fact, not a publication date: never completed here
            if iso is None or iso.startswith("--"):
                continue
            return iso, source
        return value, source
    return None


def _decoded_text(doc: RawDocument) -> str:
    if doc.text is not None:
        return doc.text
    try:
        return doc.raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CleaningError(
            "document has no decoded text and its bytes are not UTF-8", source=doc.source
        ) from exc


def _clean_html(
    doc: RawDocument, url: str | None, hints: Hints, candidates: dict[str, list[tuple[str, FieldSource]]]
) -> tuple[str, TextFindings]:
    assert doc.html is not None
    tree = html_mod.parse_html(doc.html, doc.source)
    metadata = read_metadata(tree)
    captions = html_mod.figure_captions(tree)
    for name, value in metadata.items():
        if name in candidates:
            candidates[name].append((value, "html-metadata"))
    hints = Hints(
        title=hints.title or metadata.get("title"),
        outlet=hints.outlet or metadata.get("outlet"),
        byline=hints.byline or metadata.get("byline"),
    )
    text = html_mod.extract(tree, url, doc.source)
    if not text:
        # the precision-first pass found nothing (a page of short blocks, odd markup): the
        # extractor's default balance often still finds the article
        tree = html_mod.parse_html(doc.html, doc.source)
        text = html_mod.extract(tree, url, doc.source, favor_precision=False)
    if text:
        findings = clean_lines(text, mode="extracted", hints=hints)
        if findings.paragraphs:
            _add_figure_captions(findings, captions)
            return text, findings
    # the extractor found nothing usable: clean the page's visible text as a dump
    raw_text = html_mod.visible_text(html_mod.parse_html(doc.html, doc.source))
    return raw_text, clean_lines(raw_text, mode="page", hints=hints)


def _add_figure_captions(findings: TextFindings, captions: list[tuple[str, str | None]]) -> None:
    """Page captions become Caption records; a caption the extractor left in the body leaves it."""
    if not captions:
        return
    known = {norm(c.text) for c in findings.captions}
    prefix = lexicon().caption_prefix
    by_key: dict[str, Paragraph] = {}
    for p in findings.paragraphs:
        by_key.setdefault(norm(p.text), p)
    for raw_caption, credit in captions:
        text = prefix.sub("", raw_caption)
        key = norm(text)
        if not key or key in known:
            continue
        known.add(key)
        inside = by_key.pop(key, None)
        if inside is not None and inside in findings.paragraphs:
            findings.paragraphs.remove(inside)
            findings.removed.append(RemovedLine(inside.text, "caption", inside.raw_start, inside.raw_end))
            findings.captions.append(Caption(inside.text, credit, inside.raw_start, inside.raw_end))
        else:
            findings.captions.append(Caption(text, credit))
    findings.removed.sort(key=lambda r: r.raw_start if r.raw_start is not None else -1)


def _add_text_candidates(f: TextFindings, candidates: dict[str, list[tuple[str, FieldSource]]]) -> None:
    found = {
        "title": f.title,
        "standfirst": f.standfirst,
        "byline": f.byline,
        "section": f.section,
        "published": f.published,
        "updated": f.updated,
        "outlet": f.outlet or f.agency,
    }
    for name, value in found.items():
        if value:
            candidates[name].append((value, "text"))


def _outlet_from_url(url: str) -> str | None:
    host = (urlsplit(url).hostname or "").lower()
    if not host:
        return None
    domains = lexicon().domains
    parts = host.split(".")
    for i in range(len(parts) - 1):
        name = domains.get(".".join(parts[i:]))
        if name:
            return name
    return host[4:] if host.startswith("www.") else host


def with_published(article: Article, published: str, source: FieldSource) -> Article:
    """A copy of ``article`` with ``published`` set from ``source`` (e.g. the story context)."""
    return replace(article, published=published, provenance={**article.provenance, "published": source})


def complete_year(article: Article, year: int, source: FieldSource = "story-context") -> Article:
    """Give a year-less article its publication date: the dateline's ``--MM-DD`` in ``year``.

    For the story stage (the year of the story the article joined) or ingest metadata. The
    article is returned unchanged when it already has ``published`` or its dateline has no
    year-less date; the dateline itself keeps what the text says.
    """
    date = article.dateline.date if article.dateline else None
    if article.published is not None or not date or not date.startswith("--"):
        return article
    return with_published(article, f"{year:04d}{date[1:]}", source)
