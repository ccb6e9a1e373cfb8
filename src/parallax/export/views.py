"""The one place that builds what Parallax shows: rows for lists, bundles for stories, and
the prepared views the CLI, the JSON API, the web pages and the reports render.

Everything here is data (dicts, lists, and :class:`~markupsafe.Markup` only for text
that was escaped here, such as an article with its facts marked). The renderers
(Jinja templates, Rich, Markdown) only lay it out. Links between views are made by a
:data:`Linker`, so the same story view points at ``#f-<article>-<fact>`` in the
one-file HTML report and at ``/articles/<id>#f-<article>-<fact>`` in the web UI.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict
from html import escape
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from markupsafe import Markup

from parallax.errors import ConfigError, NotFoundError
from parallax.export.schema import COMPARISON_KEYS, FACT_KEYS, article_to_export, story_to_export
from parallax.records import Article, Story
from parallax.report.charts import ChartPoint, outlet_colours, series_chart, swatch
from parallax.store import search

if TYPE_CHECKING:
    from parallax.store import Store

#: (article id, fact id or None) -> the URL of that article (at that fact's span)
Linker = Callable[[str, str | None], str]

UNTITLED = "(untitled)"
UNKNOWN_OUTLET = "(unknown outlet)"
#: Outlet columns shown side by side before the rest go behind a toggle: at 1280 px,
#: a first column of ~250 px and four outlets of ~230 px fit without sideways scrolling.
MAIN_COLUMNS = 4
#: Most rows a page lists in one place (a figure's reports, its pairwise conflicts, the
#: omissions); the JSON API and the exports have all of them.
MAX_ROWS = 100
PAGE_SIZE = 50
#: A measure gets its own chart from this many reports; fewer go to one shared table.
MIN_CHARTED = 3


def report_linker(article_id: str, fact_id: str | None) -> str:
    """Links inside the one-file HTML report: anchors on the same page."""
    return f"#f-{article_id}-{fact_id}" if fact_id else f"#art-{article_id}"


def web_linker(article_id: str, fact_id: str | None) -> str:
    """Links in the web UI: the article page, scrolled to the fact's span."""
    base = f"/articles/{quote(article_id, safe='')}"
    return f"{base}#f-{article_id}-{fact_id}" if fact_id else base


def entity_href(name_or_key: str) -> str:
    return f"/entities/{quote(search.entity_key(name_or_key), safe='')}"


def outlet_href(outlet: str) -> str:
    return f"/outlets/{quote(outlet, safe='')}"


def safe_url(url: str | None) -> str | None:
    """A URL from the metadata, only when it is http(s): never a javascript: link."""
    if not url:
        return None
    from urllib.parse import urlsplit

    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def article_title(art: dict[str, Any]) -> str:
    """An article's headline, or when it has none, the beginning of its text in quotes
    ("(untitled)" only for an empty article): a list of 60 "(untitled)" tells nothing."""
    if art.get("title") and str(art["title"]).strip():
        return str(art["title"]).strip()
    text = " ".join(str(art.get("text") or "").split())
    if not text:
        return UNTITLED
    cut = text[: search.LEDE_CHARS]
    if len(text) > search.LEDE_CHARS:
        cut = cut.rsplit(" ", 1)[0] + "…"
    return f"“{cut}”"


def title_of(value: str | None, fallback: str = UNTITLED) -> str:
    """A title to show: never "None", never empty."""
    return value.strip() if value and value.strip() else fallback


def short_date(value: str | None) -> str:
    return value[:10] if value else "?"


def fmt_number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.2f}"


# --------------------------------------------------------------------------- fact kinds


def fact_kinds(kind: str | None) -> list[str]:
    """The fact kinds asked for: all for None; an unknown kind is a usage error (the CLI
    and the API reject it the same way)."""
    if kind is None or kind == "":
        return list(FACT_KEYS)
    if kind not in FACT_KEYS:
        raise ConfigError(f"unknown kind '{kind}'. Available: {', '.join(FACT_KEYS)}", code="usage")
    return [kind]


# --------------------------------------------------------------------------- list rows


def article_row(article: Article) -> dict[str, Any]:
    """One line of an article list (CLI ``articles``, ``/api/articles``)."""
    return {
        "id": article.id,
        "outlet": article.outlet,
        "published": article.published,
        "title": article.title,
        "paragraphs": len(article.paragraphs),
        "duplicate_of": article.duplicate_of,
        "source": article.source,
        "url": article.url,
    }


def article_rows(
    store: Store, *, outlet: str | None = None, limit: int | None = None, offset: int = 0
) -> list[dict[str, Any]]:
    rows = [article_row(a) for a in store.articles() if outlet is None or a.outlet == outlet]
    return rows[offset : offset + limit if limit is not None else None]


