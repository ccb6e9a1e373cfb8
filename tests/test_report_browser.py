"""The HTML report opened in real headless Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from browser import dump_dom, screenshot
from parallax.report import render_html_report
from report_fixtures import bundle

pytestmark = pytest.mark.browser


def test_report_browser_renders_and_runs_no_article_script(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(render_html_report([bundle()]), encoding="utf-8")
    dom = dump_dom(page)
    # hostile article text was escaped: its handlers never ran, so the title is ours
    assert "<title>Parallax: Order restored" in dom
    assert "pwned</title>" not in dom
    assert "Figures by measure" in dom and 'id="f-aaaa1111-C1"' in dom
    shot = screenshot(page, tmp_path / "report.png")
    assert shot.stat().st_size > 10_000  # a real rendered page, not a blank one
