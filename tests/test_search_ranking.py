"""Search that finds what a person types (issue "search that finds what a person types"),
on real SQLite and PostgreSQL: a story is scored over all its articles, a word it lacks
lowers it but does not hide it, country adjectives meet their names, English meets
Russian through the names both name, wider stories come first, and meaning reorders
the best by words."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Sequence

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.news.articles import title_key
from bot.news.stories import meaning
from bot.news.stories.meaning import meaning_text
from bot.search.archive import Reader, find_stories, newest_stories
from bot.search.documents import search_stems
from storage import search
from storage.db import open_session, write_session
from storage.models import ArticleCountry, ArticleRecord

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)

# (story, outlet, language, title, body), hours before NOW
Row = tuple[str, str, str, str, str]


def store(engine: Engine, rows: list[tuple[Row, float]]) -> dict[int, str]:
    """The articles, each `story` label one story; story id → label."""
    stories: dict[str, int] = {}
    with write_session(engine) as session, session.begin():
        for (story, outlet, language, title, body), hours in rows:
            seen = NOW - dt.timedelta(hours=hours)
            record = ArticleRecord(
                title_key=title_key(title), title=title, body=body, truncated=False,
                summary=body, published_on=seen.date(), first_seen=seen, updated_at=seen,
                url=f"https://{outlet}.example/{title_key(title)[:40]}", source=outlet,
                language=language, outlet=outlet, story_at=seen,
            )  # fmt: skip
            session.add(record)
            session.flush()
            assert record.id is not None
            record.story_id = stories.setdefault(story, record.id)
            search.index_articles(session=session, rows=[(record.id, *search_stems(title, body))])
    return {story_id: label for label, story_id in stories.items()}


def ranked(
    engine: Engine,
    labels: dict[int, str],
    query: str,
    reader: Reader | None = None,
    *,
    by_meaning: bool = True,
) -> list[str]:
    with open_session(engine) as session:
        found = find_stories(session, query, reader or Reader(), limit=10, by_meaning=by_meaning)
    return [labels[f.item.story] for f in found]


@pytest.mark.parametrize(
    ("query", "wanted", "other"),
    [
        ("kyrgyz coal mine", "Coal mine collapses in Kyrgyzstan", "Coal mine collapses in Kazakhstan"),
        ("кыргызская угольная шахта", "В Кыргызстане обрушилась угольная шахта",
         "В Казахстане обрушилась угольная шахта"),
        ("uzbek railway", "Uzbekistan opens a railway to Termez", "Tajikistan opens a railway to Termez"),
        ("узбекская железная дорога", "Узбекистан открыл железную дорогу",
         "Таджикистан открыл железную дорогу"),
        ("tajik hydropower", "Tajikistan builds a hydropower plant", "Kyrgyzstan builds a hydropower plant"),
        ("казахстанский уран", "Казахстан нарастил добычу урана", "Узбекистан нарастил добычу урана"),
        ("kazakh uranium", "Казахстан нарастил добычу урана", "Узбекистан нарастил добычу урана"),
        ("afghan wheat", "Afghanistan buys wheat", "Pakistan buys wheat"),
    ],
)  # fmt: skip
def test_a_country_adjective_meets_its_name_in_either_language(
    engine: Engine, query: str, wanted: str, other: str
) -> None:
    """The two stories differ only by their country: the one the adjective names wins."""
    language = "ru" if any("а" <= c <= "я" for c in wanted.lower()) else "en"
    labels = store(engine, [
        (("wanted", "steppe", language, wanted, wanted + "."), 2),
        (("other", "oasis", language, other, other + "."), 1),  # the newer of the two
    ])  # fmt: skip
    assert ranked(engine, labels, query)[:1] == ["wanted"]


def test_a_word_the_story_lacks_lowers_it_but_does_not_hide_it(engine: Engine) -> None:
    """Five words typed, one of them in no article: the story that has the other four
    comes first, before one that has a single word of them."""
    labels = store(engine, [
        (("treaty", "steppe", "en", "Japarov and Rahmon sign water treaty",
          "The Isfara treaty was signed in Khujand."), 5),
        (("other", "oasis", "en", "Water tariffs rise in Osh", "Tariffs rose again."), 1),
    ])  # fmt: skip
    assert ranked(engine, labels, "japarov rahmon isfara water agreement") == ["treaty", "other"]
    assert ranked(engine, labels, "japarov rahmon isfara treaty")[0] == "treaty"


def test_an_english_query_finds_a_story_through_its_russian_reports(engine: Engine) -> None:
    """The story's English article names none of the words; its Russian one names
    Рахмон and Рогун, whose name keys the English words share."""
    labels = store(engine, [
        (("rogun", "steppe", "en", "Third unit starts at the big plant",
          "Engineers started the third unit on Monday."), 2),
        (("rogun", "tau", "ru", "Рахмон запустил третий агрегат Рогунской ГЭС",
          "Президент Эмомали Рахмон в понедельник запустил третий агрегат Рогуна."), 2),
        (("other", "oasis", "en", "Dushanbe opens a new airport terminal", "It opened."), 1),
    ])  # fmt: skip
    english = Reader(languages=frozenset({"en"}))
    assert ranked(engine, labels, "rahmon rogun", english) == ["rogun"]
    with open_session(engine) as session:
        [found] = find_stories(session, "rahmon rogun", english, limit=5)
    assert found.item.language == "en"  # shown by its English article


@pytest.mark.parametrize(
    ("query", "wanted", "other"),
    [
        # Across languages: the story's only report is Russian, and no name is typed.
        ("earthquake damage houses",
         ("Землетрясение в Раштской долине", "Землетрясение повредило дома в трёх селах."),
         ("Паводок в Раштской долине", "Паводок подтопил дома в трёх селах.")),
        ("землетрясение дома",
         ("Quake hits Rasht valley", "The earthquake damaged homes in three villages."),
         ("Floods hit Rasht valley", "The flood damaged homes in three villages.")),
        ("miners hurt in collapse",
         ("Двое горняков пострадали при обрушении кровли", "На шахте обрушилась кровля."),
         ("Двое горняков награждены", "На шахте наградили горняков.")),
        # One language, another word for it.
        ("customs officers detained",
         ("Two customs officers arrested in Osh", "Both were taken into custody on Monday."),
         ("Two customs officers promoted in Osh", "Both were praised on Monday.")),
    ],
)  # fmt: skip
def test_a_word_finds_the_reports_that_say_what_happened_in_other_words(
    engine: Engine, query: str, wanted: tuple[str, str], other: tuple[str, str]
) -> None:
    """The two stories share the place; only the event tells them apart, and the wanted
    one tells it in the other language or in another word (bot.news.stories.concepts)."""
    language = "ru" if any("а" <= c <= "я" for c in wanted[0].lower()) else "en"
    labels = store(engine, [
        (("wanted", "steppe", language, *wanted), 2),
        (("other", "oasis", language, *other), 1),  # the newer of the two
    ])  # fmt: skip
    assert ranked(engine, labels, query, by_meaning=False)[:1] == ["wanted"]


def test_a_name_joined_to_a_number_finds_the_name_written_apart(engine: Engine) -> None:
    """"kambarata-1" is a phrase; the Russian report writes «Камбаратинской ГЭС-1", the
    name apart from the number: the name's key finds it, after a story that says it."""
    labels = store(engine, [
        (("russian", "tau", "ru", "Жапаров осмотрел стройку Камбаратинской ГЭС-1",
          "Садыр Жапаров осмотрел стройку Камбаратинской ГЭС-1 в Нарынской области."), 2),
        (("english", "steppe", "en", "Work on Kambarata-1 speeds up", "Builders hurry."), 3),
        (("other", "oasis", "en", "Rogun dam gets a third turbine", "It started."), 1),
    ])  # fmt: skip
    assert ranked(engine, labels, "kambarata-1", by_meaning=False) == ["english", "russian"]


