"""The JSON API and the web UI, over a store holding the two seeds (no extraction)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from conftest import EXAMPLES
from parallax import service
from parallax.store import open_store
from parallax.web import create_app
from parallax.web.dependencies import _store_for, get_settings


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("web") / "p.db")
    store = open_store(path)
    service.ingest(store, [str(EXAMPLES)])
    store.close()
    return path


@pytest.fixture
def client(db: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("PARALLAX_DB", db)
    get_settings.cache_clear()
    _store_for.cache_clear()
    yield TestClient(create_app())
    get_settings.cache_clear()
    _store_for.cache_clear()


def test_web_api_articles_and_article(client: TestClient) -> None:
    rows = client.get("/api/articles").json()
    assert {r["outlet"] for r in rows} == {"TASS", "China Daily"}
    one = client.get(f"/api/articles/{rows[0]['id']}").json()
    assert one["id"] == rows[0]["id"] and one["paragraphs"]
    assert client.get("/api/articles", params={"outlet": "TASS"}).json()[0]["outlet"] == "TASS"


def test_web_error_envelope(client: TestClient) -> None:
    response = client.get("/api/articles/doesnotexist")
    assert response.status_code == 404
    assert response.json() == {"ok": False, "error": response.json()["error"], "status": 404}
    assert "doesnotexist" in response.json()["error"]


def test_web_openapi_lists_the_api(client: TestClient) -> None:
    paths = set(client.get("/openapi.json").json()["paths"])
    assert {"/api/articles", "/api/articles/{article_id}", "/api/articles/{article_id}/facts", "/api/stories",
            "/api/stories/{story_id}", "/api/export"} <= paths  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.browser
def test_web_ui_in_chromium(db: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import uvicorn

    from browser import run_chromium

    monkeypatch.setenv("PARALLAX_DB", db)
    get_settings.cache_clear()
    _store_for.cache_clear()
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        dom = run_chromium(f"http://127.0.0.1:{port}/", "--virtual-time-budget=2000", "--dump-dom")
        assert "<h1>Parallax</h1>" in dom and "2 articles" in dom
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        get_settings.cache_clear()
        _store_for.cache_clear()
