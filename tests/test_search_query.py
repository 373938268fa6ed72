"""Search queries: words match their inflections, phrases their order, and no input,
however hostile, reaches an engine as anything but quoted stems.

The engine expressions are run on a real in-memory SQLite FTS5 table (and, where a
server exists, on real PostgreSQL): "safe" means the engine accepted it, not that it
looks right.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection

from bot.search.documents import BODY_CHARS, TITLE_CHARS, body_text, search_text, title_text
from bot.search.query import (
    MAX_PHRASE_TERMS,
    MAX_QUERY_CHARS,
    MAX_TERMS,
    MAX_TOKEN_CHARS,
    Query,
    clean,
    compounds,
    group_fts5,
    group_pattern,
    group_tsquery,
    groups_of,
    parse_query,
    text_stems,
    typed_language,
)
from tests.postgres import PostgresServer

HOSTILE = [
    '"',
    '"unbalanced Rogun',
    "Rogun*",
    "*",
    "NEAR(Rogun dam, 3)",
    "NEAR(",
    "Rogun OR dam",
    "OR",
    "AND NOT OR",
    "-Rogun",
    "-",
    "title:Rogun",
    ":",
    "^Rogun",
    "(Rogun",
    "Rogun)",
    "()",
    "'; DROP TABLE articles; --",
    "O'Brien's dam",
    "''",
    "\x00",
    "Rog\x00un\x00 dam",
    "\u202eRogun\u202c \u2066dam\u2069 \u200e\u200f",
    "😀🎉🇰🇿",
    "👨‍👩‍👧",
    "!!! ??? ... ---",
    "«»“”„",
    '"" «» ""',
    "x" * 4_096,
    "Rogun " * 700,
    "ｒｏｇｕｎ ＤＡＭ",
    "\t\n\r\x0b\x0c",
    "a:b*c^d(e)f-g",
    "{col1 col2}: Rogun + dam",
    "Rogun\\ dam\\",
    "%_[]",
    "lexeme:* & | ! <-> <2>",
]


def fts5_table() -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:")
    connection.execute(
        "CREATE VIRTUAL TABLE s USING fts5(title, body, tokenize='unicode61 remove_diacritics 0')"
    )
    return connection


def found(rows: list[tuple[str, str]], query: str) -> list[int]:
    """The 1-based rows of (title, body) articles that hold every part of `query` (each
    with its alternatives: `groups_of`)."""
    connection = fts5_table()
    connection.executemany(
        "INSERT INTO s (title, body) VALUES (?, ?)",
        [(title_text(title), body_text(body)) for title, body in rows],
    )
    groups = groups_of(parse_query(query))
    if not groups:
        return []
    expression = " AND ".join(group_fts5(group) for group in groups)  # holds every part
    return [row[0] for row in connection.execute(
        "SELECT rowid FROM s WHERE s MATCH ? ORDER BY rank", (expression,)
    )]  # fmt: skip


def accepted_by_fts5(expression: str) -> bool:
    connection = fts5_table()
    connection.execute("INSERT INTO s VALUES ('rogun dam', 'выбор аким 2027')")
    connection.execute("SELECT count(*) FROM s WHERE s MATCH ?", (expression,)).fetchone()
    return True


# A tsquery this module writes: a group in parentheses of alternatives joined by |, each
# a lexeme of letters and digits (optional `:*`, `:A`, `:*A`), a phrase of them in
# parentheses joined by <->, or related tokens in parentheses joined by &.
_LEXEME = r"[^\W_]+(?::(?:\*A?|A))?"
_ALTERNATIVE = (
    rf"(?:{_LEXEME}|\({_LEXEME}(?: <-> {_LEXEME})+\)|\([^\W_]+(?: & [^\W_]+)+\))"
)
TSQUERY = re.compile(rf"\({_ALTERNATIVE}(?: \| {_ALTERNATIVE})*\)")


def assert_safe(query: Query) -> None:
    assert len(query.parts) <= MAX_TERMS
    for part in query.parts:
        assert 1 <= len(part) <= MAX_PHRASE_TERMS
        for stem in part:
            assert re.fullmatch(r"[^\W_]+", stem) and len(stem) <= MAX_TOKEN_CHARS, stem
    groups = groups_of(query)
    for group in groups:
        assert accepted_by_fts5(group_fts5(group)) and accepted_by_fts5(
            group_fts5(group, title=True)
        )
        for title in (False, True):
            assert TSQUERY.fullmatch(group_tsquery(group, title=title)), group_tsquery(group)
        re.compile(group_pattern(group))
    assert bool(groups) == (not query.is_empty)


# Inflections --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "article"),
    [
        ("dam", "Tajikistan builds the world's tallest dams"),
        ("dams", "The dam on the Vakhsh"),
        ("elections", "Kazakhstan elected district akims"),
        ("Uzbekistan's", "Uzbekistan joins the WTO"),
        ("выборы", "Итоги выборов акимов"),
        ("выборах", "Выборы акимов прошли"),
        ("Алматы", "Толчки ощущались в Алматы и области"),
        ("землетрясение", "После землетрясения проверят дома"),
        ("Мирзиёев", "Мирзиеев встретился с Токаевым"),  # ё folds to е
        ("Erdogan", "Tokayev spoke with Erdoğan"),  # diacritics on Latin letters fold
        ("ＲＯＧＵＮ", "Rogun"),  # fullwidth letters are letters
    ],
)
def test_a_query_finds_the_inflected_forms_of_its_words(query: str, article: str) -> None:
    assert found([("", article)], query) == [1]


def test_query_stems_are_the_index_stems() -> None:
    assert parse_query("выборы акимов").terms == ("выбор", "аким")
    assert set(parse_query("dams elections").terms) <= set(
        search_text("Elections", "A dam.", "en").split()
    )
    assert search_text("Выборах", "", "ru") == search_text("Выборах", "", "en")


def test_numbers_are_terms() -> None:
    assert parse_query("CASA-1000 2027").parts == (("casa", "1000"), ("2027",))
    assert found([("Exports in 2026", ""), ("Exports in 2027", "")], "exports 2027") == [2]


# Phrases ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ['"Bank of England"', "«Bank of England»", "“Bank of England”", "„Bank of England“"],
)
def test_text_in_balanced_quotes_is_a_phrase(query: str) -> None:
    assert parse_query(query).parts == (("bank", "of", "england"),)


def test_a_phrase_matches_only_in_order() -> None:
    rows = [("", "England's bank of last resort"), ("", "The Bank of England said")]
    assert found(rows, '"Bank of England"') == [2]
    assert found(rows, '"Аль-Хиляль" Насаф') == []
    assert found([("«Аль-Хиляль» обыграл «Насаф»", "")], "«Аль-Хиляля» Насаф") == [1]


def test_hyphenated_words_are_a_phrase_that_spaces_also_match() -> None:
    assert parse_query("Tash-Kumyr").parts == (("tash", "kumyr"),)
    assert found([("", "Tash Kumyr mine"), ("", "Kumyr Tash")], "Tash-Kumyr") == [1]


def test_unbalanced_quotes_are_separators() -> None:
    assert parse_query('"Rogun dam').parts == (("rogun",), ("dam",))
    assert parse_query("«Rogun dam").parts == (("rogun",), ("dam",))


# Stop words, duplicates, empty queries --------------------------------------------------


def test_stop_words_are_dropped_unless_they_are_all_there_is() -> None:
    assert parse_query("the Rogun dam of Tajikistan").terms == ("rogun", "dam", "tajikistan")
    assert parse_query("саммит в Авазе").terms == ("самм", "аваз")
    assert parse_query("The Who").terms == ("the", "who")
    assert found([("", "The Who played"), ("", "Who knows")], "The Who") == [1]


def test_a_repeated_word_counts_once() -> None:
    assert parse_query("dam dams DAM Dam's").terms == ("dam",)


@pytest.mark.parametrize("query", ["", "   ", "😀🎉🇰🇿", "!!! ??? ...", "«»", '""', "\x00\u202e"])
def test_a_query_with_nothing_searchable_is_empty(query: str) -> None:
    parsed = parse_query(query)
    assert parsed.is_empty
    assert groups_of(parsed) == ()


# Hostile input --------------------------------------------------------------------------


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_input_gives_a_safe_query_or_an_empty_one(query: str) -> None:
    assert_safe(parse_query(query))


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("Rogun OR dam", ("rogun", "dam")),  # OR is a word (a stop word), not an operator
        ("NEAR(Rogun dam, 3)", ("rogun", "dam", "3")),
        ("-Rogun title:dam", ("rogun", "titl", "dam")),
        ("(Rogun*)^", ("rogun",)),
        ("'; DROP TABLE articles; --", ("drop", "tabl", "articl")),
        ("Rog\x00un", ("rog", "un")),  # NUL separates, as any control character
        ("Ro\u202egun\u2069 \u200bdam", ("rogun", "dam")),  # invisibles are not even spaces
    ],
)
def test_syntax_is_plain_text(query: str, terms: tuple[str, ...]) -> None:
    assert parse_query(query).terms == terms


def test_fts5_tokens_are_quoted_and_only_our_operators_appear() -> None:
    rogun, phrase = groups_of(parse_query('Rogun OR "dam NOT turbine" NEAR'))
    assert group_fts5(rogun) == '("rogun" OR "rogun" * OR "nkrgn")'
    assert group_fts5(phrase) == '("dam not turbin" OR "dam not turbin" *)'
    assert group_fts5(phrase, title=True) == 'title : ("dam not turbin" OR "dam not turbin" *)'
    assert group_tsquery(rogun) == "(rogun | rogun:* | nkrgn)"
    assert group_tsquery(phrase, title=True) == (
        "((dam:A <-> not:A <-> turbin:A) | (dam:A <-> not:A <-> turbin:*A))"
    )


def test_short_stems_are_never_prefixes() -> None:
    kabul, tapi = groups_of(parse_query("Kabul TAPI"))
    assert '"kabul" *' in group_fts5(kabul) and '"tapi" *' in group_fts5(tapi)
    assert all(" *" not in group_fts5(group) for group in groups_of(parse_query("ГЭС ВТО")))


# Bounds ---------------------------------------------------------------------------------


def test_only_the_first_max_query_chars_are_read() -> None:
    query = parse_query("Rogun " + "x" * 4_000 + " dam")
    assert query.terms == ("rogun",)
    assert parse_query("dam " * 2 + "y" * (MAX_QUERY_CHARS - 10) + "zzzz").terms == ("dam",)


def test_a_word_cut_at_the_bound_is_dropped() -> None:
    cut = "a " * ((MAX_QUERY_CHARS - 6) // 2) + "Rogun elections"
    assert parse_query(cut).terms == ("rogun",)


def test_terms_and_phrases_are_bounded() -> None:
    many = " ".join(f"word{n}" for n in range(40))
    assert len(parse_query(many).parts) == MAX_TERMS
    long_phrase = '"' + " ".join(f"w{n}" for n in range(30)) + '"'
    assert parse_query(long_phrase).parts == (tuple(f"w{n}" for n in range(MAX_PHRASE_TERMS)),)
    assert parse_query("z" * (MAX_TOKEN_CHARS + 1) + " dam").terms == ("dam",)


def test_articles_are_indexed_on_a_bounded_lead() -> None:
    body = "dam " * (BODY_CHARS // 4) + "turbine " * 1_000
    assert "turbin" not in body_text(body).split()
    assert "tail" not in title_text("x " * TITLE_CHARS + "tail")
    assert len(search_text("t" * 100_000, "b" * 100_000, "en")) == 0  # one over-long word each


# Properties -----------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=600))
def test_any_text_gives_a_query_fts5_accepts(query: str) -> None:
    assert_safe(parse_query(query))


_SYNTAX = st.sampled_from(
    ['"', "«", "»", "“", "”", "„", "*", "(", ")", ":", "^", "-", "'", " OR ", " NEAR(",
     " AND ", " NOT ", "\x00", "\u202e", "\u2066", "😀", " ", "rogun", "дамба", "1000", "_"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_SYNTAX, max_size=40).map("".join))
def test_any_mix_of_syntax_gives_a_query_fts5_accepts(query: str) -> None:
    assert_safe(parse_query(query))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300), st.text(max_size=300))
def test_any_article_text_is_stems_fts5_indexes_as_they_are(title: str, body: str) -> None:
    stems = search_text(title, body, "en")
    connection = fts5_table()
    connection.execute("CREATE VIRTUAL TABLE v USING fts5vocab(s, 'instance')")
    connection.execute("INSERT INTO s (title, body) VALUES ('', ?)", (stems,))
    indexed = [row[0] for row in connection.execute("SELECT term FROM v ORDER BY offset")]
    assert indexed == stems.split()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=MAX_QUERY_CHARS))
def test_an_article_is_found_by_its_own_words(words: str) -> None:
    """Query and index agree: whatever a reader types, the article that says it is found
    by the first, strictest attempt (all the words, phrases in order)."""
    query = parse_query(words)
    if not query.is_empty:
        connection = fts5_table()
        connection.execute("INSERT INTO s (title, body) VALUES ('', ?)", (body_text(words),))
        match = "SELECT count(*) FROM s WHERE s MATCH ?"
        expression = " AND ".join(group_fts5(group) for group in groups_of(query))
        assert connection.execute(match, (expression,)).fetchone() == (1,)


@given(st.text(max_size=300))
def test_the_index_splits_text_as_queries_do(words: str) -> None:
    cleaned = clean(words)
    assert text_stems(cleaned) == [stem for part, _, _ in compounds(cleaned) for stem in part]


# PostgreSQL -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def postgres(postgres_server: PostgresServer) -> Iterator[Connection]:
    with postgres_server.database() as url:
        engine = create_engine(url)
        with engine.connect() as connection:
            yield connection
        engine.dispose()


@pytest.mark.postgresql
@pytest.mark.parametrize("query", HOSTILE)
def test_postgresql_accepts_every_hostile_query(postgres: Connection, query: str) -> None:
    for group in groups_of(parse_query(query)):
        for title in (False, True):
            tsquery = group_tsquery(group, title=title)
            postgres.execute(text("SELECT to_tsquery('simple', :q)"), {"q": tsquery}).scalar()


@pytest.mark.postgresql
@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_postgresql_accepts_any_query(postgres: Connection, query: str) -> None:
    for group in groups_of(parse_query(query)):
        for title in (False, True):
            tsquery = group_tsquery(group, title=title)
            postgres.execute(text("SELECT to_tsquery('simple', :q)"), {"q": tsquery}).scalar()


@pytest.mark.postgresql
@pytest.mark.parametrize(
    ("query", "article", "matches"),
    [
        ("выборы акимов", "Итоги выборов акимов", True),
        ("dam", "The world's tallest dams", True),
        ('"Bank of England"', "England's bank of last resort", False),
        ('"Bank of England"', "The Bank of England said", True),
        ("Кызылорда", "в Кызылординской области", True),  # via the prefix alternative
    ],
)
def test_postgresql_matches_as_sqlite_does(
    postgres: Connection, query: str, article: str, matches: bool
) -> None:
    every = " & ".join(group_tsquery(group) for group in groups_of(parse_query(query)))
    hit = postgres.execute(
        text("SELECT to_tsvector('simple', :doc) @@ to_tsquery('simple', :q)"),
        {"doc": search_text("", article, "en"), "q": every},
    ).scalar()
    assert hit is matches
    assert (found([("", article)], query) == [1]) is matches


def test_each_part_knows_the_language_it_was_typed_in() -> None:
    english, russian, number = groups_of(parse_query("earthquake землетрясение 2024"))
    assert (english.language, russian.language, number.language) == ("en", "ru", None)
    assert typed_language(("osh", "ош")) is None  # both scripts: neither
