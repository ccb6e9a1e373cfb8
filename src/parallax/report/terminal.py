"""Terminal reports with Rich: an article, its facts, a story compared.

A story comes out compact by default (the story in a few lines, its conflicts and
revisions, the top omissions, where to look next) and as full tables with
``full=True``. Piped output is plain text: no colour, no box drawing, no hard
wrapping, one finding per line. Every finding names the article (outlet and short
id) and the fact it rests on. Article text is untrusted: it is printed escaped (Rich
markup) with control characters shown, never obeyed (:mod:`parallax.display`).
"""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from parallax.display import term
from parallax.export.views import short_date, story_view

VERDICT_STYLE = {
    "agree": "green",
    "same": "green",
    "update": "cyan",
    "revised": "magenta",
    "conflict": "bold red",
    "unclear": "yellow",
}
#: Lines of each list in the compact view.
COMPACT_ROWS = 3


def _e(value: Any) -> str:
    """Text for Rich through the one escaping path: markup escaped, controls made visible."""
    return term(value)


def _print(console: Console, text: str = "") -> None:
    # piped: one line per finding, never hard-wrapped at 80 columns
    console.print(text, soft_wrap=not console.is_terminal, highlight=False)


def _table(console: Console, title: str, **kw: Any) -> Table:
    return Table(
        title=title, box=box.SIMPLE_HEAD if console.is_terminal else box.ASCII2, show_lines=False, **kw
    )


def render_article(console: Console, art: dict[str, Any]) -> None:
    meta = Table(show_header=False, box=None)
    dateline = art.get("dateline") or {}
    for key in (
        "id",
        "outlet",
        "title",
        "standfirst",
        "byline",
        "section",
        "published",
        "updated",
        "language",
        "url",
        "source",
    ):
        if art.get(key):
            src = art.get("provenance", {}).get(key)
            meta.add_row(key, _e(art[key]) + (f" [dim]({_e(src)})[/]" if src else ""))
    if dateline:
        meta.add_row(
            "dateline", _e(" / ".join(dateline.get("places") or [])) + f" [dim]{_e(dateline.get('date'))}[/]"
        )
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
            rows = [
                [e["id"], e["type"], e["name"], "; ".join(m["text"] for m in e.get("mentions") or [])]
                for e in facts
            ]
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


def _ref(article_id: str, fact_id: str | None = None) -> str:
    return f"{article_id[:8]}" + (f"/{fact_id}" if fact_id else "")


def _n(count: int, word: str) -> str:
    """'1 report', '3 reports'."""
    return f"{count} {word}" + ("" if count == 1 else "s")


def _more(items: list[Any], shown: int) -> str:
    return f", +{len(items) - shown} more" if len(items) > shown else ""


# --------------------------------------------------------------------------- a story, compact


def _figure_line(f: dict[str, Any]) -> str:
    # the span from first to last number; vague reports ("many people") only when there is no number
    dated = [r for r in f["rows"] if r["date"] != "?"] or f["rows"]
    rows = [r for r in dated if r.get("quantified")] or dated
    first, last = rows[0], rows[-1]
    span = f"{_e(first['value'])} ({first['date'][5:]})"
    if len(rows) > 1 and (last["value"], last["date"]) != (first["value"], first["date"]):
        span += f" → {_e(last['value'])} ({last['date'][5:]})"
    return f"{_e(f['measure'])}: {span} [dim]· {_n(len(f['rows']), 'report')}, {_n(len(f['outlets']), 'outlet')}[/]"


def _flag_lines(f: dict[str, Any]) -> list[str]:
    lines = []
    for r in f["flagged"]:
        style = VERDICT_STYLE.get(r["verdict"], "white")
        text = f"  [{style}]{r['verdict']:<8}[/] {_e(f['measure'])}: {_e(r['value'])} ({_e(r['outlet'])}, {r['date']})"
        if r["verdict"] == "revised" and r["previous"]:
            text += f", was {_e(r['previous'])}"
        if r["verdict"] == "conflict":
            same_day = [o for o in f["rows"] if o["date"] == r["date"] and o["value"] != r["value"]][:2]
            if same_day:
                text += " vs " + "; ".join(f"{_e(o['value'])} ({_e(o['outlet'])})" for o in same_day)
        lines.append(text + f" [dim]{_ref(r['article_id'], r['fact_id'])}[/]")
    for n in f["notable"]:
        style = VERDICT_STYLE.get(n["verdict"], "white")
        lines.append(
            f"  [{style}]{n['verdict']:<8}[/] {_e(f['measure'])}: {_e(n['a'])} vs {_e(n['b'])} {_e(n['note'])}"
        )
    return lines


