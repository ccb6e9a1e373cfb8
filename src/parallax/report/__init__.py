"""Reports of a compared story: terminal (Rich), a self-contained HTML file, Markdown.

A *bundle* is ``{"story": <exported story>, "articles": {id: <exported article>}}``
(see :mod:`parallax.export.schema`). The HTML report is one file, no network, no
build step; article text is untrusted, so everything is escaped (Jinja2
autoescape), and fact spans are marked with ids (``f-<article>-<fact>``) that
every cell of the comparison links to.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from markupsafe import Markup

from parallax import __version__
from parallax.display import html_text as escape
from parallax.display import md, md_code
from parallax.report.common import figure_cell, fmt_number, outlet_of, short_date, story_outlets

__all__ = ["fmt_number", "mark_spans", "render_html_report", "render_markdown"]


@cache
def _template() -> Any:
    from jinja2 import Environment, PackageLoader

    # autoescape on for every template, whatever its name: article text is untrusted
    env = Environment(loader=PackageLoader("parallax", "report/templates"), autoescape=True)
    return env.get_template("report.html.j2")


def mark_spans(text: str, spans: list[tuple[int, int, str, str]]) -> Markup:
    """``text`` escaped, with each ``(start, end, css_kind, anchor_id)`` wrapped in a span.

    Spans must nest or be disjoint to be wrapped; one that crosses an open span
    gets only an anchor at its start, so links still land on it.
    """
    opens: dict[int, list[tuple[int, str, str]]] = {}
    for start, end, kind, anchor in spans:
        if 0 <= start < end <= len(text):
            opens.setdefault(start, []).append((end, kind, anchor))
    out: list[str] = []
    stack: list[int] = []
    pos = 0
    cuts = sorted(set(opens) | {e for v in opens.values() for e, _, _ in v} | {len(text)})
    for cut in cuts:
        out.append(escape(text[pos:cut]))
        pos = cut
        while stack and stack[-1] == cut:
            stack.pop()
            out.append("</span>")
        for end, kind, anchor in sorted(opens.get(cut, []), key=lambda x: -x[0]):
            if stack and end > stack[-1]:
                out.append(f'<a id="{escape(anchor)}"></a>')
                continue
            out.append(f'<span class="f f-{escape(kind)}" id="{escape(anchor)}">')
            stack.append(end)
    out.extend("</span>" for _ in stack)
    return Markup("".join(out))


def _marked_article(aid: str, art: dict[str, Any]) -> dict[str, Any]:
    by_field: dict[tuple[str, int], list[tuple[int, int, str, str]]] = {}
    for kind in ("quotes", "claims", "events", "times"):
        for fact in art.get(kind) or []:
            key = (fact.get("field", "body"), fact.get("field_index", 0))
            by_field.setdefault(key, []).append((fact["start"], fact["end"], kind, f"f-{aid}-{fact['id']}"))
    # One pre-line block, not one <p> per paragraph: a quote may span paragraphs,
    # and its span must not be cut by the paragraph markup.
    body = mark_spans(art.get("text") or "", by_field.get(("body", 0), []))
    return {
        "title": mark_spans(art.get("title") or "", by_field.get(("title", 0), [])),
        "standfirst": mark_spans(art.get("standfirst") or "", by_field.get(("standfirst", 0), [])),
        "body": body,
        "captions": [
            mark_spans(c["text"] + (f" ({c['credit']})" if c.get("credit") else ""), by_field.get(("caption", i), []))
            for i, c in enumerate(art.get("captions") or [])
        ],
    }


def _prepare(bundle: dict[str, Any]) -> dict[str, Any]:
    story, articles = bundle["story"], bundle["articles"]
    comp = story.get("comparison") or {}
    outlets = story_outlets(bundle)
    ids = set(story["article_ids"])
    for section in ("figures",):
        for fig in comp.get(section) or []:
            for v in fig["values"]:
                v["cell"] = figure_cell(v)
                ids.add(v["article_id"])
    for entry in comp.get("timeline") or []:
        d = entry.get("date") or {}
        entry["date_label"] = d.get("start") if d.get("start") == d.get("end") or not d.get("end") else f"{d.get('start') or '…'} – {d.get('end')}"
    label_rows: dict[tuple[str, str], dict[str, Any]] = {}
    for lab in comp.get("labels") or []:
        row = label_rows.setdefault((lab["term"], lab.get("actor") or ""), {"term": lab["term"], "actor": lab.get("actor") or "", "cells": {}})
        row["cells"][lab.get("outlet") or ""] = str(lab["count"]) + (f" ({lab['scare_quoted']} in quotes)" if lab.get("scare_quoted") else "")
    distinctive: dict[str, list[dict[str, Any]]] = {}
    for d in comp.get("distinctive_terms") or []:
        if len(distinctive.setdefault(d.get("outlet") or "", [])) < 8:
            distinctive[d.get("outlet") or ""].append(d)
    return {
        **bundle,
        "outlets": outlets,
        "outlet_of": {aid: outlet_of(articles, aid) for aid in articles},
        "marked": {aid: _marked_article(aid, art) for aid, art in articles.items()},
        "label_rows": [label_rows[k] for k in sorted(label_rows)],
        "distinctive": distinctive,
    }


def render_html_report(bundles: list[dict[str, Any]]) -> str:
    """One self-contained HTML page for the given stories."""
    return str(_template().render(bundles=[_prepare(b) for b in bundles], version=__version__))


def render_markdown(bundle: dict[str, Any]) -> str:
    """The story as Markdown. Every value goes through :func:`parallax.display.md`:
    HTML is escaped and Markdown syntax in article text stays text, so a CommonMark
    viewer shows what the articles say and runs nothing."""
    story, articles = bundle["story"], bundle["articles"]
    comp = story.get("comparison") or {}
    outlets = story_outlets(bundle)

    def ref(article_id: str, fact_id: str) -> str:
        return md_code(f"{article_id[:8]}/{fact_id}")

    def names(values: Any) -> str:
        return ", ".join(md(v) for v in values or [])

    lines = [
        f"# {md(story['title'])}",
        "",
        f"{len(story['article_ids'])} articles from {names(outlets)}; "
        f"{md(short_date(story.get('first_seen')))} to {md(short_date(story.get('last_seen')))} (story {md_code(story['id'])})",
        "",
    ]
    for aid in story["article_ids"]:
        a = articles.get(aid, {})
        lines.append(f"- {md_code(aid[:8])} {md(a.get('outlet'))}, {md(short_date(a.get('published')))}: {md(a.get('title'))}")
    if comp.get("figures"):
        lines += ["", "## Figures", "", "| measure | " + " | ".join(md(o) for o in outlets) + " | verdicts |", "|---" * (len(outlets) + 2) + "|"]
        for fig in comp["figures"]:
            cells = [
                "<br>".join(f"{md(figure_cell(v))} {ref(v['article_id'], v['fact_id'])}" for v in fig["values"] if outlet_of(articles, v["article_id"]) == o)
                for o in outlets
            ]
            verdicts = "<br>".join(f"{md(v['verdict'])}: {md(outlet_of(articles, v['a']))} → {md(outlet_of(articles, v['b']))}" for v in fig.get("verdicts") or [])
            lines.append(f"| {md(fig['measure'])} | " + " | ".join(cells) + f" | {verdicts} |")
    for key, title in (("statements", "Statements"), ("quotes", "Direct quotes")):
        if comp.get(key):
            lines += ["", f"## {title}", ""]
            for st in comp[key]:
                lines.append(f"- **{md(st['summary'])}** ({md(st.get('relation'))})")
                for v in st["versions"]:
                    lines.append(f"  - {md(outlet_of(articles, v['article_id']))}, {md(v.get('speaker'))}: “{md(v['text'])}” {ref(v['article_id'], v['fact_id'])}")
    if comp.get("omissions"):
        lines += ["", "## Omissions", "", "| kind | fact | reported by | absent from |", "|---|---|---|---|"]
        for om in comp["omissions"]:
            lines.append(f"| {md(om['kind'])} | {md(om['summary'])} | {names(om['present_in'])} | {names(om['absent_from'])} |")
    if comp.get("voices"):
        lines += ["", "## Voices", "", "| outlet | speaker | role | count |", "|---|---|---|---|"]
        for v in comp["voices"]:
            lines.append(f"| {md(v.get('outlet'))} | {md(v['speaker'])} | {md(v['role'])} | {md(v['count'])} |")
    if comp.get("labels"):
        lines += ["", "## Labels", "", "| outlet | term | actor | count |", "|---|---|---|---|"]
        for lab in comp["labels"]:
            lines.append(f"| {md(lab.get('outlet'))} | {md(lab['term'])} | {md(lab.get('actor'))} | {md(lab['count'])} |")
    if comp.get("timeline"):
        lines += ["", "## Timeline", ""]
        for t in comp["timeline"]:
            d = t.get("date") or {}
            when = (d.get("start") or "?") + (" – " + d["end"] if d.get("end") and d.get("end") != d.get("start") else "")
            lines.append(f"- {md(when)}: {md(t['type'])}: {md(t['summary'])} ({names(t['outlets'])})")
    return "\n".join(lines) + "\n"
