"""Typed records: every value that flows between Parallax's stages.

One module, frozen dataclasses, no untyped metadata bags for NLP output. Every
extracted fact carries its character span (``start``/``end``) into a named field
of the article (``field``: ``"body"`` offsets are into :attr:`Article.text`) and
the extractor (name and version) that produced it.

The flow::

    RawDocument --clean--> Article --extract--> ArticleFacts --group--> Story
                                                               --compare--> Comparison

``to_dict`` turns any record into plain JSON-ready data; ``from_dict`` rebuilds it.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar, Union, get_args, get_origin, get_type_hints

PARAGRAPH_SEPARATOR = "\n\n"

#: Where a metadata value came from. The user always wins over the text.
FieldSource = Literal[
    "text",  # found by the cleaner in the document's own text
    "html-metadata",  # from the page's markup (trafilatura's metadata pass, <meta> tags)
    "feed",  # from an RSS/Atom entry
    "warc",  # from a WARC record header
    "jsonl",  # from a field of a JSONL input line
    "user-metadata",  # from --meta FILE or --outlet/--published
    "story-context",  # completed from the story the article joined (e.g. a missing year)
    "url",  # derived from the source URL
]

#: Which part of an article a span points into.
TextField = Literal["body", "title", "standfirst", "caption"]

InputFormat = Literal["text", "html", "warc", "feed", "jsonl", "json"]


# --------------------------------------------------------------------------- ingest


@dataclass(frozen=True, slots=True)
class MetaValue:
    """A metadata value with where it came from."""

    value: str
    source: FieldSource


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One input document as a reader found it, before cleaning.

    ``source`` is the path or URL it was read from; records inside a container
    (WARC record, feed entry, JSONL line) get ``"<container>#<n>"`` so that every
    document has a stable, unique address. ``raw`` holds the exact bytes the
    document came from (the record's payload for containers), ``text`` the
    decoded text (plain-text dumps) and ``html`` the decoded markup (HTML pages).
    """

    source: str
    format: InputFormat
    raw: bytes
    text: str | None = None
    html: str | None = None
    encoding: str | None = None
    url: str | None = None
    #: field name (outlet, title, published, url, language, author, ...) -> value
    metadata: dict[str, MetaValue] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Rejection:
    """An input that could not become an article, and why. Never silently dropped."""

    source: str
    reason: str  # a short code: "empty", "binary", "truncated-gzip", "no-article", ...
    message: str  # a sentence for a person, naming the input


# --------------------------------------------------------------------------- clean


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A body paragraph, with its offsets into the document's raw decoded text."""

    text: str
    raw_start: int | None = None
    raw_end: int | None = None


@dataclass(frozen=True, slots=True)
class Caption:
    text: str
    credit: str | None = None
    raw_start: int | None = None
    raw_end: int | None = None


@dataclass(frozen=True, slots=True)
class RemovedLine:
    """A line the cleaner took out of the article, with the reason."""

    text: str
    reason: str  # masthead, breadcrumb, share-widget, related-link, caption, photo-credit, ...
    raw_start: int | None = None
    raw_end: int | None = None


