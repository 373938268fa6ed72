"""Store what sources gave, read but not yet prepared, preparing it in the order it is
stored: a fetch round's writer (`bot.sources.fetch_round.GroupWriter`).

A round's articles are stored oldest first across its sources, in transactions of
`group` (`store.cut_by_time`, `store.store_in_order`), so that its stories are those of
its articles day by day whatever order the sources answered in. Preparing an article
(language, summary, tags, story features, meaning: about 8 ms of CPU) is started here,
on the text workers, in that same order, a transaction's articles ahead of the next's:
the writer stores the oldest transaction while the workers prepare the ones after it.
Prepared source by source as they answered, the oldest transaction of a round needs
nearly all of it prepared, and the one writer (a tenth of the round's CPU, and
sequential: each story decision reads the ones before) could only begin once the text
work had ended, on one core of two.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import time
from collections.abc import Callable, Iterator, MutableMapping, Sequence
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from bot.news.articles import PreparedArticle, Publisher, prepare_articles
from bot.news.snapshot import Article
from bot.news.store import (
    GROUP_ARTICLES,
    Batch,
    Stored,
    Transaction,
    cut_by_time,
    part_of,
    store_each,
    store_in_order,
    story_at,
)
from bot.news.story_window import DEFAULT_WINDOW_HOURS
from bot.news.text_work import TextWork

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReadBatch:
    """What one source gave at once, read, its articles not prepared yet."""

    source: str  # a feed's or a page's URL
    digest: str  # of the body as read: a body stored before is not stored again
    articles: Sequence[Article]  # those storing would change (`store.unchanged`)
    outlet: Publisher
    unchanged: int = 0  # its articles stored before, left out of `articles`


def store_read(
    engine: Engine,
    batches: Sequence[ReadBatch],
    work: TextWork,
    *,
    now: dt.datetime,
    story_window_hours: float = DEFAULT_WINDOW_HOURS,
    group: int = GROUP_ARTICLES,
    phases: MutableMapping[str, float] | None = None,
) -> list[Stored | Exception | None]:
    """Each batch's new and updated counts (None: its body was stored before; an
    exception: why it was not stored), its articles prepared and stored oldest first
    across the batches, in transactions of at most `group`. `phases` gets the seconds
    spent waiting for the text workers ("prepare") and storing ("write")."""
    plan = cut_by_time([[story_at(a, now) for a in batch.articles] for batch in batches], group)
    # Every transaction's text work starts now, the oldest first: the workers take it in
    # that order (`TextWork`), so each is ready about when the writer comes to it.
    started = [
        work.start_each([(batches[n].articles[p], batches[n].outlet) for n, ps in cut for p in ps])
        for cut in plan
    ]
    waited = 0.0

    def transactions() -> Iterator[Transaction]:
        nonlocal waited
        done = [0] * len(batches)  # articles of each batch in the transactions so far
        for cut, prepared in zip(plan, started, strict=True):
            began = time.perf_counter()
            found = _prepared(cut, prepared, batches)
            waited += time.perf_counter() - began
            transaction: list[tuple[int, Batch | Exception]] = []
            for n, places in cut:
                articles = found[n]
                if isinstance(articles, Exception):
                    transaction.append((n, articles))
                    continue
                batch = batches[n]
                shell = Batch(batch.source, batch.digest, (), unchanged=batch.unchanged)
                total = len(batch.articles)
                transaction.append((n, part_of(shell, total, places, articles, done[n])))
                done[n] += len(places)
            yield transaction

    began = time.perf_counter()
    try:
        store = functools.partial(
            store_each, engine, now=now, story_window_hours=story_window_hours, embed=work.embed
        )
        return store_in_order(transactions(), len(batches), store)
    finally:
        if phases is not None:
            phases["prepare"] = phases.get("prepare", 0.0) + waited
            spent = time.perf_counter() - began - waited
            phases["write"] = phases.get("write", 0.0) + spent


def _prepared(
    cut: Sequence[tuple[int, Sequence[int]]],
    prepared: Callable[[], list[PreparedArticle]],
    batches: Sequence[ReadBatch],
) -> dict[int, list[PreparedArticle] | Exception]:
    """Each batch's articles of one transaction, prepared; where preparing them all at
    once failed (a text no rule expected), each batch's alone, so that one source's
    surprise costs only that source (its error in its place)."""
    try:
        articles = iter(prepared())
    except Exception:
        log.exception("preparing %d sources' articles failed; each source alone", len(cut))
    else:
        return {n: [next(articles) for _ in places] for n, places in cut}
    found: dict[int, list[PreparedArticle] | Exception] = {}
    for n, places in cut:
        batch = batches[n]
        try:
            found[n] = prepare_articles([batch.articles[p] for p in places], batch.outlet)
        except Exception as error:
            log.exception("preparing the articles of %s failed", batch.source)
            found[n] = error
    return found

