"""Everything the grouper remembers between runs, and its safe byte format.

``GroupingState.to_bytes`` writes an ``.npz`` archive (no pickle): one JSON
member with the articles' terms, names, dates and story assignments, the
inverted index and the document frequencies, and two float32 matrices (article
embeddings and story embedding sums). ``from_bytes`` reads it back with
``allow_pickle=False``.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from parallax.errors import StoreError
from parallax.group.threads import ThreadState

FORMAT_VERSION = 1


@dataclass(slots=True)
class ArticleEntry:
    """One article as the grouper stores it (its embedding is a row of the state's matrix)."""

    id: str
    story: str
    terms: dict[int, float]
    entities: list[str]
    places: list[str]
    salient: list[str]
    day: int | None
    years: list[int]
    duplicate_of: str | None = None
    #: tf-idf norm with the idf of when it was indexed (kept, so scoring never re-reads all its terms)
    norm: float = 0.0


@dataclass(slots=True)
class StoryProfile:
    """A story's running summary, updated as articles join."""

    id: str
    members: list[int] = field(default_factory=list)  # article rows, in order of joining
    reports: int = 0  # members that are not duplicates of another member
    entity_counts: dict[str, int] = field(default_factory=dict)
    place_counts: dict[str, int] = field(default_factory=dict)
    day_min: int | None = None
    day_max: int | None = None
    #: salient name -> members that have it among their salient names
    salient_counts: dict[str, int] = field(default_factory=dict)
    #: hashed term -> sum over members of L2-normalised term frequency x idf when the member joined
    term_sum: dict[int, float] = field(default_factory=dict)
    #: squared L2 norm of term_sum, kept up to date as members join
    sq_norm: float = 0.0


class GroupingState:
    """Articles, stories, inverted index and document frequencies of one grouper."""

    def __init__(self, dim: int = 384, embedder: str = "") -> None:
        self.dim = dim
        self.embedder = embedder
        self.articles: list[ArticleEntry] = []
        self.row_of: dict[str, int] = {}
        self._emb = np.zeros((0, dim), dtype=np.float32)
        self.term_df: dict[int, int] = {}
        self.key_df: dict[str, int] = {}
        #: index key ("e:name", "p:place", "t:<term hash>") -> article rows
        self.postings: dict[str, list[int]] = {}
        self.stories: dict[str, StoryProfile] = {}
        self.story_emb: dict[str, np.ndarray] = {}
        #: merged story id -> the id it was merged into
        self.alias: dict[str, str] = {}
        #: corpus size when stored tf-idf norms and story centroids were last re-weighted
        self.reweighted_at = 0
        #: the story level (events are the stories above; stories link events over weeks)
        self.story_level = ThreadState()

    # ----------------------------------------------------------------- embeddings

    @property
    def n_articles(self) -> int:
        return len(self.articles)

    @property
    def embeddings(self) -> np.ndarray:
        """Article embeddings, one row per article (a view, no copy)."""
        return self._emb[: len(self.articles)]

    def append_embedding(self, vector: np.ndarray) -> None:
        n = len(self.articles)
        if n >= self._emb.shape[0]:
            grown = np.zeros((max(64, 2 * self._emb.shape[0]), self.dim), dtype=np.float32)
            grown[: self._emb.shape[0]] = self._emb
            self._emb = grown
        self._emb[n] = vector

    def resolve(self, story_id: str) -> str:
        """The live id of a story that may have been merged into another."""
        while story_id in self.alias:
            story_id = self.alias[story_id]
        return story_id

    # ----------------------------------------------------------------- bytes

    def to_bytes(self) -> bytes:
        """The state as an ``.npz`` archive (JSON + float32 matrices; no pickle)."""
        story_ids = list(self.stories)
        meta = {
            "format": FORMAT_VERSION,
            "dim": self.dim,
            "embedder": self.embedder,
            "articles": [
                [
                    a.id,
                    a.story,
                    {str(k): v for k, v in a.terms.items()},
                    a.entities,
                    a.places,
                    a.salient,
                    a.day,
                    a.years,
                    a.duplicate_of,
                    a.norm,
                ]
                for a in self.articles
            ],
            "term_df": {str(k): v for k, v in self.term_df.items()},
            "key_df": self.key_df,
            "postings": self.postings,
            "stories": [
                [
                    s.id,
                    s.members,
                    s.reports,
                    s.entity_counts,
                    s.place_counts,
                    s.day_min,
                    s.day_max,
                    s.salient_counts,
                    {str(k): v for k, v in s.term_sum.items()},
                    s.sq_norm,
                ]
                for s in self.stories.values()
            ],
            "alias": self.alias,
            "reweighted_at": self.reweighted_at,
            "story_level": self.story_level.to_json(),
        }
        story_matrix = (
            np.stack([self.story_emb[s] for s in story_ids]).astype(np.float32)
            if story_ids
            else np.zeros((0, self.dim), dtype=np.float32)
        )
        buf = io.BytesIO()
        np.savez_compressed(
            buf,
            meta=np.frombuffer(json.dumps(meta, separators=(",", ":")).encode("utf-8"), dtype=np.uint8),
            embeddings=np.ascontiguousarray(self.embeddings, dtype=np.float32),
            story_embeddings=story_matrix,
        )
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> GroupingState:
        """Read :meth:`to_bytes` output; StoreError when it is not a grouping state."""
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as npz:
                meta: dict[str, Any] = json.loads(npz["meta"].tobytes().decode("utf-8"))
                embeddings = np.asarray(npz["embeddings"], dtype=np.float32)
                story_matrix = np.asarray(npz["story_embeddings"], dtype=np.float32)
        except (OSError, EOFError, ValueError, KeyError, zipfile.BadZipFile, UnicodeDecodeError) as exc:
            raise StoreError(f"not a grouping state archive: {exc}", code="bad-grouping-state") from exc
        if meta.get("format") != FORMAT_VERSION:
            raise StoreError(
                f"grouping state format {meta.get('format')!r} is not {FORMAT_VERSION}",
                code="bad-grouping-state",
            )
        state = cls(dim=int(meta["dim"]), embedder=str(meta.get("embedder", "")))
        for row, (aid, story, terms, ents, places, salient, day, years, dup, norm) in enumerate(
            meta["articles"]
        ):
            state.articles.append(
                ArticleEntry(
                    aid,
                    story,
                    {int(k): float(v) for k, v in terms.items()},
                    ents,
                    places,
                    salient,
                    day,
                    years,
                    dup,
                    norm,
                )
            )
            state.row_of[aid] = row
        state._emb = embeddings.copy() if embeddings.size else np.zeros((0, state.dim), dtype=np.float32)
        state.term_df = {int(k): int(v) for k, v in meta["term_df"].items()}
        state.key_df = {k: int(v) for k, v in meta["key_df"].items()}
        state.postings = {k: list(v) for k, v in meta["postings"].items()}
        for i, (sid, members, reports, ents, places, dmin, dmax, sal, terms, sq_norm) in enumerate(
            meta["stories"]
        ):
            state.stories[sid] = StoryProfile(
                sid,
                list(members),
                int(reports),
                dict(ents),
                dict(places),
                dmin,
                dmax,
                dict(sal),
                {int(k): float(v) for k, v in terms.items()},
                float(sq_norm),
            )
            state.story_emb[sid] = story_matrix[i].copy()
        state.alias = dict(meta["alias"])
        state.reweighted_at = int(meta.get("reweighted_at", 0))
        # a state from before the story level has none: Grouper fills it from the articles
        state.story_level = ThreadState.from_json(meta.get("story_level") or {})
        return state
