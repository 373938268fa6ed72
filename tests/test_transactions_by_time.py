"""`bot.news.store.transactions_by_time` (pure): how a round bigger than a transaction
is cut, oldest first across its sources, every article once, each source's body
recorded as ingested only with its last part."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import given
from hypothesis import strategies as st

from bot.news.articles import PreparedArticle
from bot.news.store import Batch, transactions_by_time

NOW = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)
RATES = (("KZT", "USD", 0.002, "0%"),)


def _article(source: int, place: int, hours_ago: int | None) -> PreparedArticle:
    published = None if hours_ago is None else NOW - dt.timedelta(hours=hours_ago)
    title = f"Source {source} article {place}"
    return PreparedArticle(title, title.casefold(), "Body.", False, (), (), published=published)


# Each source: the hours ago of its articles (None: no date, stored as first seen now).
sources = st.lists(
    st.lists(st.one_of(st.none(), st.integers(0, 24 * 30)), max_size=40), min_size=1, max_size=8
)


@given(sources, st.integers(1, 50))
def test_every_article_once_oldest_first_in_transactions_of_at_most_the_group(
    ages: list[list[int | None]], group: int
) -> None:
    batches = [
        Batch(f"s{n}", f"d{n}", [_article(n, p, age) for p, age in enumerate(found)], rates=RATES)
        for n, found in enumerate(ages)
    ]
    transactions = transactions_by_time(batches, NOW, group)
    placed: list[tuple[int, int]] = []  # (source, place in it) in the order stored
    for transaction in transactions:
        assert sum(len(part.articles) for _n, part in transaction) <= group
        assert len({n for n, _part in transaction}) == len(transaction)  # a part a source
        for n, part in transaction:
            positions = list(part.positions or range(len(part.articles)))
            assert [batches[n].articles[p] for p in positions] == list(part.articles)
            placed += [(n, p) for p in positions]
            assert part.size == len(batches[n].articles)
            assert part.digest == batches[n].digest
    # Every article exactly once; stored oldest first (by transaction) across sources.
    assert sorted(placed) == sorted((n, p) for n, b in enumerate(batches)
                                    for p in range(len(b.articles)))  # fmt: skip
    for before, after in itertools.pairwise(transactions):
        newest = max((a.published or NOW) for _n, p in before for a in p.articles)
        oldest = min((a.published or NOW) for _n, p in after for a in p.articles)
        assert newest <= oldest
    # A source is "storing" until its last part: only that part has nothing later, and
    # only its first part carries the page's rates; earlier + own + later is its size.
    for n in range(len(batches)):
        parts = [part for transaction in transactions for m, part in transaction if m == n]
        assert len(parts) >= 1
        assert [part.later == 0 for part in parts] == [False] * (len(parts) - 1) + [True]
        assert [bool(part.rates) for part in parts] == [True] + [False] * (len(parts) - 1)
        seen = 0
        for part in parts:
            assert part.earlier == seen
            seen += len(part.articles)
