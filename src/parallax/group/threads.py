"""The story level: events of one developing situation, linked over days and weeks.

The event level (:class:`~parallax.group.stories.StoryGrouper`) keeps apart two
earthquakes in one region; a story is the chain of events of one situation (the spill,
the containment attempts, the hearings, the compensation fund). Each story keeps a
running profile whose members fade with time (half-life ``story_half_life_days``), so
a story can drift from the spill to the hearings while still recognising what it is
about now:

* an embedding centroid and a tf-idf term centroid (cosines with the article),
* the names and places it carries, as shares of its (faded) members.

An article is scored against the stories that share index keys with it (names, places,
top terms) and were active within ``story_window_days``; a logistic model over
:data:`THREAD_FEATURES` gives the probability that it continues the story. The best
story at or above ``story_threshold`` takes it, else it starts one. When it also
scores above the threshold with a second story, the two are compared as wholes
(profile against profile, the same model) and merged only when that holds too: an
article that links two stories triggers a re-check, never a silent merge.

Fading makes a profile the same whatever order its members came in (each member's
weight depends on its own day and the profile's reference day only), and the grouper
takes a batch in day order, so feeding day by day or all at once gives the same stories.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from parallax.group.features import ArticleFeatures
from parallax.group.settings import GroupingSettings

#: order of the story-level model's features (names in group_weights.json "thread_weights")
THREAD_FEATURES: tuple[str, ...] = (
    "embedding",
    "tfidf",
    "name_coverage",
    "story_names_in_article",
    "place_coverage",
    "gap",
    "neighbours",
)

#: a faded weight below this share of a profile's largest is dropped (keeps profiles bounded)
PRUNE_SHARE = 1e-3
#: a profile keeps at most this many terms and names (the heaviest), so its size stays bounded
MAX_PROFILE_KEYS = 4000
#: a story remembers its latest members (ids) for the nearest-neighbour feature
RECENT = 24
#: the nearest-neighbour feature is the mean cosine of this many closest recent members
NEIGHBOURS = 3
#: a story quiet this many windows long leaves the candidate index (a stream's work stays bounded)
CLOSED_AFTER = 3
#: how many of a story's heaviest names count as "what the story is about"
TOP_NAMES = 5
#: a name the story carries in this share of its (faded) members counts as fully carried
CARRIED_SHARE = 0.25


def thread_id_for(article_id: str) -> str:
    """The id of the story an article starts (stable across runs and machines)."""
    return "s" + hashlib.sha1(("story:" + article_id).encode("utf-8")).hexdigest()[:12]


@dataclass(slots=True)
class Thread:
    """A story's faded profile; weights are as of ``ref_day``."""

    id: str
    members: list[str] = field(default_factory=list)
    ref_day: int | None = None
    weight: float = 0.0
    emb: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    terms: dict[int, float] = field(default_factory=dict)
    names: dict[str, float] = field(default_factory=dict)
    day_min: int | None = None
    day_max: int | None = None
    #: the latest members (ids), whose embeddings the nearest-neighbour feature reads
    recent: list[str] = field(default_factory=list)

    def to_json(self) -> list[Any]:
        return [
            self.id,
            self.members,
            self.ref_day,
            self.weight,
            [float(x) for x in self.emb],
            {str(k): v for k, v in self.terms.items()},
            self.names,
            self.day_min,
            self.day_max,
            self.recent,
        ]

    @classmethod
    def from_json(cls, row: list[Any]) -> Thread:
        tid, members, ref_day, weight, emb, terms, names, dmin, dmax, recent = row
        return cls(
            tid,
            list(members),
            ref_day,
            float(weight),
            np.asarray(emb, dtype=np.float32),
            {int(k): float(v) for k, v in terms.items()},
            dict(names),
            dmin,
            dmax,
            list(recent),
        )