def render_story_compact(console: Console, view: dict[str, Any], *, hints: bool = True) -> None:
    """The story in a few lines: what, who, when; its conflicts and revisions; the top
    omissions; where to look next."""
    c = view["counts"]
    console.rule(f"[bold]{_e(view['title'])}", style="dim")
    _print(
        console,
        f"story [bold]{_e(view['id'][:12])}[/] · {c['articles']} articles · {c['outlets']} outlets · "
        f"{short_date(view['first_seen'])} → {short_date(view['last_seen'])}"
        + (f" · {c['events']} events" if c["events"] else ""),
    )
    outlets = view["outlets"]
    _print(
        console,
        "outlets: " + ", ".join(f"{_e(o['name'])} {o['articles']}" for o in outlets[:6]) + _more(outlets, 6),
    )
    if view["events"]:
        _print(
            console,
            "events: "
            + " · ".join(
                f"{short_date(ev['first_seen'])} {_e(ev['title'])} ({len(ev['articles'])})"
                for ev in view["events"][:COMPACT_ROWS]
            )
            + _more(view["events"], COMPACT_ROWS),
        )
    figures = view["figures"]
    if figures:
        _print(
            console,
            f"figures: {_n(c['figures'], 'measure')} · [bold red]{_n(c['conflicts'], 'conflict')}[/] · [magenta]{_n(c['revisions'], 'revision')}[/] · {_n(c['updates'], 'update')}",
        )
        for f in sorted(figures, key=lambda f: -f["reports"])[:COMPACT_ROWS]:
            _print(console, "  " + _figure_line(f))
        flags = [line for f in figures for line in _flag_lines(f)]
        for line in flags[: COMPACT_ROWS * 2]:
            _print(console, line)
        if len(flags) > COMPACT_ROWS * 2:
            _print(
                console, f"  [dim]… {len(flags) - COMPACT_ROWS * 2} more conflicts and revisions (--full)[/]"
            )
    else:
        _print(console, "figures: none reported")
    shared = [*view["statements"], *view["quotes"]]
    if shared:
        top = max(shared, key=lambda s: s["outlets"])
        differ = sum(1 for s in shared if s["relation"] != "same" or not s["speakers_agree"])
        _print(
            console,
            f"statements: {len(shared)} shared across outlets, {differ} with differences; widest: “{_e(top['summary'][:90])}” in {_n(top['outlets'], 'outlet')}",
        )
    om = view["omissions"]
    if om:
        _print(console, f"top omissions ({len(om)}):")
        for i, o in enumerate(om[:COMPACT_ROWS], 1):
            absent = o["absent_from"]
            _print(
                console,
                f"  {i}. {_e(o['kind'])}: {_e(o['summary'][:100])} [dim]· in {_n(len(o['present_in']), 'outlet')}, absent from {_e(', '.join(absent[:3]))}{_more(absent, 3)}[/]",
            )
    voices: dict[tuple[str, str], set[str]] = {}
    for block in view["voices"]:
        for v in block["voices"]:
            voices.setdefault((v["speaker"], v["role"]), set()).add(block["outlet"])
    if voices:
        top_voices = sorted(voices.items(), key=lambda kv: (-len(kv[1]), kv[0][0]))[:4]
        _print(
            console,
            "voices: "
            + "; ".join(f"{_e(s)} ({_e(r)}) in {_n(len(o), 'outlet')}" for (s, r), o in top_voices)
            + _more(list(voices), 4),
        )
    if hints:
        sid = _e(view["id"][:12])
        _print(
            console,
            f"[dim]next: parallax story {sid} --full · parallax story {sid} --format html --out story.html · parallax serve, then /stories/{sid}[/]",
        )


def render_stories_compact(
    console: Console, views: list[dict[str, Any]], *, detailed: int = 3, listed: int = 15
) -> None:
    """Many stories: the biggest few in detail, the next ones a line each, the rest counted."""
    ordered = sorted(views, key=lambda v: (-v["counts"]["articles"], -v["counts"]["outlets"], v["id"]))
    for view in ordered[:detailed]:
        render_story_compact(console, view, hints=False)
    rest = ordered[detailed:]
    if rest:
        console.rule(f"[bold]{len(rest)} more stor{'y' if len(rest) == 1 else 'ies'}", style="dim")
        for v in rest[:listed]:
            c = v["counts"]
            _print(
                console,
                f"  [bold]{_e(v['id'][:12])}[/] {c['articles']:>3} art {c['outlets']:>2} outlets {c['conflicts']:>2} conflicts {c['omissions']:>3} omissions  {_e(v['title'][:80])}",
            )
        if len(rest) > listed:
            _print(console, f"  [dim]… and {len(rest) - listed} more: parallax stories[/]")
    if ordered:
        _print(
            console,
            "[dim]next: parallax story ID (a prefix is enough) · --full for every table · parallax serve to browse[/]",
        )


# --------------------------------------------------------------------------- a story, full


