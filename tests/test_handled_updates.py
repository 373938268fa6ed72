"""Webhook update ids in the database: each update handled once across instances."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Engine

from storage.db import open_session
from storage.updates import KEEP, claim_update, finish_update, forget_updates

NOW = dt.datetime(2026, 12, 1, 21, 30, tzinfo=dt.UTC)
LEASE = dt.timedelta(seconds=60)


def _claim(engine: Engine, update_id: int, who: str, now: dt.datetime = NOW) -> str:
    with open_session(engine) as session, session.begin():
        return claim_update(
            session=session, update_id=update_id, claimant=who, now=now, lease=LEASE
        )


def _finish(engine: Engine, update_id: int) -> None:
    with open_session(engine) as session, session.begin():
        finish_update(session=session, update_id=update_id)


def test_a_copy_is_busy_while_handled_and_done_after(engine: Engine) -> None:
    assert _claim(engine, 5, "a:1") == "handle"
    assert _claim(engine, 5, "b:2") == "busy"  # another instance got Telegram's copy
    assert _claim(engine, 5, "a:1") == "busy"  # a copy to the same instance, too
    _finish(engine, 5)
    assert _claim(engine, 5, "b:2") == "done"
    assert _claim(engine, 6, "b:2") == "handle"  # other updates are not concerned


def test_a_dead_instances_update_is_taken_over_when_its_lease_ends(engine: Engine) -> None:
    assert _claim(engine, 7, "a:1") == "handle"
    assert _claim(engine, 7, "b:2", NOW + LEASE - dt.timedelta(seconds=1)) == "busy"
    assert _claim(engine, 7, "b:2", NOW + LEASE + dt.timedelta(seconds=1)) == "handle"
    assert _claim(engine, 7, "c:3", NOW + LEASE + dt.timedelta(seconds=2)) == "busy"


def test_ids_older_than_any_redelivery_are_forgotten(engine: Engine) -> None:
    assert _claim(engine, 8, "a:1") == "handle"
    _finish(engine, 8)
    later = NOW + KEEP + dt.timedelta(minutes=1)
    with open_session(engine) as session, session.begin():
        forget_updates(session=session, now=later)
    assert _claim(engine, 8, "a:1", later) == "handle"  # no row left: a new id to it


def test_a_released_update_is_free_for_the_next_copy(engine: Engine) -> None:
    from storage.updates import release_update

    assert _claim(engine, 9, "a:1") == "handle"
    with open_session(engine) as session, session.begin():
        release_update(session=session, update_id=9)
    assert _claim(engine, 9, "b:2") == "handle"  # at once, not after the lease
    _finish(engine, 9)
    with open_session(engine) as session, session.begin():
        release_update(session=session, update_id=9)  # a finished one is never released
    assert _claim(engine, 9, "c:3") == "done"
