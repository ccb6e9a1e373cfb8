"""Statements and quotes: the same statement as several outlets report it.

Every quote (direct or indirect) that reports speech or a belief is cut into
sentences, the *units* aligned here (a stance such as "backing X" is not a
statement). Two units are linked when

- their content words overlap enough (TF-IDF cosine over the story's units, or
  containment of the shorter in the longer), with a bonus when the same story
  entity speaks; or
- they are paraphrases: the cosine of their MiniLM sentence embeddings is high
  ("36 people have died" / "the death toll rose to 36"), lower when the same
  speaker is named in both;

and, for a paraphrase, nothing disagrees: two named speakers must be the same
story entity, two units that both give numbers must share one, and two that both
name actors must share one (shared words may link different speakers: that is
how two sources saying the same thing make a ``tension`` or a shared statement);
shared words never link two units whose numbers disagree ("$716 billion" /
"$700 billion"). Linked units form clusters, strongest link first, two clusters
merging only when no pair across them is clearly unrelated (see
:func:`cluster_units`); within a cluster each speaker's versions make one
:class:`Statement`:

- ``same``: the same words everywhere (or a paraphrase of an indirect statement);
- ``update``: the speaker said it differently on different dates;
- ``drift``: a direct quote whose wording differs between outlets (translation
  variants, truncation) on the same date.

Versions in different reports dated the same day whose hedges or negations
differ ("restored" / "largely restored") make a ``tension`` statement, whether
two sources disagree or two outlets report one source differently.
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
from parallax.embed import TextEncoder
from parallax.records import Quote, Statement, StatementVersion

_SENTENCE = re.compile(r"(?<=[.!?])[\"”’']?\s+(?=[\"“‘']?[A-Z0-9])")
_COMPLEMENTIZER = re.compile(r"^(?:that|whether)\s+", re.IGNORECASE)
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
    #: the date comes from a time expression in or around the quote, not the publication date
    date_explicit: bool = False
    numbers: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()

    @property
    def kind(self) -> str:
        return self.quote.kind


@dataclass
class StatementAnalysis:
    statements: list[Statement]
    quotes: list[Statement]
    #: every cluster of units, single-outlet ones included (for omissions)
    clusters: list[list[Unit]]


def compare_statements(
    ctx: StoryContext, index: EntityIndex, encoder: TextEncoder | None = None
) -> StatementAnalysis:
    """Align the story's quotes into statements (mixed or indirect) and quotes (direct only).

    ``encoder`` embeds the units for paraphrase links; without one only word overlap links them."""
    lex = load_lexicon("statements")
    units = build_units(ctx, index, int(lex["max_units"]))
    clusters = cluster_units(units, ctx, encoder)
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


def build_units(ctx: StoryContext, index: EntityIndex, max_units: int = 400) -> list[Unit]:
    """Sentence units of every quote; each article keeps its first ``max_units / articles`` (pairwise cost)."""
    lex = load_lexicon("statements")
    counted = ctx.counted_articles()
    per_article = max(10, max_units // max(1, len(counted)))
    stop = set(lex["stopwords"])
    hedge_words = {w for w in lex["hedges"] + lex["negations"] if " " not in w}
    kinds = set(lex["statement_attributions"])
    out: list[Unit] = []
    for aid in counted:
        facts = ctx.facts[aid]
        start = len(out)
        for q in facts.quotes:
            if len(out) - start >= per_article:
                break
            if q.attribution not in kinds:
                continue
            ent = index.resolve(aid, q.speaker)
            speaker = ent.id if ent is not None else (" ".join(words(q.speaker.name)) if q.speaker else None)
            name = ent.name if ent is not None else (q.speaker.name if q.speaker else None)
            date, explicit = _quote_date(ctx, aid, q)
            for sent in split_sentences(q.text):
                toks = words(sent)
                # Hedges and negations are compared separately (update, tension), not as content.
                content = [_stem(t) for t in toks if t not in stop and t not in hedge_words]
                if len(content) < 2:
                    continue
                out.append(
                    Unit(
                        aid, ctx.outlet_of[aid], q, sent, speaker or None, name, date, content, hedges_in(toks),
                        explicit, numbers_in(sent), names_in(sent),
                    )
                )
    return out


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*")
_SCALED = re.compile(r"\d\s*(?:hundred|thousand|million|billion|trillion)\b", re.IGNORECASE)
_NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8",
    "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "dozen": "12", "hundred": "100",
    "thousand": "1000", "million": "1000000", "billion": "1000000000",
}


def numbers_in(text: str) -> frozenset[str]:
    """The numbers a text gives, digits normalized ("1,200" and "1200" agree; "three" is 3)."""
    found = {m.group().replace(",", "") for m in _NUMBER.finditer(text)}
    # "$716 billion": the scale word belongs to the digits, it is no number of its own
    # (else "$716 billion" and "$700 billion" would share one)
    found |= {_NUMBER_WORDS[w] for w in words(_SCALED.sub(" ", text)) if w in _NUMBER_WORDS}
    return frozenset(found)


def names_in(text: str) -> frozenset[str]:
    """Capitalized words inside a sentence (not its first word): the actors and places it names."""
    out = set()
    for m in _NAME.finditer(text.strip()):
        for w in m.group().lower().replace("-", " ").split():
            out.add(w)
    return frozenset(out)


def agree(a: Unit, b: Unit) -> bool:
    """Nothing in two units says they are different statements: the speakers, when both are
    named, are one actor; numbers, when both give some, overlap; so do the names they mention."""
    if a.speaker is not None and b.speaker is not None and a.speaker != b.speaker:
        return False
    if a.numbers and b.numbers and not a.numbers & b.numbers:
        return False
    return not (a.names and b.names and not a.names & b.names)


def _numbers_disagree(a: Unit, b: Unit) -> bool:
    """Both units give numbers of two or more digits and share none of them."""
    big_a = {n for n in a.numbers if len(n) >= 2}
    big_b = {n for n in b.numbers if len(n) >= 2}
    return bool(big_a and big_b and not big_a & big_b)


def hedges_in(tokens: list[str]) -> frozenset[str]:
    """The hedges and negations among lower-cased word tokens."""
    lex = load_lexicon("statements")
    terms = lex["hedges"] + lex["negations"]
    low = f" {' '.join(tokens)} "
    found = {t for t in terms if f" {t} " in low}
    if any(t.endswith("n't") for t in tokens):
        found.add("not")
    return frozenset(found)


def aligned_hedges(a: str, b: str) -> tuple[frozenset[str], frozenset[str]]:
    """Hedges of each text within the stretch the two texts share.

    A hedge in a clause only one version carries (a truncated quote, an added
    sentence) is no disagreement: only the span from the first to the last
    shared content word of each text is read.
    """
    ta, tb = words(a), words(b)
    stop = set(load_lexicon("statements")["stopwords"])
    pos_a: list[int] = []
    pos_b: list[int] = []
    for m in difflib.SequenceMatcher(a=ta, b=tb, autojunk=False).get_matching_blocks():
        for k in range(m.size):
            # Shared function words ("to", "the") say nothing about shared content.
            if ta[m.a + k] not in stop:
                pos_a.append(m.a + k)
                pos_b.append(m.b + k)
    if not pos_a:
        return hedges_in(ta), hedges_in(tb)
    return hedges_in(ta[min(pos_a) : max(pos_a) + 1]), hedges_in(tb[min(pos_b) : max(pos_b) + 1])


def split_sentences(text: str) -> list[str]:
    parts = [p.strip() for p in _SENTENCE.split(text.strip())]
    return [p for p in parts if p]


def similarity(units: list[Unit]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """TF-IDF cosine, containment (shared / smaller set) and shared-word-count matrices."""
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
    return cos, inter / smaller, inter


def cluster_units(units: list[Unit], ctx: StoryContext, encoder: TextEncoder | None = None) -> list[list[Unit]]:
    """Components of the link graph over units, merged strongest link first.

    Two components only merge when no pair of units across them from different
    outlets is clearly unrelated (numbers that disagree, or a sentence-embedding
    cosine under ``cluster_min_cosine``, or no shared content word without an
    encoder): single links alone would chain the sentences of one speech
    ("$716 billion from Medicare" - "to pay for Obamacare" - "$700 billion")."""
    if not units:
        return []
    lex = load_lexicon("statements")
    cos, contain, shared = similarity(units)
    para = _paraphrase_matrix(units, encoder)
    members: list[list[int]] = [[i] for i in range(len(units))]
    owner = list(range(len(units)))
    para_any = float(lex["paraphrase_cosine"])
    para_same = float(lex["paraphrase_cosine_same_speaker"])
    para_number = float(lex["paraphrase_cosine_same_number"])
    min_content = int(lex["paraphrase_min_content"])
    floor = float(lex["cluster_min_cosine"])
    links: list[tuple[float, int, int]] = []
    for i, j in itertools.combinations(range(len(units)), 2):
        a, b = units[i], units[j]
        if a.article_id == b.article_id and a.quote.id == b.quote.id:
            continue
        same = a.speaker is not None and a.speaker == b.speaker
        score = cos[i, j] + (float(lex["same_speaker_bonus"]) if same else 0.0)
        # A short statement may share few words but be nearly all contained in the other.
        linked = (
            (score >= float(lex["link_cosine"]) and shared[i, j] >= int(lex["min_shared_for_cosine"]))
            or (contain[i, j] >= float(lex["link_containment"]) and shared[i, j] >= int(lex["min_shared_tokens"]))
            or (contain[i, j] >= float(lex["short_containment"]) and shared[i, j] >= int(lex["short_min_shared"]))
        )
        if linked and _numbers_disagree(a, b):
            # "$716 billion from Medicare" / "$800 billion from Medicare": shared words, different claims
            linked = False
        elif not linked and para is not None and min(len(a.tokens), len(b.tokens)) >= min_content:
            # the same statement in other words: different outlets only (one article does not repeat itself)
            number = any(len(n) >= 2 for n in a.numbers & b.numbers)
            bar = min(para_same if same else para_any, para_number if number else para_any)
            linked = a.outlet != b.outlet and para[i, j] >= bar and agree(a, b)
        if linked:
            strength = max(float(score), float(contain[i, j]), float(para[i, j]) if para is not None else 0.0)
            links.append((strength, i, j))

    def unrelated(i: int, j: int) -> bool:
        a, b = units[i], units[j]
        if a.outlet == b.outlet:
            return False  # one outlet's sentences of one quote travel together
        if _numbers_disagree(a, b):
            return True
        return bool(para[i, j] < floor) if para is not None else bool(shared[i, j] == 0)

    for _, i, j in sorted(links, key=lambda t: (-t[0], t[1], t[2])):
        ci, cj = owner[i], owner[j]
        if ci == cj:
            continue
        if any(unrelated(x, y) for x in members[ci] for y in members[cj]):
            continue
        for x in members[cj]:
            owner[x] = ci
        members[ci].extend(members[cj])
        members[cj] = []
    groups = [sorted(m) for m in members if m]
    clusters = [[units[k] for k in g] for g in groups]
    return sorted(clusters, key=lambda g: (ctx.order.index(g[0].article_id), g[0].quote.start))


def _paraphrase_matrix(units: list[Unit], encoder: TextEncoder | None) -> np.ndarray | None:
    """Cosine of the units' sentence embeddings (None without an encoder or when it fails)."""
    # Paraphrase links join different outlets only: with one outlet the matrix is never read.
    if encoder is None or len({u.outlet for u in units}) < 2:
        return None
    try:
        vectors = encoder.encode([display_text(u.text) for u in units])
    except Exception:  # an encoder that cannot load leaves word overlap to do the work
        return None
    return np.asarray(vectors @ vectors.T)


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
    near = float(lex["near_identical"])
    direct = all(u.kind == "direct" for u in group)
    ratio = min(_ratio(a.text, b.text) for a, b in itertools.combinations(group, 2))
    dates = sorted({u.date for u in group if u.date})
    if len(dates) >= 2 and not (direct and ratio >= near):
        first = [u for u in group if u.date == dates[0]]
        last = [u for u in group if u.date == dates[-1]]
        before: set[str] = set()
        after: set[str] = set()
        for x, y in itertools.islice(itertools.product(first, last), MAX_DIFFS):
            hx, hy = aligned_hedges(x.text, y.text)
            before |= hx
            after |= hy
        # Publication dates alone don't date a statement (one quote printed on two days is
        # one quote): an update needs a date from the text or a changed hedge.
        if any(u.date_explicit for u in group) or before != after:
            note = f"{dates[0]} -> {dates[-1]}"
            if before - after:
                note += f"; dropped: {', '.join(sorted(before - after))}"
            if after - before:
                note += f"; added: {', '.join(sorted(after - before))}"
            return "update", note
    if direct:
        return "drift", ("wording differs slightly" if ratio >= near else "wording differs")
    return "same", "paraphrased"


