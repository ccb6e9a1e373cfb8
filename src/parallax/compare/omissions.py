"""Omissions: what some outlets report and others leave out, the ones that matter first.

The facts compared are the story's figures (by measure), statement clusters
(indirect or mixed), direct-quote clusters and timeline entries. A fact is
present in an outlet when any of its articles carries it; a near-duplicate of
another outlet's article counts for its own outlet, a near-duplicate within an
outlet counts once.

An outlet is only said to omit a fact after its articles were read for it: the
headline, lede and whole body are searched for the same number (a figure), and
for a sentence that says the same thing (a statement: a shared run of words or a
paraphrase by sentence embeddings whose numbers agree). When an outlet carries
no figure for a measure but speaks of the same thing in words ("fatalities were
reported"), the omission says so: it is the number that is missing. An outlet
whose text was found to carry the fact is listed among ``present_in`` (with no
ref: no fact was read from it), so every outlet is either present or absent.

Each omission is *central* when the fact is in some article's lede (headline or
first paragraphs), is carried by at least two outlets, or comes from one of the
story's main sources (the voices most outlets quote). Omissions are scored by
those reasons and sorted, central ones first; ``reason`` says why one matters.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from parallax.compare.context import StoryContext, load_lexicon, normalize_phrase, words
from parallax.compare.statements import Unit, agree, display_text, names_in, numbers_in, split_sentences
from parallax.embed import TextEncoder
from parallax.records import FactRef, Figure, Omission, TimelineEntry, Voice

_SENTENCE_CAP = 80  # sentences read per article when looking for a paraphrase


@dataclass
class _Sentence:
    text: str
    numbers: frozenset[str]
    names: frozenset[str]


def find_omissions(
    ctx: StoryContext,
    figures: list[Figure],
    clusters: list[list[Unit]],
    timeline: list[TimelineEntry],
    *,
    encoder: TextEncoder | None = None,
    voices: Sequence[Voice] = (),
) -> list[Omission]:
    """Omissions of figures, statements, quotes and events, ranked (see the module doc)."""
    outlets = ctx.outlets
    if len(outlets) < 2:
        return []
    lex = load_lexicon("omissions")
    reader = _Reader(ctx, encoder, lex)
    main = _main_sources(voices, int(lex["main_sources"]))
    out: list[Omission] = []
    words_cache: dict[tuple[str, str], bool] = {}
    for fig in figures:
        present = _ordered({v.outlet or v.article_id for v in fig.values}, outlets)
        values = {_number_key(v.value) for v in fig.values if v.value is not None} - {None}
        # an outlet whose text gives the number carries the figure, whether or not a claim was read from it
        found = {o for o in outlets if o not in present and reader.has_number(o, values)}
        absent = [o for o in outlets if o not in present and o not in found]
        if not absent:
            continue
        present = _ordered(set(present) | found, outlets)
        category = fig.measure.split(":")[0]
        for o in absent:
            if (o, category) not in words_cache:
                words_cache[(o, category)] = _mentions_without_figure(ctx, o, category)
        words_only = [o for o in absent if words_cache[(o, category)]]
        note = f"{', '.join(words_only)} reports it without a figure" if words_only else None
        shown = "; ".join(f"{v.text} ({v.outlet})" for v in fig.values[:4])
        refs = [FactRef(v.article_id, v.fact_id) for v in fig.values]
        lede = reader.in_lede_claims(refs)
        sources = {v.attributed_to for v in fig.values if v.attributed_to}
        out.append(
            _ranked(
                Omission(
                    kind="figure", summary=f"{fig.measure}: {shown}", present_in=present, absent_from=absent,
                    refs=refs, note=note,
                ),
                lede, len(outlets), {normalize_phrase(s) for s in sources} & main, lex,
            )
        )
    out.extend(_statement_omissions(clusters, outlets, reader, main, lex))
    for entry in timeline:
        present = _ordered(set(entry.outlets), outlets)
        absent = [o for o in outlets if o not in present]
        if not absent:
            continue
        when = entry.date.start if not entry.date.end else f"{entry.date.start}..{entry.date.end}"
        om = Omission(
            kind="event", summary=f"{when} {entry.type}: {entry.summary}", present_in=present,
            absent_from=absent, refs=list(entry.refs),
        )
        # a gap in one outlet's timeline: the event may be told without a date, so it is
        # shown as a lead to check, never as a central omission
        out.append(replace(_ranked(om, [], len(outlets), set(), lex), central=False))
    out.sort(key=lambda o: (not o.central, -o.score, o.kind, o.summary))
    return [replace(o, rank=i) for i, o in enumerate(out, 1)]


def _ranked(
    om: Omission, lede_outlets: list[str], n_outlets: int, main_speakers: set[str], lex: dict[str, Any]
) -> Omission:
    """The omission with its centrality, score and reason."""
    weights = lex["weights"]
    reasons = []
    score = float(weights["kind"].get(om.kind, 0.0))
    carried = len(om.present_in)
    if lede_outlets:
        reasons.append(f"in the lede of {', '.join(lede_outlets[:3])}")
        score += float(weights["lede"])
    if carried >= 2:
        reasons.append(f"carried by {carried} of {n_outlets} outlets")
    score += float(weights["outlets"]) * carried / max(1, n_outlets)
    if main_speakers:
        reasons.append(f"said by a main source ({', '.join(sorted(main_speakers))})")
        score += float(weights["main_source"])
    central = bool(lede_outlets) or carried >= 2 or bool(main_speakers)
    return replace(om, central=central, score=round(score, 3), reason="; ".join(reasons) or None)


def _statement_omissions(
    clusters: list[list[Unit]], outlets: list[str], reader: _Reader, main: set[str], lex: dict[str, Any]
) -> list[Omission]:
    """One omission per quote and outlet split: its missing sentences are reported together."""
    merged: dict[tuple[Any, ...], list[list[Unit]]] = {}
    min_tokens = int(lex["min_statement_words"])
    for cluster in clusters:
        # "announced the deal": too little said for its absence to matter; still listed, never central
        short = max(len(u.tokens) for u in cluster) < min_tokens
        quoted = {u.outlet for u in cluster}
        # an outlet that says the same thing outside a quote (or in a sentence no quote was read
        # from) carries the fact: it is present, not omitted
        found = {o for o in outlets if o not in quoted and any(reader.says(o, u) for u in cluster[:4])}
        present = _ordered(quoted | found, outlets)
        absent = [o for o in outlets if o not in present]
        if not absent:
            continue
        kind = "quote" if all(u.kind == "direct" for u in cluster) else "statement"
        owner = cluster[0]
        key = (owner.article_id, owner.quote.id, kind, tuple(present), tuple(absent), short)
        merged.setdefault(key, []).append(cluster)
    out = []
    for (_, _, kind, present, absent, short), parts in merged.items():
        leads = [min(c, key=lambda u: (u.speaker_name is None, u.article_id != c[0].article_id, u.quote.start)) for c in parts]
        refs: dict[FactRef, None] = {}
        for c in parts:
            for u in c:
                refs.setdefault(FactRef(u.article_id, u.quote.id), None)
        speaker = leads[0].speaker_name or "unattributed"
        text = " ".join(display_text(u.text) for u in leads)
        units = [u for c in parts for u in c]
        lede = reader.in_lede_quotes(units)
        speakers = {normalize_phrase(u.speaker_name) for u in units if u.speaker_name} & main
        om = Omission(
            kind=kind, summary=f"{speaker}: {text}", present_in=list(present), absent_from=list(absent),
            refs=list(refs),
        )
        ranked = _ranked(om, lede, len(outlets), speakers, lex)
        out.append(replace(ranked, central=False) if short else ranked)
    return out


class _Reader:
    """Reads an outlet's articles for a fact before calling it omitted (sentences cached per story)."""

    def __init__(self, ctx: StoryContext, encoder: TextEncoder | None, lex: dict[str, Any]) -> None:
        self.ctx = ctx
        self.encoder = encoder
        self.lede_paragraphs = int(lex["lede_paragraphs"])
        self.paraphrase = float(lex["paraphrase_cosine"])
        self.related = float(lex["related_cosine"])
        self.ngram = int(lex["shared_run"])
        self._sentences: dict[str, list[_Sentence]] | None = None
        self._text_grams: dict[str, set[tuple[str, ...]]] = {}
        self._vectors: dict[str, np.ndarray] = {}
        self._unit_vectors: dict[int, np.ndarray] = {}
        self._numbers: dict[str, frozenset[str]] = {}

    def articles_of(self, outlet: str) -> list[str]:
        return [a for a in self.ctx.counted_articles(need_facts=False) if self.ctx.outlet_of[a] == outlet]

    def has_number(self, outlet: str, values: set[str | None]) -> bool:
        """The outlet's text gives one of the figure's values (in any wording of the digits)."""
        if not values:
            return False
        for aid in self.articles_of(outlet):
            if aid not in self._numbers:
                self._numbers[aid] = numbers_in(self.ctx.text_of(aid)) | frozenset(
                    k for c in self.ctx.facts[aid].claims if (k := _number_key(c.value)) is not None
                )
            if self._numbers[aid] & values:
                return True
        return False

    def says(self, outlet: str, unit: Unit) -> bool:
        """One of the outlet's sentences says what ``unit`` says: a shared run of words, or a
        paraphrase whose numbers and names do not disagree."""
        self._load()
        assert self._sentences is not None
        grams = _grams(unit.text, self.ngram)
        big = {n for n in unit.numbers if len(n) >= 2}
        for aid in self.articles_of(outlet):
            sents = self._sentences.get(aid, [])
            if grams & self._text_grams[aid]:
                return True
            if self.encoder is None or not sents or len(unit.tokens) < 4:
                continue
            vec = self._unit_vector(unit)
            if vec is None:
                continue
            sims = self._vectors[aid] @ vec
            for k in np.flatnonzero(sims >= self.related):
                s = sents[int(k)]
                if big & s.numbers:
                    return True  # "$20bn in a compensation fund" / "a $20 billion fund for claims"
                if sims[k] < self.paraphrase:
                    continue
                probe = Unit(aid, outlet, unit.quote, s.text, None, None, None, numbers=s.numbers, names=s.names)
                if agree(unit, probe):
                    return True
        return False

    def in_lede_quotes(self, units: list[Unit]) -> list[str]:
        """Outlets that carry one of the units in an article's headline or first paragraphs."""
        out: dict[str, None] = {}
        for u in units:
            article = self.ctx.articles[u.article_id]
            q = u.quote
            if q.field in ("title", "standfirst") or q.field == "body" and self._lede_end(article) > q.start:
                out.setdefault(u.outlet, None)
        return list(out)

    def in_lede_claims(self, refs: list[FactRef]) -> list[str]:
        out: dict[str, None] = {}
        for r in refs:
            facts = self.ctx.facts.get(r.article_id)
            claim = next((c for c in facts.claims if c.id == r.fact_id), None) if facts else None
            if claim is None:
                continue
            article = self.ctx.articles[r.article_id]
            if claim.field in ("title", "standfirst") or claim.field == "body" and self._lede_end(article) > claim.start:
                out.setdefault(self.ctx.outlet_of[r.article_id], None)
        return list(out)

    def _lede_end(self, article: Any) -> int:
        """Where the lede ends in the body: after the first paragraphs (a dateline line does not count)."""
        end = 0
        counted = 0
        for p in article.paragraphs:
            end += len(p.text) + (2 if end else 0)
            if len(words(p.text)) >= 8:
                counted += 1
            if counted >= self.lede_paragraphs:
                break
        return end

    def _load(self) -> None:
        if self._sentences is not None:
            return
        self._sentences = {}
        texts: list[str] = []
        owners: list[str] = []
        for aid in self.ctx.counted_articles(need_facts=False):
            # shared runs are looked for in the whole text (headline to last paragraph); only
            # the paraphrase check, which embeds sentences, reads the first ones
            self._text_grams[aid] = set().union(
                *(_grams(s, self.ngram) for para in self.ctx.text_of(aid).split("\n") for s in split_sentences(para))
            )
            sents = []
            for para in self.ctx.text_of(aid).split("\n"):
                for s in split_sentences(para)[:_SENTENCE_CAP]:
                    if len(words(s)) < 3:
                        continue
                    sents.append(_Sentence(s, numbers_in(s), names_in(s)))
            sents = sents[:_SENTENCE_CAP]
            self._sentences[aid] = sents
            texts.extend(display_text(s.text) for s in sents)
            owners.extend([aid] * len(sents))
        if self.encoder is None or not texts:
            return
        try:
            vectors = np.asarray(self.encoder.encode(texts))
        except Exception:  # an encoder that cannot load leaves the word check to do the work
            self.encoder = None
            return
        for aid in self._sentences:
            rows = [i for i, o in enumerate(owners) if o == aid]
            self._vectors[aid] = vectors[rows] if rows else np.zeros((0, vectors.shape[1]), dtype=np.float32)

    def _unit_vector(self, unit: Unit) -> np.ndarray | None:
        key = id(unit)
        if key not in self._unit_vectors:
            assert self.encoder is not None
            try:
                self._unit_vectors[key] = np.asarray(self.encoder.encode([display_text(unit.text)]))[0]
            except Exception:  # see _load
                return None
        return self._unit_vectors[key]