@dataclass(frozen=True, slots=True)
class Dateline:
    places: list[str]
    #: ISO 8601 date, or "--MM-DD" when the text gives no year (never guessed)
    date: str | None = None


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned article record."""

    id: str
    source: str
    outlet: str | None = None
    title: str | None = None
    standfirst: str | None = None
    byline: str | None = None
    section: str | None = None
    dateline: Dateline | None = None
    #: ISO 8601; a time with no zone stays without one; a date with no year is "--MM-DD"
    published: str | None = None
    updated: str | None = None
    language: str | None = None
    url: str | None = None
    #: field name -> where its value came from
    provenance: dict[str, FieldSource] = field(default_factory=dict)
    paragraphs: list[Paragraph] = field(default_factory=list)
    captions: list[Caption] = field(default_factory=list)
    removed: list[RemovedLine] = field(default_factory=list)
    duplicate_of: str | None = None
    #: the decoded text the cleaner worked on (raw_start/raw_end point into it)
    raw_text: str = ""
    content_hash: str = ""
    input_format: InputFormat = "text"

    @property
    def text(self) -> str:
        """The cleaned body: the paragraphs joined by a blank line."""
        return PARAGRAPH_SEPARATOR.join(p.text for p in self.paragraphs)

    def field_text(self, name: TextField, index: int = 0) -> str:
        if name == "body":
            return self.text
        if name == "title":
            return self.title or ""
        if name == "standfirst":
            return self.standfirst or ""
        return self.captions[index].text if index < len(self.captions) else ""


# --------------------------------------------------------------------------- facts


@dataclass(frozen=True, slots=True)
class Mention:
    text: str
    start: int
    end: int
    field: TextField = "body"
    field_index: int = 0  # which caption, for field == "caption"


@dataclass(frozen=True, slots=True)
class Entity:
    """One real-world actor within an article, across all its spellings."""

    id: str  # unique within the article: "E1", "E2", ...
    name: str  # canonical (longest proper) name
    type: str  # PERSON, ORG, GPE, LOC, NORP, GROUP
    mentions: list[Mention] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)  # acronyms, role descriptions
    extractor: str = ""


@dataclass(frozen=True, slots=True)
class EntityRef:
    entity_id: str | None
    name: str


@dataclass(frozen=True, slots=True)
class Quote:
    id: str  # "Q1", ...
    text: str  # the quoted or reported content
    kind: Literal["direct", "indirect"]
    speaker: EntityRef | None
    cue: str | None
    start: int  # span of the content
    end: int
    field: TextField = "body"
    field_index: int = 0
    cue_start: int | None = None
    cue_end: int | None = None
    speaker_start: int | None = None  # the speaker span as written ("he", "the spokesman")
    speaker_end: int | None = None
    speaker_text: str | None = None
    nested_speaker: EntityRef | None = None
    sentence_start: int = 0
    sentence_end: int = 0
    confidence: float = 1.0
    extractor: str = ""
    #: what the cue attributes: "speech" (said, told, a quotation), "belief" (thinks, hopes) or
    #: "stance" (backs, criticized, wants: a position, not words); comparisons align speech
    attribution: str = "speech"


@dataclass(frozen=True, slots=True)
class TimeExpression:
    id: str  # "T1", ...
    text: str
    value: str  # TIMEX3: "2022-01-07", "2022-W01", "2022-01", "P3D", "PRESENT_REF", "XXXX-01-10"
    type: Literal["DATE", "TIME", "DURATION", "SET"]
    start: int
    end: int
    field: TextField = "body"
    field_index: int = 0
    confidence: float = 1.0
    extractor: str = ""


@dataclass(frozen=True, slots=True)
class NumericClaim:
    id: str  # "C1", ...
    text: str  # the quantity phrase as written ("about 8,000 individuals")
    value: float | None  # None for vague quantities ("scores of")
    low: float | None
    high: float | None
    qualifier: str | None  # "about", "more than", "up to", "at least", ...
    vague: bool
    unit: str | None  # "people", "USD", "%", "km", ...
    counted: str | None  # head noun of what is counted ("individuals", "servicemen")
    category: str | None  # killed, injured, detained, deployed, evacuated, staff, money, ...
    start: int
    end: int
    field: TextField = "body"
    field_index: int = 0
    actor: str | None = None  # the group counted ("police and national guard servicemen")
    attributed_to: EntityRef | None = None
    as_of: str | None = None  # ISO date
    scare_quoted: bool = False
    change: str | None = None  # "up" | "down": the figure is a rise or a fall ("rose 8%")
    quote_id: str | None = None  # the quote the claim sits in, if any
    sentence_start: int = 0
    sentence_end: int = 0
    confidence: float = 1.0
    extractor: str = ""
    #: what the number is in its sentence: "current" (a figure of the story, as of ``as_of``),
    #: "previous" (the earlier value of a change), "change" (the amount of a change, "rose by 3"),
    #: "comparison" (a figure of another event or place, "the 2004 tsunami killed 230,000"),
    #: "other" (not a figure at all: an age, a rank)
    role: str = "current"
    previous: float | None = None  # the earlier value the text gives ("up from 55", "revised down from 115")
    revised: bool = False  # the text says the figure was revised or corrected ("lowered to 97")


@dataclass(frozen=True, slots=True)
class EventDate:
    start: str | None  # ISO date (or partial)
    end: str | None
    text: str | None  # the expression it came from


@dataclass(frozen=True, slots=True)
class Event:
    id: str  # "V1", ...
    type: str  # protest, riot, detention, killing, injury, deployment, statement, ...
    text: str  # the trigger phrase
    date: EventDate | None
    start: int
    end: int
    field: TextField = "body"
    field_index: int = 0
    # dataclasses.field: the class attribute `field` above shadows the imported name here
    places: list[str] = dataclasses.field(default_factory=list)
    actors: list[str] = dataclasses.field(default_factory=list)
    from_caption: bool = False
    time_id: str | None = None
    sentence_start: int = 0
    sentence_end: int = 0
    confidence: float = 1.0
    extractor: str = ""


@dataclass(frozen=True, slots=True)
class ArticleFacts:
    """Everything extracted from one article."""

    article_id: str
    language: str | None = None
    supported: bool = True  # False: language not supported yet, nothing extracted
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    times: list[TimeExpression] = field(default_factory=list)
    claims: list[NumericClaim] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    #: extractor name -> version that produced the facts above
    extractors: dict[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------- stories


@dataclass(frozen=True, slots=True)
class FactRef:
    """Points at one fact of one article."""

    article_id: str
    fact_id: str


@dataclass(frozen=True, slots=True)
class FigureValue:
    article_id: str
    outlet: str | None
    fact_id: str
    text: str
    value: float | None
    low: float | None
    high: float | None
    qualifier: str | None
    as_of: str | None
    attributed_to: str | None
    vague: bool = False


@dataclass(frozen=True, slots=True)
class Verdict:
    a: str  # article id
    b: str  # article id
    verdict: Literal["agree", "update", "conflict", "unclear"]
    a_fact: str | None = None
    b_fact: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    """One report of a figure in a measure's time series: as of when, how much, by whom."""

    article_id: str
    fact_id: str
    outlet: str | None
    as_of: str | None  # ISO date (or date-time) the figure holds for; the reporting time unless the text says
    value: float | None
    low: float | None = None
    high: float | None = None
    qualifier: str | None = None
    source: str | None = None  # who the outlet attributes the figure to
    previous: float | None = None  # the earlier value the text itself gives ("up from 55")
    revised: bool = False  # the text says the figure was revised ("revised down from 115 to 97")
    #: against the series' earlier points: "first" | "same" | "update" | "revised" | "conflict"
    verdict: str | None = None


