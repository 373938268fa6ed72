"""Names that point at a country, in English and Russian, with how much they weigh.

STRONG names leave no doubt which country is meant: the country itself, its
capital, its sitting leaders, its parliament, its presidential office.
MEDIUM names point at a country but are often used in passing: demonyms, other
cities and regions, state companies, currencies, former leaders.

Patterns are regular expressions matched case-sensitively at word boundaries,
so "Rahmonov" does not match "Rahmon" and "mary" is not the city of Mary (left
out altogether: too common as a first name).  Russian entries end in `\\w*`
because Russian nouns inflect (Казахстана, Казахстане, ...).
"""

from __future__ import annotations

STRONG = 2.0
MEDIUM = 1.0

COUNTRY_CODES: tuple[str, ...] = ("KZ", "KG", "TJ", "TM", "UZ", "AF")

# The five republics that "Central Asia" means; Afghanistan is a neighbour.
CENTRAL_ASIA: tuple[str, ...] = ("KZ", "KG", "TJ", "TM", "UZ")

# "Uzbek migrants in Russia", "Kyrgyz workers in Kazakhstan": a story about a country's
# people abroad is about that country, though the story happens elsewhere.
PEOPLE_ABROAD = (
    r"(?:s?\s+(?i:(?:labou?r\s+)?(?:migrants?|workers|citizens|nationals|students|pilgrims|refugees"
    r"|diaspora|community))"
    # ... and "the Kazakh government said": the state speaking for itself.
    r"|\s+(?i:government|authorities|officials|ministry|president|parliament|prime\s+minister"
    r"|side|delegation|state))"
)

