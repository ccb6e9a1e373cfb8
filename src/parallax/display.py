"""The one escaping path for everything a person reads: terminal, Markdown, HTML.

Article text, titles, outlet names, file names and error messages are untrusted:
they come from scraped pages and from whoever named the files. Each output has
its own way to go wrong, and each has one function here:

- terminal (Rich): :func:`term` for a value interpolated into Rich markup, or
  :func:`term_text` for a value printed as it is. Both neutralise control
  characters (an ``ESC [2J`` clears the screen, an OSC sequence retitles the
  window, a ``CR`` overwrites what was printed) by showing them as visible
  symbols, and :func:`term` escapes Rich markup, so ``[/]`` neither crashes nor
  ``[final]`` vanishes. Consoles come from :func:`console`, which turns off
  Rich's ``:emoji:`` codes (they would rewrite ``:fire:`` in an article).
- Markdown: :func:`md` escapes HTML (``<script>`` is shown, never run, by a
  CommonMark viewer) and the Markdown syntax that would turn text into links,
  emphasis, code or table cells; :func:`md_code` makes a code span of any value.
- HTML: Jinja2 autoescape; :func:`html_text` for the few strings built in Python.

Data formats (JSON, JSONL, CSV, Parquet) are not escaped: they carry the text exactly.
"""

from __future__ import annotations

import html
import re
from typing import IO, Any

from rich.console import Console
from rich.markup import escape as _rich_escape
from rich.text import Text

__all__ = ["console", "html_text", "md", "md_code", "safe_controls", "term", "term_text"]

# C0 controls but tab and newline, DEL, and C1 controls (U+0080-U+009F; U+009B is an 8-bit CSI).
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROLS_NO_NEWLINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Line and paragraph separators: some terminals and viewers break lines on them.
_SEPARATORS = re.compile(r"[\u2028\u2029]")


def _picture(match: re.Match[str]) -> str:
    ch = match.group()
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␛ for ESC, ␇ for BEL, ␍ for CR
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


def safe_controls(value: Any, *, multiline: bool = True) -> str:
    """``value`` as text a terminal shows and never obeys: control characters become
    visible symbols (``ESC`` -> ``␛``, ``BEL`` -> ``␇``, C1 controls -> ``<U+009B>``).

    With ``multiline=False`` newlines and tabs become spaces too (table cells, one-line messages).
    """
    text = "" if value is None else str(value)
    if not multiline:
        text = text.replace("\n", " ").replace("\t", " ")
        text = _SEPARATORS.sub(" ", text)
        return _CONTROLS_NO_NEWLINE.sub(_picture, text)
    return _CONTROLS.sub(_picture, text)


def term(value: Any, *, multiline: bool = True) -> str:
    """``value`` ready to interpolate into Rich markup: controls made visible, markup escaped.

    It prints exactly as written wherever it lands in the markup, also when it ends in
    a backslash (which Rich would otherwise read as escaping whatever tag comes next).
    """
    text = safe_controls(value, multiline=multiline)
    if text.endswith("\\"):
        # Rich halves backslashes only right before a tag: double them and close with an
        # empty tag, so they print as written whether or not a tag follows.
        stripped = text.rstrip("\\")
        return _rich_escape(stripped) + "\\" * (2 * (len(text) - len(stripped))) + "[dim][/dim]"
    return _rich_escape(text)


def term_text(value: Any, style: str = "", *, multiline: bool = True) -> Text:
    """``value`` as a Rich Text (never parsed as markup), controls made visible."""
    return Text(safe_controls(value, multiline=multiline), style=style)


def console(*, stderr: bool = False, file: IO[str] | None = None, width: int | None = None) -> Console:
    """A Rich console for Parallax output: no ``:emoji:`` substitution, so text prints as written."""
    return Console(stderr=stderr, file=file, width=width, emoji=False)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md(value: Any) -> str:
    """``value`` for a line or table cell of a Markdown report.

    HTML is escaped (a CommonMark viewer shows ``<script>`` instead of running it),
    Markdown punctuation that would make links, images, emphasis, code spans or table
    cells is backslash-escaped, line breaks become spaces, controls become visible.
    A CommonMark viewer shows exactly the original text.
    """
    text = safe_controls(value, multiline=False)
    text = html.escape(text, quote=False)
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_code(value: Any) -> str:
    """``value`` as a Markdown code span (ids, file names): shown verbatim, whatever it holds.

    Inside a code span neither HTML nor backslash escapes apply, so the fence is made
    longer than any run of backticks in the value instead.
    """
    text = safe_controls(value, multiline=False)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def html_text(value: Any) -> str:
    """``value`` escaped for HTML text or a quoted attribute (for HTML built outside a template)."""
    return html.escape("" if value is None else str(value), quote=True)
