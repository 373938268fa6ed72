"""Breaking-news alerts: an article matching a followed word, sent as soon as it is in.

`plan_alerts` is the pure decision for one chat; `AlertPlanner` is the job that
runs it every ALERT_TICK_SECONDS for the chats waiting, and writes the alerts to
the delivery ledger, where the dispatcher sends them like digest parts.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Collection, Sequence
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.delivery.digest_jobs import PLAN_AHEAD, Planner
from bot.delivery.schedule import Stories, every_article, stories_of
from bot.news.compose import compose_alert
from bot.news.keywords import ArticleIndex
from bot.prefs import reads
from storage import alerts, digests, repo, stories
from storage.alerts import PlannedAlert
from storage.repo import StoredArticle
from storage.subscribers import ChatPrefs

log = logging.getLogger(__name__)

ALERT_TICK_SECONDS = 20  # an alert is planned within this long of its article's ingest
ALERT_BATCH = 500  # chats planned per transaction
FRESH = dt.timedelta(days=1)  # an alert is news: nothing first seen longer ago
# A chat whose digest is planned within this long waits for it: the digest planner and
# this job never both take the same story (see `storage.alerts.record_alerts` too).
DIGEST_NEAR = PLAN_AHEAD + dt.timedelta(minutes=1)


def local_day_start(now: dt.datetime, zone: str) -> dt.datetime:
    """Midnight of the chat's local day (the daily cap counts from it), in UTC."""
    tz = ZoneInfo(zone)
    return dt.datetime.combine(now.astimezone(tz).date(), dt.time(0), tz).astimezone(dt.UTC)


def plan_alerts(
    prefs: ChatPrefs,
    articles: Sequence[StoredArticle],
    *,
    sent_today: int,
    cap: int,
    index: ArticleIndex | None = None,
    stories: Stories | None = None,
    alerted: Collection[int] = (),
) -> list[PlannedAlert]:
    """The alerts owed to `prefs` for `articles` (any order; the oldest go first):
    one per story, for an article matching a followed word, up to the day's cap.
    A story is left out if any of its articles has a muted word, if it was sent as an
    alert before (`alerted`: story ids), or if a digest gave it already.
    `index`: the words of `articles` and `stories`, or of a batch that holds them;
    `stories`: every article of their stories (None: each article alone)."""
    room = max(cap - sent_today, 0)
    owed: list[PlannedAlert] = []
    if not prefs.follows or room == 0:
        return owed
    index = index if index is not None else ArticleIndex(every_article(articles, stories or {}))
    readable = reads(prefs)
    seen = max(prefs.alert_cursor or 0, prefs.digest_cursor or 0)
    matched: dict[int, tuple[StoredArticle, str]] = {}  # story -> its first new match
    for article in sorted(articles, key=lambda a: a.id):
        if article.id <= seen or article.story in matched:
            continue  # checked for alerts before, or already in a digest
        # Only a followed word earns an alert: a country alone is what digests are for.
        keyword = index.first_keyword(article.id, prefs.follows)
        if keyword is not None and readable(article.language, article.outlet):
            matched[article.story] = (article, keyword)
    new = [article for article, _keyword in matched.values()]
    items = {
        item.story: item
        for item in stories_of(
            prefs, new, stories, index=index, seen_through=prefs.digest_cursor, already=alerted
        )
    }
    for story, (article, keyword) in matched.items():
        if len(owed) == room:
            break
        if story in items:
            message = compose_alert(items[story], keyword, prefs.language, prefs.brevity)
            owed.append(PlannedAlert(article.id, message))
    return owed


class AlertPlanner(Planner):
    async def _tick(self) -> None:
        now = self.clock()
        newest = await self.store.run(lambda s: repo.newest_article_id(session=s))
        if newest is None:
            return
        for _ in range(1_000):  # bounded: each batch moves its chats' cursors on
            planned = await self.store.run(lambda s: self._plan(s, newest, now))
            if not planned:
                break
            written = await self.store.write(
                lambda s, planned=planned: self._record(s, planned, newest, now)  # type: ignore[misc]
            )
            if written:
                log.info("%d alerts planned", written)
                self.on_planned()
            if len(planned) < ALERT_BATCH:
                break

    def _plan(
        self, session: Session, newest: int, now: dt.datetime
    ) -> list[tuple[ChatPrefs, list[PlannedAlert]]]:
        chats = alerts.waiting_chats(session=session, newest_article_id=newest, limit=ALERT_BATCH)
        if not chats:
            return []
        candidates = digests.candidate_articles(
            session=session,
            after_id=min(chat.alert_cursor or 0 for chat in chats),
            first_seen_after=now - FRESH,
        )
        members = stories.story_articles(
            session=session, story_ids={article.story for article in candidates}
        )
        # An alert of one of these stories has an article id at least the story's.
        alerted = alerts.alerted_stories(
            session=session,
            chat_ids=[chat.chat_id for chat in chats],
            after_id=min(members, default=1) - 1,
        )
        index = ArticleIndex(every_article(candidates, members))
        planned = []
        for chat in chats:
            if chat.next_digest_at is not None and chat.next_digest_at <= now + DIGEST_NEAR:
                continue  # its digest is about to be planned: the new stories go there
            mine = [a for a in candidates if a.id > (chat.alert_cursor or 0) and a.id <= newest]
            sent_today = 0
            if mine and chat.follows:
                since = local_day_start(now, chat.timezone)
                sent_today = alerts.alerts_since(session=session, chat_id=chat.chat_id, since=since)
            cap = self.settings.alerts_per_day
            owed = plan_alerts(
                chat, mine, sent_today=sent_today, cap=cap, index=index, stories=members,
                alerted=alerted.get(chat.chat_id, ()),
            )  # fmt: skip
            planned.append((chat, owed))
        return planned

    def _record(
        self,
        session: Session,
        planned: list[tuple[ChatPrefs, list[PlannedAlert]]],
        newest: int,
        now: dt.datetime,
    ) -> int:
        wall = dt.datetime.now(dt.UTC)
        return sum(
            alerts.record_alerts(
                session=session,
                chat=chat,
                through_article_id=newest,
                alerts=owed,
                now=now,
                wall_now=wall,
            )
            for chat, owed in planned
        )
