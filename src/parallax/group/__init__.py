"""Story grouping: articles from many outlets and days, grouped into stories.

Two levels: events (the same happening) inside stories (a situation developing over weeks).

>>> grouper = Grouper()                      # doctest: +SKIP
>>> story_id = grouper.add(article, facts)   # doctest: +SKIP
>>> grouper.events_by_story()                # doctest: +SKIP
>>> blob = grouper.state.to_bytes()          # persist; GroupingState.from_bytes(blob) to go on
"""

from parallax.group.levels import Grouper
from parallax.group.settings import HELP, GroupingSettings
from parallax.group.state import GroupingState
from parallax.group.stories import PAIR_FEATURES, StoryGrouper, story_id_for

__all__ = [
    "HELP",
    "Grouper",
    "PAIR_FEATURES",
    "GroupingSettings",
    "GroupingState",
    "StoryGrouper",
    "story_id_for",
]
