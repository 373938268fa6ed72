from __future__ import annotations

from bot.news.articles import is_fuller, title_key


def test_title_key_folds_case_quotes_dashes_and_spaces() -> None:
    assert title_key("Japan Steps Out With First Central Asia Leaders’ Summit") == title_key(
        "japan  steps out with first central asia leaders' summit"
    )
    assert title_key("Astana–Israel Talks") == title_key("Astana - Israel  Talks")
    assert title_key("“Quoted” Title") == title_key('"Quoted" Title')
    assert title_key("Kazakhstan Opens Bridge") != title_key("Kyrgyzstan Opens Bridge")


def test_complete_text_beats_cut_text() -> None:
    assert is_fuller(new_body="short", new_truncated=False, old_body="x" * 99, old_truncated=True)
    assert not is_fuller(
        new_body="x" * 99, new_truncated=True, old_body="short", old_truncated=False
    )


def test_longer_text_of_same_kind_wins() -> None:
    assert is_fuller(new_body="longer", new_truncated=True, old_body="long", old_truncated=True)
    assert not is_fuller(new_body="same", new_truncated=False, old_body="same", old_truncated=False)
