"""Shared helpers for the reports: resolve a fact reference to its span and article."""

from __future__ import annotations

from typing import Any

FACT_KINDS = ("quotes", "claims", "events", "times", "entities")


def fact_index(articles: dict[str, dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    """(article_id, fact_id) -> the exported fact."""
    index: dict[tuple[str, str], dict[str, Any]] = {}
    for aid, art in articles.items():
        for kind in FACT_KINDS:
            for fact in art.get(kind) or []:
                index[(aid, fact["id"])] = {**fact, "_kind": kind}
    return index


def field_text(article: dict[str, Any], field: str, index: int = 0) -> str:
    if field == "body":
        return article.get("text") or ""
    if field == "caption":
        caps = article.get("captions") or []
        return caps[index]["text"] if index < len(caps) else ""
    return article.get(field) or ""


def span_text(article: dict[str, Any], fact: dict[str, Any]) -> str:
    if "start" not in fact:
        return fact.get("text", "")
    text = field_text(article, fact.get("field", "body"), fact.get("field_index", 0))
    return text[fact["start"] : fact["end"]]


def outlet_of(articles: dict[str, dict[str, Any]], article_id: str) -> str:
    art = articles.get(article_id) or {}
    return art.get("outlet") or art.get("source") or article_id


def short_date(value: str | None) -> str:
    return value[:10] if value else "?"


def fmt_number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.2f}"


def figure_cell(value: dict[str, Any]) -> str:
    """'more than 3,000 (as of 2022-01-07, Interior ministry)'."""
    if value.get("vague"):
        num = value.get("text") or "unquantified"
    elif value.get("value") is not None or value.get("qualifier"):
        point = next((value[k] for k in ("value", "low", "high") if value.get(k) is not None), None)
        num = " ".join(filter(None, [value.get("qualifier"), fmt_number(point)])) or (
            value.get("text") or "?"
        )
    elif value.get("low") is not None or value.get("high") is not None:
        num = f"{fmt_number(value.get('low')) or '?'}-{fmt_number(value.get('high')) or '?'}"
    else:
        num = value.get("text") or "?"
    bits = [
        b
        for b in (value.get("as_of") and f"as of {short_date(value['as_of'])}", value.get("attributed_to"))
        if b
    ]
    return f"{num} ({', '.join(bits)})" if bits else num


def story_outlets(bundle: dict[str, Any]) -> list[str]:
    story = bundle["story"]
    outlets = list(story.get("outlets") or [])
    for aid in story["article_ids"]:
        name = outlet_of(bundle["articles"], aid)
        if name not in outlets:
            outlets.append(name)
    return outlets