@pytest.mark.parametrize("query", ["jalal-abad hospital", "джалал-абад больница"])
def test_a_hyphenated_name_finds_it_in_the_other_script(engine: Engine, query: str) -> None:
    """The phrase's stems are of one script; the names of its parts, all of them, are
    any script's (a story that names only one part is not found by them)."""
    labels = store(engine, [
        (("russian", "tau", "ru", "В Джалал-Абаде открыли новую больницу",
          "В Джалал-Абаде открыли больницу на 200 коек."), 2),
        (("english", "steppe", "en", "Jalal-Abad opens a new hospital",
          "A hospital with 200 beds opened in Jalal-Abad."), 3),
        (("other", "oasis", "en", "Abad Group opens a hospital in Osh", "It opened."), 1),
    ])  # fmt: skip
    found = ranked(engine, labels, query, by_meaning=False)
    assert set(found[:2]) == {"russian", "english"} and found[2:] == ["other"]


@pytest.mark.parametrize("query", ["mirziyoev school", "мирзиёев школа"])
def test_a_name_spelled_otherwise_counts_in_the_title(engine: Engine, query: str) -> None:
    """Another spelling or script of a title's name is a title match, as the name as
    written is: the story whose title names him ranks before the newer one whose body
    does."""
    labels = store(engine, [
        (("title", "steppe", "en", "Mirziyoyev opens a school in Termez",
          "President Mirziyoyev said the school has 900 places."), 3),
        (("body", "oasis", "en", "A school opens in Termez",
          "President Mirziyoyev sent a greeting to the school."), 1),
    ])  # fmt: skip
    assert ranked(engine, labels, query, by_meaning=False) == ["title", "body"]


