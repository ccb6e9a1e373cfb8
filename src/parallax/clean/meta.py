"""The page's own metadata from its markup: ``<meta>`` tags, JSON-LD, ``<h1>``, ``<time>``, ``<html lang>``.

Read before the extractor runs (it may rewrite the tree) and in one pass over the head and a
few XPath queries: trafilatura's metadata pass (htmldate scanning the whole page for dates)
cost more than its text extraction. Values are as the page gives them; dates go through
:func:`parallax.clean.dates.normalize_iso` later, so an offset the page gives is kept and none
is invented.

The title: ``og:title``/``twitter:title``/JSON-LD ``headline`` often carry the site's name
(``"Headline | Site"``); the ``<h1>`` is the headline a reader sees. When the ``<h1>`` is the
leading part of the meta title, or the meta title ends in a separator and the site's name, the
bare headline is returned.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import lxml.html

_PUBLISHED = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "publishdate",
    "pubdate",
    "publish_date",
    "publication_date",
    "article.published",
    "dc.date.issued",
    "dcterms.created",
    "dc.date",
    "date",
    "sailthru.date",
    "parsely-pub-date",
    "cxenseparse:recs:publishtime",
    "og:pubdate",
)
_UPDATED = ("article:modified_time", "og:updated_time", "datemodified", "last-modified", "dcterms.modified")
_AUTHOR = ("author", "article:author", "byl", "dc.creator", "parsely-author", "sailthru.author")
_TITLE = ("og:title", "twitter:title", "headline", "dc.title")
_SITE = ("og:site_name", "application-name", "publisher")
_SECTION = ("article:section", "section", "parsely-section")
_TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|·|•|»)\s+")
#: an article's JSON-LD types; a page's WebSite/Organization blocks carry no article dates
_ARTICLE_TYPES = re.compile(r"article|posting|report|news|blog", re.IGNORECASE)


def _clean(text: str | None) -> str | None:
    if not text:
        return None
    value = " ".join(str(text).split())
    return value or None


def _meta_tags(tree: lxml.html.HtmlElement) -> dict[str, str]:
    """``name``/``property``/``itemprop`` (lower-cased) -> first non-empty ``content``."""
    found: dict[str, str] = {}
    for node in tree.iter("meta"):
        key = node.get("property") or node.get("name") or node.get("itemprop") or node.get("http-equiv")
        value = _clean(node.get("content"))
        if key and value:
            found.setdefault(key.strip().lower(), value)
    return found


def _json_ld(tree: lxml.html.HtmlElement) -> Iterator[dict[str, Any]]:
    for node in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(node.text or "")
        except (ValueError, RecursionError):
            continue
        stack: list[Any] = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                if "@graph" in item:
                    stack.append(item["@graph"])
                yield item


def _ld_name(value: Any) -> str | None:
    if isinstance(value, str):
        return _clean(value)
    if isinstance(value, dict):
        return _clean(value.get("name")) if isinstance(value.get("name"), str) else None
    if isinstance(value, list):
        names = [n for n in (_ld_name(v) for v in value) if n]
        return ", ".join(dict.fromkeys(names)) or None
    return None


def _first(meta: dict[str, str], keys: tuple[str, ...]) -> str | None:
    return next((meta[k] for k in keys if meta.get(k)), None)


def _is_url(value: str) -> bool:
    return value.startswith(("http://", "https://", "/"))


def headline(meta_title: str | None, h1: str | None, site: str | None) -> str | None:
    """The bare headline: the meta title without the site's name, or the ``<h1>`` it starts with."""
    if not meta_title:
        return h1
    if h1:
        key_h1 = " ".join(re.findall(r"\w+", h1.lower()))
        key_meta = " ".join(re.findall(r"\w+", meta_title.lower()))
        if key_h1 and key_h1 == key_meta:
            return h1
        parts = _TITLE_SEPARATORS.split(meta_title)
        if len(parts) > 1 and key_h1 == " ".join(re.findall(r"\w+", parts[0].lower())):
            return h1
    parts = _TITLE_SEPARATORS.split(meta_title)
    if len(parts) > 1 and site:
        site_key = " ".join(re.findall(r"\w+", site.lower()))
        last = " ".join(re.findall(r"\w+", parts[-1].lower()))
        if site_key and (last == site_key or last in site_key or site_key in last):
            return re.split(r"\s+(?:\||-|–|—|::|·|•|»)\s+[^|–—:·•»-]*$", meta_title)[0].strip() or meta_title
    return meta_title


def read_metadata(tree: lxml.html.HtmlElement) -> dict[str, str]:
    """Our field name -> value, for the fields the page's markup gives."""
    meta = _meta_tags(tree)
    out: dict[str, str] = {}
    ld_title = ld_published = ld_updated = ld_author = ld_site = ld_section = None
    for item in _json_ld(tree):
        kind = item.get("@type")
        kinds = " ".join(kind) if isinstance(kind, list) else str(kind or "")
        if not _ARTICLE_TYPES.search(kinds):
            continue
        ld_title = ld_title or _clean(item.get("headline") if isinstance(item.get("headline"), str) else None)
        ld_published = ld_published or _clean(
            item.get("datePublished") if isinstance(item.get("datePublished"), str) else None
        )
        ld_updated = ld_updated or _clean(
            item.get("dateModified") if isinstance(item.get("dateModified"), str) else None
        )
        ld_author = ld_author or _ld_name(item.get("author"))
        ld_site = ld_site or _ld_name(item.get("publisher"))
        ld_section = ld_section or _ld_name(item.get("articleSection"))

    h1_nodes = tree.xpath("//h1")
    h1 = _clean(h1_nodes[0].text_content()) if h1_nodes else None
    site = _first(meta, _SITE) or ld_site
    meta_title = _first(meta, _TITLE) or ld_title
    if not meta_title and not h1:
        title_nodes = tree.xpath("//title")
        meta_title = _clean(title_nodes[0].text_content()) if title_nodes else None
    title = headline(meta_title, h1, site)
    if title:
        out["title"] = title
    if site and not _is_url(site):
        out["outlet"] = site

    published = _first(meta, _PUBLISHED) or ld_published
    if not published:
        for node in tree.xpath('//*[@itemprop="datePublished"]|//time[@pubdate]|//article//time[@datetime]'):
            published = _clean(node.get("datetime") or node.get("content"))
            if published:
                break
    if published:
        out["published"] = published
    updated = _first(meta, _UPDATED) or ld_updated
    if updated:
        out["updated"] = updated

    author = ld_author or next((v for k in _AUTHOR if (v := meta.get(k)) and not _is_url(v)), None)
    if author:
        out["byline"] = author
    section = _first(meta, _SECTION) or ld_section
    if section:
        out["section"] = section
    lang = tree.get("lang") or tree.get("xml:lang") or meta.get("content-language") or meta.get("og:locale")
    if lang:
        code = re.split(r"[-_]", lang.strip())[0].lower()
        if re.fullmatch(r"[a-z]{2,3}", code):
            out["language"] = code
    canonical = tree.xpath('//link[@rel="canonical"]/@href')
    url = _clean(str(canonical[0])) if canonical else meta.get("og:url")
    if url and url.startswith(("http://", "https://")):
        out["url"] = url
    return out
