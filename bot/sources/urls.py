"""Canonical URLs: one spelling per story, whichever feed, page or share link it came by."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

MAX_URL_CHARS = 2048  # the article.url column; longer ones are not kept
# Parameters that say how a reader arrived, not which page: dropped.
_TRACKING = ("utm_", "mc_", "_hs", "pk_")
_TRACKING_NAMES = frozenset(
    {"fbclid", "gclid", "dclid", "yclid", "msclkid", "igshid", "_ga", "ref"}
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def web_url_problem(url: str) -> str | None:
    """Why `url` cannot be fetched, or None: only absolute http(s) URLs can."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as error:
        return f"not a URL ({error})"
    if parts.scheme.lower() not in _DEFAULT_PORTS:
        return f"only http and https URLs are fetched, not {parts.scheme or 'a relative URL'!r}"
    if not parts.hostname:
        return "the URL has no host"
    if len(url) > MAX_URL_CHARS:
        return f"the URL is longer than {MAX_URL_CHARS} characters"
    return None


def canonical_url(url: str) -> str | None:
    """The URL with its fragment, tracking parameters and default port removed.

    None when it is not an http(s) URL (a `javascript:` link, a relative one).
    """
    url = url.strip()
    if web_url_problem(url) is not None:
        return None
    parts = urlsplit(url)
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    netloc = host if ":" not in host else f"[{host}]"
    if parts.port is not None and parts.port != _DEFAULT_PORTS[scheme]:
        netloc += f":{parts.port}"
    query = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not name.lower().startswith(_TRACKING) and name.lower() not in _TRACKING_NAMES
    ]
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))


def source_name(url: str) -> str:
    """The site a URL belongs to, as readers name it: its host without "www."."""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")
