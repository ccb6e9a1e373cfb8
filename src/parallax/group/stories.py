"""Incremental story grouping: each added article joins a story or starts one.

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
   rules: a place conflict costs ``place_conflict_penalty``, each day between the
   article and the story's date range costs ``gap_penalty_per_day``, and past
   ``max_gap_days`` it cannot join. The best story at or above ``join_threshold``
   wins, else a new story starts.
4. **Merges**: when the article also scores ``merge_threshold`` with another
   story, that story is merged into the older one (its id becomes an alias).
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Callable, Iterable

import numpy as np

from parallax.embed import Embedder, TextEncoder
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
        self._state = state if state is not None else GroupingState(dim=self.embedder.dim, embedder=self.embedder.name)
        self._w = np.array([self.settings.weights.get(n, 0.0) for n in PAIR_FEATURES], dtype=np.float64)
        self._bias = float(self.settings.weights.get("bias", 0.0))
        self._sw = np.array([self.settings.story_weights.get(n, 0.0) for n in STORY_FEATURES], dtype=np.float64)
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
        return math.log((self._state.n_articles + 1.0) / (df + 1.0)) + 1.0

    def _place(self, f: ArticleFeatures) -> str:
        st = self._state
        if f.article_id in st.row_of:
            return self.story_of(f.article_id)
        if f.duplicate_of and f.duplicate_of in st.row_of:
            story = self.story_of(f.duplicate_of)
            self._register(f, story, duplicate=True)
            return story

        self._count(f)
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
        return best

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
        idf_cache: dict[int, float] = {}

        def idf(t: int) -> float:
            v = idf_cache.get(t)
            if v is None:
                v = idf_cache[t] = self._idf(st.term_df.get(t, 0))
            return v

        a_w = {t: tf * idf(t) for t, tf in f.terms.items()}
        a_norm = math.sqrt(sum(v * v for v in a_w.values())) or 1.0
        a_ents = {e: self._idf(st.key_df.get("e:" + e, 0)) for e in f.entities}
        a_places = {p: self._idf(st.key_df.get("p:" + p, 0)) for p in f.places}
        a_years = set(f.years)
        a_keys = set(f.entities)
        out[:, 1] = st.embeddings[rows] @ f.embedding.astype(np.float32)
        for i, row in enumerate(rows):
            b = st.articles[row]
            dot = 0.0
            sq = 0.0
            for t, tf in b.terms.items():
                w = tf * idf(t)
                sq += w * w
                aw = a_w.get(t)
                if aw is not None:
                    dot += aw * w
            out[i, 0] = dot / (a_norm * (math.sqrt(sq) or 1.0))
            out[i, 2] = _weighted_dice(a_ents, b.entities, lambda e: self._idf(st.key_df.get("e:" + e, 0)))
            out[i, 3] = _weighted_dice(a_places, b.places, lambda p: self._idf(st.key_df.get("p:" + p, 0)))
            out[i, 4] = 1.0 if a_places and b.places and not (a_places.keys() & set(b.places)) else 0.0
            out[i, 5] = 1.0 if a_years and b.years and not (a_years & set(b.years)) else 0.0
            out[i, 6], out[i, 7] = _salient_agreement(f.salient, a_keys, b.salient, set(b.entities))
        return out

    def pair_probabilities(self, f: ArticleFeatures, rows: list[int]) -> np.ndarray:
        """The pair model's same-story probability of ``f`` with each stored row."""
        x = self.pair_features(f, rows)
        return np.asarray(1.0 / (1.0 + np.exp(-np.clip(x @ self._w + self._bias, -50, 50))), dtype=np.float64)

    def story_candidates(self, f: ArticleFeatures, keys: list[str] | None = None) -> tuple[list[str], np.ndarray]:
        """Candidate stories for ``f`` and their story-model inputs (:data:`STORY_FEATURES` columns)."""
        st = self._state
        rows = [r for r in self._candidates(keys if keys is not None else self._index_keys(f)) if st.articles[r].duplicate_of is None]
        if not rows:
            return [], np.zeros((0, len(STORY_FEATURES)))
        probs = self.pair_probabilities(f, rows)
        by_story: dict[str, list[float]] = defaultdict(list)
        for row, p in zip(rows, probs, strict=True):
            by_story[st.resolve(st.articles[row].story)].append(float(p))
        sids = sorted(by_story)
        x = np.zeros((len(sids), len(STORY_FEATURES)))
        a_tf = _unit(f.terms)
        idf_cache: dict[int, float] = {}

        def idf(t: int) -> float:
            v = idf_cache.get(t)
            if v is None:
                v = idf_cache[t] = self._idf(st.term_df.get(t, 0))
            return v

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
            dot = 0.0
            sq = 0.0
            for t, v in prof.term_sum.items():
                w = v * idf(t)
                sq += w * w
                aw = a_w.get(t)
                if aw is not None:
                    dot += aw * w
            x[i, 2] = dot / (a_norm * (math.sqrt(sq) or 1.0))
            centroid = st.story_emb[sid]
            c_norm = float(np.linalg.norm(centroid)) or 1.0
            x[i, 3] = float(centroid @ emb) / c_norm
            if ent_total:
                x[i, 4] = sum(w * min(1.0, prof.entity_counts.get(e, 0) / n) for e, w in ent_idf.items()) / ent_total
            floor = max(1.0, 0.25 * n)
            if f.salient:
                x[i, 5] = sum(1 for e in f.salient if prof.entity_counts.get(e, 0) >= floor) / len(f.salient)
            top = [e for e, c in sorted(prof.salient_counts.items(), key=lambda kv: (-kv[1], kv[0]))[:3] if c >= floor]
            if top:
                x[i, 6] = sum(1 for e in top if e in a_keys) / len(top)
            x[i, 7] = 1.0 if f.places and prof.place_counts and not any(p in prof.place_counts for p in f.places) else 0.0
            x[i, 8] = math.log1p(prof.reports)
        return sids, x

    def _story_scores(self, f: ArticleFeatures, keys: list[str]) -> dict[str, float]:
        st = self._state
        s = self.settings
        sids, x = self.story_candidates(f, keys)
        if not sids:
            return {}
        probs = 1.0 / (1.0 + np.exp(-np.clip(x @ self._sw + self._sbias, -50, 50)))
        scores: dict[str, float] = {}
        conflict = x[:, STORY_FEATURES.index("story_place_conflict")]
        for sid, p, placed_apart in zip(sids, probs, conflict, strict=True):
            prof = st.stories[sid]
            score = float(p) - s.place_conflict_penalty * float(placed_apart)
            gap = _gap(f.day, prof.day_min, prof.day_max)
            if gap is not None:
                if gap > s.max_gap_days:
                    continue
                score -= s.gap_penalty_per_day * gap
            scores[sid] = score
        return scores

    # ----------------------------------------------------------------- bookkeeping

    def _register(self, f: ArticleFeatures, story: str, *, duplicate: bool, keys: list[str] | None = None) -> None:
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
            )
        )
        st.row_of[f.article_id] = row
        prof = st.stories[story]
        prof.members.append(row)
        if duplicate:
            return
        prof.reports += 1
        for e in f.entities:
            prof.entity_counts[e] = prof.entity_counts.get(e, 0) + 1
        for p in f.places:
            prof.place_counts[p] = prof.place_counts.get(p, 0) + 1
        if f.day is not None:
            prof.day_min = f.day if prof.day_min is None else min(prof.day_min, f.day)
            prof.day_max = f.day if prof.day_max is None else max(prof.day_max, f.day)
        for e in f.salient:
            prof.salient_counts[e] = prof.salient_counts.get(e, 0) + 1
        for t, v in _unit(f.terms).items():
            prof.term_sum[t] = prof.term_sum.get(t, 0.0) + v
        st.story_emb[story] = st.story_emb[story] + f.embedding
        for key in keys or []:
            st.postings.setdefault(key, []).append(row)

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


def _unit(terms: dict[int, float]) -> dict[int, float]:
    norm = math.sqrt(sum(v * v for v in terms.values())) or 1.0
    return {t: v / norm for t, v in terms.items()}


def _salient_agreement(sa: list[str], keys_a: set[str], sb: list[str], keys_b: set[str]) -> tuple[float, float]:
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
