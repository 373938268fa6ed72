"""HTTP for sources: polite, bounded, and refusing the addresses a fetcher must not reach.

- Conditional GET: the ETag and Last-Modified of the last answer are sent back, and a
  304 costs no reading or parsing. gzip, deflate and br bodies are decompressed.
- A `User-Agent` naming newsbot and the operator's contact; `robots.txt` obeyed.
- At most one request a second to a host (`FetchLimits.host_interval`), a connect
  and a total timeout (a body that drips a byte a second is cut off by the latter),
  at most `max_redirects` redirects, each checked like the first URL.
- The body is read as a stream and cut off past `max_bytes` *after* decompression,
  so a 50 MB page or a gzip bomb is never held whole (aiohttp also bounds what one
  compressed chunk may expand to).
- Only http(s); a host that is, or resolves to, a loopback, private, link-local or
  otherwise non-public address is refused unless `allow_private` (tests, the demo).
  The check is in the resolver aiohttp connects through, so a name cannot resolve
  to a public address for the check and a private one for the connection.
"""

from __future__ import annotations

import asyncio
import email.utils
import ipaddress
import logging
import socket
import time
import urllib.robotparser
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from urllib.parse import urljoin, urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver
from multidict import CIMultiDict

from bot.sources.urls import web_url_problem

log = logging.getLogger(__name__)

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
ROBOTS_MAX_BYTES = 512_000
ROBOTS_TTL_SECONDS = 3600.0


@dataclass(frozen=True)
class FetchLimits:
    max_bytes: int = 5_000_000  # decompressed; real pages and feeds are well under 1 MB
    connect_timeout: float = 10.0
    total_timeout: float = 30.0
    max_redirects: int = 5
    host_interval: float = 1.0  # seconds between two requests to the same host


@dataclass(frozen=True)
class Response:
    url: str  # after redirects
    status: int  # 200 or 304
    headers: Mapping[str, str]  # case-insensitive, as HTTP's are
    body: bytes

    @property
    def content_type(self) -> str | None:
        return self.headers.get("Content-Type")


class FetchError(Exception):
    """A fetch that gave no usable answer; `status` is the HTTP status when there was one."""

    def __init__(self, message: str, status: int | None = None, retry_after: float | None = None):
        super().__init__(message)
        self.status, self.retry_after = status, retry_after


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


class PublicOnlyResolver(AbstractResolver):
    """aiohttp's resolver, refusing names that resolve to a non-public address."""

    def __init__(self) -> None:
        self._resolver = DefaultResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        found = await self._resolver.resolve(host, port, family)
        private = [r["host"] for r in found if not _public(r["host"])]
        if private:
            raise OSError(f"{host} resolves to a non-public address ({private[0]}): refused")
        return found

    async def close(self) -> None:
        await self._resolver.close()


def user_agent(contact: str | None) -> str:
    try:
        release = version("newsbot")
    except PackageNotFoundError:
        release = "dev"
    return f"newsbot/{release} (news digest bot{'; +' + contact if contact else ''})"


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds from now: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - (time.time() if now is None else now), 0.0)