def _tension(cluster: list[Unit], ctx: StoryContext) -> Statement | None:
    """Versions of the same day in different reports whose hedges or negations differ."""
    pairs = []
    for a, b in itertools.combinations(cluster, 2):
        if not a.date or a.date != b.date or a.hedges == b.hedges:
            continue
        if ctx.same_report(a.article_id, b.article_id):
            continue
        ha, hb = aligned_hedges(a.text, b.text)
        if ha != hb:
            pairs.append((a, b, ha, hb))
    if not pairs:
        return None
    involved: dict[tuple[str, str, str], Unit] = {}
    for a, b, _, _ in pairs:
        for u in (a, b):
            involved.setdefault((u.article_id, u.quote.id, u.text), u)
    units = list(involved.values())
    speakers = {u.speaker for u in units}
    a, b, ha, hb = pairs[0]
    note = (
        f"on {a.date}: {a.speaker_name or 'unattributed'} ({a.outlet}) "
        f"{_hedge_words(ha)} vs {b.speaker_name or 'unattributed'} ({b.outlet}) {_hedge_words(hb)}"
    )
    return _statement(units, "tension", note, speakers_agree=len(speakers) == 1)


def _hedge_words(hedges: frozenset[str]) -> str:
    return "hedged: " + ", ".join(sorted(hedges)) if hedges else "unhedged"


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
    summary = display_text(min((u.text for u in group), key=lambda t: (len(words(t)) < 3, len(t))))
    return Statement(
        id="",
        summary=summary,
        versions=versions,
        diffs=diffs,
        relation=relation,
        speakers_agree=speakers_agree,
        note=note,
    )


def display_text(text: str) -> str:
    """A statement as a reader would quote it: a reported clause without its "that"."""
    return _COMPLEMENTIZER.sub("", text.strip())


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


def _quote_date(ctx: StoryContext, article_id: str, q: Quote) -> tuple[str | None, bool]:
    """The day a statement was made: a date inside it, else in its sentence (explicit), else the article's."""
    times = [t for t in ctx.facts[article_id].times if t.field == q.field and t.field_index == q.field_index]
    inside = [t for t in times if q.start <= t.start and t.end <= q.end]
    around = [t for t in times if q.sentence_start <= t.start and t.end <= q.sentence_end and t not in inside]
    for t in [*inside, *around]:
        if t.type in ("DATE", "TIME"):
            day = ctx.full_date(t.value, article_id)
            if day:
                return day, True
    return ctx.date_of[article_id], False
