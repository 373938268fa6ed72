from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.__main__ import main
from tests.conftest import SEEDS


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_ingest_json_shape_and_idempotence(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "ingest", str(SEEDS), "--json")
    assert code == 0
    assert json.loads(out) == {
        "snapshots_new": 5,
        "snapshots_skipped": 0,
        "articles_new": 28,
        "articles_updated": 0,
        "failed": [],
    }
    code, out, _ = run(capsys, "ingest", str(SEEDS), "--json")
    assert json.loads(out)["articles_new"] == 0
    assert json.loads(out)["snapshots_skipped"] == 5


def test_latest_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "ingest", str(SEEDS))
    code, out, _ = run(capsys, "latest", "--json")
    items = json.loads(out)
    assert code == 0 and len(items) == 10
    for item in items:
        assert set(item) == {
            *("id", "title", "summary", "countries", "snapshot_date", "first_seen"),
            *("url", "source", "language", "story"),
        }
        assert isinstance(item["story"], int) and item["story"] <= item["id"]
        # Snapshot text has no links; its pages are the Times of Central Asia's.
        assert item["url"] is None and item["source"] == "The Times of Central Asia"
        assert item["language"] == "en"  # the seeds are English pages
        assert isinstance(item["id"], int) and isinstance(item["summary"], str)
        assert item["summary"]
        assert set(item["countries"]) <= {"KZ", "KG", "TJ", "TM", "UZ", "AF"}
        if item["snapshot_date"] is not None:
            dt.date.fromisoformat(item["snapshot_date"])
        assert dt.datetime.fromisoformat(item["first_seen"]).tzinfo is not None
    _, out, _ = run(capsys, "latest", "--country", "tajikistan", "--limit", "50", "--json")
    tajik = json.loads(out)
    assert tajik and all("TJ" in item["countries"] for item in tajik)
    _, out, _ = run(capsys, "latest", "--limit", "1000", "--json")
    assert len(json.loads(out)) == 28


def test_stories_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "ingest", str(SEEDS))
    code, out, _ = run(capsys, "stories", "--json", "--limit", "1000")
    stories = json.loads(out)
    assert code == 0 and stories
    seen: set[int] = set()
    for story in stories:
        assert set(story) == {
            *("story", "title", "language", "countries", "outlets", "first_seen", "articles")
        }
        assert story["title"] in {a["title"] for a in story["articles"]}
        assert isinstance(story["outlets"], int) and story["outlets"] >= 1
        dt.datetime.fromisoformat(story["first_seen"])
        ids = [a["id"] for a in story["articles"]]
        assert story["story"] == min(ids) and not seen & set(ids)  # each article once
        seen.update(ids)
        for article in story["articles"]:
            assert set(article) == {"id", "title", "url", "source", "language"}
    assert len(seen) == 28  # every stored article is in exactly one story
    _, out, _ = run(capsys, "stories", "--country", "TJ", "--limit", "2", "--json")
    tajik = json.loads(out)
    assert 1 <= len(tajik) <= 2 and all("TJ" in story["countries"] for story in tajik)
    code, out, _ = run(capsys, "stories", "--limit", "3")
    assert code == 0 and out.startswith("[") and "outlets" in out


def test_search_json_shape_best_first_and_hostile_words(
    capsys: pytest.CaptureFixture[str],
) -> None:
    run(capsys, "ingest", str(SEEDS))
    code, out, _ = run(capsys, "search", "Naruhito", "summit", "--json")
    found = json.loads(out)
    assert code == 0 and found
    assert any("Naruhito" in a["title"] for a in found[0]["articles"])
    for story in found:
        assert set(story) == {
            *("story", "title", "language", "countries", "outlets", "first_seen", "articles"),
            "score",
        }
    scores = [story["score"] for story in found]
    assert scores == sorted(scores, reverse=True) and all(s > 0 for s in scores)
    _, out, _ = run(capsys, "search", "vaccines", "--country", "UZ", "--json")
    assert all("UZ" in story["countries"] for story in json.loads(out))
    for hostile in ['"', "NEAR(", "' OR 1=1 --", "🔥", "a\x00b"]:
        code, out, _ = run(capsys, "search", hostile, "--json")
        assert code == 0 and isinstance(json.loads(out), list)
    assert "Nothing found" in run(capsys, "search", "zzqx")[1]


