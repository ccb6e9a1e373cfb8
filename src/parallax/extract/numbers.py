"""Number normalizer: numerals, spelled-out numbers, scale words and vague quantities.

``parse_number`` turns one number expression ("8,000", "1.5 million", "three
thousand", "a dozen", "$1.2bn" without the symbol) into a float, or ``None`` when
the text is not a number. ``scan_numbers`` finds every number expression in a text
with its character span, in one left-to-right pass. The word lists live in
``lexicons/claims_numbers.json``.
"""

from __future__ import annotations

import functools
import logging
import math
import re
from dataclasses import dataclass
from typing import Any

from parallax.lexicons import alternation as _alt
from parallax.lexicons import load as read_lexicon

__all__ = [
    "NumberMatch",
    "format_number",
    "number_to_words",
    "parse_number",
    "scan_numbers",
]


@functools.cache
def _lexicon() -> dict[str, Any]:
    data: dict[str, Any] = read_lexicon("claims_numbers.json")
    return data


@dataclass(frozen=True, slots=True)
class _Words:
    units: dict[str, float]
    tens: dict[str, float]
    hundred: dict[str, float]
    scales: dict[str, float]
    dozen: dict[str, float]
    abbreviations: dict[str, float]
    fractions: dict[str, float]
    vague: dict[str, tuple[float, float] | None]
    weak_vague: frozenset[str]

    @property
    def all_words(self) -> dict[str, float]:
        return {**self.units, **self.tens, **self.hundred, **self.scales, **self.dozen}


@functools.cache
def _words() -> _Words:
    lex = _lexicon()
    vague: dict[str, tuple[float, float] | None] = {}
    weak: set[str] = set()
    for term, info in lex["vague"].items():
        mag = info.get("magnitude")
        vague[term] = (float(mag[0]), float(mag[1])) if mag else None
        if info.get("weak"):
            weak.add(term)
    return _Words(
        units={k: float(v) for k, v in lex["units"].items()},
        tens={k: float(v) for k, v in lex["tens"].items()},
        hundred={k: float(v) for k, v in lex["hundred"].items()},
        scales={k: float(v) for k, v in lex["scales"].items()},
        dozen={k: float(v) for k, v in lex["dozen"].items()},
        abbreviations={k: float(v) for k, v in lex["scale_abbreviations"].items()},
        fractions={k: float(v) for k, v in lex["fractions"].items()},
        vague=vague,
        weak_vague=frozenset(weak),
    )


_log = logging.getLogger(__name__)

_MAX_INT_DIGITS = 15
_FRACTION_DENOMINATORS = frozenset({2, 3, 4, 5, 6, 8, 10, 12, 16, 32, 64, 100, 128, 1000})
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+(?![\d])|\d+)(?:\.\d+)?|\.\d+"
_DIGITS_RE = re.compile(rf"^(?:{_DIGITS})$")


# --------------------------------------------------------------------------- parsing


def parse_number(text: str) -> float | None:
    """The value of one number expression, or None when ``text`` is not one.

    Accepts numerals ("8,000", "1.5", ".5", "-3"), numerals with scale words or
    abbreviations ("1.5 million", "4 hundred million", "2.7m", "1.76bn"),
    spelled-out numbers ("three thousand two hundred and five", "twenty-five",
    "a dozen", "a million"), fractions ("two-thirds", "a half", "1/16") and
    "-strong"/"-plus" suffixes ("2,000-strong"). Never raises.
    """
    if not isinstance(text, str):
        return None
    s = text.strip().replace("\u2212", "-").replace("\u2044", "/").replace("\u00a0", " ")
    if not s or len(s) > 200:
        return None
    sign = 1.0
    low = s.lower()
    if low.startswith("minus ") or low.startswith("minus-"):
        sign, s = -1.0, s[6:].strip()
    elif s[0] in "+-" and len(s) > 1 and (s[1].isdigit() or s[1] == "."):
        sign, s = (-1.0 if s[0] == "-" else 1.0), s[1:]
    s = re.sub(r"-(?:strong|plus|odd)$", "", s, flags=re.IGNORECASE)
    value = _parse_unsigned(s)
    if value is None or not math.isfinite(value):
        return None
    return sign * value