def _main_sources(voices: Sequence[Voice], top: int) -> set[str]:
    """The speakers most outlets let speak: quoted by two or more outlets, else the most quoted."""
    outlets: dict[str, set[str]] = {}
    total: Counter[str] = Counter()
    for v in voices:
        key = normalize_phrase(v.speaker)
        outlets.setdefault(key, set()).add(v.outlet or "")
        total[key] += v.count
    ranked = sorted(total, key=lambda k: (-len(outlets[k]), -total[k], k))
    keep = [k for k in ranked if len(outlets[k]) >= 2][:top]
    return set(keep or ranked[:1])  # one outlet alone: its most quoted speaker


def _grams(text: str, n: int) -> set[tuple[str, ...]]:
    """Runs of ``n`` stemmed words holding at least two content words ("care about the small people")."""
    stop = set(load_lexicon("statements")["stopwords"])
    toks = [_stem(w) for w in words(text)]
    out = set()
    for i in range(len(toks) - n + 1):
        run = toks[i : i + n]
        if sum(1 for t in run if t not in stop) >= 2:
            out.add(tuple(run))
    return out


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _number_key(value: float | None) -> str | None:
    if value is None:
        return None
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _ordered(items: set[str], outlets: list[str]) -> list[str]:
    return [o for o in outlets if o in items] + sorted(items - set(outlets))


def _mentions_without_figure(ctx: StoryContext, outlet: str, category: str) -> bool:
    spec = load_lexicon("measures")["categories"].get(category, {})
    event_types = set(spec.get("event_types", []))
    terms = spec.get("mentions", [])
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in terms) + r")\b", re.I) if terms else None
    for aid in ctx.order:
        if ctx.outlet_of[aid] != outlet:
            continue
        facts = ctx.facts[aid]
        if any(c.vague and (c.category or "").lower() == category for c in facts.claims):
            return True
        if any(e.type in event_types for e in facts.events):
            return True
        if pattern is not None and pattern.search(ctx.text_of(aid)):
            return True
    return False