def story_row(summary: search.StorySummary, article_ids: list[str] | None = None) -> dict[str, Any]:
    """One line of a story list (CLI ``stories``, ``/api/stories``, the overview)."""
    row: dict[str, Any] = {
        "id": summary.id,
        "title": title_of(summary.title),
        "articles": summary.articles,
        "outlets": [o for o, _ in summary.outlet_counts],
        "outlet_counts": dict(summary.outlet_counts),
        "first_seen": summary.first_seen,
        "last_seen": summary.last_seen,
        "events": summary.events,
        "figures": summary.figures,
        "conflicts": summary.conflicts,
        "revisions": summary.revisions,
        "omissions": summary.omissions,
        "statements": summary.statements,
    }
    if article_ids is not None:
        row["article_ids"] = article_ids
    return row


def story_rows(
    store: Store, *, with_article_ids: bool = False, **filters: Any
) -> tuple[list[dict[str, Any]], int]:
    """Story rows matching the filters of :func:`parallax.store.search.list_stories`, and the total."""
    summaries, total = search.list_stories(store, **filters)
    ids = search.article_ids_of_stories(store, [s.id for s in summaries]) if with_article_ids else {}
    return [story_row(s, ids.get(s.id, []) if with_article_ids else None) for s in summaries], total


# --------------------------------------------------------------------------- bundles


def story_bundle(store: Store, story: Story) -> dict[str, Any]:
    """``{"story": <exported story>, "articles": {id: <exported article>}}``: what every story renderer reads."""
    articles = {a.id: article_to_export(a, store.get_facts(a.id)) for a in store.articles(story.article_ids)}
    return {"story": story_to_export(story), "articles": articles}


def story_bundles(store: Store, stories: Iterable[Story]) -> list[dict[str, Any]]:
    return [story_bundle(store, s) for s in stories]


def export_story_data(data: dict[str, Any]) -> dict[str, Any]:
    """:func:`~parallax.export.schema.story_to_export` of the plain data of a stored story
    (``to_dict(Story)``), without building the records (a test keeps the two equal)."""
    comparison = dict(data.get("comparison") or {k: [] for k in COMPARISON_KEYS})
    entities = comparison.pop("entities", [])
    return {
        "id": data["id"],
        "title": data["title"],
        "article_ids": list(data["article_ids"]),
        "first_seen": data.get("first_seen"),
        "last_seen": data.get("last_seen"),
        "outlets": list(data.get("outlets") or []),
        "duplicates": dict(data.get("duplicates") or {}),
        "entities": entities,
        "comparison": comparison,
        "events": list(data.get("events") or []),
    }


def story_bundle_light(store: Store, story_id: str) -> dict[str, Any]:
    """A story bundle whose articles carry only what a story view shows of them (outlet,
    title, date, url, source), not their texts and facts: the web page and the terminal
    read this; the one-file report, which prints every article, reads :func:`story_bundle`."""
    story = export_story_data(search.story_data(store, story_id))
    return {"story": story, "articles": search.article_heads(store, story["article_ids"])}


# --------------------------------------------------------------------------- marking spans


def mark_spans(text: str, spans: list[tuple[int, int, str, str, str | None]]) -> Markup:
    """``text`` escaped, with each ``(start, end, css_kind, anchor_id, href)`` wrapped in a
    span (a link when ``href`` is given).

    Spans must nest or be disjoint to be wrapped; one that crosses an open span gets
    only an anchor at its start, so links still land on it.
    """
    opens: dict[int, list[tuple[int, str, str, str | None]]] = {}
    for start, end, kind, anchor, href in spans:
        if 0 <= start < end <= len(text):
            opens.setdefault(start, []).append((end, kind, anchor, href))
    out: list[str] = []
    stack: list[tuple[int, str]] = []
    pos = 0
    cuts = sorted(set(opens) | {e for v in opens.values() for e, _, _, _ in v} | {len(text)})
    for cut in cuts:
        out.append(escape(text[pos:cut]))
        pos = cut
        while stack and stack[-1][0] == cut:
            out.append(f"</{stack.pop()[1]}>")
        for end, kind, anchor, href in sorted(opens.get(cut, []), key=lambda x: -x[0]):
            if stack and end > stack[-1][0]:
                out.append(f'<a id="{escape(anchor)}"></a>')
                continue
            if href and not any(tag == "a" for _, tag in stack):
                out.append(f'<a class="f f-{escape(kind)}" id="{escape(anchor)}" href="{escape(href)}">')
                stack.append((end, "a"))
            else:
                out.append(f'<span class="f f-{escape(kind)}" id="{escape(anchor)}">')
                stack.append((end, "span"))
    out.extend(f"</{tag}>" for _, tag in reversed(stack))
    return Markup("".join(out))


#: export key -> the CSS kind of its highlight (the legend's names)
MARK_KINDS = {"quotes": "quote", "claims": "figure", "times": "date", "events": "event", "entities": "entity"}


