"""Search results as Telegram messages and inline results (pure functions).

A result is a story as one item (`bot.news.coverage.story_item`): its title in the
chat's language where the story has it, linked; its countries' flags; its date; and
its outlets, each a link. A page holds PAGE_SIZE stories; the heading repeats the
query, so ◀ ▶ can read it back from the message they edit (`query_of`), on any
instance, after any restart, with no state kept.
"""

from __future__ import annotations

import html
import re

from bot.i18n import DEFAULT_LANGUAGE, translator
from bot.news.compose import escape, format_date, outlet_link, pack_messages, shorten, title_line
from bot.search.query import MAX_QUERY_CHARS, bounded, clean
from storage.repo import StoredArticle

PAGE_SIZE = 5  # stories a /search message shows; ◀ ▶ turn the pages
MAX_PAGES = 20  # pages a search turns: 100 stories, best first, is all anyone reads
INLINE_RESULTS = 20  # stories an inline query answers with (Telegram allows 50)
QUERY_MARK = "🔎 "
_TAGS = re.compile(r"</?[a-z]+[^>]*>")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def shown_query(text: str, limit: int = MAX_QUERY_CHARS) -> str:
    """The query as a reply shows it: one line of at most `limit` characters, without
    control or invisible characters (NUL, bidi overrides) that would garble the reply."""
    visible = _CONTROL.sub(" ", clean(bounded(text, limit)))
    return " ".join(visible.split())


def query_of(message_text: str) -> str | None:
    """The query a results message was for, from its first line (Telegram gives the
    plain text of the message a button is under)."""
    first = message_text.split("\n", 1)[0]
    if "<" in first:  # HTML as sent (a stand-in that does not parse it)
        first = html.unescape(_TAGS.sub("", first))
    if not first.startswith(QUERY_MARK):
        return None
    query, _sep, _pages = first[len(QUERY_MARK) :].rpartition(" · ")
    return query.strip() or None


def render_result(item: StoredArticle, language: str = DEFAULT_LANGUAGE) -> str:
    """One story: its title line (a link, its outlet, flags), then its date and the
    other outlets (links)."""
    outlets = []
    for name, url, other_language in item.also:
        link = outlet_link(shorten(name, 60), url)
        outlets.append(f"{link} ({escape(other_language)})" if other_language else link)
    details = [f"<i>{format_date(item.page_date, language)}</i>"] if item.page_date else []
    details += outlets
    more = f" +{item.more_outlets}" if item.more_outlets else ""
    line = " · ".join(details) + more
    return title_line(item, limit=300) + (f"\n{line}" if line else "")


def compose_results(
    query: str,
    items: list[StoredArticle],
    *,
    page: int,
    language: str = DEFAULT_LANGUAGE,
) -> str:
    """One page of results (at most PAGE_SIZE items), under the query and its place."""
    t = translator(language)
    first = page * PAGE_SIZE + 1
    place = t.gettext("{first}–{last}").format(first=first, last=first + len(items) - 1)
    heading = f"{QUERY_MARK}<b>{escape(shown_query(query))}</b> · {escape(place)}"
    blocks = [heading] + [render_result(item, language) for item in items[:PAGE_SIZE]]
    # One message: PAGE_SIZE short items; an overlong one is cut, never split.
    return pack_messages(["\n\n".join(blocks)])[0]


def page_buttons(page: int, has_next: bool) -> list[tuple[str, str]]:
    """(label, callback data) of the page buttons: ◀ to the page before, ▶ to the next."""
    buttons = []
    if page > 0:
        buttons.append(("◀", f"search:{page - 1}"))
    if has_next and page + 1 < MAX_PAGES:
        buttons.append(("▶", f"search:{page + 1}"))
    return buttons


def parse_page(data: str) -> int | None:
    """The page a button asks for; None for data that is not a search page."""
    prefix, _sep, number = data.partition(":")
    if prefix != "search" or not number.isdigit() or len(number) > 3:
        return None
    page = int(number)
    return page if page < MAX_PAGES else None
