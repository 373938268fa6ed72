"""OPML in and out: what `read_opml` refuses (nothing of a refused file is added), the
round trip through `newsbot sources --opml` and `--import` into an empty database, and
the feeds of a file tried as /source add tries a URL. Feeds come from a local server."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.sources.opml import MAX_OPML_BYTES, OpmlError, OpmlFeed, read_opml, write_opml
from bot.standin.local_site import FeedItem, ThreadedLocalSite, rss_feed

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def _opml(*outlines: str) -> bytes:
    return (
        '<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>'
        + "".join(outlines)
        + "</body></opml>"
    ).encode()


def _outline(url: str, title: str = "Steppe Wire") -> str:
    return f'<outline type="rss" text="{title}" xmlUrl="{url}"/>'


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<opml version="2.0"><body><outline text="&lol3;" xmlUrl="https://a.example/feed"/></body></opml>"""
EXTERNAL = b"""<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<opml version="2.0"><body><outline text="&x;" xmlUrl="https://a.example/feed"/></body></opml>"""


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"not xml at all", "not XML"),
        (b"<html><body>a page</body></html>", "not OPML"),
        (BILLION_LAUGHS, "entities is refused"),
        (EXTERNAL, "entities is refused"),
        (b'<?xml version="1.0"?><!DOCTYPE opml><opml version="2.0"/>', "document type"),
        (_opml(), "no feeds"),
        (_opml(_outline("ftp://a.example/feed")), "only http and https"),
        (_opml(_outline("javascript:alert(1)")), "only http and https"),
        (_opml(_outline("http://127.0.0.1:8080/feed")), "loopback"),
        (_opml(_outline("http://10.1.2.3/feed")), "private"),
        (_opml(_outline("http://localhost/feed")), "local host"),
        (_opml(_outline("http://[::1]/feed")), "loopback"),
        (_opml(*[_outline(f"https://a{n}.example/feed") for n in range(10_000)]), "10,000 outlines"),
        (b" " * (MAX_OPML_BYTES + 1), "at most 1,000,000"),
    ],
)  # fmt: skip
def test_a_hostile_or_malformed_file_is_refused_with_a_reason(data: bytes, says: str) -> None:
    with pytest.raises(OpmlError, match=says):
        read_opml(data)


def test_folders_are_walked_and_a_feed_listed_twice_is_one() -> None:
    data = _opml(
        '<outline text="Kyrgyzstan">',
        _outline("https://24.kg/rss/?utm_source=x", "24.kg"),
        _outline("https://24.kg/rss/", "24.kg again"),
        "</outline>",
        '<outline title="Asia-Plus" xmlurl="https://asiaplustj.info/en/rss" htmlUrl="https://asiaplustj.info/"/>',
    )  # fmt: skip
    assert read_opml(data) == [
        OpmlFeed("24.kg", "https://24.kg/rss/"),
        OpmlFeed("Asia-Plus", "https://asiaplustj.info/en/rss", "https://asiaplustj.info/"),
    ]


def test_what_is_written_reads_back() -> None:
    feeds = [
        OpmlFeed("Тау Ньюс & <Co>", "https://tau.example/rss", "https://tau.example/", "ru"),
        OpmlFeed("Steppe Wire", "https://steppe.example/feed"),
    ]
    assert read_opml(write_opml(feeds, created=NOW).encode()) == feeds


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_export_then_import_into_an_empty_database_gives_the_same_sources(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    item = FeedItem("Naryn plant starts", "https://steppe.example/naryn", "It started.", NOW)
    with ThreadedLocalSite() as site:
        for name in ("steppe", "tau", "oasis"):
            site.documents[f"/{name}"] = (rss_feed(name.title(), site.base_url, [item]),
                                          "application/rss+xml")  # fmt: skip
        configured = f"{site.base_url}/steppe"
        monkeypatch.setenv("SOURCES", configured)
        monkeypatch.setenv("SOURCES_ALLOW_PRIVATE", "true")
        # An operator added two sources, one under a name of their own.
        first = tmp_path / "first.opml"
        first.write_bytes(_opml(_outline(f"{site.base_url}/tau", "Тау Ньюс"),
                                _outline(f"{site.base_url}/oasis", "Oasis Daily")))  # fmt: skip
        code, out, err = _run(capsys, "sources", "--import", str(first))
        assert code == 0 and out.startswith("2 feeds added, 0 fetched already, 0 failed"), err
        code, exported, _ = _run(capsys, "sources", "--opml")
        assert code == 0
        sent = read_opml(exported.encode(), allow_private=True)
        assert [(f.url, f.title) for f in sent] == [
            (configured, "127.0.0.1"), (f"{site.base_url}/tau", "Тау Ньюс"),
            (f"{site.base_url}/oasis", "Oasis Daily"),
        ]  # fmt: skip
        # Into an empty database, as a move from one deployment to another.
        monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'moved.db'}")
        (tmp_path / "sent.opml").write_text(exported, encoding="utf-8")
        code, out, _ = _run(capsys, "sources", "--import", str(tmp_path / "sent.opml"), "--json")
        assert code == 0
        assert {row["status"] for row in __import__("json").loads(out)} == {"added", "known"}
        code, again, _ = _run(capsys, "sources", "--opml")
        assert read_opml(again.encode(), allow_private=True) == sent


def test_a_refused_file_adds_nothing_and_says_why_in_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.opml"
    bad.write_bytes(_opml(_outline("https://a.example/feed"), _outline("file:///etc/passwd")))
    code, out, err = _run(capsys, "sources", "--import", str(bad))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "file:///etc/passwd" in err
    code, exported, _ = _run(capsys, "sources", "--opml")
    assert "a.example" not in exported


def test_a_feed_that_does_not_answer_is_reported_and_left_out(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with ThreadedLocalSite() as site:
        site.documents["/good"] = (rss_feed("Good", site.base_url, [FeedItem(
            "Osh fair opens", "https://good.example/osh", "Stalls.", NOW)]), "application/rss+xml")  # fmt: skip
        monkeypatch.setenv("SOURCES_ALLOW_PRIVATE", "true")
        file = tmp_path / "two.opml"
        file.write_bytes(_opml(_outline(f"{site.base_url}/good", "Good"),
                               _outline(f"{site.base_url}/missing", "Gone")))  # fmt: skip
        code, out, _ = _run(capsys, "sources", "--import", str(file))
    assert code == 0 and out.startswith("1 feeds added, 0 fetched already, 1 failed")
    assert "failed Gone" in out and "404" in out
