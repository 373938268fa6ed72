"""Translations: every message in the code has a Russian one; plurals, dates and rates."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from bot.i18n import catalog_path, format_day, language_for, translator
from bot.news.compose import compose_digest
from tests.test_digest import A, R

ROOT = Path(__file__).resolve().parent.parent
# gettext's own names, and `say(language, message)` / `say_escaped(language, message)`.
KEYWORDS = {**DEFAULT_KEYWORDS, "say": (2,), "say_escaped": (2,)}
PLACEHOLDER = re.compile(r"\{\w*\}|%\(\w+\)[sd]")


def _messages_in_code() -> set[tuple[str, ...]]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT / "bot"), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, tuple) else (message,))
    return found


# The names a marked message is passed to, and where the message is among the arguments.
MARKERS = {"N_": 0, "say": 1, "say_escaped": 1, "gettext": 0, "ngettext": 0}


def _marked_literals(tree: ast.AST) -> set[str]:
    """Every string literal passed to a marker, however deeply the call is nested
    (Babel's extractor sees one call at a time and misses a marked call inside the
    arguments of another)."""
    found = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(
            node.func, "id", None)  # fmt: skip
        place = MARKERS.get(name or "")
        if place is None or len(node.args) <= place:
            continue
        argument = node.args[place]
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            found.add(argument.value)
    return found


def test_nested_marked_messages_are_in_the_catalog_too() -> None:
    with catalog_path("ru").open("rb") as po:
        catalog = read_po(po, locale="ru")
    literals: set[str] = set()
    for path in (ROOT / "bot").rglob("*.py"):
        literals |= _marked_literals(ast.parse(path.read_text(encoding="utf-8")))
    assert len(literals) > 100, "no messages found: is the walk looking in the right place?"
    missing = sorted(m for m in literals if catalog.get(m) is None or not catalog.get(m).string)
    assert not missing, f"marked but not translated: {missing[:5]}"


def test_every_message_has_a_russian_translation_with_the_same_placeholders() -> None:
    with catalog_path("ru").open("rb") as po:
        catalog = read_po(po, locale="ru")
    in_code = _messages_in_code()
    assert in_code, "no messages found: is the extractor looking in the right place?"
    for message in in_code:
        entry = catalog.get(message[0])
        assert entry is not None, f"no Russian for {message[0]!r}: bash scripts/update_catalog.sh"
        assert not entry.fuzzy, f"fuzzy Russian for {message[0]!r}"
        translations = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        assert all(translations), f"empty Russian for {message[0]!r}"
        wanted = set(PLACEHOLDER.findall(message[0]))
        for translation in translations:
            assert set(PLACEHOLDER.findall(translation)) == wanted, translation


@pytest.mark.parametrize(
    ("n", "word"),
    [(0, "статей"), (1, "статья"), (2, "статьи"), (5, "статей"), (11, "статей"), (12, "статей"),
     (21, "статья"), (22, "статьи"), (25, "статей"), (111, "статей")],
)  # fmt: skip
def test_russian_plurals(n: int, word: str) -> None:
    line = translator("ru").ngettext(
        "and {n} more — /latest {code}", "and {n} more — /latest {code}", n
    )
    assert line.format(n=n, code="kz") == f"и ещё {n} {word} — /latest kz"


def test_dates_in_both_languages() -> None:
    day = dt.date(2026, 12, 2)
    assert format_day(day, "en") == "2 Dec 2026"
    assert format_day(day, "ru") == "2 декабря 2026"


@pytest.mark.parametrize(
    ("code", "language"),
    [("ru", "ru"), ("ru-RU", "ru"), ("kk", "ru"), ("uz", "ru"), ("uk", "ru"), ("en", "en"),
     ("de", "en"), (None, "en"), ("", "en")],
)  # fmt: skip
def test_language_from_telegrams_language_code(code: str | None, language: str) -> None:
    assert language_for(code) == language


def test_a_russian_digest_preview() -> None:
    day = dt.date(2026, 12, 2)
    articles = [A(f"Story {n}", ("Text.",), ("UZ",), page_date=day) for n in range(7)]
    rates = [R("UZS", "USD", 0.00008, "-0.19%")]
    [message] = compose_digest(articles, ["UZ"], rates=rates, max_per_country=5, language="ru")
    assert "📰 <b>Дайджест новостей Центральной Азии</b>" in message
    assert "🇺🇿 <b>Узбекистан</b>" in message and "<i>2 декабря 2026</i>" in message
    assert "и ещё 2 статьи — /latest uz" in message
    assert "💱 <b>Курсы валют</b>\n1 USD = 12\u00a0500 UZS (−0,19%)" in message


def test_stats_in_russian() -> None:
    from bot.telegram.texts import SourceHealth, stats_text

    text = stats_text(
        "ru",
        {"active": 2},
        5,
        None,
        None,
        [SourceHealth("https://a.example/", 3, 500, None, "HTTP 500")],
    )
    assert text.startswith("<b>Статистика newsbot</b>")
    assert "Подписчики: активных 2" in text and "Последняя рассылка: пока не было" in text
    assert "сбоев подряд: 3" in text


def test_the_walk_finds_marked_calls_nested_in_other_calls() -> None:
    tree = ast.parse('reply(say(lang, "a {x}", x=say(lang, "b")), t.gettext("c"), N_("d"), f("e"))')
    assert _marked_literals(tree) == {"a {x}", "b", "c", "d"}
