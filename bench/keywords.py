"""What followed and muted words cost the digest planner and the alert job.

Every chat follows 10 words and mutes 5 (drawn, with a fixed seed, from the
words of the seed articles, so many of them match), and reads two countries.
The candidates are the seed articles, repeated under new ids up to
`--articles`. Printed: the time to plan every chat's digest (one batch cache,
as the planner shares it), the same with no words for scale, and the time to
plan every chat's alerts.

    python bench/keywords.py [--chats 10000] [--articles 300]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot import prefs as rules
from bot import topics
from bot.delivery.alerts import plan_alerts
from bot.delivery.schedule import DigestKey, plan_digest
from bot.news.countries import tag_countries
from bot.news.keywords import ArticleIndex
from bot.news.snapshot import parse_snapshot
from storage.repo import StoredArticle
from storage.subscribers import ChatPrefs

SEEDS = Path(__file__).resolve().parent.parent / "tests" / "seeds"
DUE = dt.datetime(2026, 11, 24, 4, 0, tzinfo=dt.UTC)


def _articles(count: int) -> list[StoredArticle]:
    parsed = [
        article
        for path in sorted(SEEDS.glob("*.txt"))
        for article in parse_snapshot(path.read_text(encoding="utf-8")).articles
    ]
    made = []
    for index in range(count):
        article = parsed[index % len(parsed)]
        made.append(
            StoredArticle(
                id=count - index,
                title=article.title,
                summary=(article.body[:200],),
                countries=tuple(sorted(tag_countries(article.title, article.body))),
                page_date=None,
                first_seen=DUE - dt.timedelta(minutes=index),
                body=article.body,
            )
        )
    return made


def _chats(count: int, articles: list[StoredArticle]) -> list[ChatPrefs]:
    pick = random.Random(7)
    vocabulary = sorted(
        {w.lower() for a in articles[:40] for w in re.findall(r"[A-Za-z]{5,}", a.body)}
    )
    codes = ("KZ", "KG", "TJ", "TM", "UZ", "AF")
    chats = []
    for chat_id in range(count):
        base = rules.new_chat(chat_id, "private", dt.time(9), "Asia/Almaty", now=DUE)
        chat = rules.set_countries(base, tuple(pick.sample(codes, 2)), DUE - dt.timedelta(days=1))
        chat = topics.mute(topics.follow(chat, tuple(pick.sample(vocabulary, 10))),
                           tuple(pick.sample(vocabulary, 5)))  # fmt: skip
        chats.append(replace(chat, next_digest_at=DUE, alerts=True, alert_cursor=0))
    return chats


def _plan_all(chats: list[ChatPrefs], articles: list[StoredArticle]) -> float:
    composed: dict[DigestKey, list[str]] = {}
    started = time.perf_counter()
    index = ArticleIndex(articles)
    for chat in chats:
        plan_digest(
            chat, articles, [], now=DUE, newest_article_id=len(articles),
            grace=dt.timedelta(hours=6), max_per_country=5, composed=composed, index=index,
        )  # fmt: skip
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chats", type=int, default=10_000)
    parser.add_argument("--articles", type=int, default=300)
    args = parser.parse_args()
    articles = _articles(args.articles)
    chats = _chats(args.chats, articles)
    plain = [replace(chat, follows=(), mutes=()) for chat in chats]

    with_words = _plan_all(chats, articles)
    without = _plan_all(plain, articles)
    started = time.perf_counter()
    index = ArticleIndex(articles)
    alerts = sum(
        len(plan_alerts(chat, articles, sent_today=0, cap=10, index=index)) for chat in chats
    )
    alert_seconds = time.perf_counter() - started
    print(f"{args.chats:,} chats, {args.articles} candidates, 10 followed and 5 muted words each:")
    for label, seconds in (("with words", with_words), ("no words", without)):
        rate = args.chats / seconds
        print(f"  digests planned, {label:<11} {seconds:6.2f} s  ({rate:,.0f} chats/s)")
    print(f"  alerts planned               {alert_seconds:6.2f} s  ({alerts:,} alerts)")


if __name__ == "__main__":
    main()
