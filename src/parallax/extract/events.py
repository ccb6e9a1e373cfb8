"""Dated events: what happened (a trigger word), who, where and when.

Triggers come from ``lexicons/events_triggers.json`` (lemmas, verb + particle,
multi-word phrases) and from the cues of ``ctx.quotes`` (statements). Each
trigger gets the time expression its clause attaches to, found in this order
(one sentence of one paragraph at a time):

1. a time expression hanging off the trigger itself in the parse ("met on Friday");
2. for a trigger noun, one hanging off the verb it depends on ("protests erupted on January 2");
3. the nearest time expression of the trigger's own clause that no other trigger took;
4. the date of a linked clause: a conjunct, a "when"/"after"/"since" clause (as the same
   date or as a bound), "during the protest", the dated event that is its subject, a noun
   of the same type above a dated trigger ("riots with buildings ransacked a few days later");
5. for reporting events and appeals (``reference_dated``), the article's reference date.

A past act never takes a later date ("has called for a strike next week"). A time
after "by"/"until" is an end bound, after "since"/"from" a start bound, "from X until Y"
a range; a vague anchored expression ("a few days later") becomes an open range after
the last full date mentioned before it. No date is invented where none applies.
Actors are the clause subject's entities (else the clause's), places the clause's
GPE/LOC/FAC entities (``ctx.entities``, else spaCy's).
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from parallax.extract.base import ExtractionContext, Extractor
from parallax.lexicons import alternation
from parallax.lexicons import load as read_lexicon
from parallax.records import Event, EventDate, TimeExpression

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["EventExtractor", "event_date"]


@dataclass(frozen=True, slots=True)
class _Lexicon:
    lemmas: dict[str, dict[str, str]]  # lemma -> {POS or "*": type}
    particles: dict[str, str]
    phrases: re.Pattern[str] | None
    phrase_types: dict[str, str]
    range_signals: dict[str, str]
    reference_dated: frozenset[str]
    cotemporal_preps: frozenset[str]
    after_words: frozenset[str]
    before_words: frozenset[str]
    clause_links: dict[str, str]
    range_joiners: frozenset[str]
    actor_types: frozenset[str]
    place_types: frozenset[str]
    date_confidence: dict[str, float]


@functools.cache
def _lexicon() -> _Lexicon:
    data = read_lexicon("events_triggers.json")
    lemmas: dict[str, dict[str, str]] = {}
    for lemma, spec in data["lemmas"].items():
        lemmas[lemma] = {"*": spec} if isinstance(spec, str) else dict(spec)
    phrases = data["phrases"]
    pattern = None
    if phrases:
        pattern = re.compile(rf"\b(?:{alternation(phrases)})\b", re.IGNORECASE)
    return _Lexicon(
        lemmas=lemmas,
        particles=dict(data["particles"]),
        phrases=pattern,
        phrase_types={" ".join(k.lower().split()): v for k, v in phrases.items()},
        range_signals=dict(data["range_signals"]),
        reference_dated=frozenset(data["reference_dated"]),
        cotemporal_preps=frozenset(data["cotemporal_preps"]),
        after_words=frozenset(data["after_words"]),
        clause_links=dict(data["clause_links"]),
        range_joiners=frozenset(data["range_joiners"]),
        before_words=frozenset(data["before_words"]),
        actor_types=frozenset(data["actor_types"]),
        place_types=frozenset(data["place_types"]),
        date_confidence={k: float(v) for k, v in data["date_confidence"].items()},
    )


@dataclass
class _Trigger:
    type: str
    start: int  # character offsets into ctx.text
    end: int
    head: Token  # the token the trigger's syntax hangs on
    sent: Span
    date: EventDate | None = None
    time: TimeExpression | None = None
    confidence: float = 1.0
    actors: list[str] = field(default_factory=list)


_MAX_CLAUSE_MENTIONS = 40
_DAY = re.compile(r"^(\d{4}|XXXX)-(\d\d)-(\d\d)")
_DATE_LIKE = re.compile(r"^(?:\d{2,4}|XXXX)(?:-|$)")


def _shift(day_value: str, days: int) -> str | None:
    m = _DAY.match(day_value)
    if not m:
        return None
    known = m.group(1) != "XXXX"
    try:
        d = dt.date(int(m.group(1)) if known else 2000, int(m.group(2)), int(m.group(3))) + dt.timedelta(
            days=days
        )
    except ValueError:
        return None
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}" if known else f"XXXX-{d.month:02d}-{d.day:02d}"


def _point(value: str) -> str:
    """A TIMEX3 value as a calendar point for a date range: the time of day is dropped."""
    return value.split("T", 1)[0] if _DAY.match(value) else value


def _reference_point(reference: str) -> str:
    """The article's date as an event date: "--01-10" (no year) reads "XXXX-01-10" like the times."""
    return "XXXX" + reference[1:10] if reference.startswith("--") else _point(reference)


