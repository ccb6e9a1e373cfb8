"""What every extractor sees: one analysis text, one spaCy Doc, earlier results.

The article's fields are joined into one *analysis text* (title, standfirst, body,
captions, separated by blank lines) and parsed once. Extractors work with offsets
into that text; :func:`localize` turns a span into ``(field, field_index,
start, end)`` relative to the field, which is what the stored facts carry
(``"body"`` offsets are offsets into :attr:`Article.text`).

Extractors run in this order, each appending to the context:
entities -> times -> quotes -> claims -> events.
"""

from __future__ import annotations

import bisect
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from parallax.records import (
    PARAGRAPH_SEPARATOR,
    Article,
    Entity,
    Event,
    NumericClaim,
    Quote,
    TextField,
    TimeExpression,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclass(frozen=True, slots=True)
class Segment:
    field: TextField
    index: int  # caption number for field == "caption", else 0
    start: int  # offsets into the analysis text
    end: int


def build_analysis_text(article: Article) -> tuple[str, list[Segment]]:
    """Join the article's fields into one text for a single parse."""
    parts: list[tuple[TextField, int, str]] = []
    if article.title:
        parts.append(("title", 0, article.title))
    if article.standfirst:
        parts.append(("standfirst", 0, article.standfirst))
    body = article.text
    if body:
        parts.append(("body", 0, body))
    for i, cap in enumerate(article.captions):
        if cap.text:
            parts.append(("caption", i, cap.text))
    pieces: list[str] = []
    segments: list[Segment] = []
    pos = 0
    for name, index, text in parts:
        if pieces:
            pieces.append(PARAGRAPH_SEPARATOR)
            pos += len(PARAGRAPH_SEPARATOR)
        segments.append(Segment(name, index, pos, pos + len(text)))
        pieces.append(text)
        pos += len(text)
    return "".join(pieces), segments


@dataclass
class ExtractionContext:
    """Shared state of one article's extraction. Offsets are into ``text``."""

    article: Article
    text: str
    doc: Doc
    segments: list[Segment]
    #: the article's publication date (ISO, possibly "--MM-DD" or missing), anchor for relative dates
    reference_date: str | None
    entities: list[Entity] = field(default_factory=list)
    times: list[TimeExpression] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    claims: list[NumericClaim] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    def segment_at(self, offset: int) -> Segment:
        starts = [s.start for s in self.segments]
        i = max(0, bisect.bisect_right(starts, offset) - 1)
        return self.segments[i]

    def localize(self, start: int, end: int) -> tuple[TextField, int, int, int]:
        seg = self.segment_at(start)
        return seg.field, seg.index, start - seg.start, min(end, seg.end) - seg.start

    def entity_at(self, start: int, end: int) -> Entity | None:
        """The entity with a mention overlapping ``[start, end)``, preferring the tightest."""
        best: tuple[int, Entity] | None = None
        for ent in self.entities:
            for m in ent.mentions:
                if m.start < end and start < m.end:
                    size = m.end - m.start
                    if best is None or size < best[0]:
                        best = (size, ent)
        return best[1] if best else None


class Extractor(ABC):
    """One kind of fact. Versioned: a stored fact records ``name`` and ``version``."""

    name: ClassVar[str]
    version: ClassVar[str]
    requires: ClassVar[tuple[str, ...]] = ()  # e.g. ("entities", "times")
    assigns: ClassVar[tuple[str, ...]] = ()  # e.g. ("quotes",)

    @property
    def tag(self) -> str:
        return f"{self.name}@{self.version}"

    @abstractmethod
    def __call__(self, ctx: ExtractionContext) -> None:
        """Append this extractor's facts to ``ctx`` (offsets into ``ctx.text``)."""
