"""The delivery ledger under competing instances, on SQLite and PostgreSQL.

Two sessions stand for two `newsbot run` processes sharing one database."""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass

from sqlalchemy import insert
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot import prefs as rules
from storage import digests, instances, subscribers
from storage.db import open_session
from storage.models import DigestDelivery, Subscriber

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
LEASE = dt.timedelta(seconds=60)


def _pending_rows(engine: Engine, count: int) -> None:
    with engine.begin() as connection:
        connection.execute(
            insert(DigestDelivery),
            [
                {
                    "chat_id": 1000 + i,
                    "due_at": NOW,
                    "state": "pending",
                    "messages": [f"digest {i}"],
                    "next_attempt_at": NOW,
                }
                for i in range(count)
            ],
        )


def _claim(
    engine: Engine,
    limit: int,
    *,
    hold: threading.Event | None = None,
    at: dt.datetime = NOW,
    claimant: str = "a",
) -> list[int]:
    with open_session(engine) as session, session.begin():
        claimed = digests.claim_deliveries(
            session=session, wall_now=at, now=at, lease=LEASE, limit=limit, claimant=claimant
        )
        if hold is not None:
            hold.wait(timeout=10)  # keep the transaction open while the rival claims
    return [d.id for d in claimed]


def test_competing_claims_share_the_rows_without_overlap(engine: Engine) -> None:
    _pending_rows(engine, 100)
    release = threading.Event()
    first: list[int] = []
    holder = threading.Thread(target=lambda: first.extend(_claim(engine, 60, hold=release)))
    holder.start()
    try:
        # Give the first claimant time to lock (PostgreSQL) or lease (SQLite) its rows.
        time.sleep(0.5)
        rival: list[int] = []
        other = threading.Thread(target=lambda: rival.extend(_claim(engine, 100)))
        other.start()
        time.sleep(0.5)
    finally:
        release.set()
        holder.join()
    other.join()
    assert len(first) == 60
    assert not set(first) & set(rival)
    # The rival got the 40 rows nobody held (PostgreSQL skips locked rows at once;
    # SQLite's rival waits for the write lock, then finds 60 rows leased).
    assert len(rival) == 40
    assert _claim(engine, 100) == []  # everything is leased now


def test_a_lease_renewed_in_time_is_kept_and_an_expired_one_is_lost(engine: Engine) -> None:
    _pending_rows(engine, 3)
    first, second, third = _claim(engine, 10, claimant="a")
    later = NOW + LEASE * 2 / 3
    with open_session(engine) as session, session.begin():  # "a" renews two of its three
        kept = digests.renew_leases(
            session=session, ids=[first, second], claimant="a", until=later + LEASE
        )
    assert kept == {first, second}
    # Past the first lease: "b" may take over only the row that was not renewed.
    assert _claim(engine, 10, at=NOW + LEASE + dt.timedelta(seconds=1), claimant="b") == [third]
    with open_session(engine) as session, session.begin():
        assert (
            digests.renew_leases(session=session, ids=[third], claimant="a", until=later) == set()
        )

        def record(claimant: str) -> bool:
            return digests.record_part(
                session=session, delivery_id=third, message_id=1, lease_until=later,
                claimant=claimant, last=True,
            )  # fmt: skip

        assert not record("a")  # "a" stalled and lost it: its record is refused
        assert record("b")
    with open_session(engine) as session:
        row = session.get(DigestDelivery, third)
    assert row is not None and (row.state, row.parts_sent, row.claimed_by) == ("sent", 1, "b")


@dataclass(frozen=True)
class Plan:
    chat_id: int
    planned_from: dt.datetime
    due_at: dt.datetime
    next_digest_at: dt.datetime
    messages: tuple[str, ...]
    through_article_id: int | None = 5
    previous_cursor: int | None = None
    skipped: bool = False
    thread_id: int | None = None


def test_two_planners_of_one_chat_write_one_digest(engine: Engine) -> None:
    with open_session(engine) as session, session.begin():
        fresh = rules.new_chat(7, "private", dt.time(9, 0), "Asia/Almaty", now=NOW)
        subscribers.change_chat(
            session=session,
            chat_id=7,
            create=fresh,
            change=lambda p: rules.set_countries(p, ("KZ",), NOW - dt.timedelta(hours=1)),
        )
    with open_session(engine) as session:
        planned_from = session.exec(select(Subscriber.next_digest_at)).one()
    assert planned_from is not None
    plan = Plan(7, planned_from, planned_from, planned_from + dt.timedelta(days=1), ("hi",))
    recorded = []
    for _ in range(2):  # the second instance planned from the same, now stale, state
        with open_session(engine) as session, session.begin():
            run = digests.start_run(session=session, started_at=NOW)
            recorded.append(
                digests.record_plans(
                    session=session, run_id=run, plans=[plan], wall_now=NOW, now=NOW
                )
            )
    assert recorded == [1, 0]
    with open_session(engine) as session:
        rows = session.exec(select(DigestDelivery)).all()
        chat = session.get(Subscriber, 7)
    assert [(r.chat_id, r.messages) for r in rows] == [(7, ["hi"])]
    assert chat is not None and chat.next_digest_at == plan.next_digest_at


def test_instances_count_each_other_by_heartbeat(engine: Engine) -> None:
    def beat(name: str, at: dt.datetime) -> int:
        with open_session(engine) as session, session.begin():
            window = dt.timedelta(seconds=15)
            return instances.heartbeat(session=session, name=name, now=at, live_since=at - window)

    assert beat("a", NOW) == 1
    assert beat("b", NOW + dt.timedelta(seconds=2)) == 2
    assert beat("a", NOW + dt.timedelta(seconds=5)) == 2
    # "b" stopped beating (killed): after two missed beats it no longer takes a share.
    assert beat("a", NOW + dt.timedelta(seconds=20)) == 1
    assert beat("b", NOW + dt.timedelta(seconds=21)) == 2  # it came back
    with open_session(engine) as session, session.begin():
        instances.leave(session=session, name="b")  # a clean stop
    assert beat("a", NOW + dt.timedelta(seconds=22)) == 1