NAMES: dict[str, dict[float, tuple[str, ...]]] = {
    "KZ": {
        STRONG: (
            r"Kazakh(?:stani)?" + PEOPLE_ABROAD,
            r"Kazakhstan",
            r"KAZAKHSTAN",
            r"Astana",
            r"ASTANA",
            r"Nur-Sultan",
            r"Tokayev",
            r"Tokaev",
            r"Kassym-Jomart",
            r"Mazhilis",
            r"Majilis",
            r"Akorda",
            r"Bektenov",
        ),
        MEDIUM: (
            r"Kazakhs?",
            r"Kazakhstanis?",
            r"Almaty",
            r"ALMATY",
            r"Shymkent",
            r"Karaganda",
            r"Karagandy",
            r"Aktau",
            r"Atyrau",
            r"Aktobe",
            r"Pavlodar",
            r"Semey",
            r"Ust-Kamenogorsk",
            r"Oskemen",
            r"Kostanay",
            r"Aralsk",
            r"Taraz",
            r"Kyzylorda",
            r"Turkistan",
            r"Baikonur",
            r"Mangystau",
            r"Zhanaozen",
            r"Petropavl",
            r"Uralsk",
            r"Ekibastuz",
            r"Nazarbayev",
            r"Samruk-Kazyna",
            r"KazMunayGas",
            r"KazMunayGaz",
            r"Kazatomprom",
            r"Kazakhtelecom",
            r"Halyk Bank",
            r"Kaspi",
            r"tenge",
            r"KZT",
        ),
    },
    "KG": {
        STRONG: (
            r"Kyrgyz(?:stani)?" + PEOPLE_ABROAD,
            r"Kyrgyzstan",
            r"KYRGYZSTAN",
            r"Kyrgyz Republic",
            r"Bishkek",
            r"BISHKEK",
            r"Japarov",
            r"Zhaparov",
            r"Jogorku Kenesh",
            r"Kasymaliev",
            r"Kasymaliyev",
        ),
        MEDIUM: (
            r"Kyrgyz",
            r"Kyrgyzstanis?",
            r"Kirghiz",
            r"Osh",
            r"Jalal-Abad",
            r"Karakol",
            r"Issyk-Kul",
            r"Issyk Kul",
            r"Naryn",
            r"Batken",
            r"Tokmok",
            r"Cholpon-Ata",
            r"Kumtor",
            r"Kyrgyzaltyn",
            r"Atambayev",
            r"Jeenbekov",
            r"Tashiev",
        ),
    },
    "TJ": {
        STRONG: (
            r"Tajik(?:istani)?" + PEOPLE_ABROAD,
            r"Tajikistan",
            r"TAJIKISTAN",
            r"Dushanbe",
            r"DUSHANBE",
            r"Rahmon",
            r"Rakhmon",
            r"Emomali",
            r"Majlisi Oli",
            r"Majlisi Namoyandagon",
            r"Majlisi Milli",
            r"Rasulzoda",
        ),
        MEDIUM: (
            r"Tajiks?",
            r"Tajikistanis?",
            r"Khujand",
            r"Kulob",
            r"Kulyab",
            r"Bokhtar",
            r"Khorog",
            r"Gorno-Badakhshan",
            r"GBAO",
            r"Istaravshan",
            r"Penjikent",
            r"Panjakent",
            r"Rogun",
            r"Sughd",
            r"Khatlon",
            r"Isfara",
            r"Vahdat",
            # Rasht alone is also Gilan's capital in Iran; its valley and district are here
            r"Rasht\s+(?:[Vv]alley|[Dd]istrict)",
            r"Nurek",
            r"Tursunzod[ae]",
            r"TALCO",
            r"Barki Tojik",
            r"somoni",
            r"TJS",
        ),
    },
    "TM": {
        STRONG: (
            r"Turkmen(?:istani)?" + PEOPLE_ABROAD,
            r"Turkmenistan",
            r"TURKMENISTAN",
            r"Ashgabat",
            r"ASHGABAT",
            r"Ashkhabad",
            r"Berdimuhamedov",
            r"Berdymukhamedov",
            r"Berdimuhammedov",
            r"Halk Maslahaty",
        ),
        MEDIUM: (
            r"Turkmens?",
            r"Turkmenistanis?",
            r"Turkmenbashi",
            r"Dashoguz",
            r"Turkmenabat",
            r"Balkanabat",
            r"Awaza",
            r"Lebap",
            r"Galkynysh",
            r"Turkmengaz",
            r"Niyazov",
            r"Kunya-Urgench",
            r"Konye-Urgench",
            r"manat",
            r"TMT",
        ),
    },
    "UZ": {
        STRONG: (
            r"Uzbek(?:istani)?" + PEOPLE_ABROAD,
            r"Uzbekistan",
            r"UZBEKISTAN",
            r"Tashkent",
            r"TASHKENT",
            r"Mirziyoyev",
            r"Mirziyoev",
            r"Oliy Majlis",
            r"Aripov",
        ),
        MEDIUM: (
            r"Uzbeks?",
            r"Uzbekistanis?",
            r"Samarkand",
            r"Samarqand",
            r"Bukhara",
            r"Khiva",
            r"Namangan",
            r"Andijan",
            r"Fergana",
            r"Ferghana",
            r"Nukus",
            r"Karakalpakstan",
            r"Termez",
            r"Navoi",
            r"Navoiy",
            r"Jizzakh",
            r"Kokand",
            r"Karshi",
            r"Qarshi",
            r"(?<!-)Urgench",
            r"Chirchiq",
            r"Margilan",
            r"Almalyk",
            r"Uzbekneftegaz",
            r"Islam Karimov",
            r"soums?",
            r"UZS",
        ),
    },
    "AF": {
        STRONG: (
            r"Afghan" + PEOPLE_ABROAD,
            r"Afghanistan",
            r"AFGHANISTAN",
            r"Kabul",
            r"KABUL",
            r"Taliban",
            r"Islamic Emirate",
            r"Akhundzada",
        ),
        MEDIUM: (
            r"Afghans?",
            r"Afghani",
            r"afghanis?",
            r"Kandahar",
            r"Herat",
            r"Mazar-i-Sharif",
            r"Mazar-e-Sharif",
            r"Jalalabad",
            r"Kunduz",
            r"Balkh",
            r"Hairatan",
            r"Torghundi",
            r"Helmand",
            r"Ghazni",
            r"Wakhan",
            r"AFN",
        ),
    },
}

