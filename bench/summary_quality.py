"""Summary quality against human highlights: Lead-3, stock sumy LexRank and ours.

Reads a JSONL file of news articles with their editors' highlights (fields
`id`, `text`, `summary` with one highlight per line) — by default the
CNN/DailyMail development sample in ../shared/eval/, read in place (it belongs
to its publishers and is never copied into this repository) — and scores each
system's 3-sentence extract with ROUGE-1, ROUGE-2 and ROUGE-Lsum F1 (the
`rouge-score` package, stemming on), side by side, with articles/s.

    python bench/summary_quality.py [--data PATH] [--limit N] [--sentences 3]

Published reference on the CNN/DM test set: Lead-3 = 40.3 / 17.7 / 36.6.
Target: ours beats Lead-3 on ROUGE-1 and ROUGE-2, at least as fast as LexRank.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from rouge_score import rouge_scorer
from sumy.nlp.stemmers import Stemmer
from sumy.parsers.plaintext import PlaintextParser
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.utils import get_stop_words

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.news.sentences import SumyTokenizer, split_sentences
from bot.news.summarize import summarize

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "eval" / "cnndm_dev.jsonl"
METRICS = ("rouge1", "rouge2", "rougeLsum")
Summarizer = Callable[[str, int], list[str]]


def lead(text: str, count: int) -> list[str]:
    return split_sentences(text)[:count]


def stock_lexrank() -> Summarizer:
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    tokenizer = SumyTokenizer()  # sumy's own Tokenizer would download NLTK data

    def run(text: str, count: int) -> list[str]:
        document = PlaintextParser.from_string(text, tokenizer).document
        return [str(sentence) for sentence in summarizer(document, count)]

    return run


def load(path: Path, limit: int | None) -> list[dict[str, str]]:
    rows = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                rows.append(json.loads(line))
            if limit is not None and len(rows) >= limit:
                break
    return rows


def evaluate(
    name: str, system: Summarizer, rows: list[dict[str, str]], count: int
) -> dict[str, float | str]:
    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    started = time.perf_counter()
    outputs = [system(row["text"], count) for row in rows]
    elapsed = time.perf_counter() - started
    scores: dict[str, list[float]] = {metric: [] for metric in METRICS}
    for row, output in zip(rows, outputs, strict=True):
        # ROUGE-Lsum reads one sentence per line, on both sides.
        result = scorer.score(row["summary"].strip(), "\n".join(output))
        for metric in METRICS:
            scores[metric].append(result[metric].fmeasure * 100)
    return {
        "name": name,
        **{metric: statistics.fmean(values) for metric, values in scores.items()},
        "speed": len(rows) / elapsed if elapsed > 0 else float("inf"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, help="only the first N articles")
    parser.add_argument("--sentences", type=int, default=3)
    args = parser.parse_args()
    if not args.data.is_file():
        parser.error(f"no data at {args.data} (give --data PATH)")
    rows = load(args.data, args.limit)
    systems: list[tuple[str, Summarizer]] = [
        ("Lead-3", lead),
        ("sumy LexRank", stock_lexrank()),
        ("newsbot", lambda text, count: summarize(text, count)),
    ]
    print(f"{len(rows)} articles from {args.data.name}, {args.sentences} sentences each")
    print(f"{'system':<14} {'ROUGE-1':>8} {'ROUGE-2':>8} {'ROUGE-Lsum':>11} {'articles/s':>11}")
    for name, system in systems:
        result = evaluate(name, system, rows, args.sentences)
        print(
            f"{result['name']:<14} {result['rouge1']:>8.2f} {result['rouge2']:>8.2f}"
            f" {result['rougeLsum']:>11.2f} {result['speed']:>11.1f}"
        )


if __name__ == "__main__":
    main()
