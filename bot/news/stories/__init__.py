"""Stories: the articles of several outlets, in English or Russian, about one event.

Pure rules over plain data, cut along their seams:
  - `keys`: the names and numbers a text names, as keys both scripts share;
  - `features`: what an article is compared by (words, names, sounds, countries);
  - `commonplace`: the region's words and places that tell no event apart;
  - `compare`: how surely an article reports a story's event, and its threshold;
  - `index`: which stories an article is compared with (near its own time).
`bot.news.story_window` is their shell: it stores the stories with the articles.
"""

from bot.news.stories.compare import (
    CROSS_LANGUAGE_JOIN,
    SAME_LANGUAGE_JOIN,
    Story,
    similarity,
    threshold,
)
from bot.news.stories.features import FEATURES_VERSION, Features, features
from bot.news.stories.index import Embed, StoryIndex
from bot.news.stories.keys import name_key, names_of, numbers_of

__all__ = [
    "CROSS_LANGUAGE_JOIN",
    "FEATURES_VERSION",
    "SAME_LANGUAGE_JOIN",
    "Embed",
    "Features",
    "Story",
    "StoryIndex",
    "features",
    "name_key",
    "names_of",
    "numbers_of",
    "similarity",
    "threshold",
]
