"""The pure readers behind the fetcher never raise on any input, and read the shapes right."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.sources.charset import UndecodableError, decode_body
from bot.sources.feeds import looks_like_feed, parse_feed
from bot.sources.pages import parse_page
from bot.sources.urls import canonical_url, source_name, web_url_problem

BASE = "https://steppe.example/feed"
MARKUP = st.sampled_from(
    ["<rss>", "<channel>", "<item>", "<title>", "</title>", "<link>", "<p>", "</p>", "<h2>",
     "<a href='/x'>", "</a>", "<article>", "<![CDATA[", "]]>", "&amp;", "&bogus;", "<h1>",
     '<?xml version="1.0" encoding="koi8-r"?>', "<feed xmlns='http://www.w3.org/2005/Atom'>",
     "<entry>", "<script>", "</script>", "\x00"]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(MARKUP, st.text(max_size=30)), max_size=40))
@example(["<rss>", "<script>", "</script>", "\x1f"])  # a control character in a dropped tail
def test_feed_and_page_readers_never_raise(parts: list[str]) -> None:
    text = "".join(parts)
    feed = parse_feed(text, BASE)
    page = parse_page(text, BASE)
    for found in [feed, page]:
        for article in found.articles if found else ():
            assert article.title and (article.url is None or article.url.startswith("http"))


@settings(max_examples=200, deadline=None)
@given(
    st.binary(max_size=400),
    st.one_of(
        st.none(),
        st.sampled_from(
            [
                "text/html",
                "text/xml; charset=utf-8",
                "text/html; charset=koi8-r",
                "text/html; charset=nonsense",
            ]
        ),
    ),
)
def test_decoding_gives_text_or_says_why(data: bytes, content_type: str | None) -> None:
    try:
        assert isinstance(decode_body(data, content_type), str)
    except UndecodableError as error:
        assert str(error)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_urls_are_canonical_or_refused(url: str) -> None:
    canonical = canonical_url(url)
    if canonical is None:
        assert web_url_problem(url.strip()) is not None
    else:
        assert canonical.startswith(("http://", "https://")) and "#" not in canonical
        assert canonical_url(canonical) == canonical  # canonical twice is canonical
        assert source_name(canonical) == source_name(canonical).lower()


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTPS://Steppe.Example:443/a?utm_source=x&id=3#top", "https://steppe.example/a?id=3"),
        ("http://steppe.example:8080/a?fbclid=1", "http://steppe.example:8080/a"),
        ("https://steppe.example", "https://steppe.example/"),
        ("javascript:alert(1)", None),
        ("/relative/path", None),
        ("ftp://steppe.example/x", None),
    ],
)
def test_canonical_urls(url: str, canonical: str | None) -> None:
    assert canonical_url(url) == canonical


def test_atom_and_rss_1_feeds() -> None:
    atom = (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title>'
        '<entry><title>Tajikistan Opens a School</title><link href="https://steppe.example/tj/school"/>'
        "<id>tag:steppe,1</id><updated>2026-12-01T08:00:00Z</updated>"
        '<content type="html">&lt;p&gt;The school in Khujand opened.&lt;/p&gt;</content></entry></feed>'
    )
    rdf = (
        '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        ' xmlns="http://purl.org/rss/1.0/"><channel rdf:about="x"><title>Old wire</title></channel>'
        '<item rdf:about="https://steppe.example/kg/road"><title>Kyrgyzstan Repairs a Road</title>'
        "<link>https://steppe.example/kg/road</link><description>The road to Naryn reopened.</description></item>"
        "</rdf:RDF>"
    )
    (school,) = parse_feed(atom, BASE).articles  # type: ignore[union-attr]
    assert school.url == "https://steppe.example/tj/school" and school.published is not None
    assert school.paragraphs == ("The school in Khujand opened.",) and not school.truncated
    (road,) = parse_feed(rdf, BASE).articles  # type: ignore[union-attr]
    assert (
        road.title == "Kyrgyzstan Repairs a Road" and road.url == "https://steppe.example/kg/road"
    )


def test_an_html_page_is_not_a_feed() -> None:
    assert not looks_like_feed("<!DOCTYPE html><html><body><h1>Hi</h1></body></html>")
    assert parse_feed("<html><body>not a feed</body></html>", BASE) is None