def test_the_word_itself_ranks_before_another_word_for_it(engine: Engine) -> None:
    """"verdict" finds the story that says "sentenced" too, after the one that says it."""
    labels = store(engine, [
        (("said", "steppe", "en", "Court upholds verdict in Osh customs case",
          "The verdict stands."), 3),
        (("other", "oasis", "en", "Osh customs officer sentenced to nine years",
          "He was sentenced on Monday."), 1),  # newer, and a concept match only
    ])  # fmt: skip
    assert ranked(engine, labels, "osh customs verdict", by_meaning=False) == ["said", "other"]


def test_a_story_found_through_one_report_shows_that_reports_title(engine: Engine) -> None:
    """A report joined to another event's story is not hidden behind the other's title."""
    labels = store(engine, [
        (("meeting", "steppe", "en", "Contact group on Afghanistan meets in Astana",
          "Envoys met in Astana; a Taliban delegation came. " * 8), 5),
        (("meeting", "steppe", "en", "Taliban spokesman says trade with Central Asia comes first",
          "He spoke at length."), 3),
    ])  # fmt: skip
    with open_session(engine) as session:
        [found] = find_stories(session, "taliban spokesman", Reader(), limit=5)
        assert labels[found.item.story] == "meeting" and len(found.articles) == 2
        assert found.item.title.startswith("Taliban spokesman")
        [found] = find_stories(session, "astana envoys", Reader(), limit=5)
        assert found.item.title.startswith("Contact group")


def test_latest_shows_a_story_under_a_report_of_the_readers_countries(engine: Engine) -> None:
    labels = store(engine, [
        (("meeting", "steppe", "en", "Contact group on Afghanistan meets in Astana",
          "Envoys met in Astana. " * 20), 5),
        (("meeting", "oasis", "en", "Kabul names a new envoy to Tashkent", "He starts soon."), 3),
    ])  # fmt: skip
    with write_session(engine) as session, session.begin():
        for record in session.exec(select(ArticleRecord)).all():
            assert record.id is not None
            country = {"steppe": "KZ", "oasis": "UZ"}[record.outlet]
            session.add(ArticleCountry(article_id=record.id, country=country))
    with open_session(engine) as session:
        [uzbek] = newest_stories(session, Reader(countries=("UZ",)), limit=5)
        [kazakh] = newest_stories(session, Reader(countries=("KZ",)), limit=5)
    assert labels[uzbek.story] == "meeting" and uzbek.title.startswith("Kabul names")
    assert kazakh.title.startswith("Contact group")  # also the fuller text