def marked_article(art: dict[str, Any], *, entities: bool = False) -> dict[str, Any]:
    """The article's title, standfirst, body and captions, escaped, each fact's span marked
    with the anchor ``f-<article>-<fact>`` (entities, when asked: every mention, linked to
    the entity page)."""
    aid = art["id"]
    by_field: dict[tuple[str, int], list[tuple[int, int, str, str, str | None]]] = {}
    for key in ("quotes", "claims", "events", "times"):
        for fact in art.get(key) or []:
            where = (fact.get("field", "body"), fact.get("field_index", 0))
            by_field.setdefault(where, []).append(
                (fact["start"], fact["end"], MARK_KINDS[key], f"f-{aid}-{fact['id']}", None)
            )
    if entities:
        for ent in art.get("entities") or []:
            href = entity_href(ent["name"])
            for i, m in enumerate(ent.get("mentions") or []):
                anchor = f"f-{aid}-{ent['id']}" + (f"-{i + 1}" if i else "")
                where = (m.get("field", "body"), m.get("field_index", 0))
                by_field.setdefault(where, []).append((m["start"], m["end"], "entity", anchor, href))
    return {
        "title": mark_spans(title_of(art.get("title")), by_field.get(("title", 0), []))
        if art.get("title")
        else Markup(escape(UNTITLED)),
        "standfirst": mark_spans(art.get("standfirst") or "", by_field.get(("standfirst", 0), [])),
        "body": mark_spans(art.get("text") or "", by_field.get(("body", 0), [])),
        "captions": [
            mark_spans(
                c["text"] + (f" ({c['credit']})" if c.get("credit") else ""), by_field.get(("caption", i), [])
            )
            for i, c in enumerate(art.get("captions") or [])
        ],
    }


# --------------------------------------------------------------------------- one story


def _outlet_of(articles: dict[str, dict[str, Any]], aid: str) -> str:
    art = articles.get(aid) or {}
    return art.get("outlet") or UNKNOWN_OUTLET


def figure_cell(value: dict[str, Any]) -> str:
    """'more than 3,000 (as of 2022-01-07, Interior ministry)'."""
    num = value_text(value)
    bits = [
        b
        for b in (
            value.get("as_of") and f"as of {short_date(value['as_of'])}",
            value.get("attributed_to") or value.get("source"),
        )
        if b
    ]
    return f"{num} ({', '.join(bits)})" if bits else num


def value_text(value: dict[str, Any]) -> str:
    """The reported amount as words: 'about 8,000', '97-115', 'more than 3,000', 'scores'."""
    if value.get("vague"):
        return str(value.get("text") or "unquantified")
    point = value.get("value")
    low, high = value.get("low"), value.get("high")
    if point is None and low is not None and high is not None and low != high:
        num = f"{fmt_number(low)}-{fmt_number(high)}"
    else:
        shown = next((v for v in (point, low, high) if v is not None), None)
        num = fmt_number(shown) if shown is not None else str(value.get("text") or "?")
    return " ".join(filter(None, [value.get("qualifier"), num]))


