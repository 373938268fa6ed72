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
            r"Казахстан\w*",
            r"Астан\w*",
            r"Токаев\w*",
            r"Мажилис\w*",
            r"Акорд\w*",
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
            r"Алматы",
            r"Шымкент\w*",
            r"Назарбаев\w*",
            r"казахстанск\w*",
            r"Казахстанск\w*",
            r"казах\w*",
            r"Байконур\w*",
            r"тенге",
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
            r"Кыргызстан\w*",
            r"Киргизи\w*",
            r"Бишкек\w*",
            r"Жапаров\w*",
            r"Жогорку Кенеш\w*",
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
            r"кыргызск\w*",
            r"киргизск\w*",
            r"Ош",
            r"Иссык-Кул\w*",
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
            r"Таджикистан\w*",
            r"Душанбе",
            r"Рахмон\w*",
            r"Эмомали",
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
            r"TALCO",
            r"Barki Tojik",
            r"somoni",
            r"TJS",
            r"таджикск\w*",
            r"Худжанд\w*",
            r"Рогун\w*",
            r"сомони",
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
            r"Туркменистан\w*",
            r"Туркмени\w*",
            r"Ашхабад\w*",
            r"Бердымухамедов\w*",
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
            r"туркменск\w*",
            r"Туркменбаши",
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
            r"Узбекистан\w*",
            r"Ташкент\w*",
            r"Мирзиёев\w*",
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
            r"узбекск\w*",
            r"Самарканд\w*",
            r"Бухар\w*",
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
            r"Афганистан\w*",
            r"Кабул\w*",
            r"талиб\w*",
            r"Талибан\w*",
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
            r"афганск\w*",
        ),
    },
}

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
)
# "the UN office for Central Asia", "the EU's special representative for Central Asia":
# the region is the remit of one office, which is in one country; that does not make the
# story about every republic it names.
REGION_REMIT = (
    r"(?:for|covering)\s+(?:the\s+)?(?:whole\s+of\s+)?Central\s+Asia(?:n\s+region)?",
    r"по\s+Центральн\w*\s+Ази\w*",
)
