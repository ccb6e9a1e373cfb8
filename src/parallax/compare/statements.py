"""Statements and quotes: the same statement as several outlets report it.

Every quote (direct or indirect) is cut into sentences, the *units* aligned
here. Two units are linked when their content words overlap enough (TF-IDF
cosine over the story's units, or containment of the shorter in the longer),
with a bonus when the same story entity speaks. Linked units form a cluster;
within a cluster each speaker's versions make one :class:`Statement`:

- ``same``: the same words everywhere (or a paraphrase of an indirect statement);
- ``update``: the speaker said it differently on different dates;
- ``drift``: a direct quote whose wording differs between outlets (translation
  variants, truncation) on the same date.

Across speakers or outlets, versions dated the same day whose hedges or
negations differ ("restored" / "largely restored") make a ``tension`` statement.
Word differences are difflib opcodes over words.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from parallax.compare.context import StoryContext, load_lexicon, words
from parallax.compare.entities import EntityIndex
from parallax.records import Quote, Statement, StatementVersion

_SENTENCE = re.compile(r"(?<=[.!?])[\"”’']?\s+(?=[\"“‘']?[A-Z0-9])")
#: At most this many version pairs get a word diff per statement.
MAX_DIFFS = 12


@dataclass
class Unit:
    """One sentence of one quote, the thing aligned across outlets."""

    article_id: str
    outlet: str
    quote: Quote
    text: str
    speaker: str | None  # story entity id, else the normalized name
    speaker_name: str | None
    date: str | None
    tokens: list[str] = field(default_factory=list)
    hedges: frozenset[str] = frozenset()

    @property
    def kind(self) -> str:
        return self.quote.kind


@dataclass
class StatementAnalysis:
    statements: list[Statement]
    quotes: list[Statement]
    #: every cluster of units, single-outlet ones included (for omissions)
    clusters: list[list[Unit]]


def compare_statements(ctx: StoryContext, index: EntityIndex) -> StatementAnalysis:
    """Align the story's quotes into statements (mixed or indirect) and quotes (direct only)."""
    lex = load_lexicon("statements")
    units = build_units(ctx, index)[: int(lex["max_units"])]
    clusters = cluster_units(units, ctx)
    statements: list[Statement] = []
    quotes: list[Statement] = []
    for cluster in clusters:
        for st in _statements_of(cluster, ctx):
            direct = all(v.kind == "direct" for v in st.versions)
            (quotes if direct and st.relation != "tension" else statements).append(st)
    for i, st in enumerate(statements, 1):
        statements[i - 1] = _with_id(st, f"ST{i}")
    for i, st in enumerate(quotes, 1):
        quotes[i - 1] = _with_id(st, f"QT{i}")
    return StatementAnalysis(statements, quotes, clusters)


def build_units(ctx: StoryContext, index: EntityIndex) -> list[Unit]:
    lex = load_lexicon("statements")
    stop = set(lex["stopwords"])
    hedge_words = {w for w in lex["hedges"] + lex["negations"] if " " not in w}
    hedge_phrases = [w for w in lex["hedges"] + lex["negations"] if " " in w]
    out: list[Unit] = []
    for aid in ctx.counted_articles():
        facts = ctx.facts[aid]
        for q in facts.quotes:
            ent = index.resolve(aid, q.speaker)
            speaker = ent.id if ent is not None else (" ".join(words(q.speaker.name)) if q.speaker else None)
            name = ent.name if ent is not None else (q.speaker.name if q.speaker else None)
            date = _quote_date(ctx, aid, q)
            for sent in split_sentences(q.text):
                toks = words(sent)
                content = [_stem(t) for t in toks if t not in stop]
                if len(content) < 2:
                    continue
                low = " ".join(toks)
                hedges = {t for t in toks if t in hedge_words} | {p for p in hedge_phrases if p in low}
                if any(t.endswith("n't") for t in toks):
                    hedges.add("not")
                out.append(
                    Unit(aid, ctx.outlet_of[aid], q, sent, speaker or None, name, date, content, frozenset(hedges))
                )
    return out


