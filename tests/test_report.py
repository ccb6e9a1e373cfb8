"""The reports (HTML file, Markdown, terminal) and the views they share, on hand-built stories."""

from __future__ import annotations

import io
import re

from rich.console import Console

from parallax.export import views
from parallax.export.schema import story_to_export
from parallax.records import to_dict
from parallax.report import render_html_report, render_markdown
from parallax.report.charts import ChartPoint, series_chart
from parallax.report.terminal import render_story
from report_fixtures import HOSTILE, big_bundle, big_story, bundle


def test_report_html_escapes_untrusted_text() -> None:
    html = render_html_report([bundle(), big_bundle()])
    assert HOSTILE not in html
    assert "<script>document.title" not in html and "<b>rises</b>" not in html
    assert "&lt;script&gt;" in html


def test_report_html_links_cells_to_spans_and_is_self_contained() -> None:
    html = render_html_report([bundle()])
    # the figure cell links to the claim's span, which is marked in the article
    assert 'href="#f-aaaa1111-C1"' in html
    assert 'id="f-aaaa1111-C1"' in html
    assert "<link" not in html and "<script" not in html
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html)  # no external assets


def test_report_never_prints_none_and_drops_javascript_urls() -> None:
    html = render_html_report([big_bundle()])
    assert ">None<" not in html and "(untitled)" in html
    assert "javascript:" not in html and "https://news.example/art001xxxxxx" in html
    md = render_markdown(big_bundle())
    assert "None" not in md and "javascript:" not in md


def test_report_mark_spans_nests_and_survives_crossing() -> None:
    out = str(
        views.mark_spans(
            "a <b> c d", [(0, 9, "quote", "q", None), (2, 5, "figure", "c", None), (4, 8, "event", "x", None)]
        )
    )
    assert out.startswith(
        '<span class="f f-quote" id="q">a <span class="f f-figure" id="c">&lt;b<a id="x"></a>&gt;</span>'
    )
    assert out.count("<span") == out.count("</span>")
    linked = str(
        views.mark_spans(
            "Josh Green said", [(0, 10, "entity", "e", "/entities/josh%20green"), (0, 15, "quote", "q", None)]
        )
    )
    assert (
        linked
        == '<span class="f f-quote" id="q"><a class="f f-entity" id="e" href="/entities/josh%20green">Josh Green</a> said</span>'
    )


def test_report_story_view_puts_outlets_by_coverage_and_the_rest_behind_a_toggle() -> None:
    v = views.story_view(big_bundle())
    assert len(v["main_outlets"]) == 4 and len(v["other_outlets"]) == 16
    assert [o["articles"] for o in v["outlets"]] == sorted(
        (o["articles"] for o in v["outlets"]), reverse=True
    )
    st = v["statements"][0]
    shown = sum(len(c) for c in st["cells"].values()) + len(st["others"])
    assert shown == 30  # every version is somewhere: in a main column or behind the toggle
    killed = v["figures"][0]
    assert (killed["conflicts"], killed["revisions"], killed["reports"]) == (2, 1, 60)
    # 1,770 pairwise verdicts: only the conflict is listed, the rest counted
    assert [n["verdict"] for n in killed["notable"]] == ["conflict"] and sum(
        killed["other_verdicts"].values()
    ) == 1769
    assert [r["verdict"] for r in killed["flagged"]] == ["conflict", "conflict", "revised"]
    # omissions: the facts most outlets reported first
    assert len(v["omissions"][0]["present_in"]) >= len(v["omissions"][-1]["present_in"])


def test_report_series_chart_marks_conflicts_and_revisions() -> None:
    pts = [
        ChartPoint("2023-08-10", 36, None, None, "A", "A 36", "#a1"),
        ChartPoint("2023-08-12", 55, None, None, "B", "B 55", "#b1", verdict="conflict"),
        ChartPoint("2023-08-12", 53, None, None, "A", "A 53", "#a2", verdict="update"),
        ChartPoint("2023-08-20", 97, None, None, "C", "C <97>", "#c1", verdict="revised", previous=115),
        ChartPoint(None, 10, None, None, "C", "undated", "#c2"),
        ChartPoint("2023-08-21", None, 90, 120, "D", "D 90-120", "#d1"),
    ]
    svg = str(series_chart(pts, {"A": "#0072b2"}, title="killed"))
    assert (
        svg.startswith('<svg class="chart"') and svg.count('<a href="#') == 5
    )  # the undated one is left out
    assert 'stroke="#b91c1c"' in svg  # the conflict ring
    assert "stroke-dasharray" in svg  # from the previous value to the revised one
    assert "C &lt;97&gt;" in svg and "<97>" not in svg
    assert series_chart([ChartPoint(None, 1, None, None, "A", "", "#")], {}) is None


def test_report_exported_story_data_matches_the_records_export() -> None:
    _, _, story = big_story(5, 12)
    assert views.export_story_data(to_dict(story)) == story_to_export(story)


def _terminal(b: dict, *, full: bool = False, terminal: bool = False) -> str:
    buf = io.StringIO()
    render_story(Console(file=buf, width=120, force_terminal=terminal, color_system=None), b, full=full)
    return buf.getvalue()


def test_report_terminal_compact_is_a_few_lines_with_what_matters() -> None:
    text = _terminal(big_bundle())
    lines = text.splitlines()
    assert len(lines) < 25, text
    assert "60 articles · 20 outlets" in text and "2 conflicts" in text and "1 revision " in text
    assert re.search(r"revised\s+killed: 97 \(NPR, 2023-08-19\), was 115", text)
    assert "top omissions (30)" in text and "next: parallax story" in text
    assert "None" not in text and "<b>rises</b>" in text  # shown as text, not markup


def test_report_terminal_full_fits_twenty_outlets_and_piped_is_plain() -> None:
    text = _terminal(big_bundle(), full=True)
    assert "16 other outlets" in text and "Figure: killed" in text and "Omissions (ranked)" in text
    assert "\x1b[" not in text  # not a terminal: no escape codes
    assert not any(c in text for c in "┏┃━╇")  # ASCII boxes when piped


def test_report_terminal_strips_control_characters_and_markup() -> None:
    b = bundle()
    b["story"]["title"] = "Title \x1b[2J\x1b]0;pwned\x07 [/] [bold]x"
    text = _terminal(b, terminal=True)
    assert "\x1b[2J" not in text and "\x1b]0;" not in text and "[/]" in text and "[bold]x" in text


def test_report_markdown_escapes_html() -> None:
    md = render_markdown(bundle())
    assert md.startswith("# Order restored &lt;img") and "<script>" not in md
    assert "### detained" in md and "| 2022-01-07 | Outlet A | more than 3,000 |" in md


def test_report_measures_reported_once_or_twice_share_one_table() -> None:
    v = views.story_view(bundle())
    assert v["charted_figures"] == [] and [r["measure"] for r in v["minor_figures"]] == ["detained", "detained"]
    assert "2 reports" not in render_html_report([bundle()]) and "reported once or twice" in render_html_report([bundle()])
