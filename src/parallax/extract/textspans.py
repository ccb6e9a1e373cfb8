"""Text layout shared by the entity, coreference and quote extractors: paragraphs,
quotation spans and the mention clusters entities are built from.

Both are found with one left-to-right pass over the text (no per-token rescans), so
they stay linear on very long articles. Offsets are into the analysis text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

_PARA_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """A quotation: ``start``/``end`` are inside the marks, ``outer_*`` include them."""

    start: int
    end: int
    outer_start: int
    outer_end: int
    closed: bool  # False: the quotation ran to the end of its paragraph without a closing mark
    continued: bool = False  # True: spans paragraphs (each reopened with a mark)


class Paragraphs:
    """Paragraph boundaries of a text (split on blank lines), with offset lookup."""

    def __init__(self, text: str) -> None:
        spans: list[tuple[int, int]] = []
        pos = 0
        for m in _PARA_BREAK.finditer(text):
            if m.start() > pos:
                spans.append((pos, m.start()))
            pos = m.end()
        if pos < len(text):
            spans.append((pos, len(text)))
        if not spans:
            spans.append((0, len(text)))
        self.spans = spans
        self._starts = [s for s, _ in spans]

    def index(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self._starts, offset) - 1)

    def bounds(self, offset: int) -> tuple[int, int]:
        return self.spans[self.index(offset)]


def find_quotes(
    text: str,
    paragraphs: Paragraphs,
    opening: Sequence[str] = ("“", "«", "„"),
    closing: Sequence[str] = ("”", "»"),
    ambiguous: Sequence[str] = ('"', "‟", "''"),
) -> list[QuoteSpan]:
    """Quotations in ``text``, one pass over the quotation marks.

    Curly marks pair by direction (nested curly pairs are counted); a straight mark
    opens after a space, a bracket or the paragraph start and closes after a
    non-space. Marks of the other family inside an open quotation are nested quotes.
    A quotation left open at the end of its paragraph continues into the next one
    when that paragraph opens with a mark (the newspaper convention for
    multi-paragraph quotes); otherwise it is returned with ``closed=False`` and
    callers decide what to do with it.
    """
    every = sorted({*opening, *closing, *ambiguous}, key=len, reverse=True)
    marks = re.compile("|".join(re.escape(m) for m in every))
    openers = tuple(opening) + tuple(ambiguous)
    out: list[QuoteSpan] = []
    carry: tuple[int, int] | None = (
        None  # (outer_start, start) of a quotation open at the previous paragraph's end
    )
    prev_end = 0
    for pstart, pend in paragraphs.spans:
        open_at: int | None = None
        origin: tuple[int, int] | None = None
        family_amb = False
        depth = 0
        open_len = 1
        skip_first = False
        if carry is not None:
            first = len(text[pstart:pend]) - len(text[pstart:pend].lstrip())
            if pstart + first < pend and text.startswith(openers, pstart + first):
                origin = carry
                open_at = pstart + first
                family_amb = not text.startswith(tuple(opening), open_at)
                open_len = next(len(m) for m in every if text.startswith(m, open_at))
                depth = 1
                skip_first = True
            else:
                out.append(QuoteSpan(carry[1], prev_end, carry[0], prev_end, False, True))
            carry = None
        for m in marks.finditer(text, pstart, pend):
            pos = m.start()
            if skip_first:
                skip_first = False
                continue
            ch = m.group()
            is_amb = ch in ambiguous
            prev = text[pos - 1] if pos > pstart else " "
            if open_at is None:
                if ch in closing:
                    continue
                if is_amb and not (pos == pstart or prev.isspace() or prev in "([{—–-:,;'‘"):
                    continue  # a stray closing straight mark, or an inch sign
                open_at, family_amb, depth, origin, open_len = pos, is_amb, 1, None, len(ch)
                continue
            if family_amb != is_amb:
                continue  # nested quotation of the other family
            if is_amb:
                if prev.isspace():
                    continue  # opens a nested or stray quotation: not a closing mark
                depth = 0
            else:
                depth += 1 if ch in opening else -1
            if depth > 0:
                continue
            if origin is not None:
                out.append(QuoteSpan(origin[1], pos, origin[0], pos + len(ch), True, True))
            else:
                out.append(QuoteSpan(open_at + open_len, pos, open_at, pos + len(ch), True))
            open_at, origin = None, None
        if open_at is not None:
            carry = origin if origin is not None else (open_at, open_at + open_len)
        prev_end = pend
    if carry is not None:
        out.append(QuoteSpan(carry[1], prev_end, carry[0], prev_end, False, True))
    return out


class QuoteIndex:
    """Which offsets lie inside a quotation (bisect lookup)."""

    def __init__(self, quotes: list[QuoteSpan]) -> None:
        self.quotes = quotes
        self._starts = [q.outer_start for q in quotes]

    def containing(self, offset: int) -> QuoteSpan | None:
        i = bisect.bisect_right(self._starts, offset) - 1
        # quotations do not overlap, so only the nearest one to the left can contain it
        if i >= 0 and self.quotes[i].outer_start <= offset < self.quotes[i].outer_end:
            return self.quotes[i]
        return None


MentionKind = str  # "name" | "acronym" | "description" | "pronoun"


@dataclass
class EntityMention:
    """A mention while clustering (offsets into the analysis text)."""

    start: int
    end: int
    text: str
    kind: MentionKind
    subject: bool = False  # grammatical subject: preferred pronoun antecedent
    in_quote: bool = False


@dataclass
class Cluster:
    """One entity under construction."""

    type: str
    mentions: list[EntityMention] = field(default_factory=list)
    roles: set[str] = field(default_factory=set)  # person titles seen with the name
    modifiers: set[str] = field(default_factory=set)  # words qualifying those titles ("kazakh", "un")
    acronyms: set[str] = field(default_factory=set)
    person_votes: int = 0

    @property
    def first(self) -> int:
        return min(m.start for m in self.mentions)