# Russian, the region's other language of news. Nouns inflect, so a name is its stem and
# its case endings: an explicit list where a looser `\w*` would reach another word
# (Бухар-а, not Бухарест; Балх-а, not Балхаш; Уральск-е, not Уральский). An adjective
# or demonym is matched in either case, as it opens a sentence capitalised.
_RU_CASES = r"(?:а|я|ы|и|е|у|ю|ом|ем|ой|ей)?"  # Ош, Оша, Оше, Ошу, Ошом; Бухара, Бухарой
# "узбекские мигранты", "казахстанская сторона": the country's people or the state
# itself, as PEOPLE_ABROAD in English.
RU_PEOPLE_OR_STATE = (
    r"\w*\s+(?:(?:трудов\w+\s+)?мигрант\w*|граждан\w*|власт\w*|правительств\w*|министерств\w*"
    r"|МИД\w*|ведомств\w*|сторон\w*|делегаци\w*|президент\w*|парламент\w*|лидер\w*|премьер\w*"
    r"|студент\w*|паломник\w*|диаспор\w*|посольств\w*|пограничник\w*|силовик\w*|депутат\w*"
    r"|дипломат\w*|чиновник\w*|Минобороны|Минфин\w*|Минэнерго)"
)
RUSSIAN_NAMES: dict[str, dict[float, tuple[str, ...]]] = {
    "KZ": {
        STRONG: (
            r"Казахстан\w*",
            r"[Кк]азах(?:стан)?ск" + RU_PEOPLE_OR_STATE,
            r"Астан" + _RU_CASES,
            r"Токаев\w*",
            r"Касым-Жомарт\w*",
            r"Мажилис\w*",
            r"Акорд" + _RU_CASES,
            r"Бектенов\w*",
        ),
        MEDIUM: (
            r"[Кк]азах\w*",  # казахский, казахи, казахстанский, казахстанцы
            r"РК",  # Республика Казахстан, as the country's own outlets abbreviate it
            r"Алматы",
            r"Алма-Ат" + _RU_CASES,
            r"Шымкент" + _RU_CASES,
            r"Караганд" + _RU_CASES,
            r"[Кк]арагандинск\w*",
            r"Актау",
            r"Атырау",
            r"Актобе",
            r"Павлодар" + _RU_CASES,
            r"Усть-Каменогорск" + _RU_CASES,
            r"Костана" + _RU_CASES,
            r"Тараз" + _RU_CASES,
            r"Кызылорд" + _RU_CASES,
            r"Уральск" + _RU_CASES,
            r"Петропавловск" + _RU_CASES + r"(?!-)",  # not Петропавловск-Камчатский
            r"Экибастуз" + _RU_CASES,
            r"Жанаозен" + _RU_CASES,
            r"Мангист\w*",
            r"Мангыст\w*",
            r"Балхаш" + _RU_CASES,
            r"Байконур" + _RU_CASES,
            r"Назарбаев\w*",
            r"Самрук-Казын\w*",
            r"КазМунайГаз\w*",
            r"Казатомпром\w*",
            r"Халык\s+[Бб]анк\w*",
            r"тенге",
        ),
    },
    "KG": {
        STRONG: (
            r"Кыргызстан\w*",
            r"Киргизи\w*",
            r"Кыргызск\w*\s+Республик\w*",
            r"[Кк](?:ыргыз|иргиз)(?:стан)?ск" + RU_PEOPLE_OR_STATE,
            r"Бишкек\w*",
            r"Жапаров\w*",
            r"Садыр\w*",
            r"Жогорку\s+Кенеш\w*",
            r"Касымалиев\w*",
        ),
        MEDIUM: (
            r"[Кк]ыргыз\w*",  # кыргызский, кыргызы, кыргызстанцы
            r"[Кк]иргиз\w*",
            r"КР",  # Кыргызская Республика
            r"Ош" + _RU_CASES,
            r"[Оо]шск\w*",
            r"Джалал-Абад\w*",
            r"Каракол" + _RU_CASES,
            r"Нарын" + _RU_CASES,
            r"Баткен" + _RU_CASES,
            r"Токмок" + _RU_CASES,
            r"Чолпон-Ат\w*",
            r"Иссык-Кул\w*",
            r"Ысык-Кул\w*",
            r"Чуйск\w*\s+област\w*",
            r"Таласск\w*\s+област\w*",
            r"Кумтор\w*",
            r"Кыргызалтын\w*",
            r"Атамбаев\w*",
            r"Жээнбеков\w*",
            r"Ташиев\w*",
        ),
    },
    "TJ": {
        STRONG: (
            r"Таджикистан\w*",
            r"[Тт]аджик(?:истан)?ск" + RU_PEOPLE_OR_STATE,
            r"Душанбе",
            r"Рахмон\w*",
            r"Эмомали",
            r"Маджлис\w*\s+(?:[Оо]ли|милли|намояндагон)",
            r"Расулзод\w*",
        ),
        MEDIUM: (
            r"[Тт]аджик\w*",  # таджикский, таджики, таджикистанцы
            r"РТ",  # Республика Таджикистан
            r"Худжанд\w*",
            r"Куляб\w*",
            r"Кулоб\w*",
            r"Бохтар\w*",
            r"Хорог\w*",
            r"ГБАО",
            r"Горно-Бадахшан\w*",
            r"Истаравшан\w*",
            r"Пенджикент\w*",
            r"Панджакент\w*",
            r"Рогун\w*",
            r"Согд\w*",
            r"Хатлон\w*",
            r"Исфар" + _RU_CASES,
            r"Вахдат\w*",
            r"Рашт\w*",  # Iran's Rasht is «Решт» in Russian
            r"Нурек\w*",
            r"Турсунзаде",
            r"ТАЛКО",
            r"Барки\s+Точик",
            r"сомони",
        ),
    },
    "TM": {
        STRONG: (
            r"Туркменистан\w*",
            r"Туркмени(?:я|и|ю|ей)",
            r"[Тт]уркмен(?:истан)?ск" + RU_PEOPLE_OR_STATE,
            r"Ашхабад\w*",
            r"Бердымухамедов\w*",
            r"Халк\s+Маслахат\w*",
        ),
        MEDIUM: (
            r"[Тт]уркмен\w*",  # туркменский, туркмены, Туркменбаши
            r"Дашогуз\w*",
            r"Туркменабад\w*",
            r"Балканабад\w*",
            r"Аваз[аеуы]",
            r"Лебап\w*",
            r"Галкыныш\w*",
            r"Мары",
            r"Ниязов\w*",
            r"манат\w*",
        ),
    },
    "UZ": {
        STRONG: (
            r"Узбекистан\w*",
            r"[Уу]збек(?:истан)?ск" + RU_PEOPLE_OR_STATE,
            r"Ташкент\w*",
            r"Мирзиёев\w*",
            r"Мирзиеев\w*",
            r"Олий\s+Мажлис\w*",
            r"Арипов\w*",
            r"РУз",  # Республика Узбекистан
        ),
        MEDIUM: (
            r"[Уу]збек\w*",  # узбекский, узбеки, узбекистанцы, Узбекнефтегаз
            r"[Уу]збечк\w*",
            r"Самарканд\w*",
            r"Бухар" + _RU_CASES,
            r"[Бб]ухарск\w*",
            r"Хив" + _RU_CASES,
            r"Наманган\w*",
            r"Андижан\w*",
            r"Ферган" + _RU_CASES,
            r"Нукус\w*",
            r"Каракалпак\w*",
            r"Термез\w*",
            r"Навои",
            r"Джиз{1,2}ак\w*",
            r"Коканд\w*",
            r"Карши",
            r"Ургенч\w*",
            r"Хорезм\w*",
            r"Чирчик\w*",
            r"Маргилан\w*",
            r"Алмалык\w*",
            r"Сурхандар\w*",
            r"Кашкадар\w*",
            r"Ислам\w*\s+Каримов\w*",
            r"сум(?:ов|а)?",
        ),
    },
    "AF": {
        STRONG: (
            r"Афганистан\w*",
            r"[Аа]фганск" + RU_PEOPLE_OR_STATE,
            r"Кабул" + _RU_CASES,
            r"[Тт]алиб\w*",
            r"Талибан\w*",
            r"Исламск\w+\s+[Ээ]мират\w*",
            r"Ахундзад\w*",
        ),
        MEDIUM: (
            r"[Аа]фган\w*",  # афганский, афганцы, афгани
            r"Кандагар\w*",
            r"Герат\w*",
            r"Мазари-Шариф\w*",
            r"Джелалабад\w*",
            r"Кундуз\w*",
            r"Балх" + _RU_CASES,
            r"Хайратон\w*",
            r"Гильменд\w*",
            r"Гельменд\w*",
            r"Газни",
            r"Вахан\w*",
            r"Панджшер\w*",
        ),
    },
}
for _code, _tiers in RUSSIAN_NAMES.items():
    for _weight, _names in _tiers.items():
        NAMES[_code][_weight] = (*NAMES[_code][_weight], *_names)

