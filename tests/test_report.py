from __future__ import annotations

import io

from rich.console import Console

from parallax.report import mark_spans, render_html_report, render_markdown
from parallax.report.terminal import render_story
from report_fixtures import HOSTILE, bundle


def test_report_html_escapes_untrusted_text() -> None:
    html = render_html_report([bundle()])
    assert HOSTILE not in html
    assert "<script>document.title" not in html
    assert "&lt;script&gt;" in html


def test_report_html_links_cells_to_spans() -> None:
    html = render_html_report([bundle()])
    # the figure cell links to the claim's span, which is marked in the article
    assert 'href="#f-aaaa1111-C1"' in html
    assert 'id="f-aaaa1111-C1"' in html
    assert 'class="verdict v-update"' in html
    assert "<link" not in html and "http" not in html.split("<main>")[0]  # self-contained: no external assets


def test_report_mark_spans_nests_and_survives_crossing() -> None:
    out = str(mark_spans("a <b> c d", [(0, 9, "quotes", "q"), (2, 5, "claims", "c"), (4, 8, "events", "x")]))
    assert out.startswith('<span class="f f-quotes" id="q">a <span class="f f-claims" id="c">&lt;b<a id="x"></a>&gt;</span>')
    assert '<a id="x"></a>' in out
    assert out.count("<span") == out.count("</span>")


def test_report_terminal_and_markdown_render() -> None:
    buf = io.StringIO()
    render_story(Console(file=buf, width=160, force_terminal=False), bundle())
    text = buf.getvalue()
    assert "Figures by measure" in text and "update" in text and "more than 3,000" in text
    md = render_markdown(bundle())
    assert md.startswith("# Order restored") and "| detained |" in md
