"""What Telegram accepts as a message text in HTML parse mode, checked as it would."""

from __future__ import annotations

from html.parser import HTMLParser

# The tags of Telegram's HTML style (https://core.telegram.org/bots/api#html-style).
ALLOWED_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
    "a", "tg-emoji", "code", "pre", "blockquote",
}  # fmt: skip
MAX_UTF16_UNITS = 4096


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.open: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag <{tag}> is not Telegram HTML")
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> closes nothing open")
        else:
            self.open.pop()

    def handle_entityref(self, name: str) -> None:
        if name not in {"lt", "gt", "amp", "quot"}:
            self.problems.append(f"&{name}; is not an entity Telegram knows")

    def handle_data(self, data: str) -> None:
        if "<" in data or ">" in data:
            self.problems.append(f"unescaped angle bracket in {data[:40]!r}")


def html_problems(text: str) -> list[str]:
    """Why Telegram would refuse `text` (empty list: it would not)."""
    problems = []
    if not text.strip():
        problems.append("empty text")
    if len(text.encode("utf-16-le")) // 2 > MAX_UTF16_UNITS:
        problems.append("longer than 4096 UTF-16 units")
    checker = _Checker()
    checker.feed(text)
    checker.close()
    problems += checker.problems
    if checker.open:
        problems.append(f"tags left open: {checker.open}")
    if "\x00" in text:
        problems.append("NUL byte")
    return problems