class Fetcher:
    def __init__(
        self,
        *,
        allow_private: bool = False,
        contact: str | None = None,
        limits: FetchLimits | None = None,
    ) -> None:
        self.allow_private = allow_private
        self.limits = limits or FetchLimits()
        self._agent = user_agent(contact)
        self._session: aiohttp.ClientSession | None = None
        self._hosts: dict[str, tuple[asyncio.Lock, list[float]]] = {}
        self._robots: dict[str, tuple[float, urllib.robotparser.RobotFileParser | None]] = {}
        self._robots_locks: dict[str, asyncio.Lock] = {}

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None:
            resolver = None if self.allow_private else PublicOnlyResolver()
            connector = aiohttp.TCPConnector(resolver=resolver, limit=64, ttl_dns_cache=300)
            timeout = aiohttp.ClientTimeout(
                total=self.limits.total_timeout, sock_connect=self.limits.connect_timeout
            )
            self._session = aiohttp.ClientSession(
                connector=connector,
                timeout=timeout,
                headers={"User-Agent": self._agent, "Accept-Encoding": "gzip, deflate, br"},
                auto_decompress=True,
            )
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _check(self, url: str) -> None:
        problem = web_url_problem(url)
        if problem:
            raise FetchError(problem)
        host = urlsplit(url).hostname or ""
        try:
            literal = ipaddress.ip_address(host)
        except ValueError:
            return  # a name: the resolver checks what it resolves to
        if not self.allow_private and not _public(str(literal)):
            raise FetchError(f"{host} is not a public address: refused")

    async def _polite(self, host: str) -> asyncio.Lock:
        """The host's lock, taken once its last request is `host_interval` old."""
        lock, last = self._hosts.setdefault(host, (asyncio.Lock(), [0.0]))
        await lock.acquire()
        wait = last[0] + self.limits.host_interval - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        return lock

    def _done(self, host: str) -> None:
        lock, last = self._hosts[host]
        last[0] = time.monotonic()
        lock.release()

    async def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        max_bytes: int | None = None,
    ) -> Response:
        """GET `url`, following redirects; a 200 or a 304, else `FetchError`."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        for _ in range(self.limits.max_redirects + 1):
            self._check(url)
            host = urlsplit(url).hostname or ""
            await self._polite(host)
            try:
                answer = await self._request(url, headers, max_bytes or self.limits.max_bytes)
            finally:
                self._done(host)
            if isinstance(answer, Response):
                return answer
            url = answer  # a redirect's target
        raise FetchError(f"more than {self.limits.max_redirects} redirects")

    async def _request(self, url: str, headers: dict[str, str], cap: int) -> Response | str:
        try:
            async with self._client().get(url, headers=headers, allow_redirects=False) as r:
                if r.status in _REDIRECTS:
                    location = r.headers.get("Location")
                    if not location:
                        raise FetchError(f"HTTP {r.status} without a Location", r.status)
                    return urljoin(url, location)
                if r.status == 304:
                    return Response(url, 304, CIMultiDict(r.headers), b"")
                if r.status != 200:
                    retry = retry_after_seconds(r.headers.get("Retry-After"))
                    raise FetchError(f"HTTP {r.status} {r.reason or ''}".strip(), r.status, retry)
                body = await self._read_capped(r, cap)
                return Response(url, 200, CIMultiDict(r.headers), body)
        except FetchError:
            raise
        except aiohttp.ConnectionTimeoutError:
            raise FetchError(
                f"could not connect within {self.limits.connect_timeout:g} s"
            ) from None
        except TimeoutError:
            raise FetchError(f"timed out (limit {self.limits.total_timeout:g} s)") from None
        except aiohttp.ClientConnectorError as error:
            raise FetchError(f"could not connect: {error.os_error or error}") from None
        except (aiohttp.ClientError, OSError, ValueError) as error:
            raise FetchError(f"{type(error).__name__}: {error}") from None

    @staticmethod
    async def _read_capped(response: aiohttp.ClientResponse, cap: int) -> bytes:
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.content.iter_chunked(65_536):
            size += len(chunk)
            if size > cap:
                raise FetchError(f"the body is larger than {cap:,} bytes (decompressed): cut off")
            chunks.append(chunk)
        return b"".join(chunks)

    async def allowed(self, url: str) -> bool:
        """Whether robots.txt lets newsbot fetch `url` (read once an hour per site).

        No robots.txt (4xx) allows everything; a robots.txt that cannot be read (5xx,
        a timeout) raises `FetchError`: the source waits for a later round.
        """
        self._check(url)  # a refused URL says so, not that its robots.txt failed
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        # One read per site, however many of its sources ask at once.
        async with self._robots_locks.setdefault(origin, asyncio.Lock()):
            cached = self._robots.get(origin)
            if cached is None or time.monotonic() - cached[0] > ROBOTS_TTL_SECONDS:
                rules = await self._read_robots(origin)
                self._robots[origin] = (time.monotonic(), rules)
            else:
                rules = cached[1]
        return rules is None or rules.can_fetch(self._agent, url)

    async def _read_robots(self, origin: str) -> urllib.robotparser.RobotFileParser | None:
        try:
            response = await self.get(f"{origin}/robots.txt", max_bytes=ROBOTS_MAX_BYTES)
        except FetchError as error:
            if error.status is not None and 400 <= error.status < 500:
                return None
            raise FetchError(f"robots.txt could not be read: {error}", error.status) from None
        rules = urllib.robotparser.RobotFileParser()
        rules.parse(response.body.decode("utf-8", "replace").splitlines())
        return rules
