"""`parallax story` and `parallax serve` from the command line, over a stored 20-outlet story."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parallax.cli import app
from report_fixtures import web_store

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("cli") / "p.db")
    web_store(path)
    return path


def test_story_cli_compact_by_default_full_on_demand(db: str) -> None:
    compact = runner.invoke(app, ["story", "storybig", "--db", db])
    assert compact.exit_code == 0, compact.output
    lines = compact.output.splitlines()
    assert len(lines) < 25 and "60 articles · 20 outlets" in compact.output
    assert "next: parallax story storybig0001 --full" in compact.output and "None" not in compact.output
    full = runner.invoke(app, ["story", "storybig", "--db", db, "--full"])
    assert full.exit_code == 0 and len(full.output.splitlines()) > 200
    assert "Omissions (ranked)" in full.output and "16 other outlets" in full.output
    assert "\x1b[" not in full.output  # piped: plain text


def test_story_cli_formats_to_files(db: str, tmp_path: Path) -> None:
    for fmt in ("html", "markdown", "json", "text"):
        out = tmp_path / f"story.{fmt}"
        result = runner.invoke(app, ["story", "s123", "--db", db, "--format", fmt, "--out", str(out)])
        assert result.exit_code == 0, result.output
        text = out.read_text(encoding="utf-8")
        if fmt in ("html", "markdown"):  # JSON and the terminal show the text as it is
            assert "<script>document" not in text and "None" not in text
    assert json.loads((tmp_path / "story.json").read_text())["id"] == "s123"


def test_serve_get_answers_one_request_with_the_envelope(db: str) -> None:
    ok = runner.invoke(app, ["serve", "--db", db, "--get", "/api/stories"])
    assert ok.exit_code == 0 and {s["id"] for s in json.loads(ok.output)} == {"storybig0001", "s123"}
    missing = runner.invoke(app, ["serve", "--db", db, "--get", "/api/nowhere"])
    assert missing.exit_code == 1 and json.loads(missing.output) == {
        "ok": False,
        "error": "no such page or endpoint: /api/nowhere",
        "status": 404,
    }
    bad = runner.invoke(app, ["serve", "--db", db, "--get", "/api/articles/x/facts?kind=bogus"])
    assert bad.exit_code == 1 and json.loads(bad.output)["status"] == 400


def test_serve_binds_a_named_host_and_allows_more(db: str) -> None:
    named = runner.invoke(app, ["serve", "--db", db, "--host", "parallax.lan", "--get", "/api/stories"])
    assert named.exit_code == 0, named.output
    extra = runner.invoke(
        app, ["serve", "--db", db, "--host", "0.0.0.0", "--allow-host", "box.lan", "--get", "/"]
    )
    assert extra.exit_code == 1 and "allow-host" in extra.output  # 0.0.0.0 is not a name a browser sends


def test_serve_reports_a_bad_database_without_a_traceback(tmp_path: Path) -> None:
    result = runner.invoke(app, ["serve", "--db", str(tmp_path / "missing" / "p.db"), "--get", "/"])
    assert result.exit_code == 1 and "Traceback" not in result.output and "does not exist" in result.output
