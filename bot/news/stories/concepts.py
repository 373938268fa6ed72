"""What happened, in words that do not transliterate: one key for the English and Russian
words news tells an event with (pure data and a lookup).

Names meet across languages by their sounds (Жапаров, Japarov) and through the alias
table (Китай, China); what happened does not: "detained" and «задержан», "earthquake"
and «землетрясение», "appeal" and «обжаловал» share no letter. An English report and a
Russian one of one arrest often share only the country, which is no evidence. Each entry
here is a concept key with its English and Russian words, written as plain words in
their usual forms; they are stemmed at import by the rules articles are stemmed by
(`bot.news.text.terms`), so every form whose stem is listed meets.

Only words that tell events apart are listed: an arrest, a verdict, a flood, a price
freeze. The words every report of the region uses ("meeting", "cooperation",
"president") are not: they would let any two reports of one capital meet (the region's
commonplaces, `bot.news.stories.commonplace`). Words that transliterate (budget,
memorandum, tariff) meet by their sounds already and are left out.

A change here changes the search index's tokens ("cc" + concept): it comes with a
migration that writes the stored rows anew through `storage.search.rewrite_all`, as
0015, 0016 and 0018 do. Stored story features need no new version: an article's concepts are
worked out from its stored words when they are read.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from bot.news.text import terms

PREFIX = "~"  # a concept's key among an article's sounds: "~arrest"

# concept: (English words, Russian words)
_CONCEPTS: dict[str, tuple[str, str]] = {
    # Crime and the courts
    "arrest": ("arrest arrested arrests detain detained detains detention custody",
               "задержан задержана задержаны задержали задержал задержание задержания "
               "арест арестован арестована арестованы арестовали"),
    "charge": ("charged charges indicted indictment accused suspect suspected suspicion",
               "обвинение обвинения обвиняемый обвиняют обвинили подозреваемый подозрении "
               "подозревают"),
    "verdict": ("verdict sentenced sentence convicted conviction guilty",
                "приговор приговора приговорил приговорили приговорен приговорён осужден "
                "осуждён осужденный осуждённый осудил осудили виновным"),
    "appeal": ("appeal appealed appeals cassation",
               "обжаловал обжаловали обжаловать обжалование апелляция апелляционный "
               "апелляционную кассация кассационный"),
    "prison": ("prison prisoner prisoners jail jailed imprisonment",
               "тюрьма тюрьмы тюрьме заключение заключения заключенный заключенные колонии "
               "колонию лишения"),
    "bribe": ("bribe bribes bribery",
              "взятка взятки взяток взяточничество"),
    "corruption": ("corruption corrupt graft",
                   "коррупция коррупции коррупционный коррупционных"),
    "fraud": ("fraud fraudulent fraudsters scam",
              "мошенничество мошенничества мошенники мошенников"),
    "embezzlement": ("embezzlement embezzled embezzling misappropriation",
                     "хищение хищения растрата растраты присвоение присвоения"),
    "smuggling": ("smuggling smuggled smugglers contraband",
                  "контрабанда контрабанды контрабандисты"),
    "drugs": ("drugs narcotics heroin hashish",
              "наркотики наркотиков наркотических героин гашиш"),
    "murder": ("murder murdered homicide",
               "убийство убийства убит убита убиты убили"),
    "extradition": ("extradition extradited extradite",
                    "экстрадиция экстрадиции экстрадирован выдача выдачи"),
    "pardon": ("pardon pardoned amnesty",
               "помилование помиловал помилован амнистия амнистии"),
    "search": ("raid raided raids",
               "обыск обыски обысков"),
    "investigation": ("investigation investigators probe",
                      "расследование расследования следствие следствия следователи"),
    "court": ("court courts tribunal",
              "суд суда суде судом судья судьи"),
    "prosecutor": ("prosecutor prosecutors prosecution",
                   "прокурор прокурора прокуратура прокуратуры генпрокуратура"),
    # Politics
    "protest": ("protest protests protesters rally rallies demonstration demonstrators",
                "протест протесты протестующие митинг митинга митинги акция демонстрация"),
    "election": ("election elections elected vote votes voting voters ballot polling",
                 "выборы выборов избран избрана голосование голосования избиратели "
                 "избирателей бюллетени"),
    "referendum": ("referendum plebiscite",
                   "референдум референдума референдуме"),
    "constitution": ("constitution constitutional",
                     "конституция конституции конституционный конституционного"),
    "resignation": ("resign resigned resigns resignation",
                    "отставка отставку отставки уволен уволила"),
    "appointment": ("appointed appoints appointment",
                    "назначен назначена назначил назначение назначения"),
    "dismissal": ("dismissed dismisses sacked removed",
                  "освобожден освобождён освободил снят сняли"),
    "decree": ("decree decrees",
               "указ указа указом распоряжение"),
    "law": ("law laws bill bills legislation",
            "закон закона законе законопроект законопроекта законодательство"),
    "parliament": ("parliament parliamentary lawmakers legislature",
                   "парламент парламента парламенте парламентом депутаты депутатов "
                   "мажилис мажилиса мажилисе"),
    "ratification": ("ratify ratified ratification",
                     "ратифицировал ратифицировали ратификация ратификации ратифицирован"),
    "treaty": ("treaty treaties",
               "договор договора договоре договоров"),
    "sanctions": ("sanctions sanctioned",
                  "санкции санкций санкционный санкционных"),
    "opposition": ("opposition dissident dissidents",
                   "оппозиция оппозиции оппозиционный оппозиционер"),
    "journalist": ("journalist journalists reporter reporters",
                   "журналист журналисты журналиста журналистов"),
    "amendment": ("amendment amendments",
                  "поправки поправок поправка"),
    "ban": ("ban banned bans prohibited prohibition",
            "запрет запрета запретил запретили запрещен запрещён"),
    "citizenship": ("citizenship citizens passport passports",
                    "гражданство гражданства граждане граждан паспорт паспорта"),
    # Disasters and accidents
    # An aftershock days later is an event of its own, not the earthquake.
    "earthquake": ("earthquake earthquakes quake",
                   "землетрясение землетрясения землетрясении"),
    "magnitude": ("magnitude",
                  "магнитуда магнитудой магнитуды"),
    "flood": ("flood floods flooding flooded",
              "паводок паводки паводков наводнение наводнения подтопление подтоплены "
              "затоплены"),
    "mudflow": ("mudflow mudflows mudslide",
                "сель сели селевой селевые"),
    "avalanche": ("avalanche avalanches",
                  "лавина лавины лавин"),
    "landslide": ("landslide landslides",
                  "оползень оползня оползни"),
    "fire": ("fire fires blaze ablaze burned wildfire",
             "пожар пожара пожаре пожары возгорание возгорания горел сгорел"),
    "collapse": ("collapse collapsed collapses",
                 "обрушение обрушения обрушилась обрушился обрушились обвал обвала"),
    "mine": ("mine mines miners mining colliery",
             "шахта шахты шахте шахтеры шахтёры шахтеров шахтёров горняки горняков рудник "
             "рудника"),
    "explosion": ("explosion explosions blast exploded",
                  "взрыв взрыва взрыве взорвался"),
    "crash": ("crash crashed collision derailed",
              "авария аварии крушение крушения столкновение столкнулись разбился"),
    "drought": ("drought",
                "засуха засухи засухой"),
    "storm": ("storm storms hurricane dust",
              "буря бури ураган пыльная"),
    "heat": ("heatwave heat",
             "жара жары зной"),
    "snow": ("snow snowfall blizzard",
             "снег снега снегопад метель"),
    "evacuation": ("evacuated evacuation evacuate",
                   "эвакуированы эвакуировали эвакуация эвакуации"),
    "rescue": ("rescuers rescue rescued",
               "спасатели спасателей спасли спасены"),
    "dead": ("dead died killed deaths death toll fatalities",
             "погиб погибли погибших погибла жертвы жертв скончался скончались смерть"),
    "injured": ("injured injuries wounded hurt",
                "пострадавшие пострадали пострадавших ранены ранения травмы"),
    "missing": ("missing",
                "пропавших пропали пропавшие пропал"),
    "damage": ("damaged damage destroyed",
               "повреждены повреждено повреждения разрушены разрушено ущерб"),
    "houses": ("houses homes dwellings",
               "дома домов жилые жилых"),
    "emergency": ("emergency emergencies",
                  "чрезвычайной чрезвычайная чрезвычайных чс мчс кчс"),
    # Health
    "outbreak": ("outbreak epidemic infection infections infected",
                 "вспышка вспышки эпидемия эпидемии инфекция инфекции заражение заражения "
                 "заразились"),
    "vaccine": ("vaccine vaccines vaccination vaccinated",
                "вакцина вакцины вакцинация вакцинации привиты прививки"),
    "measles": ("measles", "корь кори"),
    "anthrax": ("anthrax", "сибирская сибирской язва язвы"),
    "poisoning": ("poisoning poisoned",
                  "отравление отравления отравились"),
    "hospital": ("hospital hospitals hospitalized clinic",
                 "больница больницы больнице госпитализированы клиника"),
    "doctors": ("doctors physicians medics",
                "врачи врачей медики медиков"),
    # The economy
    "inflation": ("inflation inflationary",
                  "инфляция инфляции инфляционный"),
    "rate": ("rate rates refinancing",
                  "ставка ставки ставку"),
    "prices": ("price prices priced pricing",
               "цена цены цен ценам стоимость подорожание подорожал подорожали"),
    "freeze": ("freeze frozen moratorium",
               "мораторий моратория заморозка заморозки заморожены"),
    "fuel": ("fuel gasoline petrol diesel",
             "топливо топлива бензин бензина дизель дизельного дизтопливо гсм"),
    "coal": ("coal", "уголь угля углем угольный"),
    "oil": ("oil crude", "нефть нефти нефтяной нефтяных"),
    "refinery": ("refinery refineries refining",
                 "нпз нефтеперерабатывающий нефтеперерабатывающего нефтехимический "
                 "нефтехимического переработки"),
    "electricity": ("electricity blackout blackouts outages",
                    "электроэнергия электроэнергии электричество электричества отключения "
                    "отключение энергоснабжение света"),
    "heating": ("boiler boilers",
                "отопление отопления тэц котельная котельной теплоснабжение"),
    "water": ("water", "вода воды водой водные водных водоснабжение"),
    "dam": ("dam dams hydropower reservoir",
            "гэс плотина плотины водохранилище водохранилища"),
    "pipeline": ("pipeline pipelines",
                 "трубопровод трубопровода газопровод газопровода нефтепровод"),
    "railway": ("railway railways railroad rail train trains",
                "железная железной железнодорожный железнодорожного поезд поезда"),
    "road": ("road roads highway motorway",
             "дорога дороги автодорога автодороги трасса трассы шоссе"),
    "flight": ("flight flights airline airlines aviation plane aircraft",
               "рейс рейсы рейсов авиакомпания авиакомпании самолет самолёт самолета"),
    "bridge": ("bridge bridges", "мост моста мосту мостом"),
    "border": ("border borders frontier",
               "граница границы границе пограничный пограничного пограничники"),
    "checkpoint": ("checkpoint checkpoints crossing crossings",
                   "пропуска кпп"),
    "migrants": ("migrant migrants migration deported deportation",
                 "мигранты мигрантов депортированы депортация выдворены"),
    "refugees": ("refugees refugee asylum",
                 "беженцы беженцев убежище убежища"),
    "wheat": ("wheat grain grains flour",
              "пшеница пшеницы зерно зерна мука муки"),
    "cotton": ("cotton", "хлопок хлопка хлопковый"),
    "gold": ("gold", "золото золота золотой"),
    "copper": ("copper", "медь меди медный"),
    "loan": ("loan loans lending credit",
             "кредит кредита кредиты заем заём займ займа"),
    "debt": ("debt debts", "долг долга долги задолженность"),
    "tax": ("tax taxes taxation",
            "налог налога налоги налогов налоговый"),
    "bank": ("bank banks banking",
             "банк банка банки банков банковский"),
    "currency": ("currency devaluation",
                 "валюта валюты курс курса девальвация"),
    "wages": ("wages wage salary salaries pensions",
              "зарплата зарплаты зарплат заработная пенсии пенсий"),
    "bankruptcy": ("bankruptcy bankrupt insolvency",
                   "банкротство банкротства банкротом"),
    "privatization": ("privatization privatisation privatized",
                      "приватизация приватизации приватизирован"),
    # A plant, a mine or a crossing stopped: "halts", "suspended", «приостановил»,
    # «закроют». Not "close" or «закрытый»: "close to", a closed session.
    "shutdown": ("shut shuts shutdown closure suspend suspended suspends suspension halt "
                 "halted halts",
                 "приостановил приостановила приостановило приостановили приостановлен "
                 "приостановлена приостановлено приостановлены приостановить приостановка "
                 "приостановки закроют закроет закрыли остановлен остановлена остановлено "
                 "остановлены остановка остановки"),
    # Security
    "attack": ("attack attacks attacked terrorist terrorism",
               "нападение нападения напали теракт теракта террористический"),
    "militants": ("militants militant insurgents",
                  "боевики боевиков боевик"),
    "clash": ("clash clashes shooting shootout gunfire",
              "перестрелка перестрелки стрельба обстрел"),
    "troops": ("troops soldiers servicemen army military",
               "военные военных военнослужащие военнослужащих армия армии войска войск"),
    "drills": ("drills exercises",
               "учения учений учениях"),
    "weapons": ("weapons weapon arms",
                "оружие оружия вооружение вооружения"),
    "hostages": ("hostage hostages", "заложники заложников"),
    # Diplomacy, beyond the commonplaces
    "phone": ("phone telephone",
              "телефон телефону телефонный телефонном телефонного"),
    "ambassador": ("ambassador ambassadors envoy envoys",
                   "посол посла послом спецпредставитель спецпредставители "
                   "спецпредставителей"),
    "embassy": ("embassy embassies", "посольство посольства посольстве"),
    "inauguration": ("inauguration inaugurated sworn",
                     "инаугурация инаугурации присягу"),
    # Education, society, religion
    "school": ("school schools schoolchildren pupils",
               "школа школы школ школьники школьников"),
    "university": ("university universities students",
                   "университет университета вуз вузы студенты студентов"),
    "education": ("education educational",
                  "образование образования образовании"),
    "women": ("women woman girls",
              "женщины женщин женщинам девочки девочек девушки"),
    "mosque": ("mosque mosques", "мечеть мечети"),
    "hijab": ("hijab headscarf headscarves", "хиджаб хиджаба платки"),
    "language": ("language languages", "язык языка языке языков"),
    # Sport
    "championship": ("championship championships cup",
                     "чемпионат чемпионата чемпионате кубок кубка"),
    "medal": ("medal medals medalist",
              "медаль медали медалей медалист"),
    "victory": ("win wins won victory beat",
                "победа победу победил победила обыграл обыграли"),
    "defeat": ("lost defeat",
               "проиграл проиграла проиграли поражение поражения уступил уступила"),
    "wrestling": ("wrestling wrestler wrestlers",
                  "борьба борьбе борец борцы"),
    "football": ("football soccer", "футбол футбола футбольный футбольного"),
}  # fmt: skip


@lru_cache(maxsize=1)
def _table() -> Mapping[tuple[str, str], str]:
    """(language, stem) → concept key, each stem as `terms` makes it."""
    table: dict[tuple[str, str], str] = {}
    for concept, (english, russian) in _CONCEPTS.items():
        for language, words in (("en", english), ("ru", russian)):
            for stem in terms(words, language):
                table.setdefault((language, stem), PREFIX + concept)
    return table


def concept_of(stem: str, language: str) -> str | None:
    """The concept key of a word stem of `language` ("~arrest"), None if it names none."""
    return _table().get((language, stem))


def concept_of_stem(stem: str) -> str | None:
    """`concept_of` a stem of either language, told by its script (as search stems are
    made: Russian rules for Cyrillic, English for Latin)."""
    language = "en" if stem.isascii() else "ru"
    return _table().get((language, stem))


def concepts() -> Mapping[str, tuple[str, str]]:
    """The table: concept → (English words, Russian words)."""
    return _CONCEPTS