def _parse_unsigned(s: str) -> float | None:
    words = _words()
    low = s.lower()
    if low in words.fractions:
        return words.fractions[low]
    frac = re.fullmatch(r"(\d+)\s*/\s*(\d+)", s)
    if frac:
        # "24/7" and "9/11" are not fractions; "3/4" and "1/16" are
        num, den = int(frac.group(1)), int(frac.group(2))
        return num / den if 0 < num < den and den in _FRACTION_DENOMINATORS else None
    m = re.fullmatch(rf"({_DIGITS})\s*([A-Za-z]+)?", s)
    scale = abbreviation_scale(m.group(2)) if m and m.group(2) else None
    if m and scale is not None:
        base = _digits_value(m.group(1))
        return None if base is None else base * scale
    return _parse_words(re.split(r"[\s-]+", low.strip()))


def abbreviation_scale(abbrev: str) -> float | None:
    """The multiplier of a scale abbreviation in any case ("bn", "BN", "Mln"), or None.

    The lexicon lists the forms whose case matters ("m"/"M" both mean million here, but
    only a lowercase "m" may be metres); any other casing falls back to the lowercase form.
    """
    table = _words().abbreviations
    if abbrev in table:
        return table[abbrev]
    return table.get(abbrev.lower())


def _digits_value(s: str) -> float | None:
    # the regex admits only numerals with comma groups, so float() cannot fail here
    return float(s.replace(",", "")) if _DIGITS_RE.match(s) else None


def _parse_words(tokens: list[str]) -> float | None:
    """Spelled-out (or mixed "4 hundred million") numbers; None when the sequence is not one number."""
    w = _words()
    tokens = [t for t in tokens if t]
    if not tokens:
        return None
    if tokens[0] == "half" and len(tokens) > 2 and tokens[1] in ("a", "an"):
        rest = _parse_words(tokens[1:])
        return None if rest is None else rest / 2
    if tokens[0] in ("a", "an"):
        if len(tokens) == 1 or tokens[1] not in {**w.hundred, **w.scales, **w.dozen}:
            return None
        tokens = ["one", *tokens[1:]]
    total = 0.0
    current: float | None = None
    last = ""  # kind of the previous token: unit, tens, digits, hundred, scale, and
    last_scale: float | None = None
    for tok in tokens:
        if tok == "and":
            if last not in ("hundred", "scale") or (current is None and total == 0):
                return None
            last = "and"
            continue
        if tok in w.units or tok in w.tens:
            v = w.units.get(tok, w.tens.get(tok, 0.0))
            kind = "unit" if tok in w.units else "tens"
            if last in ("unit", "digits") or (last == "tens" and kind == "tens"):
                return None
            if last == "tens" and v >= 10:
                return None
            current = (current or 0.0) + v
            last = kind
        elif _DIGITS_RE.match(tok):
            if last not in ("", "and") and not (last == "scale" and current is None):
                return None
            d = _digits_value(tok)
            if d is None:
                return None
            current = (current or 0.0) + d
            last = "digits"
        elif tok in w.hundred:
            if last in ("hundred",) or (current is not None and current >= 100):
                return None
            current = (1.0 if current is None else current) * 100
            last = "hundred"
        elif tok in w.dozen:
            if last in ("hundred", "scale") and current is None:
                return None
            current = (1.0 if current is None else current) * w.dozen[tok]
            last = "dozen"
        elif tok in w.scales:
            scale = w.scales[tok]
            if last_scale is not None and scale >= last_scale and not (last == "scale" and current is None):
                return None  # "twenty thousand and one thousand" is two numbers
            last_scale = scale
            if last == "scale" and current is None:
                # "hundred million" style stacking: "4 hundred million" handled via hundred;
                # "a thousand million" multiplies the running total.
                total *= scale
            else:
                total += (1.0 if current is None else current) * scale
            current = None
            last = "scale"
        else:
            return None
    if last == "and":
        return None
    return total + (current or 0.0)


# --------------------------------------------------------------------------- formatting


def format_number(value: float) -> str:
    """Canonical numeral: thousands separated by commas, no trailing ".0"."""
    if not math.isfinite(value):
        raise ValueError(f"cannot format {value!r}")
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.10f}".rstrip("0").rstrip(".")


