"""Two levels in one grouper: events (the same happening) inside stories (a developing situation).

:class:`Grouper` feeds each article to the event level
(:class:`~parallax.group.stories.StoryGrouper`) and to the story level
(:class:`~parallax.group.threads.ThreadGrouper`); both keep their state in one
:class:`~parallax.group.state.GroupingState`. The two decide independently, so a
mistake at one level never forces one at the other; :meth:`Grouper.events_by_story`
nests them: an event whose articles sit in two stories is cut along the stories
(every article is in exactly one event, every event in exactly one story).

A batch is placed in day order (then by id; undated articles after, in their
order), so ingesting day by day or everything at once gives the same groups.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable

import numpy as np

from parallax.embed import TextEncoder
from parallax.group.features import ArticleFeatures, article_day, extract_features
from parallax.group.settings import GroupingSettings
from parallax.group.state import GroupingState
from parallax.group.stories import Item, StoryGrouper
from parallax.group.threads import ThreadGrouper
from parallax.records import Article, ArticleFacts

#: articles whose features are computed together (NER and embeddings batch; memory stays bounded)
BATCH = 256


def event_part_id(event_id: str, story_id: str) -> str:
    """The id of the part of an event that lies in another story than most of it."""
    return "e" + hashlib.sha1(f"{event_id}|{story_id}".encode()).hexdigest()[:12]


class Grouper:
    """Events and stories over one stream of articles.

    Args:
        state: a state to continue from (``GroupingState.from_bytes``); a new one if None.
        embedder: sentence encoder; the offline MiniLM if None.
        settings: knobs and weights; :class:`GroupingSettings` defaults if None.
    """

    def __init__(
        self,
        state: GroupingState | None = None,
        *,
        embedder: TextEncoder | None = None,
        settings: GroupingSettings | None = None,
    ) -> None:
        self.events = StoryGrouper(state, embedder=embedder, settings=settings)
        self.settings = self.events.settings
        self.embedder = self.events.embedder
        self.stories_level = ThreadGrouper(self.settings, self.events.state.story_level, self._embedding_of)
        self._backfill()

    def _embedding_of(self, article_id: str) -> np.ndarray | None:
        st = self.events.state
        row = st.row_of.get(article_id)
        return None if row is None else np.asarray(st.embeddings[row])

    @property
    def state(self) -> GroupingState:
        return self.events.state

    def add_features(self, f: ArticleFeatures) -> str:
        """Place one article at both levels; returns its story id."""
        event = self.events.add_features(f)
        st = self.events.state
        mates = [st.articles[r].id for r in st.stories[event].members if st.articles[r].id != f.article_id]
        return self.stories_level.add(f, mates)

    def add(self, article: Article, facts: ArticleFacts | None = None) -> str:
        (features,) = extract_features([(article, facts)], self.settings, self.embedder)
        return self.add_features(features)

    def add_many(self, items: Iterable[Item]) -> dict[str, str]:
        """Place many articles in day order (then id); article id -> story id."""
        pairs = [it if isinstance(it, tuple) else (it, None) for it in items]
        days = [article_day(a, facts) for a, facts in pairs]
        order = sorted(
            range(len(pairs)),
            key=lambda i: (0, days[i] or 0, pairs[i][0].id) if days[i] is not None else (1, 0, str(i)),
        )
        ordered = [pairs[i] for i in order]
        placed: list[str] = []
        for start in range(0, len(ordered), BATCH):
            for f in extract_features(ordered[start : start + BATCH], self.settings, self.embedder):
                self.add_features(f)
                placed.append(f.article_id)
        return {aid: self.story_of(aid) for aid in placed}

    def story_of(self, article_id: str) -> str:
        return self.stories_level.story(article_id)

    def event_of(self, article_id: str) -> str:
        return self.events.story_of(article_id)

    def stories(self) -> dict[str, list[str]]:
        """Story id -> article ids, in order of joining."""
        return self.stories_level.stories()

    def events_by_story(self) -> dict[str, dict[str, list[str]]]:
        """Story id -> {event id -> article ids}: events cut along stories where they straddle two."""
        out: dict[str, dict[str, list[str]]] = defaultdict(dict)
        for event_id, ids in self.events.stories().items():
            by_story: dict[str, list[str]] = defaultdict(list)
            for aid in ids:
                by_story[self.story_of(aid)].append(aid)
            main = Counter({sid: len(v) for sid, v in by_story.items()}).most_common(1)[0][0]
            for sid, members in by_story.items():
                out[sid][event_id if sid == main else event_part_id(event_id, sid)] = members
        return dict(out)

    def _backfill(self) -> None:
        """Give the story level the articles a state from before it existed holds (same day order)."""
        st = self.events.state
        missing = [r for r, a in enumerate(st.articles) if a.id not in self.stories_level.state.story_of]
        if not missing:
            return
        feats = [
            ArticleFeatures(
                article_id=a.id,
                terms=a.terms,
                entities=a.entities,
                places=a.places,
                salient=a.salient,
                day=a.day,
                years=a.years,
                embedding=np.asarray(st.embeddings[r]),
                duplicate_of=a.duplicate_of,
            )
            for r in missing
            for a in (st.articles[r],)
        ]
        dated = sorted((f for f in feats if f.day is not None), key=lambda f: (f.day or 0, f.article_id))
        for f in dated + [f for f in feats if f.day is None]:
            self.stories_level.add(f)
