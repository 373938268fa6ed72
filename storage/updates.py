"""Which webhook updates an instance has taken: Telegram's redeliveries are handled once.

Telegram sends an update again when it got no 200 for it, and behind a load
balancer the copy may reach another instance. The first instance to see an
update claims its id here (a lease, like a digest's); a copy that finds the id
"done" is acknowledged without being handled, one that finds it leased to a
live instance is answered "not yet" (Telegram tries again later), and one that
finds the lease run out (its instance died mid-way) takes the update over.

Time here is the wall clock, passed in: leases measure intervals, not the schedule.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from storage.models import HandledUpdate

Claim = Literal["handle", "done", "busy"]
# Telegram keeps an unconfirmed update for 24 hours: after that no copy comes.
KEEP = dt.timedelta(hours=25)


def claim_update(
    *, session: Session, update_id: int, claimant: str, now: dt.datetime, lease: dt.timedelta
) -> Claim:
    """Take the update for `claimant`, or say why not ("done", "busy")."""
    values = {
        "update_id": update_id,
        "state": "handling",
        "claimed_by": claimant,
        "lease_until": now + lease,
        "received_at": now,
    }
    bind = session.get_bind()
    insert = pg_insert if bind.dialect.name == "postgresql" else sqlite_insert
    inserted = session.execute(
        insert(HandledUpdate)
        .values(values)
        .on_conflict_do_nothing()
        .returning(col(HandledUpdate.update_id))
    ).first()
    if inserted is not None:
        return "handle"
    row = session.exec(
        select(HandledUpdate).where(HandledUpdate.update_id == update_id).with_for_update()
    ).one()
    if row.state == "done":
        return "done"
    if row.lease_until > now:  # being handled (a copy may reach the same instance too)
        return "busy"
    row.claimed_by, row.lease_until = claimant, now + lease  # its instance died: ours now
    session.add(row)
    return "handle"


def finish_update(*, session: Session, update_id: int) -> None:
    row = session.get(HandledUpdate, update_id)
    if row is not None:
        row.state = "done"
        session.add(row)


def release_update(*, session: Session, update_id: int) -> None:
    """Taken but not handled (the bot stopped first): free for Telegram's next copy."""
    session.execute(
        delete(HandledUpdate).where(
            col(HandledUpdate.update_id) == update_id, col(HandledUpdate.state) == "handling"
        )
    )


def forget_updates(*, session: Session, now: dt.datetime) -> None:
    """Drop ids older than any redelivery: the table stays a day's worth."""
    session.execute(delete(HandledUpdate).where(col(HandledUpdate.received_at) < now - KEEP))
