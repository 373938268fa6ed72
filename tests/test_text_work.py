"""The text workers' queue: work ahead never holds up what the writer waits for.

A thread pool stands in for the process pool: the order in which work starts is what
is tested, and threads make it visible without spawning interpreters.
"""

from __future__ import annotations

import threading
from concurrent.futures import CancelledError, ThreadPoolExecutor

import pytest

from bot.news.articles import prepare_articles
from bot.news.snapshot import Article
from bot.news.stories.meaning import DIMENSIONS, embed
from bot.news.text_work import TextWork, _Feeder

WAIT = 10.0  # seconds a test waits for a step before it fails instead of hanging


def test_work_submitted_directly_starts_before_work_ahead_still_waiting() -> None:
    started: list[str] = []
    first_running, release = threading.Event(), threading.Event()

    def ahead(name: str) -> str:
        started.append(name)
        if name == "ahead 0":
            first_running.set()
            assert release.wait(WAIT)
        return name

    with ThreadPoolExecutor(max_workers=1) as pool:
        feeder = _Feeder(pool, limit=1)
        queued = [feeder.submit(ahead, f"ahead {n}") for n in range(3)]
        assert first_running.wait(WAIT)
        urgent = pool.submit(started.append, "urgent")
        release.set()
        assert [f.result(WAIT) for f in queued] == ["ahead 0", "ahead 1", "ahead 2"]
        urgent.result(WAIT)
        feeder.close()
    assert started == ["ahead 0", "urgent", "ahead 1", "ahead 2"]


def test_at_most_limit_tasks_ahead_are_in_the_pool_at_once() -> None:
    lock = threading.Lock()
    running = peak = 0

    def task() -> None:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        threading.Event().wait(0.01)
        with lock:
            running -= 1

    with ThreadPoolExecutor(max_workers=4) as pool:
        feeder = _Feeder(pool, limit=2)
        for future in [feeder.submit(task) for _ in range(12)]:
            future.result(WAIT)
        feeder.close()
    assert peak == 2


def test_an_error_of_work_ahead_reaches_its_caller_and_the_rest_goes_on() -> None:
    def fail() -> None:
        raise ValueError("bad feed")

    with ThreadPoolExecutor(max_workers=1) as pool:
        feeder = _Feeder(pool, limit=1)
        failing, after = feeder.submit(fail), feeder.submit(len, "four")
        with pytest.raises(ValueError, match="bad feed"):
            failing.result(WAIT)
        assert after.result(WAIT) == 4
        feeder.close()


def test_closing_cancels_what_still_waits_and_refuses_more() -> None:
    first_running, release = threading.Event(), threading.Event()

    def first() -> bool:
        first_running.set()
        return release.wait(WAIT)

    with ThreadPoolExecutor(max_workers=1) as pool:
        feeder = _Feeder(pool, limit=1)
        running = feeder.submit(first)
        waiting = feeder.submit(len, "never")
        assert first_running.wait(WAIT)
        feeder.close()
        release.set()
        assert running.result(WAIT) is True
        with pytest.raises(CancelledError):
            waiting.result(WAIT)
        with pytest.raises(RuntimeError, match="closed"):
            feeder.submit(len, "late")


def test_articles_prepared_on_the_pool_are_those_prepared_inline() -> None:
    articles = [
        Article(f"Rogun dam, stage {n}", (f"Dushanbe, Tajikistan. Stage {n} opened.",), False)
        for n in range(6)
    ]
    work = TextWork(workers=2, pool_min=1)
    try:
        on_pool = work.prepare(articles)
        meanings = work.embed([a.title for a in articles] * 3)  # enough to go to the pool
    finally:
        work.close()
    inline = prepare_articles(articles)
    assert on_pool == inline
    assert len(meanings) == 18 and meanings[:6] == meanings[6:12]


def test_prepared_articles_carry_the_meaning_of_their_title_and_lede() -> None:
    articles = [
        Article("Rogun dam's second unit starts", ("Dushanbe, Tajikistan. It runs.",), False),
        Article("В Бишкеке открыли больницу", ("В понедельник открыли больницу.",), False),
    ]
    prepared = prepare_articles(articles)
    assert [p.story.meaning for p in prepared] == embed([p.story.text for p in prepared])
    assert all(len(p.story.meaning) == DIMENSIONS for p in prepared)