def _series(fig: dict[str, Any], articles: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The figure's reports in time order: its series when the comparison made one, else its values."""
    if fig.get("series"):
        # a series point carries no words: a vague report ("hundreds") reads as its value's text
        words = {(v["article_id"], v["fact_id"]): v for v in fig.get("values") or []}
        points = []
        for point in fig["series"]:
            p = dict(point)
            v = words.get((p["article_id"], p["fact_id"])) or {}
            p.setdefault("text", v.get("text"))
            p.setdefault("vague", v.get("vague", False))
            points.append(p)
    else:
        points = [
            {
                "article_id": v["article_id"], "fact_id": v["fact_id"], "outlet": v.get("outlet"), "as_of": v.get("as_of"),
                "value": v.get("value"), "low": v.get("low"), "high": v.get("high"), "qualifier": v.get("qualifier"),
                "source": v.get("attributed_to"), "previous": None, "revised": False, "verdict": None, "text": v.get("text"),
                "vague": v.get("vague", False),
            }
            for v in fig.get("values") or []
        ]  # fmt: skip
    for p in points:
        p["outlet"] = p.get("outlet") or _outlet_of(articles, p["article_id"])
        if not p.get("as_of"):
            p["as_of"] = (articles.get(p["article_id"]) or {}).get("published")
    points.sort(key=lambda p: (p.get("as_of") is None, (p.get("as_of") or "")[:10], p["outlet"]))
    return points


def _figure_view(
    fig: dict[str, Any], articles: dict[str, dict[str, Any]], link: Linker, colours: dict[str, str]
) -> dict[str, Any]:
    points = _series(fig, articles)
    rows = []
    chart_points = []
    for p in points:
        verdict = p.get("verdict") or ("revised" if p.get("revised") else None)
        amount = value_text(p)
        row = {
            "date": short_date(p.get("as_of")),
            "outlet": p["outlet"],
            "value": amount,
            "previous": fmt_number(p.get("previous")) if p.get("previous") is not None else "",
            "source": p.get("source") or "",
            "verdict": verdict or "",
            "link": link(p["article_id"], p["fact_id"]),
            "article_id": p["article_id"],
            "fact_id": p["fact_id"],
            "quantified": not p.get("vague") and any(p.get(k) is not None for k in ("value", "low", "high")),
        }
        rows.append(row)
        chart_points.append(
            ChartPoint(
                when=p.get("as_of"), value=p.get("value"), low=p.get("low"), high=p.get("high"), outlet=p["outlet"],
                label=f"{p['outlet']} · {row['date']} · {amount}" + (f" · {row['source']}" if row["source"] else "") + (f" · {verdict}" if verdict else ""),
                href=row["link"], verdict=verdict, previous=p.get("previous"),
                open_bound=p.get("value") is None and (p.get("qualifier") or "") in ("more than", "at least", "over", "up to", "less than", "fewer than"),
            )
        )  # fmt: skip
    # pairwise verdicts: only conflicts and revisions are worth a line; the rest are counted
    notable: list[dict[str, Any]] = []
    others: Counter[str] = Counter()
    for v in fig.get("verdicts") or []:
        if v["verdict"] in ("conflict", "revised"):
            notable.append(
                {
                    "verdict": v["verdict"],
                    "a": _outlet_of(articles, v["a"]), "b": _outlet_of(articles, v["b"]),
                    "a_link": link(v["a"], v.get("a_fact")), "b_link": link(v["b"], v.get("b_fact")),
                    "note": v.get("note") or "",
                }
            )  # fmt: skip
        else:
            others[v["verdict"]] += 1
    if not fig.get("series"):
        # no series: a report's verdict in the tables is its pairs' with earlier reports
        # (the strongest: conflict, then update, then agree)
        strength = {"conflict": 3, "update": 2, "unclear": 1, "agree": 1}
        best: dict[tuple[str, str | None], str] = {}
        for v in fig.get("verdicts") or []:
            key = (v["b"], v.get("b_fact"))
            if strength.get(v["verdict"], 0) > strength.get(best.get(key, ""), 0):
                best[key] = v["verdict"]
        for r in rows:
            r["pair_verdict"] = (
                best.get((r["article_id"], r["fact_id"])) or best.get((r["article_id"], None)) or ""
            )
    flagged = [r for r in rows if r["verdict"] in ("conflict", "revised")]
    return {
        "measure": fig["measure"],
        "rows": rows,
        "reports": len(rows),
        "flagged": flagged,
        "chart": series_chart(chart_points, colours, title=fig["measure"]),
        "outlets": list(dict.fromkeys(r["outlet"] for r in rows)),
        "notable": notable,
        "other_verdicts": dict(others),
        "conflicts": sum(r["verdict"] == "conflict" for r in rows)
        if fig.get("series")
        else sum(n["verdict"] == "conflict" for n in notable),
        "revisions": sum(r["verdict"] == "revised" for r in rows),
        "updates": sum(r["verdict"] == "update" for r in rows),
    }


def _statement_view(
    st: dict[str, Any], articles: dict[str, dict[str, Any]], link: Linker, main: list[str]
) -> dict[str, Any]:
    cells: dict[str, list[dict[str, Any]]] = {o: [] for o in main}
    others: list[dict[str, Any]] = []
    for v in st.get("versions") or []:
        outlet = v.get("outlet") or _outlet_of(articles, v["article_id"])
        item = {
            "outlet": outlet,
            "speaker": v.get("speaker") or "unattributed",
            "text": v.get("text") or "",
            "date": short_date(v.get("date")) if v.get("date") else "",
            "kind": v.get("kind") or "",
            "link": link(v["article_id"], v["fact_id"]),
        }
        cells.get(outlet, others).append(item)
    return {
        "summary": st.get("summary") or "",
        "relation": st.get("relation") or "same",
        "speakers_agree": st.get("speakers_agree", True),
        "note": st.get("note") or "",
        "diffs": (st.get("diffs") or [])[:3],
        "cells": cells,
        "others": others,
        "outlets": len({i["outlet"] for i in [*others, *(x for c in cells.values() for x in c)]}),
    }


def _omission_order(omissions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Ranked as the comparison ranked them (``rank``, then ``score``) when it did; otherwise
    the facts most outlets reported first (an omission by one outlet of what all others
    say matters more than one outlet's detail the rest left out)."""
    if any("rank" in o for o in omissions):
        return sorted(omissions, key=lambda o: (o.get("rank") is None, o.get("rank") or 0))
    if any("score" in o for o in omissions):
        return sorted(omissions, key=lambda o: -(o.get("score") or 0))
    return sorted(omissions, key=lambda o: (-len(o.get("present_in") or []), len(o.get("absent_from") or [])))


def story_view(
    bundle: dict[str, Any], link: Linker = report_linker, *, main_columns: int = MAIN_COLUMNS
) -> dict[str, Any]:
    """Everything a story page, the HTML report, the Markdown report and the terminal show."""
    story, articles = bundle["story"], bundle["articles"]
    comp = story.get("comparison") or {}
    ids = list(dict.fromkeys(story["article_ids"]))
    coverage = Counter(_outlet_of(articles, aid) for aid in ids)
    outlets = sorted(coverage, key=lambda o: (-coverage[o], o))
    # with a few more outlets than columns, show them all rather than hide one or two
    main = outlets if len(outlets) <= main_columns + 1 else outlets[:main_columns]
    others = [o for o in outlets if o not in main]
    colours = outlet_colours(outlets)

    article_list = []
    for aid in sorted(
        ids,
        key=lambda a: (
            (articles.get(a) or {}).get("published") is None,
            (articles.get(a) or {}).get("published") or "",
            a,
        ),
    ):
        art = articles.get(aid) or {}
        article_list.append(
            {
                "id": aid,
                "outlet": _outlet_of(articles, aid),
                "published": art.get("published"),
                "title": article_title(art),
                "url": safe_url(art.get("url")),
                "duplicate_of": art.get("duplicate_of"),
                "link": link(aid, None),
            }
        )
    events = []
    for ev in story.get("events") or []:
        members = [a for a in article_list if a["id"] in set(ev.get("article_ids") or [])]
        events.append(
            {
                "id": ev.get("id"),
                "title": title_of(ev.get("title")),
                "first_seen": ev.get("first_seen"),
                "last_seen": ev.get("last_seen"),
                "outlets": ev.get("outlets") or sorted({a["outlet"] for a in members}),
                "articles": members,
            }
        )
    timeline = []
    for entry in comp.get("timeline") or []:
        d = entry.get("date") or {}
        label = (
            d.get("start")
            if d.get("start") == d.get("end") or not d.get("end")
            else f"{d.get('start') or '…'} – {d.get('end')}"
        )
        timeline.append(
            {
                "date": label or "undated",
                "type": entry.get("type") or "",
                "summary": entry.get("summary") or "",
                "outlets": entry.get("outlets") or [],
                "refs": [
                    {
                        "outlet": _outlet_of(articles, r["article_id"]),
                        "link": link(r["article_id"], r["fact_id"]),
                    }
                    for r in entry.get("refs") or []
                ],
            }
        )
    figures = [_figure_view(f, articles, link, colours) for f in comp.get("figures") or []]
    # the measures most reported first; those reported once or twice share one small table
    # (a chart of one point says nothing, and twenty of them bury the series that matter)
    figures.sort(key=lambda f: (-f["reports"], f["measure"]))
    charted = [f for f in figures if f["reports"] >= MIN_CHARTED]
    minor = [{**r, "measure": f["measure"]} for f in figures if f["reports"] < MIN_CHARTED for r in f["rows"]]
    statements = [_statement_view(s, articles, link, main) for s in comp.get("statements") or []]
    quotes = [_statement_view(s, articles, link, main) for s in comp.get("quotes") or []]
    omissions = []
    for om in _omission_order(list(comp.get("omissions") or [])):
        omissions.append(
            {
                "kind": om.get("kind") or "",
                "summary": om.get("summary") or "",
                "present_in": om.get("present_in") or [],
                "absent_from": om.get("absent_from") or [],
                "note": om.get("note") or "",
                "rank": om.get("rank"),
                "refs": [
                    {
                        "outlet": _outlet_of(articles, r["article_id"]),
                        "link": link(r["article_id"], r["fact_id"]),
                    }
                    for r in om.get("refs") or []
                ],
            }
        )
    voices_by: dict[str, list[dict[str, Any]]] = {}
    for v in comp.get("voices") or []:
        voices_by.setdefault(v.get("outlet") or UNKNOWN_OUTLET, []).append(
            {
                "speaker": v.get("speaker") or "",
                "role": v.get("role") or "",
                "count": v.get("count") or 0,
                "href": entity_href(v["speaker"]) if v.get("speaker") else "",
                "refs": [link(r["article_id"], r["fact_id"]) for r in v.get("refs") or []][:5],
            }
        )
    voices: list[dict[str, Any]] = [
        {
            "outlet": o,
            "colour": colours.get(o),
            "voices": sorted(voices_by[o], key=lambda v: (-v["count"], v["speaker"])),
        }
        for o in [*outlets, *sorted(set(voices_by) - set(outlets))]
        if o in voices_by
    ]
    label_rows: dict[tuple[str, str], dict[str, Any]] = {}
    for lab in comp.get("labels") or []:
        row = label_rows.setdefault(
            (lab["term"], lab.get("actor") or ""),
            {"term": lab["term"], "actor": lab.get("actor") or "", "cells": {}, "others": []},
        )
        cell = str(lab["count"]) + (f" ({lab['scare_quoted']} in quotes)" if lab.get("scare_quoted") else "")
        outlet = lab.get("outlet") or UNKNOWN_OUTLET
        if outlet in main:
            row["cells"][outlet] = cell
        else:
            row["others"].append((outlet, cell))
    distinctive: dict[str, list[dict[str, Any]]] = {}
    for d in comp.get("distinctive_terms") or []:
        if len(distinctive.setdefault(d.get("outlet") or UNKNOWN_OUTLET, [])) < 8:
            distinctive[d.get("outlet") or UNKNOWN_OUTLET].append(d)
    entities = [
        {
            "name": e["name"],
            "type": e.get("type") or "",
            "aliases": [a for a in e.get("aliases") or [] if a != e["name"]][:4],
            "articles": len({r["article_id"] for r in e.get("refs") or []}),
            "href": entity_href(e["name"]),
        }
        for e in story.get("entities") or []
    ]
    entities.sort(key=lambda e: (-e["articles"], e["name"]))
    counts = {
        "articles": len(ids),
        "outlets": len(outlets),
        "events": len(events),
        "figures": len(figures),
        "conflicts": sum(f["conflicts"] for f in figures),
        "revisions": sum(f["revisions"] for f in figures),
        "updates": sum(f["updates"] for f in figures),
        "statements": len(statements) + len(quotes),
        "omissions": len(omissions),
        "voices": sum(len(v["voices"]) for v in voices),
    }
    return {
        "story": story,
        "articles": articles,
        "id": story["id"],
        "title": title_of(story.get("title"), UNTITLED + " story"),
        "first_seen": story.get("first_seen"),
        "last_seen": story.get("last_seen"),
        "outlets": [
            {
                "name": o,
                "articles": coverage[o],
                "colour": colours[o],
                "swatch": swatch(colours[o]),
                "href": outlet_href(o),
            }
            for o in outlets
        ],
        "main_outlets": main,
        "other_outlets": others,
        "outlet_of": {aid: _outlet_of(articles, aid) for aid in articles},
        "article_list": article_list,
        "events": events,
        "timeline": timeline,
        "figures": figures,
        "charted_figures": charted,
        "minor_figures": minor,
        "statements": statements,
        "quotes": quotes,
        "omissions": omissions,
        "voices": voices,
        "label_rows": [label_rows[k] for k in sorted(label_rows)],
        "distinctive": distinctive,
        "entities": entities,
        "counts": counts,
    }


# --------------------------------------------------------------------------- one article


def _span_text(art: dict[str, Any], fact: dict[str, Any]) -> str:
    field = fact.get("field", "body")
    if field == "body":
        text = art.get("text") or ""
    elif field == "caption":
        caps = art.get("captions") or []
        idx = fact.get("field_index", 0)
        text = caps[idx]["text"] if idx < len(caps) else ""
    else:
        text = art.get(field) or ""
    return text[fact["start"] : fact["end"]]


def article_view(store: Store, article_id: str) -> dict[str, Any]:
    """An article with its facts marked in its text, the lines the cleaner removed, its
    sources and the stories that hold it."""
    article = store.get_article(article_id)
    art = article_to_export(article, store.get_facts(article.id), store.sources(article.id))
    aid = art["id"]
    link = web_linker
    names = {e["id"]: e["name"] for e in art.get("entities") or []}
    quotes = [
        {
            "id": q["id"],
            "speaker": (
                names.get((q.get("speaker") or {}).get("entity_id") or "")
                or (q.get("speaker") or {}).get("name")
            )
            or "unattributed",
            "text": q["text"],
            "kind": q.get("kind"),
            "cue": q.get("cue") or "",
            "anchor": f"f-{aid}-{q['id']}",
        }
        for q in art.get("quotes") or []
    ]
    figures = [
        {
            "id": c["id"],
            "text": c["text"],
            "value": value_text(c),
            "what": " ".join(filter(None, [c.get("category"), c.get("counted") and f"({c['counted']})"])),
            "as_of": c.get("as_of") or "",
            "source": (c.get("attributed_to") or {}).get("name") or "",
            "anchor": f"f-{aid}-{c['id']}",
        }
        for c in art.get("claims") or []
    ]
    dates = [
        {"id": t["id"], "text": t["text"], "value": t["value"], "anchor": f"f-{aid}-{t['id']}"}
        for t in art.get("times") or []
    ]
    events = [
        {
            "id": e["id"],
            "type": e["type"],
            "text": e["text"],
            "date": ((e.get("date") or {}).get("start") or ""),
            "anchor": f"f-{aid}-{e['id']}",
        }
        for e in art.get("events") or []
    ]
    entities = sorted(
        (
            {
                "id": e["id"], "name": e["name"], "type": e["type"], "mentions": len(e.get("mentions") or []),
                "forms": sorted({m["text"] for m in e.get("mentions") or []} - {e["name"]})[:5],
                "href": entity_href(e["name"]), "anchor": f"f-{aid}-{e['id']}",
            }
            for e in art.get("entities") or []
        ),
        key=lambda e: (-e["mentions"], e["name"]),
    )  # fmt: skip
    story_ids = search.stories_of_articles(store, [aid]).get(aid, [])
    stories = []
    for sid in story_ids:
        summary = search.story_summary(store, sid)
        stories.append(
            {
                "id": sid,
                "title": title_of(summary.title if summary else None),
                "articles": summary.articles if summary else 0,
            }
        )
    return {
        "article": art,
        "id": aid,
        "title": article_title(art),
        "outlet": art.get("outlet") or UNKNOWN_OUTLET,
        "outlet_href": outlet_href(art["outlet"]) if art.get("outlet") else "",
        "marked": marked_article(art, entities=True),
        "quotes": quotes,
        "figures": figures,
        "dates": dates,
        "events": events,
        "entities": entities,
        "removed": art.get("removed") or [],
        "stories": stories,
        "link": link(aid, None),
        "url": safe_url(art.get("url")),
        "extracted": art.get("extraction") is not None,
    }


# --------------------------------------------------------------------------- an entity, an outlet


def entity_view(store: Store, key: str, *, limit: int = 300) -> dict[str, Any]:
    """For an actor: how each outlet names it, who quotes it (which outlets let it speak),
    where it appears (stories and articles)."""
    rows = search.entity_rows(store, key, limit=limit)
    if not rows:
        raise NotFoundError(f"no entity {key!r} in any stored article")
    total = search.entity_count(store, key)
    name = Counter(r["name"] for r in rows).most_common(1)[0][0]
    etype = Counter(r["type"] for r in rows).most_common(1)[0][0]
    naming: dict[str, dict[str, Any]] = {}
    for r in rows:
        entry = naming.setdefault(
            r["outlet"] or UNKNOWN_OUTLET,
            {"outlet": r["outlet"] or UNKNOWN_OUTLET, "articles": 0, "mentions": 0, "forms": Counter()},
        )
        entry["articles"] += 1
        entry["mentions"] += r["mentions"]
        entry["forms"].update(r["forms"])
    by_outlet = sorted(naming.values(), key=lambda e: (-e["articles"], e["outlet"]))
    for entry in by_outlet:
        entry["forms"] = entry["forms"].most_common(8)
        entry["href"] = outlet_href(entry["outlet"])
    # who quotes it: the quotes whose speaker is this actor, in the articles it appears in
    quoted: dict[str, list[dict[str, Any]]] = {}
    for q in search.quotes_by(store, key, [r["article_id"] for r in rows]):
        quoted.setdefault(q["outlet"] or UNKNOWN_OUTLET, []).append(
            {
                "text": q["text"],
                "published": short_date(q["published"]),
                "link": web_linker(q["article_id"], q["fact_id"]),
            }
        )
    quoters: list[dict[str, Any]] = sorted(
        ({"outlet": o, "quotes": qs, "count": len(qs)} for o, qs in quoted.items()),
        key=lambda e: (-e["count"], e["outlet"]),
    )
    heads = search.article_heads(store, [r["article_id"] for r in rows])
    in_stories = search.stories_of_articles(store, [r["article_id"] for r in rows])
    story_counts = Counter(sid for sids in in_stories.values() for sid in sids)
    stories = []
    for sid, n in story_counts.most_common(30):
        summary = search.story_summary(store, sid)
        if summary is not None:
            stories.append(
                {
                    "id": sid,
                    "title": title_of(summary.title),
                    "mentions_in": n,
                    "articles": summary.articles,
                    "first_seen": summary.first_seen,
                    "last_seen": summary.last_seen,
                }
            )
    articles = [
        {
            "id": r["article_id"], "outlet": r["outlet"] or UNKNOWN_OUTLET, "published": r["published"],
            "title": article_title(heads.get(r["article_id"]) or {}), "mentions": r["mentions"],
            "link": web_linker(r["article_id"], r["entity_id"]),
        }
        for r in rows
    ]  # fmt: skip
    return {
        "key": search.entity_key(key),
        "name": name,
        "type": etype,
        "aliases": sorted({f for e in by_outlet for f, _ in e["forms"]} - {name})[:12],
        "total_articles": total,
        "shown_articles": len(rows),
        "naming": by_outlet,
        "quoters": quoters,
        "stories": stories,
        "articles": articles,
    }


def outlet_view(store: Store, outlet: str) -> dict[str, Any]:
    """For an outlet: its stories, the voices it lets speak and the labels it uses."""
    stats = search.outlet_stats(store, outlet)
    if not stats["articles"]:
        raise NotFoundError(f"no stored article from outlet {outlet!r}")
    rows, total = story_rows(store, outlet=outlet, sort="recent", limit=100)
    recent = search.recent_articles(store, outlet=outlet, limit=20)
    heads = search.article_heads(store, [a["id"] for a in recent])
    return {
        "name": outlet,
        "articles": stats["articles"],
        "first": stats["first"],
        "last": stats["last"],
        "stories": rows,
        "stories_total": total,
        "voices": [
            {**v, "href": entity_href(v["name"])} for v in search.outlet_facets(store, outlet, "voice")
        ],
        "labels": search.outlet_facets(store, outlet, "label"),
        "recent": [
            {**h, "title": article_title(h), "link": web_linker(h["id"], None)}
            for h in (heads.get(a["id"], a) for a in recent)
        ],
    }


# --------------------------------------------------------------------------- overview and search


def highlight(snippet: str) -> Markup:
    """A search snippet escaped, its matched words in <mark>."""
    return Markup(escape(snippet).replace(search.MARK_OPEN, "<mark>").replace(search.MARK_CLOSE, "</mark>"))


def pages(total: int, page: int, size: int) -> dict[str, Any]:
    last = max(1, math.ceil(total / size))
    page = min(max(1, page), last)
    return {
        "page": page,
        "pages": last,
        "size": size,
        "total": total,
        "offset": (page - 1) * size,
        "prev": page - 1 if page > 1 else None,
        "next": page + 1 if page < last else None,
    }


def overview(store: Store, *, text: str | None = None, outlet: str | None = None, entity: str | None = None,
             since: str | None = None, until: str | None = None, sort: str = "recent", page: int = 1, size: int = PAGE_SIZE) -> dict[str, Any]:  # fmt: skip
    """The home page: one page of stories with their counts, and what the filters offer."""
    filters: dict[str, Any] = {
        "text": text,
        "outlet": outlet,
        "entity": entity,
        "since": since,
        "until": until,
        "sort": sort,
    }
    summaries, total = search.list_stories(store, **filters, limit=size, offset=(max(page, 1) - 1) * size)
    paging = pages(total, page, size)
    if not summaries and total:  # a page past the end: show the last one
        summaries, total = search.list_stories(store, **filters, limit=size, offset=paging["offset"])
    rows = []
    for s in summaries:
        row = story_row(s)
        row["outlet_list"] = [
            {"name": o, "articles": n, "href": outlet_href(o)} for o, n in s.outlet_counts[:5]
        ]
        row["more_outlets"] = max(0, len(s.outlet_counts) - 5)
        rows.append(row)
    return {
        "rows": rows,
        "paging": paging,
        "filters": filters,
        "outlets": search.outlets(store),
        "articles": store.count_articles(),
        "sorts": list(search.STORY_SORTS),
    }


def search_view(store: Store, query: str, *, kind: str | None = None, outlet: str | None = None, since: str | None = None,
                until: str | None = None, sort: str = "relevance", page: int = 1, size: int = 20) -> dict[str, Any]:  # fmt: skip
    """One page of search hits over articles, quotes and figures."""
    if kind and kind not in search.SEARCH_KINDS:
        raise ConfigError(f"unknown kind '{kind}'. Available: {', '.join(search.SEARCH_KINDS)}", code="usage")
    kinds = [kind] if kind else None
    first = search.search(
        store,
        query,
        kinds=kinds,
        outlet=outlet,
        since=since,
        until=until,
        sort=sort,
        limit=size,
        offset=(max(page, 1) - 1) * size,
    )
    paging = pages(first.total, page, size)
    result = first
    if paging["offset"] != (max(page, 1) - 1) * size:  # a page past the end: show the last one
        result = search.search(
            store,
            query,
            kinds=kinds,
            outlet=outlet,
            since=since,
            until=until,
            sort=sort,
            limit=size,
            offset=paging["offset"],
        )
    heads = search.article_heads(store, [h.article_id for h in result.hits])
    in_stories = search.stories_of_articles(store, [h.article_id for h in result.hits])
    hits = []
    for h in result.hits:
        head = heads.get(h.article_id) or {}
        hits.append(
            {
                **asdict(h),
                "article_title": article_title(head),
                "snippet": h.snippet.replace(search.MARK_OPEN, "«").replace(search.MARK_CLOSE, "»"),
                "snippet_html": highlight(h.snippet),
                "link": web_linker(h.article_id, h.fact_id),
                "stories": in_stories.get(h.article_id, []),
                "outlet": h.outlet or UNKNOWN_OUTLET,
            }
        )
    return {"query": query, "kind": kind, "hits": hits, "counts": result.counts, "paging": paging, "outlets": search.outlets(store),
            "filters": {"outlet": outlet, "since": since, "until": until, "sort": sort}}  # fmt: skip


def api_search(view: dict[str, Any]) -> dict[str, Any]:
    """A search view for the JSON API: snippets as plain text with « » around the matches."""
    return {
        "query": view["query"],
        "kind": view["kind"],
        "total": view["paging"]["total"],
        "page": view["paging"]["page"],
        "pages": view["paging"]["pages"],
        "counts": view["counts"],
        "hits": [{k: v for k, v in h.items() if k != "snippet_html"} for h in view["hits"]],
    }
