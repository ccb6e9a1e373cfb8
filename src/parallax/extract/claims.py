"""Numeric claims: every quantity an article states, with what it counts and who says so.

One left-to-right pass: :func:`parallax.extract.numbers.scan_numbers` finds the
number expressions, the surrounding characters give qualifiers, ranges, units and
currencies, and the parse (one Doc, already built) gives the counted noun, the
verb that says what happened to it, and the speaker. Dates, years, times, phone
numbers, ordinals and model numbers ("COVID-19", "iPhone 11") are not quantities.
The vocabularies live in ``lexicons/claims_*.json``.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from parallax.extract.base import ExtractionContext, Extractor
from parallax.extract.numbers import NumberMatch, scan_numbers
from parallax.extract.roles import assign_roles, opens_change
from parallax.lexicons import alternation as _alt
from parallax.lexicons import load as read_lexicon
from parallax.records import EntityRef, NumericClaim

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["ClaimExtractor", "change_code", "extract_claims", "unit_name", "vague_magnitude"]

_log = logging.getLogger(__name__)

_QUOTE_CHARS = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb"
_MAX_CLIMB = 6  # head-chain steps: bounds the work per number on long sentences
_WINDOW = 400  # characters either side of a claim searched for its speaker and date anchor


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = read_lexicon(name)
    return data


@dataclass(frozen=True)
class _Lex:
    prefix_qualifiers: dict[str, dict[str, str]]
    suffix_qualifiers: dict[str, dict[str, str]]
    qual_re: re.Pattern[str]
    suffix_qual_re: re.Pattern[str]
    currency_prefix_re: re.Pattern[str]
    currency_prefix: dict[str, tuple[str, str]]
    unit_re: re.Pattern[str]
    unit_ci_re: re.Pattern[str]
    unit_forms: dict[str, tuple[str, str, str]]  # form -> (symbol, name, kind)
    unit_forms_ci: dict[str, tuple[str, str, str]]
    person_suffixes: tuple[str, ...]
    abbrev_need_money: frozenset[str]
    up_words: frozenset[str]
    down_words: frozenset[str]
    negative_words: frozenset[str]
    verb_category: dict[str, str]
    phrase_category: list[tuple[str, str]]
    noun_category: dict[str, str]
    person_nouns: frozenset[str]
    reporting_verbs: frozenset[str]
    according_to: tuple[str, ...]
    pronouns: frozenset[str]
    identifier_words: frozenset[str]
    street_words: frozenset[str]
    per_re: re.Pattern[str]
    per_forms: dict[str, str]
    year_prepositions: frozenset[str]
    months: frozenset[str]
    as_of_reference: tuple[str, ...]
    period_start_words: frozenset[str]
    event_date_after_re: re.Pattern[str]
    event_date_before_re: re.Pattern[str]
    as_of_cue_re: re.Pattern[str]
    as_of_verbs: frozenset[str]
    measure_verbs: dict[str, str]
    measure_units: frozenset[str]
    measure_verb_categories: frozenset[str]
    measure_preceding_re: re.Pattern[str]
    measure_preceding: dict[str, str]
    following_re: re.Pattern[str]
    following: dict[str, str]
    preceding_re: re.Pattern[str]
    preceding: dict[str, str]
    rate_re: re.Pattern[str]
    toll_re: re.Pattern[str]
    confidence: dict[str, float]
    animal_nouns: frozenset[str]
    animal_re: re.Pattern[str]
    anaphoric_nouns: frozenset[str]
    rate_context_re: re.Pattern[str]
    total_re: re.Pattern[str]
    following_words: frozenset[str]
    unit_names: dict[str, str] = field(default_factory=dict)  # symbol -> name


@functools.cache
def _lex() -> _Lex:
    q = _load("claims_qualifiers.json")
    u = _load("claims_units.json")
    c = _load("claims_categories.json")
    n = _load("claims_numbers.json")
    roles = _load("figures_roles.json")
    prefix = {k.lower(): v for k, v in q["prefix"].items()}
    suffix = {k.lower(): v for k, v in q["suffix"].items()}
    qual_re = re.compile(rf"(?:^|(?<=[^\w]))({_alt(list(prefix))})\s*$", re.IGNORECASE)
    suffix_re = re.compile(rf"^\s*({_alt(list(suffix))})(?![\w])", re.IGNORECASE)
    currency_prefix: dict[str, tuple[str, str]] = {}
    forms: dict[str, tuple[str, str, str]] = {}
    names: dict[str, str] = {}
    for cur in u["currencies"]:
        names[cur["symbol"]] = cur["name"]
        for p in cur["prefix"]:
            currency_prefix.setdefault(p, (cur["symbol"], cur["name"]))
        for f in cur["forms"]:
            forms.setdefault(f, (cur["symbol"], cur["name"], "currency"))
    pct = u["percent"]
    names[pct["symbol"]] = pct["name"]
    for f in pct["forms"]:
        forms[f] = (pct["symbol"], pct["name"], "percent")
    for unit in u["units"]:
        names[unit["symbol"]] = unit["name"]
        for f in unit["forms"]:
            forms.setdefault(f, (unit["symbol"], unit["name"], "measure"))
    # short forms ("m", "C", "PS") are case-sensitive; longer ones are not
    cs = {f: v for f, v in forms.items() if len(f) <= 2 or f.isupper()}
    ci = {f.lower(): v for f, v in forms.items() if f not in cs}
    unit_re = re.compile(rf"^(?:\s*|\s*-\s*)({_alt(list(cs))})(?![A-Za-z\d])")
    unit_ci_re = re.compile(rf"^(?:\s*|\s*-\s*)({_alt(list(ci))})(?![A-Za-z\d])", re.IGNORECASE)
    cur_re = re.compile(rf"(?<![A-Za-z])({_alt(list(currency_prefix))})\s*$")
    per_forms = {f.lower(): sym for sym, fs in u["per_denominators"].items() if sym != "_doc" for f in fs}
    per_re = re.compile(
        rf"^(?:\s+per\s+|\s+an?\s+|\s*/\s*|-an?-)({_alt(list(per_forms))})(?:e?s)?(?![A-Za-z])", re.IGNORECASE
    )
    verb_category = {w: cat for cat, ws in c["verbs"].items() for w in ws}
    phrase_category = sorted(
        ((p, cat) for cat, ps in c["phrases"].items() for p in ps), key=lambda x: len(x[0]), reverse=True
    )
    noun_category = {w: cat for cat, ws in c["nouns"].items() for w in ws}
    return _Lex(
        prefix_qualifiers=prefix,
        suffix_qualifiers=suffix,
        qual_re=qual_re,
        suffix_qual_re=suffix_re,
        currency_prefix_re=cur_re,
        currency_prefix=currency_prefix,
        unit_re=unit_re,
        unit_ci_re=unit_ci_re,
        unit_forms=cs,
        unit_forms_ci=ci,
        person_suffixes=tuple(u["person_suffixes"]),
        abbrev_need_money=frozenset(n["scale_abbreviations_need_money"]),
        up_words=frozenset(q["change_words"]["up"]),
        down_words=frozenset(q["change_words"]["down"]),
        negative_words=frozenset(q["negative_words"]),
        verb_category=verb_category,
        phrase_category=phrase_category,
        noun_category=noun_category,
        person_nouns=frozenset(c["person_nouns"]),
        reporting_verbs=frozenset(c["reporting_verbs"]),
        according_to=tuple(c["according_to"]),
        pronouns=frozenset(c["pronouns"]),
        identifier_words=frozenset(c["identifier_words"]),
        street_words=frozenset(c["street_words"]),
        per_re=per_re,
        per_forms=per_forms,
        year_prepositions=frozenset(c["year_prepositions"]),
        months=frozenset(c["months"]),
        as_of_reference=tuple(c["as_of_reference"]),
        period_start_words=frozenset(c["period_start_words"]),
        event_date_after_re=re.compile(
            rf"^(?:['\u2019]s)?\s+(?:[\w-]+\s+){{0,2}}?(?:{_alt(roles['event_nouns'])})\b", re.IGNORECASE
        ),
        event_date_before_re=re.compile(
            rf"\b(?:{_alt(roles['event_nouns'])})\s+(?:on|of|that\s+struck\s+on|which\s+struck\s+on)\s*$",
            re.IGNORECASE,
        ),
        as_of_cue_re=re.compile(rf"\b(?:{_alt(roles['as_of_cues'])})\s*$", re.IGNORECASE),
        as_of_verbs=frozenset(roles["as_of_verbs"]),
        measure_verbs={w: cat for cat, ws in c["measure_verbs"].items() for w in ws},
        measure_units=frozenset(c["measure_units"]),
        measure_verb_categories=frozenset(c["measure_verbs"]),
        measure_preceding_re=re.compile(
            rf"\b({_alt([w for ws in c['measure_preceding'].values() for w in ws])})\b", re.IGNORECASE
        ),
        measure_preceding={w.lower(): cat for cat, ws in c["measure_preceding"].items() for w in ws},
        following_re=re.compile(
            rf"\b({_alt([w for ws in c['following_phrases'].values() for w in ws])})\b", re.IGNORECASE
        ),
        following={w.lower(): cat for cat, ws in c["following_phrases"].items() for w in ws},
        preceding_re=re.compile(
            rf"\b({_alt([w for ws in c['preceding_phrases'].values() for w in ws])})\b", re.IGNORECASE
        ),
        preceding={w.lower(): cat for cat, ws in c["preceding_phrases"].items() for w in ws},
        rate_re=re.compile(rf"\b(?:{_alt(c['rate_words'])})\b", re.IGNORECASE),
        confidence={k: float(v) for k, v in c["confidence"].items()},
        animal_nouns=frozenset(c["animal_nouns"]),
        animal_re=re.compile(rf"\b(?:{_alt(c['animal_nouns'])})\b", re.IGNORECASE),
        anaphoric_nouns=frozenset(c["anaphoric_nouns"]),
        rate_context_re=re.compile(rf"\b(?:{_alt(c['rate_context_words'])})\b", re.IGNORECASE),
        total_re=re.compile(rf"\b(?:{_alt(c['total_words'])})\b", re.IGNORECASE),
        toll_re=re.compile(rf"\b(?:{_alt(c['toll_before'])})\b(?:(?!\d)[^.;])*$", re.IGNORECASE),
        following_words=frozenset(w.split()[0].lower() for ws in c["following_phrases"].values() for w in ws),
        unit_names=names,
    )


def unit_name(symbol: str | None) -> str | None:
    """The normalized name of a claim's unit ("USD" -> "dollar", "%" -> "percentage")."""
    if symbol is None:
        return None
    names = _lex().unit_names
    if "/" in symbol:
        num, _, den = symbol.partition("/")
        if num in names and den in names:
            return f"{names[num]} per {names[den]}"
    return names.get(symbol)