# The countries and their capitals in the region's own languages (Uzbek and Turkmen
# in Latin script, Kazakh, Kyrgyz and Tajik in Cyrillic, Dari and Pashto), so that
# an article in one of them is tagged too. Uzbek writes its ʻ as any apostrophe.
_OKINA = "[ʻʼ'’`]?"
OWN_LANGUAGE_NAMES: dict[str, tuple[str, ...]] = {
    "KZ": (r"Qozog" + _OKINA + r"iston\w*", r"Qazaqstan\w*", r"Қазақстан\w*", r"Қозоғистон\w*"),
    "KG": (
        r"Qirg" + _OKINA + r"iziston\w*",
        r"Qyrgyzstan\w*",
        r"Қирғизистон\w*",
        r"Bishkekda",
        r"Бишкекте",
    ),
    "TJ": (r"Tojikiston\w*", r"Тоҷикистон\w*", r"Тожикистон\w*", r"Dushanbeda"),
    "TM": (r"Türkmenistan\w*", r"Turkmaniston\w*", r"Aşgabat\w*", r"Туркманистон\w*"),
    "UZ": (r"O" + _OKINA + r"zbekiston\w*", r"Ўзбекистон\w*", r"Toshkent\w*", r"Тошкент\w*"),
    "AF": (r"Afg" + _OKINA + r"oniston\w*", r"افغانستان", r"کابل", r"Афғонистон\w*"),
}
for _code, _names in OWN_LANGUAGE_NAMES.items():
    NAMES[_code][STRONG] = (*NAMES[_code][STRONG], *_names)

