"""The stories near each article's own time, in memory: which ones an article is compared with.

An article is compared with the stories that have a report within the window
(`window_seconds`, STORY_WINDOW_HOURS) of **its own** time, whatever order articles
arrive in: a feed's item from two weeks ago meets the stories of two weeks ago, not
those of today. Key counts (how many articles carry each name, word and sound) are
kept per time *bucket* (a third of the window), and an article's idf reads the buckets
around its time, so a story of two weeks ago is weighed as it was when it happened.

The index holds at most `capacity` articles; past it the oldest are forgotten, and a
story once all its articles are (the shell, `bot.news.story_window`, loads an older
time from the database again when an article needs it).

Postings lead from an index key to the stories whose articles carry it, per bucket
(the newest MAX_POSTINGS_PER_KEY of a bucket). An article is compared with at most
MAX_CANDIDATES stories: those sharing its rarest keys.
"""

from __future__ import annotations

import dataclasses
import heapq
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from bot.news.stories.aliases import COUNTRY_ALIASES, is_bloc
from bot.news.stories.commonplace import geography, ordinary_keys
from bot.news.stories.compare import (
    MIN_SHARED,
    Story,
    Weights,
    compare_keys,
    idf,
    meaning_may_decide,
    similarity,
    threshold,
)
from bot.news.stories.features import Features
from bot.news.stories.kinds import SUMMIT

# A small story asked again (`rehome`) joins a story only if each of its reports passes
# the bar this far: the bar itself let a follow-up (mines inspected after a collapse)
# join the event it followed. Tried again on 2026-12-07 with the bar alone (margin 0):
# the sets tuned on gained (hard cases' recall 0.910 -> 0.963, crowded cases' 0.890 ->
# 0.963, precision the same), but the held-out set's precision fell 0.961 -> 0.934, the
# blind scenes' 0.935 -> 0.919, and a seed page's recollection of the two leaders who
# later signed a treaty moved into the treaty's story (tests/test_stories.py). Where
# precision and recall pull apart, precision wins.
LATE_MARGIN = 0.1
# A small story asked again (`rehome`) has at most this many reports, each asked once:
# an event's two or three reports in one language, stored before its reports in the
# other built a story of their own (one round's feeds answer in any order). Bounds of
# 2 to 5 gave the same stories on the sets tuned on; past that a story is no early
# fragment but an event of its own.
MAX_REHOMED = 3


def late_margin(article: Features, story: Story) -> float:
    """How far past the bar a report of a small story must score to join `story` late:
    LATE_MARGIN, but none for a report of a summit (kinds.SUMMIT) and a story of one
    that name the same one: a format or bloc in common, or neither names any (the
    region's consultative meeting). A leader's speech at the summit, under his own
    title, shares few words with the summit's first report and reaches the bar only once
    the summit's story has grown (by 0.03-0.06 on the sets tuned on: crowded cases'
    recall 0.890 -> 0.937, angles' 0.804 -> 0.845, with the summit's formal names and
    the `before` rank; the other sets, tuned on and held out, unchanged). Two summits
    of one week are told apart before this is asked: by their blocs and formats."""
    if article.rank != SUMMIT or not story.ranks[SUMMIT]:
        return LATE_MARGIN
    named = article.blocs | {name for name in article.names if is_bloc(name)}
    same = named & story.blocs if named or story.blocs else True
    return 0.0 if same else LATE_MARGIN
MAX_CANDIDATES = 8  # stories compared with one article (those sharing the rarest keys)
MIN_CANDIDATE_KEYS = 2  # index keys a candidate shares at least: one word is no event
MAX_POSTINGS_PER_KEY = 64  # stories a key leads to in one bucket (the newest)
MAX_POSTINGS = 400  # postings read for one article, its rarest keys first
BUCKETS_PER_WINDOW = 3  # key counts are kept per third of the window
# A story's weighed norm is kept while the window around the article holds the same
# number of articles, give or take this many (weighing all its keys anew for every
# article is slow, and the counts change little).
REWEIGH_EVERY = 50
CAPACITY = 12_000  # articles held at most: the catalog's outlets write ~5,000 in 72 hours


@dataclass
class _Bucket:
    """The articles of one stretch of time: key counts and postings."""

    names: dict[str, int] = field(default_factory=dict)
    words: dict[str, dict[str, int]] = field(default_factory=dict)  # language → stem → count
    sounds: dict[str, int] = field(default_factory=dict)
    total: int = 0
    postings: dict[str, dict[int, None]] = field(default_factory=dict)  # key → stories

    def table(self, part: str) -> dict[str, int]:
        if part == "names":
            return self.names
        return self.sounds if part == "sounds" else self.words.setdefault(part, {})


