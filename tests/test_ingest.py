from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.news.articles import SNAPSHOT_TEXT, PreparedArticle, Publisher
from bot.news.ingest import IngestReport, ingest_paths
from bot.news.snapshot import Article
from bot.news.text_work import TextWork
from storage import repo
from storage.db import make_engine, open_session
from storage.migrate import upgrade_schema
from storage.models import ArticleRecord, ExchangeRateRecord, SnapshotRecord
from tests.conftest import EXPECTED, SEEDS


def _dump(engine: Engine) -> list[tuple[object, ...]]:
    """Everything stored about articles, to show that nothing changed."""
    with open_session(engine) as session:
        articles = session.exec(select(ArticleRecord).order_by(ArticleRecord.id)).all()
        return [(a.id, a.title, a.body, a.summary, a.truncated, a.updated_at) for a in articles]


def test_seeds_store_28_articles_once(engine: Engine) -> None:
    first = ingest_paths(engine, [SEEDS])
    assert first.as_json() == {
        "snapshots_new": 5,
        "snapshots_skipped": 0,
        "articles_new": 28,
        "articles_updated": 0,
        "failed": [],
    }
    again = ingest_paths(engine, [SEEDS, *sorted(SEEDS.glob("*.txt"))])
    assert (again.snapshots_new, again.snapshots_skipped, again.articles_new) == (0, 10, 0)
    with open_session(engine) as session:
        assert repo.count_articles(session=session) == 28
        assert len(session.exec(select(SnapshotRecord)).all()) == 5
        rates = session.exec(select(ExchangeRateRecord)).all()
        assert len(rates) == 20  # five pairs on each of four pages with a ticker


def test_every_stored_article_has_summary_and_countries(engine: Engine) -> None:
    ingest_paths(engine, [SEEDS])
    with open_session(engine) as session:
        stored = repo.latest_articles(session=session, limit=100)
    assert len(stored) == 28
    expected = {
        a["title"]: set(a["countries"]) for snap in EXPECTED.values() for a in snap["articles"]
    }
    for article in stored:
        assert article.summary, article.title
        assert expected[article.title] <= set(article.countries)


def test_fuller_text_upgrades_in_place(engine: Engine, tmp_path: Path) -> None:
    title = "Kazakhstan Opens New Bridge Over the Irtysh"
    listing = tmp_path / "a.txt"
    listing.write_text(f"Viewing results 1 - 6 of 9\n\n{title}\n\nThe bridge opened on...\n")
    ingest_paths(engine, [listing])
    article_page = tmp_path / "b.txt"
    article_page.write_text(
        f"{title}\n\nThe bridge opened on Monday in Pavlodar.\n\nIt cost $40 million.\n"
    )
    report = ingest_paths(engine, [article_page])
    assert (report.articles_new, report.articles_updated) == (0, 1)
    with open_session(engine) as session:
        [record] = session.exec(select(ArticleRecord)).all()
    assert not record.truncated
    assert "It cost $40 million." in record.body
    assert "It cost $40 million." in record.summary
    # The cut listing seen again never downgrades the full text.
    listing2 = tmp_path / "c.txt"
    listing2.write_text(listing.read_text() + "\n")
    assert ingest_paths(engine, [listing2]).articles_updated == 0


def _bad_files(tmp_path: Path) -> dict[str, Path]:
    files = {
        "empty": tmp_path / "empty.txt",
        "binary": tmp_path / "binary.txt",
        "cp1251": tmp_path / "cp1251.txt",
        "huge": tmp_path / "huge.txt",
        "ticker": tmp_path / "ticker.txt",
    }
    files["empty"].write_bytes(b"")
    files["binary"].write_bytes(bytes(range(256)) * 20)
    files["cp1251"].write_bytes("Казахстан открыл новый мост\n\nМост длинный.".encode("cp1251"))
    with files["huge"].open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # 50 MB
    files["ticker"].write_text("  • KZT/USD = 0.00200 0%\n  • UZS/USD = 0.00008 0%\n")
    return files


def test_bad_input_is_reported_and_the_batch_goes_on(engine: Engine, tmp_path: Path) -> None:
    ingest_paths(engine, [SEEDS / "000_e6deac404c5ca021.txt"])
    before = _dump(engine)
    files = _bad_files(tmp_path)
    good = tmp_path / "good.txt"
    shutil.copy(SEEDS / "004_351b5c20ba0eb3dc.txt", good)
    report = ingest_paths(engine, [*files.values(), tmp_path / "missing.txt", good])

    errors = {Path(f["path"]).name: f["error"] for f in report.failed}
    assert errors["empty.txt"] == "empty file"
    assert errors["binary.txt"].startswith("binary file")
    assert errors["cp1251.txt"].startswith("not UTF-8 text")
    assert "over the 5,000,000-byte limit" in errors["huge.txt"]
    assert errors["missing.txt"].startswith("file not found")
    assert "ticker.txt" not in errors  # a valid snapshot with rates and no articles
    assert report.snapshots_new == 2  # the ticker page and the good page
    assert report.articles_new == 6
    assert _dump(engine)[: len(before)] == before


