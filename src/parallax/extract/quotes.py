"""Quotes: direct quotations and reported speech, each with its speaker entity and cue.

Direct quotes come from the quotation marks (:mod:`parallax.extract.textspans`);
the attribution is the reporting verb right after the closing mark (``," he
said``) or right before the opening one (``Dujarric said: "...``). A quotation
broken by ``he said`` gives two quotes with the same cue and speaker; a
paragraph that only continues the previous speaker's quotation inherits the
speaker with a lower confidence.

Reported speech comes from the dependency parse: a reporting verb from
``lexicons/quotes_en.json`` with a subject and a clausal complement ("X said that
..."), a parenthetical ("Law and order, X affirm, was restored"), a sentence-final
attribution ("..., said X"), "according to X", "X called on Y to ...", a
passive agent ("... were reiterated by X") and an announced object ("X announced
her resignation"). A headline "Name: words" attributes the words to Name.

Beyond the lexicon's speech verbs, a cue model learned from PolNeAR's training
part (:mod:`parallax.extract.cues`) finds the verbs that attribute a belief or a
stance ("backing", "thanked", "would vote for"): the subject is the source and the
verb's dependents to its right the content. Every quote says what it attributes
(``attribution``: speech, belief or stance); comparisons align speech and beliefs.

Speakers are resolved through the entities found earlier (pronouns and role
descriptions included), so a speaker is never a bare pronoun. A speaker phrase
with no entity becomes a new entity when it names someone ("a source", "the
interior ministry"); one that names no one ("firefighting efforts") leaves the
quote without a speaker, its phrase kept as written, rather than a guess.
Headline-like lines and related-link boxes inside the body are never quotes of
the article (the article's own headline "Name: words" still is).

Nesting: a statement attributed *inside* a direct quote ("appeals ... were
reiterated by Natalia Gherman", said by Dujarric) stays part of the outer quote;
the outer quote's ``speaker`` is the quoting person (Dujarric) and its
``nested_speaker`` the person whose words or position are reported inside it
(Gherman). No separate quote is made for the inner statement.
"""

from __future__ import annotations

import bisect
import functools
import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

from parallax.extract.base import ExtractionContext, Extractor
from parallax.extract.cues import CONTENT_DEPS, CueModel, cue_features, load_cue_model
from parallax.extract.textspans import Paragraphs, QuoteIndex, QuoteSpan, find_quotes
from parallax.records import Entity, EntityRef, Mention, Quote

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_WORD = re.compile(r"\w+")
#: one-word answers that are the content of "said so", "said yes", "said no"
_ANSWERS = frozenset({"so", "yes", "no"})
#: '"..." ― Pamela Padilla' (a dash, then a capitalized name, then the end of the paragraph or a comma)
_DASH_SOURCE = re.compile(
    r"[ \t]*(?P<dash>[―—–]|--)[ \t]*(?P<name>[A-Z][\w.’'\-]*(?:[ \t]+[A-Z][\w.’'\-]*){0,4})[ \t]*(?:[,.]|$)",
    re.M,
)
#: "PENCE: Well, ..." at the start of a paragraph
_TRANSCRIPT = re.compile(
    r"(?P<name>[A-Z][A-Za-z.’'\-]*(?:[ \t]+[A-Z][A-Za-z.’'\-]*){0,3})(?P<colon>:)[ \t]+(?=\S)"
)
#: "Lynch: No outside influence ..." or "EXCLUSIVE – Roger Stone: ..." as a headline
_HEADLINE = re.compile(
    r"(?:[A-Z]+[ \t]*[―—–-][ \t]*)?(?P<name>[A-Z][\w.’'\-]*(?:[ \t]+[\w.’'\-]+){0,5}?)(?P<colon>:)[ \t]+(?=\S)"
)
_SUBJECT_DEPS = ("nsubj", "csubj", "expl")
#: "- 11 hrs ago": the age stamp of a link in a related-links box
_LINK_AGE = re.compile(r"\b\d+\s+(?:hrs?|hours?|mins?|minutes?|days?)\s+ago\b", re.I)


@dataclass(frozen=True)
class QuoteLexicon:
    speech_verbs: frozenset[str]
    belief_verbs: frozenset[str]
    particle_cues: dict[str, frozenset[str]]
    object_infinitive_verbs: frozenset[str]
    parenthetical_verbs: frozenset[str]
    naming_verbs: frozenset[str]
    stance_verbs: frozenset[str]
    not_speaker_pronouns: frozenset[str]
    person_words: frozenset[str]
    opening: tuple[str, ...]
    closing: tuple[str, ...]
    ambiguous: tuple[str, ...]
    min_direct_words: int
    max_gap_tokens: int
    headline_labels: frozenset[str]
    cue_modifier_deps: frozenset[str]
    object_content_verbs: frozenset[str]
    question_verbs: frozenset[str]
    speaker_nouns: frozenset[str] = frozenset()
    commitment_verbs: frozenset[str] = frozenset()
    source_nouns: frozenset[str] = frozenset()


