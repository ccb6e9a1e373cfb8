"""Time expressions: dates, times, durations and sets as TIMEX3 values.

The rules (``lexicons/times_rules.json``, applied by :mod:`parallax.extract.timex`)
run over the whole analysis text once per compiled rule; the spaCy parse is read
only to find the tense of the clause around a weekday or a year-less date
("on Friday" after "said" is the last Friday, after "will" the next one).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, ClassVar

from parallax.extract.base import ExtractionContext, Extractor
from parallax.extract.timex import Tense, find_timexes
from parallax.lexicons import load as read_lexicon
from parallax.records import TimeExpression

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["TimeExtractor", "clause_tense"]


@functools.cache
def _tense_words() -> dict[str, frozenset[str]]:
    data = read_lexicon("times_tense.json")
    return {k: frozenset(v) for k, v in data.items() if not k.startswith("_")}


@functools.cache
def _confidence() -> dict[str, float]:
    data: dict[str, float] = read_lexicon("times_tense.json")["_confidence"]
    return data


def _governing_verb(token: Token) -> Token | None:
    # Walk up a few heads: "on Friday" hangs off the verb of its clause.
    for _ in range(8):
        if token.pos_ in ("VERB", "AUX"):
            return token
        if token.head is token:
            return None
        token = token.head
    return None


def clause_tense(doc: Doc, start: int, end: int) -> Tense | None:
    """The tense of the clause that the character span ``[start, end)`` sits in."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    verb = _governing_verb(span.root)
    if verb is None:
        return None
    words = _tense_words()
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    # "planned a rally on Saturday", "plans to leave on Thursday": the plan is for later.
    planner = verb.head if verb.dep_ in ("xcomp", "ccomp") and verb.tag_ == "VB" else verb
    if any(a.lower_ in words["future_aux"] for a in auxes) or planner.lemma_.lower() in words["future_verbs"]:
        return "future"
    if verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
        return "past"
    if verb.tag_ == "VBN" and any(a.lower_ in words["perfect_aux"] for a in auxes):
        return "past"
    if verb.tag_ in ("VBZ", "VBP") or any(a.tag_ in ("VBZ", "VBP") for a in auxes):
        return "present"
    return None


class TimeExtractor(Extractor):
    """Every date, time, duration and set in the analysis text (TIMEX3 values)."""

    name: ClassVar[str] = "times"
    version: ClassVar[str] = "1"
    assigns: ClassVar[tuple[str, ...]] = ("times",)

    def __call__(self, ctx: ExtractionContext) -> None:
        doc = ctx.doc
        has_parse = doc.has_annotation("DEP") and doc.has_annotation("TAG")

        def tense_at(start: int, end: int) -> Tense | None:
            return clause_tense(doc, start, end) if has_parse else None

        n = len(ctx.times)
        for m in find_timexes(ctx.text, ctx.reference_date, tense_at=tense_at):
            # A title or caption is its own text: an expression never spans two fields.
            seg = ctx.segment_at(m.start)
            if m.end > seg.end:
                continue
            n += 1
            ctx.times.append(
                TimeExpression(
                    id=f"T{n}",
                    text=m.text,
                    value=m.value,
                    type=m.type,
                    start=m.start,
                    end=m.end,
                    confidence=_confidence()["underspecified" if "X" in m.value else "full"],
                    extractor=self.tag,
                )
            )
