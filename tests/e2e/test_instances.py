"""Two `newsbot run` processes on one PostgreSQL database: each digest goes out once.

Both run in webhook mode behind one URL (as two dynos behind a router; here the
stand-in's webhook reaches the first), and both run the ingest and digest jobs.
Planning is compare-and-set on the chat's schedule and sending is claimed with
`FOR UPDATE SKIP LOCKED` and a lease, so the two share the work without overlap.
"""

from __future__ import annotations

import bisect
import concurrent.futures
import datetime as dt
import json
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

from bot.standin.bot_api import FakeBotApi
from storage import repo
from tests.e2e.conftest import SCHEDULE_STARTS
from tests.e2e.harness import (
    ONE_ARTICLE_SNAPSHOT,
    BotProcess,
    Chat,
    FakeClock,
    add_subscribers,
    all_digests_sent,
    free_port,
    next_local,
    post_json,
    read_db,
    wait_until,
)

# Per-chat pacing is part of what these tests check: Telegram's real pace.
pytestmark = pytest.mark.telegram_pace

SUBSCRIBERS = 2_000
FIRST_CHAT = 40_000
CONCURRENCY = 16
SHARE_LINE = "2 instance(s) share the send cap of 600/s: 300/s here"


def _instances(bot_env: dict[str, str], db_url: str) -> tuple[dict[str, str], dict[str, str]]:
    if not db_url.startswith("postgresql"):
        pytest.skip("several instances need PostgreSQL: a SQLite file serves one process")
    first_port, second_port = free_port(), free_port()
    shared = {
        **bot_env,
        "WEBHOOK_URL": f"http://127.0.0.1:{first_port}/hook",
        "WEBHOOK_LISTEN": "127.0.0.1",
        "WEBHOOK_SECRET": "two-instances",
        "SEND_RATE_PER_SECOND": "600",  # the bot's total: 300/s for each of the two
        "SEND_CONCURRENCY": str(CONCURRENCY),
    }
    return {**shared, "WEBHOOK_PORT": str(first_port)}, {
        **shared,
        "WEBHOOK_PORT": str(second_port),
    }


def _answers_health(env: dict[str, str]) -> bool:
    try:
        url = f"http://127.0.0.1:{env['WEBHOOK_PORT']}/healthz"
        with urllib.request.urlopen(url, timeout=1) as answer:
            return bool(answer.status == 200)
    except OSError:
        return False


def _due_tomorrow(clock: FakeClock) -> dt.datetime:
    return next_local(clock.now, "Asia/Almaty", dt.time(9, 0))  # 09:00 Almaty


