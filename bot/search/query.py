"""A reader's search words, parsed by the project and never handed raw to an engine.

Both full-text engines have a query language (FTS5: `"`, `*`, `NEAR(`, `OR`, `AND`,
`NOT`, `-`, `:`, `^`, parentheses; PostgreSQL's tsquery: `&`, `|`, `!`, `<->`, `:*`),
and a reader's text would be parsed as one: `OR` would change the meaning, an odd `"`
or `(` would raise a syntax error. So the words are parsed here, once, into a `Query`
of search stems, and the engines get expressions built from those stems alone: every
stem is a run of letters and digits, every FTS5 token is double-quoted, and the only
operators are the ones written below. Nothing of the input survives but letters and
digits, so no input can be an operator.

A stem is the word lower-cased, ё folded to е, diacritics on Latin letters removed
("Erdoğan" finds "Erdogan"), and reduced by the keyword matcher's script-aware Snowball
stemmer (Russian for Cyrillic, English for Latin), so `dam`/`dams` and
`выборы`/`выборов`/`выборах` meet. `bot.search.documents` indexes articles with the same
`word_stems`, so what the query asks for is exactly what the index holds.

Words joined by a hyphen ("Tash-Kumyr", "Кош-Тепа", "CASA-1000") are a phrase of their
parts, as FTS5 itself reads them, so they also find "Tash Kumyr". Text in balanced
quotes ("…", «…», “…”, „…“) is one phrase: its stems, in order, side by side.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from bot.news import keywords
from bot.news.stories.commonplace import commonplace_words
from bot.news.text import RUSSIAN_STOP_WORDS
from bot.search import forms

# Bounds. A query reads at most MAX_QUERY_CHARS characters of its input (the rest is
# ignored, so a 4,096-character message costs what a 256-character one does) and keeps
# at most MAX_TERMS terms or phrases, each phrase at most MAX_PHRASE_TERMS stems: an
# engine expression is never more than 8 × 8 stems. A "word" longer than
# MAX_TOKEN_CHARS is no word anyone searches for (a hash, a URL run together) and is
# dropped, on the query side and the index side alike.
MAX_QUERY_CHARS = 256
MAX_TERMS = 8
MAX_PHRASE_TERMS = 8
MAX_TOKEN_CHARS = 64
# A stem searched as a prefix (`prefix=True`) must be at least this long: a shorter one
# would match a good part of the vocabulary, and cost an engine as much.
MIN_PREFIX_CHARS = 4

# Function words a query drops, in English and in Russian. Not sumy's English list
# (bot.news.text.STOP_WORDS): made for summaries, it holds words a reader does search
# for ("new", "first", "third", "old", "right", "help"). The index keeps every word, so
# a query of stop words alone ("The Who") is kept whole rather than dropped, and a
# quoted phrase keeps its stop words ("Bank of England").
# fmt: off
ENGLISH_STOP_WORDS: frozenset[str] = frozenset(
    {
        "a", "about", "above", "after", "against", "all", "also", "am", "an", "and", "any",
        "are", "as", "at", "be", "been", "before", "being", "below", "between", "both", "but",
        "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "for",
        "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers",
        "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its",
        "itself", "me", "more", "most", "my", "myself", "near", "no", "nor", "not", "of", "off",
        "on", "once", "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own",
        "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs",
        "them", "themselves", "then", "there", "these", "they", "this", "those", "through", "to",
        "too", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where",
        "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours",
        "yourself", "yourselves",
    }
)
# fmt: on
STOP_WORDS: frozenset[str] = ENGLISH_STOP_WORDS | RUSSIAN_STOP_WORDS

Part = tuple[str, ...]  # one stem (a term) or several (a phrase), in order

# Invisible format characters: bidi controls (U+200E/F, U+202A–U+202E, U+2066–U+2069),
# zero-width space/joiners, soft hyphen, BOM, variation selectors, tag characters.
# They are removed, not treated as spaces: "da\u200bm" is the word "dam" to a reader.
_INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufe00-\ufe0f\ufeff\U000e0000-\U000e007f]"
)
_PART = r"[^\W_]+(?:['’][^\W_]+)*"  # letters and digits, inner apostrophes kept
_WORD = re.compile(_PART)
_COMPOUND = re.compile(rf"{_PART}(?:[-‐‑]{_PART})*")
_HYPHEN = re.compile(r"[-‐‑]")
_PIECE = re.compile(r"[^\W_]+")  # what a stem may hold: letters and digits, nothing else
_TRAILING_PIECE = re.compile(r"[^\W_]+$")
_LATIN_MARKS = re.compile(r"(?<=[A-Za-z])[\u0300-\u036f]+")
_MARKS = re.compile(r"[\u0300-\u036f]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-z]", re.IGNORECASE)
_QUOTED = re.compile(r'"([^"]*)"|«([^«»]*)»|[“„]([^“”„]*)[”“]')


@dataclass(frozen=True)
class Query:
    """What a reader searched for: terms and phrases of search stems, in their order,
    and the words as typed (lower-cased) that each part was made of."""

    parts: tuple[Part, ...] = ()
    words: tuple[Part, ...] = ()
    quoted: frozenset[Part] = frozenset()  # the parts typed in quotes: exactly these words

    @property
    def is_empty(self) -> bool:
        """Nothing searchable (emoji, punctuation, blank): the caller says "nothing found"."""
        return not self.parts

    @property
    def terms(self) -> tuple[str, ...]:
        return tuple(part[0] for part in self.parts if len(part) == 1)

    @property
    def phrases(self) -> tuple[Part, ...]:
        return tuple(part for part in self.parts if len(part) > 1)

    @property
    def stems(self) -> tuple[str, ...]:
        """Every stem once, in order: for highlighting, or a muted-word check."""
        return tuple(dict.fromkeys(stem for part in self.parts for stem in part))


def parse_query(text: str) -> Query:
    """The search terms and phrases of `text` (its first MAX_QUERY_CHARS characters).

    Stop words are dropped unless the query has nothing else; repeated terms count once.
    """
    found: dict[Part, bool] = {}  # each part once, a stop word unless it ever was not
    typed: dict[Part, Part] = {}
    quoted: set[Part] = set()
    for part, stop, words, in_quotes in _parts(clean(bounded(text, MAX_QUERY_CHARS))):
        found[part] = found.get(part, True) and stop
        typed.setdefault(part, words)
        if in_quotes:
            quoted.add(part[:MAX_PHRASE_TERMS])
    kept = ([part for part, stop in found.items() if not stop] or list(found))[:MAX_TERMS]
    return Query(
        tuple(part[:MAX_PHRASE_TERMS] for part in kept),
        tuple(typed[part][:MAX_PHRASE_TERMS] for part in kept),
        frozenset(quoted),
    )


@dataclass(frozen=True)
class Group:
    """One searched part and what else it matches (`bot.search.forms`): alternatives of
    (stems, as a prefix). A phrase is one alternative: its stems side by side."""

    alternatives: tuple[tuple[Part, bool], ...]
    # What the word says happened, in either language ("ccarrest" for "detained"), or
    # a name joined to a number by its name alone: it finds a story too, and counts for
    # less than the words themselves (storage.search).
    related: tuple[Part, ...] = ()  # each: tokens an article holds all of
    # The language the part was typed in, by its letters ("en" Latin, "ru" Cyrillic,
    # None: digits or other scripts): a related match in an article of another language
    # is that article's word for it, not a looser word than the one typed.
    language: str | None = None
    # A single word of the region's commonplaces ("talks", «переговоры»): its idf is
    # floored as if a share of the archive held it (storage.search.COMMON_SHARE).
    common: bool = False


def typed_language(words: Part) -> str | None:
    """ "ru" for words in Cyrillic letters, "en" for Latin ones, None for neither or both."""
    letters = "".join(words)
    cyrillic = bool(_CYRILLIC.search(letters))
    latin = bool(_LATIN.search(letters))
    if cyrillic == latin:
        return None
    return "ru" if cyrillic else "en"


def groups_of(query: Query) -> tuple[Group, ...]:
    """Each part of the query with its alternatives: the stems as typed, the beginning
    of longer stems (a place and its adjective: Кызылорда, Кызылординской), and for a
    single word its country family's words in both languages, its name key (across
    scripts), its number, and the concept it names in either language."""
    found = []
    for part, words in zip(query.parts, query.words or query.parts, strict=True):
        alternatives: list[tuple[Part, bool]] = [(part, False)]
        if len(part[-1]) >= MIN_PREFIX_CHARS:
            alternatives.append((part, True))
        if len(part) == 1 and len(words) == 1:
            [word] = words
            family = forms.family_of(word)
            if family is not None:
                alternatives += [((stem,), prefix) for stem, prefix in forms.family_forms(family)]
            elif word.isdigit():
                alternatives.append(((forms.number_token(word),), False))
            elif token := forms.name_token(word):
                alternatives.append(((token,), False))
        related = () if part in query.quoted else _related(part, words)
        common = len(part) == 1 and part[0] in _common_stems()
        found.append(
            Group(tuple(dict.fromkeys(alternatives)), related, typed_language(words), common)
        )
    return tuple(found)


@lru_cache(maxsize=1)
def _common_stems() -> frozenset[str]:
    """The search stems of the region's commonplaces (`bot.news.stories.commonplace`),
    but those that name what happened («договорились» stems as «договор», a treaty)."""
    stems = {stem for word in commonplace_words() for stem in word_stems(word.casefold())}
    return frozenset(stem for stem in stems if forms.concept_token(stem) is None)


def _related(part: Part, words: Part) -> tuple[Part, ...]:
    """What a part's related tokens are: a word's concept ("detained": "ccarrest"); for
    a name joined to a number ("Kambarata-1", "CASA-1000") the name in any script
    ("nkkmbrt": «Камбаратинской ГЭС-1» writes the name apart from the number); for a
    hyphenated name ("Jalal-Abad", «Таш-Кумыр») its parts' names in any script, all of
    them (the index holds a name's keys apart, so not as a phrase)."""
    if len(part) == 1:
        concept = forms.concept_token(part[0])
        return ((concept,),) if concept else ()
    if len(words) == 2 and words[1].isdigit() and not words[0].isdigit():
        token = forms.name_token(words[0])
        return ((token,),) if token else ()
    if len(words) > 1 and not any(word.isdigit() for word in words):
        tokens = [forms.name_token(word) for word in words]
        if all(tokens):
            return (tuple(dict.fromkeys(t for t in tokens if t)),)
    return ()


def group_fts5(group: Group, *, title: bool = False) -> str:
    """An FTS5 expression matching any of the group's alternatives or related tokens (in
    the title only, with `title`: alternatives alone, as related tokens are in no title).
    Every token double-quoted, as `to_fts5`."""
    strings = [_fts5_string(part, prefix) for part, prefix in group.alternatives]
    if not title:
        strings += [_fts5_all(tokens) for tokens in group.related]
    expression = "(" + " OR ".join(strings) + ")"
    return f"title : {expression}" if title else expression


# The patterns below read a column of search stems (tokens joined by single spaces, as
# the index stores them) with one space put before it, as `storage.search` reads them:
# every token then begins after a space, and a pattern that begins with one is tried
# only at tokens' starts. Testing "no letter before" at every character instead made
# reading 400 candidates' stems four times slower (11 against 2.7 ms a search on
# bench/search.py's queries).


def group_pattern(group: Group) -> str:
    """A regular expression finding any of the group's alternatives in a column of
    search stems with a space before it (above): where the index cannot cheaply say
    which of a few articles hold a part, the text can."""
    alternatives = []
    for part, prefix in group.alternatives:
        phrase = " ".join(re.escape(stem) for stem in part)
        alternatives.append(phrase + (r"\S*" if _as_prefix(part, prefix) else r"(?!\S)"))
    return " (?:" + "|".join(alternatives) + ")"


def group_tsquery(group: Group, *, title: bool = False, related: bool = True) -> str:
    """The `to_tsquery('simple', ...)` text of `group_fts5` (the title's lexemes weigh A;
    `related=False`: the alternatives alone)."""
    weight = "A" if title else ""
    parts = [_tsquery_part(part, prefix, weight) for part, prefix in group.alternatives]
    if related and not title:
        parts += [_tsquery_all(tokens) for tokens in group.related]
    return "(" + " | ".join(parts) + ")"


def related_pattern(group: Group) -> str:
    """A regular expression finding the group's related tokens in a column of stems
    with a space before it, all of one alternative's anywhere in it ("" where it has none)."""
    singles = [re.escape(tokens[0]) for tokens in group.related if len(tokens) == 1]
    alternatives = [" (?:" + "|".join(singles) + r")(?!\S)"] if singles else []
    for tokens in group.related:
        if len(tokens) > 1:
            found = [rf"(?=[\s\S]* {re.escape(token)}(?!\S))" for token in tokens]
            alternatives.append("^" + "".join(found))
    return "|".join(alternatives)


def related_tsquery(group: Group) -> str:
    """The `to_tsquery('simple', ...)` text of the group's related tokens ("" for none)."""
    return " | ".join(_tsquery_all(tokens) for tokens in group.related)


def _fts5_all(tokens: Part) -> str:
    strings = [_fts5_string((token,), False) for token in tokens]
    return strings[0] if len(strings) == 1 else "(" + " AND ".join(strings) + ")"


def _tsquery_all(tokens: Part) -> str:
    return tokens[0] if len(tokens) == 1 else "(" + " & ".join(tokens) + ")"


def bounded(text: str, limit: int) -> str:
    """The first `limit` characters of `text`, without a word cut in two at the end."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if text[limit].isalnum() and cut[-1:].isalnum():
        return _TRAILING_PIECE.sub("", cut)
    return cut


def clean(text: str) -> str:
    """`text` in compatibility form (fullwidth and ligature letters plain), invisibles out."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))


def compounds(text: str) -> Iterator[tuple[Part, bool, Part]]:
    """The stems of each word or hyphenated compound of cleaned `text`, whether it is
    made of stop words only, and its words (folded)."""
    for match in _COMPOUND.finditer(text):
        words = _HYPHEN.split(match.group())
        stems = tuple(stem for word in words for stem in word_stems(word))
        if stems:
            folded = tuple(_folded(word) for word in words)
            yield stems, all(word in STOP_WORDS for word in folded), folded


def text_stems(text: str) -> list[str]:
    """The stems of cleaned `text` in order: what `compounds` gives, flat and faster (an
    article has no stop words to tell apart, and its hyphens only separate)."""
    return [stem for word in _WORD.findall(text) for stem in word_stems(word)]


@lru_cache(maxsize=65_536)
def word_stems(word: str) -> Part:
    """The search stems of one word: usually one, more where its stem holds an apostrophe
    ("o'zbekiston" gives "o", "zbekiston", as both engines' tokenizers would split it)."""
    if not word.isascii():
        latin_plain = _LATIN_MARKS.sub("", unicodedata.normalize("NFD", word))
        word = unicodedata.normalize("NFC", latin_plain)
    stem = _MARKS.sub("", keywords.stem(word))  # casefold leaves "i̇" of "İ"
    if not stem.isascii():
        stem = _known_letters(stem)
    return tuple(piece for piece in _PIECE.findall(stem) if len(piece) <= MAX_TOKEN_CHARS)


def _known_letters(text: str) -> str:
    """`text` with a space for each character Unicode 3.2 had not assigned. SQLite's
    unicode61 tokenizer knows the letters of an older Unicode than Python does: a letter
    added since ("ᳲ", U+1CF2) is a separator to it, so a stem holding one would match
    nothing. Cut there on both sides, query and index agree (the Cyrillic and Latin
    letters of the region's languages are all older)."""
    return "".join(c if unicodedata.ucd_3_2_0.category(c) != "Cn" else " " for c in text)


def _parts(text: str) -> Iterator[tuple[Part, bool, Part, bool]]:
    """Terms and phrases of cleaned `text` in order, whether each is a stop word (a
    quoted phrase never is), their words, and whether they were typed in quotes."""
    start = 0
    for quoted in _QUOTED.finditer(text):
        yield from _unquoted(text[start : quoted.start()])
        inside = next(group for group in quoted.groups() if group is not None)
        found = list(compounds(inside))
        phrase = tuple(stem for stems, _, _ in found for stem in stems)
        if phrase:
            yield phrase, False, tuple(word for _, _, words in found for word in words), True
        start = quoted.end()
    yield from _unquoted(text[start:])


def _unquoted(text: str) -> Iterator[tuple[Part, bool, Part, bool]]:
    for stems, stop, words in compounds(text):
        yield stems, stop, words, False


def _folded(word: str) -> str:
    return word.casefold().replace("’", "'").replace("ё", "е")


def _as_prefix(part: Part, prefix: bool) -> bool:
    return prefix and len(part[-1]) >= MIN_PREFIX_CHARS


def _fts5_string(part: Part, prefix: bool) -> str:
    # Stems hold no `"`; doubling it anyway keeps this safe should that ever change.
    quoted = '"' + " ".join(part).replace('"', '""') + '"'
    return quoted + " *" if _as_prefix(part, prefix) else quoted


def _tsquery_part(part: Part, prefix: bool, weight: str = "") -> str:
    labels = f":{weight}" if weight else ""
    last = part[-1] + (":*" + weight if _as_prefix(part, prefix) else labels)
    lexemes = [*(stem + labels for stem in part[:-1]), last]
    return lexemes[0] if len(lexemes) == 1 else "(" + " <-> ".join(lexemes) + ")"
