"""Terminal reports with Rich: an article, its facts, a story compared.

Every cell names the article (outlet and short id) and the span it rests on.
Article text is untrusted: every value goes through :func:`parallax.display.term`
(Rich markup escaped, terminal control characters shown, never obeyed).
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from parallax.display import term as _term
from parallax.report.common import figure_cell, outlet_of, short_date, story_outlets

VERDICT_STYLE = {"agree": "green", "update": "cyan", "conflict": "bold red", "unclear": "yellow"}


def _e(value: Any) -> str:
    return _term(value)


def render_article(console: Console, art: dict[str, Any]) -> None:
    meta = Table(show_header=False, box=None)
    dateline = art.get("dateline") or {}
    for key in ("id", "outlet", "title", "standfirst", "byline", "section", "published", "updated", "language", "source"):
        if art.get(key):
            src = art.get("provenance", {}).get(key)
            meta.add_row(key, _e(art[key]) + (f" [dim]({_e(src)})[/]" if src else ""))
    if dateline:
        meta.add_row("dateline", _e(" / ".join(dateline.get("places") or [])) + f" [dim]{_e(dateline.get('date'))}[/]")
    if art.get("duplicate_of"):
        meta.add_row("duplicate of", _e(art["duplicate_of"]))
    console.print(Panel(meta, title="Article"))
    for i, para in enumerate(art.get("paragraphs") or [], 1):
        console.print(f"[dim]{i:>2}[/] {_e(para)}")
    if art.get("captions"):
        console.print("\n[bold]Captions[/]")
        for cap in art["captions"]:
            console.print(f"  {_e(cap['text'])} [dim]{_e(cap.get('credit'))}[/]")
    if art.get("removed"):
        console.print("\n[bold]Removed[/]")
        for rem in art["removed"]:
            console.print(f"  [dim]{_e(rem['reason']):<22}[/] {_e(rem['text'][:100])}")


def render_facts(console: Console, art: dict[str, Any], kinds: list[str]) -> None:
    for kind in kinds:
        facts = art.get(kind) or []
        table = Table(title=f"{kind} ({len(facts)})", show_lines=False)
        if kind == "quotes":
            cols = ["id", "kind", "speaker", "cue", "text", "span"]
            rows = [
                [q["id"], q["kind"], (q.get("speaker") or {}).get("name"), q.get("cue"), q["text"], _span(q)]
                for q in facts
            ]
        elif kind == "claims":
            cols = ["id", "text", "value", "bounds", "category", "counted", "attributed to", "as of", "span"]
            rows = [
                [c["id"], c["text"], c.get("value"), f"[{c.get('low')}, {c.get('high')}]", c.get("category"),
                 c.get("actor") or c.get("counted"), (c.get("attributed_to") or {}).get("name"), c.get("as_of"), _span(c)]
                for c in facts
            ]  # fmt: skip
        elif kind == "events":
            cols = ["id", "type", "text", "date", "places", "actors", "span"]
            rows = [
                [v["id"], v["type"] + (" (caption)" if v.get("from_caption") else ""), v["text"],
                 _date(v.get("date")), ", ".join(v.get("places") or []), ", ".join(v.get("actors") or []), _span(v)]
                for v in facts
            ]  # fmt: skip
        elif kind == "times":
            cols = ["id", "type", "text", "value", "span"]
            rows = [[t["id"], t["type"], t["text"], t["value"], _span(t)] for t in facts]
        else:
            cols = ["id", "type", "name", "mentions"]
            rows = [[e["id"], e["type"], e["name"], "; ".join(m["text"] for m in e.get("mentions") or [])] for e in facts]
        for col in cols:
            table.add_column(col, overflow="fold")
        for row in rows:
            table.add_row(*(_e(v) for v in row))
        console.print(table)


def _span(fact: dict[str, Any]) -> str:
    return f"{fact.get('field', 'body')}[{fact['start']}:{fact['end']}]"


def _date(date: dict[str, Any] | None) -> str:
    if not date:
        return ""
    if date.get("start") == date.get("end") or not date.get("end"):
        return str(date.get("start") or "")
    return f"{date.get('start') or '…'} – {date.get('end') or '…'}"


def _ref(articles: dict[str, Any], article_id: str, fact_id: str | None = None) -> str:
    return f"{outlet_of(articles, article_id)} {article_id[:8]}" + (f"/{fact_id}" if fact_id else "")


def render_story(console: Console, bundle: dict[str, Any]) -> None:
    story, articles = bundle["story"], bundle["articles"]
    comp = story.get("comparison") or {}
    outlets = story_outlets(bundle)
    console.rule(f"[bold]{_e(story['title'])}")
    console.print(
        f"story [bold]{_e(story['id'])}[/] · {len(story['article_ids'])} articles · outlets: {_e(', '.join(outlets))}"
        f" · {_e(short_date(story.get('first_seen')))} → {_e(short_date(story.get('last_seen')))}"
    )
    for aid in story["article_ids"]:
        art = articles.get(aid, {})
        dup = f" [dim](near-duplicate of {art['duplicate_of'][:8]})[/]" if art.get("duplicate_of") else ""
        console.print(f"  [dim]{_e(aid[:8])}[/] {_e(art.get('outlet'))} {_e(short_date(art.get('published')))} {_e(art.get('title'))}{dup}")

    figures = comp.get("figures") or []
    if figures:
        table = Table(title="Figures by measure", show_lines=True)
        table.add_column("measure", style="bold")
        for outlet in outlets:
            table.add_column(_e(outlet), overflow="fold")
        table.add_column("verdicts", overflow="fold")
        for fig in figures:
            cells = []
            for outlet in outlets:
                vals = [v for v in fig["values"] if outlet_of(articles, v["article_id"]) == outlet]
                cells.append("\n".join(f"{_e(figure_cell(v))} [dim]{_e(_ref(articles, v['article_id'], v['fact_id']))}[/]" for v in vals))
            verdicts = "\n".join(
                f"[{VERDICT_STYLE.get(v['verdict'], 'white')}]{v['verdict']}[/] "
                f"{_e(outlet_of(articles, v['a']))} → {_e(outlet_of(articles, v['b']))}" for v in fig.get("verdicts") or []
            )
            table.add_row(_e(fig["measure"]), *cells, verdicts)
        console.print(table)

    for key, title in (("statements", "Statements by claim"), ("quotes", "Quotes across outlets")):
        items = comp.get(key) or []
        if not items:
            continue
        table = Table(title=title, show_lines=True)
        table.add_column("statement", style="bold", overflow="fold")
        table.add_column("relation")
        for outlet in outlets:
            table.add_column(_e(outlet), overflow="fold")
        for st in items:
            cells = []
            for outlet in outlets:
                vs = [v for v in st["versions"] if outlet_of(articles, v["article_id"]) == outlet]
                cells.append(
                    "\n".join(
                        f"{_e(v.get('speaker'))}: “{_e(v['text'])}” [dim]{_e(short_date(v.get('date')))} {_e(_ref(articles, v['article_id'], v['fact_id']))}[/]"
                        for v in vs
                    )
                )
            relation = _e(st.get("relation", ""))
            if not st.get("speakers_agree", True):
                relation += "\n[red]speakers differ[/]"
            table.add_row(_e(st["summary"]), relation + (f"\n[dim]{_e(st.get('note'))}[/]" if st.get("note") else ""), *cells)
        console.print(table)

    omissions = comp.get("omissions") or []
    if omissions:
        table = Table(title="Omissions", show_lines=True)
        for col in ("kind", "fact", "reported by", "absent from", "evidence"):
            table.add_column(col, overflow="fold")
        for om in omissions:
            refs = "; ".join(_ref(articles, r["article_id"], r["fact_id"]) for r in om.get("refs") or [])
            table.add_row(
                _e(om["kind"]), _e(om["summary"]) + (f"\n[dim]{_e(om.get('note'))}[/]" if om.get("note") else ""),
                _e(", ".join(om["present_in"])), _e(", ".join(om["absent_from"])), f"[dim]{_e(refs)}[/]",
            )  # fmt: skip
        console.print(table)

    voices = comp.get("voices") or []
    if voices:
        table = Table(title="Voices: who each outlet lets speak")
        for col in ("outlet", "speaker", "role", "count"):
            table.add_column(col)
        for v in sorted(voices, key=lambda v: (v.get("outlet") or "", -v["count"])):
            table.add_row(_e(v.get("outlet")), _e(v["speaker"]), _e(v["role"]), str(v["count"]))
        console.print(table)

    labels = comp.get("labels") or []
    if labels:
        table = Table(title="Labels: how each outlet names the actors")
        table.add_column("term", style="bold")
        table.add_column("actor")
        for outlet in outlets:
            table.add_column(_e(outlet), justify="right")
        terms: dict[tuple[str, str], dict[str, str]] = {}
        for lab in labels:
            label_key = (lab["term"], lab.get("actor") or "")
            cell = str(lab["count"]) + (f' ({lab["scare_quoted"]} in “quotes”)' if lab.get("scare_quoted") else "")
            terms.setdefault(label_key, {})[lab.get("outlet") or ""] = cell
        for (term, actor), by_outlet in sorted(terms.items()):
            table.add_row(_e(term), _e(actor), *(_e(by_outlet.get(o, "")) for o in outlets))
        console.print(table)
        distinct = comp.get("distinctive_terms") or []
        if distinct:
            for outlet in outlets:
                top = [d for d in distinct if d.get("outlet") == outlet][:6]
                if top:
                    console.print(f"  most distinctive for [bold]{_e(outlet)}[/]: " + ", ".join(f"{_e(d['term'])} ({d['log_odds']:.1f})" for d in top))

    timeline = comp.get("timeline") or []
    if timeline:
        table = Table(title="Timeline")
        for col in ("date", "event", "reported by", "evidence"):
            table.add_column(col, overflow="fold")
        for entry in timeline:
            refs = "; ".join(_ref(articles, r["article_id"], r["fact_id"]) for r in entry.get("refs") or [])
            table.add_row(_e(_date(entry.get("date"))), _e(f"{entry['type']}: {entry['summary']}"), _e(", ".join(entry["outlets"])), f"[dim]{_e(refs)}[/]")
        console.print(table)
