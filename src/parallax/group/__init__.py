"""Story grouping: articles from many outlets and days, grouped into stories.

>>> grouper = StoryGrouper()                 # doctest: +SKIP
>>> story_id = grouper.add(article, facts)   # doctest: +SKIP
>>> blob = grouper.state.to_bytes()          # persist; GroupingState.from_bytes(blob) to go on
"""

from parallax.group.settings import SETTINGS, GroupingSettings
from parallax.group.state import GroupingState
from parallax.group.stories import PAIR_FEATURES, StoryGrouper, story_id_for

__all__ = ["PAIR_FEATURES", "SETTINGS", "GroupingSettings", "GroupingState", "StoryGrouper", "story_id_for"]
