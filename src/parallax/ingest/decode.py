"""Bytes to text: BOMs, declared charsets, detection (charset-normalizer), mojibake repair (ftfy)."""

from __future__ import annotations

import codecs
import re
import unicodedata
from functools import cache
from typing import Any

import charset_normalizer
import ftfy

from parallax.errors import BinaryInputError, EmptyInputError
from parallax.lexicons import load as read_lexicon

__all__ = ["decode_bytes", "decode_markup", "declared_charset", "normalize_newlines", "repair_text"]

# Longest first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Only repair encoding damage: quotes, ligatures, widths and normalization are the author's choice.
_REPAIR = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_XML_DECL = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""", re.IGNORECASE)
_NEWLINES = re.compile(r"\r\n?")
_SNIFF_BYTES = 4096
# Share of control characters (other than whitespace) above which decoded "text" is really binary.
_MAX_CONTROL_SHARE = 0.05


def normalize_newlines(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` become ``\\n``."""
    return _NEWLINES.sub("\n", text)


def repair_text(text: str) -> str:
    """Undo mojibake (UTF-8 read as Latin-1/cp1252 and the like) and nothing else."""
    return ftfy.fix_text(text, _REPAIR)


def _bom(raw: bytes) -> str | None:
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return name
    return None


def _codec(label: str | None) -> str | None:
    """A Python codec name for a charset label, or None when Python does not know it."""
    if not label:
        return None
    label = label.strip().lower()
    aliases: dict[str, str] = _encodings()["label_aliases"]
    label = aliases.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def declared_charset(raw: bytes) -> str | None:
    """The charset a page or feed declares in its first bytes (``<meta charset>``, ``<?xml encoding>``)."""
    head = raw[: _SNIFF_BYTES * 4]  # pages put long scripts before their <meta charset>
    match = _XML_DECL.search(head) or _META_CHARSET.search(head)
    return _codec(match.group(1).decode("ascii", "replace")) if match else None


def _looks_binary(raw: bytes) -> bool:
    # Text in the encodings we accept without a BOM has no NUL bytes, save a stray one from a bad copy.
    sample = raw[: _SNIFF_BYTES * 4]
    return sample.count(b"\x00") * 1000 > len(sample)


def _too_many_controls(text: str) -> bool:
    sample = text[: _SNIFF_BYTES * 4]
    if not sample:
        return False
    # C0 only: C1 controls (U+0080-U+009F) are mojibake, which repair_text fixes.
    controls = sum(1 for ch in sample if (ch < " " or ch == "\x7f") and ch not in "\t\n\r\f\v")
    return controls / len(sample) > _MAX_CONTROL_SHARE


@cache
def _encodings() -> dict[str, Any]:
    data: dict[str, Any] = read_lexicon("ingest_encodings.json")
    if not data["preference"]:  # an empty list would make detection consider every codec equally
        raise ValueError("ingest_encodings.json: 'preference' must not be empty")
    return data


def _upper_share(text: str) -> float:
    cased = [ch for ch in text[: _SNIFF_BYTES * 4] if ch.isupper() or ch.islower()]
    return sum(ch.isupper() for ch in cased) / len(cased) if cased else 0.0


_WORD = re.compile(r"[^\W\d_]+")


def _script(ch: str, same: frozenset[str]) -> str:
    name = unicodedata.name(ch, "?").split(" ", 1)[0]
    return "CJK" if name in same else name


def _mixed_words(text: str, same: frozenset[str]) -> int:
    """How many words have letters from more than one script ("梐nd", "Andrй")."""
    return sum(
        1 for word in _WORD.findall(text[: _SNIFF_BYTES * 4]) if len({_script(ch, same) for ch in word}) > 1
    )