class _Summed:
    """One part's counts summed over the buckets around an article (looked up lazily,
    each key once)."""

    __slots__ = ("memo", "tables")

    def __init__(self, tables: list[dict[str, int]]) -> None:
        self.tables = tables
        self.memo: dict[str, int] = {}

    def get(self, key: str, default: int = 0, /) -> int:
        found = self.memo.get(key)
        if found is None:
            found = 0
            for table in self.tables:  # a loop: sum() of a generator is twice as slow here
                found += table.get(key, 0)
            self.memo[key] = found
        return found or default


class _View:
    """The window around one time: the buckets it covers (similarity.Window)."""

    def __init__(self, buckets: list[_Bucket], total: int, key: object) -> None:
        self.buckets = buckets
        self.total = total
        self.key = key
        self._parts: dict[str, _Summed] = {}

    def df(self, part: str) -> _Summed:
        summed = self._parts.get(part)
        if summed is None:
            summed = self._parts[part] = _Summed([b.table(part) for b in self.buckets])
        return summed


class StoryIndex:
    """Stories and their articles in memory, found by key and time."""

    def __init__(self, window_seconds: float, capacity: int = CAPACITY) -> None:
        self.window = window_seconds
        self.bucket_seconds = window_seconds / BUCKETS_PER_WINDOW
        self.capacity = capacity
        self.stories: dict[int, Story] = {}
        self.alive: dict[int, int] = {}  # story → its articles held
        self.buckets: dict[int, _Bucket] = {}
        self.held: list[tuple[float, int, int, Features, int | None]] = []  # heap, oldest first
        self.ids: set[int] = set()  # the stored articles held (those added with an id)
        # story → its held articles: sequence number → (stored id, features)
        self.members: dict[int, dict[int, tuple[int | None, Features]]] = {}
        # Stored articles whose meaning was encoded here, by id: for the shell to write.
        self.encoded: dict[int, Features] = {}
        # story → its held articles without a meaning (read from an older version's rows):
        # where there are none, and the new article has its own, nothing needs encoding.
        self.unencoded: dict[int, int] = {}
        self.added = 0
        self.next_story = 1
        # Stories merged into others (`merge`), and the reverse: held articles still
        # name the story they were added to.
        self.moved: dict[int, int] = {}
        self.merged_into: dict[int, list[int]] = {}

    # Time ---------------------------------------------------------------------------

    def _bucket_of(self, at: float) -> int:
        return math.floor(at / self.bucket_seconds)

    def _around(self, at: float) -> Iterator[_Bucket]:
        """The buckets within a window of `at`, each side."""
        middle = self._bucket_of(at)
        for number in range(middle - BUCKETS_PER_WINDOW, middle + BUCKETS_PER_WINDOW + 1):
            bucket = self.buckets.get(number)
            if bucket is not None:
                yield bucket

    def view(self, at: float) -> _View:
        """The window around `at` as similarity reads it."""
        buckets = list(self._around(at))
        total = sum(b.total for b in buckets)
        return _View(buckets, total, (self._bucket_of(at), total // REWEIGH_EVERY))

    def _near(self, article: Features, story: Story) -> bool:
        """Within a window of the story's first or last report."""
        return story.first_at - self.window <= article.at <= story.last_at + self.window

    # Reading --------------------------------------------------------------------------

    def candidates(
        self, article: Features, view: _View | None = None, exclude: int | None = None
    ) -> list[int]:
        """Stories near the article's time sharing an index key with it: those sharing
        the rarest keys (at most MAX_CANDIDATES; ties to the older story), but `exclude`."""
        view = view or self.view(article.at)
        # Rarest first, and the stories a key leads to gathered only for the keys read:
        # a common word's postings (64 stories a bucket) are the most to gather, and are
        # seldom reached. A key is posted only where it is counted, so a key no article
        # near has (df 0) leads nowhere; one counted but not posted near is passed over.
        weighed: list[tuple[int, str]] = []
        words, sounds, names = view.df(article.language), view.df("sounds"), view.df("names")
        skip = len(article.language) + 3
        for key in article.lookup_keys:
            if key.startswith("w:"):
                df = words.get(key[skip:])
            elif key.startswith("s:"):
                df = sounds.get(key[2:])
            else:
                df = names.get(key)
            if df:
                weighed.append((df, key))
        weighed.sort()
        shared: dict[int, float] = {}
        keys: dict[int, int] = {}
        read = 0
        for df, key in weighed:
            if read >= MAX_POSTINGS:
                break
            stories: set[int] = set()
            for bucket in view.buckets:
                posted = bucket.postings.get(key)
                if posted:
                    stories.update(posted)
            if not stories:
                continue
            weight = idf(df, view.total)
            read += len(stories)
            for story in stories:
                shared[story] = shared.get(story, 0.0) + weight
                keys[story] = keys.get(story, 0) + 1
        near = [
            s
            for s in shared
            if keys[s] >= MIN_CANDIDATE_KEYS and s in self.stories and s != exclude
            and self._near(article, self.stories[s])
        ]  # fmt: skip
        return sorted(near, key=lambda s: (-shared[s], s))[:MAX_CANDIDATES]

    def choose(self, article: Features) -> int | None:
        """The story the article joins, or None for a new one: of the candidates whose
        threshold its similarity passes, the one it passes by most (ties: lower id)."""
        return self.decide(article)[0]

    def decide(
        self,
        article: Features,
        embed: Embed | None = None,
        exclude: int | None = None,
        margin: float = 0.0,
        only: Sequence[int] | None = None,
    ) -> tuple[int | None, Features]:
        """`choose`, first encoding (`embed`) the meanings it needs: the article's and
        those of every held article of each story whose join meaning may decide (the
        stored ones that get theirs are kept in `encoded`, to be written). The article
        comes back with its meaning, if it needed one. `exclude`: a story it may not
        join (its own, asked again); `margin`: how far past the bar it must score;
        `only`: the stories it may join (else its candidates)."""
        view = self.view(article.at)
        weighed: dict[str, Weights] = {}
        if only is None:
            candidates = self.candidates(article, view, exclude)
        else:
            candidates = [s for s in only if s in self.stories and s != exclude]
        if embed is not None and self._lacking(article, candidates):
            article = self._encode(
                article, self._undecided(article, candidates, view, weighed), embed
            )
        best: tuple[float, int] | None = None
        for story in candidates:
            candidate = self.stories[story]
            score = similarity(article, candidate, view, weighed)
            passed = score - threshold(article, candidate)
            if passed >= margin and (best is None or (passed, -story) > (best[0], -best[1])):
                best = (passed, story)
        return (None if best is None else best[1]), article

    def _lacking(self, article: Features, stories: Sequence[int]) -> bool:
        """Whether the article or a held article of `stories` has no meaning yet."""
        return not article.meaning or any(self.unencoded.get(story) for story in stories)

    def _encode(self, article: Features, stories: Sequence[int], embed: Embed) -> Features:
        """The article, and the held articles of `stories`, with their meanings."""
        if not stories:
            return article
        members = [
            (story, number, member)
            for story in stories
            for number, (_id, member) in self.members.get(story, {}).items()
            if not member.meaning
        ]
        texts = ([] if article.meaning else [article.text]) + [m.text for *_, m in members]
        if not texts:
            return article
        vectors = iter(embed(texts))
        if not article.meaning:
            article = dataclasses.replace(article, meaning=next(vectors))
        for (story, number, _member), vector in zip(members, vectors, strict=True):
            self._give_meaning(story, number, vector)
        return article

    def _give_meaning(self, story: int, number: int, vector: bytes) -> None:
        article_id, member = self.members[story][number]
        member = dataclasses.replace(member, meaning=vector)
        self.members[story][number] = (article_id, member)
        self.stories[story].add_meaning(vector)
        self.unencoded[story] -= 1
        if article_id is not None:
            self.encoded[article_id] = member

    def _undecided(
        self,
        article: Features,
        candidates: Sequence[int],
        view: _View,
        weighed: dict[str, Weights],
    ) -> list[int]:
        """The `candidates` whose join with the article its meaning may decide: only
        for these is meaning worth encoding (at 2.5 ms a text)."""
        return [
            story
            for story in candidates
            if meaning_may_decide(
                compare_keys(article, self.stories[story], view, weighed),
                threshold(article, self.stories[story]),
            )
        ]

    def encode(self, articles: Sequence[Features], embed: Embed) -> list[Features]:
        """Encode ahead, in one batch (`embed`, on the text workers), the meanings that
        `decide` is likely to need: of the new `articles` that have an undecided
        candidate or share MIN_SHARED telling names with another of them, and of the
        held articles of those candidates. The articles, with theirs.
        An estimate: `decide` encodes what is still missing, so the stories are the same
        whatever was encoded ahead."""
        if all(a.meaning for a in articles) and not any(self.unencoded.values()):
            return list(articles)  # prepared with their meanings, as the stored ones were
        needed = set(_alike(articles))
        members: dict[tuple[int, int], Features] = {}
        for position, article in enumerate(articles):
            view = self.view(article.at)
            candidates = self.candidates(article, view)
            if not self._lacking(article, candidates):
                continue  # prepared with its meaning, and so are the stories' articles
            for story in self._undecided(article, candidates, view, {}):
                needed.add(position)
                for number, (_id, member) in self.members.get(story, {}).items():
                    if not member.meaning:
                        members[(story, number)] = member
        chosen = sorted(p for p in needed if not articles[p].meaning)
        texts = [articles[p].text for p in chosen] + [m.text for m in members.values()]
        vectors = embed(texts) if texts else []
        encoded = list(articles)
        for position, vector in zip(chosen, vectors, strict=False):
            encoded[position] = dataclasses.replace(articles[position], meaning=vector)
        for (story, number), vector in zip(members, vectors[len(chosen) :], strict=True):
            self._give_meaning(story, number, vector)
        return encoded

    # Writing --------------------------------------------------------------------------

    def add(
        self,
        article: Features,
        story: int,
        first_at: float | None = None,
        article_id: int | None = None,
    ) -> None:
        """Record an article of `story` (loaded from the database, or after `choose`);
        `article_id`: the stored article's, so that `ids` tells what is held."""
        summary = self.stories.get(story)
        if summary is None:
            summary = self.stories[story] = Story(article.at if first_at is None else first_at)
            self.alive[story] = 0
            self.unencoded[story] = 0
        summary.add(article)
        if not article.meaning:
            self.unencoded[story] += 1
        if first_at is not None:
            summary.first_at = min(summary.first_at, first_at)
        self.alive[story] += 1
        self.next_story = max(self.next_story, story + 1)
        bucket = self.buckets.setdefault(self._bucket_of(article.at), _Bucket())
        for key in article.lookup_keys:
            stories = bucket.postings.setdefault(key, {})
            stories.pop(story, None)
            stories[story] = None
            if len(stories) > MAX_POSTINGS_PER_KEY:
                del stories[next(iter(stories))]
        self._count(bucket, article, +1)
        heapq.heappush(self.held, (article.at, self.added, story, article, article_id))
        self.members.setdefault(story, {})[self.added] = (article_id, article)
        if article_id is not None:
            self.ids.add(article_id)
        self.added += 1

    def assign(
        self,
        article: Features,
        new_story: Callable[[], int] | None = None,
        embed: Embed | None = None,
    ) -> int:
        """The article's story: the one `decide` finds, else a new one (`new_story()`, or
        the next number); recorded with `add`."""
        story, article = self.decide(article, embed)
        if story is None:
            if new_story is None:
                story, self.next_story = self.next_story, self.next_story + 1
            else:
                story = new_story()
        self.add(article, story)
        return story

    def rehome(
        self,
        placed: Sequence[tuple[Features, int]],
        embed: Embed | None = None,
        move: Callable[[int, int, int], bool] = lambda _small, _into, _size: True,
    ) -> list[tuple[int, int]]:
        """A small story near the new articles of a story of two or more (`placed`: each
        new article with its story) whose every report now joins that story, by
        LATE_MARGIN past the bar, is merged into it (`merge`), that story keeping its id.
        The small story came first (an odd angle of the event, a feed that answered
        first, an event's reports in one language before those in the other) and the
        event's other reports, arriving after it, built the story it belongs to. So
        stories depend less on the order feeds answer in. A small story has at most
        MAX_REHOMED reports and no more than the story that grew. Only articles whose
        story grew are looked around (a round of unrelated news begins stories of one,
        and costs nothing here); each small story is asked once (at most MAX_CANDIDATES
        per article looked around, MAX_REHOMED comparisons each). `move`: the shell's,
        which stores the move and says whether it could (the database holds no other
        article of the small story than the `size` it was judged by).
        The moves made, (from, to)."""
        moves: list[tuple[int, int]] = []
        asked: set[tuple[int, int]] = set()
        for article, placed_in in placed:
            story = self.moved.get(placed_in, placed_in)
            if self.alive.get(story, 0) < 2:
                continue
            for small in self.candidates(article):
                size = self.alive.get(small, 0)
                if (small, story) in asked or not 0 < size <= min(MAX_REHOMED, self.alive[story]):
                    continue
                asked.add((small, story))
                if small == story or not self._joins_whole(small, story, embed):
                    continue
                if not move(small, story, size):
                    continue
                self.merge(small, story)
                moves.append((small, story))
        return moves

    def _joins_whole(self, small: int, story: int, embed: Embed | None) -> bool:
        """Whether every report of `small` joins `story` by LATE_MARGIN past the bar,
        against that story only: a comparison each, not a search."""
        for _id, member in self.members[small].values():
            margin = late_margin(member, self.stories[story])
            target, _member = self.decide(member, embed, margin=margin, only=[story])
            if target is None:
                return False
        return True

    def merge(self, drop: int, keep: int) -> None:
        """Every held article of story `drop` becomes story `keep`'s (made if not held)."""
        if keep not in self.stories:
            self.stories[keep] = Story(self.stories[drop].first_at)
            self.alive[keep] = self.unencoded[keep] = 0
            self.members[keep] = {}
        into = self.stories[keep]
        for _number, (_id, member) in sorted(self.members[drop].items()):
            into.add(member)
            bucket = self.buckets[self._bucket_of(member.at)]
            for key in member.lookup_keys:
                posted = bucket.postings.get(key)
                if posted is not None and drop in posted:
                    del posted[drop]
                    posted.pop(keep, None)
                    posted[keep] = None
        self.members[keep].update(self.members.pop(drop))
        self.alive[keep] += self.alive.pop(drop)
        self.unencoded[keep] += self.unencoded.pop(drop)
        del self.stories[drop]
        # Held articles name the story they were added to: each id that led to `drop`
        # now leads to `keep`, in one hop.
        sources = [drop, *self.merged_into.pop(drop, [])]
        for source in sources:
            self.moved[source] = keep
        self.merged_into.setdefault(keep, []).extend(sources)

    def forget_oldest(self) -> float | None:
        """Past capacity, forget the oldest articles; the time up to which articles are
        forgotten (None if none were)."""
        forgotten = None
        while len(self.held) > self.capacity or (
            forgotten is not None and self.held and self.held[0][0] <= forgotten
        ):
            at, number, story, article, article_id = heapq.heappop(self.held)
            story = self.moved.get(story, story)
            forgotten = at
            _id, member = self.members[story].pop(number)
            if not member.meaning:
                self.unencoded[story] -= 1
            if article_id is not None:
                self.ids.discard(article_id)
            bucket = self.buckets[self._bucket_of(at)]
            self._count(bucket, article, -1)
            if not bucket.total:
                del self.buckets[self._bucket_of(at)]
            self.alive[story] -= 1
            if not self.alive[story]:
                del self.alive[story], self.stories[story], self.members[story]
                del self.unencoded[story]
                for merged in self.merged_into.pop(story, []):
                    del self.moved[merged]
        return forgotten

    def _count(self, bucket: _Bucket, article: Features, step: int) -> None:
        bucket.total += step
        for part, keys, prefix in (
            ("names", article.names, ""),
            (article.language, article.words, f"w:{article.language}:"),
            ("sounds", article.sounds, "s:"),
        ):
            table = bucket.table(part)
            for key in keys:
                count = table.get(key, 0) + step
                if count > 0:
                    table[key] = count
                else:
                    table.pop(key, None)
                    bucket.postings.pop(prefix + key, None)


# Texts -> their meanings (bot.news.stories.meaning.embed, or the text workers').
Embed = Callable[[Sequence[str]], list[bytes]]
MAX_ALIKE = 50  # articles of one group a name is compared among (more: as common as a place)


def _alike(articles: Sequence[Features]) -> list[int]:
    """The articles of one group that share MIN_SHARED telling names (not places or
    commonplaces) with another of it: they may report one event, and meet only once
    stored."""
    common = geography() | ordinary_keys() | COUNTRY_ALIASES
    by_name: dict[str, list[int]] = {}
    for position, article in enumerate(articles):
        for name in article.names - common:
            by_name.setdefault(name, []).append(position)
    shared: dict[tuple[int, int], int] = {}
    for positions in by_name.values():
        if len(positions) > MAX_ALIKE:
            continue
        for i, first in enumerate(positions):
            for second in positions[i + 1 :]:
                shared[(first, second)] = shared.get((first, second), 0) + 1
    return sorted({p for pair, count in shared.items() if count >= MIN_SHARED for p in pair})