def event_date(time: TimeExpression, text: str, anchor: str | None = None) -> EventDate | None:
    """The date (or range) an event gets from a time expression attached to it.

    ``text`` is the analysis text (the words before the expression can make it a
    bound: "by the morning of January 7" is an end); ``anchor`` is the last full
    date mentioned before it, for vague relative expressions ("a few days later").
    """
    lex = _lexicon()
    value = time.value
    if time.type not in ("DATE", "TIME") or not _DATE_LIKE.match(value):
        return None
    words = set(re.findall(r"[a-z]+", time.text.lower()))
    if "X" in value.split("-", 1)[-1] and anchor is not None and words & (lex.after_words | lex.before_words):
        if words & lex.after_words:
            return EventDate(_shift(anchor, 1), None, time.text)
        return EventDate(None, _shift(anchor, -1), time.text)
    before = re.search(r"(\w+)\W*$", text[max(0, time.start - 30) : time.start])
    signal = lex.range_signals.get(before.group(1).lower()) if before else None
    point = _point(value)
    if signal == "end":
        return EventDate(None, point, time.text)
    if signal == "start":
        return EventDate(point, None, time.text)
    return EventDate(point, point, time.text)


def _governor(token: Token, stop: set[int]) -> Token | None:
    """The nearest head above ``token`` that is a verb or a trigger (by token index)."""
    cur = token
    for _ in range(10):
        if cur.head is cur:
            return None
        cur = cur.head
        if cur.i in stop or cur.pos_ in ("VERB", "AUX"):
            return cur
    return None


def _first_day(value: str) -> dt.date | None:
    """The first calendar day a TIMEX3 value covers (None when the year is unknown or it is not a date)."""
    try:
        if m := re.match(r"^(\d{4})-(\d\d)-(\d\d)", value):
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if m := re.match(r"^(\d{4})-W(\d\d)", value):
            return dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
        if m := re.match(r"^(\d{4})-(\d\d)$", value):
            return dt.date(int(m.group(1)), int(m.group(2)), 1)
        if m := re.match(r"^(\d{4})$", value):
            return dt.date(int(m.group(1)), 1, 1)
    except ValueError:
        return None
    return None


def _is_past(verb: Token) -> bool:
    if verb.tag_ == "VBD":
        return True
    return verb.tag_ == "VBN" and any(c.dep_ == "aux" and c.lemma_ == "have" for c in verb.children)


def _held_near(gov: Token | None, near: set[int], head: Token) -> bool:
    """A time hangs off the trigger's own clause (or a relative clause of the trigger noun)."""
    return gov is None or gov.i in near or gov.head.i == head.i


def _through_preposition(token: Token, ancestor: Token) -> bool:
    cur = token
    while cur.i != ancestor.i and cur.head is not cur:
        if cur.dep_ in ("pobj", "prep"):
            return True
        cur = cur.head
    return False


class _Sentences:
    """Sentence lookup by token index; ``Token.sent`` rescans the sentence on every call."""

    def __init__(self, doc: Doc) -> None:
        self.spans = list(doc.sents)
        self.starts = [s.start for s in self.spans]

    def of(self, token: Token) -> Span:
        return self.spans[bisect.bisect_right(self.starts, token.i) - 1]


