"""The event level of grouping: each added article joins an event or starts one.

(Named "stories" for history: its groups are events, the same happening across outlets.
:mod:`parallax.group.threads` links events into stories; :class:`parallax.group.Grouper`
runs both.)

How an article finds its story:

1. **Candidates** come from an inverted index over its names (``e:``), places
   (``p:``) and highest tf-idf terms (``t:``): only the most recent postings of
   keys that are not too common are read, so the work per article stays flat as
   the corpus grows.
2. **Pairs**: each candidate article gets a probability of being the same story
   from a small logistic model over tf-idf cosine, embedding cosine, shared names,
   shared places, a place conflict (both name places, none shared) and a year
   conflict (both name years, none shared).
3. **Stories**: each candidate story gets a probability from a second logistic
   model over the best pair probabilities, the article's cosine with the story's
   tf-idf and embedding centroids, how typical the article's names are for the
   story, whether each side's salient names appear on the other, a story-level
   place conflict and the story's size (:data:`STORY_FEATURES`). Then the hand-set
   rules: a place conflict costs ``place_conflict_penalty``, names of which the
   story carries none cost ``name_conflict_penalty``, each day between the
   article and the story's date range costs ``gap_penalty_per_day``, and past
   ``max_gap_days`` it cannot join. The best story at or above ``join_threshold``
   wins, else a new story starts.
4. **Merges**: when the article also scores ``merge_threshold`` with another
   story, that story is merged into the older one (its id becomes an alias).
   Then fragment merges: the (at most ``fragment_merge_candidates``) other stories
   the article scored best with are merged into its story when the mean pair
   probability across the two is at least ``fragment_merge_ratio`` of the mean
   within them (and ``fragment_merge_floor``), unless the split check below would
   cut the union again. This joins pieces of one event that started apart.
5. **Splits**: each time a story grows by ``split_growth`` its recent members are
   cut in two (spectral bipartition of their tf-idf cosines with the idf taken
   inside the story, so the words all members share weigh nothing and the words
   that tell two similar events apart decide); when the mean pair probability
   across the halves is under ``split_ratio`` of the halves' own, the half without
   the story's earliest member becomes a new story. This catches two similar
   events that were chained together before their difference showed.

A story's id is ``story_id_for`` its earliest article, so ids are stable across
runs, machines and state round trips.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
from scipy import sparse

from parallax.embed import Embedder, TextEncoder
from parallax.errors import ConfigError
from parallax.group.features import ArticleFeatures, extract_features
from parallax.group.settings import GroupingSettings
from parallax.group.state import ArticleEntry, GroupingState, StoryProfile
from parallax.records import Article, ArticleFacts

#: order of the pair model's features (the names in group_weights.json)
PAIR_FEATURES: tuple[str, ...] = (
    "tfidf",
    "embedding",
    "entities",
    "places",
    "place_conflict",
    "year_conflict",
    "salient_match",
    "salient_conflict",
)

#: order of the story model's features (the names in group_weights.json "story_weights")
STORY_FEATURES: tuple[str, ...] = (
    "pair_top",
    "pair_max",
    "centroid_tfidf",
    "centroid_embedding",
    "name_typicality",
    "salient_in_story",
    "story_salient_in_article",
    "story_place_conflict",
    "log_size",
)

Item = Article | tuple[Article, ArticleFacts | None]


def story_id_for(article_id: str) -> str:
    """The id of the story an article starts: stable across runs and machines."""
    return "s" + hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:12]


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, x))))


class StoryGrouper:
    """Groups articles into stories, one article at a time.

    Args:
        state: a state to continue from (``GroupingState.from_bytes``); a new one if None.
        embedder: sentence encoder; the offline MiniLM :class:`~parallax.embed.Embedder` if None.
        settings: knobs and pair weights; :class:`GroupingSettings` defaults if None.
    """

    def __init__(
        self,
        state: GroupingState | None = None,
        *,
        embedder: TextEncoder | None = None,
        settings: GroupingSettings | None = None,
    ) -> None:
        self.settings = settings or GroupingSettings()
        self.embedder: TextEncoder = embedder if embedder is not None else Embedder()
        self._state = (
            state if state is not None else GroupingState(dim=self.embedder.dim, embedder=self.embedder.name)
        )
        if self._state.embedder and self._state.embedder != self.embedder.name:
            raise ConfigError(
                f"grouping state was built with embedder '{self._state.embedder}', not '{self.embedder.name}': "
                "embeddings from different models cannot be compared"
            )
        self._w = np.array([self.settings.weights.get(n, 0.0) for n in PAIR_FEATURES], dtype=np.float64)
        self._bias = float(self.settings.weights.get("bias", 0.0))
        self._sw = np.array(
            [self.settings.story_weights.get(n, 0.0) for n in STORY_FEATURES], dtype=np.float64
        )
        self._sbias = float(self.settings.story_weights.get("bias", 0.0))

    @property
    def state(self) -> GroupingState:
        return self._state

    # ----------------------------------------------------------------- public

    def add(self, article: Article, facts: ArticleFacts | None = None) -> str:
        """Place one article; returns the id of the story it is in."""
        (features,) = extract_features([(article, facts)], self.settings, self.embedder)
        return self._place(features)

    def add_many(self, items: Iterable[Item]) -> dict[str, str]:
        """Place many articles in order (NER and embeddings batched); article id -> story id.

        Story ids are read after the whole batch, so an article whose story was
        merged into another during the batch maps to the surviving id.
        """
        pairs = [it if isinstance(it, tuple) else (it, None) for it in items]
        placed: list[str] = []
        for start in range(0, len(pairs), 256):
            chunk = pairs[start : start + 256]
            for features in extract_features(chunk, self.settings, self.embedder):
                self.add_features(features)
                placed.append(features.article_id)
        return {aid: self.story_of(aid) for aid in placed}

    def add_features(self, features: ArticleFeatures) -> str:
        """Place an article whose features were computed already (``features.extract_features``)."""
        return self._place(features)

    def add_to_story(self, features: ArticleFeatures, story_id: str) -> str:
        """Put an article into a named story, bypassing the decision (fitting the story model on gold)."""
        st = self._state
        if features.article_id in st.row_of:
            return self.story_of(features.article_id)
        self._count(features)
        keys = self._index_keys(features)
        if story_id not in st.stories:
            st.stories[story_id] = StoryProfile(story_id)
            st.story_emb[story_id] = np.zeros(st.dim, dtype=np.float32)
        self._register(features, story_id, duplicate=False, keys=keys)
        return story_id

    def candidate_rows(self, features: ArticleFeatures) -> list[int]:
        """State rows the index offers as candidates for ``features`` (best first)."""
        return self._candidates(self._index_keys(features))

    def story_of(self, article_id: str) -> str:
        """The current story of an added article (KeyError if it was never added)."""
        st = self._state
        return st.resolve(st.articles[st.row_of[article_id]].story)

    def stories(self) -> dict[str, list[str]]:
        """Story id -> its article ids (duplicates included), in order of joining."""
        st = self._state
        return {sid: [st.articles[r].id for r in prof.members] for sid, prof in st.stories.items()}

    # ----------------------------------------------------------------- placing

    def _idf(self, df: int) -> float:
        return math.log((len(self._state.articles) + 1.0) / (df + 1.0)) + 1.0

    def _key_idf_memo(self) -> Callable[[str], float]:
        """Name/place key -> idf now, memoised for one scoring pass."""
        log_n = math.log(len(self._state.articles) + 1.0)
        key_df = self._state.key_df
        cache: dict[str, float] = {}

        def idf(key: str) -> float:
            v = cache.get(key)
            if v is None:
                v = cache[key] = log_n - math.log(key_df.get(key, 0) + 1.0) + 1.0
            return v

        return idf

    def _term_idf(self) -> Callable[[int], float]:
        """Term -> idf now, memoised for one scoring pass."""
        log_n = math.log(len(self._state.articles) + 1.0)
        term_df = self._state.term_df
        cache: dict[int, float] = {}

        def idf(t: int) -> float:
            v = cache.get(t)
            if v is None:
                v = cache[t] = log_n - math.log(term_df.get(t, 0) + 1.0) + 1.0
            return v

        return idf

    def _place(self, f: ArticleFeatures) -> str:
        st = self._state
        if f.article_id in st.row_of:
            return self.story_of(f.article_id)
        if f.duplicate_of and f.duplicate_of in st.row_of:
            story = self.story_of(f.duplicate_of)
            self._register(f, story, duplicate=True)
            return story

        self._count(f)
        self._maybe_reweight()
        keys = self._index_keys(f)
        scores = self._story_scores(f, keys)
        best: str | None = None
        if scores:
            best_id, best_score = max(scores.items(), key=lambda kv: (kv[1], kv[0]))
            if best_score >= self.settings.join_threshold:
                best = best_id
        if best is None:
            best = story_id_for(f.article_id)
            st.stories[best] = StoryProfile(best)
            st.story_emb[best] = np.zeros(st.dim, dtype=np.float32)
        elif self.settings.merge:
            others = sorted(s for s, v in scores.items() if s != best and v >= self.settings.merge_threshold)
            for other in others:
                best = self._merge(best, other)
        self._register(f, best, duplicate=False, keys=keys)
        if self.settings.fragment_merge:
            best = self._merge_fragments(best, scores)
        if self.settings.split and self._is_check_size(st.stories[best].reports):
            self._maybe_split(best)
        return self.story_of(f.article_id)

    def _merge_fragments(self, sid: str, scores: dict[str, float]) -> str:
        """Merge ``sid`` with nearby stories its members link to as well as to each other.

        Average linkage over the pair model: a neighbour joins when the mean probability
        across the two stories is at least ``fragment_merge_ratio`` of the mean within
        them (and at least ``fragment_merge_floor``) and the split check would not cut
        the union again. Only the stories the new article scored best with (and at least
        ``fragment_merge_min_score``, so the place/name/date penalties hold) are looked at,
        each through its ``split_max_members // 2`` latest members: the cost per article stays flat.
        """
        st = self._state
        s = self.settings
        near = sorted(
            (v, o) for o, v in scores.items() if v >= s.fragment_merge_min_score and st.resolve(o) != sid
        )
        for _, other in reversed(near[-s.fragment_merge_candidates :]):
            other = st.resolve(other)
            if other == sid or other not in st.stories:
                continue
            mine = self._live_rows(sid)
            theirs = self._live_rows(other)
            if not mine or not theirs:
                continue
            probs = self.pair_matrix(mine + theirs)
            a = np.arange(len(mine))
            b = np.arange(len(mine), len(mine) + len(theirs))
            cross = float(probs[np.ix_(a, b)].mean())
            within = [_mean_off_diagonal(probs[np.ix_(g, g)]) for g in (a, b) if len(g) > 1]
            ref = sum(within) / len(within) if within else 1.0
            if cross < s.fragment_merge_floor or cross < s.fragment_merge_ratio * ref:
                continue
            # a merge the next split check would undo is no merge
            union = mine + theirs
            order = np.argsort(union, kind="stable")
            if self._split_part(sorted(union), probs[np.ix_(order, order)]) is None:
                sid = self._merge(sid, other)
        return sid

    def _live_rows(self, sid: str) -> list[int]:
        """A story's latest non-duplicate members, as many as half a split check reads."""
        st = self._state
        rows = [r for r in st.stories[sid].members if st.articles[r].duplicate_of is None]
        return rows[-self.settings.split_max_members // 2 :]

    def _maybe_reweight(self) -> None:
        """Re-weight stored norms and story centroids with today's idf each time the corpus doubles.

        Between doublings the stored norms lag the idf a little; redoing them at every
        doubling costs O(corpus) each time, O(1) per added article on average, and
        depends only on the corpus size, so batch and resumed runs stay identical.
        """
        st = self._state
        n = len(st.articles)
        if n < 2 * max(st.reweighted_at, 16):
            return
        st.reweighted_at = n
        idf = self._term_idf()
        for entry in st.articles:
            entry.norm = _tfidf_norm(entry.terms, idf)
        for sid, prof in list(st.stories.items()):
            st.stories[sid] = self._profile(sid, list(prof.members))

    def _is_check_size(self, n: int) -> bool:
        s = self.settings
        if n < s.split_min:
            return False
        size = float(s.split_min)
        while round(size) < n:
            size = max(size * s.split_growth, size + 1)
        return round(size) == n

    def _maybe_split(self, sid: str) -> None:
        """Split story ``sid`` in two when its members form two groups that belong apart."""
        st = self._state
        s = self.settings
        prof = st.stories[sid]
        rows = [r for r in prof.members if st.articles[r].duplicate_of is None][-s.split_max_members :]
        part = self._split_part(rows)
        if part is not None:
            self._split_off(sid, part)

    def _split_part(self, rows: list[int], probs: np.ndarray | None = None) -> set[int] | None:
        """The rows to move out when ``rows`` form two groups that belong apart, else None.

        The group holding the earliest row stays; the cut is taken over the story-local
        tf-idf (``split_local_idf``), the verdict over the pair model's probabilities.
        """
        s = self.settings
        if len(rows) < s.split_min:
            return None
        if probs is None:
            probs = self.pair_matrix(rows)
        labels = _bipartition(self._local_similarity(rows) if s.split_local_idf else probs)
        if labels is None:
            return None
        a, b = np.flatnonzero(labels == 0), np.flatnonzero(labels == 1)
        if len(a) < 2 or len(b) < 2:
            return None
        within = (_mean_off_diagonal(probs[np.ix_(a, a)]) + _mean_off_diagonal(probs[np.ix_(b, b)])) / 2
        cross = float(probs[np.ix_(a, b)].mean())
        if cross >= s.split_ratio * within:
            return None
        return {rows[i] for i in (b if a[0] == 0 else a)}

    def _local_similarity(self, rows: list[int]) -> np.ndarray:
        """TF-IDF cosines among ``rows`` with the idf taken inside them.

        Words every member shares (the topic: "pirates", "Somalia") weigh nothing, so what
        is left are the words that tell two similar events apart (ship names, places, counts).
        """
        st = self._state
        arts = [st.articles[r] for r in rows]
        tf, _ = _indicator([list(a.terms) for a in arts], [list(a.terms.values()) for a in arts])
        n = len(rows)
        df = np.asarray((tf > 0).sum(axis=0)).ravel()
        weighted = tf.multiply(np.log((n + 1.0) / (df + 1.0))[np.newaxis, :]).tocsr()
        norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        weighted = sparse.diags(1.0 / norms) @ weighted
        sims = np.asarray((weighted @ weighted.T).toarray(), dtype=np.float64)
        # a floor keeps every degree positive, so the Laplacian is defined
        sims = np.clip(sims, 1e-3, None)
        np.fill_diagonal(sims, 1.0)
        return sims

    def _split_off(self, sid: str, part: set[int]) -> None:
        """Move the rows in ``part`` (and their duplicates) out of ``sid`` into a new story."""
        st = self._state
        prof = st.stories[sid]
        moved = [
            r
            for r in prof.members
            if r in part or st.row_of.get(st.articles[r].duplicate_of or "", -1) in part
        ]
        kept = [r for r in prof.members if r not in set(moved)]
        new_id = story_id_for(st.articles[moved[0]].id)
        st.alias.pop(new_id, None)
        st.stories[sid] = self._profile(sid, kept)
        st.stories[new_id] = self._profile(new_id, moved)

    def _profile(self, sid: str, rows: list[int]) -> StoryProfile:
        """A story profile rebuilt from its member rows."""
        st = self._state
        prof = StoryProfile(sid)
        st.story_emb[sid] = np.zeros(st.dim, dtype=np.float32)
        for r in rows:
            entry = st.articles[r]
            entry.story = sid
            prof.members.append(r)
            if entry.duplicate_of is None:
                self._add_to_profile(prof, entry, st.embeddings[r])
        return prof

    def _count(self, f: ArticleFeatures) -> None:
        st = self._state
        for t in f.terms:
            st.term_df[t] = st.term_df.get(t, 0) + 1
        for k in {"e:" + e for e in f.entities} | {"p:" + p for p in f.places}:
            st.key_df[k] = st.key_df.get(k, 0) + 1

    def _index_keys(self, f: ArticleFeatures) -> list[str]:
        st = self._state
        top = sorted(f.terms.items(), key=lambda kv: (-kv[1] * self._idf(st.term_df.get(kv[0], 0)), kv[0]))
        keys = ["e:" + e for e in f.entities] + ["p:" + p for p in f.places]
        keys += ["t:" + str(t) for t, _ in top[: self.settings.index_terms]]
        return list(dict.fromkeys(keys))

    def _key_idf(self, key: str) -> float:
        st = self._state
        df = st.term_df.get(int(key[2:]), 0) if key.startswith("t:") else st.key_df.get(key, 0)
        return self._idf(df)

    def _candidates(self, keys: list[str]) -> list[int]:
        st = self._state
        s = self.settings
        max_df = max(20.0, s.max_key_df * st.n_articles)
        hits: dict[int, float] = defaultdict(float)
        for key in keys:
            posting = st.postings.get(key)
            if not posting or len(posting) > max_df:
                continue
            weight = self._key_idf(key)
            for row in posting[-s.max_postings :]:
                hits[row] += weight
        ranked = sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))
        return [row for row, _ in ranked[: s.max_candidates]]

    def pair_features(self, f: ArticleFeatures, rows: list[int]) -> np.ndarray:
        """The pair model's inputs (columns in :data:`PAIR_FEATURES` order) for ``f`` against stored rows."""
        st = self._state
        out = np.zeros((len(rows), len(PAIR_FEATURES)), dtype=np.float64)
        if not rows:
            return out
        idf = self._term_idf()
        a_w = {t: tf * idf(t) for t, tf in f.terms.items()}
        a_norm = math.sqrt(sum(v * v for v in a_w.values())) or 1.0
        key_idf = self._key_idf_memo()
        a_ents = {e: key_idf("e:" + e) for e in f.entities}
        a_places = {p: key_idf("p:" + p) for p in f.places}
        a_years = set(f.years)
        a_keys = set(f.entities)
        out[:, 1] = st.embeddings[rows] @ f.embedding.astype(np.float32)
        for i, row in enumerate(rows):
            b = st.articles[row]
            # b's norm is the one stored when it was indexed: no pass over all of b's terms
            if len(b.terms) < len(a_w):
                dot = sum(a_w[t] * tf * idf(t) for t, tf in b.terms.items() if t in a_w)
            else:
                dot = sum(aw * b.terms[t] * idf(t) for t, aw in a_w.items() if t in b.terms)
            out[i, 0] = min(1.0, dot / (a_norm * (b.norm or 1.0)))
            out[i, 2] = _weighted_dice(a_ents, b.entities, lambda e: key_idf("e:" + e))
            out[i, 3] = _weighted_dice(a_places, b.places, lambda p: key_idf("p:" + p))
            out[i, 4] = 1.0 if a_places and b.places and not (a_places.keys() & set(b.places)) else 0.0
            out[i, 5] = 1.0 if a_years and b.years and not (a_years & set(b.years)) else 0.0
            out[i, 6], out[i, 7] = _salient_agreement(f.salient, a_keys, b.salient, set(b.entities))
        return out

    def pair_probabilities(self, f: ArticleFeatures, rows: list[int]) -> np.ndarray:
        """The pair model's same-story probability of ``f`` with each stored row."""
        x = self.pair_features(f, rows)
        return np.asarray(1.0 / (1.0 + np.exp(-np.clip(x @ self._w + self._bias, -50, 50))), dtype=np.float64)

    def story_candidates(
        self, f: ArticleFeatures, keys: list[str] | None = None
    ) -> tuple[list[str], np.ndarray]:
        """Candidate stories for ``f`` and their story-model inputs (:data:`STORY_FEATURES` columns)."""
        st = self._state
        rows = [
            r
            for r in self._candidates(keys if keys is not None else self._index_keys(f))
            if st.articles[r].duplicate_of is None
        ]
        if not rows:
            return [], np.zeros((0, len(STORY_FEATURES)))
        probs = self.pair_probabilities(f, rows)
        by_story: dict[str, list[float]] = defaultdict(list)
        for row, p in zip(rows, probs, strict=True):
            by_story[st.resolve(st.articles[row].story)].append(float(p))
        sids = sorted(by_story)
        x = np.zeros((len(sids), len(STORY_FEATURES)))
        a_tf = _unit(f.terms)
        idf = self._term_idf()
        a_w = {t: v * idf(t) for t, v in a_tf.items()}
        a_norm = math.sqrt(sum(v * v for v in a_w.values())) or 1.0
        ent_idf = {e: self._idf(st.key_df.get("e:" + e, 0)) for e in f.entities}
        ent_total = sum(ent_idf.values())
        a_keys = set(f.entities)
        emb = f.embedding.astype(np.float32)
        for i, sid in enumerate(sids):
            prof = st.stories[sid]
            n = max(1, prof.reports)
            k = max(1, min(self.settings.top_k, n))
            ps = sorted(by_story[sid], reverse=True)
            x[i, 0] = sum(ps[:k]) / k
            x[i, 1] = ps[0]
            terms = prof.term_sum
            dot = sum(aw * terms[t] for t, aw in a_w.items() if t in terms)
            x[i, 2] = min(1.0, dot / (a_norm * (math.sqrt(prof.sq_norm) or 1.0)))
            centroid = st.story_emb[sid]
            c_norm = float(np.linalg.norm(centroid)) or 1.0
            x[i, 3] = float(centroid @ emb) / c_norm
            if ent_total:
                x[i, 4] = (
                    sum(w * min(1.0, prof.entity_counts.get(e, 0) / n) for e, w in ent_idf.items())
                    / ent_total
                )
            floor = max(1.0, 0.25 * n)
            if f.salient:
                x[i, 5] = sum(1 for e in f.salient if prof.entity_counts.get(e, 0) >= floor) / len(f.salient)
            top = [
                e
                for e, c in sorted(prof.salient_counts.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
                if c >= floor
            ]
            if top:
                x[i, 6] = sum(1 for e in top if e in a_keys) / len(top)
            x[i, 7] = (
                1.0
                if f.places and prof.place_counts and not any(p in prof.place_counts for p in f.places)
                else 0.0
            )
            x[i, 8] = math.log1p(prof.reports)
        return sids, x

    def pair_matrix(self, rows: list[int]) -> np.ndarray:
        """Pair-model probabilities among stored rows (n x n, vectorised; the diagonal is 1)."""
        st = self._state
        n = len(rows)
        if n == 0:
            return np.zeros((0, 0))
        arts = [st.articles[r] for r in rows]
        terms = _indicator([list(a.terms) for a in arts], [list(a.terms.values()) for a in arts])
        idf_t = np.array([self._idf(st.term_df.get(t, 0)) for t in terms[1]] or [0.0])
        tf = terms[0].multiply(idf_t[np.newaxis, :]).tocsr()
        norms = np.sqrt(np.asarray(tf.multiply(tf).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        tf = sparse.diags(1.0 / norms) @ tf
        x_tfidf = (tf @ tf.T).toarray()
        emb = st.embeddings[rows]
        x_emb = emb @ emb.T

        def dice(key_lists: list[list[str]], prefix: str) -> tuple[np.ndarray, np.ndarray]:
            ind, cols = _indicator(key_lists, None)
            if not cols:
                return np.zeros((n, n)), np.zeros(n)
            w = np.array([self._idf(st.key_df.get(prefix + k, 0)) for k in cols])
            weighted = ind.multiply(w[np.newaxis, :]).tocsr()
            shared = (weighted @ ind.T).toarray()
            totals = np.asarray(weighted.sum(axis=1)).ravel()
            denom = totals[:, None] + totals[None, :]
            out = np.divide(2.0 * shared, denom, out=np.zeros_like(shared), where=denom > 0)
            return out, totals

        x_ent, _ = dice([a.entities for a in arts], "e:")
        x_place, place_tot = dice([a.places for a in arts], "p:")
        has_place = place_tot > 0
        x_pconf = (has_place[:, None] & has_place[None, :] & (x_place == 0)).astype(float)
        years, _ = _indicator([[str(y) for y in a.years] for a in arts], None)
        shared_years = (years @ years.T).toarray()
        has_year = np.asarray(years.sum(axis=1)).ravel() > 0
        x_yconf = (has_year[:, None] & has_year[None, :] & (shared_years == 0)).astype(float)
        keys = [a.salient for a in arts] + [a.entities for a in arts]
        both, _ = _indicator(keys, None)
        sal, ent = both[:n], both[n:]
        sal_n = np.asarray(sal.sum(axis=1)).ravel()
        hits = (sal @ ent.T).toarray()  # [i, j]: salient names of i that j names
        share = np.divide(hits, sal_n[:, None], out=np.zeros_like(hits), where=sal_n[:, None] > 0)
        has_sal = sal_n > 0
        pair_sal = has_sal[:, None] & has_sal[None, :]
        x_smatch = np.where(pair_sal, (share + share.T) / 2.0, 0.0)
        x_sconf = (pair_sal & (share == 0) & (share.T == 0)).astype(float)
        stack = np.stack([x_tfidf, x_emb, x_ent, x_place, x_pconf, x_yconf, x_smatch, x_sconf], axis=-1)
        probs = 1.0 / (1.0 + np.exp(-np.clip(stack @ self._w + self._bias, -50, 50)))
        np.fill_diagonal(probs, 1.0)
        return np.asarray(probs, dtype=np.float64)

    def _story_scores(self, f: ArticleFeatures, keys: list[str]) -> dict[str, float]:
        st = self._state
        s = self.settings
        sids, x = self.story_candidates(f, keys)
        if not sids:
            return {}
        probs = 1.0 / (1.0 + np.exp(-np.clip(x @ self._sw + self._sbias, -50, 50)))
        scores: dict[str, float] = {}
        conflict = x[:, STORY_FEATURES.index("story_place_conflict")]
        # names the article has, none of which the story has ever carried
        unnamed = (x[:, STORY_FEATURES.index("name_typicality")] == 0) & (len(f.entities) >= 2)
        for sid, p, placed_apart, strangers in zip(sids, probs, conflict, unnamed, strict=True):
            prof = st.stories[sid]
            score = float(p) - s.place_conflict_penalty * float(placed_apart)
            if strangers and prof.entity_counts:
                score -= s.name_conflict_penalty
            gap = _gap(f.day, prof.day_min, prof.day_max)
            if gap is not None:
                if gap > s.max_gap_days:
                    continue
                score -= s.gap_penalty_per_day * gap
            scores[sid] = score
        return scores

    # ----------------------------------------------------------------- bookkeeping

    def _register(
        self, f: ArticleFeatures, story: str, *, duplicate: bool, keys: list[str] | None = None
    ) -> None:
        st = self._state
        row = st.n_articles
        st.append_embedding(f.embedding)
        st.articles.append(
            ArticleEntry(
                f.article_id,
                story,
                f.terms,
                f.entities,
                f.places,
                f.salient,
                f.day,
                f.years,
                f.duplicate_of if duplicate else None,
                norm=_tfidf_norm(f.terms, self._term_idf()),
            )
        )
        st.row_of[f.article_id] = row
        prof = st.stories[story]
        prof.members.append(row)
        if duplicate:
            return
        self._add_to_profile(prof, st.articles[row], f.embedding)
        for key in keys or []:
            st.postings.setdefault(key, []).append(row)

    def _add_to_profile(self, prof: StoryProfile, entry: ArticleEntry, embedding: np.ndarray) -> None:
        st = self._state
        prof.reports += 1
        for e in entry.entities:
            prof.entity_counts[e] = prof.entity_counts.get(e, 0) + 1
        for p in entry.places:
            prof.place_counts[p] = prof.place_counts.get(p, 0) + 1
        if entry.day is not None:
            prof.day_min = entry.day if prof.day_min is None else min(prof.day_min, entry.day)
            prof.day_max = entry.day if prof.day_max is None else max(prof.day_max, entry.day)
        for e in entry.salient:
            prof.salient_counts[e] = prof.salient_counts.get(e, 0) + 1
        idf = self._term_idf()
        weighted = {t: v * idf(t) for t, v in _unit(entry.terms).items()}
        terms = prof.term_sum
        prof.sq_norm += 2.0 * sum(w * terms[t] for t, w in weighted.items() if t in terms)
        prof.sq_norm += sum(w * w for w in weighted.values())
        for t, w in weighted.items():
            terms[t] = terms.get(t, 0.0) + w
        st.story_emb[prof.id] = st.story_emb[prof.id] + embedding

    def _merge(self, a: str, b: str) -> str:
        """Merge stories ``a`` and ``b``; the one started first keeps its id."""
        st = self._state
        pa, pb = st.stories[a], st.stories[b]
        keep, gone = (pa, pb) if pa.members[0] < pb.members[0] else (pb, pa)
        for row in gone.members:
            st.articles[row].story = keep.id
        keep.members = sorted(keep.members + gone.members)
        keep.reports += gone.reports
        for e, c in gone.entity_counts.items():
            keep.entity_counts[e] = keep.entity_counts.get(e, 0) + c
        for p, c in gone.place_counts.items():
            keep.place_counts[p] = keep.place_counts.get(p, 0) + c
        for e, c in gone.salient_counts.items():
            keep.salient_counts[e] = keep.salient_counts.get(e, 0) + c
        small, large = sorted((keep.term_sum, gone.term_sum), key=len)
        keep.sq_norm += gone.sq_norm + 2.0 * sum(v * large[t] for t, v in small.items() if t in large)
        for t, v in gone.term_sum.items():
            keep.term_sum[t] = keep.term_sum.get(t, 0.0) + v
        days = [d for d in (keep.day_min, keep.day_max, gone.day_min, gone.day_max) if d is not None]
        keep.day_min, keep.day_max = (min(days), max(days)) if days else (None, None)
        st.story_emb[keep.id] = st.story_emb[keep.id] + st.story_emb.pop(gone.id)
        del st.stories[gone.id]
        st.alias[gone.id] = keep.id
        return keep.id


def _weighted_dice(a: dict[str, float], b_keys: list[str], idf: Callable[[str], float]) -> float:
    """IDF-weighted Dice overlap of two name sets."""
    if not a or not b_keys:
        return 0.0
    b = {k: idf(k) for k in b_keys}
    shared = sum(a[k] for k in a.keys() & b.keys())
    return 2.0 * shared / (sum(a.values()) + sum(b.values()))


def _mean_off_diagonal(matrix: np.ndarray) -> float:
    n = matrix.shape[0]
    if n < 2:
        return 1.0
    return float((matrix.sum() - np.trace(matrix)) / (n * n - n))


def _bipartition(probs: np.ndarray) -> np.ndarray | None:
    """Two groups from a similarity matrix: the sign of the normalised Laplacian's Fiedler vector,
    then a few rounds of moving each member to the group it is on average closer to."""
    n = probs.shape[0]
    degree = probs.sum(axis=1)
    if n < 4 or (degree <= 0).any():
        return None
    inv = 1.0 / np.sqrt(degree)
    laplacian = np.eye(n) - inv[:, None] * probs * inv[None, :]
    _, vectors = np.linalg.eigh(laplacian)
    fiedler = vectors[:, 1] * inv
    labels = (fiedler > np.median(fiedler)).astype(int)
    for _ in range(5):
        off = probs - np.eye(n)
        means = []
        for g in (0, 1):
            members = labels == g
            count = members.sum() - members.astype(int)  # leave the member itself out of its own group
            means.append(off[:, members].sum(axis=1) / np.maximum(count, 1))
        new = (means[1] > means[0]).astype(int)
        if (new == labels).all() or new.min() == new.max():
            break
        labels = new
    return labels if labels.min() != labels.max() else None


def _indicator(
    key_lists: list[list[Any]], values: list[list[float]] | None
) -> tuple[sparse.csr_matrix, list[Any]]:
    """Rows x keys sparse matrix (1.0, or the given values) and the keys in column order."""
    cols: dict[Any, int] = {}
    indptr = [0]
    indices: list[int] = []
    data: list[float] = []
    for i, keys in enumerate(key_lists):
        seen: set[int] = set()
        for j, k in enumerate(keys):
            c = cols.setdefault(k, len(cols))
            if c in seen:
                continue
            seen.add(c)
            indices.append(c)
            data.append(values[i][j] if values is not None else 1.0)
        indptr.append(len(indices))
    matrix = sparse.csr_matrix(
        (data, indices, indptr), shape=(len(key_lists), max(1, len(cols))), dtype=np.float64
    )
    return matrix, list(cols)


def _tfidf_norm(terms: dict[int, float], idf: Callable[[int], float]) -> float:
    return math.sqrt(sum((tf * idf(t)) ** 2 for t, tf in terms.items()))


def _unit(terms: dict[int, float]) -> dict[int, float]:
    norm = math.sqrt(sum(v * v for v in terms.values())) or 1.0
    return {t: v / norm for t, v in terms.items()}


def _salient_agreement(
    sa: list[str], keys_a: set[str], sb: list[str], keys_b: set[str]
) -> tuple[float, float]:
    """(share of each side's salient names the other names, averaged; 1.0 when neither names the other's)."""
    if not sa or not sb:
        return 0.0, 0.0
    a_in_b = sum(1 for k in sa if k in keys_b) / len(sa)
    b_in_a = sum(1 for k in sb if k in keys_a) / len(sb)
    return (a_in_b + b_in_a) / 2.0, 1.0 if a_in_b == 0 and b_in_a == 0 else 0.0


def _gap(day: int | None, lo: int | None, hi: int | None) -> int | None:
    """Days between ``day`` and the range [lo, hi]; None when either is unknown."""
    if day is None or lo is None or hi is None:
        return None
    if day < lo:
        return lo - day
    return max(0, day - hi)