def change_code(claim: NumericClaim) -> str:
    """The NewsQuant change code of a claim: up, down, >, <, ~ or =."""
    if claim.change in ("up", "down"):
        return claim.change
    if claim.qualifier:
        info = _lex().prefix_qualifiers.get(claim.qualifier.lower()) or _lex().suffix_qualifiers.get(
            claim.qualifier.lower()
        )
        if info:
            return info["change"]
    return "="


# --------------------------------------------------------------------------- the extractor


class ClaimExtractor(Extractor):
    """Numeric claims (counts, money, percentages, measures) with bounds, unit, category and source."""

    name = "claims"
    version = "4"
    requires = ("entities", "times", "quotes")
    assigns = ("claims",)

    def __call__(self, ctx: ExtractionContext) -> None:
        found = extract_claims(ctx, start_id=len(ctx.claims) + 1)
        ctx.claims.extend(assign_roles(found, ctx.text, ctx.reference_date))


@dataclass
class _Quantity:
    start: int  # phrase span (qualifier .. counted noun)
    end: int
    num_start: int  # the number itself
    num_end: int
    value: float | None
    low: float | None = None
    high: float | None = None
    qualifier: str | None = None
    bound: str | None = None
    vague: bool = False
    weak: bool = False
    unit: str | None = None
    unit_kind: str | None = None
    unit_end: int | None = None
    is_range: bool = False
    change: str | None = None
    magnitude: tuple[float, float] | None = None
    fraction: bool = False  # "two-thirds of voters": a share of the group, not a head count


_TIME_AFTER = re.compile(
    r"^(?::\d{2}|\.\d{2}\s*(?:a\.?m\.?|p\.?m\.?)|\s*(?:a\.m\.|p\.m\.|am|pm|GMT|UTC|EDT|EST|PDT|PST|BST|CET|hrs)(?![A-Za-z]))",
    re.IGNORECASE,
)
_ORDINAL_AFTER = re.compile(r"^(?:st|nd|rd|th)(?![A-Za-z])", re.IGNORECASE)
_SKIP_SPANS = re.compile(
    r"\b\d{4}-\d{1,2}-\d{1,2}\b"  # ISO dates
    r"|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b"  # 10/01/2022, 10.01.2022
    r"|(?<![\w.])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,5}\)[\s.-]?\d{2,4}(?:[\s.-]\d{2,4})+|\d{1,5}(?:[\s.-]\d{2,5}){2,4})(?!\w|\.\d)"  # phones
    r"|\b\d{1,2}:\d{2}(?::\d{2})?\b"  # clock times
)
_SCALE_WORDS = frozenset({"hundred", "thousand", "million", "billion", "trillion", "dozen"})
_RANGE_JOIN = re.compile(r"^\s*(to-|to|and|or|-|\u2013|\u2014)\s*", re.IGNORECASE)
_RATE_GAP = re.compile(r"(?:\s*\([^()]{0,80}\))?(?:\s+of\s+(?:[a-z]+\s+){0,1}?[a-z]+)?", re.IGNORECASE)
_RATE_REACH = 60  # characters either side of a volume searched for "a day", "daily"
_PEOPLE_CATEGORIES = frozenset(
    {"killed", "injured", "missing", "homeless", "affected", "rescued", "displaced", "evacuated"}
)
_RATE_PARALLEL = re.compile(
    r"\s*,?\s*(?:to|and|or|,|(?:and\s+)?then\b[^.;\d]{0,40}?)?\s*(?:to\s+)?(?:between\s+)?", re.IGNORECASE
)
_RATE_TAKEN = re.compile(r"\d[\d,.]*\s*(?:[a-z]+\s*)?$", re.IGNORECASE)
_SAME_COUNT_GAP = re.compile(r"[\s,]*(?:to|and|or|,|then)?\s*", re.IGNORECASE)
_TIME_DENOMINATORS = frozenset({"day", "week", "month", "year", "h"})
_CHAINED_RANGE = re.compile(r"\s*(?:per\s*cent|percent|%)?\s+to\s+[$\d]", re.IGNORECASE)
_WORD_BEFORE = re.compile(r"([A-Za-z&.']+)[\s\-]*$")


def extract_claims(ctx: ExtractionContext, start_id: int = 1) -> list[NumericClaim]:
    """The numeric claims of ``ctx.text`` (offsets into it), in text order."""
    text = ctx.text
    if not text:
        return []
    view = _DocView(ctx)
    quantities = list(_quantities(text, view))
    view.quantity_starts = sorted(q.num_start for q in quantities)
    claims: list[NumericClaim] = []
    for q in quantities:
        claim = _guarded(_to_claim, q, view, claims, f"C{start_id + len(claims)}")
        if claim is not None:
            claims.append(claim)
    return _article_volumes(claims, text)


def _article_volumes(claims: list[NumericClaim], text: str) -> list[NumericClaim]:
    """Volumes read in the light of the whole article: where it gives volumes per day, a bare
    volume in a sentence about an estimate (not a total) is per day ("That figure was later
    revised to 5,000 barrels")."""
    lex = _lex()
    rates = {c.unit.split("/")[0] for c in claims if c.unit and c.unit.endswith("/day")}
    out = []
    for c in claims:
        unit, category = c.unit, c.category
        if unit in rates and unit in lex.measure_units:
            sentence = text[c.sentence_start : c.sentence_end]
            if lex.rate_context_re.search(sentence) and not lex.total_re.search(sentence):
                unit = f"{unit}/day"
        out.append(
            c
            if (unit, category) == (c.unit, c.category)
            else dataclasses.replace(c, unit=unit, category=category)
        )
    return out


_T = TypeVar("_T")


def _guarded(fn: Callable[..., _T | None], *args: Any) -> _T | None:
    """``fn(*args)``, or None (logged) when a rule fails on an odd number: one number
    the rules cannot read must not cost the article every other claim."""
    try:
        return fn(*args)
    except (LookupError, ValueError, ArithmeticError, AttributeError, TypeError) as exc:
        _log.warning("claim rule %s failed: %r", getattr(fn, "__name__", fn), exc)
        return None