def _start_two(
    api: FakeBotApi, bot_env: dict[str, str], clock: FakeClock, db_url: str, tmp_path: Path
) -> tuple[BotProcess, BotProcess, dt.datetime]:
    """SUBSCRIBERS chats due tomorrow, a snapshot in the folder both instances watch
    (a shared volume; both ingest it as they start), and the two instances running."""
    first_env, second_env = _instances(bot_env, db_url)
    due = _due_tomorrow(clock)
    add_subscribers(db_url, range(FIRST_CHAT, FIRST_CHAT + SUBSCRIBERS), due)
    folder = Path(first_env["SNAPSHOT_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "shared.txt").write_text(ONE_ARTICLE_SNAPSHOT, encoding="utf-8")
    first = BotProcess(api, first_env, tmp_path / "first.log").start()
    second = BotProcess(api, second_env, tmp_path / "second.log").start()
    # Digest time comes once each has seen the other (a heartbeat, at most 5 s):
    # an instance keeps what it claimed while it was alone.
    wait_until(
        lambda: all(SHARE_LINE in p.log() for p in (first, second)),
        "both instances to share the send cap",
    )
    return first, second, due


def _received(api: FakeBotApi) -> Counter[int]:
    return Counter(m.chat_id for m in api.sent if m.chat_id >= FIRST_CHAT)


# An evening start (the default is 10:00 UTC): Almaty's next morning is the same UTC day.
@pytest.mark.parametrize("start", [SCHEDULE_STARTS[2]])
def test_two_instances_send_every_digest_exactly_once(
    api: FakeBotApi, bot_env: dict[str, str], clock: FakeClock, db_url: str, tmp_path: Path
) -> None:
    articles = read_db(db_url, lambda s: repo.count_articles(session=s))
    first, second, due = _start_two(api, bot_env, clock, db_url, tmp_path)
    try:
        wait_until(
            lambda: all("ingest:" in p.log() for p in (first, second)), "both to ingest the folder"
        )
        assert read_db(db_url, lambda s: repo.count_articles(session=s)) == articles + 1
        clock.set(due)
        rows = wait_until(
            lambda: all_digests_sent(db_url, SUBSCRIBERS), "every digest to be sent", timeout=120
        )
        # Updates still reach the bot (through the first instance's webhook).
        assert Chat(api, 1).send("/help")[0].text.startswith("<b>newsbot</b>")
    finally:
        assert first.stop() == 0
        assert second.stop() == 0

    parts = {r.chat_id: len(r.message_ids.split(",")) for r in rows}
    assert len(parts) == SUBSCRIBERS  # one ledger row per chat: nobody planned twice
    assert _received(api) == Counter(parts)  # exactly its digest's parts, nothing twice
    for chat in list(parts)[:50]:
        texts = [m.text for m in api.sent if m.chat_id == chat]
        assert len(set(texts)) == len(texts) and "news digest" in texts[0]
    arrivals = sorted(m.at for m in api.sent)  # the send cap was split, not doubled
    busiest = max(bisect.bisect_right(arrivals, t + 1.0) - i for i, t in enumerate(arrivals))
    print(f"busiest one-second window, both instances together: {busiest} messages")
    assert busiest <= 600
    workers = Counter(r.claimed_by for r in rows)
    assert len(workers) == 2, workers  # both instances did part of the sending
    print(f"digests sent by instance: {dict(workers)}")


def test_killing_one_instance_mid_run_lets_the_other_finish(
    api: FakeBotApi, bot_env: dict[str, str], clock: FakeClock, db_url: str, tmp_path: Path
) -> None:
    first, second, due = _start_two(api, bot_env, clock, db_url, tmp_path)
    try:
        clock.set(due)
        wait_until(lambda: len(api.sent) >= 600, "the run to be under way")
        first.kill()  # SIGKILL: its claimed rows keep their lease until it runs out
        sent_at_kill = len(api.sent)
        rows = wait_until(
            lambda: all_digests_sent(db_url, SUBSCRIBERS), "the survivor to finish", timeout=120
        )
    finally:
        assert second.stop() == 0

    parts = {r.chat_id: len(r.message_ids.split(",")) for r in rows}
    received = _received(api)
    assert set(received) == set(parts) and len(parts) == SUBSCRIBERS
    assert all(received[chat] >= parts[chat] for chat in parts)
    repeated = sum(received.values()) - sum(parts.values())
    print(f"first instance killed after {sent_at_kill} messages; {repeated} sent twice")
    # Only a send in flight at the kill can repeat (one per SEND_CONCURRENCY slot).
    assert repeated <= CONCURRENCY
    assert sent_at_kill < sum(received.values())
    survivor = second.log()
    assert "digest run" in survivor and "Traceback" not in survivor


def test_a_redelivered_update_is_handled_once_across_instances(
    api: FakeBotApi, bot_env: dict[str, str], db_url: str, tmp_path: Path
) -> None:
    """Telegram's copy of an update reaches the other instance (a load balancer's choice)."""
    first_env, second_env = _instances(bot_env, db_url)
    first = BotProcess(api, first_env, tmp_path / "first.log").start()
    # The stand-in's webhook points at the first; the second is reached directly.
    second = BotProcess(api, second_env, tmp_path / "second.log").start(wait=False)
    try:
        wait_until(lambda: _answers_health(second_env), "the second instance to serve")
        secret = {"X-Telegram-Bot-Api-Secret-Token": first_env["WEBHOOK_SECRET"]}
        urls = [f"http://127.0.0.1:{env['WEBHOOK_PORT']}/hook" for env in (first_env, second_env)]

        # One after the other: the first handles it, the copy to the second is acknowledged.
        update = json.dumps({"update_id": 70_001, "message": api.user_message(61, "/start")})
        assert post_json(urls[0], update.encode(), secret) == (200, {"ok": True})
        assert post_json(urls[1], update.encode(), secret) == (200, {"ok": True})

        # At the same moment: one handles it; the other says "not yet" or, if the first
        # was already done, "ok"; Telegram's next copy is then acknowledged.
        update = json.dumps({"update_id": 70_002, "message": api.user_message(62, "/start")})
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            answers = list(pool.map(lambda url: post_json(url, update.encode(), secret), urls))
        assert sorted(status for status, _ in answers) in ([200, 200], [200, 503])
        for url in urls:
            assert post_json(url, update.encode(), secret) == (200, {"ok": True})

        for chat_id in (61, 62):  # each /start answered exactly once
            wait_until(lambda chat_id=chat_id: api.messages_to(chat_id), "the welcome")
        Chat(api, 61).send("/help")  # handled in order after anything still pending
        assert len(api.messages_to(61)) == 2 and len(api.messages_to(62)) == 1
    finally:
        assert first.stop() == 0 and second.stop() == 0