def split_sentences(text: str) -> list[str]:
    parts = [p.strip() for p in _SENTENCE.split(text.strip())]
    return [p for p in parts if p]


def similarity(units: list[Unit]) -> tuple[np.ndarray, np.ndarray]:
    """TF-IDF cosine and containment (shared / smaller set) matrices over units."""
    vocab: dict[str, int] = {}
    for u in units:
        for t in u.tokens:
            vocab.setdefault(t, len(vocab))
    n = len(units)
    tf = np.zeros((n, max(1, len(vocab))))
    for i, u in enumerate(units):
        for t in u.tokens:
            tf[i, vocab[t]] += 1.0
    present = tf > 0
    df = present.sum(axis=0)
    idf = np.log((n + 1) / (df + 1)) + 1.0
    w = tf * idf
    norms = np.linalg.norm(w, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    w = w / norms
    cos = w @ w.T
    inter = present.astype(float) @ present.T.astype(float)
    sizes = present.sum(axis=1)
    smaller = np.minimum.outer(sizes, sizes).astype(float)
    smaller[smaller == 0] = 1.0
    return cos, inter / smaller


def cluster_units(units: list[Unit], ctx: StoryContext) -> list[list[Unit]]:
    """Connected components of the link graph over units."""
    if not units:
        return []
    lex = load_lexicon("statements")
    cos, contain = similarity(units)
    shared = np.array([[len(set(a.tokens) & set(b.tokens)) for b in units] for a in units])
    parent = list(range(len(units)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in itertools.combinations(range(len(units)), 2):
        a, b = units[i], units[j]
        if a.article_id == b.article_id and a.quote.id == b.quote.id:
            continue
        same = a.speaker is not None and a.speaker == b.speaker
        differ = a.speaker is not None and b.speaker is not None and not same
        score = cos[i, j] + (float(lex["same_speaker_bonus"]) if same else 0.0)
        linked = score >= float(lex["link_cosine"]) or (
            not differ
            and contain[i, j] >= float(lex["link_containment"])
            and shared[i, j] >= int(lex["min_shared_tokens"])
        )
        if differ and not linked:
            linked = contain[i, j] >= float(lex["link_containment"]) and shared[i, j] >= int(lex["min_shared_tokens"]) + 1
        if linked:
            parent[find(i)] = find(j)
    groups: dict[int, list[Unit]] = defaultdict(list)
    for i, u in enumerate(units):
        groups[find(i)].append(u)
    return sorted(groups.values(), key=lambda g: (ctx.order.index(g[0].article_id), g[0].quote.start))


def _statements_of(cluster: list[Unit], ctx: StoryContext) -> list[Statement]:
    out: list[Statement] = []
    known = {u.speaker for u in cluster if u.speaker}
    by_speaker: dict[str | None, list[Unit]] = defaultdict(list)
    for u in cluster:
        # An unattributed version goes with the one speaker the cluster has, if just one.
        key = u.speaker if u.speaker or len(known) != 1 else next(iter(known))
        by_speaker[key].append(u)
    for _, group in by_speaker.items():
        if len({ctx.report_of[u.article_id] for u in group}) < 2:
            continue
        rel, note = _relation(group)
        out.append(_statement(group, rel, note, speakers_agree=True))
    tension = _tension(cluster, ctx)
    if tension is not None:
        out.append(tension)
    return out


def _relation(group: list[Unit]) -> tuple[str, str | None]:
    lex = load_lexicon("statements")
    texts = {" ".join(words(u.text)) for u in group}
    if len(texts) == 1:
        return "same", None
    dates = sorted({u.date for u in group if u.date})
    if len(dates) >= 2:
        first = [u for u in group if u.date == dates[0]]
        last = [u for u in group if u.date == dates[-1]]
        before = set().union(*(u.hedges for u in first))
        after = set().union(*(u.hedges for u in last))
        note = f"{dates[0]} -> {dates[-1]}"
        if before - after:
            note += f"; dropped: {', '.join(sorted(before - after))}"
        if after - before:
            note += f"; added: {', '.join(sorted(after - before))}"
        return "update", note
    if all(u.kind == "direct" for u in group):
        ratio = min(_ratio(a.text, b.text) for a, b in itertools.combinations(group, 2))
        near = float(lex["near_identical"])
        return "drift", ("wording differs slightly" if ratio >= near else "wording differs")
    return "same", "paraphrased"


def _tension(cluster: list[Unit], ctx: StoryContext) -> Statement | None:
    """Versions of the same day, from other speakers or outlets, whose hedges or negations differ."""
    pairs = []
    for a, b in itertools.combinations(cluster, 2):
        if not a.date or a.date != b.date or a.hedges == b.hedges:
            continue
        if a.speaker == b.speaker and a.outlet == b.outlet:
            continue
        pairs.append((a, b))
    if not pairs:
        return None
    involved: dict[tuple[str, str, str], Unit] = {}
    for a, b in pairs:
        for u in (a, b):
            involved.setdefault((u.article_id, u.quote.id, u.text), u)
    units = list(involved.values())
    speakers = {u.speaker for u in units}
    a, b = pairs[0]
    note = (
        f"on {a.date}: {a.speaker_name or 'unattributed'} ({a.outlet}) "
        f"{_hedge_words(a)} vs {b.speaker_name or 'unattributed'} ({b.outlet}) {_hedge_words(b)}"
    )
    return _statement(units, "tension", note, speakers_agree=len(speakers) == 1)


def _hedge_words(u: Unit) -> str:
    return "hedged: " + ", ".join(sorted(u.hedges)) if u.hedges else "unhedged"


def _statement(group: list[Unit], relation: str, note: str | None, *, speakers_agree: bool) -> Statement:
    group = sorted(group, key=lambda u: (u.date or "", u.article_id, u.quote.start))
    versions = [
        StatementVersion(u.article_id, u.outlet, u.quote.id, u.text, u.speaker_name, u.kind, u.date) for u in group
    ]
    diffs: list[dict[str, Any]] = []
    for a, b in itertools.combinations(group, 2):
        if a.article_id == b.article_id or len(diffs) >= MAX_DIFFS:
            continue
        diffs.append(
            {"a": f"{a.article_id}:{a.quote.id}", "b": f"{b.article_id}:{b.quote.id}", "ops": word_diff(a.text, b.text)}
        )
    summary = min((u.text for u in group), key=lambda t: (len(words(t)) < 3, len(t)))
    return Statement(
        id="",
        summary=summary,
        versions=versions,
        diffs=diffs,
        relation=relation,
        speakers_agree=speakers_agree,
        note=note,
    )


def word_diff(a: str, b: str) -> list[list[str]]:
    """difflib opcodes over words, equal runs left out: ``[[op, a_text, b_text], ...]``."""
    wa, wb = a.split(), b.split()
    ka = [" ".join(words(w)) for w in wa]
    kb = [" ".join(words(w)) for w in wb]
    sm = difflib.SequenceMatcher(a=ka, b=kb, autojunk=False)
    return [
        [tag, " ".join(wa[i1:i2]), " ".join(wb[j1:j2])]
        for tag, i1, i2, j1, j2 in sm.get_opcodes()
        if tag != "equal"
    ]


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(a=words(a), b=words(b), autojunk=False).ratio()


def _with_id(st: Statement, new_id: str) -> Statement:
    return Statement(new_id, st.summary, st.versions, st.diffs, st.relation, st.speakers_agree, st.note)


def _stem(token: str) -> str:
    if token.endswith("'s"):
        token = token[:-2]
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 4 and token.endswith("s") and not token.endswith("ss"):
        return token[:-1]
    return token


def _quote_date(ctx: StoryContext, article_id: str, q: Quote) -> str | None:
    """The day a statement was made: a date inside it, else in its sentence, else the article's."""
    times = [t for t in ctx.facts[article_id].times if t.field == q.field and t.field_index == q.field_index]
    inside = [t for t in times if q.start <= t.start and t.end <= q.end]
    around = [t for t in times if q.sentence_start <= t.start and t.end <= q.sentence_end and t not in inside]
    for t in [*inside, *around]:
        if t.type in ("DATE", "TIME"):
            day = ctx.full_date(t.value, article_id)
            if day:
                return day
    return ctx.date_of[article_id]