def _detect(raw: bytes, source: str) -> tuple[str, str]:
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    table = _encodings()
    preference: list[str] = table["preference"]
    matches = list(charset_normalizer.from_bytes(raw, cp_isolation=preference)) or list(
        charset_normalizer.from_bytes(raw)
    )
    if not matches:
        # charset-normalizer gives up on some short or odd texts; a strict decode still beats "binary".
        for name in preference:
            try:
                return raw.decode(name), _codec(name) or name
            except UnicodeDecodeError:
                continue
        raise BinaryInputError(
            "no text encoding decodes these bytes; this looks like a binary file", source=source
        )
    # charset-normalizer often ties on short texts; plausibility and web usage decide (see the lexicon).
    least = min(m.chaos for m in matches)
    near = [m for m in matches if m.chaos <= least + table["chaos_tolerance"]]

    same = frozenset(table["same_script"])

    def order(match: charset_normalizer.CharsetMatch) -> tuple[int, str]:
        # A match stands for every code page that decodes these bytes identically: name the commonest.
        names = [match.encoding, *match.could_be_from_charset]
        return min((preference.index(n), n) if n in preference else (len(preference), n) for n in names)

    def rank(match: charset_normalizer.CharsetMatch) -> tuple[bool, int, int]:
        text = str(match)
        odd_case = _upper_share(text) > table["max_upper_share"]
        return odd_case, _mixed_words(text, same), order(match)[0]

    best = min(near, key=rank)
    name = order(best)[1]
    return str(best), _codec(name) or name


def _finish(text: str, encoding: str, source: str) -> tuple[str, str]:
    if _too_many_controls(text):
        raise BinaryInputError(
            f"decoded as {encoding} but mostly control characters; a binary file?", source=source
        )
    # Stray NULs go: databases (PostgreSQL) refuse them in text.
    text = repair_text(normalize_newlines(text)).replace("\x00", "")
    if not text.strip():
        raise EmptyInputError("the input is empty or holds only whitespace", source=source)
    return text, encoding


def decode_bytes(raw: bytes, source: str) -> tuple[str, str]:
    """Decode a plain-text dump of unknown encoding.

    A BOM decides first; then strict UTF-8; then charset-normalizer's best guess.
    Mojibake is repaired with ftfy and newlines become ``\\n``.

    Args:
        raw: the bytes as read.
        source: the input's name, used in error messages.

    Returns:
        ``(text, encoding)``, the encoding as a Python codec name.

    Raises:
        EmptyInputError: nothing but whitespace.
        BinaryInputError: not text in any encoding.
    """
    if not raw.strip():
        raise EmptyInputError("the input is empty or holds only whitespace", source=source)
    bom = _bom(raw)
    if bom is not None:
        try:
            text = raw.decode(bom)
        except UnicodeDecodeError as exc:
            raise BinaryInputError(
                f"starts with a {bom} byte-order mark but does not decode as {bom}", source=source
            ) from exc
        return _finish(text.removeprefix("\ufeff"), bom, source)
    if _looks_binary(raw):
        raise BinaryInputError("contains NUL bytes; this looks like a binary file", source=source)
    text, encoding = _detect(raw, source)
    return _finish(text, encoding, source)


def decode_markup(raw: bytes, source: str, declared: str | None = None) -> tuple[str, str]:
    """Decode an HTML page or XML feed.

    Order: a BOM; bytes that are valid UTF-8 with non-ASCII characters (which
    legacy text almost never is by chance, whatever the page declares); then
    ``declared`` (an HTTP ``Content-Type`` charset); then the charset the markup
    declares; then detection. A declared charset that does not decode the bytes
    is ignored: pages often lie.

    Returns:
        ``(markup, encoding)``.

    Raises:
        EmptyInputError, BinaryInputError: as :func:`decode_bytes`.
    """
    if not raw.strip():
        raise EmptyInputError("the input is empty or holds only whitespace", source=source)
    if _bom(raw) is None and not _looks_binary(raw):
        if not raw.isascii():
            try:
                return _finish(raw.decode("utf-8"), "utf-8", source)
            except UnicodeDecodeError:
                pass
        for label in (_codec(declared), declared_charset(raw)):
            if label is None:
                continue
            try:
                return _finish(raw.decode(label), label, source)
            except UnicodeDecodeError:
                continue
    return decode_bytes(raw, source)
