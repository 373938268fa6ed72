"""The rules behind /country, /time, /timezone, /stop and their arguments."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import prefs as rules
from bot.telegram.picker import parse_callback, picker_markup
from storage.subscribers import ChatPrefs

UTC = dt.UTC
NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)  # 17:00 in Almaty (UTC+5)


def _chat() -> ChatPrefs:
    return rules.new_chat(1, "private", dt.time(9, 0), "Asia/Almaty", now=NOW)


def test_next_digest_is_the_next_local_occurrence() -> None:
    assert rules.next_digest_at(NOW, dt.time(9, 0), "Asia/Almaty") == dt.datetime(
        2026, 11, 24, 4, 0, tzinfo=dt.UTC
    )
    assert rules.next_digest_at(NOW, dt.time(18, 0), "Asia/Almaty") == dt.datetime(
        2026, 11, 23, 13, 0, tzinfo=dt.UTC
    )
    # Exactly at the digest time: that one is due now, so the next is tomorrow.
    at = dt.datetime(2026, 11, 24, 4, 0, tzinfo=dt.UTC)
    assert rules.next_digest_at(at, dt.time(9, 0), "Asia/Almaty") == at + dt.timedelta(days=1)


def test_next_digest_across_daylight_saving_changes() -> None:
    berlin = "Europe/Berlin"
    before_spring = dt.datetime(2026, 3, 28, 12, 0, tzinfo=dt.UTC)
    assert rules.next_digest_at(before_spring, dt.time(9, 0), berlin) == dt.datetime(
        2026,
        3,
        29,
        7,
        0,
        tzinfo=dt.UTC,  # 09:00 CEST, an hour earlier in UTC than the day before
    )
    # 02:30 does not exist on 29 March in Berlin: it resolves to 03:30 CEST.
    assert rules.next_digest_at(before_spring, dt.time(2, 30), berlin) == dt.datetime(
        2026, 3, 29, 1, 30, tzinfo=dt.UTC
    )
    before_autumn = dt.datetime(2026, 10, 24, 12, 0, tzinfo=dt.UTC)
    # 02:30 happens twice on 25 October: the first one (CEST) is taken.
    assert rules.next_digest_at(before_autumn, dt.time(2, 30), berlin) == dt.datetime(
        2026, 10, 25, 0, 30, tzinfo=dt.UTC
    )
    assert rules.next_digest_at(before_autumn, dt.time(9, 0), berlin) == dt.datetime(
        2026, 10, 25, 8, 0, tzinfo=dt.UTC
    )


@given(
    st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1)),
    st.times(),
    st.sampled_from(["Asia/Almaty", "Europe/Berlin", "America/New_York", "Asia/Kabul"]),
)
def test_next_digest_is_always_ahead_and_within_a_day(
    moment: dt.datetime, local: dt.time, zone: str
) -> None:
    now = moment.replace(tzinfo=dt.UTC)
    due = rules.next_digest_at(now, local, zone)
    assert now < due <= now + dt.timedelta(hours=25)


def test_first_country_guesses_the_zone_once() -> None:
    chat = rules.toggle_country(_chat(), "UZ", NOW)
    assert chat.countries == ("UZ",) and chat.timezone == "Asia/Tashkent"
    chat = rules.toggle_country(chat, "KZ", NOW)
    assert chat.countries == ("KZ", "UZ") and chat.timezone == "Asia/Tashkent"
    chosen = rules.set_zone(_chat(), "Europe/Paris", NOW)
    assert rules.set_countries(chosen, ("KG",), NOW).timezone == "Europe/Paris"
    assert rules.toggle_country(chat, "KZ", NOW).countries == ("UZ",)


def test_pause_resume_and_block_keep_preferences() -> None:
    chat = rules.set_time(rules.set_countries(_chat(), ("TJ",), NOW), dt.time(7, 15), NOW)
    paused = rules.pause(chat)
    assert paused.status == "paused" and paused.next_digest_at is None
    assert paused.countries == ("TJ",) and paused.digest_time == dt.time(7, 15)
    resumed = rules.subscribe(paused, NOW)
    assert resumed.status == "active" and resumed.next_digest_at is not None
    assert rules.block(resumed).next_digest_at is None


def test_digest_cursor_never_moves_back() -> None:
    sent = rules.digest_sent(_chat(), 40, NOW)
    assert sent.digest_cursor == 40 and sent.last_digest_at == NOW
    assert rules.digest_sent(sent, 12, NOW).digest_cursor == 40


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["kz", "uz"], ("KZ", "UZ")),
        (["Kazakhstan"], ("KZ",)),
        (["kyrgyz", "republic,", "TJ"], ("KG", "TJ")),
        (["uz", "uz"], ("UZ",)),
        (["ALL"], ("KZ", "KG", "TJ", "TM", "UZ", "AF")),
        # Russian names, as issue #15 asks: any case, older names too.
        (["казахстан", "Узбекистан"], ("KZ", "UZ")),
        (["Киргизия,", "туркмения"], ("KG", "TM")),
        (["все"], ("KZ", "KG", "TJ", "TM", "UZ", "AF")),
    ],
)
def test_country_arguments(args: list[str], expected: tuple[str, ...]) -> None:
    assert rules.parse_countries(args) == expected


def test_unknown_country_names_the_valid_ones() -> None:
    with pytest.raises(rules.BadArgument, match=r"“mordor”.*kz \(Kazakhstan\)"):
        rules.parse_countries(["kz", "mordor"])


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], (None, 5)),
        (["kz"], ("KZ", 5)),
        (["3", "uz"], ("UZ", 3)),
        (["99"], (None, 20)),
        (["узбекистан"], ("UZ", 5)),
    ],
)
def test_latest_arguments(args: list[str], expected: tuple[str | None, int]) -> None:
    assert rules.parse_latest(args) == expected


@pytest.mark.parametrize("args", [["0"], ["-1"], ["1", "2"], ["kz", "uz"], ["nowhere"]])
def test_bad_latest_arguments(args: list[str]) -> None:
    with pytest.raises(rules.BadArgument):
        rules.parse_latest(args)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9:00", dt.time(9)),
        ("07.30", dt.time(7, 30)),
        ("2359", dt.time(23, 59)),
        ("0h05", dt.time(0, 5)),
    ],
)
def test_times(text: str, expected: dt.time) -> None:
    assert rules.parse_time([text]) == expected


@pytest.mark.parametrize("text", ["24:00", "9:60", "noon", "", "9"])
def test_bad_times_give_an_example(text: str) -> None:
    with pytest.raises(rules.BadArgument, match="/time 08:30"):
        rules.parse_time([text])


def test_zones_any_case_or_by_country() -> None:
    assert rules.parse_zone(["asia/BISHKEK"]) == "Asia/Bishkek"
    assert rules.parse_zone(["tm"]) == "Asia/Ashgabat"
    assert rules.parse_zone(["UTC"]) == "UTC"
    with pytest.raises(rules.BadArgument, match="/timezone Asia/Tashkent"):
        rules.parse_zone(["Asia/Atlantis"])


def test_picker_buttons_round_trip_and_reject_forgeries() -> None:
    markup = picker_markup(("KZ",))
    buttons = [b for row in markup.inline_keyboard for b in row]
    assert buttons[0].text == "✅ 🇰🇿 Kazakhstan" and buttons[1].text == "🇰🇬 Kyrgyzstan"
    assert [parse_callback(str(b.callback_data)) for b in buttons] == [
        "KZ", "KG", "TJ", "TM", "UZ", "AF", "done"
    ]  # fmt: skip
    assert all(len(str(b.callback_data).encode()) <= 64 for b in buttons)
    for forged in [None, "", "country:", "country:XX", "country:kz", "toggle:KZ", "x" * 200]:
        assert parse_callback(forged) is None


def test_arguments_are_cleaned_of_invisible_characters_and_full_width_forms() -> None:
    assert rules.clean_args(["\x00k\u202ez\u200b", "９:００", "\u3000", "²"]) == ["kz", "9:00", "²"]
    assert rules.clean_args(["кыргызстан\u2066"]) == ["кыргызстан"]


@given(st.lists(st.text(max_size=60), max_size=80))
def test_any_arguments_parse_or_are_refused_with_a_short_reason(args: list[str]) -> None:
    cleaned = rules.clean_args(args)
    assert all(arg and arg == arg.strip() for arg in cleaned)
    for parse in (rules.parse_countries, rules.parse_latest, rules.parse_time, rules.parse_zone):
        try:
            parse(cleaned)
        except rules.BadArgument as error:
            assert len(str(error)) < 400  # a user's word is quoted shortened, never whole


def test_a_message_full_of_words_is_refused_not_searched() -> None:
    words = ("kyrgyz republic " * 300).split()  # 600 words that all look like names
    for parse in (rules.parse_countries, rules.parse_latest, rules.parse_time, rules.parse_zone):
        with pytest.raises(rules.BadArgument, match="too many words"):
            parse(rules.clean_args(words))
    assert rules.parse_countries(words[: rules.MAX_ARGS]) == ("KG",)


def test_huge_and_negative_counts() -> None:
    assert rules.parse_latest(["9" * 30]) == (None, rules.LATEST_MAX)
    for bad in (["-" + "9" * 30], ["-0"], ["0" * 30]):
        with pytest.raises(rules.BadArgument, match="1 or more"):
            rules.parse_latest(bad)


def test_brevity_arguments() -> None:
    assert rules.parse_brevity(["headlines"]) == "headlines"
    assert rules.parse_brevity(["Кратко"]) == "short"
    assert rules.parse_brevity(["full"]) == "full"
    with pytest.raises(rules.BadArgument, match="/brief headlines"):
        rules.parse_brevity(["medium"])
    assert rules.new_chat(1, "private", dt.time(9), "Asia/Almaty", now=NOW).brevity == "short"


# -- which days ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "days"),
    [
        (["mon-fri"], (1, 2, 3, 4, 5)),
        (["Mon", "-", "Fri"], (1, 2, 3, 4, 5)),
        (["sat"], (6,)),
        (["all"], (1, 2, 3, 4, 5, 6, 7)),
        (["mon,", "wed,", "fri"], (1, 3, 5)),
        (["fri-mon"], (1, 5, 6, 7)),  # a range may wrap the week's end
        (["weekends"], (6, 7)),
        (["пн-пт"], (1, 2, 3, 4, 5)),
        (["сб"], (6,)),
        (["все"], (1, 2, 3, 4, 5, 6, 7)),
    ],
)
def test_days_are_parsed(words: list[str], days: tuple[int, ...]) -> None:
    assert rules.parse_days(words) == days


@pytest.mark.parametrize("words", [["someday"], ["mon-someday"], [","], ["mon", "x" * 4000]])
def test_unknown_days_are_refused(words: list[str]) -> None:
    with pytest.raises(rules.BadArgument):
        rules.parse_days(words)


def test_weekday_digests_skip_the_weekend_across_a_dst_change() -> None:
    berlin = "Europe/Berlin"
    friday = dt.datetime(2026, 10, 23, 7, 0, tzinfo=UTC)  # 09:00 CEST
    after_friday = rules.next_digest_at(friday, dt.time(9, 0), berlin, (1, 2, 3, 4, 5))
    assert after_friday == dt.datetime(2026, 10, 26, 8, 0, tzinfo=UTC)  # Monday, 09:00 CET
    saturday_only = rules.next_digest_at(friday, dt.time(9, 0), berlin, (6,))
    assert saturday_only == dt.datetime(2026, 10, 24, 7, 0, tzinfo=UTC)