def test_more_outlets_rank_before_fewer_when_the_words_match_alike(engine: Engine) -> None:
    one_outlet = ("Bishkek hosts a forum on mountain tourism", "Guides came from all regions.")
    three = ("Bishkek hosts a forum on mountain tourism", "Guides came from every region.")
    labels = store(engine, [
        (("single", "steppe", "en", *one_outlet), 1),
        (("wide", "oasis", "en", three[0] + " today", three[1]), 2),
        (("wide", "mountain", "en", three[0] + " again", three[1]), 2),
        (("wide", "tau", "en", three[0] + " once more", three[1]), 2),
    ])  # fmt: skip
    assert ranked(engine, labels, "bishkek forum mountain tourism") == ["wide", "single"]


def test_a_number_meets_its_grouping(engine: Engine) -> None:
    labels = store(engine, [
        (("wanted", "steppe", "en", "Exports reach a record", "Exports reached 5,000 tonnes."), 1),
        (("other", "oasis", "en", "Exports fall", "Exports fell to 300 tonnes."), 1),
    ])  # fmt: skip
    assert ranked(engine, labels, "exports 5000 tonnes")[0] == "wanted"


# Two stories that hold "Kabul" and "electricity" alike; only one is about the city going
# dark, and neither says "blackout".
KABUL: list[tuple[Row, float]] = [
    (("outage", "steppe", "en", "Kabul electricity supply collapses and the city goes dark",
      "Most districts of Kabul were left in darkness on Monday night."), 6),
    (("office", "oasis", "en", "Kabul electricity company opens a customer office",
      "The new office in Kabul takes payments and applications for connections."), 1),
]


@pytest.mark.parametrize("query", ["kabul electricity blackout", "кабул остался без света"])
def test_meaning_puts_first_the_story_the_words_only_tie(engine: Engine, query: str) -> None:
    """Both stories hold the query's words alike (Kabul, electricity); neither says
    "blackout", and the Russian query shares only Kabul's name with them. By words the
    newer story comes first; by meaning the one about the city going dark does."""
    labels = store(engine, KABUL)
    assert ranked(engine, labels, query, by_meaning=False) == ["office", "outage"]
    assert ranked(engine, labels, query) == ["outage", "office"]


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts a search has the encoder read (or finds remembered)."""
    found: list[str] = []
    remembered = meaning.remembered

    def counted(texts: Sequence[str]) -> list[bytes]:
        found.extend(texts)
        return remembered(texts)

    monkeypatch.setattr(meaning, "remembered", counted)
    return found


def test_meaning_reads_the_meaning_the_ingest_stored_and_encodes_only_the_query(
    engine: Engine, asked: list[str]
) -> None:
    """A story's first report carries the meaning its ingest encoded (title and lede): a
    search encodes only what was typed, and orders the stories as the titles would."""
    labels = store(engine, KABUL)
    with write_session(engine) as session, session.begin():
        for record in session.exec(select(ArticleRecord)).all():
            [vector] = meaning.embed([meaning_text(record.title, record.body)])
            record.story_features = {"e": base64.b64encode(vector).decode()}
    assert ranked(engine, labels, "kabul electricity blackout") == ["outage", "office"]
    assert asked == ["kabul electricity blackout"]


def test_a_report_without_a_whole_stored_meaning_has_its_title_encoded(
    engine: Engine, asked: list[str]
) -> None:
    """A meaning cut short (or none, or not base64) is not read: the title is encoded."""
    labels = store(engine, KABUL)
    with write_session(engine) as session, session.begin():
        for n, record in enumerate(session.exec(select(ArticleRecord)).all()):
            record.story_features = {"e": base64.b64encode(b"short").decode()} if n else {"e": "?"}
    assert ranked(engine, labels, "kabul electricity blackout") == ["outage", "office"]
    assert sorted(asked) == sorted([title for (_s, _o, _l, title, _b), _h in KABUL]
                                   + ["kabul electricity blackout"])  # fmt: skip


def test_words_alone_answer_when_the_encoder_cannot_run(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(texts: object) -> list[bytes]:
        raise OSError("weights unreadable")

    monkeypatch.setattr(meaning, "remembered", broken)
    labels = store(engine, [
        (("wanted", "steppe", "en", "Rogun starts its third unit", "Rogun's unit 3 runs."), 2),
        (("other", "oasis", "en", "Dushanbe opens a terminal", "It opened."), 1),
    ])  # fmt: skip
    # "launched" is in no article: the words fall short, and meaning would be asked
    assert ranked(engine, labels, "rogun unit launched") == ["wanted"]
    assert "ranking by words alone" in caplog.text


def test_a_report_in_the_other_language_says_the_word_in_its_own(engine: Engine) -> None:
    """«приговор» is the Russian report's word for "verdict": it counts as the word
    itself would, before a newer English report that only says another word for it."""
    labels = store(engine, [
        (("russian", "tau", "ru", "В Оше вынесли приговор таможеннику",
          "Суд в Оше вынес приговор бывшему таможеннику."), 3),
        (("english", "oasis", "en", "Osh customs officer sentenced to nine years",
          "He was sentenced on Monday."), 1),
    ])  # fmt: skip
    assert ranked(engine, labels, "osh verdict", by_meaning=False) == ["russian", "english"]


def test_a_rare_word_is_found_beyond_the_newest_articles(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL reads the newest RECENT_SCAN articles first and asks the GIN index for a
    word they hold too few of; the planner settings it changes for that come back as they
    were (SQLite gives the same stories)."""
    monkeypatch.setattr(search, "RECENT_SCAN", 2)
    labels = store(engine, [
        (("rare", "steppe", "en", "Saiga herd counted in Betpak-Dala", "Rangers counted."), 9),
        *[((f"common{n}", "oasis", "en", f"Grain exports rise, week {n}", "Grain moved."), n)
          for n in range(1, 6)],
    ])  # fmt: skip
    with open_session(engine) as session:
        found = find_stories(session, "saiga grain", Reader(), limit=10, by_meaning=False)
        if engine.dialect.name == "postgresql":
            settings = [
                session.execute(text(f"SHOW enable_{name}")).scalar()
                for name in ("bitmapscan", "indexscan", "seqscan")
            ]
            assert settings == ["on", "on", "on"]
    assert sorted(labels[f.item.story] for f in found) == [
        "common1", "common2", "common3", "common4", "common5", "rare"
    ]