def test_digest_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "ingest", str(SEEDS))
    code, out, _ = run(capsys, "digest", "--country", "KZ", "--country", "uz", "--json")
    messages = json.loads(out)["messages"]
    assert code == 0 and messages
    assert all(isinstance(m, str) and len(m.encode("utf-16-le")) // 2 <= 4096 for m in messages)
    text = "\n".join(messages)
    assert "🇰🇿 <b>Kazakhstan</b>" in text and "🇺🇿 <b>Uzbekistan</b>" in text
    code, out, _ = run(capsys, "digest", "--country", "uz", "--language", "ru", "--json")
    russian = "\n".join(json.loads(out)["messages"])
    assert code == 0 and "🇺🇿 <b>Узбекистан</b>" in russian and "Курсы валют" in russian
    assert run(capsys, "digest", "--country", "uz", "--language", "de")[0] == 2


def test_empty_database_answers_politely(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "latest", "--json")[1].strip() == "[]"
    assert "No articles stored yet" in run(capsys, "latest")[1]
    assert run(capsys, "stories", "--json")[1].strip() == "[]"
    assert "No stories stored yet" in run(capsys, "stories")[1]
    assert json.loads(run(capsys, "digest", "--country", "kz", "--json")[1]) == {"messages": []}


@pytest.mark.parametrize(
    "argv",
    [
        ["latest", "--limit", "0"],
        ["latest", "--limit", "ten"],
        ["latest", "--country", "mongolia"],
        ["digest"],
        ["digest", "--country", "XX"],
        ["frobnicate"],
        [],
        ["ingest"],
        ["summarize", "/no/such/file"],
        ["run", "--webhook"],  # no WEBHOOK_URL
        ["run", "--webhook", "--polling"],
        ["db"],
        ["db", "downgrade"],
    ],
)
def test_bad_usage_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith("newsbot: error:")


def test_bad_setting_exits_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEFAULT_TIMEZONE", "Mars/Olympus")
    code, _, err = run(capsys, "latest")
    assert code == 2 and "DEFAULT_TIMEZONE" in err and len(err.splitlines()) == 1


@pytest.mark.parametrize(
    ("setting", "value", "says"),
    [
        ("WEBHOOK_URL", "https://bot.example.org/hook", "WEBHOOK_URL needs WEBHOOK_SECRET"),
        ("WEBHOOK_URL", "not a url", "WEBHOOK_URL"),
        ("WEBHOOK_SECRET", "has spaces", "WEBHOOK_SECRET"),
        ("WEBHOOK_PORT", "70000", "WEBHOOK_PORT"),
        ("LOG_FORMAT", "xml", "LOG_FORMAT"),
        ("DATABASE_URL", "nosuchdb://x", "DATABASE_URL"),
    ],
)
def test_bad_deployment_setting_exits_2(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    setting: str,
    value: str,
    says: str,
) -> None:
    monkeypatch.setenv(setting, value)
    code, out, err = run(capsys, "latest")
    assert code == 2 and out == "" and says in err and len(err.splitlines()) == 1


def test_unreachable_database_is_one_line_without_the_password(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://newsbot:hunter2@127.0.0.1:1/newsbot")
    code, _, err = run(capsys, "db", "upgrade")
    assert code == 2 and len(err.splitlines()) == 1
    assert "cannot use the database" in err and "hunter2" not in err


def test_sources_catalog_json_lists_the_built_in_outlets(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "sources", "--catalog", "--json")
    outlets = json.loads(out)
    assert code == 0 and len(outlets) >= 25
    for outlet in outlets:
        assert set(outlet) == {
            *("name", "display", "feed", "home", "languages", "countries", "shape", "checked")
        }
        assert outlet["feed"].startswith("http") and outlet["shape"] in {"full", "teaser"}
        assert set(outlet["countries"]) <= {"KZ", "KG", "TJ", "TM", "UZ", "AF"}
    assert {"KZ", "KG", "TJ", "TM", "UZ", "AF"} == {c for o in outlets for c in o["countries"]}
    assert not (tmp_path / "cli.db").exists()  # the catalog is data: no database opened
    code, out, _ = run(capsys, "sources", "--catalog")
    lines = out.splitlines()
    columns = ["name", "outlet", "languages", "countries", "shape", "feed"]
    assert code == 0 and lines[0].split() == columns
    assert any(
        line.startswith("24kg-en ") and line.endswith("https://24.kg/english/rss/")
        for line in lines
    )
    assert lines[-1].startswith(f"{len(outlets)} outlets.")


def test_summarize_file_and_stdin(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = "Kazakhstan opened a bridge. It is long. It cost a lot. Traffic is light. Fine."
    (tmp_path / "t.txt").write_text(text)
    code, out, _ = run(capsys, "summarize", str(tmp_path / "t.txt"), "--sentences", "2")
    assert code == 0 and len(out.strip().splitlines()) == 2
    assert all(line in text for line in out.strip().splitlines())


def test_installed_console_script(tmp_path: Path) -> None:
    """The real `newsbot` entry point, as a user runs it, with stdin input."""
    script = Path(sys.executable).with_name("newsbot")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    done = subprocess.run(
        [str(script), "summarize"],
        input="One sentence here. Another sentence there.",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout.splitlines() == ["One sentence here.", "Another sentence there."]
    bad = subprocess.run(
        [str(script), "latest", "--limit", "-3"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
