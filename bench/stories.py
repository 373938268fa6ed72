"""Stories: how well articles about one event come together, and what it costs.

Three parts, each printed:
  1. Our own fixtures (tests/stories/articles.jsonl: events reported by several
     outlets in English and Russian, and hard distractors): pairwise precision and
     recall over articles, and recall over English–Russian pairs.
     Targets: precision >= 0.95, recall >= 0.90, English–Russian recall >= 0.75.
     The same for tests/stories/heldout.jsonl, written in the same shapes after the
     rules were tuned; no threshold is tuned on it. Each set is also stored as one
     fetch round would store it (feeds in five random orders): each feed on its own,
     as the writer gathers it, and as a round five transactions big, cut by the
     feeds' order (the writer until 2026-12-07) and by time (`store_by_time`).
  2. The UCI News Aggregator headlines (../shared/eval/uci_stories_dev.csv, read in
     place): B-cubed precision (target >= 0.95) and recall; both must beat the
     issue's single-pass TF-IDF title clusterer (cosine against story centroids,
     threshold 0.2: 0.944 / 0.276), and our own run of such a clusterer is printed
     beside (it sees no time window and knows every headline's idf in advance).
  3. The cost: articles/s through the clustering step with 100,000 articles stored
     before and 5,000 in the window (timed without memory tracing, which would slow
     it several times over), and the memory the index holds, measured after.

    python bench/stories.py [--uci PATH] [--articles 100000] [--window 5000]

Articles go through the same `features` and `StoryIndex` the ingest uses
(bot.news.stories). The last line says which targets hold.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import itertools
import json
import math
import random
import resource
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.news.store import GROUP_ARTICLES
from bot.news.stories import Features, StoryIndex, features
from bot.news.stories.meaning import embed
from bot.news.text import terms

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "stories" / "articles.jsonl"
# Written after the rules were tuned, by a colleague who had not read them; no threshold
# is tuned on it: how the rules do on events they were not shaped by.
HELD_OUT = ROOT / "tests" / "stories" / "heldout.jsonl"
# Tuned on, beside FIXTURES: the hard sorts of the issue "stories that hold on real
# reports" (two meetings in one capital in one week, a meeting beside a summit, a visit
# announced and the visit, one outlet's two events and one event's update, English and
# Russian written apart), by a colleague, on invented events.
HARD_CASES = ROOT / "tests" / "stories" / "hard_cases.jsonl"
# Tuned on too: crowded scenes and reports of one event that differ in angle, written by a
# colleague blind to the rules (2026-12-07), beside the blind HELD_OUT_SCENES.
CROWDED_CASES = ROOT / "tests" / "stories" / "crowded_cases.jsonl"
# Tuned on from its first measure: fourteen events told from other angles (a survivor, a
# profile, an explainer, a reaction the next morning) among same-week distractors,
# written by a colleague blind to the rules (2026-12-07). First measured at precision
# 0.950, recall 0.770, English-Russian 0.772, before any change for it.
ANGLES_CASES = ROOT / "tests" / "stories" / "angles_cases.jsonl"
# Written blind to the rules, on real events of 2023-2025 from 53 outlets, measured once
# before any change for it and never tuned on (tests/stories/heldout_real.md).
HELD_OUT_REAL = ROOT / "tests" / "stories" / "heldout_real.jsonl"
# Written blind to the rules (2026-12-07) on crowded scenes: two summits in one capital
# four days apart, a bilateral beside one, visits announced and made, one outlet's two
# events, follow-ups; measured once, never tuned on (tests/stories/README.md).
HELD_OUT_SCENES = ROOT / "tests" / "stories" / "heldout_scenes.jsonl"
UCI = ROOT.parent / "shared" / "eval" / "uci_stories_dev.csv"
WINDOW = dt.timedelta(hours=72).total_seconds()
# B-cubed precision and recall of the single-pass TF-IDF clusterer the issue describes.
ISSUE_BASELINE = (0.944, 0.276)
ROUND_ORDERS = 5  # random orders of the outlets' feeds for the one-round figures


def pairwise(truth: Sequence[str], found: Sequence[int]) -> tuple[float, float]:
    """Precision and recall over pairs of articles put together."""
    together_true = together_found = both = 0
    for i, j in itertools.combinations(range(len(truth)), 2):
        same_true, same_found = truth[i] == truth[j], found[i] == found[j]
        together_true += same_true
        together_found += same_found
        both += same_true and same_found
    return both / max(together_found, 1), both / max(together_true, 1)


def bcubed(truth: Sequence[str], found: Sequence[int]) -> tuple[float, float]:
    by_truth: dict[str, set[int]] = defaultdict(set)
    by_found: dict[int, set[int]] = defaultdict(set)
    for index, (t, f) in enumerate(zip(truth, found, strict=True)):
        by_truth[t].add(index)
        by_found[f].add(index)
    precision = recall = 0.0
    for t, f in zip(truth, found, strict=True):
        common = len(by_truth[t] & by_found[f])
        precision += common / len(by_found[f])
        recall += common / len(by_truth[t])
    return precision / len(truth), recall / len(truth)


def published(row: dict[str, str]) -> float:
    """A row's time: its `published` read with its offset (the rows' offsets differ, so
    their text does not sort by time)."""
    return dt.datetime.fromisoformat(row["published"]).timestamp()


def read_rows(path: Path) -> list[Features]:
    """Each fixture article's features, by time."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    rows.sort(key=published)
    return [
        features(row["title"], row["body"], row["language"], published(row), row["outlet"])
        for row in rows
    ]  # fmt: skip