def test_file_vanishing_mid_run(engine: Engine, tmp_path: Path) -> None:
    names = ("000_e6deac404c5ca021.txt", "001_b04ae946092498ef.txt", "002_387bb8a3613c2d51.txt")
    for name in names:
        shutil.copy(SEEDS / name, tmp_path / name)
    doomed = tmp_path / names[2]

    def delete_later(done: int, _report: IngestReport) -> None:
        if done == 1:  # the second file is read by now (read ahead), the third is not
            doomed.unlink()

    report = ingest_paths(engine, [tmp_path], on_progress=delete_later, group_articles=1)
    assert report.snapshots_new == 2
    assert [Path(f["path"]).name for f in report.failed] == [doomed.name]
    # It comes back: the next run picks it up.
    shutil.copy(SEEDS / doomed.name, doomed)
    assert ingest_paths(engine, [tmp_path]).snapshots_new == 1


def test_failed_file_is_recorded_and_retried_without_duplicates(
    engine: Engine, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes("Привет".encode("cp1251"))
    ingest_paths(engine, [bad])
    ingest_paths(engine, [bad])
    with open_session(engine) as session:
        [record] = session.exec(select(SnapshotRecord)).all()
    assert record.status == "failed" and record.error and "UTF-8" in record.error


def test_folders_skip_temporary_and_non_text_files(engine: Engine, tmp_path: Path) -> None:
    shutil.copy(SEEDS / "000_e6deac404c5ca021.txt", tmp_path / "page.txt")
    shutil.copy(SEEDS / "001_b04ae946092498ef.txt", tmp_path / "page.txt.part")
    shutil.copy(SEEDS / "002_387bb8a3613c2d51.txt", tmp_path / ".hidden.txt")
    shutil.copy(SEEDS / "expected.json", tmp_path / "expected.json")
    report = ingest_paths(engine, [tmp_path])
    assert (report.snapshots_new, report.failed) == (1, [])


class _CountingWork(TextWork):
    """Text work that notes the title of every article it starts preparing."""

    def __init__(self) -> None:
        super().__init__(workers=1)
        self.titles: list[str] = []

    def start(
        self, articles: Sequence[Article], outlet: Publisher = SNAPSHOT_TEXT
    ) -> Callable[[], list[PreparedArticle]]:
        self.titles += [article.title for article in articles]
        return super().start(articles, outlet)


def test_articles_stored_unchanged_are_not_prepared_again(engine: Engine, tmp_path: Path) -> None:
    """A page seen again with another ticker, or a later page that repeats an article,
    prepares only what storing would change; what is stored is the same."""
    pages = sorted(SEEDS.glob("*.txt"))
    work = _CountingWork()
    for page in pages:  # one page at a time, as the scheduler sees them
        ingest_paths(engine, [page], work=work)
    assert 28 <= len(work.titles) < 30  # 30 articles on the pages, 28 of them apart
    changed = tmp_path / "again.txt"
    changed.write_text("USD/KZT = 470.10 +0.20%\n" + pages[0].read_text(encoding="utf-8"))
    before = len(work.titles)
    report = ingest_paths(engine, [changed], work=work)
    assert (report.snapshots_new, report.articles_new, report.articles_updated) == (1, 0, 0)
    assert len(work.titles) == before  # its six articles are stored as they are
    with open_session(engine) as session:
        assert session.exec(select(SnapshotRecord.article_count)).all()[-1] == 6
    one_go = ingest_into_new(tmp_path, pages)
    assert _dump_texts(engine) == _dump_texts(one_go)
    assert _stories(engine) == _stories(one_go)


def _dump_texts(engine: Engine) -> list[tuple[object, ...]]:
    with open_session(engine) as session:
        articles = session.exec(select(ArticleRecord).order_by(ArticleRecord.title)).all()
        return [(a.title, a.body, a.summary, a.truncated, a.language) for a in articles]


def _stories(engine: Engine) -> set[frozenset[str]]:
    with open_session(engine) as session:
        articles = session.exec(select(ArticleRecord)).all()
    return {frozenset(a.title for a in articles if a.story_id == b.story_id) for b in articles}


def ingest_into_new(folder: Path, pages: list[Path]) -> Engine:
    """The pages ingested at once into a database of their own (SQLite)."""
    other = make_engine(f"sqlite:///{folder / 'one_go.db'}")
    upgrade_schema(other)
    ingest_paths(other, pages, work=TextWork(workers=1))
    return other
