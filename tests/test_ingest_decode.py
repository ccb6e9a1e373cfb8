"""decode_bytes / decode_markup: encodings, BOMs, mojibake, binary and empty inputs."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from parallax.errors import BinaryInputError, EmptyInputError
from parallax.ingest import decode_bytes, decode_markup
from parallax.ingest.decode import declared_charset, normalize_newlines, repair_text

RUSSIAN_SENTENCE = (
    "Президент Казахстана заявил что конституционный порядок в стране восстановлен силами "
    "полиции и армии после беспорядков в нескольких городах на прошлой неделе"
)
RUSSIAN = RUSSIAN_SENTENCE.split()
CHINESE = list("哈萨克斯坦总统表示国家宪法秩序已经恢复安全部队在多个城市平息了骚乱政府宣布全国哀悼日")

# Any text a person could write: no surrogates, no C0/C1 controls other than whitespace.
any_text = st.text(st.characters(exclude_categories=("Cs", "Cc")) | st.sampled_from("\n\r\t "), max_size=200)


def expected(text: str) -> str:
    """What decoding should give back: the text with its newlines normalised and mojibake repaired."""
    return repair_text(normalize_newlines(text))


@pytest.mark.parametrize(
    ("raw", "text", "encoding"),
    [
        (b"Hello, world.\n", "Hello, world.\n", "utf-8"),
        (codecs.BOM_UTF8 + "Привет, мир".encode(), "Привет, мир", "utf-8-sig"),
        ("Zürich – “quoted”".encode("utf-16"), "Zürich – “quoted”", "utf-16"),
        (
            "Zürich – “quoted”".encode("utf-16-be").join([codecs.BOM_UTF16_BE, b""]),
            "Zürich – “quoted”",
            "utf-16",
        ),
        (
            "Le président a déclaré que le café était fermé à cause des grèves, selon la préfecture.".encode(
                "latin-1"
            ),
            "Le président a déclaré que le café était fermé à cause des grèves, selon la préfecture.",
            "cp1252",
        ),
        (b"Nur-Sultan,\r\nJanuary 10\rTASS", "Nur-Sultan,\nJanuary 10\nTASS", "utf-8"),
    ],
)
def test_decode_bytes_known_encodings(raw: bytes, text: str, encoding: str) -> None:
    assert decode_bytes(raw, "x.txt") == (text, encoding)


def test_decode_bytes_cp1251_and_gb18030_sentences() -> None:
    russian = " ".join(RUSSIAN)
    chinese = "".join(CHINESE)
    assert decode_bytes(russian.encode("cp1251"), "ru.txt") == (russian, "cp1251")
    assert decode_bytes(chinese.encode("gb18030"), "zh.txt")[0] == chinese


def test_decode_bytes_repairs_mojibake() -> None:
    # UTF-8 text that went through a Latin-1 round trip somewhere upstream.
    broken = "The café’s owner said “no”.".encode().decode("latin-1").encode("utf-8")
    assert decode_bytes(broken, "x.txt")[0] == "The café’s owner said “no”."


def test_decode_bytes_keeps_quotes_and_ligatures() -> None:
    text = "“Curly” quotes, ﬁne ligatures, ＦＵＬＬ width stay as written."
    assert decode_bytes(text.encode(), "x.txt")[0] == text


@pytest.mark.parametrize("raw", [b"", b"   \n\t\r\n ", "\u3000\n".encode(), codecs.BOM_UTF8])
def test_decode_bytes_empty(raw: bytes) -> None:
    with pytest.raises(EmptyInputError, match="x.txt"):
        decode_bytes(raw, "x.txt")


@pytest.mark.parametrize(
    "raw",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
        bytes(range(256)) * 8,
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(200),
        bytes([1, 2, 3, 4, 5, 6, 7, 8, 11, 14, 15, 16]) * 50,
    ],
)
def test_decode_bytes_binary(raw: bytes) -> None:
    with pytest.raises(BinaryInputError, match="blob.bin"):
        decode_bytes(raw, "blob.bin")


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(text=any_text, encoding=st.sampled_from(["utf-8", "utf-16", "utf-8-sig"]))
@example(text="\ufeffstarts with a BOM character", encoding="utf-8")
def test_decode_bytes_unicode_round_trip(text: str, encoding: str) -> None:
    raw = text.encode(encoding)
    want = expected(text.removeprefix("\ufeff"))
    if not want.strip():
        with pytest.raises(EmptyInputError):
            decode_bytes(raw, "h.txt")
        return
    assert decode_bytes(raw, "h.txt")[0] == want


# Detection is statistical: the texts are natural-language-like (varied words), not "哈" * 24.
@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(words=st.lists(st.sampled_from(RUSSIAN), min_size=8, max_size=40).filter(lambda w: len(set(w)) >= 6))
def test_decode_bytes_cp1251_round_trip(words: list[str]) -> None:
    text = " ".join(words)
    assert decode_bytes(text.encode("cp1251"), "ru.txt")[0] == text


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(
    chars=st.lists(st.sampled_from(CHINESE), min_size=24, max_size=120).filter(lambda c: len(set(c)) >= 12)
)
def test_decode_bytes_gb18030_round_trip(chars: list[str]) -> None:
    text = "".join(chars)
    assert decode_bytes(text.encode("gb18030"), "zh.txt")[0] == text


@settings(max_examples=200)
@given(raw=st.binary(max_size=300))
def test_decode_bytes_only_raises_binary_or_empty(raw: bytes) -> None:
    try:
        text, encoding = decode_bytes(raw, "fuzz")
    except (BinaryInputError, EmptyInputError):
        return
    assert text.strip()
    assert "\r" not in text
    codecs.lookup(encoding)


@pytest.mark.parametrize(
    ("raw", "charset"),
    [
        (b'<html><head><meta charset="windows-1251"></head>', "cp1251"),
        (b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">', "cp1252"),
        (b'<?xml version="1.0" encoding="GB2312"?><rss/>', "gb18030"),
        (b"<html><body>no declaration</body></html>", None),
        (b'<meta charset="no-such-codec">', None),
    ],
)
def test_declared_charset(raw: bytes, charset: str | None) -> None:
    assert declared_charset(raw) == charset


def test_decode_markup_honours_meta_charset() -> None:
    page = '<html><head><meta charset="windows-1251"><title>Новости</title></head><body>Москва</body></html>'
    html, encoding = decode_markup(page.encode("cp1251"), "p.html")
    assert (html, encoding) == (page, "cp1251")


def test_decode_markup_ignores_a_lying_declaration() -> None:
    page = '<html><head><meta charset="ascii"></head><body>Алматы — “город”</body></html>'
    assert decode_markup(page.encode("utf-8"), "p.html")[0] == page


def test_decode_markup_http_charset_beats_meta() -> None:
    page = '<meta charset="utf-8"><p>Ça va</p>'
    html, encoding = decode_markup(page.encode("cp1252"), "p.html", declared="windows-1252")
    assert (html, encoding) == (page, "cp1252")


def test_decode_markup_valid_utf8_beats_a_legacy_declaration() -> None:
    page = '<html><head><meta charset="windows-1251"></head><body>Президент — “заявил”</body></html>'
    assert decode_markup(page.encode("utf-8"), "p.html") == (page, "utf-8")


def test_decode_markup_ascii_page_keeps_its_declaration() -> None:
    page = '<html><head><meta charset="koi8-r"></head><body>plain</body></html>'
    assert decode_markup(page.encode("ascii"), "p.html") == (page, "koi8-r")


def test_decode_bytes_drops_a_stray_nul() -> None:
    raw = b"A long enough news paragraph. " * 50 + b"\x00" + b"More text."
    text, _ = decode_bytes(raw, "x.txt")
    assert "\x00" not in text and text.endswith("More text.")