class Encoder:
    """Meanings as the ingest encodes them (only where they may decide a join), every
    text the bench may ask for encoded in one batch up front."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.vectors = dict(zip(texts, embed(list(texts)), strict=True))
        self.asked = 0

    def __call__(self, texts: Sequence[str]) -> list[bytes]:
        self.asked += len(texts)
        return [self.vectors[text] for text in texts]


def assign_as_ingest(articles: Sequence[Features]) -> tuple[list[int], int]:
    """Each article's story, one at a time as it arrives, meanings encoded where they
    may decide (StoryIndex.decide); and how many meanings were encoded."""
    index = StoryIndex(WINDOW)
    encoder = Encoder([article.text for article in articles])
    found = []
    for article in articles:  # one transaction each, as a live bot's rounds are
        found.append(index.assign(article, embed=encoder))
        found = _moved(found, index.rehome([(article, found[-1])], embed=encoder))
    return found, encoder.asked


def _moved(found: list[int], moves: Sequence[tuple[int, int]]) -> list[int]:
    """Stories after `StoryIndex.rehome` merged lone ones into others."""
    for lone, into in moves:
        found = [into if story == lone else story for story in found]
    return found


def assign_by_outlet(articles: Sequence[Features], seed: int) -> list[int]:
    """Each article's story as one fetch round of every outlet's feed would give them
    stored one feed at a time: the outlets in a random order (the order their feeds
    answer), each outlet's articles one batch, matched oldest first as the writer does."""
    return _assign_in_groups(articles, _answered(articles, seed))


def assign_gathered(
    articles: Sequence[Features], seed: int, group: int = GROUP_ARTICLES, by_time: bool = True
) -> list[int]:
    """Each article's story as the fetch round's writer stores one round: the feeds'
    batches in a random order, gathered (bot.sources.fetch_round.GroupWriter), stored in
    transactions of up to `group` articles, oldest first across the feeds
    (bot.news.store.store_by_time), or with `by_time` False in the order the feeds came
    (the writer until 2026-12-07, whose transactions held whole feeds), each
    transaction's articles matched oldest first."""
    arrived = [i for batch in _answered(articles, seed) for i in batch]
    if by_time:
        arrived.sort(key=lambda i: articles[i].at)
    groups = [arrived[start : start + group] for start in range(0, len(arrived), group)]
    return _assign_in_groups(articles, groups)