def render_story_full(console: Console, view: dict[str, Any]) -> None:
    """Every table: figures (each report), statements side by side, omissions, voices,
    labels, timeline, articles. Outlet columns: the ones with most coverage, the rest in
    one "other outlets" column, so 20 outlets still fit a terminal."""
    render_story_compact(console, view, hints=False)
    main, others = view["main_outlets"], view["other_outlets"]
    for a in view["article_list"]:
        dup = f" [dim](near-duplicate of {_e(a['duplicate_of'][:8])})[/]" if a.get("duplicate_of") else ""
        url = f" [dim]{_e(a['url'])}[/]" if a.get("url") else ""
        _print(
            console,
            f"  [dim]{_e(a['id'][:8])}[/] {_e(a['outlet'])} {short_date(a['published'])} {_e(a['title'])}{dup}{url}",
        )
    for f in view["figures"]:
        table = _table(console, f"Figure: {_e(f['measure'])}")
        for col in ("as of", "outlet", "value", "previous", "source", "verdict", "fact"):
            table.add_column(col, overflow="fold")
        for r in f["rows"]:
            shown = r["verdict"] or r.get("pair_verdict", "")
            style = VERDICT_STYLE.get(shown, "")
            verdict = f"[{style}]{shown}[/]" if style else _e(shown)
            table.add_row(
                r["date"],
                _e(r["outlet"]),
                _e(r["value"]),
                _e(r["previous"]),
                _e(r["source"]),
                verdict,
                _ref(r["article_id"], r["fact_id"]),
            )
        console.print(table)
        for line in _flag_lines(f):
            _print(console, line)
        if f["other_verdicts"]:
            _print(
                console,
                "  [dim]other pairwise verdicts: "
                + ", ".join(f"{n} {k}" for k, n in f["other_verdicts"].items())
                + "[/]",
            )
    for key, title in (("statements", "Statements by claim"), ("quotes", "Quotes across outlets")):
        if not view[key]:
            continue
        table = _table(console, title)
        table.add_column("statement", style="bold", overflow="fold")
        for o in main:
            table.add_column(_e(o), overflow="fold")
        if others:
            table.add_column(f"{len(others)} other outlets", overflow="fold")
        for st in view[key]:
            head = (
                _e(st["summary"])
                + f"\n[dim]{_e(st['relation'])}[/]"
                + ("" if st["speakers_agree"] else "\n[red]speakers differ[/]")
            )
            cells = [
                "\n".join(
                    f"{_e(i['speaker'])}: “{_e(i['text'])}” [dim]{i['date']}[/]" for i in st["cells"][o]
                )
                for o in main
            ]
            if others:
                cells.append(
                    "\n".join(
                        f"{_e(i['outlet'])}: {_e(i['speaker'])}: “{_e(i['text'])}”" for i in st["others"]
                    )
                )
            table.add_row(head, *cells)
        console.print(table)
    if view["omissions"]:
        table = _table(console, "Omissions (ranked)")
        for col in ("#", "kind", "fact", "reported by", "absent from"):
            table.add_column(col, overflow="fold")
        for i, om in enumerate(view["omissions"], 1):
            table.add_row(str(i), _e(om["kind"]), _e(om["summary"]) + (f"\n[dim]{_e(om['note'])}[/]" if om["note"] else ""),
                          _e(", ".join(om["present_in"])), _e(", ".join(om["absent_from"])))  # fmt: skip
        console.print(table)
    if view["voices"]:
        table = _table(console, "Voices: who each outlet lets speak")
        for col in ("outlet", "speaker", "role", "count"):
            table.add_column(col, overflow="fold")
        for block in view["voices"]:
            for v in block["voices"]:
                table.add_row(_e(block["outlet"]), _e(v["speaker"]), _e(v["role"]), str(v["count"]))
        console.print(table)
    if view["label_rows"]:
        table = _table(console, "Labels: how each outlet names the actors")
        table.add_column("term", style="bold")
        table.add_column("actor")
        for o in main:
            table.add_column(_e(o), justify="right")
        if others:
            table.add_column(f"{len(others)} other outlets", overflow="fold")
        for row in view["label_rows"]:
            extra = [_e(", ".join(f"{o}: {c}" for o, c in row["others"]))] if others else []
            table.add_row(
                _e(row["term"]), _e(row["actor"]), *(_e(row["cells"].get(o, "")) for o in main), *extra
            )
        console.print(table)
    if view["timeline"]:
        table = _table(console, "Timeline")
        for col in ("date", "event", "reported by"):
            table.add_column(col, overflow="fold")
        for t in view["timeline"]:
            table.add_row(_e(t["date"]), _e(f"{t['type']}: {t['summary']}"), _e(", ".join(t["outlets"])))
        console.print(table)


def render_story(console: Console, bundle: dict[str, Any], *, full: bool = False) -> None:
    """A story bundle in the terminal: compact, or every table with ``full``."""
    view = story_view(bundle)
    (render_story_full if full else render_story_compact)(console, view)
