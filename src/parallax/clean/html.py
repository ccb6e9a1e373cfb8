"""HTML pages: trafilatura finds the content, the line cleaner tidies it.

For an HTML page ``Article.raw_text`` is trafilatura's extracted text (one block
per line); paragraph offsets point into it. When trafilatura finds nothing, the
page's visible text (:func:`visible_text`) is cleaned as a text dump instead and
becomes ``raw_text``.
"""

from __future__ import annotations

import re
from typing import Any

import lxml.etree
import lxml.html

from parallax.errors import CleaningError, NoArticleError

#: beyond this nesting depth a page is rejected before any recursive code sees it
MAX_DEPTH = 400
#: pages larger than this (characters) are rejected
MAX_CHARS = 20_000_000

#: trafilatura settings. Body F1 of the whole HTML path (trafilatura + line cleaner) on the 91
#: article-extraction dev pages (parallax.eval.cleaning): favor_precision 0.978, favor_recall 0.970,
#: default 0.969. The line cleaner recovers little of what a precision-first extraction drops, but
#: cannot remove everything a recall-first one lets through, so precision wins there. On the four
#: extraction-more sets the default balance does better (fold A 0.902 against 0.891), but not on
#: their fold B, and running both passes costs the speed target (bench/bench_clean.py). ``fast``
#: (no fallback extractors) lost 0.02 on the four sets.
TRAFILATURA_OPTIONS: dict[str, Any] = {
    "favor_precision": True,
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "deduplicate": False,
}

_CREDIT_LABEL = re.compile(r"^(?:credits?|photo|photograph|image|picture)\s*:\s*", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\ufeff?\s*<\?xml[^>]*\?>", re.IGNORECASE)

_SKIP = {
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "head",
    "title",
    "meta",
    "link",
    "iframe",
    "object",
    "canvas",
}
_BLOCK = {
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "br",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "html",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
    "caption",
    "button",
    "option",
    "select",
    "textarea",
    "label",
    "picture",
    "video",
    "audio",
}


def parse_html(html: str, source: str) -> lxml.html.HtmlElement:
    """Parse ``html`` with lxml, refusing huge or pathologically nested pages."""
    if len(html) > MAX_CHARS:
        raise CleaningError(
            f"HTML page of {len(html):,} characters is larger than {MAX_CHARS:,}",
            source=source,
            code="too-large",
        )
    if not html.strip():
        raise NoArticleError("empty HTML page", source=source)
    # the options of trafilatura's own loader, so that it can take this tree as it is: with
    # comments left in, text after a comment inside a paragraph was lost
    parser = lxml.html.HTMLParser(
        remove_comments=True, remove_pis=True, collect_ids=False, default_doctype=False
    )
    # lxml refuses a str that declares its encoding ("<?xml ... encoding=...?>", XHTML pages):
    # the text is decoded already, so the declaration says nothing any more
    html = _XML_DECLARATION.sub("", html, count=1)
    try:
        tree = lxml.html.document_fromstring(html, parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise NoArticleError(f"HTML that lxml cannot parse: {exc}", source=source) from exc
    # libxml2 stops descending at its own depth limit and drops what lies deeper
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
        raise CleaningError(
            "HTML nested deeper than the parser's limit (256 levels)", source=source, code="unsafe"
        )
    # an element MAX_DEPTH + 1 levels down: one XPath step per level, walked in C (a Python walk
    # over every element cost as much as a tenth of the whole cleaning)
    if tree.xpath("boolean(" + "/*" * (MAX_DEPTH + 1) + ")"):
        raise CleaningError(f"HTML nested more than {MAX_DEPTH} levels deep", source=source, code="unsafe")
    return tree


def visible_text(tree: lxml.html.HtmlElement) -> str:
    """The text a browser's "select all, copy" gives: block elements become lines, scripts dropped."""
    parts: list[str] = []
    stack: list[tuple[lxml.etree._Element, bool]] = [(tree, False)]
    while stack:
        node, closing = stack.pop()
        tag = node.tag if isinstance(node.tag, str) else ""
        tag = tag.lower()
        if closing:
            if tag in _BLOCK:
                parts.append("\n")
            if node.tail:
                parts.append(node.tail)
            continue
        if not isinstance(node.tag, str):  # comments, processing instructions
            if node.tail:
                parts.append(node.tail)
            continue
        if (
            tag in _SKIP
            or node.get("hidden") is not None
            or "display:none" in (node.get("style") or "").replace(" ", "")
        ):
            if node.tail:
                parts.append(node.tail)
            continue
        if tag in _BLOCK:
            parts.append("\n")
        if node.text:
            parts.append(node.text)
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node))
    text = "".join(parts).replace("\xa0", " ")
    lines = [re.sub(r"[ \t\r\f\v]+", " ", ln).strip() for ln in text.split("\n")]
    out: list[str] = []
    for ln in lines:
        if ln:
            out.append(ln)
    return "\n".join(out)


def figure_captions(tree: lxml.html.HtmlElement, limit: int = 30) -> list[tuple[str, str | None]]:
    """(caption, credit) of the page's ``<figcaption>`` elements; trafilatura leaves captions out."""
    out: list[tuple[str, str | None]] = []
    seen: set[str] = set()
    for node in tree.iter("figcaption"):
        credit_nodes = node.xpath('.//*[contains(@class, "credit") or contains(@class, "copyright")]')
        label_and_credit = " ".join(" ".join(c.text_content().split()) for c in credit_nodes).strip()
        # "Credit: EPA": the label is the page's, the credit is "EPA"
        credit = _CREDIT_LABEL.sub("", label_and_credit) or None
        for c in credit_nodes:
            c.drop_tree()  # the credit is kept apart from the caption text
        text = " ".join(node.text_content().split())
        if len(text.split()) < 4 or text in seen:
            continue
        seen.add(text)
        out.append((text, credit))
        if len(out) >= limit:
            break
    return out


def extract(
    tree: lxml.html.HtmlElement, url: str | None, source: str, *, favor_precision: bool = True
) -> str:
    """Trafilatura's main text of a page parsed by :func:`parse_html` ("" when it finds none).

    :func:`parse_html` rejects the pages trafilatura's recursive code would choke on and parses
    as trafilatura's own loader does, so the page is parsed once. The extractor may change the
    tree: read captions and metadata first. No metadata pass: :mod:`parallax.clean.meta` reads
    the markup for a fraction of the time.
    """
    import trafilatura

    options = {**TRAFILATURA_OPTIONS, "favor_precision": favor_precision}
    try:
        result = trafilatura.bare_extraction(tree, url=url, with_metadata=False, **options)
    except RecursionError as exc:
        raise CleaningError("HTML too deeply nested for the extractor", source=source, code="unsafe") from exc
    except (ValueError, TypeError, AttributeError, lxml.etree.LxmlError) as exc:
        raise CleaningError(f"trafilatura failed: {type(exc).__name__}: {exc}", source=source) from exc
    if result is None or isinstance(result, dict):
        return ""
    return (result.text or "").strip()