class EventExtractor(Extractor):
    """Dated events with their trigger, actors and places."""

    name: ClassVar[str] = "events"
    version: ClassVar[str] = "1"
    requires: ClassVar[tuple[str, ...]] = ("entities", "times")
    assigns: ClassVar[tuple[str, ...]] = ("events",)

    def __call__(self, ctx: ExtractionContext) -> None:
        doc = ctx.doc
        if not (doc.has_annotation("DEP") and doc.has_annotation("LEMMA")):
            return
        lex = _lexicon()
        sents = _Sentences(doc)
        triggers = self._triggers(ctx, lex, sents)
        self._quotes(ctx, triggers, sents)
        if not triggers:
            return
        times = sorted((t for t in ctx.times if t.type in ("DATE", "TIME")), key=lambda t: t.start)
        time_starts = [t.start for t in times]
        anchors = self._anchors(times)
        by_sent: dict[tuple[int, int], list[_Trigger]] = {}
        for trig in triggers:
            by_sent.setdefault((trig.sent.start, ctx.text.rfind("\n\n", 0, trig.start)), []).append(trig)
        for group in by_sent.values():
            sent = group[0].sent
            lo = bisect.bisect_left(time_starts, sent.start_char)
            hi = bisect.bisect_left(time_starts, sent.end_char)
            self._date_sentence(ctx, lex, group, times[lo:hi], anchors)
        mentions = self._mentions(ctx)
        n = len(ctx.events)
        seen: set[tuple[int, str, str | None, str | None]] = set()
        type_at = {t.head.i: t.type for t in triggers}
        for trig in sorted(triggers, key=lambda t: t.start):
            prep = trig.head.head
            if trig.head.dep_ == "pobj" and prep.dep_ == "prep" and type_at.get(prep.head.i) == trig.type:
                continue  # "said in a statement", "met for talks": one event named twice
            key = (
                trig.sent.start,
                trig.type,
                trig.date.start if trig.date else None,
                trig.date.end if trig.date else None,
            )
            if key in seen and trig.type != "statement":
                continue  # "protesters ... during a protest": one event per sentence, type and date
            seen.add(key)
            actors, places = self._who_where(doc, ctx.text, trig, mentions, lex)
            for a in trig.actors:
                if a not in actors:
                    actors.insert(0, a)
            seg = ctx.segment_at(trig.start)
            n += 1
            ctx.events.append(
                Event(
                    id=f"V{n}",
                    type=trig.type,
                    text=ctx.text[trig.start : trig.end],
                    date=trig.date,
                    start=trig.start,
                    end=trig.end,
                    places=places,
                    actors=actors,
                    from_caption=seg.field == "caption",
                    time_id=trig.time.id if trig.time else None,
                    sentence_start=trig.sent.start_char,
                    sentence_end=trig.sent.end_char,
                    confidence=trig.confidence,
                    extractor=self.tag,
                )
            )

    # ------------------------------------------------------------------ triggers

    def _triggers(self, ctx: ExtractionContext, lex: _Lexicon, sents: _Sentences) -> list[_Trigger]:
        doc = ctx.doc
        out: list[_Trigger] = []
        covered: set[int] = set()
        if lex.phrases is not None:
            for m in lex.phrases.finditer(ctx.text):
                span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
                if span is None or len(span) == 0:
                    continue
                kind = lex.phrase_types.get(" ".join(m.group(0).lower().split()))
                if kind is None:
                    continue
                covered.update(range(span.start, span.end))
                out.append(_Trigger(kind, m.start(), m.end(), span.root, sents.of(span.root)))
        for tok in doc:
            if tok.i in covered or tok.pos_ not in ("VERB", "NOUN"):
                continue
            lemma = tok.lemma_.lower()
            kind = None
            end = tok.idx + len(tok.text)
            if tok.pos_ == "VERB":
                for child in tok.children:
                    if child.dep_ in ("prt", "prep", "advmod") and child.i == tok.i + 1:
                        kind = lex.particles.get(f"{lemma} {child.lower_}")
                        if kind:
                            end = child.idx + len(child.text)
                            break
            if kind is None:
                spec = lex.lemmas.get(lemma)
                if spec is None:
                    continue
                kind = spec.get(tok.pos_) or spec.get("*")
                if kind is None:
                    continue
            out.append(_Trigger(kind, tok.idx, end, tok, sents.of(tok)))
        return out

    # ------------------------------------------------------------------ dates

    @staticmethod
    def _anchors(times: list[TimeExpression]) -> dict[str, str]:
        """time id -> the last full date mentioned before it."""
        out: dict[str, str] = {}
        last: str | None = None
        for t in times:
            if last is not None:
                out[t.id] = last
            if _DAY.match(t.value) and "X" not in t.value[5:10]:
                last = t.value[:10]
        return out

    def _date_sentence(
        self,
        ctx: ExtractionContext,
        lex: _Lexicon,
        group: list[_Trigger],
        times: list[TimeExpression],
        anchors: dict[str, str],
    ) -> None:
        doc = ctx.doc
        trig_at = {t.head.i: t for t in group}
        stop = set(trig_at)
        claimed: set[str] = set()
        # A parsed "sentence" may run across a paragraph or field break: a time counts only inside it.
        para_lo = ctx.text.rfind("\n\n", 0, group[0].start) + 1
        para_hi = ctx.text.find("\n\n", group[0].start)
        para_hi = len(ctx.text) if para_hi < 0 else para_hi
        usable = [
            t
            for t in times
            if para_lo <= t.start
            and t.end <= para_hi
            and event_date(t, ctx.text, anchors.get(t.id)) is not None
        ]
        gov_of: dict[str, Token | None] = {}
        for t in usable:
            span = doc.char_span(t.start, t.end, alignment_mode="expand")
            gov_of[t.id] = _governor(span.root, stop) if span is not None and len(span) else None

        usable_starts = [t.start for t in usable]
        times_at: dict[int, list[TimeExpression]] = {}
        for t in usable:
            gov = gov_of[t.id]
            if gov is not None:
                times_at.setdefault(gov.i, []).append(t)

        conf = lex.date_confidence

        def assign(trig: _Trigger, t: TimeExpression, confidence: float) -> None:
            trig.date = event_date(t, ctx.text, anchors.get(t.id))
            k = bisect.bisect_left(usable_starts, t.end)
            nxt = usable[k] if k < len(usable) else None
            if trig.date is not None and trig.date.end is None and nxt is not None:
                # "from March 25 until April 10": the next expression closes the range
                gap = ctx.text[t.end : nxt.start].strip().lower()
                closing = event_date(nxt, ctx.text, anchors.get(nxt.id))
                if gap in lex.range_joiners and closing is not None:
                    trig.date = EventDate(
                        trig.date.start, closing.end or closing.start, f"{t.text} {gap} {nxt.text}"
                    )
            trig.time = t
            trig.confidence = confidence
            claimed.add(t.id)

        def nearest(trig: _Trigger, cands: list[TimeExpression]) -> TimeExpression:
            return min(cands, key=lambda t: abs(t.start - trig.start))

        ref_day = _first_day(ctx.reference_date or "")

        def fits(trig: _Trigger, t: TimeExpression) -> bool:
            # "has called for a strike next week": a later date is not when a past act happened
            if ref_day is None or not _is_past(trig.head):
                return True
            day = _first_day(t.value)
            return day is None or day <= ref_day

        # 1. the time hangs off the trigger itself
        for trig in group:
            own = [t for t in times_at.get(trig.head.i, ()) if fits(trig, t)]
            if own:
                assign(trig, nearest(trig, own), conf["own_time"])
        # 2. a trigger noun takes the time of the verb it depends on ("declared January 10 the day of mourning"),
        # or of the first verb of a coordination ("declared ... on September 12 and imposed a curfew")
        for trig in group:
            if trig.date is not None or trig.head.pos_ != "NOUN":
                continue
            verb = _governor(trig.head, set())
            if verb is None:
                continue
            if verb.i in trig_at and _through_preposition(trig.head, verb):
                continue  # "informed on Thursday of the deployment": the informing is dated, not the deployment
            for v in (verb, verb.head) if verb.dep_ == "conj" else (verb,):
                cands = [t for t in times_at.get(v.i, ()) if fits(trig, t)]
                if cands:
                    assign(
                        trig,
                        nearest(trig, cands),
                        conf["governing_verb_time"] if v.i not in trig_at else conf["governing_trigger_time"],
                    )
                    break
        # 3. the nearest time no other trigger took, unless another verb of the sentence holds it
        # ("arrested overnight and released the next day"); reports are dated by syntax or the article
        for trig in group:
            if trig.date is not None or trig.type in lex.reference_dated:
                continue
            own_verb = trig.head if trig.head.pos_ in ("VERB", "AUX") else _governor(trig.head, set())
            near = {trig.head.i}
            if own_verb is not None:
                near.update((own_verb.i, own_verb.head.i))
            free = [
                t
                for t in usable
                if t.id not in claimed and fits(trig, t) and _held_near(gov_of[t.id], near, trig.head)
            ]
            if free:
                assign(trig, nearest(trig, free), conf["nearest_free_time"])
        # linked clauses pass their date on: conjuncts, "when"/"after" clauses, "during the protest"
        for _ in range(2):
            for trig in group:
                if trig.date is None:
                    self._inherit(ctx, lex, trig, trig_at, times_at, anchors)
        # a noun naming the same kind of event as a dated trigger below it shares its date
        # ("riots with buildings getting ransacked a few days later")
        for trig in group:
            if trig.date is not None or trig.head.pos_ != "NOUN":
                continue
            for other in group:
                if (
                    other is not trig
                    and other.type == trig.type
                    and other.date is not None
                    and trig.head.is_ancestor(other.head)
                ):
                    trig.date, trig.time, trig.confidence = other.date, other.time, conf["same_kind_noun"]
                    break
        # 4./5. reporting verbs date what happens "during" them; else the report's own date
        for trig in sorted(group, key=lambda t: t.type not in lex.reference_dated):
            if trig.date is None and trig.type in lex.reference_dated and ctx.reference_date:
                # Only a statement someone makes ("he said"), not "fatalities being reported".
                finite = (
                    trig.head.tag_ in ("VBD", "VBZ", "VBP") or trig.head.pos_ == "NOUN" or _is_past(trig.head)
                )
                has_subject = any(c.dep_ in ("nsubj", "nsubjpass") for c in trig.head.children)
                if trig.confidence < conf["own_time"] or (finite and has_subject):
                    ref = _reference_point(ctx.reference_date)
                    trig.date = EventDate(ref, ref, None)
                    trig.confidence = conf["report_date"]
        for trig in group:
            if trig.date is not None or trig.head.pos_ != "NOUN":
                continue
            prep = trig.head.head
            if prep.dep_ == "prep" and prep.lower_ in lex.cotemporal_preps:
                owner = trig_at.get(prep.head.i)
                if owner is not None and owner.date is not None:
                    trig.date, trig.time, trig.confidence = owner.date, owner.time, conf["cotemporal_noun"]

    @staticmethod
    def _links(head: Token, lex: _Lexicon) -> list[tuple[Token, str]]:
        """Tokens whose date ``head`` shares, with how: "same", "after" (a start bound) or "before"."""
        out: list[tuple[Token, str]] = []

        def mark(tok: Token) -> str | None:
            # spaCy attaches "when" as advmod, "after"/"before" as mark
            for c in tok.children:
                if c.dep_ in ("mark", "advmod") and c.lower_ in lex.clause_links:
                    return lex.clause_links[c.lower_]
            return None

        if head.dep_ == "conj":
            out.append((head.head, "same"))
        # "the earthquake that struck on April 25 killed ...": the event that does it dates it
        out.extend((c, "same") for c in head.children if c.dep_ == "nsubj" and head.pos_ == "VERB")
        if head.dep_ == "advcl" and mark(head) == "same":
            out.append((head.head, "same"))
        for c in head.children:
            if c.dep_ == "conj":
                out.append((c, "same"))  # only a dated trigger passes its date on (see _inherit)
            elif c.dep_ == "advcl":
                how = mark(c)
                if how is not None:
                    out.append((c, how))
            elif c.dep_ == "prep" and c.lower_ in lex.cotemporal_preps:
                out.extend((p, "same") for p in c.children if p.dep_ == "pobj")
        return out

    def _inherit(
        self,
        ctx: ExtractionContext,
        lex: _Lexicon,
        trig: _Trigger,
        trig_at: dict[int, _Trigger],
        times_at: dict[int, list[TimeExpression]],
        anchors: dict[str, str],
    ) -> None:
        for tok, how in self._links(trig.head, lex):
            other = trig_at.get(tok.i)
            date, time = (
                (other.date, other.time) if other is not None and other.date is not None else (None, None)
            )
            if date is None and tok.i in times_at and not (how == "same" and tok.dep_ == "conj"):
                time = min(times_at[tok.i], key=lambda t: abs(t.start - trig.start))
                date = event_date(time, ctx.text, anchors.get(time.id))
            if date is None:
                continue
            if how == "after":
                date = EventDate(date.start or date.end, None, date.text)
            elif how == "before":
                date = EventDate(None, date.end or date.start, date.text)
            trig.date, trig.time, trig.confidence = date, time, _lexicon().date_confidence["linked_clause"]
            return

    # ------------------------------------------------------------------ who, where

    @staticmethod
    def _mentions(ctx: ExtractionContext) -> list[tuple[int, int, str, str]]:
        """(start, end, name, type) of every entity mention, sorted; spaCy's entities if none."""
        out: list[tuple[int, int, str, str]] = []
        for ent in ctx.entities:
            for m in ent.mentions:
                out.append((m.start, m.end, ent.name, ent.type))
        if not out:
            out = [(e.start_char, e.end_char, e.text, e.label_) for e in ctx.doc.ents]
        out.sort()
        return out

    @staticmethod
    def _who_where(
        doc: Doc, text: str, trig: _Trigger, mentions: list[tuple[int, int, str, str]], lex: _Lexicon
    ) -> tuple[list[str], list[str]]:
        """Actors and places named in the trigger's clause; the clause's subject names the actors if it can."""
        head = trig.head
        clause = head if head.pos_ in ("VERB", "AUX") else (_governor(head, set()) or head)
        top = clause if clause is not head or head.pos_ != "NOUN" else head
        # left_edge/right_edge bound the subtree without walking it (a 5,000-word sentence stays linear)
        lo = min(top.left_edge.idx, trig.start)
        right = top.right_edge
        hi = max(right.idx + len(right.text), trig.end)
        para_lo = text.rfind("\n\n", 0, trig.start) + 1
        para_hi = text.find("\n\n", trig.start)
        lo = max(lo, trig.sent.start_char, para_lo)
        hi = min(hi, trig.sent.end_char, para_hi if para_hi >= 0 else len(text))
        subjects = [
            (c.left_edge.idx, c.right_edge.idx + len(c.right_edge.text))
            for c in clause.children
            if c.dep_ in ("nsubj", "nsubjpass", "agent")
        ]
        actors: list[str] = []
        subject_actors: list[str] = []
        places: list[str] = []
        first = bisect.bisect_left(mentions, (lo,))
        # a "clause" naming more than this many entities is a run-on parse, not one event's cast
        for start, end, name, typ in mentions[first : first + _MAX_CLAUSE_MENTIONS]:
            if start >= hi:
                break
            if end > hi or (start < trig.end and trig.start < end):
                continue  # the trigger word itself ("Protests") is not its own actor
            if typ in lex.place_types:
                if name not in places:
                    places.append(name)
                continue
            if typ not in lex.actor_types:
                continue
            if typ == "NORP":
                span = doc.char_span(start, end, alignment_mode="expand")
                root = span.root if span is not None and len(span) else None
                if root is not None and (root.pos_ == "ADJ" or root.dep_ in ("amod", "compound", "nmod")):
                    continue  # "the Kazakh president": a nationality word, not an actor
            if name not in actors:
                actors.append(name)
            if any(a <= start and end <= b for a, b in subjects) and name not in subject_actors:
                subject_actors.append(name)
        return (subject_actors or actors), places

    @staticmethod
    def _quotes(ctx: ExtractionContext, triggers: list[_Trigger], sents: _Sentences) -> None:
        """A quote's cue is a statement by its speaker: name the speaker, or add the statement."""
        for q in ctx.quotes:
            if q.cue_start is None:
                continue
            cue_end = q.cue_end if q.cue_end is not None else q.cue_start + 1
            hit = [
                t
                for t in triggers
                if t.type in _lexicon().reference_dated and t.start < cue_end and q.cue_start < t.end
            ]
            if not hit:
                span = ctx.doc.char_span(q.cue_start, cue_end, alignment_mode="expand")
                if span is None or len(span) == 0:
                    continue
                trig = _Trigger(
                    "statement",
                    q.cue_start,
                    cue_end,
                    span.root,
                    sents.of(span.root),
                    confidence=_lexicon().date_confidence["statement"],
                )
                triggers.append(trig)
                hit = [trig]
            if q.speaker is not None:
                for trig in hit:
                    if q.speaker.name not in trig.actors:
                        trig.actors.append(q.speaker.name)