def _answered(articles: Sequence[Features], seed: int) -> list[list[int]]:
    """Each outlet's articles (their places), the outlets in a random order."""
    outlets = sorted({article.outlet for article in articles})
    random.Random(seed).shuffle(outlets)
    return [[i for i, a in enumerate(articles) if a.outlet == outlet] for outlet in outlets]


def _assign_in_groups(articles: Sequence[Features], groups: Sequence[list[int]]) -> list[int]:
    """Each article's story, the groups stored one after another (a transaction each),
    a group's articles matched oldest first, each followed by its small stories' moves
    (bot.news.story_window.assign_stories)."""
    index = StoryIndex(WINDOW)
    encoder = Encoder([article.text for article in articles])
    found: dict[int, int] = {}
    for group in groups:
        for i in sorted(group, key=lambda i: articles[i].at):
            found[i] = index.assign(articles[i], embed=encoder)
            for lone, into in index.rehome([(articles[i], found[i])], embed=encoder):
                found = {n: into if story == lone else story for n, story in found.items()}
    return [found[i] for i in range(len(articles))]


def english_russian(rows: Sequence[dict[str, str]], found: Sequence[int]) -> tuple[float, int]:
    """Recall over the pairs of one event's articles in different languages; the pairs."""
    together = both = 0
    for i, j in itertools.combinations(range(len(rows)), 2):
        if rows[i]["event"] == rows[j]["event"] and rows[i]["language"] != rows[j]["language"]:
            together += 1
            both += found[i] == found[j]
    return both / max(together, 1), together


