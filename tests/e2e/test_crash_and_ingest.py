"""A SIGKILL in the middle of a digest run loses nothing; a dropped snapshot reaches the digest."""

from __future__ import annotations

import datetime as dt
import itertools
import time
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
    next_local,
    read_db,
    wait_until,
)

# Per-chat pacing is part of what these tests check: Telegram's real pace.
pytestmark = pytest.mark.telegram_pace

SUBSCRIBERS = 300
CONCURRENCY = 8
FIRST_CHAT = 20_000


# Two starts: a 300-chat run is long, and its hour-dependence is that of the planner.
@pytest.mark.parametrize("start", [SCHEDULE_STARTS[0], SCHEDULE_STARTS[3]])
def test_sigkill_mid_run_loses_no_digest(
    api: FakeBotApi, bot_env: dict[str, str], clock: FakeClock, db_url: str, tmp_path: Path
) -> None:
    due = next_local(clock.now, "Asia/Almaty", dt.time(9, 0))  # 09:00 Almaty
    add_subscribers(db_url, range(FIRST_CHAT, FIRST_CHAT + SUBSCRIBERS), due)
    env = {**bot_env, "SEND_RATE_PER_SECOND": "60", "SEND_CONCURRENCY": str(CONCURRENCY)}
    first = BotProcess(api, env, tmp_path / "first.log").start()
    clock.set(due)
    wait_until(lambda: len(api.sent) >= 120, "the run to be under way")
    first.kill()
    sent_at_kill = len(api.sent)

    second = BotProcess(api, env, tmp_path / "second.log").start()
    try:
        rows = wait_until(
            lambda: all_digests_sent(db_url, SUBSCRIBERS),
            "every digest to be delivered",
            timeout=60,
        )
    finally:
        second.stop()

    assert len(rows) == SUBSCRIBERS  # one ledger row per chat: no digest planned twice
    received = Counter(m.chat_id for m in api.sent if m.chat_id >= FIRST_CHAT)
    parts = {r.chat_id: len(r.message_ids.split(",")) for r in rows}
    assert set(received) == set(parts)  # every chat got its digest
    assert all(received[chat] >= parts[chat] for chat in parts)
    repeated = sum(received.values()) - sum(parts.values())
    print(f"killed after {sent_at_kill} messages; {repeated} sent twice")
    assert 0 <= repeated <= CONCURRENCY, f"{repeated} messages sent twice"
    assert sent_at_kill < sum(received.values())  # the second process did finish the run
    for chat in parts:  # and the copies are of the same text, never two different digests
        texts = [m.text for m in api.sent if m.chat_id == chat]
        assert len(set(texts)) == parts[chat]
    # Telegram's per-chat limit: the parts of one digest arrive at least a second apart.
    multi = [chat for chat in parts if parts[chat] > 1]
    assert multi
    for chat in multi:
        arrivals = [m.at for m in api.sent if m.chat_id == chat]
        assert all(b - a >= 1.0 for a, b in itertools.pairwise(arrivals)), chat


@pytest.mark.parametrize("start", SCHEDULE_STARTS)
def test_dropped_snapshot_reaches_the_next_digest(
    api: FakeBotApi, bot: BotProcess, clock: FakeClock, db_url: str, bot_env: dict[str, str]
) -> None:
    chat = Chat(api, 811)
    chat.send("/start")
    chat.send("/country kz")
    clock.set(next_local(clock.now, "Asia/Almaty", dt.time(9, 0)))
    wait_until(lambda: [m for m in chat.received() if "news digest" in m.text], "first digest")
    before = read_db(db_url, lambda s: repo.count_articles(session=s))

    folder = Path(bot_env["SNAPSHOT_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "incoming.txt.part").write_text(
        ONE_ARTICLE_SNAPSHOT[:200], encoding="utf-8"
    )  # being written
    time.sleep(1.0)
    assert read_db(db_url, lambda s: repo.count_articles(session=s)) == before
    (folder / "incoming.txt.part").rename(folder / "incoming.txt")
    (folder / "incoming.txt").write_text(ONE_ARTICLE_SNAPSHOT, encoding="utf-8")
    wait_until(
        lambda: read_db(db_url, lambda s: repo.count_articles(session=s)) == before + 1,
        "the snapshot to be ingested",
    )
    seen = len(chat.received())
    clock.set(clock.now + dt.timedelta(days=1))
    wait_until(lambda: chat.received()[seen:], "the next digest")
    [digest] = chat.received()[seen:]
    assert "Kazakhstan Opens a Hydrogen Research Centre in Karaganda" in digest.text
    # Only the new article: the digest header, the country, one title, the rates.
    assert digest.text.count("<b>") == 4 and "Israel" not in digest.text
    assert "ingest: 1 new snapshots" in bot.log()