@functools.cache
def load_lexicon(language: str = "en") -> QuoteLexicon:
    """The quote rules for ``language`` (cached)."""
    raw = json.loads(
        resources.files("parallax.lexicons").joinpath(f"quotes_{language}.json").read_text("utf-8")
    )
    ents = json.loads(
        resources.files("parallax.lexicons").joinpath(f"entities_{language}.json").read_text("utf-8")
    )
    return QuoteLexicon(
        speech_verbs=frozenset(raw["speech_verbs"]),
        belief_verbs=frozenset(raw["belief_verbs"]),
        particle_cues={k: frozenset(v) for k, v in raw["particle_cues"].items()},
        object_infinitive_verbs=frozenset(raw["object_infinitive_verbs"]),
        parenthetical_verbs=frozenset(raw["parenthetical_verbs"]),
        naming_verbs=frozenset(raw["naming_verbs"]),
        stance_verbs=frozenset(raw["stance_verbs"]),
        not_speaker_pronouns=frozenset(raw["not_speaker_pronouns"]),
        person_words=frozenset(ents["person_titles"]) | frozenset(raw["person_nouns"]),
        opening=tuple(raw["quote_open"]),
        closing=tuple(raw["quote_close"]),
        ambiguous=tuple(raw["quote_ambiguous"]),
        min_direct_words=int(raw["min_direct_words"]),
        max_gap_tokens=int(raw["max_attribution_gap_tokens"]),
        headline_labels=frozenset(x.lower() for x in raw["headline_labels"]),
        cue_modifier_deps=frozenset(raw["cue_modifier_deps"]),
        object_content_verbs=frozenset(raw["object_content_verbs"]),
        question_verbs=frozenset(raw["question_verbs"]),
        speaker_nouns=frozenset(raw["speaker_nouns"]),
        commitment_verbs=frozenset(raw["commitment_verbs"]),
        source_nouns=frozenset(raw["source_nouns"]),
    )


@dataclass
class _Found:
    """A quote before it gets its id."""

    kind: str
    start: int
    end: int
    cue: tuple[int, int] | None
    speaker: tuple[int, int] | None  # the speaker phrase as written
    speaker_head: Token | None
    ref: EntityRef | None
    confidence: float
    nested: EntityRef | None = None
    gap: tuple[int, int] | None = None  # a parenthetical attribution inside the content, left out of its text
    attribution: str = "speech"


class QuoteExtractor(Extractor):
    """Direct and reported quotes with resolved speakers."""

    name = "quotes"
    version = "2"
    requires = ("entities",)
    assigns = ("quotes",)

    def __init__(self, language: str = "en", *, stances: bool = False, learned: bool = True) -> None:
        """``stances``: also report attributed stances and intentions ("X wants to ...",
        "X criticized ..."), as attribution corpora such as PolNeAR annotate them; off by
        default because they are not statements."""
        self.lex = load_lexicon(language)
        self.stances = stances
        self.model = load_cue_model(language) if learned else None

    def __call__(self, ctx: ExtractionContext) -> None:
        finder = _Finder(ctx, self.lex, self.tag, self.stances, self.model)
        found = finder.direct() + finder.direct_paragraphs() + finder.indirect()
        found = [f for f in found if not finder._headline_line(f.cue[0] if f.cue else f.start)]
        found.sort(key=lambda f: (f.start, f.end))
        _nest(found)
        for f in found:
            sent_start, sent_end = finder.sentence_bounds(f)
            text = ctx.text[f.start : f.end]
            if f.gap is not None:
                # "Law and order, Kazakh authorities affirm, was restored": the statement without the attribution
                left = ctx.text[f.start : f.gap[0]].rstrip(" ,—–")
                right = ctx.text[f.gap[1] : f.end].lstrip(" ,—–")
                text = f"{left} {right}"
            ctx.quotes.append(
                Quote(
                    id=f"Q{len(ctx.quotes) + 1}",
                    text=text,
                    kind="direct" if f.kind == "direct" else "indirect",
                    speaker=f.ref,
                    cue=ctx.text[f.cue[0] : f.cue[1]] if f.cue else None,
                    start=f.start,
                    end=f.end,
                    cue_start=f.cue[0] if f.cue else None,
                    cue_end=f.cue[1] if f.cue else None,
                    speaker_start=f.speaker[0] if f.speaker else None,
                    speaker_end=f.speaker[1] if f.speaker else None,
                    speaker_text=ctx.text[f.speaker[0] : f.speaker[1]] if f.speaker else None,
                    nested_speaker=f.nested,
                    sentence_start=sent_start,
                    sentence_end=sent_end,
                    confidence=round(max(0.0, min(1.0, f.confidence)), 2),
                    extractor=self.tag,
                    attribution=f.attribution,
                )
            )