def number_to_words(n: int) -> str:
    """``n`` spelled out in British style ("three thousand two hundred and five")."""
    if n < 0:
        return "minus " + number_to_words(-n)
    w = _words()
    units = {int(v): k for k, v in w.units.items()}
    tens = {int(v): k for k, v in w.tens.items()}
    if n < 20:
        return units[n]
    if n < 100:
        t, u = divmod(n, 10)
        return tens[t * 10] + (f"-{units[u]}" if u else "")
    if n < 1000:
        h, rest = divmod(n, 100)
        return f"{units[h]} hundred" + (f" and {number_to_words(rest)}" if rest else "")
    for name, scale in sorted(w.scales.items(), key=lambda kv: -kv[1]):
        s = int(scale)
        if n >= s:
            q, rest = divmod(n, s)
            head = f"{number_to_words(q)} {name}"
            if not rest:
                return head
            return f"{head} and {number_to_words(rest)}" if rest < 100 else f"{head} {number_to_words(rest)}"
    raise AssertionError("unreachable")  # pragma: no cover


# --------------------------------------------------------------------------- scanning


@dataclass(frozen=True, slots=True)
class NumberMatch:
    """A number expression found in a text.

    ``value`` is None for vague quantities ("scores of", "hundreds"), whose
    ``vague`` holds the lexicon term and ``magnitude`` its order-of-magnitude
    interval (if it has one). ``abbrev`` is an attached scale abbreviation ("m" in
    "2.7m"), whose reading (million or metre) depends on context: ``base`` is the
    value without it and ``abbrev_start`` where it begins.
    """

    start: int
    end: int
    text: str
    value: float | None
    kind: str  # digits | words | fraction | vague
    vague: str | None = None
    magnitude: tuple[float, float] | None = None
    weak: bool = False
    abbrev: str | None = None
    abbrev_start: int | None = None
    base: float | None = None
    has_comma: bool = False


@functools.cache
def _scan_re() -> re.Pattern[str]:
    w = _words()
    word_alt = _alt(list(w.all_words))
    scale_alt = _alt([*w.hundred, *w.scales])
    abbrev_alt = _alt(list(w.abbreviations))
    spaced_alt = _alt(list(_lexicon()["scale_abbreviations_spaced"]))
    vague_alt = _alt(list(w.vague))
    frac_alt = _alt([f for f in w.fractions if " " in f or "-" in f])
    digits = (
        rf"(?P<sign>(?<![\w.,\-])[-\u2212])?(?P<num>(?<![\d.,])(?:{_DIGITS}))"
        rf"(?P<scale>(?:[\s-]+(?:{scale_alt})\b)+)?"
        rf"(?:(?P<abbrev>{abbrev_alt})(?![A-Za-z\d])|\s(?P<spaced>{spaced_alt})(?![A-Za-z\d]))?"
    )
    words = (
        rf"(?P<words>\b(?:(?:half\s+)?(?:a|an)\s+(?=(?:{scale_alt}|dozen)\b))?(?:{word_alt})"
        rf"(?:(?:\s+and\s+|\s+|-)(?:{word_alt}))*\b)"
    )
    frac = rf"(?P<frac>\b(?:{frac_alt})\b|\bhalf(?=\s+of\b)|(?<![\d/])\d+\s*[/\u2044]\s*\d+(?![\d/]))"
    vague = rf"(?P<vague>\b(?:{vague_alt})\b)"
    sci = (
        r"(?P<sci>(?<![\d.,])\d+(?:\.\d+)?\s*[\u00d7x]\s*10\s*(?:\^|\*\*)?\s*[-\u2212]?\d+(?!\d)"
        r"|(?<![\d.,^])10\s*(?:\^|\*\*)\s*[-\u2212]?\d+(?![\d.]))"
    )
    return re.compile(f"{vague}|{frac}|{sci}|{digits}|{words}", re.IGNORECASE)


