"""In a group, anyone may read; only the group's admins change its settings."""

from __future__ import annotations

from bot.standin.bot_api import FakeBotApi
from tests.e2e.harness import BotProcess, Chat

GROUP = -100555
ADMIN, MEMBER = 71, 72


def test_group_settings_need_an_admin(api: FakeBotApi, bot: BotProcess) -> None:
    api.chat_admins[GROUP] = {ADMIN}
    group = Chat(api, GROUP, chat_type="supergroup")

    [reply] = group.send(f"/start@{api.username}", user_id=MEMBER)
    assert reply.text == "Only this group's admins can change its settings."
    [reply] = group.send("/country kz", user_id=MEMBER)
    assert reply.text == "Only this group's admins can change its settings."
    [reply] = group.send("/time 10:00", user_id=MEMBER)
    assert reply.text == "Only this group's admins can change its settings."
    [reply] = group.send("/settings", user_id=MEMBER)
    assert reply.text.startswith("You're not subscribed yet")

    [welcome] = group.send(f"/start@{api.username}", user_id=ADMIN)
    assert welcome.text.startswith("Hello! I send a short daily digest")  # no first name in groups
    answer = group.tap("country:KG", message_id=welcome.message_id, user_id=MEMBER, expect=0)
    assert answer == "Only this group's admins can change its settings."
    assert group.tap("country:KG", message_id=welcome.message_id, user_id=ADMIN) == (
        "Kyrgyzstan added"
    )
    [reply] = group.send("/country kg tj", user_id=ADMIN)
    assert "Following: 🇰🇬 Kyrgyzstan, 🇹🇯 Tajikistan" in reply.text

    [reply] = group.send(f"/latest@{api.username} kg 1", user_id=MEMBER)  # reading is free
    assert reply.text.startswith("📰 <b>Latest</b> — 🇰🇬 Kyrgyzstan")
    [reply] = group.send("/stop", user_id=MEMBER)
    assert reply.text == "Only this group's admins can change its settings."
    [reply] = group.send("/settings", user_id=MEMBER)
    assert "Countries: 🇰🇬 Kyrgyzstan, 🇹🇯 Tajikistan" in reply.text
    assert "Status: subscribed" in reply.text
    group.send("hello everyone", user_id=MEMBER, expect=0)  # plain talk in a group is not for us
    group.send("/help@another_bot", user_id=MEMBER, expect=0)
    [reply] = group.send("/help", user_id=MEMBER)
    assert "/latest — " in reply.text


def test_a_groups_language_is_the_groups_setting_changed_by_admins(
    api: FakeBotApi, bot: BotProcess
) -> None:
    group_id = -100556
    api.chat_admins[group_id] = {ADMIN}
    # The same group as two users see it: a Russian-speaking admin, an English-speaking member.
    admin = Chat(api, group_id, chat_type="supergroup", language_code="ru")
    member = Chat(api, group_id, chat_type="supergroup", language_code="en")

    [welcome] = admin.send("/start", user_id=ADMIN)  # the first /start sets the group's language
    assert welcome.text.startswith("Здравствуйте!")
    [settings] = member.send("/settings", user_id=MEMBER)  # the group's, not the member's
    assert settings.text.startswith("<b>Ваши настройки</b>")
    [refused] = member.send("/language en", user_id=MEMBER)
    assert refused.text == "Менять настройки группы могут только её администраторы."
    [switched] = admin.send("/language en", user_id=ADMIN)
    assert switched.text == "I'll write in English from now on."
    [settings] = member.send("/settings", user_id=MEMBER)
    assert settings.text.startswith("<b>Your settings</b>")
