"""Ingest throughput, and our summariser against stock sumy LexRank.

Builds snapshot files holding N distinct articles (the seed articles with
varied titles and reordered paragraphs and sentences), ingests them into a
fresh SQLite file, and prints articles/s end to end.  Then times our
summariser and sumy's LexRank on the same articles, in this same run.

    python bench/ingest.py [--articles 10000]

Targets: >= 200 articles/s end to end on one core; our summariser at most half
the time of stock LexRank per article.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from sumy.nlp.stemmers import Stemmer
from sumy.parsers.plaintext import PlaintextParser
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.utils import get_stop_words

from bot.news.ingest import ingest_paths
from bot.news.sentences import SumyTokenizer, split_sentences
from bot.news.snapshot import Article, parse_snapshot
from bot.news.summarize import summarize
from storage.db import make_engine
from storage.migrate import upgrade_schema

SEEDS = Path(__file__).resolve().parent.parent / "tests" / "seeds"
TICKER = "  • KZT/USD = 0.00200 0%\n  • UZS/USD = 0.00008 0%\n"
PLACES = ["Almaty", "Osh", "Khujand", "Mary Region", "Samarkand", "Kabul", "Aktau", "Naryn"]
TOPICS = ["Trade", "Water", "Energy", "Rail", "Health", "Schools", "Mining", "Tourism"]


def seed_articles() -> list[Article]:
    unique: dict[str, Article] = {}
    for path in sorted(SEEDS.glob("*.txt")):
        for article in parse_snapshot(path.read_text(encoding="utf-8")).articles:
            unique.setdefault(article.title, article)
    return list(unique.values())


def variant(article: Article, n: int, rng: random.Random) -> tuple[str, str]:
    title = f"{article.title}: {rng.choice(TOPICS)} Talks in {rng.choice(PLACES)}, Round {n}"
    paragraphs = []
    for paragraph in article.paragraphs:
        sentences = split_sentences(paragraph)
        rng.shuffle(sentences)
        paragraphs.append(" ".join(sentences))
    rng.shuffle(paragraphs)
    # Listing-page form: one long paragraph per article, as the site prints them.
    return title, " ".join(paragraphs)


def write_snapshots(folder: Path, count: int, seed: int = 7) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    sources = seed_articles()
    made = [variant(sources[i % len(sources)], i, rng) for i in range(count)]
    for page, start in enumerate(range(0, count, 6)):
        chunk = made[start : start + 6]
        body = "\n\n".join(f"{title}\n\n{text}" for title, text in chunk)
        (folder / f"page_{page:05d}.txt").write_text(
            f"{TICKER}1 March 2026\n\nViewing results 1 - 6 of {count}\n\n{body}\n",
            encoding="utf-8",
        )
    return made


def time_per_article(articles: list[tuple[str, str]], summarise: object) -> float:
    started = time.perf_counter()
    for title, text in articles:
        summarise(title, text)  # type: ignore[operator]
    return (time.perf_counter() - started) / len(articles) * 1000


def stock_lexrank() -> object:
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    tokenizer = SumyTokenizer()  # stock sumy's own Tokenizer would download NLTK data

    def run(_title: str, text: str) -> list[str]:
        document = PlaintextParser.from_string(text, tokenizer).document
        return [str(s) for s in summarizer(document, 3)]

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=1_000, help="articles for the timing")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp, "snapshots")
        folder.mkdir()
        made = write_snapshots(folder, args.articles)
        engine = make_engine(f"sqlite:///{Path(tmp, 'bench.db')}")
        upgrade_schema(engine)
        started = time.perf_counter()
        report = ingest_paths(engine, [folder])
        elapsed = time.perf_counter() - started
        engine.dispose()
    print(
        f"ingest: {report.articles_new} new articles from {report.snapshots_new} files"
        f" in {elapsed:.1f} s = {report.articles_new / elapsed:.0f} articles/s"
        f" (failed: {len(report.failed)})"
    )
    sample = made[: args.sample]
    ours = time_per_article(sample, lambda title, text: summarize(text, 3, title=title))
    stock = time_per_article(sample, stock_lexrank())
    print(
        f"summarise ({len(sample)} articles): ours {ours:.2f} ms/article,"
        f" stock LexRank {stock:.2f} ms/article, ratio ours/stock = {ours / stock:.2f}"
    )


if __name__ == "__main__":
    main()
