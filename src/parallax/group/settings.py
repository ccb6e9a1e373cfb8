"""Grouping settings: :class:`GroupingSettings` is the one place each knob and its default is set
(``HELP`` says what each does; ``GroupingSettings.table()`` lists name, default and help).

Fitted values live as data in ``lexicons/group_weights.json`` and are read here only: the
event level's pair and story models and its join, merge and split thresholds (fitted on ECB+
train topics by ``python -m parallax.eval.grouping --fit``), and the story level's model and
thresholds (``--fit-story``: all of stories-long and ECB+ train; held-out scores from
``--story-cv``). The event level's time and candidate limits are set by hand because ECB+
carries no reliable dates.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from parallax.errors import ConfigError

#: what each knob of the grouper does (defaults: :class:`GroupingSettings`, the one place they are set)
HELP: dict[str, str] = {
    "ner": "names without ArticleFacts: 'spacy' (parallax.nlp) or 'capitalized' (no places)",
    "ner_chars": "characters of each article that NER reads",
    "embed_chars": "characters (title first) that the sentence embedding reads",
    "salient_names": "how many of an article's names (title and most mentioned) count as what it is about",
    "salient_min_weight": "a salient name needs this weight (mentions; a title mention counts double)",
    "max_gap_days": "an article never joins a story whose date range is further away than this",
    "gap_penalty_per_day": "score taken off per day between an article and its story's date range",
    "place_conflict_penalty": "score taken off when the article's places and the story's share none",
    "name_conflict_penalty": "score taken off when the article names people/organisations and the story shares none",
    "top_k": "a story's score is the mean of its top_k best member-pair probabilities",
    "max_candidates": "most candidate articles scored per added article",
    "max_postings": "most recent postings read per index key (keeps adding near-linear)",
    "max_key_df": "index keys in more than this share of articles are not used to find candidates",
    "index_terms": "highest tf-idf terms of each article put in the candidate index",
    "split": "re-check a story as it grows and split it when its members form two events",
    "split_min": "smallest story (reports) that is re-checked for a split",
    "split_growth": "a story is re-checked each time its size grows by this factor",
    "split_ratio": "split when the mean pair probability across the two halves is below this share of the halves' own",
    "split_max_members": "most recent members a split check looks at (bounds the work per added article)",
    "split_local_idf": "cut a story in two over tf-idf with the idf taken inside the story (else over pair probabilities)",
    "merge": "merge two stories when one article scores above merge_threshold with both",
    "fragment_merge": "after each join, merge the story with near stories that link to it as a whole",
    "fragment_merge_candidates": "most neighbouring stories (best scored by the new article) checked",
    "fragment_merge_min_score": "a neighbour needs this story score with the new article to be checked",
    "fragment_merge_floor": "least mean pair probability across two stories that merges them",
    "fragment_merge_ratio": "merge when the mean pair probability across two stories is this share of their own",
    "story_window_days": "a story takes an article only if it was active (had a member) this many days before or after it",
    "story_half_life_days": "a story member's weight in the story's profile halves every this many days (stories drift)",
    "story_candidates": "most candidate stories scored per added article (found through shared names, places, terms)",
    "weights": "pair-model feature name -> weight ('bias' is the intercept), fitted",
    "story_weights": "event-level story-model feature name -> weight, fitted",
    "join_threshold": "least event score that joins an article to an event (fitted)",
    "merge_threshold": "an article scoring this with two events merges them (fitted)",
    "story_level_weights": "story-level model feature name -> weight (group/threads.py THREAD_FEATURES), fitted",
    "story_threshold": "least probability that joins an article to a story (fitted)",
    "story_recheck_candidates": "most near stories re-checked for a merge after each placed article",
    "story_recheck_min_score": "a near story is re-checked when the article scored at least this with it (fitted; 1 = never)",
    "story_merge_threshold": "least whole-story probability that merges two stories one article links (fitted)",
}


@functools.cache
def _weights() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        resources.files("parallax.lexicons").joinpath("group_weights.json").read_text("utf-8")
    )
    return data


def _default_weights() -> dict[str, float]:
    return dict(_weights()["weights"])


@dataclass(frozen=True)
class GroupingSettings:
    """The grouper's knobs; see :data:`SETTINGS` for each one's meaning."""

    ner: str = "spacy"
    ner_chars: int = 6000
    embed_chars: int = 1200
    salient_names: int = 3
    salient_min_weight: float = 2.0
    max_gap_days: int = 10
    gap_penalty_per_day: float = 0.02
    place_conflict_penalty: float = 0.5
    name_conflict_penalty: float = 0.3
    top_k: int = 3
    max_candidates: int = 60
    max_postings: int = 150
    max_key_df: float = 0.05
    index_terms: int = 12
    split: bool = True
    split_min: int = 4
    split_growth: float = 1.3
    split_max_members: int = 40
    split_local_idf: bool = True
    merge: bool = True
    fragment_merge: bool = True
    fragment_merge_candidates: int = 2
    fragment_merge_min_score: float = 0.05
    fragment_merge_floor: float = 0.3
    fragment_merge_ratio: float = 0.5
    story_window_days: int = 30
    story_half_life_days: float = 10.0
    story_candidates: int = 20
    story_recheck_candidates: int = 3
    #: pair-model feature name -> weight ("bias" is the intercept)
    weights: dict[str, float] = field(default_factory=_default_weights)
    #: story-model feature name -> weight ("bias" is the intercept)
    story_weights: dict[str, float] = field(default_factory=lambda: dict(_weights()["story_weights"]))
    join_threshold: float = field(default_factory=lambda: float(_weights()["join_threshold"]))
    merge_threshold: float = field(default_factory=lambda: float(_weights()["merge_threshold"]))
    split_ratio: float = field(default_factory=lambda: float(_weights()["split_ratio"]))
    story_level_weights: dict[str, float] = field(
        default_factory=lambda: dict(_weights()["story_level"]["weights"])
    )
    story_threshold: float = field(default_factory=lambda: float(_weights()["story_level"]["threshold"]))
    story_recheck_min_score: float = field(
        default_factory=lambda: float(_weights()["story_level"]["recheck_min_score"])
    )
    story_merge_threshold: float = field(
        default_factory=lambda: float(_weights()["story_level"]["merge_threshold"])
    )

    def replace(self, **changes: Any) -> GroupingSettings:
        """A copy with ``changes`` applied; unknown names raise ConfigError."""
        names = {f.name for f in dataclasses.fields(self)}
        unknown = sorted(set(changes) - names)
        if unknown:
            raise ConfigError(f"unknown grouping setting(s) {unknown}. Available: {sorted(names)}")
        return dataclasses.replace(self, **changes)

    @staticmethod
    def table() -> list[tuple[str, Any, str]]:
        """(name, default, help) of every knob, the defaults read from this class."""
        defaults = GroupingSettings()
        return [
            (f.name, getattr(defaults, f.name), HELP[f.name]) for f in dataclasses.fields(GroupingSettings)
        ]

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GroupingSettings:
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})
