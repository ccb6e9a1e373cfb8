"""The command line, end to end on the seeds and on broken inputs (no extraction: fast)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import CHINA_DAILY, EXAMPLES, TASS
from parallax.cli import EXIT_REJECTED, app

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str]:
    """(exit code, everything printed: standard output and error)."""
    result = runner.invoke(app, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def stdout(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    return result.stdout


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "p.db")


def test_cli_ingest_is_idempotent_and_links_exact_duplicates(tmp_path: Path, db: str) -> None:
    code, out = invoke("ingest", str(EXAMPLES), "--db", db)
    assert code == 0, out
    rows = json.loads(stdout("articles", "--db", db, "--format", "json"))
    assert len(rows) == 2 and {r["outlet"] for r in rows} == {"TASS", "China Daily"}
    # the same inputs again: nothing new
    code, out = invoke("ingest", str(EXAMPLES), "--db", db)
    assert code == 0
    assert len(json.loads(stdout("articles", "--db", db, "--format", "json"))) == 2
    # the same bytes under another name: linked to the stored article, not copied
    copy = tmp_path / "copy-of-tass.txt"
    shutil.copy(TASS, copy)
    code, out = invoke("ingest", str(copy), "--db", db)
    assert code == 0
    exported = json.loads(stdout("export", "--format", "json", "--db", db))
    assert len(exported["articles"]) == 2
    tass = next(a for a in exported["articles"] if a["outlet"] == "TASS")
    assert str(copy) in tass["sources"]


def test_cli_bad_inputs_are_recorded_and_the_batch_goes_on(tmp_path: Path, db: str) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "empty.txt").write_bytes(b"")
    (batch / "binary.txt").write_bytes(bytes(range(256)) * 40)
    shutil.copy(CHINA_DAILY, batch / "good.txt")
    code, out = invoke("ingest", str(batch), str(tmp_path / "missing.txt"), "--db", db)
    assert code == EXIT_REJECTED
    assert "empty" in out and "binary" in out
    rows = json.loads(stdout("articles", "--db", db, "--format", "json"))
    assert [r["outlet"] for r in rows] == ["China Daily"]
    rejected = json.loads(stdout("rejections", "--db", db, "--format", "json"))
    reasons = {Path(r["source"]).name: r["reason"] for r in rejected}
    assert reasons["empty.txt"] == "empty" and reasons["binary.txt"] == "binary" and "missing.txt" in reasons
    assert all(r["message"] for r in rejected)


def test_cli_user_metadata_wins_and_says_so(db: str) -> None:
    code, out = invoke("ingest", str(TASS), "--db", db, "--published", "2022-01-10", "--outlet", "TASS News Agency")
    assert code == 0, out
    art = json.loads(stdout("export", "--format", "json", "--db", db))["articles"][0]
    assert art["published"].startswith("2022-01-10")
    assert art["outlet"] == "TASS News Agency"
    assert art["provenance"]["published"] == "user-metadata" and art["provenance"]["outlet"] == "user-metadata"


def test_cli_bad_published_flag_is_a_usage_error(db: str) -> None:
    code, out = invoke("ingest", str(TASS), "--db", db, "--published", "next tuesday-ish 99")
    assert code == 2 and "--published" in out


def test_cli_show_and_unknown_id(db: str) -> None:
    invoke("ingest", str(EXAMPLES), "--db", db)
    rows = json.loads(stdout("articles", "--db", db, "--format", "json"))
    tass = next(r for r in rows if r["outlet"] == "TASS")
    assert json.loads(stdout("show", tass["id"][:8], "--db", db, "--format", "json"))["title"] == "Constitutional order in Kazakhstan restored, Kazakh leader says"
    code, out = invoke("show", "ffffffffffff", "--db", db)
    assert code == 1 and "error" in out.lower()


def test_cli_bad_database_url_is_a_clear_error(tmp_path: Path) -> None:
    code, out = invoke("articles", "--db", "postgresql://nobody@127.0.0.1:1/none")
    assert code == 1 and "error" in out.lower()
