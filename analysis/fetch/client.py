"""HTTP for ``diplodash fetch``: polite to the sites and safe for the user by default.

Every request, redirects and robots.txt included, goes through :meth:`Client.get`:
http(s) only; robots.txt obeyed (RFC 9309 as Protego reads it: wildcards, longest match,
``Crawl-delay``); one request per ``interval`` seconds per host; an identifying
User-Agent; connect and read timeouts and a deadline for the whole response; retries with
doubling back-off on timeouts, dropped connections, 429 and 5xx (``Retry-After`` obeyed);
a size cap enforced while streaming, so a huge response is cut, never held in memory;
redirects followed by hand, at most ``max_redirects``, each hop checked like the first.
Redirects are not left to urllib3 because each hop is a new request to perhaps another
host, which must pass robots.txt and wait its turn like any other.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import urllib3
from protego import Protego

from analysis.fetch.cache import Cache, Cached

DEFAULT_USER_AGENT = "diplodash/0.1 (open-source analytics of public diplomatic news)"
RETRY_STATUS = {429, 500, 502, 503, 504}
REDIRECT_STATUS = {301, 302, 303, 307, 308}
MAX_RETRY_AFTER = 60.0  # seconds: a server asking for longer is not waited for
MAX_CRAWL_DELAY = 30.0
CHUNK = 1 << 16


@dataclass(frozen=True, slots=True)
class Policy:
    """How politely and how defensively to fetch; the defaults are for real sites."""

    user_agent: str = DEFAULT_USER_AGENT
    interval: float = 1.0  # seconds between two requests to one host
    timeout: float = 20.0  # seconds to connect, and between two reads
    deadline: float = 120.0  # seconds for a whole response
    retries: int = 3
    backoff: float = 2.0  # seconds before the first retry; doubles after each
    max_bytes: int = 20 << 20
    max_redirects: int = 5


class FetchError(Exception):
    """A URL that could not be fetched; the message says why and names the URL."""


@dataclass(slots=True)
class Response:
    url: str  # as asked for
    final_url: str  # after redirects
    body: bytes
    content_type: str
    cached: bool = False  # the body came from the cache (not modified, or not asked again)


@dataclass(slots=True)
class Stats:
    requests: int = 0
    downloaded: int = 0
    not_modified: int = 0
    from_cache: int = 0


@dataclass(slots=True)
class _Reply:
    status: int
    headers: urllib3.HTTPHeaderDict
    body: bytes


@dataclass
class Client:
    """One fetch session: its connection pool, robots.txt rules and clock per host."""

    policy: Policy = field(default_factory=Policy)
    cache: Cache | None = None
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic  # the per-host pace's clock (tests set both)
    stats: Stats = field(default_factory=Stats)

    def __post_init__(self) -> None:
        self._pool = urllib3.PoolManager(retries=False, timeout=self._timeout())
        self._robots: dict[str, Protego | str] = {}
        self._delay: dict[str, float] = {}
        self._next_at: dict[str, float] = {}

    def get(self, url: str, revalidate: bool = True) -> Response:
        """The body at ``url``. A cached copy is revalidated (ETag / Last-Modified) unless
        ``revalidate`` is False, when it is used as it is: a page once fetched is not
        asked for again. Raises :class:`FetchError`."""
        cached = self.cache.get(url) if self.cache else None
        if cached is not None and not revalidate:
            self.stats.from_cache += 1
            return _from_cache(url, cached)
        headers = _validators(cached)
        final, reply = self._follow(url, headers, check_robots=True)
        if reply.status == 304 and cached is not None:
            self.stats.not_modified += 1
            return _from_cache(url, cached)
        if reply.status != 200:
            raise FetchError(f"HTTP {reply.status}")
        self.stats.downloaded += 1
        content_type = reply.headers.get("Content-Type", "")
        if self.cache:
            self.cache.put(url, final, reply.body, content_type, dict(reply.headers))
        return Response(url, final, reply.body, content_type)

    def _follow(self, url: str, headers: dict[str, str], check_robots: bool) -> tuple[str, _Reply]:
        for _ in range(self.policy.max_redirects + 1):
            parts = urlsplit(url)
            if parts.scheme not in {"http", "https"} or not parts.hostname:
                raise FetchError(f"not an http(s) address: {url[:200]}")
            if check_robots:
                self._check_robots(url)
            reply = self._request(url, headers)
            location = reply.headers.get("Location")
            if reply.status not in REDIRECT_STATUS or not location:
                return url, reply
            url = urljoin(url, location.strip())
        raise FetchError(f"too many redirects (more than {self.policy.max_redirects})")

    def _check_robots(self, url: str) -> None:
        origin = _origin(url)
        if origin not in self._robots:
            self._robots[origin] = self._read_robots(origin)
        rules = self._robots[origin]
        if isinstance(rules, str):
            raise FetchError(f"robots.txt of {origin} unreachable ({rules}): not fetched")
        if not rules.can_fetch(url, self.policy.user_agent):
            raise FetchError(f"forbidden by robots.txt: {url}")

    def _read_robots(self, origin: str) -> Protego | str:
        """A site's rules, or why there are none: none found (4xx) allows all, an
        unreachable robots.txt (5xx, a timeout) forbids all for this run (RFC 9309)."""
        try:
            _, reply = self._follow(origin + "/robots.txt", {}, check_robots=False)
        except FetchError as err:
            return str(err)
        if 400 <= reply.status < 500:
            return Protego.parse("")
        if reply.status != 200:
            return f"HTTP {reply.status}"
        rules = Protego.parse(reply.body.decode("utf-8", errors="replace"))
        delay = rules.crawl_delay(self.policy.user_agent)
        if delay:
            self._delay[urlsplit(origin).netloc] = min(float(delay), MAX_CRAWL_DELAY)
        return rules

    def _request(self, url: str, headers: dict[str, str]) -> _Reply:
        """One request, retried on timeouts, dropped connections, 429 and 5xx."""
        policy = self.policy
        problem = ""
        for attempt in range(policy.retries + 1):
            if attempt:
                self.sleep(policy.backoff * 2 ** (attempt - 1))
            try:
                reply = self._attempt(url, headers)
            except urllib3.exceptions.HTTPError as err:
                problem = _describe(err, policy.timeout)
                continue
            if reply.status not in RETRY_STATUS or attempt == policy.retries:
                return reply
            problem = f"HTTP {reply.status}"
            self.sleep(_retry_after(reply.headers.get("Retry-After")))
        raise FetchError(f"{problem} (tried {policy.retries + 1} times)")

    def _attempt(self, url: str, headers: dict[str, str]) -> _Reply:
        self._wait_turn(urlsplit(url).netloc.lower())
        self.stats.requests += 1
        response = self._pool.request(
            "GET",
            url,
            headers={"User-Agent": self.policy.user_agent, **headers},
            preload_content=False,
            redirect=False,
        )
        try:
            body = self._read_capped(response)
        except BaseException:
            response.close()  # not drained: the rest of a huge or slow body is never read
            raise
        response.release_conn()
        return _Reply(response.status, response.headers, body)

    def _read_capped(self, response: urllib3.BaseHTTPResponse) -> bytes:
        """The body, streamed: past ``max_bytes`` or the deadline the download stops."""
        cap = self.policy.max_bytes
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > cap:
            raise FetchError(f"response larger than {cap:,} bytes (Content-Length {declared})")
        started = time.monotonic()
        chunks: list[bytes] = []
        size = 0
        for chunk in response.stream(CHUNK):
            size += len(chunk)
            if size > cap:
                raise FetchError(f"response larger than {cap:,} bytes, cut")
            if time.monotonic() - started > self.policy.deadline:
                raise FetchError(f"response took longer than {self.policy.deadline:g} s, cut")
            chunks.append(chunk)
        return b"".join(chunks)

    def _wait_turn(self, host: str) -> None:
        interval = max(self.policy.interval, self._delay.get(host, 0.0))
        wait = self._next_at.get(host, 0.0) - self.clock()
        if wait > 0:
            self.sleep(wait)
        self._next_at[host] = self.clock() + interval

    def _timeout(self) -> urllib3.Timeout:
        return urllib3.Timeout(connect=self.policy.timeout, read=self.policy.timeout)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _validators(cached: Cached | None) -> dict[str, str]:
    headers: dict[str, str] = {}
    if cached is not None and cached.etag:
        headers["If-None-Match"] = cached.etag
    if cached is not None and cached.last_modified:
        headers["If-Modified-Since"] = cached.last_modified
    return headers


def _from_cache(url: str, cached: Cached) -> Response:
    return Response(url, cached.final_url, cached.body, cached.content_type, cached=True)


def _retry_after(value: str | None) -> float:
    """Seconds a 429 or 503 asks to wait (a number or an HTTP date), within reason."""
    if not value:
        return 0.0
    if value.strip().isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return 0.0
    return max(0.0, min(when.timestamp() - time.time(), MAX_RETRY_AFTER))


def _describe(err: urllib3.exceptions.HTTPError, timeout: float) -> str:
    if isinstance(err, urllib3.exceptions.TimeoutError):
        return f"timed out after {timeout:g} s"
    if isinstance(err, urllib3.exceptions.NewConnectionError):
        return "cannot connect"
    return f"connection failed ({type(err).__name__})"
