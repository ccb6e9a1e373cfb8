"""Exit codes, exactly as the README says, for every command.

``0`` everything went through; ``1`` a fatal error (bad database URL, a database that isn't
there, an unknown id); ``2`` a usage error (an unknown option or value, an output path that
can't be written), found before any work; ``3`` the batch finished with some inputs rejected.
Whatever the code, a person reads a message, never a traceback.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES
from parallax.cli import EXIT_ERROR, EXIT_OK, EXIT_REJECTED, EXIT_USAGE, app

runner = CliRunner()


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("exit")
    db = str(tmp / "p.db")
    result = runner.invoke(app, ["analyze", str(EXAMPLES), "--db", db, "--html", str(tmp / "r.html")])
    assert result.exit_code == 0, result.output
    import json

    aid = json.loads(runner.invoke(app, ["articles", "--db", db, "--format", "json"]).stdout)[0]["id"]
    sid = json.loads(runner.invoke(app, ["stories", "--db", db, "--format", "json"]).stdout)[0]["id"]
    (tmp / "empty.txt").write_bytes(b"")
    shutil.copy(EXAMPLES / "000_4fce811644d33bf8.txt", tmp / "good.txt")
    return {"db": db, "aid": aid, "sid": sid, "tmp": str(tmp), "examples": str(EXAMPLES)}


OK, ERROR, USAGE, REJECTED = EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_REJECTED
# (command line with {placeholders}, expected code); --db {db} is added unless the line names a --db
CASES: list[tuple[str, int]] = [
    # 0: it went through
    ("ingest {tmp}/good.txt", OK),
    ("articles", OK),
    ("articles --format csv", OK),
    ("show {aid}", OK),
    ("show {aid} --format json", OK),
    ("export", OK),
    ("export --format csv --table quotes --out {tmp}/q.csv", OK),
    ("rejections", OK),
    ("extract", OK),
    ("extract --since 2022-01-01", OK),
    ("facts {aid}", OK),
    ("facts {aid} --kind quotes --format json", OK),
    ("analyze {tmp}/good.txt --html {tmp}/again.html", OK),
    ("stories", OK),
    ("story {sid}", OK),
    ("story {sid} --format markdown --out {tmp}/s.md", OK),
    ("serve --get /api/stories", OK),
    ("version", OK),
    ("eval --help", OK),
    # 1: fatal
    ("show nosuchid", ERROR),
    ("facts nosuchid", ERROR),
    ("story nosuchid", ERROR),
    ("serve --get /api/articles/nosuchid", ERROR),
    ("articles --db {tmp}/typo.db", ERROR),
    ("stories --db {tmp}/typo.db", ERROR),
    ("extract --db {tmp}/typo.db", ERROR),
    ("export --db {tmp}/typo.db", ERROR),
    ("rejections --db {tmp}/typo.db", ERROR),
    ("serve --db {tmp}/typo.db --get /", ERROR),
    ("articles --db garbage://::x", ERROR),
    ("ingest {tmp}/good.txt --db postgresql://u@localhost:abc/db", ERROR),
    ("ingest {tmp}/good.txt --db mysql://h/db", ERROR),
    # 2: usage, before any work
    ("nosuchcommand", USAGE),
    ("ingest", USAGE),
    ("ingest {tmp}/good.txt --executor bogus", USAGE),
    ("ingest {tmp}/good.txt --published garbage", USAGE),
    ("articles --format xml", USAGE),
    ("show {aid} --format xml", USAGE),
    ("export --format xml", USAGE),
    ("export --table bogus", USAGE),
    ("export --format parquet", USAGE),
    ("export --out {tmp}/missing/x.json", USAGE),
    ("rejections --format xml", USAGE),
    ("extract --since garbage", USAGE),
    ("facts {aid} --kind bogus", USAGE),
    ("facts {aid} --format xml", USAGE),
    ("analyze {tmp}/good.txt --html {tmp}/missing/r.html", USAGE),
    ("stories --format xml", USAGE),
    ("story {sid} --format xml", USAGE),
    ("story {sid} --format html --out {tmp}/missing/s.html", USAGE),
    ("serve --port 99999", USAGE),
    ("eval nosuch", USAGE),
    # 3: finished, some inputs rejected
    ("ingest {tmp}/empty.txt {tmp}/good.txt", REJECTED),
    ("ingest {tmp}/no-such-file.txt", REJECTED),
    ("analyze {tmp}/empty.txt {tmp}/good.txt --html {tmp}/r3.html", REJECTED),
]


def _args(line: str, env: dict[str, str]) -> list[str]:
    args = [part.format(**env) for part in line.split()]
    if "--db" not in args and args[0] not in ("version", "eval", "nosuchcommand"):
        args += ["--db", env["db"]]
    return args


@pytest.mark.parametrize(("line", "code"), CASES, ids=[c[0] for c in CASES])
def test_exit_code(env: dict[str, str], line: str, code: int) -> None:
    result = runner.invoke(app, _args(line, env))
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    if code in (ERROR, USAGE):
        assert "error" in result.output.lower() or "usage" in result.output.lower(), result.output


def _commands() -> list[str]:
    names = [c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands]
    return names + [g.name for g in app.registered_groups if g.name]


def test_every_command_has_its_exit_codes_tested() -> None:
    tested = {line.split()[0] for line, _ in CASES}
    missing = set(_commands()) - tested
    assert not missing, f"add exit-code cases for {sorted(missing)}"


@pytest.mark.parametrize("command", _commands())
def test_every_command_refuses_an_unknown_option_as_a_usage_error(command: str) -> None:
    result = runner.invoke(app, [command, "--no-such-option"])
    assert result.exit_code == EXIT_USAGE, result.output


def _db_commands() -> list[str]:
    import inspect

    return [
        c.name
        for c in app.registered_commands
        if c.name
        and c.callback
        and "db" in inspect.signature(c.callback).parameters
        and c.name not in ("ingest", "analyze")  # those two create the store
    ]


@pytest.mark.parametrize("command", _db_commands())
def test_every_reading_command_refuses_a_missing_database(command: str, tmp_path: Path) -> None:
    typo = tmp_path / "typo.db"
    args = [command, "x"] if command in ("show", "facts", "story") else [command]
    result = runner.invoke(app, [*args, "--db", str(typo)])
    assert result.exit_code == EXIT_ERROR and "does not exist" in result.output, result.output
    assert not typo.exists()
