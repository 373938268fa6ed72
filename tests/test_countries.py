from __future__ import annotations

import pytest

from bot.news.countries import tag_countries
from bot.news.snapshot import parse_snapshot
from tests.conftest import EXPECTED, SEEDS


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_seed_countries(name: str) -> None:
    snapshot = parse_snapshot((SEEDS / name).read_text(encoding="utf-8"))
    for article, expected in zip(snapshot.articles, EXPECTED[name]["articles"], strict=True):
        tagged = set(tag_countries(article.title, article.body))
        must = set(expected["countries"])
        may = must | set(expected["also_acceptable"])
        assert must <= tagged <= may, (article.title, tagged)


FILLER = " ".join(["Officials discussed trade, energy and transport at length."] * 6)


def test_subject_in_title_tags() -> None:
    assert tag_countries("Tajikistan Opens Rogun Unit", FILLER) == ["TJ"]


def test_passing_mention_deep_in_body_does_not_tag() -> None:
    body = f"Uzbekistan raised tariffs on Monday. {FILLER} A similar rule exists in Kazakhstan."
    assert tag_countries("Uzbekistan Raises Tariffs", body) == ["UZ"]


def test_surname_containing_a_leaders_name_does_not_tag() -> None:
    body = f"Economist Dilshod Rahmonov and analyst Aigul Tokayeva commented. {FILLER}"
    assert tag_countries("Inflation Slows Across the Region", body) == []


def test_bukhara_deer_is_not_uzbekistan() -> None:
    body = "Rangers in the Ile-Balkhash reserve counted 40 Bukhara deer this spring. " + FILLER
    assert "UZ" not in tag_countries("Deer Numbers Grow in Kazakhstan Reserve", body)


def test_rasht_valley_is_tajikistan_and_rasht_alone_is_not() -> None:
    """Rasht's valley and district are Tajik; Rasht alone is also a city of Iran, which
    Russian writes «Решт»."""
    quake = "Houses were damaged in three villages of the Rasht Valley, the KChS said. "
    assert tag_countries("Earthquake Damages Homes in Rasht Valley", quake + FILLER) == ["TJ"]
    ru = "Дома повреждены в трёх джамоатах Раштского района, сообщили в КЧС."
    assert tag_countries("Землетрясение в Раштской долине", ru) == ["TJ"]
    iran = "Protesters gathered in Rasht, the capital of Iran's Gilan province. " + FILLER
    assert tag_countries("Protests Spread to Rasht", iran) == []


def test_dateline_capital_does_not_tag_its_country() -> None:
    body = "ASTANA - Afghanistan's Taliban government signed a rail deal with Uzbekistan. " + FILLER
    assert tag_countries("Taliban Sign Rail Deal", body) == ["UZ", "AF"]


def test_fergana_valley_alone_tags_nobody() -> None:
    body = "Farmers across the Fergana Valley expect a record cotton harvest. " + FILLER
    assert tag_countries("Record Harvest Expected in the Fergana Valley", body) == []


def test_enumeration_of_all_five_in_a_regional_story() -> None:
    body = "Leaders of all five Central Asian states met in Samarkand for a summit. " + FILLER
    assert tag_countries("Central Asia Leaders Meet", body) == ["KZ", "KG", "TJ", "TM", "UZ"]


@pytest.mark.parametrize(
    "meeting",
    ["на саммите «Россия – Центральная Азия»", "на саммите «Центральная Азия – Россия»",
     "на форуме Китай — Центральная Азия"],
)  # fmt: skip
def test_a_meeting_of_the_five_with_a_power_named_first_or_last_is_about_all_five(
    meeting: str,
) -> None:
    body = f"АШХАБАД. Президент России выступил {meeting} и предложил новый коридор."
    assert tag_countries("Путин предложил новый коридор", body) == ["KZ", "KG", "TJ", "TM", "UZ"]


def test_russian_spellings() -> None:
    body = "Президент Токаев провёл переговоры в Астане. " + FILLER
    assert tag_countries("Казахстан и Узбекистан подписали соглашение", body) == ["KZ", "UZ"]


def test_russian_spellings_tag_like_english() -> None:
    from tests.tagging_cases import CASES
    from tests.tagging_cases_ru import RUSSIAN_CASES

    russian = [c for c in CASES if any("а" <= ch <= "я" for ch in c.title.lower())]
    assert len(russian) >= 15 and len(RUSSIAN_CASES) >= 60
    for case in [*russian, *RUSSIAN_CASES]:
        tagged = set(tag_countries(case.title, case.body))
        assert case.must <= tagged <= case.allowed, case.title


# Every case of each country's name, and its variants: a name in the title is the subject.
RUSSIAN_FORMS = {
    "KZ": "Казахстан Казахстана Казахстану Казахстаном Казахстане Астане Токаеву Астаны",
    "KG": "Кыргызстан Кыргызстана Кыргызстаном Киргизия Киргизии Киргизию Бишкеке Жапаровым",
    "TJ": "Таджикистан Таджикистана Таджикистаном Таджикистане Душанбе Рахмона",
    "TM": "Туркменистан Туркменистана Туркмения Туркмении Туркменией Ашхабаде Бердымухамедова",
    "UZ": "Узбекистан Узбекистана Узбекистану Узбекистаном Узбекистане Ташкенте Мирзиёевым",
    "AF": "Афганистан Афганистана Афганистаном Кабуле талибы Талибан",
}


@pytest.mark.parametrize(
    ("code", "form"),
    [(code, form) for code, forms in RUSSIAN_FORMS.items() for form in forms.split()],
)
def test_a_russian_name_in_any_case_in_the_title_tags(code: str, form: str) -> None:
    assert tag_countries(f"Новость дня: {form} и соседи", FILLER) == [code]


@pytest.mark.parametrize(
    ("phrase", "code"),
    [
        ("Узбекские власти", "UZ"),
        ("узбекистанские мигранты", "UZ"),
        ("Казахстанская сторона", "KZ"),
        ("кыргызское правительство", "KG"),
        ("Таджикские пограничники", "TJ"),
        ("туркменская делегация", "TM"),
        ("Афганские власти", "AF"),
    ],
)
def test_the_state_or_its_people_by_adjective_tag_like_the_country(phrase: str, code: str) -> None:
    assert tag_countries(f"{phrase} сделали заявление", FILLER) == [code]


@pytest.mark.parametrize(
    "title",
    [
        "В Бухаресте прошли выборы мэра",
        "Ошибка в расчётах обошлась компании дорого",
        "В Петропавловске-Камчатском выпал снег",
        "На Уральском заводе запустили новую линию",
        "Рыбаки поймали сома весом 40 килограммов",
        "Курс азербайджанского маната не изменился",
    ],
)
def test_russian_lookalikes_tag_nothing(title: str) -> None:
    assert tag_countries(title, FILLER) == []


def test_a_title_listing_three_countries_is_about_all_three() -> None:
    title = "Таджикистан, Кыргызстан и Узбекистан договорились о квотах на воду"
    assert tag_countries(title, FILLER) == ["KG", "TJ", "UZ"]


def test_a_short_items_last_sentence_is_not_its_lede() -> None:
    body = (
        "В Бишкеке подорожал хлеб, сообщили в мэрии. Пекари ссылаются на цены на муку. "
        "Мука дорожает с осени, как и в соседнем Казахстане."
    )
    assert tag_countries("Хлеб подорожал", body) == ["KG"]