def fixtures(path: Path, name: str = "fixtures") -> dict[str, bool]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    rows.sort(key=published)
    found, encoded = assign_as_ingest(read_rows(path))
    truth = [r["event"] for r in rows]
    precision, recall = pairwise(truth, found)
    cross_true = cross_both = 0
    for i, j in itertools.combinations(range(len(rows)), 2):
        if truth[i] == truth[j] and rows[i]["language"] != rows[j]["language"]:
            cross_true += 1
            cross_both += found[i] == found[j]
    events = len(set(truth))
    print(f"{name}: {len(rows)} articles, {events} events/distractors, {len(set(found))} stories"
          f" ({encoded} meanings encoded)")  # fmt: skip
    print(f"  pairwise precision {precision:.3f}  recall {recall:.3f}   (targets 0.95 / 0.90)")
    print(f"  English-Russian pair recall {cross_both / max(cross_true, 1):.3f} over "
          f"{cross_true} pairs   (target 0.75)")  # fmt: skip
    wrong: Counter[tuple[str, str]] = Counter()
    for i, j in itertools.combinations(range(len(rows)), 2):
        if found[i] == found[j] and truth[i] != truth[j]:
            wrong[(truth[i], truth[j])] += 1
    for (a, b), n in wrong.most_common(5):
        print(f"  joined wrongly: {a} + {b} ({n} pairs)")
    # The same articles fetched in one round (the issue's second way): outlet by outlet,
    # the worst case, and as the round's writer gathers the feeds' batches.
    orders = range(ROUND_ORDERS)
    _print_rounds(f"each outlet's feed stored on its own ({ROUND_ORDERS} random orders)",
                  [assign_by_outlet(read_rows(path), seed) for seed in orders], rows)
    _print_rounds(f"as the writer gathers it (transactions of {GROUP_ARTICLES} articles)",
                  [assign_gathered(read_rows(path), seed) for seed in orders], rows)
    # A round five transactions big (a first fetch of the whole catalog): its
    # transactions cut in the order the feeds came, as until 2026-12-07, and by time.
    fifth = -(-len(rows) // 5)
    for by_time, cut in ((False, "by the feeds' order"), (True, "by time")):
        _print_rounds(f"five transactions of {fifth} articles, cut {cut}",
                      [assign_gathered(read_rows(path), seed, fifth, by_time) for seed in orders],
                      rows)  # fmt: skip
    return {
        f"{name} precision": precision >= 0.95,
        f"{name} recall": recall >= 0.90,
        f"{name} English-Russian recall": cross_both / max(cross_true, 1) >= 0.75,
    }


def _print_rounds(how: str, rounds: Sequence[list[int]], rows: Sequence[dict[str, str]]) -> None:
    """One round's figures over its orders: the lowest and the mean of each."""
    truth = [row["event"] for row in rows]
    scores = [(*pairwise(truth, r), english_russian(rows, r)[0]) for r in rounds]
    low = [min(score[k] for score in scores) for k in range(3)]
    mean = [sum(score[k] for score in scores) / len(scores) for k in range(3)]
    print(f"  in one round, {how}: precision {low[0]:.3f}-{mean[0]:.3f}"
          f"  recall {low[1]:.3f}-{mean[1]:.3f}  English-Russian {low[2]:.3f}-{mean[2]:.3f}"
          " (lowest-mean)")  # fmt: skip


def tfidf_baseline(titles: Sequence[str], times: Sequence[float]) -> list[int]:
    """Single pass: cosine of TF-IDF title vectors against story centroids, >= 0.2 joins."""
    docs = [Counter(terms(t)) for t in titles]
    df = Counter(term for doc in docs for term in doc)
    n = len(docs)
    vectors = [{k: v * math.log(n / df[k]) for k, v in doc.items()} for doc in docs]
    centroids: list[Counter[str]] = []
    found = []
    for vector in vectors:
        best, best_score = -1, 0.2
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        for story, centroid in enumerate(centroids):
            cnorm = math.sqrt(sum(v * v for v in centroid.values())) or 1.0
            score = sum(v * centroid.get(k, 0.0) for k, v in vector.items()) / (norm * cnorm)
            if score >= best_score:
                best, best_score = story, score
        if best < 0:
            centroids.append(Counter())
            best = len(centroids) - 1
        centroids[best].update(vector)
        found.append(best)
    return found


def uci(path: Path) -> dict[str, bool]:
    with path.open(encoding="utf-8") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda r: int(r["TIMESTAMP"]))
    found, _encoded = assign_as_ingest([
        features(r["TITLE"], "", "en", int(r["TIMESTAMP"]) / 1000, r["PUBLISHER"]) for r in rows
    ])  # fmt: skip
    truth = [r["STORY"] for r in rows]
    precision, recall = bcubed(truth, found)
    base_p, base_r = bcubed(
        truth, tfidf_baseline([r["TITLE"] for r in rows], [int(r["TIMESTAMP"]) for r in rows])
    )
    print(f"UCI headlines: {len(rows)} in {len(set(truth))} aggregator stories")
    print(f"  ours:           B-cubed precision {precision:.3f}  recall {recall:.3f}"
          f"  ({len(set(found))} stories; target precision 0.95)")  # fmt: skip
    print(f"  TF-IDF 0.2:     B-cubed precision {base_p:.3f}  recall {base_r:.3f}"
          "  (ours of the issue's baseline: idf of the whole file known in advance, no"
          " time window)")  # fmt: skip
    print(f"  the issue's baseline on headlines like these: precision {ISSUE_BASELINE[0]}"
          f"  recall {ISSUE_BASELINE[1]} (to beat on both)")  # fmt: skip
    return {
        "UCI precision": precision >= max(0.95, ISSUE_BASELINE[0]),
        "UCI recall": recall > ISSUE_BASELINE[1],
        "UCI recall above our TF-IDF run": recall > base_r,
    }


VOCABULARY = " ".join(
    (
        "treaty border summit gas pipeline dam water grain rail bridge election court verdict",
        "earthquake flood mine tariff loan bank budget parliament minister visit talks deal",
        "investment power plant solar wind wheat cotton migrants visa airport road metro",
    )
).split()
NAMES = " ".join(
    (
        "Astana Almaty Bishkek Osh Dushanbe Khujand Ashgabat Tashkent Samarkand Kabul Tokayev",
        "Japarov Rahmon Mirziyoyev Berdimuhamedov Rogun Manas Aktau Termez Naryn Fergana",
    )
).split()