def test_a_commonplace_counts_as_held_by_a_fifth_of_the_archive_at_least() -> None:
    """A small archive has not seen "talks" often enough to know it tells nothing: its
    idf is that of a word a fifth of the archive holds (COMMON_SHARE), never higher;
    a commonplace the archive holds more often keeps its own."""
    rare = [100, 99]  # ids, newest first
    assert search._idf(rare, 100, common=True) == search._idf(list(range(100, 80, -1)), 100)
    assert search._idf(rare, 100, common=True) < search._idf(rare, 100)
    often = list(range(100, 50, -1))
    assert search._idf(often, 100, common=True) == search._idf(often, 100)


def test_a_missing_commonplace_is_not_a_word_the_story_lacks() -> None:
    """Meaning reorders the head only when the best story lacks a searched word; lacking
    "talks" is not such a shortfall, lacking "Costa" is."""
    member = search._Member(article=1, outlet="steppe", seen=0.0, shown=True)
    present = [({1}, {1}, set()), (set(), set(), set())]  # the first part held, the second not
    for common, missed in (((False, True), 0), ((False, False), 1)):
        [scored] = search._ranked({1: [member]}, present, [2.0, 2.0], ("en", "en"), common)
        assert scored.missed == missed


def test_a_list_is_one_array_on_postgresql_and_expanded_on_sqlite() -> None:
    """PostgreSQL gets one statement whatever a list's length (`= ANY`); a name that
    begins another's is left alone. SQLite expands the list."""
    sql = "SELECT 1 FROM article WHERE id IN :ids AND story_id IN :idsx"
    postgres = str(search._listed(sql, True, "ids"))
    assert postgres == "SELECT 1 FROM article WHERE id = ANY(:ids) AND story_id IN :idsx"
    sqlite = str(search._listed(sql, False, "ids", "idsx"))
    assert sqlite.count("POSTCOMPILE") == 2 and "ANY" not in sqlite  # one parameter an id
