"""Each number's role in its sentence: the story's figure, or something else.

A claim's number is the current value of what it counts (``role="current"``), the
previous value of a change ("up from 55", "revised down from 115 to 97": 115 is
``"previous"``, and 97 carries ``previous=115`` and ``revised=True``), the amount
of a change ("rose by one to 115": one is ``"change"``, 115 carries
``previous=114``), a figure of another event or a comparison ("storms in 2008
that killed hundreds", "more than the 85 killed in the Camp Fire":
``"comparison"``), or no figure at all (an age: ``"other"``). Claims keep their
spans; only the story's current figures are compared across outlets.

The words live in ``lexicons/figures_roles.json``. Offsets are into the analysis
text, as :func:`parallax.extract.claims.extract_claims` produces them.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from parallax.extract.numbers import scan_numbers
from parallax.lexicons import alternation
from parallax.lexicons import load as read_lexicon
from parallax.records import NumericClaim

__all__ = ["assign_roles", "opens_change", "roles_lexicon"]

#: characters before a number searched for the change verb of "from X to Y"
_CHANGE_REACH = 60
#: characters around a number searched for an earlier year of another event
_CLAUSE_REACH = 90
#: people older than this are not an age in "Smith, 67,"
_MAX_AGE = 115


@dataclass(frozen=True)
class _Lex:
    change_re: re.Pattern[str]  # a change verb ending the text before "from"
    up_re: re.Pattern[str]
    down_re: re.Pattern[str]
    revision_re: re.Pattern[str]
    previous_cue_re: re.Pattern[str]  # "up from" ending the text before a number
    previous_time_re: re.Pattern[str]
    multiplier_re: re.Pattern[str]
    multipliers: dict[str, float]
    comparison_re: re.Pattern[str]
    age_before_re: re.Pattern[str]
    age_after_re: re.Pattern[str]
    min_years: int
    estimate_re: re.Pattern[str]
    earlier_re: re.Pattern[str]
    not_figure_after_re: re.Pattern[str]
    part_before_re: re.Pattern[str]
    superseded_re: re.Pattern[str]
    superseded_verb_re: re.Pattern[str]
    plan_before_re: re.Pattern[str]
    plan_after_re: re.Pattern[str]
    local_re: re.Pattern[str]
    part_after_re: re.Pattern[str]
    comparison_far_re: re.Pattern[str]
    earlier_times_re: re.Pattern[str]
    forecast_re: re.Pattern[str]


@functools.cache
def roles_lexicon() -> dict[str, Any]:
    data: dict[str, Any] = read_lexicon("figures_roles.json")
    return data


@functools.cache
def _lex() -> _Lex:
    d = roles_lexicon()

    def words(key: str) -> str:
        return alternation(d[key])

    return _Lex(
        change_re=re.compile(rf"\b(?:{words('change_verbs')})\b", re.IGNORECASE),
        up_re=re.compile(rf"\b(?:{words('up_words')})\b", re.IGNORECASE),
        down_re=re.compile(rf"\b(?:{words('down_words')})\b", re.IGNORECASE),
        revision_re=re.compile(rf"\b(?:{words('revision_words')})\b", re.IGNORECASE),
        previous_cue_re=re.compile(rf"\b(?:{words('previous_cues')})\s*(?:an?\s+)?$", re.IGNORECASE),
        previous_time_re=re.compile(rf"^[\s,]*(?:{words('previous_time_words')})\b", re.IGNORECASE),
        multiplier_re=re.compile(rf"\b({alternation(d['multipliers'])})\b", re.IGNORECASE),
        multipliers={k.lower(): float(v) for k, v in d["multipliers"].items()},
        comparison_re=re.compile(rf"\b(?:{words('comparison_cues')})\s*(?:\S+\s+){{0,1}}$", re.IGNORECASE),
        age_before_re=re.compile(rf"\b(?:{words('age_before')})\s*$", re.IGNORECASE),
        age_after_re=re.compile(rf"^(?:{words('age_after')})\b", re.IGNORECASE),
        min_years=int(d["other_event_min_years"]),
        estimate_re=re.compile(rf"\b(?:{words('estimate_words')})\b", re.IGNORECASE),
        earlier_re=re.compile(rf"\b(?:{words('earlier_words')})\b", re.IGNORECASE),
        not_figure_after_re=re.compile(rf"^(?:{words('not_figure_after')})\b", re.IGNORECASE),
        part_before_re=re.compile(rf"\b(?:{words('part_before')})\s*$", re.IGNORECASE),
        superseded_re=re.compile(
            rf"\b(?:{words('superseded_before')})\s*(?:some|about|around|just\s+over)?\s*$", re.IGNORECASE
        ),
        superseded_verb_re=re.compile(
            rf"\b(?:{words('superseded_verbs')})\b[^.;]{{0,30}}?\b(?:at|of|that|as)\s*(?:some|about|around|just\s+over)?\s*$",
            re.IGNORECASE,
        ),
        plan_before_re=re.compile(rf"\b(?:{words('plan_before')})\b", re.IGNORECASE),
        plan_after_re=re.compile(rf"\b(?:{words('plan_after')})\b", re.IGNORECASE),
        local_re=re.compile(rf"\b(?:{words('local_places')})\b", re.IGNORECASE),
        earlier_times_re=re.compile(
            rf"\b(?:{words('earlier_times')})\s*,?\s*(?:to\s+|at\s+|of\s+)?$", re.IGNORECASE
        ),
        comparison_far_re=re.compile(
            rf"\b(?:{words('comparison_far')})\s+(?:[\w']+\s+){{0,3}}$", re.IGNORECASE
        ),
        forecast_re=re.compile(rf"^\s*(?:[\w.]+\s+){{0,3}}?(?:{words('forecast_after')})\b", re.IGNORECASE),
        part_after_re=re.compile(rf"^\s*(?:[a-z]+\s+)?(?:{words('part_after')})\b", re.IGNORECASE),
    )


_YEAR = re.compile(r"(?<![\d,.$])(1[6-9]\d\d|20\d\d)(?!\d|,\d)(?:s\b)?")
_CLAUSE_BREAK = re.compile(r"[;:!?]|\s[-\u2013\u2014]\s|\.\s")


def assign_roles(claims: list[NumericClaim], text: str, reference_date: str | None) -> list[NumericClaim]:
    """The claims with ``role``, ``previous`` and ``revised`` set from their sentences."""
    by_sentence: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, c in enumerate(claims):
        by_sentence[(c.sentence_start, c.sentence_end)].append(i)
    out = list(claims)
    ref_year = int(reference_date[:4]) if reference_date and reference_date[:4].isdigit() else None
    for idxs in by_sentence.values():
        idxs.sort(key=lambda i: claims[i].start)
        changes: dict[int, dict[str, Any]] = defaultdict(dict)
        _changes(text, [claims[i] for i in idxs], [changes[i] for i in idxs])
        for i in idxs:
            c = claims[i]
            upd = changes[i]
            role = upd.get("role", "current")
            if role == "current":
                if _is_conversion(c, claims, idxs, text):
                    role = "other"  # "40,000 barrels (1.7 million gallons)": the same figure again
                elif _lex().not_figure_after_re.match(text[_number_end(c) :]):
                    role = "other"  # "the 7.0-magnitude quake"
                elif _lex().part_after_re.match(text[c.end : c.end + 40]):
                    role = "other"  # "70,000 barrels from the largest leak": a part of a figure
                elif _lex().part_before_re.search(text[max(0, c.start - 40) : c.start]):
                    role = "change"  # "another 100,000 could be dead": added to a figure
                elif _lex().superseded_re.search(text[max(c.sentence_start, c.start - 40) : c.start]):
                    role = "previous"  # "BP had stuck by its first estimate that some 5,000 barrels"
                elif _lex().superseded_verb_re.search(text[max(c.sentence_start, c.start - 70) : c.start]):
                    role = "previous"  # "Up to now, BP had estimated the leak at 5,000 barrels"
                elif _lex().comparison_far_re.search(text[max(c.sentence_start, c.start - 40) : c.start]):
                    role = "comparison"  # "well above BP's estimate of 5,000 bpd"
                elif _lex().forecast_re.match(text[c.end : c.end + 50]):
                    role = "other"  # "50,000 pensioners will die this winter": a forecast
                elif _earlier_month(c, reference_date) or _lex().earlier_times_re.search(
                    text[max(c.sentence_start, c.start - 30) : c.start]
                ):
                    role = "previous"  # "Last month, BP was estimating ... 5,000 barrels per day"
                elif _is_plan(c, text):
                    role = "other"  # "can capture up to 80,000 barrels a day by mid-July"
                elif re.match(r"\s*\?", text[c.end : c.end + 3]):
                    role = "other"  # "how many bodies are buried in the rubble - 200,000, 300,000?"
                elif _is_local(c, text):
                    role = "other"  # "about 100 bodies" in the grounds of one hospital
                elif re.search(r"\bof\s+(?:the|its|their)\s*$", text[max(0, c.start - 12) : c.start]) and any(
                    claims[j].end <= c.start and c.start - claims[j].end < 20 for j in idxs
                ):
                    role = "other"  # "three million of the nine million people": the whole a part is of
                elif _is_age(c, text) or re.match(r"(?i)one\s+of\b", c.text):
                    role = "other"  # an age; "one of 93 killed" (the 93 is the figure)
                elif _is_comparison(c, text, ref_year):
                    role = "comparison"
            upd["role"] = role
            if role == "current" and "revised" not in upd:
                upd["revised"] = _revised(c, text) or (
                    upd.get("previous") is not None
                    and bool(_lex().estimate_re.search(text[c.sentence_start : c.sentence_end]))
                )
            if role == "current" and "previous" not in upd:
                prev = _trailing_previous(c, text)
                if prev is not None:
                    upd["previous"] = prev
            out[i] = dataclasses.replace(c, **upd)
    return out


def _changes(text: str, sent: list[NumericClaim], upd: list[dict[str, Any]]) -> None:
    """Pairs within one sentence: "from X to Y", "by N to M", "Y, up from X", "doubled to Y"."""
    lex = _lex()
    for k, c in enumerate(sent):
        if c.value is None:
            nxt_r = sent[k + 1] if k + 1 < len(sent) else None
            # a range in a chain of earlier estimates ("then 12,000 to 19,000, then 20,000 to 40,000")
            if (
                c.high is not None
                and nxt_r is not None
                and (nxt_r.value is not None or nxt_r.high is not None)
                and re.fullmatch(
                    r"[\s,]*(?:and\s+)?then\b[^.;\d]{0,50}", text[c.end : nxt_r.start], re.IGNORECASE
                )
            ):
                upd[k]["role"] = "previous"
            continue
        before = text[max(c.sentence_start, c.start - _CHANGE_REACH) : c.start]
        nxt = sent[k + 1] if k + 1 < len(sent) else None
        gap = text[c.end : nxt.start] if nxt is not None else ""
        # "rose by one to 115", "increased by 3 percent to 40": N is the change, M the figure
        if re.search(r"\bby\s*$", before, re.IGNORECASE):
            upd[k]["role"] = "change"
            if nxt is not None and nxt.value is not None and re.fullmatch(r"[\s,]*to\s*", gap, re.IGNORECASE):
                direction = _direction(before)
                if direction and _same_kind(c, nxt):
                    upd[k + 1]["previous"] = nxt.value - c.value if direction == "up" else nxt.value + c.value
            continue
        # "revised down from 115 to 97", "rose from 55 to 80": one figure with its previous value
        if (
            nxt is not None
            and (nxt.value is not None or nxt.high is not None)
            and re.search(r"\bfrom\s*$", before, re.IGNORECASE)
            and re.fullmatch(
                r"[\s,]*(?:to|to\s+an?|and\s+then\s+to|then\s+to)\s*(?:between\s*)?", gap, re.IGNORECASE
            )
            and lex.change_re.search(before[: before.lower().rfind("from")])
        ):
            upd[k]["role"] = "previous"
            upd[k + 1]["previous"] = c.value
            continue
        # "Y, up from X", "Y from X a day earlier", "rose to 97 from 55": X is Y's previous value
        prev = sent[k - 1] if k > 0 else None
        cue = lex.previous_cue_re.search(before)
        if prev is not None and prev.value is not None and cue is not None and _same_kind(prev, c):
            bare_from = cue.group(0).strip().lower() == "from"
            mid = text[prev.end : c.start]
            after = text[c.end : c.end + 40]
            changed = lex.change_re.search(
                text[max(prev.sentence_start, prev.start - _CHANGE_REACH) : prev.start]
            )
            if (not bare_from or changed or lex.previous_time_re.match(after)) and len(mid) < 120:
                upd[k]["role"] = "previous"
                upd[k - 1].setdefault("previous", c.value)
                continue
        # "pegged the spill at 1,000 barrels a day, then soon raised that to 5,000 barrels, then ...":
        # every value of the chain but the last is a previous one
        if (
            nxt is not None
            and (nxt.value is not None or nxt.high is not None)
            and re.fullmatch(r"[\s,]*(?:and\s+)?then\b[^.;\d]{0,50}", gap, re.IGNORECASE)
        ):
            upd[k]["role"] = "previous"
            upd[k + 1].setdefault("previous", c.value)
            continue
        # "originally estimated 1,000 ... later upped the estimate to 5,000"
        later = next(
            (
                o
                for o in sent[k + 1 :]
                if o.value is not None and (o.unit or "").split("/")[0] == (c.unit or "").split("/")[0]
            ),
            None,
        )
        if (
            later is not None
            and lex.earlier_re.search(text[max(c.sentence_start, c.start - 30) : c.start])
            and lex.change_re.search(text[c.end : later.start])
        ):
            upd[k]["role"] = "previous"
            upd[sent.index(later)].setdefault("previous", c.value)
            continue
        # "the toll doubled to 200"
        mm = lex.multiplier_re.search(before[-30:])
        if mm and re.search(r"\bto\s*$", before, re.IGNORECASE):
            upd[k].setdefault("previous", c.value / lex.multipliers[mm.group(1).lower()])


def _direction(before: str) -> str | None:
    lex = _lex()
    ups = [m.end() for m in lex.up_re.finditer(before)]
    downs = [m.end() for m in lex.down_re.finditer(before)]
    if not ups and not downs:
        return None
    return "up" if max(ups, default=-1) > max(downs, default=-1) else "down"


def _same_kind(a: NumericClaim, b: NumericClaim) -> bool:
    """Two numbers of one change: the same unit, or one of them has none ("from 55 to 80 dead")."""
    return a.unit is None or b.unit is None or a.unit == b.unit


def _revised(c: NumericClaim, text: str) -> bool:
    """The sentence says the figure was revised: a revision word in it ("lowered the toll to 97",
    "..., doubling many estimates"), or an estimate and a change verb before the figure
    ("the official estimate of the flow rate has surged again, ... 35,000 to 60,000")."""
    lex = _lex()
    sentence = text[c.sentence_start : c.sentence_end or len(text)]
    if lex.revision_re.search(sentence):
        return True
    before = text[max(c.sentence_start, c.start - _CHANGE_REACH - 60) : c.start]
    return bool(lex.estimate_re.search(before) and lex.change_re.search(before))


def _is_age(c: NumericClaim, text: str) -> bool:
    lex = _lex()
    if c.value is None or not float(c.value).is_integer() or not 0 < c.value <= _MAX_AGE:
        return False
    if c.unit in ("years-old", "months-old"):
        return True
    before = text[max(0, c.start - 30) : c.start]
    after = text[c.end : c.end + 20]
    if lex.age_before_re.search(before) or lex.age_after_re.match(text[c.start + len(c.text.split()[0]) :]):
        return True
    if lex.age_after_re.match(after):
        return True
    # "John Smith, 67, said": a number set off by commas right after a name
    return bool(
        c.unit in (None, "people")
        and c.counted is None
        and re.search(r"[A-Z][a-z]+,\s*$", before)
        and re.match(r"^\s*(?:[,)]|[-\u2013\u2014]\s|and\b)", after)
    )


def _is_comparison(c: NumericClaim, text: str, ref_year: int | None) -> bool:
    """A figure of another event: a comparison cue right before it, or an earlier year in its clause."""
    lex = _lex()
    before = text[max(c.sentence_start, c.start - 40) : c.start]
    if lex.comparison_re.search(before):
        return True
    if ref_year is None:
        return False
    lo = max(c.sentence_start, c.start - _CLAUSE_REACH)
    hi = min(c.sentence_end or len(text), c.end + _CLAUSE_REACH)
    window_before = text[lo : c.start]
    breaks = list(_CLAUSE_BREAK.finditer(window_before))
    if breaks:
        lo += breaks[-1].end()
    window_after = text[c.end : hi]
    cut = _CLAUSE_BREAK.search(window_after)
    if cut:
        hi = c.end + cut.start()
    for m in _YEAR.finditer(text, lo, hi):
        if c.start <= m.start() < c.end:
            continue
        year = int(m.group(1))
        if year <= ref_year - lex.min_years:
            return True
    return False


def opens_change(before: str) -> bool:
    """The text before a number opens a change, not a range: "... revised down from", "... rose by"."""
    low = before.lower().rstrip()
    if low.endswith(" by") or low == "by":
        return True
    if low.endswith("from"):
        return bool(_lex().change_re.search(before[-_CHANGE_REACH:][: -len("from")]))
    return False


_TRAILING_FROM = re.compile(
    r"^[\s,(]*(?:up|down)\s+from\s+(?:an?\s+|the\s+)?(?:\w+\s+){0,2}?(?:of\s+)?(?=[\d$])"
)


def _trailing_previous(c: NumericClaim, text: str) -> float | None:
    """ "80, up from 55 a day earlier": the previous value even when 55 made no claim of its own."""
    after = text[c.end : c.end + 80]
    m = _TRAILING_FROM.match(after)
    if m is None:
        return None
    found = scan_numbers(after[m.end() :])
    return found[0].value if found and found[0].start == 0 and found[0].value is not None else None


def _number_end(c: NumericClaim) -> int:
    """Where the number itself ends in a claim's span (before its unit or counted noun)."""
    m = re.match(r"^\D*?[\d.,]*\d(?:\.\d+)?", c.text)
    return c.start + (m.end() if m else len(c.text))