def scan_numbers(text: str) -> list[NumberMatch]:
    """Every number expression in ``text``, left to right, non-overlapping.

    A number the rules cannot read is skipped (and logged), never an error: one odd
    number must not cost the article every other fact.
    """
    out: list[NumberMatch] = []
    for m in _scan_re().finditer(text):
        try:
            out.extend(_matches_of(m))
        except (LookupError, ValueError, ArithmeticError) as exc:
            _log.warning("number %r at %d skipped: %r", m.group(0)[:40], m.start(), exc)
    return out


def _matches_of(m: re.Match[str]) -> list[NumberMatch]:
    w = _words()
    if m.group("vague"):
        term = re.sub(r"\s+", " ", m.group("vague").lower())
        return [
            NumberMatch(
                m.start(), m.end(), m.group(0), None, "vague", term, w.vague.get(term), term in w.weak_vague
            )
        ]
    if m.group("frac"):
        value = parse_number(m.group(0))
        return [] if value is None else [NumberMatch(m.start(), m.end(), m.group(0), value, "fraction")]
    if m.group("sci"):
        sci = _scientific(m.group(0))
        return [] if sci is None else [NumberMatch(m.start(), m.end(), m.group(0), sci, "digits")]
    if m.group("num"):
        return _digit_match(m)
    if m.group("words"):
        return _word_matches(m.group("words"), m.start("words"))
    return []


def _scientific(s: str) -> float | None:
    """ "1.99×10−30" -> 1.99e-30; "10^100" -> 1e100."""
    m = re.match(r"(?:(\d+(?:\.\d+)?)\s*[\u00d7xX]\s*)?10\s*(?:\^|\*\*)?\s*([-\u2212]?\d+)", s)
    if not m:
        return None
    exp = int(m.group(2).replace("\u2212", "-"))
    if abs(exp) > 300:
        return None
    return float(m.group(1) or 1) * 10.0**exp


def _digit_match(m: re.Match[str]) -> list[NumberMatch]:
    num = m.group("num")
    if len(num.replace(",", "").split(".")[0]) > _MAX_INT_DIGITS:
        return []  # account, card and ID numbers, not quantities
    base = _digits_value(num)
    if base is None:
        return []
    if m.group("sign"):
        base = -base
    value = base
    scale = m.group("scale")
    if scale:
        scaled = _parse_words([num.replace(",", ""), *re.split(r"[\s-]+", scale.lower().strip())])
        if scaled is not None:
            value = scaled * (-1 if m.group("sign") else 1)
    abbrev = m.group("abbrev") or m.group("spaced")
    scale_value = abbreviation_scale(abbrev) if abbrev else None
    start = m.start()
    if abbrev and scale_value is not None:
        abbrev_start = m.start("abbrev") if m.group("abbrev") else m.start("spaced")
        # the caller decides whether "37m" is metres or millions
        return [
            NumberMatch(
                start,
                m.end(),
                m.group(0),
                value * scale_value,
                "digits",
                abbrev=abbrev,
                abbrev_start=abbrev_start,
                base=value,
                has_comma="," in num,
            )
        ]
    end = m.start("abbrev") if m.group("abbrev") else m.start("spaced") if m.group("spaced") else m.end()
    return [
        NumberMatch(start, end, m.group(0)[: end - start], value, "digits", base=base, has_comma="," in num)
    ]


_WORD_TOKEN = re.compile(r"[A-Za-z]+")
_MAX_WORDS = 12


def _word_matches(run: str, offset: int) -> list[NumberMatch]:
    """Split a run of number words into maximal valid numbers ("two and three" is two numbers)."""
    toks = [(t.group(0).lower(), t.start(), t.end()) for t in _WORD_TOKEN.finditer(run)]
    out: list[NumberMatch] = []
    i = 0
    while i < len(toks):
        best: tuple[int, float] | None = None
        # a number is at most a dozen words: bounds the work on pathological runs
        for j in range(min(len(toks), i + _MAX_WORDS), i, -1):
            if toks[j - 1][0] == "and":
                continue
            v = _parse_words([t[0] for t in toks[i:j]])
            if v is not None:
                best = (j, v)
                break
        if best is None:
            i += 1
            continue
        j, v = best
        s, e = toks[i][1], toks[j - 1][2]
        out.append(NumberMatch(offset + s, offset + e, run[s:e], v, "words"))
        i = j
    return out