class _Finder:
    def __init__(
        self,
        ctx: ExtractionContext,
        lex: QuoteLexicon,
        tag: str,
        stances: bool = False,
        model: CueModel | None = None,
    ) -> None:
        self.ctx = ctx
        self.model = model
        self.stances = stances
        self.doc: Doc = ctx.doc
        self.text = ctx.text
        self.lex = lex
        self.tag = tag
        self.paras = Paragraphs(self.text)
        self.quotes = find_quotes(self.text, self.paras, lex.opening, lex.closing, lex.ambiguous)
        self.qindex = QuoteIndex(self.quotes)
        self.tok_starts = [t.idx for t in self.doc]
        self.used_cues: set[int] = set()  # token indices already the cue of a quote
        self.mention_index = _MentionIndex(ctx.entities)

    # ------------------------------------------------------------------ helpers

    def token_at(self, offset: int) -> int:
        """Index of the token containing (or first after) ``offset``."""
        i = bisect.bisect_right(self.tok_starts, offset) - 1
        return max(0, i)

    def is_cue(self, tok: Token, beliefs: bool = False) -> bool:
        lemma = tok.lemma_.lower()
        if tok.pos_ in ("NOUN", "PROPN", "DET", "ADP", "NUM", "PUNCT"):
            return False
        if (
            lemma in self.lex.speech_verbs
            or tok.lower_ in self.lex.speech_verbs
            or lemma in self.lex.particle_cues
        ):
            return True
        return beliefs and lemma in self.lex.belief_verbs

    def subject(self, verb: Token) -> Token | None:
        for child in verb.children:
            if child.dep_ == "nsubj":
                return child
        for child in verb.children:
            if child.dep_ == "nummod" and child.i < verb.i:
                return child  # "About 4 in 10 say they want ...": the share of a poll, misparsed
        for child in verb.children:
            if child.dep_ == "agent":  # passive: "was reiterated by X"
                for g in child.children:
                    if g.dep_ == "pobj":
                        return g
        if verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.pos_ in ("NOUN", "PROPN"):
            return verb.head  # "voters saying they want ...": the participle hangs on its speaker
        # "X said ... and added that ...", "X spoke, saying that ...": the cue shares the main verb's subject
        if verb.head is not verb and (
            verb.dep_ == "conj" or verb.tag_ == "VBG" and verb.dep_ in ("advcl", "xcomp")
        ):
            for child in verb.head.children:
                if child.dep_ == "nsubj":
                    return child
        return None

    def clip(self, start: int, end: int, anchor: int) -> tuple[int, int]:
        pstart, pend = self.paras.bounds(anchor)
        start, end = max(start, pstart), min(end, pend)
        while end > start and self.text[end - 1] in " \n\t.,;:—–-":
            end -= 1
        while start < end and self.text[start] in " \n\t,;:—–-":
            start += 1
        return start, end

    def phrase_span(self, head: Token) -> tuple[int, int]:
        """The subtree of ``head`` as a span, clipped to the paragraph of the head."""
        left, right = head.left_edge, head.right_edge
        return self.clip(left.idx, right.idx + len(right), head.idx)

    def speaker_span(self, head: Token) -> tuple[int, int]:
        """The speaker phrase as written: the subject with its modifiers and appositions
        ("Jo Coelbart, a retired Belgian general,"), as attribution corpora mark it."""
        left, right = head.left_edge, head.right_edge
        start, end = self.clip(left.idx, right.idx + len(right), head.idx)
        # "UNITED NATIONS / ALMATY - Kazakh President X": a dateline run into the subject
        cut = list(re.finditer(r"\s[/\-—–|]\s", self.text[start:end]))
        if cut and start + cut[-1].end() <= head.idx:
            start += cut[-1].end()
        if "," in self.text[head.idx : end] and self.text[end : end + 1] == ",":
            end += 1  # the comma closing an apposition belongs to it
        return start, end

    def resolve(self, head: Token, span: tuple[int, int]) -> EntityRef | None:
        """The entity the speaker phrase names; a new entity when it names none."""
        if head.lower_ in ("who", "that") and head.head.dep_ == "relcl":
            # "Sanders, who said ...": the speaker is the noun the relative clause hangs on
            head = head.head.head
            span = (head.left_edge.idx, head.idx + len(head.text))
        # the head with its own left modifiers ("Deputy Foreign Minister X"), not its appositions
        span = self.clip(max(span[0], head.left_edge.idx), head.idx + len(head.text), head.idx)
        ent = self.mention_index.at(head.idx, head.idx + len(head.text))
        if ent is None:
            ent = self.mention_index.at(span[0], span[1], kinds=("PERSON", "ORG", "GROUP"))
        if ent is not None:
            return EntityRef(ent.id, ent.name)
        if head.pos_ == "PRON" or head.lower_ in self.lex.not_speaker_pronouns:
            return None
        name = re.sub(r"^(?:the|The|a|an|A|An)\s+", "", self.text[span[0] : span[1]])
        if not name or len(name) > 80:
            return None
        lower = head.lemma_.lower()
        if head.pos_ == "PROPN" or head.text[:1].isupper() or lower in self.lex.person_words and head.tag_ != "NNS":
            etype = "PERSON"
        elif lower in self.lex.person_words or lower in self.lex.speaker_nouns or head.lower_ in self.lex.speaker_nouns:
            etype = "GROUP" if head.tag_ in ("NNS", "NNPS") else "ORG"
        else:
            return None  # "firefighting efforts said": no one is named, so no speaker is guessed
        created = Entity(
            id=f"E{len(self.ctx.entities) + 1}",
            name=name,
            type=etype,
            mentions=[Mention(self.text[span[0] : span[1]], span[0], span[1])],
            extractor=self.tag,
        )
        self.ctx.entities.append(created)
        self.mention_index.add(created)
        return EntityRef(created.id, created.name)

    def sentence_bounds(self, f: _Found) -> tuple[int, int]:
        anchor = f.cue[0] if f.cue else f.start
        tok = self.doc[self.token_at(anchor)]
        sent = tok.sent
        start = min(sent.start_char, f.start)
        end = max(sent.end_char, f.end)
        pstart, pend = self.paras.bounds(anchor)
        return max(start, pstart if f.start >= pstart else start), min(end, pend if f.end <= pend else end)

    def cue_span(self, verb: Token) -> tuple[int, int]:
        """The cue as written: the verb with its auxiliaries and adverbs right before it
        ("has said", "also said")."""
        doc = self.doc
        start = verb.i
        while (
            start > 0 and doc[start - 1].head.i == verb.i and doc[start - 1].dep_ in ("aux", "advmod", "neg")
        ):
            start -= 1
        return doc[start].idx, verb.idx + len(verb.text)

    def cue_end(self, verb: Token, content_start: int) -> int:
        """Where the cue ends: with the particle and the modifiers between the verb and a
        content that follows it ("points out", "said Thursday", "said in a statement")."""
        end = verb.idx + len(verb.text)
        for child in verb.children:
            if child.i <= verb.i or child.dep_ not in self.lex.cue_modifier_deps:
                continue
            right = child.right_edge
            right_end = right.idx + len(right.text)
            adjacent_particle = child.dep_ == "prt" and child.i == verb.i + 1
            if adjacent_particle or content_start >= right_end and end <= child.left_edge.idx:
                end = max(end, right_end)
        return end

    def _speaker_from_cue(self, cue: Token) -> tuple[tuple[int, int] | None, Token | None, EntityRef | None]:
        subj = self.subject(cue)
        if subj is None:
            return None, None, None
        span = self.speaker_span(subj)
        return span, subj, self.resolve(subj, span)

    # ------------------------------------------------------------------ direct quotes

    def direct(self) -> list[_Found]:
        out: list[_Found] = []
        prev: _Found | None = None
        prev_para = -10
        for q in self.quotes:
            start, end = q.start, q.end
            while start < end and self.text[start].isspace():
                start += 1
            while end > start and self.text[end - 1] in " \n\t,":
                end -= 1
            if end <= start:
                continue
            if self._headline_line(q.outer_start):
                continue  # a related-link box or a headline run into the body: not the article's quote
            words = _count_words(self.text, start, end, self.lex.min_direct_words)
            cue = self._cue_after(q)
            utterance = cue is not None and self.text[start:end].rstrip()[-1:] in (".", "!", "?", ",")
            if cue is None:
                cue = self._cue_before(q)
            para = self.paras.index(q.outer_start)
            if cue is not None:
                if words < self.lex.min_direct_words and not (utterance and words >= 2):
                    continue  # a scare quote or a quoted phrase: part of the reported content, not a quotation
                self.used_cues.add(cue.i)
                span, head, ref = self._speaker_from_cue(cue)
                conf = 0.9 if q.closed else 0.5
                if head is not None and ref is None:
                    conf -= 0.2
                cue_at = self.cue_span(cue)
                found = _Found(
                    "direct", start, end, (cue_at[0], self.cue_end(cue, start)), span, head, ref, conf
                )
            elif (dashed := self._dash_attribution(q)) is not None:
                found = dashed  # '"..." ― Pamela Padilla': a signed quotation
            elif (
                prev is not None
                and prev.cue is not None
                and (para == prev_para or para - prev_para == 1 and self._opens_paragraph(q))
            ):
                # '"...," he said, "..."', '"...," he said. "..."' or a paragraph carrying on the same quotation;
                # only full utterances, not a quoted title or term ("State of the Union.")
                if not q.closed or not self._utterance(start, end):
                    continue
                conf = 0.85 if para == prev_para else 0.6
                found = _Found(
                    "direct", start, end, prev.cue, prev.speaker, prev.speaker_head, prev.ref, conf
                )
            else:
                # no attribution: a title, a term or a pull-quote whose attributed copy is elsewhere
                continue
            found.nested = self._nested(start, end, found.ref)
            out.append(found)
            prev, prev_para = found, para
        return out

    def _dash_attribution(self, q: QuoteSpan) -> _Found | None:
        if not q.closed:
            return None
        pend = self.paras.bounds(q.outer_end - 1)[1]
        m = _DASH_SOURCE.match(self.text, q.outer_end, pend)
        if m is None:
            return None
        name_start, name_end = m.start("name"), m.end("name")
        head = self.doc[self.token_at(name_end - 1)]
        ref = self.resolve(head, (name_start, name_end))
        if ref is None:
            return None
        start, end = self.clip(q.start, q.end, q.start)
        return _Found(
            "direct", start, end, (m.start("dash"), m.end("dash")), (name_start, name_end), head, ref, 0.7
        )

    def direct_paragraphs(self) -> list[_Found]:
        """Transcripts: a paragraph opening with a speaker's name and a colon ("PENCE: Well, ...")."""
        out: list[_Found] = []
        titles = [(s.start, s.end) for s in self.ctx.segments if s.field == "title"]
        for pstart, pend in self.paras.spans:
            headline = any(a <= pstart < b for a, b in titles)
            m = (_HEADLINE if headline else _TRANSCRIPT).match(self.text, pstart, pend)
            if m is None or self.qindex.containing(pstart) is not None:
                continue
            name = m.group("name")
            head = self.doc[self.token_at(m.end("name") - 1)]
            if not headline and self._headline_line(pstart):
                continue
            if name.lower() in self.lex.headline_labels or re.search(r"\d", name) or head.ent_type_ in (
                "DATE", "TIME", "CARDINAL"
            ):
                continue  # "WRAPUP 11-BP ...", "Fri Jul 16: ...": a rubric or a date, not a speaker
            if headline:
                # a headline's "Name: words" attributes the words, unless the name is a rubric
                if name.lower() in self.lex.headline_labels:
                    continue
            elif not (name.isupper() or head.ent_type_ in ("PERSON", "ORG")):
                continue
            ref = self.resolve(head, (m.start("name"), m.end("name")))
            if ref is None:
                continue
            start, end = self.clip(m.end(), pend, m.end())
            if not _has_words(self.text, start, end, 3):
                continue
            cue = (m.start("colon"), m.end("colon"))
            out.append(_Found("direct", start, end, cue, (m.start("name"), m.end("name")), head, ref, 0.6))
        return out

    def _headline_line(self, offset: int) -> bool:
        """A body paragraph that reads as a headline (a related-links box, a teaser): no closing
        sentence mark and most words capitalized ("Maui Fire: ‘We Will Rebuild,’ Governor Says")."""
        seg = self.ctx.segment_at(offset)
        if seg.field != "body":
            return False
        pstart, pend = self.paras.bounds(offset)
        line = self.text[pstart:pend].strip()
        if len(_LINK_AGE.findall(line)) >= 2:
            return True  # "BP begins to ante up - 11 hrs ago USA Today OBAMA: ...": a box of links
        if not line or line[-1] in ".!?…:;," or line[-2:] in ('."', ".”", "?”", '?"', "!”", '!"'):
            return False
        toks = [w for w in re.findall(r"[A-Za-z][\w’'\-]*", line)]
        if len(toks) < 4 or len(toks) > 25:
            return False
        small = {"a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "at", "by", "with", "as", "from"}
        capital = sum(1 for w in toks if w[0].isupper())
        content = sum(1 for w in toks if w.lower() not in small)
        return content > 0 and capital / content >= 0.75

    def _utterance(self, start: int, end: int) -> bool:
        inner = self.text[start:end].rstrip()
        return _has_words(inner, 0, len(inner), 5) and inner[-1:] in (".", "!", "?", ",", "…", "—")

    def _opens_paragraph(self, q: QuoteSpan) -> bool:
        pstart = self.paras.bounds(q.outer_start)[0]
        return not self.text[pstart : q.outer_start].strip()

    def _cue_after(self, q: QuoteSpan) -> Token | None:
        if not q.closed:
            return None
        pend = self.paras.bounds(q.outer_end - 1)[1]
        i = self.token_at(q.outer_end)
        doc = self.doc
        if i < len(doc) and doc[i].idx < q.outer_end:
            i += 1
        limit = min(len(doc), i + self.lex.max_gap_tokens)
        for j in range(i, limit):
            tok = doc[j]
            if tok.idx >= pend or self.qindex.containing(tok.idx) is not None:
                return None
            if tok.text in (".", "!", "?") or (tok.text == ";"):
                return None
            if self.is_cue(tok):
                if tok.dep_ == "acl" and tok.tag_ == "VBN":
                    return None  # 'titled "...", uses a model called OFES': a name, not a quotation
                if any(c.dep_ == "ccomp" and c.i > tok.i for c in tok.children):
                    return None  # '"This is good news" BP says it is encouraged': that cue has its own content
                return tok
        return None

    def _cue_before(self, q: QuoteSpan) -> Token | None:
        pi = self.paras.index(q.outer_start)
        pstart = self.paras.spans[pi][0]
        anchor = q.outer_start
        if not self.text[pstart : q.outer_start].strip() and pi > 0:
            # "Caddell continued:" closing the previous paragraph introduces this one's quotation
            prev_start, prev_end = self.paras.spans[pi - 1]
            if not self.text[prev_start:prev_end].rstrip().endswith(":"):
                return None
            pstart, anchor = prev_start, prev_end
        before = self.text[max(pstart, anchor - 200) : anchor]
        if not re.search(r"(?:[:,]|\b\w+)\s*$", before):
            return None
        stripped = before.rstrip()
        if not stripped:
            return None
        last = stripped[-1]
        i = self.token_at(anchor) - 1
        if i + 1 < len(self.doc) and self.doc[i + 1].idx < anchor:
            i += 1
        doc = self.doc
        for j in range(i, max(-1, i - self.lex.max_gap_tokens), -1):
            tok = doc[j]
            if (
                tok.idx < pstart
                or tok.text in (".", "!", "?", ";")
                or self.qindex.containing(tok.idx) is not None
            ):
                return None
            if self.is_cue(tok):
                gap = self.text[tok.idx + len(tok.text) : anchor]
                # "said: “", "said, “", "told reporters: “", "said “": not "said the plan was “..."
                if last in ":," or not gap.strip() or gap.strip() == "that":
                    return tok
                return None
        return None

    def _nested(self, start: int, end: int, outer: EntityRef | None) -> EntityRef | None:
        """The speaker of a statement reported inside a direct quote (not the quote's own speaker)."""
        i = self.token_at(start)
        doc = self.doc
        while i < len(doc) and doc[i].idx < end:
            tok = doc[i]
            i += 1
            if not self.is_cue(tok):
                continue
            subj = self.subject(tok)
            if subj is None or subj.pos_ == "PRON":
                continue
            ent = self.mention_index.at(subj.idx, subj.idx + len(subj.text))
            if (
                ent is not None
                and (outer is None or ent.id != outer.entity_id)
                and ent.type in ("PERSON", "ORG", "GROUP")
            ):
                return EntityRef(ent.id, ent.name)
        return None

    # ------------------------------------------------------------------ reported speech

    def indirect(self) -> list[_Found]:
        out: list[_Found] = []
        doc = self.doc
        for tok in doc:
            if tok.i in self.used_cues:
                continue
            lower = tok.lower_
            if lower == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
                found = self._according(tok)
            elif self.is_cue(tok, beliefs=True):
                if self.qindex.containing(tok.idx) is not None:
                    continue
                found = self._reported(tok)
            elif self.stances and tok.lemma_.lower() in self.lex.stance_verbs and tok.pos_ in ("VERB", "AUX"):
                if self.qindex.containing(tok.idx) is not None:
                    continue
                found = self._stance(tok)
            else:
                found = None
            if found is None and self.model is not None and tok.pos_ == "VERB":
                found = self._model_cue(tok, out)
            if found is not None:
                out.append(found)
        return out

    def _model_cue(self, tok: Token, found: list[_Found]) -> _Found | None:
        if tok.i in self.used_cues or self.qindex.containing(tok.idx) is not None:
            return None
        if tok.lemma_.lower() in ("be", "have", "do"):
            return None
        # a verb inside the cue of a relation already found ("did not mention") is no new cue
        if any(f.cue is not None and f.cue[0] <= tok.idx < f.cue[1] for f in found[-3:]):
            return None
        assert self.model is not None
        prob = self.model.probability(
            cue_features(tok, in_quote=False, lexicon_kind=lexicon_kind(tok, self.lex))
        )
        if prob < self.model.threshold:
            return None
        return self._learned(tok, prob)

    def _according(self, tok: Token) -> _Found | None:
        to = self.doc[tok.i + 1]
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
        if pobj is None:
            return None
        if self.qindex.containing(tok.idx) is not None:
            return None
        span = self.speaker_span(pobj)
        right = pobj.right_edge
        end = right.idx + len(right.text)
        content = self._around(tok.idx, end, tok.idx) or self._according_content(tok, end)
        if content is None:
            return None
        ref = self.resolve(pobj, span)
        cue = (tok.idx, to.idx + len(to.text))
        return _Found("indirect", content[0], content[1], cue, span, pobj, ref, 0.8)

    def _reported(self, tok: Token) -> _Found | None:
        lemma = tok.lemma_.lower()
        belief = lemma in self.lex.belief_verbs and lemma not in self.lex.speech_verbs
        subj = self.subject(tok)
        if subj is None or subj.dep_ not in ("nsubj", "nummod") or subj.lower_ in self.lex.not_speaker_pronouns:
            return None
        around = False
        gap: tuple[int, int] | None = None
        cue_end = tok.idx + len(tok.text)
        content: tuple[int, int] | None = None
        conf = 0.8
        comps = [c for c in tok.children if c.dep_ == "ccomp" or _asks_whether(c, lemma, self.lex)]
        particles = self.lex.particle_cues.get(lemma)
        if comps:
            spans = [
                self.phrase_span(c) for c in comps if self.paras.index(c.idx) == self.paras.index(tok.idx)
            ]
            if spans:
                content = (min(s[0] for s in spans), max(s[1] for s in spans))
        elif lemma in self.lex.naming_verbs and any(c.dep_ == "dobj" for c in tok.children):
            # "called the decision a huge win": the object and what it is called
            after = [
                c
                for c in tok.children
                if c.i > tok.i and c.dep_ in ("dobj", "oprd", "xcomp", "ccomp", "attr")
            ]
            if len(after) < 2:
                return None
            content = self.clip(
                after[0].left_edge.idx, after[-1].right_edge.idx + len(after[-1].right_edge.text), tok.idx
            )
            conf = 0.6
        elif particles:
            prep = next(
                (
                    c
                    for c in tok.children
                    if c.dep_ in ("prep", "prt") and c.lower_ in particles and c.i == tok.i + 1
                ),
                None,
            )
            if prep is None:
                return None
            cue_end = prep.idx + len(prep.text)
            objs = [c for c in prep.children if c.dep_ == "pobj"]
            objs += [c for c in tok.children if c.dep_ in ("xcomp", "ccomp", "dobj") and c.i > prep.i]
            if not objs:
                return None
            spans = [self.phrase_span(c) for c in objs]
            content = (min(s[0] for s in spans), max(s[1] for s in spans))
            conf = 0.75
        elif lemma in self.lex.object_infinitive_verbs:
            xcomp = next((c for c in tok.children if c.dep_ == "xcomp"), None)
            dobj = next((c for c in tok.children if c.dep_ == "dobj"), None)
            if xcomp is None:
                return None
            first = dobj if dobj is not None else xcomp
            content = self.clip(
                first.left_edge.idx, xcomp.right_edge.idx + len(xcomp.right_edge.text), tok.idx
            )
            conf = 0.7
        elif (that := self._that_clause(tok)) is not None:
            # "said in a statement that ...", with the clause misattached to the noun
            content = self.clip(that.idx, tok.sent.end_char, tok.idx)
            conf = 0.7
        elif lemma in self.lex.object_content_verbs and (
            dobj := next((c for c in tok.children if c.dep_ == "dobj" and c.i > tok.i), None)
        ):
            # "announced his resignation": what was announced is the object
            content = self.phrase_span(dobj)
            conf = 0.6
        elif lemma in self.lex.parenthetical_verbs and subj.dep_ == "nsubj":
            left = min(subj.left_edge.idx, tok.idx)
            right = max(subj.right_edge.idx + len(subj.right_edge.text), cue_end)
            content = self._around(left, right, tok.idx)
            around = True
            conf = 0.7
            if content is not None and content[0] < left and right < content[1]:
                gap = (left, right)
        short = False
        if content is None and not comps and lemma in self.lex.speech_verbs:
            # "55 percent said so", "the candidate said no": a one-word answer is what was said
            answer = next((c for c in tok.children if c.i == tok.i + 1 and c.lower_ in _ANSWERS), None)
            if answer is not None:
                content = (answer.idx, answer.idx + len(answer.text))
                short = True
                conf = 0.6
        if content is None or content[1] - content[0] < 3 and not short:
            return None
        content = self._through_quotation(content)
        if not _has_words(self.text, content[0], content[1], 1 if particles or short else 2):
            return None
        span = self.speaker_span(subj)
        if not around and span[0] < content[1] and content[0] < span[1]:
            return None  # the speaker sits inside its own content: a misparse
        ref = self.resolve(subj, span)
        if belief:
            conf = 0.5
        if ref is None:
            conf -= 0.2
        cue_start = self.cue_span(tok)[0]
        cue_end = max(cue_end, self.cue_end(tok, content[0]))
        commitment = lemma in self.lex.commitment_verbs and not comps
        return _Found(
            "indirect",
            content[0],
            content[1],
            (cue_start, cue_end),
            span,
            subj,
            ref,
            conf,
            gap=gap,
            attribution="belief" if belief else "stance" if commitment else "speech",
        )

    def _stance(self, tok: Token) -> _Found | None:
        """ "X wants to ...", "X criticized Y for ...": the complement or object is the content."""
        subj = self.subject(tok)
        if subj is None or subj.dep_ != "nsubj" or subj.lower_ in self.lex.not_speaker_pronouns:
            return None
        comps = [c for c in tok.children if c.dep_ in ("ccomp", "xcomp", "dobj") and c.i > tok.i]
        if not comps:
            return None
        spans = [self.phrase_span(c) for c in comps if self.paras.index(c.idx) == self.paras.index(tok.idx)]
        if not spans:
            return None
        content = (min(s[0] for s in spans), max(s[1] for s in spans))
        if not _has_words(self.text, content[0], content[1], 1):
            return None
        span = self.speaker_span(subj)
        ref = self.resolve(subj, span)
        cue_start = self.cue_span(tok)[0]
        conf = 0.4 if ref is not None else 0.3
        return _Found(
            "indirect",
            content[0],
            content[1],
            (cue_start, tok.idx + len(tok.text)),
            span,
            subj,
            ref,
            conf,
            attribution="stance",
        )

    def _learned(self, tok: Token, prob: float) -> _Found | None:
        """A cue the model found ("backing", "thanked", "would vote for"): the subject is the
        source and the verb's dependents to its right are the content."""
        subj = self.subject(tok)
        if subj is None or subj.lower_ in self.lex.not_speaker_pronouns or not self._agentive(subj):
            return None  # "Legislation offering that amount passed": a thing, not someone holding a view
        cue_last = tok
        comps = [c for c in tok.children if c.i > tok.i and c.dep_ in CONTENT_DEPS and not self._circumstance(c)]
        while comps and comps[0].i == cue_last.i + 1 or comps and comps[0].i == cue_last.i + 2 and (
            self.doc[cue_last.i + 1].dep_ == "aux"
        ):
            first = comps[0]
            # "wrote about X", "made clear that ...", "declined to assail him": the particle,
            # adjective or verb right after the cue belongs to it; what follows is the content
            if first.dep_ == "prep" and any(c.dep_ == "pobj" for c in first.children):
                cue_last = first
                comps = [c for c in first.children if c.dep_ == "pobj"] + comps[1:]
            elif first.dep_ in ("acomp", "oprd") and len(comps) > 1:
                cue_last = first
                comps = comps[1:]
            elif first.dep_ == "xcomp" and first.pos_ in ("VERB", "AUX"):
                inner = [c for c in first.children if c.i > first.i and c.dep_ in CONTENT_DEPS]
                if not inner:
                    break
                cue_last = first
                comps = inner + comps[1:]
            else:
                break
        if not comps:
            return None
        last = comps[-1].right_edge
        content = self.clip(comps[0].left_edge.idx, last.idx + len(last.text), tok.idx)
        if content[1] - content[0] < 3 or not _has_words(self.text, content[0], content[1], 2):
            return None  # "to confirm them": a bare object says nothing a reader can check
        content = self._through_quotation(content)
        span = self.speaker_span(subj)
        if span[0] < content[1] and content[0] < span[1]:
            return None
        ref = self.resolve(subj, span)
        cue_start = self.cue_span(tok)[0]
        cue_stop = cue_last.idx + len(cue_last.text)
        lemma = tok.lemma_.lower()
        if lemma in self.lex.commitment_verbs or lemma not in self.lex.speech_verbs | self.lex.belief_verbs:
            kind = "stance"
        else:
            kind = "speech" if lemma in self.lex.speech_verbs else "belief"
        conf = min(0.7, prob) if ref is not None else min(0.5, prob)
        return _Found(
            "indirect",
            content[0],
            content[1],
            (cue_start, cue_stop),
            span,
            subj,
            ref,
            conf,
            attribution=kind,
        )

    def _agentive(self, subj: Token) -> bool:
        """A subject that can hold a position: a name, a person pronoun, a person or body noun,
        or a source document ("the poll", "a report")."""
        if subj.pos_ in ("PROPN", "PRON") or subj.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
            return subj.pos_ != "PRON" or subj.lower_ not in self.lex.not_speaker_pronouns
        lemma = subj.lemma_.lower()
        return (
            lemma in self.lex.person_words
            or lemma in self.lex.speaker_nouns
            or subj.lower_ in self.lex.speaker_nouns
            or lemma in self.lex.source_nouns
        )

    def _circumstance(self, child: Token) -> bool:
        """ "in February", "on Sunday": a time or place phrase, not what is attributed."""
        if child.dep_ != "prep":
            return False
        pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
        return pobj is not None and pobj.ent_type_ in ("DATE", "TIME", "GPE", "LOC", "FAC")

    def _through_quotation(self, content: tuple[int, int]) -> tuple[int, int]:
        """A reported content that stops inside a quotation it opened ('that "just as we have
        seen, ...'): the parse cut at a comma inside the quoted words, so run to the closing mark."""
        q = self.qindex.containing(max(content[0], content[1] - 1))
        if q is None or not q.closed or q.outer_start < content[0] or q.end <= content[1]:
            return content
        return content[0], q.end

    def _that_clause(self, verb: Token) -> Token | None:
        doc = self.doc
        end = min(verb.sent.end, verb.i + 8)
        for j in range(verb.i + 1, end):
            t = doc[j]
            if t.lower_ == "that" and t.dep_ == "mark":
                return t
            if t.text in (".", ";", "!", "?") or t.pos_ == "VERB":
                return None
        return None

    def _according_content(self, tok: Token, end: int) -> tuple[int, int] | None:
        """What "according to X" attributes when no commas set it off: the clause before it
        ("Clinton leads by 271 delegates according to a count by the AP"), the previous sentence
        ("That's according to exit polls."), or the quotation it introduces ("According to the
        newspaper, "...")."""
        sent = tok.sent
        pstart, pend = self.paras.bounds(tok.idx)
        s_start, s_end = max(sent.start_char, pstart), min(sent.end_char, pend)
        before = self.text[s_start : tok.idx]
        after = self.text[end:s_end]
        if re.fullmatch(r"\s*(?:that|this|it)(?:['’]s|\s+is|\s+was)\s*", before, re.IGNORECASE):
            prev = self.doc[sent.start - 1].sent if sent.start > 0 else None
            if prev is None:
                return None
            # the sentence before may end a paragraph: it is the statement all the same
            return self.clip(prev.start_char, prev.end_char, prev.start_char)
        words_after = re.search(r"\w", after) is not None
        if len(_WORD.findall(before)) >= 3 and (not words_after or re.match(r"\s*,\s*(?:but|and|while|as)\b", after)):
            return self.clip(s_start, tok.idx, tok.idx)
        if not before.strip() and re.fullmatch(r"\s*[,:]?\s*", after):
            q = self.qindex.containing(s_end + len(self.text[s_end:]) - len(self.text[s_end:].lstrip()))
            if q is not None:
                return q.outer_start, q.outer_end
        return None

    def _around(self, left: int, right: int, anchor: int) -> tuple[int, int] | None:
        """Content around an attribution phrase [left, right) set off by commas in its sentence.

        "X, Y affirm, Z" gives "X ... Z" (the span from X to Z); "X, said Y." gives X;
        "According to Y, X." gives X.
        """
        tok = self.doc[self.token_at(anchor)]
        sent = tok.sent
        pstart, pend = self.paras.bounds(anchor)
        s_start, s_end = max(sent.start_char, pstart), min(sent.end_char, pend)
        before = self.text[s_start:left]
        after = self.text[right:s_end]
        has_before = before.rstrip().endswith((",", "—", "–")) and _WORD.search(before) is not None
        has_after = bool(re.match(r"\s*[,—–]\s*\w", after))
        if has_before and has_after:
            return self.clip(s_start, s_end, anchor)
        if has_before and not re.search(r"\w", after):
            return self.clip(s_start, left, anchor)
        if has_after and not before.strip():
            return self.clip(right, s_end, anchor)
        return None


def lexicon_kind(tok: Token, lex: QuoteLexicon) -> str | None:
    """Which cue list of the lexicon a token's lemma is on (a feature of the cue model)."""
    lemma = tok.lemma_.lower()
    if lemma in lex.speech_verbs or tok.lower_ in lex.speech_verbs:
        return "speech"
    if lemma in lex.particle_cues:
        return "particle"
    if lemma in lex.belief_verbs:
        return "belief"
    if lemma in lex.stance_verbs:
        return "stance"
    return None


def _asks_whether(clause: Token, lemma: str, lex: QuoteLexicon) -> bool:
    """ "asked if they planned to attend": the question is the content, parsed as an adverbial clause."""
    return (
        lemma in lex.question_verbs
        and clause.dep_ == "advcl"
        and any(c.dep_ == "mark" and c.lower_ in ("if", "whether") for c in clause.children)
    )


def _nest(found: list[_Found]) -> None:
    """A statement whose content holds another speaker's attribution ("Dujarric said the
    secretary-general called for restraint") gets that speaker as its nested speaker."""
    cued = sorted(
        ((f.cue[0], f) for f in found if f.cue is not None and f.ref is not None), key=lambda pair: pair[0]
    )
    starts = [c for c, _ in cued]
    for f in found:
        if f.nested is not None:
            continue
        i = bisect.bisect_left(starts, f.start)
        stop = min(len(cued), i + 20)  # a bounded look: keeps pathological texts linear
        while i < stop and cued[i][0] < f.end:
            inner = cued[i][1]
            if (
                inner is not f
                and inner.ref is not None
                and (f.ref is None or inner.ref.entity_id != f.ref.entity_id)
            ):
                f.nested = inner.ref
                break
            i += 1


def _count_words(text: str, start: int, end: int, cap: int) -> int:
    """Words in text[start:end], counting no further than ``cap`` (keeps long quotes linear)."""
    n = 0
    for _ in _WORD.finditer(text, start, end):
        n += 1
        if n >= cap:
            break
    return n


def _has_words(text: str, start: int, end: int, n: int) -> bool:
    return _count_words(text, start, end, n) >= n


class _MentionIndex:
    """Entity mentions sorted by start, for the tightest-mention lookup in O(log n)."""

    def __init__(self, entities: list[Entity]) -> None:
        self.items: list[tuple[int, int, Entity]] = sorted(
            ((m.start, m.end, e) for e in entities for m in e.mentions), key=lambda x: (x[0], x[1])
        )
        self.starts = [x[0] for x in self.items]

    def add(self, entity: Entity) -> None:
        for m in entity.mentions:
            i = bisect.bisect_left(self.starts, m.start)
            self.starts.insert(i, m.start)
            self.items.insert(i, (m.start, m.end, entity))

    def at(self, start: int, end: int, kinds: tuple[str, ...] | None = None) -> Entity | None:
        i = bisect.bisect_left(self.starts, end)
        best: tuple[int, Entity] | None = None
        # mentions are short, so only a few to the left can overlap
        for j in range(i - 1, max(-1, i - 12), -1):
            s, e, ent = self.items[j]
            if s < end and start < e and (kinds is None or ent.type in kinds):
                size = e - s
                if best is None or size < best[0]:
                    best = (size, ent)
        return best[1] if best else None
