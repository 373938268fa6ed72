"""`newsbot demo`, as a newcomer runs it: no token, no network, a readable chat."""

from __future__ import annotations

import os
import subprocess
import sys


def _demo(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    env.pop("LOG_LEVEL", None)
    return subprocess.run(
        [sys.executable, "-m", "bot", "demo", *args],
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_scripted_demo_prints_the_conversation() -> None:
    result = _demo()
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("Ingested 28 articles from 5 sample snapshots")
    steps = ["/start", "tap 🇰🇿", "tap 🇺🇿", "tap done", "/latest", "/digest"]
    positions = [out.index(f"you ▸ {step}") for step in [*steps, "/settings"]]
    assert positions == sorted(positions)
    assert "[ ✅ 🇰🇿 Kazakhstan ]" in out and "(a notice pops up) Uzbekistan added" in out
    assert "Following: 🇰🇿 Kazakhstan, 🇺🇿 Uzbekistan." in out
    assert "📰 Central Asia news digest" in out and "💱 Exchange rates" in out
    assert "Status: subscribed" in out
    assert " ↗ http://127.0.0.1:" in out  # titles link to the local site's pages
    assert "<b>" not in out and "&amp;" not in out  # HTML rendered for a terminal
    assert "INFO" not in result.stderr + out and "WARNING" not in result.stderr + out


def test_interactive_demo_reads_the_keyboard() -> None:
    result = _demo("--interactive", stdin="/country tj\n/latest tj 1\ntap nothing\n/bogus\n\n")
    assert result.returncode == 0, result.stderr
    assert "Following: 🇹🇯 Tajikistan." in result.stdout
    assert "📰 Latest — 🇹🇯 Tajikistan" in result.stdout
    assert "(no such button here)" in result.stdout
    assert "I don't know /bogus. /help lists what I can do." in result.stdout


def test_the_demo_in_russian() -> None:
    result = _demo("--language", "ru")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Здравствуйте, Demo!" in out and "[ ✅ 🇰🇿 Казахстан ]" in out
    assert "📰 Дайджест новостей Центральной Азии" in out and "💱 Курсы валют" in out
    assert "Статус: подписка активна" in out