def _is_conversion(c: NumericClaim, claims: list[NumericClaim], idxs: list[int], text: str) -> bool:
    """The number sits in parentheses (or after ", or") right after a figure with a unit: a conversion of it."""
    for i in idxs:
        other = claims[i]
        if (
            other.end <= c.start
            and other.unit
            and c.unit
            and other.unit != c.unit
            and re.fullmatch(r"\s*,?\s*or\s*", text[other.end : c.start])
        ):
            return True  # "5,000 barrels, or 210,000 gallons"
    lo = max(c.sentence_start, c.start - 60)
    before = text[lo : c.start]
    k = before.rfind("(")
    if k < 0 or ")" in before[k:]:
        return False
    opened = lo + k
    for i in idxs:
        other = claims[i]
        if other.start >= opened:
            break
        if other.unit and text[other.end : opened].strip() == "" and (c.unit is None or c.unit != other.unit):
            return True
    return False


def _is_plan(c: NumericClaim, text: str) -> bool:
    """A planned amount or a capacity: "will be able to capture as much as 80,000 barrels a day by mid-July"."""
    lex = _lex()
    before = text[max(c.sentence_start, c.start - 50) : c.start]
    after = text[c.end : min(c.sentence_end or len(text), c.end + 60)]
    if re.search(r"\bif\s+(?:\S+\s+){0,2}$", before, re.IGNORECASE):
        return True  # "if 40,000 barrels per day keeps flowing"
    before = re.sub(r"\bif\b", "", before, flags=re.IGNORECASE)
    return bool(lex.plan_before_re.search(before) or lex.plan_after_re.search(after))


def _is_local(c: NumericClaim, text: str) -> bool:
    """Bodies counted at one hospital or mortuary: that place's count, not the event's."""
    if (c.counted or "").lower() not in ("bodies", "corpses", "body", "corpse"):
        return False
    return bool(_lex().local_re.search(text[c.sentence_start : c.sentence_end or len(text)]))


def _earlier_month(c: NumericClaim, reference_date: str | None) -> bool:
    """The text dates the figure to an earlier month or week, not a day ("last month", "just
    last week"): a superseded value."""
    as_of = c.as_of or ""
    if not reference_date or not re.match(r"\d{4}-\d\d-\d\d", reference_date):
        return False
    if re.fullmatch(r"\d{4}-\d\d", as_of):
        return as_of < reference_date[:7]
    week = re.fullmatch(r"(\d{4})-W(\d\d)", as_of)
    if week:
        year, num, _ = datetime.date.fromisoformat(reference_date[:10]).isocalendar()
        return (int(week.group(1)), int(week.group(2))) < (year, num)
    return False
