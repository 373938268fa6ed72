from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.news.compose import MESSAGE_LIMIT, compose_digest, pack_messages, utf16_len
from tests.telegram_html import html_problems


@dataclass(frozen=True)
class A:
    title: str
    summary: tuple[str, ...]
    countries: tuple[str, ...]
    page_date: dt.date | None = dt.date(2026, 2, 21)
    url: str | None = None
    also: tuple[tuple[str, str, str], ...] = ()
    more_outlets: int = 0
    source: str | None = None


@dataclass(frozen=True)
class R:
    currency: str
    base: str
    rate: float
    change: str


def test_nothing_new_means_no_message() -> None:
    assert compose_digest([], ["KZ"]) == []
    assert compose_digest([A("Tajik news", ("x.",), ("TJ",))], ["KZ"]) == []


def test_grouped_by_country_with_flags_and_escaped_text() -> None:
    articles = [
        A("Tokayev & <Putin> Meet", ("They met <today> & talked.",), ("KZ",)),
        A("Mirziyoyev Visits Paraguay", ("A first visit.",), ("UZ",)),
        A("Border Deal Signed", ("A deal.",), ("KZ", "UZ")),
    ]
    [message] = compose_digest(articles, ["UZ", "KZ"], rates=[R("KZT", "USD", 0.002, "-0.1%")])
    assert "<b>Tokayev &amp; &lt;Putin&gt; Meet</b>" in message
    assert "They met &lt;today&gt; &amp; talked." in message
    assert message.index("🇺🇿 <b>Uzbekistan</b>") < message.index("🇰🇿 <b>Kazakhstan</b>")
    assert message.count("Border Deal Signed") == 1  # placed once, under Uzbekistan
    assert "<b>Border Deal Signed</b> 🇰🇿" in message
    assert "1 USD = 500.0 KZT (−0.1%)" in message


def test_each_item_names_its_outlet_beside_the_title_escaped() -> None:
    articles = [
        A("Rogun Unit Starts", ("It runs.",), ("TJ",), url="https://asiaplustj.info/r/1",
          source="Asia-Plus <TJ> & Co"),
        A("Osh Fair Opens", ("Stalls.",), ("KG",), url="https://24.kg/osh/2"),  # no name: host
        A("Snapshot Text", ("Plain.",), ("KG",)),  # no outlet known: no name
    ]  # fmt: skip
    [message] = compose_digest(articles, ["TJ", "KG"])
    assert "Rogun Unit Starts</a></b> — Asia-Plus &lt;TJ&gt; &amp; Co" in message
    assert "Osh Fair Opens</a></b> — 24.kg 🇰🇬" not in message  # the KG heading hides the flag
    assert "Osh Fair Opens</a></b> — 24.kg\n" in message
    assert "<b>Snapshot Text</b>\n" in message
    assert not html_problems(message)


def test_more_than_the_cap_points_to_latest() -> None:
    articles = [A(f"Kazakh story {i}", ("Text.",), ("KZ",)) for i in range(8)]
    [message] = compose_digest(articles, ["KZ"], max_per_country=5)
    assert "Kazakh story 4" in message and "Kazakh story 5" not in message
    assert "and 3 more — /latest kz" in message


def test_messages_split_between_articles_under_the_limit() -> None:
    long_summary = ("Ürümqi 🇰🇿 " * 150,)  # emoji count double in UTF-16
    articles = [A(f"Story {i}", long_summary, ("KZ",)) for i in range(12)]
    messages = compose_digest(articles, ["KZ"], max_per_country=12)
    assert len(messages) > 1
    assert all(utf16_len(m) <= MESSAGE_LIMIT for m in messages)
    joined = "\n\n".join(messages)
    assert all(f"<b>Story {i}</b>" in joined for i in range(12))
    for message in messages:  # every message holds whole articles only
        assert message.count("<b>Story") == message.count("</i>")


def test_a_huge_article_is_shortened_not_dropped() -> None:
    article = A("Huge", ("word " * 5000,), ("KZ",))
    [message] = compose_digest([article], ["KZ"])
    assert utf16_len(message) <= MESSAGE_LIMIT
    assert "<b>Huge</b>" in message and "…" in message


def test_pack_messages_keeps_order() -> None:
    blocks = ["a" * 3000, "b" * 3000, "c" * 10]
    assert pack_messages(blocks) == ["a" * 3000, "b" * 3000 + "\n\n" + "c" * 10]


def test_a_title_with_a_url_is_a_link_and_the_url_is_escaped() -> None:
    linked = A("Bridge & Road", ("Opened.",), ("KZ",), url='https://steppe.example/a?b=1&c="2"')
    plain = A("Snapshot Story", ("Text.",), ("KZ",))
    [message] = compose_digest([linked, plain], ["KZ"])
    assert (
        '<b><a href="https://steppe.example/a?b=1&amp;c=&quot;2&quot;">Bridge &amp; Road</a></b>'
        in message
    )
    assert "<b>Snapshot Story</b>" in message  # no URL: no link
    assert html_problems(message) == []
    odd = A("Odd Link", ("Text.",), ("KZ",), url="javascript:alert(1)")
    assert "<a " not in compose_digest([odd], ["KZ"])[0]


def test_brevity_headlines_short_and_full() -> None:
    story = A("Bridge Opens", ("One.", "Two.", "Three."), ("KZ",))
    full, short, headlines = (
        compose_digest([story], ["KZ"], brevity=b)[0] for b in ("full", "short", "headlines")
    )
    assert "One. Two. Three." in full and "<i>21 Feb 2026</i>" in full
    assert "One." in short and "Two." not in short
    assert "<b>Bridge Opens</b>" in headlines and "One." not in headlines and "<i>" not in headlines
    many = [A(f"Story number {n}", ("A long sentence about it. " * 8,), ("KZ",)) for n in range(40)]
    packed = compose_digest(many, ["KZ"], max_per_country=40, brevity="headlines")
    assert len(packed) < len(compose_digest(many, ["KZ"], max_per_country=40, brevity="full"))