def throughput(stored: int, window: int) -> dict[str, bool]:
    """`stored` synthetic articles at a steady pace, `window` of them in 72 h."""
    rng = random.Random(7)
    step = WINDOW / window
    events = [
        (rng.sample(VOCABULARY, 4), rng.sample(NAMES, 3), rng.randrange(10, 5000))
        for _ in range(stored // 4)
    ]

    def article(n: int) -> tuple[str, str]:
        words, names, number = events[n // 4 if rng.random() < 0.8 else rng.randrange(len(events))]
        title = f"{names[0]} {' '.join(rng.sample(words, 3))} {names[1]}"
        body = f"{names[2]} and {names[0]} said on Monday the {words[0]} of {number} was agreed."
        return title, body

    texts = [article(n) for n in range(stored)]
    # The texts made up front are the bench's, not the bot's: out of the collector's way,
    # or its passes over them would be timed as clustering.
    gc.collect()
    gc.freeze()
    index = StoryIndex(WINDOW)
    started = time.perf_counter()
    clustered = started
    for n, (title, body) in enumerate(texts):
        if n == stored - 5_000:
            clustered = time.perf_counter()
        index.assign(features(title, body, "en", n * step))
        if n % 100 == 99:  # as the ingest does after each feed's transaction
            index.forget_oldest()
    finished = time.perf_counter()
    rate = 5_000 / (finished - clustered)
    print(f"cost: {stored:,} articles, {window:,} in the 72 h window: the last 5,000 at "
          f"{rate:,.0f} articles/s (target 1,000; features included), all at "
          f"{stored / (finished - started):,.0f}/s; "
          f"the index holds {deep_size(index) / 1e6:.1f} MB "
          f"({len(index.held):,} articles, {len(index.stories):,} stories, "
          f"{sum(len(b.postings) for b in index.buckets.values()):,} postings); process peak "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3:.0f} MB")  # fmt: skip
    return {"speed": rate >= 1_000}


def deep_size(root: object) -> int:
    """Bytes the object holds, everything it refers to counted once (strings included)."""
    seen: set[int] = set()
    stack = [root]
    size = 0
    while stack:
        obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        size += sys.getsizeof(obj)
        if isinstance(obj, dict):
            stack.extend(obj.keys())
            stack.extend(obj.values())
        elif isinstance(obj, list | tuple | set | frozenset):
            stack.extend(obj)
        elif hasattr(obj, "__dict__"):
            stack.append(vars(obj))
        slots: tuple[str, ...] = getattr(type(obj), "__slots__", ())
        stack.extend(getattr(obj, name) for name in slots if hasattr(obj, name))
    return size


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fixtures", type=Path, default=FIXTURES)
    parser.add_argument("--held-out", type=Path, default=HELD_OUT)
    parser.add_argument("--uci", type=Path, default=UCI)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--window", type=int, default=5_000)
    parser.add_argument(
        "--tuning", action="store_true", help="only the sets rules are tuned on (no held-out)"
    )
    args = parser.parse_args(argv)
    held: dict[str, bool] = {}
    if args.fixtures.is_file():
        held |= fixtures(args.fixtures)
    else:
        print(f"fixtures: {args.fixtures} not found")
    held |= fixtures(HARD_CASES, "hard cases")
    if CROWDED_CASES.is_file():
        held |= fixtures(CROWDED_CASES, "crowded cases")
    if ANGLES_CASES.is_file():
        held |= fixtures(ANGLES_CASES, "angles cases")
    if not args.tuning:
        if args.held_out.is_file():
            held |= fixtures(args.held_out, "held-out")
        held |= fixtures(HELD_OUT_REAL, "held-out, real events")
        held |= fixtures(HELD_OUT_SCENES, "held-out, crowded scenes")
    if args.uci.is_file():
        held |= uci(args.uci)
    else:
        print(f"UCI headlines: {args.uci} not found (read in place from ../shared/eval)")
    if args.tuning:
        return
    held |= throughput(args.articles, args.window)
    print(
        "targets: " + ", ".join(f"{name} {'met' if ok else 'MISSED'}" for name, ok in held.items())
    )


if __name__ == "__main__":
    main()
