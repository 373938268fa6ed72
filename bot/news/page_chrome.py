"""Page furniture: the lines of a page dump that are not news.

The site prints the same few kinds of furniture around its articles: links
("Continue reading", "Read more"), credits ("Image: ...", "Written by ..."),
breadcrumbs ("Our People > Jane Doe"), author avatars, the pointers of its
Weekly Digest ("Dec 20 — “...” READ MORE:") and page headings such as
"Weekly Digest of Central Asia". Each rule here looks at one line, in time
linear in its length; none of them looks at the words of the news itself.
"""

from __future__ import annotations

import re

# A line that is only a link or a label.
_LINK_LINE = re.compile(
    r"^(continue reading|read more|read the full (?:story|article)|full story|read also"
    r"|share( this( article| story)?)?|advertisement|related( articles| news| stories)?"
    r"|previous( article| post)?|next( article| post)?|tags?|print|comments?"
    r"|subscribe|follow us)\W*$",
    re.IGNORECASE,
)
# A credit line: who wrote it, who took the picture.
_CREDIT_LINE = re.compile(
    r"^(written by|image|images|photo|photos|credit|source|pictured|tags)"
    r"\s*[:\-–]?\s+\S.{0,120}$",
    re.IGNORECASE,
)
# "By Jane Doe", "BY JANE DOE | TCA", but not "By 2030, the plant will ...": names only.
_BYLINE = re.compile(
    r"^(?:By|BY|by)\s+[A-Z][\w.’'\-]+(?:\s+(?:[A-Z][\w.’'\-]+|and|&))*(?:\s*[,|]\s*.{0,60})?$"
)
# "...the ministry said. Continue reading" / "...the most li... Read more »": the teaser
# ends there, and what follows on the page is another item.
_READ_MORE_END = re.compile(
    r"\s*(?:\[\s*)?(?:continue reading|read more|read the full (?:story|article)"
    r"|full story)\s*(?:[:»›→>]+|\.\.\.|…)?\s*(?:\]\s*)?$",
    re.IGNORECASE,
)
_READ_MORE_TAIL = 48  # characters: the longest link text with its brackets and arrows
_READ_MORE_LINE = re.compile(
    r"^(?:\[\s*)?(?:continue reading|read more|read the full (?:story|article)|full story)\W*$",
    re.IGNORECASE,
)
_MONTH_ABBR = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
# The Weekly Digest's pointer to the full story: `Dec 20 — “Headline…” READ MORE:`.
_DIGEST_POINTER = re.compile(
    rf"^{_MONTH_ABBR}\s+\d{{1,2}}(?:,\s*\d{{4}})?\s*[—–\-]\s*.*\bREAD MORE\b\s*:?\s*\S{{0,200}}$",
    re.IGNORECASE,
)
_PAGE_HEADING = re.compile(
    r"^(?:the\s+)?weekly digest(?:\s+of\s+central asia)?\b[^.!?]{0,60}$"
    r"|^(?:tag|category|archive|author|search results?)\s*:\s*.{0,80}$"
    r"|^(?:latest news|news|opinion|analysis|interviews?|our people|home)$",
    re.IGNORECASE,
)
# "Home > News > Kazakhstan", "Our People > Jane Doe": short parts joined by > or ».
_BREADCRUMB = re.compile(r"^[^>»]{1,60}(?:\s[>»]\s[^>»]{1,60})+$")
_AUTHOR_CRUMB = re.compile(r"^our people\s*[>»]\s*(.{1,80})$", re.IGNORECASE)
# Social buttons, reading times, relative dates: "Share on Facebook", "3 min read",
# "5 hours ago", "Updated: 12:30".
_WIDGET = re.compile(
    r"^(?:(?:share|follow us|subscribe|join us)(?: (?:on|to|via))? [\w ]{1,30}"
    r"|(?:facebook|twitter|x|telegram|whatsapp|linkedin|vk|email|e-mail|print|copy link)"
    r"|\d{1,3} min(?:ute)?s? read|reading time:? .{1,20}"
    r"|\d{1,3} (?:seconds?|minutes?|hours?|days?|weeks?|months?) ago"
    r"|(?:updated|published|posted)(?: on)?:? .{1,40})$",
    re.IGNORECASE,
)
# A caption that ends in its credit: "Kassym-Jomart Tokayev; image: Akorda".
_CAPTION_CREDIT = re.compile(
    r"[;,.|]\s*(?:image|photo|photos|credit|source)s?\s*:\s*\S.{0,80}$", re.I
)
_AVATAR = re.compile(r"^(?:\S+\s){0,4}avatar(?:\s+(?:photo|image|picture))?\W*$", re.IGNORECASE)


def is_furniture(line: str) -> bool:
    """Whether the whole line is page furniture (never a title, never body text)."""
    return bool(
        _LINK_LINE.match(line)
        or _CREDIT_LINE.match(line)
        or _BYLINE.match(line)
        or _DIGEST_POINTER.match(line)
        or _PAGE_HEADING.match(line)
        or _AVATAR.match(line)
        or _WIDGET.match(line)
        or (len(line) <= 200 and _CAPTION_CREDIT.search(line))
        or (_BREADCRUMB.match(line) and len(line) <= 200)
    )


def is_read_more(line: str) -> bool:
    """A "Continue reading" link on a line of its own."""
    return bool(_READ_MORE_LINE.match(line))


def author_of(line: str) -> str | None:
    """The author an author page is about, from its "Our People > Name" breadcrumb."""
    match = _AUTHOR_CRUMB.match(line)
    return match.group(1).strip() if match else None


def strip_read_more(line: str) -> tuple[str, bool]:
    """The line without a trailing "Continue reading" link, and whether it had one.

    An ellipsis before the link stays: it is what says the text was cut.
    """
    # The link is at the very end: looking at the tail keeps this cheap on long lines.
    tail = max(len(line) - _READ_MORE_TAIL, 0)
    match = _READ_MORE_END.search(line, tail)
    if match is None or match.start() == 0:
        return line, False
    return line[: match.start()].rstrip(), True