# --------------------------------------------------------------------------- doc access


class _DocView:
    """Char-offset access to the parse, sentences, quotes, entities and times (all by bisect)."""

    def __init__(self, ctx: ExtractionContext) -> None:
        self.ctx = ctx
        self.doc: Doc = ctx.doc
        self.text = ctx.text
        self.tok_starts = [t.idx for t in self.doc]
        sents = list(self.doc.sents) if self.doc.has_annotation("SENT_START") else [self.doc[:]]
        self.para_breaks = [m.start() for m in re.finditer(r"\n\s*\n", self.text)]
        self.sent_bounds = self._split_at_paragraphs([(s.start_char, s.end_char) for s in sents])
        self.sent_starts = [b[0] for b in self.sent_bounds]
        self.quotes = sorted(ctx.quotes, key=lambda q: q.start)
        self.quote_starts = [q.start for q in self.quotes]
        mentions = [(m.start, m.end, e) for e in ctx.entities for m in getattr(e, "mentions", [])]
        mentions.sort(key=lambda x: x[0])
        self.mentions = mentions
        self.mention_starts = [m[0] for m in mentions]
        self.times = sorted(ctx.times, key=lambda t: t.start)
        self.time_starts = [t.start for t in self.times]
        self.skip_spans = [(m.start(), m.end()) for m in _SKIP_SPANS.finditer(self.text)]
        self.skip_starts = [s[0] for s in self.skip_spans]
        self.persons = [e for e in self.doc.ents if e.label_ == "PERSON"] if not mentions else []
        self.person_starts = [e.start_char for e in self.persons]
        self.quantity_starts: list[int] = []
        self.chunk_of: dict[int, tuple[int, int, int]] = {}
        try:
            for ch in self.doc.noun_chunks:
                for i in range(ch.start, ch.end):
                    self.chunk_of[i] = (ch.start, ch.end, ch.root.i)
        except ValueError:  # no dependency parse
            pass

    def _split_at_paragraphs(self, bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """The parser may run a sentence across a paragraph (or caption) break: cut it there."""
        out: list[tuple[int, int]] = []
        for start, end in bounds:
            i = bisect.bisect_left(self.para_breaks, start)
            while i < len(self.para_breaks) and self.para_breaks[i] < end:
                cut = self.para_breaks[i]
                if cut > start:
                    out.append((start, cut))
                nxt = re.compile(r"\s*").match(self.text, cut)
                start = nxt.end() if nxt else cut
                i += 1
            if end > start:
                out.append((start, end))
        return out

    def quantity_between(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.quantity_starts, start)
        return i < len(self.quantity_starts) and self.quantity_starts[i] < end

    def token_at(self, offset: int) -> Token | None:
        if not len(self.doc):
            return None
        i = bisect.bisect_right(self.tok_starts, offset) - 1
        return self.doc[max(0, i)]

    def sentence(self, offset: int) -> tuple[int, int]:
        i = max(0, bisect.bisect_right(self.sent_starts, offset) - 1)
        return self.sent_bounds[i] if self.sent_bounds else (0, len(self.text))

    def next_sentence(self, offset: int) -> tuple[int, int] | None:
        i = bisect.bisect_right(self.sent_starts, offset)
        return self.sent_bounds[i] if i < len(self.sent_bounds) else None

    def same_paragraph(self, a: int, b: int) -> bool:
        i = bisect.bisect_right(self.para_breaks, a)
        return i >= len(self.para_breaks) or self.para_breaks[i] >= b

    def skipped(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self.skip_starts, start) - 1
        return i >= 0 and self.skip_spans[i][0] <= start and end <= self.skip_spans[i][1]

    def entity_ref(self, start: int, end: int) -> EntityRef | None:
        """The entity with a mention overlapping ``[start, end)`` (the largest overlap)."""
        i = bisect.bisect_left(self.mention_starts, start - 200)
        best: tuple[int, Any] | None = None
        while i < len(self.mentions) and self.mentions[i][0] < end:
            ms, me, ent = self.mentions[i]
            overlap = min(me, end) - max(ms, start)
            if overlap > 0 and (best is None or overlap > best[0]):
                best = (overlap, ent)
            i += 1
        return EntityRef(best[1].id, best[1].name) if best else None


# --------------------------------------------------------------------------- finding quantities


def _quantities(text: str, view: _DocView) -> Iterator[_Quantity]:
    matches = scan_numbers(text)
    joined_later: set[int] = set()  # second ends of ranges read across a parenthesis
    i = 0
    while i < len(matches):
        m = matches[i]
        i += 1
        if view.skipped(m.start, m.end) or i - 1 in joined_later:
            continue
        if m.kind == "vague":
            nxt = matches[i] if i < len(matches) else None
            if m.weak and nxt is not None and nxt.kind == "words" and text[m.end : nxt.start].strip() == "":
                # "several hundred": vague, not 100
                i += 1
                yield _Quantity(m.start, nxt.end, m.start, nxt.end, None, vague=True, weak=False)
                continue
            yield _Quantity(
                m.start, m.end, m.start, m.end, None, vague=True, weak=m.weak, magnitude=m.magnitude
            )
            continue
        q = _guarded(_number_quantity, m, text, view)
        if q is None:
            continue
        # a range: "between 5% and 6%", "5-10W", "$89 to $93 billion", "1 to 2 thousand"
        if i < len(matches) and matches[i].kind != "vague":
            if _is_score(m, matches[i], text):
                i += 1  # "won 3-1": a score, not two quantities
                continue
            joined = _guarded(_try_range, q, m, matches[i], text, view)
            if joined is not None:
                i += 1
                q = joined
            else:
                # "from 12,000 barrels (504,000 gallons or 1.9 million litres) to 25,000 barrels":
                # the range reads past the conversion, which stays a number of its own
                after = _after_parenthesis(q.end, text)
                j = next((k for k in range(i, min(i + 6, len(matches))) if matches[k].start >= after), None)
                if after and j is not None and matches[j].kind != "vague":
                    joined = _guarded(_try_range, q, m, matches[j], text, view, after)
                    if joined is not None:
                        joined_later.add(j)
                        q = joined
        _suffix_qualifier(q, text)
        yield q


def _number_quantity(m: NumberMatch, text: str, view: _DocView) -> _Quantity | None:
    lex = _lex()
    num_start, num_end, value = m.start, m.end, m.value
    if value is None:
        return None
    before = text[max(0, num_start - 60) : num_start]
    # identifiers glued to letters: V10, XC40, COVID-19, TA-35 (but not "sub-7", "minus-5", "now-18")
    if num_start > 0 and text[num_start - 1].isalpha() and not lex.currency_prefix_re.search(before):
        return None
    wb = _WORD_BEFORE.search(before)
    word_before = wb.group(1) if wb else ""
    hyphen_glued = bool(re.search(r"[A-Za-z\d]-$", before))
    if hyphen_glued and (
        any(ch.isupper() or ch.isdigit() for ch in word_before) or word_before.lower() in lex.identifier_words
    ):
        return None
    after = text[num_end : num_end + 40]
    if m.kind == "digits":
        if _TIME_AFTER.match(after) or _ORDINAL_AFTER.match(after):
            return None
        if re.match(r"^\d", after) or re.search(r"\d[:/]$", before) or re.match(r"^[/]\d", after):
            return None
    if (
        m.kind == "fraction"
        and re.match(r"(?i)(?:a|the)\s", m.text)
        and re.match(r"\s+(?!of\b)[A-Za-z]", after)
    ):
        return None  # "a third ferry", "a third day": an ordinal, not a share
    q = _Quantity(num_start, num_end, num_start, num_end, value, fraction=m.kind == "fraction")
    # currency before the number ("$", "US $", "PS", "RM")
    cur = lex.currency_prefix_re.search(before)
    cur_start = None
    if cur:
        q.unit, q.unit_kind = lex.currency_prefix[_norm_space(cur.group(1))][0], "currency"
        cur_start = num_start - (len(before) - cur.start())
    # "37m" is metres, "$2.7m" is millions
    if (
        m.abbrev
        and m.abbrev in lex.abbrev_need_money
        and q.unit_kind != "currency"
        and not _before_plural(m, view)
    ):
        q.value = value = m.base if m.base is not None else value
        q.num_end = num_end = m.abbrev_start if m.abbrev_start is not None else num_end
        after = text[num_end : num_end + 40]
    # negative: "minus 387", "minus-130"
    if word_before.lower() in lex.negative_words and value > 0:
        q.value = value = -value
    if m.kind == "words":
        first_word = m.text.split()[0].lower().split("-")[0]
        if first_word in _SCALE_WORDS:
            return None  # a bare "hundred" or "dozen" ("a baker's dozen") is not a count
        # the word "one" is often a pronoun ("the same one") or an article ("one 52,000-barrel refinery")
        tok = view.token_at(num_start)
        if m.text.lower() == "one" and (
            tok is None
            or tok.pos_ != "NUM"
            or re.match(r"^\s+(?:\d|of\s+(?:which|whom|them|those|these|us|you)\b)", after)
        ):
            return None
    # unit or currency after the number
    if q.unit is None or q.unit_kind == "currency":
        # the longer of the case-sensitive and -insensitive matches: "km/h" beats "km"
        found = [x for x in (lex.unit_re.match(after), lex.unit_ci_re.match(after)) if x]
        um = max(found, key=lambda x: x.end()) if found else None
        if um:
            form = um.group(1)
            info = lex.unit_forms.get(form) or lex.unit_forms_ci.get(_norm_space(form).lower())
            if info and not (q.unit_kind == "currency" and info[2] != "currency"):
                # "$31.20 US" stays USD; "$ 5 Australian dollars" becomes AUD
                if q.unit is None or (info[2] == "currency" and info[0] != "USD"):
                    q.unit, q.unit_kind = info[0], info[2]
                q.unit_end = num_end + um.end()
    if q.unit is not None:
        _per_unit(q, text, view.sentence(num_start))
    if (
        m.kind == "digits"
        and q.unit_end is None
        and re.match(r"^[A-Za-z]", after)
        and not _ORDINAL_AFTER.match(after)
    ):
        return None  # "1990s", "Model 3s", "5G": glued letters that are no unit
    if _is_address(after):
        return None
    start = cur_start if cur_start is not None else num_start
    # qualifier before ("more than", "up to", "about")
    head = text[max(0, start - 40) : start]
    qm = lex.qual_re.search(head)
    if qm:
        qual = _norm_space(qm.group(1)).lower()
        # "sub-7": the hyphen glues the qualifier; other qualifiers need a space
        if qual.endswith("-") == head.endswith("-"):
            q.qualifier = qual
            q.bound = lex.prefix_qualifiers[qual]["bound"]
            start = start - (len(head) - qm.start(1))
    q.start = start
    q.end = q.unit_end if q.unit_end is not None else num_end
    if _not_a_quantity(q, m, text, view, word_before):
        return None
    q.change = _change(q, text, view, word_before)
    _apply_bound(q)
    return q


def _before_plural(m: NumberMatch, view: _DocView) -> bool:
    """ "1.2m residents": an abbreviation followed by a counted plural noun is a scale, not metres."""
    tok = view.token_at(m.end)
    if tok is None or tok.idx < m.end:
        tok = view.doc[tok.i + 1] if tok is not None and tok.i + 1 < len(view.doc) else None
    if tok is None or tok.idx - m.end > 1:
        return False
    # "up to 3m affected": a word that says what a count counts makes it a count too
    return tok.tag_ == "NNS" or tok.lower_ in _lex().following_words


def _per_unit(q: _Quantity, text: str, sentence: tuple[int, int] | None = None) -> None:
    """ "$58.24 per barrel", "$3500 a month": a rate unit ("USD/bbl")."""
    pos = q.unit_end if q.unit_end is not None else q.num_end
    pm = _lex().per_re.match(text[pos : pos + 30])
    if pm and q.unit is not None and "/" not in q.unit:
        q.unit = f"{q.unit}/{_lex().per_forms[_norm_space(pm.group(1)).lower()]}"
        q.unit_end = pos + pm.end()
        return
    if q.unit_kind == "measure" and q.unit is not None and "/" not in q.unit:
        # "40,000 barrels (1.7 million gallons) of oil a day": the rate's "a day" comes later;
        # the span stays the number and its unit
        skip = _RATE_GAP.match(text, pos)
        if skip and skip.end() > pos:
            pm = _lex().per_re.match(text[skip.end() : skip.end() + 30])
            if pm and _lex().per_forms[_norm_space(pm.group(1)).lower()] in _TIME_DENOMINATORS:
                q.unit = f"{q.unit}/{_lex().per_forms[_norm_space(pm.group(1)).lower()]}"
                return
        if (
            q.unit in _lex().measure_units
            and sentence is not None
            and _rate_nearby(text, q.start, pos, sentence)
        ):
            # "the daily spill estimate of 5,000 barrels": a volume in a sentence about a rate is one
            q.unit = f"{q.unit}/day"


def _rate_nearby(text: str, start: int, end: int, sentence: tuple[int, int]) -> bool:
    """A rate word ("a day", "daily", "bpd") near ``[start, end)`` that is no other number's."""
    lex = _lex()
    lo, hi = max(sentence[0], start - _RATE_REACH), min(sentence[1], end + _RATE_REACH)
    for r in lex.rate_re.finditer(text, lo, start):
        between = text[r.end() : start]
        if _RATE_PARALLEL.fullmatch(between):
            return True  # "from 5,000 barrels per day to between 20,000 and 40,000 barrels"
        # "35,000 bpd, the well has dumped nearly 2 million barrels": that bpd is 35,000's
        if not re.search(r"\d", between) and not _RATE_TAKEN.search(text, max(lo, r.start() - 20), r.start()):
            return True
    return any(not re.search(r"\d", text[end : r.start()]) for r in lex.rate_re.finditer(text, end, hi))


def _is_address(after: str) -> bool:
    """ "575 Wilbraham Road", "9 E 71st St": a house number."""
    after = re.sub(r"^[-\u2013]\d+", "", after)  # "16-18 Industrial Avenue"
    words = re.findall(r"[A-Za-z0-9]+\.?", after[:40])[:4]
    if not words or not words[0][:1].isupper():
        return False
    streets = _lex().street_words
    return any(w.rstrip(".").lower() in streets and w[:1].isupper() for w in words[1:] + words[:1])


def _norm_space(s: str) -> str:
    return re.sub(r"\s+", " ", s)


def _apply_bound(q: _Quantity) -> None:
    if q.value is None or q.is_range:
        return
    if q.bound == "low":
        q.low = q.value
    elif q.bound == "high":
        q.high = q.value


def _not_a_quantity(q: _Quantity, m: NumberMatch, text: str, view: _DocView, word_before: str) -> bool:
    """Years, dates, model numbers and identifiers."""
    lex = _lex()
    value = q.value
    if value is None:
        return True
    wb = word_before.lower().rstrip(".")
    after_word = re.match(r"^[\s,.]*([A-Za-z]+)", text[q.num_end : q.num_end + 30])
    aw = after_word.group(1).lower() if after_word else ""
    plain = q.unit is None and q.qualifier is None
    # day of month next to a month name: "January 2", "Feb. 21", "2 December"
    if (
        plain
        and m.kind == "digits"
        and float(value).is_integer()
        and 1 <= value <= 31
        and (wb in lex.months or aw in lex.months)
    ):
        return True
    # years: "in 2018", "the 2022 protests", "January 07, 2022", "up to 2009"
    if (
        (plain or (q.unit is None and q.qualifier in ("up to", "until", "by", "since")))
        and m.kind == "digits"
        and not m.has_comma
        and float(value).is_integer()
        and 1000 <= value <= 2199
        and re.fullmatch(r"\d{4}", m.text)
        and not _counts_plural_noun(q, view, wb)
    ):
        return True
    tok = view.token_at(q.num_start)
    if tok is None:
        return False
    # a number inside a date or time expression, unless it is a duration ("three months")
    # the tagger calls many big numbers DATE: only day, month and year numbers can be one
    date_like = m.kind != "digits" or (float(value).is_integer() and not m.has_comma and 0 <= value <= 2100)
    if (
        plain
        and date_like
        and tok.ent_type_ in ("DATE", "TIME")
        and _in_long_ent(tok)
        and not _duration(q, text, view)
    ):
        return True
    if q.unit is None and m.kind == "digits":
        # model and series numbers: "iPhone 11", "Game 7", "S&P 500", "category 4"
        if wb in lex.identifier_words and not q.qualifier:
            return True
        prev = view.doc[tok.i - 1] if tok.i > 0 else None
        sent_start, _ = view.sentence(q.num_start)
        if (
            prev is not None
            and q.qualifier is None
            and prev.idx >= sent_start
            and prev.idx + len(prev.text) >= q.num_start - 1
            and prev.pos_ == "PROPN"
            and prev.text[:1].isupper()
            and prev.i > 0
            and view.doc[prev.i - 1].idx >= sent_start
            and not _counts_plural_noun(q, view, wb)
        ):
            return True
    return False


def _in_long_ent(tok: Token) -> bool:
    """The token sits in a multi-token entity ("January 10", "last 3 years"); a lone "40" tagged DATE is a count."""
    doc = tok.doc
    before = tok.i > 0 and doc[tok.i - 1].ent_iob_ in ("B", "I") and tok.ent_iob_ == "I"
    after = tok.i + 1 < len(doc) and doc[tok.i + 1].ent_iob_ == "I"
    return before or after


def _counts_plural_noun(q: _Quantity, view: _DocView, word_before: str) -> bool:
    """True for "2000 people", which counts something; "the 2022 protests" and "in 2018" do not."""
    if word_before in _lex().year_prepositions or word_before in _lex().months:
        return False
    tok = view.token_at(q.num_end)
    if tok is None:
        return False
    nxt_i = tok.i + (1 if tok.idx < q.num_end else 0)
    if nxt_i >= len(view.doc):
        return False
    nxt = view.doc[nxt_i]
    return nxt.tag_ in ("NNS",) and nxt.text.islower()


def _duration(q: _Quantity, text: str, view: _DocView) -> bool:
    if q.unit in (
        "s",
        "min",
        "h",
        "day",
        "week",
        "month",
        "year",
        "decade",
        "century",
        "years-old",
        "months-old",
    ):
        return True
    noun = _counted_token(q, view)
    return noun is not None and noun.lemma_.lower() in (
        "year",
        "month",
        "week",
        "day",
        "hour",
        "minute",
        "decade",
        "century",
    )


def _is_score(m1: NumberMatch, m2: NumberMatch, text: str) -> bool:
    """A score ("3-1", "89-89"): two small integers glued by a hyphen, the first not below the second."""
    if text[m1.end : m2.start].strip() not in ("-", "\u2013") or m1.value is None or m2.value is None:
        return False
    if m1.kind != "digits" or m2.kind != "digits" or text[m2.end : m2.end + 1].isalnum():
        return False
    return float(m1.value).is_integer() and float(m2.value).is_integer() and 0 <= m2.value <= m1.value < 200


def _after_parenthesis(end: int, text: str) -> int:
    """Where a short parenthesis right after ``end`` closes (0 when there is none)."""
    m = _PAREN_AFTER.match(text, end)
    return m.end() if m else 0


#: "(504,000 gallons or 1.9 million litres)": a short parenthesis, no sentence inside
_PAREN_AFTER = re.compile(r"\s*\((?:[^()\n.;]|\.(?=\d)){1,60}\)")


def _try_range(
    q: _Quantity, m1: NumberMatch, m2: NumberMatch, text: str, view: _DocView, gap_start: int | None = None
) -> _Quantity | None:
    lex = _lex()
    gap_start = q.end if gap_start is None else gap_start
    gap = text[gap_start : m2.start]
    if len(gap) > 18:
        return None
    jm = _RANGE_JOIN.match(gap)
    if not jm:
        return None
    joiner = jm.group(1).lower()
    rest = gap[jm.end() :].strip()
    # the second number may repeat the currency: "$3 billion to $5 billion"; "between 20,000
    # barrels a day or up to 100,000" bounds its range with a qualifier
    if rest and not lex.currency_prefix_re.fullmatch(rest) and rest.lower() != "up to":
        return None
    opener_text = text[max(0, q.start - 12) : q.start].lower().split()
    opener = opener_text[-1] if opener_text else ""
    if joiner == "and" and opener != "between":
        return None

    q2 = _number_quantity(m2, text, view)
    if q2 is None or q2.value is None or q.value is None:
        return None
    if q.unit and q2.unit and q.unit.split("/")[0] != q2.unit.split("/")[0]:
        return None
    if (
        joiner == "or"
        and opener != "between"
        and not (abs(q.value) <= 100 and abs(q2.value) <= 100 and (q2.unit or _counted_token(q2, view)))
    ):
        return None
    if joiner == "to" and opener != "from" and q.change is not None and q.unit is not None:
        return None  # "rose 18 sen to RM23.50", "grew by $4bn to $40bn": a change and a level
    if (
        joiner == "to"
        and opens_change(text[max(0, q.start - 80) : q.start])
        and not _CHAINED_RANGE.match(text, m2.end)
        and (
            not text[max(0, q.start - 4) : q.start].rstrip().lower().endswith("by")
            or q2.value > 3 * abs(q.value)
        )
    ):
        # "revised down from 115 to 97", "rose by one to 115": a change, not a range; but
        # "from 5 to 7 per cent to 3 to 5" chains ranges, "by 1 to 1.5 degrees" is a range of changes
        return None
    lo = q.value
    # shared scale: "$89 to $93 billion", "1 to 2 thousand"
    if m2.base and m2.value is not None and m2.base != m2.value and m1.base == m1.value and lo <= m2.base:
        lo = lo * (m2.value / m2.base)
    hi = q2.value
    if joiner in ("-", "\u2013", "\u2014", "to-") and lo >= hi:
        return None  # "2-0", "89-89": scores
    out = _Quantity(
        q.start,
        q2.end,
        q.num_start,
        q2.num_end,
        None,
        low=min(lo, hi),
        high=max(lo, hi),
        qualifier=q.qualifier or ("between" if opener == "between" else None),
        unit=q2.unit or q.unit,
        unit_kind=q.unit_kind or q2.unit_kind,
        unit_end=q2.unit_end,
        is_range=True,
        change=q.change,
    )
    if q.bound == "approx":
        out.bound = "approx"
    if (
        out.unit in lex.measure_units
        and "/" not in out.unit
        and _rate_nearby(text, q.start, q2.end, view.sentence(q.num_start))
    ):
        out.unit = f"{out.unit}/day"
    return out


def _suffix_qualifier(q: _Quantity, text: str) -> None:
    lex = _lex()
    if q.qualifier:
        return
    sm = lex.suffix_qual_re.match(text[q.end : q.end + 20])
    if sm:
        qual = _norm_space(sm.group(1)).lower()
        q.qualifier = qual
        q.bound = lex.suffix_qualifiers[qual]["bound"]
        q.end += sm.end()
        if q.value is not None and not q.is_range:
            q.low = q.value if q.bound == "low" else q.low
            q.high = q.value if q.bound == "high" else q.high


def _change(q: _Quantity, text: str, view: _DocView, word_before: str) -> str | None:
    """up/down when a rise or fall governs the figure ("rose 8%", "down 2.3%", "+0.2%")."""
    lex = _lex()
    lead = text[max(0, q.start - 2) : q.start]
    if lead.endswith("+"):
        return "up"
    wb = word_before.lower()
    if q.qualifier is None and wb in ("up", "down"):
        return wb
    tok = view.token_at(q.num_end - 1)
    if tok is None:
        return None
    steps = 0
    while (
        tok.dep_ in ("nummod", "quantmod", "compound", "amod", "nmod", "advmod")
        and tok.head is not tok
        and steps < 3
    ):
        if tok.head.pos_ == "VERB":
            break
        tok = tok.head
        steps += 1
    gov = tok.head
    if tok.dep_ == "pobj" and gov.lower_ == "by":
        gov = gov.head
    elif (
        tok.dep_ not in ("dobj", "npadvmod", "advmod", "nummod", "quantmod", "attr", "amod", "conj")
        or gov is tok
    ):
        return None
    lemma = gov.lemma_.lower()
    if lemma in lex.up_words or gov.lower_ in lex.up_words:
        return "up"
    if lemma in lex.down_words or gov.lower_ in lex.down_words:
        return "down"
    return None


# --------------------------------------------------------------------------- what a number counts


def _counted_token(q: _Quantity, view: _DocView) -> Token | None:
    """The head noun the number counts ("individuals" in "about 8,000 individuals")."""
    tok = view.token_at(max(q.num_start, q.num_end - 1))
    if tok is None:
        return None
    if tok.lower_ == "of" and tok.i + 1 < len(view.doc):
        # vague "scores of people": the noun after "of"
        pobj = [c for c in tok.children if c.dep_ == "pobj"]
        nxt = pobj[0] if pobj else view.doc[tok.i + 1]
        ch = view.chunk_of.get(nxt.i)
        return view.doc[ch[2]] if ch else (nxt if nxt.pos_ in ("NOUN", "PROPN", "PRON") else None)
    chunk = view.chunk_of.get(tok.i)
    if chunk is not None and chunk[2] != tok.i:
        root = view.doc[chunk[2]]
        if root.idx >= q.num_end and root.pos_ in ("NOUN", "PROPN", "PRON"):
            return root
    # climb: "2,000-strong force", "3,000 of them"
    cur = tok
    for _ in range(3):
        if (
            cur.dep_ in ("nummod", "quantmod", "compound", "amod", "advmod", "npadvmod")
            and cur.head is not cur
        ):
            cur = cur.head
            if cur.pos_ in ("NOUN", "PROPN") and cur.idx >= q.num_end:
                return cur
        else:
            break
    # "3,000 of them", "scores of people"
    nxt_i = tok.i + 1
    if nxt_i < len(view.doc) and view.doc[nxt_i].lower_ == "of":
        for child in view.doc[nxt_i].children:
            if child.dep_ == "pobj":
                return child
        if nxt_i + 1 < len(view.doc):
            n2 = view.doc[nxt_i + 1]
            ch = view.chunk_of.get(n2.i)
            return view.doc[ch[2]] if ch else (n2 if n2.pos_ in ("NOUN", "PROPN", "PRON") else None)
    return None


def _actor_span(q: _Quantity, noun: Token, view: _DocView) -> tuple[int, int, Token]:
    """The counted group as written, from after the number to the (coordinated) head noun."""
    doc = view.doc
    last = noun
    # "police and national guard servicemen": follow conjuncts that carry no number of their own
    for _ in range(4):
        conj = [c for c in last.children if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN")]
        # a conjunct with its own number or determiner is another phrase ("residents and an annual budget")
        if not conj or any(
            g.like_num or g.dep_ in ("nummod", "det", "poss") for c in conj for g in c.subtree
        ):
            break
        if any(_is_person(c, c.text) != _is_person(noun, noun.text) for c in conj):
            break
        last = max(conj, key=lambda c: c.i)
    chunk = view.chunk_of.get(last.i)
    end_tok = doc[chunk[1] - 1] if chunk else last
    if end_tok.i < last.i:
        end_tok = last
    start = q.num_end
    end = end_tok.idx + len(end_tok.text)
    return start, end, last


def _counts_animals(noun: Token | None, q: _Quantity, view: _DocView) -> bool:
    """Whether the count is of animals: its noun, or an anaphoric "others" after a count of animals."""
    lex = _lex()
    if noun is None:
        return False
    if noun.lemma_.lower() in lex.animal_nouns or noun.lower_ in lex.animal_nouns:
        return True
    if noun.lower_ in lex.anaphoric_nouns:
        # "316 dead birds ... plus 10 others that died": the others are birds too
        return bool(lex.animal_re.search(view.text[view.sentence(q.num_start)[0] : q.start]))
    return False


def _category(q: _Quantity, noun: Token | None, view: _DocView) -> str | None:
    lex = _lex()
    if q.unit_kind == "currency":
        return "money"
    if q.unit_kind == "percent":
        return "percentage"
    if q.unit_kind == "measure":
        # "5,000 barrels a day are spilling": what happens to the measured stuff, if the lexicon knows it
        if (q.unit or "").split("/")[0] in lex.measure_units:
            return _measure_category(q, view) or "measure"
        return "measure"
    head = view.text[max(view.sentence(q.num_start)[0], q.start - 50) : q.start]
    if lex.toll_re.search(head):
        return "killed"  # "the death toll could be as high as 100,000"
    if _counts_animals(noun, q, view):
        return None  # "87 sea turtles ... found dead", "plus 10 others that died": no count of people
    # "1.5 million Haitians" may be homeless
    following = _following_category(q, view)
    if following is not None:
        return following
    base = noun if noun is not None else view.token_at(q.num_start)
    if base is None:
        return None
    candidates: list[Token] = [c for c in base.children if c.dep_ in ("acl", "amod", "relcl", "appos")]
    if noun is None:
        # a bare number: "... and 400 were hospitalized", whatever the parser attached it to
        doc = view.doc
        candidates.extend(t for t in doc[base.i + 1 : min(len(doc), base.i + 4)] if t.pos_ == "VERB")
    verb: Token | None = None
    cur = base
    for _ in range(_MAX_CLIMB):
        if cur.head is cur:
            break
        cur = cur.head
        if cur.pos_ in ("VERB", "AUX") or cur.dep_ == "ROOT":
            verb = cur
            break
    if verb is not None and verb.lemma_.lower() not in lex.reporting_verbs:
        candidates.append(verb)
        candidates.extend(c for c in verb.children if c.dep_ in ("xcomp", "oprd", "acomp", "ccomp", "conj"))
    for c in candidates:
        for key in (c.lemma_.lower(), c.lower_):
            if key in lex.verb_category:
                return lex.verb_category[key]
    if verb is not None and verb.lemma_.lower() not in lex.reporting_verbs:
        lo = max(verb.left_edge.idx, q.start - 120)
        hi = min(verb.right_edge.idx + len(verb.right_edge.text), q.end + 160)
        window = _norm_space(view.text[lo:hi].lower())
        for phrase, cat in lex.phrase_category:
            if phrase in window:
                return cat
    if noun is not None:
        return lex.noun_category.get(noun.lemma_.lower()) or lex.noun_category.get(noun.lower_)
    return None


_CLAUSE_END = re.compile(
    r"[;:,.!?()\u2013\u2014]|\s-\s|\baccording\b|\bsaid\b|\bwhile\b|\bbut\b", re.IGNORECASE
)


def _following_category(q: _Quantity, view: _DocView) -> str | None:
    """ "300,000 have been made homeless", "36 ... were confirmed dead": the words after the
    count, up to the end of its clause or the next number, say what it counts."""
    lex = _lex()
    if re.search(r"\b(?:its|their|his|her|our)\s*$", view.text[max(0, q.start - 8) : q.start], re.IGNORECASE):
        return None  # "people from its 9,000-strong mission are missing": the number describes, the verb is another's
    end = min(view.sentence(q.num_start)[1], q.end + 70)
    tail = view.text[q.end : end]
    cut = _CLAUSE_END.search(tail)
    if cut:
        tail = tail[: cut.start()]
    nxt = re.search(r"\d", tail)
    if nxt:
        tail = tail[: nxt.start()]
    m = lex.following_re.search(tail)
    return lex.following.get(_norm_space(m.group(1)).lower()) if m else None


def _preceding_category(q: _Quantity, view: _DocView) -> str | None:
    """ "the death toll so far is estimated at 200,000": the last phrase before the number."""
    lex = _lex()
    sent_start, _ = view.sentence(q.num_start)
    head = view.text[max(sent_start, q.start - 100) : q.start]
    found = list(lex.preceding_re.finditer(head))
    if not found or re.search(r"\d", head[found[-1].end() :]):
        return None  # a number in between takes the phrase for itself
    return lex.preceding.get(_norm_space(found[-1].group(1)).lower())


def _measure_category(q: _Quantity, view: _DocView) -> str | None:
    """The category of a measured quantity from the verbs of its clause ("spilled", "collected")."""
    verbs = _lex().measure_verbs
    tok = view.token_at(q.num_start)
    if tok is None:
        return None
    cur = tok
    for _ in range(_MAX_CLIMB):
        for t in (cur, *(c for c in cur.children if c.dep_ in ("acl", "relcl", "xcomp", "conj"))):
            cat = verbs.get(t.lemma_.lower())
            if cat is not None and t.pos_ in ("VERB", "AUX", "NOUN", "ADJ"):
                return cat
        if cur.head is cur:
            break
        cur = cur.head
    sent_start, sent_end = view.sentence(q.num_start)
    lo, hi = max(sent_start, q.start - 80), min(sent_end, q.end + 60)
    first, last = view.token_at(lo), view.token_at(max(lo, hi - 1))
    if first is None or last is None:
        return None
    for t in view.doc[first.i : last.i + 1]:
        if t.lemma_.lower() in verbs and t.pos_ in ("VERB", "NOUN"):
            return verbs[t.lemma_.lower()]
    found = list(_lex().measure_preceding_re.finditer(view.text, max(sent_start, q.start - 100), q.start))
    return _lex().measure_preceding.get(_norm_space(found[-1].group(1)).lower()) if found else None


# --------------------------------------------------------------------------- attribution and time


def _attribution(q: _Quantity, view: _DocView, sent: tuple[int, int]) -> tuple[EntityRef | None, str | None]:
    """The speaker: the quote the claim sits in, a reporting verb in its sentence, or the next sentence's."""
    i = bisect.bisect_right(view.quote_starts, q.start) - 1
    # quotes may nest or overlap: look back a few
    for j in range(i, max(-1, i - 6), -1):
        quote = view.quotes[j]
        if quote.start <= q.start and q.end <= quote.end + 1 and quote.speaker is not None:
            return quote.speaker, quote.id
    for j in range(max(0, i - 6), min(len(view.quotes), i + 6)):
        quote = view.quotes[j]
        if (
            quote.speaker is not None
            and quote.sentence_start <= sent[0]
            and sent[1] <= quote.sentence_end
            and quote.sentence_end > quote.sentence_start
        ):
            return quote.speaker, quote.id
    ref = _reporting_subject(q, view, sent, governs=True)
    if ref is not None:
        return ref, None
    nxt = view.next_sentence(sent[0])
    if nxt is not None and view.same_paragraph(sent[0], nxt[1]):
        k = bisect.bisect_left(view.quote_starts, nxt[0])
        for j in range(max(0, k - 2), min(len(view.quotes), k + 3)):
            quote = view.quotes[j]
            if (
                quote.speaker is not None
                and nxt[0] <= quote.start < nxt[1]
                and (quote.cue_start or 0) > quote.end
            ):
                return quote.speaker, None
        ref = _reporting_subject(q, view, nxt, governs=False)
        if ref is not None:
            return ref, None
    return None, None


def _reporting_subject(
    q: _Quantity, view: _DocView, sent: tuple[int, int], governs: bool
) -> EntityRef | None:
    """The subject of a reporting verb ("said", "according to") near the claim, within ``sent``."""
    lex = _lex()
    doc = view.doc
    # a window around the claim keeps the work per claim bounded on run-on sentences
    lo, hi = (max(sent[0], q.start - _WINDOW), min(sent[1], q.end + _WINDOW)) if governs else sent
    first, last = view.token_at(lo), view.token_at(max(lo, hi - 1))
    if first is None or last is None:
        return None
    low = view.text[lo:hi].lower()
    k = low.find("according to ")
    if k >= 0:
        tok = view.token_at(lo + k + len("according to "))
        if tok is not None:
            return _ref_for(tok, view)
    sent_last = view.token_at(max(sent[0], sent[1] - 1))
    for t in doc[first.i : min(last.i + 1, first.i + 2 * _WINDOW)]:
        if t.pos_ != "VERB" or t.lemma_.lower() not in lex.reporting_verbs:
            continue
        if not governs:
            # "Everyone is safe, said Dujarric.": the verb comes after its content
            subj = [c for c in t.children if c.dep_ == "nsubj"]
            if subj and subj[0].i > t.i and any(c.dep_ == "ccomp" and c.i < t.i for c in t.children):
                return _ref_for(subj[0], view)
            nxt = doc[t.i + 1] if t.i + 1 < len(doc) else None
            if not subj and nxt is not None and nxt.pos_ == "PROPN" and nxt.idx < sent[1]:
                return _ref_for(nxt, view)  # the parse lost the inverted subject ("..., said Dujarric.")
            continue
        num_tok = view.token_at(q.num_start)
        if num_tok is None:
            continue
        # ", the ministry said." at the end of the sentence covers it even when the parse does not
        closing = t.i > num_tok.i and sent_last is not None and sent_last.i - t.i <= 5
        if not closing and not _is_ancestor(t, num_tok):
            continue
        subj = [c for c in t.children if c.dep_ == "nsubj"]
        if subj:
            return _ref_for(subj[0], view)
    return None


def _is_ancestor(a: Token, b: Token) -> bool:
    cur = b
    for _ in range(40):
        if cur is a or cur.i == a.i:
            return True
        if cur.head.i == cur.i:
            return False
        cur = cur.head
    return False


def _ref_for(tok: Token, view: _DocView) -> EntityRef | None:
    lex = _lex()
    span_start = tok.left_edge.idx
    span_end = tok.right_edge.idx + len(tok.right_edge.text)
    if span_end - span_start > 120:
        span_start, span_end = tok.idx, tok.idx + len(tok.text)
    ref = view.entity_ref(tok.idx, tok.idx + len(tok.text)) or view.entity_ref(span_start, span_end)
    if ref is not None:
        return ref
    if tok.pos_ == "PRON":
        if tok.lower_ in lex.pronouns:
            return None
        # "he said": the nearest person mentioned before, within the paragraph
        i = bisect.bisect_left(view.mention_starts, tok.idx) - 1
        while i >= 0 and view.mentions[i][0] > tok.idx - 1500:
            ms, _me, ent = view.mentions[i]
            if getattr(ent, "type", "") == "PERSON":
                return EntityRef(ent.id, ent.name)
            i -= 1
        if not view.mentions:
            # no entity extractor ran: the nearest person the parser found before
            lo = bisect.bisect_left(view.person_starts, tok.idx - 1500)
            hi = bisect.bisect_left(view.person_starts, tok.idx)
            near = view.persons[lo:hi]
            # a single word tagged PERSON is often a nationality ("Kazakh"): prefer full names
            full = [e for e in near if len(e) > 1 or "-" in e.text]
            if full or near:
                return EntityRef(None, (full or near)[-1].text)
        return None
    name = view.text[span_start:span_end].strip()
    name = re.sub(r"^(?:the|a|an)\s+", "", name, flags=re.IGNORECASE)
    return EntityRef(None, name) if name else None


def _as_of(q: _Quantity, view: _DocView, sent: tuple[int, int]) -> str | None:
    """The day the figure holds for: the reporting date unless the sentence dates the count.

    A date counts when a cue introduces it ("as of Tuesday night", "by Friday") or a
    reporting verb carries it ("officials said on Tuesday"); the date of the counted
    event ("the Aug. 8 fire", "the quake on Jan. 12") and the start of a period ("since
    Monday") are not as-of dates, nor is a day after the reporting date.
    """
    lex = _lex()
    ref = view.ctx.reference_date
    near = view.text[max(sent[0], q.start - _WINDOW) : min(sent[1], q.end + _WINDOW)].lower()
    if any(p in near for p in lex.as_of_reference):
        return ref
    i = bisect.bisect_left(view.time_starts, sent[0])
    best: tuple[int, str] | None = None
    while i < len(view.times) and view.times[i].start < sent[1]:
        t = view.times[i]
        i += 1
        if t.type not in ("DATE", "TIME") or not re.fullmatch(r"(?:\d{4}|XXXX)-\d\d(?:-\d\d)?", t.value[:10]):
            continue
        if q.num_start <= t.start < q.end:
            continue
        before = view.text[max(sent[0], t.start - 40) : t.start]
        after = view.text[t.end : min(sent[1], t.end + 40)]
        words = before.lower().split()
        if words and words[-1] in lex.period_start_words:
            continue
        if lex.event_date_after_re.match(after) or lex.event_date_before_re.search(before):
            continue  # "the Aug. 8 fire", "Tuesday's quake", "the earthquake on Jan. 12"
        cued = bool(lex.as_of_cue_re.search(before))
        if not cued and not _reported_on(t.start, t.end, view, sent):
            continue
        value = t.value[:10]
        if value.startswith("XXXX"):
            year = ref[:4] if ref and re.match(r"^\d{4}", ref) else None
            value = f"{year}{value[4:]}" if year else "--" + value[5:]
        if ref and len(value) == 10 and len(ref) >= 10 and value > ref[:10]:
            continue  # a later day is a plan or a forecast, not what the count holds for
        dist = abs(t.start - q.start) - (1000 if cued else 0)
        if best is None or dist < best[0]:
            best = (dist, value)
    return best[1] if best is not None else ref


def _reported_on(start: int, end: int, view: _DocView, sent: tuple[int, int]) -> bool:
    """The date goes with a reporting verb ("said on Tuesday", "on Monday told reporters")
    or a verb of the count itself ("rose to 115 on Friday")."""
    lex = _lex()
    first, last = view.token_at(start), view.token_at(max(start, end - 1))
    if first is None or last is None:
        return False
    doc = view.doc
    near = list(doc[max(0, first.i - 4) : min(len(doc), last.i + 5)])
    head = first
    for _ in range(4):  # the verb the date hangs off ("rose by one to 115 on Friday")
        if head.head is head:
            break
        head = head.head
        if head.pos_ in ("VERB", "AUX"):
            near.append(head)
            break
    for t in near:
        if (
            sent[0] <= t.idx < sent[1]
            and t.pos_ in ("VERB", "AUX")
            and (t.lemma_.lower() in lex.reporting_verbs or t.lemma_.lower() in lex.as_of_verbs)
        ):
            return True
    return False


def _scare_quoted(start: int, end: int, text: str) -> bool:
    """The label sits in its own short quotation marks: 26 "armed criminals"."""
    k = start
    while k < end and text[k] in " \t":
        k += 1
    e = end
    if k < len(text) and text[k] in _QUOTE_CHARS:
        close = text.find(text[k] if text[k] in "\"'" else "\u201d", k + 1, min(len(text), k + 60))
        if close < 0:
            close = max(text.find("\u201d", k + 1, k + 60), text.find('"', k + 1, k + 60))
        return close > k and len(text[k + 1 : close].split()) <= 4
    b = k - 1
    while b >= 0 and text[b] in " \t":
        b -= 1
    return b >= 0 and text[b] in _QUOTE_CHARS and e < len(text) and text[e : e + 1] in _QUOTE_CHARS


# --------------------------------------------------------------------------- the claim record


def _to_claim(q: _Quantity, view: _DocView, earlier: list[NumericClaim], cid: str) -> NumericClaim | None:
    lex = _lex()
    text = view.text
    sent = view.sentence(q.num_start)
    noun = None if q.unit_kind in ("currency", "percent") else _counted_token(q, view)
    actor = counted = None
    end = q.end
    scare = False
    if (
        noun is not None
        and q.unit_kind != "measure"
        and noun.idx >= q.num_end
        and noun.idx - q.num_end < 80
        and not view.quantity_between(q.num_end, noun.idx)  # else the noun belongs to the later number
    ):
        a_start, a_end, head = _actor_span(q, noun, view)
        counted = head.text
        actor = text[a_start:a_end].strip().strip(_QUOTE_CHARS).strip()
        actor = re.sub(r"^of\s+", "", actor)
        actor = _norm_space(actor.replace('"', "").replace("\u201c", "").replace("\u201d", ""))
        scare = _scare_quoted(a_start, a_end, text)
        end = max(end, a_end)
        if end < len(text) and text[end] in '"\u201d' and scare:
            end += 1
        if noun.pos_ == "PRON" and noun.lower_ in lex.pronouns:
            # "more than 3,000 of them": the group counted earlier in the sentence
            for c in reversed(earlier):
                if c.start < sent[0]:
                    break
                if c.actor and c.counted and c.counted.lower() not in lex.pronouns:
                    actor, counted = c.actor, c.counted
                    break
    if q.vague and noun is not None and q.unit is None:
        # "thousands of dollars", "hundreds of miles": the noun is the unit
        info = lex.unit_forms_ci.get(noun.lower_) or lex.unit_forms.get(noun.text)
        if info is not None:
            q.unit, q.unit_kind = info[0], info[2]
            counted = actor = None
    category = _category(q, noun, view)
    if (
        q.vague
        and q.weak
        and (
            category in (None, "measure", "money", "percentage")
            or q.unit_kind in ("measure", "currency", "percent")
        )
    ):
        return None  # "several cities", "a few days": only vague counts of what happened to people are claims
    unit = q.unit
    if unit is None and noun is not None and counted and not q.fraction and _is_person(noun, counted):
        unit = "people"
    if unit is None and any(text[q.num_end : q.num_end + 12].startswith(s) for s in lex.person_suffixes):
        unit = "people"
    inherited: str | None = None
    if (
        unit is None
        and noun is None
        and counted is None
        and q.value is not None
        and float(q.value).is_integer()
    ):
        # "at least 164 people, including 103 in Almaty": the bare number counts the same group
        for c in reversed(earlier):
            if c.start < sent[0]:
                break
            if c.unit == "people" and c.counted:
                unit, counted, actor, inherited = c.unit, c.counted, c.actor, c.category
                break
    if category is None and unit == "people" and noun is not None:
        category = lex.noun_category.get(noun.lemma_.lower())
    category = category or inherited
    if (
        noun is not None
        and category in _PEOPLE_CATEGORIES
        and noun.idx >= q.num_end
        and noun.tag_ in ("NN", "NNS")
        # "two million thought to be homeless": a participle the tagger took for a noun
        and not re.match(
            r"\s+to\s+be\b", view.text[noun.idx + len(noun.text) : noun.idx + len(noun.text) + 8]
        )
        and (
            _counts_animals(noun, q, view)
            or not (
                _is_person(noun, noun.text)
                or noun.text[:1].isupper()
                or noun.lemma_.lower() in lex.noun_category
            )
        )
    ):
        category = None  # "87 sea turtles ... found dead", "one hospital": counts of no one
    if category == "measure" and unit:
        # "BP's initial estimate was 1,000 barrels a day, and NOAA later put it at 5,000 barrels a day"
        for c in reversed(earlier):
            if c.start < sent[0]:
                break
            if (c.unit or "").split("/")[0] == unit.split("/")[
                0
            ] and c.category in lex.measure_verb_categories:
                category = c.category
                break
    if category is None and q.unit_kind is None and not q.vague and unit in (None, "people"):
        # "estimates vary from 50,000 to at least 200,000": the second number counts what the first does
        prev = earlier[-1] if earlier and earlier[-1].start >= sent[0] else None
        if prev is not None and prev.category and _SAME_COUNT_GAP.fullmatch(text[prev.end : q.start]):
            category = prev.category
    if category is None and q.unit_kind is None and not q.vague:
        category = _preceding_category(q, view)
    if category in _PEOPLE_CATEGORIES and _counts_animals(noun, q, view):
        category = None  # whatever the sentence says of people, a count of birds is no count of them
    if unit == "people" or (unit is None and counted is not None and q.unit_kind is None):
        # "about -5,000 people": a dash typed before a head count, not a sign (a count is never below zero)
        q.value, q.low, q.high = (None if v is None else abs(v) for v in (q.value, q.low, q.high))
    attributed, quote_id = _attribution(q, view, sent)
    as_of = _as_of(q, view, sent)
    value = q.value if not q.is_range else None
    if q.vague:
        value = None
    return NumericClaim(
        id=cid,
        text=text[q.start : end],
        value=value,
        low=q.low,
        high=q.high,
        qualifier=q.qualifier,
        vague=q.vague,
        unit=unit,
        counted=counted,
        category=category,
        start=q.start,
        end=end,
        actor=actor or None,
        attributed_to=attributed,
        as_of=as_of,
        scare_quoted=scare,
        change=q.change,
        quote_id=quote_id,
        sentence_start=sent[0],
        sentence_end=sent[1],
        # a bare number with neither unit nor counted noun is the least certain kind of claim
        confidence=lex.confidence[
            "vague" if q.vague else "bare_number" if unit is None and counted is None else "counted"
        ],
        extractor=f"{ClaimExtractor.name}@{ClaimExtractor.version}",
    )


def _is_person(noun: Token, counted: str) -> bool:
    nouns = _lex().person_nouns
    return noun.lemma_.lower() in nouns or noun.lower_ in nouns or _is_person_noun(counted)


def _is_person_noun(word: str) -> bool:
    w = word.lower()
    nouns = _lex().person_nouns
    return w in nouns or (w.endswith("s") and w[:-1] in nouns) or (w.endswith("es") and w[:-2] in nouns)


def vague_magnitude(claim: NumericClaim) -> tuple[float, float] | None:
    """The order-of-magnitude interval of a vague claim ("hundreds" -> 100-1000), if its word has one."""
    if not claim.vague:
        return None
    for m in scan_numbers(claim.text):
        if m.kind == "vague":
            return m.magnitude
    return None