# Phrases whose country word is not about that country; blanked before matching.
TRAPS: tuple[str, ...] = (
    r"Bukhara deer",
    r"Bukhara stag",
    r"Afghan hounds?",
    r"Azerbaijani manats?",
    r"Fergana [Vv]alley",
    r"Ferghana [Vv]alley",
    r"Ферганск\w* долин\w*",  # the valley is shared by three republics
    r"Туркменск\w* (?:муниципальн\w+ )?округ\w*",  # a district of Russia's Stavropol Krai
    r"[Аа]зербайджанск\w* манат\w*",
)

# Words that make an article about the region as a whole.
REGION = (
    r"Central Asia(?:n)?",
    r"C5\+1",
    r"B5\+1",
    r"C5",
    r"Центральн\w* Ази\w*",
)
# Formats in which the five republics meet as one: a story about such a meeting is about
# all five, even when its text names only the host or one speaker.
_MEETING = (
    r"(?:[Ss]ummit|[Ff]orum|[Dd]ialogue|[Ff]ormat|[Mm]inisterial|[Cc]onference|[Mm]eeting"
    r"|[Tt]alks)"
)
_DASH = r"\s*[-–—]\s*"
ALL_FIVE = (
    r"(?:all\s+)?five\s+(?:countries\s+of\s+)?Central\s+Asia(?:n)?",
    r"all\s+five\s+(?:countries|states|republics|nations|leaders|presidents|heads\s+of\s+state)",
    r"C5\+1",
    r"B5\+1",
    r"Central\s+Asia\s*\+\s*\w+",
    # "Central Asia–EU summit", "the EU–Central Asia Forum", "China-Central Asia summit"
    rf"Central\s+Asia{_DASH}[\w.]+\s+(?:[\w.]+\s+)?{_MEETING}",
    rf"[\w.]+{_DASH}Central\s+Asia(?:n)?\s+(?:[\w.]+\s+)?{_MEETING}",
    # "the heads of state of Central Asia", their "consultative meeting" ("Central Asian
    # presidents" alone is not enough: an essay may quote three of them)
    r"heads\s+of\s+state\s+of\s+(?:the\s+)?Central\s+Asia(?:n\s+\w+)?",
    r"[Cc]onsultative\s+[Mm]eeting\s+of\s+(?:the\s+)?[Hh]eads\s+of\s+[Ss]tate",
    r"(?:лидер|глав|президент)\w*\s+(?:пяти\s+)?(?:государств\s+|стран\s+)?Центральн\w*\s+Ази\w*",
    r"(?:пят\w*|всех)\s+(?:государств|стран|республик)\s+Центральн\w*\s+Ази\w*",
    r"(?:саммит|форум|диалог|встреч|формат)\w*\s+[«\"]?Центральн\w*\s+Ази\w*\s*[-–—+]\s*\w+",
    # the power first: «саммите «Россия – Центральная Азия»», «форум Китай — Центральная Азия»
    r"(?:саммит|форум|диалог|встреч|формат)\w*\s+[«\"]?\w+\s*[-–—]\s*Центральн\w*\s+Ази\w*",
)
# "the UN office for Central Asia", "the EU's special representative for Central Asia":
# the region is the remit of one office, which is in one country; that does not make the
# story about every republic it names.
REGION_REMIT = (
    r"(?:for|covering)\s+(?:the\s+)?(?:whole\s+of\s+)?Central\s+Asia(?:n\s+region)?",
    r"по\s+Центральн\w*\s+Ази\w*",
)