@dataclass(frozen=True, slots=True)
class Figure:
    measure: str  # "detained", "killed: security forces", ...
    values: list[FigureValue] = field(default_factory=list)
    verdicts: list[Verdict] = field(default_factory=list)
    timeline: list[dict[str, Any]] = field(default_factory=list)
    #: the measure's reports in time order (as-of, then outlet); what charts draw
    series: list[SeriesPoint] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class StatementVersion:
    article_id: str
    outlet: str | None
    fact_id: str
    text: str
    speaker: str | None
    kind: str  # direct | indirect | claim
    date: str | None = None


@dataclass(frozen=True, slots=True)
class Statement:
    """The same statement (or direct quote) as several outlets carry it."""

    id: str
    summary: str
    versions: list[StatementVersion] = field(default_factory=list)
    #: word-level differences between versions: [{"a", "b", "ops": [[op, a_text, b_text], ...]}]
    diffs: list[dict[str, Any]] = field(default_factory=list)
    relation: str = "same"  # same | update | tension | drift
    speakers_agree: bool = True
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Omission:
    kind: Literal["figure", "statement", "quote", "event"]
    summary: str
    present_in: list[str]  # outlets
    absent_from: list[str]  # outlets
    refs: list[FactRef] = field(default_factory=list)
    note: str | None = None
    #: central to the story: in a lede, carried by two or more outlets, or said by a main source
    central: bool = True
    #: ranking score (higher matters more); omissions come sorted by it, ``rank`` 1 first
    score: float = 0.0
    rank: int = 0
    #: why it matters, for a reader: "in the lede of AP; carried by 3 of 5 outlets"
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Voice:
    outlet: str | None
    speaker: str
    role: str  # official, ministry, international-body, witness, expert, other
    count: int
    refs: list[FactRef] = field(default_factory=list)
    #: the story entity speaking (its id) and its type (PERSON, ORG, GROUP, NORP, GPE)
    entity_id: str | None = None
    type: str | None = None
    #: the words the role was read from ("Attorney General", "the UN spokesman")
    role_evidence: str | None = None