class ThreadState:
    """Everything the story level remembers: stories, their key index, document frequencies."""

    def __init__(self) -> None:
        self.threads: dict[str, Thread] = {}
        self.story_of: dict[str, str] = {}
        self.alias: dict[str, str] = {}
        self.n_docs = 0
        self.term_df: dict[int, int] = {}
        self.key_df: dict[str, int] = {}
        #: index key -> {story id: last day it was seen (-1 when unknown)}
        self.index: dict[str, dict[str, int]] = {}

    def resolve(self, tid: str) -> str:
        while tid in self.alias:
            tid = self.alias[tid]
        return tid

    def to_json(self) -> dict[str, Any]:
        return {
            "threads": [t.to_json() for t in self.threads.values()],
            "story_of": self.story_of,
            "alias": self.alias,
            "n_docs": self.n_docs,
            "term_df": {str(k): v for k, v in self.term_df.items()},
            "key_df": self.key_df,
            "index": self.index,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ThreadState:
        state = cls()
        for row in data.get("threads", []):
            t = Thread.from_json(row)
            state.threads[t.id] = t
        state.story_of = dict(data.get("story_of", {}))
        state.alias = dict(data.get("alias", {}))
        state.n_docs = int(data.get("n_docs", 0))
        state.term_df = {int(k): int(v) for k, v in data.get("term_df", {}).items()}
        state.key_df = {k: int(v) for k, v in data.get("key_df", {}).items()}
        state.index = {k: {t: int(d) for t, d in v.items()} for k, v in data.get("index", {}).items()}
        return state


def _name_keys(f: ArticleFeatures) -> list[str]:
    return list(dict.fromkeys(["e:" + e for e in f.entities] + ["p:" + p for p in f.places]))


class ThreadGrouper:
    """Groups articles into stories (the level above events), one article at a time."""

    def __init__(
        self,
        settings: GroupingSettings,
        state: ThreadState | None = None,
        embedding_of: Callable[[str], np.ndarray | None] | None = None,
    ) -> None:
        """``embedding_of``: an article's embedding by id (the event level stores them); without
        it the grouper keeps the embeddings of its stories' recent members itself."""
        self.settings = settings
        self.state = state if state is not None else ThreadState()
        self._own: dict[str, np.ndarray] = {}
        #: story id -> (term profile norm, top names), dropped whenever the story changes
        self._summary: dict[str, tuple[float, list[str]]] = {}
        self._embedding_of = embedding_of if embedding_of is not None else self._own.get
        weights = settings.story_level_weights
        self._w = np.array([weights.get(n, 0.0) for n in THREAD_FEATURES], dtype=np.float64)
        self._bias = float(weights.get("bias", 0.0))

    # ------------------------------------------------------------------ public

    def add(self, f: ArticleFeatures, event_mates: Sequence[str] = ()) -> str:
        """Place one article; returns its story id.

        ``event_mates``: articles already placed that the event level put in the same event
        as ``f``; the story most of them are in takes ``f`` (an event lies inside one story).
        """
        st = self.state
        if f.article_id in st.story_of:
            return st.resolve(st.story_of[f.article_id])
        if f.duplicate_of and f.duplicate_of in st.story_of:
            tid = st.resolve(st.story_of[f.duplicate_of])
            st.story_of[f.article_id] = tid
            st.threads[tid].members.append(f.article_id)
            return tid
        self._count(f)
        mates = Counter(st.resolve(st.story_of[m]) for m in event_mates if m in st.story_of)
        if mates:
            tid = min(mates.items(), key=lambda kv: (-kv[1], kv[0]))[0]
            self._join(st.threads[tid], f)
            return tid
        scores = self.scores(f)
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        s = self.settings
        if ranked and ranked[0][1] >= s.story_threshold:
            tid = ranked[0][0]
            for other, score in ranked[1:]:
                if score < s.story_threshold:
                    break
                # the article links two stories: join them only if they hold together as wholes
                other = st.resolve(other)
                tid = st.resolve(tid)
                if other != tid and self.thread_probability(st.threads[tid], st.threads[other]) >= (
                    s.story_merge_threshold
                ):
                    tid = self._merge(tid, other)
        else:
            tid = thread_id_for(f.article_id)
            st.alias.pop(tid, None)
            st.threads[tid] = Thread(tid)
        tid = st.resolve(tid)
        self._join(st.threads[tid], f)
        if s.story_recheck_min_score < 1.0:
            tid = self._recheck(tid, ranked)
        return tid

    def _recheck(self, tid: str, ranked: list[tuple[str, float]]) -> str:
        """Merge the article's story with the near stories (scored at least ``story_recheck_min_score``
        with the article) that hold together with it as wholes: fragments of one story that started
        apart come together once an article shows the link."""
        st = self.state
        s = self.settings
        for other, score in ranked[: s.story_recheck_candidates]:
            if score < s.story_recheck_min_score:
                break
            other = st.resolve(other)
            tid = st.resolve(tid)
            if other == tid or other not in st.threads:
                continue
            if self.thread_probability(st.threads[tid], st.threads[other]) >= s.story_merge_threshold:
                tid = self._merge(tid, other)
        return st.resolve(tid)

    def story(self, article_id: str) -> str:
        st = self.state
        return st.resolve(st.story_of[article_id])

    def stories(self) -> dict[str, list[str]]:
        return {tid: list(t.members) for tid, t in self.state.threads.items()}

    def features(self, f: ArticleFeatures) -> tuple[list[str], np.ndarray]:
        """Candidate stories for ``f`` and the model's inputs (:data:`THREAD_FEATURES` columns)."""
        cands = self._candidates(f)
        x = np.zeros((len(cands), len(THREAD_FEATURES)))
        if not cands:
            return cands, x
        vec = self._article_vector(f)
        for i, tid in enumerate(cands):
            t = self.state.threads[tid]
            x[i] = self._feature_row(vec, t, self._neighbours(vec.emb, t))
        return cands, x

    def _neighbours(self, emb: np.ndarray, t: Thread) -> float | None:
        """Mean cosine of ``emb`` with its NEIGHBOURS closest recent members of ``t``."""
        rows = [e for e in (self._embedding_of(a) for a in t.recent) if e is not None]
        if not rows:
            return None
        sims = np.sort(np.stack(rows).astype(np.float32) @ emb)[::-1]
        return float(sims[:NEIGHBOURS].mean())

    def scores(self, f: ArticleFeatures) -> dict[str, float]:
        """Story id -> probability that ``f`` continues it, for the candidate stories."""
        cands, x = self.features(f)
        if not cands:
            return {}
        probs = self._prob(x)
        return {tid: float(p) for tid, p in zip(cands, probs, strict=True)}

    def thread_probability(self, a: Thread, b: Thread) -> float:
        """The model's probability that story ``b``, seen as one article, continues ``a`` (and back; the lower)."""
        near = self._neighbours_between(a, b)
        xa = self._feature_row(self._thread_vector(b), a, near)
        xb = self._feature_row(self._thread_vector(a), b, near)
        return float(self._prob(np.vstack([xa, xb])).min())

    def _neighbours_between(self, a: Thread, b: Thread) -> float | None:
        """Mean over the NEIGHBOURS best-matched recent members of the smaller story of their best
        cosine in the other (how closely the two stories' latest articles pair up)."""
        ea = [e for e in (self._embedding_of(x) for x in a.recent) if e is not None]
        eb = [e for e in (self._embedding_of(x) for x in b.recent) if e is not None]
        if not ea or not eb:
            return None
        sims = np.stack(ea).astype(np.float32) @ np.stack(eb).astype(np.float32).T
        best = sims.max(axis=1) if len(ea) <= len(eb) else sims.max(axis=0)
        return float(np.sort(best)[::-1][:NEIGHBOURS].mean())

    def add_to(self, f: ArticleFeatures, tid: str) -> None:
        """Put ``f`` into story ``tid`` without a decision (building gold stories when fitting)."""
        st = self.state
        self._count(f)
        if tid not in st.threads:
            st.threads[tid] = Thread(tid)
        self._join(st.threads[tid], f)

    # ------------------------------------------------------------------ scoring

    def _prob(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(1.0 / (1.0 + np.exp(-np.clip(x @ self._w + self._bias, -50, 50))))

    def _idf_key(self, key: str) -> float:
        st = self.state
        return math.log((st.n_docs + 1.0) / (st.key_df.get(key, 0) + 1.0)) + 1.0

    def _idf_term(self, t: int) -> float:
        st = self.state
        return math.log((st.n_docs + 1.0) / (st.term_df.get(t, 0) + 1.0)) + 1.0

    def _article_vector(self, f: ArticleFeatures) -> _Vector:
        terms = _unit({t: v * self._idf_term(t) for t, v in f.terms.items()})
        keys = _name_keys(f)
        return _Vector(
            emb=f.embedding.astype(np.float32),
            terms=terms,
            keys={k: self._idf_key(k) for k in keys},
            day=f.day,
        )

    def _thread_vector(self, t: Thread) -> _Vector:
        """A story as if it were one article: its centroid and the names most of it carries."""
        norm = float(np.linalg.norm(t.emb)) or 1.0
        w = t.weight or 1.0
        keys = [k for k, v in t.names.items() if v / w >= CARRIED_SHARE / 2]
        return _Vector(
            emb=(t.emb / norm).astype(np.float32),
            terms=_unit(t.terms),
            keys={k: self._idf_key(k) for k in keys},
            day=t.day_max,
        )

    def _feature_row(self, a: _Vector, t: Thread, neighbours: float | None = None) -> np.ndarray:
        s = self.settings
        row = np.zeros(len(THREAD_FEATURES))
        c_norm = float(np.linalg.norm(t.emb)) or 1.0
        row[0] = float(t.emb @ a.emb) / c_norm
        row[6] = row[0] if neighbours is None else neighbours
        t_norm, top = self._summary_of(t)
        small, large = (a.terms, t.terms) if len(a.terms) < len(t.terms) else (t.terms, a.terms)
        row[1] = sum(v * large[k] for k, v in small.items() if k in large) / t_norm
        w = t.weight or 1.0
        names = {k: v for k, v in a.keys.items() if k.startswith("e:")}
        places = {k: v for k, v in a.keys.items() if k.startswith("p:")}
        row[2] = _coverage(names, t.names, w)
        row[4] = _coverage(places, t.names, w)
        if top:
            row[3] = sum(1 for k in top if k in a.keys) / len(top)
        gap = _gap(a.day, t.day_min, t.day_max)
        row[5] = min(1.0, gap / s.story_window_days) if gap is not None else 0.0
        return row

    def _summary_of(self, t: Thread) -> tuple[float, list[str]]:
        """(norm of the story's term profile, its top names), kept until the story changes."""
        cached = self._summary.get(t.id)
        if cached is None:
            w = t.weight or 1.0
            top = sorted(
                ((v, k) for k, v in t.names.items() if v / w >= CARRIED_SHARE), key=lambda kv: (-kv[0], kv[1])
            )[:TOP_NAMES]
            cached = (math.sqrt(sum(v * v for v in t.terms.values())) or 1.0, [k for _, k in top])
            self._summary[t.id] = cached
        return cached

    def _candidates(self, f: ArticleFeatures) -> list[str]:
        """Stories sharing index keys with ``f`` and active within the window, best connected first."""
        st = self.state
        s = self.settings
        hits: dict[str, float] = {}
        for key in self._index_keys(f):
            posting = st.index.get(key)
            if not posting:
                continue
            weight = self._idf_key(key) if not key.startswith("t:") else self._idf_term(int(key[2:]))
            closed = []
            for tid, last in posting.items():
                if f.day is not None and last >= 0 and f.day - last > s.story_window_days:
                    if f.day - last > CLOSED_AFTER * s.story_window_days:
                        closed.append(tid)
                    continue
                hits[tid] = hits.get(tid, 0.0) + weight
            # stories quiet for long are closed: out of the index, so a key's posting stays short
            for tid in closed:
                del posting[tid]
        live: dict[str, float] = {}
        for tid, v in hits.items():
            r = st.resolve(tid)
            live[r] = max(live.get(r, 0.0), v)
        ranked = sorted(live.items(), key=lambda kv: (-kv[1], kv[0]))
        return [tid for tid, _ in ranked[: s.story_candidates]]

    def _index_keys(self, f: ArticleFeatures) -> list[str]:
        top = sorted(f.terms.items(), key=lambda kv: (-kv[1] * self._idf_term(kv[0]), kv[0]))
        keys = _name_keys(f) + ["t:" + str(t) for t, _ in top[: self.settings.index_terms]]
        return list(dict.fromkeys(keys))

    # ------------------------------------------------------------------ bookkeeping

    def _count(self, f: ArticleFeatures) -> None:
        st = self.state
        st.n_docs += 1
        for t in f.terms:
            st.term_df[t] = st.term_df.get(t, 0) + 1
        for k in _name_keys(f):
            st.key_df[k] = st.key_df.get(k, 0) + 1

    def _join(self, t: Thread, f: ArticleFeatures) -> None:
        st = self.state
        self._summary.pop(t.id, None)
        half_life = self.settings.story_half_life_days
        if t.emb.size == 0:
            t.emb = np.zeros(f.embedding.shape[0], dtype=np.float32)
        w = 1.0
        if f.day is not None:
            if t.ref_day is None:
                t.ref_day = f.day
            elif f.day > t.ref_day:
                _fade(t, 0.5 ** ((f.day - t.ref_day) / half_life))
                t.ref_day = f.day
            else:
                w = 0.5 ** ((t.ref_day - f.day) / half_life)
            t.day_min = f.day if t.day_min is None else min(t.day_min, f.day)
            t.day_max = f.day if t.day_max is None else max(t.day_max, f.day)
        t.weight += w
        t.emb = t.emb + w * f.embedding.astype(np.float32)
        for k, v in _unit({k: v * self._idf_term(k) for k, v in f.terms.items()}).items():
            t.terms[k] = t.terms.get(k, 0.0) + w * v
        for k in _name_keys(f):
            t.names[k] = t.names.get(k, 0.0) + w
        _bound(t.terms)
        _bound(t.names)
        t.members.append(f.article_id)
        t.recent.append(f.article_id)
        self._own[f.article_id] = f.embedding
        if len(t.recent) > RECENT:
            self._own.pop(t.recent.pop(0), None)
        st.story_of[f.article_id] = t.id
        last = t.day_max if t.day_max is not None else -1
        for key in self._index_keys(f):
            posting = st.index.setdefault(key, {})
            posting[t.id] = max(posting.get(t.id, -1), last)

    def _merge(self, a: str, b: str) -> str:
        """Merge stories ``a`` and ``b`` (the one with more members keeps its id)."""
        st = self.state
        ta, tb = st.threads[a], st.threads[b]
        self._summary.pop(a, None)
        self._summary.pop(b, None)
        keep, gone = (ta, tb) if (len(ta.members), tb.id) >= (len(tb.members), ta.id) else (tb, ta)
        ref = max((d for d in (keep.ref_day, gone.ref_day) if d is not None), default=None)
        for t in (keep, gone):
            if ref is not None and t.ref_day is not None and t.ref_day < ref:
                _fade(t, 0.5 ** ((ref - t.ref_day) / self.settings.story_half_life_days))
                t.ref_day = ref
        keep.ref_day = ref
        keep.weight += gone.weight
        keep.emb = (
            keep.emb + gone.emb
            if keep.emb.size and gone.emb.size
            else (keep.emb if keep.emb.size else gone.emb)
        )
        for k, v in gone.terms.items():
            keep.terms[k] = keep.terms.get(k, 0.0) + v
        for n, v in gone.names.items():
            keep.names[n] = keep.names.get(n, 0.0) + v
        _bound(keep.terms)
        _bound(keep.names)
        keep.members.extend(gone.members)
        keep.recent = (keep.recent + gone.recent)[-RECENT:]
        days = [d for d in (keep.day_min, keep.day_max, gone.day_min, gone.day_max) if d is not None]
        keep.day_min, keep.day_max = (min(days), max(days)) if days else (None, None)
        for aid in gone.members:
            st.story_of[aid] = keep.id
        del st.threads[gone.id]
        st.alias[gone.id] = keep.id
        return keep.id


@dataclass(slots=True)
class _Vector:
    emb: np.ndarray
    terms: dict[int, float]
    keys: dict[str, float]
    day: int | None


def _fade(t: Thread, factor: float) -> None:
    t.weight *= factor
    t.emb = t.emb * factor
    for k in list(t.terms):
        t.terms[k] *= factor
    for n in list(t.names):
        t.names[n] *= factor


def _bound(table: dict[Any, float]) -> None:
    """Drop the faded-out and, past MAX_PROFILE_KEYS, the lightest keys of a profile table."""
    if len(table) <= MAX_PROFILE_KEYS:
        return
    top = max(table.values())
    for k in [k for k, v in table.items() if v < PRUNE_SHARE * top]:
        del table[k]
    if len(table) > MAX_PROFILE_KEYS:
        keep = sorted(table.items(), key=lambda kv: (-kv[1], str(kv[0])))[: MAX_PROFILE_KEYS * 3 // 4]
        table.clear()
        table.update(keep)


def _coverage(keys: dict[str, float], carried: dict[str, float], weight: float) -> float:
    """IDF-weighted share of ``keys`` the story carries (a name in CARRIED_SHARE of it counts fully)."""
    total = sum(keys.values())
    if not total:
        return 0.0
    got = sum(idf * min(1.0, carried.get(k, 0.0) / (CARRIED_SHARE * weight)) for k, idf in keys.items())
    return got / total


def _unit(terms: dict[Any, float]) -> dict[Any, float]:
    norm = math.sqrt(sum(v * v for v in terms.values())) or 1.0
    return {t: v / norm for t, v in terms.items()}


def _gap(day: int | None, lo: int | None, hi: int | None) -> int | None:
    if day is None or lo is None or hi is None:
        return None
    if day < lo:
        return lo - day
    return max(0, day - hi)
