"""The one-file HTML report opened in real headless Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from browser import Browser, screenshot_dir
from parallax.report import render_html_report
from report_fixtures import big_bundle, bundle

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[1]


def test_report_browser_renders_runs_no_article_script_and_fits_1280(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(render_html_report([bundle(), big_bundle()]), encoding="utf-8")
    with Browser(width=1280, height=900) as b:
        b.open(page.resolve().as_uri())
        # hostile article text was escaped: its handlers never ran, so the title is ours
        assert b.eval("document.title").startswith("Parallax: Order restored")  # type: ignore[union-attr]
        assert b.eval("document.querySelectorAll('img').length") == 0
        assert b.eval("!!document.getElementById('f-aaaa1111-C1')")
        b.eval("document.querySelectorAll('details').forEach(d => d.open = true)")
        assert b.overflow_x() == 0
        shot = b.screenshot(screenshot_dir(REPO / "test-output" / "screenshots") / "10-report.png")
        # a cell's link lands on its span, highlighted
        b.click("a[href='#f-art010xxxxxx-C1']")
        assert b.eval("document.querySelector(':target').id") == "f-art010xxxxxx-C1"
    assert shot.stat().st_size > 10_000