@dataclass(frozen=True, slots=True)
class Label:
    outlet: str | None
    term: str
    actor: str | None  # the actor class it names (protesters, security-forces, ...)
    count: int
    scare_quoted: int = 0
    refs: list[FactRef] = field(default_factory=list)
    #: the term is loaded (judges as it names: "terrorists", "thugs", "regime"), per the lexicon
    loaded: bool = False
    #: other terms the story's outlets use for the same actor class ("protesters" / "rioters")
    alternatives: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class DistinctiveTerm:
    outlet: str | None
    term: str
    log_odds: float  # z-score of the log-odds ratio with an informative Dirichlet prior


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    date: EventDate
    type: str
    summary: str
    outlets: list[str]
    refs: list[FactRef] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class StoryEntity:
    """One real-world actor across all articles of a story."""

    id: str  # "S-E1", ...
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    refs: list[FactRef] = field(default_factory=list)  # (article_id, entity id)


@dataclass(frozen=True, slots=True)
class Comparison:
    figures: list[Figure] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    quotes: list[Statement] = field(default_factory=list)
    omissions: list[Omission] = field(default_factory=list)
    voices: list[Voice] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    distinctive_terms: list[DistinctiveTerm] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    entities: list[StoryEntity] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class StoryEvent:
    """One happening inside a story (the same event across outlets): a story holds its events."""

    id: str
    title: str
    article_ids: list[str]
    first_seen: str | None = None
    last_seen: str | None = None
    outlets: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Story:
    id: str
    title: str
    article_ids: list[str]
    first_seen: str | None
    last_seen: str | None
    outlets: list[str]
    #: article id -> article id of the original it near-duplicates (counted as one report)
    duplicates: dict[str, str] = field(default_factory=dict)
    comparison: Comparison | None = None
    #: the events inside the story, in time order; every article id is in exactly one event
    events: list[StoryEvent] = field(default_factory=list)


# --------------------------------------------------------------------------- (de)serialisation

T = TypeVar("T")


def to_dict(record: Any) -> Any:
    """A record (or list/dict of records) as plain JSON-ready data, properties included."""
    names = _field_names(type(record))
    if names is not None:
        out = {name: to_dict(getattr(record, name)) for name in names}
        if isinstance(record, Article):
            out["text"] = record.text
        return out
    if isinstance(record, list | tuple):
        return [to_dict(x) for x in record]
    if isinstance(record, dict):
        return {k: to_dict(v) for k, v in record.items()}
    return record


# Facts are written and read back by the thousand per story: the per-type work
# (is it a dataclass, its fields, its type hints) is done once per type, not per value.
_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}


def _field_names(cls: type) -> tuple[str, ...] | None:
    try:
        return _FIELD_NAMES[cls]
    except KeyError:
        names = tuple(f.name for f in dataclasses.fields(cls)) if dataclasses.is_dataclass(cls) else None
        _FIELD_NAMES[cls] = names
        return names


def from_dict(cls: type[T], data: Any) -> T:
    """Rebuild a record of type ``cls`` from :func:`to_dict` output (extra keys ignored)."""
    return typing.cast(T, _builder(cls)(data))


def _identity(data: Any) -> Any:
    return data


_BUILDERS: dict[Any, Any] = {}


def _builder(tp: Any) -> Any:
    """A function rebuilding values of type ``tp`` (None stays None), made once per type."""
    try:
        return _BUILDERS[tp]
    except KeyError:
        pass
    origin = get_origin(tp)
    build: Any = _identity
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        build = _builder(args[0]) if len(args) == 1 else _identity
    elif origin is list:
        (item_tp,) = get_args(tp) or (Any,)
        item = _builder(item_tp)
        build = (
            (lambda data: None if data is None else list(data))
            if item is _identity
            else (lambda data: None if data is None else [item(x) for x in data])
        )
    elif origin is dict:
        _, val_tp = get_args(tp) or (Any, Any)
        val = _builder(val_tp)
        build = (
            (lambda data: None if data is None else dict(data))
            if val is _identity
            else (lambda data: None if data is None else {k: val(v) for k, v in data.items()})
        )
    elif isinstance(tp, type) and dataclasses.is_dataclass(tp):
        build = _dataclass_builder(tp)
    _BUILDERS[tp] = build
    return build


def _dataclass_builder(tp: type) -> Any:
    fields: list[tuple[str, Any]] = []

    def build(data: Any) -> Any:
        if data is None:
            return None
        if not fields:  # resolved on first use: a record may contain its own type
            hints = _hints(tp)
            fields.extend((f.name, _builder(hints[f.name])) for f in dataclasses.fields(tp))
        return tp(**{name: b(data[name]) for name, b in fields if name in data})

    return build


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(tp: type) -> dict[str, Any]:
    if tp not in _HINTS:
        _HINTS[tp] = get_type_hints(tp)
    return _HINTS[tp]
