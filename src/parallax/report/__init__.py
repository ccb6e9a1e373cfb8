"""Reports of a compared story: terminal (Rich), a self-contained HTML file, Markdown.

A *bundle* is ``{"story": <exported story>, "articles": {id: <exported article>}}``
(see :mod:`parallax.export.schema`); :func:`parallax.export.views.story_view` turns it
into the rows every report lays out. The HTML report is one file, no network, no
build step; article text is untrusted, so everything is escaped (Jinja2 autoescape),
and fact spans are marked with ids (``f-<article>-<fact>``) that every cell links to.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import quote

from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from parallax import __version__
from parallax.display import md as _md
from parallax.display import md_code
from parallax.report.charts import swatch
from parallax.report.common import fmt_number

__all__ = ["fmt_number", "mark_spans", "render_html_report", "render_markdown", "template_env"]


def template_env(*packages: str) -> Environment:
    """A Jinja environment over the given template folders (and the report's), autoescaping
    every template, with the filters the shared story template uses."""
    loaders = [PackageLoader("parallax", p) for p in (*packages, "report/templates")]
    env = Environment(
        loader=ChoiceLoader(loaders), autoescape=select_autoescape(["html", "j2"], default=True)
    )
    env.filters["swatch"] = swatch
    env.filters["pathq"] = lambda s: quote(str(s), safe="")
    return env


@cache
def _env() -> Environment:
    return template_env()


@cache
def stylesheet() -> str:
    return resources.files("parallax").joinpath("report/templates/parallax.css").read_text(encoding="utf-8")


def mark_spans(text: str, spans: list[tuple[int, int, str, str, str | None]]) -> Markup:
    from parallax.export.views import mark_spans as mark

    return mark(text, spans)


def render_html_report(bundles: list[dict[str, Any]]) -> str:
    """One self-contained HTML page for the given stories."""
    from parallax.export.views import marked_article, report_linker, story_view

    views = []
    for bundle in bundles:
        view = story_view(bundle, report_linker)
        view["marked"] = {aid: marked_article(art) for aid, art in bundle["articles"].items()}
        views.append(view)
    css = Markup(stylesheet())  # our own file, not user data
    return str(_env().get_template("report.html.j2").render(views=views, version=__version__, css=css))


def render_markdown(bundle: dict[str, Any]) -> str:
    from parallax.export.views import report_linker, short_date, story_view

    v = story_view(bundle, report_linker)
    c = v["counts"]
    lines = [
        f"# {_md(v['title'])}",
        "",
        f"{c['articles']} articles from {c['outlets']} outlets; {_md(short_date(v['first_seen']))} to {_md(short_date(v['last_seen']))} "
        f"(story {md_code(v['id'])}): {c['figures']} figures, {c['conflicts']} conflicts, {c['revisions']} revisions, "
        f"{c['statements']} shared statements, {c['omissions']} omissions",
        "",
    ]
    for a in v["article_list"]:
        url = f" {md_code(a['url'])}" if a.get("url") else ""
        lines.append(
            f"- {md_code(a['id'][:8])} {_md(a['outlet'])}, {_md(short_date(a['published']))}: {_md(a['title'])}{url}"
        )
    if v["events"]:
        lines += ["", "## Events", ""]
        for ev in v["events"]:
            lines.append(
                f"- {_md(short_date(ev['first_seen']))}: {_md(ev['title'])} ({len(ev['articles'])} articles, {len(ev['outlets'])} outlets)"
            )
    if v["figures"]:
        lines += ["", "## Figures", ""]
        for f in v["figures"]:
            lines += [
                f"### {_md(f['measure'])}",
                "",
                "| as of | outlet | value | previous | source | verdict | fact |",
                "|---|---|---|---|---|---|---|",
            ]
            for r in f["rows"]:
                lines.append(
                    f"| {_md(r['date'])} | {_md(r['outlet'])} | {_md(r['value'])} | {_md(r['previous'])} | {_md(r['source'])} | {_md(r['verdict'] or r.get('pair_verdict', ''))} | {md_code(r['article_id'][:8] + '/' + r['fact_id'])} |"
                )
            for n in f["notable"]:
                lines.append(f"- **{_md(n['verdict'])}**: {_md(n['a'])} vs {_md(n['b'])} {_md(n['note'])}")
            lines.append("")
    for key, title in (("statements", "Statements"), ("quotes", "Direct quotes")):
        if v[key]:
            lines += ["", f"## {title}", ""]
            for st in v[key]:
                lines.append(f"- **{_md(st['summary'])}** ({_md(st['relation'])})")
                for o, items in [*st["cells"].items(), ("", st["others"])]:
                    for it in items:
                        lines.append(
                            f"  - {_md(it['outlet'] or o)}, {_md(it['speaker'])}: “{_md(it['text'])}”"
                        )
    if v["omissions"]:
        lines += ["", "## Omissions", "", "| kind | fact | reported by | absent from |", "|---|---|---|---|"]
        for om in v["omissions"]:
            lines.append(
                f"| {_md(om['kind'])} | {_md(om['summary'])} | {_md(', '.join(om['present_in']))} | {_md(', '.join(om['absent_from']))} |"
            )
    if v["voices"]:
        lines += ["", "## Voices", "", "| outlet | speaker | role | count |", "|---|---|---|---|"]
        for o in v["voices"]:
            for vo in o["voices"]:
                lines.append(
                    f"| {_md(o['outlet'])} | {_md(vo['speaker'])} | {_md(vo['role'])} | {_md(vo['count'])} |"
                )
    if v["label_rows"]:
        lines += ["", "## Labels", "", "| term | actor | outlets |", "|---|---|---|"]
        for row in v["label_rows"]:
            cells = [f"{o}: {n}" for o, n in row["cells"].items()] + [f"{o}: {n}" for o, n in row["others"]]
            lines.append(f"| {_md(row['term'])} | {_md(row['actor'])} | {_md('; '.join(cells))} |")
    if v["timeline"]:
        lines += ["", "## Timeline", ""]
        for t in v["timeline"]:
            lines.append(
                f"- {_md(t['date'])}: {_md(t['type'])}: {_md(t['summary'])} ({_md(', '.join(t['outlets']))})"
            )
    return "\n".join(lines) + "\n"
