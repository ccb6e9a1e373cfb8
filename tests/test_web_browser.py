"""The web UI in real headless Chromium: each page's main path, at 1280 px, with screenshots.

One server and one browser for the whole walk (a few seconds): filter the overview,
search, open a story, follow a cell to its highlighted span, open an actor, an outlet,
the API docs. Every page is checked for sideways overflow at 1280 px and for resources
the Content-Security-Policy refused. Screenshots go to ``test-output/screenshots`` (or
``$PARALLAX_SCREENSHOTS``) for review.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from browser import Browser, chromium, screenshot_dir
from parallax.web import create_app
from report_fixtures import web_store

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("web")]

REPO = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    chromium()  # skip (or fail on CI) before building anything
    db = str(tmp_path_factory.mktemp("webui") / "p.db")
    web_store(db)
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


def _check(b: Browser, shots: Path, name: str) -> None:
    b.screenshot(shots / f"{name}.png")
    assert b.overflow_x() == 0, f"{name}: the page scrolls sideways at 1280 px"
    refused = [e for e in b.console_errors if "Refused" in e or "Content Security Policy" in e]
    assert not refused, f"{name}: {refused}"


def test_web_browser_main_paths(server: str) -> None:
    shots = screenshot_dir(REPO / "test-output" / "screenshots")
    with Browser(width=1280, height=900) as b:
        # the overview, then filtered by an outlet through the form
        b.open(server + "/")
        assert b.eval("document.querySelectorAll('table.stories tr').length") == 3
        _check(b, shots, "01-overview")
        b.eval("document.querySelector('select[name=outlet]').value = 'Outlet A'")
        b.click("form.filters button[type=submit]")
        b.wait_for("location.search.includes('outlet=Outlet+A')")
        assert b.eval("document.querySelectorAll('table.stories tr').length") == 2
        _check(b, shots, "02-overview-filtered")

        # search from the top bar
        b.eval("document.querySelector('header input[type=search]').value = 'heartbroken'")
        b.click("header form button")
        b.wait_for("location.pathname === '/search'")
        assert "heartbroken" in str(b.eval("document.querySelector('ol.hits mark').textContent")).lower()
        _check(b, shots, "03-search")
        b.click("nav.tabs a:nth-child(3)")  # quotes only
        b.wait_for("location.search.includes('kind=quote')")
        assert b.eval(
            "[...document.querySelectorAll('ol.hits .badge')].every(e => e.textContent === 'quote')"
        )

        # open a story: 20 outlets, no sideways scrolling even with every toggle open
        b.open(server + "/")
        b.click("table.stories a[href='/stories/storybig0001']")
        b.wait_for("location.pathname === '/stories/storybig0001'")
        assert b.eval("document.querySelectorAll('svg.chart').length") == 2
        _check(b, shots, "04-story")
        b.eval("document.querySelectorAll('details').forEach(d => d.open = true)")
        _check(b, shots, "05-story-all-open")

        # follow a figure's cell to its highlighted span in the article
        b.click("a[href='/articles/art010xxxxxx#f-art010xxxxxx-C1']")
        b.wait_for("location.pathname === '/articles/art010xxxxxx'")
        target = b.eval(
            "(() => { const t = document.querySelector(':target'); return t && [t.id, t.className, getComputedStyle(t).outlineStyle]; })()"
        )
        assert target == ["f-art010xxxxxx-C1", "f f-figure", "solid"], target
        assert (
            b.eval("document.querySelector(':target').getBoundingClientRect().top") < 900
        )  # scrolled into view
        _check(b, shots, "06-article-at-span")
        # the highlight toggles are CSS only (no script): unchecking quotes clears their colour
        b.click("#hl-quote")
        assert (
            b.eval("getComputedStyle(document.querySelector('.f-quote')).backgroundColor")
            == "rgba(0, 0, 0, 0)"
        )

        # open an actor from the article text, then an outlet
        b.click("a.f-entity[href='/entities/josh%20green']")
        b.wait_for("location.pathname === '/entities/josh%20green'")
        assert b.eval("document.querySelector('h1').textContent").startswith("Josh Green")  # type: ignore[union-attr]
        _check(b, shots, "07-entity")
        b.click("table.list a[href='/outlets/Reuters']")
        b.wait_for("location.pathname === '/outlets/Reuters'")
        _check(b, shots, "08-outlet")

        # the API docs render from package files under the same CSP
        b.open(server + "/docs")
        b.wait_for("document.querySelectorAll('.opblock').length >= 5")
        _check(b, shots, "09-api-docs")
    assert not b.console_errors, b.console_errors
