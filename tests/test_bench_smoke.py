"""The benchmarks keep working: each runs once on a tiny input (figures are not asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _run(script: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(BENCH / script), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_latest_benchmark_runs() -> None:
    out = _run("latest.py", "--articles", "300", "--subscribers", "20", "--requests", "5")
    assert "/latest over 5 requests (sqlite):" in out and "p95" in out


def test_fanout_benchmark_runs() -> None:
    out = _run("fanout.py", "--subscribers", "40", "--cap", "50", "--skip-uncapped", "--lead", "4")
    assert "40 subscribers due at once, cap 50/s:" in out
    for figure in ["(a) achieved / cap", "(b) most in any 1 s window", "(c) /latest p95"]:
        assert figure in out
    window = int(out.split("(b) most in any 1 s window")[1].split()[0])
    assert window <= 50  # the cap is a promise, even in a smoke run


def test_summary_quality_benchmark_runs(tmp_path: Path) -> None:
    """On three made-up articles: the eval data is read in place, never shipped."""
    articles = [
        {
            "id": f"smoke/{n}",
            "text": " ".join(
                f"Sentence {i} of story {n} tells about water, rail and trade in the region."
                for i in range(8)
            ),
            "summary": f"Story {n} is about water.\nRail and trade matter.",
        }
        for n in range(3)
    ]
    data = tmp_path / "smoke.jsonl"
    data.write_text("\n".join(json.dumps(a) for a in articles), encoding="utf-8")
    out = _run("summary_quality.py", "--data", str(data))
    assert "3 articles from smoke.jsonl, 3 sentences each" in out
    for system in ["Lead-3", "sumy LexRank", "newsbot"]:
        row = next(line for line in out.splitlines() if line.startswith(system))
        assert len(row.split()) >= 5  # the name, three ROUGE figures and a speed


def test_sentences_benchmark_runs(tmp_path: Path) -> None:
    """On the eval sample, read in place where it is; else on made-up paragraphs."""
    args: tuple[str, ...] = ()
    if not (BENCH.parents[1] / "shared" / "eval" / "ru_sentences_dev.jsonl").is_file():
        sentences = [
            ["В 1991 г. Казахстан стал независимым.", "Столица переехала в Астану."],
            ["Ш. Мирзиёев прибыл в Ташкент.", "«Мы готовы», — сказал он.", "Визит завершён."],
        ]
        rows = [
            {"id": f"smoke/{n}", "source": "smoke", "text": " ".join(s), "sentences": s}
            for n, s in enumerate(sentences)
        ]
        data = tmp_path / "smoke.jsonl"
        data.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
        args = ("--data", str(data))
    out = _run("sentences.py", *args)
    assert "paragraphs," in out and "sentences from" in out
    for splitter in ["newsbot ru", "newsbot en", "Punkt ru"]:
        row = next(line for line in out.splitlines() if line.startswith(splitter))
        precision, recall, f1 = (float(x) for x in row.split()[2:5])
        assert all(0 <= x <= 1 for x in (precision, recall, f1))


def test_tagging_benchmark_runs() -> None:
    out = _run("tagging.py")
    assert "labelled texts" in out
    overall = next(line for line in out.splitlines() if line.startswith("all"))
    precision, recall = (float(x) for x in overall.split()[1:3])
    assert 0 <= precision <= 1 and 0 <= recall <= 1


def test_flood_benchmark_runs() -> None:
    out = _run("flood.py", "--seconds", "2", "--rate", "100", "--others", "3")
    for figure in ["(1) other chats' reply time", "(2) most in any 1 s window", "(3) flooding"]:
        assert figure in out
    window = int(out.split("(2) most in any 1 s window")[1].split()[0])
    assert window <= 25  # the default cap holds, even in a smoke run
    assert "429s answered: 0 per chat" in out  # the bot paced the flooding chat itself


def test_parse_benchmark_runs() -> None:
    out = _run("parse_commands.py", "--repeat", "3")
    # 10 commands x 5 arguments, and the slowest
    assert "slowest: " in out and out.count(" µs") == 51


def test_startup_benchmark_runs() -> None:
    out = _run("startup.py", "--runs", "1")
    for row in ["python -c pass", "newsbot --help", "newsbot latest --limit 1"]:
        assert row in out


def test_parsing_benchmark_runs() -> None:
    for args in [(), ("--holdout",)]:
        out = _run("parsing.py", *args)
        overall = next(line for line in out.splitlines() if line.startswith("all"))
        figures = [float(x) for x in overall.split()[2:7]]
        assert len(figures) == 5 and all(0 <= x <= 1 for x in figures)


def test_sources_benchmark_runs() -> None:
    out = _run("sources.py", "--feeds", "3", "--items", "4")
    assert "first round: 12 articles stored" in out
    assert "second round: 3 of 3 answered 304" in out and "peak memory" in out


def test_keywords_benchmark_runs() -> None:
    out = _run("keywords.py", "--chats", "20", "--articles", "40")
    assert "digests planned, with words" in out and "alerts planned" in out


def test_stories_benchmark_runs(tmp_path: Path) -> None:
    """On the project's own fixtures; the UCI headlines are read in place when present."""
    out = _run("stories.py", "--articles", "600", "--window", "200",
               "--uci", str(tmp_path / "absent.csv"))  # fmt: skip
    assert "fixtures:" in out and "pairwise precision" in out
    assert "English-Russian pair recall" in out and "articles/s" in out


def test_search_benchmark_runs() -> None:
    out = _run("search.py", "--articles", "400", "--queries", "5", "--ingest", "5", "--no-postgres")
    assert "relevance: right story first for" in out
    assert "/search page:  p50" in out and "inline query:" in out and "ingest:" in out


def test_search_relevance_benchmark_runs() -> None:
    assert "right story first:" in _run("search_relevance.py")
