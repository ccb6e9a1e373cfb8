"""One escaping path for everything a person reads (parallax.display), and the commands that use it.

Article fields are untrusted: Rich markup in them must print as written (never crash,
never vanish), terminal escape sequences must never reach the terminal, and a
Markdown report must never carry live HTML.
"""

from __future__ import annotations

import html
import io
import json
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from parallax.cli import app
from parallax.display import console, md, md_code, safe_controls, term, term_text
from parallax.records import Rejection, Story
from parallax.report import render_markdown
from parallax.store import open_store
from report_fixtures import HOSTILE, bundle

runner = CliRunner()

TITLE = "Budget [final] vote [/] passes [bold]now\x1b[2J\x1b]0;pwned\x07 :fire: \r\x9b31m"
OUTLET = "Daily [/] Post"
BODY = (
    "The city council approved the budget on Tuesday after a long debate among its members.\n\n"
    "Council members voted 7 to 2 in favour of the plan, which raises spending on schools. \x1b[31mRED\x1b[0m\n\n"
    "The mayor said the vote [bold]showed[/bold] the council could work together on hard questions."
)


def _printed(value: object, *, markup: bool) -> str:
    buf = io.StringIO()
    out = console(file=buf, width=400)
    out.print(term(value) if markup else term_text(value))
    return buf.getvalue()


# --------------------------------------------------------------------------- the functions


def test_term_prints_markup_as_written_and_never_crashes() -> None:
    for value in (
        "[/]",
        "[final]",
        "a [bold]b[/bold] c",
        "ends with a backslash \\",
        "[/] [link=x]y[/link]",
        "[@click]",
    ):
        assert _printed(value, markup=True).rstrip("\n") == value
        assert _printed(value, markup=False).rstrip("\n") == value


def test_term_shows_control_characters_instead_of_obeying_them() -> None:
    shown = _printed("a\x1b[2Jb\x1b]0;title\x07c\rd\x9b31m\x7f", markup=True)
    assert not any(ch in shown for ch in "\x1b\x07\r\x9b\x7f")
    assert "␛[2J" in shown and "␇" in shown and "<U+009B>" in shown
    assert safe_controls("one\ntwo\tthree") == "one\ntwo\tthree"
    assert safe_controls("one\ntwo\u2028three", multiline=False) == "one two three"


def test_console_keeps_emoji_codes_as_text() -> None:
    assert _printed("on :fire: today", markup=True).strip() == "on :fire: today"


def test_md_escapes_html_and_markdown_syntax() -> None:
    out = md("<script>alert(1)</script> [click](javascript:x) *a* `b` a|b\nline & more")
    assert "<" not in out and ">" not in out
    assert "&lt;script&gt;" in out and "&amp; more" in out
    assert "\\[click\\]" in out and "\\*a\\*" in out and "\\`b\\`" in out and "a\\|b" in out
    assert "\n" not in out


def test_markdown_report_carries_no_live_html() -> None:
    b = bundle()
    b["story"]["title"] = HOSTILE
    for art in b["articles"].values():
        art["outlet"] = f"<b>{art['outlet']}</b>"
    comp = b["story"]["comparison"]
    for key in ("statements", "quotes"):
        for st in comp.get(key) or []:
            st["relation"] = "<i>same</i>"
            for v in st["versions"]:
                v["text"] = HOSTILE
    for om in comp.get("omissions") or []:
        om["present_in"] = ["<b>x</b>"]
    text = render_markdown(b)
    assert "<script" not in text and "<img" not in text and "<b>" not in text and "<i>" not in text
    assert "&lt;script&gt;" in text
    # what a CommonMark viewer (raw HTML allowed, as most are) makes of it: the text, shown, not run
    rendered = MarkdownIt("commonmark").enable("table").render(text)
    assert "<script" not in rendered and "<img" not in rendered and "<b>" not in rendered
    assert "&lt;script&gt;document.title=&quot;pwned&quot;&lt;/script&gt;" in rendered


def test_md_text_and_code_spans_render_as_the_original_text() -> None:
    value = "a <b>c</b> [x](javascript:y) *e* `f` \\g & h_i_j | ~k~"
    for wrapped in (md(value), md_code(value), md_code("``tick``")):
        rendered = MarkdownIt("commonmark").render(wrapped)
        assert "<b>" not in rendered and "<a " not in rendered and "<em>" not in rendered
    plain = MarkdownIt("commonmark").render(md(value))
    assert html.unescape(re.sub(r"<[^>]+>", "", plain)).strip() == value
    code = MarkdownIt("commonmark").render(md_code("a``b"))
    assert "<code>a``b</code>" in code


# --------------------------------------------------------------------------- the commands


@pytest.fixture
def hostile_db(tmp_path: Path) -> str:
    # the file name too: people name files, and Rich would read "[final]" in it as a tag
    src = tmp_path / "[final] input.jsonl"
    src.write_text(
        json.dumps({"title": TITLE, "text": BODY, "outlet": OUTLET, "url": "https://example.com/a"}) + "\n"
    )
    db = str(tmp_path / "h.db")
    result = runner.invoke(app, ["ingest", str(src), "--db", db], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    with open_store(db) as store:
        article = store.articles()[0]
        store.save_stories(
            [
                Story(
                    id="s1",
                    title=TITLE,
                    article_ids=[article.id],
                    first_seen=None,
                    last_seen=None,
                    outlets=[OUTLET],
                )
            ]
        )
        store.add_rejection(Rejection(f"{tmp_path}/[final] x.txt", "empty", f"[final] x.txt: {TITLE}"))
    return db


def _assert_safe(out: str) -> None:
    assert not any(ch in out for ch in "\x1b\x07\r\x9b"), repr(out)


@pytest.mark.parametrize("command", [["articles"], ["stories"], ["rejections"]])
def test_cli_lists_print_markup_literally_and_no_escapes(hostile_db: str, command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--db", hostile_db], catch_exceptions=False, terminal_width=400)
    assert result.exit_code == 0, result.output
    _assert_safe(result.output)
    flat = " ".join(result.output.split())
    assert "[final]" in flat and "[/]" in flat and ":fire:" in flat


def test_cli_show_prints_markup_literally_and_no_escapes(hostile_db: str) -> None:
    aid = json.loads(runner.invoke(app, ["articles", "--db", hostile_db, "--format", "json"]).stdout)[0]["id"]
    result = runner.invoke(app, ["show", aid, "--db", hostile_db], catch_exceptions=False, terminal_width=400)
    assert result.exit_code == 0, result.output
    _assert_safe(result.output)
    assert (
        "[final]" in result.output and "[bold]showed[/bold]" in result.output and "␛[31mRED" in result.output
    )


def test_cli_json_output_keeps_the_text_exactly(hostile_db: str) -> None:
    rows = json.loads(runner.invoke(app, ["articles", "--db", hostile_db, "--format", "json"]).stdout)
    assert "\x1b[2J" in rows[0]["title"] and "[final]" in rows[0]["title"]


def test_cli_rejection_messages_print_file_names_literally(tmp_path: Path) -> None:
    bad = tmp_path / "[final] draft.txt"
    bad.write_bytes(b"")
    result = runner.invoke(
        app, ["ingest", str(bad), "--db", str(tmp_path / "p.db")], catch_exceptions=False, terminal_width=400
    )
    assert result.exit_code == 3
    assert "[final] draft.txt" in " ".join(result.output.split())
